package vn

import (
	"strings"
	"testing"
	"time"
)

func mustLoad(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestLoadLocation(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "Asia/Ho_Chi_Minh"},
		{"Asia/Ho_Chi_Minh", "Asia/Ho_Chi_Minh"},
		{"Asia/Saigon", "Asia/Saigon"},
		{"Asia/Bangkok", "Asia/Bangkok"},
		{"UTC", "UTC"},
	}
	for _, tt := range tests {
		loc, err := LoadLocation(tt.in)
		if err != nil {
			t.Errorf("LoadLocation(%q): %v", tt.in, err)
			continue
		}
		if loc.String() != tt.want {
			t.Errorf("LoadLocation(%q) = %s, want %s", tt.in, loc, tt.want)
		}
	}
	// The zone must have its real rules, not a stand-in offset.
	loc := mustLoad(t, "")
	if _, off := time.Date(2022, 3, 28, 8, 53, 45, 0, loc).Zone(); off != 7*3600 {
		t.Errorf("Asia/Ho_Chi_Minh offset in 2022 = %d, want %d", off, 7*3600)
	}
	if _, off := time.Date(1970, 1, 1, 0, 0, 0, 0, loc).Zone(); off != 8*3600 {
		t.Errorf("Asia/Ho_Chi_Minh offset in 1970 = %d, want %d (Saigon kept UTC+8 until 1975)", off, 8*3600)
	}
}

func TestLoadLocationErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Mars/Olympus_Mons", `unknown time zone "Mars/Olympus_Mons"; use an IANA name such as Asia/Ho_Chi_Minh`},
		{"asia/ho_chi_minh", `unknown time zone "asia/ho_chi_minh"; use an IANA name such as Asia/Ho_Chi_Minh`},
		{"../etc/passwd", `unknown time zone "../etc/passwd"; use an IANA name such as Asia/Ho_Chi_Minh`},
		{"Local", `time zone "Local" depends on the machine that builds the site; use an IANA name such as Asia/Ho_Chi_Minh`},
	}
	for _, tt := range tests {
		loc, err := LoadLocation(tt.in)
		if err == nil {
			t.Errorf("LoadLocation(%q) = %v, want an error", tt.in, loc)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("LoadLocation(%q) error = %q, want %q", tt.in, err, tt.want)
		}
	}
}

func TestParseDate(t *testing.T) {
	hcm := mustLoad(t, "")
	ny := mustLoad(t, "America/New_York")
	plus7 := time.FixedZone("", 7*3600)
	tests := []struct {
		in   string
		loc  *time.Location
		want string // RFC 3339 in UTC, with nanoseconds when any
	}{
		// RFC 3339: the offset decides, whatever loc is.
		{"2022-03-28T08:53:45+07:00", hcm, "2022-03-28T01:53:45Z"},
		{"2022-03-28T08:53:45+07:00", time.UTC, "2022-03-28T01:53:45Z"},
		{"2022-03-28T01:53:45Z", hcm, "2022-03-28T01:53:45Z"},
		{"2022-03-28t01:53:45z", hcm, "2022-03-28T01:53:45Z"},
		{"2022-03-28T08:53:45.5+07:00", hcm, "2022-03-28T01:53:45.5Z"},
		{"2022-03-28T08:53:45.123456789+07:00", hcm, "2022-03-28T01:53:45.123456789Z"},
		{"2022-03-28T08:53:45.000001Z", hcm, "2022-03-28T08:53:45.000001Z"},
		{"2022-03-28T08:53:45-05:30", hcm, "2022-03-28T14:23:45Z"},
		{"2022-03-28T08:53:45-00:00", hcm, "2022-03-28T08:53:45Z"},
		{"2022-03-28 08:53:45+07:00", time.UTC, "2022-03-28T01:53:45Z"},
		{"2022-03-28T08:53+07:00", time.UTC, "2022-03-28T01:53:00Z"},
		{"2022-01-01T00:30:00+07:00", time.UTC, "2021-12-31T17:30:00Z"},
		// No offset: a wall time in loc.
		{"2022-03-28T08:53:45", hcm, "2022-03-28T01:53:45Z"},
		{"2022-03-28T08:53:45", time.UTC, "2022-03-28T08:53:45Z"},
		{"2022-03-28T08:53:45", plus7, "2022-03-28T01:53:45Z"},
		{"2022-03-28T08:53:45.25", hcm, "2022-03-28T01:53:45.25Z"},
		{"2022-03-28 08:53:45", hcm, "2022-03-28T01:53:45Z"},
		{"2022-03-28  08:53:45", hcm, "2022-03-28T01:53:45Z"},
		{"2022-03-28 08:53", hcm, "2022-03-28T01:53:00Z"},
		{"2022-03-28", hcm, "2022-03-27T17:00:00Z"},
		{"2022-03-28", time.UTC, "2022-03-28T00:00:00Z"},
		{"2022-07-01 12:00", ny, "2022-07-01T16:00:00Z"},  // EDT
		{"2022-01-01 12:00", ny, "2022-01-01T17:00:00Z"},  // EST
		{"1970-01-01 08:00", hcm, "1970-01-01T00:00:00Z"}, // Saigon was UTC+8
		// Vietnamese order.
		{"28/03/2022 08:53:45", hcm, "2022-03-28T01:53:45Z"},
		{"28/03/2022 08:53:45", time.UTC, "2022-03-28T08:53:45Z"},
		{"28/03/2022 08:53", hcm, "2022-03-28T01:53:00Z"},
		{"28/03/2022", hcm, "2022-03-27T17:00:00Z"},
		{"5/3/2022 8:05", hcm, "2022-03-05T01:05:00Z"},
		{"5/3/2022 8:05:09", hcm, "2022-03-05T01:05:09Z"},
		{"05/3/2022 08:05", hcm, "2022-03-05T01:05:00Z"},
		{"5/03/2022", hcm, "2022-03-04T17:00:00Z"},
		{"28/03/2022   8:53", hcm, "2022-03-28T01:53:00Z"},
		{"29/02/2024", time.UTC, "2024-02-29T00:00:00Z"},
		{"29/02/2000", time.UTC, "2000-02-29T00:00:00Z"},
		{"31/12/2023 23:59:59", time.UTC, "2023-12-31T23:59:59Z"},
		{"1/1/2024 0:00", time.UTC, "2024-01-01T00:00:00Z"},
		// Surrounding spaces, including a non-breaking one pasted from a page.
		{"  28/03/2022 08:53:45\n", hcm, "2022-03-28T01:53:45Z"},
		{"\u00a02022-03-28\t", time.UTC, "2022-03-28T00:00:00Z"},
		// nil loc is Asia/Ho_Chi_Minh.
		{"28/03/2022 08:53:45", nil, "2022-03-28T01:53:45Z"},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in, tt.loc)
		if err != nil {
			t.Errorf("ParseDate(%q, %v): %v", tt.in, tt.loc, err)
			continue
		}
		if s := got.UTC().Format(time.RFC3339Nano); s != tt.want {
			t.Errorf("ParseDate(%q, %v) = %s, want %s", tt.in, tt.loc, s, tt.want)
		}
		wantLoc := tt.loc
		if wantLoc == nil {
			wantLoc = hcm
		}
		if got.Location().String() != wantLoc.String() {
			t.Errorf("ParseDate(%q, %v) is in %v, want it in loc", tt.in, tt.loc, got.Location())
		}
	}
}

func TestParseDateErrors(t *testing.T) {
	const hint = "use dd/mm/yyyy HH:MM[:SS] or RFC 3339 (2006-01-02T15:04:05+07:00)"
	hcm := mustLoad(t, "")
	ny := mustLoad(t, "America/New_York")
	tests := []struct {
		in   string
		loc  *time.Location
		want string
	}{
		{"31/02/2024", hcm, `invalid date "31/02/2024": day out of range`},
		{"29/02/2023", hcm, `invalid date "29/02/2023": day out of range`},
		{"30/02/2024", hcm, `invalid date "30/02/2024": day out of range`},
		{"31/04/2024", hcm, `invalid date "31/04/2024": day out of range`},
		{"29/02/1900", hcm, `invalid date "29/02/1900": day out of range`},
		{"0/1/2024", hcm, `invalid date "0/1/2024": day out of range`},
		{"2024-02-30", hcm, `invalid date "2024-02-30": day out of range`},
		{"2024-02-00T10:00:00Z", hcm, `invalid date "2024-02-00T10:00:00Z": day out of range`},
		{"01/13/2024", hcm, `invalid date "01/13/2024": month out of range`},
		{"1/0/2024", hcm, `invalid date "1/0/2024": month out of range`},
		{"2024-13-01", hcm, `invalid date "2024-13-01": month out of range`},
		{"28/03/2022 25:00", hcm, `invalid date "28/03/2022 25:00": hour out of range`},
		{"28/03/2022 24:00", hcm, `invalid date "28/03/2022 24:00": hour out of range`},
		{"2022-03-28T25:00:00+07:00", hcm, `invalid date "2022-03-28T25:00:00+07:00": hour out of range`},
		{"28/03/2022 08:60", hcm, `invalid date "28/03/2022 08:60": minute out of range`},
		{"28/03/2022 08:53:60", hcm, `invalid date "28/03/2022 08:53:60": second out of range`},
		{"2022-03-28T08:53:45+24:00", hcm, `invalid date "2022-03-28T08:53:45+24:00": offset out of range`},
		{"2022-03-28T08:53:45+07:60", hcm, `invalid date "2022-03-28T08:53:45+07:60": offset out of range`},
		{"  hôm qua ", hcm, `invalid date "hôm qua": ` + hint},
		{"", hcm, `invalid date "": ` + hint},
		{"28/03/22", hcm, `invalid date "28/03/22": ` + hint},
		{"28-03-2022", hcm, `invalid date "28-03-2022": ` + hint},
		{"28/03/2022 8h53", hcm, `invalid date "28/03/2022 8h53": ` + hint},
		{"28/03/2022 08:5", hcm, `invalid date "28/03/2022 08:5": ` + hint},
		{"28/03/2022 08:53:45.5", hcm, `invalid date "28/03/2022 08:53:45.5": ` + hint},
		{"28/03/2022 08:53 +07:00", hcm, `invalid date "28/03/2022 08:53 +07:00": ` + hint},
		{"123/03/2022", hcm, `invalid date "123/03/2022": ` + hint},
		{"2022-3-28", hcm, `invalid date "2022-3-28": ` + hint},
		{"2022-03-28T", hcm, `invalid date "2022-03-28T": ` + hint},
		{"2022-03-28T8:53:45", hcm, `invalid date "2022-03-28T8:53:45": ` + hint},
		{"2022-03-28T08:53:45.", hcm, `invalid date "2022-03-28T08:53:45.": ` + hint},
		{"2022-03-28T08:53:45.1234567890Z", hcm, `invalid date "2022-03-28T08:53:45.1234567890Z": ` + hint},
		{"2022-03-28T08:53.5", hcm, `invalid date "2022-03-28T08:53.5": ` + hint},
		{"2022-03-28T08:53:45+0700", hcm, `invalid date "2022-03-28T08:53:45+0700": ` + hint},
		{"2022-03-28T08:53:45 ICT", hcm, `invalid date "2022-03-28T08:53:45 ICT": ` + hint},
		{"2022-03-28T08:53:45Z ", hcm, ""}, // trailing space is trimmed: valid
		{"２８/０３/２０２２", hcm, `invalid date "２８/０３/２０２２": ` + hint},
		// Wall times the clocks skipped.
		{"2023-03-12 02:30", ny, `invalid date "2023-03-12 02:30": no such time in America/New_York (the clocks were changed)`},
		{"1942-12-31 23:30", hcm, `invalid date "1942-12-31 23:30": no such time in Asia/Ho_Chi_Minh (the clocks were changed)`},
		// A year that FormatDateTime could not write in loc.
		{"9999-12-31T23:00:00-05:00", time.UTC, `invalid date "9999-12-31T23:00:00-05:00": year out of range in UTC`},
		// Long input is cut.
		{strings.Repeat("ngày ", 20), hcm, `invalid date "ngày ngày ngày ngày ngày ngày ng…": ` + hint},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in, tt.loc)
		if tt.want == "" {
			if err != nil {
				t.Errorf("ParseDate(%q): %v", tt.in, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("ParseDate(%q, %v) = %v, want error %q", tt.in, tt.loc, got, tt.want)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("ParseDate(%q, %v) error:\n got %q\nwant %q", tt.in, tt.loc, err, tt.want)
		}
	}
}

func TestParseDateAmbiguousWallTime(t *testing.T) {
	// 01:30 happened twice in New York on 2023-11-05; ParseDate takes the
	// first, in daylight saving time.
	ny := mustLoad(t, "America/New_York")
	got, err := ParseDate("2023-11-05 01:30", ny)
	if err != nil {
		t.Fatal(err)
	}
	if want := "2023-11-05T05:30:00Z"; got.UTC().Format(time.RFC3339) != want {
		t.Errorf("got %s, want %s", got.UTC().Format(time.RFC3339), want)
	}
}

func TestFormatDateTime(t *testing.T) {
	hcm := mustLoad(t, "")
	instant := time.Date(2022, 3, 28, 1, 53, 45, 999_999_999, time.UTC)
	tests := []struct {
		t              time.Time
		loc            *time.Location
		dateTime, date string
	}{
		{instant, hcm, "28/03/2022 08:53:45", "28/03/2022"},
		{instant.In(time.FixedZone("X", -11*3600)), hcm, "28/03/2022 08:53:45", "28/03/2022"},
		{instant, nil, "28/03/2022 08:53:45", "28/03/2022"},
		{instant, time.UTC, "28/03/2022 01:53:45", "28/03/2022"},
		{time.Date(2021, 12, 31, 17, 0, 0, 0, time.UTC), hcm, "01/01/2022 00:00:00", "01/01/2022"},
		{time.Date(2021, 12, 31, 17, 0, 0, 0, time.UTC), time.UTC, "31/12/2021 17:00:00", "31/12/2021"},
		{time.Date(5, 2, 3, 4, 5, 6, 0, time.UTC), time.UTC, "03/02/0005 04:05:06", "03/02/0005"},
	}
	for _, tt := range tests {
		if got := FormatDateTime(tt.t, tt.loc); got != tt.dateTime {
			t.Errorf("FormatDateTime(%v, %v) = %q, want %q", tt.t, tt.loc, got, tt.dateTime)
		}
		if got := FormatDate(tt.t, tt.loc); got != tt.date {
			t.Errorf("FormatDate(%v, %v) = %q, want %q", tt.t, tt.loc, got, tt.date)
		}
	}
}

func TestFormatParseRoundTrip(t *testing.T) {
	for _, name := range []string{"", "UTC", "America/New_York", "Pacific/Kiritimati"} {
		loc := mustLoad(t, name)
		in := time.Date(2022, 3, 28, 1, 53, 45, 0, time.UTC)
		for _, s := range []string{FormatDateTime(in, loc), FormatDate(in, loc)} {
			got, err := ParseDate(s, loc)
			if err != nil {
				t.Errorf("ParseDate(%q, %v): %v", s, loc, err)
				continue
			}
			if len(s) > len("02/01/2006") && !got.Equal(in) {
				t.Errorf("ParseDate(FormatDateTime(%v, %v)) = %v", in, loc, got)
			}
			if FormatDate(got, loc) != FormatDate(in, loc) {
				t.Errorf("ParseDate(%q, %v) = %v: another day", s, loc, got)
			}
		}
	}
}
