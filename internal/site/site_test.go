package site

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/congxa/congxa/internal/content"
	"github.com/congxa/congxa/internal/tthc"
	"github.com/congxa/congxa/internal/vn"
)

func settings(t *testing.T, baseURL string) *content.Settings {
	t.Helper()
	u, err := content.ParseBaseURL(baseURL)
	if err != nil {
		t.Fatal(err)
	}
	loc, err := vn.LoadLocation("")
	if err != nil {
		t.Fatal(err)
	}
	return &content.Settings{Title: "Trang thông tin điện tử xã Bắc An", BaseURL: u, PostsPerPage: 10, TimeZone: "Asia/Ho_Chi_Minh", Location: loc}
}

// day is noon of a day in December 2023, Vietnam time, as a fixed offset so
// that nothing depends on the machine's zone database or zone.
func day(d int) time.Time {
	return time.Date(2023, 12, d, 12, 0, 0, 0, time.FixedZone("ICT", 7*3600))
}

// page makes a content.Page as content.Load would for p. Options set the
// front matter: "title=…", "slug=…", "category=…", "image=…", "draft",
// "date=<day>".
func page(p string, opts ...string) *content.Page {
	rel := strings.TrimPrefix(p, "content/")
	dir := path.Dir(rel)
	if dir == "." {
		dir = ""
	}
	section, _, _ := strings.Cut(dir, "/")
	base := path.Base(rel)
	cp := &content.Page{
		Path: p, Dir: dir, Section: section, Name: strings.TrimSuffix(base, ".md"),
	}
	line := 2
	set := func(key string) {
		cp.Keys = append(cp.Keys, content.KeyPos{Key: key, Line: int32(line), Col: int32(len(key) + 3)})
		line++
	}
	for _, o := range opts {
		k, v, _ := strings.Cut(o, "=")
		set(k)
		switch k {
		case "title":
			cp.Title = v
		case "slug":
			cp.Slug = v
		case "category":
			cp.Category = v
		case "image":
			cp.Image = v
		case "draft":
			cp.Draft = true
		case "date":
			var d int
			fmt.Sscan(v, &d)
			cp.Date, cp.HasDate = day(d), true
		case "expires", "lastmod":
			var d int
			fmt.Sscan(v, &d)
			if k == "expires" {
				cp.Expires = day(d)
			} else {
				cp.LastMod = day(d)
			}
		case "tags":
			cp.Tags = strings.Split(v, ",")
		default:
			panic(o)
		}
	}
	return cp
}

func newSite(t *testing.T, pages ...*content.Page) *content.Site {
	return &content.Site{Settings: settings(t, "https://bacan.gov.vn/"), Pages: pages, Sections: map[string]*content.Page{}}
}

func build(t *testing.T, c *content.Site, opt Options) *Site {
	t.Helper()
	s, diags := Build(c, opt)
	if len(diags) > 0 {
		t.Fatalf("diagnostics:\n%s", diags)
	}
	return s
}

func urls(ps []*Page) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.URL)
	}
	return out
}

func paths(ps []*Page) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Path)
	}
	return out
}

func TestPostAndPageURLs(t *testing.T) {
	c := newSite(t,
		page("content/gioi-thieu.md", "title=Giới thiệu"),
		page("content/lien-he.md", "title=Liên hệ", "slug=lien-he-uy-ban"),
		page("content/tin-tuc/2023/tong-ket.md", "title=Tổng kết năm", "date=3"),
		page("content/tin-tuc/dang-uy.md", "title=Đảng ủy xã Đồng Tâm", "date=2"),
		page("content/tin-tuc/hop-dan.md", "title=Họp dân thôn 3", "slug=hop-dan", "date=1"),
	)
	s := build(t, c, Options{})
	tests := []struct {
		path, slug, url, out string
		post                 bool
		section              string
	}{
		{"content/gioi-thieu.md", "gioi-thieu", "/gioi-thieu/", "gioi-thieu/index.html", false, ""},
		{"content/lien-he.md", "lien-he-uy-ban", "/lien-he-uy-ban/", "lien-he-uy-ban/index.html", false, ""},
		{"content/tin-tuc/2023/tong-ket.md", "tong-ket-nam", "/tin-tuc/2023/tong-ket-nam/", "tin-tuc/2023/tong-ket-nam/index.html", true, "tin-tuc"},
		{"content/tin-tuc/dang-uy.md", "dang-uy-xa-dong-tam", "/tin-tuc/dang-uy-xa-dong-tam/", "tin-tuc/dang-uy-xa-dong-tam/index.html", true, "tin-tuc"},
		{"content/tin-tuc/hop-dan.md", "hop-dan", "/tin-tuc/hop-dan/", "tin-tuc/hop-dan/index.html", true, "tin-tuc"},
	}
	for _, tt := range tests {
		p, ok := s.PageAt(tt.path)
		if !ok {
			t.Errorf("%s: not published", tt.path)
			continue
		}
		if p.Slug != tt.slug || p.URL != tt.url || p.Out != tt.out || p.IsPost != tt.post {
			t.Errorf("%s: slug %q url %q out %q post %v, want %q %q %q %v", tt.path, p.Slug, p.URL, p.Out, p.IsPost, tt.slug, tt.url, tt.out, tt.post)
		}
		if tt.post && (p.Sec == nil || p.Sec.Name != tt.section) {
			t.Errorf("%s: section %v, want %s", tt.path, p.Sec, tt.section)
		}
		if !tt.post && p.Sec != nil {
			t.Errorf("%s: a standalone page in section %s", tt.path, p.Sec.Name)
		}
	}
	if got, want := fmt.Sprint(paths(s.Pages)), "[content/gioi-thieu.md content/lien-he.md]"; got != want {
		t.Errorf("Pages = %s, want %s", got, want)
	}
	if got, want := fmt.Sprint(urls(s.Posts)), "[/tin-tuc/2023/tong-ket-nam/ /tin-tuc/dang-uy-xa-dong-tam/ /tin-tuc/hop-dan/]"; got != want {
		t.Errorf("Posts = %s, want %s", got, want)
	}
	if len(s.Sections) != 1 || s.Sections[0].Name != "tin-tuc" || s.Sections[0].URL != "/tin-tuc/" || s.Sections[0].Title != "Tin tuc" || len(s.Sections[0].Posts) != 3 {
		t.Errorf("Sections = %+v", s.Sections)
	}
	if _, ok := s.PageAt("content/thieu.md"); ok {
		t.Error("PageAt found a page that does not exist")
	}
}

func TestBadSlugs(t *testing.T) {
	c := newSite(t,
		page("content/tin-tuc/a.md", "title=Họp dân", "slug=Họp Dân", "date=1"),
		page("content/tin-tuc/c.md", "title=Hợp lệ", "date=1"),
	)
	s, diags := Build(c, Options{})
	diags.Sort()
	want := `content/tin-tuc/a.md:3:7: slug "Họp Dân" may hold only a-z, 0-9 and single hyphens; did you mean "hop-dan"?
`
	if got := diags.String(); got != want {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", got, want)
	}
	if got := fmt.Sprint(paths(s.Posts)); got != "[content/tin-tuc/c.md]" {
		t.Errorf("Posts = %s, want only the valid one", got)
	}
}

// TestHashedSlugs: a title, category or tag with no letter or digit to
// make a slug from gets a URL all the same, from a hash of its text: the
// same at every build, different for different text, with a warning.
func TestHashedSlugs(t *testing.T) {
	hash := func(prefix, s string) string {
		sum := sha256.Sum256([]byte(s))
		return prefix + "-" + hex.EncodeToString(sum[:])[:8]
	}
	c := newSite(t,
		page("content/tin-tuc/a.md", "title=!!!", "date=1", "category=???", "tags=…,Y tế"),
		page("content/tin-tuc/b.md", "title=???", "date=2", "category=???", "tags=…"),
		page("content/c.md", "title=★★★"),
		page("content/tin-tuc/d.md", "title=Có chữ", "date=3", "category=!!!", "tags=!!!"),
	)
	s, diags := Build(c, Options{})
	diags.Sort()
	want := fmt.Sprintf(`content/c.md:2:8: warning: title "★★★" has no letter or digit to make its URL from: published at /%[1]s/; add a slug for a readable address
content/tin-tuc/a.md:2:8: warning: title "!!!" has no letter or digit to make its URL from: published at /tin-tuc/%[2]s/; add a slug for a readable address
content/tin-tuc/a.md:4:11: warning: category "???" has no letter or digit to make its URL from: its list is at /chuyen-muc/%[4]s/
content/tin-tuc/a.md:5:7: warning: tag "…" has no letter or digit to make its URL from: its list is at /the/%[5]s/
content/tin-tuc/b.md:2:8: warning: title "???" has no letter or digit to make its URL from: published at /tin-tuc/%[3]s/; add a slug for a readable address
content/tin-tuc/d.md:4:11: warning: category "!!!" has no letter or digit to make its URL from: its list is at /chuyen-muc/%[6]s/
content/tin-tuc/d.md:5:7: warning: tag "!!!" has no letter or digit to make its URL from: its list is at /the/%[7]s/
`, hash("bai", "★★★"), hash("bai", "!!!"), hash("bai", "???"), hash("muc", "???"), hash("the", "…"), hash("muc", "!!!"), hash("the", "!!!"))
	if got := diags.String(); got != want {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", got, want)
	}
	if got, want := urls(s.Posts), []string{"/tin-tuc/co-chu/", "/tin-tuc/" + hash("bai", "???") + "/", "/tin-tuc/" + hash("bai", "!!!") + "/"}; !slices.Equal(got, want) {
		t.Errorf("posts at %v, want %v", got, want)
	}
	if len(s.Pages) != 1 || s.Pages[0].URL != "/"+hash("bai", "★★★")+"/" {
		t.Errorf("pages %v", urls(s.Pages))
	}
	var cats, tags []string
	for _, c := range s.Categories {
		cats = append(cats, fmt.Sprintf("%s %s %d", c.Name, c.URL, len(c.Posts)))
	}
	for _, t := range s.Tags {
		tags = append(tags, fmt.Sprintf("%s %s %d", t.Name, t.URL, len(t.Posts)))
	}
	slices.Sort(cats)
	slices.Sort(tags)
	if want := []string{"!!! /chuyen-muc/" + hash("muc", "!!!") + "/ 1", "??? /chuyen-muc/" + hash("muc", "???") + "/ 2"}; !slices.Equal(cats, want) {
		t.Errorf("categories %q, want %q", cats, want)
	}
	if want := []string{"!!! /the/" + hash("the", "!!!") + "/ 1", "Y tế /the/y-te/ 1", "… /the/" + hash("the", "…") + "/ 2"}; !slices.Equal(tags, want) {
		t.Errorf("tags %q, want %q", tags, want)
	}
}

func TestDuplicateURL(t *testing.T) {
	c := newSite(t,
		page("content/tin-tuc/a.md", "title=Họp dân", "date=1"),
		page("content/tin-tuc/b.md", "title=Họp Dân!", "date=2"),
	)
	s, diags := Build(c, Options{})
	if n, _ := diags.Count(); n != 1 {
		t.Fatalf("want one error, got:\n%s", diags)
	}
	d := diags[0].String()
	for _, want := range []string{"content/tin-tuc/a.md", "content/tin-tuc/b.md", "/tin-tuc/hop-dan/"} {
		if !strings.Contains(d, want) {
			t.Errorf("error %q does not name %s", d, want)
		}
	}
	if diags[0].Pos.File != "content/tin-tuc/b.md" || diags[0].Pos.Line < 1 {
		t.Errorf("error at %v, want a line of the second file", diags[0].Pos)
	}
	if got := fmt.Sprint(paths(s.Posts)); got != "[content/tin-tuc/a.md]" {
		t.Errorf("Posts = %s, want the first claimant only", got)
	}
}

func TestDuplicateURLAcrossKinds(t *testing.T) {
	tests := []struct {
		name     string
		pages    []*content.Page
		files    []content.File
		sections map[string]*content.Page
		at       string   // the file the error is reported in
		names    []string // what the error must name
	}{
		{
			name:  "page at /tthc/",
			pages: []*content.Page{page("content/tthc.md", "title=Thủ tục hành chính", "slug=tthc")},
			at:    "content/tthc.md",
			names: []string{"/tthc/", "TTHC"},
		},
		{
			name:  "page titled TTHC",
			pages: []*content.Page{page("content/thu-tuc.md", "title=TTHC")},
			at:    "content/thu-tuc.md",
			names: []string{"/tthc/", "TTHC"},
		},
		{
			name:  "file at the page's output",
			pages: []*content.Page{page("content/gioi-thieu.md", "title=Giới thiệu")},
			files: []content.File{{Path: "content/gioi-thieu/index.html", Name: "gioi-thieu/index.html"}},
			at:    "content/gioi-thieu/index.html",
			names: []string{"content/gioi-thieu.md", "/gioi-thieu/"},
		},
		{
			name:  "page at a section's list",
			pages: []*content.Page{page("content/tin-tuc.md", "title=Tin tức"), page("content/tin-tuc/a.md", "title=A", "date=1")},
			at:    "content/tin-tuc",
			names: []string{"content/tin-tuc.md", "/tin-tuc/"},
		},
		{
			name:  "file at the home page",
			files: []content.File{{Path: "content/index.html", Name: "index.html"}},
			at:    "content/index.html",
			names: []string{"home"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newSite(t, tt.pages...)
			c.Files = tt.files
			_, diags := Build(c, Options{})
			if n, _ := diags.Count(); n != 1 {
				t.Fatalf("want one error, got:\n%s", diags)
			}
			d := diags[0]
			if d.Pos.File != tt.at {
				t.Errorf("error at %v, want in %s: %s", d.Pos, tt.at, d)
			}
			for _, n := range tt.names {
				if !strings.Contains(d.String(), n) {
					t.Errorf("error %q does not name %q", d, n)
				}
			}
		})
	}
}

func TestReservedPaths(t *testing.T) {
	for _, slug := range []string{"trang", "chuyen-muc", "assets"} {
		c := newSite(t, page("content/x.md", "title=X", "slug="+slug))
		s, diags := Build(c, Options{})
		if !diags.HasErrors() || diags[0].Pos.File != "content/x.md" || !strings.Contains(diags[0].Msg, "/"+slug+"/") {
			t.Errorf("page at /%s/: diagnostics %q", slug, diags)
		}
		if len(s.Pages) != 0 {
			t.Errorf("page at /%s/ published", slug)
		}
	}
	// A section folder with a reserved name.
	c := newSite(t, page("content/trang/a.md", "title=A", "date=1"))
	_, diags := Build(c, Options{})
	if !diags.HasErrors() || diags[0].Pos.File != "content/trang" {
		t.Errorf("section trang: diagnostics %q", diags)
	}
	// A post may use such a slug inside its section.
	build(t, newSite(t, page("content/tin-tuc/a.md", "title=A", "slug=trang", "date=1")), Options{})
}

func TestDrafts(t *testing.T) {
	c := newSite(t,
		page("content/nhap.md", "title=Trang nháp", "draft"),
		page("content/tin-tuc/a.md", "title=Bài đã đăng", "category=Thông báo", "date=1"),
		page("content/tin-tuc/b.md", "title=Bài nháp", "category=Lịch họp", "draft", "date=2"),
		// A draft at a published post's URL is no conflict while drafts are left out.
		page("content/tin-tuc/c.md", "title=Bài đã đăng", "draft", "date=3"),
	)
	c.Sections["su-kien"] = page("content/su-kien/_index.md", "title=Sự kiện", "draft")
	s := build(t, c, Options{})
	if got := fmt.Sprint(paths(s.Posts)); got != "[content/tin-tuc/a.md]" {
		t.Errorf("Posts = %s", got)
	}
	if len(s.Pages) != 0 || len(s.Categories) != 1 || s.Categories[0].Name != "Thông báo" {
		t.Errorf("Pages = %v, Categories = %+v", paths(s.Pages), s.Categories)
	}
	if len(s.Sections) != 1 || s.Sections[0].Name != "tin-tuc" {
		t.Errorf("Sections = %+v, want only tin-tuc", s.Sections)
	}
	for _, p := range []string{"content/nhap.md", "content/tin-tuc/b.md", "content/tin-tuc/c.md"} {
		if _, ok := s.PageAt(p); ok {
			t.Errorf("draft %s published", p)
		}
	}
	if _, ok := s.Resolve(c.Pages[1], "b.md"); ok {
		t.Error("a link to a draft resolved")
	}

	// With drafts, c collides with a.
	s, diags := Build(c, Options{Drafts: true})
	if n, _ := diags.Count(); n != 1 || diags[0].Pos.File != "content/tin-tuc/c.md" {
		t.Errorf("with drafts: diagnostics:\n%s", diags)
	}
	if got := fmt.Sprint(paths(s.Posts)); got != "[content/tin-tuc/b.md content/tin-tuc/a.md]" {
		t.Errorf("with drafts: Posts = %s", got)
	}
	if len(s.Pages) != 1 || len(s.Categories) != 2 || len(s.Sections) != 2 {
		t.Errorf("with drafts: %d pages, %d categories, %d sections; want 1, 2, 2", len(s.Pages), len(s.Categories), len(s.Sections))
	}
}

func TestPostOrder(t *testing.T) {
	same := day(5)
	c := newSite(t,
		page("content/thong-bao/x.md", "title=X", "date=5"),
		page("content/tin-tuc/a.md", "title=A", "date=1"),
		page("content/tin-tuc/c.md", "title=C", "date=5"),
		page("content/tin-tuc/d.md", "title=D", "date=9"),
		page("content/tin-tuc/b.md", "title=B", "date=5"),
	)
	// The same instant written in another zone is the same time.
	c.Pages[0].Date = same.UTC()
	s := build(t, c, Options{})
	want := "[content/tin-tuc/d.md content/thong-bao/x.md content/tin-tuc/b.md content/tin-tuc/c.md content/tin-tuc/a.md]"
	if got := fmt.Sprint(paths(s.Posts)); got != want {
		t.Errorf("Posts = %s\nwant    %s", got, want)
	}
	sec := s.Sections[1]
	if sec.Name != "tin-tuc" {
		t.Fatalf("Sections = %+v", s.Sections)
	}
	if got := fmt.Sprint(paths(sec.Posts)); got != "[content/tin-tuc/d.md content/tin-tuc/b.md content/tin-tuc/c.md content/tin-tuc/a.md]" {
		t.Errorf("section posts = %s", got)
	}
	// Newer and Older stay inside the section.
	for i, p := range sec.Posts {
		var newer, older *Page
		if i > 0 {
			newer = sec.Posts[i-1]
		}
		if i+1 < len(sec.Posts) {
			older = sec.Posts[i+1]
		}
		if p.Newer != newer || p.Older != older {
			t.Errorf("%s: Newer %v Older %v, want %v %v", p.Path, name(p.Newer), name(p.Older), name(newer), name(older))
		}
	}
	x, _ := s.PageAt("content/thong-bao/x.md")
	if x.Newer != nil || x.Older != nil {
		t.Errorf("the only post of its section has Newer %v Older %v", name(x.Newer), name(x.Older))
	}
}

func name(p *Page) string {
	if p == nil {
		return "nil"
	}
	return p.Path
}

func TestCategories(t *testing.T) {
	c := newSite(t,
		page("content/tin-tuc/a.md", "title=A", "category=Thông báo", "date=1"),
		page("content/tin-tuc/b.md", "title=B", "category=Thong bao", "date=3"),
		page("content/tin-tuc/c.md", "title=C", "category=THÔNG BÁO", "date=2"),
		page("content/tin-tuc/d.md", "title=D", "category=Cải cách hành chính", "date=4"),
		page("content/tin-tuc/e.md", "title=E", "date=5"),
	)
	s, diags := Build(c, Options{})
	if diags.HasErrors() {
		t.Fatalf("diagnostics:\n%s", diags)
	}
	diags.Sort()
	want := `content/tin-tuc/b.md:3:11: warning: category "Thong bao" is shown as "Thông báo", the spelling of an earlier post: use one spelling
content/tin-tuc/c.md:3:11: warning: category "THÔNG BÁO" is shown as "Thông báo", the spelling of an earlier post: use one spelling
`
	if got := diags.String(); got != want {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", got, want)
	}
	if len(s.Categories) != 2 {
		t.Fatalf("Categories = %+v", s.Categories)
	}
	cc, tb := s.Categories[0], s.Categories[1] // by slug
	if cc.Name != "Cải cách hành chính" || cc.Slug != "cai-cach-hanh-chinh" || cc.URL != "/chuyen-muc/cai-cach-hanh-chinh/" || len(cc.Posts) != 1 {
		t.Errorf("first category = %+v", cc)
	}
	if tb.Name != "Thông báo" || tb.Slug != "thong-bao" || tb.URL != "/chuyen-muc/thong-bao/" {
		t.Errorf("second category = %+v", tb)
	}
	if got := fmt.Sprint(paths(tb.Posts)); got != "[content/tin-tuc/b.md content/tin-tuc/c.md content/tin-tuc/a.md]" {
		t.Errorf("Thông báo posts = %s, want newest first", got)
	}
	for _, p := range tb.Posts {
		if p.Cat != tb {
			t.Errorf("%s: Cat = %+v", p.Path, p.Cat)
		}
	}
	if e, _ := s.PageAt("content/tin-tuc/e.md"); e.Cat != nil || e.Related != nil {
		t.Errorf("post without category: Cat %v Related %v", e.Cat, e.Related)
	}
}

func TestRelated(t *testing.T) {
	var pages []*content.Page
	for i := 1; i <= 8; i++ { // p1 … p8, p8 the newest
		pages = append(pages, page(fmt.Sprintf("content/tin-tuc/p%d.md", i), fmt.Sprintf("title=P%d", i), "category=Tin tức", fmt.Sprintf("date=%d", i)))
	}
	pages = append(pages,
		page("content/tin-tuc/q1.md", "title=Q1", "category=Khác", "date=20"),
		page("content/tin-tuc/q2.md", "title=Q2", "category=Khác", "date=21"),
		page("content/tin-tuc/r.md", "title=R", "category=Một mình", "date=22"),
	)
	s := build(t, newSite(t, pages...), Options{})
	rel := func(p string) string {
		pg, ok := s.PageAt(p)
		if !ok {
			t.Fatalf("%s not published", p)
		}
		var out []string
		for _, r := range pg.Related {
			out = append(out, strings.TrimSuffix(path.Base(r.Path), ".md"))
		}
		return strings.Join(out, " ")
	}
	tests := []struct{ path, want string }{
		{"content/tin-tuc/p8.md", "p7 p6 p5 p4 p3"},
		{"content/tin-tuc/p1.md", "p6 p5 p4 p3 p2"},
		{"content/tin-tuc/p4.md", "p6 p5 p3 p2 p1"}, // nearest: p5 p3 p6 p2, then p7 or p1
		{"content/tin-tuc/p5.md", "p7 p6 p4 p3 p2"},
		{"content/tin-tuc/q1.md", "q2"},
		{"content/tin-tuc/r.md", ""},
	}
	for _, tt := range tests {
		if got := rel(tt.path); got != tt.want {
			t.Errorf("%s: Related = %q, want %q", tt.path, got, tt.want)
		}
	}
	for _, p := range s.Posts {
		if len(p.Related) > RelatedPosts {
			t.Errorf("%s: %d related posts", p.Path, len(p.Related))
		}
		for i, r := range p.Related {
			if r == p {
				t.Errorf("%s is related to itself", p.Path)
			}
			if r.Cat != p.Cat {
				t.Errorf("%s: related %s is of another category", p.Path, r.Path)
			}
			if i > 0 && r.Date.After(p.Related[i-1].Date) {
				t.Errorf("%s: related posts not newest first", p.Path)
			}
		}
	}
}

func TestPaginate(t *testing.T) {
	posts := make([]*Page, 25)
	for i := range posts {
		posts[i] = &Page{URL: fmt.Sprintf("/tin-tuc/p%d/", i)}
	}
	tests := []struct {
		name  string
		base  string
		posts []*Page
		per   int
		want  []string // URL Out first-post count, per page
	}{
		{"no posts", "/", nil, 10, []string{"/ index.html - 0"}},
		{"25 by 10", "/", posts, 10, []string{
			"/ index.html /tin-tuc/p0/ 10",
			"/trang/2/ trang/2/index.html /tin-tuc/p10/ 10",
			"/trang/3/ trang/3/index.html /tin-tuc/p20/ 5",
		}},
		{"20 by 10: no empty page", "/tin-tuc/", posts[:20], 10, []string{
			"/tin-tuc/ tin-tuc/index.html /tin-tuc/p0/ 10",
			"/tin-tuc/trang/2/ tin-tuc/trang/2/index.html /tin-tuc/p10/ 10",
		}},
		{"category", "/chuyen-muc/x/", posts[:11], 10, []string{
			"/chuyen-muc/x/ chuyen-muc/x/index.html /tin-tuc/p0/ 10",
			"/chuyen-muc/x/trang/2/ chuyen-muc/x/trang/2/index.html /tin-tuc/p10/ 1",
		}},
		{"one per page", "/", posts[:2], 1, []string{
			"/ index.html /tin-tuc/p0/ 1",
			"/trang/2/ trang/2/index.html /tin-tuc/p1/ 1",
		}},
		{"fewer than a page", "/", posts[:3], 10, []string{"/ index.html /tin-tuc/p0/ 3"}},
	}
	for _, tt := range tests {
		pages := Paginate(tt.base, tt.posts, tt.per)
		var got []string
		for i, lp := range pages {
			first := "-"
			if len(lp.Posts) > 0 {
				first = lp.Posts[0].URL
			}
			got = append(got, fmt.Sprintf("%s %s %s %d", lp.URL, lp.Out, first, len(lp.Posts)))
			if lp.Number != i+1 || lp.Total != len(pages) || lp.First != tt.base {
				t.Errorf("%s: page %d: Number %d Total %d First %q", tt.name, i+1, lp.Number, lp.Total, lp.First)
			}
		}
		if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
			t.Errorf("%s:\n%s\nwant:\n%s", tt.name, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
		}
	}
	// Every post on exactly one page, in order.
	var all []*Page
	for _, lp := range Paginate("/", posts, 7) {
		all = append(all, lp.Posts...)
	}
	if fmt.Sprint(urls(all)) != fmt.Sprint(urls(posts)) {
		t.Errorf("pages of 7 hold %v", urls(all))
	}
}

func TestPageURL(t *testing.T) {
	tests := []struct {
		base string
		n    int
		want string
	}{
		{"/", 0, "/"},
		{"/", 1, "/"},
		{"/", 2, "/trang/2/"},
		{"/", 12, "/trang/12/"},
		{"/chuyen-muc/thong-bao/", 3, "/chuyen-muc/thong-bao/trang/3/"},
	}
	for _, tt := range tests {
		if got := PageURL(tt.base, tt.n); got != tt.want {
			t.Errorf("PageURL(%q, %d) = %q, want %q", tt.base, tt.n, got, tt.want)
		}
	}
}

func TestURLs(t *testing.T) {
	tests := []struct {
		base, sitePath, url, abs string
	}{
		{"https://example.gov.vn/xa-bac-an/", "/", "/xa-bac-an/", "https://example.gov.vn/xa-bac-an/"},
		{"https://example.gov.vn/xa-bac-an/", "/tin-tuc/hop-dan/", "/xa-bac-an/tin-tuc/hop-dan/", "https://example.gov.vn/xa-bac-an/tin-tuc/hop-dan/"},
		{"https://example.gov.vn/xa-bac-an", "/tthc/", "/xa-bac-an/tthc/", "https://example.gov.vn/xa-bac-an/tthc/"}, // base without the final slash
		{"https://example.gov.vn/xa-bac-an/", "tai-lieu/x.pdf", "/xa-bac-an/tai-lieu/x.pdf", "https://example.gov.vn/xa-bac-an/tai-lieu/x.pdf"},
		{"https://example.gov.vn/xa-bac-an/", "/tin-tuc/x/#muc", "/xa-bac-an/tin-tuc/x/#muc", "https://example.gov.vn/xa-bac-an/tin-tuc/x/#muc"},
		{"https://example.gov.vn/tinh/xa-bac-an/", "/trang/2/", "/tinh/xa-bac-an/trang/2/", "https://example.gov.vn/tinh/xa-bac-an/trang/2/"},
		{"https://bacan.gov.vn/", "/tin-tuc/", "/tin-tuc/", "https://bacan.gov.vn/tin-tuc/"},
		{"https://bacan.gov.vn", "/", "/", "https://bacan.gov.vn/"},
		{"http://localhost:1313/", "/tin-tuc/", "/tin-tuc/", "http://localhost:1313/tin-tuc/"},
		// Left as they are.
		{"https://example.gov.vn/xa-bac-an/", "https://dichvucong.gov.vn/p/home", "https://dichvucong.gov.vn/p/home", "https://dichvucong.gov.vn/p/home"},
		{"https://example.gov.vn/xa-bac-an/", "//cdn.example.vn/a.js", "//cdn.example.vn/a.js", "//cdn.example.vn/a.js"},
		{"https://example.gov.vn/xa-bac-an/", "#noi-dung", "#noi-dung", "#noi-dung"},
		{"https://example.gov.vn/xa-bac-an/", "mailto:vanthu@bacan.gov.vn", "mailto:vanthu@bacan.gov.vn", "mailto:vanthu@bacan.gov.vn"},
		{"https://example.gov.vn/xa-bac-an/", "tel:02033123456", "tel:02033123456", "tel:02033123456"},
	}
	for _, tt := range tests {
		c := newSite(t)
		c.Settings = settings(t, tt.base)
		s := build(t, c, Options{})
		if got := s.URL(tt.sitePath); got != tt.url {
			t.Errorf("base %s: URL(%q) = %q, want %q", tt.base, tt.sitePath, got, tt.url)
		}
		if got := s.AbsURL(tt.sitePath); got != tt.abs {
			t.Errorf("base %s: AbsURL(%q) = %q, want %q", tt.base, tt.sitePath, got, tt.abs)
		}
	}
}

func TestResolve(t *testing.T) {
	c := newSite(t,
		page("content/gioi-thieu.md", "title=Giới thiệu"),
		page("content/tin-tuc/bai-khac.md", "title=Bài khác", "date=1"),
		page("content/tin-tuc/hop-dan.md", "title=Họp dân", "date=2"),
		page("content/tin-tuc/nhap.md", "title=Nháp", "date=3", "draft"),
	)
	c.Settings = settings(t, "https://example.gov.vn/xa-bac-an/")
	c.Sections["tin-tuc"] = page("content/tin-tuc/_index.md", "title=Tin tức")
	c.Files = []content.File{
		{Path: "content/tai-lieu/x.pdf", Name: "tai-lieu/x.pdf"},
		{Path: "content/tin-tuc/hop-dan.jpg", Name: "tin-tuc/hop-dan.jpg"},
		{Path: "content/tin-tuc/ảnh họp.jpg", Name: "tin-tuc/ảnh họp.jpg"},
	}
	s := build(t, c, Options{})
	post, standalone := c.Pages[2], c.Pages[0]
	tests := []struct {
		from *content.Page
		dest string
		want string // "" for not resolved
	}{
		{post, "hop-dan.jpg", "/xa-bac-an/tin-tuc/hop-dan.jpg"},
		{post, "./hop-dan.jpg", "/xa-bac-an/tin-tuc/hop-dan.jpg"},
		{post, "ảnh họp.jpg", "/xa-bac-an/tin-tuc/ảnh họp.jpg"},
		{post, "../tai-lieu/x.pdf", "/xa-bac-an/tai-lieu/x.pdf"},
		{post, "bai-khac.md", "/xa-bac-an/tin-tuc/bai-khac/"},
		{post, "bai-khac.md#muc", "/xa-bac-an/tin-tuc/bai-khac/#muc"},
		{post, "bai-khac.md?a=1#muc", "/xa-bac-an/tin-tuc/bai-khac/?a=1#muc"},
		{post, "../gioi-thieu.md", "/xa-bac-an/gioi-thieu/"},
		{post, "_index.md", "/xa-bac-an/tin-tuc/"},
		{post, "#muc-2", "#muc-2"},
		{standalone, "tai-lieu/x.pdf", "/xa-bac-an/tai-lieu/x.pdf"},
		{standalone, "tin-tuc/bai-khac.md", "/xa-bac-an/tin-tuc/bai-khac/"},
		{post, "thieu.jpg", ""},
		{post, "nhap.md", ""}, // a draft is not published
		{post, "Hop-Dan.jpg", ""},
		{post, "../../etc/passwd", ""},
		{post, "../../../etc/passwd", ""},
		{standalone, "../site.yaml", ""},
		{standalone, "../content/tai-lieu/x.pdf", "/xa-bac-an/tai-lieu/x.pdf"}, // the same file, by way of the site folder
		{post, "../../tai-lieu/x.pdf", ""},
	}
	for _, tt := range tests {
		got, ok := s.Resolve(tt.from, tt.dest)
		if ok != (tt.want != "") || got != tt.want {
			t.Errorf("Resolve(%s, %q) = %q, %v; want %q", tt.from.Path, tt.dest, got, ok, tt.want)
		}
	}
}

func TestFrontMatterImage(t *testing.T) {
	c := newSite(t,
		page("content/tin-tuc/a.md", "title=A", "date=1", "image=anh/hop-dan.jpg"),
		page("content/tin-tuc/b.md", "title=B", "date=2", "image=https://bacan.gov.vn/a.jpg"),
		page("content/tin-tuc/c.md", "title=C", "date=3", "image=/uploads/c.jpg"),
		page("content/tin-tuc/d.md", "title=D", "date=4", "image=thieu.jpg"),
		page("content/tin-tuc/e.md", "title=E", "date=5"),
	)
	c.Files = []content.File{{Path: "content/tin-tuc/anh/hop-dan.jpg", Name: "tin-tuc/anh/hop-dan.jpg"}}
	s, diags := Build(c, Options{})
	want := `content/tin-tuc/d.md:4:8: image "thieu.jpg": no such file next to the page` + "\n"
	if got := diags.String(); got != want {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", got, want)
	}
	for p, want := range map[string]string{
		"content/tin-tuc/a.md": "/tin-tuc/anh/hop-dan.jpg",
		"content/tin-tuc/b.md": "https://bacan.gov.vn/a.jpg",
		"content/tin-tuc/c.md": "/uploads/c.jpg",
		"content/tin-tuc/e.md": "",
	} {
		pg, _ := s.PageAt(p)
		if pg.ImageURL != want {
			t.Errorf("%s: ImageURL = %q, want %q", p, pg.ImageURL, want)
		}
	}
}

func TestStaticFiles(t *testing.T) {
	open := func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader("x")), nil }
	c := newSite(t)
	c.Files = []content.File{
		{Path: "content/tai-lieu/quy-che.pdf", Name: "tai-lieu/quy-che.pdf", Open: open},
		{Path: "content/google1234abcd.html", Name: "google1234abcd.html", Open: open}, // a search engine's ownership check
	}
	s := build(t, c, Options{})
	if len(s.Files) != 2 || s.Files[0].Out != "tai-lieu/quy-che.pdf" || s.Files[1].Out != "google1234abcd.html" || s.Files[0].Open == nil {
		t.Errorf("Files = %+v", s.Files)
	}
}

// A file of the site's cannot take the place of a file the build makes: two
// writers of one path would leave either, or a mix of both. (robots.txt is
// the exception: the site's replaces the generated one.)
func TestStaticFilesCollideWithGenerated(t *testing.T) {
	open := func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader("x")), nil }
	c := newSite(t, page("content/tin-tuc/a.md", "title=Họp dân", "date=1", "category=Thông báo"))
	for _, name := range []string{"robots.txt", "rss.xml", "sitemap.xml", "404.html", "index.html", "chuyen-muc/thong-bao/rss.xml", "chuyen-muc/thong-bao/index.html", "tai-lieu/a.pdf"} {
		c.Files = append(c.Files, content.File{Path: "content/" + name, Name: name, Open: open})
	}
	_, diags := Build(c, Options{})
	want := `content/404.html: this file would be published at /404.html, which is already taken by the generated /404.html
content/chuyen-muc/thong-bao/index.html: this file would be published at /chuyen-muc/thong-bao/, which is already taken by the list of category Thông báo
content/chuyen-muc/thong-bao/rss.xml: this file would be published at /chuyen-muc/thong-bao/rss.xml, which is already taken by the feed of category Thông báo
content/index.html: this file would be published at /, which is already taken by the home page
content/rss.xml: this file would be published at /rss.xml, which is already taken by the generated /rss.xml
content/sitemap.xml: this file would be published at /sitemap.xml, which is already taken by the generated /sitemap.xml
`
	diags.Sort()
	if got := diags.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// An image in front matter is a picture: an address that would run script
// or open something else is an error, not a broken or dangerous <img>.
func TestImageScheme(t *testing.T) {
	c := newSite(t)
	for i, img := range []string{"javascript:alert(1)", "JAVASCRIPT://x.vn/%0Aalert(1)", "java\tscript:alert(1)", "data:text/html,<script>", "mailto:a@b.vn", "file:///etc/passwd", "https://x.vn/a.jpg", "//cdn.x.vn/a.jpg", "/anh/a.jpg"} {
		c.Pages = append(c.Pages, page(fmt.Sprintf("content/tin-tuc/%d.md", i), fmt.Sprintf("title=Bài %d", i), "date=1", "image="+img))
	}
	_, diags := Build(c, Options{})
	diags.Sort()
	var got []string
	for _, d := range diags {
		got = append(got, d.Pos.File)
	}
	want := []string{"content/tin-tuc/0.md", "content/tin-tuc/1.md", "content/tin-tuc/2.md", "content/tin-tuc/3.md", "content/tin-tuc/4.md", "content/tin-tuc/5.md"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("errors for %v, want %v:\n%s", got, want, diags)
	}
}

var hashedRE = regexp.MustCompile(`^assets/(.+)\.([0-9a-f]{10})(\.[a-z0-9]+)?$`)

func TestAssets(t *testing.T) {
	css := []byte("body { font-size: 16px }")
	js := []byte("document.documentElement.classList.add('js')")
	c := newSite(t)
	c.Settings = settings(t, "https://example.gov.vn/xa-bac-an/")
	c.Assets = []content.File{
		{Path: "assets/css/site.css", Name: "css/site.css", Data: css},
		{Path: "<theme>/assets/js/menu.min.js", Name: "js/menu.min.js", Data: js, Theme: true},
		{Path: "assets/LICENSE", Name: "LICENSE", Data: []byte("MIT")},
	}
	s := build(t, c, Options{})
	hash := func(b []byte) string { sum := sha256.Sum256(b); return hex.EncodeToString(sum[:])[:10] }
	tests := []struct{ name, out string }{
		{"css/site.css", "assets/css/site." + hash(css) + ".css"},
		{"js/menu.min.js", "assets/js/menu.min." + hash(js) + ".js"},
		{"LICENSE", "assets/LICENSE." + hash([]byte("MIT"))},
	}
	for _, tt := range tests {
		a, ok := s.Asset(tt.name)
		if !ok {
			t.Errorf("Asset(%q) not found", tt.name)
			continue
		}
		if a.Out != tt.out || a.URL != "/"+tt.out {
			t.Errorf("%s: Out %q URL %q, want %q", tt.name, a.Out, a.URL, tt.out)
		}
		if !hashedRE.MatchString(a.Out) {
			t.Errorf("%s: %q has no 10-hex hash", tt.name, a.Out)
		}
		if got, want := s.URL(a.URL), "/xa-bac-an/"+tt.out; got != want {
			t.Errorf("%s: URL = %q, want %q", tt.name, got, want)
		}
	}
	if _, ok := s.Asset("css/thieu.css"); ok {
		t.Error("Asset found a missing file")
	}
	// Another content, another name.
	c.Assets[0].Data = []byte("body { font-size: 17px }")
	s2 := build(t, c, Options{})
	a1, _ := s.Asset("css/site.css")
	a2, _ := s2.Asset("css/site.css")
	if a1.Out == a2.Out {
		t.Errorf("changed stylesheet kept the name %s", a1.Out)
	}
}

func TestSections(t *testing.T) {
	c := newSite(t,
		page("content/thong-bao/a.md", "title=A", "date=1"),
		page("content/tin-tuc/b.md", "title=B", "date=2"),
	)
	c.Sections["tin-tuc"] = page("content/tin-tuc/_index.md", "title=Tin tức - Sự kiện")
	c.Sections["van-ban"] = page("content/van-ban/_index.md", "title=Văn bản")
	s := build(t, c, Options{})
	var got []string
	for _, sec := range s.Sections {
		got = append(got, fmt.Sprintf("%s %s %q %d", sec.Name, sec.URL, sec.Title, len(sec.Posts)))
	}
	want := []string{`thong-bao /thong-bao/ "Thong bao" 1`, `tin-tuc /tin-tuc/ "Tin tức - Sự kiện" 1`, `van-ban /van-ban/ "Văn bản" 0`}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Sections:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if s.Sections[1].Index != c.Sections["tin-tuc"] {
		t.Error("section index not kept")
	}
}

func TestPassThrough(t *testing.T) {
	c := newSite(t)
	c.TTHC = &tthc.Snapshot{Period: "2023-12"}
	c.Visits = &content.Visits{Total: 5}
	c.Layouts = []content.File{{Path: "layouts/base.html", Name: "base.html"}}
	s := build(t, c, Options{})
	if s.TTHC != c.TTHC || s.Visits != c.Visits || len(s.Layouts) != 1 || s.Settings != c.Settings || s.BasePath != "/" {
		t.Errorf("site = %+v", s)
	}
}

// Two builds of the same content give the same model.
func TestDeterministic(t *testing.T) {
	mk := func() *content.Site {
		var pages []*content.Page
		for i := 0; i < 30; i++ {
			cat := []string{"Thông báo", "Tin tức", "Cải cách hành chính"}[i%3]
			sec := []string{"tin-tuc", "thong-bao", "su-kien"}[i%3]
			pages = append(pages, page(fmt.Sprintf("content/%s/p%02d.md", sec, i), fmt.Sprintf("title=Bài %d", i), "category="+cat, fmt.Sprintf("date=%d", 1+i%4)))
		}
		return newSite(t, pages...)
	}
	dump := func(s *Site) string {
		var b strings.Builder
		for _, p := range s.Posts {
			fmt.Fprintf(&b, "%s %s %s %s %s\n", p.URL, name(p.Newer), name(p.Older), p.Cat.Slug, paths(p.Related))
		}
		for _, sec := range s.Sections {
			fmt.Fprintf(&b, "%s %v\n", sec.Name, paths(sec.Posts))
		}
		for _, cat := range s.Categories {
			fmt.Fprintf(&b, "%s %v\n", cat.Slug, paths(cat.Posts))
		}
		return b.String()
	}
	first := dump(build(t, mk(), Options{}))
	for i := 0; i < 5; i++ {
		if got := dump(build(t, mk(), Options{})); got != first {
			t.Fatalf("build %d differs:\n%s\nfirst:\n%s", i, got, first)
		}
	}
}

// A section without _index.md is titled after its folder, capitalised; a
// folder name may start with a Vietnamese letter.
func TestSectionTitleFromFolder(t *testing.T) {
	tests := []struct{ folder, want string }{
		{"tin-tuc", "Tin tuc"},
		{"thong-bao-moi", "Thong bao moi"},
		{"2024", "2024"},
		{"đoàn-thể", "Đoàn thể"},
		{"ủy-ban", "Ủy ban"},
	}
	for _, tt := range tests {
		c := newSite(t, page("content/"+tt.folder+"/a.md", "title=A", "date=1"))
		s := build(t, c, Options{})
		if len(s.Sections) != 1 {
			t.Fatalf("%s: Sections = %+v", tt.folder, s.Sections)
		}
		if got := s.Sections[0].Title; got != tt.want {
			t.Errorf("folder %q: Title = %q, want %q", tt.folder, got, tt.want)
		}
	}
}

func TestSchedule(t *testing.T) {
	c := newSite(t,
		page("content/tin-tuc/a.md", "title=A", "date=1"),
		page("content/tin-tuc/b.md", "title=B", "date=20"),               // scheduled
		page("content/tin-tuc/c.md", "title=C", "date=15"),               // scheduled, sooner
		page("content/tin-tuc/d.md", "title=D", "date=2", "expires=9"),   // expired
		page("content/tin-tuc/e.md", "title=E", "date=3", "expires=17"),  // expires after C is due
		page("content/tin-tuc/f.md", "title=F", "date=4", "expires=12"),  // expires first
		page("content/tin-tuc/g.md", "title=G", "date=30", "draft=true"), // a draft: never due
		page("content/gioi-thieu.md", "title=Giới thiệu", "expires=10"),  // pages too
	)
	s := build(t, c, Options{Now: day(10)})
	if got, want := paths(s.Posts), []string{"content/tin-tuc/f.md", "content/tin-tuc/e.md", "content/tin-tuc/a.md"}; !slices.Equal(got, want) {
		t.Errorf("Posts = %v, want %v", got, want)
	}
	if len(s.Pages) != 0 {
		t.Errorf("Pages = %v, want none: the page expired", paths(s.Pages))
	}
	if !s.Next.Equal(day(12)) || s.NextPage != "content/tin-tuc/f.md" || s.Scheduled != 2 || s.Expired != 2 {
		t.Errorf("Next = %v %s, Scheduled %d, Expired %d; want day 12 f.md, 2, 2", s.Next, s.NextPage, s.Scheduled, s.Expired)
	}
	if got := len(s.Archive); got != 1 || len(s.Archive[0].Posts) != 3 {
		t.Errorf("Archive = %+v", s.Archive)
	}
	// At the due time, the page is published.
	s = build(t, c, Options{Now: day(15)})
	if got, want := paths(s.Posts), []string{"content/tin-tuc/c.md", "content/tin-tuc/e.md", "content/tin-tuc/a.md"}; !slices.Equal(got, want) {
		t.Errorf("at day 15: Posts = %v, want %v", got, want)
	}
	// --drafts previews everything.
	s = build(t, c, Options{Now: day(10), Drafts: true})
	if len(s.Posts) != 7 || !s.Next.IsZero() {
		t.Errorf("with drafts: %d posts, Next %v", len(s.Posts), s.Next)
	}
}

func TestUpdated(t *testing.T) {
	c := newSite(t,
		page("content/tin-tuc/a.md", "title=A", "date=1", "lastmod=5"),
		page("content/tin-tuc/b.md", "title=B", "date=2"),              // from git
		page("content/tin-tuc/c.md", "title=C", "date=3", "lastmod=3"), // the same as its date
		page("content/tin-tuc/d.md", "title=D", "date=6", "lastmod=7"), // front matter wins over git
		page("content/tin-tuc/e.md", "title=E", "date=8"),              // committed before its date
	)
	c.GitDates = map[string]time.Time{"content/tin-tuc/b.md": day(4), "content/tin-tuc/d.md": day(9), "content/tin-tuc/e.md": day(7)}
	s := build(t, c, Options{})
	for p, want := range map[string]time.Time{
		"content/tin-tuc/a.md": day(5),
		"content/tin-tuc/b.md": day(4),
		"content/tin-tuc/c.md": {},
		"content/tin-tuc/d.md": day(7),
		"content/tin-tuc/e.md": {},
	} {
		pg, _ := s.PageAt(p)
		if !pg.Updated.Equal(want) {
			t.Errorf("%s: Updated = %v, want %v", p, pg.Updated, want)
		}
	}
}

func TestTagsAndArchive(t *testing.T) {
	c := newSite(t,
		page("content/tin-tuc/a.md", "title=A", "date=1", "tags=Y tế,Tiêm chủng,y tế"),
		page("content/tin-tuc/b.md", "title=B", "date=2", "tags=y tế"),
	)
	s, diags := Build(c, Options{})
	if got, want := diags.String(), `content/tin-tuc/b.md:4:7: warning: tag "y tế" is shown as "Y tế", the spelling of an earlier post: use one spelling`+"\n"; got != want {
		t.Errorf("diagnostics:\n%s\nwant\n%s", got, want)
	}
	if len(s.Tags) != 2 || s.Tags[0].Slug != "tiem-chung" || s.Tags[1].URL != "/the/y-te/" || s.Tags[1].Name != "Y tế" {
		t.Fatalf("Tags = %+v %+v", s.Tags[0], s.Tags[1])
	}
	if got := paths(s.Tags[1].Posts); !slices.Equal(got, []string{"content/tin-tuc/b.md", "content/tin-tuc/a.md"}) {
		t.Errorf("posts of Y tế = %v", got)
	}
	a, _ := s.PageAt("content/tin-tuc/a.md")
	if len(a.Tags) != 2 {
		t.Errorf("a's tags = %v: the same tag twice is once", a.Tags)
	}
	if len(s.Archive) != 1 || s.Archive[0].URL != "/luu-tru/2023/12/" || s.Archive[0].Year != 2023 {
		t.Errorf("Archive = %+v", s.Archive[0])
	}
}

// A title as long as an official document's gives a URL cut at a word,
// short enough to be a file name; a slug written that long is an error.
func TestLongTitles(t *testing.T) {
	long := strings.Repeat("Quyết định về việc phê duyệt kế hoạch ", 8)
	c := newSite(t,
		page("content/tin-tuc/a.md", "title="+long, "date=1", "category="+long),
		page("content/tin-tuc/b.md", "title=B", "date=2", "slug="+strings.Repeat("a-", 100)+"b"),
		page("content/tin-tuc/c.md", "title="+strings.Repeat("x", 300), "date=3"),
	)
	s, diags := Build(c, Options{})
	if want := "content/tin-tuc/b.md:4:7: slug is 201 characters long; keep it to 120, e.g. \"" + strings.Repeat("a-", 59) + "a\"\n"; diags.String() != want {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", diags, want)
	}
	byPath := map[string]*Page{}
	for _, p := range s.Posts {
		byPath[p.Path] = p
	}
	a := byPath["content/tin-tuc/a.md"]
	if a == nil || len(a.Slug) > MaxSlug || !strings.HasPrefix(a.Slug, "quyet-dinh-ve-viec-phe-duyet-ke-hoach-quyet") || strings.HasSuffix(a.Slug, "-") || len(a.Cat.Slug) > MaxSlug {
		t.Errorf("a: %+v", a)
	}
	if len(a.Slug) < MaxSlug-10 {
		t.Errorf("slug %q cut too short", a.Slug)
	}
	if c := byPath["content/tin-tuc/c.md"]; c == nil || c.Slug != strings.Repeat("x", MaxSlug) {
		t.Errorf("c: %+v", c)
	}
}
