package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/congxa/congxa/internal/visits"
)

const visitsUsage = `usage: congxa visits --log FILE [--log FILE]... [--out FILE] [--source DIR]

Counts the site's page views in web server access logs (nginx or Apache,
combined log format; rotated .gz files too) and updates the visitor
counts that every page's sidebar shows: "Đang truy cập" (distinct
visitors in the last 5 minutes), "Hôm nay" (views since midnight in the
site's time zone) and "Tất cả" (every view counted so far, added to the
total already in the file). A view is a GET of a page (not of a
stylesheet, image, feed or file) answered without error by a browser (not
a robot). No IP address is stored.

Run it as often as you like: the file remembers how far the logs were
read, so a line is never counted twice, also when the logs rotate. Give
it the current log and the last rotated one, so that lines written
between a run and a rotation are read. Rebuild the site afterwards (or
keep "congxa build --watch" running) for the pages to show the counts.

flags:
  --log FILE    an access log; repeat it for several files; a pattern
                such as '/var/log/nginx/access.log*' (quoted) names all
                the files that match
  --out FILE    the counts file (default: DIR/content/visits.json)
  --source DIR  the site folder, whose content/site.yaml gives the time
                zone (default: the current folder)

examples:
  congxa visits --log /var/log/nginx/access.log --log /var/log/nginx/access.log.1
  congxa visits --log '/var/log/apache2/access.log*' --source /srv/xa-bac-an
`

// logList is a repeatable --log flag.
type logList []string

func (l *logList) String() string     { return strings.Join(*l, ", ") }
func (l *logList) Set(v string) error { *l = append(*l, v); return nil }

func runVisits(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fset := newFlags("visits")
	var logs logList
	fset.Var(&logs, "log", "")
	out := fset.String("out", "", "")
	source := fset.String("source", ".", "")
	if code, ok := parse(fset, args, visitsUsage, stdout, stderr); !ok {
		return code
	}
	if len(logs) == 0 {
		fmt.Fprintf(stderr, "congxa visits: name the access logs with --log\n\n%s", visitsUsage)
		return ExitUsage
	}
	_, st, code := siteSettings("visits", *source, stderr)
	if code != 0 {
		return code
	}
	outPath := *out
	if outPath == "" {
		outPath = filepath.Join(*source, "content", "visits.json")
	}

	names, err := expandLogs(logs)
	if err != nil {
		fmt.Fprintf(stderr, "congxa visits: %v\n", err)
		return ExitError
	}
	var inputs []visits.Log
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintf(stderr, "congxa visits: %v\n", err)
			return ExitError
		}
		defer f.Close()
		inputs = append(inputs, visits.Log{Name: name, R: f})
	}

	var prev visits.Counts
	switch data, err := os.ReadFile(outPath); {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		fmt.Fprintf(stderr, "congxa visits: %v\n", err)
		return ExitError
	default:
		if prev, err = visits.Unmarshal(data); err != nil {
			fmt.Fprintf(stderr, "congxa visits: %s: %v; fix or remove it (its total is carried over)\n", outPath, err)
			return ExitError
		}
	}

	c, rep, err := visits.Count(prev, inputs, timeNow(), st.Location)
	if err != nil {
		fmt.Fprintf(stderr, "congxa visits: %v\n", err)
		return ExitError
	}
	if rep.Malformed > 0 {
		if rep.Lines == 0 {
			fmt.Fprintf(stderr, "congxa visits: %s: not an access log in combined log format (nginx's and Apache's default); %s left unchanged\n", rep.FirstMalformed, outPath)
			return ExitError
		}
		fmt.Fprintf(stderr, "%s: warning: %d %s not in combined log format, skipped\n", rep.FirstMalformed, rep.Malformed, plural(int(rep.Malformed), "line", "lines"))
	}
	if rep.Future > 0 {
		fmt.Fprintf(stderr, "congxa visits: warning: %d %s dated over an hour after now skipped: is the web server's clock right?\n", rep.Future, plural(int(rep.Future), "line", "lines"))
	}
	if rep.Missing > 0 {
		fmt.Fprintf(stderr, "congxa visits: warning: %d %s that the last run read %s missing: give the rotated log too (--log access.log.1); a few new views may have gone uncounted\n", rep.Missing, plural(int(rep.Missing), "line", "lines"), plural(int(rep.Missing), "is", "are"))
	}
	if err := writeAtomic(outPath, visits.Marshal(c, st.Location)); err != nil {
		fmt.Fprintf(stderr, "congxa visits: %v\n", err)
		return ExitError
	}
	fmt.Fprintf(stdout, "counted %d new page %s in %d log %s: online %d, today %d, total %d → %s\n",
		rep.Views, plural(int(rep.Views), "view", "views"), rep.Lines, plural(int(rep.Lines), "line", "lines"), c.Online, c.Today, c.Total, outPath)
	return ExitOK
}

// expandLogs expands patterns and drops files named twice (a pattern and
// a name, a symbolic link), which would count their lines twice.
func expandLogs(args []string) ([]string, error) {
	var names []string
	var seen []os.FileInfo
	for _, a := range args {
		matches := []string{a}
		if strings.ContainsAny(a, "*?[") {
			m, err := filepath.Glob(a)
			if err != nil {
				return nil, fmt.Errorf("--log %s: %v", a, err)
			}
			if len(m) == 0 {
				return nil, fmt.Errorf("--log %s: no file matches", a)
			}
			matches = m
		}
	next:
		for _, name := range matches {
			fi, err := os.Stat(name)
			if err != nil {
				return nil, err
			}
			if fi.IsDir() {
				return nil, fmt.Errorf("--log %s is a folder, not a log file", name)
			}
			for _, s := range seen {
				if os.SameFile(fi, s) {
					continue next
				}
			}
			seen = append(seen, fi)
			names = append(names, name)
		}
	}
	return names, nil
}

// writeAtomic replaces name with data so that a build reading it at the
// same moment sees the old file or the new one, never half of one.
func writeAtomic(name string, data []byte) error {
	dir := filepath.Dir(name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	// A dot name: the site loader and watchers ignore it.
	f, err := os.CreateTemp(dir, "."+filepath.Base(name)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, werr := f.Write(data)
	if err := f.Chmod(0o644); werr == nil {
		werr = err
	}
	if err := f.Close(); werr == nil {
		werr = err
	}
	if werr == nil {
		werr = os.Rename(tmp, name)
	}
	if werr != nil {
		os.Remove(tmp)
	}
	return werr
}
