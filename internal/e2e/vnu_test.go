package e2e

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/congxa/congxa/internal/testenv"
)

// vnu runs the Nu HTML Checker on every HTML page, stylesheet and SVG
// image of a built site and returns its errors as "file:line:col: message".
func vnu(t *testing.T, dir string) []string {
	t.Helper()
	java := testenv.Java(t)
	jar := filepath.Join(testenv.NodeModule(t, "vnu-jar"), "build", "dist", "vnu.jar")
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			switch filepath.Ext(p) {
			case ".html", ".css", ".svg":
				files = append(files, p)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	args := append([]string{"-jar", jar, "--errors-only", "--also-check-css", "--also-check-svg", "--format", "json", "--exit-zero-always"}, files...)
	cmd := exec.Command(java, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("vnu: %v\n%s", err, stderr.String())
	}
	var report struct {
		Messages []struct {
			Type      string `json:"type"`
			SubType   string `json:"subType"`
			URL       string `json:"url"`
			LastLine  int    `json:"lastLine"`
			FirstCol  int    `json:"firstColumn"`
			Message   string `json:"message"`
			Extract   string `json:"extract"`
			FirstLine int    `json:"firstLine"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(stderr.Bytes(), &report); err != nil {
		t.Fatalf("vnu printed %q: %v", stderr.String(), err)
	}
	var out []string
	for _, m := range report.Messages {
		if m.Type != "error" && m.SubType != "fatal" {
			continue
		}
		file := m.URL
		if u, err := url.Parse(m.URL); err == nil && u.Scheme == "file" {
			if rel, err := filepath.Rel(dir, filepath.Clean(u.Path)); err == nil {
				file = filepath.ToSlash(rel)
			}
		}
		out = append(out, fmt.Sprintf("%s:%d:%d: %s\n    %s", file, m.LastLine, m.FirstCol, m.Message, strings.TrimSpace(m.Extract)))
	}
	t.Logf("vnu checked %d files", len(files))
	return out
}

// TestValidHTML requires the Nu HTML Checker to find no error in any page,
// stylesheet or SVG image of the demo (built under a sub-path: the pages
// are the same at a root but for their URLs).
func TestValidHTML(t *testing.T) {
	dir := t.TempDir()
	build(t, demo(t), dir, "https://example.gov.vn/xa-bac-an/")
	for _, e := range vnu(t, dir) {
		t.Error(e)
	}
}

// TestValidHTMLFindsErrors breaks a built page and requires the checker to
// report it: an image without an alt attribute, a list item outside a list.
func TestValidHTMLFindsErrors(t *testing.T) {
	dir := t.TempDir()
	build(t, demo(t), dir, "https://bacan.example.gov.vn/")
	edit(t, filepath.Join(dir, "gioi-thieu", "index.html"), "<main", `<img src="x.png"><li>lạc</li><main`)
	got := strings.Join(vnu(t, filepath.Join(dir, "gioi-thieu")), "\n")
	for _, want := range []string{
		"index.html:",
		"An “img” element must have an “alt” attribute",
		"Element “li” not allowed as child of element",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("vnu did not report %q; it reported:\n%s", want, got)
		}
	}
}

// wellFormed returns the XML files of a built site that are not
// well-formed XML.
func wellFormed(t *testing.T, dir string) (checked int, bad []string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".xml" {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		checked++
		dec := xml.NewDecoder(bytes.NewReader(b))
		dec.Strict = true
		for {
			_, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				rel, _ := filepath.Rel(dir, p)
				bad = append(bad, fmt.Sprintf("%s: %v", filepath.ToSlash(rel), err))
				break
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return checked, bad
}

// TestWellFormedXML requires every feed and sitemap to be well-formed XML
// (the crawler also reads those it reaches), and shows that a broken one
// is caught.
func TestWellFormedXML(t *testing.T) {
	dir := t.TempDir()
	build(t, demo(t), dir, "https://example.gov.vn/xa-bac-an/")
	n, bad := wellFormed(t, dir)
	if n < 3 {
		t.Errorf("only %d XML files: the demo has a site feed, category feeds and a sitemap", n)
	}
	for _, b := range bad {
		t.Error(b)
	}
	edit(t, filepath.Join(dir, "rss.xml"), "<channel>", "<channel><title>Tin & sự kiện</title>")
	if _, bad := wellFormed(t, dir); len(bad) != 1 || !strings.HasPrefix(bad[0], "rss.xml:") {
		t.Errorf("a feed with a bare & was not reported: %v", bad)
	}
}
