package markdown

import (
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// plainWriter is goldmark's HTML writer with a short way for text that
// needs no work: goldmark's writer looks at every byte of every piece of
// text in a function of its own, for backslash escapes, entity references
// and the characters HTML escapes, and most Vietnamese prose has none.
type plainWriter struct {
	html.Writer
}

// inText and inRaw mark the bytes goldmark's Write and RawWrite change or
// look further at: NUL and the characters HTML escapes, and for Write the
// backslash and the ampersand that start escapes and references.
var inText, inRaw = func() (text, raw [256]bool) {
	for _, c := range []byte{0, '"', '&', '<', '>'} {
		text[c], raw[c] = true, true
	}
	text['\\'] = true
	return
}()

func noneOf(source []byte, special *[256]bool) bool {
	for _, c := range source {
		if special[c] {
			return false
		}
	}
	return true
}

func (w plainWriter) Write(writer util.BufWriter, source []byte) {
	if noneOf(source, &inText) {
		_, _ = writer.Write(source)
		return
	}
	w.Writer.Write(writer, source)
}

func (w plainWriter) RawWrite(writer util.BufWriter, source []byte) {
	if noneOf(source, &inRaw) {
		_, _ = writer.Write(source)
		return
	}
	w.Writer.RawWrite(writer, source)
}
