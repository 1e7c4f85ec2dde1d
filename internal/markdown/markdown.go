// Package markdown turns a page's Markdown into HTML. It is the only user of
// goldmark. One Converter is shared by every page of a build (goldmark's
// parser and renderer are safe for concurrent use); what belongs to one
// document lives in its parser.Context.
//
// Beyond CommonMark and GFM (tables, strikethrough, autolinks, task lists):
//   - heading IDs are Vietnamese slugs ("Kết quả năm 2021" → "ket-qua-nam-2021"),
//     where goldmark's default drops every non-ASCII letter;
//   - relative links and images are resolved against the page's source folder
//     and rewritten to the URL they are published at;
//   - tables are wrapped in a focusable, labelled region that scrolls sideways
//     on narrow screens;
//   - raw HTML is not rendered: the site is an official page, and Markdown
//     from several editors must not be able to inject script. A site that
//     needs it (a table pasted from Word, an embedded video) turns it on
//     with Options.UnsafeHTML: the whole document is then passed through a
//     sanitizer (bluemonday) that keeps formatting, tables, images and
//     iframes from the hosts named in Options.IframeHosts;
//   - links and images whose address could run script (javascript:,
//     vbscript:, data:text/html, …) are taken out, whatever the options,
//     and reported in Result.Links.
package markdown

import (
	"bufio"
	"bytes"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/microcosm-cc/bluemonday"

	"github.com/congxa/congxa/internal/safeurl"
	"github.com/congxa/congxa/internal/vn"
)

// Resolver maps a relative link destination, as written in the page
// ("hop-dan.jpg", "../tai-lieu/x.pdf", "bai-khac.md#muc-2"), to the URL to
// publish. ok is false when the destination names nothing in the site; the
// link is then left as written and reported.
type Resolver interface {
	Resolve(dest string) (url string, ok bool)
}

// Link is a relative link or image found in a document, or one removed
// because its address could run script.
type Link struct {
	Dest     string
	Line     int // in the Markdown source, from 1
	Col      int // in characters, from 1
	Resolved bool
	Image    bool
	HasAlt   bool
	// Removed: the address has a scheme that is not allowed
	// (javascript:, data:text/html, …); the link's text is kept, the
	// link is not.
	Removed bool
}

// Result is a converted document.
type Result struct {
	HTML    []byte
	Summary string // the first paragraph as plain text, cut at a word boundary
	Links   []Link // relative links and images, in document order
}

// SummaryLength is the most characters a derived summary keeps.
const SummaryLength = 240

// Converter converts Markdown documents.
type Converter struct {
	md       goldmark.Markdown
	sanitize *bluemonday.Policy // nil when raw HTML is left out
	// goldmarkOnly turns convertParagraphs off, for the tests that
	// compare it with goldmark.
	goldmarkOnly bool
}

// Options change how Markdown is converted.
type Options struct {
	// UnsafeHTML renders raw HTML, through the sanitizer.
	UnsafeHTML bool
	// IframeHosts are the hosts ("www.youtube.com") whose pages raw HTML
	// may embed in an iframe, over https.
	IframeHosts []string
}

var resolverKey = parser.NewContextKey()
var linksKey = parser.NewContextKey()

// New returns a Converter with the default options: no raw HTML.
func New() *Converter { return NewWithOptions(Options{}) }

// NewWithOptions returns a Converter.
func NewWithOptions(o Options) *Converter {
	rendererOpts := []renderer.Option{renderer.WithNodeRenderers(util.Prioritized(tableWrapRenderer{}, 500)), html.WithWriter(plainWriter{html.DefaultWriter})}
	var sanitize *bluemonday.Policy
	if o.UnsafeHTML {
		rendererOpts = append(rendererOpts, html.WithUnsafe())
		sanitize = policy(o.IframeHosts)
	}
	md := goldmark.New(
		// GitHub Flavored Markdown (extension.GFM), with its linkify parser
		// behind a quick test.
		goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.TaskList),
		goldmark.WithParserOptions(append(parserOptionsLinkify(),
			parser.WithAutoHeadingID(),
			parser.WithASTTransformers(util.Prioritized(transformer{}, 500)),
		)...),
		goldmark.WithRendererOptions(rendererOpts...),
	)
	return &Converter{md: md, sanitize: sanitize}
}

// Convert converts src. r may be nil: relative links are then kept as written.
func (c *Converter) Convert(src []byte, r Resolver) (Result, error) {
	return c.convert(src, r, true)
}

// ConvertBody is Convert without the Summary, for a page whose summary is
// written in its front matter.
func (c *Converter) ConvertBody(src []byte, r Resolver) (Result, error) {
	return c.convert(src, r, false)
}

func (c *Converter) convert(src []byte, r Resolver, withSummary bool) (Result, error) {
	res, ok, err := Result{}, false, error(nil)
	if !c.goldmarkOnly {
		res, ok, err = c.convertParagraphs(src, r, withSummary)
	}
	if !ok {
		res, err = c.convertGoldmark(src, r, withSummary, newIDs())
	}
	if err != nil {
		return Result{}, err
	}
	if cap(res.HTML)-len(res.HTML) > len(res.HTML)/4 {
		// A page's HTML is kept until its page is made: not the buffer's
		// doubled capacity with it.
		res.HTML = bytes.Clone(res.HTML)
	}
	if c.sanitize != nil {
		// The whole document, not each piece of raw HTML: an element is
		// often opened in one piece and closed in another.
		res.HTML = c.sanitize.SanitizeBytes(res.HTML)
	}
	return res, nil
}

// convertGoldmark converts src with goldmark, without the sanitizer.
// Heading IDs come from ids.
func (c *Converter) convertGoldmark(src []byte, r Resolver, withSummary bool, ids *ids) (Result, error) {
	pc := parser.NewContext(parser.WithIDs(ids))
	if r != nil {
		pc.Set(resolverKey, r)
	}
	var links []Link
	pc.Set(linksKey, &links)
	doc := c.md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))
	var buf bytes.Buffer
	buf.Grow(len(src) + len(src)/4)
	// goldmark wraps a writer that is not buffered in a new bufio.Writer
	// each call: 4 KB a page.
	bw := bufWriters.Get().(*bufio.Writer)
	bw.Reset(&buf)
	err := c.md.Renderer().Render(bw, src, doc)
	if err == nil {
		err = bw.Flush()
	}
	bw.Reset(nil)
	bufWriters.Put(bw)
	if err != nil {
		return Result{}, err
	}
	res := Result{HTML: buf.Bytes(), Links: links}
	if withSummary {
		res.Summary = summary(doc, src)
	}
	return res, nil
}

var bufWriters = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, 4096) }}

// ids gives headings Vietnamese slugs, unique within the document.
type ids struct {
	seen map[string]bool
	// next is, for each slug, the suffix to try first: trying from 1 for
	// every heading would make a long document with many headings of the
	// same text ("Ghi chú") quadratic.
	next map[string]int
}

func newIDs() *ids { return &ids{seen: map[string]bool{}, next: map[string]int{}} }

func (s *ids) Generate(value []byte, _ ast.NodeKind) []byte {
	base := vn.Slug(string(value))
	if base == "" {
		base = "muc"
	}
	id := base
	if s.seen[id] {
		n := max(s.next[base], 1)
		for id = base + "-" + strconv.Itoa(n); s.seen[id]; id = base + "-" + strconv.Itoa(n) {
			n++
		}
		s.next[base] = n + 1
	}
	s.seen[id] = true
	return []byte(id)
}

// Put records an ID written by hand ({#id}), so that generated ones avoid it.
func (s *ids) Put(value []byte) { s.seen[string(value)] = true }

// transformer rewrites relative links and wraps tables.
type transformer struct{}

func (transformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	r, _ := pc.Get(resolverKey).(Resolver)
	links, _ := pc.Get(linksKey).(*[]Link)
	var tables, removed []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		remove := func(dest []byte, image bool) {
			l := Link{Dest: string(dest), Image: image, Removed: true}
			l.Line, l.Col = position(n, src)
			if links != nil {
				*links = append(*links, l)
			}
			removed = append(removed, n)
		}
		switch n := n.(type) {
		// Checked as goldmark will write them: with character references
		// resolved ("&#106;avascript:" is "javascript:").
		case *ast.Link:
			if !safeurl.Link(string(util.URLEscape(n.Destination, true))) {
				remove(n.Destination, false)
				break
			}
			n.Destination = resolve(n, n.Destination, false, src, r, links)
		case *ast.Image:
			if !safeurl.Image(string(util.URLEscape(n.Destination, true))) {
				remove(n.Destination, true)
				break
			}
			n.Destination = resolve(n, n.Destination, true, src, r, links)
		case *ast.AutoLink:
			if u := n.URL(src); n.AutoLinkType != ast.AutoLinkEmail && !safeurl.Link(string(util.URLEscape(u, false))) {
				remove(u, false)
			}
		case *east.Table:
			tables = append(tables, n)
		}
		return ast.WalkContinue, nil
	})
	// A link to an address that would run script is taken out whatever
	// the renderer's settings: its text stays, as text.
	for _, n := range removed {
		p := n.Parent()
		if a, ok := n.(*ast.AutoLink); ok {
			p.InsertBefore(p, n, ast.NewString(a.Label(src)))
		}
		for c := n.FirstChild(); c != nil; {
			next := c.NextSibling()
			p.InsertBefore(p, n, c)
			c = next
		}
		p.RemoveChild(p, n)
	}
	for _, t := range tables {
		w := &tableWrap{}
		p := t.Parent()
		p.ReplaceChild(p, t, w)
		w.AppendChild(w, t)
	}
}

// relative reports whether dest is a path inside the site written relative
// to the page, which is what editors write for files next to a post.
func relative(dest string) bool {
	if dest == "" || dest[0] == '/' || dest[0] == '#' || dest[0] == '?' {
		return false
	}
	if i := strings.IndexAny(dest, ":/?#"); i >= 0 && dest[i] == ':' {
		return false // a scheme: https:, mailto:, tel:
	}
	return true
}

func resolve(n ast.Node, dest []byte, image bool, src []byte, r Resolver, links *[]Link) []byte {
	d := string(dest)
	if !relative(d) {
		return dest
	}
	l := Link{Dest: d, Image: image}
	l.Line, l.Col = position(n, src)
	if image {
		l.HasAlt = len(bytes.TrimSpace(plain(n, src))) > 0
	}
	out := dest
	if r != nil {
		if u, ok := r.Resolve(d); ok {
			l.Resolved = true
			out = []byte(u)
		}
	}
	if links != nil {
		*links = append(*links, l)
	}
	return out
}

// position returns the line and column (in characters) where a link's "["
// or an image's "!" is.
func position(n ast.Node, src []byte) (int, int) {
	off := n.Pos()
	if off < 0 || off > len(src) {
		return 0, 0
	}
	line := 1 + bytes.Count(src[:off], []byte{'\n'})
	start := bytes.LastIndexByte(src[:off], '\n') + 1
	return line, utf8.RuneCount(src[start:off]) + 1
}

// plain returns the text of n's inline descendants.
func plain(n ast.Node, src []byte) []byte {
	var b bytes.Buffer
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			v := t.Segment.Value(src)
			if !t.IsRaw() {
				// As goldmark's HTML writer does: "&amp;" and "\\*" are
				// markup, the reader sees "&" and "*".
				v = util.UnescapePunctuations(util.ResolveNumericReferences(util.ResolveEntityNames(v)))
			}
			b.Write(v)
			if t.SoftLineBreak() || t.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(t.Value)
		case *ast.CodeSpan:
			for ch := t.FirstChild(); ch != nil; ch = ch.NextSibling() {
				if tx, ok := ch.(*ast.Text); ok {
					b.Write(tx.Segment.Value(src))
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.AutoLink:
			b.Write(t.Label(src))
		case *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return b.Bytes()
}

// summary is the first paragraph's text, cut at a word boundary.
func summary(doc ast.Node, src []byte) string {
	for c := doc.FirstChild(); c != nil; c = c.NextSibling() {
		if c.Kind() != ast.KindParagraph {
			continue
		}
		s := strings.Join(strings.Fields(string(plain(c, src))), " ")
		if s == "" {
			continue
		}
		return Truncate(s, SummaryLength)
	}
	return ""
}

// Truncate cuts s to at most max characters at a word boundary, adding "…"
// when it cut.
func Truncate(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	cut, n := 0, 0
	for i, r := range s {
		if n == max {
			if unicode.IsSpace(r) {
				cut = i // the word ends exactly at max
			}
			break
		}
		if unicode.IsSpace(r) {
			cut = i
		}
		n++
	}
	if cut == 0 {
		// One very long word: cut inside it rather than show nothing.
		n = 0
		for i := range s {
			if n == max {
				cut = i
				break
			}
			n++
		}
	}
	return strings.TrimRight(s[:cut], " ,;:-–—") + "…"
}

// tableWrap is a block around a table, so that a wide table scrolls inside
// its own box rather than widening the page on a phone.
type tableWrap struct{ ast.BaseBlock }

var kindTableWrap = ast.NewNodeKind("TableWrap")

func (*tableWrap) Kind() ast.NodeKind { return kindTableWrap }

func (w *tableWrap) Dump(src []byte, level int) { ast.DumpHelper(w, src, level, nil, nil) }

type tableWrapRenderer struct{}

// The tags around a table. Focusable so that keyboard users can scroll it
// (WCAG 2.1.1).
const (
	tableWrapOpen  = `<div class="table-wrap" tabindex="0" role="region" aria-label="Bảng số liệu">` + "\n"
	tableWrapClose = "</div>\n"
)

func (tableWrapRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindTableWrap, func(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.WriteString(tableWrapOpen)
		} else {
			_, _ = w.WriteString(tableWrapClose)
		}
		return ast.WalkContinue, nil
	})
}
