package build

import (
	"context"
	"fmt"
	"io/fs"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
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
	now     time.Time
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
	tags       = []string{"nông thôn mới", "Nông thôn mới", "một cửa", "y tế", "chuyển đổi số"}
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
	year := 2021 + s.rng.IntN(6) // some in the future of the clock, which moves on
	fmt.Fprintf(&b, "---\ntitle: %q\ndate: \"%02d/%02d/%d %02d:%02d\"\n", s.phrase(2+s.rng.IntN(4)), 1+s.rng.IntN(28), 1+s.rng.IntN(12), year, s.rng.IntN(24), s.rng.IntN(60))
	if s.rng.IntN(8) == 0 {
		fmt.Fprintf(&b, "expires: \"01/%02d/%d\"\n", 1+s.rng.IntN(12), year+1+s.rng.IntN(2))
	}
	if s.rng.IntN(6) == 0 {
		fmt.Fprintf(&b, "lastmod: \"15/06/%d\"\n", 2021+s.rng.IntN(6))
	}
	if s.rng.IntN(2) == 0 {
		b.WriteString("tags: [")
		for i := range 1 + s.rng.IntN(3) {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(tags[s.rng.IntN(len(tags))])
		}
		b.WriteString("]\n")
	}
	if s.rng.IntN(6) == 0 {
		// Old addresses, which now and then collide: an error until
		// one of the two posts is edited again.
		fmt.Fprintf(&b, "aliases: [\"/cu/bai-%d.html\"]\n", s.rng.IntN(40))
	}
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
	case op < 8:
		_, rel := s.pick(s.posts)
		s.write(rel, s.post())
		return "edit " + rel
	case op < 10:
		// The text only, or a summary added: the front matter that
		// places the post stays (see site.Rebuild).
		_, rel := s.pick(s.posts)
		data, err := os.ReadFile(filepath.Join(s.dir, filepath.FromSlash(rel)))
		if err != nil {
			s.t.Fatal(err)
		}
		fm, _, ok := strings.Cut(strings.TrimPrefix(string(data), "---\n"), "\n---\n")
		if !ok {
			return "no front matter to keep in " + rel // a broken one
		}
		if s.rng.IntN(2) == 0 && !strings.Contains(fm, "summary:") {
			fm = fmt.Sprintf("summary: %s\n", s.phrase(4)) + fm
		}
		s.write(rel, "---\n"+fm+"\n---\n"+s.phrase(10)+".\n")
		return "edit the text of " + rel
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
	case s.rng.IntN(2) == 0:
		// Time passes: scheduled posts appear, others expire.
		s.now = s.now.Add(time.Duration(s.rng.IntN(400*24)) * time.Hour)
		return "time passes to " + s.now.Format(time.DateOnly)
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
	s := &siteDir{t: t, dir: filepath.Join(root, "site"), rng: rand.New(rand.NewPCG(2024, 12)), changed: map[string]bool{}, folder: "thong-bao", now: fixedNow()}
	s.write("content/site.yaml", "title: Xã Thử\nbase_url: https://xa.example.gov.vn/\nposts_per_page: 3\n")
	for i := 0; i < 6; i++ {
		s.step()
	}
	c := newComparer(t, s, root)
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
		c.check(fmt.Sprintf("after %d steps, the last %v", done, log[len(log)-batch:]))
	}
}

// comparer builds a changing site incrementally and checks each build
// against a clean build of the same files.
type comparer struct {
	t        *testing.T
	s        *siteDir
	inc, tmp string
	b        *Builder
	written  int // by the last incremental build
}

func newComparer(t *testing.T, s *siteDir, root string) *comparer {
	c := &comparer{t: t, s: s, inc: filepath.Join(root, "inc"), tmp: filepath.Join(root, "clean")}
	c.b = New(Options{Source: os.DirFS(s.dir), Theme: congxa.Theme(), Dest: c.inc, Now: c.now})
	return c
}

func (c *comparer) now() time.Time { return c.s.now }

// check builds what changed since the last check and compares.
func (c *comparer) check(what string) {
	t, s := c.t, c.s
	t.Helper()
	ctx := context.Background()
	changed := s.changed
	s.changed = map[string]bool{}
	before := testsite.Files(t, c.inc)
	res, incDiags, err := c.b.Build(ctx, changed)
	if err != nil {
		t.Fatal(err)
	}
	c.written = 0
	if res != nil {
		c.written = res.Written
	}
	os.RemoveAll(c.tmp)
	_, cleanDiags, err := Run(ctx, Options{Source: os.DirFS(s.dir), Theme: congxa.Theme(), Dest: c.tmp, Now: c.now})
	if err != nil {
		t.Fatal(err)
	}
	if incDiags.String() != cleanDiags.String() {
		t.Fatalf("%s:\nincremental build says\n%s\nclean build says\n%s", what, incDiags, cleanDiags)
	}
	if cleanDiags.HasErrors() {
		if after := testsite.Files(t, c.inc); !maps.Equal(before, after) {
			t.Fatalf("%s: a failed build changed the destination", what)
		}
		return
	}
	if d := diff(testsite.Files(t, c.inc), testsite.Files(t, c.tmp)); d != "" {
		t.Fatalf("%s: incremental output differs from a clean build: %s", what, d)
	}
}

// TestIncrementalCases are changes that the random walk above may not
// make: what a page shows changes while its file does not.
func TestIncrementalCases(t *testing.T) {
	post := func(title, date, extra string) string {
		return fmt.Sprintf("---\ntitle: %s\ndate: %q\n%s---\nNội dung.\n", title, date, extra)
	}
	tests := []struct {
		name  string
		steps []func(s *siteDir)
	}{
		{"tag spelling of an earlier post", []func(s *siteDir){
			func(s *siteDir) {
				s.write("content/thong-bao/a.md", post("A", "01/01/2024", "tags: [Nông thôn mới]\n")) // not b's neighbour
				s.write("content/tin-tuc/b.md", post("B", "02/01/2024", "tags: [nông thôn mới]\n"))
			},
			func(s *siteDir) { s.remove("content/thong-bao/a.md") },
		}},
		{"a scheduled post goes live, another expires", []func(s *siteDir){
			func(s *siteDir) {
				s.write("content/tin-tuc/a.md", post("A", "01/01/2024", "expires: \"01/02/2025\"\n"))
				s.write("content/tin-tuc/b.md", post("B", "20/12/2024", ""))
			},
			func(s *siteDir) { s.now = time.Date(2024, 12, 25, 0, 0, 0, 0, time.UTC) },
			func(s *siteDir) { s.now = time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC) },
		}},
		{"an alias moves from one post to another", []func(s *siteDir){
			func(s *siteDir) {
				s.write("content/tin-tuc/a.md", post("A", "01/01/2024", "aliases: [/cu/1.html]\n"))
				s.write("content/tin-tuc/b.md", post("B", "02/01/2024", ""))
			},
			func(s *siteDir) {
				s.write("content/tin-tuc/a.md", post("A", "01/01/2024", ""))
				s.write("content/tin-tuc/b.md", post("B", "02/01/2024", "aliases: [/cu/1.html]\n"))
			},
			func(s *siteDir) { s.write("content/tin-tuc/a.md", post("A đổi tên", "01/01/2024", "")) },
		}},
	}
	// Each kind of edit an editor makes, one at a time, in a site whose
	// lists have several pages: the posts of the fixture, a-l, alternate
	// between two sections and three categories.
	fixture := func(s *siteDir) {
		for i := range 12 {
			sec := []string{"tin-tuc", "thong-bao"}[i%2]
			cat := []string{"Tin hoạt động", "Thông báo", "Cải cách hành chính"}[i%3]
			s.write(fmt.Sprintf("content/%s/%c.md", sec, 'a'+i), post(fmt.Sprintf("Bài %c", 'A'+i), fmt.Sprintf("%02d/03/2024 08:00", 1+i), "category: "+cat+"\ntags: [Nông thôn mới]\n"))
		}
		s.write("content/gioi-thieu.md", "---\ntitle: Giới thiệu\n---\nXem [bài E](tin-tuc/e.md).\n")
	}
	// e writes post E (content/tin-tuc/e.md) with a title, a date and the
	// rest of its front matter.
	e := func(title, date, rest string) func(s *siteDir) {
		return func(s *siteDir) { s.write("content/tin-tuc/e.md", post(title, date, rest)) }
	}
	const eRest = "category: Thông báo\ntags: [Nông thôn mới]\n"
	edits := []struct {
		name string
		edit func(s *siteDir)
	}{
		{"body", func(s *siteDir) {
			s.write("content/tin-tuc/e.md", post("Bài E", "05/03/2024 08:00", eRest)+"Thêm một đoạn.\n")
		}},
		{"title, and so the URL", e("Bài E đổi tên", "05/03/2024 08:00", eRest)},
		{"date, and so the order", e("Bài E", "20/03/2024 08:00", eRest)},
		{"lastmod", e("Bài E", "05/03/2024 08:00", "lastmod: \"10/03/2024 10:00\"\n"+eRest)},
		{"date into another month", func(s *siteDir) {
			s.write("content/thong-bao/d.md", post("Bài D", "15/01/2024 08:00", "category: Tin hoạt động\ntags: [Nông thôn mới]\n"))
		}},
		{"category", e("Bài E", "05/03/2024 08:00", "category: Cải cách hành chính\ntags: [Nông thôn mới]\n")},
		{"a new category", e("Bài E", "05/03/2024 08:00", "category: Y tế\n")},
		{"tags", e("Bài E", "05/03/2024 08:00", "category: Thông báo\ntags: [y tế, một cửa]\n")},
		{"draft on", e("Bài E", "05/03/2024 08:00", "category: Thông báo\ndraft: true\n")},
		{"delete", func(s *siteDir) { s.remove("content/tin-tuc/e.md") }},
		{"add", func(s *siteDir) {
			s.write("content/tin-tuc/m.md", post("Bài M", "07/03/2024 09:00", "category: Thông báo\n"))
		}},
		{"rename", func(s *siteDir) {
			if err := os.Rename(filepath.Join(s.dir, "content/tin-tuc/e.md"), filepath.Join(s.dir, "content/thong-bao/e2.md")); err != nil {
				s.t.Fatal(err)
			}
			s.changed["content/tin-tuc/e.md"], s.changed["content/thong-bao/e2.md"] = true, true
		}},
		{"tthc.json", func(s *siteDir) {
			s.write("content/tthc.json", `{"updated_at": "2024-02-02T22:14:02+07:00", "period": "2024-01", "processed": 12, "on_time": 11, "late": 1}`)
		}},
		{"site.yaml", func(s *siteDir) {
			s.write("content/site.yaml", "title: Xã Thử Mới\nbase_url: https://xa.example.gov.vn/xa/\nposts_per_page: 4\n")
		}},
		{"layout", func(s *siteDir) {
			s.write("layouts/partials/footer.html", "<footer>Chân trang mới {{.Site.Title}}</footer>\n")
		}},
		{"asset", func(s *siteDir) { s.write("assets/css/site.css", "body { color: #123; }\n") }},
	}
	body := func(s *siteDir) {
		s.write("content/tin-tuc/e.md", post("Bài E", "05/03/2024 08:00", eRest)+"Sửa lần nữa.\n")
	}
	tests = append(tests, []struct {
		name  string
		steps []func(s *siteDir)
	}{
		{"summary, then the body, then the summary again", []func(s *siteDir){fixture,
			e("Bài E", "05/03/2024 08:00", "summary: Tóm tắt\n"+eRest), body,
			e("Bài E", "05/03/2024 08:00", "summary: Tóm tắt khác\n"+eRest)}},
		{"two posts colliding, one edited, then one gone", []func(s *siteDir){fixture,
			func(s *siteDir) { s.write("content/tin-tuc/e2.md", post("Bài E", "06/03/2024 08:00", "")) },
			body,
			func(s *siteDir) {
				s.write("content/tin-tuc/e2.md", post("Bài E", "06/03/2024 08:00", "summary: Khác\n"))
			},
			func(s *siteDir) { s.remove("content/tin-tuc/e2.md") },
			body}},
		{"deleted and added again", []func(s *siteDir){fixture,
			func(s *siteDir) { s.remove("content/tin-tuc/e.md") },
			e("Bài E", "05/03/2024 08:00", eRest), body}},
		{"a post with a category warning edited", []func(s *siteDir){fixture,
			e("Bài E", "05/03/2024 08:00", "category: Thong bao\n"),
			func(s *siteDir) {
				s.write("content/tin-tuc/e.md", post("Bài E", "05/03/2024 08:00", "summary: Dời dòng\ncategory: Thong bao\n"))
			}}},
		{"a draft edited", []func(s *siteDir){fixture,
			e("Bài E", "05/03/2024 08:00", "draft: true\n"),
			e("Bài E", "05/03/2024 08:00", "summary: Nháp\ndraft: true\n")}},
		{"a scheduled post edited, then its time comes", []func(s *siteDir){fixture,
			e("Bài E", "05/03/2025 08:00", eRest),
			e("Bài E", "05/03/2025 08:00", "summary: Sắp đăng\n"+eRest),
			func(s *siteDir) { s.now = time.Date(2025, 3, 6, 0, 0, 0, 0, time.UTC) },
			e("Bài E", "05/03/2025 08:00", "summary: Đã đăng\n"+eRest)}},
		{"a summary shown by the neighbours' pages", []func(s *siteDir){fixture,
			func(s *siteDir) {
				s.write("layouts/post.html", `{{define "main"}}{{.Page.Title}} {{with .Page.Newer}}{{.Summary}}{{end}} {{with .Page.Older}}{{.Summary}}{{end}}{{.Page.Content}}{{end}}`)
			},
			e("Bài E", "05/03/2024 08:00", "summary: Tóm tắt\n"+eRest),
			e("Bài E", "05/03/2024 08:00", "summary: Tóm tắt khác\n"+eRest)}},
		{"a body edited, then time passes", []func(s *siteDir){fixture, body,
			func(s *siteDir) { s.now = s.now.Add(time.Hour) }, body}},
	}...)
	for _, e := range edits {
		tests = append(tests, struct {
			name  string
			steps []func(s *siteDir)
		}{"edit: " + e.name, []func(s *siteDir){fixture, e.edit}})
		if e.name == "draft on" {
			// and off again
			tests = append(tests, struct {
				name  string
				steps []func(s *siteDir)
			}{"edit: draft on and off", []func(s *siteDir){fixture, e.edit, func(s *siteDir) {
				s.write("content/tin-tuc/e.md", post("Bài E", "05/03/2024 08:00", "category: Thông báo\ntags: [Nông thôn mới]\n"))
			}}})
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			s := &siteDir{t: t, dir: filepath.Join(root, "site"), changed: map[string]bool{}, now: fixedNow()}
			s.write("content/site.yaml", "title: Xã Thử\nbase_url: https://xa.example.gov.vn/\nposts_per_page: 3\n")
			c := newComparer(t, s, root)
			for i, step := range tt.steps {
				step(s)
				c.check(fmt.Sprintf("step %d", i+1))
			}
		})
	}
}

// TestLayoutEdits edits the theme's layouts as a site's own, one after
// another and back: each build equals a clean one, and rewrites only the
// pages made with the layout that changed.
func TestLayoutEdits(t *testing.T) {
	theme := func(name string) string {
		data, err := fs.ReadFile(congxa.Theme(), "layouts/"+name)
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	edit := func(name, old, new string) func(s *siteDir) {
		return func(s *siteDir) {
			data := theme(name)
			if !strings.Contains(data, old) {
				t.Fatalf("the theme's %s has no %q", name, old)
			}
			s.write("layouts/"+name, strings.Replace(data, old, new, 1))
		}
	}
	remove := func(name string) func(s *siteDir) {
		return func(s *siteDir) { s.remove("layouts/" + name) }
	}
	// The destination holds the last two builds (see publish), so a build
	// writes what changed since the one before the last: the counts are
	// of builds after one that changed the same files or fewer.
	const posts = 12
	steps := []struct {
		name    string
		edit    func(s *siteDir)
		written int // -1: not counted
	}{
		{"post layout", edit("post.html", `<h1 class="post-title">`, `<h1 class="post-title" data-sua="1">`), -1},
		{"post layout again", edit("post.html", `<h1 class="post-title">`, `<h1 class="post-title" data-sua="2">`), posts},
		{"base layout", edit("base.html", `<body class="kind-{{.Kind}}">`, `<body class="kind-{{.Kind}}" data-sua="1">`), -1},
		{"base layout again", edit("base.html", `<body class="kind-{{.Kind}}">`, `<body class="kind-{{.Kind}}" data-sua="2">`), -1},
		{"post layout under the base", edit("post.html", `<h1 class="post-title">`, `<h1 class="post-title" data-sua="3">`), -1},
		{"post layout under the base again", edit("post.html", `<h1 class="post-title">`, `<h1 class="post-title" data-sua="4">`), posts},
		{"post layout back to the theme's", remove("post.html"), posts},
		{"summary partial", edit("partials/summary.html", `class="post-item"`, `class="post-item sua"`), -1},
		{"list layout", edit("list.html", `<section class="list">`, `<section class="list sua">`), -1},
		{"base layout back", remove("base.html"), -1},
		{"summary partial back", remove("partials/summary.html"), -1},
		{"list layout back", remove("list.html"), -1},
		{"pager partial", edit("partials/pager.html", "« Trang trước", "« Trước"), -1},
		{"pager partial back", remove("partials/pager.html"), -1},
	}
	root := t.TempDir()
	s := &siteDir{t: t, dir: filepath.Join(root, "site"), changed: map[string]bool{}, now: fixedNow()}
	s.write("content/site.yaml", "title: Xã Thử\nbase_url: https://xa.example.gov.vn/\nposts_per_page: 3\n")
	s.write("content/tthc.json", `{"updated_at": "2024-02-02T22:14:02+07:00", "period": "2024-01", "processed": 12, "on_time": 11, "late": 1}`)
	for i := range 12 {
		sec := []string{"tin-tuc", "thong-bao"}[i%2]
		cat := []string{"Tin hoạt động", "Thông báo", "Cải cách hành chính"}[i%3]
		s.write(fmt.Sprintf("content/%s/%c.md", sec, 'a'+i), fmt.Sprintf("---\ntitle: Bài %c\ndate: \"%02d/03/2024 08:00\"\ncategory: %s\ntags: [Nông thôn mới]\n---\nNội dung.\n", 'A'+i, 1+i, cat))
	}
	s.write("content/gioi-thieu.md", "---\ntitle: Giới thiệu\n---\nTrang.\n")
	c := newComparer(t, s, root)
	c.check("first build")
	for _, st := range steps {
		st.edit(s)
		c.check(st.name)
		if st.written >= 0 && c.written != st.written {
			t.Errorf("%s: %d files written, want %d", st.name, c.written, st.written)
		}
	}
}

func diff(got, want map[string]string) string {
	var out []string
	for p, w := range want {
		g, ok := got[p]
		switch {
		case !ok:
			out = append(out, "missing "+p)
		case g != w:
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

// BenchmarkRebuild measures a rebuild after one post changed, after
// tthc.json changed, and after the site's own post layout and base layout
// changed, in a site of CONGXA_BENCH_POSTS posts (default 1,000),
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
	if err := os.MkdirAll(filepath.Join(dir, "layouts"), 0o755); err != nil {
		b.Fatal(err)
	}
	postLayout, _ := fs.ReadFile(congxa.Theme(), "layouts/post.html")
	baseLayout, _ := fs.ReadFile(congxa.Theme(), "layouts/base.html")
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
		// The site's own post layout, changed at each edit: every post
		// is made again, the lists are not.
		{"layout-post", "layouts/post.html", func(i int) string {
			return strings.Replace(string(postLayout), `<h1 class="post-title">`, fmt.Sprintf(`<h1 class="post-title" data-sua="%d">`, i), 1)
		}},
		// The site's own base layout, which every page is made with.
		{"layout-base", "layouts/base.html", func(i int) string {
			return strings.Replace(string(baseLayout), `<body class="kind-{{.Kind}}">`, fmt.Sprintf(`<body class="kind-{{.Kind}}" data-sua="%d">`, i), 1)
		}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			// Each stage's time (Result.Load, Model, Render, Write),
			// after a first rebuild: it waits for the spare folder the
			// publisher makes in the background after the first build.
			var stages [4]time.Duration
			var cpu0 time.Duration
			for i := -1; i < b.N; i++ {
				if i == 0 {
					b.ResetTimer()
					cpu0, _ = cpuTime()
				}
				if err := os.WriteFile(filepath.Join(dir, tc.file), []byte(tc.edit(i)), 0o644); err != nil {
					b.Fatal(err)
				}
				res, d, err := bl.Build(ctx, map[string]bool{tc.file: true})
				if err != nil || d.HasErrors() {
					b.Fatal(err, d)
				}
				if i >= 0 {
					for k, t := range []time.Duration{res.Load, res.Model, res.Render, res.Write} {
						stages[k] += t
					}
				}
			}
			if cpu1, ok := cpuTime(); ok {
				// Of the process: with the collector and every worker.
				b.ReportMetric(float64((cpu1-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
			}
			for k, name := range []string{"load", "model", "render", "write"} {
				b.ReportMetric(float64(stages[k].Microseconds())/1000/float64(b.N), name+"-ms/op")
			}
			if strings.HasPrefix(tc.file, "layouts/") {
				// Back to the theme's layout, for the next case.
				b.StopTimer()
				os.Remove(filepath.Join(dir, tc.file))
				if _, d, err := bl.Build(ctx, map[string]bool{tc.file: true}); err != nil || d.HasErrors() {
					b.Fatal(err, d)
				}
				b.StartTimer()
			}
		})
	}
}

// TestLastModGit builds a site with "lastmod: git" from a repository and
// from a shallow clone of it.
func TestLastModGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("git is not installed")
		}
		t.Skip("git is not installed: skipping the lastmod: git test")
	}
	repo := t.TempDir()
	git := func(dir, date string, args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_AUTHOR_NAME=x", "GIT_AUTHOR_EMAIL=x@example.gov.vn",
			"GIT_COMMITTER_NAME=x", "GIT_COMMITTER_EMAIL=x@example.gov.vn", "GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	s := &siteDir{t: t, dir: repo, changed: map[string]bool{}}
	s.write("content/site.yaml", "title: Xã Thử\nbase_url: https://xa.example.gov.vn/\nlastmod: git\n")
	s.write("content/tin-tuc/a.md", "---\ntitle: A\ndate: 01/03/2024 08:00\n---\nMột.\n")
	git(repo, "", "init", "-q")
	git(repo, "2024-03-01T08:00:00+07:00", "add", "-A")
	git(repo, "2024-03-01T08:00:00+07:00", "commit", "-q", "-m", "a")
	s.write("content/tin-tuc/a.md", "---\ntitle: A\ndate: 01/03/2024 08:00\n---\nMột, sửa.\n")
	git(repo, "2024-04-02T10:15:00+07:00", "commit", "-q", "-am", "sửa a")

	page := func(dir string) (string, string) {
		t.Helper()
		res, diags, err := Run(context.Background(), Options{Source: os.DirFS(dir), Dir: dir, Theme: congxa.Theme(), Now: fixedNow})
		if err != nil || res == nil {
			t.Fatal(err, diags)
		}
		for _, o := range res.Outputs {
			if o.Path == "tin-tuc/a/index.html" {
				return string(o.Data), diags.String()
			}
		}
		t.Fatal("no page for a.md")
		return "", ""
	}
	html, diags := page(repo)
	if diags != "" || !strings.Contains(html, `Cập nhật: <time datetime="2024-04-02T10:15:00&#43;07:00">02/04/2024 10:15:00</time>`) {
		t.Errorf("diagnostics %q; page:\n%s", diags, html)
	}

	shallow := filepath.Join(t.TempDir(), "shallow")
	git(repo, "", "clone", "-q", "--depth", "1", "file://"+repo, shallow)
	html, diags = page(shallow)
	if !strings.HasPrefix(diags, "content/site.yaml:3:10: warning: lastmod: git: "+shallow+" is a shallow clone") || strings.Contains(html, "Cập nhật") {
		t.Errorf("shallow clone: diagnostics %q; page shows Cập nhật: %v", diags, strings.Contains(html, "Cập nhật"))
	}
}

// TestBodiesReadAgain builds a site once holding every post's Markdown from
// loading to converting, and once holding none (each is read again): the
// outputs are the same.
func TestBodiesReadAgain(t *testing.T) {
	dir := t.TempDir()
	testsite.Generate(t, dir, 40)
	build := func(keep int64) map[string]string {
		t.Helper()
		defer func(k int64) { keepBodies = k }(keepBodies)
		keepBodies = keep
		dest := filepath.Join(t.TempDir(), "public")
		_, diags, err := Run(context.Background(), Options{Source: os.DirFS(dir), Theme: congxa.Theme(), Dest: dest, Now: fixedNow})
		if err != nil || diags.HasErrors() {
			t.Fatal(err, diags)
		}
		return testsite.Files(t, dest)
	}
	if d := diff(build(1), build(1<<40)); d != "" {
		t.Error(d)
	}
}
