// Command floor is the benchmark's lower bound: the least work any static
// site generator must do for a corpus of Markdown posts. It reads every
// post, drops its front matter, converts the body with goldmark and GFM on
// a fixed number of goroutines, and writes each body to
// OUT/tin-tuc/<name>/index.html. No templates, no lists, no feeds.
//
//	floor -src SITE/content/tin-tuc -out OUT [-workers 2]
//
// It uses goldmark as it comes, not package markdown, so that the floor does
// not move when congxa's Markdown extensions change.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

func main() {
	src := flag.String("src", "", "folder of Markdown posts")
	out := flag.String("out", "", "folder to write the bodies to")
	workers := flag.Int("workers", 2, "goroutines converting posts")
	flag.Parse()
	if *src == "" || *out == "" || *workers < 1 || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: floor -src DIR -out DIR [-workers N]")
		os.Exit(2)
	}
	n, err := run(*src, *out, *workers)
	if err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
	fmt.Printf("floor: %d posts\n", n)
}

func run(src, out string, workers int) (int, error) {
	entries, err := os.ReadDir(src)
	if err != nil {
		return 0, err
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".md") && !strings.HasPrefix(e.Name(), "_") {
			names = append(names, e.Name())
		}
	}
	md := goldmark.New(goldmark.WithExtensions(extension.GFM))
	var (
		next     atomic.Int64
		wg       sync.WaitGroup
		firstErr error
		errOnce  sync.Once
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf bytes.Buffer
			for {
				i := int(next.Add(1) - 1)
				if i >= len(names) {
					return
				}
				if err := convert(md, &buf, filepath.Join(src, names[i]), filepath.Join(out, "tin-tuc", strings.TrimSuffix(names[i], ".md"))); err != nil {
					errOnce.Do(func() { firstErr = err })
					return
				}
			}
		}()
	}
	wg.Wait()
	return len(names), firstErr
}

func convert(md goldmark.Markdown, buf *bytes.Buffer, file, dir string) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	buf.Reset()
	if err := md.Convert(body(data), buf); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "index.html"), buf.Bytes(), 0o644)
}

// body returns data without a front matter block between "---" lines.
func body(data []byte) []byte {
	rest, ok := bytes.CutPrefix(data, []byte("---\n"))
	if !ok {
		return data
	}
	if i := bytes.Index(rest, []byte("\n---\n")); i >= 0 {
		return rest[i+len("\n---\n"):]
	}
	return data
}
