package vn

import (
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

var textSeeds = []string{
	"",
	sentence,
	"Đảng ủy xã Đồng Tâm",
	"CẢI CÁCH",
	"Ðà Nẵng — Café Über Straße Łódź",
	"я\u0301блоко 北京 ภาษาไทย",
	"\u0627\u0301\u0653",
	"a\xffb\xc3\u0301\x80",
	"--a--b--",
	"???",
	"…",
	"★ ✓ ☎",
	"\u0301\u0323",
	"e\u0302\u0323 E\u0323\u0302",
}

var hashedRE = regexp.MustCompile(`^bai-[0-9a-f]{8}$`)

func FuzzSlug(f *testing.F) {
	for _, s := range textSeeds {
		f.Add(s)
		f.Add(norm.NFD.String(s))
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Slug(s)
		for i := 0; i < len(got); i++ {
			c := got[i]
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
				t.Fatalf("Slug(%+q) = %q: byte %q is not in [a-z0-9-]", s, got, c)
			}
		}
		if strings.HasPrefix(got, "-") || strings.HasSuffix(got, "-") || strings.Contains(got, "--") {
			t.Fatalf("Slug(%+q) = %q: stray hyphen", s, got)
		}
		if again := Slug(got); again != got {
			t.Fatalf("Slug(%+q) = %q, but Slug of that = %q", s, got, again)
		}
		// Where a URL needs one, a slug is never empty.
		h := SlugOrHash(s, "bai")
		switch {
		case got != "" && h != got:
			t.Fatalf("SlugOrHash(%+q) = %q, but Slug = %q", s, h, got)
		case got == "" && !hashedRE.MatchString(h):
			t.Fatalf("SlugOrHash(%+q) = %q: not bai- and 8 hex digits", s, h)
		case Slug(h) != h || SlugOrHash(h, "bai") != h:
			t.Fatalf("SlugOrHash(%+q) = %q: not a slug", s, h)
		}
		if !utf8.ValidString(s) {
			// NFC and NFD of invalid UTF-8 are not defined.
			return
		}
		if nfd := Slug(norm.NFD.String(s)); nfd != got {
			t.Fatalf("Slug(%+q) = %q, but Slug of its NFD = %q", s, got, nfd)
		}
		if nfc := Slug(norm.NFC.String(s)); nfc != got {
			t.Fatalf("Slug(%+q) = %q, but Slug of its NFC = %q", s, got, nfc)
		}
		if nfd := SlugOrHash(norm.NFD.String(s), "bai"); nfd != h {
			t.Fatalf("SlugOrHash(%+q) = %q, but of its NFD = %q", s, h, nfd)
		}
	})
}

func FuzzFold(f *testing.F) {
	for _, s := range textSeeds {
		f.Add(s)
		f.Add(norm.NFD.String(s))
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Fold(s)
		if again := Fold(got); again != got {
			t.Fatalf("Fold(%+q) = %+q, but Fold of that = %+q", s, got, again)
		}
		for _, r := range got {
			if isDroppedMark(r) {
				t.Fatalf("Fold(%+q) = %+q: keeps combining mark %U", s, got, r)
			}
		}
		if !utf8.ValidString(s) {
			return
		}
		if !norm.NFC.IsNormalString(got) {
			t.Fatalf("Fold(%+q) = %+q: not NFC", s, got)
		}
		if nfd := Fold(norm.NFD.String(s)); nfd != got {
			t.Fatalf("Fold(%+q) = %+q, but Fold of its NFD = %+q", s, got, nfd)
		}
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{
		"2022-03-28T08:53:45+07:00",
		"2022-03-28T01:53:45Z",
		"2022-03-28T08:53:45.123456789-05:30",
		"2022-03-28T08:53:45",
		"2022-03-28 08:53:45",
		"2022-03-28 08:53",
		"2022-03-28",
		"28/03/2022 08:53:45",
		"5/3/2022 8:05",
		"28/03/2022",
		"31/02/2024",
		"29/02/2023",
		"28/03/2022 25:00",
		"hôm qua",
		"0000-01-01T00:00:00+23:59",
		"9999-12-31T23:59:59-23:59",
		"2023-11-05 01:30",
	} {
		for zone := range byte(4) {
			f.Add(s, zone)
		}
	}
	locs := []*time.Location{
		mustLoad(f, ""),
		time.UTC,
		mustLoad(f, "America/New_York"),
		time.FixedZone("", -(12*3600 + 30*60)),
	}
	f.Fuzz(func(t *testing.T, s string, zone byte) {
		loc := locs[int(zone)%len(locs)]
		got, err := ParseDate(s, loc)
		if err != nil {
			msg := err.Error()
			if !strings.HasPrefix(msg, "invalid date ") || strings.Contains(msg, "\n") {
				t.Fatalf("ParseDate(%q) error %q: not one line starting with \"invalid date\"", s, msg)
			}
			return
		}
		if got.Location() != loc {
			t.Fatalf("ParseDate(%q, %v) is in %v", s, loc, got.Location())
		}
		text := FormatDateTime(got, loc)
		back, err := ParseDate(text, loc)
		if err != nil {
			t.Fatalf("ParseDate(%q, %v) = %v, formatted %q, which does not parse: %v", s, loc, got, text, err)
		}
		if back.Unix() != got.Unix() {
			// Only a wall time that happened twice (clocks set back) may
			// come back as its other occurrence.
			if FormatDateTime(back, loc) != text {
				t.Fatalf("ParseDate(%q, %v) = %v, formatted %q, parsed back as %v", s, loc, got, text, back)
			}
			_, o1 := got.Zone()
			_, o2 := back.Zone()
			if o1 == o2 {
				t.Fatalf("ParseDate(%q, %v) = %v, formatted %q, parsed back as %v with the same offset", s, loc, got, text, back)
			}
		}
		if day := FormatDate(got, loc); !strings.HasPrefix(text, day+" ") {
			t.Fatalf("FormatDate(%v) = %q, FormatDateTime = %q", got, day, text)
		}
	})
}
