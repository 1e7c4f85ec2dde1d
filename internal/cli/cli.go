// Package cli is the congxa command line: subcommands, flags, messages and
// exit codes. It is the only package that prints; main only calls Main.
//
// Exit codes: 0 success, 1 the site has errors (or the output could not be
// written), 2 the command line is wrong.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/congxa/congxa"
	"github.com/congxa/congxa/internal/build"
	"github.com/congxa/congxa/internal/diag"
	"github.com/congxa/congxa/internal/site"
)

// Exit codes.
const (
	ExitOK    = 0
	ExitError = 1
	ExitUsage = 2
)

// env lets tests fix the clock; nil means time.Now.
var now func() time.Time

type command struct {
	name    string
	summary string
	usage   string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

var commands []*command

func init() {
	commands = []*command{
		{name: "build", summary: "build the site into a folder", usage: buildUsage, run: runBuild},
		{name: "serve", summary: "serve the site, rebuilding it on every change", usage: serveUsage, run: runServe},
		{name: "init", summary: "create a new site", usage: initUsage, run: runInit},
		{name: "new", summary: "write a new post or page", usage: newUsage, run: runNew},
		{name: "check", summary: "check the site for broken links, accessibility and required contact details", usage: checkUsage, run: runCheck},
		{name: "visits", summary: "count page views in web server logs", usage: visitsUsage, run: runVisits},
		{name: "version", summary: "print the version and commit", usage: versionUsage, run: runVersion},
		{name: "help", summary: "show help for a command", usage: helpUsage, run: runHelp},
	}
}

// Main runs the command line args and returns the exit code.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, mainUsage())
		return ExitUsage
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help":
		fmt.Fprint(stdout, mainUsage())
		return ExitOK
	case "-version", "--version":
		name = "version"
	}
	for _, c := range commands {
		if c.name == name {
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "congxa: unknown command %q\n\n%s", name, mainUsage())
	return ExitUsage
}

func mainUsage() string {
	var b strings.Builder
	b.WriteString("congxa builds the web portal of a Vietnamese commune from a site folder.\n\nusage: congxa COMMAND [flags]\n\ncommands:\n")
	for _, c := range commands {
		fmt.Fprintf(&b, "  %-9s %s\n", c.name, c.summary)
	}
	b.WriteString("\nRun \"congxa help COMMAND\" for a command's flags and examples.\n")
	return b.String()
}

func runHelp(_ context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stdout, mainUsage())
		return ExitOK
	}
	for _, c := range commands {
		if c.name == args[0] {
			fmt.Fprint(stdout, c.usage)
			return ExitOK
		}
	}
	fmt.Fprintf(stderr, "congxa help: unknown command %q\n\n%s", args[0], mainUsage())
	return ExitUsage
}

const buildUsage = `usage: congxa build [--source DIR] [--dest DIR] [--base-url URL] [--drafts] [--watch [--poll]]

Builds the site in DIR into a folder of static files that any web server
can serve. The new build replaces the destination only when it is complete
and has no error; on an error the destination is left as it was.

flags:
  --source DIR    the site folder (default: the current folder)
  --dest DIR      where to write the site (default: DIR/public)
  --base-url URL  publish for this address instead of site.yaml's base_url,
                  e.g. http://localhost:8080/ for a local preview
  --drafts        include pages marked draft: true
  --watch         after building, rebuild on every change in content/,
                  layouts/ or assets/ until Ctrl-C; each build replaces
                  the destination whole, a failed one leaves it alone
  --poll          with --watch, poll for changes instead of using the
                  system's file events (shared folders, WSL)
  --cpuprofile F  write a CPU profile to F (go tool pprof F)
  --memprofile F  write a heap profile to F at the end of the build

examples:
  congxa build
  congxa build --source ~/xa-bac-an --dest /var/www/xa-bac-an
  congxa build --base-url https://example.gov.vn/xa-bac-an/
  congxa build --dest /var/www/xa-bac-an --watch
`

// newFlags returns a flag set that prints nothing itself: parse reports
// errors with the command's usage.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parse parses flags, reporting errors the way Go tools do.
func parse(fs *flag.FlagSet, args []string, usage string, stdout, stderr io.Writer) (int, bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			return ExitOK, false
		}
		fmt.Fprintf(stderr, "congxa %s: %v\n\n%s", fs.Name(), err, usage)
		return ExitUsage, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "congxa %s: unexpected argument %q\n\n%s", fs.Name(), fs.Arg(0), usage)
		return ExitUsage, false
	}
	return 0, true
}

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("build")
	source := fs.String("source", ".", "")
	dest := fs.String("dest", "", "")
	baseURL := fs.String("base-url", "", "")
	drafts := fs.Bool("drafts", false, "")
	watching := fs.Bool("watch", false, "")
	poll := fs.Bool("poll", false, "")
	cpuprofile := fs.String("cpuprofile", "", "")
	memprofile := fs.String("memprofile", "", "")
	if code, ok := parse(fs, args, buildUsage, stdout, stderr); !ok {
		return code
	}
	stopProfiles, err := startProfiles(*cpuprofile, *memprofile)
	if err != nil {
		fmt.Fprintf(stderr, "congxa build: %v\n", err)
		return ExitUsage
	}
	defer stopProfiles()
	defer holdMemory(memoryFloor)()
	if *poll && !*watching {
		fmt.Fprintf(stderr, "congxa build: --poll goes with --watch\n\n%s", buildUsage)
		return ExitUsage
	}
	src, code := sourceDir("build", *source, stderr)
	if code != 0 {
		return code
	}
	out := *dest
	if out == "" {
		out = filepath.Join(src, "public")
	}
	out, err = filepath.Abs(out)
	if err != nil {
		fmt.Fprintf(stderr, "congxa build: %v\n", err)
		return ExitUsage
	}
	if msg := unsafeDest(src, out); msg != "" {
		fmt.Fprintf(stderr, "congxa build: --dest %s: %s\n", out, msg)
		return ExitUsage
	}
	start := time.Now()
	b := build.New(build.Options{
		Source:  dirFS(src),
		Dir:     src,
		Theme:   congxa.Theme(),
		Dest:    out,
		BaseURL: *baseURL,
		Drafts:  *drafts,
		Now:     now,
		Once:    !*watching,
	})
	res, diags, werr := b.Build(ctx, nil)
	defer b.Wait()
	var shown rebuildDiags // printDiags, and for --watch the warnings already shown
	shown.print(stderr, diags)
	if diags.HasErrors() || werr != nil {
		if werr != nil {
			fmt.Fprintf(stderr, "congxa build: %v\n", werr)
		} else {
			n, _ := diags.Count()
			fmt.Fprintf(stderr, "congxa build: %d %s; %s left unchanged\n", n, plural(n, "error", "errors"), relTo(src, out))
		}
		if *watching {
			// Keep watching: the editor will fix it.
			return runWatch(ctx, b, src, out, *poll, stdout, stderr, &shown, time.Time{})
		}
		return ExitError
	}
	_, warns := diags.Count()
	w := ""
	if warns > 0 {
		w = fmt.Sprintf(", %d %s", warns, plural(warns, "warning", "warnings"))
	}
	fmt.Fprintf(stdout, "built %d pages, %d files in %s%s → %s\n", res.Pages, res.Files, elapsed(time.Since(start)), w, relTo(src, out))
	if note := scheduleNote(res.Site); note != "" {
		fmt.Fprintln(stdout, note)
	}
	if *watching {
		return runWatch(ctx, b, src, out, *poll, stdout, stderr, &shown, res.Site.Next)
	}
	return ExitOK
}

// unsafeDest refuses destinations whose replacement would destroy the site
// itself: the destination folder is replaced whole by every build.
func unsafeDest(src, dest string) string {
	if dest == src || within(src, dest) {
		return "it holds the site folder, and every build replaces the destination whole; choose a folder of its own, such as public/"
	}
	for _, d := range []string{"content", "layouts", "assets"} {
		if p := filepath.Join(src, d); dest == p || within(dest, p) {
			return "it is inside the site's " + d + "/ folder; choose a folder of its own, such as public/"
		}
	}
	if _, err := os.Stat(filepath.Join(dest, ".git")); err == nil {
		return "it is a git repository, and every build replaces the destination whole; build into a folder of its own"
	}
	return ""
}

// within reports whether p is inside dir.
func within(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

func relTo(base, p string) string {
	if rel, err := filepath.Rel(base, p); err == nil && !strings.HasPrefix(rel, "..") {
		return rel + string(filepath.Separator)
	}
	return p + string(filepath.Separator)
}

// startProfiles starts the profiles asked for; the returned function
// writes them.
func startProfiles(cpu, mem string) (func(), error) {
	var cpuFile *os.File
	if cpu != "" {
		f, err := os.Create(cpu)
		if err != nil {
			return nil, err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return nil, err
		}
		cpuFile = f
	}
	return func() {
		if cpuFile != nil {
			pprof.StopCPUProfile()
			cpuFile.Close()
		}
		if mem != "" {
			if f, err := os.Create(mem); err == nil {
				runtime.GC()
				_ = pprof.WriteHeapProfile(f)
				f.Close()
			}
		}
	}, nil
}

func printDiags(w io.Writer, l diag.List) {
	for _, d := range l {
		fmt.Fprintln(w, d.String())
	}
}

// rebuildDiags prints the problems of builds that follow each other (serve,
// build --watch): every error each time, since the build stopped at it,
// but a warning only when the build before did not have it. A site with
// hundreds of warnings would otherwise scroll them all past at every save,
// and the editor would not see what the save changed.
type rebuildDiags struct {
	last map[string]bool // the warnings of the last build
}

func (r *rebuildDiags) print(w io.Writer, l diag.List) {
	seen := make(map[string]bool)
	kept := 0
	for _, d := range l {
		s := d.String()
		if d.Severity == diag.Warning {
			seen[s] = true
			if r.last[s] {
				kept++
				continue
			}
		}
		fmt.Fprintln(w, s)
	}
	if kept > 0 {
		fmt.Fprintf(w, "%s %d %s as before, not shown again\n", clock(), kept, plural(kept, "warning", "warnings"))
	}
	r.last = seen
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func elapsed(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.2f s", d.Seconds())
}

// scheduleNote tells what the build left out because of its dates, and
// when the next page is due to appear or go, so that a scheduled job can
// rebuild then. "" when nothing is scheduled.
func scheduleNote(s *site.Site) string {
	var b strings.Builder
	if s.Scheduled > 0 {
		fmt.Fprintf(&b, "%d %s dated in the future not yet published", s.Scheduled, plural(s.Scheduled, "page", "pages"))
	}
	if s.Expired > 0 {
		if b.Len() > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%d expired %s left out", s.Expired, plural(s.Expired, "page", "pages"))
	}
	if !s.Next.IsZero() {
		if b.Len() > 0 {
			b.WriteString("; ")
		}
		what := "is published"
		if p, ok := s.PageAt(s.NextPage); ok && !p.Expires.IsZero() {
			what = "expires"
		}
		fmt.Fprintf(&b, "next change: %s %s at %s, rebuild then", s.NextPage, what, s.Next.In(s.Settings.Location).Format("2006-01-02 15:04:05 -07:00"))
	}
	return b.String()
}
