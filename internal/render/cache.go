package render

import (
	"strconv"
	"strings"

	"github.com/congxa/congxa/internal/markdown"
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
	gen      string
	markdown map[string]mdEntry      // by source path
	summary  map[string]summaryEntry // by source path
	outputs  map[string]outputEntry  // by output path
}

type mdEntry struct {
	rev uint64
	sig string // where its links resolved to
	res markdown.Result
}

type summaryEntry struct {
	key  string
	html string
}

type outputEntry struct {
	key  string
	data []byte
}

// reset empties the cache when the generation changed.
func (c *Cache) reset(gen string) {
	if c.gen == gen && c.markdown != nil {
		return
	}
	c.gen = gen
	c.markdown = map[string]mdEntry{}
	c.summary = map[string]summaryEntry{}
	c.outputs = map[string]outputEntry{}
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

// summaryKey names what a post's list entry and its page show of it.
func (r *renderer) summaryKey(p *site.Page) string {
	var b strings.Builder
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
	return b.String()
}
