package markdown

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/congxa/congxa/internal/testsite"
)

// resolver maps destinations from a table and records every call.
type resolver struct {
	mu    sync.Mutex
	urls  map[string]string
	calls []string
}

func (r *resolver) Resolve(dest string) (string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, dest)
	u, ok := r.urls[dest]
	return u, ok
}

func convert(t *testing.T, src string, r Resolver) Result {
	t.Helper()
	res, err := New().Convert([]byte(src), r)
	if err != nil {
		t.Fatalf("Convert(%q): %v", src, err)
	}
	return res
}

func TestHeadingIDs(t *testing.T) {
	tests := []struct {
		src  string
		want []string // the id attributes, in order
	}{
		{"## Kết quả năm 2021\n", []string{"ket-qua-nam-2021"}},
		{"## Đảng ủy\n", []string{"dang-uy"}},
		{"# Đảng ủy xã Đồng Tâm\n", []string{"dang-uy-xa-dong-tam"}},
		{"## Kết quả năm 2021\n\n## Kết quả năm 2021\n\n### Kết quả năm 2021\n", []string{"ket-qua-nam-2021", "ket-qua-nam-2021-1", "ket-qua-nam-2021-2"}},
		{"## KẾT QUẢ\n\n## kết quả\n", []string{"ket-qua", "ket-qua-1"}},
		{"Setext Đảng ủy\n---\n", []string{"setext-dang-uy"}},
		{"## !!!\n\n## ???\n", []string{"muc", "muc-1"}},                      // no letter: a fallback, still unique
		{"## Mục 1\n\n## Mục\n\n## Mục\n", []string{"muc-1", "muc", "muc-2"}}, // a generated suffix never repeats a written one
		{"## Ưu tiên, ước lượng!\n", []string{"uu-tien-uoc-luong"}},
	}
	for _, tt := range tests {
		html := string(convert(t, tt.src, nil).HTML)
		var got []string
		for rest := html; ; {
			i := strings.Index(rest, ` id="`)
			if i < 0 {
				break
			}
			rest = rest[i+5:]
			got = append(got, rest[:strings.IndexByte(rest, '"')])
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%q: ids %q, want %q\n%s", tt.src, got, tt.want, html)
		}
	}
}

// IDs are unique within a document, not across the documents converted by
// one shared Converter.
func TestHeadingIDsPerDocument(t *testing.T) {
	c := New()
	for i := 0; i < 3; i++ {
		res, err := c.Convert([]byte("## Đảng ủy\n"), nil)
		if err != nil {
			t.Fatal(err)
		}
		if want := `<h2 id="dang-uy">Đảng ủy</h2>` + "\n"; string(res.HTML) != want {
			t.Errorf("conversion %d: %q, want %q", i, res.HTML, want)
		}
	}
}

func TestTableWrapped(t *testing.T) {
	src := "Bảng:\n\n| Lĩnh vực | Số hồ sơ |\n|---|--:|\n| Hộ tịch | 412 |\n\nSau bảng.\n"
	got := string(convert(t, src, nil).HTML)
	want := `<p>Bảng:</p>
<div class="table-wrap" tabindex="0" role="region" aria-label="Bảng số liệu">
<table>
<thead>
<tr>
<th>Lĩnh vực</th>
<th style="text-align:right">Số hồ sơ</th>
</tr>
</thead>
<tbody>
<tr>
<td>Hộ tịch</td>
<td style="text-align:right">412</td>
</tr>
</tbody>
</table>
</div>
<p>Sau bảng.</p>
`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestEveryTableWrapped(t *testing.T) {
	src := "| a |\n|---|\n| 1 |\n\n> | b |\n> |---|\n> | 2 |\n\n- | c |\n  |---|\n  | 3 |\n"
	got := string(convert(t, src, nil).HTML)
	wrap := `<div class="table-wrap" tabindex="0" role="region" aria-label="Bảng số liệu">` + "\n<table>"
	if n := strings.Count(got, wrap); n != 3 {
		t.Errorf("%d wrapped tables, want 3:\n%s", n, got)
	}
	if strings.Count(got, "<table>") != 3 || strings.Count(got, "</table>\n</div>") != 3 {
		t.Errorf("tables not closed inside their wrap:\n%s", got)
	}
}

func TestGFM(t *testing.T) {
	tests := []struct{ src, want string }{
		{"~~bãi bỏ~~ thủ tục", "<p><del>bãi bỏ</del> thủ tục</p>\n"},
		{"Xem https://dichvucong.gov.vn ngay", `<p>Xem <a href="https://dichvucong.gov.vn">https://dichvucong.gov.vn</a> ngay</p>` + "\n"},
		{"Cổng www.bacan.gov.vn", `<p>Cổng <a href="http://www.bacan.gov.vn">www.bacan.gov.vn</a></p>` + "\n"},
		{"Thư: vanthu@bacan.gov.vn", `<p>Thư: <a href="mailto:vanthu@bacan.gov.vn">vanthu@bacan.gov.vn</a></p>` + "\n"},
		{"- [x] xong\n- [ ] chưa\n", "<ul>\n<li><input checked=\"\" disabled=\"\" type=\"checkbox\"> xong</li>\n<li><input disabled=\"\" type=\"checkbox\"> chưa</li>\n</ul>\n"},
	}
	for _, tt := range tests {
		if got := string(convert(t, tt.src, nil).HTML); got != tt.want {
			t.Errorf("%q:\n got %q\nwant %q", tt.src, got, tt.want)
		}
	}
}

func TestRawHTMLNotRendered(t *testing.T) {
	tests := []struct {
		src     string
		forbid  []string
		present []string
	}{
		{"<script>alert(1)</script>\n", []string{"<script", "alert(1)"}, nil},
		{"Xin <script>alert(1)</script> chào\n", []string{"<script", "</script"}, []string{"Xin", "chào"}},
		{"<div onclick=\"x()\">khối</div>\n", []string{"<div", "onclick"}, nil},
		{"a <img src=x onerror=alert(1)> b\n", []string{"<img", "onerror"}, []string{"a ", " b"}},
		{"<iframe src=\"https://x\"></iframe>\n", []string{"<iframe"}, nil},
		{"[x](javascript:alert(1))\n", []string{"javascript:", "<a"}, []string{"<p>x</p>"}},
		{"[x](JaVaScRiPt:alert(1))\n", []string{"alert(1)"}, nil},
	}
	for _, tt := range tests {
		r := &resolver{}
		got := string(convert(t, tt.src, r).HTML)
		for _, f := range tt.forbid {
			if strings.Contains(strings.ToLower(got), strings.ToLower(f)) {
				t.Errorf("%q rendered %q:\n%s", tt.src, f, got)
			}
		}
		for _, p := range tt.present {
			if !strings.Contains(got, p) {
				t.Errorf("%q lost %q:\n%s", tt.src, p, got)
			}
		}
		if len(r.calls) != 0 {
			t.Errorf("%q: resolver called with %q", tt.src, r.calls)
		}
	}
}

func TestResolverOnlyForRelative(t *testing.T) {
	src := `[a](https://dichvucong.gov.vn/p/home) [b](http://x.vn) [c](mailto:vanthu@bacan.gov.vn)
[d](tel:+842033123456) [e](/tin-tuc/) [f](#ket-qua) [g](?trang=2) [h](//cdn.example.vn/x.js)
[i](hop-dan.jpg) ![j](anh/hop-dan.jpg) [k](../tai-lieu/x.pdf) [l](bai-khac.md#muc) [m](thieu.md)
[n](a/b:c.md) ![o](https://x.vn/a.png)
`
	r := &resolver{urls: map[string]string{
		"hop-dan.jpg":       "/tin-tuc/hop-dan.jpg",
		"anh/hop-dan.jpg":   "/tin-tuc/anh/hop-dan.jpg",
		"../tai-lieu/x.pdf": "/xa-bac-an/tai-lieu/x.pdf",
		"bai-khac.md#muc":   "/xa-bac-an/tin-tuc/bai-khac/#muc",
		"a/b:c.md":          "/tin-tuc/a/b-c/",
	}}
	res := convert(t, src, r)
	wantCalls := []string{"hop-dan.jpg", "anh/hop-dan.jpg", "../tai-lieu/x.pdf", "bai-khac.md#muc", "thieu.md", "a/b:c.md"}
	if fmt.Sprint(r.calls) != fmt.Sprint(wantCalls) {
		t.Errorf("resolver called with %q, want %q", r.calls, wantCalls)
	}
	html := string(res.HTML)
	for _, want := range []string{
		`<a href="https://dichvucong.gov.vn/p/home">a</a>`,
		`<a href="http://x.vn">b</a>`,
		`<a href="mailto:vanthu@bacan.gov.vn">c</a>`,
		`<a href="tel:+842033123456">d</a>`,
		`<a href="/tin-tuc/">e</a>`,
		`<a href="#ket-qua">f</a>`,
		`<a href="?trang=2">g</a>`,
		`<a href="//cdn.example.vn/x.js">h</a>`,
		`<a href="/tin-tuc/hop-dan.jpg">i</a>`,
		`<img src="/tin-tuc/anh/hop-dan.jpg" alt="j">`,
		`<a href="/xa-bac-an/tai-lieu/x.pdf">k</a>`,
		`<a href="/xa-bac-an/tin-tuc/bai-khac/#muc">l</a>`,
		`<a href="thieu.md">m</a>`, // unresolved: kept as written
		`<a href="/tin-tuc/a/b-c/">n</a>`,
		`<img src="https://x.vn/a.png" alt="o">`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("missing %s in:\n%s", want, html)
		}
	}
	var got []string
	for _, l := range res.Links {
		got = append(got, fmt.Sprintf("%s resolved=%v image=%v", l.Dest, l.Resolved, l.Image))
	}
	want := []string{
		"hop-dan.jpg resolved=true image=false",
		"anh/hop-dan.jpg resolved=true image=true",
		"../tai-lieu/x.pdf resolved=true image=false",
		"bai-khac.md#muc resolved=true image=false",
		"thieu.md resolved=false image=false",
		"a/b:c.md resolved=true image=false",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Links:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestNilResolverKeepsLinks(t *testing.T) {
	res := convert(t, "[a](x.md) ![b](y.png)\n", nil)
	if want := `<p><a href="x.md">a</a> <img src="y.png" alt="b"></p>` + "\n"; string(res.HTML) != want {
		t.Errorf("HTML %q, want %q", res.HTML, want)
	}
	if len(res.Links) != 2 || res.Links[0].Resolved || res.Links[1].Resolved {
		t.Errorf("Links = %+v, want two unresolved", res.Links)
	}
}

func TestLinkPositions(t *testing.T) {
	tests := []struct {
		name      string
		src       string
		dest      string
		line, col int
	}{
		{"at line start", "[a](x.md)\n", "x.md", 1, 1},
		{"after Vietnamese text", "Xem [ảnh](x.md)\n", "x.md", 1, 5},
		{"image after Vietnamese text", "Xem [ảnh](y.md) và ![Ảnh họp dân](x.png)\n", "x.png", 1, 20},
		{"second line of a paragraph", "Đảng ủy xã\nĐồng Tâm [họp](x.md)\n", "x.md", 2, 10},
		{"after a heading", "# Tiêu đề\n\nĐoạn [a](x.md)\n", "x.md", 3, 6},
		{"indented continuation line", "Đoạn\n   [a](x.md)\n", "x.md", 2, 4},
		{"in a list item", "- mục một\n- [Đảng ủy](x.md)\n", "x.md", 2, 3},
		{"in a block quote", "> [q](x.md)\n", "x.md", 1, 3},
		{"in a table cell", "| Tên | Tệp |\n|---|---|\n| Hộ tịch | [tải](x.pdf) |\n", "x.pdf", 3, 13},
		{"reference link", "Xem [tài liệu]\n\n[tài liệu]: x.pdf\n", "x.pdf", 1, 5},
		{"link text with a leading space", "[ a](x.md)\n", "x.md", 1, 1},
		{"after a CRLF line", "dòng một\r\nvà [a](x.md)\r\n", "x.md", 2, 4},
		{"strong link text", "Xem [**đậm**](x.md)\n", "x.md", 1, 5},
		{"emphasised link text", "Xem [*nghiêng*](x.md)\n", "x.md", 1, 5},
		{"code link text", "Xem [`mã`](x.md)\n", "x.md", 1, 5},
		{"image inside a link", "Xem [![logo](logo.png)](x.md)\n", "x.md", 1, 5},
		{"the image inside it", "Xem [![logo](x.png)](trang.md)\n", "x.png", 1, 6},
		{"image without alt after text", "Ảnh họp dân: ![](x.png)\n", "x.png", 1, 14},
		{"link without text after text", "Xem thêm [](x.md)\n", "x.md", 1, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := convert(t, tt.src, &resolver{})
			for _, l := range res.Links {
				if l.Dest != tt.dest {
					continue
				}
				if l.Line != tt.line || l.Col != tt.col {
					t.Errorf("%q: %s at %d:%d, want %d:%d", tt.src, l.Dest, l.Line, l.Col, tt.line, tt.col)
				}
				return
			}
			t.Errorf("%q: no link to %s in %+v", tt.src, tt.dest, res.Links)
		})
	}
}

func TestImageAlt(t *testing.T) {
	src := "![Ảnh họp dân](a.png) ![](b.png) ![   ](c.png) ![**đậm**](d.png) [chữ](e.md) ![`x`](f.png)\n"
	res := convert(t, src, nil)
	want := map[string][2]bool{ // image, has alt
		"a.png": {true, true},
		"b.png": {true, false},
		"c.png": {true, false},
		"d.png": {true, true},
		"e.md":  {false, false},
		"f.png": {true, true},
	}
	if len(res.Links) != len(want) {
		t.Fatalf("Links = %+v", res.Links)
	}
	for _, l := range res.Links {
		w := want[l.Dest]
		if l.Image != w[0] || l.HasAlt != w[1] {
			t.Errorf("%s: Image=%v HasAlt=%v, want %v %v", l.Dest, l.Image, l.HasAlt, w[0], w[1])
		}
	}
}

func TestSummary(t *testing.T) {
	long := strings.Repeat("Cải cách hành chính ", 20) // 400 characters
	tests := []struct {
		name, src, want string
	}{
		{"first paragraph", "Đoạn một.\n\nĐoạn hai.\n", "Đoạn một."},
		{"markup removed, text kept", "Đây là *nhấn mạnh*, **đậm**, ~~gạch~~ và `mã` với [liên kết](x.md).\n", "Đây là nhấn mạnh, đậm, gạch và mã với liên kết."},
		{"soft line breaks are spaces", "Dòng một\nDòng hai\nDòng ba\n", "Dòng một Dòng hai Dòng ba"},
		{"hard line breaks are spaces", "Dòng một  \nDòng hai\\\nDòng ba\n", "Dòng một Dòng hai Dòng ba"},
		{"white space collapsed", "  Nhiều    khoảng\t trắng  \n", "Nhiều khoảng trắng"},
		{"headings and lists skipped", "# Tiêu đề\n\n- mục\n\n> trích\n\nĐoạn đầu.\n", "Đoạn đầu."},
		{"raw HTML left out", "Xin <b>chào</b> bà con<br>\n", "Xin chào bà con"},
		{"autolink text kept", "Xem https://bacan.gov.vn nhé\n", "Xem https://bacan.gov.vn nhé"},
		{"no paragraph", "# Chỉ tiêu đề\n\n| a |\n|---|\n| 1 |\n", ""},
		{"empty", "", ""},
		{"long paragraph cut", long, Truncate(strings.TrimSpace(long), SummaryLength)},
	}
	for _, tt := range tests {
		if got := convert(t, tt.src, nil).Summary; got != tt.want {
			t.Errorf("%s: Summary = %q, want %q", tt.name, got, tt.want)
		}
	}
	if got := convert(t, long, nil).Summary; utf8.RuneCountInString(got) > SummaryLength+1 || !strings.HasSuffix(got, "…") {
		t.Errorf("long summary %q (%d characters)", got, utf8.RuneCountInString(got))
	}
}

// The summary is plain text, shown through html/template, which escapes it:
// entities and backslash escapes must already be what the reader sees.
func TestSummaryUnescapes(t *testing.T) {
	tests := []struct{ src, want string }{
		{"Hỏi &amp; đáp\n", "Hỏi & đáp"},
		{"&copy; 2023 UBND xã\n", "© 2023 UBND xã"},
		{"Giá 5\\*2 \\[x\\]\n", "Giá 5*2 [x]"},
		{"Số &#273;iện\n", "Số điện"},
	}
	for _, tt := range tests {
		if got := convert(t, tt.src, nil).Summary; got != tt.want {
			t.Errorf("%q: Summary = %q, want %q", tt.src, got, tt.want)
		}
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		s    string
		max  int
		want string
	}{
		{"", 5, ""},
		{"Đảng ủy", 7, "Đảng ủy"},                  // fits: unchanged, no "…"
		{"Đảng ủy", 100, "Đảng ủy"},                // fits
		{"Đảng ủy xã Đồng Tâm", 11, "Đảng ủy xã…"}, // the space after "xã" is the 11th character
		{"Đảng ủy xã Đồng Tâm", 12, "Đảng ủy xã…"},
		{"Đảng ủy xã Đồng Tâm", 9, "Đảng ủy…"},
		{"Đảng ủy xã Đồng Tâm", 5, "Đảng…"},
		{"Thông báo, lịch họp", 12, "Thông báo…"}, // punctuation before the cut dropped
		{"Kết quả: tốt - rất tốt", 11, "Kết quả…"},
		{"Chủtịchủybannhândân", 5, "Chủtị…"}, // one long word: cut inside it
		{"abc", 0, "…"},
	}
	for _, tt := range tests {
		got := Truncate(tt.s, tt.max)
		if got != tt.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", tt.s, tt.max, got, tt.want)
		}
	}
}

// A word that ends exactly at max is kept: the space after it is a word
// boundary like any other.
func TestTruncateKeepsWordEndingAtMax(t *testing.T) {
	tests := []struct {
		s    string
		max  int
		want string
	}{
		{"Đảng ủy xã Đồng Tâm", 7, "Đảng ủy…"},
		{"Đảng ủy xã Đồng Tâm", 10, "Đảng ủy xã…"},
		{"aaa bbb ccc", 7, "aaa bbb…"},
	}
	for _, tt := range tests {
		if got := Truncate(tt.s, tt.max); got != tt.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", tt.s, tt.max, got, tt.want)
		}
	}
}

func TestTruncateProperties(t *testing.T) {
	texts := []string{
		"Xã Bắc An: Xếp thứ 5 toàn thành phố về chỉ số cải cách hành chính năm 2021",
		"Ngày 15/3/2022 UBND thành phố Công bố chỉ số Cải cách hành chính (CCHC) cấp xã năm 2021",
		"Mộttừrấtdàikhôngcókhoảngtrắng và tiếp",
		" khởi đầu bằng khoảng trắng",
	}
	for _, s := range texts {
		n := utf8.RuneCountInString(s)
		for max := 1; max <= n+1; max++ {
			got := Truncate(s, max)
			if n <= max {
				if got != s {
					t.Errorf("Truncate(%q, %d) = %q, want it unchanged", s, max, got)
				}
				continue
			}
			if c := utf8.RuneCountInString(got); c > max+1 {
				t.Errorf("Truncate(%q, %d) = %q: %d characters", s, max, got, c)
			}
			body, ok := strings.CutSuffix(got, "…")
			if !ok || !strings.HasPrefix(s, body) || !utf8.ValidString(got) {
				t.Errorf("Truncate(%q, %d) = %q: not a prefix and …", s, max, got)
				continue
			}
			// Cut at a word boundary when the first max characters hold
			// one after the start.
			boundary := false
			for i, r := range []rune(s)[:max] {
				boundary = boundary || (i > 0 && unicode.IsSpace(r))
			}
			next, _ := utf8.DecodeRuneInString(s[len(body):])
			if boundary && !unicode.IsSpace(next) && !strings.ContainsRune(",;:-–—", next) {
				t.Errorf("Truncate(%q, %d) = %q: cut inside a word", s, max, got)
			}
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	c := New()
	src := []byte("## Kết quả\n\n## Kết quả\n\n| a |\n|---|\n| [x](x.md) |\n\nĐoạn *một*.\n")
	first, err := c.Convert(src, &resolver{urls: map[string]string{"x.md": "/x/"}})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 16)
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 20; j++ {
				res, err := c.Convert(src, &resolver{urls: map[string]string{"x.md": "/x/"}})
				if err != nil || string(res.HTML) != string(first.HTML) || res.Summary != first.Summary || fmt.Sprint(res.Links) != fmt.Sprint(first.Links) {
					errs <- fmt.Sprintf("%s %v", res.HTML, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("concurrent conversion differs:\n%s\nwant:\n%s", e, first.HTML)
	}
}

func FuzzConvert(f *testing.F) {
	for _, s := range []string{
		"", "## Kết quả năm 2021\n\nĐoạn *một* [a](x.md) ![b](y.png)\n",
		"| a | b |\n|---|---|\n| [x](x.md) | ![](i.png) |\n",
		"<script>alert(1)</script>\n", "[![logo](l.png)](t.md)", "[]()", "![](<>)", "[a]\n\n[a]: b.md",
		"- [ ] việc\n- [x] xong", "~~x~~ https://x.vn www.x.vn", "\r\n\r\n[a](b)\r\n", "> [q](q.md)\n>\n> - [r](r.md)",
		"Dòng một  \nDòng hai\\\n", "&amp; \\* `a` **b** _c_", strings.Repeat("chữ ", 100),
		"[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c]( java\tscript:x) ![d](vbscript:x)",
		"[a](&#106;avascript:alert(1)) [b](javascript&#58;alert(1)) [c](data:text/html,<script>x</script>)",
		"<a href=\"javascript:alert(1)\" onclick=\"x()\">a</a><img src=x onerror=alert(1)>",
		"<iframe src=\"https://www.youtube.com/embed/x\"></iframe><iframe src=\"javascript:alert(1)\"></iframe>",
		"<svg><script>alert(1)</script></svg><math><style>x</style></math>",
		"<scr<script>ipt>alert(1)</script>", "<!-- <script>x</script> -->", "<div style=\"background:url(javascript:x)\">a</div>",
		"[a]: javascript:alert(1)\n\n[x][a]", "<javascript:alert(1)>", "<form action=javascript:x><button formaction=javascript:y>",
	} {
		f.Add([]byte(s))
	}
	conv := map[string]*Converter{
		"safe":   New(),
		"unsafe": NewWithOptions(Options{UnsafeHTML: true, IframeHosts: []string{"www.youtube.com"}}),
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		for mode, c := range conv {
			res, err := c.Convert(src, &resolver{urls: map[string]string{"x.md": "/tin-tuc/x/"}})
			if err != nil {
				t.Fatal(err)
			}
			if problem := unsafeHTML(res.HTML, mode == "unsafe"); problem != "" {
				t.Fatalf("%s: %s in the HTML of %q:\n%s", mode, problem, src, res.HTML)
			}
			if !utf8.Valid(src) {
				continue
			}
			if !utf8.Valid(res.HTML) {
				t.Fatalf("%s: HTML is not UTF-8: %q", mode, res.HTML)
			}
			if !utf8.ValidString(res.Summary) {
				t.Fatalf("%s: Summary is not UTF-8: %q", mode, res.Summary)
			}
			if n := utf8.RuneCountInString(res.Summary); n > SummaryLength+1 {
				t.Fatalf("%s: Summary has %d characters", mode, n)
			}
			lines := strings.Count(string(src), "\n") + 1
			for _, l := range res.Links {
				if l.Line < 1 || l.Line > lines || l.Col < 1 {
					t.Fatalf("%s: link %+v outside the source (%d lines)", mode, l, lines)
				}
			}
		}
	})
}

// unsafeHTML says what in page could run script, read as a browser reads
// it, or "": a script, style, object or form element, an event handler, a
// style attribute, an address with a scheme other than http, https,
// mailto, tel or a data: picture, or an iframe unless allowed, and then
// only https from www.youtube.com. It does not use package safeurl, whose
// reading it checks.
func unsafeHTML(page []byte, iframes bool) string {
	if bytes.Contains(bytes.ToLower(page), []byte("<script")) {
		return "<script"
	}
	z := html.NewTokenizer(bytes.NewReader(page))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			switch tok.Data {
			case "input":
				// A task list's box: disabled, so it sends nothing.
				if typ, _ := attr(tok, "type"); typ != "checkbox" {
					return "element <input type=" + typ + ">"
				}
				if _, ok := attr(tok, "disabled"); !ok {
					return "element <input> not disabled"
				}
			case "script", "style", "object", "embed", "form", "button", "base", "meta", "link", "svg", "math", "frame", "frameset", "applet", "template", "textarea", "select":
				return "element <" + tok.Data + ">"
			case "iframe":
				if !iframes {
					return "element <iframe>"
				}
			}
			for _, a := range tok.Attr {
				key := strings.ToLower(a.Key)
				if strings.HasPrefix(key, "on") || key == "style" || key == "formaction" || key == "action" || key == "srcdoc" {
					return "attribute " + a.Key + "=" + a.Val
				}
				switch key {
				case "href", "src", "cite", "poster", "background", "xlink:href", "data", "srcset", "longdesc", "usemap", "dynsrc", "lowsrc":
				default:
					continue
				}
				// A browser drops spaces and control characters around an
				// address and tabs and line breaks inside it.
				u := strings.ToLower(strings.Map(func(r rune) rune {
					if r <= ' ' {
						return -1
					}
					return r
				}, a.Val))
				// A scheme is a letter, then letters, digits, "+", "-"
				// or ".", then ":"; anything else is a relative address.
				scheme := ""
				if i := strings.IndexAny(u, ":/?#"); i > 0 && u[i] == ':' && 'a' <= u[0] && u[0] <= 'z' &&
					strings.Trim(u[:i], "abcdefghijklmnopqrstuvwxyz0123456789+-.") == "" {
					scheme = u[:i]
				}
				switch {
				case scheme == "", scheme == "http", scheme == "https", scheme == "mailto", scheme == "tel":
				case scheme == "data" && tok.Data == "img" && key == "src" && !strings.HasPrefix(u, "data:image/svg"):
				default:
					return "address " + a.Key + "=" + a.Val
				}
				if tok.Data == "iframe" && key == "src" && !strings.HasPrefix(u, "https://www.youtube.com/") {
					return "iframe from " + a.Val
				}
			}
		}
	}
}

func attr(tok html.Token, key string) (string, bool) {
	for _, a := range tok.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func TestInspect(t *testing.T) {
	src := []byte("Mở đầu [trang](bai-khac.md#muc) và <https://dichvucong.gov.vn/>.\n\n## Kết quả năm 2021\n\n![](anh.jpg) ![ Họp dân ](https://example.gov.vn/a.png)\n\n#### Chi tiết\n\nTiêu đề setext\n--------------\n\n## Kết quả năm 2021\n")
	o := New().Inspect(src)
	wantH := []Heading{
		{Level: 2, ID: "ket-qua-nam-2021", Text: "Kết quả năm 2021", Line: 3, Col: 1},
		{Level: 4, ID: "chi-tiet", Text: "Chi tiết", Line: 7, Col: 1},
		{Level: 2, ID: "tieu-de-setext", Text: "Tiêu đề setext", Line: 9, Col: 1},
		{Level: 2, ID: "ket-qua-nam-2021-1", Text: "Kết quả năm 2021", Line: 12, Col: 1},
	}
	if !reflect.DeepEqual(o.Headings, wantH) {
		t.Errorf("headings:\n got %+v\nwant %+v", o.Headings, wantH)
	}
	wantR := []Ref{
		{Dest: "bai-khac.md#muc", Line: 1, Col: 8},
		{Dest: "https://dichvucong.gov.vn/", Line: 1, Col: 36},
		{Dest: "anh.jpg", Image: true, Line: 5, Col: 1},
		{Dest: "https://example.gov.vn/a.png", Image: true, Alt: "Họp dân", Line: 5, Col: 14},
	}
	if !reflect.DeepEqual(o.Refs, wantR) {
		t.Errorf("refs:\n got %+v\nwant %+v", o.Refs, wantR)
	}
}

// allocsFor counts the allocations of converting src once.
func allocsFor(src []byte) float64 {
	c := New()
	return testing.AllocsPerRun(1, func() {
		if _, err := c.Convert(src, nil); err != nil {
			panic(err)
		}
	})
}

// Many headings of the same text ("Ghi chú" in a long document) get their
// IDs in time linear in their number: each new one does not try again
// every suffix the earlier ones took. Allocations stand for time, which a
// shared test machine cannot measure.
func TestManySameHeadingsLinear(t *testing.T) {
	doc := func(n int) []byte { return []byte(strings.Repeat("## Ghi chú\n\nNội dung.\n\n", n)) }
	small, large := allocsFor(doc(500)), allocsFor(doc(2000))
	if ratio := large / small; ratio > 5 {
		t.Errorf("4 times the headings cost %.1f times the allocations (%.0f → %.0f): quadratic", ratio, small, large)
	}
	html := string(convert(t, string(doc(3)), nil).HTML)
	for _, id := range []string{`id="ghi-chu"`, `id="ghi-chu-1"`, `id="ghi-chu-2"`} {
		if !strings.Contains(html, id) {
			t.Errorf("no %s in\n%s", id, html)
		}
	}
}

// The usual script injections, as raw HTML and as Markdown, with raw HTML
// allowed: the sanitizer leaves nothing that runs.
var xssPayloads = []string{
	"<script>alert(1)</script>",
	"<SCRIPT SRC=https://xss.example/x.js></SCRIPT>",
	"<img src=x onerror=alert(1)>",
	"<img src=\"javascript:alert(1)\">",
	"<img src=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\">",
	"<svg onload=alert(1)><circle/></svg>",
	"<body onload=alert(1)>",
	"<a href=\"javascript:alert(1)\">a</a>",
	"<a href=\"  JaVaScRiPt:alert(1)\">a</a>",
	"<a href=\"java&#x09;script:alert(1)\">a</a>",
	"<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">a</a>",
	"<a href=\"vbscript:msgbox(1)\">a</a>",
	"<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">a</a>",
	"<div onclick=\"alert(1)\" onmouseover=alert(1)>khối</div>",
	"<div style=\"background:url(javascript:alert(1))\">khối</div>",
	"<style>body{background:url(javascript:alert(1))}</style>",
	"<iframe src=\"javascript:alert(1)\"></iframe>",
	"<iframe src=\"https://xss.example/\"></iframe>",
	"<iframe src=\"https://www.youtube.com.xss.example/embed/x\"></iframe>",
	"<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
	"<object data=\"https://xss.example/x.swf\"></object>",
	"<embed src=\"https://xss.example/x.swf\">",
	"<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
	"<base href=\"https://xss.example/\">",
	"<link rel=stylesheet href=\"https://xss.example/x.css\">",
	"<form action=\"https://xss.example/\"><input name=p></form>",
	"<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
	"<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
	"<!--congxa:sidebar--><!-- <script>alert(1)</script> -->",
	"<details open ontoggle=alert(1)>",
	"<input autofocus onfocus=alert(1)>",
	"[a](javascript:alert(1)) ![b](javascript:alert(1)) <javascript:alert(1)>",
	"[a](JAVASCRIPT:alert(1)) [b](java&#x09;script:alert(1)) [c](&#106;avascript:alert(1))",
	"[a](vbscript:msgbox(1)) [b](data:text/html;base64,PHNjcmlwdD4=) ![c](data:image/svg+xml;base64,PHN2Zz4=)",
	"[a](<javascript:alert(1)> \"t\") [b][r]\n\n[r]: javascript:alert(1)",
}

func TestXSSPayloads(t *testing.T) {
	for _, o := range []Options{{}, {UnsafeHTML: true}, {UnsafeHTML: true, IframeHosts: []string{"www.youtube.com"}}} {
		c := NewWithOptions(o)
		for _, p := range xssPayloads {
			for _, src := range []string{p + "\n", "Đoạn văn " + p + " tiếp.\n", "- " + p + "\n", "| a |\n|---|\n| " + p + " |\n"} {
				res, err := c.Convert([]byte(src), nil)
				if err != nil {
					t.Fatal(err)
				}
				if found := testsite.Scripts(res.HTML, o.IframeHosts...); len(found) > 0 {
					t.Errorf("%+v: %q gave %q:\n%s", o, src, found, res.HTML)
				}
			}
		}
	}
}

func TestUnsafeHTMLKeepsFormatting(t *testing.T) {
	c := NewWithOptions(Options{UnsafeHTML: true, IframeHosts: []string{"www.youtube.com", "maps.google.com"}})
	for _, tc := range []struct{ src, want string }{
		{"Chữ <b>đậm</b>, <i>nghiêng</i>, <u>gạch</u>, H<sub>2</sub>O, m<sup>2</sup>.\n", "<p>Chữ <b>đậm</b>, <i>nghiêng</i>, <u>gạch</u>, H<sub>2</sub>O, m<sup>2</sup>.</p>\n"},
		{"<table>\n<tr><th colspan=\"2\">Thôn</th></tr>\n<tr><td>Đồng Tâm</td><td align=\"right\">12</td></tr>\n</table>\n",
			"<table>\n<tr><th colspan=\"2\">Thôn</th></tr>\n<tr><td>Đồng Tâm</td><td align=\"right\">12</td></tr>\n</table>\n"},
		{"<img src=\"/anh/hop-dan.jpg\" alt=\"Họp dân: thôn Đồng Tâm?\" width=\"600\">\n", "<img src=\"/anh/hop-dan.jpg\" alt=\"Họp dân: thôn Đồng Tâm?\" width=\"600\">\n"},
		{"<iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" height=\"315\" title=\"Video\" allowfullscreen></iframe>\n",
			"<iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" height=\"315\" title=\"Video\" allowfullscreen=\"\"></iframe>\n"},
		{"<iframe src=\"https://MAPS.google.com/maps?q=Bac+An\"></iframe>\n", "<iframe src=\"https://MAPS.google.com/maps?q=Bac+An\"></iframe>\n"},
		// Not an allowed host, or not https: the iframe goes.
		{"<iframe src=\"https://vimeo.com/1\"></iframe>\n", "\n"},
		{"<iframe src=\"http://www.youtube.com/embed/abc\"></iframe>\n", "\n"},
		{"<div onclick=\"x()\" style=\"color:red\">khối</div>\n", "<div>khối</div>\n"},
		{"<a href=\"javascript:alert(1)\">liên kết</a>\n", "<p>liên kết</p>\n"},
		{"<p>Xin <script>alert(1)</script>chào</p>\n", "<p>Xin chào</p>\n"},
	} {
		res, err := c.Convert([]byte(tc.src), nil)
		if err != nil {
			t.Fatal(err)
		}
		if string(res.HTML) != tc.want {
			t.Errorf("%q:\n got %q\nwant %q", tc.src, res.HTML, tc.want)
		}
	}
}

// With raw HTML allowed, Markdown gives what it gives without: the
// sanitizer keeps all of this package's own HTML.
func TestUnsafeHTMLSameMarkdown(t *testing.T) {
	src := "# Kết quả năm 2021\n\n| Lĩnh vực | Số hồ sơ |\n|---|--:|\n| Hộ tịch | 412 |\n\n- [x] xong\n- [ ] chưa\n\n```go\nfmt.Println(\"xin chào\")\n```\n\n" +
		"~~bãi bỏ~~ *nghiêng* **đậm** `mã` [liên kết](https://dichvucong.gov.vn/) ![ảnh](/anh.jpg \"Tiêu đề\") <https://x.vn>\n\n> Trích dẫn\n\n1. một\n2. hai\n\n---\n"
	safe, err := New().Convert([]byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	unsafe, err := NewWithOptions(Options{UnsafeHTML: true}).Convert([]byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	// The sanitizer writes a quote in text and a style as an HTML parser
	// reads them.
	norm := strings.NewReplacer("&#34;", "&quot;", "text-align: right", "text-align:right")
	if got := norm.Replace(string(unsafe.HTML)); got != string(safe.HTML) {
		t.Errorf("with raw HTML allowed:\n%s\nwithout:\n%s", got, safe.HTML)
	}
}

// Removed links are reported, at their place, so that the editor hears of
// it; their text stays.
func TestUnsafeLinksReported(t *testing.T) {
	res := convert(t, "Xem [đây](javascript:alert(1)) và ![ảnh](vbscript:x) hoặc <javascript:alert(2)>.\n", nil)
	if want := "<p>Xem đây và ảnh hoặc javascript:alert(2).</p>\n"; string(res.HTML) != want {
		t.Errorf("got %q, want %q", res.HTML, want)
	}
	want := []Link{
		{Dest: "javascript:alert(1)", Line: 1, Col: 5, Removed: true},
		{Dest: "vbscript:x", Line: 1, Col: 35, Image: true, Removed: true},
		{Dest: "javascript:alert(2)", Line: 1, Col: 59, Removed: true},
	}
	if fmt.Sprint(res.Links) != fmt.Sprint(want) {
		t.Errorf("links %+v, want %+v", res.Links, want)
	}
}

// A link is checked as it will be written, character references resolved,
// whether or not raw HTML (and with it goldmark's own check) is on.
func TestUnsafeLinksWithReferences(t *testing.T) {
	for _, o := range []Options{{}, {UnsafeHTML: true}} {
		res, err := NewWithOptions(o).Convert([]byte("[a](&#106;avascript:alert(1)) ![b](&#x6A;avascript:alert(1)) [c](java&#x09;script:x)\n"), nil)
		if err != nil {
			t.Fatal(err)
		}
		var removed []string
		for _, l := range res.Links {
			if l.Removed {
				removed = append(removed, l.Dest)
			}
		}
		if want := "[&#106;avascript:alert(1) &#x6A;avascript:alert(1)]"; fmt.Sprint(removed) != want {
			t.Errorf("%+v: removed %v, want %s\n%s", o, removed, want, res.HTML)
		}
		// A tab is written %09: no scheme, a path, which the sanitizer
		// (stricter) drops as an address it cannot parse.
		want := `<p>a b <a href="java%09script:x">c</a></p>` + "\n"
		if o.UnsafeHTML {
			want = "<p>a b c</p>\n"
		}
		if string(res.HTML) != want {
			t.Errorf("%+v: %q, want %q", o, res.HTML, want)
		}
	}
}
