package cli

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/congxa/congxa/internal/content"
)

func TestSiteFSReadFile(t *testing.T) {
	dir := t.TempDir()
	sizes := []int{0, 1, 511, 512, 513, 4096, 1 << 20}
	for _, n := range sizes {
		data := bytes.Repeat([]byte("Đảng ủy xã\n"), n/len("Đảng ủy xã\n")+1)[:n]
		name := filepath.Join(dir, "content", "p"+string(rune('a'+len(data)%26))+".md")
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, data, 0o644); err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, name)
		got, err := fs.ReadFile(dirFS(dir), filepath.ToSlash(rel))
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("%d bytes: got %d bytes, %v", n, len(got), err)
		}
		// The size and time given with the data are what the walk of a
		// later load sees, or every post would be read again.
		got, size, mod, err := dirFS(dir).(content.StatReadFS).ReadFileStat(filepath.ToSlash(rel))
		info, lerr := os.Lstat(name)
		if err != nil || lerr != nil || !bytes.Equal(got, data) || size != info.Size() || !mod.Equal(info.ModTime()) {
			t.Errorf("%d bytes: ReadFileStat gives %d bytes, size %d, time %v, %v; want size %d, time %v, %v", n, len(got), size, mod, err, info.Size(), info.ModTime(), lerr)
		}
	}
	if _, err := fs.ReadFile(dirFS(dir), "content/missing.md"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v, want ErrNotExist", err)
	}
	if _, err := fs.ReadFile(dirFS(dir), "content"); err == nil {
		t.Error("a folder read as a file")
	}
	if _, err := fs.ReadFile(dirFS(dir), "../x"); !errors.Is(err, fs.ErrInvalid) {
		t.Errorf("../x: %v, want ErrInvalid", err)
	}
	// A file whose size the system does not know ahead (Linux's /proc).
	if runtime.GOOS == "linux" {
		want, err := os.ReadFile("/proc/self/status")
		if err != nil {
			t.Skip(err)
		}
		got, err := fs.ReadFile(dirFS("/proc/self"), "status")
		if err != nil || len(got) == 0 || !bytes.HasPrefix(got, want[:5]) {
			t.Errorf("/proc/self/status: %q, %v", got, err)
		}
	}
	// What the walk uses still works.
	if _, err := fs.Stat(dirFS(dir), "content"); err != nil {
		t.Error(err)
	}
	if _, err := fs.Lstat(dirFS(dir), "content"); err != nil {
		t.Error(err)
	}
}
