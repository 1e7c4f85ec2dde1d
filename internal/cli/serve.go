package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/congxa/congxa"
	"github.com/congxa/congxa/internal/build"
	"github.com/congxa/congxa/internal/content"
	"github.com/congxa/congxa/internal/diag"
	"github.com/congxa/congxa/internal/server"
	"github.com/congxa/congxa/internal/watch"
)

const serveUsage = `usage: congxa serve [--source DIR] [--bind ADDR] [--port N] [--drafts] [--poll]

Builds the site, serves it, and rebuilds it whenever a file in content/,
layouts/ or assets/ changes; open pages reload by themselves. When a
change breaks the site, the last good build is still served, with the
errors shown over it and printed here. Nothing is written to public/.
Ctrl-C stops it.

flags:
  --source DIR   the site folder (default: the current folder)
  --bind ADDR    the address to listen on (default: 127.0.0.1, this
                 machine alone; 0.0.0.0 opens the preview to the network)
  --port N       the port (default: 1313; 0 picks a free one)
  --drafts       include pages marked draft: true
  --poll         poll for changes instead of using the system's file
                 events: for shared folders and WSL, where those do not work

examples:
  congxa serve
  congxa serve --source ~/xa-bac-an --port 8080
  congxa serve --bind 0.0.0.0 --poll
`

// watchDirs are the folders of a site that a rebuild depends on.
var watchDirs = []string{"content", "layouts", "assets"}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("serve")
	source := fs.String("source", ".", "")
	bind := fs.String("bind", "127.0.0.1", "")
	port := fs.Int("port", 1313, "")
	drafts := fs.Bool("drafts", false, "")
	poll := fs.Bool("poll", false, "")
	if code, ok := parse(fs, args, serveUsage, stdout, stderr); !ok {
		return code
	}
	defer holdMemory(memoryFloor)()
	src, code := sourceDir("serve", *source, stderr)
	if code != 0 {
		return code
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(*bind, strconv.Itoa(*port)))
	if err != nil {
		fmt.Fprintf(stderr, "congxa serve: %v\n", err)
		return ExitError
	}
	host := ln.Addr().(*net.TCPAddr)
	hostname := *bind
	if ip := net.ParseIP(hostname); hostname == "" || ip != nil && ip.IsUnspecified() {
		hostname = "localhost"
	}
	origin := "http://" + net.JoinHostPort(hostname, strconv.Itoa(host.Port))

	// Serve at the site's own path, so that a base_url with a sub-path is
	// previewed as it will be published.
	basePath := sitePath(src)
	srv := server.New(basePath)
	b := build.New(build.Options{
		Source:  dirFS(src),
		Dir:     src,
		Theme:   congxa.Theme(),
		BaseURL: origin + basePath,
		Drafts:  *drafts,
		Now:     now,
	})
	w, err := watch.New(watch.Options{Root: src, Dirs: watchDirs, Ignore: content.Ignored, Poll: pollInterval(*poll)})
	if err != nil {
		ln.Close()
		fmt.Fprintf(stderr, "congxa serve: cannot watch %s: %v (try --poll)\n", src, err)
		return ExitError
	}
	defer w.Close()
	due := newSchedule()
	var shown rebuildDiags
	defer due.stop()

	gc := newCollector()
	rebuild := func(changed map[string]bool) {
		start := time.Now()
		gc.begin()
		defer gc.end()
		res, diags, err := b.Build(ctx, changed)
		shown.print(stderr, diags)
		switch {
		case diags.HasErrors():
			n, _ := diags.Count()
			fmt.Fprintf(stderr, "%s %d %s; still serving the last good build\n", clock(), n, plural(n, "error", "errors"))
			srv.Fail(diags)
		case err != nil:
			fmt.Fprintf(stderr, "%s %v\n", clock(), err)
			srv.Fail(diag.List{{Msg: err.Error()}})
		default:
			srv.Update(res.Outputs)
			fmt.Fprintf(stdout, "%s built %d pages in %s\n", clock(), res.Pages, elapsed(time.Since(start)))
			if note := scheduleNote(res.Site); note != "" {
				fmt.Fprintf(stdout, "%s %s\n", clock(), note)
			}
			due.set(res.Site.Next)
		}
	}
	rebuild(nil)

	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	fmt.Fprintf(stdout, "Serving %s at %s%s (Ctrl-C to stop)\n", src, origin, basePath)

	for {
		select {
		case <-ctx.Done():
			shut, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			_ = hs.Shutdown(shut)
			fmt.Fprintln(stdout, "stopped")
			return ExitOK
		case err := <-served:
			if !errors.Is(err, http.ErrServerClosed) {
				fmt.Fprintf(stderr, "congxa serve: %v\n", err)
				return ExitError
			}
			return ExitOK
		case batch, ok := <-w.C:
			if !ok {
				return ExitOK
			}
			rebuild(changedSet(batch))
		case <-due.C():
			if due.reached() {
				rebuild(map[string]bool{}) // a page's date or expiry has come
			}
		}
	}
}

// runWatch rebuilds into the destination after every change, until ctx is
// done. Each build is swapped in whole.
func runWatch(ctx context.Context, b *build.Builder, src, out string, poll bool, stdout, stderr io.Writer, shown *rebuildDiags, next time.Time) int {
	w, err := watch.New(watch.Options{Root: src, Dirs: watchDirs, Ignore: content.Ignored, Poll: pollInterval(poll)})
	if err != nil {
		fmt.Fprintf(stderr, "congxa build: cannot watch %s: %v (try --poll)\n", src, err)
		return ExitError
	}
	defer w.Close()
	fmt.Fprintf(stdout, "Watching %s for changes (Ctrl-C to stop)\n", src)
	due := newSchedule()
	defer due.stop()
	due.set(next)
	gc := newCollector()
	for {
		var changed map[string]bool
		select {
		case <-ctx.Done():
			fmt.Fprintln(stdout, "stopped")
			return ExitOK
		case batch, ok := <-w.C:
			if !ok {
				return ExitOK
			}
			changed = changedSet(batch)
		case <-due.C():
			if !due.reached() {
				continue
			}
			// A page's date or expiry has come: nothing changed on disk.
			changed = map[string]bool{}
		}
		start := time.Now()
		gc.begin()
		res, diags, err := b.Build(ctx, changed)
		shown.print(stderr, diags)
		switch {
		case diags.HasErrors():
			n, _ := diags.Count()
			fmt.Fprintf(stderr, "%s %d %s; %s left unchanged\n", clock(), n, plural(n, "error", "errors"), relTo(src, out))
		case err != nil:
			fmt.Fprintf(stderr, "%s %v\n", clock(), err)
		default:
			fmt.Fprintf(stdout, "%s built %d pages, wrote %d of %d files in %s\n", clock(), res.Pages, res.Written, res.Files, elapsed(time.Since(start)))
			if note := scheduleNote(res.Site); note != "" {
				fmt.Fprintf(stdout, "%s %s\n", clock(), note)
			}
			due.set(res.Site.Next)
		}
		gc.end()
	}
}

// buildClock is the time the builds see.
func buildClock() time.Time {
	if now != nil {
		return now()
	}
	return time.Now()
}

// schedule fires when the next page is due to be published or taken down.
type schedule struct {
	t  *time.Timer
	at time.Time
}

func newSchedule() *schedule {
	t := time.NewTimer(time.Hour)
	t.Stop()
	return &schedule{t: t}
}

// set arms the schedule for at; a zero time disarms it. A timer is not
// trusted over a day (the machine may sleep): it wakes at least hourly
// and rebuilds, which costs little when nothing changed.
func (s *schedule) set(at time.Time) {
	s.t.Stop()
	s.at = at
	if at.IsZero() {
		return
	}
	d := at.Sub(buildClock()) + time.Second
	s.t.Reset(min(max(d, 0), time.Hour))
}

func (s *schedule) C() <-chan time.Time { return s.t.C }

// reached reports whether the time set has come; if not (the timer woke
// early, see set), it arms the timer again.
func (s *schedule) reached() bool {
	if buildClock().Before(s.at) {
		s.set(s.at)
		return false
	}
	return true
}
func (s *schedule) stop() { s.t.Stop() }

func changedSet(b watch.Batch) map[string]bool {
	if b.All {
		return nil // events were lost: compare every file
	}
	return b.Paths
}

func pollInterval(poll bool) time.Duration {
	if poll {
		return 500 * time.Millisecond
	}
	return 0
}

func clock() string { return time.Now().Format("15:04:05") }

// siteSettings checks --source and reads the site's settings, for the
// commands that need them without building.
func siteSettings(cmd, source string, stderr io.Writer) (string, *content.Settings, int) {
	src, code := sourceDir(cmd, source, stderr)
	if code != 0 {
		return "", nil, code
	}
	st, diags := content.LoadSettings(os.DirFS(src))
	if diags.HasErrors() || st == nil {
		printDiags(stderr, diags)
		fmt.Fprintf(stderr, "congxa %s: the site settings have errors: fix content/site.yaml first\n", cmd)
		return "", nil, ExitError
	}
	return src, st, 0
}

// sourceDir checks --source.
func sourceDir(cmd, source string, stderr io.Writer) (string, int) {
	src, err := filepath.Abs(source)
	if err != nil {
		fmt.Fprintf(stderr, "congxa %s: %v\n", cmd, err)
		return "", ExitUsage
	}
	if fi, err := os.Stat(src); err != nil || !fi.IsDir() {
		fmt.Fprintf(stderr, "congxa %s: --source %s is not a folder\n", cmd, source)
		return "", ExitUsage
	}
	return src, 0
}

// sitePath reads the path of the site's base_url, to serve the preview at
// the same path; "/" when it cannot be read (the build will say why).
func sitePath(src string) string {
	st, _ := content.LoadSettings(os.DirFS(src))
	if st == nil || st.BaseURL == nil || st.BaseURL.Path == "" {
		return "/"
	}
	return st.BaseURL.Path
}
