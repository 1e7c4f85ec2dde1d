package check

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func TestVietnamesePhone(t *testing.T) {
	for p, want := range map[string]bool{
		"0984327946":       true,
		"0220 3882 123":    true,
		"(0220) 3.882.123": true,
		"+84 220 3882 123": true,
		"+84984327946":     true,
		"1900 1234":        true,
		"1800 1234 56":     true,
		"12345678":         false,
		"098432794":        false, // 9 digits
		"098432794612":     false, // 12 digits
		"+1 202 555 0100":  false,
		"0098432794":       false,
		"0984-327-946 ext": false,
		"0984+327946":      false,
	} {
		if got := vietnamesePhone(p); got != want {
			t.Errorf("vietnamesePhone(%q) = %v, want %v", p, got, want)
		}
	}
}

// A minimal theme, so that the test does not depend on the default one.
var theme = fstest.MapFS{
	"layouts/base.html":            {Data: []byte(`<main>{{block "main" .}}{{end}}</main>{{.Footer}}`)},
	"layouts/list.html":            {Data: []byte(`{{define "main"}}{{range .List.Posts}}{{.Title}}{{end}}{{end}}`)},
	"layouts/post.html":            {Data: []byte(`{{define "main"}}<h1>{{.Page.Title}}</h1>{{.Page.Content}}{{end}}`)},
	"layouts/page.html":            {Data: []byte(`{{define "main"}}<h1>{{.Page.Title}}</h1>{{.Page.Content}}{{end}}`)},
	"layouts/tthc.html":            {Data: []byte(`{{define "main"}}{{end}}`)},
	"layouts/archive.html":         {Data: []byte(`{{define "main"}}{{range .Archive}}{{.Year}}{{end}}{{end}}`)},
	"layouts/search.html":          {Data: []byte(`{{define "main"}}<form role="search"></form>{{end}}`)},
	"layouts/404.html":             {Data: []byte(`{{define "main"}}<p id="khong-co">404</p>{{end}}`)},
	"layouts/partials/footer.html": {Data: []byte(`{{with .Site.Contact}}<p>{{.Agency}}</p><p>{{.EditorInChief}}</p><p>{{.Address}}</p><p>{{.Phone}}</p><p>{{.Email}}</p>{{end}}`)},
}

const settings = "title: Xã Thử\nbase_url: https://example.gov.vn/\ncontact:\n  agency: UBND xã Thử\n  editor_in_chief: Ông A & bà B\n  address: Thôn <Đông>\n  phone: \"+84 220 3882 123\"\n  email: a@example.gov.vn\n"

func run(files map[string]string) []string {
	fsys := fstest.MapFS{}
	for p, d := range files {
		fsys[p] = &fstest.MapFile{Data: []byte(d)}
	}
	rep := Run(context.Background(), Options{Source: fsys, Theme: theme, Now: func() time.Time { return time.Date(2024, 12, 1, 0, 0, 0, 0, time.UTC) }})
	var out []string
	for _, d := range rep.Diags {
		out = append(out, d.String())
	}
	return out
}

// The contact fields are found in the page's text whatever the escaping
// (&amp;, &lt;, &#43;); links reach files at a site root, with or without
// a final slash; a fragment may name any element of the target page.
func TestRunClean(t *testing.T) {
	got := run(map[string]string{
		"content/site.yaml":    settings,
		"content/tai-lieu.txt": "x",
		"content/a.md":         "---\ntitle: A\n---\n[b](/b) [b](b.md) [tệp](/tai-lieu.txt) [404](/404.html#khong-co) [tiêu đề](#muc)\n\n## Mục\n",
		"content/b.md":         "---\ntitle: B\n---\nB\n",
	})
	if len(got) != 0 {
		t.Errorf("diagnostics on a clean site:\n%s", strings.Join(got, "\n"))
	}
}

func TestRunSiteWithoutSnapshotAge(t *testing.T) {
	got := run(map[string]string{
		"content/site.yaml": settings + "tthc_max_age_days: 0\n",
		"content/tthc.json": `{"updated_at": "2020-01-01T00:00:00+07:00", "period": "2019-12", "processed": 0, "on_time": 0, "late": 0}`,
	})
	if len(got) != 0 {
		t.Errorf("tthc_max_age_days: 0 should turn the warning off:\n%s", strings.Join(got, "\n"))
	}
	got = run(map[string]string{
		"content/site.yaml": settings,
		"content/tthc.json": `{"updated_at": "2024-10-01T00:00:00+07:00", "period": "2024-09", "processed": 0, "on_time": 0, "late": 0}`,
	})
	if len(got) != 1 || !strings.Contains(got[0], "content/tthc.json:1:16: warning: the TTHC snapshot was exported on 01/10/2024, 61 days ago, more than tthc_max_age_days (40)") {
		t.Errorf("default age: got\n%s", strings.Join(got, "\n"))
	}
}
