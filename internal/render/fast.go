package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"html/template"
	"regexp"
	"strconv"
	"strings"

	"github.com/congxa/congxa/internal/content"
)

// The default theme's layouts are also written out in Go, below: most
// sites use them unchanged, and executing html/template costs more than
// reading, converting and writing a page together (reflection, and a call
// through reflection for each escaper). The Go version writes the same
// bytes, escaping each value as html/template's escaper for its context
// would:
//
//	esc     text and quoted attributes (htmlEscaper, attrEscaper,
//	        rcdataEscaper of a string are the same)
//	escURL  a URL attribute's value from its start (urlFilter,
//	        urlNormalizer, then attrEscaper)
//
// It is used for the parts of the pages whose layouts are, byte for byte,
// those it was written for (themeFiles holds their hashes), so that a site
// that overrides one layout, or an editor changing one in "congxa serve",
// has only what that layout shows rendered by html/template:
//
//	the frame   base.html and partials/breadcrumb.html, around the main
//	            block of every page
//	a main      the main block of one kind of page: its layout, and
//	            partials/pager.html for lists
//	summaries   partials/summary.html and partials/post-link.html, which
//	            every list and post shows
//
// A site's own main under the Go frame is executed alone (its template
// "main"), which gives what base.html gives when the kind's layout defines
// no other template. A site's own frame around a Go main is executed with
// "main" standing for a marker, where the Go main is put: the marker comes
// out as it went in only where the main would be written as HTML text,
// which the Go main is written for. When either way fails, the page is
// executed whole. TestFastEqualsTemplates renders sites both ways and
// compares every file, and checks themeFiles against the embedded theme: a
// layout changed without this file fails it.
//
// The shared partials (header, sidebar, footer) are rendered once per
// build by html/template whatever renders the pages, and every page only
// puts them in place (.Header, .Sidebar, .Footer): they may be the site's
// own, so long as they define no template.

// themeFiles are the SHA-256 sums of the default theme's layouts that this
// file writes, by name.
var themeFiles = map[string]string{
	"404.html":                 "781cdf58f717ced0d920e4b82849c0ef9eb905288aeb7eeb0005217aadb4d2d6",
	"archive.html":             "64e21b44aea70a2ffca7eb114fc35f4dbd21af3731208956df3686c3d0b54cae",
	"base.html":                "66e4b6fce536d7ccce39aa6575323fd248ad830344a167d5ce7df5f174c0d0c9",
	"list.html":                "185e49829a148da350d96fda1143471426e870a0407eae9932edd550bca67388",
	"page.html":                "305d3bcaeff612d6aa5f005e09808f2ed7eb3dbf640ea137c17ead437b2b892c",
	"partials/breadcrumb.html": "7b1fca863afc7e884206b335b1b84fcbad86a82433f667b8ada8aca77659e2d0",
	"partials/pager.html":      "71e5d43d0764b8bc52a8c10b566bfe8584245a34fe0c30ee74fc3870e93d55a1",
	"partials/post-link.html":  "b569ef0ce3636c1a3b3fc56a996ef6e16c3558f63eeb8dcd296ce5c9c9947fca",
	"partials/summary.html":    "8a24497fc841066437bb83eb09e5566d44c44a3e37ba181f59e59a474877fd5e",
	"post.html":                "70e4450198f79aa535222944493ee006d453826dfca83a3186635874898359f1",
	"search.html":              "98ffd96945d16f5e85f2c086a2dd21c0502a31cf02a8a429156a0945c24b5c16",
	"tthc.html":                "97a0fbe968d81d8be7d7755a45d86d01f6c8aa2739a0e0532fefaef5ecef5ef6",
}

// sharedPartials are rendered once per build and shown as they are by
// base.html, the only layout that names them (as .Header, .Sidebar and
// .Footer).
var sharedPartials = []string{"partials/header.html", "partials/sidebar.html", "partials/footer.html"}

// definesRE finds an action that defines a template, which could replace
// one of the layouts this file stands for.
var definesRE = regexp.MustCompile(`\{\{-?\s*(define|block)\b`)

// frameFiles are the layouts of the frame; mainFiles those of each kind's
// main; summaryFiles those of a post's list entry and link.
var (
	frameFiles   = []string{baseLayout, "partials/breadcrumb.html"}
	summaryFiles = []string{"partials/summary.html", "partials/post-link.html"}
	mainFiles    = map[string][]string{"list.html": {"list.html", "partials/pager.html"}}
)

// fastParts says which parts of the pages the Go renderer writes.
type fastParts struct {
	frame     bool
	mains     map[string]bool // by kind
	ownMains  map[string]bool // kinds whose own layout defines only "main"
	summaries bool
}

// everyMain reports whether the Go renderer writes the main block of every
// kind of page.
func (p *fastParts) everyMain() bool {
	for _, k := range kinds {
		if !p.mains[k] {
			return false
		}
	}
	return true
}

// any reports whether the Go renderer writes anything.
func (p *fastParts) any() bool { return p.frame || p.summaries || len(p.mains) > 0 }

// partsOf finds which parts of the pages the layouts let the Go renderer
// write; ok is false when none: a layout of the site's own that is shared
// by every kind defines a template other than "main", which could replace
// any.
func (r *renderer) partsOf(layouts []content.File) (p fastParts, ok bool) {
	theme := map[string]bool{}
	byName := map[string]content.File{}
	for _, l := range layouts {
		if !strings.HasSuffix(l.Name, ".html") {
			continue // parse ignores them too
		}
		byName[l.Name] = l
		if want, ok := themeFiles[l.Name]; ok {
			sum := sha256.Sum256(l.Data)
			if hex.EncodeToString(sum[:]) == want {
				theme[l.Name] = true
				continue
			}
		}
		if !isKind(l.Name) && definesRE.Match(l.Data) && !r.definesOnlyMain(l) {
			return fastParts{}, false
		}
	}
	all := func(names []string) bool {
		for _, n := range names {
			if !theme[n] {
				return false
			}
		}
		return true
	}
	p.frame = all(frameFiles)
	p.mains, p.ownMains = map[string]bool{}, map[string]bool{}
	for _, k := range kinds {
		files := mainFiles[k]
		if files == nil {
			files = []string{k}
		}
		switch {
		case all(files):
			p.mains[k] = true
		case theme[k] || r.definesOnlyMain(byName[k]):
			// Its main (or a partial it shows) is the site's own, and
			// replaces no other template of the set.
			p.ownMains[k] = true
		}
	}
	p.summaries = all(summaryFiles) && (theme[kinds[0]] || r.definesOnlyMain(byName[kinds[0]]))
	return p, p.any()
}

// definesOnlyMain reports whether the layout l defines no template but
// "main". A kind's own "main" replaces any other (a kind's set is the
// shared layouts, then its own), such as base.html's block.
func (r *renderer) definesOnlyMain(l content.File) bool {
	t, err := template.New(l.Name).Funcs(r.funcs()).Parse(string(l.Data))
	if err != nil {
		return false
	}
	for _, d := range t.Templates() {
		if n := d.Name(); n != l.Name && n != "main" {
			return false
		}
	}
	return true
}

// fastTheme renders the default theme's layouts. The URLs of the functions
// the layouts call with constant arguments are escaped once per build.
type fastTheme struct {
	fastParts
	css, favicon, searchJS string // asset URLs, escaped for a URL attribute
	news, archive          string // url "/tin-tuc/", url "/luu-tru/", for a URL attribute
	categories             string // url "/chuyen-muc/", for a plain attribute
	// frameTmpl is the site's own frame with "main" standing for
	// mainMarker, when the frame is the site's own; nil otherwise.
	frameTmpl *template.Template
	// mainTmpl are the sets whose "main" the Go frame shows, by kind:
	// clones of the kinds' sets, as html/template makes a template that
	// failed to escape unusable, and "main" may fail alone where the
	// page would not, or fail otherwise.
	mainTmpl map[string]*template.Template
}

// mainMarker stands for a Go main in the site's own frame (see
// sidebarMarker for why it cannot come from a page).
const mainMarker template.HTML = "<!--congxa:main-->"

// newFastTheme returns the Go renderer for r's site, or nil when the site
// must be rendered by html/template: none of its parts are the default
// theme's, or an asset the layouts name is missing (whose error the
// templates report).
func (r *renderer) newFastTheme() *fastTheme {
	parts, ok := r.partsOf(r.site.Layouts)
	if !ok {
		return nil
	}
	var b bytes.Buffer
	asset := func(name string) (string, bool) {
		a, ok := r.site.Asset(name)
		if !ok {
			return "", false
		}
		b.Reset()
		escURL(&b, r.site.URL(a.URL))
		return b.String(), true
	}
	f := &fastTheme{fastParts: parts}
	var ok1, ok2, ok3 bool
	f.css, ok1 = asset("css/site.css")
	f.favicon, ok2 = asset("img/favicon.svg")
	f.searchJS, ok3 = asset("js/search.js")
	if !ok1 || !ok2 || !ok3 {
		return nil
	}
	b.Reset()
	escURL(&b, r.site.URL("/tin-tuc/"))
	f.news = b.String()
	b.Reset()
	escURL(&b, r.site.URL("/luu-tru/"))
	f.archive = b.String()
	b.Reset()
	esc(&b, r.site.URL("/chuyen-muc/"))
	f.categories = b.String()
	f.mainTmpl = map[string]*template.Template{}
	for k := range f.ownMains {
		if r.tmpl[k] == nil || !f.frame {
			continue
		}
		if t, err := r.tmpl[k].Clone(); err == nil {
			f.mainTmpl[k] = t
		}
	}
	for _, k := range kinds {
		if f.frame || !f.mains[k] || r.tmpl[k] == nil {
			continue
		}
		// The set of a kind whose layout is the theme's, which defines
		// only "main": it is replaced here.
		if t, err := r.tmpl[k].Clone(); err == nil {
			t.Funcs(template.FuncMap{"congxaMainMarker": func() template.HTML { return mainMarker }})
			if _, err := t.New("main").Parse("{{congxaMainMarker}}"); err == nil {
				f.frameTmpl = t
			}
		}
		break
	}
	return f
}

// esc writes s escaped for HTML text or a quoted attribute, as
// html/template's htmlEscaper does a string. Bytes of multi-byte UTF-8
// sequences and invalid bytes are all >= 0x80: none needs escaping, so
// looking at bytes is looking at runes.
func esc(b *bytes.Buffer, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		if !escaped[s[i]] {
			continue
		}
		var repl string
		switch s[i] {
		case 0:
			repl = "\uFFFD"
		case '"':
			repl = "&#34;"
		case '&':
			repl = "&amp;"
		case '\'':
			repl = "&#39;"
		case '+':
			repl = "&#43;"
		case '<':
			repl = "&lt;"
		case '>':
			repl = "&gt;"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(repl)
		last = i + 1
	}
	b.WriteString(s[last:])
}

// escaped marks the bytes esc replaces: a table is quicker than the
// switch for the bytes that need nothing, nearly all of them.
var escaped = func() (t [256]bool) {
	for _, c := range []byte{0, '"', '&', '\'', '+', '<', '>'} {
		t[c] = true
	}
	return
}()

// escUpper writes s in capitals, escaped: {{upper .X}}.
func escUpper(b *bytes.Buffer, s string) { esc(b, strings.ToUpper(s)) }

// safeURL is html/template's isSafeURL: a URL with a scheme must be http,
// https or mailto.
func safeURL(s string) bool {
	if scheme, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(scheme, "/") {
		return strings.EqualFold(scheme, "http") || strings.EqualFold(scheme, "https") || strings.EqualFold(scheme, "mailto")
	}
	return true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

const hexDigits = "0123456789abcdef"

// escURL writes a string that starts a URL attribute's value, as
// html/template does: an unsafe scheme becomes "#ZgotmplZ", what is not a
// URL's character is percent-encoded (valid escapes are kept), then "&"
// and "+" are escaped for the attribute (the other characters that
// attrEscaper escapes are percent-encoded by then).
func escURL(b *bytes.Buffer, s string) {
	if !safeURL(s) {
		b.WriteString("#ZgotmplZ")
		return
	}
	last := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '&':
			b.WriteString(s[last:i])
			b.WriteString("&amp;")
			last = i + 1
		case c == '+':
			b.WriteString(s[last:i])
			b.WriteString("&#43;")
			last = i + 1
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			strings.IndexByte("!#$*,/:;=?@[]-._~", c) >= 0,
			c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
		default:
			b.WriteString(s[last:i])
			b.Write([]byte{'%', hexDigits[c>>4], hexDigits[c&15]})
			last = i + 1
		}
	}
	b.WriteString(s[last:])
}

func escInt(b *bytes.Buffer, n int) {
	b.Write(strconv.AppendInt(b.AvailableBuffer(), int64(n), 10))
}

// page writes base.html with the layout of kind, as
// ExecuteTemplate(b, "base.html", d) does.
// main, when not nil, writes the main block instead of the Go version.
func (f *fastTheme) page(b *bytes.Buffer, kind string, d *Data, main func()) {
	b.WriteString("<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
	esc(b, d.HeadTitle)
	b.WriteString("</title>")
	if d.Description != "" {
		b.WriteString("\n<meta name=\"description\" content=\"")
		esc(b, d.Description)
		b.WriteString("\">")
	}
	b.WriteString("\n<link rel=\"canonical\" href=\"")
	escURL(b, d.Canonical)
	b.WriteString("\">")
	for _, l := range d.Feeds {
		b.WriteString("\n<link rel=\"alternate\" type=\"application/rss+xml\" title=\"")
		esc(b, l.Label)
		b.WriteString("\" href=\"")
		escURL(b, l.URL)
		b.WriteString("\">")
	}
	b.WriteString("\n<meta property=\"og:site_name\" content=\"")
	esc(b, d.Site.Title)
	b.WriteString("\">\n<meta property=\"og:title\" content=\"")
	esc(b, d.Title)
	b.WriteString("\">")
	if d.Description != "" {
		b.WriteString("\n<meta property=\"og:description\" content=\"")
		esc(b, d.Description)
		b.WriteString("\">")
	}
	b.WriteString("\n<meta property=\"og:type\" content=\"")
	esc(b, d.Type)
	b.WriteString("\">\n<meta property=\"og:url\" content=\"")
	esc(b, d.Canonical)
	b.WriteString("\">\n<meta property=\"og:locale\" content=\"vi_VN\">")
	if d.Image != "" {
		b.WriteString("\n<meta property=\"og:image\" content=\"")
		esc(b, d.Image)
		b.WriteString("\">")
	}
	if d.Published != "" {
		b.WriteString("\n<meta property=\"article:published_time\" content=\"")
		esc(b, d.Published)
		b.WriteString("\">")
	}
	b.WriteString("\n<link rel=\"stylesheet\" href=\"")
	b.WriteString(f.css)
	b.WriteString("\">\n<link rel=\"icon\" href=\"")
	b.WriteString(f.favicon)
	b.WriteString("\" type=\"image/svg+xml\">\n</head>\n<body class=\"kind-")
	esc(b, d.Kind)
	b.WriteString("\">\n<a class=\"skip-link\" href=\"#noi-dung\">Chuyển đến nội dung chính</a>\n")
	b.WriteString(string(d.Header))
	b.WriteString("\n<div class=\"container layout\">\n<main id=\"noi-dung\" class=\"main\" tabindex=\"-1\">\n")
	f.breadcrumb(b, d)
	b.WriteString("\n")
	if main != nil {
		main()
	} else {
		f.main(b, kind, d)
	}
	b.WriteString("\n</main>\n<aside class=\"sidebar\" aria-label=\"Thông tin bên lề\">\n")
	b.WriteString(string(d.Sidebar))
	b.WriteString("\n</aside>\n</div>\n")
	b.WriteString(string(d.Footer))
	b.WriteString("\n</body>\n</html>\n")
}

// main writes the main block of a kind of page.
func (f *fastTheme) main(b *bytes.Buffer, kind string, d *Data) {
	switch kind {
	case "list.html":
		f.list(b, d)
	case "post.html":
		f.post(b, d)
	case "page.html":
		f.pageMain(b, d)
	case "archive.html":
		f.archiveMain(b, d)
	case "tthc.html":
		f.tthc(b, d)
	case "404.html":
		f.notFound(b, d)
	case "search.html":
		f.search(b, d)
	default:
		panic("render: no fast layout " + kind)
	}
}

// breadcrumb is partials/breadcrumb.html.
func (f *fastTheme) breadcrumb(b *bytes.Buffer, d *Data) {
	if len(d.Breadcrumb) > 0 {
		b.WriteString("\n<nav class=\"breadcrumb\" aria-label=\"Đường dẫn\">\n<ol>")
		for _, l := range d.Breadcrumb {
			b.WriteString("\n<li><a href=\"")
			escURL(b, l.URL)
			b.WriteString("\">")
			esc(b, l.Label)
			b.WriteString("</a></li>")
		}
		b.WriteString("\n<li><span aria-current=\"page\">")
		esc(b, d.Title)
		b.WriteString("</span></li>\n</ol>\n</nav>")
	}
	b.WriteString("\n")
}

// list is list.html's main.
func (f *fastTheme) list(b *bytes.Buffer, d *Data) {
	l := d.List
	b.WriteString("\n<section class=\"list\">\n<h1 class=\"section-title\">")
	esc(b, l.Title)
	if p := l.Pager; p != nil && p.Number > 1 {
		b.WriteString(" <small>(trang ")
		escInt(b, p.Number)
		b.WriteString("/")
		escInt(b, p.Total)
		b.WriteString(")</small>")
	}
	b.WriteString("</h1>")
	if l.Intro != "" {
		b.WriteString("\n<div class=\"intro\">")
		b.WriteString(string(l.Intro))
		b.WriteString("</div>")
	}
	if l.Featured != nil {
		b.WriteString("\n<div class=\"featured\">\n")
		f.listEntry(b, l.Featured)
		b.WriteString("\n</div>")
	}
	for _, s := range l.Rest {
		b.WriteString("\n")
		f.listEntry(b, s)
	}
	if len(l.Posts) == 0 {
		b.WriteString("\n<p>Chưa có bài viết.</p>")
	}
	b.WriteString("\n")
	f.pager(b, l.Pager)
	if d.Kind == "home" || d.Kind == "section" {
		b.WriteString("\n<p class=\"archive-link\"><a href=\"")
		b.WriteString(f.archive)
		b.WriteString("\">Lưu trữ tin bài theo tháng »</a></p>")
	}
	b.WriteString("\n</section>\n")
}

// pager is partials/pager.html.
func (f *fastTheme) pager(b *bytes.Buffer, p *Pager) {
	if p != nil {
		b.WriteString("\n<nav class=\"pager\" aria-label=\"Phân trang\">\n<ul>")
		if p.Prev != "" {
			b.WriteString("\n<li><a href=\"")
			escURL(b, p.Prev)
			b.WriteString("\" rel=\"prev\">« Trang trước</a></li>")
		}
		for _, it := range p.Pages {
			switch {
			case it.Gap:
				b.WriteString("\n<li class=\"gap\" aria-hidden=\"true\">…</li>")
			case it.Current:
				b.WriteString("\n<li><span class=\"current\" aria-current=\"page\">")
				escInt(b, it.Number)
				b.WriteString("</span></li>")
			default:
				b.WriteString("\n<li><a href=\"")
				escURL(b, it.URL)
				b.WriteString("\" aria-label=\"Trang ")
				escInt(b, it.Number)
				b.WriteString("\">")
				escInt(b, it.Number)
				b.WriteString("</a></li>")
			}
		}
		if p.Next != "" {
			b.WriteString("\n<li><a href=\"")
			escURL(b, p.Next)
			b.WriteString("\" rel=\"next\">Trang sau »</a></li>")
		}
		b.WriteString("\n</ul>\n</nav>")
	}
	b.WriteString("\n")
}

// post is post.html's main.
func (f *fastTheme) post(b *bytes.Buffer, d *Data) {
	if p := d.Page; p != nil {
		b.WriteString("\n<article class=\"post\">\n<header class=\"post-header\">")
		if c := p.Category; c != nil {
			b.WriteString("\n<a class=\"cat-label\" href=\"")
			escURL(b, c.URL)
			b.WriteString("\">")
			escUpper(b, c.Label)
			b.WriteString("</a>")
		}
		b.WriteString("\n<h1 class=\"post-title\">")
		esc(b, p.Title)
		b.WriteString("</h1>\n<p class=\"meta\"><time datetime=\"")
		esc(b, p.DateISO)
		b.WriteString("\">")
		esc(b, p.Date)
		b.WriteString("</time>")
		if p.Updated != "" {
			b.WriteString(" <span class=\"post-updated\">Cập nhật: <time datetime=\"")
			esc(b, p.UpdatedISO)
			b.WriteString("\">")
			esc(b, p.Updated)
			b.WriteString("</time></span>")
		}
		b.WriteString("\n<button type=\"button\" class=\"print-link\" onclick=\"window.print()\">In bài viết</button></p>\n</header>\n<div class=\"post-body\">\n")
		b.Write(p.content)
		b.WriteString("\n</div>\n<p class=\"print-only\">")
		esc(b, d.Site.Title)
		b.WriteString(" — ")
		esc(b, d.Canonical)
		b.WriteString("</p>")
		if len(p.Tags) > 0 {
			b.WriteString("\n<p class=\"tags\"><span>Từ khóa:</span>")
			for _, t := range p.Tags {
				b.WriteString(" <a class=\"tag\" href=\"")
				escURL(b, t.URL)
				b.WriteString("\" rel=\"tag\">")
				esc(b, t.Label)
				b.WriteString("</a>")
			}
			b.WriteString("</p>")
		}
		if p.Newer != nil || p.Older != nil {
			b.WriteString("\n<nav class=\"post-nav\" aria-label=\"Bài trước và bài sau\">")
			if o := p.Older; o != nil {
				b.WriteString("\n<a class=\"older\" href=\"")
				escURL(b, o.URL)
				b.WriteString("\" rel=\"prev\"><span>« Bài trước</span> ")
				esc(b, o.Title)
				b.WriteString("</a>")
			}
			if n := p.Newer; n != nil {
				b.WriteString("\n<a class=\"newer\" href=\"")
				escURL(b, n.URL)
				b.WriteString("\" rel=\"next\"><span>Bài sau »</span> ")
				esc(b, n.Title)
				b.WriteString("</a>")
			}
			b.WriteString("\n</nav>")
		}
		b.WriteString("\n</article>")
		if len(p.Related) > 0 {
			b.WriteString("\n<section class=\"related\" aria-labelledby=\"tin-cung-chuyen-muc\">\n<h2 id=\"tin-cung-chuyen-muc\">Tin cùng chuyên mục</h2>\n<ul>")
			for _, s := range p.Related {
				b.WriteString("\n<li>")
				if s.held {
					b.WriteString(string(s.Link))
				} else {
					f.postLink(b, s)
				}
				b.WriteString("</li>")
			}
			b.WriteString("\n</ul>\n</section>")
		}
	}
	b.WriteString("\n")
}

// pageMain is page.html's main.
func (f *fastTheme) pageMain(b *bytes.Buffer, d *Data) {
	if p := d.Page; p != nil {
		b.WriteString("\n<article class=\"post page\">\n<header class=\"post-header\">\n<h1 class=\"post-title\">")
		esc(b, p.Title)
		b.WriteString("</h1>\n</header>\n<div class=\"post-body\">\n")
		b.Write(p.content)
		b.WriteString("\n</div>\n</article>")
	}
	b.WriteString("\n")
}

// archiveMain is archive.html's main.
func (f *fastTheme) archiveMain(b *bytes.Buffer, d *Data) {
	b.WriteString("\n<section class=\"list archive\">\n<h1 class=\"section-title\">")
	esc(b, d.Title)
	b.WriteString("</h1>")
	for _, y := range d.Archive {
		b.WriteString("\n<h2 id=\"nam-")
		escInt(b, y.Year)
		b.WriteString("\">Năm ")
		escInt(b, y.Year)
		b.WriteString(" <small>(")
		escInt(b, y.Count)
		b.WriteString(" bài)</small></h2>\n<ul class=\"archive-months\">")
		for _, m := range y.Months {
			b.WriteString("\n<li><a href=\"")
			escURL(b, m.URL)
			b.WriteString("\">")
			esc(b, m.Label)
			b.WriteString("</a> <small>(")
			escInt(b, m.Count)
			b.WriteString(" bài)</small></li>")
		}
		b.WriteString("\n</ul>")
	}
	if len(d.Archive) == 0 {
		b.WriteString("\n<p>Chưa có bài viết.</p>")
	}
	b.WriteString("\n</section>\n")
}

// notFound is 404.html's main.
func (f *fastTheme) notFound(b *bytes.Buffer, d *Data) {
	b.WriteString("\n<article class=\"post not-found\">\n<h1 class=\"post-title\">Không tìm thấy trang</h1>\n<p>Trang bạn tìm không có hoặc đã được chuyển đi. Mời bạn về <a href=\"")
	escURL(b, d.Site.Home)
	b.WriteString("\">trang chủ</a>, xem các <a href=\"")
	b.WriteString(f.news)
	b.WriteString("\">tin tức</a> mới nhất, hoặc tìm kiếm:</p>\n<form class=\"search-form\" action=\"")
	escURL(b, d.SearchURL)
	b.WriteString("\" method=\"get\" role=\"search\" aria-label=\"Tìm trang cần đến\">\n<label for=\"tu-khoa\">Từ khóa</label>\n<input id=\"tu-khoa\" name=\"q\" type=\"search\">\n<button type=\"submit\">Tìm kiếm</button>\n</form>\n</article>\n")
}

// search is search.html's main.
func (f *fastTheme) search(b *bytes.Buffer, d *Data) {
	b.WriteString("\n<article class=\"post search-page\">\n<h1 class=\"post-title\">Tìm kiếm</h1>\n<form id=\"tim-kiem\" class=\"search-form\" action=\"")
	escURL(b, d.URL)
	b.WriteString("\" method=\"get\" role=\"search\" aria-label=\"Tìm tin bài\" data-index=\"")
	esc(b, d.Search.Index)
	b.WriteString("\" data-categories=\"")
	b.WriteString(f.categories)
	b.WriteString("\">\n<label for=\"tk-q\">Từ khóa</label>\n<input id=\"tk-q\" name=\"q\" type=\"search\" autocomplete=\"off\" spellcheck=\"false\" aria-describedby=\"tk-huong-dan\">")
	if cs := d.Search.Categories; len(cs) > 0 {
		b.WriteString("\n<label for=\"tk-cm\">Chuyên mục</label>\n<select id=\"tk-cm\" name=\"cm\">\n<option value=\"\">Tất cả chuyên mục</option>")
		for _, c := range cs {
			b.WriteString("\n<option value=\"")
			esc(b, c.URL)
			b.WriteString("\">")
			esc(b, c.Label)
			b.WriteString("</option>")
		}
		b.WriteString("\n</select>")
	}
	b.WriteString("\n<button type=\"submit\">Tìm kiếm</button>\n</form>\n<p id=\"tk-huong-dan\" class=\"search-hint\">Gõ có dấu hay không dấu đều được: “cai cach” tìm thấy “cải cách”. Đặt cụm từ trong dấu ngoặc kép (ví dụ \"hành chính công\") để tìm đúng cụm từ ấy.</p>\n<p id=\"tk-nojs\" class=\"search-nojs\">Chức năng tìm kiếm cần JavaScript, mà trình duyệt của bạn đang tắt hoặc không hỗ trợ. Bạn vẫn có thể tìm bài viết theo tháng trong <a href=\"")
	escURL(b, d.Search.Archive)
	b.WriteString("\">trang lưu trữ</a>.</p>\n<p id=\"tk-trang-thai\" class=\"search-status\" role=\"status\" aria-live=\"polite\"></p>\n<ol id=\"tk-ket-qua\" class=\"search-results\"></ol>\n<button type=\"button\" id=\"tk-them\" class=\"search-more\" hidden>Xem thêm kết quả</button>\n</article>\n<script src=\"")
	b.WriteString(f.searchJS)
	b.WriteString("\" defer></script>\n")
}

// tthc is tthc.html's main. Like the template, it marks d as showing the
// snapshots.
func (f *fastTheme) tthc(b *bytes.Buffer, d *Data) {
	if t := d.TTHC(); t != nil {
		b.WriteString("\n<article class=\"tthc\">\n<h1 class=\"section-title\">Kết quả giải quyết thủ tục hành chính</h1>\n<p class=\"meta\">Số liệu từ đầu năm ")
		escInt(b, t.Year)
		b.WriteString(" đến tháng ")
		esc(b, t.Period)
		b.WriteString(". Cập nhật lúc <time datetime=\"")
		esc(b, t.UpdatedISO)
		b.WriteString("\">")
		esc(b, t.UpdatedAt)
		b.WriteString("</time>.</p>\n<dl class=\"tthc-summary\">\n<div><dt>Đã giải quyết trước &amp; đúng hạn</dt><dd class=\"big\">")
		esc(b, t.Resolved)
		b.WriteString("</dd></div>\n<div><dt>Số hồ sơ xử lý</dt><dd>")
		esc(b, t.Processed)
		b.WriteString("</dd></div>\n<div><dt>Trước &amp; đúng hạn</dt><dd>")
		esc(b, t.OnTime)
		b.WriteString("</dd></div>\n<div><dt>Trễ hạn</dt><dd>")
		esc(b, t.Late)
		b.WriteString("</dd></div>\n<div><dt>Tỉ lệ trễ hạn</dt><dd>")
		esc(b, t.LateRate)
		b.WriteString("</dd></div>\n</dl>")
		if c := t.Chart; c != nil {
			b.WriteString("\n<section aria-labelledby=\"tthc-chart\">\n<h2 id=\"tthc-chart\">Tỉ lệ giải quyết trước và đúng hạn theo tháng</h2>\n<figure class=\"chart\">\n<svg viewBox=\"0 0 ")
			escInt(b, c.Width)
			b.WriteString(" ")
			escInt(b, c.Height)
			b.WriteString("\" role=\"img\" aria-labelledby=\"tthc-chart-desc\" preserveAspectRatio=\"xMinYMin meet\">\n<desc id=\"tthc-chart-desc\">")
			esc(b, c.Summary)
			b.WriteString("</desc>")
			for _, g := range c.Grid {
				b.WriteString("\n<line x1=\"40\" x2=\"")
				escInt(b, c.Width)
				b.WriteString("\" y1=\"")
				escInt(b, g.Y)
				b.WriteString("\" y2=\"")
				escInt(b, g.Y)
				b.WriteString("\" class=\"grid\"/>\n<text x=\"36\" y=\"")
				escInt(b, g.Y)
				b.WriteString("\" class=\"axis\" text-anchor=\"end\" dominant-baseline=\"middle\">")
				esc(b, g.Label)
				b.WriteString("</text>")
			}
			for _, bar := range c.Bars {
				b.WriteString("\n<rect x=\"")
				escInt(b, bar.X)
				b.WriteString("\" y=\"")
				escInt(b, bar.Y)
				b.WriteString("\" width=\"")
				escInt(b, bar.W)
				b.WriteString("\" height=\"")
				escInt(b, bar.H)
				b.WriteString("\" class=\"bar\"/>\n<text x=\"")
				escInt(b, bar.LabelX)
				b.WriteString("\" y=\"")
				escInt(b, c.Bottom)
				b.WriteString("\" dy=\"18\" class=\"axis\" text-anchor=\"middle\">")
				esc(b, bar.Label)
				b.WriteString("</text>\n<text x=\"")
				escInt(b, bar.LabelX)
				b.WriteString("\" y=\"")
				escInt(b, bar.Y)
				b.WriteString("\" dy=\"-4\" class=\"value\" text-anchor=\"middle\">")
				esc(b, bar.Value)
				b.WriteString("</text>")
			}
			b.WriteString("\n</svg>\n<figcaption>")
			esc(b, c.Summary)
			b.WriteString("</figcaption>\n</figure>\n</section>")
		}
		f.tthcTable(b, t.History, "tthc-by-month", "Theo tháng", "Tháng")
		f.tthcTable(b, t.ByField, "tthc-by-field", "Theo lĩnh vực", "Lĩnh vực")
		b.WriteString("\n</article>")
	}
	b.WriteString("\n")
}

// tthcTable is one of tthc.html's two tables.
func (f *fastTheme) tthcTable(b *bytes.Buffer, rows []TTHCRow, id, title, first string) {
	if len(rows) == 0 {
		return
	}
	b.WriteString("\n<section>\n<h2 id=\"")
	b.WriteString(id)
	b.WriteString("\">")
	b.WriteString(title)
	b.WriteString("</h2>\n<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-labelledby=\"")
	b.WriteString(id)
	b.WriteString("\">\n<table>\n<thead><tr><th scope=\"col\">")
	b.WriteString(first)
	b.WriteString("</th><th scope=\"col\">Số hồ sơ xử lý</th><th scope=\"col\">Trước &amp; đúng hạn</th><th scope=\"col\">Trễ hạn</th><th scope=\"col\">Tỉ lệ đúng hạn</th><th scope=\"col\">Tỉ lệ trễ hạn</th></tr></thead>\n<tbody>")
	for _, r := range rows {
		b.WriteString("\n<tr><th scope=\"row\">")
		esc(b, r.Label)
		b.WriteString("</th><td>")
		esc(b, r.Processed)
		b.WriteString("</td><td>")
		esc(b, r.OnTime)
		b.WriteString("</td><td>")
		esc(b, r.Late)
		b.WriteString("</td><td>")
		esc(b, r.OnTimeRate)
		b.WriteString("</td><td>")
		esc(b, r.LateRate)
		b.WriteString("</td></tr>")
	}
	b.WriteString("\n</tbody>\n</table>\n</div>\n</section>")
}

// summary is partials/summary.html.
func (f *fastTheme) summary(b *bytes.Buffer, s *Summary) {
	b.WriteString("<article class=\"post-item\">")
	if s.Image != "" {
		b.WriteString("\n<a class=\"thumb\" href=\"")
		escURL(b, s.URL)
		b.WriteString("\" tabindex=\"-1\" aria-hidden=\"true\"><img src=\"")
		escURL(b, s.Image)
		b.WriteString("\" alt=\"\" loading=\"lazy\"></a>")
	}
	b.WriteString("\n<div class=\"post-item-body\">")
	if c := s.Category; c != nil {
		b.WriteString("\n<a class=\"cat-label\" href=\"")
		escURL(b, c.URL)
		b.WriteString("\">")
		escUpper(b, c.Label)
		b.WriteString("</a>")
	}
	b.WriteString("\n<h2 class=\"post-item-title\"><a href=\"")
	escURL(b, s.URL)
	b.WriteString("\">")
	esc(b, s.Title)
	b.WriteString("</a></h2>\n<p class=\"meta\"><time datetime=\"")
	esc(b, s.DateISO)
	b.WriteString("\">")
	esc(b, s.Date)
	b.WriteString("</time></p>")
	if s.Summary != "" {
		b.WriteString("\n<p class=\"summary\">")
		esc(b, s.Summary)
		b.WriteString("</p>")
	}
	b.WriteString("\n</div>\n</article>\n")
}

// listEntry writes a post's entry in a list: rendered once per build (by
// summary, or by the site's own partials/summary.html) when it is held
// (see renderer.holdSums), written here otherwise.
func (f *fastTheme) listEntry(b *bytes.Buffer, s *Summary) {
	if s.held {
		b.WriteString(string(s.HTML))
		return
	}
	f.summary(b, s)
}

// postLink is partials/post-link.html.
func (f *fastTheme) postLink(b *bytes.Buffer, s *Summary) {
	b.WriteString("<a href=\"")
	escURL(b, s.URL)
	b.WriteString("\">")
	esc(b, s.Title)
	b.WriteString("</a> <time datetime=\"")
	esc(b, s.DateISO)
	b.WriteString("\">")
	esc(b, s.Date)
	b.WriteString("</time>")
}
