package publish

import "golang.org/x/sys/unix"

// exchange swaps two folders atomically, so that a web server serving dest
// sees the old build or the new one, never a missing folder.
func exchange(a, b string) error {
	return unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
}
