package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func run(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestUsage(t *testing.T) {
	site := t.TempDir()
	for _, tc := range []struct {
		args     []string
		code     int
		inStdout string
		inStderr string
	}{
		{nil, ExitUsage, "", "usage: congxa COMMAND"},
		{[]string{"biuld"}, ExitUsage, "", `unknown command "biuld"`},
		{[]string{"help"}, ExitOK, "build ", ""},
		{[]string{"--help"}, ExitOK, "commands:", ""},
		{[]string{"help", "build"}, ExitOK, "--base-url URL", ""},
		{[]string{"help", "nope"}, ExitUsage, "", `unknown command "nope"`},
		{[]string{"build", "-h"}, ExitOK, "usage: congxa build", ""},
		{[]string{"build", "--nope"}, ExitUsage, "", "flag provided but not defined: -nope"},
		{[]string{"build", "extra"}, ExitUsage, "", `unexpected argument "extra"`},
		{[]string{"build", "--source", filepath.Join(site, "missing")}, ExitUsage, "", "is not a folder"},
		{[]string{"build", "--source", site, "--dest", site}, ExitUsage, "", "it holds the site folder"},
		{[]string{"build", "--source", site, "--dest", filepath.Dir(site)}, ExitUsage, "", "it holds the site folder"},
		{[]string{"build", "--source", site, "--dest", filepath.Join(site, "content", "out")}, ExitUsage, "", "inside the site's content/ folder"},
		{[]string{"version"}, ExitOK, "congxa ", ""},
		{[]string{"version", "x"}, ExitUsage, "", "unexpected argument"},
	} {
		code, stdout, stderr := run(tc.args...)
		if code != tc.code || !strings.Contains(stdout, tc.inStdout) || !strings.Contains(stderr, tc.inStderr) {
			t.Errorf("congxa %s: exit %d, stdout %q, stderr %q; want exit %d with %q / %q",
				strings.Join(tc.args, " "), code, stdout, stderr, tc.code, tc.inStdout, tc.inStderr)
		}
	}
}

// TestDestIsGitRepo refuses to replace a folder that is a git repository:
// a mistyped --dest must not wipe someone's work.
func TestDestIsGitRepo(t *testing.T) {
	site, dest := t.TempDir(), t.TempDir()
	writeFile(t, filepath.Join(dest, ".git", "HEAD"), "ref: refs/heads/main\n")
	code, _, stderr := run("build", "--source", site, "--dest", dest)
	if code != ExitUsage || !strings.Contains(stderr, "git repository") {
		t.Errorf("exit %d, %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dest, ".git", "HEAD")); err != nil {
		t.Error("the repository was touched")
	}
}

// TestDefaultDest builds into DIR/public when --dest is not given, and the
// summary names it relative to the site.
func TestDefaultDest(t *testing.T) {
	site := t.TempDir()
	writeFile(t, filepath.Join(site, "content", "site.yaml"), "title: Xã Thử\nbase_url: https://xa.example.gov.vn/\n")
	code, stdout, stderr := run("build", "--source", site)
	if code != ExitOK || !strings.HasSuffix(stdout, "→ public/\n") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if _, err := os.Stat(filepath.Join(site, "public", "index.html")); err != nil {
		t.Error(err)
	}
	// A second build replaces the first: a stray file does not survive.
	writeFile(t, filepath.Join(site, "public", "stray.html"), "x")
	if code, _, stderr := run("build", "--source", site); code != ExitOK {
		t.Fatal(stderr)
	}
	if _, err := os.Stat(filepath.Join(site, "public", "stray.html")); err == nil {
		t.Error("stale file survived a rebuild")
	}
}
