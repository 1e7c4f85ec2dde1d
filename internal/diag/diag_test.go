package diag

import (
	"errors"
	"strings"
	"testing"
)

func TestPosString(t *testing.T) {
	tests := []struct {
		pos  Pos
		want string
	}{
		{Pos{File: "content/site.yaml"}, "content/site.yaml"},
		{Pos{File: "content/site.yaml", Col: 5}, "content/site.yaml"}, // a column without a line means nothing
		{Pos{File: "content/tin-tuc/x.md", Line: 4}, "content/tin-tuc/x.md:4"},
		{Pos{File: "content/tin-tuc/x.md", Line: 4, Col: -1}, "content/tin-tuc/x.md:4"},
		{Pos{File: "content/tin-tuc/x.md", Line: 4, Col: 7}, "content/tin-tuc/x.md:4:7"},
		{Pos{File: "content/tin-tuc/đảng-ủy.md", Line: 12, Col: 1}, "content/tin-tuc/đảng-ủy.md:12:1"},
		{Pos{File: "--base-url", Line: -3, Col: 2}, "--base-url"},
	}
	for _, tt := range tests {
		if got := tt.pos.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.pos, got, tt.want)
		}
	}
}

func TestDiagnosticString(t *testing.T) {
	tests := []struct {
		d    Diagnostic
		want string
	}{
		{Diagnostic{Pos{"content/x.md", 4, 7}, Error, "missing title"}, "content/x.md:4:7: missing title"},
		{Diagnostic{Pos{"content/x.md", 4, 7}, Warning, "unknown key"}, "content/x.md:4:7: warning: unknown key"},
		{Diagnostic{Pos{File: "content"}, Warning, "symbolic link ignored"}, "content: warning: symbolic link ignored"},
		{Diagnostic{Pos{File: "content/site.yaml", Line: 2}, Error, "x"}, "content/site.yaml:2: x"},
	}
	for _, tt := range tests {
		if got := tt.d.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestSourcePos(t *testing.T) {
	// Columns count characters: "Đ", "ả", "ủ" and "ấ" are two or three bytes
	// each in UTF-8, one column each in an editor.
	data := "---\ntitle: Đảng ủy xã\n  date: x\nĐảng ủy\n\n\tcuối"
	src := Source{Name: "content/tin-tuc/x.md", Data: []byte(data)}
	at := func(s string, nth int) int {
		off := -1
		for i := 0; i <= nth; i++ {
			j := strings.Index(data[off+1:], s)
			if j < 0 {
				t.Fatalf("%q not found %d times", s, nth+1)
			}
			off += 1 + j
		}
		return off
	}
	tests := []struct {
		name      string
		off       int
		line, col int
	}{
		{"start", 0, 1, 1},
		{"end of first line (its newline)", 3, 1, 4},
		{"start of second line", 4, 2, 1},
		{"after ASCII", at("Đảng", 0), 2, 8},
		{"after one two-byte rune", at("ảng", 0), 2, 9},
		{"after two multi-byte runes", at("ng ủy", 0), 2, 10},
		{"ủ after Đảng", at("ủy xã", 0), 2, 13},
		{"xã", at("xã", 0), 2, 16},
		{"past ã (two multi-byte)", at("ã\n", 0) + len("ã"), 2, 18},
		{"indented", at("date", 0), 3, 3},
		{"second Đảng, line start", at("Đảng", 1), 4, 1},
		{"second ủy", at("ủy", 1), 4, 6},
		{"empty line", at("\n\n", 0) + 1, 5, 1},
		{"after a tab", at("cuối", 0), 6, 2},
		{"ố in cuối", at("ối", 0), 6, 4},
		{"end of data", len(data), 6, 6},
		{"past the end is clamped", len(data) + 100, 6, 6},
		{"negative is clamped", -5, 1, 1},
	}
	for _, tt := range tests {
		got := src.Pos(tt.off)
		want := Pos{File: "content/tin-tuc/x.md", Line: tt.line, Col: tt.col}
		if got != want {
			t.Errorf("%s: Pos(%d) = %v, want %v", tt.name, tt.off, got, want)
		}
	}
}

func TestSourcePosEmpty(t *testing.T) {
	for _, off := range []int{-1, 0, 1} {
		if got, want := (Source{Name: "a"}).Pos(off), (Pos{File: "a", Line: 1, Col: 1}); got != want {
			t.Errorf("empty source: Pos(%d) = %v, want %v", off, got, want)
		}
	}
}

func TestSourceLineCol(t *testing.T) {
	// Decoders such as YAML and TOML report byte columns; editors count
	// characters.
	data := "title: Đảng ủy xã\ncategory: Thông báo\n\nx: ủy\nlast"
	src := Source{Name: "content/site.yaml", Data: []byte(data)}
	byteCol := func(line, s string) int { return strings.Index(line, s) + 1 }
	lines := strings.Split(data, "\n")
	tests := []struct {
		name          string
		line, byteCol int
		want          Pos
	}{
		{"ASCII prefix", 1, byteCol(lines[0], "Đảng"), Pos{"content/site.yaml", 1, 8}},
		{"after Đảng", 1, byteCol(lines[0], " ủy"), Pos{"content/site.yaml", 1, 12}},
		{"xã", 1, byteCol(lines[0], "xã"), Pos{"content/site.yaml", 1, 16}},
		{"end of line 1", 1, len(lines[0]) + 1, Pos{"content/site.yaml", 1, 18}},
		{"line 2 ASCII", 2, byteCol(lines[1], "Thông"), Pos{"content/site.yaml", 2, 11}},
		{"line 2 after Thông", 2, byteCol(lines[1], " báo"), Pos{"content/site.yaml", 2, 16}},
		{"line 2 báo's o", 2, byteCol(lines[1], "báo") + len("bá"), Pos{"content/site.yaml", 2, 19}},
		{"empty line", 3, 1, Pos{"content/site.yaml", 3, 1}},
		{"line 4 after ủ", 4, byteCol(lines[3], "y"), Pos{"content/site.yaml", 4, 5}},
		{"last line without newline", 5, 3, Pos{"content/site.yaml", 5, 3}},
		{"column 0 is the line start", 2, 0, Pos{"content/site.yaml", 2, 1}},
		{"byte column past the data", 5, 100, Pos{"content/site.yaml", 5, 5}},
		{"line 0 is the whole file", 0, 5, Pos{File: "content/site.yaml"}},
		{"line past the end keeps the byte column", 9, 4, Pos{"content/site.yaml", 9, 4}},
	}
	for _, tt := range tests {
		if got := src.LineCol(tt.line, tt.byteCol); got != tt.want {
			t.Errorf("%s: LineCol(%d, %d) = %v, want %v", tt.name, tt.line, tt.byteCol, got, tt.want)
		}
	}
}

// LineCol and Pos agree on every character boundary of a Vietnamese text.
func TestSourceLineColMatchesPos(t *testing.T) {
	data := "Xã Bắc An:\nxếp thứ 5 về\n\ncải cách hành chính\n"
	src := Source{Name: "f", Data: []byte(data)}
	line, lineStart := 1, 0
	for off := 0; off <= len(data); off++ {
		if off > 0 && data[off-1] == '\n' {
			line, lineStart = line+1, off
		}
		if off < len(data) && data[off]&0xC0 == 0x80 {
			continue // inside a character
		}
		if got, want := src.LineCol(line, off-lineStart+1), src.Pos(off); got != want {
			t.Errorf("offset %d: LineCol(%d, %d) = %v, Pos = %v", off, line, off-lineStart+1, got, want)
		}
	}
}

func TestListSort(t *testing.T) {
	var l List
	l.Warnf(Pos{"content/b.md", 1, 1}, "w")
	l.Errorf(Pos{"content/a.md", 10, 1}, "line 10")
	l.Errorf(Pos{"content/a.md", 2, 9}, "col 9")
	l.Errorf(Pos{"content/a.md", 2, 3}, "zeta")
	l.Errorf(Pos{"content/a.md", 2, 3}, "alpha")
	l.Warnf(Pos{"content/a.md", 2, 3}, "aardvark") // a warning sorts after errors at the same place
	l.Errorf(Pos{"content/a.md", 2, 3}, "alpha")   // exact duplicate: dropped
	l.Warnf(Pos{"content/a.md", 2, 3}, "alpha")    // same text, other severity: kept
	l.Errorf(Pos{File: "content/a.md"}, "whole file")
	l.Errorf(Pos{File: "content"}, "folder")
	l.Errorf(Pos{"content/a.md", 2, 3}, "zeta") // duplicate, not adjacent before sorting
	l.Sort()
	want := `content: folder
content/a.md: whole file
content/a.md:2:3: alpha
content/a.md:2:3: zeta
content/a.md:2:3: warning: aardvark
content/a.md:2:3: warning: alpha
content/a.md:2:9: col 9
content/a.md:10:1: line 10
content/b.md:1:1: warning: w
`
	if got := l.String(); got != want {
		t.Errorf("sorted list:\n%s\nwant:\n%s", got, want)
	}
	if len(l) != 9 {
		t.Errorf("len = %d after removing 2 duplicates, want 9", len(l))
	}
}

// Sorting must not depend on the order in which parallel stages found the
// problems.
func TestListSortIsOrderIndependent(t *testing.T) {
	ds := []Diagnostic{
		{Pos{"b", 1, 1}, Error, "x"},
		{Pos{"a", 3, 1}, Warning, "y"},
		{Pos{"a", 3, 1}, Error, "y"},
		{Pos{"a", 3, 1}, Error, "y"},
		{Pos{"a", 1, 2}, Error, "z"},
		{Pos{"a", 1, 2}, Error, "a"},
	}
	var first string
	// Every rotation and its reverse.
	for r := 0; r < len(ds); r++ {
		for _, rev := range []bool{false, true} {
			l := make(List, 0, len(ds))
			for i := range ds {
				j := (i + r) % len(ds)
				if rev {
					j = len(ds) - 1 - j
				}
				l = append(l, ds[j])
			}
			l.Sort()
			if first == "" {
				first = l.String()
				continue
			}
			if got := l.String(); got != first {
				t.Errorf("rotation %d reversed=%v:\n%s\nwant:\n%s", r, rev, got, first)
			}
		}
	}
	if strings.Count(first, "\n") != 5 {
		t.Errorf("want 5 diagnostics after de-duplication, got:\n%s", first)
	}
}

func TestListSortEmpty(t *testing.T) {
	var l List
	l.Sort()
	if len(l) != 0 || l.String() != "" {
		t.Errorf("empty list sorted to %q", l.String())
	}
}

func TestListErrorsAndCounts(t *testing.T) {
	tests := []struct {
		name        string
		build       func(*List)
		errs, warns int
		hasErrors   bool
		errIsNil    bool
		errText     string
	}{
		{"empty", func(*List) {}, 0, 0, false, true, ""},
		{"warnings only", func(l *List) {
			l.Warnf(Pos{"a", 1, 1}, "w1")
			l.Warnf(Pos{"a", 2, 1}, "w2")
		}, 0, 2, false, true, ""},
		{"one error among warnings", func(l *List) {
			l.Warnf(Pos{"a", 1, 1}, "w1")
			l.Errorf(Pos{"a", 2, 1}, "bad %s", "title")
			l.Warnf(Pos{"a", 3, 1}, "w2")
		}, 1, 2, true, false, "a:2:1: bad title"},
		{"two errors", func(l *List) {
			l.Errorf(Pos{"a", 1, 1}, "e1")
			l.Errorf(Pos{"a", 2, 1}, "e2")
		}, 2, 0, true, false, "2 errors, first: a:1:1: e1"},
	}
	for _, tt := range tests {
		var l List
		tt.build(&l)
		e, w := l.Count()
		if e != tt.errs || w != tt.warns {
			t.Errorf("%s: Count() = %d, %d, want %d, %d", tt.name, e, w, tt.errs, tt.warns)
		}
		if got := l.HasErrors(); got != tt.hasErrors {
			t.Errorf("%s: HasErrors() = %v", tt.name, got)
		}
		err := l.Err()
		if (err == nil) != tt.errIsNil {
			t.Errorf("%s: Err() = %v, want nil: %v", tt.name, err, tt.errIsNil)
			continue
		}
		if err == nil {
			continue
		}
		if got := err.Error(); got != tt.errText {
			t.Errorf("%s: Err().Error() = %q, want %q", tt.name, got, tt.errText)
		}
		var le ListError
		if !errors.As(err, &le) || len(le) != len(l) {
			t.Errorf("%s: Err() is not a ListError holding the whole list: %#v", tt.name, err)
		}
	}
}

// The summary of a failed build names an error, never a warning, even when
// a warning sorts first.
func TestListErrorNamesAnError(t *testing.T) {
	var l List
	l.Warnf(Pos{"content/a.md", 1, 1}, "unknown key")
	l.Errorf(Pos{"content/a.md", 2, 1}, "missing title")
	l.Errorf(Pos{"content/b.md", 1, 1}, "missing date")
	l.Sort()
	got := l.Err().Error()
	if want := "2 errors, first: content/a.md:2:1: missing title"; got != want {
		t.Errorf("Err().Error() = %q, want %q", got, want)
	}
}

func TestListAppendAndString(t *testing.T) {
	var a, b List
	a.Errorf(Pos{"a", 1, 1}, "%d%%", 5)
	b.Warnf(Pos{File: "b"}, "w")
	b.Errorf(Pos{"b", 2, 0}, "e")
	a.Append(b)
	want := "a:1:1: 5%\nb: warning: w\nb:2: e\n"
	if got := a.String(); got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if e, w := a.Count(); e != 2 || w != 1 {
		t.Errorf("Count() = %d, %d, want 2, 1", e, w)
	}
}
