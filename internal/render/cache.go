package render

import (
	"hash/maphash"
	"slices"
	"strconv"
	"strings"

	"github.com/congxa/congxa/internal/content"
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
	sumGen uint64 // of the summaries (see renderer.gens)
	builds uint64 // counts builds, to find the pages that went
	// pages are the entries of the last build's pages, by Page.Num, and
	// byPath all of them by source path.
	pages   []pageAt
	byPath  map[string]*pageEntry
	outputs outputs
	feeds   map[string]madeEntry // by output path
	sitemap struct {
		key  uint64
		outs []Output
	}
	pageOrder, restOrder outputOrder
	search               search.Cache

	// The keys of the last build whose jobs were listed, for the next
	// build of a model of the same shape (see site.Shape): it makes
	// again only the keys of the lists and pages that show a page whose
	// summary key changed.
	shape    uint64   // the model's Shape
	sumKeys  []uint64 // by Page.Num
	listKeys []uint64 // of the list pages, in the order jobs lists them
	// dirty says, by Page.Num, which pages' summary keys changed since
	// that build; nil when the model is of another shape.
	dirty []bool
	// jobs is the last build's list of jobs, whose array the next one
	// uses again: at 10k posts it is 2 MB.
	jobs []job
	// ents are the last build's entries by Page.Num, in a model of
	// entShape.
	ents     []*pageEntry
	entShape uint64
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
	// The summary, when sum is not nil: made for sumKey (summaryKey).
	sumKey uint64
	sum    *Summary // read-only once made
	// The search document, when hasDoc: made for docKey, which names
	// the summary key and the settings the document shows (see
	// searchDocs). It does not depend on the layouts: a layout changed
	// does not index every page again.
	hasDoc bool
	docKey uint64
	doc    search.Doc

	// What the summary key, sumKey, was last worked out from: in a model
	// of keyShape, a page whose Page and loaded content are these
	// objects resolves its links and shows itself in lists as it did
	// (see site.Shape), so its key and links' resolution are the same.
	keyShape uint64
	keyPage  *site.Page
	keyCP    *content.Page
	key      uint64
	// The key of the page's own job (a post's: with its neighbours'
	// and related posts' summary keys), made in a model of postShape.
	postShape uint64
	postKey   uint64
	// What docKey was made from.
	docGen, docSum uint64
}

// same reports whether e's summary key was made from p as it is in s.
func (e *pageEntry) same(s *site.Site, p *site.Page) bool {
	return e.keyShape != 0 && e.keyShape == s.Shape() && e.keyPage == p && e.keyCP == p.Page
}

// pageAt is the entry of the page read from path.
type pageAt struct {
	path string
	e    *pageEntry
}

// outputs are the pages a build rendered: the same paths mostly come in
// the same order in the next build, which then finds each by its index.
type outputs struct {
	paths   []string
	entries []outputEntry  // by the same index
	index   map[string]int // by path, made when a build needs it
}

// find returns the last build's output at path, which the job at i of
// this build makes.
func (o *outputs) find(i int, path string) (outputEntry, bool) {
	if i < len(o.paths) && o.paths[i] == path {
		return o.entries[i], true
	}
	if k, ok := o.index[path]; ok {
		return o.entries[k], true
	}
	return outputEntry{}, false
}

// prepare makes the index if some of jobs are not where they were.
func (o *outputs) prepare(jobs []job) {
	for i := range jobs {
		if i >= len(o.paths) || o.paths[i] != jobs[i].out {
			o.index = make(map[string]int, len(o.paths))
			for k, p := range o.paths {
				o.index[p] = k
			}
			return
		}
	}
}

type outputEntry struct {
	key      uint64 // the job's key
	gen      uint64 // the generation of the layouts it was made with
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

// reset empties what depends on a generation that changed: the summaries,
// when sumGen (see renderer.gens) did. Converted Markdown depends on no
// generation: its entries carry what they depend on (the file's Rev, where
// its links resolve); each output carries the generation of the layouts of
// its kind.
func (c *Cache) reset(sumGen uint64) {
	c.builds++
	if c.byPath == nil {
		c.byPath = map[string]*pageEntry{}
	}
	if c.sumGen != sumGen {
		c.sumGen = sumGen
		for _, e := range c.byPath {
			e.sum = nil
		}
	}
	if c.feeds == nil {
		c.feeds = map[string]madeEntry{}
	}
}

// entries returns the entry of each page, making those of new pages and
// forgetting those of pages that went. A page at the same place as in the
// last build is found there, without hashing its path; in a model of the
// last one's shape (see site.Shape), every page is.
func (c *Cache) entries(pages []*site.Page, shape uint64) []*pageEntry {
	if shape != 0 && shape == c.entShape && len(c.ents) == len(pages) {
		return c.ents
	}
	defer func() { c.entShape = shape }()
	ents := make([]*pageEntry, len(pages))
	moved := len(pages) != len(c.pages)
	for i, p := range pages {
		if i < len(c.pages) && c.pages[i].path == p.Path {
			ents[i] = c.pages[i].e
		} else {
			moved = true
		}
	}
	if moved {
		for i, p := range pages {
			e := ents[i]
			if e == nil {
				if e = c.byPath[p.Path]; e == nil {
					e = &pageEntry{}
					c.byPath[p.Path] = e
				}
				ents[i] = e
			}
			e.seen = c.builds
		}
		for path, e := range c.byPath {
			if e.seen != c.builds {
				delete(c.byPath, path) // the page went
			}
		}
	}
	c.pages = make([]pageAt, len(pages))
	for i, p := range pages {
		c.pages[i] = pageAt{p.Path, ents[i]}
	}
	c.ents = ents
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
// Each value is mixed into the state by a bijection, so the key depends on
// every value and their order.
type keyHash struct{ h uint64 }

// init starts a key of a kind of thing.
func (k *keyHash) init(kind string) {
	k.h = 0x9e3779b97f4a7c15
	k.str(kind)
}

// str adds s and its length.
func (k *keyHash) str(s string) {
	k.num(maphash.String(seed, s))
	k.num(uint64(len(s)))
}

// num adds n (splitmix64's finalizer).
func (k *keyHash) num(n uint64) {
	x := k.h ^ n
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	k.h = x
}

func (k *keyHash) sum() uint64 { return k.h }

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

// outputOrder keeps the order that sorts a run of a build's outputs by
// path: a rebuild whose outputs come in the same order as the last
// build's sorts them the same way, without comparing paths.
type outputOrder struct {
	paths []string // the outputs' paths as they came
	perm  []int32  // perm[k] is the index of the k-th output by path
}

// order returns the order of outs by path (see perm).
func (o *outputOrder) order(outs []Output) []int32 {
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
	return o.perm
}

// sortOutputs returns outs sorted by path. The pages, outs[:pages], and
// the other files are ordered apart, each as in the last build when it
// came in the same order, and merged: a post edited changes the names of
// some search index files, not the pages'.
func (c *Cache) sortOutputs(outs []Output, pages int) []Output {
	a, b := c.pageOrder.order(outs[:pages]), c.restOrder.order(outs[pages:])
	sorted := make([]Output, 0, len(outs))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if x, y := &outs[a[i]], &outs[pages+int(b[j])]; x.Path < y.Path {
			sorted = append(sorted, *x)
			i++
		} else {
			sorted = append(sorted, *y)
			j++
		}
	}
	for ; i < len(a); i++ {
		sorted = append(sorted, outs[a[i]])
	}
	for ; j < len(b); j++ {
		sorted = append(sorted, outs[pages+int(b[j])])
	}
	return sorted
}

func formatKey(k uint64) string { return strconv.FormatUint(k, 36) }
