package build

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/congxa/congxa"
	"github.com/congxa/congxa/internal/testsite"
)

func benchPosts() int {
	if n, err := strconv.Atoi(os.Getenv("CONGXA_BENCH_POSTS")); err == nil && n > 0 {
		return n
	}
	return 1000
}

// BenchmarkRebuildOnePost measures what "serve" and "build --watch" do
// after an editor saves one post: load the changed file, model, render
// with the cache, write what changed. The watcher's delay and the
// browser's reload are not in it (BenchmarkServeLatency in internal/cli
// has them). Run with
//
//	CONGXA_BENCH_POSTS=10000 go test ./internal/build -run '^$' -bench RebuildOnePost -benchtime 20x
func BenchmarkRebuildOnePost(b *testing.B) {
	src := b.TempDir()
	testsite.Generate(b, src, benchPosts())
	bl := New(Options{Source: os.DirFS(src), Dir: src, Theme: congxa.Theme(), Dest: filepath.Join(b.TempDir(), "public")})
	if _, diags, err := bl.Build(context.Background(), nil); err != nil || diags.HasErrors() {
		b.Fatal(err, diags)
	}
	rel := "content/tin-tuc/bai-00042.md"
	post := filepath.Join(src, filepath.FromSlash(rel))
	orig, err := os.ReadFile(post)
	if err != nil {
		b.Fatal(err)
	}
	edit := func(i int) *Result {
		edited := strings.Replace(string(orig), "---\n", fmt.Sprintf("---\nsummary: Sửa lần %d\n", i), 1)
		if err := os.WriteFile(post, []byte(edited), 0o644); err != nil {
			b.Fatal(err)
		}
		res, diags, err := bl.Build(context.Background(), map[string]bool{rel: true})
		if err != nil || diags.HasErrors() {
			b.Fatal(err, diags)
		}
		if res.Written == 0 {
			b.Fatal("nothing written")
		}
		return res
	}
	// The first rebuild waits for the spare folder that the publisher
	// makes after the first build, in the background.
	edit(-1)
	var load, model, render, write time.Duration
	b.ResetTimer()
	for i := range b.N {
		res := edit(i)
		if i == 0 {
			b.Logf("written %d of %d files", res.Written, res.Files)
		}
		load, model, render, write = load+res.Load, model+res.Model, render+res.Render, write+res.Write
	}
	for _, m := range []struct {
		name string
		d    time.Duration
	}{{"load", load}, {"model", model}, {"render", render}, {"write", write}} {
		b.ReportMetric(float64(m.d.Microseconds())/1000/float64(b.N), m.name+"-ms/op")
	}
}
