//go:build unix

package cli

import (
	"io/fs"

	"golang.org/x/sys/unix"
)

// readSiteFile is os.ReadFile in four system calls: os.Open would also try to
// register the file with the runtime's poller and set it non-blocking,
// which a regular file never needs, and os.ReadFile reads once more to
// see the end of a file whose size it already knows.
func readSiteFile(name string) ([]byte, error) {
	var fd int
	for {
		var err error
		fd, err = unix.Open(name, unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err == nil {
			break
		}
		if err != unix.EINTR {
			return nil, &fs.PathError{Op: "open", Path: name, Err: err}
		}
	}
	defer unix.Close(fd)
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	regular := st.Mode&unix.S_IFMT == unix.S_IFREG
	size := 512
	if regular && st.Size > 0 && st.Size < 1<<30 {
		size = int(st.Size) + 1
	}
	data := make([]byte, 0, size)
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
		n, err := unix.Read(fd, data[len(data):cap(data)])
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "read", Path: name, Err: err}
		}
		if n == 0 {
			return data, nil
		}
		data = data[:len(data)+n]
		// A regular file read to the size fstat gave is whole: the
		// extra read that would return 0 is left out.
		if regular && int64(len(data)) == st.Size {
			return data, nil
		}
	}
}
