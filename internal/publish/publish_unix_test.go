//go:build unix

package publish

import (
	"path/filepath"
	"syscall"
	"testing"
)

// withUmask runs f under mask, so that what is checked does not depend on
// the umask of the machine running the tests. The umask is per process:
// no test of this package runs in parallel.
func withUmask(mask int, f func()) {
	old := syscall.Umask(mask)
	defer syscall.Umask(old)
	f()
}

func TestWritePermissions(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	var err error
	withUmask(0o022, func() {
		_, err = Write(dest, firstBuild)
		if err == nil {
			// Again, over a previous build: the exchanged-in folder too.
			_, err = Write(dest, firstBuild)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	want := `./ -rwxr-xr-x
assets/ -rwxr-xr-x
assets/css/ -rwxr-xr-x
assets/css/site.0123456789.css -rw-r--r-- "body{}"
index.html -rw-r--r-- "<h1>Trang chủ</h1>"
tai-lieu/ -rwxr-xr-x
tai-lieu/quy-che.pdf -rw-r--r-- "%PDF-1.4 quy chế"
tin-tuc/ -rwxr-xr-x
tin-tuc/cu/ -rwxr-xr-x
tin-tuc/cu/index.html -rw-r--r-- "<h1>Bài cũ</h1>"
tin-tuc/hop-dan/ -rwxr-xr-x
tin-tuc/hop-dan/index.html -rw-r--r-- "<h1>Họp dân</h1>"`
	if got := tree(t, dest); got != want {
		t.Errorf("destination:\n%s\nwant:\n%s", got, want)
	}
}
