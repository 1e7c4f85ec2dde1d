package render

import (
	"context"
	"fmt"
	"testing"
	"testing/fstest"

	"github.com/congxa/congxa"
	"github.com/congxa/congxa/internal/content"
	"github.com/congxa/congxa/internal/site"
)

// TestHeldSummariesIncremental edits one post's title, summary, date and
// category in turn, as an editor does while "congxa serve" runs, and
// renders each state with the cache of the builds before it: every output
// must be what a build from nothing gives, whether list entries are held
// (heldSummaryPosts) or written in place, when the setting flips between
// builds (a site that grows past the limit), on a site at the domain's
// root and under a sub-path, and with a site's own post.html and
// page.html showing .Page.Content added and removed.
func TestHeldSummariesIncremental(t *testing.T) {
	post := func(title, date, cat, extra string) string {
		return fmt.Sprintf("---\ntitle: %s\ndate: %q\ncategory: %s\ntags: [Nông thôn mới]\n%s---\nNội dung của **%s** và [trang](../gioi-thieu.md).\n", title, date, cat, extra, title)
	}
	const ownPost = `{{define "main"}}<h1>{{.Page.Title}}</h1><div class="own">{{.Page.Content}}</div>{{range .Page.Related}}{{.Link}}{{end}}{{end}}`
	const ownPage = `{{define "main"}}<div class="own-page">{{.Page.Content}}</div>{{end}}`
	type state struct {
		name  string
		edit  func(fsys fstest.MapFS)
		files []string // changed
	}
	e := func(name, title, date, cat, extra string) state {
		return state{name, func(fsys fstest.MapFS) {
			fsys["content/tin-tuc/e.md"] = &fstest.MapFile{Data: []byte(post(title, date, cat, extra)), Mode: 0o644, ModTime: fastNow}
		}, []string{"content/tin-tuc/e.md"}}
	}
	layout := func(name, path, data string) state {
		return state{name, func(fsys fstest.MapFS) {
			if data == "" {
				delete(fsys, path)
				return
			}
			fsys[path] = &fstest.MapFile{Data: []byte(data), Mode: 0o644, ModTime: fastNow}
		}, []string{path}}
	}
	states := []state{
		e("title", "Bài E đổi tên", "05/03/2024 08:00", "Thông báo", ""),
		e("summary", "Bài E đổi tên", "05/03/2024 08:00", "Thông báo", "summary: Tóm tắt mới\n"),
		e("date", "Bài E đổi tên", "20/03/2024 08:00", "Thông báo", "summary: Tóm tắt mới\n"),
		e("category", "Bài E đổi tên", "20/03/2024 08:00", "Tin hoạt động", "summary: Tóm tắt khác\n"),
		layout("own post.html", "layouts/post.html", ownPost),
		e("title under own post.html", "Bài E lần ba", "20/03/2024 08:00", "Tin hoạt động", ""),
		layout("own page.html", "layouts/page.html", ownPage),
		layout("own post.html gone", "layouts/post.html", ""),
		e("title again", "Bài E", "05/03/2024 08:00", "Thông báo", ""),
		layout("own page.html gone", "layouts/page.html", ""),
		e("summary again", "Bài E", "05/03/2024 08:00", "Thông báo", "summary: Lần cuối\n"),
	}
	held := heldSummaryPosts
	defer func() { heldSummaryPosts = held }()
	for _, base := range []string{"https://xa.example.gov.vn/", "https://example.gov.vn/xa-thu/"} {
		for _, mode := range []string{"held", "in place", "flipping"} {
			t.Run(base+" "+mode, func(t *testing.T) {
				fsys := fstest.MapFS{
					"content/site.yaml":     {Data: []byte("title: Xã Thử\nbase_url: " + base + "\nposts_per_page: 3\n"), Mode: 0o644, ModTime: fastNow},
					"content/gioi-thieu.md": {Data: []byte("---\ntitle: Giới thiệu\n---\nXem [bài E](tin-tuc/e.md).\n"), Mode: 0o644, ModTime: fastNow},
				}
				for i := range 12 {
					sec := []string{"tin-tuc", "thong-bao"}[i%2]
					cat := []string{"Tin hoạt động", "Thông báo", "Cải cách hành chính"}[i%3]
					fsys[fmt.Sprintf("content/%s/%c.md", sec, 'a'+i)] = &fstest.MapFile{Data: []byte(post(fmt.Sprintf("Bài %c", 'A'+i), fmt.Sprintf("%02d/03/2024 08:00", 1+i), cat, "")), Mode: 0o644, ModTime: fastNow}
				}
				cache := &Cache{}
				var prevC *content.Site
				var prevS *site.Site
				for i, st := range append([]state{{name: "first build"}}, states...) {
					if st.edit != nil {
						st.edit(fsys)
					}
					switch mode {
					case "held":
						heldSummaryPosts = held
					case "in place":
						heldSummaryPosts = -1
					default:
						heldSummaryPosts = []int{held, -1}[i%2]
					}
					changed := map[string]bool{}
					for _, f := range st.files {
						changed[f] = true
					}
					c, diags := content.Load(fsys, congxa.Theme(), content.Options{Now: fastNow, Prev: prevC, Changed: func(p string) bool { return changed[p] }, ChangedPaths: st.files})
					if diags.HasErrors() {
						t.Fatalf("%s: %v", st.name, diags)
					}
					s, diags := site.Rebuild(prevS, c, site.Options{Now: fastNow})
					if diags.HasErrors() {
						t.Fatalf("%s: %v", st.name, diags)
					}
					prevC, prevS = c, s
					got, gdiags := render(context.Background(), s, cache, nil, options{})
					fc, _ := content.Load(fsys, congxa.Theme(), content.Options{Now: fastNow})
					fresh, _ := site.Build(fc, site.Options{Now: fastNow})
					want, wdiags := render(context.Background(), fresh, &Cache{}, nil, options{templates: true, noCompile: true})
					if gdiags.String() != wdiags.String() {
						t.Errorf("%s: diagnostics differ:\nincremental:\n%s\nclean:\n%s", st.name, gdiags, wdiags)
					}
					t.Logf("%s: %d outputs, held %v", st.name, len(got), heldSummaryPosts >= 0)
					compareOutputs(t, want, got)
					if t.Failed() {
						t.Fatalf("after %s", st.name)
					}
				}
			})
		}
	}
}
