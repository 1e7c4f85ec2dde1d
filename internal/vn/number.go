package vn

import (
	"fmt"
	"math"
	"math/bits"
	"strconv"
)

// NumberFormat says how numbers are shown. Values other than the declared
// constants format like NumberSeed, the zero value.
type NumberFormat int

const (
	// NumberSeed is how the commune's current portal shows numbers, so
	// that a migrated site looks the same: "." before the decimal, ","
	// between thousands, thousands grouped only from 5 digits on: 1035,
	// 292,959, 1,234,567, 99.9%.
	NumberSeed NumberFormat = iota
	// NumberVI is the Vietnamese convention: "," before the decimal, "."
	// between thousands, grouped from 4 digits on: 1.035, 292.959, 99,9%.
	NumberVI
)

// ParseNumberFormat reads a number format setting: "" or "seed" is
// NumberSeed, "vi" is NumberVI.
func ParseNumberFormat(s string) (NumberFormat, error) {
	switch s {
	case "", "seed":
		return NumberSeed, nil
	case "vi":
		return NumberVI, nil
	}
	return NumberSeed, fmt.Errorf("unknown number format %q; use \"seed\" or \"vi\"", s)
}

// String returns the setting that ParseNumberFormat reads back.
func (f NumberFormat) String() string {
	switch f {
	case NumberSeed:
		return "seed"
	case NumberVI:
		return "vi"
	}
	return "NumberFormat(" + strconv.Itoa(int(f)) + ")"
}

// separators returns the thousands and decimal separators, and the number
// of digits from which thousands are grouped.
func (f NumberFormat) separators() (thousands, decimal byte, groupFrom int) {
	if f == NumberVI {
		return '.', ',', 4
	}
	return ',', '.', 5
}

// Int formats n, with a leading "-" when negative.
func (f NumberFormat) Int(n int64) string {
	var buf [32]byte
	b, u := buf[:0], uint64(n)
	if n < 0 {
		b = append(b, '-')
		u = -u // two's complement: right for math.MinInt64 too
	}
	return string(f.appendUint(b, u))
}

// Percent formats a rate given in tenths of a percent, always with one
// decimal: 999 is "99.9%" (seed) or "99,9%" (vi), 1000 is "100.0%".
func (f NumberFormat) Percent(tenths int64) string {
	var buf [40]byte
	b, u := buf[:0], uint64(tenths)
	if tenths < 0 {
		b = append(b, '-')
		u = -u
	}
	_, dec, _ := f.separators()
	b = f.appendUint(b, u/10)
	b = append(b, dec, byte('0'+u%10), '%')
	return string(b)
}

func (f NumberFormat) appendUint(b []byte, u uint64) []byte {
	var buf [20]byte
	digits := strconv.AppendUint(buf[:0], u, 10)
	sep, _, groupFrom := f.separators()
	if len(digits) < groupFrom {
		return append(b, digits...)
	}
	head := len(digits) % 3
	if head == 0 {
		head = 3
	}
	b = append(b, digits[:head]...)
	for i := head; i < len(digits); i += 3 {
		b = append(b, sep)
		b = append(b, digits[i:i+3]...)
	}
	return b
}

// RateTenths returns part/whole in tenths of a percent, rounded half away
// from zero: RateTenths(1, 2000) == 1 (0.05% → 0.1%). It reports false when
// whole <= 0, or when the rate does not fit in an int64 (part more than
// about 9·10¹⁵ times whole). The arithmetic is exact integer arithmetic:
// a float would round 0.05 differently on the edge cases the published
// figures are checked against.
func RateTenths(part, whole int64) (int64, bool) {
	if whole <= 0 {
		return 0, false
	}
	neg := part < 0
	p := uint64(part)
	if neg {
		p = -p
	}
	w := uint64(whole)
	// part·1000 needs up to 74 bits, hence the 128-bit product.
	hi, lo := bits.Mul64(p, 1000)
	if hi >= w {
		return 0, false // the quotient needs more than 64 bits
	}
	q, r := bits.Div64(hi, lo, w)
	if q > math.MaxInt64 {
		return 0, false
	}
	// r < w < 2⁶³, so 2r cannot overflow, and neither can q+1.
	if 2*r >= w {
		q++
	}
	if q > math.MaxInt64 {
		return 0, false
	}
	if neg {
		return -int64(q), true
	}
	return int64(q), true
}
