package cli

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/congxa/congxa/internal/diag"
)

// syncBuffer is an io.Writer that a test can read while a command writes.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

const testSite = "title: Xã Thử\nbase_url: https://xa.example.gov.vn/xa-thu/\n"

func testPost(title string) string {
	return "---\ntitle: " + title + "\ndate: 01/03/2024 08:00\ncategory: Thông báo\n---\nNội dung.\n"
}

// TestServe runs "congxa serve" as a user would: it edits a post, breaks
// and fixes its front matter, edits a layout, and watches the served page
// and the reload events.
func TestServe(t *testing.T) {
	site := t.TempDir()
	writeFile(t, filepath.Join(site, "content", "site.yaml"), testSite)
	post := filepath.Join(site, "content", "tin-tuc", "bai.md")
	writeFile(t, post, testPost("Bài đầu"))

	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	exit := make(chan int)
	go func() { exit <- Main(ctx, []string{"serve", "--source", site, "--port", "0"}, &stdout, &stderr) }()
	urlRE := regexp.MustCompile(`at (http://\S+) \(Ctrl-C`)
	waitFor(t, "the URL", func() bool { return urlRE.MatchString(stdout.String()) })
	base := urlRE.FindStringSubmatch(stdout.String())[1]
	if !strings.HasSuffix(base, "/xa-thu/") {
		t.Errorf("served at %s, not at the base_url's path", base)
	}

	res, err := http.Get(strings.TrimSuffix(base, "/xa-thu/") + "/__congxa/events")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	events := make(chan string, 10)
	go func() {
		r := bufio.NewReader(res.Body)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				close(events)
				return
			}
			if strings.HasPrefix(line, "event: ") {
				events <- strings.TrimSpace(strings.TrimPrefix(line, "event: "))
			}
		}
	}()
	if ev := <-events; ev != "hello" {
		t.Fatalf("first event %q", ev)
	}
	page := func() string {
		_, _, body := fetch(t, base+"tin-tuc/")
		return body
	}
	reload := func(what string) {
		t.Helper()
		select {
		case ev := <-events:
			if ev != "reload" {
				t.Fatalf("%s: event %q", what, ev)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("%s: no reload event", what)
		}
	}
	if !strings.Contains(page(), "Bài đầu") {
		t.Fatal("the post is not listed")
	}

	writeFile(t, post, testPost("Bài đã sửa"))
	reload("edit")
	if body := page(); !strings.Contains(body, "Bài đã sửa") || !strings.Contains(body, "/__congxa/reload.js") {
		t.Errorf("after the edit: %s", body)
	}

	writeFile(t, post, "---\ntitle: Bài hỏng\ndate: 31/02/2024\n---\n")
	reload("break")
	body := page()
	if !strings.Contains(body, "content/tin-tuc/bai.md:3:7: date: invalid date &#34;31/02/2024&#34;: day out of range") || !strings.Contains(body, "Bài đã sửa") {
		t.Errorf("no overlay over the last good build: %s", body)
	}
	if !strings.Contains(stderr.String(), "content/tin-tuc/bai.md:3:7: date: invalid date") {
		t.Errorf("terminal does not show the error: %s", stderr.String())
	}

	writeFile(t, post, testPost("Bài đã sửa lại"))
	reload("fix")
	if body := page(); strings.Contains(body, "congxa-errors") || !strings.Contains(body, "Bài đã sửa lại") {
		t.Errorf("after the fix: %s", body)
	}

	writeFile(t, filepath.Join(site, "layouts", "partials", "footer.html"), "<footer>Chân trang mới</footer>")
	reload("layout")
	if !strings.Contains(page(), "Chân trang mới") {
		t.Error("the layout change is not served")
	}
	if _, err := os.Stat(filepath.Join(site, "public")); err == nil {
		t.Error("serve wrote public/")
	}

	cancel()
	select {
	case code := <-exit:
		if code != 0 {
			t.Errorf("exit %d", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
}

// TestServeBind: serve listens on the loopback address alone unless told
// otherwise, so that a preview of drafts is not open to the office's
// network; --bind 0.0.0.0 opens it.
func TestServeBind(t *testing.T) {
	site := t.TempDir()
	writeFile(t, filepath.Join(site, "content", "site.yaml"), testSite)
	writeFile(t, filepath.Join(site, "content", "tin-tuc", "bai.md"), testPost("Bài đầu"))
	var other net.IP // an address of this machine that is not loopback
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil {
			other = n.IP
			break
		}
	}
	for _, c := range []struct {
		args      []string
		host      string
		reachable bool
	}{
		{nil, "127.0.0.1", false},
		{[]string{"--bind", "0.0.0.0"}, "localhost", true},
	} {
		ctx, cancel := context.WithCancel(context.Background())
		var stdout, stderr syncBuffer
		exit := make(chan int)
		go func() {
			exit <- Main(ctx, append([]string{"serve", "--source", site, "--port", "0"}, c.args...), &stdout, &stderr)
		}()
		urlRE := regexp.MustCompile(`at (http://\S+) \(Ctrl-C`)
		waitFor(t, "the URL", func() bool { return urlRE.MatchString(stdout.String()) })
		u, err := url.Parse(urlRE.FindStringSubmatch(stdout.String())[1])
		if err != nil {
			t.Fatal(err)
		}
		if u.Hostname() != c.host {
			t.Errorf("%v: serving at %s, want host %s", c.args, u, c.host)
		}
		if code, _, _ := fetch(t, "http://127.0.0.1:"+u.Port()+u.Path); code != 200 {
			t.Errorf("%v: loopback: %d", c.args, code)
		}
		if other == nil {
			t.Log("this machine has no address but loopback: not checking that others cannot connect")
		} else {
			conn, err := net.DialTimeout("tcp", net.JoinHostPort(other.String(), u.Port()), 20*time.Second)
			if err == nil {
				conn.Close()
			}
			if reached := err == nil; reached != c.reachable {
				t.Errorf("%v: connecting from %s: %v, want reachable %v", c.args, other, err, c.reachable)
			}
		}
		cancel()
		if code := <-exit; code != 0 {
			t.Errorf("%v: exit %d: %s", c.args, code, stderr.String())
		}
	}
}

// TestBuildWatch runs "congxa build --watch": every change is published,
// a broken change leaves the destination alone.
func TestBuildWatch(t *testing.T) {
	site := t.TempDir()
	dest := filepath.Join(t.TempDir(), "public")
	writeFile(t, filepath.Join(site, "content", "site.yaml"), testSite)
	post := filepath.Join(site, "content", "tin-tuc", "bai.md")
	writeFile(t, post, testPost("Bài đầu"))
	// A warning that every build has: printed once.
	writeFile(t, filepath.Join(site, "content", "tin-tuc", "khac.md"), strings.Replace(testPost("Bài khác"), "Thông báo", "Thông Báo", 1))
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	exit := make(chan int)
	go func() {
		exit <- Main(ctx, []string{"build", "--source", site, "--dest", dest, "--watch"}, &stdout, &stderr)
	}()
	waitFor(t, "watching", func() bool { return strings.Contains(stdout.String(), "Watching") })
	read := func() string {
		b, _ := os.ReadFile(filepath.Join(dest, "tin-tuc", "index.html"))
		return string(b)
	}
	writeFile(t, post, testPost("Bài đã sửa"))
	waitFor(t, "the edit published", func() bool { return strings.Contains(read(), "Bài đã sửa") })
	waitFor(t, "the rebuild's problems", func() bool { return strings.Contains(stderr.String(), "1 warning as before, not shown again") })
	if n := strings.Count(stderr.String(), "is shown as"); n != 1 {
		t.Errorf("the warning printed %d times; stderr:\n%s", n, stderr.String())
	}
	before := read()
	writeFile(t, post, "---\ntitle: [hỏng\n---\n")
	waitFor(t, "the error", func() bool { return strings.Contains(stderr.String(), "content/tin-tuc/bai.md:2:8") })
	if read() != before {
		t.Error("a broken change reached the destination")
	}
	os.Remove(post)
	waitFor(t, "the deletion published", func() bool { return !strings.Contains(read(), "Bài đã sửa") })
	if _, err := os.Stat(filepath.Join(dest, "tin-tuc", "bai-da-sua", "index.html")); err == nil {
		t.Error("the deleted post's page survived")
	}
	cancel()
	if code := <-exit; code != 0 {
		t.Errorf("exit %d", code)
	}
}

func fetch(t *testing.T, url string) (int, http.Header, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, string(b)
}

// TestRebuildDiags prints a build's warnings, and at the next build only
// the new ones, with the count of the others; errors every time.
func TestRebuildDiags(t *testing.T) {
	warn := func(file, msg string) diag.Diagnostic {
		return diag.Diagnostic{Pos: diag.Pos{File: file, Line: 2, Col: 1}, Severity: diag.Warning, Msg: msg}
	}
	a, b, c := warn("a.md", "tag A"), warn("b.md", "tag B"), warn("c.md", "tag C")
	e := diag.Diagnostic{Pos: diag.Pos{File: "d.md", Line: 1, Col: 1}, Msg: "broken"}
	var r rebuildDiags
	for i, step := range []struct {
		diags diag.List
		want  []string
	}{
		{diag.List{a, b}, []string{a.String(), b.String()}},
		{diag.List{a, b, c}, []string{c.String(), "2 warnings as before, not shown again"}},
		{diag.List{a, c, e}, []string{e.String(), "2 warnings as before, not shown again"}},
		{diag.List{a, b, c, e}, []string{b.String(), e.String(), "2 warnings as before, not shown again"}},
		{diag.List{}, nil},
		{diag.List{a}, []string{a.String()}},
	} {
		var out strings.Builder
		r.print(&out, step.diags)
		var got []string
		for l := range strings.Lines(out.String()) {
			l = strings.TrimSuffix(l, "\n")
			if _, rest, ok := strings.Cut(l, " "); ok && strings.HasSuffix(l, "not shown again") {
				l = rest // after the clock
			}
			got = append(got, l)
		}
		if !slices.Equal(got, step.want) {
			t.Errorf("build %d printed %q, want %q", i+1, got, step.want)
		}
	}
}
