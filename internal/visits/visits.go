// Package visits counts a site's page views from web server access logs,
// without tracking anyone, for the sidebar's "Thống kê truy cập" box.
//
// It reads logs in the combined log format that nginx and Apache write by
// default (gzip-compressed rotated files too):
//
//	203.0.113.7 - - [27/Nov/2026:14:05:01 +0700] "GET /tin-tuc/ HTTP/1.1" 200 5120 "-" "Mozilla/5.0 …"
//
// A line is a page view when it is a GET of a page (a path ending in "/",
// ".html" or ".htm", or whose last part has no extension: not a stylesheet,
// an image, a feed), answered 2xx or 304 (not an error, not a redirect,
// whose target is counted when the browser follows it), by a browser (a
// user agent starting "Mozilla/" or "Opera/" that names no robot, crawler,
// monitor or HTTP library).
//
// The counts are kept in content/visits.json:
//
//	{
//	  "online": 3,                                  // distinct visitors in the 5 minutes before updated_at
//	  "today": 41,                                  // page views on updated_at's day, in the site's time zone
//	  "total": 292971,                              // every page view counted so far
//	  "updated_at": "2026-11-27T14:05:00+07:00",
//	  "watermark": {"from": "2026-11-27T13:54:58+07:00", "to": "2026-11-27T14:04:58+07:00", "lines": 37}
//	}
//
// Each run adds the lines it has not counted before to today and total, so
// that the logs can rotate away: the watermark says how far the logs were
// read: "of the lines stamped from `from` to `to` (the newest line read),
// the first `lines` were counted; those before were counted too, those
// after were not". That holds because logs only grow at their end and
// rotate by renaming, so what one run read is the beginning of what the
// next reads, once the files are put in order: by the names logrotate gives
// them (access.log.2.gz, access.log.1, access.log; or access.log-20261126.gz,
// access.log), else by their first line's time. Starting the window some
// minutes before the newest line allows for servers that log a slow request
// with the time it began (Apache), after quicker ones. A line is never
// counted twice; a line that reaches the log more than Window late is not
// counted, and when a rotated file holding the window's lines is not given,
// up to that many new lines of the window are not counted (Report.Missing
// says so).
//
// No address is stored: "online" is computed from hashes of address and
// user agent, with a key made for the run, kept in memory only.
package visits

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// OnlineWindow is how far back "online" looks.
const OnlineWindow = 5 * time.Minute

// Window is how much earlier than the newest line the watermark starts: the
// lateness with which a line may reach the log and still be counted.
const Window = 10 * time.Minute

// Counts are the content of visits.json.
type Counts struct {
	Online    int64
	Today     int64
	Total     int64
	UpdatedAt time.Time  // zero when unknown
	Watermark *Watermark // nil before the first run over logs
}

// Watermark says how far the logs were read: of the lines stamped from
// From to To, the first Lines have been counted, in the order of the files
// and of their lines; lines before From have been counted, lines after To
// not.
type Watermark struct {
	From, To time.Time
	Lines    int64
}

// Log is one access log file to read. R may be gzip-compressed.
type Log struct {
	Name string
	R    io.Reader
}

// Report says what a run read.
type Report struct {
	Lines     int64 // well-formed lines read
	Seen      int64 // of which counted by an earlier run
	Views     int64 // new page views
	ViewsDay  int64 // of which today
	Malformed int64 // lines not in combined log format
	// FirstMalformed is the first such line's position, "name:line".
	FirstMalformed string
	// Missing is how many lines of the last run's window the logs given
	// lack: a rotated log (access.log.1) was not given.
	Missing int64
	// Behind says that the logs end before the last run's newest line:
	// nothing was counted.
	Behind bool
	// Future is how many lines, dated over an hour after now, were skipped.
	Future int64
}

// entry is what one log line says, all that is kept of it.
type entry struct {
	unix    int64  // its time, in seconds
	view    bool   // a page view
	visitor uint64 // hash of address and user agent, for page views
}

type logEntries struct {
	name    string
	entries []entry
}

// Count reads logs and returns prev updated with the page views not counted
// before, as of now; loc is the site's time zone, which says when "today"
// begins.
func Count(prev Counts, logs []Log, now time.Time, loc *time.Location) (Counts, Report, error) {
	var rep Report
	seed := maphash.MakeSeed()
	var files []logEntries
	// A line dated later than this is a clock's mistake: counting it
	// would put the watermark in the future and stop the count.
	latest := now.Add(time.Hour).Unix()
	for _, l := range logs {
		es, err := read(l, seed, &rep)
		if err != nil {
			return prev, rep, err
		}
		kept := es[:0]
		for _, e := range es {
			if e.unix > latest {
				rep.Future++
				continue
			}
			kept = append(kept, e)
		}
		if len(kept) > 0 {
			files = append(files, logEntries{name: l.Name, entries: kept})
		}
	}
	// Oldest file first: access.log.2.gz, access.log.1, access.log.
	sort.SliceStable(files, func(i, j int) bool {
		if ai, aj := age(files[i].name), age(files[j].name); ai != aj {
			return ai > aj
		}
		return files[i].entries[0].unix < files[j].entries[0].unix
	})

	next := Counts{Total: prev.Total, UpdatedAt: now, Watermark: prev.Watermark}
	y, m, d := now.In(loc).Date()
	today := func(unix int64) bool {
		ey, em, ed := time.Unix(unix, 0).In(loc).Date()
		return ey == y && em == m && ed == d
	}
	if prev.Watermark != nil && !prev.UpdatedAt.IsZero() && today(prev.UpdatedAt.Unix()) {
		// The earlier run counted today's views up to its watermark.
		next.Today = prev.Today
	}
	from, to, skip := int64(-1<<62), int64(-1<<62), int64(0)
	if w := prev.Watermark; w != nil {
		from, to, skip = w.From.Unix(), w.To.Unix(), w.Lines
	}
	newest := int64(-1 << 62)
	for _, f := range files {
		for _, e := range f.entries {
			newest = max(newest, e.unix)
		}
	}
	if len(files) > 0 && newest < to {
		// The logs end before what the last run read: they are not the
		// same logs, or the clock went back. Count nothing rather than
		// count twice.
		rep.Behind = true
		skip, from = 0, 1<<62
	}
	online := map[uint64]bool{}
	onlineFrom, onlineTo := now.Add(-OnlineWindow).Unix(), now.Add(time.Minute).Unix() // a minute's grace for clocks
	for _, f := range files {
		for _, e := range f.entries {
			if e.view && e.unix > onlineFrom && e.unix <= onlineTo {
				online[e.visitor] = true
			}
			if e.unix < from || (e.unix <= to && skip > 0) {
				if e.unix >= from {
					skip--
				}
				rep.Seen++
				continue
			}
			if e.view {
				rep.Views++
				next.Total++
				if today(e.unix) {
					rep.ViewsDay++
					next.Today++
				}
			}
		}
	}
	if len(files) > 0 {
		rep.Missing = skip
	}
	next.Online = int64(len(online))
	if len(files) > 0 && !rep.Behind {
		w := &Watermark{From: time.Unix(newest, 0).Add(-Window).In(loc), To: time.Unix(newest, 0).In(loc)}
		for _, f := range files {
			for _, e := range f.entries {
				if e.unix >= w.From.Unix() {
					w.Lines++
				}
			}
		}
		next.Watermark = w
	}
	return next, rep, nil
}

var (
	numberedRE = regexp.MustCompile(`\.([0-9]{1,6})$`)
	datedRE    = regexp.MustCompile(`-((?:19|20)[0-9]{6})([0-9]*)$`)
)

// age ranks a log file by its name as logrotate gives it: access.log is 0,
// access.log.1 is 1, access.log.2.gz is 2; with dateext, access.log-20261126
// is older than access.log and than access.log-20261127. Files are ordered
// by their names because the time of a short file's first line may be out
// of order (Apache logs a request with the time it began).
func age(name string) float64 {
	name = strings.TrimSuffix(name, ".gz")
	if m := numberedRE.FindStringSubmatch(name); m != nil {
		n, _ := strconv.Atoi(m[1])
		return float64(n)
	}
	if m := datedRE.FindStringSubmatch(name); m != nil {
		// Older dates are older files: 1e9 - 20261126.
		d, _ := strconv.ParseFloat(m[1], 64)
		frac := 0.0
		if m[2] != "" { // dateformat -%Y%m%d%H or with seconds
			f, _ := strconv.ParseFloat("0."+m[2], 64)
			frac = f
		}
		return 1e9 - d - frac
	}
	return 0
}

// maxLine bounds the length of a line kept in memory; longer ones are
// malformed (no server writes them for a real visit).
const maxLine = 64 << 10

func read(l Log, seed maphash.Seed, rep *Report) ([]entry, error) {
	br := bufio.NewReaderSize(l.R, 64<<10)
	var r io.Reader = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", l.Name, err)
		}
		defer zr.Close()
		r = zr
	}
	lr := bufio.NewReaderSize(r, 64<<10)
	var out []entry
	var n int64
	browsers := map[string]bool{}
	var long []byte
	for {
		line, err := lr.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			// A long line: gather it, up to maxLine.
			long = append(long[:0], line...)
			for errors.Is(err, bufio.ErrBufferFull) {
				line, err = lr.ReadSlice('\n')
				if len(long) < maxLine {
					long = append(long, line...)
				}
			}
			line = long
		}
		if len(line) > 0 {
			n++
			e, ok := parse(bytes.TrimRight(line, "\r\n"), seed, browsers)
			switch {
			case ok && len(line) <= maxLine:
				out = append(out, e)
				rep.Lines++
			case err == io.EOF:
				// The server is writing this last line: the next run
				// reads it whole.
			default:
				rep.Malformed++
				if rep.FirstMalformed == "" {
					rep.FirstMalformed = l.Name + ":" + strconv.FormatInt(n, 10)
				}
			}
		}
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %v", l.Name, err)
		}
	}
}

// parse reads one line of the combined log format:
//
//	host ident user [time] "request" status bytes "referer" "user agent"
//
// Anything after the user agent (fields a server adds) is ignored.
func parse(line []byte, seed maphash.Seed, browsers map[string]bool) (entry, bool) {
	var e entry
	host, rest, ok := bytes.Cut(line, []byte(" "))
	if !ok || len(host) == 0 {
		return e, false
	}
	open := bytes.IndexByte(rest, '[')
	if open < 0 {
		return e, false
	}
	close := bytes.IndexByte(rest[open:], ']')
	if close < 0 {
		return e, false
	}
	t, ok := parseTime(rest[open+1 : open+close])
	if !ok {
		return e, false
	}
	e.unix = t
	rest = rest[open+close+1:]
	request, rest, ok := quoted(rest)
	if !ok {
		return e, false
	}
	statusField, rest := token(rest)
	status, err := strconv.Atoi(string(statusField))
	if err != nil || len(statusField) != 3 {
		return e, false
	}
	size, rest := token(rest) // a number of bytes, or "-"
	if string(size) != "-" {
		if _, err := strconv.ParseUint(string(size), 10, 64); err != nil {
			return e, false
		}
	}
	if _, rest, ok = quoted(rest); !ok { // referer
		return e, false
	}
	ua, _, ok := quoted(rest)
	if !ok {
		return e, false
	}
	method, target, _ := bytes.Cut(request, []byte(" "))
	target, _, _ = bytes.Cut(target, []byte(" "))
	e.view = string(method) == "GET" && (status >= 200 && status < 300 || status == 304) && IsPage(string(target))
	if e.view {
		// Logs repeat a few user agents many times.
		browser, ok := browsers[string(ua)]
		if !ok {
			browser = IsBrowser(string(ua))
			if len(browsers) < 10000 {
				browsers[string(ua)] = browser
			}
		}
		e.view = browser
	}
	if e.view {
		var h maphash.Hash
		h.SetSeed(seed)
		h.Write(host)
		h.WriteByte(0)
		h.Write(ua)
		e.visitor = h.Sum64()
	}
	return e, true
}

// token reads a field up to the next space, after optional spaces.
func token(b []byte) ([]byte, []byte) {
	b = bytes.TrimLeft(b, " ")
	if i := bytes.IndexByte(b, ' '); i >= 0 {
		return b[:i], b[i:]
	}
	return b, nil
}

// quoted reads a quoted field after optional spaces, undoing the escapes
// that nginx (\x22) and Apache (\") write, and returns the rest of b.
func quoted(b []byte) ([]byte, []byte, bool) {
	b = bytes.TrimLeft(b, " ")
	if len(b) == 0 || b[0] != '"' {
		return nil, nil, false
	}
	if end := bytes.IndexByte(b[1:], '"'); end >= 0 && bytes.IndexByte(b[1:end+1], '\\') < 0 {
		return b[1 : end+1], b[end+2:], true // no escapes: the usual case
	}
	var s []byte
	for i := 1; i < len(b); i++ {
		switch c := b[i]; c {
		case '"':
			return s, b[i+1:], true
		case '\\':
			if i+1 < len(b) {
				i++
				switch b[i] {
				case 'x':
					if i+2 < len(b) {
						if v, err := strconv.ParseUint(string(b[i+1:i+3]), 16, 8); err == nil {
							s = append(s, byte(v))
							i += 2
							continue
						}
					}
					s = append(s, '\\', 'x')
				case 'n':
					s = append(s, '\n')
				case 't':
					s = append(s, '\t')
				default:
					s = append(s, b[i])
				}
			}
		default:
			s = append(s, c)
		}
	}
	return nil, nil, false
}

var months = map[string]time.Month{"Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "May": 5, "Jun": 6, "Jul": 7, "Aug": 8, "Sep": 9, "Oct": 10, "Nov": 11, "Dec": 12}

// parseTime reads "27/Nov/2026:14:05:01 +0700" into Unix seconds.
func parseTime(b []byte) (int64, bool) {
	s := string(b)
	if len(s) != 26 || s[2] != '/' || s[6] != '/' || s[11] != ':' || s[14] != ':' || s[17] != ':' || s[20] != ' ' {
		return 0, false
	}
	num := func(s string) (int, bool) {
		n := 0
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return 0, false
			}
			n = n*10 + int(s[i]-'0')
		}
		return n, true
	}
	day, ok1 := num(s[0:2])
	mon, ok2 := months[s[3:6]]
	year, ok3 := num(s[7:11])
	hh, ok4 := num(s[12:14])
	mm, ok5 := num(s[15:17])
	ss, ok6 := num(s[18:20])
	oh, ok7 := num(s[22:24])
	om, ok8 := num(s[24:26])
	sign := s[21]
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && ok7 && ok8) || (sign != '+' && sign != '-') ||
		day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60 || om > 59 {
		return 0, false
	}
	off := (oh*60 + om) * 60
	if sign == '-' {
		off = -off
	}
	t := time.Date(year, mon, day, hh, mm, ss, 0, time.UTC)
	if t.Day() != day { // 31/Apr
		return 0, false
	}
	return t.Unix() - int64(off), true
}

// IsPage reports whether a request target is a page rather than an asset,
// a feed or a file: a path ending in "/", ".html" or ".htm", or whose last
// part has no extension.
func IsPage(target string) bool {
	if !strings.HasPrefix(target, "/") {
		return false // "*", a proxy probe's absolute URL, garbage
	}
	if i := strings.IndexAny(target, "?#"); i >= 0 {
		target = target[:i]
	}
	last := target[strings.LastIndexByte(target, '/')+1:]
	if last == "" {
		return true
	}
	ext := ""
	if i := strings.LastIndexByte(last, '.'); i >= 0 {
		ext = strings.ToLower(last[i:])
	}
	return ext == "" || ext == ".html" || ext == ".htm"
}

// robots are the marks, in lower case, of user agents that are not people
// reading: crawlers, link previews, monitors, HTTP libraries, scanners.
// In-app browsers (Zalo's, Facebook's) are people reading.
var robots = []string{
	"bot", "crawl", "spider", "slurp", "archiver", "scraper", "scrapy",
	"headless", "phantomjs", "lighthouse", "pagespeed", "gtmetrix", "pingdom", "uptime", "monitor",
	"preview", "facebookexternalhit", "embedly", "feedfetcher", "feed", "rss",
	"validator", "checker", "curl", "wget", "python", "go-http-client", "java/", "okhttp", "libwww",
	"httpclient", "axios", "node-fetch", "postman", "httpie", "zgrab", "masscan", "nmap", "nikto",
	"semrush", "ahrefs", "mj12", "dataprovider", "petal", "bytespider", "gptbot", "claude", "ccbot",
}

// IsBrowser reports whether a user agent is a person's browser: it starts
// like every browser's does and names no robot.
func IsBrowser(ua string) bool {
	if !strings.HasPrefix(ua, "Mozilla/") && !strings.HasPrefix(ua, "Opera/") {
		return false
	}
	l := strings.ToLower(ua)
	for _, r := range robots {
		if strings.Contains(l, r) {
			return false
		}
	}
	return true
}

// fileJSON is visits.json as written.
type fileJSON struct {
	Online    int64          `json:"online"`
	Today     int64          `json:"today"`
	Total     int64          `json:"total"`
	UpdatedAt string         `json:"updated_at,omitempty"`
	Watermark *watermarkJSON `json:"watermark,omitempty"`
}

type watermarkJSON struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Lines int64  `json:"lines"`
}

// Marshal writes c as visits.json, its times in loc.
func Marshal(c Counts, loc *time.Location) []byte {
	f := fileJSON{Online: c.Online, Today: c.Today, Total: c.Total}
	if !c.UpdatedAt.IsZero() {
		f.UpdatedAt = c.UpdatedAt.In(loc).Format(time.RFC3339)
	}
	if w := c.Watermark; w != nil {
		f.Watermark = &watermarkJSON{From: w.From.In(loc).Format(time.RFC3339), To: w.To.In(loc).Format(time.RFC3339), Lines: w.Lines}
	}
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		panic(err) // ints and strings always marshal
	}
	return append(b, '\n')
}

// Unmarshal reads visits.json: one written by Marshal, or by hand (with
// online, today and total, and perhaps updated_at), such as the total
// carried over from an earlier portal.
func Unmarshal(data []byte) (Counts, error) {
	var f fileJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return Counts{}, fmt.Errorf("not a visits file: %v", err)
	}
	if f.Online < 0 || f.Today < 0 || f.Total < 0 {
		return Counts{}, fmt.Errorf("counts must not be negative")
	}
	c := Counts{Online: f.Online, Today: f.Today, Total: f.Total}
	if f.UpdatedAt != "" {
		t, err := time.Parse(time.RFC3339, f.UpdatedAt)
		if err != nil {
			return Counts{}, fmt.Errorf("updated_at %q is not an RFC 3339 time", f.UpdatedAt)
		}
		c.UpdatedAt = t
	}
	if w := f.Watermark; w != nil {
		from, err1 := time.Parse(time.RFC3339, w.From)
		to, err2 := time.Parse(time.RFC3339, w.To)
		if err1 != nil || err2 != nil || to.Before(from) || w.Lines < 0 {
			return Counts{}, fmt.Errorf("watermark %+v: want {\"from\": time, \"to\": a later time, \"lines\": count}, times in RFC 3339", *w)
		}
		c.Watermark = &Watermark{From: from, To: to, Lines: w.Lines}
	}
	return c, nil
}
