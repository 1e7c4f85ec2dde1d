package e2e

// The browser tests drive Debian's Chromium through playwright-core from a
// small Node script (testdata/browse.mjs), which reports what it sees as
// JSON; the Go test decides what is wrong. playwright-core rather than a Go
// CDP client (chromedp): it is installed by the same npm step as axe-core
// and vnu-jar, downloads no browser, keeps the congxa module's dependencies
// to what the generator itself needs, and its page events (console,
// pageerror, requestfailed, response) are exactly the checks asked for.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/congxa/congxa/internal/testenv"
)

// wcagTags are the axe-core rules run: WCAG 2.0 and 2.1, levels A and AA,
// and axe's best practices, which cover landmarks, the order of headings
// and a page's main heading.
var wcagTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"}

// tabStops is how many times the keyboard test presses Tab on each page:
// through the skip link, the banner, the menu and into the content.
const tabStops = 12

type browsePage struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

type browseResult struct {
	Name           string   `json:"name"`
	URL            string   `json:"url"`
	Width          int      `json:"width"`
	Status         int      `json:"status"`
	ConsoleErrors  []string `json:"consoleErrors"`
	FailedRequests []string `json:"failedRequests"`
	ScrollWidth    int      `json:"scrollWidth"`
	ClientWidth    int      `json:"clientWidth"`
	Wide           []string `json:"wide"`
	Screenshot     string   `json:"screenshot"`
	Focus          []struct {
		Name    string `json:"name"`
		Href    string `json:"href"`
		Outline string `json:"outline"`
		InView  bool   `json:"inView"`
	} `json:"focus"`
	Violations []struct {
		ID     string `json:"id"`
		Impact string `json:"impact"`
		Help   string `json:"help"`
		Nodes  []struct {
			Target  string `json:"target"`
			HTML    string `json:"html"`
			Summary string `json:"summary"`
		} `json:"nodes"`
	} `json:"violations"`
}

// screenshots is where screenshots are kept for people to look at:
// $CONGXA_SCREENSHOTS, else a folder in the system's temporary folder.
func screenshots(t *testing.T, name string) string {
	t.Helper()
	dir := os.Getenv("CONGXA_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "congxa-screenshots")
	}
	dir = filepath.Join(dir, name)
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// browse loads pages at each width in Chromium.
func browse(t *testing.T, shots string, widths []int, pages []browsePage) []browseResult {
	t.Helper()
	chromium := testenv.Chromium(t)
	node := testenv.Node(t)
	job := map[string]any{
		"chromium":    chromium,
		"playwright":  testenv.NodeModule(t, "playwright-core"),
		"axe":         filepath.Join(testenv.NodeModule(t, "axe-core"), "axe.min.js"),
		"screenshots": shots,
		"axeTags":     wcagTags,
		"widths":      widths,
		"pages":       pages,
		"tabs":        tabStops,
	}
	b, _ := json.Marshal(job)
	jobFile := filepath.Join(t.TempDir(), "job.json")
	if err := os.WriteFile(jobFile, b, 0o644); err != nil {
		t.Fatal(err)
	}
	script, _ := filepath.Abs(filepath.Join("testdata", "browse.mjs"))
	cmd := exec.Command(node, script, jobFile)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("node browse.mjs: %v\n%s", err, stderr.String())
	}
	t.Logf("browse.mjs:\n%s", stderr.String())
	var out struct{ Results []browseResult }
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("browse.mjs printed %q: %v\n%s", stdout.String(), err, stderr.String())
	}
	return out.Results
}

// problems lists what is wrong with one page at one width.
func (r browseResult) problems(wantStatus int) []string {
	var out []string
	at := fmt.Sprintf("%s at %d px (%s)", r.Name, r.Width, r.URL)
	if r.Status != wantStatus {
		out = append(out, fmt.Sprintf("%s: status %d, want %d", at, r.Status, wantStatus))
	}
	for _, e := range r.ConsoleErrors {
		if wantStatus != 200 && strings.HasPrefix(e, "Failed to load resource") && strings.Contains(e, "("+r.URL+":") {
			continue // Chromium's note of the page's own status, checked above
		}
		out = append(out, fmt.Sprintf("%s: console error: %s", at, e))
	}
	for _, f := range r.FailedRequests {
		out = append(out, fmt.Sprintf("%s: failed request: %s", at, f))
	}
	if r.Width < 600 && r.ScrollWidth > r.ClientWidth {
		out = append(out, fmt.Sprintf("%s: scrolls sideways: the page is %d px wide in a %d px window; too wide: %s", at, r.ScrollWidth, r.ClientWidth, strings.Join(r.Wide, ", ")))
	}
	if len(r.Focus) == 0 {
		out = append(out, fmt.Sprintf("%s: Tab reaches nothing", at))
	} else if f := r.Focus[0]; !strings.Contains(f.Name, "skip-link") || !strings.HasPrefix(f.Href, "#") || !f.InView {
		out = append(out, fmt.Sprintf("%s: the first Tab stop is %s (href %q, in view %v), not a visible link that skips to the content", at, f.Name, f.Href, f.InView))
	}
	for _, f := range r.Focus {
		if f.Outline == "" {
			out = append(out, fmt.Sprintf("%s: no visible focus on %s", at, f.Name))
		}
	}
	for _, v := range r.Violations {
		var nodes []string
		for i, n := range v.Nodes {
			if i == 5 {
				nodes = append(nodes, fmt.Sprintf("… and %d more", len(v.Nodes)-5))
				break
			}
			nodes = append(nodes, fmt.Sprintf("    %s: %s\n      %s", n.Target, n.HTML, strings.ReplaceAll(n.Summary, "\n", "\n      ")))
		}
		out = append(out, fmt.Sprintf("%s: axe %s (%s): %s\n%s", at, v.ID, v.Impact, v.Help, strings.Join(nodes, "\n")))
	}
	return out
}

// firstDir returns the first folder matching pattern under dir that holds
// an index.html, as a site path.
func firstPage(t *testing.T, dir, pattern string) string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, filepath.FromSlash(pattern), "index.html"))
	if err != nil || len(m) == 0 {
		t.Fatalf("no page %s in the build", pattern)
	}
	rel, _ := filepath.Rel(dir, filepath.Dir(m[0]))
	return filepath.ToSlash(rel) + "/"
}

// demoPages are the pages every kind of layout makes.
func demoPages(t *testing.T, base, dir string) []browsePage {
	pages := []browsePage{
		{"home", base},
		{"post", base + firstPage(t, dir, "tin-tuc/*-*")},
		{"section", base + "tin-tuc/"},
		{"category", base + firstPage(t, dir, "chuyen-muc/*")},
		{"page", base + "gioi-thieu/"},
		{"tthc", base + "tthc/"},
		{"archive", base + "luu-tru/"},
		{"month", base + firstPage(t, dir, "luu-tru/*/*")},
		{"tag", base + firstPage(t, dir, "the/*")},
	}
	// The search page comes with the search index; check it once the
	// build makes it.
	if _, err := os.Stat(filepath.Join(dir, "tim-kiem", "index.html")); err == nil {
		pages = append(pages, browsePage{"search", base + "tim-kiem/"})
	}
	return append(pages, browsePage{"404", base + "khong-co-trang-nay/"})
}

// TestBrowser loads the demo's pages at a desktop and a phone width: no
// console error, no failed request, no sideways scrolling on the phone,
// no WCAG 2.1 A or AA violation.
func TestBrowser(t *testing.T) {
	testenv.Chromium(t)
	n, dir := servedSite(t, "/")
	shots := screenshots(t, "demo")
	pages := demoPages(t, n.URL, dir)
	results := browse(t, shots, []int{1280, 375}, pages)
	if len(results) != 2*len(pages) {
		t.Fatalf("%d results for %d pages at 2 widths", len(results), len(pages))
	}
	for _, r := range results {
		want := 200
		if r.Name == "404" {
			want = 404
		}
		for _, p := range r.problems(want) {
			t.Error(p)
		}
	}
	t.Logf("screenshots in %s", shots)
}

// TestBrowserFindsProblems breaks a built copy of the demo and requires
// each break to be reported: an image without alt text, a colour with too
// little contrast, a missing image, a script error, a page wider than a
// phone.
func TestBrowserFindsProblems(t *testing.T) {
	testenv.Chromium(t)
	n, dir := servedSite(t, "/")
	post := firstPage(t, dir, "tin-tuc/*-*")
	page := filepath.Join(dir, filepath.FromSlash(post), "index.html")
	edit(t, page, `<h1 class="post-title">`, `<img src="`+n.URL+`khong-co.png" width="10" height="10"><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="1" height="1"><div style="width: 900px">rộng</div><script>khongCoHamNay()</script><h1 class="post-title">`)
	css, _ := filepath.Glob(filepath.Join(dir, "assets", "css", "site.*.css"))
	if len(css) != 1 {
		t.Fatal("no stylesheet in the build")
	}
	edit(t, css[0], "--muted: #555d66;", "--muted: #b4b8bd;")
	edit(t, css[0], ":focus-visible {", ":focus-visible { outline: none !important; } .x {")
	results := browse(t, screenshots(t, "broken"), []int{375}, []browsePage{{"post", n.URL + post}})
	got := strings.Join(results[0].problems(200), "\n")
	for _, want := range []string{
		"axe image-alt",
		"axe color-contrast",
		"failed request: " + n.URL + "khong-co.png: status 404",
		"khongCoHamNay is not defined",
		"scrolls sideways",
		"no visible focus on a.skip-link",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("not reported: %q; reported:\n%s", want, got)
		}
	}
}
