//go:build unix

package cli

import (
	"bytes"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/congxa/congxa/internal/testsite"
)

// self returns the command running congxa with args in a process of its
// own (see TestMain).
func self(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), "CONGXA_TEST_MAIN=1")
	return cmd
}

// beside lists the entries of dest's folder.
func beside(t *testing.T, dest string) []string {
	t.Helper()
	es, err := os.ReadDir(filepath.Dir(dest))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return out
}

// A build killed with SIGKILL at any moment leaves the destination holding
// a complete build, byte for byte: the previous one, or, once swapped in,
// the new one; never a mix, never nothing. The next build succeeds and
// removes what the killed one left beside it.
//
// The moments are seeded, a third in each phase of a build, which the test
// sees from outside: reading and rendering (a seeded delay from the start),
// writing the staging folder (a seeded delay after it appears), and after
// the swap, while the previous build is removed (a seeded delay after the
// destination changes).
func TestKilledBuildKeepsCompleteSite(t *testing.T) {
	const posts, kills = 60, 21
	root := t.TempDir()
	srcA, srcB, dest := filepath.Join(root, "a"), filepath.Join(root, "b"), filepath.Join(root, "www", "public")
	testsite.Generate(t, srcA, posts)
	testsite.Generate(t, srcB, posts)
	// B differs from A on every page (the site's title), and by a post.
	yaml := filepath.Join(srcB, "content", "site.yaml")
	b, err := os.ReadFile(yaml)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, yaml, strings.Replace(string(b), "title: Trang thông tin điện tử xã Bắc An", "title: Cổng thông tin điện tử xã Bắc An", 1))
	writeFile(t, filepath.Join(srcB, "content", "tin-tuc", "moi.md"), "---\ntitle: Tin mới\ndate: 30/11/2024 08:00\n---\nTin mới.\n")

	build := func(src string) time.Duration {
		t.Helper()
		start := time.Now()
		out, err := self(t, "build", "--source", src, "--dest", dest).CombinedOutput()
		if err != nil {
			t.Fatalf("build of %s: %v\n%s", src, err, out)
		}
		return time.Since(start)
	}
	build(srcB)
	snapB := testsite.Files(t, dest)
	took := build(srcA)
	snapA := testsite.Files(t, dest)
	if maps.Equal(snapA, snapB) {
		t.Fatal("the two builds are the same")
	}
	t.Logf("a build of %d files takes %v", len(snapA), took)

	inode := func() uint64 {
		if fi, err := os.Stat(dest); err == nil {
			return fi.Sys().(*syscall.Stat_t).Ino
		}
		return 0
	}
	staging := func() bool {
		for _, n := range beside(t, dest) {
			if strings.HasPrefix(n, ".public.staging-") {
				return true
			}
		}
		return false
	}
	rng := rand.New(rand.NewPCG(20241201, 5))
	srcs := map[bool]string{true: srcB, false: srcA}
	snaps := map[bool]map[string]string{true: snapB, false: snapA}
	holdsB := false
	outcomes := map[string]int{}
	phases := []string{"reading", "writing", "after the swap"}
	for i := range kills {
		phase := i % 3
		// Reading is most of a build, writing less, and removing the
		// previous build after the swap takes a few milliseconds.
		delay := time.Duration(rng.Int64N(int64(took / []time.Duration{3, 6, 40}[phase])))
		target := !holdsB
		cmd := self(t, "build", "--source", srcs[target], "--dest", dest)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		before := inode()
		start := time.Now()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		// Wait for the phase to begin, then for the delay.
		var err error
		exited := false
		for begun := phase == 0; !begun && !exited; {
			select {
			case err = <-done:
				exited = true
			default:
				begun = phase == 1 && staging() || phase == 2 && inode() != before
				if !begun {
					time.Sleep(100 * time.Microsecond)
				}
			}
		}
		at := time.Since(start)
		if !exited {
			select {
			case err = <-done:
				exited = true
			case <-time.After(delay):
				at = time.Since(start)
				_ = cmd.Process.Signal(syscall.SIGKILL)
				err = <-done
			}
		}
		killed := err != nil && strings.Contains(err.Error(), "killed")
		if err != nil && !killed {
			t.Fatalf("kill %d: build failed: %v\n%s", i, err, out.String())
		}

		got := testsite.Files(t, dest)
		var holds string
		switch {
		case maps.Equal(got, snaps[holdsB]):
			holds = "the previous build"
		case maps.Equal(got, snaps[target]):
			holds = "the new build"
		default:
			t.Fatalf("kill %d at %v (%s): the destination holds neither build (%d files)", i, at, phases[phase], len(got))
		}
		left := len(beside(t, dest)) - 1
		what := phases[phase]
		if !killed {
			what += ", finished before the kill"
		}
		outcomes[what+": "+holds]++
		t.Logf("kill %2d at %8v (%s): %s, %d folders left beside it", i, at.Round(time.Microsecond), what, holds, left)

		// The next build succeeds and cleans up.
		build(srcs[target])
		holdsB = target
		if got := testsite.Files(t, dest); !maps.Equal(got, snaps[target]) {
			t.Fatalf("kill %d: the build after it did not give the complete build", i)
		}
		if got := beside(t, dest); len(got) != 1 || got[0] != "public" {
			t.Fatalf("kill %d: after the next build, beside the destination: %q", i, got)
		}
	}
	t.Logf("outcomes: %v", outcomes)
}
