package e2e

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/congxa/congxa/internal/testenv"
)

// crawler fetches a served site from its home page, following every link
// and asset reference in every page, stylesheet, feed, sitemap and
// robots.txt, and records what is wrong.
type crawler struct {
	base     *url.URL // where the site is served, with its path
	client   *http.Client
	queue    []ref
	seen     map[string]bool
	ids      map[string]map[string]bool // page URL → its element ids
	frags    []ref                      // references to a fragment of a page
	problems []string
	reported map[string]bool
	fetched  int
	external int
}

// ref is a reference found in a fetched file.
type ref struct {
	url  string // absolute
	from string // the file it is in
	attr string // what holds it: "a href", "css url()", "sitemap loc"
}

func newCrawler(t *testing.T, base string) *crawler {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	return &crawler{
		base: u,
		client: &http.Client{
			Timeout: 30 * time.Second,
			// A link must reach its page directly: a redirect is reported.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		seen:     map[string]bool{},
		ids:      map[string]map[string]bool{},
		reported: map[string]bool{},
	}
}

func (c *crawler) problem(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if !c.reported[msg] {
		c.reported[msg] = true
		c.problems = append(c.problems, msg)
	}
}

// internal reports whether u is served by the site's host.
func (c *crawler) internal(u *url.URL) bool {
	return u.Scheme == c.base.Scheme && u.Host == c.base.Host
}

// add queues a reference written in the file at from.
func (c *crawler) add(from, attr, raw string) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		c.problem("%s: empty %s", from, attr)
		return
	}
	b, err := url.Parse(from)
	if err != nil {
		return
	}
	u, err := b.Parse(raw)
	if err != nil {
		c.problem("%s: %s %q is not a URL: %v", from, attr, raw, err)
		return
	}
	switch u.Scheme {
	case "mailto", "tel", "data", "javascript":
		return
	}
	if !c.internal(u) {
		c.external++
		return
	}
	if !strings.HasPrefix(u.Path, c.base.Path) {
		c.problem("%s: %s %q points outside the site's path %s", from, attr, raw, c.base.Path)
		return
	}
	if u.Fragment != "" {
		c.frags = append(c.frags, ref{url: u.String(), from: from, attr: attr})
	}
	u.Fragment = ""
	c.queue = append(c.queue, ref{url: u.String(), from: from, attr: attr})
}

// run crawls from the given start URLs.
func (c *crawler) run(t *testing.T, start ...string) {
	t.Helper()
	for _, s := range start {
		c.queue = append(c.queue, ref{url: s, from: "(start)", attr: "start"})
	}
	for len(c.queue) > 0 {
		r := c.queue[0]
		c.queue = c.queue[1:]
		if c.seen[r.url] {
			continue
		}
		c.seen[r.url] = true
		resp, err := c.client.Get(r.url)
		if err != nil {
			t.Fatalf("GET %s: %v", r.url, err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatalf("GET %s: %v", r.url, err)
		}
		c.fetched++
		if resp.StatusCode != http.StatusOK {
			c.problem("%s: %s %s: status %d", r.from, r.attr, r.url, resp.StatusCode)
			continue
		}
		c.scan(r.url, resp.Header.Get("Content-Type"), body)
	}
	for _, f := range c.frags {
		u, _ := url.Parse(f.url)
		frag := u.Fragment
		u.Fragment = ""
		if ids, ok := c.ids[u.String()]; ok && !ids[frag] {
			c.problem("%s: %s %s: the page has no element with id %q", f.from, f.attr, f.url, frag)
		}
	}
}

// scan queues the references in a fetched file.
func (c *crawler) scan(u, ctype string, body []byte) {
	mt := strings.TrimSpace(strings.SplitN(ctype, ";", 2)[0])
	switch {
	case mt == "text/html":
		c.scanHTML(u, body)
	case mt == "text/css":
		c.scanCSS(u, "css url()", string(body))
	case strings.HasSuffix(u, ".xml"):
		c.scanXML(u, body)
	case strings.HasSuffix(u, "/robots.txt"):
		for _, line := range strings.Split(string(body), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.EqualFold(strings.TrimSpace(k), "sitemap") {
				c.add(u, "robots.txt Sitemap", strings.TrimSpace(v))
			}
		}
	}
}

// urlAttrs are the attributes that hold one URL, by element.
var urlAttrs = map[string][]string{
	"a": {"href"}, "area": {"href"}, "link": {"href"}, "base": {"href"},
	"img": {"src"}, "script": {"src"}, "iframe": {"src"}, "embed": {"src"},
	"source": {"src"}, "track": {"src"}, "audio": {"src"}, "video": {"src", "poster"},
	"input": {"src"}, "object": {"data"}, "blockquote": {"cite"}, "q": {"cite"},
	// The search page's index, which its script fetches, and the forms'
	// targets.
	"form": {"data-index", "action"},
}

func (c *crawler) scanHTML(u string, body []byte) {
	ids := map[string]bool{}
	c.ids[u] = ids
	z := html.NewTokenizer(bytes.NewReader(body))
	inStyle := false
	for {
		switch z.Next() {
		case html.ErrorToken:
			return
		case html.TextToken:
			if inStyle {
				c.scanCSS(u, "<style> url()", string(z.Text()))
			}
		case html.EndTagToken:
			inStyle = false
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			inStyle = tok.Data == "style"
			var prop string
			for _, a := range tok.Attr {
				if a.Key == "property" || a.Key == "name" {
					prop = a.Val
				}
			}
			for _, a := range tok.Attr {
				where := tok.Data + " " + a.Key
				switch {
				case a.Key == "id":
					ids[a.Val] = true
				case a.Key == "srcset" || a.Key == "imagesrcset":
					for _, cand := range strings.Split(a.Val, ",") {
						if f := strings.Fields(cand); len(f) > 0 {
							c.add(u, where, f[0])
						}
					}
				case a.Key == "style":
					c.scanCSS(u, where+" url()", a.Val)
				case tok.Data == "meta" && a.Key == "content" && (prop == "og:url" || prop == "og:image"):
					c.add(u, "meta "+prop, a.Val)
				default:
					for _, k := range urlAttrs[tok.Data] {
						if a.Key == k {
							c.add(u, where, a.Val)
						}
					}
				}
			}
		}
	}
}

var cssURLRE = regexp.MustCompile(`url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')`)

func (c *crawler) scanCSS(u, where, css string) {
	for _, m := range cssURLRE.FindAllStringSubmatch(css, -1) {
		for _, g := range m[1:] {
			if g != "" && !strings.HasPrefix(g, "#") {
				c.add(u, where, g)
				break
			}
		}
	}
}

// scanXML checks that a feed or sitemap is well-formed and queues the
// URLs it names.
func (c *crawler) scanXML(u string, body []byte) {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = true
	var stack []string
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			c.problem("%s: not well-formed XML: %v", u, err)
			return
		}
		switch t := tok.(type) {
		case xml.StartElement:
			stack = append(stack, t.Name.Local)
			for _, a := range t.Attr {
				if a.Name.Local == "href" || (a.Name.Local == "url" && t.Name.Local == "enclosure") {
					c.add(u, t.Name.Local+" "+a.Name.Local, a.Value)
				}
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) == 0 {
				continue
			}
			switch el := stack[len(stack)-1]; el {
			case "loc", "link", "guid":
				if s := strings.TrimSpace(string(t)); s != "" {
					c.add(u, el, s)
				}
			}
		}
	}
}

// serveAndCrawl serves dir with nginx at path and crawls it; the site in
// dir must have been built for the URL it is given (see build).
func crawlSite(t *testing.T, base string) *crawler {
	t.Helper()
	c := newCrawler(t, base)
	c.run(t, base, base+"robots.txt")
	return c
}

// checkMissing requires that a missing URL gets status 404 and the site's
// own 404.html, whose links work from there too.
func checkMissing(t *testing.T, c *crawler, dir, missing string) {
	t.Helper()
	want, err := os.ReadFile(filepath.Join(dir, "404.html"))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.client.Get(missing)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET %s: status %d, want 404", missing, resp.StatusCode)
	}
	if !bytes.Equal(body, want) {
		t.Errorf("GET %s: the body is not the site's 404.html:\n%.300s", missing, body)
	}
	// The 404 page is shown at any depth: its links must not be relative
	// to where it is stored.
	c.seen[missing] = true
	c.scanHTML(missing, body)
	c.run(t)
}

func servedSite(t *testing.T, path string) (*testenv.Nginx, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "www")
	n := testenv.StartNginx(t, dir, path)
	build(t, demo(t), dir, n.URL)
	return n, dir
}

func reportCrawl(t *testing.T, c *crawler) {
	t.Helper()
	sort.Strings(c.problems)
	for _, p := range c.problems {
		t.Error(p)
	}
	t.Logf("fetched %d URLs, %d external links not followed", c.fetched, c.external)
}

// TestNginxRoot serves the demo at a domain root.
func TestNginxRoot(t *testing.T) {
	n, dir := servedSite(t, "/")
	c := crawlSite(t, n.URL)
	checkMissing(t, c, dir, n.URL+"khong-co-trang-nay/")
	checkMissing(t, c, dir, n.URL+"tin-tuc/khong-co/sau/hon.html")
	reportCrawl(t, c)
	checkCoverage(t, c, dir)
}

// TestNginxSubPath serves the demo under a sub-path, built for it.
func TestNginxSubPath(t *testing.T) {
	n, dir := servedSite(t, "/xa-bac-an/")
	c := crawlSite(t, n.URL)
	checkMissing(t, c, dir, n.URL+"khong-co-trang-nay/")
	checkMissing(t, c, dir, n.URL+"tin-tuc/khong-co/")
	reportCrawl(t, c)
	checkCoverage(t, c, dir)
}

var refreshRE = regexp.MustCompile(`<meta http-equiv="refresh" content="0; url=([^"]+)">`)

// checkCoverage requires that the crawl reached every page, feed and asset
// the build wrote: a file nothing links to is one no visitor finds.
func checkCoverage(t *testing.T, c *crawler, dir string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if rel == "404.html" {
			return nil // shown for missing URLs, linked from nowhere
		}
		u := c.base.String() + strings.TrimSuffix(rel, "index.html")
		if data, err := os.ReadFile(p); err == nil {
			if m := refreshRE.FindSubmatch(data); m != nil {
				// An alias: an old address that nothing on the site links
				// to, but that must lead to a page of it.
				target, err := c.base.Parse(string(m[1]))
				if err != nil || !c.seen[target.String()] {
					t.Errorf("%s sends visitors to %s, which the crawl did not reach", rel, m[1])
				}
				return nil
			}
		}
		if strings.HasPrefix(rel, "tim-kiem/chi-muc/") {
			// The search index's parts, which the script fetches as a
			// query needs them: each must be served.
			resp, err := c.client.Get(u)
			if err != nil {
				t.Errorf("%s: %v", rel, err)
				return nil
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("%s: status %d", rel, resp.StatusCode)
			}
			return nil
		}
		if !c.seen[u] {
			t.Errorf("%s was built but nothing links to it (%s)", rel, u)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestCrawlFindsBrokenLinks breaks a built site in three ways and requires
// the crawler to report each: a page that a list links to is missing, a
// stylesheet refers to a missing image, and a page links outside the
// sub-path the site is published under.
func TestCrawlFindsBrokenLinks(t *testing.T) {
	n, dir := servedSite(t, "/xa-bac-an/")
	posts, err := filepath.Glob(filepath.Join(dir, "tin-tuc", "*-*", "index.html"))
	if err != nil || len(posts) == 0 {
		t.Fatalf("no post in the build: %v", err)
	}
	if err := os.RemoveAll(filepath.Dir(posts[0])); err != nil {
		t.Fatal(err)
	}
	post := "tin-tuc/" + filepath.Base(filepath.Dir(posts[0])) + "/"
	css, err := filepath.Glob(filepath.Join(dir, "assets", "css", "site.*.css"))
	if err != nil || len(css) != 1 {
		t.Fatalf("no stylesheet in the build: %v %v", css, err)
	}
	edit(t, css[0], "body {", "body { background-image: url(\"../img/nen.png\");")
	edit(t, filepath.Join(dir, "gioi-thieu", "index.html"), "<main", `<a href="/tin-tuc/">Tin tức</a><main`)

	c := crawlSite(t, n.URL)
	want := []string{
		"a href " + n.URL + post + ": status 404",
		"css url() " + n.URL + "assets/img/nen.png: status 404",
		`a href "/tin-tuc/" points outside the site's path /xa-bac-an/`,
	}
	for _, w := range want {
		found := false
		for _, p := range c.problems {
			found = found || strings.Contains(p, w)
		}
		if !found {
			t.Errorf("the crawler did not report %q; it reported:\n%s", w, strings.Join(c.problems, "\n"))
		}
	}
}
