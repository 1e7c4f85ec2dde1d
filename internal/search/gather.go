package search

import (
	"bytes"
	"compress/flate"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"hash/crc32"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/congxa/congxa/internal/para"
)

// formPostings are the postings of one form of a key (a word or a pair),
// sorted by page number.
type formPostings struct {
	key, form string
	ids       []int32
	flgs      []uint8
}

func (fp *formPostings) insert(id int32, flags uint8) {
	i, found := slices.BinarySearch(fp.ids, id)
	if found {
		fp.flgs[i] = flags
		return
	}
	fp.ids = slices.Insert(fp.ids, i, id)
	fp.flgs = slices.Insert(fp.flgs, i, flags)
}

func (fp *formPostings) remove(id int32) {
	if i, found := slices.BinarySearch(fp.ids, id); found {
		fp.ids = slices.Delete(fp.ids, i, i+1)
		fp.flgs = slices.Delete(fp.flgs, i, i+1)
	}
}

// postingSet is every key of one kind (words, or pairs) with its forms'
// postings, and what the last build made of them.
type postingSet struct {
	byKey   map[string][]*formPostings
	keys    []string                // sorted; a key may have no postings left
	frags   [][]byte                // each key's JSON, nil when it has no postings
	hash    []uint32                // of each key: where chunks and shards may end
	added   []string                // keys new since keys was sorted
	dirty   map[string]bool         // keys whose postings changed
	chunks  map[[2]string]segment   // the last build's, by first and last key
	shards  map[[2]string]shardFile // the same
	changed []bool                  // by key index, during shardFiles
}

func newPostingSet() *postingSet {
	return &postingSet{byKey: map[string][]*formPostings{}, dirty: map[string]bool{}, chunks: map[[2]string]segment{}, shards: map[[2]string]shardFile{}}
}

func (ps *postingSet) get(key, form string) *formPostings {
	forms := ps.byKey[key]
	for _, fp := range forms {
		if fp.form == form {
			return fp
		}
	}
	if forms == nil {
		ps.added = append(ps.added, key)
	}
	fp := &formPostings{key: key, form: form}
	ps.byKey[key] = append(forms, fp)
	return fp
}

// gather brings the postings up to date with the pages an (numbered as
// given, with their keys). When most pages kept their number, as when a
// post is edited or a new one is the newest, only the changed pages'
// postings are removed and added; otherwise all are gathered anew.
func (c *Cache) gather(keys []string, an []*analysed) {
	changed := 0
	for i := range max(len(keys), len(c.keys)) {
		if i >= len(keys) || i >= len(c.keys) || keys[i] == "" || keys[i] != c.keys[i] || an[i] != c.an[i] {
			changed++
		}
	}
	if c.words == nil || changed > len(keys)/8+16 {
		c.words, c.pairs = newPostingSet(), newPostingSet()
		c.wordFP = map[word]*formPostings{}
		c.pairFP = map[[2]*formPostings]*formPostings{}
		c.keys, c.an = nil, nil
	}
	for i := range max(len(keys), len(c.keys)) {
		if i < len(keys) && i < len(c.keys) && keys[i] != "" && keys[i] == c.keys[i] && an[i] == c.an[i] {
			continue
		}
		var old, cur *analysed
		if i < len(c.keys) {
			old = c.an[i]
		}
		if i < len(keys) {
			cur = an[i]
		}
		c.change(int32(i), old, cur)
	}
	c.keys, c.an = keys, an
}

// change replaces page id's postings from old with those from cur
// (either may be nil). A key is marked as changed only when its postings
// change, so that an edit that leaves most words in place writes few
// keys again.
func (c *Cache) change(id int32, old, cur *analysed) {
	type pairKey [2]word
	var oldWords map[word]uint8
	var oldPairs map[pairKey]uint8
	if old != nil {
		oldWords = make(map[word]uint8, len(old.words))
		for i, w := range old.words {
			oldWords[w] = old.wflags[i]
		}
		oldPairs = make(map[pairKey]uint8, len(old.pairs))
		for i, p := range old.pairs {
			oldPairs[pairKey{old.words[p>>32], old.words[p&0xffffffff]}] = old.pflags[i]
		}
	}
	if cur != nil {
		local := make([]*formPostings, len(cur.words))
		for i, w := range cur.words {
			fp := c.wordFP[w]
			if fp == nil {
				fp = c.words.get(w.key, w.form)
				c.wordFP[w] = fp
			}
			local[i] = fp
			f, had := oldWords[w]
			delete(oldWords, w)
			if had && f == cur.wflags[i] {
				continue
			}
			fp.insert(id, cur.wflags[i])
			c.words.dirty[w.key] = true
		}
		for i, p := range cur.pairs {
			x, y := local[p>>32], local[p&0xffffffff]
			pk := pairKey{cur.words[p>>32], cur.words[p&0xffffffff]}
			f, had := oldPairs[pk]
			delete(oldPairs, pk)
			if had && f == cur.pflags[i] {
				continue
			}
			fp := c.pairFP[[2]*formPostings{x, y}]
			if fp == nil {
				fp = c.pairs.get(x.key+" "+y.key, x.form+" "+y.form)
				c.pairFP[[2]*formPostings{x, y}] = fp
			}
			fp.insert(id, cur.pflags[i])
			c.pairs.dirty[fp.key] = true
		}
	}
	// What old had and cur has not.
	for w := range oldWords {
		fp := c.wordFP[w]
		fp.remove(id)
		c.words.dirty[w.key] = true
	}
	for pk := range oldPairs {
		fp := c.pairFP[[2]*formPostings{c.wordFP[pk[0]], c.wordFP[pk[1]]}]
		fp.remove(id)
		c.pairs.dirty[fp.key] = true
	}
}

// shardFiles cuts the set into compressed shards: only the keys that
// changed are written again, and only the chunks that hold one are
// compressed again. done is the last build's compressed chunks by the
// hash of their JSON; out gets this build's.
func (ps *postingSet) shardFiles(ctx context.Context, done, out map[[32]byte][]byte, mu *sync.Mutex) []shardFile {
	if len(ps.added) > 0 {
		slices.Sort(ps.added)
		keys := make([]string, 0, len(ps.keys)+len(ps.added))
		frags := make([][]byte, 0, cap(keys))
		hash := make([]uint32, 0, cap(keys))
		i, j := 0, 0
		for i < len(ps.keys) || j < len(ps.added) {
			if j == len(ps.added) || i < len(ps.keys) && ps.keys[i] < ps.added[j] {
				keys, frags, hash = append(keys, ps.keys[i]), append(frags, ps.frags[i]), append(hash, ps.hash[i])
				i++
				continue
			}
			k := ps.added[j]
			keys, frags, hash = append(keys, k), append(frags, nil), append(hash, cutHash(k))
			j++
		}
		ps.keys, ps.frags, ps.hash, ps.added = keys, frags, hash, nil
	}
	// Each changed key's JSON, in parallel.
	todo := make([]int, 0, len(ps.dirty))
	for k := range ps.dirty {
		i, _ := slices.BinarySearch(ps.keys, k)
		todo = append(todo, i)
	}
	ps.dirty = map[string]bool{}
	ps.changed = slices.Grow(ps.changed[:0], len(ps.keys))[:len(ps.keys)]
	clear(ps.changed)
	para.For(ctx, len(todo), func(t int) {
		i := todo[t]
		ps.frags[i] = fragment(ps.keys[i], ps.byKey[ps.keys[i]])
		ps.changed[i] = true
	})
	// Chunks of keys, then shards of chunks, cut by content, so that a
	// change moves few boundaries.
	type chunk struct{ lo, hi, size int } // key indexes, hi past the last live one
	var chunks []chunk
	cur := chunk{lo: -1}
	for i, f := range ps.frags {
		if f == nil {
			continue
		}
		if cur.lo >= 0 && cur.size+len(f) > chunkMax {
			chunks = append(chunks, cur)
			cur = chunk{lo: -1}
		}
		if cur.lo < 0 {
			cur = chunk{lo: i}
		}
		cur.size += len(f) + 1
		cur.hi = i + 1
		if cur.size >= chunkMin && ps.hash[i]%chunkCutEvery == 0 {
			chunks = append(chunks, cur)
			cur = chunk{lo: -1}
		}
	}
	if cur.lo >= 0 {
		chunks = append(chunks, cur)
	}
	// Each chunk's compressed segment: kept when its keys did not change.
	segs := make([]segment, len(chunks))
	para.For(ctx, len(chunks), func(n int) {
		ch := chunks[n]
		k := [2]string{ps.keys[ch.lo], ps.keys[ch.hi-1]}
		if prev, ok := ps.chunks[k]; ok && !slices.Contains(ps.changed[ch.lo:ch.hi], true) {
			segs[n] = prev
			return
		}
		raw := make([]byte, 0, ch.size)
		for i := ch.lo; i < ch.hi; i++ {
			if ps.frags[i] != nil {
				raw = append(append(raw, ps.frags[i]...), ',')
			}
		}
		segs[n] = newSegment(raw, done)
	})
	ps.chunks = make(map[[2]string]segment, len(chunks))
	type span struct{ lo, hi int } // chunk indexes
	var spans []span
	size, lo := 0, 0
	for n, ch := range chunks {
		if n > lo && size+ch.size > MaxShardBytes {
			spans = append(spans, span{lo, n})
			size, lo = 0, n
		}
		size += ch.size
		if size >= MinShardBytes && ps.hash[ch.hi-1]%cutEvery == 0 {
			spans = append(spans, span{lo, n + 1})
			size, lo = 0, n+1
		}
	}
	if lo < len(chunks) {
		spans = append(spans, span{lo, len(chunks)})
	}
	files := make([]shardFile, len(spans))
	para.For(ctx, len(spans), func(s int) {
		sp := spans[s]
		klo, khi := chunks[sp.lo].lo, chunks[sp.hi-1].hi
		first, lastKey := ps.keys[klo], ps.keys[khi-1]
		if prev, ok := ps.shards[[2]string{first, lastKey}]; ok && !slices.Contains(ps.changed[klo:khi], true) {
			files[s] = prev
			return
		}
		data := gzipOf(segs[sp.lo:sp.hi])
		h := hashOf(data)
		files[s] = shardFile{first: first, last: lastKey, name: h[:10], data: data, sum: h}
	})
	ps.shards = make(map[[2]string]shardFile, len(files))
	mu.Lock()
	defer mu.Unlock()
	for n, ch := range chunks {
		ps.chunks[[2]string{ps.keys[ch.lo], ps.keys[ch.hi-1]}] = segs[n]
		out[segs[n].sum] = segs[n].data
	}
	for _, f := range files {
		ps.shards[[2]string{f.first, f.last}] = f
	}
	return files
}

// Chunk sizes, in bytes of JSON. A chunk is compressed on its own, so
// that a change to one key compresses again its chunk, not its shard.
const (
	chunkMin      = 2 << 10
	chunkMax      = 8 << 10
	chunkCutEvery = 4
)

// segment is a chunk of a shard's JSON compressed on its own: deflate
// blocks ending at a byte boundary and not final (a "sync flush"), so
// that segments laid end to end are one deflate stream.
type segment struct {
	data []byte
	raw  []byte // the JSON, for the shard's checksum
	sum  [32]byte
}

func newSegment(raw []byte, done map[[32]byte][]byte) segment {
	sum := sha256.Sum256(raw)
	if data, ok := done[sum]; ok {
		return segment{data: data, raw: raw, sum: sum}
	}
	var b bytes.Buffer
	w := flateWriters.Get().(*flate.Writer)
	w.Reset(&b)
	w.Write(raw)
	w.Flush()
	flateWriters.Put(w)
	return segment{data: b.Bytes(), raw: raw, sum: sum}
}

var flateWriters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, flate.BestSpeed)
	return w
}}

// The shard's JSON around its chunks: chunks end each key with a comma,
// so the object ends with a key that no word has.
var (
	shardOpen  = newSegment([]byte("{"), nil)
	shardClose = newSegment([]byte(`"":{}}`+"\n"), nil)
)

// gzipOf makes a gzip file of the segments, between shardOpen and
// shardClose: a header without time or name, the segments, a final empty
// block, and the checksum and size of the JSON.
func gzipOf(segs []segment) []byte {
	all := append(append([]segment{shardOpen}, segs...), shardClose)
	n := 0
	for _, s := range all {
		n += len(s.data)
	}
	out := make([]byte, 0, n+20)
	out = append(out, 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff)
	crc, size := uint32(0), uint32(0)
	for _, s := range all {
		out = append(out, s.data...)
		crc = crc32.Update(crc, crc32.IEEETable, s.raw)
		size += uint32(len(s.raw))
	}
	out = append(out, 0x03, 0x00) // a final, empty block with fixed codes
	out = binary.LittleEndian.AppendUint32(out, crc)
	return binary.LittleEndian.AppendUint32(out, size)
}

// fragment is one key's JSON: "key":{"form":"postings",…}, forms sorted,
// those without postings left out; nil when none has any.
func fragment(key string, forms []*formPostings) []byte {
	forms = slices.Clone(forms)
	sort.Slice(forms, func(i, j int) bool { return strings.Compare(forms[i].form, forms[j].form) < 0 })
	var b bytes.Buffer
	appendString(&b, key)
	b.WriteString(":{")
	n := 0
	for _, f := range forms {
		if len(f.ids) == 0 {
			continue
		}
		if n > 0 {
			b.WriteByte(',')
		}
		n++
		appendString(&b, f.form)
		b.WriteString(`:"`)
		prev := int32(-1)
		for k, id := range f.ids {
			appendPosting(&b, int(id-prev), f.flgs[k])
			prev = id
		}
		b.WriteByte('"')
	}
	if n == 0 {
		return nil
	}
	b.WriteByte('}')
	return b.Bytes()
}
