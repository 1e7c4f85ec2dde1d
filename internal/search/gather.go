package search

import (
	"bytes"
	"context"
	"crypto/sha256"
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
	keys    []string // sorted; a key may have no postings left
	frags   [][]byte // each key's JSON, nil when it has no postings
	cut     []bool   // whether a shard may end after the key
	index   map[string]int
	added   []string        // keys new since keys was sorted
	dirty   map[string]bool // keys whose postings changed
	shards  map[[2]string]shardFile
	changed []bool // by key index, during shardFiles
}

func newPostingSet() *postingSet {
	return &postingSet{byKey: map[string][]*formPostings{}, index: map[string]int{}, dirty: map[string]bool{}, shards: map[[2]string]shardFile{}}
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
		if i < len(c.keys) {
			c.change(int32(i), c.an[i], false)
		}
		if i < len(keys) {
			c.change(int32(i), an[i], true)
		}
	}
	c.keys, c.an = keys, an
}

// change adds page id's postings, or removes them.
func (c *Cache) change(id int32, a *analysed, add bool) {
	local := make([]*formPostings, len(a.words))
	for i, w := range a.words {
		fp := c.wordFP[w]
		if fp == nil {
			fp = c.words.get(w.key, w.form)
			c.wordFP[w] = fp
		}
		local[i] = fp
		if add {
			fp.insert(id, a.wflags[i])
		} else {
			fp.remove(id)
		}
		c.words.dirty[w.key] = true
	}
	for i, p := range a.pairs {
		x, y := local[p>>32], local[p&0xffffffff]
		fp := c.pairFP[[2]*formPostings{x, y}]
		if fp == nil {
			fp = c.pairs.get(x.key+" "+y.key, x.form+" "+y.form)
			c.pairFP[[2]*formPostings{x, y}] = fp
		}
		if add {
			fp.insert(id, a.pflags[i])
		} else {
			fp.remove(id)
		}
		c.pairs.dirty[fp.key] = true
	}
}

// shardFiles cuts the set into compressed shards: only the keys that
// changed are written again, and only shards that hold one are compressed
// again. done is the last build's compressed shards by the hash of their
// JSON; out gets this build's.
func (ps *postingSet) shardFiles(ctx context.Context, done, out map[[32]byte][]byte, mu *sync.Mutex) []shardFile {
	if len(ps.added) > 0 {
		slices.Sort(ps.added)
		keys := make([]string, 0, len(ps.keys)+len(ps.added))
		frags := make([][]byte, 0, cap(keys))
		cut := make([]bool, 0, cap(keys))
		i, j := 0, 0
		for i < len(ps.keys) || j < len(ps.added) {
			if j == len(ps.added) || i < len(ps.keys) && ps.keys[i] < ps.added[j] {
				keys, frags, cut = append(keys, ps.keys[i]), append(frags, ps.frags[i]), append(cut, ps.cut[i])
				i++
				continue
			}
			k := ps.added[j]
			keys, frags, cut = append(keys, k), append(frags, nil), append(cut, cutHash(k)%cutEvery == 0)
			j++
		}
		ps.keys, ps.frags, ps.cut, ps.added = keys, frags, cut, nil
		ps.index = make(map[string]int, len(keys))
		for i, k := range keys {
			ps.index[k] = i
		}
	}
	// Each changed key's JSON, in parallel.
	todo := make([]int, 0, len(ps.dirty))
	for k := range ps.dirty {
		todo = append(todo, ps.index[k])
	}
	ps.dirty = map[string]bool{}
	ps.changed = slices.Grow(ps.changed[:0], len(ps.keys))[:len(ps.keys)]
	clear(ps.changed)
	para.For(ctx, len(todo), func(t int) {
		i := todo[t]
		ps.frags[i] = fragment(ps.keys[i], ps.byKey[ps.keys[i]])
		ps.changed[i] = true
	})
	// Cut by content, so that a change moves few boundaries.
	type span struct{ lo, hi int } // key indexes, hi past the last live one
	var spans []span
	size, lo, last := 0, -1, -1
	for i, f := range ps.frags {
		if f == nil {
			continue
		}
		if lo >= 0 && size >= MinShardBytes && size+len(f) > MaxShardBytes {
			spans = append(spans, span{lo, last + 1})
			size, lo = 0, -1
		}
		if lo < 0 {
			lo = i
		}
		size += len(f) + 1
		last = i
		if size >= MinShardBytes && ps.cut[i] {
			spans = append(spans, span{lo, i + 1})
			size, lo = 0, -1
		}
	}
	if lo >= 0 {
		spans = append(spans, span{lo, last + 1})
	}
	files := make([]shardFile, len(spans))
	para.For(ctx, len(spans), func(s int) {
		sp := spans[s]
		first, lastKey := ps.keys[sp.lo], ps.keys[sp.hi-1]
		if prev, ok := ps.shards[[2]string{first, lastKey}]; ok && !slices.Contains(ps.changed[sp.lo:sp.hi], true) {
			files[s] = prev
			return
		}
		var b bytes.Buffer
		b.WriteByte('{')
		n := 0
		for i := sp.lo; i < sp.hi; i++ {
			if ps.frags[i] == nil {
				continue
			}
			if n > 0 {
				b.WriteByte(',')
			}
			b.Write(ps.frags[i])
			n++
		}
		b.WriteString("}\n")
		sum := sha256.Sum256(b.Bytes())
		data, ok := done[sum]
		if !ok {
			data = compress(b.Bytes())
		}
		h := hashOf(data)
		files[s] = shardFile{first: first, last: lastKey, name: h[:10], data: data, sum: h, raw: sum}
	})
	ps.shards = make(map[[2]string]shardFile, len(files))
	mu.Lock()
	defer mu.Unlock()
	for _, f := range files {
		ps.shards[[2]string{f.first, f.last}] = f
		out[f.raw] = f.data
	}
	return files
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
