package search

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"

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
	start := -1
	for i := 0; i < len(s); {
		c := s[i]
		var in bool
		size := 1
		if c < utf8.RuneSelf {
			in = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			// Vietnamese letters first: Latin-1 to Latin Extended-B (but
			// × and ÷), and Latin Extended Additional.
			in = 0xC0 <= r && r < 0x250 && r != 0xD7 && r != 0xF7 || 0x1E00 <= r && r < 0x1F00 ||
				r != utf8.RuneError && isWordRune(r)
		}
		if in && start < 0 {
			start = i
		} else if !in && start >= 0 {
			f(s[start:i])
			start = -1
		}
		i += size
	}
	if start >= 0 {
		f(s[start:])
	}
}

// inlineTags are the elements that sit inside a word's text; any other tag
// separates words.
var inlineTags = map[string]bool{
	"a": true, "abbr": true, "b": true, "code": true, "del": true, "em": true, "i": true,
	"mark": true, "s": true, "small": true, "span": true, "strong": true, "sub": true, "sup": true, "u": true,
}

// Text returns the text a reader sees in an HTML fragment, as rendered
// from Markdown: tags removed (block elements separate words, inline ones
// do not), entities decoded, runs of white space made one space.
func Text(fragment []byte) string {
	var b strings.Builder
	b.Grow(len(fragment))
	space := false
	put := func(s string) {
		for _, r := range s {
			if unicode.IsSpace(r) {
				space = b.Len() > 0
				continue
			}
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteRune(r)
		}
	}
	s := string(fragment)
	for len(s) > 0 {
		lt := strings.IndexByte(s, '<')
		if lt < 0 {
			put(html.UnescapeString(s))
			break
		}
		put(html.UnescapeString(s[:lt]))
		gt := strings.IndexByte(s[lt:], '>')
		if gt < 0 {
			break
		}
		tag := s[lt+1 : lt+gt]
		s = s[lt+gt+1:]
		name := strings.TrimPrefix(tag, "/")
		if i := strings.IndexAny(name, " \t\n/"); i >= 0 {
			name = name[:i]
		}
		if !inlineTags[strings.ToLower(name)] {
			space = b.Len() > 0
		}
	}
	return b.String()
}
