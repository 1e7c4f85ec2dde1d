package content

import (
	"bytes"
	"encoding/json"
	"strconv"
	"testing"
	"unicode/utf8"

	"github.com/congxa/congxa/internal/diag"
	"github.com/congxa/congxa/internal/vn"
)

// pageSeeds are front matter in every form the loader takes, and broken.
var pageSeeds = []string{
	"---\ntitle: A\ndate: 01/03/2024 08:00\n---\nBody\n",
	"---\ntitle: A\n---\n",
	"---\r\ntitle: A\r\n---\r\nBody\r\n",
	"\n\n---\ntitle: A\n---\nBody\n",
	"---\ntitle: A\n--- \nBody\n---\nmore\n",
	"---yaml\ntitle: A\n---\nB",
	"+++\ntitle = \"A\"\ndate = 2022-03-28T08:53:45\n+++\nBody\n",
	"---toml\ntitle = \"A\"\n---\n",
	";;;\n{\"title\": \"A\", \"tags\": [\"x\"]}\n;;;\nBody\n",
	"---json\n{\"title\": \"A\"}\n---\n",
	"{\n  \"title\": \"A\",\n  \"date\": \"28/03/2022\"\n}\n\nBody\n",
	"{\n  \"title\": \"A\"\n}\nBody\n",
	"{\"title\": \"A\"}\n\n",
	"+++\ntitle = \"A\"\n",
	"---\n- a\n- b\n---\n",
	"---\ntitle: [\n---\n",
	"---\ntitle: A\ntitle: B\n---\n",
	"\uFEFF---\ntitle: A\n---\n",
	"---\ntitle: X\x61\xDE B\n---\n",
	"---\ntitle: \"Đa\u0309ng u\u0309y\"\ntags: [a, \"\v\"]\nslug: a-b\naliases: [/x.html, \"?\"]\n---\n\u2028\n",
	"---\ntitle: A\ndate: 31/02/2024\nexpires: 01/01/2020\ncatgory: x\n---\n",
	"",
	"\n",
	"---",
	"---\n",
	"---\n---\n",
	"Body without front matter\n",
}

// FuzzLoadPage splits and loads any file as a page: no panic; the body is
// the end of the file, and its line is the line it starts on; every
// position given is inside the file; a page comes back exactly when there
// is no error.
func FuzzLoadPage(f *testing.F) {
	for _, s := range pageSeeds {
		f.Add([]byte(s))
	}
	loc, err := vn.LoadLocation("")
	if err != nil {
		f.Fatal(err)
	}
	const name = "content/tin-tuc/bai.md"
	f.Fuzz(func(t *testing.T, data []byte) {
		// split alone, on the bytes as they are.
		src := diag.Source{Name: name, Data: data}
		fm, body, bodyLine, derr := split(src)
		switch {
		case derr != nil:
			checkPos(t, data, derr.pos)
		case fm == nil:
			if !bytes.Equal(body, data) || bodyLine != 1 {
				t.Fatalf("no front matter, but body %q at line %d", body, bodyLine)
			}
		default:
			checkBody(t, data, body, bodyLine)
			checkNode(t, data, fm)
		}

		// The whole page.
		var diags diag.List
		pg := loadPage(src, loc, &diags)
		for _, d := range diags {
			checkPos(t, data, d.Pos)
		}
		if (pg == nil) != diags.HasErrors() {
			t.Fatalf("page %v with diagnostics:\n%s", pg != nil, diags)
		}
		if pg == nil {
			return
		}
		checkBody(t, cleanText(data), pg.Body, pg.BodyLine)
		for _, k := range pg.Keys {
			checkPos(t, data, pg.At(k.Key))
		}
		if !utf8.ValidString(pg.Title) || pg.Title == "" {
			t.Fatalf("title %q", pg.Title)
		}
	})
}

// checkBody: body is the end of data, and starts on line bodyLine.
func checkBody(t *testing.T, data, body []byte, bodyLine int) {
	t.Helper()
	off := len(data) - len(body)
	if off < 0 || !bytes.Equal(data[off:], body) {
		t.Fatalf("body %q is not the end of the file %q", body, data)
	}
	if want := 1 + bytes.Count(data[:off], []byte("\n")); bodyLine != want {
		t.Fatalf("body at line %d, but it starts on line %d of %q", bodyLine, want, data)
	}
}

// checkPos: p is a line and column of data, or the whole file (0:0).
func checkPos(t *testing.T, data []byte, p diag.Pos) {
	t.Helper()
	if p.Line == 0 && p.Col == 0 {
		return
	}
	lines := bytes.Split(data, []byte("\n"))
	if p.Line < 1 || p.Line > len(lines) {
		t.Fatalf("position %d:%d outside the file's %d lines: %q", p.Line, p.Col, len(lines), data)
	}
	// Columns count characters (of the text in NFC, which has no more
	// than the file): at most one past the line's end.
	if n := utf8.RuneCount(lines[p.Line-1]); p.Col < 0 || p.Col > n+1 {
		t.Fatalf("position %d:%d outside line %d, %d characters long: %q", p.Line, p.Col, p.Line, n, data)
	}
}

func checkNode(t *testing.T, data []byte, n *node) {
	t.Helper()
	checkPos(t, data, n.pos)
	for _, it := range n.items {
		checkNode(t, data, it)
	}
	for _, k := range n.keys {
		checkPos(t, data, n.vals[k].kpos)
		checkNode(t, data, n.vals[k])
	}
}

// FuzzDecodeVisits decodes any visits.json: no panic, positions inside the
// file, and counts accepted only when the file is JSON that holds them as
// whole numbers of at least 0, as encoding/json reads it.
func FuzzDecodeVisits(f *testing.F) {
	for _, s := range []string{
		`{"online": 1, "today": 4, "total": 292959, "updated_at": "2023-12-02T22:14:02+07:00"}`,
		`{"online": 1, "today": 4, "total": 292959, "updated_at": "2023-12-02T22:14:02+07:00", "watermark": {"from": "x", "to": "y", "lines": 3}}`,
		`{"online": -1, "today": "4", "total": 292959}`,
		`{"online": 1e3, "today": 4.0, "total": 9223372036854775808}`,
		`{"online": 1, "today": 4, "total": 5, "online": 2}`,
		`{"online": 1, "today": 4, "total": 5, "watermark": 1, "x": null}`,
		`{"online": 1, "today": 4}`,
		`[1, 2]`,
		`{"online": 1,`,
		"{\n  \"online\": 1,\n  \"today\": 2,\n  \"total\": 3,\n  \"updated_at\": \"hôm qua\"\n}\n",
		"",
		"\uFEFF{}",
	} {
		f.Add([]byte(s))
	}
	const name = "content/visits.json"
	f.Fuzz(func(t *testing.T, data []byte) {
		var diags diag.List
		v := decodeVisits(diag.Source{Name: name, Data: data}, &diags)
		for _, d := range diags {
			if d.Pos.File != name {
				t.Fatalf("diagnostic for %q: %s", d.Pos.File, d)
			}
			checkPos(t, data, d.Pos)
		}
		if (v == nil) != diags.HasErrors() {
			t.Fatalf("visits %+v with diagnostics:\n%s", v, diags)
		}
		if v == nil {
			return
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatalf("accepted %q, which encoding/json refuses: %v", data, err)
		}
		for key, got := range map[string]int64{"online": v.Online, "today": v.Today, "total": v.Total} {
			want, err := strconv.ParseInt(string(m[key]), 10, 64)
			if err != nil || want != got || got < 0 {
				t.Fatalf("%s = %d, but the file has %s (%v)", key, got, m[key], err)
			}
		}
		if raw, ok := m["updated_at"]; ok {
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				t.Fatalf("updated_at %s accepted: %v", raw, err)
			}
			if v.UpdatedAt.IsZero() {
				t.Fatalf("updated_at %s read as %v", raw, v.UpdatedAt)
			}
		}
	})
}
