package build

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/congxa/congxa"
)

// hugePost is a post of about size bytes as an editor pasting a long report
// makes it: paragraphs, headings (many alike), lists, tables, links.
func hugePost(size int) []byte {
	rng := rand.New(rand.NewPCG(7, 7))
	var b strings.Builder
	b.Grow(size + 4096)
	b.WriteString("---\ntitle: Báo cáo tổng kết công tác năm 2023 của UBND xã\ndate: 28/12/2023 08:00\ncategory: Thông báo\n---\n")
	phrase := func(n int) string {
		w := make([]string, n)
		for i := range w {
			w[i] = words[rng.IntN(len(words))]
		}
		return strings.Join(w, " ")
	}
	for i := 0; b.Len() < size; i++ {
		switch {
		case i%40 == 0:
			fmt.Fprintf(&b, "## Phần %d: %s\n\n### Ghi chú\n\n", i/40+1, phrase(5))
		case i%40 == 13:
			for j := 0; j < 6; j++ {
				fmt.Fprintf(&b, "- %s, **%s**\n", phrase(8), phrase(2))
			}
			b.WriteString("\n")
		case i%40 == 27:
			b.WriteString("| Thôn | Số hộ | Tỉ lệ |\n|---|--:|--:|\n")
			for j := 0; j < 10; j++ {
				fmt.Fprintf(&b, "| %s | %d | %d,%d%% |\n", phrase(2), rng.IntN(900), rng.IntN(100), rng.IntN(10))
			}
			b.WriteString("\n")
		default:
			fmt.Fprintf(&b, "%s, *%s* [%s](https://dichvucong.gov.vn/) %s.\n\n", phrase(40), phrase(3), phrase(2), phrase(30))
		}
	}
	return []byte(b.String())
}

// buildCost builds a site holding one post of about size bytes, in memory,
// and returns what it allocated.
func buildCost(t *testing.T, size int) (bytes, allocs uint64, took time.Duration) {
	t.Helper()
	fsys := fstest.MapFS{
		"content/site.yaml":         {Data: []byte("title: Xã Bắc An\nbase_url: https://bacan.example.gov.vn/\n")},
		"content/tin-tuc/dai.md":    {Data: hugePost(size)},
		"content/tin-tuc/ngan.md":   {Data: []byte("---\ntitle: Tin ngắn\ndate: 27/12/2023 08:00\n---\nTin ngắn.\n")},
		"content/gioi-thieu.md":     {Data: []byte("---\ntitle: Giới thiệu\n---\nXã Bắc An.\n")},
		"content/tai-lieu/.keep":    {Data: nil},
		"content/tin-tuc/_index.md": {Data: []byte("---\ntitle: Tin tức\n---\n")},
	}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	res, diags, err := Run(context.Background(), Options{Source: fsys, Theme: congxa.Theme(), Now: fixedNow})
	took = time.Since(start)
	runtime.ReadMemStats(&after)
	if err != nil || diags.HasErrors() {
		t.Fatalf("build of a %d-byte post: %v\n%s", size, err, diags)
	}
	var page int
	for _, o := range res.Outputs {
		if o.Path == "tin-tuc/bao-cao-tong-ket-cong-tac-nam-2023-cua-ubnd-xa/index.html" {
			page = len(o.Data)
		}
	}
	if page < size {
		t.Fatalf("the post's page has %d bytes, for a %d-byte post", page, size)
	}
	return after.TotalAlloc - before.TotalAlloc, after.Mallocs - before.Mallocs, took
}

// A 20 MB post builds, in time and memory linear in its size: ten times
// the post costs about ten times the allocations, not a hundred. (Bytes
// and counts of allocations stand for time, which a shared test machine
// cannot measure.)
func TestHugePostLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 20 MB post")
	}
	const small, large = 2 << 20, 20 << 20
	sBytes, sAllocs, sTook := buildCost(t, small)
	lBytes, lAllocs, lTook := buildCost(t, large)
	t.Logf("2 MB post: %d MB allocated in %d allocations, %v", sBytes>>20, sAllocs, sTook.Round(time.Millisecond))
	t.Logf("20 MB post: %d MB allocated in %d allocations, %v", lBytes>>20, lAllocs, lTook.Round(time.Millisecond))
	rb, ra := float64(lBytes)/float64(sBytes), float64(lAllocs)/float64(sAllocs)
	t.Logf("ratios for 10 times the size: bytes %.1f, allocations %.1f, time %.1f", rb, ra, float64(lTook)/float64(sTook))
	if rb > 14 || ra > 14 {
		t.Errorf("10 times the size cost %.1f times the bytes and %.1f times the allocations: not linear", rb, ra)
	}
}
