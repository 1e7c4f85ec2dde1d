// Package e2e checks the demo portal the way it is used: built by the
// command line, served by nginx, crawled over HTTP, loaded in Chromium,
// checked by axe-core and the Nu HTML Checker. The components come from
// package testenv: a test skips when one is missing, and fails instead when
// CI=true. Each check also runs on a deliberately broken copy of the site,
// to show that it catches what it is there to catch.
package e2e

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/congxa/congxa/internal/cli"
	"github.com/congxa/congxa/internal/testenv"
)

// build builds the site folder src for baseURL into dest with the command
// line, as an editor would, and requires a build without diagnostics.
func build(t *testing.T, src, dest, baseURL string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	args := []string{"build", "--source", src, "--dest", dest, "--base-url", baseURL}
	if code := cli.Main(context.Background(), args, &stdout, &stderr); code != 0 {
		t.Fatalf("congxa %s: exit %d\n%s", strings.Join(args, " "), code, stderr.String())
	}
	if stderr.Len() > 0 {
		t.Errorf("congxa build printed diagnostics:\n%s", stderr.String())
	}
}

// demo is the repository's demo portal.
func demo(t *testing.T) string { return testenv.RepoRoot(t) }

// edit replaces old with new in the file at p, which must contain it.
func edit(t *testing.T, p, old, new string) {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(old)) {
		t.Fatalf("%s does not contain %q", p, old)
	}
	if err := os.WriteFile(p, bytes.Replace(b, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
}
