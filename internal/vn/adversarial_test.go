package vn

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// trickyPieces mixes what makes folding hard: letters that compose with
// the marks that follow, marks of different combining classes (some
// dropped, some kept), case pairs outside ASCII, Hangul jamo, singletons
// that NFC replaces, and bytes that are not UTF-8.
var trickyPieces = []string{
	"a", "A", "e", "E", "o", "u", "w", "W", "y", "d", "æ", "Æ", "ø", "ß", "ẞ", "İ", "ı", "Ⱥ", "ǅ",
	"ă", "Ơ", "ư", "Đ", "Ð", "ệ", "Ệ",
	"\u0300", "\u0301", "\u0302", "\u0303", "\u0306", "\u0309", "\u031B", "\u0323", "\u0345", "\u034F",
	"\u0591", "\u05B0", "\u0653", "\u0654", "\u0655", "\u093C", "\u0E48", "\u3099", "\u1DC0", "\u20DD", "\uFE20",
	"\u0627", "\u0648", "\u064A", "\u0928", "\u304B", "\u1100", "\u1161", "\u11A8", "\uAC00",
	"\u212B", "\u212A", "\u2126", "\u0340", "\u0344", "\u0387", "\uF900", "\u1F71", "\u1FBE",
	"и", "И", "Σ", "ς", "\u0399",
	" ", "-", "1", "\u2013", "\u20AB",
	"\xff", "\xc3", "\x80", "\xe1", "\xcc",
}

// TestFoldSlugAdversarial checks the fuzz properties on random strings of
// tricky pieces, which the fuzzer would take long to assemble by itself.
func TestFoldSlugAdversarial(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	for n := 0; n < 30000; n++ {
		b.Reset()
		for k := rng.IntN(8); k >= 0; k-- {
			b.WriteString(trickyPieces[rng.IntN(len(trickyPieces))])
		}
		s := b.String()
		f := Fold(s)
		if Fold(f) != f {
			t.Fatalf("Fold not idempotent on %+q: %+q → %+q", s, f, Fold(f))
		}
		for _, r := range f {
			if isDroppedMark(r) {
				t.Fatalf("Fold(%+q) = %+q keeps %U", s, f, r)
			}
		}
		sl := Slug(s)
		if Slug(sl) != sl || strings.HasPrefix(sl, "-") || strings.HasSuffix(sl, "-") || strings.Contains(sl, "--") {
			t.Fatalf("Slug(%+q) = %q", s, sl)
		}
		if !utf8.ValidString(s) {
			continue
		}
		if !norm.NFC.IsNormalString(f) {
			t.Fatalf("Fold(%+q) = %+q not NFC", s, f)
		}
		for _, v := range []string{norm.NFD.String(s), norm.NFC.String(s)} {
			if Fold(v) != f {
				t.Fatalf("Fold(%+q) = %+q but Fold(%+q) = %+q", s, f, v, Fold(v))
			}
			if Slug(v) != sl {
				t.Fatalf("Slug(%+q) = %q but Slug(%+q) = %q", s, sl, v, Slug(v))
			}
		}
	}
}
