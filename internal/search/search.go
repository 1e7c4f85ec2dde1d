package search

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"hash/maphash"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/congxa/congxa/internal/para"
	"github.com/congxa/congxa/internal/vn"
)

// Dir is where the index is published, beside the search page.
const Dir = "tim-kiem/chi-muc"

// Sizes of the files, in bytes of JSON before compression (gzip makes
// them about a fifth).
const (
	// Word shards are cut where a key's hash says so once they have at
	// least MinShardBytes, or before they would pass MaxShardBytes.
	MinShardBytes = 4 << 10
	MaxShardBytes = 12 << 10
	// MaxPrefixShards is the most word shards a prefix is looked up in.
	MaxPrefixShards = 2
	// cutEvery: a key ends a shard (past MinShardBytes) when its hash is 0
	// modulo cutEvery.
	cutEvery = 4
	// PairBucketBytes is about the size of a pair bucket: the pairs are
	// spread over a power of two of buckets by the hash of their key.
	PairBucketBytes = 20 << 10
	// MetaChunk is the number of consecutive pages whose URL, title, date
	// and category share a meta file: a result list fetches up to ten,
	// and typing a query fetches those of each list on the way. On the
	// 10k bench corpus, 4 (~0.55 KB a file) fetched 12-20 KB less than 8
	// for a query typed at 150 ms a key, and 32 ~100 KB more.
	MetaChunk = 4
)

// Posting flags: the low bits count the word in the body (at most
// tfMask); the others say where else the page has it.
const (
	tfMask    = 15
	flagTitle = 16
	flagTag   = 32 // a tag or the category
)

// Doc is a page as the index knows it.
type Doc struct {
	// Key names everything below: a Cache reuses what it made of a Doc
	// with the same Key. "" disables that.
	Key      string
	URL      string // as put in a link: with the base path
	Title    string
	Date     string // as shown: "28/03/2022"; "" for a page without one
	Category string
	Tags     []string
	Summary  string
	HTML     []byte // the body, rendered: its text (see Text) is indexed
}

// File is one file of the index.
type File struct {
	Path string // slash-separated, relative to the site's root
	Data []byte
	Sum  string // a hash of Data
}

// Index is what Build makes.
type Index struct {
	Entry string // the path of the entry file
	Files []File // sorted by path
}

// Category is one category of the filter.
type Category struct {
	Name string
	Slug string
}

// Build makes the index of docs, numbered in the order given, with
// categories for the filter. cache may be nil.
func Build(ctx context.Context, docs []Doc, categories []Category, cache *Cache) *Index {
	return NewBuilder(docs, cache).Build(ctx, categories)
}

// A Builder makes an index from pages read one at a time, so that a
// build need not keep every page's HTML until the index is made: Read
// each page as its HTML comes (from any number of goroutines, each page
// once), then Build.
type Builder struct {
	c    *Cache
	docs []Doc
	an   []*analysed
}

// NewBuilder returns a Builder of the index of docs, numbered in the order
// given. A doc's HTML may be left out and given to Read. cache may be nil.
func NewBuilder(docs []Doc, cache *Cache) *Builder {
	c := cache
	if c == nil {
		c = &Cache{once: true}
	}
	c.init()
	return &Builder{c: c, docs: docs, an: make([]*analysed, len(docs))}
}

// Read reads docs[i] with html as its HTML, which it does not keep.
func (b *Builder) Read(i int, html []byte) {
	d := &b.docs[i]
	if a, ok := b.c.docs[d.Key]; ok && d.Key != "" {
		b.an[i] = a
		return
	}
	one := *d
	one.HTML = html
	b.an[i] = b.c.analyse(&one)
}

// Build reads the docs not read yet, with their Doc.HTML, and makes the
// index, with categories for the filter.
func (b *Builder) Build(ctx context.Context, categories []Category) *Index {
	c, docs, an := b.c, b.docs, b.an
	para.For(ctx, len(docs), func(i int) {
		if an[i] == nil {
			b.Read(i, docs[i].HTML)
		}
	})
	if ctx.Err() != nil {
		return nil
	}
	c.docs = make(map[string]*analysed, len(docs))
	for i, d := range docs {
		if d.Key != "" {
			c.docs[d.Key] = an[i]
		}
	}
	c.update(ctx, an)
	if ctx.Err() != nil {
		c.reset()
		return nil
	}

	catIndex := make(map[string]int, len(categories))
	for i, cat := range categories {
		catIndex[cat.Name] = i + 1
	}
	idx := &Index{}
	add := func(name string, data []byte, sum string) {
		idx.Files = append(idx.Files, File{Path: Dir + "/" + name + ".json.gz", Data: data, Sum: sum})
	}
	words := c.wordShards(ctx)
	pairs := c.pairBuckets(ctx)
	metas := c.metaChunks(ctx, docs, catIndex)
	if ctx.Err() != nil {
		c.reset()
		return nil
	}

	var e bytes.Buffer
	e.WriteString(`{"version":3,"docs":`)
	e.WriteString(strconv.Itoa(len(docs)))
	e.WriteString(`,"meta_chunk":` + strconv.Itoa(MetaChunk) + `,"categories":[`)
	for i, cat := range categories {
		if i > 0 {
			e.WriteByte(',')
		}
		e.WriteByte('[')
		appendString(&e, cat.Name)
		e.WriteByte(',')
		appendString(&e, cat.Slug)
		e.WriteByte(']')
	}
	// The category of each page is in a file of its own, which only a
	// query with a category fetches.
	e.WriteString(`],"doc_categories":"`)
	if len(categories) > 0 {
		f := docCategories(docs, catIndex)
		e.WriteString(f.name)
		add(f.name, f.data, f.sum)
	}
	e.WriteString(`"`)
	// The keys of one or two bytes, so that the script need not fetch a
	// shard for the first letters of a word being typed ("n", "ng") that
	// are no word.
	e.WriteString(`,"short":"`)
	n := 0
	for _, k := range c.words.sorted {
		if len(k.key) <= 2 && k.size > 0 {
			if n > 0 {
				e.WriteByte(' ')
			}
			e.WriteString(k.key) // letters, digits and marks: nothing to escape
			n++
		}
	}
	e.WriteString(`","words":[`)
	for i, s := range words {
		if i > 0 {
			e.WriteByte(',')
		}
		e.WriteByte('[')
		appendString(&e, s.first)
		e.WriteString(`,"` + s.name + `"]`)
		add(s.name, s.data, s.sum)
	}
	// Pair buckets and meta files are named by their number: the script
	// finds them without a list, and asks for them with the entry's hash
	// as the version, so that a browser does not keep a stale one.
	e.WriteString(`],"pairs":` + strconv.Itoa(len(pairs)) + "}\n")
	for i, f := range pairs {
		add("b/"+strconv.Itoa(i), f.data, f.sum)
	}
	for i, f := range metas {
		add("m/"+strconv.Itoa(i), f.data, f.sum)
	}
	entry := compress(e.Bytes())
	sum := hashOf(entry)
	idx.Entry = Dir + "/" + sum[:10] + ".json.gz"
	idx.Files = append(idx.Files, File{Path: idx.Entry, Data: entry, Sum: sum})
	slices.SortFunc(idx.Files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	// Two files with the same content are one.
	idx.Files = slices.CompactFunc(idx.Files, func(a, b File) bool { return a.Path == b.Path })
	return idx
}

// file is one compressed file of the index, named by its content.
type file struct {
	name string // its name without the extension
	data []byte
	sum  string
}

func newFile(raw []byte) *file {
	data := compress(raw)
	h := hashOf(data)
	return &file{name: h[:10], data: data, sum: h}
}

// digits are the 64 characters of postings, all safe in a JSON string.
const digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"

// appendPostings writes postings (page number << 6 | flags, by page
// number) as the package documentation says: for each, the distance from
// the previous page's number in digits of five bits, the last without the
// continuation bit (32), then the flags in one digit.
func appendPostings(b []byte, ps []uint32) []byte {
	prev := int64(-1)
	for _, p := range ps {
		id := int64(p >> 6)
		delta := id - prev
		prev = id
		for delta >= 32 {
			b = append(b, digits[32|delta&31])
			delta >>= 5
		}
		b = append(b, digits[delta], digits[p&63])
	}
	return b
}

// fnv32 is FNV-1a of s, which the script computes alike.
func fnv32(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

// pairHash is fnv32(a + " " + b), without making the string.
func pairHash(a, b string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(a); i++ {
		h ^= uint32(a[i])
		h *= 16777619
	}
	h ^= ' '
	h *= 16777619
	for i := 0; i < len(b); i++ {
		h ^= uint32(b[i])
		h *= 16777619
	}
	return h
}

// noWord is the id of a run of letters that is not indexed.
const noWord = ^uint32(0)

// maxWordID bounds the number of distinct words, so that two ids and a
// flag fit in a uint64 while a page is read.
const maxWordID = 1<<29 - 1

// analysed is one page, read: its words and pairs of neighbouring words,
// each once, in no particular order, with their flags.
type analysed struct {
	words  []uint32 // word ids
	wflags []uint8
	pairs  []uint64 // two word ids, the first in the high half
	pflags []uint8
	// Once its postings are gathered, the same in a few bytes each (see
	// encode), and the lists above are dropped.
	enc  []byte
	meta []byte // its entry in a meta file: [url,title,date,
}

// scratch is what a worker reuses from page to page.
type scratch struct {
	memo  memo   // a word as written → its id
	stamp uint32 // of the page being read
	// By word id: the word's index in the page's words, valid when
	// wstamp is stamp.
	wslot  []uint32
	wstamp []uint32
	// The page's pairs, by open addressing: pair id + 1 (0 is empty) and
	// its index in the page's pairs.
	pkeys []uint64
	pslot []uint32
	// The page's lists while it is read; it keeps copies.
	words  []uint32
	wflags []uint8
	pairs  []uint64
	pflags []uint8
}

// analyse reads one page.
func (c *Cache) analyse(d *Doc) *analysed {
	sc, _ := c.scratch.Get().(*scratch)
	if sc == nil {
		sc = &scratch{}
	}
	defer c.scratch.Put(sc)
	sc.stamp++
	if sc.stamp == 0 { // wrapped: forget every page
		clear(sc.wstamp)
		sc.stamp = 1
	}
	size := len(d.HTML)/16 + 64
	a := &analysed{words: sc.words[:0], wflags: sc.wflags[:0], pairs: sc.pairs[:0], pflags: sc.pflags[:0]}
	tableSize := 64
	for tableSize < size*2 {
		tableSize *= 2
	}
	if len(sc.pkeys) < tableSize {
		sc.pkeys, sc.pslot = make([]uint64, tableSize), make([]uint32, tableSize)
	} else {
		clear(sc.pkeys)
	}
	count := func(f *uint8, where int) {
		switch {
		case where == 1:
			*f |= flagTitle
		case where == 2:
			*f |= flagTag
		case *f&tfMask < tfMask:
			*f++
		}
	}
	var prev uint32
	word := func(raw string, where int) {
		id, ok := sc.memo.get(raw)
		if !ok {
			id = c.words.intern(raw)
			sc.memo.put(strings.Clone(raw), id)
		}
		if id == noWord {
			return
		}
		if int(id) >= len(sc.wstamp) {
			n := max(int(id)+1, 2*len(sc.wstamp), 1024)
			sc.wstamp = append(sc.wstamp, make([]uint32, n-len(sc.wstamp))...)
			sc.wslot = append(sc.wslot, make([]uint32, n-len(sc.wslot))...)
		}
		if sc.wstamp[id] != sc.stamp {
			sc.wstamp[id] = sc.stamp
			sc.wslot[id] = uint32(len(a.words))
			a.words = append(a.words, id)
			a.wflags = append(a.wflags, 0)
		}
		count(&a.wflags[sc.wslot[id]], where)
		if prev != noWord {
			p := uint64(prev)<<32 | uint64(id)
			mask := uint64(len(sc.pkeys) - 1)
			h := (p * 0x9E3779B97F4A7C15) >> 40 & mask
			for sc.pkeys[h] != 0 && sc.pkeys[h] != p+1 {
				h = (h + 1) & mask
			}
			if sc.pkeys[h] == 0 {
				sc.pkeys[h] = p + 1
				sc.pslot[h] = uint32(len(a.pairs))
				a.pairs = append(a.pairs, p)
				a.pflags = append(a.pflags, 0)
				if len(a.pairs)*2 > len(sc.pkeys) {
					sc.growPairs(a.pairs)
				}
				// Found again below, at its new place if it moved.
				h = sc.findPair(p)
			}
			count(&a.pflags[sc.pslot[h]], where)
		}
		prev = id
	}
	field := func(text string, where int) {
		prev = noWord
		eachWord(vn.NFC(text), func(raw string) { word(raw, where) })
	}
	field(d.Title, 1)
	field(d.Category, 2)
	for _, t := range d.Tags {
		field(t, 2)
	}
	field(d.Summary, 0)
	prev = noWord
	eachHTMLWord(d.HTML, func(raw string) { word(raw, 0) })
	sc.words, sc.wflags, sc.pairs, sc.pflags = a.words, a.wflags, a.pairs, a.pflags
	a.words = slices.Clone(a.words)
	a.wflags = slices.Clone(a.wflags)
	a.pairs = slices.Clone(a.pairs)
	a.pflags = slices.Clone(a.pflags)

	var b bytes.Buffer
	b.WriteByte('[')
	appendString(&b, d.URL)
	b.WriteByte(',')
	appendString(&b, d.Title)
	b.WriteByte(',')
	appendString(&b, d.Date)
	b.WriteByte(',')
	a.meta = b.Bytes()
	return a
}

// memo maps words as written to their ids, by open addressing: a page
// looks up a thousand words or so, mostly the same few hundred, and a
// general map costs more than the rest of reading them.
type memo struct {
	seed   maphash.Seed
	hashes []uint64 // 0 for an empty slot
	keys   []string
	ids    []uint32
	n      int
}

func (m *memo) get(s string) (uint32, bool) {
	if m.n == 0 {
		return 0, false
	}
	h := maphash.String(m.seed, s) | 1
	mask := uint64(len(m.hashes) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		switch m.hashes[i] {
		case 0:
			return 0, false
		case h:
			if m.keys[i] == s {
				return m.ids[i], true
			}
		}
	}
}

func (m *memo) put(s string, id uint32) {
	if 2*(m.n+1) > len(m.hashes) {
		old := *m
		if old.n == 0 {
			m.seed = maphash.MakeSeed()
		}
		size := max(1024, 2*len(old.hashes))
		m.hashes, m.keys, m.ids, m.n = make([]uint64, size), make([]string, size), make([]uint32, size), 0
		for i, h := range old.hashes {
			if h != 0 {
				m.put(old.keys[i], old.ids[i])
			}
		}
	}
	h := maphash.String(m.seed, s) | 1
	mask := uint64(len(m.hashes) - 1)
	i := h & mask
	for m.hashes[i] != 0 {
		i = (i + 1) & mask
	}
	m.hashes[i], m.keys[i], m.ids[i] = h, s, id
	m.n++
}

func (sc *scratch) findPair(p uint64) uint64 {
	mask := uint64(len(sc.pkeys) - 1)
	h := (p * 0x9E3779B97F4A7C15) >> 40 & mask
	for sc.pkeys[h] != p+1 {
		h = (h + 1) & mask
	}
	return h
}

// growPairs doubles the pairs' table, with pairs (by index) in it.
func (sc *scratch) growPairs(pairs []uint64) {
	sc.pkeys, sc.pslot = make([]uint64, 2*len(sc.pkeys)), make([]uint32, 2*len(sc.pkeys))
	mask := uint64(len(sc.pkeys) - 1)
	for i, p := range pairs {
		h := (p * 0x9E3779B97F4A7C15) >> 40 & mask
		for sc.pkeys[h] != 0 {
			h = (h + 1) & mask
		}
		sc.pkeys[h], sc.pslot[h] = p+1, uint32(i)
	}
}

// compress gzips data with a header that carries no time or name, so that
// the same data gives the same bytes. Writers are reused: each holds
// hundreds of kilobytes of tables.
func compress(data []byte) []byte {
	var b bytes.Buffer
	b.Grow(len(data)/3 + 64)
	w := gzipWriters.Get().(*gzip.Writer)
	w.Reset(&b)
	w.Write(data)
	w.Close()
	gzipWriters.Put(w)
	// Kept across builds: without the buffer's slack.
	return bytes.Clone(b.Bytes())
}

var gzipWriters = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return w
}}

func hashOf(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:16])
}

// appendString writes s as a JSON string. Unlike encoding/json it leaves
// <, > and & alone: the files are data, never HTML.
func appendString(b *bytes.Buffer, s string) {
	b.Write(appendJSON(b.AvailableBuffer(), s))
}

// appendJSON appends s as a JSON string to dst.
func appendJSON(dst []byte, s string) []byte {
	const hexDigits = "0123456789abcdef"
	dst = append(dst, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				dst = append(dst, `\ufffd`...)
			} else {
				dst = append(dst, s[i:i+size]...)
			}
			i += size
			continue
		}
		switch {
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
		case c < 0x20:
			dst = append(dst, `\u00`...)
			dst = append(dst, hexDigits[c>>4], hexDigits[c&15])
		default:
			dst = append(dst, c)
		}
		i++
	}
	return append(dst, '"')
}
