package vn

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/text/unicode/norm"
)

const sentence = "Xã Bắc An: Xếp thứ 5 toàn thành phố về chỉ số cải cách hành chính năm 2021"

func TestNFC(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"abc", "abc"},
		{"Đảng ủy", "Đảng ủy"},
		{norm.NFD.String("Đảng ủy xã Đồng Tâm"), "Đảng ủy xã Đồng Tâm"},
		{"e\u0323\u0302", "ệ"}, // marks in either order compose the same
		{"e\u0302\u0323", "ệ"},
		{"\u212B", "Å"}, // Ångström sign is canonically Å
	}
	for _, tt := range tests {
		if got := NFC(tt.in); got != tt.want {
			t.Errorf("NFC(%+q) = %+q, want %+q", tt.in, got, tt.want)
		}
	}
}

func TestNFCReturnsInputWhenNormal(t *testing.T) {
	in := strings.Repeat(sentence, 2)
	got := NFC(in)
	if unsafe.StringData(got) != unsafe.StringData(in) {
		t.Error("NFC copied a string that was already NFC")
	}
	if n := testing.AllocsPerRun(100, func() { NFC(in) }); n != 0 {
		t.Errorf("NFC of NFC text: %v allocations, want 0", n)
	}
}

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"Đảng ủy xã Đồng Tâm", "dang uy xa dong tam"},
		{"CẢI CÁCH", "cai cach"},
		{sentence, "xa bac an: xep thu 5 toan thanh pho ve chi so cai cach hanh chinh nam 2021"},
		{"already folded 123", "already folded 123"},
		{"MIXED Case", "mixed case"},
		{"Ưu tiên, ƯỚC LƯỢNG; Ơn huệ!", "uu tien, uoc luong; on hue!"},
		{"đĐ", "dd"},
		{"Ðà Nẵng", "da nang"}, // Ð (U+00D0) typed for Đ
		{"Café Über Ñandú Ça", "cafe uber nandu ca"},
		{"Łódź Øresund Ħal", "lodz oresund hal"},
		{"İstanbul ılık", "istanbul ilik"},
		{"Straße ÆSIR", "straße æsir"}, // no diacritic: kept, lower-cased
		{"ПРИВЕТ мир", "привет мир"},
		{"ΑΘΉΝΑ", "αθήνα"}, // Greek keeps its accents
		{"北京 東京 123", "北京 東京 123"},
		{"ภาษาไทย", "ภาษาไทย"},     // Thai marks spell the word
		{"я\u0301блоко", "яблоко"}, // stray stress mark dropped
		{"x\u0301y\u20DD", "xy"},
		{"tab\tnew\nline", "tab\tnew\nline"},
		{"a\xffb", "a\uFFFDb"},
		{"Ⱥ", "ⱥ"},
		{"ﬁ", "ﬁ"}, // compatibility forms are not NFC's business
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%+q) = %+q, want %+q", tt.in, got, tt.want)
		}
		if got := Fold(norm.NFD.String(tt.in)); got != tt.want && utf8.ValidString(tt.in) {
			t.Errorf("Fold(NFD(%+q)) = %+q, want %+q", tt.in, got, tt.want)
		}
	}
}

// vietnameseVowels returns every Vietnamese vowel letter, in NFC, with
// the ASCII letter it folds to: 12 vowels × 6 tones × 2 cases.
func vietnameseVowels(t testing.TB) map[string]string {
	bases := []struct{ letter, ascii string }{
		{"a", "a"}, {"ă", "a"}, {"â", "a"},
		{"e", "e"}, {"ê", "e"},
		{"i", "i"},
		{"o", "o"}, {"ô", "o"}, {"ơ", "o"},
		{"u", "u"}, {"ư", "u"},
		{"y", "y"},
	}
	tones := []string{
		"",       // ngang
		"\u0301", // sắc
		"\u0300", // huyền
		"\u0309", // hỏi
		"\u0303", // ngã
		"\u0323", // nặng
	}
	out := map[string]string{}
	for _, b := range bases {
		for _, tone := range tones {
			for _, letter := range []string{b.letter, strings.ToUpper(b.letter)} {
				v := norm.NFC.String(letter + tone)
				if utf8.RuneCountInString(v) != 1 {
					t.Fatalf("%+q has no precomposed form", letter+tone)
				}
				out[v] = b.ascii
			}
		}
	}
	return out
}

func TestFoldVietnameseVowels(t *testing.T) {
	vowels := vietnameseVowels(t)
	if len(vowels) != 144 {
		t.Fatalf("generated %d distinct vowel forms, want 144", len(vowels))
	}
	for v, want := range vowels {
		if got := Fold(v); got != want {
			t.Errorf("Fold(%q) = %q, want %q", v, got, want)
		}
		if got := Fold(norm.NFD.String(v)); got != want {
			t.Errorf("Fold(NFD(%q)) = %q, want %q", v, got, want)
		}
		if got := Slug(v); got != want {
			t.Errorf("Slug(%q) = %q, want %q", v, got, want)
		}
		if got := Slug(norm.NFD.String(v)); got != want {
			t.Errorf("Slug(NFD(%q)) = %q, want %q", v, got, want)
		}
	}
}

// TestFoldLatinLetters checks the table against the Unicode data it was
// derived from: every letter in the Latin ranges whose canonical
// decomposition starts with an ASCII letter folds to that letter.
func TestFoldLatinLetters(t *testing.T) {
	for _, rg := range [][2]rune{{latinLo, latinHi}, {latinAddLo, latinAddHi}} {
		for r := rg[0]; r < rg[1]; r++ {
			d := norm.NFD.String(string(r))
			base, n := utf8.DecodeRuneInString(d)
			if n == len(d) || base >= utf8.RuneSelf || !unicode.IsLetter(base) {
				continue
			}
			want := string(unicode.ToLower(base))
			if got := Fold(string(r)); got != want {
				t.Errorf("Fold(%q) = %q, want %q", r, got, want)
			}
		}
	}
}

// TestASCIICompositionsUseDroppedMarks checks the assumption foldPass
// relies on: replacing a Latin letter by an ASCII one cannot enable a new
// composition with a mark that Fold keeps.
func TestASCIICompositionsUseDroppedMarks(t *testing.T) {
	for r := rune(0x80); r <= unicode.MaxRune; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		d := norm.NFD.String(string(r))
		base, n := utf8.DecodeRuneInString(d)
		if n == len(d) || base >= utf8.RuneSelf {
			continue
		}
		for _, m := range d[n:] {
			if !isDroppedMark(m) {
				t.Errorf("%U decomposes to ASCII %q + %U, a mark Fold keeps", r, base, m)
			}
		}
	}
}

func TestFoldAllocations(t *testing.T) {
	tests := []struct {
		in   string
		want float64
	}{
		{"dang uy xa dong tam", 0},
		{"Dang Uy", 1},
		{strings.Repeat("Dang Uy ", 20), 1},
		{sentence, 1},
	}
	for _, tt := range tests {
		if n := testing.AllocsPerRun(100, func() { Fold(tt.in) }); n != tt.want {
			t.Errorf("Fold(%q): %v allocations, want %v", tt.in, n, tt.want)
		}
	}
}

func TestFoldIdempotentOnComposition(t *testing.T) {
	// The acute blocks the madda from composing with alef; once the acute
	// is dropped, a second NFC would compose them. Fold must already have.
	in := "\u0627\u0301\u0653"
	once := Fold(in)
	if twice := Fold(once); twice != once {
		t.Errorf("Fold(%+q) = %+q, but Fold of that = %+q", in, once, twice)
	}
	if once != "\u0622" {
		t.Errorf("Fold(%+q) = %+q, want %+q", in, once, "\u0622")
	}
}

func TestSlug(t *testing.T) {
	tests := []struct{ in, want string }{
		{sentence, "xa-bac-an-xep-thu-5-toan-thanh-pho-ve-chi-so-cai-cach-hanh-chinh-nam-2021"},
		{"Đảng ủy xã Đồng Tâm", "dang-uy-xa-dong-tam"},
		{"CẢI CÁCH", "cai-cach"},
		{"", ""},
		{"   ", ""},
		{"!!! ??? ...", ""},
		{"北京", ""},
		{"Привет", ""},
		{"  --Hello,   World!--  ", "hello-world"},
		{"a___b...c", "a-b-c"},
		{"Hà Nội 北京 2024", "ha-noi-2024"},
		{"Café Über Ñandú Ça", "cafe-uber-nandu-ca"},
		{"Straße ÆSIR Œuvre Þór ĳs", "strasse-aesir-oeuvre-thor-ijs"},
		{"ẞ", "ss"},
		{"Ðà Nẵng", "da-nang"},
		{"Łódź", "lodz"},
		{"x\u0301y", "xy"}, // a mark is not a word break
		{"Thông báo số 12/TB-UBND", "thong-bao-so-12-tb-ubnd"},
		{"Quý I/2024: 99,9% hồ sơ đúng hạn", "quy-i-2024-99-9-ho-so-dung-han"},
		{"a\xffb", "a-b"},
		{"already-a-slug", "already-a-slug"},
		{"ＡＢＣ", ""}, // fullwidth forms are not Latin letters to NFC
	}
	for _, tt := range tests {
		if got := Slug(tt.in); got != tt.want {
			t.Errorf("Slug(%+q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := Slug(norm.NFD.String(tt.in)); got != tt.want && utf8.ValidString(tt.in) {
			t.Errorf("Slug(NFD(%+q)) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSlugOrHash(t *testing.T) {
	for in, want := range map[string]string{
		"Đảng ủy xã":    "dang-uy-xa",
		"???":           "bai-a03b221c", // printf "???" | sha256sum
		"…":             "bai-b4935894",
		"北京":            "bai-68c77e15",
		"e\u0301\u0301": "e", // Slug wins when there is one
	} {
		if got := SlugOrHash(in, "bai"); got != want {
			t.Errorf("SlugOrHash(%+q) = %q, want %q", in, got, want)
		}
	}
	// The hash is of the text in NFC.
	if a, b := SlugOrHash("\u0622", "x"), SlugOrHash("\u0627\u0653", "x"); a != b {
		t.Errorf("NFC %q and NFD %q differ", a, b)
	}
}

func TestSlugAgreesWithFold(t *testing.T) {
	// Slug folds in the same pass for speed; it must still be the
	// hyphenated Fold for text without the letters it spells out.
	for _, in := range []string{sentence, "Đảng ủy xã Đồng Tâm", "Café: Øresund!", "я\u0301 x\u0301y"} {
		var b strings.Builder
		sep := false
		for _, r := range Fold(in) {
			if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' {
				if sep && b.Len() > 0 {
					b.WriteByte('-')
				}
				sep = false
				b.WriteRune(r)
			} else {
				sep = true
			}
		}
		if got, want := Slug(in), b.String(); got != want {
			t.Errorf("Slug(%q) = %q, hyphenated Fold gives %q", in, got, want)
		}
	}
}

func BenchmarkFold(b *testing.B) {
	b.SetBytes(int64(len(sentence)))
	for b.Loop() {
		Fold(sentence)
	}
}

func BenchmarkFoldNFD(b *testing.B) {
	in := norm.NFD.String(sentence)
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		Fold(in)
	}
}

func BenchmarkSlug(b *testing.B) {
	b.SetBytes(int64(len(sentence)))
	for b.Loop() {
		Slug(sentence)
	}
}

func TestQuickNFC(t *testing.T) {
	n := 0
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !quickNFC(r) || !utf8.ValidRune(r) {
			continue
		}
		n++
		s := string(r)
		if norm.NFC.String(s) != s || !norm.NFC.PropertiesString(s).BoundaryBefore() {
			t.Errorf("quickNFC(%U) is true, but NFC may change a string holding it", r)
		}
	}
	if n < 1000 {
		t.Errorf("quickNFC accepts only %d runes", n)
	}
}

// TestIsNFCTable checks the fast path of isNFC against the norm package
// for every character of its table, alone, after a base letter, and before
// a combining mark.
func TestIsNFCTable(t *testing.T) {
	for r := rune(0); r < nfcTableSize+0x100; r++ {
		for _, s := range []string{string(r), "a" + string(r), string(r) + "\u0301", "Đ" + string(r) + "ệ"} {
			if got, want := isNFC(s), norm.NFC.IsNormalString(s); got != want {
				t.Errorf("isNFC(%+q) = %v, want %v", s, got, want)
			}
		}
	}
}
