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
	eachRun(s, func(a, b int) { f(s[a:b]) })
}

// eachRun calls f with the start and end of each run of word runes in s.
func eachRun(s string, f func(a, b int)) {
	start := -1
	for i := 0; i < len(s); {
		c := s[i]
		var in bool
		size := 1
		if c < utf8.RuneSelf {
			in = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
		} else if 0xC3 <= c && c <= 0xC8 && i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
			// Latin-1 from U+00C0 to Latin Extended-B, but × and ÷: most
			// Vietnamese letters.
			size = 2
			in = c != 0xC3 || s[i+1] != 0x97 && s[i+1] != 0xB7
		} else if c == 0xE1 && i+2 < len(s) && 0xB8 <= s[i+1] && s[i+1] <= 0xBB && s[i+2]&0xC0 == 0x80 {
			// Latin Extended Additional, U+1E00 to U+1EFF: the others.
			size = 3
			in = true
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			in = 0xC0 <= r && r < 0x250 && r != 0xD7 && r != 0xF7 || 0x1E00 <= r && r < 0x1F00 ||
				r != utf8.RuneError && isWordRune(r)
		}
		if in && start < 0 {
			start = i
		} else if !in && start >= 0 {
			f(start, i)
			start = -1
		}
		i += size
	}
	if start >= 0 {
		f(start, len(s))
	}
}

// eachHTMLWord calls f with each word of the text of an HTML fragment, in
// NFC, as eachWord(vn.NFC(Text(fragment)), f) does, in one pass and
// without making the text.
func eachHTMLWord(fragment []byte, f func(raw string)) {
	var carry []byte // a word that may go on in the next piece of text
	emit := func(w string) {
		if !plainLatin(w) {
			w = vn.NFC(w)
		}
		f(w)
	}
	flush := func() {
		if carry != nil {
			emit(string(carry))
			carry = nil
		}
	}
	// text takes a piece of text between tags: its first word may go on
	// from carry, its last may go on in the next piece.
	text := func(t string) {
		if strings.IndexByte(t, '&') >= 0 {
			t = html.UnescapeString(t)
		}
		ran := false
		eachRun(t, func(a, b int) {
			ran = true
			if a > 0 {
				flush()
			}
			switch {
			case b == len(t):
				carry = append(carry, t[a:b]...)
			case carry != nil:
				carry = append(carry, t[a:b]...)
				flush()
			default:
				emit(t[a:b])
			}
		})
		if !ran && len(t) > 0 {
			flush() // t is all spaces or punctuation
		}
	}
	// f gets views of fragment, which lives through the call; whatever
	// keeps a word (the memo, the word table) keeps a copy.
	eachPiece(fragment, text, flush)
	flush()
}

// plainLatin tells whether w is made only of ASCII and the precomposed
// letters of Latin-1 to Latin Extended-B and Latin Extended Additional,
// which NFC leaves as they are when no combining mark follows.
func plainLatin(w string) bool {
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch {
		case c < utf8.RuneSelf:
		case 0xC3 <= c && c <= 0xC8 && i+1 < len(w) && w[i+1]&0xC0 == 0x80:
			i++
		case c == 0xE1 && i+2 < len(w) && 0xB8 <= w[i+1] && w[i+1] <= 0xBB && w[i+2]&0xC0 == 0x80:
			i += 2
		default:
			return false
		}
	}
	return true
}

// inlineTags are the elements that sit inside a word's text; any other tag
// separates words.
var inlineTags = map[string]bool{
	"a": true, "abbr": true, "b": true, "code": true, "del": true, "em": true, "i": true,
	"mark": true, "s": true, "small": true, "span": true, "strong": true, "sub": true, "sup": true, "u": true,
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
		if !inlineTags[strings.ToLower(name)] {
			block()
		}
	}
}
