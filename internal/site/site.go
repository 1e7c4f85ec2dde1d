// Package site assembles what content.Load read into the model of the
// portal: which pages exist, at which URLs, in which lists, in which order.
// It does no I/O.
//
// URLs (site paths, before the base URL's path is put in front):
//
//	content/<section>/<file>.md   /<section>/<slug>/        a post
//	content/<file>.md             /<slug>/                  a standalone page
//	                              /                         home: every post, newest first
//	                              /trang/<n>/               its page n (n ≥ 2)
//	                              /<section>/               a section's posts
//	                              /chuyen-muc/<slug>/       a category's posts
//	                              /the/<slug>/              a tag's posts
//	                              /luu-tru/                 the archive: every month with posts
//	                              /luu-tru/<yyyy>/<mm>/     a month's posts
//	                              /tthc/                    the TTHC statistics
//	                              /tim-kiem/                the search page, with its index below it
//	                              /assets/<path>.<hash>.<ext>  an asset
//
// A slug is the front matter's slug, else the title made into a slug (see
// vn.Slug); a title, category or tag with no letter or digit to make one
// from ("???") gets a stable hash instead (vn.SlugOrHash), with a warning.
// A page's aliases (its addresses in an older site) are published
// as pages that send the visitor on. Two things that would be published at
// the same path are an error naming both.
//
// A page is published when it is not a draft, its date has come and its
// expiry has not; Site.Next says when the next of these changes.
package site

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/congxa/congxa/internal/content"
	"github.com/congxa/congxa/internal/diag"
	"github.com/congxa/congxa/internal/safeurl"
	"github.com/congxa/congxa/internal/tthc"
	"github.com/congxa/congxa/internal/vn"
)

// Paths that the generator owns.
const (
	PagePrefix     = "trang"      // /trang/2/: page 2 of a list
	CategoryPrefix = "chuyen-muc" // /chuyen-muc/<slug>/
	TagPrefix      = "the"        // /the/<slug>/
	// A title, category or tag with no letter or digit to make a slug
	// from gets one of these followed by a hash: /tin-tuc/bai-1a2b3c4d/.
	HashedPagePrefix     = "bai"
	HashedCategoryPrefix = "muc"
	HashedTagPrefix      = "the"
	ArchivePath          = "/luu-tru/"
	TTHCPath             = "/tthc/"
	SearchPath           = "/tim-kiem/"
	AssetsDir            = "assets"
	RelatedPosts         = 5
)

// GeneratedFiles are the files every build writes at the top of the
// destination besides pages; a file of the site's cannot take their place.
// (robots.txt is not one: content/robots.txt replaces the generated one.)
var GeneratedFiles = []string{"404.html", "rss.xml", "sitemap.xml"}

// Options change what is published.
type Options struct {
	// Drafts: publish pages marked draft, dated in the future or expired
	// too, to preview them.
	Drafts bool
	// Now is the build's time: pages dated after it, or expired at it, are
	// not published. Zero publishes every page whatever its dates.
	Now time.Time
}

// Site is the portal.
type Site struct {
	Gen      string // changes when something every page shows changes (content.Site.Gen)
	ThemeGen string // changes with the settings, layouts and assets (content.Site.ThemeGen)
	DataGen  string // changes with the TTHC and visits snapshots (content.Site.DataGen)
	// SettingsGen changes with the settings and assets, not the layouts
	// (content.Site.SettingsGen).
	SettingsGen string
	Settings    *content.Settings
	BasePath    string  // the base URL's path: "/" or "/xa-bac-an/"
	origin      string  // the base URL without its path (see AbsURL), made once
	Posts       []*Page // every post, newest first
	Pages       []*Page // standalone pages, by path
	Sections    []*Section
	Categories  []*Category
	Tags        []*Tag   // by slug
	Archive     []*Month // newest first
	Aliases     []Alias  // by path
	// Next is the soonest time after Now at which a page is due to be
	// published or taken down, NextPage that page; zero when none is.
	Next     time.Time
	NextPage string
	// Scheduled counts the pages left out because their date has not
	// come; Expired, those left out because their time is over.
	Scheduled int
	Expired   int
	TTHC      *tthc.Snapshot
	Visits    *content.Visits
	Files     []StaticFile
	Assets    []Asset
	Layouts   []content.File

	byPath map[string]*Page  // "content/tin-tuc/x.md" → page
	files  map[string]string // "content/tai-lieu/x.pdf" → site path
	assets map[string]*Asset // "css/site.css" → asset

	// What the model was made from, for Rebuild: the loaded pages and
	// section indexes, the options, and what Build reported.
	src         []*content.Page
	srcSections map[string]*content.Page
	opt         Options
	diags       diag.List
	shape       uint64 // see Shape
}

// shapes numbers the models Build makes.
var shapes atomic.Uint64

// Shape names how the model arranges its pages. Two models of the same
// Shape, one made from the other by Rebuild, have the same Page values
// (the same pointers) at the same Num and URLs, in the same lists, with
// the same neighbours, related posts, categories, tags and sections, and
// resolve every link the same way: what may differ is the loaded content
// (Page.Page) of some pages, and what does not depend on the pages (the
// snapshots, the layouts). A later stage may keep what it made of a page
// whose Page and loaded content are the objects it made it from, in a
// model of the same Shape.
func (s *Site) Shape() uint64 { return s.shape }

// Page is a published Markdown page.
type Page struct {
	*content.Page
	// Num is the page's place in the site: its index in Posts, or
	// len(Posts) plus its index in Pages. Other stages keep what they
	// make of each page in slices by Num.
	Num    int
	Slug   string
	URL    string // site path: "/tin-tuc/x/"
	Out    string // output file: "tin-tuc/x/index.html"
	IsPost bool
	Sec    *Section
	Cat    *Category
	Tags   []*Tag // as the front matter lists them
	// Updated is when the page last changed, from its lastmod or, with
	// "lastmod: git", its file's last commit; zero when not after Date.
	Updated  time.Time
	Related  []*Page // same category, nearest in date, newest first
	Newer    *Page   // the next newer and older post of the same section
	Older    *Page
	ImageURL string // Image resolved to a site path or kept absolute
}

// Section is a folder of posts.
type Section struct {
	Name  string // "tin-tuc"
	Title string
	Index *content.Page // its _index.md, or nil
	URL   string
	Posts []*Page // newest first
}

// Category groups posts across sections.
type Category struct {
	Name  string
	Slug  string
	URL   string
	Posts []*Page // newest first
}

// Tag groups posts by the tags of their front matter.
type Tag struct {
	Name  string // the spelling of the first post that has it
	Slug  string
	URL   string
	Posts []*Page // newest first
}

// Month is one month of the archive.
type Month struct {
	Year  int
	Month time.Month
	URL   string  // "/luu-tru/2022/03/"
	Posts []*Page // newest first
}

// Alias is an old address of a page, published as a page that sends the
// visitor to it.
type Alias struct {
	Path   string // the alias as written: "/tin-tuc/bai-cu-1234.html"
	Out    string // the output file: "tin-tuc/bai-cu-1234.html"
	Target *Page
}

// StaticFile is a file under content/ published as it is.
type StaticFile struct {
	content.File
	Out string // "tai-lieu/x.pdf"
}

// Asset is a file under assets/, published under a name that carries a hash
// of its content so that it can be cached for ever.
type Asset struct {
	content.File
	Out string // "assets/css/site.1a2b3c4d5e.css"
	URL string // site path: "/assets/css/site.1a2b3c4d5e.css"
}

// URL joins a site path to the base path. Absolute URLs and fragments are
// returned as they are.
func (s *Site) URL(sitePath string) string {
	if isExternal(sitePath) {
		return sitePath
	}
	if s.BasePath == "/" && strings.HasPrefix(sitePath, "/") {
		return sitePath // the same string, not a copy: a URL a link
	}
	return s.BasePath + strings.TrimPrefix(sitePath, "/")
}

// AbsURL is the full URL of a site path, for canonical links and feeds.
func (s *Site) AbsURL(sitePath string) string {
	if isExternal(sitePath) {
		return sitePath
	}
	o := s.origin
	if o == "" {
		o = origin(s.Settings.BaseURL)
	}
	return o + s.URL(sitePath)
}

// origin is the base URL without its path: "https://bacan.gov.vn".
func origin(u *url.URL) string {
	return strings.TrimSuffix(u.String(), u.EscapedPath())
}

func isExternal(p string) bool {
	return strings.Contains(p, "://") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "#") ||
		strings.HasPrefix(p, "mailto:") || strings.HasPrefix(p, "tel:")
}

// Asset returns the asset published for name ("css/site.css").
func (s *Site) Asset(name string) (*Asset, bool) {
	a, ok := s.assets[name]
	return a, ok
}

// PageAt returns the page read from a content path.
func (s *Site) PageAt(contentPath string) (*Page, bool) {
	p, ok := s.byPath[contentPath]
	return p, ok
}

// Resolve maps a link written in the page at from ("hop-dan.jpg",
// "../tai-lieu/x.pdf", "bai-khac.md#muc") to the URL it is published at.
func (s *Site) Resolve(from *content.Page, dest string) (string, bool) {
	p, rest, ok := s.resolve(from, dest)
	if !ok {
		return "", false
	}
	if p == "" {
		return rest, true
	}
	return s.URL(p) + rest, true
}

// resolve returns the site path of dest and its query or fragment.
func (s *Site) resolve(from *content.Page, dest string) (sitePath, rest string, ok bool) {
	if i := strings.IndexAny(dest, "?#"); i >= 0 {
		dest, rest = dest[:i], dest[i:]
	}
	if dest == "" {
		return "", rest, true
	}
	if u, err := url.PathUnescape(dest); err == nil {
		dest = u // "Ảnh%201.jpg" names the file "Ảnh 1.jpg"
	}
	target := path.Join("content", from.Dir, dest)
	if !strings.HasPrefix(target, "content/") {
		return "", "", false
	}
	if p, ok := s.byPath[target]; ok {
		return p.URL, rest, true
	}
	if f, ok := s.files[target]; ok {
		return f, rest, true
	}
	for _, sec := range s.Sections {
		if "content/"+sec.Name == target || "content/"+sec.Name+"/_index.md" == target {
			return sec.URL, rest, true
		}
	}
	return "", "", false
}

// Build assembles the model.
func Build(c *content.Site, opt Options) (*Site, diag.List) {
	var diags diag.List
	s := &Site{
		Gen:         c.Gen,
		ThemeGen:    c.ThemeGen,
		DataGen:     c.DataGen,
		SettingsGen: c.SettingsGen,
		Settings:    c.Settings,
		BasePath:    c.Settings.BaseURL.Path,
		origin:      origin(c.Settings.BaseURL),
		TTHC:        c.TTHC,
		Visits:      c.Visits,
		Layouts:     c.Layouts,
		byPath:      make(map[string]*Page, len(c.Pages)),
		files:       make(map[string]string, len(c.Files)),
		assets:      make(map[string]*Asset, len(c.Assets)),
	}
	// output path → what claimed it: every page, and about as many
	// pages of lists.
	claims := make(map[string]string, 2*len(c.Pages)+len(c.Files)+len(c.Assets)+64)
	// claim records that owner publishes out; a second owner is an error at
	// pos naming the first.
	claim := func(out, owner string, pos diag.Pos) bool {
		if prev, ok := claims[out]; ok {
			what := "this file"
			if strings.HasSuffix(owner, aliasMark) {
				what = "this alias"
			} else if strings.HasSuffix(owner, ".md") {
				what = "this page"
			} else if !strings.HasPrefix(owner, "content/") {
				what = owner
			}
			diags.Errorf(pos, "%s would be published at /%s, which is already taken by %s", what, strings.TrimSuffix(out, "index.html"), prev)
			return false
		}
		claims[out] = owner
		return true
	}
	// The generator's own pages first, so that a page colliding with one is
	// the one reported.
	claim("index.html", "the home page", diag.Pos{})
	claim(strings.TrimPrefix(TTHCPath, "/")+"index.html", "the TTHC page", diag.Pos{})
	for _, f := range GeneratedFiles {
		claim(f, "the generated /"+f, diag.Pos{})
	}
	claim(strings.TrimPrefix(SearchPath, "/")+"index.html", "the search page", diag.Pos{})
	reserved := map[string]string{PagePrefix: "pages of the home list", CategoryPrefix: "category lists", TagPrefix: "tag lists", strings.Trim(ArchivePath, "/"): "the archive", AssetsDir: "assets", strings.Trim(SearchPath, "/"): "the search page and its index"}

	sections := map[string]*Section{}
	categories := map[string]*Category{}
	catSlugs := map[string]string{}
	tags := map[string]*Tag{}
	var withAliases []*Page // claimed last, by path
	var withImages []*Page  // resolved once every file is known
	// The folder part of each folder's URLs, made once: "tin-tuc/", plain
	// when joining it to a slug is putting them end to end (else the
	// folder's slug path, to join with path.Join).
	type folderURL struct {
		prefix string
		plain  bool
	}
	folders := map[string]folderURL{}
	tagSlugs := map[string]string{} // tag → its slug, made once
	for _, cp := range c.Pages {
		if !s.published(cp, opt) {
			continue
		}
		p := &Page{Page: cp, IsPost: cp.Section != ""}
		p.Updated = cp.LastMod
		if t, ok := c.GitDates[cp.Path]; ok && cp.LastMod.IsZero() {
			p.Updated = t
		}
		if !p.Updated.After(cp.Date) {
			p.Updated = time.Time{}
		}
		p.Slug = cp.Slug
		hashed := false
		if p.Slug == "" {
			p.Slug = cp.TitleSlug
			if p.Slug == "" {
				p.Slug = vn.Slug(cp.Title) // a page not made by content.Load
			}
			p.Slug = shorten(p.Slug)
			if p.Slug == "" {
				// A title with no letter or digit ("???"): a URL all the
				// same, stable across builds.
				p.Slug, hashed = vn.SlugOrHash(cp.Title, HashedPagePrefix), true
			}
		} else if vn.Slug(p.Slug) != p.Slug {
			diags.Errorf(cp.At("slug"), "slug %q may hold only a-z, 0-9 and single hyphens; did you mean %q?", p.Slug, vn.Slug(p.Slug))
			continue
		} else if len(p.Slug) > MaxSlug {
			diags.Errorf(cp.At("slug"), "slug is %d characters long; keep it to %d, e.g. %q", len(p.Slug), MaxSlug, shorten(p.Slug))
			continue
		}
		f, ok := folders[cp.Dir]
		if !ok {
			dir := slugDir(cp.Dir)
			f.prefix = dir + "/"
			if dir == "" {
				f.prefix = ""
			}
			f.plain = path.Join(dir, "x") == f.prefix+"x"
			if !f.plain {
				f.prefix = dir
			}
			folders[cp.Dir] = f
		}
		if f.plain && plainSlug(p.Slug) {
			p.URL = "/" + f.prefix + p.Slug + "/"
		} else {
			p.URL = "/" + path.Join(f.prefix, p.Slug) + "/"
		}
		p.Out = strings.TrimPrefix(p.URL, "/") + "index.html"
		if hashed {
			diags.Warnf(cp.At("title"), "title %q has no letter or digit to make its URL from: published at %s; add a slug for a readable address", cp.Title, p.URL)
		}
		if !p.IsPost {
			first, _, _ := strings.Cut(strings.TrimPrefix(p.URL, "/"), "/")
			if what, ok := reserved[first]; ok {
				diags.Errorf(cp.At("title"), "%s would be published at %s, which is kept for %s: give it another slug", cp.Path, p.URL, what)
				continue
			}
		}
		if _, taken := claims[p.Out]; !taken {
			claims[p.Out] = cp.Path // what claim does, without looking up a position
		} else {
			at := cp.At("title")
			if cp.Slug != "" {
				at = cp.At("slug")
			}
			claim(p.Out, cp.Path, at)
			continue
		}
		s.byPath[cp.Path] = p
		if len(cp.Aliases) > 0 {
			withAliases = append(withAliases, p)
		}
		if cp.Image != "" {
			withImages = append(withImages, p)
		}
		if !p.IsPost {
			s.Pages = append(s.Pages, p)
			continue
		}
		sec := sections[cp.Section]
		if sec == nil {
			sec = &Section{Name: cp.Section, URL: "/" + slugDir(cp.Section) + "/", Index: c.Sections[cp.Section]}
			sec.Title = sectionTitle(sec)
			sections[cp.Section] = sec
		}
		p.Sec = sec
		if cp.Category != "" {
			slug, ok := catSlugs[cp.Category]
			if !ok {
				slug = shorten(vn.Slug(cp.Category))
				if slug == "" {
					slug = vn.SlugOrHash(cp.Category, HashedCategoryPrefix)
					diags.Warnf(cp.At("category"), "category %q has no letter or digit to make its URL from: its list is at /%s/%s/", cp.Category, CategoryPrefix, slug)
				}
				catSlugs[cp.Category] = slug
			}
			if cat := categories[slug]; cat != nil {
				if cat.Name != cp.Category {
					diags.Warnf(cp.At("category"), "category %q is shown as %q, the spelling of an earlier post: use one spelling", cp.Category, cat.Name)
				}
				p.Cat = cat
			} else {
				p.Cat = &Category{Name: cp.Category, Slug: slug, URL: "/" + CategoryPrefix + "/" + slug + "/"}
				categories[slug] = p.Cat
			}
		}
		for _, name := range cp.Tags {
			slug, ok := tagSlugs[name]
			if !ok {
				slug = shorten(vn.Slug(name))
				tagSlugs[name] = slug
			}
			if slug == "" {
				slug = vn.SlugOrHash(name, HashedTagPrefix)
				if tags[slug] == nil {
					diags.Warnf(cp.At("tags"), "tag %q has no letter or digit to make its URL from: its list is at /%s/%s/", name, TagPrefix, slug)
				}
			}
			switch t := tags[slug]; {
			case t == nil:
				t = &Tag{Name: name, Slug: slug, URL: "/" + TagPrefix + "/" + slug + "/"}
				tags[slug] = t
				p.Tags = append(p.Tags, t)
			case slices.Contains(p.Tags, t):
				// the same tag twice
			default:
				if t.Name != name {
					diags.Warnf(cp.At("tags"), "tag %q is shown as %q, the spelling of an earlier post: use one spelling", name, t.Name)
				}
				p.Tags = append(p.Tags, t)
			}
		}
		s.Posts = append(s.Posts, p)
	}
	// Sort once; each section's and category's list is then the sorted list
	// filtered, in order.
	sortPosts(s.Posts)
	months := map[[2]int]*Month{}
	for _, p := range s.Posts {
		p.Sec.Posts = append(p.Sec.Posts, p)
		if p.Cat != nil {
			p.Cat.Posts = append(p.Cat.Posts, p)
		}
		for _, t := range p.Tags {
			t.Posts = append(t.Posts, p)
		}
		if !p.HasDate {
			continue
		}
		d := p.Date.In(c.Settings.Location)
		k := [2]int{d.Year(), int(d.Month())}
		m := months[k]
		if m == nil {
			m = &Month{Year: k[0], Month: d.Month(), URL: fmt.Sprintf("%s%04d/%02d/", ArchivePath, k[0], k[1])}
			months[k] = m
			s.Archive = append(s.Archive, m) // posts are newest first, so months are too
		}
		m.Posts = append(m.Posts, p)
	}
	for _, t := range tags {
		s.Tags = append(s.Tags, t)
	}
	slices.SortFunc(s.Tags, func(a, b *Tag) int { return strings.Compare(a.Slug, b.Slug) })
	for name, idx := range c.Sections {
		if _, ok := sections[name]; !ok && (!idx.Draft || opt.Drafts) {
			sec := &Section{Name: name, URL: "/" + slugDir(name) + "/", Index: idx}
			sec.Title = sectionTitle(sec)
			sections[name] = sec
		}
	}

	for _, sec := range sections {
		if _, ok := reserved[slugDir(sec.Name)]; ok {
			diags.Errorf(diag.Pos{File: "content/" + sec.Name}, "the folder name %q is kept for %s: rename the folder", sec.Name, reserved[slugDir(sec.Name)])
			continue
		}
		pos := diag.Pos{File: "content/" + sec.Name}
		if sec.Index != nil {
			pos = sec.Index.At("title")
		}
		claim(strings.TrimPrefix(sec.URL, "/")+"index.html", "the list of section "+sec.Name, pos)
		s.Sections = append(s.Sections, sec)
		for i, p := range sec.Posts {
			if i > 0 {
				p.Newer = sec.Posts[i-1]
			}
			if i+1 < len(sec.Posts) {
				p.Older = sec.Posts[i+1]
			}
		}
	}
	sort.Slice(s.Sections, func(i, j int) bool { return s.Sections[i].Name < s.Sections[j].Name })
	var related []*Page // the backing of every post's Related
	for _, cat := range categories {
		s.Categories = append(s.Categories, cat)
		for i, p := range cat.Posts {
			if len(related) < RelatedPosts {
				related = make([]*Page, RelatedPosts*min(len(s.Posts), 4096))
			}
			p.Related, related = nearest(cat.Posts, i, RelatedPosts, related)
		}
	}
	sort.Slice(s.Categories, func(i, j int) bool { return s.Categories[i].Slug < s.Categories[j].Slug })
	sort.Slice(s.Pages, func(i, j int) bool { return s.Pages[i].Path < s.Pages[j].Path })
	for i, p := range s.Posts {
		p.Num = i
	}
	for i, p := range s.Pages {
		p.Num = len(s.Posts) + i
	}

	// The lists and the generated files, so that a file or an alias
	// published at one of their paths is reported.
	per := c.Settings.PostsPerPage
	// lists claims pages from..n of a list of posts.
	lists := func(what, url string, posts, from int) {
		for n := from; n <= max(1, (posts+per-1)/per); n++ {
			claim(strings.TrimPrefix(PageURL(url, n), "/")+"index.html", what, diag.Pos{})
		}
	}
	lists("the home page", "/", len(s.Posts), 2) // page 1 is claimed above
	for _, sec := range s.Sections {
		lists("the list of section "+sec.Name, sec.URL, len(sec.Posts), 2)
	}
	for _, cat := range s.Categories {
		lists("the list of category "+cat.Name, cat.URL, len(cat.Posts), 1)
		claim(strings.TrimPrefix(cat.URL, "/")+"rss.xml", "the feed of category "+cat.Name, diag.Pos{})
	}
	for _, t := range s.Tags {
		lists("the list of tag "+t.Name, t.URL, len(t.Posts), 1)
	}
	claim(strings.TrimPrefix(ArchivePath, "/")+"index.html", "the archive", diag.Pos{})
	for _, m := range s.Archive {
		lists("the archive of "+m.URL, m.URL, len(m.Posts), 1)
	}

	for _, f := range c.Files {
		// Folders are published as slugs, like sections; the file keeps
		// its name, which is what a visitor downloading it expects.
		out := path.Join(slugDir(path.Dir(f.Name)), path.Base(f.Name))
		if !claim(out, f.Path, diag.Pos{File: f.Path}) {
			continue
		}
		s.Files = append(s.Files, StaticFile{File: f, Out: out})
		s.files[f.Path] = "/" + out
	}
	for _, f := range c.Assets {
		a := Asset{File: f, Out: AssetsDir + "/" + hashed(f.Name, f.Data)}
		a.URL = "/" + a.Out
		if !claim(a.Out, f.Path, diag.Pos{File: f.Path}) {
			continue
		}
		s.Assets = append(s.Assets, a)
	}
	for i := range s.Assets {
		s.assets[s.Assets[i].Name] = &s.Assets[i]
	}
	// Aliases last: an old address cannot take a page's place.
	sort.Slice(withAliases, func(i, j int) bool { return withAliases[i].Path < withAliases[j].Path })
	for _, p := range withAliases {
		for i, a := range p.Aliases {
			out, err := url.PathUnescape(strings.TrimPrefix(a, "/"))
			if err != nil {
				diags.Errorf(p.AliasPos[i], "alias %q: %v", a, err)
				continue
			}
			if strings.HasSuffix(out, "/") || path.Ext(out) == "" {
				out = strings.TrimSuffix(out, "/") + "/index.html"
			}
			if !claim(out, p.Path+aliasMark, p.AliasPos[i]) {
				continue
			}
			if ext := strings.ToLower(path.Ext(out)); ext != ".html" && ext != ".htm" {
				diags.Warnf(p.AliasPos[i], "alias %q ends in %s: a static web server sends such a file as a download, not a page; redirect it in the server's settings instead", a, ext)
			}
			s.Aliases = append(s.Aliases, Alias{Path: a, Out: out, Target: p})
		}
	}
	sort.Slice(s.Aliases, func(i, j int) bool { return s.Aliases[i].Out < s.Aliases[j].Out })

	// Images named in front matter are resolved once every file is known.
	for _, p := range withImages {
		if sch := safeurl.Scheme(p.Image); sch != "" && sch != "http" && sch != "https" {
			diags.Errorf(p.At("image"), "image %q: use a picture next to the page (anh.jpg), a site path (/anh/x.jpg) or an http or https address", p.Image)
			continue
		}
		if isExternal(p.Image) || strings.HasPrefix(p.Image, "/") {
			p.ImageURL = p.Image
		} else if u, rest, ok := s.resolve(p.Page, p.Image); ok {
			p.ImageURL = u + rest
		} else {
			diags.Errorf(p.At("image"), "image %q: no such file next to the page", p.Image)
		}
	}
	s.src, s.srcSections, s.opt, s.diags = c.Pages, c.Sections, opt, slices.Clone(diags)
	s.shape = shapes.Add(1)
	return s, diags
}

// aliasMark follows the path of a page that claims an output for an alias.
const aliasMark = " (an alias)"

// published reports whether a page is published at opt.Now, and keeps
// track of the next page due to change.
func (s *Site) published(p *content.Page, opt Options) bool {
	if opt.Drafts {
		return true
	}
	if p.Draft {
		return false
	}
	if opt.Now.IsZero() {
		return true
	}
	next := func(t time.Time) {
		if s.Next.IsZero() || t.Before(s.Next) || (t.Equal(s.Next) && p.Path < s.NextPage) {
			s.Next, s.NextPage = t, p.Path
		}
	}
	switch {
	case p.HasDate && p.Date.After(opt.Now):
		s.Scheduled++
		next(p.Date)
		return false
	case !p.Expires.IsZero() && !p.Expires.After(opt.Now):
		s.Expired++
		return false
	case !p.Expires.IsZero():
		next(p.Expires)
	}
	return true
}

// plainSlug reports whether a slug is only a-z, 0-9 and hyphens: joined
// to a clean folder path, it is put at its end as it is.
func plainSlug(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// MaxSlug is the longest slug made from a title or a category. A title of
// an official document can run to 300 characters, and a file name (the
// slug is a folder of the output) to 255 bytes at most.
const MaxSlug = 120

// shorten cuts a slug to MaxSlug characters at a word boundary.
func shorten(slug string) string {
	if len(slug) <= MaxSlug {
		return slug
	}
	if i := strings.LastIndexByte(slug[:MaxSlug+1], '-'); i > 0 {
		return slug[:i]
	}
	return slug[:MaxSlug]
}

// slugDir makes each folder of a content path a slug, so that a folder
// named "tin-tức" publishes at /tin-tuc/: URLs carry no diacritics.
func slugDir(dir string) string {
	if dir == "" {
		return ""
	}
	parts := strings.Split(dir, "/")
	for i, p := range parts {
		if s := vn.Slug(p); s != "" {
			parts[i] = s
		}
	}
	return strings.Join(parts, "/")
}

func sectionTitle(sec *Section) string {
	if sec.Index != nil && sec.Index.Title != "" {
		return sec.Index.Title
	}
	t := strings.ReplaceAll(sec.Name, "-", " ")
	r, size := utf8.DecodeRuneInString(t)
	if size == 0 {
		return t
	}
	return string(unicode.ToUpper(r)) + t[size:]
}

// sortPosts orders posts newest first; posts of the same second by path, so
// that the order never depends on the file system.
func sortPosts(ps []*Page) {
	// By keys made once: comparing times is slow beside comparing
	// numbers, and a large site has tens of thousands of posts.
	type keyed struct {
		sec  int64
		nsec int
		p    *Page
	}
	ks := make([]keyed, len(ps))
	for i, p := range ps {
		ks[i] = keyed{p.Date.Unix(), p.Date.Nanosecond(), p}
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		if a.sec != b.sec {
			return cmp.Compare(b.sec, a.sec)
		}
		if a.nsec != b.nsec {
			return cmp.Compare(b.nsec, a.nsec)
		}
		return strings.Compare(a.p.Path, b.p.Path)
	})
	for i := range ks {
		ps[i] = ks[i].p
	}
}

// nearest returns up to n posts around posts[i] (the list is sorted by
// date), nearest first by position, newest first: neighbours in a sorted
// list, so that finding them costs O(n) per post, not O(posts). They are
// the posts on each side of i, taken in turn from the older side, so they
// are a run of the list without posts[i], in its order. The result is cut
// from the front of backing, which is returned without it.
func nearest(posts []*Page, i, n int, backing []*Page) (related, rest []*Page) {
	lo, hi := i, i // posts[lo:hi+1] holds them and posts[i]
	for k, d := 0, 1; k < n && (i-d >= 0 || i+d < len(posts)); d++ {
		if i+d < len(posts) {
			hi, k = i+d, k+1
		}
		if k < n && i-d >= 0 {
			lo, k = i-d, k+1
		}
	}
	out := backing[:0:n]
	out = append(out, posts[lo:i]...)
	out = append(out, posts[i+1:hi+1]...)
	if len(out) == 0 {
		return nil, backing
	}
	return out[:len(out):len(out)], backing[len(out):]
}

func hashed(name string, data []byte) string {
	sum := sha256.Sum256(data)
	h := hex.EncodeToString(sum[:])[:10]
	ext := path.Ext(name)
	return strings.TrimSuffix(name, ext) + "." + h + ext
}

// ListPage is one page of a paginated list.
type ListPage struct {
	Number int
	Total  int
	URL    string // site path
	Out    string
	Posts  []*Page
	First  string // site path of page 1, for "previous"/"next" links
}

// PageURL is the site path of page n of the list at base.
func PageURL(base string, n int) string {
	if n <= 1 {
		return base
	}
	return base + PagePrefix + "/" + strconv.Itoa(n) + "/"
}

// Paginate splits posts into pages of per posts. A list with no posts has
// one empty page.
func Paginate(base string, posts []*Page, per int) []ListPage {
	total := (len(posts) + per - 1) / per
	if total == 0 {
		total = 1
	}
	out := make([]ListPage, total)
	for n := 1; n <= total; n++ {
		lo, hi := (n-1)*per, n*per
		if hi > len(posts) {
			hi = len(posts)
		}
		u := PageURL(base, n)
		out[n-1] = ListPage{Number: n, Total: total, URL: u, Out: strings.TrimPrefix(u, "/") + "index.html", Posts: posts[lo:hi], First: base}
	}
	return out
}
