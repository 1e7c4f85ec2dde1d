// Package watch tells when files of a site change. It is the only user of
// fsnotify.
//
// It watches folders, not files (editors replace a file by renaming a new
// one over it, which a watch on the file would lose), recursively, adding
// folders as they appear and dropping them as they go. Events are gathered
// into batches: a batch is sent once no event has come for Quiet (20 ms), or
// MaxWait (1 s) after its first event, so that an editor's save (write a temporary file,
// rename it over the old one) or a git checkout of 500 files is one batch.
// While a batch names a single file, it waits QuietOne (5 ms) only: a file
// saved in place (truncated and written) is over in a millisecond, and the
// one edited file is what a writer previewing the site waits for.
// Where inotify does not work (shared folders, WSL), Poll compares the
// folders' listings at an interval instead.
package watch

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Options say what to watch.
type Options struct {
	Root string   // the site folder
	Dirs []string // folders under Root to watch, e.g. content, layouts, assets
	// Ignore reports names (the last element of a path) whose changes do
	// not matter: editors' temporary and lock files.
	Ignore func(name string) bool
	Poll   time.Duration // if > 0, poll at this interval instead of using fsnotify
	Quiet  time.Duration // default 20 ms: an editor's save is over in 1 ms, a checkout writes files without pause
	// QuietOne is the quiet time of a batch that names one path so far:
	// default 5 ms, or Quiet when Quiet is set. A second path makes it
	// Quiet.
	QuietOne time.Duration
	MaxWait  time.Duration // default 1 s
}

// Batch is the files that changed, as slash-separated paths relative to
// Root. All means that events were lost (the kernel's queue overflowed):
// anything may have changed.
type Batch struct {
	Paths map[string]bool
	All   bool
}

// Sorted returns the paths in order, for messages.
func (b Batch) Sorted() []string {
	var out []string
	for p := range b.Paths {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// Watcher sends batches of changes on C until Close.
type Watcher struct {
	C      <-chan Batch
	opt    Options
	events chan string // a changed path, or "" when anything may have changed
	done   chan struct{}
	wg     sync.WaitGroup
	fsw    *fsnotify.Watcher

	mu      sync.Mutex
	watched map[string]bool // absolute folders under watch
}

// New starts watching.
func New(opt Options) (*Watcher, error) {
	if opt.QuietOne <= 0 {
		opt.QuietOne = opt.Quiet // a Quiet set: no shorter wait
		if opt.Quiet <= 0 {
			opt.QuietOne = 5 * time.Millisecond
		}
	}
	if opt.Quiet <= 0 {
		opt.Quiet = 20 * time.Millisecond
	}
	opt.QuietOne = min(opt.QuietOne, opt.Quiet)
	if opt.MaxWait <= 0 {
		opt.MaxWait = time.Second
	}
	if opt.Ignore == nil {
		opt.Ignore = func(string) bool { return false }
	}
	root, err := filepath.Abs(opt.Root)
	if err != nil {
		return nil, err
	}
	opt.Root = root
	out := make(chan Batch, 1)
	w := &Watcher{C: out, opt: opt, events: make(chan string, 1024), done: make(chan struct{}), watched: map[string]bool{}}
	if opt.Poll > 0 {
		p := newPoller(w)
		w.wg.Add(1)
		go func() { defer w.wg.Done(); p.run() }()
	} else {
		if w.fsw, err = fsnotify.NewBufferedWatcher(4096); err != nil {
			return nil, err
		}
		// The root itself, so that a watched folder created later is seen.
		if err := w.fsw.Add(root); err != nil {
			w.fsw.Close()
			return nil, err
		}
		for _, d := range opt.Dirs {
			w.addTree(filepath.Join(root, d), false)
		}
		w.wg.Add(1)
		go func() { defer w.wg.Done(); w.readEvents() }()
	}
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		batch(w.events, out, w.done, opt.QuietOne, opt.Quiet, opt.MaxWait, realTimer)
	}()
	return w, nil
}

// Close stops watching and closes C.
func (w *Watcher) Close() error {
	select {
	case <-w.done:
		return nil
	default:
	}
	close(w.done)
	var err error
	if w.fsw != nil {
		err = w.fsw.Close()
	}
	w.wg.Wait()
	return err
}

// rel returns p relative to the root, slash-separated, and whether it is
// inside one of the watched folders.
func (w *Watcher) rel(p string) (string, bool) {
	r, err := filepath.Rel(w.opt.Root, p)
	if err != nil || r == "." || strings.HasPrefix(r, "..") {
		return "", false
	}
	r = filepath.ToSlash(r)
	top, _, _ := strings.Cut(r, "/")
	for _, d := range w.opt.Dirs {
		if top == d {
			return r, true
		}
	}
	return "", false
}

// ignored reports whether any element of rel is ignored: a file inside an
// ignored folder does not matter either.
func (w *Watcher) ignored(rel string) bool {
	for _, part := range strings.Split(rel, "/") {
		if w.opt.Ignore(part) {
			return true
		}
	}
	return false
}

func (w *Watcher) send(rel string) {
	select {
	case w.events <- rel:
	case <-w.done:
	}
}

// addTree watches dir and every folder below it. When found is true, it
// also reports every file inside: they were created before the watch on
// their folder began, and no event will tell of them.
func (w *Watcher) addTree(dir string, found bool) {
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		rel, ok := w.rel(p)
		if !ok || w.ignored(rel) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.IsDir() {
			if found {
				w.send(rel)
			}
			return nil
		}
		w.mu.Lock()
		seen := w.watched[p]
		w.watched[p] = true
		w.mu.Unlock()
		if !seen {
			_ = w.fsw.Add(p)
		}
		return nil
	})
}

// forget drops the watches on dir and below, after it was removed or
// renamed away (a renamed folder's watch would report the old name).
func (w *Watcher) forget(dir string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for p := range w.watched {
		if p == dir || strings.HasPrefix(p, dir+string(filepath.Separator)) {
			delete(w.watched, p)
			_ = w.fsw.Remove(p)
		}
	}
}

func (w *Watcher) readEvents() {
	for {
		select {
		case <-w.done:
			return
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				w.send("")
			}
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			w.handle(ev)
		}
	}
}

func (w *Watcher) handle(ev fsnotify.Event) {
	if ev.Op == fsnotify.Chmod {
		return // touch, chmod: the content did not change
	}
	if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
		w.forget(ev.Name)
	}
	rel, ok := w.rel(ev.Name)
	if !ok || w.ignored(rel) {
		return
	}
	if ev.Has(fsnotify.Create) {
		if fi, err := os.Lstat(ev.Name); err == nil && fi.IsDir() {
			w.addTree(ev.Name, true)
		}
	}
	w.send(rel)
}

// timer is what batch needs of a timer, so that tests can drive it.
type timer interface {
	C() <-chan time.Time
	Stop()
}

type stdTimer struct{ t *time.Timer }

func (t stdTimer) C() <-chan time.Time { return t.t.C }
func (t stdTimer) Stop()               { t.t.Stop() }

func realTimer(d time.Duration) timer { return stdTimer{time.NewTimer(d)} }

// batch gathers paths from in into batches on out: a batch is sent once
// no path has come for quiet (quietOne while it names one path), or maxWait
// after its first path. An empty path means anything may have changed. It
// returns, closing out, when done is closed.
func batch(in <-chan string, out chan<- Batch, done <-chan struct{}, quietOne, quiet, maxWait time.Duration, newTimer func(time.Duration) timer) {
	defer close(out)
	var cur *Batch
	var quietT, maxT timer
	never := make(chan time.Time)
	ch := func(t timer) <-chan time.Time {
		if t == nil {
			return never
		}
		return t.C()
	}
	flush := func() {
		quietT.Stop()
		maxT.Stop()
		quietT, maxT = nil, nil
		b := *cur
		cur = nil
		select {
		case out <- b:
		case <-done:
		}
	}
	for {
		select {
		case <-done:
			if quietT != nil {
				quietT.Stop()
				maxT.Stop()
			}
			return
		case p := <-in:
			if cur == nil {
				cur = &Batch{Paths: map[string]bool{}}
				maxT = newTimer(maxWait)
			} else {
				quietT.Stop()
			}
			if p == "" {
				cur.All = true
			} else {
				cur.Paths[p] = true
			}
			if len(cur.Paths) == 1 && !cur.All {
				quietT = newTimer(quietOne)
			} else {
				quietT = newTimer(quiet)
			}
		case <-ch(quietT):
			flush()
		case <-ch(maxT):
			flush()
		}
	}
}
