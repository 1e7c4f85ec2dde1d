package cli

import (
	"bytes"
	"context"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite the want/ sections of testdata/sites/*.txtar from what the build gives")

// buildTime is the clock of every site test: 01/12/2024 09:00 in Vietnam.
var buildTime = time.Date(2024, 12, 1, 2, 0, 0, 0, time.UTC)

func init() { now = func() time.Time { return buildTime } }

var (
	elapsedRE = regexp.MustCompile(`in [0-9.]+ (ms|s)`)
	// Asset hashes change with every edit of the theme; the hashing itself
	// is tested in package site.
	hashRE = regexp.MustCompile(`\.[0-9a-f]{10}\.(css|js|svg|png|jpg|woff2)\b`)
	// The search index's files are named by their content.
	indexRE = regexp.MustCompile(`/chi-muc/[0-9a-f]{10}\.json\.gz\b`)
)

// TestSites runs the site tests in testdata/sites. Each archive holds a
// site's files, then the wanted results:
//
//	args            extra arguments for "congxa build" (one line)
//	symlink:P       makes P a symbolic link to the section's text (one line),
//	                which txtar cannot hold as a file
//	../P            a file beside the site folder, outside it
//	want/exit       the exit code
//	want/stdout     what the build prints, its time replaced by "in X"
//	want/stderr     the diagnostics
//	want/files      every file of the destination, one a line
//	want/public/P   the content of the destination's file P
//
// Before the build the destination holds a previous build; when the build
// fails, the test checks that it is left exactly as it was.
func TestSites(t *testing.T) {
	names, err := filepath.Glob("testdata/sites/*.txtar")
	if err != nil || len(names) == 0 {
		t.Fatalf("no site tests: %v", err)
	}
	for _, name := range names {
		t.Run(strings.TrimSuffix(filepath.Base(name), ".txtar"), func(t *testing.T) {
			runSite(t, name)
		})
	}
}

func runSite(t *testing.T, name string) {
	ar, err := txtar.ParseFile(name)
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	src := filepath.Join(root, "site")
	dest := filepath.Join(root, "public")
	args := []string{"build", "--source", src, "--dest", dest}
	for _, f := range ar.Files {
		switch {
		case f.Name == "args":
			args = append(args, strings.Fields(string(f.Data))...)
		case strings.HasPrefix(f.Name, "symlink:"):
			p := filepath.Join(src, filepath.FromSlash(strings.TrimPrefix(f.Name, "symlink:")))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(strings.TrimSpace(string(f.Data)), p); err != nil {
				t.Fatal(err)
			}
		case strings.HasPrefix(f.Name, "want/"):
		default:
			p := filepath.Join(src, filepath.FromSlash(f.Name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	// A previous build, which a failed build must leave alone.
	previous := map[string]string{"index.html": "previous build\n", "tin-tuc/cu/index.html": "old page\n"}
	for p, data := range previous {
		writeFile(t, filepath.Join(dest, p), data)
	}

	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), args, &stdout, &stderr)
	got := map[string]string{
		"want/exit":   strconv.Itoa(code) + "\n",
		"want/stdout": strings.ReplaceAll(elapsedRE.ReplaceAllString(stdout.String(), "in X"), dest, "$DEST"),
		"want/stderr": strings.ReplaceAll(stderr.String(), dest, "$DEST"),
	}
	files := listFiles(t, dest)
	masked := strings.Split(unhash(strings.Join(files, "\n")), "\n")
	sort.Strings(masked) // named by content, the index's files sort anywhere
	got["want/files"] = strings.Join(masked, "\n") + "\n"
	if code != 0 {
		if len(files) != len(previous) {
			t.Errorf("failed build changed the destination: it holds %v", files)
		}
		for p, data := range previous {
			if b, _ := os.ReadFile(filepath.Join(dest, p)); string(b) != data {
				t.Errorf("failed build changed %s", p)
			}
		}
	}
	for _, f := range ar.Files {
		if p, ok := strings.CutPrefix(f.Name, "want/public/"); ok {
			b, err := os.ReadFile(filepath.Join(dest, filepath.FromSlash(p)))
			if err != nil {
				got[f.Name] = "MISSING\n"
				continue
			}
			got[f.Name] = unhash(string(b))
		}
	}

	if *update {
		kept := ar.Files[:0]
		for _, f := range ar.Files {
			if !strings.HasPrefix(f.Name, "want/") || strings.HasPrefix(f.Name, "want/public/") {
				kept = append(kept, f)
			}
		}
		ar.Files = kept
		for i, f := range ar.Files {
			if v, ok := got[f.Name]; ok {
				ar.Files[i].Data = []byte(v)
			}
		}
		for _, k := range []string{"want/exit", "want/stdout", "want/stderr", "want/files"} {
			ar.Files = append(ar.Files, txtar.File{Name: k, Data: []byte(got[k])})
		}
		sort.SliceStable(ar.Files, func(i, j int) bool {
			wi, wj := strings.HasPrefix(ar.Files[i].Name, "want/"), strings.HasPrefix(ar.Files[j].Name, "want/")
			if wi != wj {
				return wj
			}
			if wi {
				return wantOrder(ar.Files[i].Name) < wantOrder(ar.Files[j].Name)
			}
			return false
		})
		if err := os.WriteFile(name, txtar.Format(ar), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	seen := 0
	for _, f := range ar.Files {
		v, ok := got[f.Name]
		if !ok {
			continue
		}
		seen++
		if v != string(f.Data) {
			t.Errorf("%s differs (run go test ./internal/cli -run TestSites -update to accept)\n--- got\n%s\n--- want\n%s", f.Name, v, f.Data)
		}
	}
	if seen < 4 {
		t.Errorf("archive lacks want/exit, want/stdout, want/stderr or want/files: run with -update")
	}
}

// unhash replaces the hashes in file names, which change with any change
// to an asset or the index's format.
func unhash(s string) string {
	return indexRE.ReplaceAllString(hashRE.ReplaceAllString(s, ".HASH.$1"), "/chi-muc/HASH.json.gz")
}

func wantOrder(name string) string {
	for i, k := range []string{"want/exit", "want/stdout", "want/stderr", "want/files"} {
		if name == k {
			return strconv.Itoa(i)
		}
	}
	return "9" + name
}

func writeFile(t *testing.T, p, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func listFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	sort.Strings(out)
	return out
}
