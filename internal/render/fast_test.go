package render

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/congxa/congxa"
	"github.com/congxa/congxa/internal/content"
	"github.com/congxa/congxa/internal/site"
	"github.com/congxa/congxa/internal/testsite"
)

var fastNow = time.Date(2024, 12, 1, 0, 0, 0, 0, time.UTC)

// TestThemeSum: fast.go is written for the layouts of the default theme.
// Changing a layout changes its hash; fast.go must then be changed to
// write what the new layout writes, and themeFiles set to the new hash.
// (Otherwise that part of the default theme would quietly be rendered by
// html/template.)
func TestThemeSum(t *testing.T) {
	seen := map[string]bool{}
	err := fs.WalkDir(congxa.Theme(), "layouts", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(congxa.Theme(), p)
		name := strings.TrimPrefix(p, "layouts/")
		if slices.Contains(sharedPartials, name) {
			return err
		}
		sum := sha256.Sum256(data)
		if got := hex.EncodeToString(sum[:]); themeFiles[name] != got {
			t.Errorf("the default theme's %s changed: make fast.go write what it writes, then set its sum in themeFiles to %q", name, got)
		}
		seen[name] = true
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for name := range themeFiles {
		if !seen[name] {
			t.Errorf("themeFiles has %s, which the theme has not", name)
		}
	}
	for _, names := range append([][]string{frameFiles, summaryFiles}, slices.Collect(maps.Values(mainFiles))...) {
		for _, n := range names {
			if themeFiles[n] == "" {
				t.Errorf("%s is a part of the Go renderer, but not in themeFiles", n)
			}
		}
	}
}

// TestFastEqualsTemplates renders sites with the Go renderer and with
// html/template and compares every output. The sites: the demo, every
// site test that builds, a generated site of a few hundred posts, and a
// site with a script injection or an odd character in every field an
// editor fills in.
func TestFastEqualsTemplates(t *testing.T) {
	type testSite struct {
		name string
		fsys fs.FS
		copt content.Options
		sopt site.Options
		fast bool // must be rendered by the Go renderer
	}
	sites := []testSite{
		{name: "demo", fsys: os.DirFS("../.."), fast: true},
		{name: "hostile", fsys: hostileSite(false), fast: true},
		{name: "hostile-subpath", fsys: hostileSite(true), fast: true},
	}
	// The shared partials of the site's own: the pages are still
	// rendered by the Go renderer.
	own := hostileSite(false).(fstest.MapFS)
	for name, data := range ownSharedPartials {
		own[name] = &fstest.MapFile{Data: []byte(data), Mode: 0o644, ModTime: fastNow}
	}
	sites = append(sites, testSite{name: "own-shared-partials", fsys: own, fast: true})
	// A layout of the site's own: the Go renderer writes the other parts.
	for _, v := range ownLayouts(t) {
		fsys := hostileSite(false).(fstest.MapFS)
		for name, data := range v.files {
			fsys[name] = &fstest.MapFile{Data: []byte(data), Mode: 0o644, ModTime: fastNow}
		}
		sites = append(sites, testSite{name: v.name, fsys: fsys, fast: true})
	}
	dir := t.TempDir()
	testsite.Generate(t, dir, 240)
	sites = append(sites, testSite{name: "generated", fsys: os.DirFS(dir), fast: true})
	names, err := filepath.Glob("../cli/testdata/sites/*.txtar")
	if err != nil || len(names) == 0 {
		t.Fatalf("no site tests: %v", err)
	}
	for _, name := range names {
		fsys, copt, sopt := txtarSite(t, name)
		sites = append(sites, testSite{name: strings.TrimSuffix(filepath.Base(name), ".txtar"), fsys: fsys, copt: copt, sopt: sopt})
	}
	fastSites := 0
	for _, ts := range sites {
		t.Run(ts.name, func(t *testing.T) {
			ts.copt.Now, ts.sopt.Now = fastNow, fastNow
			c, diags := content.Load(ts.fsys, congxa.Theme(), ts.copt)
			if diags.HasErrors() || c == nil || c.Settings == nil || c.Settings.BaseURL == nil {
				if ts.fast {
					t.Fatal(diags)
				}
				t.Skip("does not build")
			}
			s, diags := site.Build(c, ts.sopt)
			if diags.HasErrors() {
				if ts.fast {
					t.Fatal(diags)
				}
				t.Skip("does not build")
			}
			fast := (&renderer{site: s}).newFastTheme() != nil
			if ts.fast && !fast {
				t.Fatal("not rendered by the Go renderer")
			}
			if fast {
				fastSites++
			}
			want, wdiags := render(context.Background(), s, &Cache{}, nil, options{templates: true, noCompile: true})
			got, gdiags := render(context.Background(), s, &Cache{}, nil, options{})
			if wdiags.String() != gdiags.String() {
				t.Errorf("diagnostics differ:\ntemplates:\n%s\nGo:\n%s", wdiags, gdiags)
			}
			// The layouts compiled (see tmplc.go), without the Go renderer.
			ran := tmplcStats.ran.Load()
			compiled, cdiags := render(context.Background(), s, &Cache{}, nil, options{templates: true})
			if wdiags.String() != cdiags.String() {
				t.Errorf("diagnostics differ:\ntemplates:\n%s\ncompiled:\n%s", wdiags, cdiags)
			}
			if wdiags.HasErrors() {
				return
			}
			if tmplcStats.ran.Load() == ran {
				t.Error("no page written by compiled layouts")
			}
			compareOutputs(t, want, got)
			compareOutputs(t, want, compiled)
			// The Go renderer writing the list entries where they are
			// shown, as on a site too large to hold them.
			held := heldSummaryPosts
			heldSummaryPosts = -1
			inPlace, idiags := render(context.Background(), s, &Cache{}, nil, options{})
			heldSummaryPosts = held
			if wdiags.String() != idiags.String() {
				t.Errorf("diagnostics differ:\ntemplates:\n%s\nGo, entries not held:\n%s", wdiags, idiags)
			}
			compareOutputs(t, want, inPlace)
			// Streamed, the sidebar is put in place by the renderer.
			var mu sync.Mutex
			var streamed []Output
			if _, err := Stream(context.Background(), s, func(o Output) error {
				mu.Lock()
				defer mu.Unlock()
				streamed = append(streamed, Output{Path: o.Path, Data: bytes.Clone(o.Data), File: o.File})
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			byPath := map[string][]byte{}
			for _, o := range streamed {
				byPath[o.Path] = o.Data
			}
			for _, o := range want {
				if o.File == nil && !bytes.Equal(byPath[o.Path], o.Data) {
					t.Errorf("%s streamed differs from templates:\n%s", o.Path, firstDiff(o.Data, byPath[o.Path]))
				}
			}
		})
	}
	t.Logf("%d sites rendered by the Go renderer", fastSites)
}

func compareOutputs(t *testing.T, want, got []Output) {
	t.Helper()
	if len(want) != len(got) {
		t.Errorf("%d outputs from templates, %d from Go", len(want), len(got))
	}
	fails := 0
	for i := range min(len(want), len(got)) {
		w, g := want[i], got[i]
		switch {
		case w.Path != g.Path:
			t.Errorf("output %d: %s from templates, %s from Go", i, w.Path, g.Path)
		case !bytes.Equal(w.Data, g.Data):
			t.Errorf("%s differs:\n%s", w.Path, firstDiff(w.Data, g.Data))
		// A page's key names the layouts' generation, which names what
		// Go writes of it: the two keys of a page differ.
		case (w.Key == "") != (g.Key == "") || (w.File == nil) != (g.File == nil):
			t.Errorf("%s: key %q from templates, %q from Go", w.Path, w.Key, g.Key)
		default:
			continue
		}
		if fails++; fails == 5 {
			t.Fatal("too many differences")
		}
	}
}

// firstDiff shows where two renderings part.
func firstDiff(want, got []byte) string {
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	from := max(0, i-200)
	return fmt.Sprintf("templates: …%s…\nGo:        …%s…", want[from:min(len(want), i+120)], got[from:min(len(got), i+120)])
}

// txtarSite reads a site test's archive into a file system, with its
// build options.
func txtarSite(t *testing.T, name string) (fs.FS, content.Options, site.Options) {
	t.Helper()
	ar, err := txtar.ParseFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var copt content.Options
	var sopt site.Options
	fsys := fstest.MapFS{}
	for _, f := range ar.Files {
		switch {
		case f.Name == "args":
			args := strings.Fields(string(f.Data))
			for i, a := range args {
				switch {
				case a == "--drafts":
					sopt.Drafts = true
				case a == "--base-url" && i+1 < len(args):
					copt.BaseURL = args[i+1]
				}
			}
		case strings.HasPrefix(f.Name, "want/"), strings.HasPrefix(f.Name, "symlink:"), strings.HasPrefix(f.Name, "../"):
		default:
			fsys[f.Name] = &fstest.MapFile{Data: f.Data, Mode: 0o644, ModTime: fastNow}
		}
	}
	return fsys, copt, sopt
}

// Script injections and odd characters, for every field an editor fills
// in: each escaper must write what html/template's does.
var hostile = []string{
	`<script>alert('tiêu đề')</script>"><img src=x onerror=alert(1)>{{.Site.Title}}`,
	`]]></description><script>alert(2)</script>"><svg onload=alert(3)>&lt;b&gt;</script>`,
	`</title><script>alert(4)</script>'><svg onload=alert(5)>`,
	`"><img src=x onerror=alert(6)>`,
	`A + B & C's "quote" <tag> 100% #1 ~x`,
	"Thông báo\u00a0số 5\u200b – “Kỳ họp” ‘thứ 2’ & ‹ › « » …",
	`javascript:alert(7)`,
}

// hostileSite is a site with a hostile string in every setting and field.
// sub puts the site under a base path with characters that need escaping.
func hostileSite(sub bool) fs.FS {
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) } // JSON strings are YAML strings
	h := func(i int) string { return hostile[i%len(hostile)] }
	base := "https://xa-thu.example.gov.vn/"
	if sub {
		base = "https://xa-thu.example.gov.vn/cổng thông tin/a+b&c'd/"
	}
	fsys := fstest.MapFS{}
	file := func(name, data string) {
		fsys[name] = &fstest.MapFile{Data: []byte(data), Mode: 0o644, ModTime: fastNow}
	}
	file("content/site.yaml", fmt.Sprintf(`title: %s
base_url: %s
contact:
  agency: %s
  editor_in_chief: %s
  address: %s
  phone: "0200 3812 345"
  email: %s
menu:
  - {label: %s, url: /}
  - {label: %s, url: /tin-tuc/}
  - {label: Lạ, url: "/tin tức/?a=1&b='2'"}
  - {label: Ngoài, url: "https://ví-dụ.vn/đường-dẫn?q=a+b&c='d'"}
links:
  - {label: %s, url: %s}
  - {label: %s, url: "https://x.example.vn/?a=\"><script>alert(10)</script>"}
posts_per_page: 3
`, q(h(2)+" "+h(4)), base, q(h(0)), q(h(1)), q(h(3)), q(`ubnd+x@thu.example.gov.vn`), q(h(4)), q(h(5)), q(h(1)), q("https://dichvucong.gov.vn/p?a=1&b=2+3 4'5"), q(h(6))))
	file("content/tthc.json", `{"updated_at": "2023-12-02T22:14:02+07:00", "period": "2023-12", "processed": 1035, "on_time": 1034, "late": 1,
 "by_field": [{"name": "<b>Hộ tịch</b> & \"Chứng thực\"", "processed": 5, "on_time": 5, "late": 0}, {"name": "Đất đai", "processed": 0, "on_time": 0, "late": 0}],
 "history": [{"period": "2023-11", "processed": 10, "on_time": 9, "late": 1}, {"period": "2023-12", "processed": 0, "on_time": 0, "late": 0}]}`)
	file("content/visits.json", `{"online": 3, "today": 40, "total": 1234567, "updated_at": "2023-12-02T22:14:02+07:00"}`)
	file("content/tin-tuc/_index.md", fmt.Sprintf("---\ntitle: %s\n---\n%s\n", q(h(0)), "<script>alert(11)</script> [x](javascript:alert(12)) *Giới thiệu* & \"mục\"."))
	file("content/thong-bao/_index.md", "---\ntitle: Thông báo\n---\n")
	file("content/trong/_index.md", "---\ntitle: \"Mục trống <>\"\n---\n")
	file("content/gioi-thieu.md", fmt.Sprintf("---\ntitle: %s\nsummary: %s\nimage: %s\n---\nTrang giới thiệu <b>x</b>.\n", q(h(3)), q(h(4)), q("https://anh.example.vn/a b.jpg?x=\"1\"&y='2'")))
	file("content/lien-he.md", "---\ntitle: Liên hệ\n---\n")
	file("content/tin-tuc/anh đẹp.jpg", "jpeg")
	file("content/thong-bao/anh đẹp.jpg", "jpeg")
	cats := []string{h(2), "Thông báo", "", h(4), "Cải cách hành chính"}
	for i := range 31 {
		var fm strings.Builder
		fmt.Fprintf(&fm, "---\ntitle: %s\ndate: %02d/%02d/%d 08:%02d\n", q(fmt.Sprintf("%s %d", h(i), i)), 1+i%28, 1+i%12, 2021+i%4, i)
		if c := cats[i%len(cats)]; c != "" {
			fmt.Fprintf(&fm, "category: %s\n", q(c))
		}
		if i%3 != 0 {
			fmt.Fprintf(&fm, "tags: [%s, %s]\n", q(h(i+1)), q("họp dân"))
		}
		if i%4 == 0 {
			fmt.Fprintf(&fm, "summary: %s\n", q(h(i+2)))
		}
		switch i % 5 {
		case 1:
			fmt.Fprintf(&fm, "image: %s\n", q("https://anh.example.vn/a.jpg?q=\"><script>alert(8)</script>&x=1+2"))
		case 2:
			fm.WriteString("image: anh đẹp.jpg\n")
		}
		if i%6 == 0 {
			fmt.Fprintf(&fm, "lastmod: %02d/%02d/%d 09:00\n", 1+i%28, 1+i%12, 2024)
		}
		section := "tin-tuc"
		if i%7 == 3 {
			section = "thong-bao"
		}
		fmt.Fprintf(&fm, "---\nThân bài %d <script>alert(14)</script> & \"trích\" [liên kết](../gioi-thieu.md) ![ảnh](anh%%20đẹp.jpg)\n\n%s\n", i, h(i+3))
		file(fmt.Sprintf("content/%s/bai-%02d.md", section, i), fm.String())
	}
	return fsys
}

// TestEscapers compares the escapers with html/template on odd strings.
func TestEscapers(t *testing.T) {
	inputs := append([]string{"", "a", "%", "%2", "%20", "%zz", "%2g%", "a%20b%2", "/x y/", "http://a/b?c=d&e=f+g#h",
		"HTTPS://A", "mailto:a@b", "tel:123", "javascript:x", "JavaScript:x", " javascript:x", "/a:b", "a/b:c", "data:text/html,x",
		"\x00", "\xff\xfe", "a\x00b", "\u2028\u2029", "\ufdd0\uffff", "'\"<>&+", "[]@!$*,;=?:~-._", "đường dẫn/ảnh.jpg"}, hostile...)
	for c := range 256 {
		inputs = append(inputs, string(rune(c)), string([]byte{byte(c)}))
	}
	for _, s := range inputs {
		sameEscaping(t, s)
	}
}

var escapersTmpl = template.Must(template.New("").Parse(`<a href="{{.}}" title="{{.}}">{{.}}</a>`))

// sameEscaping checks that the escapers write s in a URL attribute, an
// attribute and text as html/template does.
func sameEscaping(t *testing.T, s string) {
	t.Helper()
	var want, got bytes.Buffer
	if err := escapersTmpl.Execute(&want, s); err != nil {
		t.Fatal(err)
	}
	got.WriteString(`<a href="`)
	escURL(&got, s)
	got.WriteString(`" title="`)
	esc(&got, s)
	got.WriteString(`">`)
	esc(&got, s)
	got.WriteString(`</a>`)
	if want.String() != got.String() {
		t.Errorf("%q:\ntemplates: %s\nGo:        %s", s, want.String(), got.String())
	}
}

// FuzzEscapers: html/template and the escapers agree on any string.
func FuzzEscapers(f *testing.F) {
	for _, s := range hostile {
		f.Add(s)
	}
	f.Fuzz(sameEscaping)
}

// TestOwnLayoutUsesTemplates: a site that changes one layout of the
// default theme, or adds one, is rendered by html/template, with its
// change.
// ownSharedPartials replace the default theme's header, sidebar and
// footer, and show the snapshots, the settings and the page's URL.
var ownSharedPartials = map[string]string{
	"layouts/partials/header.html":  `<header class="riêng"><a href="{{url "/"}}">{{.Site.Title}}</a> {{.URL}}</header>` + "\n",
	"layouts/partials/sidebar.html": `<aside>{{with .TTHC}}{{.Processed}}{{end}} {{with .Visits}}{{.Total}}{{end}}</aside>` + "\n",
	"layouts/partials/footer.html":  `{{/* no block here */}}<footer>Chân trang {{.Site.Title}} {{with .TTHC}}{{.Resolved}}{{end}}</footer>` + "\n",
}

// TestOwnLayoutUsesTemplates: the parts of the pages whose layouts are
// the site's own are rendered by html/template, the others by Go.
func TestOwnLayoutUsesTemplates(t *testing.T) {
	summary, err := fs.ReadFile(congxa.Theme(), "layouts/partials/summary.html")
	if err != nil {
		t.Fatal(err)
	}
	post, err := fs.ReadFile(congxa.Theme(), "layouts/post.html")
	if err != nil {
		t.Fatal(err)
	}
	base, err := fs.ReadFile(congxa.Theme(), "layouts/base.html")
	if err != nil {
		t.Fatal(err)
	}
	// parts says what Go writes: f (frame), s (summaries), then each kind
	// by the letter of its layout: g for Go, t for its own main under the
	// Go frame, m for Go under the site's frame, - for templates; "" for
	// nothing.
	parts := func(f *fastTheme) string {
		if f == nil {
			return ""
		}
		var b strings.Builder
		b.WriteString(map[bool]string{true: "f", false: "-"}[f.frame])
		b.WriteString(map[bool]string{true: "s", false: "-"}[f.summaries])
		for _, k := range kinds {
			switch {
			case f.frame && f.mains[k]:
				b.WriteString("g")
			case f.frame && f.mainTmpl[k] != nil:
				b.WriteString("t")
			case f.mains[k] && f.frameTmpl != nil:
				b.WriteString("m")
			default:
				b.WriteString("-")
			}
		}
		return b.String()
	}
	// kinds: list, post, page, archive, tthc, 404, search.
	for _, tc := range []struct{ name, file, data, want, parts string }{
		{"theme", "layouts/partials/unused.html", "", `class="post-item"`, "fsggggggg"},
		{"changed summary", "layouts/partials/summary.html", strings.Replace(string(summary), `class="post-item"`, `class="post-item riêng"`, 1), `class="post-item riêng"`, "f-ggggggg"},
		{"added", "layouts/partials/unused.html", "<p>không dùng</p>\n", `class="post-item"`, "fsggggggg"},
		{"changed post", "layouts/post.html", strings.Replace(string(post), `<h1 class="post-title">`, `<h1 class="post-title riêng">`, 1), `class="post-item"`, "fsgtggggg"},
		{"changed base", "layouts/base.html", strings.Replace(string(base), `<body class=`, `<body data-rieng="1" class=`, 1), `<body data-rieng="1" class=`, "-smmmmmmm"},
		// A shared partial may be the site's own, but not one that
		// defines a template, which could replace another layout.
		{"footer that defines", "layouts/partials/footer.html", `<footer>x</footer>{{define "partials/summary.html"}}<p class="riêng">{{.Title}}</p>{{end}}` + "\n", `<footer>x</footer>`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := hostileSite(false).(fstest.MapFS)
			if tc.data != "" {
				fsys[tc.file] = &fstest.MapFile{Data: []byte(tc.data), Mode: 0o644, ModTime: fastNow}
			}
			s := modelAt(t, fsys)
			r, diags := prepare(context.Background(), s, &Cache{}, false, options{})
			if r == nil {
				t.Fatal(diags)
			}
			if got := parts(r.fast); got != tc.parts {
				t.Errorf("parts written by Go: %q, want %q", got, tc.parts)
			}
			outs, diags := Render(context.Background(), s, nil)
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			for _, o := range outs {
				if o.Path == "index.html" {
					if !bytes.Contains(o.Data, []byte(tc.want)) {
						t.Errorf("index.html has no %s", tc.want)
					}
					return
				}
			}
			t.Error("no index.html")
		})
	}
}

// ownLayout is a site's own version of some of the theme's layouts.
type ownLayout struct {
	name  string
	files map[string]string // by path in the site
}

// ownLayouts are the theme's layouts, each changed a little, alone or
// together, and layouts that put the main block where the Go renderer
// cannot, or replace more than it.
func ownLayouts(t testing.TB) []ownLayout {
	theme := func(name string) string {
		data, err := fs.ReadFile(congxa.Theme(), "layouts/"+name)
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	edit := func(name, old, new string) string {
		s := theme(name)
		if !strings.Contains(s, old) {
			t.Fatalf("the theme's %s has no %q", name, old)
		}
		return strings.Replace(s, old, new, 1)
	}
	const main = `{{block "main" .}}{{end}}`
	post := edit("post.html", `<h1 class="post-title">`, `<h1 class="post-title riêng" data-tieu-de="{{.Title}}">`)
	base := edit("base.html", `<body class="kind-{{.Kind}}">`, `<body class="kind-{{.Kind}}" data-url="{{.URL}}">`)
	return []ownLayout{
		{"own-post", map[string]string{"layouts/post.html": post}},
		{"own-base", map[string]string{"layouts/base.html": base}},
		{"own-base-and-post", map[string]string{"layouts/base.html": base, "layouts/post.html": post}},
		{"own-list", map[string]string{"layouts/list.html": edit("list.html", `<section class="list">`, `<section class="list riêng">`)}},
		{"own-pager", map[string]string{"layouts/partials/pager.html": edit("partials/pager.html", "« Trang trước", "« Trước")}},
		{"own-breadcrumb", map[string]string{"layouts/partials/breadcrumb.html": edit("partials/breadcrumb.html", "Đường dẫn", "Đường dẫn trang")}},
		{"own-summary", map[string]string{"layouts/partials/summary.html": edit("partials/summary.html", `class="post-item"`, `class="post-item riêng"`)}},
		{"own-page-without-main", map[string]string{"layouts/page.html": "<p>Không có main.</p>\n"}},
		{"post-defines-breadcrumb", map[string]string{"layouts/post.html": post + `{{define "partials/breadcrumb.html"}}<p class="riêng">{{.Title}}</p>{{end}}` + "\n"}},
		{"list-defines-summary", map[string]string{"layouts/list.html": theme("list.html") + `{{define "partials/summary.html"}}<p class="riêng">{{.Title}}</p>{{end}}` + "\n"}},
		{"base-main-twice", map[string]string{"layouts/base.html": edit("base.html", main, main+"\n"+`{{template "main" .}}`)}},
		{"base-main-in-textarea", map[string]string{"layouts/base.html": edit("base.html", main, "<textarea>"+main+"</textarea>")}},
		{"base-main-in-script", map[string]string{"layouts/base.html": edit("base.html", main, "<script>var x = 1;</script><div>"+main+"</div>")}},
		{"base-without-main", map[string]string{"layouts/base.html": edit("base.html", main, "")}},
	}
}

// modelAt loads the site fsys at fastNow and builds its model, failing tb
// on any error.
func modelAt(tb testing.TB, fsys fs.FS) *site.Site {
	tb.Helper()
	c, diags := content.Load(fsys, congxa.Theme(), content.Options{Now: fastNow})
	if diags.HasErrors() {
		tb.Fatal(diags)
	}
	s, diags := site.Build(c, site.Options{Now: fastNow})
	if diags.HasErrors() {
		tb.Fatal(diags)
	}
	return s
}
