package jsonpos

import (
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"testing"
)

const doc = `{
  "updated_at": "2023-12-02T22:14:02+07:00",
  "processed": 1035,
  "by_field": [
    {"name": "Hộ tịch", "late": 0},
    {"name": "Chứng thực", "late": 1},
    {"name": "Đất đai", "late": 22, "x": {"y": [null, true]}}
  ],
  "m": [[1, 2], [3, [false]]],
  "empty_obj": {},
  "empty_arr": [ ],
  "neg": -1.5e3
}
`

func TestScanOffsets(t *testing.T) {
	idx, err := Scan([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	// Each path and a text that starts where its value does (the n-th
	// occurrence when the text repeats).
	want := []struct {
		path   string
		marker string
		nth    int
	}{
		{"", "{", 0},
		{"updated_at", `"2023-12-02`, 0},
		{"processed", "1035", 0},
		{"by_field", "[", 0},
		{"by_field[0]", `{"name": "Hộ`, 0},
		{"by_field[0].name", `"Hộ tịch"`, 0},
		{"by_field[0].late", "0}", 0},
		{"by_field[1]", `{"name": "Chứng`, 0},
		{"by_field[1].name", `"Chứng thực"`, 0},
		{"by_field[1].late", "1}", 0},
		{"by_field[2]", `{"name": "Đất`, 0},
		{"by_field[2].name", `"Đất đai"`, 0},
		{"by_field[2].late", "22,", 0},
		{"by_field[2].x", `{"y"`, 0},
		{"by_field[2].x.y", "[null", 0},
		{"by_field[2].x.y[0]", "null", 0},
		{"by_field[2].x.y[1]", "true", 0},
		{"m", "[[", 0},
		{"m[0]", "[1, 2]", 0},
		{"m[0][0]", "1, 2]", 0},
		{"m[0][1]", "2]", 0},
		{"m[1]", "[3,", 0},
		{"m[1][0]", "3,", 0},
		{"m[1][1]", "[false]", 0},
		{"m[1][1][0]", "false", 0},
		{"empty_obj", "{}", 0},
		{"empty_arr", "[ ]", 0},
		{"neg", "-1.5e3", 0},
	}
	var paths []string
	for _, w := range want {
		paths = append(paths, w.path)
		off := nthIndex(t, doc, w.marker, w.nth)
		got, ok := idx[w.path]
		if !ok {
			t.Errorf("%q not indexed", w.path)
			continue
		}
		if got != off {
			t.Errorf("%q at %d (%q…), want %d (%q…)", w.path, got, excerpt(doc, got), off, excerpt(doc, off))
		}
	}
	var extra []string
	for p := range idx {
		found := false
		for _, w := range paths {
			found = found || w == p
		}
		if !found {
			extra = append(extra, p)
		}
	}
	sort.Strings(extra)
	if len(extra) > 0 {
		t.Errorf("unexpected paths indexed: %q", extra)
	}
}

func nthIndex(t *testing.T, s, sub string, nth int) int {
	t.Helper()
	off := -1
	for i := 0; i <= nth; i++ {
		j := strings.Index(s[off+1:], sub)
		if j < 0 {
			t.Fatalf("%q does not occur %d times", sub, nth+1)
		}
		off += 1 + j
	}
	return off
}

func excerpt(s string, off int) string {
	if off < 0 || off > len(s) {
		return "?"
	}
	end := min(off+12, len(s))
	return s[off:end]
}

func TestScanScalarsAndRootArray(t *testing.T) {
	tests := []struct {
		in   string
		want Index
	}{
		{`1`, Index{"": 0}},
		{"  \n\t\"x\"  \n", Index{"": 4}},
		{`null`, Index{"": 0}},
		{`[]`, Index{"": 0}},
		{` [ {"a" : 1 } , 2 ]`, Index{"": 1, "[0]": 3, "[0].a": 10, "[1]": 16}},
		// A repeated member: encoding/json keeps the last value, so the
		// index does too and positions name the value that was used.
		{`{"a":1,"a":22}`, Index{"": 0, "a": 11}},
	}
	for _, tt := range tests {
		idx, err := Scan([]byte(tt.in))
		if err != nil {
			t.Errorf("Scan(%q): %v", tt.in, err)
			continue
		}
		if !equal(idx, tt.want) {
			t.Errorf("Scan(%q) = %v, want %v", tt.in, idx, tt.want)
		}
	}
}

func equal(a, b Index) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// A syntax error's offset is the byte that the parser rejected, or the end
// of the data when the data stops too early: tthc.Decode turns it into the
// line:col that the editor is sent to.
func TestScanSyntaxErrorOffsets(t *testing.T) {
	tests := []struct {
		name string
		in   string
		at   string // the text that starts at the wanted offset; "" for the end of data
		nth  int
	}{
		{"empty input", "", "", 0},
		{"only white space", " \n\t ", "", 0},
		{"trailing comma in object", `{"a":1,}`, "}", 0},
		{"trailing comma in array", `[1,]`, "]", 0},
		{"trailing comma nested", "{\n  \"by_field\": [\n    {\"late\": 1,}\n  ]\n}", "}", 0},
		{"trailing comma after nested array element", `{"a":1,"b":[1,2,]}`, "]", 0},
		{"missing closing brace", `{"a":1`, "", 0},
		{"missing closing brace after white space", "{\"a\": [1, 2]\n", "", 0},
		{"missing closing bracket", `[1, 2`, "", 0},
		{"missing value", `{"a":`, "", 0},
		{"unterminated string", `{"a":"xyz`, "", 0},
		{"trailing word", `{"a":1} x`, "x", 0},
		{"trailing value on next line", "{\"a\":1}\n{\"b\":2}\n", "{", 1},
		{"trailing number", `1 2`, "2", 0},
		{"trailing array", `[1] [2]`, "[", 1},
		{"extra closing brace", `{}}`, "}", 1},
		{"extra closing bracket", `{"a":1}]`, "]", 0},
		{"closing bracket first", `]`, "]", 0},
		{"bad literal", `{"a":tru}`, "}", 0},
		{"bad literal after earlier values", `{"a":"xyz","b":nul}`, "}", 0},
		{"bad escape", `{"a":"\x"}`, "x", 0},
		{"control character in string", "{\"a\":\"x\x01\"}", "\x01", 0},
		{"missing colon", `{"a" 1}`, "1", 0},
		{"missing comma in array", `[1 2]`, "2", 0},
		{"missing comma in object", `{"a":1 "b":2}`, `"b"`, 0},
		{"leading zero", `{"a":01}`, "1", 0},
		{"non-string key", `{1:2}`, "1", 0},
		{"close brace in array", `{"a":[}`, "}", 0},
		{"Vietnamese before the error", `{"tên":"Hộ tịch",}`, "}", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := len(tt.in)
			if tt.at != "" {
				want = nthIndex(t, tt.in, tt.at, tt.nth)
			}
			idx, err := Scan([]byte(tt.in))
			if err == nil {
				t.Fatalf("Scan(%q) = %v, want an error", tt.in, idx)
			}
			if idx != nil {
				t.Errorf("Scan(%q) returned an index with its error", tt.in)
			}
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Scan(%q): %T %v, want a *SyntaxError", tt.in, err, err)
			}
			if se.Offset != want {
				t.Errorf("Scan(%q): offset %d (%q), want %d (%q); %s", tt.in, se.Offset, excerpt(tt.in, se.Offset), want, excerpt(tt.in, want), se.Msg)
			}
			if se.Msg == "" || se.Error() != se.Msg {
				t.Errorf("Scan(%q): message %q, Error() %q", tt.in, se.Msg, se.Error())
			}
		})
	}
}

// A document that stops early says so, in words an editor understands.
func TestScanUnexpectedEndMessage(t *testing.T) {
	for _, in := range []string{"", "  ", `{"a":1`, `{"a":`, `[1, 2`, `{`, `[`, `"abc`} {
		_, err := Scan([]byte(in))
		if err == nil {
			t.Errorf("Scan(%q) succeeded", in)
			continue
		}
		if got := err.Error(); got != "unexpected end of JSON input" {
			t.Errorf("Scan(%q): %q, want \"unexpected end of JSON input\"", in, got)
		}
	}
}

func TestParentChildElem(t *testing.T) {
	parents := []struct{ in, want string }{
		{"", ""},
		{"processed", ""},
		{"by_field", ""},
		{"by_field[2]", "by_field"},
		{"by_field[2].late", "by_field[2]"},
		{"a.b.c", "a.b"},
		{"m[1][0]", "m[1]"},
		{"[0]", ""},
		{"[0].x", "[0]"},
		{"history[10].period", "history[10]"},
	}
	for _, tt := range parents {
		if got := Parent(tt.in); got != tt.want {
			t.Errorf("Parent(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	children := []struct{ path, name, want string }{
		{"", "processed", "processed"},
		{"by_field[2]", "late", "by_field[2].late"},
		{"a", "b", "a.b"},
		{"", "", ""},
	}
	for _, tt := range children {
		if got := Child(tt.path, tt.name); got != tt.want {
			t.Errorf("Child(%q, %q) = %q, want %q", tt.path, tt.name, got, tt.want)
		}
	}
	elems := []struct {
		path string
		i    int
		want string
	}{
		{"by_field", 2, "by_field[2]"},
		{"", 0, "[0]"},
		{"m[1]", 10, "m[1][10]"},
	}
	for _, tt := range elems {
		if got := Elem(tt.path, tt.i); got != tt.want {
			t.Errorf("Elem(%q, %d) = %q, want %q", tt.path, tt.i, got, tt.want)
		}
	}
	// Parent undoes Child and Elem.
	for _, p := range []string{"", "a", "a[3]", "a.b[0].c"} {
		if got := Parent(Child(p, "x")); got != p {
			t.Errorf("Parent(Child(%q, x)) = %q", p, got)
		}
		if got := Parent(Elem(p, 7)); got != p {
			t.Errorf("Parent(Elem(%q, 7)) = %q", p, got)
		}
	}
}

func TestIndexOffsetFallsBackToAncestor(t *testing.T) {
	in := `{"by_field": [{"name": "A"}, {"name": "B", "late": 3}], "history": []}`
	idx, err := Scan([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	obj1 := strings.Index(in, `{"name": "B"`)
	tests := []struct {
		path string
		want int
	}{
		{"", 0},
		{"by_field", strings.Index(in, "[")},
		{"by_field[1].late", strings.Index(in, "3")},
		{"by_field[1].processed", obj1},                              // missing member: the object that lacks it
		{"by_field[0].processed", strings.Index(in, `{"name": "A"`)}, // same, other element
		{"by_field[7]", strings.Index(in, "[")},                      // missing element: the array
		{"by_field[7].late", strings.Index(in, "[")},                 // its member: still the array
		{"history[0].period", strings.Index(in, "[]")},
		{"processed", 0}, // missing at the top: the root
		{"a.b.c[1]", 0},
	}
	for _, tt := range tests {
		if got := idx.Offset(tt.path); got != tt.want {
			t.Errorf("Offset(%q) = %d, want %d", tt.path, got, tt.want)
		}
	}
	if got := (Index{}).Offset("a.b"); got != 0 {
		t.Errorf("empty index: Offset = %d, want 0", got)
	}
	if got := (Index{"": 3}).Offset("x[2].y"); got != 3 {
		t.Errorf("root only: Offset = %d, want 3", got)
	}
}

func FuzzScan(f *testing.F) {
	for _, s := range []string{
		doc, "", " ", "{}", "[]", "1", "-0.5e+7", `"Đảng ủy"`, `{"a":1,}`, `[1,]`, `{"a":1`,
		`{"a":1} x`, `1 2`, `{}}`, `{"a":[{"b":[1,{"c":null}]}]}`, `{"a":"\u00e9\ud83d\ude00"}`,
		"\xef\xbb\xbf{}", `{"a" 1}`, `nul`, `[[[[[[]]]]]]`, "\"\xff\"", `{"a":1,"a":2}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		idx, err := Scan(data)
		valid := json.Valid(data)
		if valid != (err == nil) {
			t.Fatalf("json.Valid = %v but Scan error = %v", valid, err)
		}
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error %T %v is not a *SyntaxError", err, err)
			}
			if se.Offset < 0 || se.Offset > len(data) {
				t.Fatalf("syntax error offset %d outside 0..%d", se.Offset, len(data))
			}
			return
		}
		if _, ok := idx[""]; !ok {
			t.Fatalf("root not indexed: %v", idx)
		}
		for p, off := range idx {
			if off < 0 || off >= len(data) {
				t.Fatalf("%q at %d, outside the data (%d bytes)", p, off, len(data))
			}
			// Every value starts with one of these bytes.
			if !strings.ContainsRune(`{["-0123456789tfn`, rune(data[off])) {
				t.Fatalf("%q at %d starts with %q, not a value", p, off, data[off])
			}
		}
	})
}
