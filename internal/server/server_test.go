package server

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/congxa/congxa/internal/diag"
	"github.com/congxa/congxa/internal/render"
)

func get(t *testing.T, url string) (int, http.Header, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, string(b)
}

var build1 = []render.Output{
	{Path: "index.html", Data: []byte("<!DOCTYPE html><html><body><h1>Trang chủ</h1></body></html>")},
	{Path: "tin-tuc/bai/index.html", Data: []byte("<html><body>Bài</body></html>")},
	{Path: "assets/site.abc.css", Data: []byte("body{}")},
}

func TestServeAndInject(t *testing.T) {
	s := New("/xa-bac-an/")
	s.Update(build1)
	ts := httptest.NewServer(s)
	defer ts.Close()

	code, h, body := get(t, ts.URL+"/xa-bac-an/")
	if code != 200 || !strings.Contains(body, "<h1>Trang chủ</h1><script src=\"/__congxa/reload.js?v=1\"></script>\n</body>") {
		t.Errorf("home: %d %q", code, body)
	}
	if h.Get("Cache-Control") != "no-store" || !strings.HasPrefix(h.Get("Content-Type"), "text/html") {
		t.Errorf("headers %v", h)
	}
	if string(build1[0].Data) != "<!DOCTYPE html><html><body><h1>Trang chủ</h1></body></html>" {
		t.Error("injection changed the build's bytes")
	}
	if code, _, body := get(t, ts.URL+"/xa-bac-an/assets/site.abc.css"); code != 200 || body != "body{}" {
		t.Errorf("css: %d %q", code, body)
	}
	// A page's folder without its slash redirects; the root redirects to
	// the base path; unknown paths are 404 with the script, so that they
	// reload when the page appears.
	res, _ := http.Get(ts.URL + "/xa-bac-an/tin-tuc/bai")
	if res.Request.URL.Path != "/xa-bac-an/tin-tuc/bai/" {
		t.Errorf("no redirect to the folder: %s", res.Request.URL.Path)
	}
	res, _ = http.Get(ts.URL + "/")
	if res.Request.URL.Path != "/xa-bac-an/" {
		t.Errorf("root does not redirect to the base path: %s", res.Request.URL.Path)
	}
	if code, _, body := get(t, ts.URL+"/xa-bac-an/khong-co/"); code != 404 || !strings.Contains(body, "reload.js") {
		t.Errorf("404: %d %q", code, body)
	}
}

func TestOverlay(t *testing.T) {
	s := New("/")
	ts := httptest.NewServer(s)
	defer ts.Close()
	errs := diag.List{{Pos: diag.Pos{File: "content/a.md", Line: 3, Col: 7}, Msg: `date: invalid date "31/02/2024": day out of range <script>`}}
	s.Fail(errs)
	_, _, body := get(t, ts.URL+"/")
	if !strings.Contains(body, "the site has not been built yet") {
		t.Errorf("no overlay before the first build: %q", body)
	}
	s.Update(build1)
	s.Fail(errs)
	_, _, body = get(t, ts.URL+"/")
	for _, want := range []string{"congxa: 1 error; the last good build is shown", "content/a.md:3:7: date: invalid date &#34;31/02/2024&#34;: day out of range &lt;script&gt;", "<h1>Trang chủ</h1>"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q:\n%s", want, body)
		}
	}
	s.Update(build1)
	if _, _, body = get(t, ts.URL+"/"); strings.Contains(body, "congxa-errors") {
		t.Error("the overlay stays after a good build")
	}
}

// TestEvents waits for the reload event over server-sent events.
func TestEvents(t *testing.T) {
	s := New("/")
	s.Update(build1)
	ts := httptest.NewServer(s)
	defer ts.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+"/__congxa/events", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("content type %q", ct)
	}
	r := bufio.NewReader(res.Body)
	next := func() string {
		var ev []string
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				t.Fatalf("stream ended: %v", err)
			}
			line = strings.TrimRight(line, "\n")
			if line == "" && len(ev) > 0 {
				return strings.Join(ev, "|")
			}
			if line != "" && !strings.HasPrefix(line, ":") {
				ev = append(ev, line)
			}
		}
	}
	if ev := next(); ev != "retry: 1000|event: hello|data: 1" {
		t.Fatalf("first event %q", ev)
	}
	s.Update(build1)
	if ev := next(); ev != "event: reload|data: 2" {
		t.Fatalf("after a build: %q", ev)
	}
	s.Fail(diag.List{{Msg: "x"}})
	if ev := next(); ev != "event: reload|data: 3" {
		t.Fatalf("after a failed build: %q", ev)
	}
	if code, _, js := get(t, ts.URL+"/__congxa/reload.js"); code != 200 || !strings.Contains(js, "EventSource") {
		t.Errorf("reload.js: %d", code)
	}
}

// TestUpdateDropsFilesThatWent: a file of the last build that the next
// one does not have is no longer served, and one that comes back is.
func TestUpdateDropsFilesThatWent(t *testing.T) {
	s := New("/")
	s.Update(build1)
	ts := httptest.NewServer(s)
	defer ts.Close()
	s.Update(build1[:1])
	if code, _, _ := get(t, ts.URL+"/tin-tuc/bai/"); code != 404 {
		t.Errorf("a page that went: %d, want 404", code)
	}
	if code, _, _ := get(t, ts.URL+"/assets/site.abc.css"); code != 404 {
		t.Errorf("an asset that went: %d, want 404", code)
	}
	s.Update(build1)
	if code, _, body := get(t, ts.URL+"/assets/site.abc.css"); code != 200 || body != "body{}" {
		t.Errorf("an asset that came back: %d %q", code, body)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if len(s.files) != len(build1) || len(s.mod) != len(build1) {
		t.Errorf("%d files and %d times kept, want %d", len(s.files), len(s.mod), len(build1))
	}
}

// TestUpdateKeepsUnchanged: a rebuild whose files come in the last one's
// order, and one whose files come in another, each serve the new bytes of
// the files that changed, with a new time, and keep the others' times.
func TestUpdateKeepsUnchanged(t *testing.T) {
	out := func(path, data, key string) render.Output {
		return render.Output{Path: path, Data: []byte(data), Key: key}
	}
	first := []render.Output{out("index.html", "một", "k1"), out("a/index.html", "hai", "k2"), out("b/index.html", "ba", "k3"), out("x.txt", "không khóa", "")}
	s := New("/")
	s.Update(first)
	var check func(name string, outs []render.Output, changed ...string)
	times := func() map[string]time.Time {
		s.mu.RLock()
		defer s.mu.RUnlock()
		m := map[string]time.Time{}
		for p, t := range s.mod {
			m[p] = t
		}
		return m
	}
	check = func(name string, outs []render.Output, changed ...string) {
		t.Helper()
		before := times()
		time.Sleep(2 * time.Millisecond)
		s.Update(outs)
		after := times()
		for _, o := range outs {
			moved := !after[o.Path].Equal(before[o.Path])
			if want := slices.Contains(changed, o.Path); moved != want {
				t.Errorf("%s: %s's time changed: %v, want %v", name, o.Path, moved, want)
			}
			s.mu.RLock()
			got := string(s.files[o.Path].Data)
			s.mu.RUnlock()
			if got != string(o.Data) {
				t.Errorf("%s: %s serves %q, want %q", name, o.Path, got, o.Data)
			}
		}
		s.mu.RLock()
		defer s.mu.RUnlock()
		if len(s.files) != len(outs) || len(s.mod) != len(outs) {
			t.Errorf("%s: %d files and %d times kept, want %d", name, len(s.files), len(s.mod), len(outs))
		}
	}
	second := slices.Clone(first)
	second[1] = out("a/index.html", "hai mới", "k2b")
	check("same order", second, "a/index.html", "x.txt")
	third := []render.Output{second[3], out("b/index.html", "ba mới", "k3b"), second[1], second[0]}
	check("another order", third, "b/index.html", "x.txt")
	fourth := slices.Clone(third)
	fourth[3] = out("index.html", "một mới", "k1b")
	check("that order again", fourth, "index.html", "x.txt")

	// Sorted by path, as render gives them: walked beside the last
	// build's, with files that come and go.
	s = New("/")
	sorted := []render.Output{out("a/index.html", "hai", "k2"), out("b/index.html", "ba", "k3"), out("index.html", "một", "k1"), out("x.txt", "không khóa", "")}
	s.Update(sorted)
	check("sorted, the same", sorted, "x.txt")
	next := []render.Output{out("a/index.html", "hai mới", "k2b"), out("c/index.html", "bốn", "k4"), out("index.html", "một", "k1"), out("x.txt", "không khóa", ""), out("y.txt", "năm", "k5")}
	check("sorted, one changed, one gone, two new", next, "a/index.html", "c/index.html", "x.txt", "y.txt")
	check("sorted, all but one gone", next[2:3])
	check("sorted, back", sorted, "a/index.html", "b/index.html", "x.txt")
	check("unsorted after sorted", first, "x.txt")
}
