package render

import (
	"bytes"
	"context"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/congxa/congxa"
	"github.com/congxa/congxa/internal/content"
	"github.com/congxa/congxa/internal/site"
	"github.com/congxa/congxa/internal/testsite"
)

// benchSite models a generated site of CONGXA_BENCH_POSTS posts (default
// 1,000) with the default theme.
func benchSite(b *testing.B) *site.Site {
	b.Helper()
	n := 1000
	if v, err := strconv.Atoi(os.Getenv("CONGXA_BENCH_POSTS")); err == nil && v > 0 {
		n = v
	}
	dir := b.TempDir()
	testsite.Generate(b, dir, n)
	c, diags := content.Load(os.DirFS(dir), congxa.Theme(), content.Options{Now: time.Date(2024, 12, 1, 0, 0, 0, 0, time.UTC)})
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	s, diags := site.Build(c, site.Options{})
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	return s
}

// BenchmarkRender measures the render stage (no I/O):
//
//	full    everything from the model: Markdown, summaries, every page, feeds, sitemap
//	posts   every post page again, the rest kept from a cache (Markdown included)
//	lists   every list page again (home, sections, categories)
//	cached  nothing again: what a rebuild costs before it renders anything
//
// ns/page divides by the pages rendered (every post, or every list page);
// subtract cached's ns/op from posts' and lists' for the template work alone.
// Run with
//
//	CONGXA_BENCH_POSTS=10000 go test ./internal/render -run '^$' -bench Render -benchtime 3x
func BenchmarkRender(b *testing.B) {
	s := benchSite(b)
	ctx := context.Background()
	var lists []string
	per := s.Settings.PostsPerPage
	for _, lp := range site.Paginate("/", s.Posts, per) {
		lists = append(lists, lp.Out)
	}
	for _, sec := range s.Sections {
		for _, lp := range site.Paginate(sec.URL, sec.Posts, per) {
			lists = append(lists, lp.Out)
		}
	}
	for _, cat := range s.Categories {
		for _, lp := range site.Paginate(cat.URL, cat.Posts, per) {
			lists = append(lists, lp.Out)
		}
	}
	var posts []string
	for _, p := range s.Posts {
		posts = append(posts, p.Out)
	}

	b.Run("full", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, diags := Render(ctx, s, nil); diags.HasErrors() {
				b.Fatal(diags)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(s.Posts)), "ns/post")
	})
	for _, tc := range []struct {
		name  string
		again []string // the outputs rendered again at each iteration
	}{{"posts", posts}, {"lists", lists}, {"cached", nil}} {
		b.Run(tc.name, func(b *testing.B) {
			var cache Cache
			if _, diags := Render(ctx, s, &cache); diags.HasErrors() {
				b.Fatal(diags)
			}
			for _, out := range tc.again {
				if !slices.Contains(cache.outputs.paths, out) {
					b.Fatalf("no output %s in the cache", out)
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				for _, out := range tc.again {
					// A key no job has: rendered again.
					cache.outputs.entries[slices.Index(cache.outputs.paths, out)].key++
				}
				b.StartTimer()
				if _, diags := Render(ctx, s, &cache); diags.HasErrors() {
					b.Fatal(diags)
				}
			}
			if len(tc.again) > 0 {
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(tc.again)), "ns/page")
			}
		})
	}
}

// BenchmarkPage renders one page, a post or a list's first page, with
// html/template, with the layouts compiled (tmplc.go) and with the Go
// renderer of the default theme (fast.go):
//
//	go test ./internal/render -run '^$' -bench Page -benchmem
func BenchmarkPage(b *testing.B) {
	s := benchSite(b)
	ctx := context.Background()
	for _, kind := range []string{"post.html", "list.html"} {
		for _, path := range []struct {
			name string
			opt  options
		}{{"templates", options{templates: true, noCompile: true}}, {"compiled", options{templates: true}}, {"go", options{}}} {
			b.Run(strings.TrimSuffix(kind, ".html")+"/"+path.name, func(b *testing.B) {
				r, diags := prepare(ctx, s, &Cache{}, false, path.opt)
				if r == nil {
					b.Fatal(diags)
				}
				if (r.fast != nil) == path.opt.templates {
					b.Fatal("not rendered the way the benchmark says")
				}
				var j *job
				for _, jj := range r.jobs() {
					if jj.kind == kind {
						j = &jj
						break
					}
				}
				var buf bytes.Buffer
				b.ReportAllocs()
				for b.Loop() {
					buf.Reset()
					if err := r.execute(&buf, kind, j.data()); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(buf.Len()), "bytes/page")
			})
		}
	}
}
