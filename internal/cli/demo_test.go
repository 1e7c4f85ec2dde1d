package cli

import (
	"bytes"
	"context"
	"encoding/xml"
	"flag"
	"html"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

var updateGolden = flag.Bool("update-golden", false, "rewrite testdata/golden from the demo build")

const seedPost = "tin-tuc/xa-bac-an-xep-thu-5-toan-thanh-pho-ve-chi-so-cai-cach-hanh-chinh-nam-2021/index.html"

// buildDemo builds the repository's demo portal, as the README's first
// command does.
func buildDemo(t *testing.T, extra ...string) string {
	t.Helper()
	dest := filepath.Join(t.TempDir(), "public")
	var stdout, stderr bytes.Buffer
	args := append([]string{"build", "--source", "../..", "--dest", dest}, extra...)
	if code := Main(context.Background(), args, &stdout, &stderr); code != 0 {
		t.Fatalf("demo build exit %d:\n%s", code, stderr.String())
	}
	if stderr.Len() > 0 {
		t.Errorf("the demo builds with diagnostics:\n%s", stderr.String())
	}
	return dest
}

var (
	tagRE   = regexp.MustCompile(`<[^>]*>`)
	spaceRE = regexp.MustCompile(`\s+`)
)

// text is what a visitor reads: the page without tags, spaces folded.
func text(t *testing.T, dest, page string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dest, page))
	if err != nil {
		t.Fatal(err)
	}
	s := tagRE.ReplaceAllString(string(b), " ")
	s = html.UnescapeString(s)
	s = spaceRE.ReplaceAllString(s, " ")
	s = strings.ReplaceAll(s, " )", ")")
	s = strings.ReplaceAll(s, "( ", "(")
	return s
}

// TestDemoReproducesSeed checks that the demo shows the seed page's
// content and figures (../shared/seed/bac-an-portal-page.txt).
func TestDemoReproducesSeed(t *testing.T) {
	dest := buildDemo(t)
	seedBox := []string{
		"Kết quả giải quyết TTHC",
		"Đến tháng 12 đã giải quyết: 99.9%",
		"Số hồ sơ xử lý: 1035",
		"Trước & đúng hạn: 1034",
		"Trễ hạn: 1",
		"Tỉ lệ trễ hạn: 0.1%",
		"Chi tiết",
		"(Cập nhật lúc: 02/12/2023 22:14:02)",
		"Đang truy cập: 1",
		"Hôm nay: 4",
		"Tất cả: 292,959",
		"TRANG THÔNG TIN ĐIỆN TỬ XÃ BẮC AN - THÀNH PHỐ CHÍ LINH",
		"Trưởng Ban Biên tập: Chủ tịch UBND xã Dương Đức Giang",
		"Địa chỉ: UBND xã Bắc An, thành phố Chí Linh, tỉnh Hải Dương",
		"Điện thoại: 0984327946",
		"Email: ducgiang244@gmail.com",
	}
	for _, page := range []string{"index.html", seedPost, "tthc/index.html", "gioi-thieu/index.html", "chuyen-muc/cai-cach-hanh-chinh/index.html"} {
		got := text(t, dest, page)
		for _, want := range seedBox {
			if !strings.Contains(got, want) {
				t.Errorf("%s does not show %q", page, want)
			}
		}
	}
	post := text(t, dest, seedPost)
	for _, want := range []string{"CẢI CÁCH HÀNH CHÍNH", "Xã Bắc An: Xếp thứ 5 toàn thành phố về chỉ số cải cách hành chính năm 2021", "28/03/2022 08:53:45"} {
		if !strings.Contains(post, want) {
			t.Errorf("the seed post does not show %q", want)
		}
	}
	// The post's text is the seed's, paragraph by paragraph.
	src, err := os.ReadFile("../../content/tin-tuc/xa-bac-an-xep-thu-5-toan-thanh-pho-ve-chi-so-cai-cach-hanh-chinh-nam-2021.md")
	if err != nil {
		t.Fatal(err)
	}
	body := strings.SplitN(string(src), "---\n", 3)[2]
	n := 0
	for _, para := range strings.Split(strings.TrimSpace(body), "\n\n") {
		if !strings.Contains(post, spaceRE.ReplaceAllString(para, " ")) {
			t.Errorf("the seed post lacks the paragraph %q", para)
		}
		n++
	}
	if n != 5 {
		t.Errorf("the seed post has %d paragraphs, the seed 5", n)
	}
	home, _ := os.ReadFile(filepath.Join(dest, "index.html"))
	for _, want := range []string{`href="tel:0984327946"`, `href="mailto:ducgiang244@gmail.com"`, `<html lang="vi">`, `href="/tthc/"`} {
		if !bytes.Contains(home, []byte(want)) {
			t.Errorf("home page lacks %s", want)
		}
	}
}

// TestDemoLists checks that every list of the demo paginates and that the
// demo spans the categories and years it should.
func TestDemoLists(t *testing.T) {
	dest := buildDemo(t)
	lists := []string{"trang/2/index.html", "tin-tuc/trang/2/index.html"}
	cats, _ := filepath.Glob(filepath.Join(dest, "chuyen-muc", "*"))
	if len(cats) < 5 {
		t.Errorf("the demo has %d categories, want at least 5", len(cats))
	}
	for _, c := range cats {
		lists = append(lists, filepath.Join("chuyen-muc", filepath.Base(c), "trang/2/index.html"))
	}
	for _, l := range lists {
		if _, err := os.Stat(filepath.Join(dest, l)); err != nil {
			t.Errorf("list does not paginate: no %s", l)
		}
	}
	years := map[string]bool{}
	posts, _ := filepath.Glob("../../content/tin-tuc/*.md")
	for _, p := range posts {
		b, _ := os.ReadFile(p)
		if m := regexp.MustCompile(`date: "\d\d/\d\d/(\d{4})`).FindSubmatch(b); m != nil {
			years[string(m[1])] = true
		}
	}
	if len(posts) < 16 || len(years) < 3 {
		t.Errorf("the demo has %d posts over %d years, want at least 15 posts and 3 years", len(posts)-1, len(years))
	}
	if _, err := os.Stat(filepath.Join(dest, "gioi-thieu/index.html")); err != nil {
		t.Error("no Giới thiệu page")
	}
}

// TestSeedPostGolden compares the seed post's page with a golden copy, so
// that any change to what it shows is seen in review. Refresh with
// go test ./internal/cli -run Golden -update-golden.
func TestSeedPostGolden(t *testing.T) {
	dest := buildDemo(t)
	got, err := os.ReadFile(filepath.Join(dest, seedPost))
	if err != nil {
		t.Fatal(err)
	}
	got = []byte(hashRE.ReplaceAllString(string(got), ".HASH.$1"))
	golden := "testdata/golden/seed-post.html"
	if *updateGolden {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("the seed post's page differs from %s (refresh with -update-golden):\n%s", golden, firstDiff(string(got), string(want)))
	}
}

// TestDemoSubPath builds the demo for an address with a sub-path: every
// link must stay under it.
func TestDemoSubPath(t *testing.T) {
	dest := buildDemo(t, "--base-url", "https://example.gov.vn/xa-bac-an/")
	hrefRE := regexp.MustCompile(`(?:href|src|action|data-index|data-categories)="([^"]*)"`)
	pages, _ := filepath.Glob(filepath.Join(dest, "*", "*", "index.html"))
	top, _ := filepath.Glob(filepath.Join(dest, "*", "index.html"))
	pages = append(pages, top...)
	pages = append(pages, filepath.Join(dest, "index.html"), filepath.Join(dest, "404.html"))
	for _, p := range pages {
		b, _ := os.ReadFile(p)
		for _, m := range hrefRE.FindAllSubmatch(b, -1) {
			u := string(m[1])
			if strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "/xa-bac-an/") {
				t.Errorf("%s links to %s, outside the sub-path", p, u)
			}
		}
	}
}

// TestDemo404AndPrint checks the 404 page (absolute links only, so that it
// works at any depth; a search form; left out of the sitemap) and that a
// post prints with the site's name and its address.
func TestDemo404AndPrint(t *testing.T) {
	dest := buildDemo(t, "--base-url", "https://example.gov.vn/xa-bac-an/")
	nf := text(t, dest, "404.html")
	if !strings.Contains(nf, "Không tìm thấy trang") {
		t.Errorf("404 page: %s", nf)
	}
	raw, _ := os.ReadFile(filepath.Join(dest, "404.html"))
	for _, m := range regexp.MustCompile(`(?:href|src|action)="([^"]*)"`).FindAllSubmatch(raw, -1) {
		if u := string(m[1]); !strings.HasPrefix(u, "/xa-bac-an/") && !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "#") && !strings.HasPrefix(u, "tel:") && !strings.HasPrefix(u, "mailto:") {
			t.Errorf("404 page links to %q, which depends on where it is served", u)
		}
	}
	if !bytes.Contains(raw, []byte(`action="/xa-bac-an/tim-kiem/" method="get" role="search"`)) {
		t.Error("404 page has no search form")
	}
	sm, _ := os.ReadFile(filepath.Join(dest, "sitemap.xml"))
	if bytes.Contains(sm, []byte("404")) {
		t.Error("the 404 page is in the sitemap")
	}
	post, _ := os.ReadFile(filepath.Join(dest, seedPost))
	for _, want := range []string{`class="print-link"`, `In bài viết`, `<p class="print-only">Trang thông tin điện tử xã Bắc An - Thành phố Chí Linh — https://example.gov.vn/xa-bac-an/tin-tuc/`} {
		if !bytes.Contains(post, []byte(want)) {
			t.Errorf("the seed post lacks %s", want)
		}
	}
}

// TestDeterministic builds the demo twice: the outputs are byte-identical.
func TestDeterministic(t *testing.T) {
	a, b := buildDemo(t), buildDemo(t)
	fa, fb := listFiles(t, a), listFiles(t, b)
	if strings.Join(fa, "\n") != strings.Join(fb, "\n") {
		t.Fatal("two builds give different files")
	}
	for _, f := range fa {
		x, _ := os.ReadFile(filepath.Join(a, f))
		y, _ := os.ReadFile(filepath.Join(b, f))
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two builds", f)
		}
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return "line " + strconv.Itoa(i+1) + ":\n  got:  " + x + "\n  want: " + y
		}
	}
	return ""
}

// TestDemoFeedsAndSitemap checks the RSS 2.0 feeds and the sitemap of the
// demo: required elements, dates that parse, absolute URLs of pages that
// exist, and the links to them from the pages' head.
func TestDemoFeedsAndSitemap(t *testing.T) {
	dest := buildDemo(t)
	const base = "https://bacan.chilinh.haiduong.gov.vn/"
	exists := func(u string) bool {
		rel, ok := strings.CutPrefix(u, base)
		if !ok {
			return false
		}
		if rel == "" || strings.HasSuffix(rel, "/") {
			rel += "index.html"
		}
		_, err := os.Stat(filepath.Join(dest, filepath.FromSlash(rel)))
		return err == nil
	}
	feeds, _ := filepath.Glob(filepath.Join(dest, "chuyen-muc", "*", "rss.xml"))
	feeds = append(feeds, filepath.Join(dest, "rss.xml"))
	if len(feeds) < 6 {
		t.Fatalf("%d feeds", len(feeds))
	}
	for _, f := range feeds {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			XMLName xml.Name
			Version string `xml:"version,attr"`
			Channel struct {
				Title string `xml:"title"`
				// <link> and <atom:link> share a local name.
				Links       []string `xml:"link"`
				Description string   `xml:"description"`
				Items       []struct {
					Title       string `xml:"title"`
					Link        string `xml:"link"`
					PubDate     string `xml:"pubDate"`
					Description string `xml:"description"`
					Category    string `xml:"category"`
					GUID        string `xml:"guid"`
				} `xml:"item"`
			} `xml:"channel"`
		}
		if err := xml.Unmarshal(data, &doc); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		c := doc.Channel
		if doc.XMLName.Local != "rss" || doc.Version != "2.0" || c.Title == "" || c.Description == "" || len(c.Links) == 0 || !exists(c.Links[0]) {
			t.Errorf("%s: channel %q %q %q", f, doc.XMLName.Local, c.Title, c.Links)
		}
		if len(c.Items) == 0 || len(c.Items) > 20 {
			t.Errorf("%s: %d items", f, len(c.Items))
		}
		for _, it := range c.Items {
			if _, err := time.Parse(time.RFC1123Z, it.PubDate); err != nil || !strings.HasSuffix(it.PubDate, "+0700") {
				t.Errorf("%s: pubDate %q: %v", f, it.PubDate, err)
			}
			if it.Title == "" || it.Description == "" || it.GUID != it.Link || !exists(it.Link) {
				t.Errorf("%s: item %+v", f, it)
			}
		}
	}
	home, _ := os.ReadFile(filepath.Join(dest, "index.html"))
	if !bytes.Contains(home, []byte(`<link rel="alternate" type="application/rss+xml" title="Trang thông tin điện tử xã Bắc An - Thành phố Chí Linh" href="/rss.xml">`)) {
		t.Error("the home page does not link the feed")
	}

	var sm struct {
		URLs []struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod"`
		} `xml:"url"`
	}
	data, _ := os.ReadFile(filepath.Join(dest, "sitemap.xml"))
	if err := xml.Unmarshal(data, &sm); err != nil {
		t.Fatal(err)
	}
	// Every page but the redirects of aliases, which must lead to a page.
	pages, aliases := 0, 0
	refreshRE := regexp.MustCompile(`<meta http-equiv="refresh" content="0; url=([^"]+)">`)
	_ = filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return nil
		}
		data, _ := os.ReadFile(p)
		if m := refreshRE.FindSubmatch(data); m != nil {
			aliases++
			if !exists(strings.TrimSuffix(base, "/") + string(m[1])) {
				t.Errorf("%s sends visitors to %s, which is not built", p, m[1])
			}
		} else if d.Name() == "index.html" {
			pages++
		}
		return nil
	})
	if aliases != 3 {
		t.Errorf("%d alias pages, want the demo's 3", aliases)
	}
	if len(sm.URLs) != pages {
		t.Errorf("sitemap has %d URLs, the site %d pages", len(sm.URLs), pages)
	}
	for _, u := range sm.URLs {
		if !exists(u.Loc) {
			t.Errorf("sitemap names %s, which is not built", u.Loc)
		}
		if u.LastMod != "" {
			if _, err := time.Parse(time.RFC3339, u.LastMod); err != nil {
				t.Errorf("lastmod %q", u.LastMod)
			}
		}
	}
	robots, _ := os.ReadFile(filepath.Join(dest, "robots.txt"))
	if !strings.Contains(string(robots), "Sitemap: "+base+"sitemap.xml\n") {
		t.Errorf("robots.txt: %s", robots)
	}
}
