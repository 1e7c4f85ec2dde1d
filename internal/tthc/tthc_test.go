package tthc

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/congxa/congxa/internal/diag"
)

const name = "content/tthc.json"

// buildTime is a week after the seed's export; the time zone of the
// machine running the tests plays no part.
var buildTime = time.Date(2023, 12, 9, 3, 0, 0, 0, time.UTC)

// base is a small valid snapshot. Line and column of each value, used by
// the expected diagnostics below:
//
//	2:17 updated_at   3:13 period   4:16 processed   5:14 on_time   6:11 late
//	8:5 by_field[0]   8:38 by_field[0].processed   8:67 by_field[0].late
//	9:5 by_field[1]   9:38 by_field[1].processed   9:53 by_field[1].on_time   9:65 by_field[1].late
//	12:5 history[0]   12:16 history[0].period   12:40 history[0].processed
//	13:5 history[1]   13:16 history[1].period
const base = `{
  "updated_at": "2023-12-02T22:14:02+07:00",
  "period": "2023-12",
  "processed": 1035,
  "on_time": 1034,
  "late": 1,
  "by_field": [
    {"name": "Hộ tịch", "processed": 412, "on_time": 412, "late": 0},
    {"name": "Đất đai", "processed": 46, "on_time": 45, "late": 1}
  ],
  "history": [
    {"period": "2023-11", "processed": 86, "on_time": 86, "late": 0},
    {"period": "2023-12", "processed": 88, "on_time": 88, "late": 0}
  ]
}
`

// edit replaces old, which must occur exactly once in base.
func edit(t *testing.T, old, new string) string {
	t.Helper()
	if n := strings.Count(base, old); n != 1 {
		t.Fatalf("%q occurs %d times in base", old, n)
	}
	return strings.Replace(base, old, new, 1)
}

func decode(data string, now time.Time) (*Snapshot, diag.List) {
	return Decode(diag.Source{Name: name, Data: []byte(data)}, now)
}

func TestDecodeSeed(t *testing.T) {
	data, err := os.ReadFile("testdata/seed.json")
	if err != nil {
		t.Fatal(err)
	}
	s, diags := Decode(diag.Source{Name: name, Data: data}, buildTime)
	if len(diags) != 0 {
		t.Fatalf("diagnostics:\n%s", diags)
	}
	if s == nil {
		t.Fatal("nil snapshot")
	}
	if want := time.Date(2023, 12, 2, 15, 14, 2, 0, time.UTC); !s.UpdatedAt.Equal(want) {
		t.Errorf("UpdatedAt = %v, want %v", s.UpdatedAt, want)
	}
	if _, off := s.UpdatedAt.Zone(); off != 7*3600 {
		t.Errorf("UpdatedAt keeps offset %d s, want the file's +07:00", off)
	}
	if s.Period != "2023-12" || s.Year != 2023 || s.Month != 12 {
		t.Errorf("period = %q %d %d, want 2023-12 2023 12", s.Period, s.Year, s.Month)
	}
	if want := (Counts{Processed: 1035, OnTime: 1034, Late: 1}); s.Counts != want {
		t.Errorf("Counts = %+v, want %+v", s.Counts, want)
	}
	if r, ok := s.OnTimeRate(); r != 999 || !ok {
		t.Errorf("OnTimeRate = %d, %v, want 999 (99,9 %%), true", r, ok)
	}
	if r, ok := s.LateRate(); r != 1 || !ok {
		t.Errorf("LateRate = %d, %v, want 1 (0,1 %%), true", r, ok)
	}
	wantFields := []Field{
		{"Hộ tịch", Counts{412, 412, 0}},
		{"Chứng thực", Counts{398, 398, 0}},
		{"Lao động - Thương binh và Xã hội", Counts{151, 151, 0}},
		{"Đất đai", Counts{46, 45, 1}},
		{"Tư pháp khác", Counts{20, 20, 0}},
		{"Văn hóa", Counts{8, 8, 0}},
	}
	if len(s.ByField) != len(wantFields) {
		t.Fatalf("%d fields, want %d", len(s.ByField), len(wantFields))
	}
	for i, f := range wantFields {
		if s.ByField[i] != f {
			t.Errorf("ByField[%d] = %+v, want %+v", i, s.ByField[i], f)
		}
	}
	if len(s.History) != 12 {
		t.Fatalf("%d months of history, want 12", len(s.History))
	}
	var sum int64
	for i, m := range s.History {
		if m.Year != 2023 || m.Month != i+1 || m.Period != time.Date(2023, time.Month(i+1), 1, 0, 0, 0, 0, time.UTC).Format("2006-01") {
			t.Errorf("History[%d] = %+v, want month %d of 2023", i, m, i+1)
		}
		sum += m.Processed
	}
	if sum != 1035 {
		t.Errorf("history adds up to %d, want 1035", sum)
	}
	if m := s.History[2]; m.Counts != (Counts{104, 103, 1}) {
		t.Errorf("March = %+v, want 104/103/1", m.Counts)
	}
}

func TestRates(t *testing.T) {
	tests := []struct {
		c            Counts
		onTime, late int64
		ok           bool
	}{
		{Counts{1035, 1034, 1}, 999, 1, true},
		{Counts{0, 0, 0}, 0, 0, false},
		{Counts{3, 3, 0}, 1000, 0, true},
		{Counts{3, 2, 1}, 667, 333, true},
		{Counts{8, 7, 1}, 875, 125, true},      // 87,5 % exactly
		{Counts{2000, 1999, 1}, 1000, 1, true}, // 99,95 % rounds half up to 100,0 %
		{Counts{46, 45, 1}, 978, 22, true},
	}
	for _, tt := range tests {
		r, ok := tt.c.OnTimeRate()
		if r != tt.onTime || ok != tt.ok {
			t.Errorf("%+v.OnTimeRate() = %d, %v, want %d, %v", tt.c, r, ok, tt.onTime, tt.ok)
		}
		r, ok = tt.c.LateRate()
		if r != tt.late || ok != tt.ok {
			t.Errorf("%+v.LateRate() = %d, %v, want %d, %v", tt.c, r, ok, tt.late, tt.ok)
		}
	}
}

func TestDecodeNothingProcessed(t *testing.T) {
	data := `{"updated_at": "2023-01-01T08:00:00+07:00", "period": "2023-01", "processed": 0, "on_time": 0, "late": 0}`
	s, diags := decode(data, buildTime)
	if len(diags) != 0 || s == nil {
		t.Fatalf("snapshot %v, diagnostics:\n%s", s, diags)
	}
	if r, ok := s.OnTimeRate(); ok {
		t.Errorf("OnTimeRate with nothing processed = %d, true; want not ok", r)
	}
	if r, ok := s.LateRate(); ok {
		t.Errorf("LateRate with nothing processed = %d, true; want not ok", r)
	}
	if s.ByField != nil || s.History != nil {
		t.Errorf("optional lists: %v %v, want none", s.ByField, s.History)
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name string
		data func(t *testing.T) string
		now  time.Time
		want string // sorted diagnostics, as printed
	}{
		{
			"invalid JSON: trailing comma",
			func(t *testing.T) string { return edit(t, `"late": 1}`+"\n  ],", `"late": 1},`+"\n  ],") },
			buildTime,
			"content/tthc.json:10:3: invalid JSON: invalid character ']' looking for beginning of value\n",
		},
		{
			"invalid JSON: bad byte after a number",
			func(t *testing.T) string { return edit(t, `"processed": 1035,`, `"processed": 1035;`) },
			buildTime,
			"content/tthc.json:4:20: invalid JSON: invalid character ';' after object key:value pair\n",
		},
		{
			"invalid JSON: bad literal",
			func(t *testing.T) string { return edit(t, `"late": 1,`, `"late": tru,`) },
			buildTime,
			"content/tthc.json:6:14: invalid JSON: invalid character ',' in literal true (expecting 'e')\n",
		},
		{
			"invalid JSON: missing closing brace",
			func(t *testing.T) string { return strings.TrimSuffix(base, "}\n") },
			buildTime,
			"content/tthc.json:15:1: invalid JSON: unexpected end of JSON input\n",
		},
		{
			"invalid JSON: empty file",
			func(*testing.T) string { return "" },
			buildTime,
			"content/tthc.json:1:1: invalid JSON: unexpected end of JSON input\n",
		},
		{
			"not an object",
			func(*testing.T) string { return "\n  [1035, 1034, 1]\n" },
			buildTime,
			"content/tthc.json:2:3: the snapshot must be a JSON object\n",
		},
		{
			"count as text",
			func(t *testing.T) string { return edit(t, `"processed": 1035,`, `"processed": "1035",`) },
			buildTime,
			`content/tthc.json:4:16: processed must be a whole number, not "1035"` + "\n",
		},
		{
			"count with a fraction",
			func(t *testing.T) string { return edit(t, `"on_time": 1034,`, `"on_time": 1034.5,`) },
			buildTime,
			"content/tthc.json:5:14: on_time must be a whole number, not 1034.5\n",
		},
		{
			"count null",
			func(t *testing.T) string { return edit(t, `"late": 1,`, `"late": null,`) },
			buildTime,
			"content/tthc.json:6:11: late must be a whole number, not null\n",
		},
		{
			"negative count",
			func(t *testing.T) string { return edit(t, `"late": 1,`, `"late": -1,`) },
			buildTime,
			"content/tthc.json:6:11: late must not be negative, not -1\n",
		},
		{
			"negative count in by_field",
			func(t *testing.T) string { return edit(t, `"on_time": 412, "late": 0`, `"on_time": 412, "late": -3`) },
			buildTime,
			"content/tthc.json:8:67: by_field[0].late must not be negative, not -3\n",
		},
		{
			"missing count",
			func(t *testing.T) string { return edit(t, "  \"late\": 1,\n", "") },
			buildTime,
			`content/tthc.json:1:1: missing field "late"` + "\n",
		},
		{
			"missing count in by_field",
			func(t *testing.T) string { return edit(t, `"on_time": 45, "late": 1}`, `"on_time": 45}`) },
			buildTime,
			`content/tthc.json:9:5: missing field "by_field[1].late"` + "\n",
		},
		{
			"does not add up",
			func(t *testing.T) string { return edit(t, `"processed": 1035,`, `"processed": 1036,`) },
			buildTime,
			"content/tthc.json:4:16: the snapshot does not add up: on_time 1034 + late 1 = 1035, but processed is 1036\n",
		},
		{
			"does not add up in by_field[1]",
			func(t *testing.T) string { return edit(t, `"on_time": 45,`, `"on_time": 44,`) },
			buildTime,
			"content/tthc.json:9:38: by_field[1] does not add up: on_time 44 + late 1 = 45, but processed is 46\n",
		},
		{
			"does not add up in history[0]",
			func(t *testing.T) string {
				return edit(t, `"processed": 86, "on_time": 86, "late": 0`, `"processed": 86, "on_time": 86, "late": 1`)
			},
			buildTime,
			"content/tthc.json:12:40: history[0] does not add up: on_time 86 + late 1 = 87, but processed is 86\n",
		},
		{
			"updated_at without offset",
			func(t *testing.T) string { return edit(t, `"2023-12-02T22:14:02+07:00"`, `"2023-12-02T22:14:02"`) },
			buildTime,
			`content/tthc.json:2:17: updated_at "2023-12-02T22:14:02" must be an RFC 3339 date with an offset, e.g. "2023-12-02T22:14:02+07:00"` + "\n",
		},
		{
			"updated_at in Vietnamese form",
			func(t *testing.T) string { return edit(t, `"2023-12-02T22:14:02+07:00"`, `"02/12/2023 22:14:02"`) },
			buildTime,
			`content/tthc.json:2:17: updated_at "02/12/2023 22:14:02" must be an RFC 3339 date with an offset, e.g. "2023-12-02T22:14:02+07:00"` + "\n",
		},
		{
			"updated_at a number",
			func(t *testing.T) string { return edit(t, `"2023-12-02T22:14:02+07:00"`, `1701530042`) },
			buildTime,
			`content/tthc.json:2:17: updated_at must be a text date, e.g. "2023-12-02T22:14:02+07:00"` + "\n",
		},
		{
			"updated_at in the future",
			func(*testing.T) string { return base },
			time.Date(2023, 12, 2, 15, 0, 0, 0, time.UTC), // 22:00 in Vietnam, 14 minutes before the export
			`content/tthc.json:2:17: updated_at "2023-12-02T22:14:02+07:00" is in the future (the build's time is 2023-12-02T15:00:00Z)` + "\n",
		},
		{
			"missing updated_at",
			func(t *testing.T) string { return edit(t, "  \"updated_at\": \"2023-12-02T22:14:02+07:00\",\n", "") },
			buildTime,
			`content/tthc.json:1:1: missing field "updated_at": the time of the export, e.g. "2023-12-02T22:14:02+07:00"` + "\n",
		},
		{
			"period month 13",
			func(t *testing.T) string { return edit(t, "\"period\": \"2023-12\",\n", `"period": "2023-13",`+"\n") },
			buildTime,
			`content/tthc.json:3:13: period "2023-13" has no month 13` + "\n",
		},
		{
			"period month 00",
			func(t *testing.T) string { return edit(t, "\"period\": \"2023-12\",\n", `"period": "2023-00",`+"\n") },
			buildTime,
			`content/tthc.json:3:13: period "2023-00" has no month 0` + "\n",
		},
		{
			"period mm/yyyy",
			func(t *testing.T) string { return edit(t, "\"period\": \"2023-12\",\n", `"period": "12/2023",`+"\n") },
			buildTime,
			`content/tthc.json:3:13: period must be a month written yyyy-mm, e.g. "2023-12"` + "\n",
		},
		{
			"period a number",
			func(t *testing.T) string { return edit(t, "\"period\": \"2023-12\",\n", `"period": 202312,`+"\n") },
			buildTime,
			`content/tthc.json:3:13: period must be a month written yyyy-mm, e.g. "2023-12"` + "\n",
		},
		{
			"missing period",
			func(t *testing.T) string { return edit(t, "  \"period\": \"2023-12\",\n", "") },
			buildTime,
			`content/tthc.json:1:1: missing field "period": the month the figures reach, e.g. "2023-12"` + "\n",
		},
		{
			"bad history period",
			func(t *testing.T) string { return edit(t, `{"period": "2023-11"`, `{"period": "11/2023"`) },
			buildTime,
			`content/tthc.json:12:16: history[0].period must be a month written yyyy-mm, e.g. "2023-12"` + "\n",
		},
		{
			"missing history period",
			func(t *testing.T) string { return edit(t, `{"period": "2023-11", `, `{`) },
			buildTime,
			`content/tthc.json:12:5: history[0]: missing field "period"` + "\n",
		},
		{
			"duplicate history period",
			func(t *testing.T) string { return edit(t, `{"period": "2023-12"`, `{"period": "2023-11"`) },
			buildTime,
			`content/tthc.json:13:16: history[1].period: period "2023-11" appears twice in history` + "\n",
		},
		{
			"empty field name",
			func(t *testing.T) string { return edit(t, `"name": "Hộ tịch"`, `"name": "  "`) },
			buildTime,
			"content/tthc.json:8:14: by_field[0].name must be a non-empty text\n",
		},
		{
			"missing field name",
			func(t *testing.T) string { return edit(t, `{"name": "Đất đai", `, `{`) },
			buildTime,
			"content/tthc.json:9:5: by_field[1].name must be a non-empty text\n",
		},
		{
			"by_field not a list",
			func(*testing.T) string {
				return `{"updated_at": "2023-12-02T22:14:02+07:00", "period": "2023-12", "processed": 0, "on_time": 0, "late": 0, "by_field": {}}`
			},
			buildTime,
			"content/tthc.json:1:119: by_field must be a list of fields\n",
		},
		{
			"history element not an object",
			func(*testing.T) string {
				return `{"updated_at": "2023-12-02T22:14:02+07:00", "period": "2023-12", "processed": 0, "on_time": 0, "late": 0, "history": ["2023-11"]}`
			},
			buildTime,
			"content/tthc.json:1:119: history[0] must be an object with period, processed, on_time and late\n",
		},
		{
			"several problems, each reported",
			func(t *testing.T) string {
				s := edit(t, "\"period\": \"2023-12\",\n", `"period": "2023-13",`+"\n")
				s = strings.Replace(s, `"on_time": 45,`, `"on_time": 44,`, 1)
				return strings.Replace(s, `"processed": 1035,`, `"processed": -1035,`, 1)
			},
			buildTime,
			`content/tthc.json:3:13: period "2023-13" has no month 13` + "\n" +
				"content/tthc.json:4:16: processed must not be negative, not -1035\n" +
				"content/tthc.json:9:38: by_field[1] does not add up: on_time 44 + late 1 = 45, but processed is 46\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, diags := decode(tt.data(t), tt.now)
			if s != nil {
				t.Errorf("snapshot %+v returned with errors", s)
			}
			if !diags.HasErrors() {
				t.Errorf("no error")
			}
			diags.Sort()
			if got := diags.String(); got != tt.want {
				t.Errorf("diagnostics:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestDecodeFutureTolerance(t *testing.T) {
	export := time.Date(2023, 12, 2, 15, 14, 2, 0, time.UTC)
	tests := []struct {
		name string
		now  time.Time
		ok   bool
	}{
		{"a week later", buildTime, true},
		{"same instant", export, true},
		{"clock 4 minutes behind", export.Add(-4 * time.Minute), true},
		{"clock exactly 5 minutes behind", export.Add(-5 * time.Minute), true},
		{"clock 5 minutes 1 second behind", export.Add(-5*time.Minute - time.Second), false},
		{"a day before", export.Add(-24 * time.Hour), false},
		{"same instant in another zone", export.In(time.FixedZone("X", -10*3600)), true},
		{"zero now: no check", time.Time{}, true},
	}
	for _, tt := range tests {
		s, diags := decode(base, tt.now)
		if ok := s != nil && !diags.HasErrors(); ok != tt.ok {
			t.Errorf("%s: ok = %v, want %v; diagnostics:\n%s", tt.name, ok, tt.ok, diags)
		}
	}
}

func TestDecodeUnknownFieldIsAWarning(t *testing.T) {
	data := edit(t, `  "period": "2023-12",`, `  "period": "2023-12", "ghi_chu": "số liệu tạm",`+"\n"+`  "Processed": 1,`)
	s, diags := decode(data, buildTime)
	if s == nil {
		t.Fatalf("no snapshot; diagnostics:\n%s", diags)
	}
	if diags.HasErrors() {
		t.Errorf("unknown fields made errors:\n%s", diags)
	}
	diags.Sort()
	want := `content/tthc.json:3:35: warning: unknown field "ghi_chu" (known fields: updated_at, period, processed, on_time, late, by_field, history)` + "\n" +
		`content/tthc.json:4:16: warning: unknown field "Processed" (known fields: updated_at, period, processed, on_time, late, by_field, history)` + "\n"
	if got := diags.String(); got != want {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", got, want)
	}
	if s.Processed != 1035 {
		t.Errorf("Processed = %d, want 1035", s.Processed)
	}
}

func TestDecodeHistorySorted(t *testing.T) {
	data := edit(t, `"history": [
    {"period": "2023-11", "processed": 86, "on_time": 86, "late": 0},
    {"period": "2023-12", "processed": 88, "on_time": 88, "late": 0}
  ]`, `"history": [
    {"period": "2023-12", "processed": 88, "on_time": 88, "late": 0},
    {"period": "2022-12", "processed": 5, "on_time": 5, "late": 0},
    {"period": "2023-01", "processed": 7, "on_time": 6, "late": 1},
    {"period": "2023-11", "processed": 86, "on_time": 86, "late": 0}
  ]`)
	s, diags := decode(data, buildTime)
	if s == nil || len(diags) != 0 {
		t.Fatalf("snapshot %v, diagnostics:\n%s", s, diags)
	}
	want := []Month{
		{"2022-12", 2022, 12, Counts{5, 5, 0}},
		{"2023-01", 2023, 1, Counts{7, 6, 1}},
		{"2023-11", 2023, 11, Counts{86, 86, 0}},
		{"2023-12", 2023, 12, Counts{88, 88, 0}},
	}
	if len(s.History) != len(want) {
		t.Fatalf("History = %+v", s.History)
	}
	for i := range want {
		if s.History[i] != want[i] {
			t.Errorf("History[%d] = %+v, want %+v", i, s.History[i], want[i])
		}
	}
}

func TestDecodeFieldNamesNormalised(t *testing.T) {
	nfd := norm.NFD.String("Hộ tịch")
	if nfd == "Hộ tịch" {
		t.Fatal("test needs a decomposed name")
	}
	s, diags := decode(edit(t, `"name": "Hộ tịch"`, `"name": "  `+nfd+` "`), buildTime)
	if s == nil {
		t.Fatalf("diagnostics:\n%s", diags)
	}
	if got := s.ByField[0].Name; got != "Hộ tịch" {
		t.Errorf("name = %+q, want NFC %+q without surrounding spaces", got, "Hộ tịch")
	}
}

func FuzzDecode(f *testing.F) {
	seed, err := os.ReadFile("testdata/seed.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte(base))
	f.Add([]byte(`{"processed": 1, "on_time": 1, "late": 0, "history": [{"period": "2023-01"}, 1]}`))
	f.Add([]byte(`{"by_field": [null, {"name": 1}], "period": 1}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, diags := Decode(diag.Source{Name: name, Data: data}, buildTime)
		if (s == nil) != diags.HasErrors() {
			t.Fatalf("snapshot %v with diagnostics:\n%s", s, diags)
		}
		lines := bytes.Count(data, []byte("\n")) + 1
		for _, d := range diags {
			if d.Pos.File != name || d.Pos.Line < 1 || d.Pos.Line > lines || d.Pos.Col < 1 {
				t.Fatalf("position %v outside the file (%d lines): %s", d.Pos, lines, d)
			}
		}
		if s == nil {
			return
		}
		for _, c := range append([]Counts{s.Counts}, fieldCounts(s)...) {
			if c.Processed < 0 || c.OnTime < 0 || c.Late < 0 || c.OnTime+c.Late != c.Processed {
				t.Fatalf("accepted counts %+v", c)
			}
			if r, ok := c.OnTimeRate(); ok && (r < 0 || r > 1000) {
				t.Fatalf("rate %d of %+v", r, c)
			}
		}
		for i := 1; i < len(s.History); i++ {
			if s.History[i-1].Period >= s.History[i].Period {
				t.Fatalf("history not sorted or repeated: %+v", s.History)
			}
		}
	})
}

func fieldCounts(s *Snapshot) []Counts {
	var out []Counts
	for _, f := range s.ByField {
		out = append(out, f.Counts)
	}
	for _, m := range s.History {
		out = append(out, m.Counts)
	}
	return out
}
