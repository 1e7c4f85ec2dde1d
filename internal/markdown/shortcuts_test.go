package markdown

import (
	"bytes"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
)

// The shortcuts congxa puts in front of goldmark (quickLinkify,
// plainWriter) must change no output: these compare them with goldmark
// alone.

// linkifyCases are texts where goldmark's linkify finds links, nearly
// finds them, or must not.
var linkifyCases = []string{
	"Xem https://dichvucong.gov.vn ngay", "(http://a.vn/x_(y)) *www.x.vn* _ftp://f.vn_ ~https://t.vn~",
	"Thư: vanthu@bacan.gov.vn.", "a@b x@y.z @ab.vn ab@ .vn@x.vn", "\twww.tab.vn\nwww.line.vn",
	"http:/x http:x htt://x wwwx.vn www. ftp:", strings.Repeat("a", 64) + "@x.vn " + strings.Repeat("b", 65) + "@x.vn",
	"hồ sơ @mention email@địa-chỉ.vn e-mail:ubnd@xa.gov.vn;", "**https://x.vn/a?b=c&amp;d=1**",
	"[link www.x.vn](x.md) <https://x.vn> `www.code.vn`", "x@y.vn- x@y.vn_ w@x.vn.com!",
	"Hộp thư&#64;xa.vn và https://xa.vn/tin-tức/đảng-ủy)", "* list https://x.vn\n* ftp://y.vn z@w.vn",
}

var writerCases = []string{
	"Đảng ủy xã *họp* `mã <b>` [a](b \"c\")", "A & B &amp; &#x22; &#1234; &copy; &nosuch; \\* \\a \\\\",
	"<b>raw</b> x\x00y \"quoted\" 5 > 3 < 4", "```\n<code> & \"x\"\n```\n", "![ảnh \"x\" & <y>](a.png \"t & <t>\")",
	"5 > 3", "tên \"x\"", "a & b", "a < b", "a\x00b", "a\\*b", "`a>b`", "`a\"b`", "`a\x00b`", "<a\x00>",
	"| a & b | <c> |\n|---|---|\n| \\| | \"d\" |\n", "Xem https://x.vn/?a=1&b=<2> ngay", "    indented <code> &amp;\n",
}

// TestSameAsGoldmark checks the texts above, and FuzzSameAsGoldmark any.
func TestSameAsGoldmark(t *testing.T) {
	for _, src := range append(linkifyCases, writerCases...) {
		checkSameAsGoldmark(t, []byte(src))
	}
}

func FuzzSameAsGoldmark(f *testing.F) {
	for _, src := range append(linkifyCases, writerCases...) {
		f.Add([]byte(src))
	}
	f.Fuzz(checkSameAsGoldmark)
}

func checkSameAsGoldmark(t *testing.T, src []byte) {
	checkLinkify(t, src)
	checkWriter(t, src)
}

var gfmOnly = goldmark.New(goldmark.WithExtensions(extension.GFM))

var quickGFM = goldmark.New(
	goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.TaskList),
	goldmark.WithParserOptions(parserOptionsLinkify()...),
)

func checkLinkify(t *testing.T, src []byte) {
	var want, got bytes.Buffer
	if err := gfmOnly.Convert(src, &want); err != nil {
		t.Fatal(err)
	}
	if err := quickGFM.Convert(src, &got); err != nil {
		t.Fatal(err)
	}
	if got.String() != want.String() {
		t.Errorf("%q:\n got %q\nwant %q", src, got.String(), want.String())
	}
}

func checkWriter(t *testing.T, src []byte) {
	for _, unsafe := range []bool{false, true} {
		var want, got bytes.Buffer
		opts := []renderer.Option{}
		if unsafe {
			opts = append(opts, html.WithUnsafe())
		}
		plainOpts := append(opts[:len(opts):len(opts)], html.WithWriter(plainWriter{html.DefaultWriter}))
		def := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(opts...))
		ours := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(plainOpts...))
		if err := def.Convert(src, &want); err != nil {
			t.Fatal(err)
		}
		if err := ours.Convert(src, &got); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("unsafe %v, %q:\n got %q\nwant %q", unsafe, src, got.String(), want.String())
		}
	}
}
