package build

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/congxa/congxa"
	"github.com/congxa/congxa/internal/testsite"
)

var fixedNow = func() time.Time { return time.Date(2024, 12, 1, 0, 0, 0, 0, time.UTC) }

// siteDir is a site folder that the test changes step by step.
type siteDir struct {
	t       *testing.T
	dir     string
	rng     *rand.Rand
	posts   []string // paths of the posts that exist
	files   []string // static files that exist
	changed map[string]bool
	n       int
	broken  string // a file left broken on purpose, fixed at the next step
	folder  string // the section folder that gets renamed
}

func (s *siteDir) section() string {
	if s.rng.IntN(2) == 0 {
		return "tin-tuc"
	}
	return s.folder
}

var (
	words      = strings.Fields("xã Bắc An Đảng ủy cải cách hành chính thủ tục nông thôn mới tuyển quân phòng cháy tiêm chủng lễ hội thu hoạch bảo hiểm y tế chuyển đổi số điện nước học bổng")
	categories = []string{"Cải cách hành chính", "Tin hoạt động", "Thông báo", "Thong bao"}
)

func (s *siteDir) write(rel, data string) {
	s.t.Helper()
	p := filepath.Join(s.dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		s.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		s.t.Fatal(err)
	}
	s.changed[rel] = true
}

func (s *siteDir) remove(rel string) {
	s.t.Helper()
	if err := os.Remove(filepath.Join(s.dir, filepath.FromSlash(rel))); err != nil {
		s.t.Fatal(err)
	}
	s.changed[rel] = true
}

func (s *siteDir) phrase(n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = words[s.rng.IntN(len(words))]
	}
	return strings.Join(w, " ")
}

func (s *siteDir) post() string {
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: %q\ndate: \"%02d/%02d/%d %02d:%02d\"\n", s.phrase(2+s.rng.IntN(4)), 1+s.rng.IntN(28), 1+s.rng.IntN(12), 2021+s.rng.IntN(4), s.rng.IntN(24), s.rng.IntN(60))
	if s.rng.IntN(5) > 0 {
		fmt.Fprintf(&b, "category: %s\n", categories[s.rng.IntN(len(categories))])
	}
	if s.rng.IntN(4) == 0 {
		fmt.Fprintf(&b, "summary: %s\n", s.phrase(6))
	}
	if s.rng.IntN(6) == 0 && len(s.files) > 0 {
		fmt.Fprintf(&b, "image: ../%s\n", strings.TrimPrefix(s.files[s.rng.IntN(len(s.files))], "content/"))
	}
	if s.rng.IntN(8) == 0 {
		b.WriteString("draft: true\n")
	}
	b.WriteString("---\n")
	fmt.Fprintf(&b, "%s.\n\n## %s\n\n", s.phrase(12), s.phrase(3))
	// Links to other posts and files, which may or may not exist: their
	// resolution changes when those are created or deleted.
	if len(s.posts) > 0 && s.rng.IntN(3) == 0 {
		fmt.Fprintf(&b, "Xem [bài khác](../%s).\n", strings.TrimPrefix(s.posts[s.rng.IntN(len(s.posts))], "content/"))
	}
	if s.rng.IntN(3) == 0 {
		fmt.Fprintf(&b, "Tải [tài liệu](../tai-lieu/tl-%d.txt).\n", s.rng.IntN(6))
	}
	return b.String()
}

func (s *siteDir) pick(list []string) (int, string) {
	i := s.rng.IntN(len(list))
	return i, list[i]
}

// step applies one random change.
func (s *siteDir) step() string {
	s.n++
	switch op := s.rng.IntN(20); {
	case op < 5 || len(s.posts) < 3:
		rel := fmt.Sprintf("content/%s/bai-%d.md", s.section(), s.n)
		s.write(rel, s.post())
		s.posts = append(s.posts, rel)
		return "create " + rel
	case op < 10:
		_, rel := s.pick(s.posts)
		s.write(rel, s.post())
		return "edit " + rel
	case op < 12:
		i, rel := s.pick(s.posts)
		to := fmt.Sprintf("content/%s/doi-ten-%d.md", s.section(), s.n)
		if err := os.MkdirAll(filepath.Dir(filepath.Join(s.dir, to)), 0o755); err != nil {
			s.t.Fatal(err)
		}
		if err := os.Rename(filepath.Join(s.dir, rel), filepath.Join(s.dir, to)); err != nil {
			s.t.Fatal(err)
		}
		s.changed[rel], s.changed[to] = true, true
		s.posts[i] = to
		return "rename " + rel + " " + to
	case op < 14:
		i, rel := s.pick(s.posts)
		s.remove(rel)
		s.posts = append(s.posts[:i], s.posts[i+1:]...)
		return "delete " + rel
	case op == 14:
		rel := fmt.Sprintf("content/tai-lieu/tl-%d.txt", s.rng.IntN(6))
		if s.rng.IntN(2) == 0 {
			for i, f := range s.files {
				if f == rel {
					s.remove(rel)
					s.files = append(s.files[:i], s.files[i+1:]...)
					return "delete " + rel
				}
			}
		}
		s.write(rel, s.phrase(5))
		for _, f := range s.files {
			if f == rel {
				return "edit " + rel
			}
		}
		s.files = append(s.files, rel)
		return "create " + rel
	case op == 15:
		s.write("content/tthc.json", fmt.Sprintf(`{"updated_at": "2023-12-02T22:14:02+07:00", "period": "2023-%02d", "processed": %d, "on_time": %d, "late": 1}`, 1+s.rng.IntN(12), 10+s.n, 9+s.n))
		return "edit tthc.json"
	case op == 16:
		s.write("content/site.yaml", fmt.Sprintf("title: Xã Thử %d\nbase_url: https://xa.example.gov.vn/\nposts_per_page: %d\nmenu:\n  - {label: Trang chủ, url: /}\n  - {label: Tin tức, url: /tin-tuc/}\n", s.n%3, 2+s.rng.IntN(4)))
		return "edit site.yaml"
	case op == 17:
		switch s.rng.IntN(4) {
		case 0:
			s.write("layouts/partials/footer.html", fmt.Sprintf("<footer>Chân trang %d {{.Site.Title}}</footer>\n", s.n))
			return "edit footer layout"
		case 1:
			// A footer that shows the snapshot: every page depends on it.
			s.write("layouts/partials/footer.html", fmt.Sprintf("<footer>%d {{with .TTHC}}{{.Processed}}{{end}} {{with .Visits}}{{.Total}}{{end}}</footer>\n", s.n))
			return "edit footer layout to show the snapshots"
		case 2:
			// A post layout that shows the snapshot.
			s.write("layouts/post.html", fmt.Sprintf("{{define \"main\"}}%d {{.Page.Title}} {{with .TTHC}}{{.Resolved}}{{end}}{{.Page.Content}}{{end}}\n", s.n))
			return "edit post layout to show the snapshots"
		case 3:
			// A page layout that shows the sidebar twice.
			s.write("layouts/page.html", fmt.Sprintf("{{define \"main\"}}%d {{.Sidebar}}{{.Page.Title}}{{.Page.Content}}{{end}}\n", s.n))
			return "edit page layout to show the sidebar twice"
		}
		s.write("content/tin-tuc/_index.md", fmt.Sprintf("---\ntitle: Tin tức %d\n---\n%s\n", s.n%2, s.phrase(4)))
		return "edit section index"
	case op == 18 && s.rng.IntN(2) == 0:
		// A whole folder renamed: the watcher names only the two folders.
		from, to := "content/"+s.folder, fmt.Sprintf("content/thong-bao-%d", s.n)
		if _, err := os.Stat(filepath.Join(s.dir, from)); err != nil {
			return "no folder to rename"
		}
		s.folder = strings.TrimPrefix(to, "content/")
		if err := os.Rename(filepath.Join(s.dir, from), filepath.Join(s.dir, to)); err != nil {
			s.t.Fatal(err)
		}
		s.changed[from], s.changed[to] = true, true
		for i, p := range s.posts {
			if strings.HasPrefix(p, from+"/") {
				s.posts[i] = to + strings.TrimPrefix(p, from)
			}
		}
		return "rename folder " + from + " " + to
	case op == 18:
		_, rel := s.pick(s.posts)
		s.write(rel, "---\ntitle: [broken\n---\n")
		s.broken = rel
		return "break " + rel
	default:
		s.write("content/visits.json", fmt.Sprintf(`{"online": %d, "today": %d, "total": %d}`, s.rng.IntN(5), s.rng.IntN(50), 1000+s.n))
		return "edit visits.json"
	}
}

// TestIncrementalEqualsClean applies a seeded random sequence of creates,
// edits, renames and deletes to a site, builds it incrementally after each
// batch, and checks that the destination is byte-for-byte what a clean build
// of the same files gives, and that a broken step reports what a clean
// build reports and leaves the destination alone.
func TestIncrementalEqualsClean(t *testing.T) {
	steps := 240
	if testing.Short() {
		steps = 60
	}
	root := t.TempDir()
	s := &siteDir{t: t, dir: filepath.Join(root, "site"), rng: rand.New(rand.NewPCG(2024, 12)), changed: map[string]bool{}, folder: "thong-bao"}
	s.write("content/site.yaml", "title: Xã Thử\nbase_url: https://xa.example.gov.vn/\nposts_per_page: 3\n")
	for i := 0; i < 6; i++ {
		s.step()
	}
	inc := filepath.Join(root, "inc")
	b := New(Options{Source: os.DirFS(s.dir), Theme: congxa.Theme(), Dest: inc, Now: fixedNow})
	ctx := context.Background()
	var log []string
	for done := 0; done < steps; {
		if s.broken != "" {
			s.write(s.broken, s.post())
			log = append(log, "fix "+s.broken)
			s.broken = ""
		}
		batch := 1 + s.rng.IntN(3)
		for i := 0; i < batch && done < steps; i++ {
			log = append(log, s.step())
			done++
		}
		changed := s.changed
		s.changed = map[string]bool{}
		before := snapshot(t, inc)
		_, incDiags, err := b.Build(ctx, changed)
		if err != nil {
			t.Fatal(err)
		}
		clean := filepath.Join(root, "clean")
		os.RemoveAll(clean)
		_, cleanDiags, err := Run(ctx, Options{Source: os.DirFS(s.dir), Theme: congxa.Theme(), Dest: clean, Now: fixedNow})
		if err != nil {
			t.Fatal(err)
		}
		if incDiags.String() != cleanDiags.String() {
			t.Fatalf("after %v:\nincremental build says\n%s\nclean build says\n%s", log[len(log)-batch:], incDiags, cleanDiags)
		}
		if cleanDiags.HasErrors() {
			if after := snapshot(t, inc); !equal(before, after) {
				t.Fatalf("after %v: a failed build changed the destination", log[len(log)-batch:])
			}
			continue
		}
		if d := diff(snapshot(t, inc), snapshot(t, clean)); d != "" {
			t.Fatalf("after %d steps, the last %v: incremental output differs from a clean build: %s", done, log[len(log)-batch:], d)
		}
	}
}

func snapshot(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	m := map[string][]byte{}
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, p)
		m[filepath.ToSlash(rel)] = b
		return nil
	})
	return m
}

func equal(a, b map[string][]byte) bool { return diff(a, b) == "" }

func diff(got, want map[string][]byte) string {
	var out []string
	for p, w := range want {
		g, ok := got[p]
		switch {
		case !ok:
			out = append(out, "missing "+p)
		case !bytes.Equal(g, w):
			out = append(out, "differs "+p)
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			out = append(out, "extra "+p)
		}
	}
	sort.Strings(out)
	if len(out) > 10 {
		out = append(out[:10], fmt.Sprintf("and %d more", len(out)-10))
	}
	return strings.Join(out, "; ")
}

// BenchmarkRebuild measures a rebuild after one post changed, and after
// tthc.json changed, in a site of CONGXA_BENCH_POSTS posts (default 1,000),
// writing to a destination as build --watch does.
func BenchmarkRebuild(b *testing.B) {
	n := 1000
	if v, err := strconv.Atoi(os.Getenv("CONGXA_BENCH_POSTS")); err == nil && v > 0 {
		n = v
	}
	dir := b.TempDir()
	testsite.Generate(b, dir, n)
	// CONGXA_BENCH_DEST: where to write (a tmpfs such as /dev/shm to
	// measure without the disk), or "none" to write nothing, as serve does.
	dest := filepath.Join(os.Getenv("CONGXA_BENCH_DEST"), "public")
	switch os.Getenv("CONGXA_BENCH_DEST") {
	case "":
		dest = filepath.Join(b.TempDir(), "public")
	case "none":
		dest = ""
	}
	bl := New(Options{Source: os.DirFS(dir), Theme: congxa.Theme(), Dest: dest, Now: fixedNow})
	ctx := context.Background()
	if _, d, err := bl.Build(ctx, nil); err != nil || d.HasErrors() {
		b.Fatal(err, d)
	}
	post := "content/tin-tuc/bai-00042.md"
	orig, _ := os.ReadFile(filepath.Join(dir, post))
	for _, tc := range []struct {
		name, file string
		edit       func(i int) string
	}{
		{"post", post, func(i int) string {
			return strings.Replace(string(orig), "---\n", fmt.Sprintf("---\nsummary: Sửa lần %d\n", i), 1)
		}},
		{"tthc", "content/tthc.json", func(i int) string {
			return fmt.Sprintf(`{"updated_at": "2023-12-02T22:14:02+07:00", "period": "2023-12", "processed": %d, "on_time": 1034, "late": %d}`, 1036+i, 2+i)
		}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for i := range b.N {
				os.WriteFile(filepath.Join(dir, tc.file), []byte(tc.edit(i)), 0o644)
				if _, d, err := bl.Build(ctx, map[string]bool{tc.file: true}); err != nil || d.HasErrors() {
					b.Fatal(err, d)
				}
			}
		})
	}
}
