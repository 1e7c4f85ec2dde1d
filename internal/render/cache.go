package render

import (
	"encoding/binary"
	"hash/maphash"
	"slices"
	"strconv"
	"strings"

	"github.com/congxa/congxa/internal/markdown"
	"github.com/congxa/congxa/internal/search"
	"github.com/congxa/congxa/internal/site"
)

// Cache keeps what one build rendered, so that the next build of the same
// site renders again only what changed: watching a site rebuilds it on
// every save.
//
// Each page's output is stored with a key naming everything it shows: the
// generation (settings, snapshots, layouts, assets: a change there renders
// every page again), and the Rev of every Markdown file whose content
// appears on it, with the URLs its links resolved to. A page whose key is
// unchanged would render to the same bytes, so it is not rendered.
//
// What a build makes of each source page (its converted Markdown, its
// summary and its search document) is kept too, so that a build after a
// one-post edit does again only the work that post and the lists showing
// it need; the rest of a rebuild is comparing small keys.
// A zero Cache is ready to use; it is not safe for concurrent builds.
type Cache struct {
	gen      string                // of the outputs
	themeGen string                // of the summaries and search documents
	builds   uint64                // counts builds, to find the pages that went
	pages    map[string]*pageEntry // by source path
	outputs  map[string]outputEntry
	feeds    map[string]madeEntry // by output path
	sitemap  struct {
		key  uint64
		outs []Output
	}
	order  outputOrder
	search search.Cache
}

// pageEntry is what builds made of one source page. Each part says what it
// was made from, and is made again when that changed.
type pageEntry struct {
	seen uint64 // the last build that had the page
	// The converted Markdown, when md: made from the file's Rev, with
	// its links resolved as sig says.
	md  bool
	rev uint64
	sig string
	res markdown.Result
	// The summary, when sum is not nil: made for sumKey (summaryKey),
	// which also names the search document when hasDoc.
	sumKey uint64
	sum    *Summary // read-only once made
	hasDoc bool
	doc    search.Doc
}

type outputEntry struct {
	key      uint64 // the job's key (the theme's generation is the Cache's)
	data     []byte
	off, n   int    // where the sidebar is in data; off -1 when it is not
	usesData bool   // the page showed the snapshots other than in the sidebar
	dataGen  string // the snapshots' generation when data was made
	outKey   string // Output.Key of data
}

// madeEntry is an output made whole from a few inputs, which key hashes.
type madeEntry struct {
	key uint64
	out Output
}

// reset empties what depends on a generation that changed. Converted
// Markdown depends on no generation: its entries carry what they depend
// on (the file's Rev, where its links resolve).
func (c *Cache) reset(s *site.Site) {
	c.builds++
	if c.pages == nil {
		c.pages = map[string]*pageEntry{}
	}
	if c.themeGen != s.ThemeGen {
		c.themeGen = s.ThemeGen
		for _, e := range c.pages {
			e.sum, e.hasDoc, e.doc = nil, false, search.Doc{}
		}
	}
	if c.gen != s.ThemeGen || c.outputs == nil {
		c.gen = s.ThemeGen
		c.outputs = map[string]outputEntry{}
	}
	if c.feeds == nil {
		c.feeds = map[string]madeEntry{}
	}
}

// entries returns the entry of each page, making those of new pages, and
// marks them seen in this build.
func (c *Cache) entries(pages []*site.Page) []*pageEntry {
	ents := make([]*pageEntry, len(pages))
	for i, p := range pages {
		e := c.pages[p.Path]
		if e == nil {
			e = &pageEntry{}
			c.pages[p.Path] = e
		}
		e.seen = c.builds
		ents[i] = e
	}
	if len(c.pages) > len(pages) {
		// Pages went: forget them.
		for path, e := range c.pages {
			if e.seen != c.builds {
				delete(c.pages, path)
			}
		}
	}
	return ents
}

// linkSig says where each relative link of a document resolves to now.
func (r *renderer) linkSig(p *site.Page, links []markdown.Link) string {
	if len(links) == 0 {
		return ""
	}
	var b strings.Builder
	for _, l := range links {
		u, ok := r.site.Resolve(p.Page, l.Dest)
		b.WriteString(l.Dest)
		b.WriteByte('\x00')
		if ok {
			b.WriteString(u)
		} else {
			b.WriteByte('!')
		}
		b.WriteByte('\x00')
	}
	return b.String()
}

// keyHash makes the keys of the Cache: 64-bit hashes of what a page or a
// list shows, cheap to make and to compare for every page at every build.
type keyHash struct{ h maphash.Hash }

// init starts a key of a kind of thing.
func (k *keyHash) init(kind string) {
	k.h.SetSeed(seed)
	k.str(kind)
}

// str adds s with its length, so that no two lists of strings hash alike
// by their joins.
func (k *keyHash) str(s string) {
	k.num(uint64(len(s)))
	k.h.WriteString(s)
}

func (k *keyHash) num(n uint64) {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], n)
	k.h.Write(b[:])
}

func (k *keyHash) sum() uint64 { return k.h.Sum64() }

// summaryKey names what a post's list entry and its page show of it, as a
// 64-bit hash: list pages put ten of them in their own keys.
func (r *renderer) summaryKey(p *site.Page, sig string) uint64 {
	var k keyHash
	k.init("summary")
	k.num(p.Rev)
	k.str(sig)
	k.str(p.URL)
	k.str(p.ImageURL)
	if p.Cat != nil {
		k.num(1)
		k.str(p.Cat.Name)
	} else {
		k.num(0)
	}
	if p.Sec != nil {
		k.num(1)
		k.str(p.Sec.Title)
	} else {
		k.num(0)
	}
	k.num(uint64(len(p.Tags)))
	for _, t := range p.Tags {
		k.str(t.Name)
	}
	k.num(uint64(p.Updated.Unix()))
	k.num(uint64(p.Updated.Nanosecond()))
	return k.sum()
}

// seed makes keys comparable within this process, which is all a Cache
// lives for.
var seed = maphash.MakeSeed()

// outputOrder keeps the order that sorts a build's outputs by path: a
// rebuild whose outputs come in the same order as the last build's sorts
// them the same way, without comparing paths.
type outputOrder struct {
	paths []string // the outputs' paths as they came
	perm  []int32  // perm[k] is the index of the k-th output by path
}

// sort returns outs sorted by path.
func (o *outputOrder) sort(outs []Output) []Output {
	same := len(outs) == len(o.paths)
	for i := 0; same && i < len(outs); i++ {
		same = outs[i].Path == o.paths[i]
	}
	if !same {
		o.paths = make([]string, len(outs))
		o.perm = make([]int32, len(outs))
		for i := range outs {
			o.paths[i] = outs[i].Path
			o.perm[i] = int32(i)
		}
		slices.SortFunc(o.perm, func(a, b int32) int { return strings.Compare(o.paths[a], o.paths[b]) })
	}
	sorted := make([]Output, len(outs))
	for k, i := range o.perm {
		sorted[k] = outs[i]
	}
	return sorted
}

func formatKey(k uint64) string { return strconv.FormatUint(k, 36) }
