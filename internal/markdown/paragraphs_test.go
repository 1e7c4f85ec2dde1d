package markdown

import (
	"bytes"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// paragraphCases are documents of paragraphs, plain and not, and documents
// that only look like it.
var paragraphCases = []string{
	"", "\n", "   \n\n", "Một.", "Một.\n", "Một\nhai\n\nba\n", "\n\nĐảng ủy xã \"họp\" (lần 2)\n\n\n",
	"Dòng có hai dấu cách cuối  \nxuống dòng\n\nSau.", "Cuối có một dấu cách \nhai", "A\n\nB *nhấn* C\n\nD",
	"1. mục\n\nx", "1) mục", "12 tháng\n2021. năm", "2/9 là ngày Quốc khánh.\n\n3. Ba", "123456789.x", "1.\n",
	"- gạch\n\nx", "# Tiêu đề\n\nx", "x\n===", "x\n---", "x\n\n    mã\n\ny", "x\n   y", " x", "\tx",
	"[a]: /b\n\nx [a]", "x [a]\n\n[a]: /b", "Xem [tại đây](bai-khac.md) nhé.\n\nVà ![ảnh](anh.jpg).",
	"Đoạn một.\n\nĐoạn hai có [liên kết](x.md)\nvà [thêm](javascript:alert(1)) nữa.",
	"Thư: ubnd@xa.gov.vn\n\nWeb: https://xa.gov.vn và www.xa.gov.vn, giờ 8:30.", "Giờ: 8:30 – 17:00.",
	"a\rb", "a\r```\n\nb\nc", "a\r\n\r\nb", "a\tb\n\nc", "a\x00b\n\nc", "a\x0bb", "a\x0cb\n\nc", "a\x7fb", "x\n\t\ny",
	"x | y\n\nz", "a ~~b~~ c\n\nd", "a <b>c</b> d\n\ne", "a &amp; b &copy;\n\nc", "a \\* b", "a `c` d",
	"(mở ngoặc\n'nháy đơn'\n\"nháy kép\"", "a\n\n\n\nb\n", "tai-lieu:\n\nhttp:x", "x\u00a0y\n\n\u3000z",
	"Cuối tệp không xuống dòng", "WWW.X.VN", "Wi-Fi miễn phí", "a\n \nb", "a  \n\nb",
	"# Kết quả\n\nĐoạn.\n\n## Kết quả\n\nĐoạn *hai*.\n\n### Kết quả\nx", "- a\n- b\n\nSau danh sách.", "- a\n\n- b\n\nSau.",
	"- a\n\n  b\n\nc", "1. a\n2. b\n\nc\n\n3. d", "> trích\n\nsau\n\n> lại", "> a\nlười\n\nb", "| a | b |\n|---|---|\n| 1 | 2 |\n\nSau bảng.",
	"    mã\n\nsau\n\n    mã 2", "x\n\n```\ny\n\nz\n```\n\nw", "<div>\n\nx\n\n</div>", "<pre>\na\n\nb\n</pre>\n\nc", "<!--\n\nx\n\n-->",
	"x\n\n[a]: /u\n\n[a]", "Tiêu đề\n===\n\nx\n\nTiêu đề\n---\n\ny", "- [ ] việc\n- [x] xong\n\nx", "x\n\n***\n\ny",
	"* a\n\n  ```\n  b\n\n  c\n  ```\n\nd", "Đầu\n\n# Giữa [a](x.md)\n\n[b](y.md) cuối\n\n![c](z.png)", "a\n\n- b\n\n\n\nc",
	"Chỉ đạo **của cấp trên** và **Đảng ủy**.", "**đầu dòng** x", "x **a**\nb **c**", "x **a\nb** c", "x **a** **b**, **c**: **d**) **e**\"",
	"Nói \"x\" rồi **đậm** và \"y\" **z**\" \"\"", "x **\"a\"** b", "x **a\"b** \"c\" **d**",
	"x **a**b", "x **a**.b", "x**a** b", "x ** a** b", "x **a ** b", "x ***a*** b", "x **a*** b", "x **“a”** b", "x **(a)** b",
	"x **a **b** c** d", "x **a** **", "x **1** 2 **ô**", "x *a* b", "x **a__b** c", "x **a**: https://x.vn", "x **a** *", "x **ả**",
	"## Nhiệm vụ\n\nĐoạn.\n\n## Nhiệm vụ\n\n- một\n- hai **đậm**\n\nSau.\n\n## Nhiệm vụ *x*\n\n## Nhiệm vụ", "# A\n## A\nb\n- c\n- d",
	"## H ##", "##  H", "## H#", "####### H", "###### H", "#5 tháng", "# ", "#", "## H\n- a\n- b\nc", "Đoạn\n- a\n- b", "Đoạn\n\n- a\n- b\n\nSau",
	"- a\n\n- b", "- a\n-b", "- a\n  tiếp", "-  a\n- b", "- a\n* b", "- [ ] a\n- b", "- 1. a", "- # a\n\nb", "- a\n\n  b", "x\n\n- a\n- b\n\n  c",
	"1. a\n\n- b\n\nc", "> a\n\n- b", "## Kết quả (2024)\n\n## Kết quả 2024\n\n## ket qua 2024", "- a\n\n## b\n- c", "## a\n\n- b\n\n- c",
	"Tiêu đề\n\n- a\n---", "- a\n===", "## H\n===", "- \"x\"\n- (y)", "- a \n- b", "- a\n- b  ", "## H\nĐoạn ngay sau\n\n- x",
	"Bảng:\n\n| Thôn, xóm | Số hộ | Tỷ lệ (%) |\n|---|---:|:---:|\n| Thôn **A** | 1 | \"2\" |\n| B | 3 | 4 |\n\nSau bảng.", "| a |\n|:--|\n| b |", "| a |\n|-|\n| b |",
	"| a | b |\n|---|---|\n| c |", "| a | b |\n|---|---|\n| c | d | e |", "| a |\n|---|", "| a |\n|---|\n", "| a |\n|---|\n|  |", "| a |\n| b |\n| c |",
	"| a |\n|:-:|\n| b |\n\n- x\n- y", "- x\n\n| a |\n|---|\n| b |", "| a |\n|---|\n| b |\nc", "| a |\n|---|\n| b \\| c |", "| a |\n|::|\n| b |", "| a |\n|::-::|\n| b |", "| a |\n| :- |\n| b |",
	"| a |\n| --- |\n| `b` |", "| a |\n|---|\n| b |\n\n| c |\n|---|\n| d |", "| ---- |\n|---|\n| b |", "|a|b|\n|-|-|\n|c|d|", "| a |\n|---|---|\n| b |",
	"## Bảng\n| a |\n|---|\n| b |", "| a |\n|:---|\n| b |\n| [x](y.md) |", "| a |\n|---|\n| b |  ", "x\n\n|\n|---|\n| b |",
	strings.Repeat("Từ ngữ dài dòng lắm chữ. ", 40) + "\n\nSau.",
}

// linkCases are links written here (written) and links left to
// goldmark (refused), in paragraphs, headings and lists.
var written = []string{
	"Xem thêm [Cổng dịch vụ công quốc gia](https://dichvucong.gov.vn/).",
	"Đoạn đầu.\n\nXem thêm [thông báo trước đó](/tin-tuc/thong-bao-lich-tiep-cong-dan-10/).\n\nĐoạn sau.",
	"[Đầu dòng](bai-khac.md) rồi chữ.", "Chữ rồi [cuối dòng](bai-khac.md)", "[Cả dòng](bai-khac.md)",
	"Hai [một](a.md) và [hai](xa.md) liên kết, [ba](xb.md#muc-2).", "Liền [một](a.md)[hai](b.md), [ba](c.md)x [bốn](d.md).",
	"Đoạn một dòng\n[dòng hai](b.md) mở đầu\nvà [dòng ba](xc.md)", "Ưu tiên [ứng dụng](ảnh/bản-đồ.pdf) và [tin](/tin-tức/)",
	"Đã mã [a](%E1%BA%A3nh.jpg) và [b](100%) và [c](%zz%4)", "Kiểu [a](mailto:ubnd@xa.gov.vn) [b](tel:+842033123456) [c](#muc) [d](?trang=2) [e](//x.vn/a)",
	"Bỏ [a](javascript:void) [b](JavaScript:x) [c](vbscript:x) [d](data:text/html,x) [e](file:///etc/passwd) [f](jav%61script:x)",
	"Ảnh [a](data:image/png;base64,AAAA) và [b](HTTPS://X.VN) [c](ftp://x.vn)",
	"Đậm **quanh [liên kết](a.md) này** nhé, **đậm** rồi [a](b.md) **đậm**.", "Chữ [có \"nháy\" và (ngoặc) 'đơn'](a.md) hết.",
	"Dấu [a](b.md): x; [c](d.md), [e](f.md)) \"[g](h.md)\" ([i](j.md))", "Ký tự [a](a*b_c~d|e!f=g+h$i;j@k,l.md) cuối",
	"## Tiêu đề có [liên kết](a.md)\n\nĐoạn.", "## [Tiêu đề là liên kết](xa.md)\n\n## [Tiêu đề là liên kết](xa.md)",
	"# Tin [một](/a/) và **đậm**\nĐoạn [hai](b.md)\n\n- mục [ba](c.md)\n- mục [bốn](xd.md) và [năm](e.md)",
	"Đoạn\n\n- mục [một](a.md)\n- mục [hai](javascript:x)\n\nSau [ba](c.md).", "Đoạn [a](v-la.md) và [b](j-nguy.md) [c](ja.md)",
	"Chữ [" + strings.Repeat("dài ", 99) + "dài](a.md) hết.", // 499 bytes of text
	"Đoạn [a](b.md)\n\n| Cột |\n|---|\n| ô |\n\nSau [c](d.md)",
	"Đậm [a](b.md)**c** d", "Đậm **c**[a](b.md)", "Đậm x **[a](b.md)** y", "**[a](b.md)**", "**Đầu dòng** x\n**dòng hai** y\n**dòng ba**",
	"## **Tiêu đề** đậm", "- **mục** một\n- **mục hai**", "Đồng chí **xã nhấn mạnh:** cần", "x **“a b”** c, **“d”** e.", "x.**a.** b", "x \u00a0**a** b", "x **a**\u00a0b", "x **- a** b, **-** c",
	"(**a**) và \"**b**\" và **(c)** và **c.**", "**1** và **1.** 2 và **1)** 3", "x **a**: **b**; **c**? **d**)", "x **a** **b** **c**",
	"**“Dân vận khéo”** là", "x **ả** và **Ư**", "Đậm **quanh [a](b.md)** và **[c](d.md) quanh**",
}

// Not in refused: pieces takes a table for plain, appendTable turns
// a cell with a link away.
var linkInTable = "| a |\n|---|\n| [x](y.md) |\n\nSau [c](d.md)"

var refused = []string{
	"Lồng [a [b](c.md)](d.md)", "Lồng [a]](b.md)", "Lồng [[a]](b.md)", "Lồng [a](b]c.md)", "Lồng [a](b[c].md)",
	"Tựa [a](b.md \"t\")", "Tựa [a](b.md 't')", "Tựa [a](b.md (t))", "Nhọn [a](<b.md>)", "Nhọn [a](<b c.md>)",
	"Thoát [a](b\\)c.md)", "Thoát [a\\]](b.md)", "Thực thể [a](b&amp;c.md)", "Thực thể [a&amp;](b.md)", "Thực thể [a](&#106;avascript:x)",
	"Cách [a]( b.md)", "Cách [a](b.md )", "Cách [ a](b.md)", "Cách [a ](b.md)", "Cách [a] (b.md)", "Cách [a](b c.md)",
	"Ngoặc [a](b(c).md)", "Ngoặc [a](javascript:alert(1))", "Ảnh ![a](b.png)", "![a](b.png) đầu", "Ảnh [![a](b.png)](c.md)",
	"Tham chiếu [a][b]\n\n[b]: /c", "Tham chiếu [a][]", "Tham chiếu [a]", "Dở [a](b.md", "Dở [a](", "Rỗng [a]()", "Rỗng [](b.md)",
	"[a](b.md)\n===", "## [a](b.md) ##", "- [x](y.md)", "- [ ] việc", "Mã [a](b`c.md)`", "Nghiêng [a*b*](c.md)", "Đậm [**a**](b.md)",
	"Mã [`a`](b.md)", "Địa chỉ [https://x.vn](https://x.vn)", "Địa chỉ [www.x.vn](http://x.vn)",
	"Thư [a@b.vn](mailto:a@b.vn)", "Cách [a](https://x.vn/đường dẫn)", "Điều khiển [a](b\x00c.md)", "Điều khiển [a](b\tc.md)",
	"Chữ [" + strings.Repeat("dài ", 100) + "dài](a.md) hết.", "Cuối [a](b.md) ", "Cuối [a](b.md)  \nx",
	"Tự động <https://x.vn> và [a](b.md)", "x a**b**c", "x **a**b", "x a**b** c", "x **.**a", "x **“d”**.", "x **a** b\n**c", "** a** b", "**a ** b",
	"***a*** b", "** *", "**\ta**", "x **a\u00a0** b", "x **\ufffd** b", "**", "*a* b", "x **a**_b_", "Ngang [a](b.md) ~~c~~", "Dòng\n[a]: /b\n\n[a](c.md)",
}

func init() {
	paragraphCases = append(paragraphCases, written...)
	paragraphCases = append(paragraphCases, refused...)
	paragraphCases = append(paragraphCases, linkInTable)
}

// TestParagraphsWriteLinks pins which links convertParagraphs writes
// itself: the documents of written have every piece written here,
// those of refused have a piece left to goldmark. That they are
// written as goldmark would write them, TestParagraphsSameAsGoldmark
// checks.
func TestParagraphsWriteLinks(t *testing.T) {
	allPlain := func(src string) bool {
		ps, ok := pieces([]byte(src), nil)
		if !ok || len(ps) == 0 {
			return false
		}
		for _, p := range ps {
			if !p.plain {
				return false
			}
		}
		return true
	}
	for _, src := range written {
		if !allPlain(src) {
			t.Errorf("%q: left to goldmark, want written here", src)
		}
		if _, ok, err := New().convertParagraphs([]byte(src), anyResolver{}, true); !ok || err != nil {
			t.Errorf("%q: convertParagraphs %v, %v", src, ok, err)
		}
	}
	for _, src := range refused {
		if allPlain(src) {
			t.Errorf("%q: written here, want left to goldmark", src)
		}
	}
}

// TestParagraphsSameAsGoldmark compares convertParagraphs with goldmark on
// the cases above, on random documents of paragraphs, and on every page
// of the demo site.
func TestParagraphsSameAsGoldmark(t *testing.T) {
	for _, src := range paragraphCases {
		checkParagraphs(t, []byte(src))
	}
	rng := rand.New(rand.NewPCG(3, 4))
	pieces := []string{"Đảng ủy", "xã", "họp", "\"kép\"", "'đơn'", "(ngoặc)", "2/9", "1.", "1)", "**đậm**", " **đậm**", " **đậm** ", "**", " **", "** ", "*", "_nghiêng_",
		"“", "”", ".", ",", ":", ")", "\u00a0", "**“", "”**", "**-", "[a](b.md)", "[Cổng](https://x.vn/)", "[tin](/tin-tức/)", "[x](xa.md)", "[j](javascript:x)", "[v](va.md)", "[", "]", "(", ")", "](", "[a]", "(b.md)", "![ảnh](c.jpg)", "a@b.vn", "https://x.vn", "www.x.vn", "8:30", "<b>", "&amp;", "\\*", "`mã`", "~~x~~",
		"|", "-", "#", ">", "=", "W", "\n- ", "\n1. ", "\n# ", "\n> ", "\n    ", "\n|---|\n", "\n| a | b |\n|---|:-:|\n| c | d |\n", "| e |", "|", "\n  ", "\n```\n", "\n<div>\n", "[x]: /y", "<pre>", " ", "  ", "\n", "\n", "\n\n", "\n \n", "\t", "ư", "Ơ"}
	for range 3000 {
		var b strings.Builder
		for range 1 + rng.IntN(30) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
			if rng.IntN(2) == 0 {
				b.WriteByte(' ')
			}
		}
		checkParagraphs(t, []byte(b.String()))
	}
	n := 0
	err := filepath.WalkDir("../../content", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".md") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		checkParagraphs(t, afterFrontMatter(data))
		n++
		return nil
	})
	if err != nil || n == 0 {
		t.Fatalf("demo pages: %d read, %v", n, err)
	}
}

func FuzzParagraphsSameAsGoldmark(f *testing.F) {
	for _, src := range paragraphCases {
		f.Add([]byte(src))
	}
	f.Fuzz(checkParagraphs)
}

func afterFrontMatter(data []byte) []byte {
	if rest, ok := bytes.CutPrefix(data, []byte("---\n")); ok {
		if i := bytes.Index(rest, []byte("\n---\n")); i >= 0 {
			return rest[i+5:]
		}
	}
	return data
}

// anyResolver resolves every destination but those starting with "x".
// Those starting with "v" get a URL that goldmark escapes, and those
// starting with "j" one its renderer leaves out.
type anyResolver struct{}

func (anyResolver) Resolve(dest string) (string, bool) {
	switch {
	case strings.HasPrefix(dest, "v"):
		return "/tài liệu/\"" + dest + "\"&amp;<x>", true
	case strings.HasPrefix(dest, "j"):
		return "javascript:alert(1)//" + dest, true
	}
	return "/r/" + dest, !strings.HasPrefix(dest, "x")
}

// paragraphConverters are, without and with raw HTML, a Converter and
// the same one with goldmark only.
var paragraphConverters = func() (c [2][2]*Converter) {
	for i, o := range []Options{{}, {UnsafeHTML: true}} {
		ours := NewWithOptions(o)
		theirs := *ours
		theirs.goldmarkOnly = true
		c[i] = [2]*Converter{ours, &theirs}
	}
	return
}()

func checkParagraphs(t *testing.T, src []byte) {
	t.Helper()
	for i, c := range paragraphConverters {
		ours, theirs := c[0], c[1]
		for _, r := range []Resolver{nil, anyResolver{}} {
			got, err1 := ours.Convert(src, r)
			want, err2 := theirs.Convert(src, r)
			if err1 != nil || err2 != nil {
				t.Fatalf("%q: %v, %v", src, err1, err2)
			}
			if !bytes.Equal(got.HTML, want.HTML) || got.Summary != want.Summary || !reflect.DeepEqual(got.Links, want.Links) {
				t.Errorf("unsafe %v, %q:\n got %q %q %+v\nwant %q %q %+v", i == 1, src,
					got.HTML, got.Summary, got.Links, want.HTML, want.Summary, want.Links)
			}
			body, _ := ours.ConvertBody(src, r)
			if !bytes.Equal(body.HTML, want.HTML) || body.Summary != "" {
				t.Errorf("ConvertBody %q: got %q %q", src, body.HTML, body.Summary)
			}
		}
	}
}
