// Package render turns the site model into the bytes of every published
// file. It converts Markdown (through package markdown) and executes the
// layouts; it does no I/O.
//
// Layouts are html/template files in layouts/. base.html is the page's
// frame and includes the block "main", which each kind's layout defines:
//
//	list.html    the home page, a section's and a category's lists
//	post.html    a post
//	page.html    a standalone page
//	archive.html the archive's front page: every month with posts
//	tthc.html    the TTHC statistics
//	404.html     the page a web server shows for a missing URL
//	search.html  the search page, /tim-kiem/ (see package search)
//
// Files in layouts/partials/ are shared by all of them, named by their path:
// {{template "partials/note.html" .}}. header.html, sidebar.html and
// footer.html in partials/ are the same on most pages, so they are rendered
// once per build (the header once for each menu item it marks as current)
// and given to every page as .Header, .Sidebar and .Footer. Every layout
// receives a Data. Functions:
//
//	url PATH      the URL of a site path ("/tin-tuc/"), with the base path
//	absurl PATH   the full URL, with the scheme and host of base_url
//	asset NAME    the URL of an asset ("css/site.css") under its hashed name
//	upper S       S in capitals (Vietnamese-aware)
//	dict K V …    a map, to pass several values to a partial
//
// The parts of the pages whose layouts are the default theme's are written
// by a Go version of them (fast.go), which writes the same bytes without
// executing html/template; a layout of the site's own is compiled, once
// html/template has escaped it, into Go closures that write what
// html/template would (tmplc.go), or executed by html/template where the
// compiler does not go. The Cache makes again only the pages made with a
// layout that changed.
package render

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/congxa/congxa/internal/content"
	"github.com/congxa/congxa/internal/diag"
	"github.com/congxa/congxa/internal/markdown"
	"github.com/congxa/congxa/internal/para"
	"github.com/congxa/congxa/internal/search"
	"github.com/congxa/congxa/internal/site"
)

// Output is one published file: Data, or for a copied file, File.
type Output struct {
	Path string // slash-separated, relative to the destination
	Data []byte
	File *content.File
	// Key is the same for two outputs at Path only when their bytes are
	// the same, so that a writer can keep what it wrote before.
	Key string
}

// kinds are the layouts that render whole pages.
var kinds = []string{"list.html", "post.html", "page.html", "archive.html", "tthc.html", "404.html", "search.html"}

const baseLayout = "base.html"

type renderer struct {
	site    *site.Site
	md      *markdown.Converter
	tmpl    map[string]*template.Template // kind → template set
	layouts map[string]content.File       // name → file
	sidebar template.HTML
	headers map[string]template.HTML // by the URL of the current menu item; "" for none
	// chromeUsesData: the header or footer shows the snapshots, so every
	// page must be rendered again when they change.
	chromeUsesData bool
	footer         template.HTML
	// holdSums: each post's list entry and link are rendered once and
	// held for the build, and copied into the five or so lists and the
	// related-post lists that show the post, which costs far less than
	// writing them again (0.15 s of CPU at 10,000 posts). Held, they
	// take about a kilobyte a post for the whole build: past
	// heldSummaryPosts posts, when the Go renderer writes every part of
	// every page, it writes them in place instead (held, they would add
	// some 75 MB to the peak memory of a 50,000-post build).
	holdSums bool
	siteView *SiteView
	siteFeed Link // the site's RSS feed, which every page names
	tthc     *TTHCView
	visits   *VisitsView
	// ents are the cache's entries of the pages, by Page.Num: their
	// converted Markdown, summaries and keys.
	ents []*pageEntry
	// sumKeys are the pages' summary keys, by Page.Num: every list's
	// key reads ten of them.
	sumKeys []uint64
	index   *search.Index
	// indexer and docNums, in a streamed build, make the index from each
	// page's HTML as its page is made; index is set once all are.
	indexer *search.Builder
	docNums []int // by Page.Num
	// lazy, in a streamed build: the pages whose Markdown is converted
	// when their page is made (their summary needs none of it), by
	// Page.Num.
	lazy  []bool
	cache *Cache
	// stream: nothing is kept for a next build (see Stream), so each
	// page's converted Markdown is dropped once its page is made.
	stream bool
	// fast renders the default theme's layouts without html/template; nil
	// when the site has its own layouts (see fast.go).
	fast *fastTheme
	// kindGen is the generation of the layouts each kind of page is made
	// with, by kind (see gens).
	kindGen map[string]uint64
	// compiled are the layouts html/template would execute for each
	// page, compiled (see tmplc.go).
	compiled *compiledSets
}

// gens finds the generations of what the layouts make, from which the
// Cache knows what to make again when a layout changed: kindGen, and the
// summaries' generation, which it returns. Each names the settings and
// assets, and the layouts the thing is made with: a summary or a page
// written by Go, only the shared partials that every page shows; made by
// html/template, every layout its set holds. Editing a post's layout then
// makes only the posts again.
func (r *renderer) gens() (sumGen uint64) {
	s := r.site
	var shared, partials keyHash // every layout but the kinds; the shared partials
	shared.init("layouts")
	partials.init("shared partials")
	for _, l := range s.Layouts {
		if !strings.HasSuffix(l.Name, ".html") || isKind(l.Name) {
			continue
		}
		shared.str(l.Name)
		shared.str(string(l.Data))
		if slices.Contains(sharedPartials, l.Name) {
			partials.str(l.Name)
			partials.str(string(l.Data))
		}
	}
	f := r.fast
	var k keyHash
	k.init("summaries")
	k.str(s.SettingsGen)
	if f != nil && f.summaries {
		k.str("go")
	} else {
		k.num(shared.sum())
		k.str(string(r.layouts[kinds[0]].Data)) // their set
	}
	sumGen = k.sum()
	r.kindGen = make(map[string]uint64, len(kinds))
	for _, kind := range kinds {
		k.init("pages")
		k.str(s.SettingsGen)
		k.num(sumGen) // pages show summaries
		k.str(kind)
		if f != nil && f.frame && f.mains[kind] {
			k.str("go")
			k.num(partials.sum())
		} else {
			k.num(shared.sum())
			k.str(string(r.layouts[kind].Data))
		}
		r.kindGen[kind] = k.sum()
	}
	return sumGen
}

// options are a build's internal choices, for tests.
type options struct {
	templates bool // never write the default theme's layouts in Go
	noCompile bool // execute the layouts with html/template, not compiled
}

// converters are shared by every build, one for each Markdown setting.
var converters struct {
	sync.Mutex
	m map[string]*markdown.Converter
}

func converterFor(m content.MarkdownSettings) *markdown.Converter {
	key := fmt.Sprint(m.UnsafeHTML, m.IframeHosts)
	converters.Lock()
	defer converters.Unlock()
	if c, ok := converters.m[key]; ok {
		return c
	}
	if converters.m == nil {
		converters.m = map[string]*markdown.Converter{}
	}
	c := markdown.NewWithOptions(markdown.Options{UnsafeHTML: m.UnsafeHTML, IframeHosts: m.IframeHosts})
	converters.m[key] = c
	return c
}

// Render returns every output of s, sorted by path. cache may be nil; a
// cache given to successive builds of one site spares re-rendering what
// did not change.
func Render(ctx context.Context, s *site.Site, cache *Cache) ([]Output, diag.List) {
	if cache == nil {
		cache = &Cache{}
	}
	return render(ctx, s, cache, nil, options{})
}

// Stream renders every output of s and gives each to emit as soon as it is
// made, from several goroutines at once, keeping none: a single build's
// memory then does not grow with the size of its output. It drops each
// page's Markdown from s once converted: s cannot be rendered again. The
// Data of an output is valid only until emit returns. An error from emit stops the
// rendering and is returned; problems of the site are in the list, and
// when there is one, some outputs may have been emitted already.
func Stream(ctx context.Context, s *site.Site, emit func(Output) error) (diag.List, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var once sync.Once
	var emitErr error
	_, diags := render(ctx, s, &Cache{}, func(o Output) {
		if err := emit(o); err != nil {
			once.Do(func() { emitErr = err; cancel() })
		}
	}, options{})
	return diags, emitErr
}

// heldSummaryPosts is the number of posts up to which list entries are
// held whatever renders them (see renderer.holdSums). A commune's portal
// has a few thousand. A variable for tests.
var heldSummaryPosts = 20000

// bufs are the buffers pages are rendered into when streaming.
var bufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func render(ctx context.Context, s *site.Site, cache *Cache, emit func(Output), opt options) ([]Output, diag.List) {
	stream := emit != nil
	r, diags := prepare(ctx, s, cache, stream, opt)
	if r == nil {
		return nil, diags
	}

	jobs := r.jobs()
	var last []job // made once the others are: the search page, in a streamed build
	if stream {
		jobs = slices.DeleteFunc(jobs, func(j job) bool {
			if j.kind == "search.html" {
				last = append(last, j)
				return true
			}
			return false
		})
	}
	var outs []Output
	var entries []outputEntry
	if !stream {
		outs = make([]Output, len(jobs), len(jobs)+len(s.Files)+len(s.Assets)+len(s.Aliases)+len(s.Categories)+8)
		entries = make([]outputEntry, len(jobs))
		cache.outputs.prepare(jobs)
	}
	errs := make([]error, len(jobs))
	var jobDiags []diag.List
	if stream {
		jobDiags = make([]diag.List, len(jobs))
	}
	para.For(ctx, len(jobs), func(i int) {
		j := &jobs[i]
		if stream && j.page != nil && r.lazy[j.page.Num] {
			p := j.page
			body, err := p.Markdown()
			var res markdown.Result
			if err == nil {
				res, err = r.md.ConvertBody(body, resolver{s, p})
			}
			if err != nil {
				jobDiags[i].Errorf(diag.Pos{File: p.Path, Line: p.BodyLine}, "cannot render Markdown: %v", err)
				return
			}
			linkWarnings(p, &res, &jobDiags[i])
			*r.html(p) = res // only this job reads it
			p.Body = nil     // see convertAll
		}
		if stream {
			errs[i] = r.emitPage(j, emit)
			if j.page != nil {
				r.indexer.Read(r.docNums[j.page.Num], r.html(j.page).HTML)
				r.html(j.page).HTML = nil // only its own page shows it
			}
			return
		}
		e, ok := cache.outputs.find(i, j.out)
		switch {
		case ok && e.key == j.key && e.gen == r.kindGen[j.kind] && e.dataGen == s.DataGen:
		case ok && e.key == j.key && e.gen == r.kindGen[j.kind] && !e.usesData && !r.chromeUsesData:
			// Only the snapshots changed, and the page shows them only
			// in the sidebar: put the new one in place of the old.
			if e.off >= 0 {
				e.data = splice(e.data, e.off, e.n, r.sidebar)
				e.n = len(r.sidebar)
			}
			e.dataGen, e.outKey = s.DataGen, ""
		default:
			// placeSidebar copies the page: the buffer is used again.
			buf := bufs.Get().(*bytes.Buffer)
			defer bufs.Put(buf)
			buf.Reset()
			d := j.data()
			if err := r.execute(buf, j.kind, d); err != nil {
				errs[i] = err
				return
			}
			e = r.placeSidebar(buf.Bytes(), j.key, d.usesData || r.chromeUsesData, s.DataGen)
			e.gen = r.kindGen[j.kind]
		}
		if e.outKey == "" {
			e.outKey = formatKey(e.gen) + "\x00" + formatKey(e.key)
			if e.usesData || e.off >= 0 {
				e.outKey += "\x00" + s.DataGen
			}
		}
		entries[i] = e
		outs[i] = Output{Path: j.out, Data: e.data, Key: e.outKey}
	})
	if stream && ctx.Err() == nil {
		// The search index, now that every page is read, and the pages
		// that name its files.
		if r.index = r.indexer.Build(ctx, r.searchCategories()); r.index != nil {
			for i := range last {
				errs = append(errs, r.emitPage(&last[i], emit))
			}
			jobs = append(jobs, last...)
		}
	}
	for _, ds := range jobDiags {
		diags.Append(ds)
	}
	urls := make([]string, len(jobs))
	for i := range jobs {
		urls[i] = jobs[i].url
	}
	r.reportAll(&diags, errs, urls, "")
	if diags.HasErrors() || ctx.Err() != nil {
		if ctx.Err() != nil {
			diags.Errorf(diag.Pos{}, "build cancelled")
		}
		return nil, diags
	}
	if !stream {
		// Kept for the next build.
		paths := make([]string, len(jobs))
		for i := range jobs {
			paths[i] = jobs[i].out
		}
		cache.outputs = outputs{paths: paths, entries: entries}
	}
	// Feeds and the sitemap are made whole when what they show changed:
	// their keys are their hashes.
	rest := len(outs)
	outs = append(outs, r.feedOutput("rss.xml", s.Settings.Title, "/", s.Posts))
	for _, c := range s.Categories {
		outs = append(outs, r.feedOutput(strings.TrimPrefix(c.URL, "/")+"rss.xml", c.Name+" - "+s.Settings.Title, c.URL, c.Posts))
	}
	if len(cache.feeds) > len(outs)-rest {
		// Categories went: forget their feeds.
		kept := make(map[string]madeEntry, len(outs)-rest)
		for _, o := range outs[rest:] {
			if e, ok := cache.feeds[o.Path]; ok {
				kept[o.Path] = e
			}
		}
		cache.feeds = kept
	}
	outs = append(outs, r.sitemapOutputs(jobs)...)
	if !slices.ContainsFunc(s.Files, func(f site.StaticFile) bool { return f.Out == "robots.txt" }) {
		outs = append(outs, r.robots()) // content/robots.txt replaces it
	}
	outs = append(outs, r.aliases()...)
	for _, f := range r.index.Files {
		outs = append(outs, Output{Path: f.Path, Data: f.Data, Key: "search\x00" + f.Sum})
	}
	for i := range s.Files {
		f := &s.Files[i]
		outs = append(outs, Output{Path: f.Out, File: &f.File, Key: fmt.Sprintf("file\x00%s\x00%d\x00%d", f.Path, f.Size, f.Mod.UnixNano())})
	}
	for _, a := range s.Assets {
		outs = append(outs, Output{Path: a.Out, Data: a.Data, Key: "asset\x00" + a.Out})
	}
	if stream {
		para.For(ctx, len(outs)-rest, func(i int) { emit(outs[rest+i]) })
		if ctx.Err() != nil {
			diags.Errorf(diag.Pos{}, "build cancelled")
		}
		return nil, diags
	}
	return cache.sortOutputs(outs, rest), diags
}

// feedOutput is the feed at out of a list's newest posts, made again when
// one of them changed.
func (r *renderer) feedOutput(out, title, listPath string, posts []*site.Page) Output {
	var k keyHash
	k.init("feed")
	k.str(r.site.SettingsGen) // feeds show no layout
	k.str(title)
	k.str(listPath)
	n := min(len(posts), FeedItems)
	k.num(uint64(n))
	for _, p := range posts[:n] {
		k.num(r.sumKey(p))
	}
	key := k.sum()
	if e, ok := r.cache.feeds[out]; ok && e.key == key && !r.stream {
		return e.out
	}
	o := generated(out, r.feed(title, listPath, listPath+"rss.xml", posts))
	if !r.stream {
		r.cache.feeds[out] = madeEntry{key: key, out: o}
	}
	return o
}

// sitemapOutputs are the sitemap's files, made again when a page came,
// went or changed its date.
func (r *renderer) sitemapOutputs(jobs []job) []Output {
	s := r.site
	var k keyHash
	k.init("sitemap")
	k.str(s.SettingsGen) // the sitemap shows no layout
	for i := range jobs {
		j := &jobs[i]
		if j.noindex {
			continue
		}
		k.str(j.url)
		k.num(uint64(j.lastmod.Unix()))
		k.num(uint64(j.lastmod.Nanosecond()))
	}
	key := k.sum()
	if c := r.cache; !r.stream && c.sitemap.outs != nil && c.sitemap.key == key {
		return c.sitemap.outs
	}
	var locs []sitemapURL
	for _, j := range jobs {
		if j.noindex {
			continue
		}
		u := sitemapURL{Loc: s.AbsURL(j.url)}
		if !j.lastmod.IsZero() {
			u.LastMod = j.lastmod.In(s.Settings.Location).Format(time.RFC3339)
		}
		locs = append(locs, u)
	}
	slices.SortFunc(locs, func(a, b sitemapURL) int { return strings.Compare(a.Loc, b.Loc) })
	outs := r.sitemaps(locs)
	if !r.stream {
		r.cache.sitemap.key, r.cache.sitemap.outs = key, outs
	}
	return outs
}

// emitPage renders j for a streamed build, which keeps nothing for a next
// one: with its sidebar in place, into a buffer used again and again.
func (r *renderer) emitPage(j *job, emit func(Output)) error {
	buf := bufs.Get().(*bytes.Buffer)
	defer bufs.Put(buf)
	buf.Reset()
	d := j.data()
	d.Sidebar = r.sidebar
	if err := r.execute(buf, j.kind, d); err != nil {
		return err
	}
	emit(Output{Path: j.out, Data: buf.Bytes()})
	return nil
}

// prepare does what comes before the pages: parses the layouts, converts
// the Markdown, builds the search index and renders the shared fragments.
// It returns nil when there are errors.
func prepare(ctx context.Context, s *site.Site, cache *Cache, stream bool, opt options) (*renderer, diag.List) {
	var diags diag.List
	r := &renderer{site: s, md: converterFor(s.Settings.Markdown), layouts: map[string]content.File{}, cache: cache, stream: stream}
	for _, l := range s.Layouts {
		r.layouts[l.Name] = l
	}
	if !r.parse(&diags) {
		return nil, diags
	}
	if !opt.templates {
		r.fast = r.newFastTheme()
	}
	r.holdSums = len(s.Posts) <= heldSummaryPosts || r.fast == nil || !r.fast.frame || !r.fast.summaries || !r.fast.everyMain()
	if opt.noCompile {
		r.compiled = &compiledSets{}
	} else {
		r.compileLayouts()
	}
	cache.reset(r.gens())
	r.siteView = r.newSiteView()
	r.siteFeed = Link{Label: s.Settings.Title, URL: s.URL("/rss.xml")}
	r.tthc = r.tthcView()
	r.visits = r.visitsView()

	r.convertAll(ctx, &diags)
	if diags.HasErrors() {
		return nil, diags
	}
	if stream {
		// The index is made as pages are: each page's HTML is read
		// when its page is made, and goes with it (see render).
		docs, nums := r.searchDocs(false)
		r.indexer, r.docNums = search.NewBuilder(docs, nil), nums
	} else if r.index = r.searchIndex(ctx); r.index == nil {
		diags.Errorf(diag.Pos{}, "build cancelled")
		return nil, diags
	}

	shared := &Data{Site: r.siteView, tthc: r.tthc, visits: r.visits, URL: s.URL("/")}
	var err error
	if r.sidebar, err = r.partial("partials/sidebar.html", shared); err != nil {
		r.templateError(&diags, err, "the sidebar")
	}
	footerData := *shared
	footerData.usesData = false // the sidebar's use of the snapshots is not the footer's
	if r.footer, err = r.partial("partials/footer.html", &footerData); err != nil {
		r.templateError(&diags, err, "the footer")
	}
	r.headers = map[string]template.HTML{}
	for _, u := range append([]string{""}, menuURLs(r.siteView)...) {
		d := *shared
		d.URL, d.usesData = u, false
		if r.headers[u], err = r.partial("partials/header.html", &d); err != nil {
			r.templateError(&diags, err, "the header")
			break
		}
		r.chromeUsesData = r.chromeUsesData || d.usesData
	}
	r.chromeUsesData = r.chromeUsesData || footerData.usesData
	if diags.HasErrors() {
		return nil, diags
	}
	return r, diags
}

// CheckLayouts parses the layouts alone. A build whose content has errors
// renders nothing, yet reports the layouts' syntax errors with the rest,
// so that one run shows every error.
func CheckLayouts(layouts []content.File) diag.List {
	var diags diag.List
	r := &renderer{site: &site.Site{Layouts: layouts}, layouts: map[string]content.File{}}
	for _, l := range layouts {
		r.layouts[l.Name] = l
	}
	r.parse(&diags)
	return diags
}

// parse parses the layouts: the shared ones once, then each kind on a
// clone of them.
func (r *renderer) parse(diags *diag.List) bool {
	for _, name := range append([]string{baseLayout}, kinds...) {
		if _, ok := r.layouts[name]; !ok {
			diags.Errorf(diag.Pos{File: "layouts/" + name}, "missing layout: the site needs layouts/%s (or the default theme's)", name)
		}
	}
	if diags.HasErrors() {
		return false
	}
	common := template.New("").Funcs(r.funcs())
	for _, l := range r.site.Layouts {
		if isKind(l.Name) || !strings.HasSuffix(l.Name, ".html") {
			continue
		}
		if _, err := common.New(l.Name).Parse(string(l.Data)); err != nil {
			r.templateError(diags, err, "")
		}
	}
	// The kinds are parsed even after an error in a shared layout, so that
	// every syntax error is reported at once.
	r.tmpl = map[string]*template.Template{}
	for _, k := range kinds {
		t, err := common.Clone()
		if err == nil {
			_, err = t.New(k).Parse(string(r.layouts[k].Data))
		}
		if err != nil {
			r.templateError(diags, err, "")
			continue
		}
		r.tmpl[k] = t
	}
	return !diags.HasErrors()
}

func isKind(name string) bool {
	for _, k := range kinds {
		if k == name {
			return true
		}
	}
	return false
}

// sidebarMarker stands for the sidebar while a page is rendered, so that the
// page's cache entry knows where its sidebar is. It cannot come from a
// page's content: Markdown's raw HTML is not rendered, or goes through a
// sanitizer that drops comments, and text is escaped.
const sidebarMarker template.HTML = "<!--congxa:sidebar-->"

// placeSidebar replaces the marker in a rendered page with the sidebar and
// records where it is, in a copy of page. A layout that shows the sidebar
// other than once is treated as showing the snapshots: it is rendered again
// when they change.
func (r *renderer) placeSidebar(page []byte, key uint64, usesData bool, dataGen string) outputEntry {
	e := outputEntry{key: key, usesData: usesData, dataGen: dataGen, off: -1}
	m := []byte(sidebarMarker)
	// One look through the page: the first marker, then whether there
	// is another after it.
	at := bytes.Index(page, m)
	switch {
	case at < 0:
		e.data = bytes.Clone(page)
	case !bytes.Contains(page[at+len(m):], m):
		e.off = at
		e.n = len(r.sidebar)
		e.data = splice(page, e.off, len(m), r.sidebar)
	default:
		e.usesData = true
		e.data = bytes.ReplaceAll(page, m, []byte(r.sidebar))
	}
	return e
}

// splice returns page with its bytes [off, off+n) replaced by with.
func splice(page []byte, off, n int, with template.HTML) []byte {
	out := make([]byte, 0, len(page)-n+len(with))
	out = append(out, page[:off]...)
	out = append(out, with...)
	return append(out, page[off+n:]...)
}

func menuURLs(v *SiteView) []string {
	var out []string
	for _, m := range v.Menu {
		out = append(out, m.URL)
	}
	return out
}

// reportAll reports the errors of many renderings. One broken layout fails
// every page: each problem is reported once, with the first page it broke
// and how many others.
func (r *renderer) reportAll(diags *diag.List, errs []error, urls []string, what string) {
	type failure struct {
		pos        diag.Pos
		msg, first string
		others     int
	}
	var fails []*failure
	byKey := map[string]*failure{}
	for i, err := range errs {
		if err == nil {
			continue
		}
		pos, msg := r.errorPos(err)
		k := pos.String() + "\x00" + msg
		if f := byKey[k]; f != nil {
			f.others++
			continue
		}
		f := &failure{pos: pos, msg: msg, first: urls[i]}
		byKey[k] = f
		fails = append(fails, f)
	}
	for _, f := range fails {
		where := "while rendering " + what + f.first
		if f.others > 0 {
			where += fmt.Sprintf(" and %d other pages", f.others)
		}
		diags.Errorf(f.pos, "%s (%s)", f.msg, where)
	}
}

// execute renders a page of the layout kind into buf.
// The Go renderer writes the parts of the page whose layouts are the
// default theme's (see fast.go); the compiled layouts the others, as
// html/template would (see tmplc.go). A compiled layout that stops is
// executed by html/template, for the page or the error it gives.
func (r *renderer) execute(buf *bytes.Buffer, kind string, d *Data) error {
	f, c := r.fast, r.compiled
	start := buf.Len()
	switch {
	case f == nil:
	case f.frame && f.mains[kind]:
		f.page(buf, kind, d, nil)
		return nil
	case f.frame && f.mainTmpl[kind] != nil:
		var err error
		f.page(buf, kind, d, func() {
			if !c.run(c.mains[kind], buf, d, nil) {
				err = f.mainTmpl[kind].ExecuteTemplate(buf, "main", d)
			}
		})
		if err == nil {
			return nil
		}
		// Executed whole, for the error it gives there.
		buf.Truncate(start)
	case f.mains[kind] && f.frameTmpl != nil:
		// The compiled frame writes the Go main where it shows the
		// marker, when it shows it once.
		if c.run(c.frame, buf, d, func() { f.main(buf, kind, d) }) {
			return nil
		}
		if err := f.frameTmpl.ExecuteTemplate(buf, baseLayout, d); err != nil {
			buf.Truncate(start)
			break
		}
		page := buf.Bytes()[start:]
		m := []byte(mainMarker)
		if bytes.Count(page, m) != 1 {
			// Not shown once as HTML text: executed whole.
			buf.Truncate(start)
			break
		}
		at := bytes.Index(page, m)
		rest := bytes.Clone(page[at+len(m):])
		buf.Truncate(start + at)
		f.main(buf, kind, d)
		buf.Write(rest)
		return nil
	}
	if c.run(c.pages[kind], buf, d, nil) {
		return nil
	}
	return r.tmpl[kind].ExecuteTemplate(buf, baseLayout, d)
}

// summaryHTML renders a post's list entry and its link, partials/summary.html
// and partials/post-link.html.
func (r *renderer) summaryHTML(sum *Summary) (err error) {
	sum.held = r.holdSums
	if !sum.held {
		return nil
	}
	if r.fast != nil && r.fast.summaries {
		// Both in one string: held for the build, ten thousand of them
		// on a large site.
		b := bufs.Get().(*bytes.Buffer)
		b.Reset()
		r.fast.summary(b, sum)
		n := b.Len()
		r.fast.postLink(b, sum)
		both := b.String()
		bufs.Put(b)
		sum.HTML, sum.Link = template.HTML(both[:n]), template.HTML(both[n:])
		return nil
	}
	if sum.HTML, err = r.summaryPartial("partials/summary.html", sum); err == nil {
		sum.Link, err = r.summaryPartial("partials/post-link.html", sum)
	}
	return err
}

// summaryPartial renders the partial name for sum, compiled when it could
// be (see tmplc.go).
func (r *renderer) summaryPartial(name string, sum *Summary) (template.HTML, error) {
	var buf bytes.Buffer
	if r.compiled.run(r.compiled.partials[name], &buf, sum, nil) {
		return template.HTML(buf.String()), nil
	}
	return r.partial(name, sum)
}

func (r *renderer) partial(name string, d any) (template.HTML, error) {
	t := r.tmpl[kinds[0]]
	if t.Lookup(name) == nil {
		return "", nil
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, d); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil
}

// tmplErrRE reads text/template's "template: NAME:LINE[:COL]: …" and
// html/template's "html/template:NAME[:LINE[:COL]]: …".
var tmplErrRE = regexp.MustCompile(`^(?:html/)?template: ?([^:]+)(?::(\d+))?(?::(\d+))?: (.*)$`)

// errorPos finds the layout, line and column in a template error: the
// template packages give them only in the message.
func (r *renderer) errorPos(err error) (diag.Pos, string) {
	msg := err.Error()
	m := tmplErrRE.FindStringSubmatch(msg)
	if m == nil {
		return diag.Pos{File: "layouts"}, msg
	}
	file := "layouts/" + m[1]
	if l, ok := r.layouts[m[1]]; ok {
		file = l.Path
	}
	line, _ := strconv.Atoi(m[2])
	col, _ := strconv.Atoi(m[3])
	text := m[4]
	// "executing \"post.html\" at <.Page.Foo>: can't evaluate …" → keep the
	// part that says what is wrong.
	if i := strings.Index(text, ": "); strings.HasPrefix(text, "executing ") && i >= 0 {
		if j := strings.Index(text, " at <"); j >= 0 && j < i {
			text = text[j+4:]
		}
	}
	var te *template.Error
	if errors.As(err, &te) && te.ErrorCode == template.ErrBadHTML {
		// Found where the HTML stops making sense, which is often after
		// the mistake, in a layout that includes the one that has it.
		text += "; a quote or a tag left open before this point, perhaps in a layout this one includes?"
	}
	return diag.Pos{File: file, Line: line, Col: col}, text
}

func (r *renderer) templateError(diags *diag.List, err error, rendering string) {
	pos, msg := r.errorPos(err)
	if rendering != "" {
		msg += " (while rendering " + rendering + ")"
	}
	diags.Errorf(pos, "%s", msg)
}

func (r *renderer) funcs() template.FuncMap {
	return template.FuncMap{
		"url":    r.site.URL,
		"absurl": r.site.AbsURL,
		"asset": func(name string) (string, error) {
			a, ok := r.site.Asset(name)
			if !ok {
				return "", fmt.Errorf("no asset %q in assets/", name)
			}
			return r.site.URL(a.URL), nil
		},
		"upper": strings.ToUpper,
		"dict":  dict,
	}
}

// dict builds a map from key, value pairs, to pass several values to a
// partial.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict needs key, value pairs")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict keys must be strings")
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

func itoa(n int) string { return strconv.Itoa(n) }
