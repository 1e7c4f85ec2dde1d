package search

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
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
	MinShardBytes = 12 << 10
	MaxShardBytes = 48 << 10
	// MaxPrefixShards is the most word shards a prefix is looked up in.
	MaxPrefixShards = 3
	// cutEvery: a key ends a shard (past MinShardBytes) when its hash is 0
	// modulo cutEvery.
	cutEvery = 32
	// PairBucketBytes is about the size of a pair bucket: the pairs are
	// spread over a power of two of buckets by the hash of their key.
	PairBucketBytes = 40 << 10
	// MetaChunk is the number of consecutive pages whose URL, title, date
	// and category share a meta file.
	MetaChunk = 32
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
	c := cache
	if c == nil {
		c = &Cache{}
	}
	c.init()
	an := make([]*analysed, len(docs))
	para.For(ctx, len(docs), func(i int) {
		if a, ok := c.docs[docs[i].Key]; ok && docs[i].Key != "" {
			an[i] = a
			return
		}
		an[i] = c.analyse(&docs[i])
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
	e.WriteString(`{"version":2,"docs":`)
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
	e.WriteString(`],"doc_categories":[`)
	for i, d := range docs {
		if i > 0 {
			e.WriteByte(',')
		}
		e.WriteString(strconv.Itoa(catIndex[d.Category]))
	}
	e.WriteString(`],"words":[`)
	for i, s := range words {
		if i > 0 {
			e.WriteByte(',')
		}
		e.WriteByte('[')
		appendString(&e, s.first)
		e.WriteString(`,"` + s.name + `"]`)
		add(s.name, s.data, s.sum)
	}
	for _, list := range []struct {
		name  string
		files []*file
	}{{"pairs", pairs}, {"meta", metas}} {
		e.WriteString(`],"` + list.name + `":[`)
		for i, f := range list.files {
			if i > 0 {
				e.WriteByte(',')
			}
			e.WriteString(`"` + f.name + `"`)
			add(f.name, f.data, f.sum)
		}
	}
	e.WriteString("]}\n")
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
// each once, sorted, with their flags.
type analysed struct {
	words  []uint32 // word ids
	wflags []uint8
	pairs  []uint64 // two word ids, the first in the high half
	pflags []uint8
	meta   []byte // its entry in a meta file: [url,title,date,
}

// analyse reads one page.
func (c *Cache) analyse(d *Doc) *analysed {
	memo, _ := c.memos.Get().(map[string]uint32)
	if memo == nil {
		memo = make(map[string]uint32, 1024)
	}
	defer c.memos.Put(memo)
	// Every word as it comes: its id and where it is (0 body, 1 title, 2
	// tag), sorted afterwards to count them; the same for each pair.
	size := len(d.HTML)/6 + 64
	wocc := make([]uint64, 0, size)
	pocc := make([]uint64, 0, size)
	field := func(text string, where uint64) {
		prev := noWord
		eachWord(vn.NFC(text), func(raw string) {
			id, ok := memo[raw]
			if !ok {
				id = c.words.intern(raw)
				memo[strings.Clone(raw)] = id
			}
			if id == noWord {
				return
			}
			wocc = append(wocc, uint64(id)<<2|where)
			if prev != noWord {
				pocc = append(pocc, uint64(prev)<<35|uint64(id)<<6|where)
			}
			prev = id
		})
	}
	field(d.Title, 1)
	field(d.Category, 2)
	for _, t := range d.Tags {
		field(t, 2)
	}
	field(d.Summary, 0)
	field(Text(d.HTML), 0)

	a := &analysed{}
	words, wflags := runs(wocc, 2)
	a.words, a.wflags = make([]uint32, len(words)), wflags
	for i, w := range words {
		a.words[i] = uint32(w)
	}
	pairs, pflags := runs(pocc, 6)
	for i, p := range pairs {
		pairs[i] = p>>29<<32 | p&maxWordID
	}
	a.pairs, a.pflags = pairs, pflags
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

// runs sorts occurrences (an item, shifted left by shift, and where it
// is in the low bits) and makes each item's flags: how often the body has
// it, and whether the title or a tag has it.
func runs(occ []uint64, shift uint) ([]uint64, []uint8) {
	slices.Sort(occ)
	n := 0
	for i := range occ {
		if i == 0 || occ[i]>>shift != occ[i-1]>>shift {
			n++
		}
	}
	items, flags := make([]uint64, 0, n), make([]uint8, 0, n)
	for i := 0; i < len(occ); {
		it := occ[i] >> shift
		var f uint8
		for ; i < len(occ) && occ[i]>>shift == it; i++ {
			switch occ[i] & 3 {
			case 0:
				if f&tfMask < tfMask {
					f++
				}
			case 1:
				f |= flagTitle
			default:
				f |= flagTag
			}
		}
		items = append(items, it)
		flags = append(flags, f)
	}
	return items, flags
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
	return b.Bytes()
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
