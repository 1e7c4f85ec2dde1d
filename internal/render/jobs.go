package render

import (
	"context"
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/congxa/congxa/internal/diag"
	"github.com/congxa/congxa/internal/markdown"
	"github.com/congxa/congxa/internal/para"
	"github.com/congxa/congxa/internal/search"
	"github.com/congxa/congxa/internal/site"
	"github.com/congxa/congxa/internal/vn"
)

// job is one page to render; data is built when the page is rendered, on
// the worker, so that views are not all held at once.
type job struct {
	out     string
	url     string
	lastmod time.Time // for the sitemap
	noindex bool      // left out of the sitemap
	kind    string
	key     uint64     // everything the page shows but the generation; see Cache
	page    *site.Page // the post or page shown, if any
	data    func() *Data
}

// searchDocs are the pages the search index holds: standalone pages, then
// posts from the oldest, so that a new post leaves the others' numbers
// alone. withHTML leaves each page's HTML out when false (see Stream).
// nums gives each page's number in docs, by Page.Num.
func (r *renderer) searchDocs(withHTML bool) (docs []search.Doc, nums []int) {
	s := r.site
	docs = make([]search.Doc, 0, len(s.Pages)+len(s.Posts))
	nums = make([]int, len(r.ents))
	// What a document shows besides what its page's summary key names:
	// URLs have the base path, dates are in the site's time zone.
	var g keyHash
	g.init("docs")
	g.str(s.BasePath)
	g.str(s.Settings.Location.String())
	docGen := g.sum()
	add := func(p *site.Page) {
		e := r.ents[p.Num]
		key := e.docKey
		if !e.hasDoc || e.docGen != docGen || e.docSum != e.sumKey {
			var k keyHash
			k.init("doc")
			k.num(docGen)
			k.num(e.sumKey)
			key = k.sum()
		}
		if !e.hasDoc || e.docKey != key {
			e.doc = search.Doc{
				Key:     formatKey(key),
				URL:     s.URL(p.URL),
				Title:   p.Title,
				Tags:    tagNames(p.Tags),
				Summary: p.Summary,
			}
			if p.HasDate {
				e.doc.Date = vn.FormatDate(p.Date, s.Settings.Location)
			}
			if p.Cat != nil {
				e.doc.Category = p.Cat.Name
			}
			e.hasDoc, e.docKey, e.docGen, e.docSum = true, key, docGen, e.sumKey
		}
		d := e.doc
		if withHTML {
			d.HTML = e.res.HTML
		}
		nums[p.Num] = len(docs)
		docs = append(docs, d)
	}
	for _, p := range s.Pages {
		add(p)
	}
	for i := len(s.Posts) - 1; i >= 0; i-- {
		add(s.Posts[i])
	}
	return docs, nums
}

func (r *renderer) searchCategories() []search.Category {
	cats := make([]search.Category, len(r.site.Categories))
	for i, c := range r.site.Categories {
		cats[i] = search.Category{Name: c.Name, Slug: c.Slug}
	}
	return cats
}

// fixedKey is the key of a page that shows nothing of the posts.
func fixedKey(what string) uint64 {
	var k keyHash
	k.init(what)
	return k.sum()
}

// searchIndex builds the search index from every page's HTML.
func (r *renderer) searchIndex(ctx context.Context) *search.Index {
	docs, _ := r.searchDocs(true)
	return search.Build(ctx, docs, r.searchCategories(), &r.cache.search)
}

func tagNames(tags []*site.Tag) []string {
	var out []string
	for _, t := range tags {
		out = append(out, t.Name)
	}
	return out
}

// resolver resolves the links of one page.
type resolver struct {
	s    *site.Site
	from *site.Page
}

func (r resolver) Resolve(dest string) (string, bool) { return r.s.Resolve(r.from.Page, dest) }

// convertAll converts every page's Markdown, in parallel, and makes the
// summaries that lists show. What the cache holds of a page is used again
// when what it was made from is the same.
func (r *renderer) convertAll(ctx context.Context, diags *diag.List) {
	var pages []*site.Page
	pages = append(pages, r.site.Posts...)
	pages = append(pages, r.site.Pages...)
	for i, p := range pages {
		if p.Num != i {
			panic(fmt.Sprintf("render: page %s is number %d of the site, not %d: the site was not made by site.Build", p.Path, p.Num, i))
		}
	}
	ents := r.cache.entries(pages, r.site.Shape())
	r.ents = ents
	r.cache.dirty = nil // set below, once every summary key is known
	errs := make([]error, len(pages))
	// Every page is converted here: the search index needs every page's
	// text before any page is made. A page whose summary is in its front
	// matter needs no summary from its Markdown.
	r.lazy = make([]bool, len(pages))
	para.For(ctx, len(pages), func(i int) {
		p, e := pages[i], ents[i]
		if r.stream && p.Summary != "" {
			// Converted when its page is made (see render), so that a
			// single build does not hold every page's HTML at once.
			r.lazy[i] = true
			e.md, e.res, e.sig = false, markdown.Result{}, ""
			return
		}
		if e.md && e.rev == p.Rev && (e.same(r.site, p) || r.linkSig(p, e.res.Links) == e.sig) {
			return
		}
		var res markdown.Result
		body, err := p.Markdown()
		switch {
		case err != nil:
			errs[i] = err
		case p.Summary != "":
			res, errs[i] = r.md.ConvertBody(body, resolver{r.site, p})
		default:
			res, errs[i] = r.md.Convert(body, resolver{r.site, p})
		}
		e.md, e.res, e.sig = false, markdown.Result{}, ""
		if errs[i] != nil {
			return
		}
		// A single build keeps nothing for a next one (md false).
		e.md, e.rev, e.res, e.sig = !r.stream, p.Rev, res, r.linkSig(p, res.Links)
		if r.stream {
			// A single build uses its model once, and the Markdown is
			// read only here: dropping it lets its file's bytes go
			// (tens of megabytes in a large site).
			p.Body = nil
		}
	})
	if ctx.Err() != nil {
		// Pages left unconverted: nothing below may be kept.
		diags.Errorf(diag.Pos{}, "build cancelled")
		return
	}
	var todo []int // posts whose list entry must be rendered
	r.sumKeys = make([]uint64, len(pages))
	for i, p := range pages {
		e := ents[i]
		if errs[i] != nil {
			diags.Errorf(diag.Pos{File: p.Path, Line: p.BodyLine}, "cannot render Markdown: %v", errs[i])
			continue
		}
		if !r.lazy[i] {
			linkWarnings(p, &e.res, diags)
		}
		// The search index's key of the page too.
		key := e.key
		if !e.same(r.site, p) {
			key = r.summaryKey(p, e.sig)
			e.keyShape, e.keyPage, e.keyCP, e.key = r.site.Shape(), p, p.Page, key
		}
		r.sumKeys[i] = key
		if e.sum != nil && e.sumKey == key && (e.sum.held || !r.holdSums) {
			continue
		}
		sum := p.Summary
		if sum == "" {
			sum = e.res.Summary
		}
		e.sumKey = key
		e.sum = &Summary{
			Title:    p.Title,
			URL:      r.site.URL(p.URL),
			Date:     r.date(p),
			DateISO:  r.dateISO(p),
			Category: r.categoryLink(p),
			Summary:  sum,
			Image:    r.imageURL(p),
			held:     !p.IsPost, // only posts' entries are rendered
		}
		if p.IsPost {
			todo = append(todo, i)
		}
	}
	if sh := r.site.Shape(); sh != 0 && sh == r.cache.shape && len(r.cache.sumKeys) == len(pages) && !r.stream {
		r.cache.dirty = make([]bool, len(pages))
		for i, k := range r.sumKeys {
			r.cache.dirty[i] = k != r.cache.sumKeys[i]
		}
	}
	errs = make([]error, len(todo))
	urls := make([]string, len(todo))
	para.For(ctx, len(todo), func(j int) {
		sum := ents[todo[j]].sum
		urls[j] = sum.URL
		errs[j] = r.summaryHTML(sum)
	})
	r.reportAll(diags, errs, urls, "the summary of ")
	cancelled := ctx.Err() != nil
	if cancelled {
		diags.Errorf(diag.Pos{}, "build cancelled")
	}
	for j, err := range errs {
		if err != nil || cancelled {
			// Not kept: made again at the next build. This build
			// stops at the error.
			ents[todo[j]].sum = nil
		}
	}
}

// linkWarnings reports the links of a page that lead nowhere.
func linkWarnings(p *site.Page, res *markdown.Result, diags *diag.List) {
	for _, l := range res.Links {
		if l.Removed {
			what := "link"
			if l.Image {
				what = "image"
			}
			diags.Warnf(diag.Pos{File: p.Path, Line: p.BodyLine + l.Line - 1, Col: l.Col}, "%s %q removed: its address could run script; use a path or an http, https, mailto or tel address", what, l.Dest)
			continue
		}
		if !l.Resolved {
			what := "link"
			if l.Image {
				what = "image"
			}
			diags.Warnf(diag.Pos{File: p.Path, Line: p.BodyLine + l.Line - 1, Col: l.Col}, "%s %q points to no page or file in the site", what, l.Dest)
		}
	}
}

func (r *renderer) date(p *site.Page) string {
	if !p.HasDate {
		return ""
	}
	return vn.FormatDateTime(p.Date, r.site.Settings.Location)
}

func (r *renderer) dateISO(p *site.Page) string {
	if !p.HasDate {
		return ""
	}
	return p.Date.In(r.site.Settings.Location).Format("2006-01-02T15:04:05-07:00")
}

func (r *renderer) imageURL(p *site.Page) string {
	if p.ImageURL == "" {
		return ""
	}
	return r.site.URL(p.ImageURL)
}

func (r *renderer) summaries(ps []*site.Page) []*Summary {
	out := make([]*Summary, len(ps))
	for i, p := range ps {
		out[i] = r.summary(p)
	}
	return out
}

// summary is the list entry of a page.
func (r *renderer) summary(p *site.Page) *Summary { return r.ents[p.Num].sum }

// html is a page's converted Markdown.
func (r *renderer) html(p *site.Page) *markdown.Result { return &r.ents[p.Num].res }

// sumKey names what a page's summary shows (see summaryKey).
func (r *renderer) sumKey(p *site.Page) uint64 { return r.sumKeys[p.Num] }

// jobs lists every page of the site.
func (r *renderer) jobs() []job {
	s := r.site
	per := s.Settings.PostsPerPage
	// As many as there will be: a job is large, and a large site has
	// tens of thousands.
	lists := func(n int) int { return max(1, (n+per-1)/per) }
	n := lists(len(s.Posts)) + len(s.Posts) + len(s.Pages) + 4
	for _, sec := range s.Sections {
		n += lists(len(sec.Posts))
	}
	for _, c := range s.Categories {
		n += lists(len(c.Posts))
	}
	for _, t := range s.Tags {
		n += lists(len(t.Posts))
	}
	for _, m := range s.Archive {
		n += lists(len(m.Posts))
	}
	// The last build's jobs are done with: their array is used again.
	jobs := r.cache.jobs[:0]
	if cap(jobs) < n || r.stream {
		jobs = make([]job, 0, n)
	}
	home := r.crumb("Trang chủ", "/")
	// In a model of the last build's shape, a list or page shows the same
	// posts in the same places: its key is the last one unless one of
	// those posts' summary key changed (see Cache.dirty).
	dirty := r.cache.dirty
	changed := func(ps []*site.Page) bool {
		for _, p := range ps {
			if dirty[p.Num] {
				return true
			}
		}
		return false
	}
	lastLists := r.cache.listKeys
	var listKeys []uint64
	if !r.stream {
		// Each list page's key is written where the last one was
		// read, so the array is used again.
		listKeys = lastLists[:0]
	}

	// list adds the pages of a list; feed is the list's own feed, if any.
	list := func(kind, title string, intro template.HTML, introKey uint64, lps []site.ListPage, crumbs []Link, feed *Link) {
		for _, lp := range lps {
			lp := lp
			var key uint64
			if at := len(listKeys); dirty != nil && at < len(lastLists) && !changed(lp.Posts) {
				key = lastLists[at]
				listKeys = append(listKeys, key)
			} else if !r.stream { // keys are for a next build
				var k keyHash
				k.init("list")
				k.str(kind)
				k.str(title)
				k.num(introKey)
				k.num(uint64(lp.Number))
				k.num(uint64(lp.Total))
				k.str(lp.First)
				for _, p := range lp.Posts {
					k.num(r.sumKey(p))
				}
				key = k.sum()
				listKeys = append(listKeys, key)
			}
			jobs = append(jobs, job{out: lp.Out, url: lp.URL, kind: "list.html", key: key, data: func() *Data {
				d := r.base(kind, title, lp.URL)
				if lp.Number > 1 {
					d.HeadTitle = fmt.Sprintf("%s - Trang %d - %s", title, lp.Number, s.Settings.Title)
					if kind == "home" {
						d.HeadTitle = fmt.Sprintf("Trang %d - %s", lp.Number, s.Settings.Title)
					}
				}
				d.Breadcrumb = crumbs
				if feed != nil {
					d.Feeds = append(d.Feeds, *feed)
				}
				d.List = &ListView{Number: lp.Number, Title: title, Intro: intro, Posts: r.summaries(lp.Posts), Pager: r.pager(lp)}
				d.List.Rest = d.List.Posts
				if kind == "home" && lp.Number == 1 && len(d.List.Posts) > 0 {
					d.List.Featured, d.List.Rest = d.List.Posts[0], d.List.Posts[1:]
				}
				return d
			}})
		}
	}
	list("home", "Tin mới nhất", "", 0, site.Paginate("/", s.Posts, per), nil, nil)
	for _, sec := range s.Sections {
		var intro template.HTML
		var introKey uint64 // the index's Rev; 0 for none
		if sec.Index != nil && len(sec.Index.Body) > 0 {
			res, err := r.md.Convert(sec.Index.Body, nil)
			if err == nil {
				intro = template.HTML(res.HTML)
			}
			introKey = sec.Index.Rev
		}
		list("section", sec.Title, intro, introKey, site.Paginate(sec.URL, sec.Posts, per), []Link{home}, nil)
	}
	for _, cat := range s.Categories {
		feed := &Link{Label: cat.Name + " - " + s.Settings.Title, URL: s.URL(cat.URL + "rss.xml")}
		list("category", cat.Name, "", 0, site.Paginate(cat.URL, cat.Posts, per), []Link{home}, feed)
	}
	for _, t := range s.Tags {
		list("tag", "Từ khóa: "+t.Name, "", 0, site.Paginate(t.URL, t.Posts, per), []Link{home}, nil)
	}
	archive := r.crumb("Lưu trữ", site.ArchivePath)
	for _, m := range s.Archive {
		list("month", fmt.Sprintf("Lưu trữ tháng %d/%d", m.Month, m.Year), "", 0, site.Paginate(m.URL, m.Posts, per), []Link{home, archive}, nil)
	}
	jobs = append(jobs, r.archiveJob(home))
	for _, p := range s.Posts {
		p := p
		var key uint64
		e := r.ents[p.Num]
		shape := s.Shape()
		if dirty != nil && e.postShape == shape && !dirty[p.Num] && !changed(p.Related) &&
			(p.Newer == nil || !dirty[p.Newer.Num]) && (p.Older == nil || !dirty[p.Older.Num]) {
			key = e.postKey
		} else if !r.stream { // keys are for a next build
			var k keyHash
			k.init("post")
			k.num(r.sumKey(p))
			k.num(uint64(len(p.Related)))
			for _, q := range p.Related {
				k.num(r.sumKey(q))
			}
			for _, q := range []*site.Page{p.Newer, p.Older} {
				if q == nil {
					k.num(0)
				} else {
					k.num(1)
					k.num(r.sumKey(q))
				}
			}
			key = k.sum()
			e.postShape, e.postKey = shape, key
		}
		jobs = append(jobs, job{out: p.Out, url: p.URL, lastmod: lastmod(p), kind: "post.html", key: key, page: p, data: func() *Data {
			d := r.base("post", p.Title, p.URL)
			d.Breadcrumb = []Link{home, r.crumb(p.Sec.Title, p.Sec.URL)}
			d.Page = r.pageView(p, "post.html")
			d.Description = d.Page.Summary
			d.Type, d.Published, d.Image = "article", d.Page.DateISO, r.absImage(p)
			if p.Cat != nil {
				d.Feeds = append(d.Feeds, Link{Label: p.Cat.Name + " - " + s.Settings.Title, URL: s.URL(p.Cat.URL + "rss.xml")})
			}
			return d
		}})
	}
	for _, p := range s.Pages {
		p := p
		var k keyHash
		k.init("page")
		k.num(r.sumKey(p))
		key := k.sum()
		jobs = append(jobs, job{out: p.Out, url: p.URL, lastmod: lastmod(p), kind: "page.html", key: key, page: p, data: func() *Data {
			d := r.base("page", p.Title, p.URL)
			d.Breadcrumb = []Link{home}
			d.Page = r.pageView(p, "page.html")
			d.Description = d.Page.Summary
			d.Image = r.absImage(p)
			return d
		}})
	}
	// Served for any missing URL, at any depth: every link in it is
	// absolute, like every other page's.
	jobs = append(jobs, job{out: "404.html", url: "/404.html", noindex: true, kind: "404.html", key: fixedKey("404"), data: func() *Data {
		d := r.base("notfound", "Không tìm thấy trang", "/404.html")
		d.Breadcrumb = []Link{home}
		d.SearchURL = s.URL(site.SearchPath)
		return d
	}})
	var searchKey uint64
	if r.index != nil { // a streamed build makes the index last, and needs no keys
		var k keyHash
		k.init("search")
		k.str(r.index.Entry)
		for _, c := range s.Categories {
			k.str(c.Name)
			k.str(c.Slug)
		}
		searchKey = k.sum()
	}
	jobs = append(jobs, job{out: strings.TrimPrefix(site.SearchPath, "/") + "index.html", url: site.SearchPath, kind: "search.html", key: searchKey, data: func() *Data {
		d := r.base("search", "Tìm kiếm", site.SearchPath)
		d.Breadcrumb = []Link{home}
		d.Description = "Tìm kiếm tin bài trên " + s.Settings.Title
		d.Search = &SearchView{Index: s.URL("/" + r.index.Entry), Archive: s.URL(site.ArchivePath)}
		for _, c := range s.Categories {
			d.Search.Categories = append(d.Search.Categories, Link{Label: c.Name, URL: c.Slug})
		}
		return d
	}})
	if r.tthc != nil {
		jobs = append(jobs, job{out: "tthc/index.html", url: site.TTHCPath, kind: "tthc.html", key: fixedKey("tthc\x00" + s.DataGen), data: func() *Data {
			d := r.base("tthc", "Kết quả giải quyết thủ tục hành chính", site.TTHCPath)
			d.Breadcrumb = []Link{home}
			d.Description = fmt.Sprintf("Kết quả giải quyết thủ tục hành chính đến tháng %s: %s hồ sơ, %s trước và đúng hạn.", r.tthc.Period, r.tthc.Processed, r.tthc.Resolved)
			return d
		}})
	}
	if !r.stream {
		r.cache.shape, r.cache.sumKeys, r.cache.listKeys = s.Shape(), r.sumKeys, listKeys
		r.cache.jobs = jobs
	}
	return jobs
}

// archiveJob is the archive's front page: every year and month with
// posts, newest first.
func (r *renderer) archiveJob(home Link) job {
	var years []ArchiveYear
	var key keyHash
	key.init("archive")
	for _, m := range r.site.Archive {
		if len(years) == 0 || years[len(years)-1].Year != m.Year {
			years = append(years, ArchiveYear{Year: m.Year})
		}
		y := &years[len(years)-1]
		y.Count += len(m.Posts)
		y.Months = append(y.Months, ArchiveMonth{Label: fmt.Sprintf("Tháng %d/%d", m.Month, m.Year), URL: r.site.URL(m.URL), Count: len(m.Posts)})
		key.str(m.URL)
		key.num(uint64(len(m.Posts)))
	}
	return job{out: strings.TrimPrefix(site.ArchivePath, "/") + "index.html", url: site.ArchivePath, kind: "archive.html", key: key.sum(), data: func() *Data {
		d := r.base("archive", "Lưu trữ", site.ArchivePath)
		d.Breadcrumb = []Link{home}
		d.Description = "Lưu trữ tin bài theo tháng - " + r.site.Settings.Title
		d.Archive = years
		return d
	}}
}

// lastmod is when a page last changed, for the sitemap.
func lastmod(p *site.Page) time.Time {
	if !p.Updated.IsZero() {
		return p.Updated
	}
	return p.Date
}

func (r *renderer) crumb(label, sitePath string) Link {
	return Link{Label: label, URL: r.site.URL(sitePath)}
}

func (r *renderer) base(kind, title, sitePath string) *Data {
	s := r.site
	url := s.URL(sitePath)
	d := &Data{
		Type:      "website",
		Feeds:     []Link{r.siteFeed},
		Site:      r.siteView,
		Kind:      kind,
		Title:     title,
		HeadTitle: title + " - " + s.Settings.Title,
		URL:       url,
		Canonical: s.AbsURL(sitePath),
		tthc:      r.tthc,
		visits:    r.visits,
		Sidebar:   sidebarMarker,
		Header:    r.header(url),
		Footer:    r.footer,
	}
	if kind == "home" {
		d.HeadTitle = s.Settings.Title
		d.Description = s.Settings.Title
	}
	return d
}

// header returns the header rendered for a page at url: with its menu item
// marked current if it has one.
func (r *renderer) header(url string) template.HTML {
	if h, ok := r.headers[url]; ok {
		return h
	}
	return r.headers[""]
}

// absImage is the full URL of a page's image, for Open Graph.
func (r *renderer) absImage(p *site.Page) string {
	if p.ImageURL == "" {
		return ""
	}
	return r.site.AbsURL(p.ImageURL)
}

// pageView is what the layout of kind shows of p.
func (r *renderer) pageView(p *site.Page, kind string) *PageView {
	res := r.html(p)
	sum := r.summary(p)
	v := &PageView{
		Title:    p.Title,
		URL:      sum.URL,
		Date:     sum.Date,
		DateISO:  sum.DateISO,
		Category: sum.Category,
		Image:    sum.Image,
		Summary:  sum.Summary,
		Related:  r.summaries(p.Related),
		content:  res.HTML,
	}
	if f := r.fast; f == nil || !f.frame || !f.mains[kind] {
		// A layout of the site's own may show it. A string is a copy of
		// the page's HTML: the Go renderer, which writes every part of
		// the page, writes the bytes.
		v.Content = template.HTML(res.HTML)
	}
	if p.Sec != nil {
		v.Section = &Link{Label: p.Sec.Title, URL: r.site.URL(p.Sec.URL)}
	}
	for _, t := range p.Tags {
		v.Tags = append(v.Tags, Link{Label: t.Name, URL: r.site.URL(t.URL)})
	}
	if !p.Updated.IsZero() {
		loc := r.site.Settings.Location
		if u := vn.FormatDateTime(p.Updated, loc); u != v.Date {
			v.Updated, v.UpdatedISO = u, p.Updated.In(loc).Format("2006-01-02T15:04:05-07:00")
		}
	}
	if p.Newer != nil {
		v.Newer = r.summary(p.Newer)
	}
	if p.Older != nil {
		v.Older = r.summary(p.Older)
	}
	return v
}
