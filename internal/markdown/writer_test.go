package markdown

import (
	"bytes"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
)

var writerCases = []string{
	"Đảng ủy xã *họp* `mã <b>` [a](b \"c\")", "A & B &amp; &#x22; &#1234; &copy; &nosuch; \\* \\a \\\\",
	"<b>raw</b> x\x00y \"quoted\" 5 > 3 < 4", "```\n<code> & \"x\"\n```\n", "![ảnh \"x\" & <y>](a.png \"t & <t>\")",
	"5 > 3", "tên \"x\"", "a & b", "a < b", "a\x00b", "a\\*b", "`a>b`", "`a\"b`", "`a\x00b`", "<a\x00>",
	"| a & b | <c> |\n|---|---|\n| \\| | \"d\" |\n", "Xem https://x.vn/?a=1&b=<2> ngay", "    indented <code> &amp;\n",
}

// TestPlainWriterEqualsGoldmark checks that the writer's short way changes
// no output, with raw HTML off and on.
func TestPlainWriterEqualsGoldmark(t *testing.T) {
	for _, src := range writerCases {
		checkWriter(t, []byte(src))
	}
}

func FuzzPlainWriter(f *testing.F) {
	for _, src := range writerCases {
		f.Add([]byte(src))
	}
	f.Fuzz(checkWriter)
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
