package render

import (
	"context"
	"testing"
	"testing/fstest"
	"time"

	"github.com/congxa/congxa"
	"github.com/congxa/congxa/internal/content"
	"github.com/congxa/congxa/internal/site"
)

// TestCacheForgets: what a Cache keeps of pages and feeds that went is
// dropped at the next build, so that a long serve does not grow with
// every post ever deleted.
func TestCacheForgets(t *testing.T) {
	now := time.Date(2024, 12, 1, 0, 0, 0, 0, time.UTC)
	fsys := fstest.MapFS{
		"content/site.yaml":           {Data: []byte("title: Xã Thử\nbase_url: https://xa.example.gov.vn/\n")},
		"content/tin-tuc/a.md":        {Data: []byte("---\ntitle: A\ndate: 01/03/2024\ncategory: Thông báo\n---\nMột.\n")},
		"content/tin-tuc/b.md":        {Data: []byte("---\ntitle: B\ndate: 02/03/2024\ncategory: Tin hoạt động\n---\nHai.\n")},
		"content/tin-tuc/c.md":        {Data: []byte("---\ntitle: C\ndate: 03/03/2024\ncategory: Tin hoạt động\n---\nBa.\n")},
		"content/gioi-thieu.md":       {Data: []byte("---\ntitle: Giới thiệu\n---\nXã.\n")},
		"content/tin-tuc/_index.md":   {Data: []byte("---\ntitle: Tin tức\n---\n")},
		"content/tai-lieu/lich.txt":   {Data: []byte("lịch")},
		"content/thong-bao/d.md":      {Data: []byte("---\ntitle: D\ndate: 04/03/2024\ncategory: Thông báo\n---\nBốn.\n")},
		"content/thong-bao/_index.md": {Data: []byte("---\ntitle: Thông báo\n---\n")},
	}
	var cache Cache
	var prev *content.Site
	build := func() {
		t.Helper()
		c, diags := content.Load(fsys, congxa.Theme(), content.Options{Now: now, Prev: prev})
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		prev = c
		s, diags := site.Build(c, site.Options{Now: now})
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		if _, diags := Render(context.Background(), s, &cache); diags.HasErrors() {
			t.Fatal(diags)
		}
		if n := len(s.Posts) + len(s.Pages); len(cache.byPath) != n || len(cache.pages) != n {
			t.Errorf("the cache keeps %d and %d pages, the site has %d", len(cache.byPath), len(cache.pages), n)
		}
		if n := 1 + len(s.Categories); len(cache.feeds) != n {
			t.Errorf("the cache keeps %d feeds, the site has %d", len(cache.feeds), n)
		}
	}
	build()
	// The posts of Thông báo go, and with them its category.
	delete(fsys, "content/tin-tuc/a.md")
	delete(fsys, "content/thong-bao/d.md")
	build()
	fsys["content/tin-tuc/e.md"] = &fstest.MapFile{Data: []byte("---\ntitle: E\ndate: 05/03/2024\ncategory: Y tế\n---\nNăm.\n")}
	build()
}
