package search

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/congxa/congxa/internal/vn"
)

// MaxWordBytes is the longest word, folded, that the index keeps: longer
// runs of letters are addresses or codes that nobody types.
const MaxWordBytes = 64

// isWordRune tells whether r belongs to a word: letters, digits and marks,
// so that a decomposed "ủ" stays one word. The search script splits with
// the same classes (/[\p{L}\p{N}\p{M}]+/u).
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r)
}

// Words splits s into its words, folded as the index files them: the keys
// are vn.Fold of each word, so "Đảng ủy" gives "dang", "uy".
func Words(s string) []string {
	var out []string
	for _, w := range appendWords(nil, s, nil) {
		out = append(out, w.key)
	}
	return out
}

// appendWords appends the words of s to dst. memo, when not nil, keeps
// the folding of words already seen.
func appendWords(dst []word, s string, memo map[string]word) []word {
	eachWord(vn.NFC(s), func(raw string) {
		w, ok := memo[raw]
		if !ok {
			w = word{key: vn.Fold(raw), form: strings.ToLower(raw)}
			if memo != nil {
				memo[raw] = w
			}
		}
		if w.key != "" && len(w.key) <= MaxWordBytes {
			dst = append(dst, w)
		}
	})
	return dst
}

// eachWord calls f with each run of word runes in s.
func eachWord(s string, f func(raw string)) {
	for _, w := range appendRuns(nil, s) {
		f(w)
	}
}

// appendRuns appends to dst each run of word runes in s (views of s).
func appendRuns(dst []string, s string) []string {
	for i := 0; ; {
		a, b, _ := nextRun(s, i)
		if a == b {
			return dst
		}
		dst = append(dst, s[a:b])
		i = b
	}
}

// Classes of bytes, for nextRun.
const (
	bSep    = iota // ASCII but a letter or digit: ends a word
	bWord          // an ASCII letter or digit
	bLatin2        // may begin a letter from U+00C0 to U+023F
	bLatin3        // 0xE1: may begin a letter from U+1E00 to U+1EFF
	bOther         // another byte of UTF-8 or none
)

var byteClass = func() (t [256]uint8) {
	for c := range t {
		switch {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9':
			t[c] = bWord
		case c < utf8.RuneSelf:
			t[c] = bSep
		case 0xC3 <= c && c <= 0xC8:
			t[c] = bLatin2
		case c == 0xE1:
			t[c] = bLatin3
		default:
			t[c] = bOther
		}
	}
	return t
}()

// wideRune tells of the rune at s[i], which does not begin with an ASCII
// byte, its size, whether it belongs to a word and whether it is plain:
// a precomposed letter of Latin-1 to Latin Extended-B or of Latin
// Extended Additional, which NFC leaves as it is when no combining mark
// follows: a word of ASCII and plain letters is in NFC already.
func wideRune(s string, i int) (size int, in, plain bool) {
	c := s[i]
	switch byteClass[c] {
	case bLatin2:
		if i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
			// Latin-1 from U+00C0 to Latin Extended-B, but × and ÷:
			// most Vietnamese letters.
			return 2, c != 0xC3 || s[i+1] != 0x97 && s[i+1] != 0xB7, true
		}
	case bLatin3:
		if i+2 < len(s) && 0xB8 <= s[i+1] && s[i+1] <= 0xBB && s[i+2]&0xC0 == 0x80 {
			// Latin Extended Additional, U+1E00 to U+1EFF: the others.
			return 3, true, true
		}
	}
	r, size := utf8.DecodeRuneInString(s[i:])
	in = 0xC0 <= r && r < 0x250 && r != 0xD7 && r != 0xF7 || 0x1E00 <= r && r < 0x1F00 ||
		r != utf8.RuneError && isWordRune(r)
	return size, in, false
}

// nextRun returns the first run of word runes in s at or after i, from a
// to b, and whether every letter of it is plain (see wideRune); a == b
// when there is none.
func nextRun(s string, i int) (a, b int, plain bool) {
	n := len(s)
	plain = true
	for {
		if i >= n {
			return n, n, true
		}
		c := byteClass[s[i]]
		if c == bWord {
			a = i
			i++
			break
		}
		if c == bSep {
			i++
			continue
		}
		size, in, p := wideRune(s, i)
		if in {
			a, plain = i, p
			i += size
			break
		}
		i += size
	}
	for i < n {
		c := byteClass[s[i]]
		if c == bWord {
			i++
			continue
		}
		if c == bSep {
			break
		}
		// Most Vietnamese letters, as wideRune finds them, without a call.
		if c == bLatin2 && i+1 < n && s[i+1]&0xC0 == 0x80 && (s[i] != 0xC3 || s[i+1] != 0x97 && s[i+1] != 0xB7) {
			i += 2
			continue
		}
		if c == bLatin3 && i+2 < n && 0xB8 <= s[i+1] && s[i+1] <= 0xBB && s[i+2]&0xC0 == 0x80 {
			i += 3
			continue
		}
		size, in, p := wideRune(s, i)
		if !in {
			break
		}
		plain = plain && p
		i += size
	}
	return a, i, plain
}

// eachHTMLWord calls f with each word of the text of an HTML fragment, in
// NFC, as eachWord(vn.NFC(Text(fragment)), f) does (see readHTMLWords).
func eachHTMLWord(fragment []byte, f func(raw string)) {
	// A few words a chunk, so that the tests meet chunks' ends.
	readHTMLWords(fragment, make([]string, 0, 5), func(ws []string) {
		for _, w := range ws {
			f(w)
		}
	})
}

// readHTMLWords calls f with the words of the text of an HTML fragment,
// in NFC, as eachWord(vn.NFC(Text(fragment))) finds them, in one pass and
// without making the text: in chunks of at most cap(buf) words, so that
// they are still in the cache when f reads them. Most words are views of
// fragment, valid while it is; a word that needed NFC or spans a tag
// ("c<em>ả</em>i") is a string of its own. The words are put in buf's
// array, which the caller may clear when done.
func readHTMLWords(fragment []byte, buf []string, f func([]string)) {
	h := htmlWords{out: buf[:0], f: f}
	eachPiece(fragment, h.text, h.flush)
	h.flush()
	if len(h.out) > 0 {
		f(h.out)
	}
}

// htmlWords reads the words of the pieces of text of an HTML fragment.
type htmlWords struct {
	out []string
	f   func([]string) // takes out when full
	// A word that may go on in the next piece of text, when carrying,
	// and whether it is plain so far.
	carry      string
	carrying   bool
	carryPlain bool
}

func (h *htmlWords) emit(w string, plain bool) {
	if !plain {
		w = vn.NFC(w)
	}
	if len(h.out) == cap(h.out) && len(h.out) > 0 {
		h.f(h.out)
		h.out = h.out[:0]
	}
	h.out = append(h.out, w)
}

func (h *htmlWords) flush() {
	if h.carrying {
		h.emit(h.carry, h.carryPlain)
		h.carry, h.carrying = "", false
	}
}

// text takes a piece of text between tags: its first word may go on from
// the carry, its last may go on in the next piece.
func (h *htmlWords) text(t string) {
	if strings.IndexByte(t, '&') >= 0 {
		t = html.UnescapeString(t)
	}
	ran := false
	for i := 0; ; {
		a, b, plain := nextRun(t, i)
		if a == b {
			break
		}
		ran = true
		if a > 0 {
			h.flush()
		}
		switch {
		case b == len(t):
			// A view of the piece until another piece goes on with it.
			if h.carrying {
				h.carry += t[a:b]
				h.carryPlain = h.carryPlain && plain
			} else {
				h.carry, h.carrying, h.carryPlain = t[a:b], true, plain
			}
		case h.carrying:
			h.carry += t[a:b]
			h.carryPlain = h.carryPlain && plain
			h.flush()
		default:
			h.emit(t[a:b], plain)
		}
		i = b
	}
	if !ran && len(t) > 0 {
		h.flush() // t is all spaces or punctuation
	}
}

// isInline tells whether the element named name, in any case, sits
// inside a word's text; any other tag separates words. The inline ones:
// a, abbr, b, code, del, em, i, mark, s, small, span, strong, sub, sup, u.
func isInline(name string) bool {
	var b [6]byte
	if len(name) == 0 || len(name) > len(b) {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c >= utf8.RuneSelf {
			// As strings.ToLower has it: the Kelvin sign is a k.
			if lower := strings.ToLower(name); lower != name {
				return isInline(lower)
			}
			return false
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	switch string(b[:len(name)]) {
	case "a", "abbr", "b", "code", "del", "em", "i", "mark", "s", "small", "span", "strong", "sub", "sup", "u":
		return true
	}
	return false
}

// utf8Len is the length of a UTF-8 sequence by its first byte; 1 for a
// byte that cannot begin one, as utf8.DecodeRune counts it.
func utf8Len(c byte) int {
	switch {
	case c >= 0xF0 && c < 0xF5:
		return 4
	case c >= 0xE0 && c < 0xF0:
		return 3
	case c >= 0xC2 && c < 0xE0:
		return 2
	}
	return 1
}

var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// Text returns the text a reader sees in an HTML fragment, as rendered
// from Markdown: tags removed (block elements separate words, inline ones
// do not), entities decoded, runs of white space made one space.
func Text(fragment []byte) string {
	var b strings.Builder
	b.Grow(len(fragment))
	space := false
	// put writes s, each run of white space as one space.
	put := func(s string) {
		for i := 0; i < len(s); {
			// A run of other characters.
			j := i
			for j < len(s) {
				c := s[j]
				if c < utf8.RuneSelf {
					if asciiSpace[c] {
						break
					}
					j++
					continue
				}
				// Only a few non-ASCII runes are white space, all with
				// these first bytes; skip the others whole.
				if c != 0xC2 && c != 0xE1 && c != 0xE2 && c != 0xE3 {
					j = min(j+utf8Len(c), len(s))
					continue
				}
				r, size := utf8.DecodeRuneInString(s[j:])
				if unicode.IsSpace(r) {
					break
				}
				j += size
			}
			if j > i {
				if space {
					b.WriteByte(' ')
					space = false
				}
				b.WriteString(s[i:j])
				i = j
				continue
			}
			_, size := utf8.DecodeRuneInString(s[i:])
			space = b.Len() > 0
			i += size
		}
	}
	eachPiece(fragment, func(t string) { put(html.UnescapeString(t)) }, func() { space = b.Len() > 0 })
	return b.String()
}

// eachPiece reads an HTML fragment in place, not copied: text gets each
// piece of text between tags, as written (a view of fragment, valid during
// the call), and block each tag that separates words (any but the inline
// ones).
func eachPiece(fragment []byte, text func(string), block func()) {
	s := unsafe.String(unsafe.SliceData(fragment), len(fragment))
	for len(s) > 0 {
		lt := strings.IndexByte(s, '<')
		if lt < 0 {
			text(s)
			return
		}
		text(s[:lt])
		gt := strings.IndexByte(s[lt:], '>')
		if gt < 0 {
			return
		}
		tag := s[lt+1 : lt+gt]
		s = s[lt+gt+1:]
		name := strings.TrimPrefix(tag, "/")
		if i := strings.IndexAny(name, " \t\n/"); i >= 0 {
			name = name[:i]
		}
		if !isInline(name) {
			block()
		}
	}
}
