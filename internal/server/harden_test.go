package server

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/congxa/congxa/internal/content"
	"github.com/congxa/congxa/internal/render"
)

// hostile are request paths that must not reach anything but the build's
// outputs, written as they go on the wire.
var hostile = []string{
	"/../secret.txt",
	"/../../../../../../etc/passwd",
	"/%2e%2e/secret.txt",
	"/%2E%2E/%2E%2E/secret.txt",
	"/.%2e/secret.txt",
	"/tai-lieu/..%2f..%2fsecret.txt",
	"/tai-lieu/%2e%2e/%2e%2e/secret.txt",
	"/tai-lieu/../../secret.txt",
	"/tai-lieu/./lich.txt",
	"/tai-lieu//lich.txt",
	"/tai-lieu\\..\\..\\secret.txt",
	"/tai-lieu%5c..%5c..%5csecret.txt",
	"/tai-lieu%5clich.txt",
	"//etc/passwd",
	"/%2fetc%2fpasswd",
	"/SECRETDIR/secret.txt",
	"/tai-lieu/lich.txt%00",
	"/tai-lieu/lich.txt%00.html",
	"/%00",
	"/tai-lieu/lich.txt/",
	"/tai-lieu/lich.txt/.",
	"/content/tai-lieu/lich.txt",
	"/site/content/tai-lieu/lich.txt",
	"/secret.txt",
	"/tai-lieu/%ff.txt",
	"/tai-lieu/lich.txt%0a",
	"/index.html/..",
	"/.",
	"/..",
	"/tin-tuc/bai/index.html/../../../secret.txt",
}

// site is a temporary site folder with a static file, beside a file
// outside it that nothing may serve.
func testSite(t testing.TB) (dir string, outs []render.Output) {
	t.Helper()
	root := t.TempDir()
	dir = filepath.Join(root, "site")
	for name, data := range map[string]string{
		"site/content/site.yaml":          "title: Xã Thử\nbase_url: https://xa.example.gov.vn/\n",
		"site/content/tai-lieu/lich.txt":  "0123456789 lịch tiếp dân",
		"site/content/tai-lieu/bang.html": "<html><body>bảng</body></html>",
		"secret.txt":                      "TOPSECRET",
	} {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s, diags := content.Load(os.DirFS(dir), nil, content.Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	outs = append(outs, build1...)
	outs = append(outs, render.Output{Path: "404.html", Data: []byte("<html><body>Không tìm thấy</body></html>")})
	for i := range s.Files {
		f := &s.Files[i]
		outs = append(outs, render.Output{Path: f.Name, File: f, Key: "file " + f.Name})
	}
	return dir, outs
}

// raw sends a request exactly as written and returns the status line and
// the whole response.
func raw(t *testing.T, addr, method, target string) (int, string) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	fmt.Fprintf(c, "%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", method, target, addr)
	res, err := http.ReadResponse(bufio.NewReader(c), &http.Request{Method: method})
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var h strings.Builder
	res.Header.Write(&h)
	return res.StatusCode, h.String() + "\n" + string(b)
}

// TestOnlyBuildOutputs: only the files of the current build are served;
// every other path is a 404 that shows nothing of the machine.
func TestOnlyBuildOutputs(t *testing.T) {
	dir, outs := testSite(t)
	s := New("/")
	s.Update(outs)
	ts := httptest.NewServer(s)
	defer ts.Close()
	addr := ts.Listener.Addr().String()

	for _, good := range []string{"/", "/tin-tuc/bai/", "/assets/site.abc.css", "/tai-lieu/lich.txt", "/tai-lieu/bang.html"} {
		if code, _ := raw(t, addr, "GET", good); code != 200 {
			t.Errorf("GET %s: %d", good, code)
		}
	}
	for _, p := range append(hostile, "/tai-lieu/nothing.txt", "/tai-lieu/lich.TXT") {
		for _, m := range []string{"GET", "HEAD"} {
			code, res := raw(t, addr, m, p)
			if code != 404 && code != 400 {
				t.Errorf("%s %s: %d\n%s", m, p, code, res)
			}
			for _, leak := range []string{"TOPSECRET", "root:", dir, "lịch tiếp dân", filepath.Dir(dir)} {
				if strings.Contains(res, leak) {
					t.Errorf("%s %s answers with %q:\n%s", m, p, leak, res)
				}
			}
		}
	}

	// The file is replaced by a link out of the site after the build.
	lich := filepath.Join(dir, "content", "tai-lieu", "lich.txt")
	if err := os.Remove(lich); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(filepath.Dir(dir), "secret.txt"), lich); err != nil {
		t.Fatal(err)
	}
	code, res := raw(t, addr, "GET", "/tai-lieu/lich.txt")
	if code != 404 || strings.Contains(res, "TOPSECRET") || strings.Contains(res, dir) {
		t.Errorf("a static file swapped for a link out: %d\n%s", code, res)
	}
}

func TestResolve(t *testing.T) {
	for _, c := range []struct{ base, p, want string }{
		{"/", "/", "index.html"},
		{"/", "/tin-tuc/", "tin-tuc/index.html"},
		{"/", "/tin-tuc/bai", "tin-tuc/bai"},
		{"/xa-bac-an/", "/xa-bac-an/", "index.html"},
		{"/xa-bac-an/", "/xa-bac-an/tai-lieu/Quyết định.pdf", "tai-lieu/Quyết định.pdf"},
		{"/xa-bac-an/", "/xa-bac-an/a..b/c.d", "a..b/c.d"},
	} {
		if got, ok := Resolve(c.base, c.p); !ok || got != c.want {
			t.Errorf("Resolve(%q, %q) = %q, %v; want %q", c.base, c.p, got, ok, c.want)
		}
	}
	for _, p := range []string{
		"", "/../x", "/a/../x", "/a/..", "/./x", "/a/.", "//x", "/a//b", "/a\\b", "/a\\..\\..\\x",
		"/a\x00b", "/a\x00", "/a\nb", "/a\x7fb", "/a\xffb", "/..\\x",
	} {
		if got, ok := Resolve("/", p); ok {
			t.Errorf("Resolve(/, %q) = %q, accepted", p, got)
		}
	}
	for _, p := range []string{"/", "/xa", "/xa-bac-anx/", "/other/xa-bac-an/", "/xa-bac-an/../x", "/xa-bac-an//x"} {
		if got, ok := Resolve("/xa-bac-an/", p); ok {
			t.Errorf("Resolve(/xa-bac-an/, %q) = %q, accepted", p, got)
		}
	}
}

// TestContentTypes: each kind of file a site has gets its Content-Type,
// whatever the machine's mime.types says.
func TestContentTypes(t *testing.T) {
	want := map[string]string{
		"index.html":              "text/html; charset=utf-8",
		"assets/site.0123.css":    "text/css; charset=utf-8",
		"assets/app.0123.js":      "text/javascript; charset=utf-8",
		"rss.xml":                 "text/xml; charset=utf-8",
		"sitemap.xml":             "text/xml; charset=utf-8",
		"tim-kiem/index.json":     "application/json",
		"assets/logo.0123.svg":    "image/svg+xml",
		"anh/a.png":               "image/png",
		"anh/b.jpg":               "image/jpeg",
		"anh/C.JPEG":              "image/jpeg",
		"anh/d.gif":               "image/gif",
		"anh/e.webp":              "image/webp",
		"favicon.ico":             "image/x-icon",
		"assets/font.0123.woff2":  "font/woff2",
		"assets/font.0123.woff":   "font/woff",
		"assets/font.0123.ttf":    "font/ttf",
		"robots.txt":              "text/plain; charset=utf-8",
		"tai-lieu/quyet-dinh.pdf": "application/pdf",
	}
	// A machine whose mime.types disagrees (some give .js as text/plain,
	// which browsers refuse to run as a module, or none for .woff2).
	for _, ext := range []string{".js", ".css", ".xml", ".json", ".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".woff2", ".woff", ".ttf", ".html", ".txt", ".pdf"} {
		prev := mime.TypeByExtension(ext)
		if err := mime.AddExtensionType(ext, "application/x-wrong"); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if prev != "" {
				mime.AddExtensionType(ext, prev)
			}
		})
	}
	var outs []render.Output
	for p := range want {
		outs = append(outs, render.Output{Path: p, Data: []byte("x")})
	}
	s := New("/")
	s.Update(outs)
	ts := httptest.NewServer(s)
	defer ts.Close()
	for p, ct := range want {
		code, h, _ := get(t, ts.URL+"/"+p)
		if code != 200 || h.Get("Content-Type") != ct || h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("/%s: %d, Content-Type %q, want %q", p, code, h.Get("Content-Type"), ct)
		}
	}
}

// TestHeadAndRange: HEAD gives the headers alone, Range a part of the
// file, for built files and static files alike; an unchanged file keeps
// its Last-Modified across rebuilds, so conditional requests work.
func TestHeadAndRange(t *testing.T) {
	_, outs := testSite(t)
	s := New("/")
	s.Update(outs)
	ts := httptest.NewServer(s)
	defer ts.Close()

	for p, data := range map[string]string{"/assets/site.abc.css": "body{}", "/tai-lieu/lich.txt": "0123456789 lịch tiếp dân"} {
		req, _ := http.NewRequest("HEAD", ts.URL+p, nil)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || len(b) != 0 || res.ContentLength != int64(len(data)) || res.Header.Get("Accept-Ranges") != "bytes" {
			t.Errorf("HEAD %s: %d, %d bytes, length %d, Accept-Ranges %q", p, res.StatusCode, len(b), res.ContentLength, res.Header.Get("Accept-Ranges"))
		}

		req, _ = http.NewRequest("GET", ts.URL+p, nil)
		req.Header.Set("Range", "bytes=2-4")
		res, err = http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ = io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 206 || string(b) != data[2:5] || res.Header.Get("Content-Range") != fmt.Sprintf("bytes 2-4/%d", len(data)) {
			t.Errorf("Range %s: %d %q %q", p, res.StatusCode, b, res.Header.Get("Content-Range"))
		}

		req, _ = http.NewRequest("GET", ts.URL+p, nil)
		req.Header.Set("Range", "bytes=1000-")
		res, err = http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusRequestedRangeNotSatisfiable {
			t.Errorf("Range past the end of %s: %d", p, res.StatusCode)
		}
	}

	// HEAD of a page: the length of the page as served, with its script.
	_, _, page := get(t, ts.URL+"/")
	req, _ := http.NewRequest("HEAD", ts.URL+"/", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 || res.ContentLength != int64(len(page)) || res.Header.Get("Last-Modified") != "" {
		t.Errorf("HEAD /: %d, length %d (page %d), Last-Modified %q", res.StatusCode, res.ContentLength, len(page), res.Header.Get("Last-Modified"))
	}

	// Conditional requests: 304 while the bytes stay, 200 when they change.
	cond := func() int {
		_, h, _ := get(t, ts.URL+"/assets/site.abc.css")
		lm := h.Get("Last-Modified")
		if lm == "" {
			t.Fatal("no Last-Modified on an asset")
		}
		req, _ := http.NewRequest("GET", ts.URL+"/assets/site.abc.css", nil)
		req.Header.Set("If-Modified-Since", lm)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if code := cond(); code != http.StatusNotModified {
		t.Errorf("unchanged asset: %d", code)
	}
	time.Sleep(1100 * time.Millisecond) // Last-Modified counts seconds
	s.Update(outs)
	if code := cond(); code != http.StatusNotModified {
		t.Errorf("asset unchanged by a rebuild: %d", code)
	}
}

// TestStuckEventClient: a client that opens the event stream and never
// reads it does not hold up rebuilds nor other clients, and is dropped
// once a write to it has waited writeTimeout.
func TestStuckEventClient(t *testing.T) {
	defer func(d time.Duration) { writeTimeout = d }(writeTimeout)
	writeTimeout = 2 * time.Second
	s := New("/")
	s.Update(build1)
	ts := httptest.NewUnstartedServer(s)
	// Small socket buffers on both ends, so that the stuck client's
	// stream fills them after a few events, as a real one does after many.
	ts.Listener = smallBuffers{ts.Listener}
	ts.Start()
	defer ts.Close()
	addr := ts.Listener.Addr().String()

	d := net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		var err error
		c.Control(func(fd uintptr) { err = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 1024) })
		return err
	}}
	stuck, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer stuck.Close()
	fmt.Fprintf(stuck, "GET %sevents HTTP/1.1\r\nHost: %s\r\n\r\n", Prefix, addr)
	waitClients(t, s, 1)

	// Many builds in a row: none waits for the stuck client.
	done := make(chan bool)
	go func() {
		for range 20000 {
			s.Update(build1)
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(2 * time.Minute):
		t.Fatal("Update blocked by a client that does not read its event stream")
	}

	// Builds spaced out, so that each event is written to the stuck
	// client, until its buffers are full and a write waits: it is dropped.
	for range 3000 {
		s.Update(build1)
		time.Sleep(time.Millisecond)
	}
	waitClients(t, s, 0)

	// Another client is served, and told of the next build.
	if code, _, _ := get(t, ts.URL+"/"); code != 200 {
		t.Errorf("page: %d", code)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+Prefix+"events", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	r := bufio.NewReader(res.Body)
	line := func() string {
		l, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("second client: %v", err)
		}
		return l
	}
	for line() != "event: hello\n" {
	}
	s.Update(build1)
	for line() != "event: reload\n" {
	}
}

func waitClients(t *testing.T, s *Server, n int) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		s.mu.RLock()
		got := len(s.clients)
		s.mu.RUnlock()
		if got == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d event clients, want %d", got, n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

type smallBuffers struct{ net.Listener }

func (l smallBuffers) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetWriteBuffer(1024)
	}
	return c, err
}

// FuzzResolve sends any request target to the server, as it comes off the
// wire: nothing but the build's outputs is ever served, a redirect stays
// on the site, and a path Resolve accepts names one file and only one.
func FuzzResolve(f *testing.F) {
	for _, p := range hostile {
		f.Add(p, false)
		f.Add("/xa-bac-an"+p, true)
	}
	for _, p := range []string{"/", "/tin-tuc/bai", "/tin-tuc/bai/", "/tai-lieu/lich.txt", "/assets/site.abc.css", "/__congxa/events", "/__congxa/reload.js", "*", "http://x/tai-lieu/lich.txt", "/tai-lieu/l%C3%AFch.txt"} {
		f.Add(p, false)
		f.Add("/xa-bac-an"+p, true)
	}
	dir, outs := testSite(f)
	served := map[string]bool{}
	for _, o := range outs {
		served[o.Path] = true
	}
	servers := map[bool]*Server{false: New("/"), true: New("/xa-bac-an/")}
	for _, s := range servers {
		s.Update(outs)
	}
	done, cancel := context.WithCancel(context.Background())
	cancel() // the event stream ends at once
	f.Fuzz(func(t *testing.T, target string, sub bool) {
		s := servers[sub]
		req, err := http.ReadRequest(bufio.NewReader(strings.NewReader("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n")))
		if err != nil {
			return // net/http answers 400 before any handler
		}
		p := req.URL.Path
		rel, ok := Resolve(s.base, p)
		if ok {
			if !fs.ValidPath(rel) || strings.ContainsAny(rel, "\\\x00") || !utf8.ValidString(rel) {
				t.Fatalf("Resolve(%q, %q) = %q", s.base, p, rel)
			}
			if s.base+rel != p && s.base+rel != p+"index.html" {
				t.Fatalf("Resolve(%q, %q) = %q: not the same path", s.base, p, rel)
			}
			if clean := path.Clean("/" + rel); clean != "/"+rel {
				t.Fatalf("Resolve(%q, %q) = %q, which cleans to %q", s.base, p, rel, clean)
			}
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req.WithContext(done))
		body := w.Body.String()
		if strings.Contains(body, "TOPSECRET") || strings.Contains(body, dir) {
			t.Fatalf("%q leaks:\n%s", target, body)
		}
		switch code := w.Code; {
		case code == 200:
			if !ok || !served[rel] {
				if p != Prefix+"events" && p != Prefix+"reload.js" {
					t.Fatalf("%q (path %q) served, but it is no output of the build", target, p)
				}
			}
		case code == 301 || code == 302:
			loc := w.Header().Get("Location")
			if !strings.HasPrefix(loc, s.base) || strings.HasPrefix(loc, "//") || strings.Contains(loc, "\\") {
				t.Fatalf("%q redirects to %q", target, loc)
			}
		case code == 404 || code == 405:
		default:
			t.Fatalf("%q: status %d", target, code)
		}
	})
}
