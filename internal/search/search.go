// Package search builds the site's search index: static files that the
// search page's script (assets/js/search.js) fetches, so that a site on any
// static web server can be searched without a server of its own.
//
// # Matching
//
// Text is split into words: runs of letters, digits and combining marks.
// A word is filed under its key, vn.Fold of it ("Đảng" → "dang"), and
// remembers each form it was written in, in lower case ("đảng", "dang").
// A query matches a page that has every word of the query, compared by
// key, so that case and every diacritic, đ/Đ included, are ignored:
// "dang uy" and "ĐẢNG ỦY" both find "Đảng ủy". Words in quotes
// ("cải cách hành chính") must also stand next to each other in that order;
// the index holds every pair of neighbouring words for that. The last word
// of a query, unless it is quoted or followed by a space, also matches the
// words it begins ("hanh ch" finds "hành chính"), so that results come
// while one types. A category narrows the results to its posts.
//
// # Ranking
//
// Results are ordered by, in turn:
//
//  1. how many of the query's words (or quoted phrases) typed with
//     diacritics the page has exactly as typed, case aside: for "Đảng ủy",
//     a page with "Đảng ủy" comes before a page with "đang ủy" (a word
//     typed without any diacritic matches all its forms alike);
//  2. a score: the sum, over the query's words, of the word's rarity
//     across the site (idf) times its weight in the page, which is much
//     higher when the word is in the title, higher when in a tag or the
//     category, and grows slowly with how often the body has it;
//  3. date, newest first (standalone pages after posts).
//
// The scores are integers, computed alike by Search here and by the
// script, which the browser test checks.
//
// # Files
//
// Every file is JSON compressed with gzip by the build, with the name
// ending ".json.gz", so that its transfer is small whatever the web server's
// compression settings; the script decompresses it (and accepts it
// already decompressed by a server that sent Content-Encoding: gzip). Under
// Dir:
//
//	<hash>.json.gz      the entry file, named by its content, which the
//	                    search page names: the number of pages, the
//	                    categories, the category of each page, and the
//	                    first key and file of every shard
//	<hash>.json.gz      a shard: for a range of keys, each key's forms,
//	                    each with its postings (words and pairs of words
//	                    have separate shards): {"key": {"form": "…"}}
//
// A form's postings are a string of characters from digits, one posting
// after another: the page's number minus the previous posting's (the
// first counts from -1) in base 32, lowest digit first, every digit but
// the last with 32 added; then the flags, one digit: how often the body
// has the word (at most 15), 16 when the title has it, 32 when a tag or
// the category has it.
//
//	d/<id>.json.gz      one page: URL, title, date, category, summary,
//	                    text, for showing a result and its snippet
//
// Pages are numbered standalone pages first, then posts from the oldest,
// so that a new post adds a number and leaves the others' files alone.
// A query fetches the entry file once, one shard per word (at most
// MaxPrefixShards for the last, when it is matched as a prefix), and the
// page files of the results it shows.
//
// Shards are cut where a key's hash says so once they have at least
// MinShardBytes (or before they would pass MaxShardBytes), so that a change
// to a few keys moves few boundaries. A shard is made of chunks of a few
// kilobytes, cut the same way, each compressed on its own (deflate blocks
// ending in a sync flush, which laid end to end make one deflate stream),
// so that a rebuild after one post changed compresses again only the chunks
// that hold the post's words, not the whole index. Chunks are compressed
// for speed (flate.BestSpeed): the shards come out about a tenth larger
// than at the default level. A rebuild writes again only the keys whose
// postings changed.
package search

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"hash/fnv"
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

// Shard sizes, in bytes of JSON before compression (gzip makes them
// about a fifth).
const (
	MinShardBytes   = 12 << 10
	MaxShardBytes   = 48 << 10
	MaxPrefixShards = 3
	// cutEvery: a key ends a shard (past MinShardBytes) when its hash is 0
	// modulo cutEvery.
	cutEvery = 32
	// MaxTextBytes is the most of a page's text that its file keeps for
	// snippets; its words are all indexed.
	MaxTextBytes = 32 << 10
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

// Cache keeps what one build made, for the next: the analysis of each
// page and the compressed shards. The zero Cache is ready; it is not safe
// for concurrent builds.
type Cache struct {
	docs   map[string]*analysed // by Doc.Key
	shards map[[32]byte][]byte  // compressed chunks by their JSON's hash

	// The postings of the last build, which the next one updates.
	keys  []string    // of the docs, by number
	an    []*analysed // of the docs, by number
	words *postingSet
	pairs *postingSet
	// Words' postings by word, and pairs' by their two words'.
	wordFP map[word]*formPostings
	pairFP map[[2]*formPostings]*formPostings
}

// analysed is one page, read.
type analysed struct {
	words  []word   // each (key, form) once, in no particular order
	wflags []uint8  // of each word
	pairs  []uint64 // two indexes into words, the first in the high half
	pflags []uint8  // of each pair
	file   []byte   // its page file, compressed
	sum    string   // its hash
}

// Build makes the index of docs, numbered in the order given, with
// categories for the filter. cache may be nil.
func Build(ctx context.Context, docs []Doc, categories []Category, cache *Cache) *Index {
	if cache == nil {
		cache = &Cache{}
	}
	an := make([]*analysed, len(docs))
	para.For(ctx, len(docs), func(i int) {
		if a, ok := cache.docs[docs[i].Key]; ok && docs[i].Key != "" {
			an[i] = a
			return
		}
		an[i] = analyse(&docs[i])
	})
	if ctx.Err() != nil {
		return nil
	}
	cache.docs = make(map[string]*analysed, len(docs))
	for i, d := range docs {
		if d.Key != "" {
			cache.docs[d.Key] = an[i]
		}
	}

	idx := &Index{}
	for i, a := range an {
		idx.Files = append(idx.Files, File{Path: Dir + "/d/" + strconv.Itoa(i) + ".json.gz", Data: a.file, Sum: a.sum})
	}
	keys := make([]string, len(docs))
	for i, d := range docs {
		keys[i] = d.Key
	}
	cache.gather(keys, an)
	shards := map[[32]byte][]byte{}
	var mu sync.Mutex
	words := cache.words.shardFiles(ctx, cache.shards, shards, &mu)
	pairs := cache.pairs.shardFiles(ctx, cache.shards, shards, &mu)
	if ctx.Err() != nil {
		cache.keys, cache.an = nil, nil // the sets are half updated
		return nil
	}
	cache.shards = shards

	var e bytes.Buffer
	e.WriteString(`{"version":1,"docs":`)
	e.WriteString(strconv.Itoa(len(docs)))
	e.WriteString(`,"categories":[`)
	catIndex := map[string]int{}
	for i, c := range categories {
		if i > 0 {
			e.WriteByte(',')
		}
		e.WriteByte('[')
		appendString(&e, c.Name)
		e.WriteByte(',')
		appendString(&e, c.Slug)
		e.WriteByte(']')
		catIndex[c.Name] = i + 1
	}
	e.WriteString(`],"doc_categories":[`)
	for i, d := range docs {
		if i > 0 {
			e.WriteByte(',')
		}
		e.WriteString(strconv.Itoa(catIndex[d.Category]))
	}
	for _, list := range []struct {
		name   string
		shards []shardFile
	}{{"words", words}, {"pairs", pairs}} {
		e.WriteString(`],"` + list.name + `":[`)
		for i, s := range list.shards {
			if i > 0 {
				e.WriteByte(',')
			}
			e.WriteByte('[')
			appendString(&e, s.first)
			e.WriteString(`,"` + s.name + `"]`)
			idx.Files = append(idx.Files, File{Path: Dir + "/" + s.name + ".json.gz", Data: s.data, Sum: s.sum})
		}
	}
	e.WriteString("]}\n")
	entry := compress(e.Bytes())
	sum := hashOf(entry)
	idx.Entry = Dir + "/" + sum[:10] + ".json.gz"
	idx.Files = append(idx.Files, File{Path: idx.Entry, Data: entry, Sum: sum})
	slices.SortFunc(idx.Files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	// Two shards with the same content (possible only if empty) would be
	// one file.
	idx.Files = slices.CompactFunc(idx.Files, func(a, b File) bool { return a.Path == b.Path })
	return idx
}

type shardFile struct {
	first, last string // its first and last key
	name        string // its file's name without the extension
	data        []byte
	sum         string
	raw         [32]byte // the hash of its JSON
}

// digits are the 64 characters of postings, all safe in a JSON string.
const digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"

// appendPosting writes one posting: the distance from the previous page's
// number in digits of five bits, the last without the continuation bit
// (32), then the flags in one digit.
func appendPosting(b *bytes.Buffer, delta int, flags uint8) {
	for delta >= 32 {
		b.WriteByte(digits[32|delta&31])
		delta >>= 5
	}
	b.WriteByte(digits[delta])
	b.WriteByte(digits[flags&63])
}

func cutHash(key string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(key))
	return h.Sum32()
}

// analyse reads one page: its words and pairs with their flags, and its
// file.
func analyse(d *Doc) *analysed {
	// Words are numbered as they come, so that counting them and their
	// pairs costs no string building; the pairs' strings are made once
	// each at the end.
	type entry struct {
		w     word
		flags uint8
	}
	size := len(d.HTML)/16 + 16
	ws := make([]entry, 0, size/2)
	ids := make(map[word]int32, size/2)
	memo := make(map[string]int32, size/2) // as written → number
	pairs := make(map[[2]int32]uint8, size)
	count := func(f *uint8, flag uint8) {
		if flag != 0 {
			*f |= flag
		} else if *f&tfMask < tfMask {
			*f++
		}
	}
	field := func(text string, flag uint8) {
		prev := int32(-1)
		eachWord(vn.NFC(text), func(raw string) {
			id, ok := memo[raw]
			if !ok {
				w := word{key: vn.Fold(raw), form: strings.ToLower(raw)}
				if w.key == "" || len(w.key) > MaxWordBytes {
					id = -1
				} else if id, ok = ids[w]; !ok {
					id = int32(len(ws))
					ids[w] = id
					ws = append(ws, entry{w: w})
				}
				memo[raw] = id
			}
			if id < 0 {
				return
			}
			count(&ws[id].flags, flag)
			if prev >= 0 {
				k := [2]int32{prev, id}
				f := pairs[k]
				count(&f, flag)
				pairs[k] = f
			}
			prev = id
		})
	}
	field(d.Title, flagTitle)
	field(d.Category, flagTag)
	for _, t := range d.Tags {
		field(t, flagTag)
	}
	text := Text(d.HTML)
	field(d.Summary, 0)
	field(text, 0)
	a := &analysed{words: make([]word, len(ws)), wflags: make([]uint8, len(ws)), pairs: make([]uint64, 0, len(pairs)), pflags: make([]uint8, 0, len(pairs))}
	for i, e := range ws {
		a.words[i], a.wflags[i] = e.w, e.flags
	}
	for k, f := range pairs {
		a.pairs = append(a.pairs, uint64(k[0])<<32|uint64(k[1]))
		a.pflags = append(a.pflags, f)
	}

	var b bytes.Buffer
	b.WriteString(`{"url":`)
	appendString(&b, d.URL)
	b.WriteString(`,"title":`)
	appendString(&b, d.Title)
	b.WriteString(`,"date":`)
	appendString(&b, d.Date)
	b.WriteString(`,"category":`)
	appendString(&b, d.Category)
	b.WriteString(`,"summary":`)
	appendString(&b, d.Summary)
	b.WriteString(`,"text":`)
	appendString(&b, cut(text, MaxTextBytes))
	b.WriteString("}\n")
	a.file = compress(b.Bytes())
	a.sum = hashOf(a.file)
	return a
}

// cut returns s cut to at most n bytes, at a space when there is one near.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	if i := strings.LastIndexByte(s[:n], ' '); i > n-200 {
		n = i
	}
	return s[:n]
}

// compress gzips data with a header that carries no time or name, so that
// the same data gives the same bytes. Writers are reused: each holds
// hundreds of kilobytes of tables, and a build compresses thousands of
// small files.
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
	const hexDigits = "0123456789abcdef"
	b.WriteByte('"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				b.WriteString(`\ufffd`)
			} else {
				b.WriteString(s[i : i+size])
			}
			i += size
			continue
		}
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20:
			b.WriteString(`\u00`)
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		default:
			b.WriteByte(c)
		}
		i++
	}
	b.WriteByte('"')
}
