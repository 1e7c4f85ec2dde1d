//go:build linux

package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// The incremental targets of issue 6: from saving a file to its change
// being in the output (on disk, or served).
const (
	targetOneEdit  = 100 * time.Millisecond  // one post
	targetSiteEdit = 1200 * time.Millisecond // tthc.json, a layout: every page
)

// A watcher is a tool kept running on its own copy of a corpus, rebuilding
// on every change: congxa build --watch, congxa serve, hugo --watch.
type watcher struct {
	tool  string // toolCongxa or toolHugo
	serve bool
	dest  dest // where the output goes; the zero dest for serve
}

func (w watcher) String() string {
	switch {
	case w.serve:
		return "congxa serve"
	case w.tool == toolHugo:
		return "hugo --watch, " + w.dest.name
	}
	return "congxa build --watch, " + w.dest.name
}

// editTimes, when not 0, makes every edit this many times: for the test.
var editTimes = 0

// An edit is one kind of change made again and again, each time with a
// new number i, and how to see that a build shows it.
type edit struct {
	name  string
	times int
	// file is the file changed, relative to the site; page the output
	// page (a site path: "" for the home page) that shows the change.
	file func(tool string) string
	page string
	// change returns the file's new content for edit i, from its content
	// before the edits; mark is what page holds once it shows edit i, ""
	// when it is enough that page changed.
	change func(tool string, orig []byte, i int) []byte
	mark   func(i int) string
	// prepare, when not nil, gives the site the file first (congxa's
	// layouts come from the theme until the site has its own).
	prepare func(root, tool, site string) error
}

// watchResult is the delays of one watcher, by edit.
type watchResult struct {
	w      watcher
	delays map[string][]time.Duration
}

// edits are the changes measured, in the order made. Only the first two
// are made with the default theme: a site with layouts of its own renders
// them with html/template.
func edits(post string) []edit {
	theme := func(name string) func(root, tool, site string) error {
		return func(root, tool, site string) error {
			if tool == toolHugo {
				return nil // the Hugo site has its layouts
			}
			b, err := os.ReadFile(filepath.Join(root, "layouts", name))
			if err != nil {
				return err
			}
			if err := os.MkdirAll(filepath.Join(site, "layouts"), 0o755); err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(site, "layouts", name), b, 0o644)
		}
	}
	dataSua := func(i int) string { return fmt.Sprintf(`data-sua="%d"`, i) }
	return []edit{
		{
			name: "one post", times: 20, page: "tin-tuc/" + post + "/",
			file: byTool("content/tin-tuc/"+post+".md", "content/posts/"+post+".md"),
			change: func(_ string, orig []byte, i int) []byte {
				return fmt.Appendf(bytes.Clone(orig), "\nSửa lần %d.\n", i)
			},
			mark: func(i int) string { return fmt.Sprintf("Sửa lần %d.", i) },
		},
		{
			name: "tthc.json", times: 5, page: "",
			file: byTool("content/tthc.json", "data/tthc.json"),
			// One more late record each time: the snapshot must still
			// add up to its "processed".
			change: func(_ string, orig []byte, i int) []byte {
				b := bytes.Replace(orig, []byte(`"on_time": 1034,`), fmt.Appendf(nil, `"on_time": %d,`, 1034-i), 1)
				return bytes.Replace(b, []byte(`"late": 1,`), fmt.Appendf(nil, `"late": %d,`, 1+i), 1)
			},
		},
		{
			name: "post layout", times: 5, page: "tin-tuc/" + post + "/", prepare: theme("post.html"),
			file:   byTool("layouts/post.html", "layouts/page.html"),
			change: markTag(byTool(`<h1 class="post-title">`, "<h1>")),
			mark:   dataSua,
		},
		{
			name: "base layout", times: 5, page: "", prepare: theme("base.html"),
			file:   byTool("layouts/base.html", "layouts/baseof.html"),
			change: markTag(byTool(`<body class="kind-{{.Kind}}">`, "<body>")),
			mark:   dataSua,
		},
	}
}

// byTool returns what is congxa's or Hugo's of two.
func byTool(congxa, hugo string) func(tool string) string {
	return func(tool string) string {
		if tool == toolHugo {
			return hugo
		}
		return congxa
	}
}

// markTag returns an edit that gives the first of the tool's tag an
// attribute data-sua="i".
func markTag(tag func(tool string) string) func(string, []byte, int) []byte {
	return func(tool string, orig []byte, i int) []byte {
		t := tag(tool)
		return bytes.Replace(orig, []byte(t), fmt.Appendf(nil, `%s data-sua="%d">`, strings.TrimSuffix(t, ">"), i), 1)
	}
}

// shows reports whether page, as it is after edit i of e, shows it: it
// holds e's mark, or when e has none, it changed from before.
func (e edit) shows(i int, page, before []byte) bool {
	if e.mark == nil {
		return !bytes.Equal(page, before)
	}
	return bytes.Contains(page, []byte(e.mark(i)))
}

// watchPost picks the post to edit: one in the middle of the corpus, the
// same file in both layouts, published at its name (the corpus gives
// every post its file's name as slug, and Hugo's permalinks use it).
func watchPost(dirs corpusDirs) (string, error) {
	ents, err := os.ReadDir(filepath.Join(dirs.congxa, "content", "tin-tuc"))
	if err != nil {
		return "", err
	}
	var names []string
	for _, e := range ents {
		if n, ok := strings.CutSuffix(e.Name(), ".md"); ok && !strings.HasPrefix(n, "_") {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return "", errors.New("the corpus has no posts")
	}
	return names[len(names)/2], nil
}

// measureWatch measures every watcher on the corpus of n posts.
func measureWatch(ctx context.Context, cfg *config, n int, bins map[string]string, log io.Writer) ([]watchResult, error) {
	dirs, err := corpus(ctx, cfg, n, log)
	if err != nil {
		return nil, err
	}
	post, err := watchPost(dirs)
	if err != nil {
		return nil, err
	}
	var ws []watcher
	dests := []dest{{"tmpfs", cfg.tmpfs}}
	if cfg.disk != "" {
		dests = append(dests, dest{"disk", cfg.disk})
	}
	if _, ok := bins[toolCongxa]; ok {
		ws = append(ws, watcher{tool: toolCongxa, serve: true})
	}
	for _, d := range dests {
		for _, t := range []string{toolCongxa, toolHugo} {
			if bins[t] != "" && (t != toolHugo || cfg.hugo != "") {
				ws = append(ws, watcher{tool: t, dest: d})
			}
		}
	}
	var out []watchResult
	for _, w := range ws {
		r, err := runWatcher(ctx, cfg, w, n, dirs, post, bins[w.tool], log)
		if err != nil {
			return out, fmt.Errorf("%s: %w", w, err)
		}
		out = append(out, r)
	}
	return out, nil
}

var (
	// Lines that say a watcher is ready, rebuilt, or failed.
	congxaReady   = regexp.MustCompile(`^built \d+ pages`)
	serveReady    = regexp.MustCompile(`at (http://\S+)/ \(Ctrl-C`)
	congxaRebuilt = regexp.MustCompile(`^\d\d:\d\d:\d\d built \d+ pages`)
	congxaFailed  = regexp.MustCompile(`^\d\d:\d\d:\d\d (\d+ errors?;|[^ ]+:\d+:\d+: )`)
	hugoReady     = regexp.MustCompile(`^Watching for changes`)
	hugoRebuilt   = regexp.MustCompile(`^Total in \d+`)
	hugoFailed    = regexp.MustCompile(`^ERROR`)
)

type line struct {
	text string
	at   time.Time
}

// runWatcher starts w on a copy of the corpus, makes every edit and
// measures how long each takes to reach the output.
func runWatcher(ctx context.Context, cfg *config, w watcher, n int, dirs corpusDirs, post, bin string, log io.Writer) (watchResult, error) {
	res := watchResult{w: w, delays: map[string][]time.Duration{}}
	work, err := os.MkdirTemp(cfg.tmpfs, "congxa-bench-watch-")
	if err != nil {
		return res, err
	}
	defer os.RemoveAll(work)
	site := filepath.Join(work, "site")
	src := dirs.congxa
	if w.tool == toolHugo {
		src = dirs.hugo
	}
	if err := os.CopyFS(site, os.DirFS(src)); err != nil {
		return res, fmt.Errorf("copying the corpus: %v", err)
	}
	out := ""
	if !w.serve {
		base, err := os.MkdirTemp(w.dest.dir, "congxa-bench-watch-out-")
		if err != nil {
			return res, err
		}
		defer os.RemoveAll(base)
		out = filepath.Join(base, "public")
	}
	var cmd *exec.Cmd
	ready, rebuilt, failed := congxaReady, congxaRebuilt, congxaFailed
	switch {
	case w.serve:
		cmd = exec.CommandContext(ctx, bin, "serve", "--source", site, "--port", "0")
		ready = serveReady
	case w.tool == toolHugo:
		cmd = exec.CommandContext(ctx, bin, "--watch", "-s", site, "-d", out, "--cacheDir", filepath.Join(work, "cache"))
		ready, rebuilt, failed = hugoReady, hugoRebuilt, hugoFailed
	default:
		cmd = exec.CommandContext(ctx, bin, "build", "--watch", "--source", site, "--dest", out)
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		return res, err
	}
	cmd.Stdout, cmd.Stderr = pw, pw
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 10 * time.Second
	if err := cmd.Start(); err != nil {
		pw.Close()
		pr.Close()
		return res, err
	}
	pw.Close()
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
		pr.Close()
	}()
	lines := make(chan line, 1000)
	var transcript bytes.Buffer // the last lines, for an error message
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			lines <- line{sc.Text(), time.Now()}
		}
		close(lines)
	}()
	note := func(l line) {
		transcript.WriteString(l.text + "\n")
		if transcript.Len() > 4000 {
			transcript.Next(transcript.Len() - 4000)
		}
	}
	fail := func(format string, args ...any) (watchResult, error) {
		return res, fmt.Errorf("%s\n%s", fmt.Sprintf(format, args...), transcript.String())
	}

	// The first build.
	fmt.Fprintf(log, "%6d posts, %s: first build\n", n, w)
	var origin string
	for origin == "" {
		select {
		case l, ok := <-lines:
			if !ok {
				return fail("it stopped before its first build")
			}
			note(l)
			if m := ready.FindStringSubmatch(l.text); m != nil {
				origin = "-"
				if w.serve {
					origin = m[1]
				}
			}
		case <-time.After(10 * time.Minute):
			return fail("no first build in 10 minutes")
		case <-ctx.Done():
			return res, ctx.Err()
		}
	}
	// Rebuilt: a line for build --watch and Hugo, a reload event for serve.
	done := make(chan time.Time, 100)
	errs := make(chan string, 100)
	if w.serve {
		ev, err := http.Get(origin + "/__congxa/events")
		if err != nil {
			return res, err
		}
		defer ev.Body.Close()
		go func() {
			r := bufio.NewReader(ev.Body)
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == "event: reload\n" {
					done <- time.Now()
				}
			}
		}()
	}
	go func() {
		for l := range lines {
			note(l)
			switch {
			case failed.MatchString(l.text):
				errs <- l.text
			case !w.serve && rebuilt.MatchString(l.text):
				done <- l.at
			}
		}
	}()
	// page reads a page of the output, as it is on disk or served.
	page := func(p string) ([]byte, error) {
		if w.serve {
			r, err := http.Get(origin + "/" + p)
			if err != nil {
				return nil, err
			}
			defer r.Body.Close()
			if r.StatusCode != http.StatusOK {
				return nil, fmt.Errorf("GET /%s: %s", p, r.Status)
			}
			return io.ReadAll(r.Body)
		}
		return os.ReadFile(filepath.Join(out, filepath.FromSlash(p), "index.html"))
	}
	settle := func(d time.Duration) {
		time.Sleep(d)
		for {
			select {
			case <-done:
			case <-errs:
			default:
				return
			}
		}
	}
	// wait waits until the edit shows in the output and returns when the
	// build that showed it was done.
	wait := func(e edit, i int, before []byte) (time.Time, error) {
		deadline := time.After(2 * time.Minute)
		for {
			select {
			case at := <-done:
				b, err := page(e.page)
				if err != nil {
					return at, err
				}
				if e.shows(i, b, before) {
					return at, nil
				}
				// A build of a half-written file, or of an earlier
				// event: the next one shows the edit.
			case msg := <-errs:
				return time.Time{}, fmt.Errorf("%s: edit %d failed: %s", e.name, i, msg)
			case <-deadline:
				return time.Time{}, fmt.Errorf("%s: edit %d did not reach /%s in 2 minutes", e.name, i, e.page)
			case <-ctx.Done():
				return time.Time{}, ctx.Err()
			}
		}
	}
	settle(time.Second)
	for _, e := range edits(post) {
		name := filepath.Join(site, filepath.FromSlash(e.file(w.tool)))
		if e.prepare != nil {
			if err := e.prepare(cfg.root, w.tool, site); err != nil {
				return res, err
			}
			// Its rebuild is not measured (Hugo's layouts are there
			// already: nothing to wait for).
			if w.tool != toolHugo {
				select {
				case <-done:
				case msg := <-errs:
					return fail("%s: the theme's layout failed: %s", e.name, msg)
				case <-time.After(2 * time.Minute):
					return fail("%s: no build after the theme's layout was copied", e.name)
				}
			}
		}
		orig, err := os.ReadFile(name)
		if err != nil {
			return res, err
		}
		if e.change(w.tool, orig, 0) == nil || bytes.Equal(e.change(w.tool, orig, 1), orig) {
			return res, fmt.Errorf("%s: %s does not have the text the benchmark changes", e.name, name)
		}
		if editTimes > 0 {
			e.times = editTimes
		}
		for i := 1; i <= e.times; i++ {
			settle(300 * time.Millisecond)
			before, err := page(e.page)
			if err != nil {
				return fail("%v", err)
			}
			start := time.Now()
			if err := os.WriteFile(name, e.change(w.tool, orig, i), 0o644); err != nil {
				return res, err
			}
			at, err := wait(e, i, before)
			if err != nil {
				return fail("%v", err)
			}
			res.delays[e.name] = append(res.delays[e.name], at.Sub(start))
		}
		ds := res.delays[e.name]
		fmt.Fprintf(log, "%6d posts, %s: %s edited %d times, median %s\n", n, w, e.name, len(ds), ms(medianDuration(ds)))
	}
	return res, nil
}

func medianDuration(ds []time.Duration) time.Duration {
	v := make([]float64, len(ds))
	for i, d := range ds {
		v[i] = float64(d)
	}
	return time.Duration(median(v))
}

func maxDuration(ds []time.Duration) time.Duration {
	var m time.Duration
	for _, d := range ds {
		m = max(m, d)
	}
	return m
}

func ms(d time.Duration) string {
	return strconv.FormatInt(d.Milliseconds(), 10) + " ms"
}

// reportWatch prints the delays as a table, each watcher a column, with
// the targets and the ratio of congxa's build --watch to Hugo's.
func reportWatch(w io.Writer, n int, results []watchResult) {
	if len(results) == 0 {
		return
	}
	fmt.Fprintf(w, "\nincremental, %d posts: from saving a file to the change in the output (build --watch: the file in the output folder; serve: the reload event), median (max) of the edits\n\n", n)
	head := []string{"edit", "target"}
	for _, r := range results {
		head = append(head, r.w.String())
	}
	head = append(head, "congxa/Hugo", "targets")
	rows := [][]string{head}
	align := "lr"
	for range results {
		align += "r"
	}
	align += "rl"
	for _, e := range edits("") {
		target := targetSiteEdit
		if e.name == "one post" {
			target = targetOneEdit
		}
		times := e.times
		if editTimes > 0 {
			times = editTimes
		}
		row := []string{fmt.Sprintf("%s (%d×)", e.name, times), "< " + ms(target)}
		var miss []string
		var ratios []string
		for _, r := range results {
			ds := r.delays[e.name]
			if len(ds) == 0 {
				row = append(row, "-")
				continue
			}
			m := medianDuration(ds)
			row = append(row, fmt.Sprintf("%s (%s)", ms(m), ms(maxDuration(ds))))
			if r.w.tool == toolCongxa && m >= target {
				miss = append(miss, r.w.String())
			}
			if r.w.tool == toolCongxa && !r.w.serve {
				for _, h := range results {
					if h.w.tool == toolHugo && h.w.dest == r.w.dest && len(h.delays[e.name]) > 0 {
						ratios = append(ratios, fmt.Sprintf("%.2f (%s)", float64(m)/float64(medianDuration(h.delays[e.name])), r.w.dest.name))
					}
				}
			}
		}
		verdict := "met"
		if len(miss) > 0 {
			verdict = "missed: " + strings.Join(miss, "; ")
		}
		row = append(row, strings.Join(ratios, ", "), verdict)
		if len(ratios) == 0 {
			row[len(row)-2] = "-"
		}
		rows = append(rows, row)
	}
	table(w, rows, align)
	fmt.Fprintln(w, "\ntargets (issue 6): one post under 100 ms, tthc.json or a layout under 1.2 s, in serve and build --watch")
}
