package publish

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/congxa/congxa/internal/render"
)

// fullDisk makes create fail as a disk with room for only budget more
// bytes does: the write that goes past it gets ENOSPC.
func fullDisk(t *testing.T, budget int) {
	t.Helper()
	var mu sync.Mutex
	orig := create
	create = func(name string) (io.WriteCloser, error) {
		f, err := orig(name)
		if err != nil {
			return nil, err
		}
		return &limited{f: f, take: func(n int) bool {
			mu.Lock()
			defer mu.Unlock()
			if n > budget {
				return false
			}
			budget -= n
			return true
		}}, nil
	}
	t.Cleanup(func() { create = orig })
}

type limited struct {
	f    io.WriteCloser
	take func(int) bool
}

func (l *limited) Write(b []byte) (int, error) {
	if !l.take(len(b)) {
		return 0, syscall.ENOSPC
	}
	return l.f.Write(b)
}

func (l *limited) Close() error { return l.f.Close() }

// A full disk stops the build with an error that says so and names the
// file, and leaves the previous build as it was, with nothing beside it.
func TestWriteDiskFull(t *testing.T) {
	for _, budget := range []int{0, 10, 40} {
		t.Run(fmt.Sprint(budget), func(t *testing.T) {
			parent := t.TempDir()
			dest := filepath.Join(parent, "public")
			if _, err := Write(dest, firstBuild); err != nil {
				t.Fatal(err)
			}
			before := tree(t, parent)
			fullDisk(t, budget)
			next := append([]render.Output{data("tin-tuc/moi/index.html", strings.Repeat("Tin mới. ", 10))}, firstBuild...)
			_, err := Write(dest, next)
			if err == nil {
				t.Fatal("Write succeeded on a full disk")
			}
			msg := err.Error()
			for _, want := range []string{"the disk is full: cannot write ", filepath.Join(parent, ".public.staging-"), "no space left on device", dest + " is left as it was"} {
				if !strings.Contains(msg, want) {
					t.Errorf("error %q does not say %q", msg, want)
				}
			}
			if after := tree(t, parent); after != before {
				t.Errorf("after a full disk:\n%s\nwant, as before:\n%s", after, before)
			}
		})
	}
}

func TestWriteDiskFullFirstBuild(t *testing.T) {
	parent := t.TempDir()
	dest := filepath.Join(parent, "public")
	fullDisk(t, 5)
	_, err := Write(dest, firstBuild)
	if err == nil || !strings.Contains(err.Error(), "nothing was written to "+dest) {
		t.Errorf("error %v, want one saying nothing was written to %s", err, dest)
	}
	if got := entries(t, parent); len(got) != 0 {
		t.Errorf("left %q", got)
	}
}

// A build killed between the two renames of the fallback swap leaves no
// destination and the previous build in an "old" folder: the next build
// puts it back before anything else, so that even a failing next build
// leaves the site in place.
func TestWriteRestoresBuildLeftAside(t *testing.T) {
	parent := t.TempDir()
	dest := filepath.Join(parent, "public")
	if _, err := Write(dest, firstBuild); err != nil {
		t.Fatal(err)
	}
	want := tree(t, dest)
	if err := os.Rename(dest, filepath.Join(parent, ".public.old-12345")); err != nil {
		t.Fatal(err)
	}
	_, err := Write(dest, []render.Output{data("index.html", "mới"), failing("tai-lieu/x.pdf")})
	if err == nil {
		t.Fatal("Write succeeded")
	}
	if !strings.Contains(err.Error(), dest+" is left as it was") {
		t.Errorf("error %q", err)
	}
	if got := tree(t, dest); got != want {
		t.Errorf("destination:\n%s\nwant the build left aside:\n%s", got, want)
	}
	if got := entries(t, parent); fmt.Sprint(got) != "[public]" {
		t.Errorf("beside the destination: %q", got)
	}
}

func TestWriteTwoOutputsAtOnePath(t *testing.T) {
	parent := t.TempDir()
	dest := filepath.Join(parent, "public")
	_, err := Write(dest, []render.Output{data("robots.txt", "a"), file("robots.txt", "b")})
	if err == nil || !strings.Contains(err.Error(), "two outputs at robots.txt") {
		t.Errorf("error %v", err)
	}
	if got := entries(t, parent); len(got) != 0 {
		t.Errorf("left %q", got)
	}
}
