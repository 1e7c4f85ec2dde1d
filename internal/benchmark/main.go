//go:build linux

// Command benchmark builds the same Vietnamese commune portal with congxa and
// with Hugo, side by side on this machine, and prints the medians of wall
// time, CPU time (user + system) and peak memory (the child's maximum
// resident set size), the congxa/Hugo ratios, the cost per post, and the
// floor: the least work a generator must do (see ./floor).
//
//	go run ./internal/benchmark -sizes 1000,10000,50000 -runs 3 [-disk /var/tmp]
//
// The corpora come from ../shared/bench/gen_corpus.py (-bench to point
// elsewhere), in its congxa and hugo layouts, with the Hugo site completed
// from ../shared/bench/hugo-site-template/; they are generated once and
// kept in -cache. congxa is built from this checkout with go build. Hugo is
// found on PATH or in $(go env GOPATH)/bin; install it with
//
//	GOTOOLCHAIN=go1.27.3 CGO_ENABLED=0 go install github.com/gohugoio/hugo@v0.166.0
//
// The tools run alternately (congxa, Hugo, floor; the order rotates each
// round) so that a burst of load from elsewhere on a shared machine hits
// them alike, each from a clean output folder and, for Hugo, an empty cache.
// Output goes to tmpfs (-tmpfs, /dev/shm), where file creation costs almost
// nothing, and with -disk also to a folder on disk.
//
// Then (watch.go) it measures rebuilds in watch mode on one corpus (-watch,
// 10,000 posts): congxa serve, congxa build --watch and hugo --watch, each
// on its own copy, with a post, tthc.json and two layouts edited again and
// again, from saving the file to the change being in the output.
//
// It is a benchmark, not a test: nothing runs it in CI. It needs Linux (it
// reads the children's resource usage from wait4's rusage).
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"
)

// The targets of issue 6, for a clean build with output on tmpfs.
const (
	targetRatio  = 0.33      // congxa's wall and CPU time against Hugo's
	targetRSS10k = 200 << 20 // peak memory at 10,000 posts
	targetRSS50k = 600 << 20 // peak memory at 50,000 posts
)

const (
	toolCongxa = "congxa"
	toolHugo   = "hugo"
	toolFloor  = "floor"
)

var hugoInstall = "GOTOOLCHAIN=go1.27.3 CGO_ENABLED=0 go install github.com/gohugoio/hugo@v0.166.0"

type config struct {
	sizes  []int
	runs   int
	warmup int
	tools  []string
	tmpfs  string
	disk   string
	cache  string
	bench  string // the folder with gen_corpus.py and hugo-site-template
	hugo   string
	root   string // this module's folder
	watch  int    // the corpus size for the rebuilds after edits, 0 for none
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("benchmark", flag.ContinueOnError)
	fl.SetOutput(stderr)
	sizes := fl.String("sizes", "1000,10000", "comma-separated corpus sizes, in posts")
	runs := fl.Int("runs", 3, "timed runs of each tool at each size")
	warmup := fl.Int("warmup", 1, "untimed runs of each tool first (file cache, CPU frequency)")
	tools := fl.String("tools", "congxa,hugo,floor", "which of congxa, hugo, floor to run")
	tmpfs := fl.String("tmpfs", "/dev/shm", "a tmpfs folder for the output")
	disk := fl.String("disk", "", "also measure with the output in this folder on disk (e.g. /var/tmp)")
	cache := fl.String("cache", "", "where generated corpora are kept between runs (default TMPFS/congxa-bench-corpora)")
	bench := fl.String("bench", "", "the folder holding gen_corpus.py and hugo-site-template/ (default ../shared/bench beside this checkout)")
	hugo := fl.String("hugo", "", "the hugo binary (default: hugo on PATH, then $(go env GOPATH)/bin/hugo)")
	watch := fl.Int("watch", 10000, "measure rebuilds after edits, in congxa build --watch and serve and hugo --watch, on the corpus of this many posts (0: not)")
	fl.Usage = func() {
		fmt.Fprintf(stderr, "usage: go run ./internal/benchmark [flags]\n\nBuilds the benchmark portal with congxa, Hugo and the floor program, and\nprints wall, CPU and peak memory medians and the congxa/Hugo ratios.\n\n")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(stderr, "benchmark: unexpected argument %q\n", fl.Arg(0))
		return 2
	}
	cfg := config{runs: *runs, warmup: *warmup, tmpfs: *tmpfs, disk: *disk, cache: *cache, bench: *bench, hugo: *hugo, watch: *watch}
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			fmt.Fprintf(stderr, "benchmark: -sizes: %q is not a number of posts\n", s)
			return 2
		}
		cfg.sizes = append(cfg.sizes, n)
	}
	for _, t := range strings.Split(*tools, ",") {
		t = strings.TrimSpace(t)
		if t != toolCongxa && t != toolHugo && t != toolFloor {
			fmt.Fprintf(stderr, "benchmark: -tools: unknown tool %q (congxa, hugo, floor)\n", t)
			return 2
		}
		if !slices.Contains(cfg.tools, t) {
			cfg.tools = append(cfg.tools, t)
		}
	}
	if cfg.runs < 1 || cfg.warmup < 0 || cfg.watch < 0 {
		fmt.Fprintln(stderr, "benchmark: -runs must be at least 1, -warmup and -watch at least 0")
		return 2
	}
	if err := measureAll(ctx, &cfg, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "benchmark: %v\n", err)
		return 1
	}
	return 0
}

func measureAll(ctx context.Context, cfg *config, stdout, stderr io.Writer) error {
	gomod, err := output(ctx, "", "go", "env", "GOMOD")
	if err != nil || gomod == "" || gomod == os.DevNull {
		return errors.New("run it from inside the congxa module: go run ./internal/benchmark")
	}
	cfg.root = filepath.Dir(gomod)
	if cfg.bench == "" {
		cfg.bench = filepath.Join(filepath.Dir(cfg.root), "shared", "bench")
	}
	if _, err := os.Stat(filepath.Join(cfg.bench, "gen_corpus.py")); err != nil {
		return fmt.Errorf("no gen_corpus.py in %s: give the folder with -bench", cfg.bench)
	}
	if cfg.cache == "" {
		cfg.cache = filepath.Join(cfg.tmpfs, "congxa-bench-corpora")
	}
	if slices.Contains(cfg.tools, toolHugo) {
		if cfg.hugo, err = findHugo(ctx, cfg.hugo); err != nil {
			return err
		}
	}
	if fsType(cfg.tmpfs) != "tmpfs" {
		fmt.Fprintf(stderr, "warning: %s is not a tmpfs: the figures include the disk's cost of creating files\n", cfg.tmpfs)
	}
	if cfg.disk != "" && fsType(cfg.disk) == "tmpfs" {
		fmt.Fprintf(stderr, "warning: -disk %s is a tmpfs, not a disk\n", cfg.disk)
	}

	work, err := os.MkdirTemp(cfg.tmpfs, "congxa-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	bins := map[string]string{}
	for tool, pkg := range map[string]string{toolCongxa: "./cmd/congxa", toolFloor: "./internal/benchmark/floor"} {
		if !slices.Contains(cfg.tools, tool) {
			continue
		}
		bins[tool] = filepath.Join(work, tool)
		fmt.Fprintf(stderr, "building %s\n", pkg)
		if _, err := output(ctx, cfg.root, "go", "build", "-o", bins[tool], pkg); err != nil {
			return fmt.Errorf("go build %s: %v", pkg, err)
		}
	}
	bins[toolHugo] = cfg.hugo

	info := describe(ctx, cfg)
	var results []result
	for _, n := range cfg.sizes {
		dirs, err := corpus(ctx, cfg, n, stderr)
		if err != nil {
			return err
		}
		dests := []dest{{"tmpfs", cfg.tmpfs}}
		if cfg.disk != "" {
			dests = append(dests, dest{"disk", cfg.disk})
		}
		for _, d := range dests {
			rs, err := measure(ctx, cfg, n, d, dirs, bins, stderr)
			results = append(results, rs...)
			if err != nil {
				return err
			}
		}
	}
	var watched []watchResult
	if cfg.watch > 0 {
		if watched, err = measureWatch(ctx, cfg, cfg.watch, bins, stderr); err != nil {
			return err
		}
	}
	info = append(info, "load average after: "+loadAvg())
	report(stdout, cfg, info, results)
	reportWatch(stdout, cfg.watch, watched)
	return nil
}

type dest struct{ name, dir string }

// sample is one run of one tool.
type sample struct {
	wall, cpu time.Duration
	rss       int64 // bytes
}

// result is the runs of one tool at one size and destination.
type result struct {
	posts   int
	dest    string
	tool    string
	samples []sample
	html    int // HTML files written
	files   int // all files written
}

// corpusDirs are the congxa and Hugo sites of one corpus.
type corpusDirs struct{ congxa, hugo string }

// corpus returns the sites of n posts, generating them when the cache has
// none made by the current generator and template.
func corpus(ctx context.Context, cfg *config, n int, log io.Writer) (corpusDirs, error) {
	dir := filepath.Join(cfg.cache, strconv.Itoa(n))
	dirs := corpusDirs{congxa: filepath.Join(dir, "congxa"), hugo: filepath.Join(dir, "hugo")}
	stamp, err := generatorStamp(cfg.bench, n)
	if err != nil {
		return dirs, err
	}
	stampFile := filepath.Join(dir, "stamp")
	if b, err := os.ReadFile(stampFile); err == nil && string(b) == stamp {
		return dirs, nil
	}
	fmt.Fprintf(log, "generating the corpus of %d posts in %s\n", n, dir)
	if err := os.RemoveAll(dir); err != nil {
		return dirs, err
	}
	gen := filepath.Join(cfg.bench, "gen_corpus.py")
	for _, l := range []struct{ layout, dir string }{{"congxa", dirs.congxa}, {"hugo", dirs.hugo}} {
		if _, err := output(ctx, "", "python3", gen, "--n", strconv.Itoa(n), "--out", l.dir, "--layout", l.layout); err != nil {
			return dirs, fmt.Errorf("gen_corpus.py --layout %s: %v", l.layout, err)
		}
	}
	if err := os.CopyFS(dirs.hugo, os.DirFS(filepath.Join(cfg.bench, "hugo-site-template"))); err != nil {
		return dirs, fmt.Errorf("copying the Hugo site template: %v", err)
	}
	return dirs, os.WriteFile(stampFile, []byte(stamp), 0o644)
}

// generatorStamp changes when the generator, the Hugo template or n do.
func generatorStamp(bench string, n int) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "n=%d\n", n)
	for _, root := range []string{"gen_corpus.py", "hugo-site-template"} {
		err := filepath.WalkDir(filepath.Join(bench, root), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			fmt.Fprintf(h, "%s %d\n", p, len(b))
			h.Write(b)
			return nil
		})
		if err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// measure runs every tool on the corpus of n posts, writing to d.
func measure(ctx context.Context, cfg *config, n int, d dest, dirs corpusDirs, bins map[string]string, log io.Writer) ([]result, error) {
	base, err := os.MkdirTemp(d.dir, "congxa-bench-out-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(base)
	results := make([]*result, len(cfg.tools))
	for i, t := range cfg.tools {
		results[i] = &result{posts: n, dest: d.name, tool: t}
	}
	for round := -cfg.warmup; round < cfg.runs; round++ {
		for k := range cfg.tools {
			i := (k + max(round, 0)) % len(cfg.tools)
			r := results[i]
			// Each run starts from nothing: no earlier output, no cache.
			runDir := filepath.Join(base, r.tool)
			if err := os.RemoveAll(runDir); err != nil {
				return nil, err
			}
			if err := os.MkdirAll(runDir, 0o755); err != nil {
				return nil, err
			}
			out := filepath.Join(runDir, "public")
			var cmd *exec.Cmd
			switch r.tool {
			case toolCongxa:
				cmd = exec.CommandContext(ctx, bins[toolCongxa], "build", "--source", dirs.congxa, "--dest", out)
			case toolHugo:
				if err := os.RemoveAll(filepath.Join(dirs.hugo, "resources")); err != nil {
					return nil, err
				}
				cmd = exec.CommandContext(ctx, bins[toolHugo], "--quiet", "-s", dirs.hugo, "-d", out, "--cacheDir", filepath.Join(runDir, "cache"))
			case toolFloor:
				cmd = exec.CommandContext(ctx, bins[toolFloor], "-src", filepath.Join(dirs.congxa, "content", "tin-tuc"), "-out", out, "-workers", "2")
			}
			var buf bytes.Buffer
			cmd.Stdout, cmd.Stderr = &buf, &buf
			start := time.Now()
			err := cmd.Run()
			wall := time.Since(start)
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if err != nil {
				return nil, fmt.Errorf("%s on %d posts: %v\n%s", r.tool, n, err, buf.Bytes())
			}
			ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
			if !ok {
				return nil, errors.New("no resource usage for the child process")
			}
			s := sample{
				wall: wall,
				cpu:  time.Duration(ru.Utime.Nano() + ru.Stime.Nano()),
				rss:  ru.Maxrss << 10, // KiB on Linux
			}
			what := "warm-up"
			if round >= 0 {
				r.samples = append(r.samples, s)
				what = fmt.Sprintf("run %d/%d", round+1, cfg.runs)
				if round == 0 {
					if r.html, r.files, err = countFiles(out); err != nil {
						return nil, err
					}
				}
			}
			fmt.Fprintf(log, "%6d posts, %-5s %-7s %-6s %6.2f s wall %6.2f s CPU %5d MiB\n", n, d.name, what, r.tool, s.wall.Seconds(), s.cpu.Seconds(), s.rss>>20)
		}
	}
	out := make([]result, len(results))
	for i, r := range results {
		out[i] = *r
	}
	return out, nil
}

func countFiles(dir string) (html, all int, err error) {
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		all++
		if strings.HasSuffix(p, ".html") {
			html++
		}
		return nil
	})
	return html, all, err
}

func (r result) median(f func(sample) float64) float64 {
	v := make([]float64, len(r.samples))
	for i, s := range r.samples {
		v[i] = f(s)
	}
	return median(v)
}

func (r result) wall() float64 { return r.median(func(s sample) float64 { return s.wall.Seconds() }) }
func (r result) cpu() float64  { return r.median(func(s sample) float64 { return s.cpu.Seconds() }) }
func (r result) rss() float64  { return r.median(func(s sample) float64 { return float64(s.rss) }) }

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// spread is the range of the wall times, to show how noisy the runs were.
func (r result) spread() string {
	lo, hi := r.samples[0].wall, r.samples[0].wall
	for _, s := range r.samples {
		lo, hi = min(lo, s.wall), max(hi, s.wall)
	}
	return fmt.Sprintf("%.2f–%.2f", lo.Seconds(), hi.Seconds())
}

func report(w io.Writer, cfg *config, info []string, results []result) {
	fmt.Fprintln(w)
	for _, l := range info {
		fmt.Fprintln(w, l)
	}
	fmt.Fprintf(w, "medians of %d runs per tool, after %d warm-up run(s); CPU is user + system; memory is the peak resident set\n\n", cfg.runs, cfg.warmup)

	rows := [][]string{{"posts", "output", "tool", "wall s", "CPU s", "peak MiB", "wall µs/post", "CPU µs/post", "KiB/post", "HTML files", "files", "wall min–max"}}
	for _, r := range results {
		rows = append(rows, []string{
			strconv.Itoa(r.posts), r.dest, r.tool,
			fmt.Sprintf("%.3f", r.wall()), fmt.Sprintf("%.3f", r.cpu()), fmt.Sprintf("%.0f", r.rss()/(1<<20)),
			fmt.Sprintf("%.0f", r.wall()*1e6/float64(r.posts)), fmt.Sprintf("%.0f", r.cpu()*1e6/float64(r.posts)),
			fmt.Sprintf("%.1f", r.rss()/1024/float64(r.posts)),
			strconv.Itoa(r.html), strconv.Itoa(r.files), r.spread(),
		})
	}
	table(w, rows, "lllrrrrrrrrr")

	find := func(n int, d, tool string) *result {
		for i := range results {
			if results[i].posts == n && results[i].dest == d && results[i].tool == tool {
				return &results[i]
			}
		}
		return nil
	}
	if !slices.Contains(cfg.tools, toolCongxa) {
		return
	}
	fmt.Fprintln(w)
	rows = [][]string{{"posts", "output", "wall congxa/Hugo", "CPU congxa/Hugo", "peak congxa/Hugo", "HTML files congxa/Hugo", "wall congxa/floor", "CPU congxa/floor", "targets"}}
	for _, r := range results {
		if r.tool != toolCongxa {
			continue
		}
		h, fl := find(r.posts, r.dest, toolHugo), find(r.posts, r.dest, toolFloor)
		ratio := func(o *result, f func(result) float64) string {
			if o == nil || f(*o) == 0 {
				return "-"
			}
			return fmt.Sprintf("%.2f", f(r)/f(*o))
		}
		rows = append(rows, []string{strconv.Itoa(r.posts), r.dest,
			ratio(h, result.wall), ratio(h, result.cpu), ratio(h, result.rss),
			ratio(h, func(r result) float64 { return float64(r.html) }),
			ratio(fl, result.wall), ratio(fl, result.cpu), targets(r, h)})
	}
	table(w, rows, "llrrrrrrl")
	// The ratios compare whole builds: a congxa site with more pages than
	// Hugo's (section lists, tags, archive) does more work for them.
	fmt.Fprintln(w, "\nHTML files congxa/Hugo above 1 means congxa made more pages (e.g. section, tag and archive lists the Hugo site does not have): the time ratios include that extra work.")
	fmt.Fprintf(w, "\ntargets (issue 6, output on tmpfs): at 10,000 posts, wall and CPU at most %.2f× Hugo's and peak memory at most %d MiB; at 50,000, peak memory under %d MiB\n", targetRatio, targetRSS10k>>20, targetRSS50k>>20)
}

// table prints rows as a Markdown table, the first row the header; align
// has an "l" for each left-aligned column and an "r" for each right-aligned.
func table(w io.Writer, rows [][]string, align string) {
	width := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, c := range row {
			width[i] = max(width[i], utf8.RuneCountInString(c), 3)
		}
	}
	for k, row := range rows {
		var b strings.Builder
		for i, c := range row {
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			if align[i] == 'l' {
				fmt.Fprintf(&b, "| %s%s ", c, pad)
			} else {
				fmt.Fprintf(&b, "| %s%s ", pad, c)
			}
		}
		fmt.Fprintln(w, b.String()+"|")
		if k == 0 {
			b.Reset()
			for i, n := range width {
				if align[i] == 'l' {
					fmt.Fprintf(&b, "|%s", strings.Repeat("-", n+2))
				} else {
					fmt.Fprintf(&b, "|%s:", strings.Repeat("-", n+1))
				}
			}
			fmt.Fprintln(w, b.String()+"|")
		}
	}
}

// targets says which of issue 6's targets r misses, or "met".
func targets(r result, hugo *result) string {
	if r.dest != "tmpfs" {
		return "-"
	}
	var miss []string
	// The ratios are the targets at 10,000 posts; at other sizes
	// they are reported, not judged.
	if hugo != nil && r.posts == 10000 {
		if x := r.wall() / hugo.wall(); x > targetRatio {
			miss = append(miss, "wall")
		}
		if x := r.cpu() / hugo.cpu(); x > targetRatio {
			miss = append(miss, "CPU")
		}
	}
	if (r.posts == 10000 && r.rss() > targetRSS10k) || (r.posts >= 50000 && r.rss() >= targetRSS50k) {
		miss = append(miss, "memory")
	}
	if len(miss) == 0 {
		switch {
		case hugo == nil && r.posts == 10000:
			return "no Hugo run"
		case r.posts != 10000 && r.posts < 50000:
			return "- (none at this size)"
		}
		return "met"
	}
	return "missed: " + strings.Join(miss, ", ")
}

// findHugo returns the hugo to run, or says how to install one.
func findHugo(ctx context.Context, given string) (string, error) {
	candidates := []string{given}
	if given == "" {
		candidates = nil
		if p, err := exec.LookPath("hugo"); err == nil {
			candidates = append(candidates, p)
		}
		if gopath, err := output(ctx, "", "go", "env", "GOPATH"); err == nil && gopath != "" {
			candidates = append(candidates, filepath.Join(filepath.SplitList(gopath)[0], "bin", "hugo"))
		}
	}
	for _, c := range candidates {
		v, err := output(ctx, "", c, "version")
		if err != nil {
			continue
		}
		if old(v) {
			return "", fmt.Errorf("%s is %s: the benchmark's Hugo site needs Hugo v0.146 or newer (Debian's package is older). Install one with\n\n\t%s\n\nor run without Hugo: -tools congxa,floor", c, v, hugoInstall)
		}
		return c, nil
	}
	return "", fmt.Errorf("no hugo on PATH or in $(go env GOPATH)/bin. Install it with\n\n\t%s\n\nor give its path with -hugo, or run without Hugo: -tools congxa,floor", hugoInstall)
}

// old reports a "hugo v0.X.Y…" version before v0.146, whose layout lookup
// the benchmark's Hugo site does not work with.
func old(version string) bool {
	f := strings.Fields(version)
	if len(f) < 2 {
		return false
	}
	parts := strings.Split(strings.TrimPrefix(strings.SplitN(f[1], "-", 2)[0], "v"), ".")
	if len(parts) < 2 {
		return false
	}
	major, err1 := strconv.Atoi(parts[0])
	minor, err2 := strconv.Atoi(parts[1])
	return err1 == nil && err2 == nil && major == 0 && minor < 146
}

// describe says on what and with what the figures were measured.
func describe(ctx context.Context, cfg *config) []string {
	var info []string
	info = append(info, "date: "+time.Now().Format("2006-01-02 15:04 MST"))
	info = append(info, fmt.Sprintf("machine: %s, %d cores, %s RAM, %s", cpuModel(), runtime.NumCPU(), memTotal(), kernel()))
	commit, _ := output(ctx, cfg.root, "git", "describe", "--always", "--dirty")
	goVersion, _ := output(ctx, cfg.root, "go", "version")
	info = append(info, fmt.Sprintf("congxa: %s (%s)", commit, goVersion))
	if cfg.hugo != "" {
		v, _ := output(ctx, "", cfg.hugo, "version")
		info = append(info, "hugo: "+v)
	}
	info = append(info, fmt.Sprintf("output: %s (%s)", cfg.tmpfs, fsType(cfg.tmpfs)))
	if cfg.disk != "" {
		info = append(info, fmt.Sprintf("disk output: %s (%s)", cfg.disk, fsType(cfg.disk)))
	}
	info = append(info, "load average before: "+loadAvg())
	return info
}

func cpuModel() string {
	b, _ := os.ReadFile("/proc/cpuinfo")
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}

func memTotal() string {
	var si syscall.Sysinfo_t
	if syscall.Sysinfo(&si) != nil {
		return "?"
	}
	return fmt.Sprintf("%.0f GiB", float64(si.Totalram)*float64(si.Unit)/(1<<30))
}

func kernel() string {
	b, err := os.ReadFile("/proc/sys/kernel/osrelease")
	if err != nil {
		return "Linux"
	}
	return "Linux " + strings.TrimSpace(string(b))
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ") + " (other work on the machine makes the figures noisy)"
}

// fsType names the file system dir is on, as far as the benchmark cares.
func fsType(dir string) string {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return "unknown"
	}
	switch st.Type {
	case 0x01021994:
		return "tmpfs"
	case 0xEF53:
		return "ext4"
	case 0x58465342:
		return "xfs"
	case 0x9123683E:
		return "btrfs"
	case 0x794c7630:
		return "overlayfs"
	}
	return fmt.Sprintf("file system 0x%x", st.Type)
}

// output runs a command and returns its trimmed standard output.
func output(ctx context.Context, dir, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	if err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return "", fmt.Errorf("%v: %s", err, msg)
		}
		return "", err
	}
	return strings.TrimSpace(string(b)), nil
}
