package search

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math/bits"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"

	"github.com/klauspost/compress/gzip"

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

	mu      sync.Mutex
	pending []readPage // read, not analysed yet
}

// readPage is a page given to Read.
type readPage struct {
	id   int
	html []byte
}

// readBatch is how many pages Read gathers before it analyses them, one
// after the other, on the goroutine that gives the last: a page's words
// and pairs meet the tables of its worker (the memos, the lists) in the
// cache that the pages before it warmed, and not after a page's rendering
// has taken the cache for itself (about 450 KB of HTML kept a batch).
const readBatch = 128

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

// Read reads docs[i] with html as its HTML, which it keeps until the page
// is analysed: then, or later with the pages read after it.
func (b *Builder) Read(i int, html []byte) {
	d := &b.docs[i]
	if a, ok := b.c.docs[d.Key]; ok && d.Key != "" {
		b.an[i] = a
		return
	}
	b.mu.Lock()
	if b.pending == nil {
		b.pending = make([]readPage, 0, readBatch)
	}
	b.pending = append(b.pending, readPage{i, html})
	if len(b.pending) < readBatch {
		b.mu.Unlock()
		return
	}
	batch := b.pending
	b.pending = nil
	b.mu.Unlock()
	b.analyse(batch)
}

// analyseRest analyses the pages read and not analysed yet, fewer than a
// batch, on all cores.
func (b *Builder) analyseRest(ctx context.Context) {
	rest := b.pending
	b.pending = nil
	n := (len(rest) + runtime.GOMAXPROCS(0) - 1) / max(1, runtime.GOMAXPROCS(0))
	para.For(ctx, (len(rest)+n-1)/max(1, n), func(i int) {
		b.analyse(rest[i*n : min(len(rest), (i+1)*n)])
	})
}

// analyse analyses the pages of a batch, on one worker's scratch, in the
// order they are read in (see lists): from the last page to the first
// when they came so.
func (b *Builder) analyse(batch []readPage) {
	if len(batch) == 0 {
		return
	}
	if batch[0].id > batch[len(batch)-1].id {
		slices.SortFunc(batch, func(x, y readPage) int { return y.id - x.id })
	} else {
		slices.SortFunc(batch, func(x, y readPage) int { return x.id - y.id })
	}
	sc := b.c.getScratch()
	defer b.c.putScratch(sc)
	for _, p := range batch {
		one := b.docs[p.id]
		one.HTML = p.html
		b.an[p.id] = b.c.analyse(sc, p.id, &one)
	}
}

// Build reads the docs not read yet, with their Doc.HTML, and makes the
// index, with categories for the filter.
func (b *Builder) Build(ctx context.Context, categories []Category) *Index {
	c, docs, an := b.c, b.docs, b.an
	// The pages read and not analysed yet, then those not read.
	b.analyseRest(ctx)
	para.For(ctx, len(docs), func(i int) {
		if an[i] == nil {
			b.Read(i, docs[i].HTML)
		}
	})
	b.analyseRest(ctx)
	if ctx.Err() != nil {
		return nil
	}
	c.words.sync()
	c.syncPairs()
	if c.once {
		c.an = an
		c.gatherOnce(ctx)
	} else {
		c.docs = make(map[string]*analysed, len(docs))
		for i, d := range docs {
			if d.Key != "" {
				c.docs[d.Key] = an[i]
			}
		}
		c.update(ctx, an)
	}
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
		f := c.docCategories(docs, catIndex)
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
	entry := compress(e.Bytes(), levelEntry)
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

func newFile(raw []byte, level int) *file {
	data := compress(raw, level)
	h := hashOf(data)
	return &file{name: h[:10], data: data, sum: h}
}

// digits are the 64 characters of postings, all safe in a JSON string.
const digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"

// appendPostings writes postings (page number << 6 | flags, by page
// number), merged from one list or more, as the package documentation
// says: for each, the distance from the previous page's number in digits
// of five bits, the last without the continuation bit (32), then the
// flags in one digit.
func appendPostings(b []byte, lists ...[]uint32) []byte {
	prev := int64(-1)
	if len(lists) == 1 {
		// The common case, without a call a posting.
		for _, p := range lists[0] {
			b, prev = appendPosting(b, prev, p)
		}
		return b
	}
	put := func(p uint32) { b, prev = appendPosting(b, prev, p) }
	mergePostings(lists, put)
	return b
}

// appendPosting writes the posting p after one of page number prev, and
// returns p's page number.
func appendPosting(b []byte, prev int64, p uint32) ([]byte, int64) {
	id := int64(p >> 6)
	delta := id - prev
	for delta >= 32 {
		b = append(b, digits[32|delta&31])
		delta >>= 5
	}
	return append(b, digits[delta], digits[p&63]), id
}

// mergePostings calls put with the postings of sorted lists, in order: the
// lists of a single build's workers, with no page in two of them.
func mergePostings(lists [][]uint32, put func(uint32)) {
	switch len(lists) {
	case 0:
	case 1:
		for _, p := range lists[0] {
			put(p)
		}
	case 2:
		x, y := lists[0], lists[1]
		for len(x) > 0 && len(y) > 0 {
			if x[0] < y[0] {
				put(x[0])
				x = x[1:]
			} else {
				put(y[0])
				y = y[1:]
			}
		}
		for _, p := range x {
			put(p)
		}
		for _, p := range y {
			put(p)
		}
	default:
		heads := slices.Clone(lists)
		for {
			m := -1
			for i, h := range heads {
				if len(h) > 0 && (m < 0 || h[0] < heads[m][0]) {
					m = i
				}
			}
			if m < 0 {
				break
			}
			put(heads[m][0])
			heads[m] = heads[m][1:]
		}
	}
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

// maxWordID bounds the number of distinct words, so that two ids fit in
// a uint64 with room to spare.
const maxWordID = 1<<29 - 1

// analysed is one page, read. With a Cache that keeps it for a next
// build, its words and pairs of neighbouring words, each once, with their
// flags, in a few bytes each (see encode); without one, its postings are
// in its reader's lists (see scratch) and it keeps only its meta entry.
type analysed struct {
	enc  []byte
	meta []byte // its entry in a meta file: [url,title,date,
}

// scratch is what a worker reuses from page to page.
type scratch struct {
	memo  memo     // a word as written → its id
	pairs pairMemo // a pair of word ids → its ref, and its index in the page's lists
	page  pageSet  // a pair of word ids → its index in the page's lists
	stamp uint32   // of the page being read
	// By word id: its index in the page's lists, valid when its stamp is
	// the page's, and the pair of it and the last word after it.
	wslots []slot
	// The words of the field being read, as written, or of a chunk of
	// the HTML.
	toks []string
	// The page's lists while it is read: word ids, pair refs, and their
	// flags.
	words  []uint32
	wflags []uint8
	refs   []uint32
	pflags []uint8
	// Without a Cache that keeps the pages (Cache.once), the postings of
	// the pages this worker read.
	lists lists
}

// slot is where a word is in the page's lists, when stamp is the page's;
// and the last word met after it: its id + 1 (0 for none), the pair's
// ref, and where the pair is in the page's lists, when pstamp is the
// page's.
type slot struct {
	stamp, index   uint32
	next, ref      uint32
	pstamp, pindex uint32
}

// getScratch returns a scratch that no other worker uses. Scratches stay
// with the Cache: their memos serve the next build, and the postings in
// them make this one.
func (c *Cache) getScratch() *scratch {
	c.smu.Lock()
	defer c.smu.Unlock()
	if n := len(c.free); n > 0 {
		sc := c.free[n-1]
		c.free = c.free[:n-1]
		return sc
	}
	sc := &scratch{}
	c.scratches = append(c.scratches, sc)
	return sc
}

func (c *Cache) putScratch(sc *scratch) {
	c.smu.Lock()
	c.free = append(c.free, sc)
	c.smu.Unlock()
}

// analyse reads one page, doc number id, on a worker's scratch.
func (c *Cache) analyse(sc *scratch, id int, d *Doc) *analysed {
	sc.stamp++
	if sc.stamp == 0 { // wrapped: forget every page
		clear(sc.wslots)
		clear(sc.page.entries)
		sc.pairs.clearStamps()
		sc.stamp = 1
	}
	sc.words, sc.wflags, sc.refs, sc.pflags = sc.words[:0], sc.wflags[:0], sc.refs[:0], sc.pflags[:0]
	sc.page.n = 0
	toks := appendRuns(sc.toks[:0], vn.NFC(d.Title))
	c.readWords(sc, toks, flagTitle, noWord)
	toks = appendRuns(toks[:0], vn.NFC(d.Category))
	c.readWords(sc, toks, flagTag, noWord)
	for _, t := range d.Tags {
		toks = appendRuns(toks[:0], vn.NFC(t))
		c.readWords(sc, toks, flagTag, noWord)
	}
	toks = appendRuns(toks[:0], vn.NFC(d.Summary))
	c.readWords(sc, toks, 0, noWord)
	if cap(toks) < htmlChunk {
		toks = make([]string, 0, htmlChunk)
	}
	prev := noWord
	readHTMLWords(d.HTML, toks[:0:htmlChunk], func(ws []string) { prev = c.readWords(sc, ws, 0, prev) })
	clear(toks[:cap(toks)]) // views of the page
	sc.toks = toks[:0]

	a := &analysed{}
	if c.once {
		sc.lists.add(id, sc.words, sc.wflags, sc.refs, sc.pflags)
	} else {
		a.enc = encode(sc.words, sc.wflags, sc.refs, sc.pflags)
	}

	meta := make([]byte, 0, len(d.URL)+len(d.Title)+len(d.Date)+16)
	meta = append(meta, '[')
	meta = appendJSON(meta, d.URL)
	meta = append(meta, ',')
	meta = appendJSON(meta, d.Title)
	meta = append(meta, ',')
	meta = appendJSON(meta, d.Date)
	a.meta = append(meta, ',')
	return a
}

// htmlChunk is how many words of a page's HTML are read at a time: they
// and the HTML they are in stay in the cache until they are filed.
const htmlChunk = 64

// readWords files the words toks of a field of the page being read,
// where they are (see count), and the pairs of neighbouring words, prev
// the word before the first (noWord for none). It returns the last.
func (c *Cache) readWords(sc *scratch, toks []string, where uint8, prev uint32) uint32 {
	stamp := sc.stamp
	for _, raw := range toks {
		id, ok := sc.memo.get(raw)
		if !ok {
			id = c.words.intern(raw)
			sc.memo.put(raw, id)
		}
		if id == noWord {
			continue
		}
		if int(id) >= len(sc.wslots) {
			sc.wslots = append(sc.wslots, make([]slot, max(int(id)+1, 2*len(sc.wslots), 1024)-len(sc.wslots))...)
		}
		ws := &sc.wslots[id]
		if ws.stamp != stamp {
			ws.stamp, ws.index = stamp, uint32(len(sc.words))
			sc.words = append(sc.words, id)
			sc.wflags = append(sc.wflags, 0)
		}
		count(&sc.wflags[ws.index], where)
		if prev != noWord {
			// The word before remembers the last word after it: a pair
			// met again, as most are, is found there.
			ps := &sc.wslots[prev]
			j := ps.pindex
			if ps.next != id+1 || ps.pstamp != stamp {
				j = c.pageIndex(sc, ps, prev, id)
				ps.next, ps.ref, ps.pstamp, ps.pindex = id+1, sc.refs[j], stamp, j
			}
			count(&sc.pflags[j], where)
		}
		prev = id
	}
	return prev
}

// count counts a word or a pair where it is: in the title (flagTitle), a
// tag or the category (flagTag), or the body (0).
func count(f *uint8, where uint8) {
	switch {
	case where != 0:
		*f |= where
	case *f&tfMask < tfMask:
		*f++
	}
}

// pageIndex returns the index of the pair of words a, b in the page's
// lists, adding it when the page has not had it; ps is a's slot. A pair
// of words numbered below pairMemoWords, as most are, is found in the
// worker's pair memo, with its ref and its place in the page, in one
// look-up; another in the page's set, and its ref in the parts.
func (c *Cache) pageIndex(sc *scratch, ps *slot, a, b uint32) uint32 {
	if a < pairMemoWords && b < pairMemoWords {
		e, known := sc.pairs.find(a<<16|b, sc.stamp)
		if !known {
			e.ref = c.ref(uint64(a)<<32 | uint64(b))
		}
		if e.stamp != sc.stamp {
			e.stamp, e.index = sc.stamp, uint32(len(sc.refs))
			sc.pairs.pageN++
			sc.refs = append(sc.refs, e.ref)
			sc.pflags = append(sc.pflags, 0)
		}
		return e.index
	}
	e, found := sc.page.find(uint64(a)<<32|uint64(b), sc.stamp)
	if !found {
		e.index = uint32(len(sc.refs))
		r := ps.ref
		if ps.next != b+1 {
			r = c.ref(uint64(a)<<32 | uint64(b))
		}
		sc.refs = append(sc.refs, r)
		sc.pflags = append(sc.pflags, 0)
	}
	return e.index
}

// pairMemo maps pairs of word ids to their refs, for one worker, by open
// addressing, and those of the page being read to their index in its
// lists, in sixteen bytes a pair, so that the pairs of a site of modest
// vocabulary fit in a core's cache: a page has hundreds of pairs, mostly
// met before, and the parts' maps are shared. Only the pairs of words
// numbered below pairMemoWords are kept (the first met, the common ones),
// so that a pair is one number. When full, it forgets all but the pairs
// of the page being read, so that it stays small on a site with millions
// of pairs.
type pairMemo struct {
	entries []pairEntry // a power of two of them
	n       int
	shift   uint8  // 64 - log2(len(entries))
	stamp   uint32 // the page being read
	pageN   int    // the entries with its stamp
}

// pairEntry is one pair: key is the pair + 1 (0 for an empty entry), and
// index its place in the lists of page stamp.
type pairEntry struct {
	key, ref     uint32
	stamp, index uint32
}

// pairMemoWords bounds the ids of the words in a pairMemo's pairs: a pair
// is a << 16 | b, and below 1<<32 - 1.
const pairMemoWords = 1<<16 - 1

// pairMemoMax is the most pairs a pairMemo keeps but those of one page:
// 8 MB of entries.
const pairMemoMax = 1 << 18

// find returns pair k's entry, and whether it was there, on page stamp
// or before; a new entry has stamp 0, and its ref is for the caller to
// set. The caller that stamps an entry with the page counts it in pageN.
func (m *pairMemo) find(k, stamp uint32) (*pairEntry, bool) {
	if stamp != m.stamp {
		m.stamp, m.pageN = stamp, 0
	}
	want := k + 1
	if m.n > 0 {
		mask := uint64(len(m.entries) - 1)
		for i := uint64(k) * 0x9E3779B97F4A7C15 >> m.shift; ; i = (i + 1) & mask {
			e := &m.entries[i]
			if e.key == want {
				return e, true
			}
			if e.key == 0 {
				break
			}
		}
	}
	switch {
	case m.n >= pairMemoMax && m.n >= 2*m.pageN:
		// Full, and mostly of other pages: forget them, and the room
		// that a page with more pairs than the memo keeps took.
		size := len(m.entries)
		for size > 2*pairMemoMax && 4*(m.pageN+1) <= size {
			size /= 2
		}
		m.rehash(size, true)
	case 2*(m.n+1) > len(m.entries):
		m.rehash(max(1024, 2*len(m.entries)), false)
	}
	e := m.insert(want)
	return e, false
}

// insert makes an entry for key, not in m.
func (m *pairMemo) insert(key uint32) *pairEntry {
	mask := uint64(len(m.entries) - 1)
	i := uint64(key-1) * 0x9E3779B97F4A7C15 >> m.shift
	for m.entries[i].key != 0 {
		i = (i + 1) & mask
	}
	e := &m.entries[i]
	*e = pairEntry{key: key}
	m.n++
	return e
}

// rehash moves the entries to a table of size entries; only those of the
// page being read when pageOnly.
func (m *pairMemo) rehash(size int, pageOnly bool) {
	old := m.entries
	m.entries, m.n, m.shift = make([]pairEntry, size), 0, uint8(64-bits.Len(uint(size-1)))
	for _, e := range old {
		if e.key != 0 && (!pageOnly || e.stamp == m.stamp && m.stamp != 0) {
			*m.insert(e.key) = e
		}
	}
}

// clearStamps forgets which pairs the pages read had, as the stamps
// begin again.
func (m *pairMemo) clearStamps() {
	for i := range m.entries {
		m.entries[i].stamp = 0
	}
	m.stamp, m.pageN = 0, 0
}

// pageSet maps the pairs of the page being read (of any word ids) to
// their index in the page's lists, by open addressing: it stays small
// and in the cache. An entry of another page, by its stamp, is free.
type pageSet struct {
	entries []pageEntry
	n       int   // the page's pairs
	shift   uint8 // 64 - log2(len(entries))
}

type pageEntry struct {
	pair         uint64
	stamp, index uint32
}

// find returns pair p's entry for the page stamp, and whether it was
// there; a new entry's index is for the caller to set.
func (s *pageSet) find(p uint64, stamp uint32) (*pageEntry, bool) {
	if 2*(s.n+1) > len(s.entries) {
		old := s.entries
		size := max(1024, 2*len(old))
		s.entries, s.n, s.shift = make([]pageEntry, size), 0, uint8(64-bits.Len(uint(size-1)))
		for _, e := range old {
			if e.stamp == stamp {
				ne, _ := s.find(e.pair, stamp)
				*ne = e
			}
		}
	}
	mask := uint64(len(s.entries) - 1)
	for i := (p + 1) * 0x9E3779B97F4A7C15 >> s.shift; ; i = (i + 1) & mask {
		e := &s.entries[i]
		if e.stamp != stamp {
			*e = pageEntry{pair: p, stamp: stamp}
			s.n++
			return e, false
		}
		if e.pair == p {
			return e, true
		}
	}
}

// memo maps words as written to their ids, by open addressing: a page
// looks up a thousand words or so, mostly the same few hundred, and a
// general map costs more than the rest of reading them. A word of at most
// 16 bytes is kept in its slot, as its bytes (see wordBits), so that
// finding it reads one slot and nothing else; longer words are in a map.
type memo struct {
	slots []memoSlot // a power of two of them
	n     int
	long  map[string]uint32
}

type memoSlot struct {
	x, y uint64 // the word's wordBits
	n    uint32 // its length; 0 for an empty slot
	id   uint32
}

// wordBits are the bytes of a word of at most 16 bytes in two numbers:
// with its length they tell the word.
func wordBits(s string) (x, y uint64) {
	n := len(s)
	b := unsafe.Slice(unsafe.StringData(s), n)
	switch {
	case n > 8:
		return binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint64(b[n-8:])
	case n >= 4:
		return uint64(binary.LittleEndian.Uint32(b)), uint64(binary.LittleEndian.Uint32(b[n-4:]))
	case n > 0:
		return uint64(b[0])<<16 | uint64(b[n>>1])<<8 | uint64(b[n-1]), 0
	}
	return 0, 0
}

func (m *memo) slot(x, y uint64, n uint32) uint64 {
	return mix(x^0xa0761d6478bd642f, y^0xe7037ed1a0b428db^uint64(n))
}

// get returns the id of s.
func (m *memo) get(s string) (uint32, bool) {
	if len(s) > 16 {
		id, ok := m.long[s]
		return id, ok
	}
	if m.n == 0 || len(s) == 0 {
		return 0, false
	}
	x, y := wordBits(s)
	n := uint32(len(s))
	mask := uint64(len(m.slots) - 1)
	for i := m.slot(x, y, n) & mask; ; i = (i + 1) & mask {
		e := &m.slots[i]
		if e.n == n && e.x == x && e.y == y {
			return e.id, true
		}
		if e.n == 0 {
			return 0, false
		}
	}
}

// put files s, a word not filed yet.
func (m *memo) put(s string, id uint32) {
	if len(s) > 16 {
		if m.long == nil {
			m.long = map[string]uint32{}
		}
		m.long[strings.Clone(s)] = id
		return
	}
	if len(s) == 0 {
		return
	}
	x, y := wordBits(s)
	m.putBits(x, y, uint32(len(s)), id)
}

func (m *memo) putBits(x, y uint64, n, id uint32) {
	if 2*(m.n+1) > len(m.slots) {
		old := m.slots
		m.slots, m.n = make([]memoSlot, max(1024, 2*len(old))), 0
		for _, e := range old {
			if e.n != 0 {
				m.putBits(e.x, e.y, e.n, e.id)
			}
		}
	}
	mask := uint64(len(m.slots) - 1)
	i := m.slot(x, y, n) & mask
	for m.slots[i].n != 0 {
		i = (i + 1) & mask
	}
	m.slots[i] = memoSlot{x: x, y: y, n: n, id: id}
	m.n++
}

// mix multiplies a and b and folds the 128 bits of the product.
func mix(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}

// Levels of compression (github.com/klauspost/compress/gzip, which
// compresses these files in less than half the time of the standard
// library, a little smaller). Measured on the 10k bench corpus: the word
// shards and pair buckets (15 MB of JSON) are fastest at level 2, the small
// meta files at level 4; every query fetches the entry first, one file,
// worth the best compression.
const (
	levelPostings = 2
	levelMeta     = 4
	levelEntry    = gzip.BestCompression
)

// compress gzips data at level, with a header that carries no time or
// name, so that the same data gives the same bytes.
func compress(data []byte, level int) []byte {
	b := compressBufs.Get().(*bytes.Buffer)
	b.Reset()
	b.Grow(len(data)/3 + 64)
	// Writers are reused: each holds hundreds of kilobytes of tables.
	pool := &gzipWriters[level]
	w, _ := pool.Get().(*gzip.Writer)
	if w == nil {
		w, _ = gzip.NewWriterLevel(b, level)
	} else {
		w.Reset(b)
	}
	w.Write(data)
	w.Close()
	pool.Put(w)
	// Kept across builds: without the buffer's slack.
	out := bytes.Clone(b.Bytes())
	compressBufs.Put(b)
	return out
}

var (
	gzipWriters [gzip.BestCompression + 1]sync.Pool
	// compressBufs are the buffers that compress writes in.
	compressBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}
)

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
	// Valid UTF-8 is copied as it is, but for the characters JSON
	// escapes; in a string that is not, each bad byte is U+FFFD.
	valid := utf8.ValidString(s)
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			if valid {
				i++
				continue
			}
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				dst = append(dst, s[start:i]...)
				dst = append(dst, `\ufffd`...)
				start = i + 1
			}
			i += size
			continue
		}
		if c >= 0x20 && c != '"' && c != '\\' {
			i++
			continue
		}
		dst = append(dst, s[start:i]...)
		if c < 0x20 {
			dst = append(dst, `\u00`...)
			dst = append(dst, hexDigits[c>>4], hexDigits[c&15])
		} else {
			dst = append(dst, '\\', c)
		}
		i++
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
