package cli

import (
	"bufio"
	"context"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/congxa/congxa"
	"github.com/congxa/congxa/internal/testsite"
)

// benchPosts is the size of the generated site: CONGXA_BENCH_POSTS, else
// 1,000. The figures in the README are for 10,000.
func benchPosts() int {
	if n, err := strconv.Atoi(os.Getenv("CONGXA_BENCH_POSTS")); err == nil && n > 0 {
		return n
	}
	return 1000
}

// BenchmarkServeLatency measures, in a running "congxa serve", the time
// from saving a file to the reload event reaching the browser: 20 edits of
// one post, 5 of tthc.json, which every page shows, 5 of the site's own
// post layout and 5 of its own base layout. Run with
//
//	CONGXA_BENCH_POSTS=10000 go test ./internal/cli -run '^$' -bench ServeLatency -benchtime 1x
func BenchmarkServeLatency(b *testing.B) {
	site := b.TempDir()
	testsite.Generate(b, site, benchPosts())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	exit := make(chan int)
	go func() { exit <- Main(ctx, []string{"serve", "--source", site, "--port", "0"}, &stdout, &stderr) }()
	urlRE := regexp.MustCompile(`at (http://[^/]+)/ \(Ctrl-C`)
	deadline := time.Now().Add(5 * time.Minute)
	for !urlRE.MatchString(stdout.String()) {
		if time.Now().After(deadline) {
			b.Fatalf("serve did not start: %s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	origin := urlRE.FindStringSubmatch(stdout.String())[1]
	res, err := http.Get(origin + "/__congxa/events")
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	events := make(chan time.Time, 100)
	go func() {
		r := bufio.NewReader(res.Body)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			if line == "event: reload\n" {
				events <- time.Now()
			}
		}
	}()
	measure := func(name string, n int, edit func(i int)) {
		var ds []time.Duration
		for i := 0; i < n; i++ {
			time.Sleep(150 * time.Millisecond) // let the last batch settle
			drain(events)
			start := time.Now()
			edit(i)
			select {
			case at := <-events:
				ds = append(ds, at.Sub(start))
			case <-time.After(time.Minute):
				b.Fatalf("%s: no reload event", name)
			}
		}
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		b.ReportMetric(float64(ds[len(ds)/2].Milliseconds()), name+"-median-ms")
		b.ReportMetric(float64(ds[len(ds)-1].Milliseconds()), name+"-max-ms")
	}
	post := filepath.Join(site, "content", "tin-tuc", "bai-00042.md")
	orig, _ := os.ReadFile(post)
	tthc := filepath.Join(site, "content", "tthc.json")
	if err := os.MkdirAll(filepath.Join(site, "layouts"), 0o755); err != nil {
		b.Fatal(err)
	}
	postLayout, baseLayout := filepath.Join(site, "layouts", "post.html"), filepath.Join(site, "layouts", "base.html")
	postTheme, err := fs.ReadFile(congxa.Theme(), "layouts/post.html")
	if err != nil {
		b.Fatal(err)
	}
	baseTheme, err := fs.ReadFile(congxa.Theme(), "layouts/base.html")
	if err != nil {
		b.Fatal(err)
	}
	// Making the layouts folder is a change serve rebuilds for: its
	// reload must not be taken for the first edit's.
	time.Sleep(time.Second)
	drain(events)
	b.ResetTimer()
	for range b.N {
		measure("post", 20, func(i int) {
			os.WriteFile(post, []byte(strings.Replace(string(orig), "---\n", fmt.Sprintf("---\nsummary: Sửa lần %d\n", i), 1)), 0o644)
		})
		measure("tthc", 5, func(i int) {
			os.WriteFile(tthc, []byte(fmt.Sprintf(`{"updated_at": "2023-12-02T22:14:02+07:00", "period": "2023-12", "processed": %d, "on_time": 1034, "late": %d}`, 1035+i+1, 1+i+1)), 0o644)
		})
		// The site's own post layout, then its own base layout, each
		// changed at every edit.
		measure("layout-post", 5, func(i int) {
			os.WriteFile(postLayout, []byte(strings.Replace(string(postTheme), `<h1 class="post-title">`, fmt.Sprintf(`<h1 class="post-title" data-sua="%d">`, i), 1)), 0o644)
		})
		measure("layout-base", 5, func(i int) {
			os.WriteFile(baseLayout, []byte(strings.Replace(string(baseTheme), `<body class="kind-{{.Kind}}">`, fmt.Sprintf(`<body class="kind-{{.Kind}}" data-sua="%d">`, i), 1)), 0o644)
		})
		// Back to the theme's, for the next round.
		time.Sleep(150 * time.Millisecond)
		os.Remove(postLayout)
		os.Remove(baseLayout)
		select {
		case <-events:
		case <-time.After(time.Minute):
			b.Fatal("no reload event after the layouts were removed")
		}
	}
	b.StopTimer()
	cancel()
	<-exit
}

// drain empties c of the events already there.
func drain(c chan time.Time) {
	for {
		select {
		case <-c:
		default:
			return
		}
	}
}
