package publish

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/congxa/congxa/internal/content"
	"github.com/congxa/congxa/internal/render"
	"github.com/congxa/congxa/internal/testsite"
)

// data is an output with its bytes in memory.
func data(p, s string) render.Output { return render.Output{Path: p, Data: []byte(s)} }

// file is an output copied from a content file.
func file(p, s string) render.Output {
	return render.Output{Path: p, File: &content.File{
		Path: "content/" + p, Name: p, Size: int64(len(s)),
		Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(s)), nil },
	}}
}

// failing is an output whose file cannot be opened.
func failing(p string) render.Output {
	return render.Output{Path: p, File: &content.File{
		Path: "content/" + p, Name: p,
		Open: func() (io.ReadCloser, error) {
			return nil, &fs.PathError{Op: "open", Path: "content/" + p, Err: fs.ErrPermission}
		},
	}}
}

// brokenReader fails after a few bytes, as a file on a failing disk would.
type brokenReader struct{ n int }

func (r *brokenReader) Read(b []byte) (int, error) {
	if r.n >= 3 {
		return 0, errors.New("input/output error")
	}
	r.n++
	b[0] = 'x'
	return 1, nil
}

func breaking(p string) render.Output {
	return render.Output{Path: p, File: &content.File{
		Path: "content/" + p, Name: p,
		Open: func() (io.ReadCloser, error) { return io.NopCloser(&brokenReader{}), nil },
	}}
}

// tree describes every entry under root: "path/ mode" for folders, "path
// mode content" for files.
func tree(t *testing.T, root string) string {
	t.Helper()
	var lines []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		if d.IsDir() {
			lines = append(lines, fmt.Sprintf("%s/ %v", rel, info.Mode().Perm()))
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		lines = append(lines, fmt.Sprintf("%s %v %q", rel, info.Mode().Perm(), b))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

var firstBuild = []render.Output{
	data("index.html", "<h1>Trang chủ</h1>"),
	data("tin-tuc/hop-dan/index.html", "<h1>Họp dân</h1>"),
	data("tin-tuc/cu/index.html", "<h1>Bài cũ</h1>"),
	data("assets/css/site.0123456789.css", "body{}"),
	file("tai-lieu/quy-che.pdf", "%PDF-1.4 quy chế"),
}

func TestWriteNewDestination(t *testing.T) {
	parent := t.TempDir()
	dest := filepath.Join(parent, "public")
	st, err := Write(dest, firstBuild)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"index.html":                     "<h1>Trang chủ</h1>",
		"tin-tuc/hop-dan/index.html":     "<h1>Họp dân</h1>",
		"tin-tuc/cu/index.html":          "<h1>Bài cũ</h1>",
		"assets/css/site.0123456789.css": "body{}",
		"tai-lieu/quy-che.pdf":           "%PDF-1.4 quy chế",
	}
	if got := testsite.Files(t, dest); !maps.Equal(got, want) {
		t.Errorf("files = %q, want %q", got, want)
	}
	var n int64
	for _, s := range want {
		n += int64(len(s))
	}
	if st.Files != 5 || st.Bytes != n {
		t.Errorf("Stats = %+v, want 5 files, %d bytes", st, n)
	}
	if got := entries(t, parent); fmt.Sprint(got) != "[public]" {
		t.Errorf("beside the destination: %q, want only public", got)
	}
}

func TestWriteCreatesParents(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "a", "b", "public")
	if _, err := Write(dest, firstBuild[:1]); err != nil {
		t.Fatal(err)
	}
	if got := testsite.Files(t, dest); got["index.html"] != "<h1>Trang chủ</h1>" {
		t.Errorf("files = %q", got)
	}
}

func TestWriteRelativeDestination(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if _, err := Write("public", firstBuild[:1]); err != nil {
		t.Fatal(err)
	}
	if got := testsite.Files(t, filepath.Join(dir, "public")); got["index.html"] != "<h1>Trang chủ</h1>" {
		t.Errorf("files = %q", got)
	}
}

func TestWriteEmptyBuild(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := Write(dest, firstBuild); err != nil {
		t.Fatal(err)
	}
	st, err := Write(dest, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := testsite.Files(t, dest); len(got) != 0 || st.Files != 0 {
		t.Errorf("an empty build left %q, stats %+v", got, st)
	}
	if fi, err := os.Stat(dest); err != nil || !fi.IsDir() {
		t.Errorf("destination after an empty build: %v %v", fi, err)
	}
}

func TestWriteRemovesStaleFiles(t *testing.T) {
	parent := t.TempDir()
	dest := filepath.Join(parent, "public")
	if _, err := Write(dest, firstBuild); err != nil {
		t.Fatal(err)
	}
	// Files added by hand are not part of any build.
	if err := os.WriteFile(filepath.Join(dest, "ghi-chu.txt"), []byte("tay"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dest, "cu", "rat-cu"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dest, "cu", "rat-cu", "a.html"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	second := []render.Output{
		data("index.html", "<h1>Trang chủ mới</h1>"),
		data("tin-tuc/hop-dan/index.html", "<h1>Họp dân</h1>"),
	}
	if _, err := Write(dest, second); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"index.html":                 "<h1>Trang chủ mới</h1>",
		"tin-tuc/hop-dan/index.html": "<h1>Họp dân</h1>",
	}
	if got := testsite.Files(t, dest); !maps.Equal(got, want) {
		t.Errorf("files = %q, want %q", got, want)
	}
	for _, gone := range []string{"tin-tuc/cu", "assets", "tai-lieu", "cu"} {
		if _, err := os.Lstat(filepath.Join(dest, gone)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("stale folder %s survived: %v", gone, err)
		}
	}
	if got := entries(t, parent); fmt.Sprint(got) != "[public]" {
		t.Errorf("beside the destination: %q, want only public (no staging or old build)", got)
	}
}

func TestWriteRemovesLeftovers(t *testing.T) {
	parent := t.TempDir()
	dest := filepath.Join(parent, "public")
	mk := func(dir string) {
		if err := os.MkdirAll(filepath.Join(parent, dir, "tin-tuc"), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(parent, dir, "tin-tuc", "index.html"), []byte("half"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// Killed builds of this destination…
	mk(".public.staging-123456")
	mk(".public.staging-9")
	mk(".public.old-42")
	// …and what belongs to others.
	mk(".www.staging-1")
	mk("public-cu")
	if err := os.WriteFile(filepath.Join(parent, ".public.staging-note"), []byte("a file, not a staging folder"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Write(dest, firstBuild[:1]); err != nil {
		t.Fatal(err)
	}
	got := entries(t, parent)
	if want := "[.public.staging-note .www.staging-1 public public-cu]"; fmt.Sprint(got) != want {
		t.Errorf("beside the destination: %q, want %s", got, want)
	}
}

func TestWriteDestinationIsAFile(t *testing.T) {
	parent := t.TempDir()
	dest := filepath.Join(parent, "public")
	if err := os.WriteFile(dest, []byte("không phải thư mục"), 0o640); err != nil {
		t.Fatal(err)
	}
	before := tree(t, parent)
	_, err := Write(dest, firstBuild)
	if err == nil {
		t.Fatal("Write over a regular file succeeded")
	}
	if !strings.Contains(err.Error(), dest) {
		t.Errorf("error %q does not name %s", err, dest)
	}
	if after := tree(t, parent); after != before {
		t.Errorf("parent changed:\n%s\nwas:\n%s", after, before)
	}
}

// A failed build leaves the previous one exactly as it was, and nothing
// beside it.
func TestWriteFailureKeepsPreviousBuild(t *testing.T) {
	tests := []struct {
		name    string
		outs    []render.Output
		mention string // the error names this
	}{
		{"file cannot be opened", []render.Output{data("index.html", "mới"), failing("tai-lieu/x.pdf"), data("z.html", "z")}, "tai-lieu/x.pdf"},
		{"file fails while copied", []render.Output{data("index.html", "mới"), breaking("tai-lieu/x.pdf")}, "tai-lieu/x.pdf"},
		{"first output fails", []render.Output{failing("a.pdf")}, "a.pdf"},
		{"parent path", []render.Output{data("index.html", "mới"), data("../x", "x")}, "../x"},
		{"absolute path", []render.Output{data("/abs", "x")}, "/abs"},
		{"dot-dot inside", []render.Output{data("a/../../x", "x")}, "a/../../x"},
		{"empty path", []render.Output{data("", "x")}, `""`},
		{"dot", []render.Output{data(".", "x")}, `"."`},
		{"double slash", []render.Output{data("a//b", "x")}, "a//b"},
		{"trailing slash", []render.Output{data("tin-tuc/", "x")}, "tin-tuc/"},
		{"a file where a folder must go", []render.Output{data("tin-tuc", "x"), data("tin-tuc/index.html", "y")}, "tin-tuc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parent := t.TempDir()
			dest := filepath.Join(parent, "public")
			if _, err := Write(dest, firstBuild); err != nil {
				t.Fatal(err)
			}
			before := tree(t, parent)
			_, err := Write(dest, tt.outs)
			if err == nil {
				t.Fatal("Write succeeded")
			}
			if !strings.Contains(err.Error(), tt.mention) {
				t.Errorf("error %q does not mention %s", err, tt.mention)
			}
			if after := tree(t, parent); after != before {
				t.Errorf("after the failed build:\n%s\nwant, as before:\n%s", after, before)
			}
			if outside := filepath.Join(parent, "x"); fileExists(outside) {
				t.Errorf("wrote outside the destination: %s", outside)
			}
		})
	}
}

// The same checks when there is no previous build: nothing is created.
func TestWriteFailureWithoutPreviousBuild(t *testing.T) {
	for _, outs := range [][]render.Output{
		{data("index.html", "x"), failing("a.pdf")},
		{data("../x", "x")},
		{data("/abs", "x")},
	} {
		parent := t.TempDir()
		dest := filepath.Join(parent, "public")
		if _, err := Write(dest, outs); err == nil {
			t.Errorf("Write(%q) succeeded", outs[len(outs)-1].Path)
		}
		if got := entries(t, parent); len(got) != 0 {
			t.Errorf("Write(%q) failed and left %q", outs[len(outs)-1].Path, got)
		}
	}
}

func fileExists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

// Writing the same build twice gives the same tree.
func TestWriteIdempotent(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := Write(dest, firstBuild); err != nil {
		t.Fatal(err)
	}
	first := tree(t, dest)
	if _, err := Write(dest, firstBuild); err != nil {
		t.Fatal(err)
	}
	if second := tree(t, dest); second != first {
		t.Errorf("second write:\n%s\nfirst:\n%s", second, first)
	}
}

// TestWriteSpare checks the watcher's way: the build a Commit replaces is
// brought up to date by the next Write. Each build must equal what it
// says, whatever the earlier ones left in the spare folder: replaced files
// are new files (a spare file may be a link to a published one), files
// and folders that went are removed, unchanged files stay unwritten.
func TestWriteSpare(t *testing.T) {
	parent := t.TempDir()
	dest := filepath.Join(parent, "public")
	p := &Publisher{Dest: dest, Spare: true}
	keyed := func(path, s string) render.Output {
		return render.Output{Path: path, Data: []byte(s), Key: s}
	}
	builds := [][]render.Output{
		{keyed("a.html", "1"), keyed("b/index.html", "B"), keyed("c/d/index.html", "D")},
		{keyed("a.html", "2"), keyed("b/index.html", "B"), keyed("c/d/index.html", "D")},
		// In the spare: a.html kept ("1"), b replaced: a new file, or the
		// published b, linked from it, would change too, and the next
		// build, which keeps b, would publish "C".
		{keyed("a.html", "1"), keyed("b/index.html", "C"), keyed("c/d/index.html", "D")},
		{keyed("a.html", "2"), keyed("b/index.html", "B")},
		{keyed("a.html", "2"), keyed("b/index.html", "B"), data("e/index.html", "E")},
		{keyed("a.html", "3"), keyed("e/index.html", "E2")},
		// The spare holds the build with e/index.html unkeyed: it goes.
		{keyed("a.html", "3")},
		// Files of their own are written in place: a shorter one must
		// not keep the end of the longer.
		{keyed("a.html", "a longer a.html")},
		{keyed("a.html", "4")},
		{keyed("a.html", "5")},
		{keyed("a.html", "6"), file("f/g.pdf", "%PDF")},
		{keyed("a.html", "7"), file("f/g.pdf", "%PDF-1.7")},
	}
	for i, outs := range builds {
		st, err := p.Write(outs)
		if err != nil {
			t.Fatalf("build %d: %v", i, err)
		}
		want := map[string]string{}
		for _, o := range outs {
			want[o.Path] = string(o.Data)
			if o.File != nil {
				r, _ := o.File.Open()
				b, _ := io.ReadAll(r)
				want[o.Path] = string(b)
			}
		}
		if got := testsite.Files(t, dest); !maps.Equal(got, want) {
			t.Fatalf("build %d: destination holds %v, want %v", i, got, want)
		}
		if i >= 1 {
			// From the second build on, the spare folder is updated: a
			// file is written only when the spare's differs. The spare
			// holds the build before the last one; after the first
			// build, a copy of it.
			unchanged := 0
			two := map[string]string{}
			for _, o := range builds[max(i-2, 0)] {
				two[o.Path] = o.Key
			}
			for _, o := range outs {
				if o.Key != "" && two[o.Path] == o.Key {
					unchanged++
				}
			}
			if st.Written != len(outs)-unchanged {
				t.Errorf("build %d: wrote %d files, want %d", i, st.Written, len(outs)-unchanged)
			}
		}
		// No empty folder survives a build that removed its files.
		filepath.WalkDir(dest, func(path string, d fs.DirEntry, err error) error {
			if err == nil && d.IsDir() && len(entries(t, path)) == 0 {
				t.Errorf("build %d: empty folder %s", i, path)
			}
			return nil
		})
	}
	p.Wait()
	if got := entries(t, parent); len(got) != 1 || got[0] != "public" {
		t.Errorf("after Wait, the parent holds %v, want only public", got)
	}
}
