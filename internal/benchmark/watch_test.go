//go:build linux

package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/congxa/congxa/internal/testsite"
)

// TestWatchers runs the incremental measurement with congxa on a small
// site, two edits of each kind: every edit must be found in the output
// (the page on disk, the page served), which is what each delay measures.
func TestWatchers(t *testing.T) {
	if testing.Short() {
		t.Skip("builds congxa and runs it in watch mode: not in -short")
	}
	defer func(n int) { editTimes = n }(editTimes)
	editTimes = 2
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	bin := filepath.Join(work, "congxa")
	if out, err := exec.Command("go", "build", "-o", bin, filepath.Join(root, "cmd", "congxa")).CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	site := filepath.Join(work, "corpus", "congxa")
	testsite.Generate(t, site, 30)
	// The corpus's snapshot, which the tthc edit changes.
	tthc := `{"updated_at": "2023-12-02T22:14:02+07:00", "period": "2023-12", "on_time": 1034, "late": 1, "processed": 1035}`
	if err := os.WriteFile(filepath.Join(site, "content", "tthc.json"), []byte(tthc), 0o644); err != nil {
		t.Fatal(err)
	}
	// The corpus's posts are published at their file's name, as the
	// generated corpora's are.
	posts, _ := filepath.Glob(filepath.Join(site, "content", "tin-tuc", "*.md"))
	for _, p := range posts {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		slug := strings.TrimSuffix(filepath.Base(p), ".md")
		if err := os.WriteFile(p, bytes.Replace(b, []byte("---\n"), []byte("---\nslug: "+slug+"\n"), 1), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg := &config{root: root, tmpfs: work}
	dirs := corpusDirs{congxa: site}
	post, err := watchPost(dirs)
	if err != nil {
		t.Fatal(err)
	}
	var results []watchResult
	for _, w := range []watcher{{tool: toolCongxa, serve: true}, {tool: toolCongxa, dest: dest{"tmpfs", work}}} {
		var log bytes.Buffer
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		r, err := runWatcher(ctx, cfg, w, 30, dirs, post, bin, &log)
		cancel()
		if err != nil {
			t.Fatalf("%s: %v\n%s", w, err, log.String())
		}
		for _, e := range edits(post) {
			if got := len(r.delays[e.name]); got != 2 {
				t.Errorf("%s: %s measured %d times, want 2", w, e.name, got)
			}
			for _, d := range r.delays[e.name] {
				if d <= 0 {
					t.Errorf("%s: %s: delay %v", w, e.name, d)
				}
			}
		}
		results = append(results, r)
	}
	var out bytes.Buffer
	reportWatch(&out, 30, results)
	for _, want := range []string{"| one post (2×)", "| base layout (2×)", "congxa serve", "congxa build --watch, tmpfs"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
	// The site copy is the benchmark's own: the corpus is left as it was.
	if _, err := os.Stat(filepath.Join(site, "layouts")); err == nil {
		t.Error("the benchmark changed the corpus: it has a layouts folder")
	}
}

// TestEditShows: an edit counts only once the page shows it.
func TestEditShows(t *testing.T) {
	es := edits("bai")
	post, tthc, base := es[0], es[1], es[3]
	page := []byte(`<body class="kind-post" data-sua="2"><p>Sửa lần 2.</p>`)
	for _, tc := range []struct {
		e      edit
		i      int
		before []byte
		want   bool
	}{
		{post, 2, nil, true},
		{post, 3, nil, false}, // the edit before, still shown
		{base, 2, nil, true},
		{base, 12, nil, false},
		{tthc, 1, []byte("<body>"), true},
		{tthc, 1, page, false}, // no mark: the page must have changed
	} {
		if got := tc.e.shows(tc.i, page, tc.before); got != tc.want {
			t.Errorf("%s edit %d shows = %v, want %v", tc.e.name, tc.i, got, tc.want)
		}
	}
	// The layout edits change what they mark, for both tools.
	for _, tool := range []string{toolCongxa, toolHugo} {
		orig := []byte(`<body class="kind-{{.Kind}}"><body>`)
		got := string(base.change(tool, orig, 7))
		want := map[string]string{
			toolCongxa: `<body class="kind-{{.Kind}}" data-sua="7"><body>`,
			toolHugo:   `<body class="kind-{{.Kind}}"><body data-sua="7">`,
		}[tool]
		if got != want {
			t.Errorf("%s: base layout edit gives %s, want %s", tool, got, want)
		}
	}
}
