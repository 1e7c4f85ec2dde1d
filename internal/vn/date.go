package vn

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // a build machine or server without a tz database must still know Asia/Ho_Chi_Minh
)

// defaultZone is the zone of every Vietnamese commune.
const defaultZone = "Asia/Ho_Chi_Minh"

// LoadLocation returns the IANA time zone called name; "" means
// Asia/Ho_Chi_Minh.
func LoadLocation(name string) (*time.Location, error) {
	if name == "" {
		name = defaultZone
	}
	if name == "Local" {
		return nil, fmt.Errorf("time zone %q depends on the machine that builds the site; use an IANA name such as %s", name, defaultZone)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("unknown time zone %q; use an IANA name such as %s", name, defaultZone)
	}
	return loc, nil
}

// defaultLocation is the zone used for a nil loc. Vietnam has kept UTC+7
// since 1975, so the fixed zone is a faithful fallback should the tz
// database somehow be missing.
var defaultLocation = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation(defaultZone)
	if err != nil {
		return time.FixedZone("ICT", 7*3600)
	}
	return loc
})

func orDefault(loc *time.Location) *time.Location {
	if loc == nil {
		return defaultLocation()
	}
	return loc
}

const dateFormatHint = "use dd/mm/yyyy HH:MM[:SS] or RFC 3339 (2006-01-02T15:04:05+07:00)"

// errDateFormat marks text that matches none of the accepted forms.
var errDateFormat = errors.New(dateFormatHint)

// dateFields are the parts of a date as written, before any check that
// they make a real date.
type dateFields struct {
	year, month, day     int
	hour, minute, second int
	nsec                 int
	hasOffset            bool
	offsetHour           int
	offsetMinute         int
	offset               int // seconds east of UTC
}

// ParseDate reads s in one of the forms listed in the package
// documentation. A form without an offset is a wall time in loc; the
// result is always in loc.
func ParseDate(s string, loc *time.Location) (time.Time, error) {
	loc = orDefault(loc)
	in := strings.TrimSpace(s)
	t, err := parseDate(in, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("invalid date %s: %w", quoteShort(in), err)
	}
	return t, nil
}

func parseDate(in string, loc *time.Location) (time.Time, error) {
	var f dateFields
	var ok bool
	if len(in) >= 5 && isDigits(in[:4]) && in[4] == '-' {
		f, ok = scanISO(in)
	} else {
		f, ok = scanVietnamese(in)
	}
	if !ok {
		return time.Time{}, errDateFormat
	}
	if err := f.check(); err != nil {
		return time.Time{}, err
	}
	if f.hasOffset {
		t := time.Date(f.year, time.Month(f.month), f.day, f.hour, f.minute, f.second, f.nsec, time.FixedZone("", f.offset)).In(loc)
		// The date format only has four digits for the year, and a date
		// ParseDate accepts must be one FormatDateTime can write.
		if y := t.Year(); y < 0 || y > 9999 {
			return time.Time{}, fmt.Errorf("year out of range in %s", loc)
		}
		return t, nil
	}
	t := time.Date(f.year, time.Month(f.month), f.day, f.hour, f.minute, f.second, f.nsec, loc)
	// time.Date moves a wall time that the clocks skipped (a daylight
	// saving gap, or a zone change such as Saigon's in 1942) to another
	// hour; the author wrote a time that never existed.
	if t.Year() != f.year || int(t.Month()) != f.month || t.Day() != f.day ||
		t.Hour() != f.hour || t.Minute() != f.minute || t.Second() != f.second {
		return time.Time{}, fmt.Errorf("no such time in %s (the clocks were changed)", loc)
	}
	return t, nil
}

// check rejects the fields that time.Date would silently normalise.
func (f *dateFields) check() error {
	switch {
	case f.month < 1 || f.month > 12:
		return errors.New("month out of range")
	case f.day < 1 || f.day > daysIn(f.year, f.month):
		return errors.New("day out of range")
	case f.hour > 23:
		return errors.New("hour out of range")
	case f.minute > 59:
		return errors.New("minute out of range")
	case f.second > 59:
		return errors.New("second out of range")
	case f.offsetHour > 23 || f.offsetMinute > 59:
		return errors.New("offset out of range")
	}
	return nil
}

func daysIn(year, month int) int {
	// Day 0 of the next month is the last day of this one.
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// scanISO reads yyyy-mm-dd[(T|spaces)HH:MM[:SS[.fff]][Z|±hh:mm]].
func scanISO(in string) (f dateFields, ok bool) {
	p := scanner{s: in}
	if f.year, ok = p.number(4, 4); !ok {
		return f, false
	}
	if !p.skip('-') {
		return f, false
	}
	if f.month, ok = p.number(2, 2); !ok {
		return f, false
	}
	if !p.skip('-') {
		return f, false
	}
	if f.day, ok = p.number(2, 2); !ok {
		return f, false
	}
	if p.done() {
		return f, true
	}
	if !p.skip('T') && !p.skip('t') && !p.spaces() {
		return f, false
	}
	if !p.clock(&f, 2) {
		return f, false
	}
	if f.second >= 0 && p.skip('.') {
		start := p.i
		frac, ok := p.number(1, 9)
		if !ok {
			return f, false
		}
		for n := p.i - start; n < 9; n++ {
			frac *= 10
		}
		f.nsec = frac
	}
	if f.second < 0 {
		f.second = 0
	}
	switch {
	case p.skip('Z'), p.skip('z'):
		f.hasOffset = true
	case p.peek('+'), p.peek('-'):
		sign := 1
		if p.skip('-') {
			sign = -1
		} else {
			p.skip('+')
		}
		h, ok := p.number(2, 2)
		if !ok || !p.skip(':') {
			return f, false
		}
		m, ok := p.number(2, 2)
		if !ok {
			return f, false
		}
		f.hasOffset = true
		f.offsetHour, f.offsetMinute = h, m
		f.offset = sign * (h*3600 + m*60)
	}
	return f, p.done()
}

// scanVietnamese reads d/m/yyyy[ spaces H:MM[:SS]].
func scanVietnamese(in string) (f dateFields, ok bool) {
	p := scanner{s: in}
	if f.day, ok = p.number(1, 2); !ok {
		return f, false
	}
	if !p.skip('/') {
		return f, false
	}
	if f.month, ok = p.number(1, 2); !ok {
		return f, false
	}
	if !p.skip('/') {
		return f, false
	}
	if f.year, ok = p.number(4, 4); !ok {
		return f, false
	}
	if p.done() {
		return f, true
	}
	if !p.spaces() || !p.clock(&f, 1) {
		return f, false
	}
	if f.second < 0 {
		f.second = 0
	}
	return f, p.done()
}

// scanner walks a date string byte by byte; every accepted character is
// ASCII, so bytes are enough.
type scanner struct {
	s string
	i int
}

func (p *scanner) done() bool { return p.i == len(p.s) }

func (p *scanner) peek(c byte) bool { return p.i < len(p.s) && p.s[p.i] == c }

func (p *scanner) skip(c byte) bool {
	if p.peek(c) {
		p.i++
		return true
	}
	return false
}

// spaces skips one or more spaces.
func (p *scanner) spaces() bool {
	start := p.i
	for p.peek(' ') {
		p.i++
	}
	return p.i > start
}

// number reads between min and max decimal digits.
func (p *scanner) number(min, max int) (int, bool) {
	n, v := 0, 0
	for n < max && p.i < len(p.s) && '0' <= p.s[p.i] && p.s[p.i] <= '9' {
		v = v*10 + int(p.s[p.i]-'0')
		p.i++
		n++
	}
	return v, n >= min
}

// clock reads H:MM[:SS], the hour having at least minHour digits. A
// missing second is left as -1 so that the caller knows whether a
// fraction may follow.
func (p *scanner) clock(f *dateFields, minHour int) bool {
	var ok bool
	if f.hour, ok = p.number(minHour, 2); !ok {
		return false
	}
	if !p.skip(':') {
		return false
	}
	if f.minute, ok = p.number(2, 2); !ok {
		return false
	}
	f.second = -1
	if p.skip(':') {
		if f.second, ok = p.number(2, 2); !ok {
			return false
		}
	}
	return true
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// quoteShort quotes s for an error message, cutting it when long so that
// the message stays on one readable line. It counts runes, not bytes, so
// that Vietnamese text is not cut shorter than English.
func quoteShort(s string) string {
	const max = 32
	n := 0
	for i := range s {
		if n == max {
			return strconv.Quote(strings.TrimRight(s[:i], " ") + "…")
		}
		n++
	}
	return strconv.Quote(s)
}

// FormatDateTime writes t as the wall clock of loc shows it:
// "28/03/2022 08:53:45". A nil loc means Asia/Ho_Chi_Minh.
func FormatDateTime(t time.Time, loc *time.Location) string {
	return t.In(orDefault(loc)).Format("02/01/2006 15:04:05")
}

// FormatDate writes the day of t in loc: "28/03/2022". A nil loc means
// Asia/Ho_Chi_Minh.
func FormatDate(t time.Time, loc *time.Location) string {
	return t.In(orDefault(loc)).Format("02/01/2006")
}
