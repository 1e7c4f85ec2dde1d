package search

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/congxa/congxa/internal/markdown"
	"github.com/congxa/congxa/internal/para"
)

// benchDocs is a realistic corpus: the posts of a site folder named by
// CONGXA_BENCH_SITE (a corpus of ../shared/bench/gen_corpus.py), their
// Markdown rendered to HTML as a build does, or else synthetic Vietnamese.
// The HTML is made once per run and shared by the benchmarks: callers
// must not change it.
func benchDocs(b testing.TB, n int) []Doc {
	dir := os.Getenv("CONGXA_BENCH_SITE")
	if dir == "" {
		return syntheticDocs(n, 9)
	}
	if docs, ok := benchCorpus[fmt.Sprint(dir, n)]; ok {
		return append([]Doc(nil), docs...)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "content", "*", "*.md"))
	if len(files) == 0 {
		b.Fatalf("no posts under %s/content", dir)
	}
	md := markdown.New()
	docs := make([]Doc, min(n, len(files)))
	para.For(context.Background(), len(docs), func(i int) {
		f := files[i]
		data, err := os.ReadFile(f)
		if err != nil {
			panic(err)
		}
		front, body, _ := strings.Cut(strings.TrimPrefix(string(data), "---\n"), "\n---\n")
		res, err := md.ConvertBody([]byte(body), nil)
		if err != nil {
			panic(fmt.Sprint(f, ": ", err))
		}
		d := Doc{Key: f, URL: fmt.Sprintf("/tin-tuc/%d/", i), Date: "01/01/2024", HTML: res.HTML}
		for _, line := range strings.Split(front, "\n") {
			k, v, _ := strings.Cut(line, ": ")
			v = strings.Trim(v, `"`)
			switch k {
			case "title":
				d.Title = v
			case "category":
				d.Category = v
			case "summary":
				d.Summary = v
			case "tags":
				d.Tags = strings.Split(strings.Trim(v, `[]"`), `", "`)
			}
		}
		docs[i] = d
	})
	benchCorpus[fmt.Sprint(dir, n)] = docs
	return append([]Doc(nil), docs...)
}

var benchCorpus = map[string][]Doc{}

// cpuTime is the CPU time the process has used, user and system, on
// every thread: on a shared machine it varies less than the wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU reports the CPU time per op since start.
func reportCPU(b *testing.B, start time.Duration, ops int) {
	b.ReportMetric(float64(cpuTime()-start)/float64(time.Millisecond)/float64(ops), "cpu-ms/op")
}

// liveHeap is the heap in use after a collection.
func liveHeap() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkRead measures reading the words of 10,000 pages, on all
// cores, as a streamed build does while it renders them.
func BenchmarkRead(b *testing.B) {
	docs := benchDocs(b, 10000)
	ctx := context.Background()
	b.ReportAllocs()
	start, ops := cpuTime(), 0
	for b.Loop() {
		bl := NewBuilder(docs, nil)
		para.For(ctx, len(docs), func(i int) { bl.Read(i, docs[i].HTML) })
		ops++
	}
	reportCPU(b, start, ops)
}

// BenchmarkStream measures the index of 10,000 pages as a streamed build
// makes it: each page read as it comes, on all cores, then the files,
// without a Cache. It reports the heap the pages read keep until the
// files are made (MB-read), what the index adds to a build's peak.
func BenchmarkStream(b *testing.B) {
	docs := benchDocs(b, 10000)
	ctx := context.Background()
	base := liveHeap()
	bl := NewBuilder(docs, nil)
	para.For(ctx, len(docs), func(i int) { bl.Read(i, docs[i].HTML) })
	read := liveHeap() - base
	bl.Build(ctx, nil)
	bl = nil
	b.ReportAllocs()
	start, ops := cpuTime(), 0
	for b.Loop() {
		bl := NewBuilder(docs, nil)
		para.For(ctx, len(docs), func(i int) { bl.Read(i, docs[i].HTML) })
		bl.Build(ctx, nil)
		ops++
	}
	reportCPU(b, start, ops)
	b.ReportMetric(float64(read)/(1<<20), "MB-read")
}

// BenchmarkBuild measures a clean build of the index of 10,000 pages, and
// reports the heap the index's structures keep (the Cache) after it.
func BenchmarkBuild(b *testing.B) {
	docs := benchDocs(b, 10000)
	ctx := context.Background()
	b.ReportAllocs()
	var cache *Cache
	start, ops := cpuTime(), 0
	for b.Loop() {
		cache = &Cache{}
		Build(ctx, docs, nil, cache)
		ops++
	}
	reportCPU(b, start, ops)
	b.StopTimer()
	after := liveHeap()
	runtime.KeepAlive(cache)
	cache = nil
	before := liveHeap()
	b.ReportMetric(float64(after-before)/(1<<20), "MB-cache")
}

// BenchmarkRebuildOne measures an index rebuild, with a cache, after one
// page of 10,000 changed (a sentence added at its start), and reports how
// many files it changed.
func BenchmarkRebuildOne(b *testing.B) {
	docs := benchDocs(b, 10000)
	var cache Cache
	ctx := context.Background()
	prev := Build(ctx, docs, nil, &cache)
	b.ReportAllocs()
	i, changed := 0, 0
	start := cpuTime()
	for b.Loop() {
		i++
		d := docs[4242]
		d.Key = fmt.Sprint("edit-", i)
		d.HTML = append([]byte(fmt.Sprintf("<p>Sửa lần %d.</p>", i)), d.HTML...)
		docs[4242] = d
		idx := Build(ctx, docs, nil, &cache)
		sums := map[string]string{}
		for _, f := range prev.Files {
			sums[f.Path] = f.Sum
		}
		for _, f := range idx.Files {
			if sums[f.Path] != f.Sum {
				changed++
			}
		}
		prev = idx
	}
	reportCPU(b, start, i)
	b.ReportMetric(float64(changed)/float64(i), "files-changed/op")
}
