package vn

import (
	"math"
	"testing"
)

func TestParseNumberFormat(t *testing.T) {
	tests := []struct {
		in   string
		want NumberFormat
	}{
		{"", NumberSeed},
		{"seed", NumberSeed},
		{"vi", NumberVI},
	}
	for _, tt := range tests {
		got, err := ParseNumberFormat(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseNumberFormat(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
		if tt.in != "" && got.String() != tt.in {
			t.Errorf("ParseNumberFormat(%q).String() = %q", tt.in, got.String())
		}
	}
	for _, in := range []string{"VI", "en", " vi", "seed ", "vi-VN"} {
		_, err := ParseNumberFormat(in)
		want := `unknown number format "` + in + `"; use "seed" or "vi"`
		if err == nil || err.Error() != want {
			t.Errorf("ParseNumberFormat(%q) error = %v, want %q", in, err, want)
		}
	}
}

func TestNumberFormatString(t *testing.T) {
	tests := []struct {
		f    NumberFormat
		want string
	}{
		{NumberSeed, "seed"},
		{NumberVI, "vi"},
		{NumberFormat(7), "NumberFormat(7)"},
		{NumberFormat(-1), "NumberFormat(-1)"},
	}
	for _, tt := range tests {
		if got := tt.f.String(); got != tt.want {
			t.Errorf("NumberFormat(%d).String() = %q, want %q", int(tt.f), got, tt.want)
		}
	}
}

func TestInt(t *testing.T) {
	tests := []struct {
		n        int64
		seed, vi string
	}{
		{0, "0", "0"},
		{7, "7", "7"},
		{999, "999", "999"},
		{1000, "1000", "1.000"},
		{1035, "1035", "1.035"},
		{9999, "9999", "9.999"},
		{10000, "10,000", "10.000"},
		{12345, "12,345", "12.345"},
		{99999, "99,999", "99.999"},
		{100000, "100,000", "100.000"},
		{292959, "292,959", "292.959"},
		{1234567, "1,234,567", "1.234.567"},
		{1000000000, "1,000,000,000", "1.000.000.000"},
		{math.MaxInt64, "9,223,372,036,854,775,807", "9.223.372.036.854.775.807"},
		{-1, "-1", "-1"},
		{-1035, "-1035", "-1.035"},
		{-12345, "-12,345", "-12.345"},
		{-292959, "-292,959", "-292.959"},
		{math.MinInt64, "-9,223,372,036,854,775,808", "-9.223.372.036.854.775.808"},
	}
	for _, tt := range tests {
		if got := NumberSeed.Int(tt.n); got != tt.seed {
			t.Errorf("NumberSeed.Int(%d) = %q, want %q", tt.n, got, tt.seed)
		}
		if got := NumberVI.Int(tt.n); got != tt.vi {
			t.Errorf("NumberVI.Int(%d) = %q, want %q", tt.n, got, tt.vi)
		}
		if got := NumberFormat(7).Int(tt.n); got != tt.seed {
			t.Errorf("NumberFormat(7).Int(%d) = %q, want the seed form %q", tt.n, got, tt.seed)
		}
	}
}

func TestPercent(t *testing.T) {
	tests := []struct {
		tenths   int64
		seed, vi string
	}{
		{0, "0.0%", "0,0%"},
		{1, "0.1%", "0,1%"},
		{9, "0.9%", "0,9%"},
		{10, "1.0%", "1,0%"},
		{999, "99.9%", "99,9%"},
		{1000, "100.0%", "100,0%"},
		{12345, "1234.5%", "1.234,5%"},
		{123456, "12,345.6%", "12.345,6%"},
		{-1, "-0.1%", "-0,1%"},
		{-999, "-99.9%", "-99,9%"},
		{math.MaxInt64, "922,337,203,685,477,580.7%", "922.337.203.685.477.580,7%"},
		{math.MinInt64, "-922,337,203,685,477,580.8%", "-922.337.203.685.477.580,8%"},
	}
	for _, tt := range tests {
		if got := NumberSeed.Percent(tt.tenths); got != tt.seed {
			t.Errorf("NumberSeed.Percent(%d) = %q, want %q", tt.tenths, got, tt.seed)
		}
		if got := NumberVI.Percent(tt.tenths); got != tt.vi {
			t.Errorf("NumberVI.Percent(%d) = %q, want %q", tt.tenths, got, tt.vi)
		}
	}
}

func TestRateTenths(t *testing.T) {
	tests := []struct {
		part, whole int64
		want        int64
		ok          bool
	}{
		{1034, 1035, 999, true}, // 99.903…%
		{1, 1035, 1, true},      // 0.0966…%
		{1, 2000, 1, true},      // 0.05% exactly: half rounds up
		{1, 2001, 0, true},      // just under half
		{1, 1999, 1, true},
		{0, 1035, 0, true},
		{1035, 1035, 1000, true},
		{2070, 1035, 2000, true}, // more than 100% is a rate too
		{1, 3, 333, true},        // 33.33…%
		{2, 3, 667, true},        // 66.66…%
		{1, 8, 125, true},        // 12.5% exactly
		{1, 16, 63, true},        // 6.25%: the tenth's half rounds up
		{3, 16, 188, true},       // 18.75%
		{19999, 20000, 1000, true},
		{19989, 20000, 999, true},  // 99.945% → 99.9%
		{19990, 20000, 1000, true}, // 99.95% → 100.0%
		{-1, 2000, -1, true},       // halves round away from zero
		{-1, 2001, 0, true},
		{-1034, 1035, -999, true},
		{1, 0, 0, false},
		{0, 0, 0, false},
		{1, -5, 0, false},
		{math.MaxInt64, math.MaxInt64, 1000, true},
		{math.MaxInt64 - 1, math.MaxInt64, 1000, true},
		{1, math.MaxInt64, 0, true},
		{math.MinInt64, math.MaxInt64, -1000, true},
		{math.MaxInt64 / 1000, 1, math.MaxInt64 / 1000 * 1000, true},
		{math.MaxInt64, 1, 0, false}, // does not fit
		{math.MaxInt64, 1000, math.MaxInt64, true},
		{math.MaxInt64, 999, 0, false},
	}
	for _, tt := range tests {
		got, ok := RateTenths(tt.part, tt.whole)
		if got != tt.want || ok != tt.ok {
			t.Errorf("RateTenths(%d, %d) = %d, %v; want %d, %v", tt.part, tt.whole, got, ok, tt.want, tt.ok)
		}
	}
}

// TestRateTenthsBoundaries checks every part of a small whole against the
// definition: the result r is right when part/whole lies in
// [r−0.5, r+0.5) tenths, i.e. (2r−1)·whole ≤ 2000·part < (2r+1)·whole.
func TestRateTenthsBoundaries(t *testing.T) {
	for whole := int64(1); whole <= 2500; whole += 7 {
		for part := int64(0); part <= whole+3; part++ {
			r, ok := RateTenths(part, whole)
			if !ok || (2*r-1)*whole > 2000*part || 2000*part >= (2*r+1)*whole {
				t.Fatalf("RateTenths(%d, %d) = %d, %v", part, whole, r, ok)
			}
		}
	}
}
