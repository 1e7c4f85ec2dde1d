package content

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/congxa/congxa/internal/vn"
)

var cleanCases = []string{
	"", "a", "title: Đảng ủy xã\n\tBody\r\n", "12345678", "1234567\x0b", "\x7f", "abcdefgh\x00",
	"Ho\u0323i nghi\u0323", "Hội nghị", "x\u2028y", "x\u2029", "\u0085", "\xff", "ab\xc3", "\ufeffBOM",
	"\ufffd", "日本", strings.Repeat("Cải cách hành chính ", 20), strings.Repeat("abcdefg", 9) + "\x1f",
	"\x1e\x1fabcdef", "~~~~~~~~", "\x20\x20\x20\x20\x20\x20\x20\x20",
	"\xc2\x80", "\xc2\x9f", "\xc2\xa0", "\xc2", "\xc2a", "\xc2\xc3\xa0", "\xc0\xaf", "\xc1\xbf", "\xdf\xbf", "\xcc\x81",
	"e\xcc\x81", "\xe1\xba\xa1", "\xe1\xba", "\xe1\xbaa", "\xe1a\xa1", "\xe1\xbc\x80\xcd\x85", "\xe1\x84\x80\xe1\x85\xa1",
	"\xe1\xbd\xb1", "\xe1\xbf\xbe", "\xe0\x80\x80", "\xed\xa0\x80", "ơư ƠƯ đĐ ạảãáàâấầẩẫậăắằẳẵặ", "\u01b0\u0309",
}

// slowClean is isClean as the three checks it stands for.
func slowClean(s string) bool {
	return utf8.ValidString(s) && vn.NFC(s) == s && !hasControl(s)
}

func TestIsClean(t *testing.T) {
	for _, s := range cleanCases {
		checkClean(t, s)
		// Every alignment of the eight-byte words.
		for i := 1; i < 8; i++ {
			checkClean(t, strings.Repeat(" ", i)+s)
		}
	}
}

func FuzzIsClean(f *testing.F) {
	for _, s := range cleanCases {
		f.Add(s)
	}
	f.Fuzz(checkClean)
}

func checkClean(t *testing.T, s string) {
	got, want := isClean([]byte(s)), slowClean(s)
	// isClean may say false of a clean text (it leaves rare characters to
	// the slow checks), never true of one that is not.
	if got && !want {
		t.Errorf("isClean(%q) = true, but it is not valid NFC without controls", s)
	}
	if !got && want && isPlain(s) {
		t.Errorf("isClean(%q) = false for a text of ASCII and Latin letters", s)
	}
}

// isPlain reports whether s holds only characters isClean decides alone.
func isPlain(s string) bool {
	for _, r := range s {
		if r >= utf8.RuneSelf && !vn.NFCStarter(r) {
			return false
		}
	}
	return true
}

// BenchmarkIsClean checks a post of the bench corpus's kind: Vietnamese
// prose, about one byte in four outside ASCII.
func BenchmarkIsClean(b *testing.B) {
	data := []byte(strings.Repeat("Sáng ngày 7/10/2026, Chi hội Cựu chiến binh phối hợp thực hiện dịch vụ công trực tuyến toàn trình với sự tham gia đông đủ của cán bộ, nhân dân.\n", 30))
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if !isClean(data) {
			b.Fatal("not clean")
		}
	}
}
