package watch

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fakeTimer fires when the test says so.
type fakeTimer struct {
	c       chan time.Time
	d       time.Duration
	stopped bool
}

func (t *fakeTimer) C() <-chan time.Time { return t.c }
func (t *fakeTimer) Stop()               { t.stopped = true }

type fakeClock struct{ timers chan *fakeTimer }

func (f *fakeClock) new(d time.Duration) timer {
	t := &fakeTimer{c: make(chan time.Time, 1), d: d}
	f.timers <- t
	return t
}

// TestBatchQuietAndMaxWait drives the batcher with a fake event stream and
// fake timers: events that keep coming are one batch until the quiet timer
// or the max-wait timer fires.
func TestBatchQuietAndMaxWait(t *testing.T) {
	in, out, done := make(chan string), make(chan Batch), make(chan struct{})
	clock := &fakeClock{timers: make(chan *fakeTimer, 100)}
	go batch(in, out, done, time.Microsecond, time.Millisecond, time.Second, clock.new)
	defer close(done)

	// A git checkout: 500 paths, then quiet.
	var quiet *fakeTimer
	for i := 0; i < 500; i++ {
		in <- fmt.Sprintf("content/tin-tuc/bai-%d.md", i)
		if i == 0 {
			if max := <-clock.timers; max.d != time.Second {
				t.Fatalf("first timer is %v, want the max wait", max.d)
			}
		}
		quiet = <-clock.timers
		// The first path alone waits the short quiet time; from the
		// second on, the batch waits the long one.
		if want := map[bool]time.Duration{true: time.Microsecond, false: time.Millisecond}[i == 0]; quiet.d != want {
			t.Fatalf("quiet timer after %d paths is %v, want %v", i+1, quiet.d, want)
		}
	}
	quiet.c <- time.Now()
	b := <-out
	if len(b.Paths) != 500 || b.All {
		t.Fatalf("batch of %d paths (all=%v), want 500", len(b.Paths), b.All)
	}

	// A file saved in place: truncated, then written, one path twice, each
	// followed by the short quiet time.
	in <- "content/b.md"
	if max := <-clock.timers; max.d != time.Second {
		t.Fatalf("first timer is %v, want the max wait", max.d)
	}
	for i := range 2 {
		if i > 0 {
			in <- "content/b.md"
		}
		if quiet = <-clock.timers; quiet.d != time.Microsecond {
			t.Fatalf("quiet timer of a one-file batch is %v, want %v", quiet.d, time.Microsecond)
		}
	}
	quiet.c <- time.Now()
	if b = <-out; strings.Join(b.Sorted(), ",") != "content/b.md" || b.All {
		t.Fatalf("batch %v, all=%v", b.Sorted(), b.All)
	}

	// An editor's save: temp file written, renamed over the post: the
	// same path twice and a temp path, one batch.
	in <- "content/a.md.tmp"
	max := <-clock.timers
	<-clock.timers
	in <- "content/a.md"
	<-clock.timers
	in <- "content/a.md"
	<-clock.timers
	// Events never stop: the max wait ends the batch.
	max.c <- time.Now()
	b = <-out
	if got := strings.Join(b.Sorted(), ","); got != "content/a.md,content/a.md.tmp" {
		t.Fatalf("batch %s", got)
	}

	// Lost events: the batch says anything may have changed.
	in <- ""
	<-clock.timers
	q := <-clock.timers
	q.c <- time.Now()
	if b = <-out; !b.All {
		t.Fatal("overflow not reported")
	}
}

func wait(t *testing.T, w *Watcher, want ...string) Batch {
	t.Helper()
	got := map[string]bool{}
	deadline := time.After(10 * time.Second)
	for {
		select {
		case b := <-w.C:
			for p := range b.Paths {
				got[p] = true
			}
			missing := false
			for _, p := range want {
				if !got[p] {
					missing = true
				}
			}
			if !missing {
				return Batch{Paths: got}
			}
		case <-deadline:
			t.Fatalf("no batch with %v; got %v", want, got)
		}
	}
}

func write(t *testing.T, p, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func ignore(name string) bool {
	return strings.HasSuffix(name, ".swp") || strings.HasSuffix(name, "~") || strings.HasPrefix(name, ".#") || name == "4913" || strings.HasPrefix(name, "~$")
}

// TestWatchReal uses the real fsnotify: files in new folders, renamed
// folders, an editor's save through a temporary file, ignored files.
func TestWatchReal(t *testing.T) {
	for _, poll := range []time.Duration{0, 20 * time.Millisecond} {
		t.Run(fmt.Sprintf("poll=%v", poll), func(t *testing.T) {
			root := t.TempDir()
			write(t, filepath.Join(root, "content", "a.md"), "a")
			w, err := New(Options{Root: root, Dirs: []string{"content", "layouts"}, Ignore: ignore, Poll: poll, Quiet: 30 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()

			write(t, filepath.Join(root, "content", "a.md"), "a2")
			wait(t, w, "content/a.md")

			// A folder created after the start, with a file already in it
			// by the time the watch on it begins.
			write(t, filepath.Join(root, "content", "moi", "sau", "b.md"), "b")
			wait(t, w, "content/moi/sau/b.md")
			write(t, filepath.Join(root, "content", "moi", "sau", "c.md"), "c")
			wait(t, w, "content/moi/sau/c.md")

			// A renamed folder: changes below its new name are seen.
			if err := os.Rename(filepath.Join(root, "content", "moi"), filepath.Join(root, "content", "cu")); err != nil {
				t.Fatal(err)
			}
			wait(t, w, "content/cu")
			write(t, filepath.Join(root, "content", "cu", "sau", "d.md"), "d")
			wait(t, w, "content/cu/sau/d.md")

			// vim: 4913 probe, .swp, write to a backup, rename over.
			write(t, filepath.Join(root, "content", "4913"), "")
			os.Remove(filepath.Join(root, "content", "4913"))
			write(t, filepath.Join(root, "content", ".a.md.swp"), "swap")
			write(t, filepath.Join(root, "content", "a.md.tmp"), "a3")
			if err := os.Rename(filepath.Join(root, "content", "a.md.tmp"), filepath.Join(root, "content", "a.md")); err != nil {
				t.Fatal(err)
			}
			b := wait(t, w, "content/a.md")
			for p := range b.Paths {
				if ignore(filepath.Base(p)) {
					t.Errorf("ignored file reported: %s", p)
				}
			}

			// A watched folder that did not exist at the start.
			write(t, filepath.Join(root, "layouts", "post.html"), "x")
			wait(t, w, "layouts/post.html")

			// Outside the watched folders: nothing.
			write(t, filepath.Join(root, "public", "index.html"), "x")
			write(t, filepath.Join(root, "content", "e.md"), "e")
			b = wait(t, w, "content/e.md")
			for p := range b.Paths {
				if strings.HasPrefix(p, "public") {
					t.Errorf("change outside the watched folders reported: %s", p)
				}
			}
		})
	}
}

// TestWatchManyFilesOneBatch writes 500 files at once, as a git checkout
// does: they arrive in one batch (or very few on a loaded machine).
func TestWatchManyFilesOneBatch(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "content", "tin-tuc"), 0o755)
	w, err := New(Options{Root: root, Dirs: []string{"content"}, Quiet: 200 * time.Millisecond, MaxWait: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var want []string
	for i := 0; i < 500; i++ {
		rel := fmt.Sprintf("content/tin-tuc/bai-%03d.md", i)
		write(t, filepath.Join(root, filepath.FromSlash(rel)), "x")
		want = append(want, rel)
	}
	batches := 0
	got := map[string]bool{}
	deadline := time.After(20 * time.Second)
	for len(got) < 500 {
		select {
		case b := <-w.C:
			batches++
			for p := range b.Paths {
				got[p] = true
			}
		case <-deadline:
			t.Fatalf("%d of 500 files reported", len(got))
		}
	}
	if batches > 3 {
		t.Errorf("500 files came in %d batches", batches)
	}
}
