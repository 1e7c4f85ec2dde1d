package content

import (
	"encoding/binary"
	"math/bits"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/congxa/congxa/internal/vn"
)

// cleanText puts a file's text in the form every stage expects: Unicode
// NFC, and no invisible control characters. Text copied out of Word or a
// PDF brings some (a vertical tab for Word's line break, a form feed for
// a page break, a NUL, a line separator U+2028): they would reach pages,
// where they are not valid HTML, and feeds, where they are not valid XML.
// Each becomes a space, so that columns stay where they were. Tabs and
// line ends are kept.
func cleanText(data []byte) []byte {
	if len(data) == 0 {
		return data
	}
	// Nearly every file is NFC with no control character: look at it in
	// place, and copy only when something changes.
	s := unsafe.String(unsafe.SliceData(data), len(data))
	t := cleanString(s)
	if unsafe.StringData(t) == unsafe.StringData(s) && len(t) == len(s) {
		return data
	}
	return []byte(t)
}

// cleanString is cleanText for a value: YAML, TOML and JSON can write
// control characters as escapes ("\v", "\u000b").
func cleanString(s string) string {
	s = vn.NFC(s)
	if !hasControl(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if isControl(r) {
			r = ' '
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isClean reports whether data is valid UTF-8, NFC and without control
// characters, as nearly every file is: one pass instead of three. False
// says only that the slower checks must look.
func isClean(data []byte) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := 0
	for i < len(data) {
		if i+8 <= len(data) {
			w := binary.LittleEndian.Uint64(data[i:])
			// Eight ASCII bytes, none below 0x20 or equal to 0x7F: a
			// byte is flagged if it is outside ASCII, below 0x20
			// (w-0x20…) or is 0x7F (w^0x7F… has a zero byte). The
			// lowest flagged byte is exact (a borrow only runs upwards
			// from a flagged byte): the bytes below it are skipped, and
			// it is looked at alone (a letter with a diacritic, a tab,
			// a line end).
			low := (w - 0x20*ones) &^ w
			del := w ^ 0x7F*ones
			del = (del - ones) &^ del
			m := (w | low | del) & highs
			if m == 0 {
				i += 8
				continue
			}
			i += bits.TrailingZeros64(m) >> 3
		}
		c := data[i]
		if c < utf8.RuneSelf {
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F {
				return false
			}
			i++
			continue
		}
		// The letters of Vietnamese are two-byte characters, and three-
		// byte ones from U+1E00: decoded here, as DecodeRune is not
		// inlined. A byte that does not continue a character sends the
		// text to the slow checks.
		switch {
		case c >= 0xC2 && c < 0xE0 && i+1 < len(data):
			c1 := data[i+1]
			r := rune(c&0x1F)<<6 | rune(c1&0x3F)
			if c1&0xC0 != 0x80 || r < 0xA0 || !vn.NFCStarter(r) { // U+0080–U+009F are controls
				return false
			}
			i += 2
			continue
		case c == 0xE1 && i+2 < len(data):
			c1, c2 := data[i+1], data[i+2]
			r := 0x1000 | rune(c1&0x3F)<<6 | rune(c2&0x3F)
			if c1&0xC0 != 0x80 || c2&0xC0 != 0x80 || !vn.NFCStarter(r) {
				return false
			}
			i += 3
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError || !vn.NFCStarter(r) || isControl(r) {
			return false
		}
		i += size
	}
	return true
}

func isControl(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return false
	case r < 0x20, r == 0x7F, 0x80 <= r && r <= 0x9F, r == '\u2028', r == '\u2029':
		return true
	}
	return false
}

func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r', c == 0x7F:
			return true
		case c == 0xC2 && i+1 < len(s) && s[i+1] <= 0x9F: // U+0080–U+009F
			return true
		case c == 0xE2 && i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0xA8 || s[i+2] == 0xA9): // U+2028, U+2029
			return true
		}
	}
	return false
}
