package search

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// benchDocs is a realistic corpus: the posts of a site folder named by
// CONGXA_BENCH_SITE (a corpus of ../shared/bench/gen_corpus.py), their
// Markdown bodies standing in for the HTML, or else synthetic Vietnamese.
func benchDocs(b testing.TB, n int) []Doc {
	dir := os.Getenv("CONGXA_BENCH_SITE")
	if dir == "" {
		return syntheticDocs(n, 9)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "content", "*", "*.md"))
	if len(files) == 0 {
		b.Fatalf("no posts under %s/content", dir)
	}
	var docs []Doc
	for i, f := range files[:min(n, len(files))] {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		front, body, _ := strings.Cut(strings.TrimPrefix(string(data), "---\n"), "\n---\n")
		d := Doc{Key: f, URL: fmt.Sprintf("/tin-tuc/%d/", i), Date: "01/01/2024", HTML: []byte("<p>" + strings.ReplaceAll(body, "\n\n", "</p><p>") + "</p>")}
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
		docs = append(docs, d)
	}
	return docs
}

// BenchmarkBuild measures a clean build of the index of 10,000 pages, and
// reports the heap the index's structures keep (the Cache) after it.
func BenchmarkBuild(b *testing.B) {
	docs := benchDocs(b, 10000)
	ctx := context.Background()
	b.ReportAllocs()
	var cache *Cache
	for b.Loop() {
		cache = &Cache{}
		Build(ctx, docs, nil, cache)
	}
	b.StopTimer()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(cache)
	cache = nil
	runtime.GC()
	runtime.ReadMemStats(&before)
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MB-cache")
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
	b.ReportMetric(float64(changed)/float64(i), "files-changed/op")
}
