//go:build linux

package cli

import (
	"bytes"
	"context"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/congxa/congxa/internal/testsite"
)

// needRoot skips a test that mounts file systems when it cannot, and fails
// it in CI, where it must run.
func needRoot(t *testing.T, why string) {
	t.Helper()
	if os.Geteuid() == 0 {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s needs root (to mount a file system); CI must run it", why)
	}
	t.Skipf("%s needs root (to mount a file system)", why)
}

// mount mounts a tmpfs of size bytes at dir, unmounted at the end.
func mount(t *testing.T, dir, opts string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, opts); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("cannot mount a tmpfs at %s: %v", dir, err)
		}
		t.Skipf("cannot mount a tmpfs at %s: %v", dir, err)
	}
	t.Cleanup(func() { _ = syscall.Unmount(dir, syscall.MNT_DETACH) })
}

// smallSite writes a site; big adds an attachment of that many bytes.
func smallSite(t *testing.T, dir string, big int) {
	t.Helper()
	writeFile(t, filepath.Join(dir, "content", "site.yaml"), "title: Xã Thử Nghiệm\nbase_url: https://thunghiem.example.gov.vn/\n")
	writeFile(t, filepath.Join(dir, "content", "tin-tuc", "a.md"), "---\ntitle: Họp dân\ndate: 01/03/2024 08:00\n---\nHọp dân thôn Đồng Tâm.\n")
	if big > 0 {
		writeFile(t, filepath.Join(dir, "content", "tai-lieu", "ban-do.pdf"), strings.Repeat("%PDF", big/4))
	}
}

func buildTo(t *testing.T, src, dest string) (int, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), []string{"build", "--source", src, "--dest", dest}, &stdout, &stderr)
	return code, stderr.String()
}

// builtOnDisk builds a small site onto a tmpfs of the given size and
// returns the tmpfs, the site's folder, the destination and its files.
func builtOnDisk(t *testing.T, size string) (disk, src, dest string, before map[string]string) {
	t.Helper()
	root := t.TempDir()
	disk = filepath.Join(root, "disk")
	mount(t, disk, size)
	dest = filepath.Join(disk, "public")
	src = filepath.Join(root, "site")
	smallSite(t, src, 0)
	if code, stderr := buildTo(t, src, dest); code != 0 {
		t.Fatalf("first build: exit %d\n%s", code, stderr)
	}
	return disk, src, dest, testsite.Files(t, dest)
}

// failsLeaving builds src to dest, which must fail saying each of wants
// and leave dest holding before.
func failsLeaving(t *testing.T, src, dest string, before map[string]string, wants ...string) {
	t.Helper()
	code, stderr := buildTo(t, src, dest)
	t.Logf("exit %d, stderr:\n%s", code, stderr)
	if code != ExitError {
		t.Errorf("exit %d, want %d", code, ExitError)
	}
	for _, want := range wants {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr does not say %q:\n%s", want, stderr)
		}
	}
	if !maps.Equal(testsite.Files(t, dest), before) {
		t.Error("the destination changed")
	}
}

// A build that does not fit on the disk fails with a message that says the
// disk is full and names the file, and the site stays as it was, with
// nothing left beside it to fill the disk further.
func TestDiskFull(t *testing.T) {
	needRoot(t, "the full disk test")
	disk, src, dest, before := builtOnDisk(t, "size=1m")
	smallSite(t, src, 2<<20)
	failsLeaving(t, src, dest, before, "congxa build: the disk is full: cannot write ", filepath.Join(disk, ".public.staging-"), "no space left on device", dest+" is left as it was")
	if got := beside(t, dest); len(got) != 1 {
		t.Errorf("beside the destination: %q", got)
	}
}

// A destination on a read-only file system: a clear error naming the path,
// and the site as it was.
func TestReadOnlyDestination(t *testing.T) {
	needRoot(t, "the read-only destination test")
	disk, src, dest, before := builtOnDisk(t, "size=4m")
	if err := syscall.Mount("", disk, "", syscall.MS_REMOUNT|syscall.MS_RDONLY, ""); err != nil {
		t.Fatalf("remount read-only: %v", err)
	}
	writeFile(t, filepath.Join(src, "content", "tin-tuc", "b.md"), "---\ntitle: Tin mới\ndate: 02/03/2024 08:00\n---\n")
	failsLeaving(t, src, dest, before, "congxa build: cannot create a staging folder beside "+dest, filepath.Join(disk, ".public.staging-"), "read-only file system", dest+" is left as it was")
}

// A destination that is a mount point of its own (a container's volume)
// cannot be replaced whole: the error says so and suggests a folder inside.
func TestDestinationIsMountPoint(t *testing.T) {
	needRoot(t, "the mount point test")
	root := t.TempDir()
	dest := filepath.Join(root, "www", "public")
	mount(t, dest, "size=4m")
	src := filepath.Join(root, "site")
	smallSite(t, src, 0)
	writeFile(t, filepath.Join(dest, "index.html"), "trang cũ\n")
	before := testsite.Files(t, dest)
	failsLeaving(t, src, dest, before, "cannot put the new build in place of "+dest, "is it a mount point?", dest+" is left as it was")
	if got := beside(t, dest); len(got) != 1 {
		t.Errorf("beside the destination: %q", got)
	}
}
