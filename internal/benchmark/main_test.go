//go:build linux

package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		in   []float64
		want float64
	}{
		{nil, 0},
		{[]float64{3}, 3},
		{[]float64{5, 1, 3}, 3},
		{[]float64{4, 1, 3, 2}, 2.5},
	} {
		in := append([]float64(nil), tc.in...)
		if got := median(tc.in); got != tc.want {
			t.Errorf("median(%v) = %v, want %v", tc.in, got, tc.want)
		}
		for i := range in {
			if in[i] != tc.in[i] {
				t.Errorf("median reordered its input: %v", tc.in)
			}
		}
	}
}

func TestOldHugo(t *testing.T) {
	for v, want := range map[string]bool{
		"hugo v0.166.0 linux/amd64 BuildDate=unknown":                        false,
		"hugo v0.111.3+extended linux/amd64 BuildDate=2023-03-16T08:41:31Z":  true,
		"hugo v0.145.0-666444f0a52132f9fec9f71cf25b441cc6a4f355 linux/amd64": true,
		"hugo v0.146.0-5d1b9d39858bb0b2a505af9ac3a1ab4aa6ec5ba3 linux/amd64": false,
		"hugo v1.2.0 linux/amd64":                                            false,
		"something else":                                                     false,
	} {
		if got := old(v); got != want {
			t.Errorf("old(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestTargets(t *testing.T) {
	run := func(posts int, dest string, wall, cpu time.Duration, rss int64) result {
		return result{posts: posts, dest: dest, samples: []sample{{wall: wall, cpu: cpu, rss: rss}}}
	}
	hugo := run(10000, "tmpfs", 4*time.Second, 6*time.Second, 600<<20)
	for _, tc := range []struct {
		r    result
		want string
	}{
		{run(10000, "tmpfs", time.Second, 1900*time.Millisecond, 150<<20), "met"},
		{run(10000, "tmpfs", 2*time.Second, 1900*time.Millisecond, 150<<20), "missed: wall"},
		{run(10000, "tmpfs", time.Second, 3*time.Second, 250<<20), "missed: CPU, memory"},
		{run(50000, "tmpfs", time.Second, time.Second, 700<<20), "missed: memory"},
		// The ratios are judged at 10,000 posts only.
		{run(50000, "tmpfs", 3*time.Second, 3*time.Second, 500<<20), "met"},
		{run(1000, "tmpfs", 3*time.Second, 3*time.Second, 500<<20), "- (none at this size)"},
		{run(10000, "disk", 9*time.Second, 9*time.Second, 900<<20), "-"},
	} {
		if got := targets(tc.r, &hugo); got != tc.want {
			t.Errorf("targets(%+v) = %q, want %q", tc.r.samples, got, tc.want)
		}
	}
}

func TestTable(t *testing.T) {
	var b bytes.Buffer
	table(&b, [][]string{{"tool", "wall s"}, {"congxa", "1.5"}, {"hugo", "12.25"}}, "lr")
	want := strings.Join([]string{
		"| tool   | wall s |",
		"|--------|-------:|",
		"| congxa |    1.5 |",
		"| hugo   |  12.25 |",
		"",
	}, "\n")
	if b.String() != want {
		t.Errorf("table:\n%s\nwant:\n%s", b.String(), want)
	}
}
