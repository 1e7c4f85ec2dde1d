package search

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/congxa/congxa/internal/para"
	"github.com/congxa/congxa/internal/vn"
)

// Cache keeps what one build made, for the next: the words met so far,
// each page's analysis, the postings, and the files. The zero Cache is
// ready; it is not safe for concurrent builds.
type Cache struct {
	docs  map[string]*analysed // by Doc.Key
	words wordTable

	smu       sync.Mutex
	scratches []*scratch // every worker's
	free      []*scratch // those no worker uses

	an         []*analysed // the last build's pages, by number; nil after a cancel
	wpost      [][]uint32  // by word id: page number << 6 | flags, by page number
	parts      [pairParts]pairPart
	pairN      int        // the number of pair buckets
	pairM      [][]uint32 // each bucket's pairs: part << 30 | index in the part
	dirtyPairs []uint32   // hashes of the pairs whose postings changed

	shards  map[[2]string]*file // the last build's word shards, by first and last key
	buckets []*file             // the last build's pair buckets
	metas   map[[32]byte]*file  // the last build's meta files, by the hash of their JSON
	cats    *file               // the last build's file of the pages' categories
	catsRaw []byte              // its JSON

	// once: the index is made once and nothing is kept for a next build
	// (Build without a Cache): the pages' postings are filed as they are
	// read, each worker's in its own lists (see scratch), and merged as
	// the files are made; the pages' lists are not kept.
	once bool
}

// word is one word of a text: key is what the index files it under
// (vn.Fold), form how it is written, in lower case (NFC).
type word struct {
	key, form string
}

// wordTable numbers the words, (key, form) pairs, in the order met, and
// keeps their keys sorted.
type wordTable struct {
	mu   sync.Mutex
	ids  map[word]uint32
	list []word // by id

	// Made by sync from list.
	keyOf  []*wordKey // by id
	byKey  map[string]*wordKey
	sorted []*wordKey
	rank   []uint32 // by id: its place in (key, form) order
}

// wordKey is one key with its forms.
type wordKey struct {
	key   string
	forms []uint32 // word ids, by form
	rank  uint32   // its place among the keys
	hash  uint32   // where shards may end
	size  int      // of its JSON in a shard; 0 when it has no postings
	dirty bool     // its postings changed
}

// intern returns the id of raw, a run of letters as written.
func (t *wordTable) intern(raw string) uint32 {
	w := word{key: vn.Fold(raw), form: strings.ToLower(raw)}
	if w.key == "" || len(w.key) > MaxWordBytes {
		return noWord
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if id, ok := t.ids[w]; ok {
		return id
	}
	if len(t.list) > maxWordID {
		return noWord
	}
	// raw is part of a page's text: keep only the word.
	w = word{key: strings.Clone(w.key), form: strings.Clone(w.form)}
	id := uint32(len(t.list))
	t.ids[w] = id
	t.list = append(t.list, w)
	return id
}

// sync files the words met since the last call under their keys, and
// ranks them.
func (t *wordTable) sync() {
	if len(t.keyOf) == len(t.list) {
		return
	}
	newKeys := false
	for id := uint32(len(t.keyOf)); id < uint32(len(t.list)); id++ {
		w := t.list[id]
		k := t.byKey[w.key]
		if k == nil {
			k = &wordKey{key: w.key, hash: fnv32(w.key)}
			t.byKey[w.key] = k
			t.sorted = append(t.sorted, k)
			newKeys = true
		}
		i, _ := slices.BinarySearchFunc(k.forms, w.form, func(x uint32, f string) int { return strings.Compare(t.list[x].form, f) })
		k.forms = slices.Insert(k.forms, i, id)
		t.keyOf = append(t.keyOf, k)
	}
	if newKeys {
		slices.SortFunc(t.sorted, func(a, b *wordKey) int { return strings.Compare(a.key, b.key) })
	}
	t.rank = slices.Grow(t.rank[:0], len(t.list))[:len(t.list)]
	r := uint32(0)
	for i, k := range t.sorted {
		k.rank = uint32(i)
		for _, id := range k.forms {
			t.rank[id] = r
			r++
		}
	}
}

// Pairs are gathered in parts, by their ids' hash, in parallel.
const pairParts = 4

func partOf(p uint64) int { return int((p * 0x9E3779B97F4A7C15) >> 62) }

// pairPart is one part of the pairs: their postings by their index.
// Pairs are numbered as pages are read, under mu.
type pairPart struct {
	mu    sync.Mutex
	index map[uint64]uint32 // pair id → index
	ids   []uint64
	hash  []uint32   // of the pair's key, "key key": its bucket
	post  [][]uint32 // with a Cache that keeps them
	added int        // pairs new since the buckets were assigned
	live  int        // pairs with postings
	count int        // postings
}

func (c *Cache) init() {
	if c.words.ids == nil {
		c.words.ids = map[word]uint32{}
		c.words.byKey = map[string]*wordKey{}
	}
	for k := range c.parts {
		if c.parts[k].index == nil {
			c.parts[k].index = map[uint64]uint32{}
		}
	}
}

// reset makes the next build gather every posting anew.
func (c *Cache) reset() {
	c.an = nil
}

// syncPairs gives the pairs numbered since the last call their hash, and
// with a Cache that keeps them, their empty postings.
func (c *Cache) syncPairs() {
	for k := range c.parts {
		pp := &c.parts[k]
		for x := len(pp.hash); x < len(pp.ids); x++ {
			p := pp.ids[x]
			pp.hash = append(pp.hash, pairHash(c.words.list[p>>32].key, c.words.list[p&0xffffffff].key))
		}
		if !c.once && len(pp.post) < len(pp.ids) {
			pp.post = append(pp.post, make([][]uint32, len(pp.ids)-len(pp.post))...)
		}
	}
}

// update brings the postings up to date with the pages an. When most
// pages kept their number, as when a post is edited or a new one is the
// newest, only the changed pages' postings are removed and added;
// otherwise all are gathered anew.
func (c *Cache) update(ctx context.Context, an []*analysed) {
	changed := 0
	for i := range max(len(an), len(c.an)) {
		if i >= len(an) || i >= len(c.an) || an[i] != c.an[i] {
			changed++
		}
	}
	if c.an == nil || changed > len(an)/8+16 {
		c.gatherAll(ctx, an)
		c.an = an
		return
	}
	if len(c.wpost) < len(c.words.list) {
		c.wpost = append(c.wpost, make([][]uint32, len(c.words.list)-len(c.wpost))...)
	}
	for i := range max(len(an), len(c.an)) {
		var old, cur *analysed
		if i < len(c.an) {
			old = c.an[i]
		}
		if i < len(an) {
			cur = an[i]
		}
		if old != cur {
			c.change(uint32(i), old, cur)
		}
	}
	c.an = an
}

// gatherAll makes every posting anew from the pages' lists.
func (c *Cache) gatherAll(ctx context.Context, an []*analysed) {
	words := &c.words
	for _, k := range words.sorted {
		k.dirty = true
	}
	c.pairN = 0 // every bucket is made again
	c.dirtyPairs = c.dirtyPairs[:0]

	// Postings: counted, then filled in page order into one array for
	// the words and one for each part of the pairs.
	wcounts := make([]uint32, len(words.list))
	var pcounts [pairParts][]uint32
	for k := range pcounts {
		pcounts[k] = make([]uint32, len(c.parts[k].ids))
	}
	for _, a := range an {
		a.decode(func(w uint32, _ uint8) { wcounts[w]++ }, func(r uint32, _ uint8) { pcounts[r>>30][r&refMask]++ })
	}
	if ctx.Err() != nil {
		return
	}
	c.wpost = fill(c.wpost[:0], wcounts)
	for k := range c.parts {
		pp := &c.parts[k]
		pp.post = fill(pp.post[:0], pcounts[k])
		pp.live, pp.count = 0, 0
		for _, n := range pcounts[k] {
			if n > 0 {
				pp.live++
				pp.count += int(n)
			}
		}
	}
	for i, a := range an {
		id := uint32(i) << 6
		a.decode(func(w uint32, f uint8) {
			c.wpost[w] = append(c.wpost[w], id|uint32(f))
		}, func(r uint32, f uint8) {
			pp := &c.parts[r>>30]
			pp.post[r&refMask] = append(pp.post[r&refMask], id|uint32(f))
		})
	}
}

// gatherOnce readies the postings the workers filed as they read the
// pages (see Cache.once), for the files: the pairs counted.
func (c *Cache) gatherOnce(ctx context.Context) {
	for _, k := range c.words.sorted {
		k.dirty = true
	}
	c.pairN = 0
	c.dirtyPairs = c.dirtyPairs[:0]
	para.For(ctx, pairParts, func(k int) {
		pp := &c.parts[k]
		pp.live, pp.count = 0, 0
		for x := range pp.ids {
			if n := c.pairCount(k, uint32(x)); n > 0 {
				pp.live++
				pp.count += n
			}
		}
	})
}

// sortPostings sorts postings (page number << 6 | flags, each page once)
// by page number.
func sortPostings(ps []uint32) {
	up, down := true, true
	for i := 1; i < len(ps) && (up || down); i++ {
		if ps[i] < ps[i-1] {
			up = false
		} else {
			down = false
		}
	}
	switch {
	case up:
	case down:
		slices.Reverse(ps)
	default:
		slices.Sort(ps)
	}
}

// postingBufs are the buffers that the workers' lists of a word or pair
// are read into, as the files are made.
var postingBufs = sync.Pool{New: func() any { return new([]uint32) }}

// rawBufs are the buffers that the JSON of a word shard or a pair bucket
// is made in, until it is compressed: on the 10,000-post bench corpus,
// 8 MB of JSON a build, and 15 MB allocated to make it in buffers of
// their own, which the collector need not find again.
var rawBufs = sync.Pool{New: func() any { return new([]byte) }}

// wordPostings appends to dst the postings of word w, sorted, in one list
// or more, each not empty; they may be in *tmp, which it may grow.
func (c *Cache) wordPostings(dst [][]uint32, tmp *[]uint32, w uint32) [][]uint32 {
	if !c.once {
		if ps := c.wpost[w]; len(ps) > 0 {
			dst = append(dst, ps)
		}
		return dst
	}
	return c.readLists(dst, tmp, func(ls *lists) *postList { return ls.word(w) })
}

// pairPostings appends to dst the postings of pair x of part k, as
// wordPostings does.
func (c *Cache) pairPostings(dst [][]uint32, tmp *[]uint32, k int, x uint32) [][]uint32 {
	if !c.once {
		if ps := c.parts[k].post[x]; len(ps) > 0 {
			dst = append(dst, ps)
		}
		return dst
	}
	return c.readLists(dst, tmp, func(ls *lists) *postList { return ls.pair(k, x) })
}

// readLists reads each worker's list of an item into *tmp, sorted, and
// appends them to dst, merged into one.
func (c *Cache) readLists(dst [][]uint32, tmp *[]uint32, list func(*lists) *postList) [][]uint32 {
	n := 0
	for _, sc := range c.scratches {
		n += int(list(&sc.lists).n)
	}
	// Room for all and their merge: the lists in dst stay where they are.
	buf := slices.Grow((*tmp)[:0], 2*n)
	var seg [4][]uint32
	segs := seg[:0]
	for _, sc := range c.scratches {
		l := list(&sc.lists)
		if l.n == 0 {
			continue
		}
		at := len(buf)
		buf = sc.lists.appendList(buf, l, sc.lists.pages)
		sortPostings(buf[at:])
		segs = append(segs, buf[at:])
	}
	*tmp = buf
	switch len(segs) {
	case 0:
		return dst
	case 1:
		return append(dst, segs[0])
	case 2:
		// The usual merge of two workers' lists, without a call a posting.
		x, y, m := segs[0], segs[1], buf[n:n]
		for len(x) > 0 && len(y) > 0 {
			if x[0] < y[0] {
				m = append(m, x[0])
				x = x[1:]
			} else {
				m = append(m, y[0])
				y = y[1:]
			}
		}
		m = append(append(m, x...), y...)
		return append(dst, m)
	}
	m := buf[n:n]
	mergePostings(segs, func(p uint32) { m = append(m, p) })
	return append(dst, m)
}

// pairCount is the number of postings of pair x of part k.
func (c *Cache) pairCount(k int, x uint32) int {
	if !c.once {
		return len(c.parts[k].post[x])
	}
	n := 0
	for _, sc := range c.scratches {
		n += int(sc.lists.pair(k, x).n)
	}
	return n
}

// fill makes lists of counts[i] elements each, empty, in one array.
func fill(lists [][]uint32, counts []uint32) [][]uint32 {
	total := 0
	for _, n := range counts {
		total += int(n)
	}
	flat := make([]uint32, total)
	lists = slices.Grow(lists, len(counts))[:len(counts)]
	at := 0
	for x, n := range counts {
		lists[x] = flat[at : at : at+int(n)]
		at += int(n)
	}
	return lists
}

// encode returns a page's words and pairs (as refs), with their flags, in
// a few bytes each, in the order read (sorting them would cost more than
// the bytes it saves): each word id and each pair's index in its part,
// shifted left by two, with its part in the low bits; each followed by
// its flags.
func encode(words []uint32, wflags []uint8, refs []uint32, pflags []uint8) []byte {
	b := make([]byte, 0, 3*len(words)+4*len(refs)+16)
	b = binary.AppendUvarint(b, uint64(len(words)))
	for i, w := range words {
		b = binary.AppendUvarint(b, uint64(w))
		b = append(b, wflags[i])
	}
	b = binary.AppendUvarint(b, uint64(len(refs)))
	for i, r := range refs {
		b = binary.AppendUvarint(b, uint64(r&refMask)<<2|uint64(r>>30))
		b = append(b, pflags[i])
	}
	return slices.Clip(b)
}

// decode calls word and pair with each word and pair (as a ref) of a; a
// may be nil.
func (a *analysed) decode(word, pair func(uint32, uint8)) {
	if a == nil {
		return
	}
	b := a.enc
	n, k := binary.Uvarint(b)
	b = b[k:]
	for range n {
		v, k := binary.Uvarint(b)
		word(uint32(v), b[k])
		b = b[k+1:]
	}
	n, k = binary.Uvarint(b)
	b = b[k:]
	for range n {
		v, k := binary.Uvarint(b)
		pair(uint32(v&3)<<30|uint32(v>>2), b[k])
		b = b[k+1:]
	}
}

// refMask takes a pair's index in its part from a ref: part << 30 |
// index.
const refMask = 1<<30 - 1

// ref returns the ref of pair p, numbering it if it is new. Workers call
// it as they read.
func (c *Cache) ref(p uint64) uint32 {
	k := partOf(p)
	pp := &c.parts[k]
	pp.mu.Lock()
	x, ok := pp.index[p]
	if !ok {
		x = uint32(len(pp.ids))
		pp.index[p] = x
		pp.ids = append(pp.ids, p)
		pp.added++
	}
	pp.mu.Unlock()
	return uint32(k)<<30 | x
}

// change replaces page id's postings from old with those from cur
// (either may be nil), walking both sorted lists side by side. A key is
// marked as changed only when its postings change, so that an edit that
// leaves most words in place writes few files again.
func (c *Cache) change(id uint32, old, cur *analysed) {
	ow, op := sortedLists(old)
	cw, cp := sortedLists(cur)
	// Both lists hold an item << 6 | its flags.
	diff := func(o, n []uint64, set func(item uint64, flags uint8, remove bool)) {
		i, j := 0, 0
		for i < len(o) || j < len(n) {
			switch {
			case j == len(n) || i < len(o) && o[i]>>6 < n[j]>>6:
				set(o[i]>>6, 0, true)
				i++
			case i == len(o) || n[j]>>6 < o[i]>>6:
				set(n[j]>>6, uint8(n[j]&63), false)
				j++
			default:
				if o[i] != n[j] {
					set(n[j]>>6, uint8(n[j]&63), false)
				}
				i++
				j++
			}
		}
	}
	diff(ow, cw, func(w uint64, flags uint8, remove bool) {
		c.wpost[w] = setPosting(c.wpost[w], id, flags, remove)
		c.words.keyOf[w].dirty = true
	})
	diff(op, cp, func(r uint64, flags uint8, remove bool) {
		pp, x := &c.parts[r>>30], uint32(r&refMask)
		before := len(pp.post[x])
		pp.post[x] = setPosting(pp.post[x], id, flags, remove)
		after := len(pp.post[x])
		pp.count += after - before
		if before == 0 && after > 0 {
			pp.live++
		} else if before > 0 && after == 0 {
			pp.live--
		}
		c.dirtyPairs = append(c.dirtyPairs, pp.hash[x])
	})
}

// sortedLists returns a's words and pairs (as refs), each as item << 6 |
// flags, sorted; a may be nil.
func sortedLists(a *analysed) (words, pairs []uint64) {
	a.decode(func(w uint32, f uint8) {
		words = append(words, uint64(w)<<6|uint64(f))
	}, func(r uint32, f uint8) {
		pairs = append(pairs, uint64(r)<<6|uint64(f))
	})
	slices.Sort(words)
	slices.Sort(pairs)
	return words, pairs
}

// setPosting sets or removes page id's posting in ps.
func setPosting(ps []uint32, id uint32, flags uint8, remove bool) []uint32 {
	i, found := slices.BinarySearchFunc(ps, id, func(p, id uint32) int { return cmp.Compare(p>>6, id) })
	switch {
	case remove && found:
		return slices.Delete(ps, i, i+1)
	case remove:
		return ps
	case found:
		ps[i] = id<<6 | uint32(flags)
		return ps
	}
	return slices.Insert(ps, i, id<<6|uint32(flags))
}

// wordShards makes the word shards: the keys' JSON that changed, then
// shards cut by content, so that a change moves few boundaries, and only
// those with a changed key are compressed again.
func (c *Cache) wordShards(ctx context.Context) []shardFile {
	keys := c.words.sorted
	var todo []int // the changed keys, by index
	for i, k := range keys {
		if k.dirty {
			todo = append(todo, i)
		}
	}
	// Their fragments are made once, measured, and kept until their
	// shards are made.
	frags := make([][]byte, len(keys))
	para.For(ctx, len(todo), func(t int) {
		i := todo[t]
		tmp := postingBufs.Get().(*[]uint32)
		rb := rawBufs.Get().(*[]byte)
		// Made in a buffer, and kept without its slack.
		if f := c.appendFragment((*rb)[:0], tmp, keys[i]); len(f) > 0 {
			frags[i] = bytes.Clone(f)
			*rb = f
		}
		rawBufs.Put(rb)
		postingBufs.Put(tmp)
		keys[i].size = len(frags[i])
	})
	type span struct{ lo, hi int } // key indexes, hi past the last live one
	var spans []span
	cur, size := span{lo: -1}, 0
	for i, k := range keys {
		if k.size == 0 {
			continue
		}
		if cur.lo >= 0 && size+k.size > MaxShardBytes {
			spans = append(spans, cur)
			cur = span{lo: -1}
		}
		if cur.lo < 0 {
			cur, size = span{lo: i}, 0
		}
		size += k.size + 1
		cur.hi = i + 1
		if size >= MinShardBytes && k.hash%cutEvery == 0 {
			spans = append(spans, cur)
			cur = span{lo: -1}
		}
	}
	if cur.lo >= 0 {
		spans = append(spans, cur)
	}
	files := make([]shardFile, len(spans))
	para.For(ctx, len(spans), func(s int) {
		sp := spans[s]
		ks := keys[sp.lo:sp.hi]
		first, last := ks[0].key, ks[len(ks)-1].key
		files[s].first = first
		if prev := c.shards[[2]string{first, last}]; prev != nil && !slices.ContainsFunc(ks, func(k *wordKey) bool { return k.dirty }) {
			files[s].file = prev
			return
		}
		n := 2
		for _, k := range ks {
			n += k.size + 1
		}
		rb := rawBufs.Get().(*[]byte)
		raw := append(slices.Grow((*rb)[:0], n+1), '{')
		tmp := postingBufs.Get().(*[]uint32)
		defer postingBufs.Put(tmp)
		for i, k := range ks {
			if k.size != 0 {
				if len(raw) > 1 {
					raw = append(raw, ',')
				}
				if f := frags[sp.lo+i]; f != nil {
					raw = append(raw, f...)
				} else {
					raw = c.appendFragment(raw, tmp, k)
				}
			}
		}
		raw = append(raw, "}\n"...)
		files[s].file = newFile(raw, levelPostings)
		*rb = raw
		rawBufs.Put(rb)
	})
	if ctx.Err() != nil {
		return nil
	}
	c.shards = make(map[[2]string]*file, len(files))
	for s, sp := range spans {
		c.shards[[2]string{keys[sp.lo].key, keys[sp.hi-1].key}] = files[s].file
	}
	for _, i := range todo {
		keys[i].dirty = false
	}
	return files
}

type shardFile struct {
	first string // its first key
	*file
}

// appendFragment appends one key's JSON: "key":{"form":"postings",…},
// forms sorted, those without postings left out; nothing when none has
// any.
func (c *Cache) appendFragment(b []byte, tmp *[]uint32, k *wordKey) []byte {
	start := len(b)
	var buf [4][]uint32
	for _, id := range k.forms {
		ps := c.wordPostings(buf[:0], tmp, id)
		if len(ps) == 0 {
			continue
		}
		if len(b) == start {
			b = appendJSON(b, k.key)
			b = append(b, ":{"...)
		} else {
			b = append(b, ',')
		}
		b = appendJSON(b, c.words.list[id].form)
		b = append(b, ':', '"')
		b = appendList(b, ps...)
		b = append(b, '"')
	}
	if len(b) == start {
		return b
	}
	return append(b, '}')
}

// pairBuckets makes the pair buckets: a power of two of them, about
// PairBucketBytes each, each pair in the one its key's hash says. Only
// the buckets with a changed pair are made again.
func (c *Cache) pairBuckets(ctx context.Context) []*file {
	est := 0
	for k := range c.parts {
		est += c.parts[k].count*3 + c.parts[k].live*24
	}
	n := 1
	if est > PairBucketBytes {
		n = 1 << bits.Len(uint((est-1)/PairBucketBytes))
	}
	dirty := make([]bool, n)
	if n != c.pairN || len(c.buckets) != n {
		c.pairN = n
		c.pairM = make([][]uint32, n)
		for k := range c.parts {
			pp := &c.parts[k]
			for x, h := range pp.hash {
				b := h & uint32(n-1)
				c.pairM[b] = append(c.pairM[b], uint32(k)<<30|uint32(x))
			}
			pp.added = 0
		}
		for b := range dirty {
			dirty[b] = true
		}
	} else {
		for k := range c.parts {
			pp := &c.parts[k]
			for x := len(pp.ids) - pp.added; x < len(pp.ids); x++ {
				b := pp.hash[x] & uint32(n-1)
				c.pairM[b] = append(c.pairM[b], uint32(k)<<30|uint32(x))
			}
			pp.added = 0
		}
		for _, h := range c.dirtyPairs {
			dirty[h&uint32(n-1)] = true
		}
	}
	c.dirtyPairs = c.dirtyPairs[:0]
	files := make([]*file, n)
	words := &c.words
	para.For(ctx, n, func(b int) {
		if !dirty[b] {
			files[b] = c.buckets[b]
			return
		}
		type ref struct {
			id  uint64
			ref uint32
			key [2]uint32 // ranks of the keys
		}
		refs := make([]ref, 0, len(c.pairM[b]))
		size := 4
		var buf [4][]uint32
		tmp := postingBufs.Get().(*[]uint32)
		defer postingBufs.Put(tmp)
		for _, m := range c.pairM[b] {
			k, x := int(m>>30), m&refMask
			n := c.pairCount(k, x)
			if n == 0 {
				continue
			}
			p := c.parts[k].ids[x]
			refs = append(refs, ref{p, m, [2]uint32{words.keyOf[p>>32].rank, words.keyOf[p&0xffffffff].rank}})
			size += n*3 + 40
		}
		slices.SortFunc(refs, func(a, b ref) int {
			if c := cmp.Compare(a.key[0], b.key[0]); c != 0 {
				return c
			}
			if c := cmp.Compare(a.key[1], b.key[1]); c != 0 {
				return c
			}
			if c := cmp.Compare(words.rank[a.id>>32], words.rank[b.id>>32]); c != 0 {
				return c
			}
			return cmp.Compare(words.rank[a.id&0xffffffff], words.rank[b.id&0xffffffff])
		})
		rb := rawBufs.Get().(*[]byte)
		raw := append(slices.Grow((*rb)[:0], size), '{')
		for i, r := range refs {
			x, y := words.list[r.id>>32], words.list[r.id&0xffffffff]
			if i == 0 || r.key != refs[i-1].key {
				if i > 0 {
					raw = append(raw, "},"...)
				}
				// Keys and forms are letters, digits and marks: nothing
				// to escape.
				raw = append(raw, '"')
				raw = append(append(append(raw, x.key...), ' '), y.key...)
				raw = append(raw, `":{`...)
			} else {
				raw = append(raw, ',')
			}
			raw = append(raw, '"')
			raw = append(append(append(raw, x.form...), ' '), y.form...)
			raw = append(raw, '"', ':', '"')
			raw = appendList(raw, c.pairPostings(buf[:0], tmp, int(r.ref>>30), r.ref&refMask)...)
			raw = append(raw, '"')
		}
		if len(refs) > 0 {
			raw = append(raw, '}')
		}
		raw = append(raw, "}\n"...)
		files[b] = newFile(raw, levelPostings)
		*rb = raw
		rawBufs.Put(rb)
	})
	c.buckets = files
	return files
}

// metaChunks makes the meta files: for each MetaChunk pages, in order,
// [url, title, date, category] each, the category by its number in the
// filter (from 1; 0 for none).
func (c *Cache) metaChunks(ctx context.Context, docs []Doc, catIndex map[string]int) []*file {
	n := (len(docs) + MetaChunk - 1) / MetaChunk
	files := make([]*file, n)
	sums := make([][32]byte, n)
	raws := make([][]byte, n)
	para.For(ctx, n, func(m int) {
		size := 3
		for i := m * MetaChunk; i < min(len(docs), (m+1)*MetaChunk); i++ {
			size += len(c.an[i].meta) + 8 // and the category, "]" and ","
		}
		b := make([]byte, 0, size)
		b = append(b, '[')
		for i := m * MetaChunk; i < min(len(docs), (m+1)*MetaChunk); i++ {
			if i > m*MetaChunk {
				b = append(b, ',')
			}
			b = append(b, c.an[i].meta...)
			b = strconv.AppendInt(b, int64(catIndex[docs[i].Category]), 10)
			b = append(b, ']')
		}
		b = append(b, "]\n"...)
		sums[m] = sha256.Sum256(b)
		raws[m] = b
	})
	if ctx.Err() != nil {
		return nil
	}
	prev := c.metas
	c.metas = make(map[[32]byte]*file, n)
	var todo []int
	for m := range files {
		if f := prev[sums[m]]; f != nil {
			files[m] = f
		} else {
			todo = append(todo, m)
		}
	}
	para.For(ctx, len(todo), func(t int) { files[todo[t]] = newFile(raws[todo[t]], levelMeta) })
	for m, f := range files {
		c.metas[sums[m]] = f
	}
	return files
}

// docCategories makes the file of the pages' categories: [n, …], the
// category of each page by its number in the filter (from 1; 0 for
// none).
func (c *Cache) docCategories(docs []Doc, catIndex map[string]int) *file {
	b := make([]byte, 0, 2*len(docs)+4)
	b = append(b, '[')
	for i, d := range docs {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(catIndex[d.Category]), 10)
	}
	b = append(b, "]\n"...)
	// A rebuild after an edit seldom changes a category: the file is
	// compressed again only when it did.
	if c.cats != nil && bytes.Equal(c.catsRaw, b) {
		return c.cats
	}
	f := newFile(b, levelEntry)
	if !c.once {
		c.cats, c.catsRaw = f, b
	}
	return f
}

// DenseMin is the fewest postings a dense list has: a shorter list costs
// little as it is, and keeps its counts.
const DenseMin = 64

// appendList writes the postings of a word form (or a pair) ps, page
// number << 6 | flags by page number, as the package documentation
// says: as they are, or when they are dense (on more than half of the
// pages up to the last of them, and at least DenseMin) as the pages
// without them and those with flags beyond the body.
// The postings may come in several sorted lists (one a worker, in a
// single build), with no page in two of them.
func appendList(b []byte, lists ...[]uint32) []byte {
	n, last := 0, uint32(0)
	for _, ps := range lists {
		n += len(ps)
		if len(ps) > 0 {
			last = max(last, ps[len(ps)-1])
		}
	}
	if n < DenseMin {
		return appendPostings(b, lists...)
	}
	end := int64(last>>6) + 1
	if 2*int64(n) <= end {
		return appendPostings(b, lists...)
	}
	b = append(b, '~')
	b = appendNumber(b, end)
	// The pages without it, each as the distance from the one before.
	prev, want := int64(-1), int64(0)
	absent := func(p uint32) {
		for id := int64(p >> 6); want < id; want++ {
			b = appendNumber(b, want-prev)
			prev = want
		}
		want++
	}
	// The pages that have it in the title, a tag or the category: their
	// flags, with the body's count as 1 or 0.
	beyond := func(p uint32) {
		if p&^tfMask&63 == 0 {
			return
		}
		id := int64(p >> 6)
		b = appendNumber(b, id-prev)
		prev = id
		b = append(b, digits[p&^tfMask&63|min(p&tfMask, 1)])
	}
	if len(lists) == 1 {
		// The common case, without a call a posting.
		for _, p := range lists[0] {
			for id := int64(p >> 6); want < id; want++ {
				b = appendNumber(b, want-prev)
				prev = want
			}
			want++
		}
		b = append(b, '~')
		prev = -1
		for _, p := range lists[0] {
			if p&^tfMask&63 != 0 {
				beyond(p)
			}
		}
		return b
	}
	mergePostings(lists, absent)
	b = append(b, '~')
	prev = -1
	mergePostings(lists, beyond)
	return b
}

// appendNumber writes n ≥ 0 in digits of five bits, lowest first, every
// digit but the last with 32 added, as a posting's distance is written.
func appendNumber(b []byte, n int64) []byte {
	for n >= 32 {
		b = append(b, digits[32|n&31])
		n >>= 5
	}
	return append(b, digits[n])
}
