package visits

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"hash/maphash"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"
)

const (
	firefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
	android = "Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36"
	coccoc  = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) coc_coc_browser/132.0.236 Chrome/126.0.6478.236 Safari/537.36"
	google  = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
)

var vnZone = time.FixedZone("ICT", 7*3600)

// hit is one request, written as nginx writes it.
type hit struct {
	ip     string
	at     time.Time
	method string
	path   string
	status int
	ua     string
}

func (h hit) String() string {
	m := h.method
	if m == "" {
		m = "GET"
	}
	st := h.status
	if st == 0 {
		st = 200
	}
	ua := h.ua
	if ua == "" {
		ua = firefox
	}
	ip := h.ip
	if ip == "" {
		ip = "203.0.113.7"
	}
	return fmt.Sprintf("%s - - [%s] \"%s %s HTTP/1.1\" %d 5120 \"-\" \"%s\"\n", ip, h.at.Format("02/Jan/2006:15:04:05 -0700"), m, h.path, st, ua)
}

func logOf(hits ...hit) string {
	var b strings.Builder
	for _, h := range hits {
		b.WriteString(h.String())
	}
	return b.String()
}

func gz(t *testing.T, s string) string {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := w.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func count(t *testing.T, prev Counts, now time.Time, files ...string) (Counts, Report) {
	t.Helper()
	var logs []Log
	for i, f := range files {
		logs = append(logs, Log{Name: fmt.Sprintf("log%d", i), R: strings.NewReader(f)})
	}
	c, rep, err := Count(prev, logs, now, vnZone)
	if err != nil {
		t.Fatal(err)
	}
	return c, rep
}

func TestParse(t *testing.T) {
	seed := maphash.MakeSeed()
	at := time.Date(2026, 11, 27, 14, 5, 1, 0, vnZone)
	for _, tc := range []struct {
		line string
		ok   bool
		view bool
	}{
		{hit{at: at, path: "/"}.String(), true, true},
		{hit{at: at, path: "/tin-tuc/bai-mot/"}.String(), true, true},
		{hit{at: at, path: "/tin-tuc/trang/2/?utm=x"}.String(), true, true},
		{hit{at: at, path: "/gioi-thieu"}.String(), true, true}, // extensionless, e.g. a server rewriting
		{hit{at: at, path: "/404.html", status: 304}.String(), true, true},
		{hit{at: at, path: "/assets/css/site.0123456789.css"}.String(), true, false},
		{hit{at: at, path: "/rss.xml"}.String(), true, false},
		{hit{at: at, path: "/tai-lieu/lich.pdf"}.String(), true, false},
		{hit{at: at, path: "/khong-co/", status: 404}.String(), true, false},
		{hit{at: at, path: "/", status: 500}.String(), true, false},
		{hit{at: at, path: "/tin-tuc", status: 301}.String(), true, false},
		{hit{at: at, path: "/", method: "HEAD"}.String(), true, false},
		{hit{at: at, path: "/", method: "POST"}.String(), true, false},
		{hit{at: at, path: "/", ua: google}.String(), true, false},
		{hit{at: at, path: "/", ua: "curl/8.5.0"}.String(), true, false},
		{hit{at: at, path: "/", ua: "-"}.String(), true, false},
		{hit{at: at, path: "/", ua: coccoc}.String(), true, true},
		// Apache escapes quotes as \", nginx as \x22.
		{`198.51.100.2 - - [27/Nov/2026:14:05:01 +0700] "GET /tin-tuc/?q=\"a\" HTTP/1.1" 200 10 "https://x/\"" "` + android + `"`, true, true},
		{`198.51.100.2 - - [27/Nov/2026:14:05:01 +0700] "GET /?q=\x22a\x22 HTTP/1.1" 200 10 "-" "` + android + `" "-"`, true, true},
		// A TLS handshake sent to the plain HTTP port.
		{`198.51.100.2 - - [27/Nov/2026:14:05:01 +0700] "\x16\x03\x01\x00\xF7\x01" 400 157 "-" "-"`, true, false},
		{`198.51.100.2 - - [27/Nov/2026:14:05:01 +0700] "-" 408 0 "-" "-"`, true, false},
		// A user name with the user agent.
		{`198.51.100.2 - nam [27/Nov/2026:14:05:01 +0700] "GET / HTTP/2.0" 200 - "-" "` + firefox + `"`, true, true},
		// Not combined format.
		{`198.51.100.2 - - [27/Nov/2026:14:05:01 +0700] "GET / HTTP/1.1" 200 5120`, false, false},
		{`198.51.100.2 - - [27/Nov/2026:14:05:01] "GET / HTTP/1.1" 200 5120 "-" "x"`, false, false},
		{`198.51.100.2 - - [31/Nov/2026:14:05:01 +0700] "GET / HTTP/1.1" 200 5120 "-" "x"`, false, false},
		{`198.51.100.2 - - [27/Nov/2026:14:05:01 +0700] "GET / HTTP/1.1" 2000 5120 "-" "x"`, false, false},
		{`2026/11/27 14:05:01 [error] 12#12: *1 open() "/srv/x" failed`, false, false},
		{``, false, false},
	} {
		e, ok := parse([]byte(strings.TrimRight(tc.line, "\n")), seed, map[string]bool{})
		if ok != tc.ok || e.view != tc.view {
			t.Errorf("parse(%q) = ok %v, view %v; want %v, %v", tc.line, ok, e.view, tc.ok, tc.view)
		}
		if ok && e.unix != at.Unix() {
			t.Errorf("parse(%q): time %v, want %v", tc.line, time.Unix(e.unix, 0), at)
		}
	}
}

func TestParseTime(t *testing.T) {
	for in, want := range map[string]time.Time{
		"27/Nov/2026:14:05:01 +0700": time.Date(2026, 11, 27, 7, 5, 1, 0, time.UTC),
		"01/Jan/2027:00:00:00 +0000": time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC),
		"29/Feb/2028:23:59:59 -0530": time.Date(2028, 3, 1, 5, 29, 59, 0, time.UTC),
	} {
		got, ok := parseTime([]byte(in))
		if !ok || got != want.Unix() {
			t.Errorf("parseTime(%q) = %v, %v; want %v", in, time.Unix(got, 0).UTC(), ok, want)
		}
	}
	for _, in := range []string{"29/Feb/2027:00:00:00 +0000", "27/Foo/2026:14:05:01 +0700", "27/Nov/2026:24:05:01 +0700", "27/Nov/2026 14:05:01 +0700", "27/Nov/2026:14:05:01 0700", ""} {
		if _, ok := parseTime([]byte(in)); ok {
			t.Errorf("parseTime(%q) accepted", in)
		}
	}
}

func TestCountFilters(t *testing.T) {
	now := time.Date(2026, 11, 27, 14, 5, 0, 0, vnZone)
	at := now.Add(-time.Hour)
	log := logOf(
		hit{at: at, path: "/"},
		hit{at: at, path: "/assets/css/site.0123456789.css"},
		hit{at: at, path: "/assets/img/favicon.0123456789.svg"},
		hit{at: at, path: "/tin-tuc/"},
		hit{at: at, path: "/tin-tuc/", ua: google},
		hit{at: at, path: "/wp-login.php", status: 404, ua: android},
		hit{at: at, path: "/khong-co/", status: 404},
		hit{at: at, path: "/", status: 502},
		hit{at: at, path: "/lien-he/", method: "POST", status: 405},
		hit{at: at, path: "/gioi-thieu/", status: 304, ua: android},
	)
	c, rep := count(t, Counts{}, now, log+"garbage line\n")
	if c.Total != 3 || c.Today != 3 || rep.Views != 3 || rep.Lines != 10 || rep.Malformed != 1 || rep.FirstMalformed != "log0:11" {
		t.Errorf("got %+v, %+v; want 3 views of 10 lines and 1 malformed at log0:11", c, rep)
	}
	// The line the server is writing: left for the next run, silently.
	half := hit{at: at, path: "/a/"}.String()
	half = half[:len(half)-20]
	c2, rep := count(t, Counts{}, now, log+half)
	if c2.Total != 3 || rep.Malformed != 0 {
		t.Errorf("a half-written last line: %+v, %+v", c2, rep)
	}
	c2, _ = count(t, c2, now, log+hit{at: at, path: "/a/"}.String())
	if c2.Total != 4 {
		t.Errorf("the line written whole: total %d, want 4", c2.Total)
	}
}

func TestCountGzipAndOrder(t *testing.T) {
	now := time.Date(2026, 11, 27, 14, 5, 0, 0, vnZone)
	old := logOf(hit{at: now.Add(-48 * time.Hour), path: "/"}, hit{at: now.Add(-47 * time.Hour), path: "/tin-tuc/"})
	mid := logOf(hit{at: now.Add(-24 * time.Hour), path: "/"})
	cur := logOf(hit{at: now.Add(-time.Hour), path: "/"}, hit{at: now.Add(-time.Minute), path: "/a/"})
	// Given in any order, newest first as a shell glob might sort them.
	c, rep := count(t, Counts{}, now, cur, mid, gz(t, old))
	if c.Total != 5 || c.Today != 2 || c.Online != 1 || rep.Lines != 5 {
		t.Fatalf("got %+v, %+v; want total 5, today 2, online 1", c, rep)
	}
	if want := now.Add(-time.Minute); !c.Watermark.To.Equal(want) || !c.Watermark.From.Equal(want.Add(-Window)) || c.Watermark.Lines != 1 {
		t.Errorf("watermark %+v, want since %v, 1 line", *c.Watermark, want)
	}
	// A second run over the same files counts nothing again.
	c2, rep2 := count(t, c, now.Add(time.Minute), gz(t, old), mid, cur)
	if c2.Total != 5 || c2.Today != 2 || rep2.Views != 0 || rep2.Seen != 5 {
		t.Errorf("second run: %+v, %+v; want nothing new", c2, rep2)
	}
	// A truncated gzip file is an error, not a silent undercount.
	z := gz(t, old)
	if _, _, err := Count(Counts{}, []Log{{Name: "access.log.2.gz", R: strings.NewReader(z[:len(z)-10])}}, now, vnZone); err == nil || !strings.Contains(err.Error(), "access.log.2.gz") {
		t.Errorf("truncated gzip: err = %v", err)
	}
}

// TestCountRotation follows a log through nginx's daily rotation
// (logrotate: access.log → access.log.1 → access.log.2.gz), with runs
// between: every view is counted once.
func TestCountRotation(t *testing.T) {
	start := time.Date(2026, 11, 25, 22, 0, 0, 0, vnZone)
	var day1, day2a, day2b, day3 []hit
	for i := range 20 {
		day1 = append(day1, hit{at: start.Add(time.Duration(i) * 5 * time.Minute), path: fmt.Sprintf("/tin-tuc/bai-%d/", i)})
	}
	at2 := time.Date(2026, 11, 26, 8, 0, 0, 0, vnZone)
	for i := range 10 {
		day2a = append(day2a, hit{at: at2.Add(time.Duration(i) * time.Second), path: "/"})
		day2b = append(day2b, hit{at: at2.Add(time.Duration(10+i) * time.Second), path: "/tin-tuc/"}, hit{at: at2.Add(time.Duration(10+i) * time.Second), path: "/assets/a.0123456789.css"})
	}
	at3 := time.Date(2026, 11, 27, 9, 0, 0, 0, vnZone)
	for i := range 7 {
		day3 = append(day3, hit{at: at3.Add(time.Duration(i) * time.Minute), path: "/", ip: fmt.Sprintf("198.51.100.%d", i)})
	}

	// Run 1, 26/11 08:00:09: access.log holds day 1 and the start of day 2.
	now := at2.Add(9 * time.Second)
	c, _ := count(t, Counts{Total: 1000}, now, logOf(append(day1, day2a...)...))
	if c.Total != 1030 || c.Today != 10 {
		t.Fatalf("run 1: %+v; want total 1030, today 10", c)
	}
	// Run 2, 27/11 09:06: the log rotated at midnight: access.log.1 holds
	// days 1 and 2, access.log day 3.
	now = at3.Add(6 * time.Minute)
	c, rep := count(t, c, now, logOf(day3...), logOf(append(append(day1, day2a...), day2b...)...))
	if c.Total != 1047 || c.Today != 7 || rep.Views != 17 || rep.ViewsDay != 7 {
		t.Fatalf("run 2: %+v, %+v; want total 1047, today 7", c, rep)
	}
	if c.Online != 5 { // 09:02 … 09:06; 09:01 is 5 minutes old
		t.Errorf("run 2: online %d, want 5", c.Online)
	}
	// Run 3, a minute later, after the next rotation compressed
	// access.log.1 into access.log.2.gz: nothing new.
	c3, _ := count(t, c, now.Add(time.Minute), "", logOf(day3...), gz(t, logOf(append(append(day1, day2a...), day2b...)...)))
	if c3.Total != 1047 || c3.Today != 7 {
		t.Errorf("run 3: %+v; want total 1047, today 7", c3)
	}
	// The same run given only access.log: still nothing new.
	c3, _ = count(t, c, now.Add(time.Minute), logOf(day3...))
	if c3.Total != 1047 || c3.Today != 7 {
		t.Errorf("run 3 with access.log only: %+v; want total 1047, today 7", c3)
	}
}

// TestCountMissingRotated: a run given only access.log after a rotation
// does not see the lines the last run read, in access.log.1; it counts no
// line twice, counts every line newer than the last run's, and says that a
// file is missing.
func TestCountMissingRotated(t *testing.T) {
	at := time.Date(2026, 11, 26, 23, 58, 0, 0, vnZone)
	old := logOf(hit{at: at, path: "/"}, hit{at: at.Add(time.Minute), path: "/a/"})
	late := logOf(hit{at: at.Add(30 * time.Second), path: "/cham/"}) // logged late, after the rotation
	cur := logOf(hit{at: at.Add(2 * time.Minute), path: "/b/"}, hit{at: at.Add(3 * time.Minute), path: "/c/"})
	c, _ := count(t, Counts{}, at.Add(time.Minute), old)
	c, rep := count(t, c, at.Add(4*time.Minute), late+cur)
	if c.Total != 4 || rep.Views != 2 || rep.Missing != 1 {
		t.Errorf("got %+v, %+v; want total 4 (the late line lost), 2 new views, 1 line missing", c, rep)
	}
	// Given older logs only: nothing is counted.
	c2, rep := count(t, c, at.Add(5*time.Minute), old)
	if c2.Total != 4 || !rep.Behind || c2.Watermark != c.Watermark {
		t.Errorf("older logs: %+v, %+v; want nothing counted, Behind", c2, rep)
	}
	// Empty logs (a quiet day after rotations): nothing, and nothing wrong.
	c2, rep = count(t, c, at.Add(5*time.Minute), "", "")
	if c2.Total != 4 || rep.Behind || rep.Missing != 0 || c2.Watermark != c.Watermark || c2.Online != 0 {
		t.Errorf("empty logs: %+v, %+v", c2, rep)
	}
}

// TestCountFuture: a line dated in the future (a wrong clock) is skipped,
// and does not stop the lines after it from being counted.
func TestCountFuture(t *testing.T) {
	at := time.Date(2026, 11, 27, 14, 5, 0, 0, vnZone)
	log := logOf(hit{at: at, path: "/"}, hit{at: at.AddDate(1, 0, 0), path: "/"}, hit{at: at.Add(time.Second), path: "/"})
	c, rep := count(t, Counts{}, at.Add(time.Minute), log)
	if c.Total != 2 || rep.Future != 1 || !c.Watermark.To.Equal(at.Add(time.Second)) {
		t.Fatalf("got %+v, %+v", c, rep)
	}
	c, _ = count(t, c, at.Add(2*time.Minute), log+logOf(hit{at: at.Add(time.Minute), path: "/"}))
	if c.Total != 3 {
		t.Errorf("next run: total %d, want 3", c.Total)
	}
}

// TestCountSameSecond: a run between two lines of the same second counts
// the later one at the next run, once.
func TestCountSameSecond(t *testing.T) {
	at := time.Date(2026, 11, 27, 14, 5, 0, 0, vnZone)
	a := logOf(hit{at: at, path: "/"}, hit{at: at, path: "/a/"})
	b := logOf(hit{at: at, path: "/b/"}, hit{at: at, path: "/c/"})
	c, _ := count(t, Counts{}, at, a)
	c, _ = count(t, c, at, a+b)
	c, _ = count(t, c, at.Add(time.Second), a+b)
	if c.Total != 4 || c.Today != 4 {
		t.Errorf("got %+v; want 4 views", c)
	}
}

// TestCountLateLine: Apache logs a request with the time it began, so a
// slow request's line may follow later ones; it is counted once.
func TestCountLateLine(t *testing.T) {
	at := time.Date(2026, 11, 27, 14, 5, 0, 0, vnZone)
	a := logOf(hit{at: at, path: "/"}, hit{at: at.Add(30 * time.Second), path: "/a/"})
	late := logOf(hit{at: at.Add(10 * time.Second), path: "/cham/"})
	c, _ := count(t, Counts{}, at.Add(31*time.Second), a)
	c, _ = count(t, c, at.Add(time.Minute), a+late)
	c, _ = count(t, c, at.Add(2*time.Minute), a+late)
	if c.Total != 3 {
		t.Errorf("got %+v; want 3 views", c)
	}
}

// TestCountDayBoundary: "today" begins at midnight in the site's time zone
// whatever the zone of the log (a server on UTC here).
func TestCountDayBoundary(t *testing.T) {
	utc := func(h, m, s int) time.Time { return time.Date(2026, 11, 26, h, m, s, 0, time.UTC) }
	log := logOf(
		hit{at: utc(16, 59, 59), path: "/"}, // 23:59:59 on 26/11 in Vietnam
		hit{at: utc(17, 0, 0), path: "/"},   // 00:00:00 on 27/11
		hit{at: utc(17, 0, 1), path: "/"},
	)
	c, _ := count(t, Counts{}, utc(17, 1, 0), log)
	if c.Total != 3 || c.Today != 2 {
		t.Errorf("got %+v; want total 3, today 2", c)
	}
	// A run before midnight, then one after: today starts again from 0.
	c, _ = count(t, Counts{}, utc(16, 59, 59), logOf(hit{at: utc(16, 59, 58), path: "/"}))
	if c.Today != 1 {
		t.Fatalf("before midnight: today %d, want 1", c.Today)
	}
	c, _ = count(t, c, utc(17, 1, 0), logOf(hit{at: utc(16, 59, 58), path: "/"})+log)
	if c.Total != 4 || c.Today != 2 {
		t.Errorf("after midnight: %+v; want total 4, today 2", c)
	}
	// In UTC the same lines are all on 26/11.
	cu, _, err := Count(Counts{}, []Log{{Name: "l", R: strings.NewReader(log)}}, utc(17, 1, 0), time.UTC)
	if err != nil || cu.Today != 3 {
		t.Errorf("in UTC: today %d, %v; want 3", cu.Today, err)
	}
}

func TestCountOnline(t *testing.T) {
	now := time.Date(2026, 11, 27, 14, 5, 0, 0, vnZone)
	log := logOf(
		hit{at: now.Add(-10 * time.Minute), path: "/", ip: "198.51.100.1"}, // too old
		hit{at: now.Add(-4 * time.Minute), path: "/", ip: "198.51.100.2"},
		hit{at: now.Add(-3 * time.Minute), path: "/a/", ip: "198.51.100.2"},                   // same visitor
		hit{at: now.Add(-2 * time.Minute), path: "/", ip: "198.51.100.2", ua: android},        // same address, another device
		hit{at: now.Add(-time.Minute), path: "/", ip: "198.51.100.3", ua: google},             // a robot
		hit{at: now.Add(-time.Minute), path: "/a.0123456789.css", ip: "198.51.100.4"},         // not a page
		hit{at: now.Add(-30 * time.Second), path: "/", ip: "2001:db8::1"},                     // IPv6
		hit{at: now.Add(-20 * time.Second), path: "/khong-co/", status: 404, ip: "192.0.2.9"}, // an error
	)
	c, _ := count(t, Counts{}, now, log)
	if c.Online != 3 {
		t.Errorf("online %d, want 3", c.Online)
	}
	// Lines an earlier run counted still say who is online.
	c, _ = count(t, c, now, log)
	if c.Online != 3 || c.Total != 5 {
		t.Errorf("second run: %+v; want online 3, total 5", c)
	}
	// No address reaches the file.
	out := string(Marshal(c, vnZone))
	for _, ip := range []string{"198.51.100", "2001:db8", "192.0.2"} {
		if strings.Contains(out, ip) {
			t.Errorf("visits.json holds %s:\n%s", ip, out)
		}
	}
}

// TestCountRandom writes a busy log with rotations and runs at random
// moments, with lines up to a few seconds out of order, and checks that
// each view is counted exactly once.
func TestCountRandom(t *testing.T) {
	for seed := range uint64(10) {
		rng := rand.New(rand.NewPCG(seed, 7))
		files := []*strings.Builder{{}} // oldest first; the last is access.log
		at := time.Date(2026, 11, 20, 0, 0, 0, 0, vnZone)
		lastAt := []time.Time{at} // when each file's writing ended
		gzipped := []string{""}
		prev := Counts{Total: 500}
		views := int64(500)
		ranSinceRotation := true
		for step := 0; step < 300; step++ {
			switch r := rng.IntN(10); {
			case r < 7: // some requests
				for range rng.IntN(30) {
					at = at.Add(time.Duration(rng.IntN(3)) * time.Second)
					h := hit{at: at.Add(-time.Duration(rng.IntN(4)) * time.Second), path: []string{"/", "/tin-tuc/", "/a.0123456789.css", "/rss.xml"}[rng.IntN(4)], ip: fmt.Sprintf("198.51.100.%d", rng.IntN(50))}
					if rng.IntN(5) == 0 {
						h.ua = google
					}
					if h.ua == "" && (h.path == "/" || h.path == "/tin-tuc/") {
						views++
					}
					files[len(files)-1].WriteString(h.String())
				}
			case r < 8 && ranSinceRotation: // rotation, keeping the files of the last half hour, read
				ranSinceRotation = false
				files = append(files, &strings.Builder{})
				lastAt, gzipped = append(lastAt, at), append(gzipped, "")
				for len(files) > 2 && lastAt[0].Before(at.Add(-30*time.Minute)) {
					files, lastAt, gzipped = files[1:], lastAt[1:], gzipped[1:]
				}
			case r >= 8: // a run, given the files newest first
				ranSinceRotation = true
				var logs []Log
				for i := len(files) - 1; i >= 0; i-- {
					f, n := files[i].String(), len(files)-1-i
					name := "access.log"
					if n > 0 {
						name += "." + strconv.Itoa(n)
					}
					if n > 1 {
						if gzipped[i] == "" {
							gzipped[i] = gz(t, f) // once: a rotated file no longer changes
						}
						f, name = gzipped[i], name+".gz"
					}
					logs = append(logs, Log{Name: name, R: strings.NewReader(f)})
				}
				c, _, err := Count(prev, logs, at.Add(time.Second), vnZone)
				if err != nil {
					t.Fatal(err)
				}
				if c.Total != views {
					t.Fatalf("seed %d step %d: total %d, want %d", seed, step, c.Total, views)
				}
				prev = c
			}
		}
	}
}

func TestMarshal(t *testing.T) {
	c := Counts{Online: 2, Today: 41, Total: 292971, UpdatedAt: time.Date(2026, 11, 27, 7, 5, 0, 0, time.UTC),
		Watermark: &Watermark{From: time.Date(2026, 11, 27, 6, 54, 58, 0, time.UTC), To: time.Date(2026, 11, 27, 7, 4, 58, 0, time.UTC), Lines: 37}}
	got := string(Marshal(c, vnZone))
	want := `{
  "online": 2,
  "today": 41,
  "total": 292971,
  "updated_at": "2026-11-27T14:05:00+07:00",
  "watermark": {
    "from": "2026-11-27T13:54:58+07:00",
    "to": "2026-11-27T14:04:58+07:00",
    "lines": 37
  }
}
`
	if got != want {
		t.Errorf("Marshal:\n%s\nwant:\n%s", got, want)
	}
	back, err := Unmarshal([]byte(got))
	if err != nil || back.Total != c.Total || !back.UpdatedAt.Equal(c.UpdatedAt) || !back.Watermark.From.Equal(c.Watermark.From) || !back.Watermark.To.Equal(c.Watermark.To) || back.Watermark.Lines != 37 {
		t.Errorf("Unmarshal: %+v, %v", back, err)
	}
	// A file written by hand, carrying over an earlier portal's total.
	hand, err := Unmarshal([]byte(`{"online": 1, "today": 4, "total": 292959, "updated_at": "2023-12-02T22:14:02+07:00"}`))
	if err != nil || hand.Total != 292959 || hand.Watermark != nil {
		t.Errorf("Unmarshal by hand: %+v, %v", hand, err)
	}
	for _, bad := range []string{`{"total": -1}`, `{"totl": 5}`, `{"updated_at": "02/12/2023"}`, `[1]`, `{"watermark": {"from": "x", "to": "2026-11-27T14:04:58+07:00", "lines": 1}}`, `{"watermark": {"from": "2026-11-27T14:04:58+07:00", "to": "2026-11-27T13:04:58+07:00", "lines": 1}}`} {
		if _, err := Unmarshal([]byte(bad)); err == nil {
			t.Errorf("Unmarshal(%s) accepted", bad)
		}
	}
}

func TestIsPage(t *testing.T) {
	for target, want := range map[string]bool{
		"/": true, "/tin-tuc/": true, "/tin-tuc/trang/2/": true, "/index.html": true, "/a.HTM": true,
		"/tim-kiem/?q=cải+cách": true, "/gioi-thieu": true, "/tin-tuc/a/#muc-1": true,
		"/assets/css/site.0123456789.css": false, "/rss.xml": false, "/sitemap.xml": false,
		"/robots.txt": false, "/favicon.ico": false, "/tai-lieu/lich.pdf": false, "/?p=a.b": true,
		"*": false, "http://example.com/": false, "": false,
	} {
		if got := IsPage(target); got != want {
			t.Errorf("IsPage(%q) = %v, want %v", target, got, want)
		}
	}
}

func TestIsBrowser(t *testing.T) {
	for ua, want := range map[string]bool{
		firefox: true, android: true, coccoc: true,
		"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1": true,
		"Opera/9.80 (J2ME/MIDP; Opera Mini/4.2.14912/870; U; vi) Presto/2.4.15":                                                                   true,
		google: false, "-": false, "": false, "curl/8.5.0": false, "Wget/1.21.3": false, "python-requests/2.31.0": false,
		"Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)":                                                       false,
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36": false,
		"facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)":                                                     false,
		"Mozilla/5.0 (compatible; coccocbot-web/1.0; +http://help.coccoc.com/searchengine)":                                             false,
		"Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36 Zalo iOS/1":        true,
	} {
		if got := IsBrowser(ua); got != want {
			t.Errorf("IsBrowser(%q) = %v, want %v", ua, got, want)
		}
	}
}
