package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// TestCheckSites runs the tests in testdata/check: each archive holds a
// site's files, then
//
//	args          extra arguments for "congxa check" (one line)
//	want/exit     the exit code
//	want/stdout   what it prints
//
// go test ./internal/cli -run TestCheckSites -update rewrites the wants.
// check must write nothing: the site folder is compared before and after.
func TestCheckSites(t *testing.T) {
	names, err := filepath.Glob("testdata/check/*.txtar")
	if err != nil || len(names) == 0 {
		t.Fatalf("no check tests: %v", err)
	}
	for _, name := range names {
		t.Run(strings.TrimSuffix(filepath.Base(name), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(name)
			if err != nil {
				t.Fatal(err)
			}
			src := filepath.Join(t.TempDir(), "site")
			args := []string{"check", "--source", src}
			for _, f := range ar.Files {
				switch {
				case f.Name == "args":
					args = append(args, strings.Fields(string(f.Data))...)
				case strings.HasPrefix(f.Name, "want/"):
				default:
					writeFile(t, filepath.Join(src, filepath.FromSlash(f.Name)), string(f.Data))
				}
			}
			before := listFiles(t, src)
			var stdout, stderr bytes.Buffer
			code := Main(context.Background(), args, &stdout, &stderr)
			if stderr.Len() > 0 {
				t.Errorf("check printed to stderr:\n%s", stderr.String())
			}
			if after := listFiles(t, src); strings.Join(after, "\n") != strings.Join(before, "\n") {
				t.Errorf("check wrote files: %v", after)
			}
			got := map[string]string{
				"want/exit":   strconv.Itoa(code) + "\n",
				"want/stdout": stdout.String(),
			}
			if *update {
				kept := ar.Files[:0]
				for _, f := range ar.Files {
					if !strings.HasPrefix(f.Name, "want/") {
						kept = append(kept, f)
					}
				}
				ar.Files = append(kept, txtar.File{Name: "want/exit", Data: []byte(got["want/exit"])}, txtar.File{Name: "want/stdout", Data: []byte(got["want/stdout"])})
				if err := os.WriteFile(name, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			seen := 0
			for _, f := range ar.Files {
				if v, ok := got[f.Name]; ok {
					seen++
					if v != string(f.Data) {
						t.Errorf("%s differs (run go test ./internal/cli -run TestCheckSites -update to accept)\n--- got\n%s\n--- want\n%s", f.Name, v, f.Data)
					}
				}
			}
			if seen != 2 {
				t.Errorf("archive lacks want/exit or want/stdout: run with -update")
			}
		})
	}
}

// TestCheckDemo checks the repository's demo portal: no error, and only
// the warning that its TTHC snapshot (from December 2023) is old.
func TestCheckDemo(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), []string{"check", "--source", "../..", "--format", "json"}, &stdout, &stderr)
	if code != 0 {
		t.Errorf("exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	var rep struct {
		OK          bool
		Pages       int
		Diagnostics []struct{ File, Severity, Message string }
	}
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("%v:\n%s", err, stdout.String())
	}
	if !rep.OK || rep.Pages < 50 {
		t.Errorf("ok %v, %d pages", rep.OK, rep.Pages)
	}
	for _, d := range rep.Diagnostics {
		if d.File != "content/tthc.json" || d.Severity != "warning" || !strings.Contains(d.Message, "tthc_max_age_days (40)") {
			t.Errorf("unexpected: %+v", d)
		}
	}
}

func TestCheckUsage(t *testing.T) {
	for _, args := range [][]string{{"check", "--format", "xml"}, {"check", "extra"}, {"check", "--bogus"}} {
		var stdout, stderr bytes.Buffer
		if code := Main(context.Background(), args, &stdout, &stderr); code != ExitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, ExitUsage)
		}
		if !strings.Contains(stderr.String(), "usage: congxa check") {
			t.Errorf("%v: no usage in %q", args, stderr.String())
		}
	}
}
