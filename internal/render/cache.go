package render

import (
	"hash/maphash"
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
// A zero Cache is ready to use; it is not safe for concurrent builds.
type Cache struct {
	gen      string                  // of the outputs
	themeGen string                  // of the summaries
	markdown map[string]mdEntry      // by source path
	summary  map[string]summaryEntry // by source path
	outputs  map[string]outputEntry  // by output path
	search   search.Cache
}

type mdEntry struct {
	rev uint64
	sig string // where its links resolved to
	res markdown.Result
}

type summaryEntry struct {
	key string
	sum *Summary // read-only once made
}

type outputEntry struct {
	key      string // the theme's generation and the job's key
	data     []byte
	off, n   int    // where the sidebar is in data; off -1 when it is not
	usesData bool   // the page showed the snapshots other than in the sidebar
	dataGen  string // the snapshots' generation when data was made
}

// reset empties what depends on a generation that changed. Converted
// Markdown depends on no generation: its entries carry what they depend
// on (the file's Rev, where its links resolve).
func (c *Cache) reset(s *site.Site) {
	if c.markdown == nil {
		c.markdown = map[string]mdEntry{}
	}
	if c.themeGen != s.ThemeGen || c.summary == nil {
		c.themeGen = s.ThemeGen
		c.summary = map[string]summaryEntry{}
	}
	if c.gen != s.ThemeGen || c.outputs == nil {
		c.gen = s.ThemeGen
		c.outputs = map[string]outputEntry{}
	}
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

// summaryKey names what a post's list entry and its page show of it, as a
// 64-bit hash: list pages put ten of them in their own keys.
func (r *renderer) summaryKey(p *site.Page) string {
	var b maphash.Hash
	b.SetSeed(seed)
	b.WriteString(strconv.FormatUint(p.Rev, 36))
	b.WriteByte('\x00')
	b.WriteString(r.sigs[p])
	b.WriteByte('\x00')
	b.WriteString(p.URL)
	b.WriteByte('\x00')
	b.WriteString(p.ImageURL)
	if p.Cat != nil {
		b.WriteByte('\x00')
		b.WriteString(p.Cat.Name)
	}
	if p.Sec != nil {
		b.WriteByte('\x00')
		b.WriteString(p.Sec.Title)
	}
	for _, t := range p.Tags {
		b.WriteByte('\x01')
		b.WriteString(t.Name)
	}
	b.WriteByte('\x00')
	b.WriteString(strconv.FormatInt(p.Updated.Unix(), 36))
	return strconv.FormatUint(b.Sum64(), 36)
}

// seed makes summary keys comparable within this process, which is all a
// Cache lives for.
var seed = maphash.MakeSeed()
