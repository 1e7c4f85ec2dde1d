package cli

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"golang.org/x/text/unicode/norm"

	"github.com/congxa/congxa/internal/search"
	"github.com/congxa/congxa/internal/vn"
)

// chromium finds Debian's chromium (or another Chrome), or skips the test;
// in CI a missing browser fails it.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no chromium on PATH: CI must install it (apt-get install chromium)")
	}
	t.Skip("no chromium on PATH: install it (apt-get install chromium) to run the browser tests")
	return ""
}

// browser starts a headless Chromium for the test.
func browser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.NoSandbox, // CI runs as root
		chromedp.WindowSize(1280, 900),
	)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	t.Cleanup(cancel)
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelCtx := chromedp.NewContext(ctx)
	t.Cleanup(cancelCtx)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return ctx
}

// serve serves a built site over plain HTTP, as any static server would.
func serve(t *testing.T, dir string) string {
	t.Helper()
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	t.Cleanup(srv.Close)
	return srv.URL
}

// shownResult is a result as the page shows it.
type shownResult struct {
	URL      string   `json:"url"`
	Title    string   `json:"title"`
	Marks    []string `json:"marks"`
	Meta     string   `json:"meta"`
	Snippet  string   `json:"snippet"`
	SnipMark []string `json:"snipMarks"`
}

const readResults = `[...document.querySelectorAll('#tk-ket-qua > li')].map(li => ({
	url: li.querySelector('h2 a').getAttribute('href'),
	title: li.querySelector('h2').textContent,
	marks: [...li.querySelectorAll('h2 mark')].map(m => m.textContent),
	meta: (li.querySelector('.meta') || {}).textContent || '',
	snippet: li.querySelector('.search-result-snippet').textContent,
	snipMarks: [...li.querySelectorAll('.search-result-snippet mark')].map(m => m.textContent),
}))`

// searchPage drives /tim-kiem/ in the browser and checks what it shows
// against search.Searcher, which states the same rules in Go.
type searchPage struct {
	t    *testing.T
	ctx  context.Context
	base string
	dest string
}

// typeQuery clears the box, types q key by key, and waits for the results
// of the whole query.
func (p *searchPage) typeQuery(q string) (status string, results []shownResult) {
	p.t.Helper()
	err := chromedp.Do(p.ctx,
		chromedp.Evaluate[chromedp.Void](`document.getElementById('tk-q').value = ''`),
		chromedp.SendKeys(chromedp.ID("tk-q"), q),
	)
	if err != nil {
		p.t.Fatalf("typing %q: %v", q, err)
	}
	return p.wait(q)
}

// wait waits until the status speaks of q, then reads the results.
func (p *searchPage) wait(q string) (status string, results []shownResult) {
	p.t.Helper()
	want := "“" + strings.TrimSpace(norm.NFC.String(q)) + "”"
	wantJS, _ := json.Marshal(want)
	_, err := chromedp.Run(p.ctx, chromedp.Poll[bool](fmt.Sprintf(`document.getElementById('tk-trang-thai').textContent.includes(%s) &&
		document.getElementById('tk-ket-qua').getAttribute('aria-busy') !== 'true'`, wantJS), chromedp.WithPollingTimeout(30*time.Second)))
	if err == nil {
		status, err = chromedp.Run(p.ctx, chromedp.TextContent(chromedp.ID("tk-trang-thai")))
	}
	if err == nil {
		results, err = chromedp.Run(p.ctx, chromedp.Evaluate[[]shownResult](readResults))
	}
	if err != nil {
		st, _ := chromedp.Run(p.ctx, chromedp.TextContent(chromedp.ID("tk-trang-thai")))
		p.t.Fatalf("waiting for the results of %q: %v (status %q)", q, err, st)
	}
	return status, results
}

// snippets waits until every result shown has its snippet, which the
// script takes from the result's own page once typing pauses and the
// result is near the screen (each is scrolled to, as a reader would), and
// reads the results again.
func (p *searchPage) snippets() []shownResult {
	p.t.Helper()
	return p.snippetsOf(`[...document.querySelectorAll('#tk-ket-qua > li')].every(li => {
		if (li.dataset.snippet === 'waiting') li.scrollIntoView();
		return li.dataset.snippet === 'shown';
	})`)
}

// onScreenSnippets waits until the results on the screen, not scrolled,
// have their snippets: what a visitor who reads the first results fetches.
func (p *searchPage) onScreenSnippets() []shownResult {
	p.t.Helper()
	return p.snippetsOf(`[...document.querySelectorAll('#tk-ket-qua > li')].
		filter(li => li.getBoundingClientRect().top < window.innerHeight).
		every(li => li.dataset.snippet === 'shown')`)
}

func (p *searchPage) snippetsOf(poll string) []shownResult {
	p.t.Helper()
	_, err := chromedp.Run(p.ctx, chromedp.Poll[bool](poll, chromedp.WithPollingTimeout(30*time.Second)))
	if err != nil {
		states, _ := chromedp.Run(p.ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#tk-ket-qua > li')].map(li => li.dataset.snippet)`))
		p.t.Fatalf("waiting for the snippets: %v (%q)", err, states)
	}
	results, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]shownResult](readResults))
	if err != nil {
		p.t.Fatal(err)
	}
	return results
}

// expect returns the URLs of the first n results of q, by search.Searcher.
func (p *searchPage) expect(q search.Query, n int) (urls []string, total int) {
	p.t.Helper()
	entry, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.getElementById('tim-kiem').dataset.index`))
	if err != nil {
		p.t.Fatal(err)
	}
	// The entry's URL, less the base path, is its path in the folder.
	entry = entry[strings.Index(entry, search.Dir):]
	s, err := search.Open(func(name string) ([]byte, error) {
		return os.ReadFile(filepath.Join(p.dest, filepath.FromSlash(name)))
	}, entry)
	if err != nil {
		p.t.Fatal(err)
	}
	rs, err := s.Search(q)
	if err != nil {
		p.t.Fatal(err)
	}
	for _, r := range rs[:min(n, len(rs))] {
		d, err := s.Doc(r.ID)
		if err != nil {
			p.t.Fatal(err)
		}
		urls = append(urls, d.URL)
	}
	return urls, len(rs)
}

func urlsOf(rs []shownResult) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.URL)
	}
	return out
}

var countRE = regexp.MustCompile(`Tìm thấy ([\d.]+) kết quả`)

// check compares what the page shows for q with what Searcher finds.
func (p *searchPage) check(q search.Query, status string, got []shownResult) {
	p.t.Helper()
	want, total := p.expect(q, 10)
	if !reflect.DeepEqual(urlsOf(got), want) {
		p.t.Errorf("%+v: the page shows %q, Searcher finds %q", q, urlsOf(got), want)
	}
	if total == 0 {
		if !strings.HasPrefix(status, "Không tìm thấy kết quả nào") {
			p.t.Errorf("%+v: status %q for no results", q, status)
		}
		return
	}
	m := countRE.FindStringSubmatch(status)
	if m == nil || strings.ReplaceAll(m[1], ".", "") != fmt.Sprint(total) {
		p.t.Errorf("%+v: status %q, want %d results", q, status, total)
	}
}

// TestSearchInBrowser builds the demo, serves it over HTTP, and types
// queries into its search page in headless Chromium.
func TestSearchInBrowser(t *testing.T) {
	dest := buildDemo(t)
	ctx := browser(t)
	base := serve(t, dest)
	p := &searchPage{t: t, ctx: ctx, base: base, dest: dest}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/tim-kiem/"), chromedp.WaitVisible(chromedp.ID("tk-q"))); err != nil {
		t.Fatal(err)
	}
	if hidden, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById('tk-nojs').hidden`)); !hidden {
		t.Error("with JavaScript, the page still says search needs it")
	}

	t.Run("fold agrees with vn.Fold", func(t *testing.T) {
		// Every character that Go's Unicode tables know up to U+2FFF
		// (the browser may know newer ones, which Go leaves alone).
		known := []*unicode.RangeTable{unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Z, unicode.Cc, unicode.Cf}
		var in []string
		for r := rune(1); r < 0x3000; r++ {
			if utf8.ValidRune(r) && unicode.IsOneOf(known, r) {
				in = append(in, string(r))
			}
		}
		in = append(in, "Đảng ủy xã Đồng Tâm", norm.NFD.String("ĐẢNG ỦY Ưu tiên ướt át"), "Ðà Nẵng", "İstanbul ΑΘΉΝΑ Straße")
		js, _ := json.Marshal(in)
		got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](fmt.Sprintf(`%s.map(s => window.congxaSearch.fold(s))`, js)))
		if err != nil {
			t.Fatal(err)
		}
		bad := 0
		for i, s := range in {
			if want := vn.Fold(s); got[i] != want && bad < 10 {
				t.Errorf("fold(%+q) = %+q in the script, %+q in vn.Fold", s, got[i], want)
				bad++
			}
		}
	})

	t.Run("gunzip reads what Go writes", func(t *testing.T) {
		// Stored, fixed and dynamic blocks, one or many, and a header
		// with every optional field; the index files of the demo, as
		// the build compresses them, are read by the other cases.
		rng := rand.New(rand.NewPCG(7, 7))
		noise := make([]byte, 70000)
		for i := range noise {
			noise[i] = byte(rng.Uint32())
		}
		text := []byte(strings.Repeat(`{"đảng ủy":"~Ab3_","xã":[1,2,3]} Ủy ban nhân dân xã Bắc An. `, 3000))
		mixed := append(append(slices.Clone(text[:40000]), noise[:30000]...), text[:50000]...)
		inputs := [][]byte{nil, []byte("a"), []byte("[1]\n"), text[:1000], text, noise, mixed}
		var in []string
		var want [][]byte
		for _, data := range inputs {
			for _, level := range []int{gzip.NoCompression, gzip.BestSpeed, gzip.DefaultCompression, gzip.BestCompression, gzip.HuffmanOnly} {
				var buf bytes.Buffer
				zw, _ := gzip.NewWriterLevel(&buf, level)
				if level == gzip.BestSpeed {
					zw.Header = gzip.Header{Name: "chi-muc.json", Comment: "Latin-1 only: à é", Extra: []byte{1, 2, 3}}
				}
				if _, err := zw.Write(data); err != nil {
					t.Fatal(err)
				}
				if err := zw.Close(); err != nil {
					t.Fatal(err)
				}
				in = append(in, base64.StdEncoding.EncodeToString(buf.Bytes()))
				want = append(want, data)
			}
		}
		js, _ := json.Marshal(in)
		got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](fmt.Sprintf(`%s.map(s => {
			const out = window.congxaSearch.gunzip(Uint8Array.from(atob(s), c => c.charCodeAt(0)));
			let bin = '';
			for (let i = 0; i < out.length; i += 8192) bin += String.fromCharCode(...out.subarray(i, i + 8192));
			return btoa(bin);
		})`, js)))
		if err != nil {
			t.Fatal(err)
		}
		for i := range in {
			if g, _ := base64.StdEncoding.DecodeString(got[i]); !bytes.Equal(g, want[i]) {
				t.Errorf("gzip file %d (%d bytes of %d): the script reads %d bytes, not those written", i, len(in[i])*3/4, len(want[i]), len(g))
			}
		}
		// A file cut short, or with a wrong length, is an error, not
		// wrong text.
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(text[:5000])
		zw.Close()
		whole := buf.Bytes()
		long := slices.Clone(whole)
		long[len(long)-4]++
		for _, bad := range [][]byte{whole[:len(whole)/2], whole[:len(whole)-8], long} {
			js, _ := json.Marshal(base64.StdEncoding.EncodeToString(bad))
			msg, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`(() => {
				try { window.congxaSearch.gunzip(Uint8Array.from(atob(%s), c => c.charCodeAt(0))); return ''; } catch (e) { return String(e.message || e); }
			})()`, js)))
			if err != nil || msg == "" {
				t.Errorf("a broken gzip file of %d bytes is read without an error (%v)", len(bad), err)
			}
		}
	})

	t.Run("postings read as in Go", func(t *testing.T) {
		// Lists plain and dense (the demo is too small to have dense
		// ones), written as the index writes them.
		var in []string
		var want [][]search.Posting
		for i, n := range []int{0, 1, 5, 63, 64, 65, 100, 300, 1000, 3000} {
			var ps []search.Posting
			for id := 0; len(ps) < n; id++ {
				if (id*7+i)%11 < 8 || n < 64 {
					ps = append(ps, search.Posting{ID: id, Flags: 1 + id%15 | (id%13/12)<<4 | (id%17/16)<<5})
				}
			}
			enc := search.EncodePostings(ps)
			in = append(in, enc)
			want = append(want, search.DecodePostings(enc))
		}
		if !strings.HasPrefix(in[len(in)-1], "~") {
			t.Fatal("no dense list among the cases")
		}
		js, _ := json.Marshal(in)
		got, err := chromedp.Run(ctx, chromedp.Evaluate[[][][2]int](fmt.Sprintf(`%s.map(s => window.congxaSearch.postings(s))`, js)))
		if err != nil {
			t.Fatal(err)
		}
		for i := range in {
			var g []search.Posting
			for _, p := range got[i] {
				g = append(g, search.Posting{ID: p[0], Flags: p[1]})
			}
			if !reflect.DeepEqual(g, want[i]) {
				t.Errorf("list %d (%.20q…): the script reads it otherwise than Go (%d postings, Go %d)", i, in[i], len(g), len(want[i]))
			}
		}
	})

	// Every post can be found by part of its title typed without
	// diacritics.
	t.Run("titles without diacritics", func(t *testing.T) {
		src, _ := filepath.Glob("../../content/tin-tuc/*.md")
		n := 0
		for _, f := range src {
			if strings.HasPrefix(filepath.Base(f), "_") {
				continue
			}
			data, _ := os.ReadFile(f)
			m := regexp.MustCompile(`(?m)^title: "?(.*?)"?$`).FindSubmatch(data)
			if m == nil {
				t.Fatalf("%s: no title", f)
			}
			title := strings.TrimSpace(string(m[1]))
			words := strings.Fields(strings.Join(search.Words(title), " "))
			// Three words of the title, the last cut short as while
			// typing: the first such part, from the middle on, that
			// Searcher ranks among the first ten (the page is checked
			// to show what Searcher finds).
			q := ""
			for _, from := range windows(len(words), 3) {
				part := slices.Clone(words[from:min(from+3, len(words))])
				if last := part[len(part)-1]; len(last) > 3 {
					part[len(part)-1] = last[:len(last)-1]
				}
				try := strings.Join(part, " ")
				if urls, _ := p.expect(search.Query{Text: try}, 10); slices.ContainsFunc(urls, func(u string) bool { return strings.HasSuffix(u, "/"+titleSlug(data)+"/") }) {
					q = try
					break
				}
			}
			if q == "" {
				t.Errorf("no three words of %q find it among the first ten", title)
				continue
			}
			status, got := p.typeQuery(q)
			p.check(search.Query{Text: q}, status, got)
			found := false
			for _, r := range got {
				found = found || r.Title == title
			}
			if !found {
				t.Errorf("%q does not find %q among the first results: %q", q, title, urlsOf(got))
			}
			n++
		}
		if n < 40 {
			t.Errorf("only %d posts tried", n)
		}
	})

	t.Run("dang uy", func(t *testing.T) {
		status, got := p.typeQuery("dang uy")
		p.check(search.Query{Text: "dang uy"}, status, got)
		if len(got) == 0 || !strings.Contains(got[0].Title, "Đảng ủy") {
			t.Fatalf("dang uy: %+v", got)
		}
		if !reflect.DeepEqual(got[0].Marks[:2], []string{"Đảng", "ủy"}) {
			t.Errorf("the title's marks: %q", got[0].Marks)
		}
		// Once typing pauses, each result's snippet comes from its page.
		// Every result has both words, and shows at least one marked.
		got = p.snippets()
		for _, r := range got {
			if r.Snippet == "" {
				t.Errorf("%s: no snippet", r.URL)
			}
			marks := strings.ToLower(strings.Join(r.SnipMark, " ") + " " + strings.Join(r.Marks, " "))
			if !strings.Contains(marks, "ủy") && !strings.Contains(marks, "đảng") && !strings.Contains(marks, "đang") {
				t.Errorf("%s: nothing marked: %+v", r.URL, r)
			}
		}
		// Typed with its diacritics, and in capitals, the same page leads.
		status2, got2 := p.typeQuery("ĐẢNG ỦY")
		p.check(search.Query{Text: "ĐẢNG ỦY"}, status2, got2)
		if len(got2) == 0 || got2[0].URL != got[0].URL {
			t.Errorf("ĐẢNG ỦY: %q", urlsOf(got2))
		}
	})

	t.Run("phrase", func(t *testing.T) {
		q := `"cai cach hanh chinh"`
		status, got := p.typeQuery(q)
		p.check(search.Query{Text: q}, status, got)
		// Each snippet, from the result's page, marks words of the phrase
		// (a page may have the phrase only in its category or tags);
		// some show the phrase itself.
		phrase := 0
		for _, r := range p.snippets() {
			if len(r.SnipMark) == 0 {
				t.Errorf("%s: the snippet %q marks nothing", r.URL, r.Snippet)
			}
			if strings.Contains(strings.ToLower(r.Snippet), "cải cách hành chính") {
				phrase++
			}
		}
		if phrase == 0 {
			t.Error("no snippet shows the phrase")
		}
		_, words := p.typeQuery("hanh chinh cai cach ")
		if len(got) == 0 || len(words) == 0 {
			t.Fatalf("phrase %d results, words %d", len(got), len(words))
		}
		// Reversed in quotes, the words are not a phrase of the demo.
		rq := `"hanh chinh cai cach"`
		status, got = p.typeQuery(rq)
		p.check(search.Query{Text: rq}, status, got)
	})

	t.Run("long query", func(t *testing.T) {
		// Thirteen words: the first eight are looked up, and the status
		// says so; the results are Searcher's.
		q := "dang uy xa bac an to chuc hoi nghi so ket cong tac"
		status, got := p.typeQuery(q)
		p.check(search.Query{Text: q}, status, got)
		note := fmt.Sprintf("Chỉ %d từ", search.MaxItems)
		if len(got) == 0 || !strings.Contains(status, note) {
			t.Errorf("%q: status %q, %d results", q, status, len(got))
		}
		if status, _ := p.typeQuery("dang uy xa bac an"); strings.Contains(status, note) {
			t.Errorf("five words: %q", status)
		}
	})

	t.Run("category", func(t *testing.T) {
		err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`{const s = document.getElementById('tk-cm'); s.value = 'cai-cach-hanh-chinh'; s.dispatchEvent(new Event('change'));}`))
		if err != nil {
			t.Fatal(err)
		}
		defer chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`{const s = document.getElementById('tk-cm'); s.value = ''; s.dispatchEvent(new Event('change'));}`))
		status, got := p.typeQuery("xa bac an")
		if !strings.Contains(status, "trong chuyên mục Cải cách hành chính") {
			t.Errorf("status %q", status)
		}
		p.check(search.Query{Text: "xa bac an", Category: "cai-cach-hanh-chinh"}, status, got)
		if len(got) == 0 {
			t.Fatal("no results in the category")
		}
		for _, r := range got {
			if !strings.Contains(r.Meta, "Cải cách hành chính") {
				t.Errorf("%s is shown in another category: %q", r.URL, r.Meta)
			}
		}
		if loc, _ := chromedp.Run(ctx, chromedp.Location()); !strings.HasSuffix(loc, "/tim-kiem/?q=xa+bac+an&cm=cai-cach-hanh-chinh") {
			t.Errorf("the address is %s, not a link to these results", loc)
		}
	})

	t.Run("nothing found", func(t *testing.T) {
		status, got := p.typeQuery("xyzzy quux")
		p.check(search.Query{Text: "xyzzy quux"}, status, got)
		if len(got) != 0 || !strings.Contains(status, "Không tìm thấy kết quả nào cho “xyzzy quux”") {
			t.Errorf("status %q, %d results", status, len(got))
		}
	})

	t.Run("more, by keyboard", func(t *testing.T) {
		status, got := p.typeQuery("xa ")
		_, total := p.expect(search.Query{Text: "xa "}, 0)
		p.check(search.Query{Text: "xa "}, status, got)
		if total <= 10 || len(got) != 10 {
			t.Fatalf("xa: %d results shown of %d", len(got), total)
		}
		if live, _ := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.ID("tk-trang-thai"), "aria-live")); live.Value != "polite" {
			t.Errorf("the status is not announced: aria-live=%q", live.Value)
		}
		// The button is reached by the keyboard; Enter shows ten more and
		// puts the focus on the first of them.
		err := chromedp.Do(ctx,
			chromedp.Focus(chromedp.ID("tk-them")),
			chromedp.KeyEvent(kb.Enter),
		)
		if err == nil {
			_, err = chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelectorAll('#tk-ket-qua > li').length > 10`, chromedp.WithPollingTimeout(10*time.Second)))
		}
		if err != nil {
			t.Fatal(err)
		}
		if ok, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.activeElement === document.querySelectorAll('#tk-ket-qua > li')[10].querySelector('a')`)); !ok {
			t.Error("after 'more', the focus is not on the first new result")
		}
		all, _ := chromedp.Run(ctx, chromedp.Evaluate[[]shownResult](readResults))
		want, _ := p.expect(search.Query{Text: "xa "}, 20)
		if !reflect.DeepEqual(urlsOf(all), want) {
			t.Errorf("after 'more': %q, want %q", urlsOf(all), want)
		}
	})

	t.Run("keyboard: Enter submits in place", func(t *testing.T) {
		err := chromedp.Do(ctx,
			chromedp.Evaluate[chromedp.Void](`document.getElementById('tk-q').value = ''`),
			chromedp.SendKeys(chromedp.ID("tk-q"), "tiem vac xin"),
			chromedp.KeyEvent(kb.Enter),
		)
		if err != nil {
			t.Fatal(err)
		}
		status, got := p.wait("tiem vac xin")
		p.check(search.Query{Text: "tiem vac xin"}, status, got)
		if loc, _ := chromedp.Run(ctx, chromedp.Location()); !strings.HasSuffix(loc, "/tim-kiem/?q=tiem+vac+xin") {
			t.Errorf("after Enter the page is %s", loc)
		}
	})

	t.Run("header box", func(t *testing.T) {
		err := chromedp.Do(ctx,
			chromedp.Navigate(base+"/"),
			chromedp.SendKeys(chromedp.ID("o-tim-kiem"), "nong thon moi"),
			chromedp.KeyEvent(kb.Enter),
			chromedp.WaitReady(chromedp.ID("tk-ket-qua")),
		)
		if err != nil {
			t.Fatal(err)
		}
		status, got := p.wait("nong thon moi")
		p.check(search.Query{Text: "nong thon moi"}, status, got)
		if loc, _ := chromedp.Run(ctx, chromedp.Location()); loc != base+"/tim-kiem/?q=nong+thon+moi" {
			t.Errorf("the header's form went to %s", loc)
		}
		if len(got) == 0 {
			t.Error("no results for nong thon moi")
		}
	})

	t.Run("latency", func(t *testing.T) {
		// From the last keystroke to the results, after a first query has
		// loaded the entry file. Logged, not asserted: the machine is
		// shared.
		ms := measureLatency(t, ctx, []string{"tiep nhan ho so", "hoi nghi", "thanh nien"})
		t.Logf("last keystroke to [count, ten results] shown: %v ms", ms)
	})

	t.Run("under a sub-path", func(t *testing.T) {
		sub := buildDemo(t, "--base-url", "https://example.gov.vn/xa-bac-an/")
		mux := http.NewServeMux()
		mux.Handle("/xa-bac-an/", http.StripPrefix("/xa-bac-an", http.FileServer(http.Dir(sub))))
		srv := httptest.NewServer(mux)
		defer srv.Close()
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/xa-bac-an/tim-kiem/?q=dang+uy")); err != nil {
			t.Fatal(err)
		}
		sp := &searchPage{t: t, ctx: ctx, base: srv.URL, dest: sub}
		status, got := sp.wait("dang uy")
		if len(got) == 0 {
			t.Fatalf("nothing found under the sub-path: %s", status)
		}
		for _, r := range got {
			if !strings.HasPrefix(r.URL, "/xa-bac-an/") {
				t.Errorf("a result links to %s, outside the sub-path", r.URL)
			}
		}
		want, _ := sp.expect(search.Query{Text: "dang uy"}, 10)
		if !reflect.DeepEqual(urlsOf(got), want) {
			t.Errorf("under the sub-path: %q, want %q", urlsOf(got), want)
		}
	})

	t.Run("without JavaScript", func(t *testing.T) {
		nctx, cancel := chromedp.NewContext(ctx)
		defer cancel()
		err := chromedp.Do(nctx,
			chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
				return err
			}),
			chromedp.Navigate(base+"/tim-kiem/?q=cai+cach"),
			chromedp.WaitVisible(chromedp.ID("tk-nojs")),
		)
		if err != nil {
			t.Fatal(err)
		}
		text, _ := chromedp.Run(nctx, chromedp.Text(chromedp.ID("tk-nojs")))
		href, _ := chromedp.Run(nctx, chromedp.AttributeValue(chromedp.CSS("#tk-nojs a"), "href"))
		if !strings.Contains(text, "cần JavaScript") || href.Value != "/luu-tru/" {
			t.Errorf("without JavaScript: %q, link %q", text, href.Value)
		}
	})
}

// total tells whether a status says that something was found.
func total(status string) bool { return countRE.MatchString(status) }

// windows lists the starts of the n-word parts of a title of k words,
// from the middle outwards.
func windows(k, n int) []int {
	if k <= n {
		return []int{0}
	}
	var out []int
	mid := (k - n) / 2
	for d := 0; len(out) < k-n+1; d++ {
		if mid+d <= k-n {
			out = append(out, mid+d)
		}
		if d > 0 && mid-d >= 0 {
			out = append(out, mid-d)
		}
	}
	return out
}

// titleSlug is the slug of a post's title, as the site makes its URL.
func titleSlug(post []byte) string {
	m := regexp.MustCompile(`(?m)^title: "?(.*?)"?$`).FindSubmatch(post)
	return vn.Slug(string(m[1]))
}

// measureLatency types each query and returns, for each but the first
// (which loads the entry file), the milliseconds from its last keydown to
// the status giving its count, and to its first ten results shown.
func measureLatency(t *testing.T, ctx context.Context, queries []string) [][2]float64 {
	t.Helper()
	const install = `(() => {
		window.__lastKey = 0; window.__done = [];
		const status = document.getElementById('tk-trang-thai'), list = document.getElementById('tk-ket-qua');
		document.addEventListener('keydown', () => { window.__lastKey = performance.now(); }, true);
		new MutationObserver(() => {
			window.__done.push({at: performance.now(), text: status.textContent, busy: list.getAttribute('aria-busy') === 'true'});
		}).observe(document.getElementById('noi-dung'), {childList: true, characterData: true, subtree: true, attributes: true, attributeFilter: ['aria-busy']});
	})()`
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(strings.Split(loc, "?")[0]), chromedp.WaitVisible(chromedp.ID("tk-q")), chromedp.Evaluate[chromedp.Void](install)); err != nil {
		t.Fatal(err)
	}
	var out [][2]float64
	for i, q := range queries {
		err := chromedp.Do(ctx,
			chromedp.Evaluate[chromedp.Void](`document.getElementById('tk-q').value = ''; window.__done = [];`),
			chromedp.SendKeys(chromedp.ID("tk-q"), q),
		)
		if err != nil {
			t.Fatal(err)
		}
		wantJS, _ := json.Marshal("“" + strings.TrimSpace(q) + "”")
		_, err = chromedp.Run(ctx, chromedp.Poll[bool](fmt.Sprintf(`window.__done.some(d => d.text.includes(%s) && !d.busy)`, wantJS), chromedp.WithPollingTimeout(30*time.Second)))
		if err != nil {
			t.Fatal(err)
		}
		ms, err := chromedp.Run(ctx, chromedp.Evaluate[[2]float64](fmt.Sprintf(`[
			window.__done.find(d => d.text.includes(%[1]s)).at - window.__lastKey,
			window.__done.find(d => d.text.includes(%[1]s) && !d.busy).at - window.__lastKey]`, wantJS)))
		if err != nil {
			t.Fatal(err)
		}
		if i > 0 || len(queries) == 1 {
			out = append(out, [2]float64{float64(int(ms[0]*10)) / 10, float64(int(ms[1]*10)) / 10})
		}
	}
	return out
}

// counter counts what a server sends, by path prefix: the browser does
// not report what a web worker fetches (Pagefind's do).
type counter struct {
	mu    sync.Mutex
	files map[string]int64
}

func (c *counter) reset() {
	c.mu.Lock()
	c.files = map[string]int64{}
	c.mu.Unlock()
}

func (c *counter) sum(prefix string) (files int, bytes int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for p, n := range c.files {
		if strings.HasPrefix(p, prefix) {
			files++
			bytes += n
		}
	}
	return files, bytes
}

// countingWriter counts the bytes of a response as a static server
// would send them with gzip on: files already gzip as they are, others
// as gzip -6 makes them.
type countingWriter struct {
	http.ResponseWriter
	n    int64
	gz   *gzip.Writer
	zbuf *countBytes
}

type countBytes struct{ n int64 }

func (c *countBytes) Write(b []byte) (int, error) { c.n += int64(len(b)); return len(b), nil }

func (w *countingWriter) Write(b []byte) (int, error) {
	n, err := w.ResponseWriter.Write(b)
	if w.gz != nil {
		w.gz.Write(b[:n])
	} else {
		w.n += int64(n)
	}
	return n, err
}

// serveCounting serves dir and counts the bytes of each file sent (bodies,
// as they leave the server; the index files are gzip already).
func serveCounting(t *testing.T, dir string) (string, *counter) {
	c := &counter{files: map[string]int64{}}
	fs := http.FileServer(http.Dir(dir))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cw := &countingWriter{ResponseWriter: w}
		if !strings.HasSuffix(r.URL.Path, ".gz") {
			cw.zbuf = &countBytes{}
			cw.gz, _ = gzip.NewWriterLevel(cw.zbuf, 6)
		}
		// Each tab counts from an empty cache.
		w.Header().Set("Cache-Control", "no-store")
		fs.ServeHTTP(cw, r)
		if cw.gz != nil {
			cw.gz.Close()
			cw.n = cw.zbuf.n
		}
		c.mu.Lock()
		c.files[r.URL.Path] += cw.n
		c.mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	return srv.URL, c
}

// TestSearchMeasure measures a built site given by CONGXA_SEARCH_SITE (a
// folder built with base_url at its root): the index's size, and for a
// few queries in Chromium the bytes of the index fetched, for the query
// given at once (a link to /tim-kiem/?q=…) and typed key by key into an
// empty page, and the time from the last keystroke to the results once a
// first query has run (CONGXA_SEARCH_QUERIES, split at "|", replaces
// the queries). With CONGXA_PAGEFIND_SITE (a copy of the site that
// "npx pagefind --site DIR" indexed), the same for Pagefind: its script
// searching and loading the first ten results' data.
func TestSearchMeasure(t *testing.T) {
	dir := os.Getenv("CONGXA_SEARCH_SITE")
	if dir == "" {
		t.Skip("set CONGXA_SEARCH_SITE to a built site to measure its search")
	}
	var size, files int64
	filepath.Walk(filepath.Join(dir, search.Dir), func(_ string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			size += fi.Size()
			files++
		}
		return nil
	})
	t.Logf("index: %d files, %.1f KB (gzip)", files, float64(size)/1024)
	ctx := browser(t)
	base, count := serveCounting(t, dir)
	queries := []string{"cai cach hanh chinh", "dang uy", `"cải cách hành chính" năm 2023`, "tiem chung", "hoi nghi so ket", "xa", "dang uy xa dong hung to chuc hoi nghi",
		// Long ones: a quoted phrase of six words, twelve words of a
		// title as copied, words on nearly every page.
		`"hoi nghi so ket cong tac 6"`, "đợt tiêm chủng mở rộng cho trẻ em dưới 5 tuổi tại thôn Đồng Tâm", "uy ban nhan dan xa nam", "ubnd xa nam"}
	if qs := os.Getenv("CONGXA_SEARCH_QUERIES"); qs != "" {
		queries = strings.Split(qs, "|") // others, to measure them alone
	}
	idx := "/" + search.Dir + "/"
	// fetched is what a query fetched: index files, and the result pages
	// that its snippets come from (any other page but the search page's
	// own files).
	fetched := func() string {
		files, bytes := count.sum(idx)
		all, allBytes := count.sum("/")
		own, ownBytes := count.sum("/tim-kiem/")
		assets, assetBytes := count.sum("/assets/")
		pages, pageBytes := all-own-assets, allBytes-ownBytes-assetBytes
		mf, mb := count.sum(idx + "m/")
		bf, bb := count.sum(idx + "b/")
		return fmt.Sprintf("%2d index files %6.1f KB (%d meta %.1f KB, %d pair buckets %.1f KB) + %2d pages %5.1f KB = %6.1f KB",
			files, float64(bytes)/1024, mf, float64(mb)/1024, bf, float64(bb)/1024, pages, float64(pageBytes)/1024, float64(bytes+pageBytes)/1024)
	}
	for _, q := range queries {
		// Given at once, in a fresh tab: snippets at once.
		nctx, cancel := chromedp.NewContext(ctx)
		count.reset()
		if err := chromedp.Do(nctx, chromedp.Navigate(base+"/tim-kiem/?q="+url.QueryEscape(q))); err != nil {
			t.Fatal(err)
		}
		p := &searchPage{t: t, ctx: nctx, base: base, dest: dir}
		status, got := p.wait(q)
		p.check(search.Query{Text: q}, status, got)
		p.onScreenSnippets()
		once := fetched()
		cancel()
		// Typed key by key, in a fresh tab: as fast as the browser takes
		// keys, then as a person types (150 ms a key); then the pause that
		// brings the snippets.
		var typed [2]string
		for n, pause := range []time.Duration{0, 150 * time.Millisecond} {
			nctx, cancel = chromedp.NewContext(ctx)
			if err := chromedp.Do(nctx, chromedp.Navigate(base+"/tim-kiem/"), chromedp.WaitVisible(chromedp.ID("tk-q"))); err != nil {
				t.Fatal(err)
			}
			count.reset()
			p = &searchPage{t: t, ctx: nctx, base: base, dest: dir}
			var st string
			var res []shownResult
			if pause == 0 {
				st, res = p.typeQuery(q)
			} else {
				// A key every 150 ms from the first, however long the
				// browser takes to take one; the longest gap is logged, as
				// a pause past the script's makes it fetch snippets.
				start, last, gap := time.Now(), time.Time{}, time.Duration(0)
				for i, r := range []rune(q) {
					time.Sleep(time.Until(start.Add(time.Duration(i) * pause)))
					if i > 0 {
						gap = max(gap, time.Since(last))
					}
					last = time.Now()
					if err := chromedp.Do(nctx, chromedp.SendKeys(chromedp.ID("tk-q"), string(r))); err != nil {
						t.Fatal(err)
					}
				}
				st, res = p.wait(q)
				typed[n] = fmt.Sprintf("; longest gap between keys %d ms", gap.Milliseconds())
			}
			p.check(search.Query{Text: q}, st, res)
			p.onScreenSnippets()
			typed[n] = fetched() + typed[n]
			if n == 0 {
				lat := measureLatency(t, nctx, []string{"hoi nghi", q})
				typed[n] += fmt.Sprintf("; last key to [count, results] %v ms", lat)
			}
			cancel()
		}
		t.Logf("%-42q %-24s\n\tat once: %s\n\ttyped:   %s\n\ttyped 150 ms a key: %s",
			q, countRE.FindString(status), once, typed[0], typed[1])
		if len(got) == 0 && total(status) {
			t.Errorf("%q: %s, and no result shown", q, status)
		}
	}
	pf := os.Getenv("CONGXA_PAGEFIND_SITE")
	if pf == "" {
		return
	}
	pfBase, pfCount := serveCounting(t, pf)
	for _, q := range queries {
		nctx, cancel := chromedp.NewContext(ctx)
		if err := chromedp.Do(nctx, chromedp.Navigate(pfBase+"/")); err != nil {
			t.Fatal(err)
		}
		pfCount.reset()
		qJS, _ := json.Marshal(q)
		n, err := chromedp.Run(nctx, chromedp.Evaluate[int](fmt.Sprintf(`(async () => {
			const pf = await import('/pagefind/pagefind.js');
			const s = await pf.search(%s);
			await Promise.all(s.results.slice(0, 10).map(r => r.data()));
			return s.results.length;
		})()`, qJS), func(p *runtime.EvaluateParams) { p.AwaitPromise = new(true) }))
		if err != nil {
			t.Fatal(err)
		}
		files, bytes := pfCount.sum("/pagefind/")
		var scripts int64
		pfCount.mu.Lock()
		for p, n := range pfCount.files {
			if strings.HasSuffix(p, ".js") {
				scripts += n
			}
		}
		pfCount.mu.Unlock()
		t.Logf("pagefind %-42q %5d results, %2d files %6.1f KB, of which %.1f KB of scripts (as sent, without the server's gzip)", q, n, files, float64(bytes)/1024, float64(scripts)/1024)
		cancel()
	}
}
