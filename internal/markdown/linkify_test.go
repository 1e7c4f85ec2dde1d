package markdown

import (
	"bytes"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

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

// TestQuickLinkifyEqualsGoldmark checks that the quick test in front of
// goldmark's linkify changes no output.
func TestQuickLinkifyEqualsGoldmark(t *testing.T) {
	for _, src := range linkifyCases {
		checkLinkify(t, []byte(src))
	}
}

func FuzzQuickLinkify(f *testing.F) {
	for _, src := range linkifyCases {
		f.Add([]byte(src))
	}
	f.Fuzz(checkLinkify)
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
