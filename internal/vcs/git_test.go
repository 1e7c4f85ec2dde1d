package vcs

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// gitRepo makes a repository in a temporary folder whose commits are at
// the given times, each writing the given files.
type gitRepo struct {
	t   *testing.T
	dir string
}

func newGitRepo(t *testing.T) *gitRepo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("git is not installed")
		}
		t.Skip("git is not installed: skipping the lastmod: git tests")
	}
	r := &gitRepo{t: t, dir: t.TempDir()}
	r.git(time.Time{}, "init", "-q", "-b", "main")
	return r
}

func (r *gitRepo) git(at time.Time, args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = r.dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=Cán bộ", "GIT_AUTHOR_EMAIL=canbo@xa.example.gov.vn",
		"GIT_COMMITTER_NAME=Cán bộ", "GIT_COMMITTER_EMAIL=canbo@xa.example.gov.vn", "GIT_CONFIG_GLOBAL=/dev/null")
	if !at.IsZero() {
		d := at.Format(time.RFC3339)
		cmd.Env = append(cmd.Env, "GIT_AUTHOR_DATE="+d, "GIT_COMMITTER_DATE="+d)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (r *gitRepo) commit(at time.Time, files map[string]string) {
	r.t.Helper()
	for name, data := range files {
		p := filepath.Join(r.dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			r.t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			r.t.Fatal(err)
		}
	}
	r.git(at, "add", "-A")
	r.git(at, "commit", "-q", "-m", "sửa bài")
}

func TestLastChanges(t *testing.T) {
	r := newGitRepo(t)
	if dates, err := LastChanges(r.dir, "content"); err != nil || len(dates) != 0 {
		t.Errorf("no commit yet: %v, %v; want none", dates, err)
	}
	t1 := time.Date(2024, 3, 1, 8, 0, 0, 0, time.UTC)
	t2 := time.Date(2024, 5, 2, 9, 30, 0, 0, time.UTC)
	// The site is a folder of the repository, as when the portal lives
	// beside other things.
	r.commit(t1, map[string]string{
		"portal/content/site.yaml":           "title: Xã Thử\n",
		"portal/content/tin-tuc/a.md":        "một",
		"portal/content/tin-tuc/bài-b.md":    "hai",
		"portal/content/tai-lieu/quy.txt":    "quy chế",
		"portal/layouts/post.html":           "{{.Page.Title}}",
		"khac/content/tin-tuc/a.md":          "another site",
		"portal/content/tin-tuc/chua-sua.md": "ba",
	})
	r.commit(t2, map[string]string{"portal/content/tin-tuc/bài-b.md": "hai, sửa"})
	r.commit(t2.Add(time.Hour), map[string]string{"khac/content/tin-tuc/a.md": "sửa site khác"})
	dir := filepath.Join(r.dir, "portal")

	dates, err := LastChanges(dir, "content")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]time.Time{
		"content/site.yaml":           t1,
		"content/tin-tuc/a.md":        t1,
		"content/tin-tuc/bài-b.md":    t2,
		"content/tai-lieu/quy.txt":    t1,
		"content/tin-tuc/chua-sua.md": t1,
	}
	for p, w := range want {
		if got := dates[p]; !got.Equal(w) {
			t.Errorf("dates[%q] = %v, want %v", p, got, w)
		}
	}
	if len(dates) != len(want) {
		t.Errorf("dates of %d files, want %d: %v", len(dates), len(want), dates)
	}

	shallow := filepath.Join(t.TempDir(), "shallow")
	r.git(time.Time{}, "clone", "-q", "--depth", "1", "file://"+r.dir, shallow)
	if dates, err := LastChanges(filepath.Join(shallow, "portal"), "content"); !errors.Is(err, ErrShallow) || dates != nil {
		t.Errorf("shallow clone: %v, %v; want ErrShallow", dates, err)
	}

	plain := t.TempDir()
	if _, err := LastChanges(plain, "content"); err == nil || !strings.Contains(err.Error(), "not a git repository") {
		t.Errorf("not a repository: %v", err)
	}
}

func TestParseLog(t *testing.T) {
	out := "@1717000000\n\ncontent/a.md\ncontent/b.md\n\n@1716000000\n\ncontent/a.md\ncontent/@c.md\n"
	got := parseLog([]byte(out))
	want := map[string]int64{"content/a.md": 1717000000, "content/b.md": 1717000000, "content/@c.md": 1716000000}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for p, w := range want {
		if got[p].Unix() != w {
			t.Errorf("%s: %v, want %d", p, got[p], w)
		}
	}
}
