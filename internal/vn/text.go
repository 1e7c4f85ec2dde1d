package vn

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// NFC returns s in Unicode NFC: s itself, not a copy, when it already is.
func NFC(s string) string {
	// Nearly all input is already NFC; checking is cheaper than copying.
	if isNFC(s) {
		return s
	}
	return norm.NFC.String(s)
}

// isNFC is norm.NFC.IsNormalString, fast for the text a commune's site is
// made of. Text whose every character is NFC_Quick_Check=Yes and combines
// with nothing before it (canonical combining class 0) is NFC: a table
// answers that for the characters below U+2100, which hold ASCII, the
// Latin letters with every Vietnamese diacritic and the usual punctuation;
// other text goes to the norm package's quick check, then its full one.
func isNFC(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r >= nfcTableSize || nfcUnstable[r/64]&(1<<(r%64)) != 0 {
			return norm.NFC.QuickSpanString(s) == len(s) || norm.NFC.IsNormalString(s)
		}
		i += size
	}
	return true
}

const nfcTableSize = 0x2100

// NFCStarter reports whether r is one of the characters below U+2100 that
// leave a text NFC wherever they stand: NFC_Quick_Check=Yes and combining
// with nothing before them. A text of such characters (and ASCII) is NFC.
// For any other character it reports false, which says nothing.
func NFCStarter(r rune) bool {
	return r >= 0 && r < nfcTableSize && nfcUnstable[r/64]&(1<<(r%64)) == 0
}

// nfcUnstable has a bit set for each character below nfcTableSize that a
// text can hold and yet not be NFC: one that is not NFC_Quick_Check=Yes,
// or that has a non-zero combining class, or an invalid byte sequence's
// replacement character (checked by the norm package instead).
var nfcUnstable = func() (t [nfcTableSize / 64]uint64) {
	var buf [utf8.UTFMax]byte
	for r := rune(0x80); r < nfcTableSize; r++ {
		n := utf8.EncodeRune(buf[:], r)
		p := norm.NFC.Properties(buf[:n])
		if r == utf8.RuneError || p.CCC() != 0 || !p.BoundaryBefore() || norm.NFC.QuickSpan(buf[:n]) != n {
			t[r/64] |= 1 << (r % 64)
		}
	}
	return t
}()

// Fold lower-cases s and removes the diacritics of its Latin letters, as
// the package documentation describes: Fold("Đảng ủy xã Đồng Tâm") ==
// "dang uy xa dong tam". NFC and NFD input give the same result.
func Fold(s string) string {
	upper := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return foldUnicode(s)
		}
		if 'A' <= c && c <= 'Z' {
			upper = true
		}
	}
	if !upper {
		// Already folded: no allocation, which matters when most words of
		// an index are plain ASCII.
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
	return b.String()
}

// foldUnicode is Fold for input that is not all ASCII.
func foldUnicode(s string) string {
	out, unsettled, ok := foldPass(s, false)
	if !ok {
		out, unsettled, _ = foldPass(NFC(s), true)
	}
	// Dropping a mark or changing case can leave a string that NFC would
	// compose further (Arabic alef + U+0301 + U+0653: the acute blocked the
	// madda). Folding again until the result is NFC keeps Fold idempotent.
	// Each round composes something, so the string shrinks; the bound only
	// guards against a case mapping we have not foreseen.
	for n := 0; unsettled && n < 4 && !isNFC(out); n++ {
		out, unsettled, _ = foldPass(norm.NFC.String(out), true)
	}
	return out
}

// foldPass folds s. Unless isNFC is set, it gives up (ok is false) at the
// first rune that could make s other than NFC, so that the common case,
// NFC Vietnamese text, costs a single pass without a normalisation check.
//
// unsettled reports that the pass did more than replace Latin letters by
// ASCII ones, in which case the result may no longer be NFC. Replacement
// alone cannot break NFC: a kept mark never composes with an ASCII letter
// (see TestASCIICompositionsUseDroppedMarks).
func foldPass(s string, isNFC bool) (out string, unsettled, ok bool) {
	var b strings.Builder
	// Folding usually shrinks Vietnamese text (2–3 bytes per accented
	// vowel become 1), so len(s) is nearly always enough.
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b.WriteByte(c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isNFC && !quickNFC(r) {
			return "", false, false
		}
		i += size
		a, l, k := foldRune(r)
		switch k {
		case foldASCII:
			b.WriteByte(a)
			continue
		case foldKeep:
			if size == 1 { // invalid UTF-8
				unsettled = true
			}
		default:
			unsettled = true
		}
		if k != foldDrop {
			b.WriteRune(l)
		}
	}
	return b.String(), unsettled, true
}

// quickNFC tells whether r leaves any string it is part of in NFC: it is
// unchanged by NFC and never composes with what precedes it. The ranges
// are the ones Vietnamese text is made of (Latin up to Extended-B, the
// precomposed vowels with tones, dashes and quotes, the dong sign); other
// runes send the text through the full check. TestQuickNFC verifies them
// against the Unicode tables.
func quickNFC(r rune) bool {
	return r < 0x0300 ||
		0x1E00 <= r && r <= 0x1EFF ||
		0x2010 <= r && r <= 0x2027 ||
		r == 0x20AB
}

type foldKind uint8

const (
	foldKeep    foldKind = iota // the rune stays as it is
	foldASCII                   // the rune becomes an ASCII letter
	foldLowered                 // the rune becomes its lower case
	foldDrop                    // the rune is a diacritic mark
)

// foldRune folds one non-ASCII rune.
func foldRune(r rune) (ascii byte, lower rune, k foldKind) {
	if a := latinFold.lookup(r); a != 0 {
		return a, 0, foldASCII
	}
	if isDroppedMark(r) {
		return 0, 0, foldDrop
	}
	l := unicode.ToLower(r)
	if l == r {
		return 0, r, foldKeep
	}
	// No NFC letter is known to need this, but should a future Unicode
	// give only the lower case of a pair a decomposition, the pair must
	// still fold alike.
	if a := latinFold.lookup(l); a != 0 {
		return a, 0, foldASCII
	}
	return 0, l, foldLowered
}

// isDroppedMark tells whether r belongs to one of the script-neutral
// combining mark blocks. Marks of a particular script (Thai, Devanagari,
// Hebrew…) are not in them and are kept, because they spell the word.
func isDroppedMark(r rune) bool {
	switch {
	case r < 0x0300:
		return false
	case r <= 0x036F, // Combining Diacritical Marks
		0x1AB0 <= r && r <= 0x1AFF, // … Extended
		0x1DC0 <= r && r <= 0x1DFF, // … Supplement
		0x20D0 <= r && r <= 0x20FF, // … for Symbols
		0xFE20 <= r && r <= 0xFE2F: // Combining Half Marks
		return true
	}
	return false
}

// The Latin letters that can carry a diacritic all sit in two ranges:
// Latin-1 Supplement to Latin Extended-B, and Latin Extended Additional,
// where all the Vietnamese vowels with a tone mark are. A byte table
// indexed by code point makes folding one lookup per letter.
const (
	latinLo, latinHi       = 0x00C0, 0x0250
	latinAddLo, latinAddHi = 0x1E00, 0x1F00
)

type latinFoldTable struct {
	latin [latinHi - latinLo]byte
	add   [latinAddHi - latinAddLo]byte
}

// lookup returns the lower-case ASCII letter r folds to, or 0.
func (t *latinFoldTable) lookup(r rune) byte {
	switch {
	case latinLo <= r && r < latinHi:
		return t.latin[r-latinLo]
	case latinAddLo <= r && r < latinAddHi:
		return t.add[r-latinAddLo]
	}
	return 0
}

func (t *latinFoldTable) set(r rune, a byte) {
	switch {
	case latinLo <= r && r < latinHi:
		t.latin[r-latinLo] = a
	case latinAddLo <= r && r < latinAddHi:
		t.add[r-latinAddLo] = a
	default:
		panic("vn: fold table: rune outside the Latin ranges")
	}
}

// latinFold is derived from the Unicode decompositions rather than typed
// in, so that it cannot miss a letter or map one to the wrong base.
var latinFold = buildLatinFold()

// strokeFolds are letters whose mark is part of the glyph, so Unicode gives
// them no decomposition, but which readers still type as the bare letter.
var strokeFolds = []struct {
	letters string
	ascii   byte
}{
	{"ĐđÐð", 'd'}, // Ð (eth) stands in for Đ in text from legacy encodings
	{"Øø", 'o'},
	{"Łł", 'l'},
	{"Ħħ", 'h'},
	{"Ŧŧ", 't'},
	{"ı", 'i'},
	{"Ƀƀ", 'b'},
	{"Ƶƶ", 'z'},
	{"Ǥǥ", 'g'},
	{"Ɇɇ", 'e'},
	{"Ɉɉ", 'j'},
	{"Ɍɍ", 'r'},
	{"Ɏɏ", 'y'},
}

func buildLatinFold() *latinFoldTable {
	t := new(latinFoldTable)
	add := func(lo, hi rune) {
		for r := lo; r < hi; r++ {
			d := norm.NFD.String(string(r))
			base, n := utf8.DecodeRuneInString(d)
			if n == len(d) || !isASCIILetter(base) {
				continue
			}
			t.set(r, byte(unicode.ToLower(base)))
		}
	}
	add(latinLo, latinHi)
	add(latinAddLo, latinAddHi)
	for _, f := range strokeFolds {
		for _, r := range f.letters {
			t.set(r, f.ascii)
		}
	}
	return t
}

func isASCIILetter(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
}

// slugSpellings are the Latin letters without a diacritic that still have
// a customary ASCII spelling; without it "Straße" would become "stra-e".
func slugSpelling(r rune) string {
	switch r {
	case 'ß':
		return "ss"
	case 'æ':
		return "ae"
	case 'œ':
		return "oe"
	case 'þ':
		return "th"
	case 'ĳ':
		return "ij"
	}
	return ""
}

// SlugOrHash is Slug(s) when s has a letter or a digit to make it from.
// Otherwise ("???", "…", "!!!", a title in a script with no ASCII form) it
// is prefix, a hyphen, and the first 8 hex digits of the SHA-256 of s in
// NFC: SlugOrHash("???", "bai") == "bai-" + 8 hex digits, the same at every
// build and on every machine, and different for different text. prefix
// must be a slug itself.
func SlugOrHash(s, prefix string) string {
	if slug := Slug(s); slug != "" {
		return slug
	}
	sum := sha256.Sum256([]byte(NFC(s)))
	return prefix + "-" + hex.EncodeToString(sum[:4])
}

// Slug returns the address segment for s, as the package documentation
// describes: Slug("Đảng ủy xã Đồng Tâm") == "dang-uy-xa-dong-tam". It
// returns "" when s has no letter or digit with an ASCII form.
func Slug(s string) string {
	if out, ok := slugPass(s, false); ok {
		return out
	}
	out, _ := slugPass(NFC(s), true)
	return out
}

// slugPass is Slug in one pass, folding as it goes; like foldPass, it gives
// up unless isNFC is set or s turns out to be NFC.
func slugPass(s string, isNFC bool) (string, bool) {
	var b strings.Builder
	b.Grow(len(s))
	// A separator is written lazily, before the next kept character, so
	// that none ends up at either end and runs collapse to one.
	sep := false
	emit := func(c byte) {
		if sep {
			if b.Len() > 0 {
				b.WriteByte('-')
			}
			sep = false
		}
		b.WriteByte(c)
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
				emit(c)
			case 'A' <= c && c <= 'Z':
				emit(c + 'a' - 'A')
			default:
				sep = true
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isNFC && !quickNFC(r) {
			return "", false
		}
		i += size
		a, l, k := foldRune(r)
		switch k {
		case foldASCII:
			emit(a)
		case foldDrop:
			// A mark belongs to the letter before it: "x" + acute is
			// still one letter, not a word break.
		default:
			sp := slugSpelling(l)
			if sp == "" {
				sep = true
			}
			for j := 0; j < len(sp); j++ {
				emit(sp[j])
			}
		}
	}
	return b.String(), true
}
