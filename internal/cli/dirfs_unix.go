//go:build unix

package cli

import (
	"io/fs"
	"time"

	"golang.org/x/sys/unix"
)

// readSiteFile is os.ReadFile in four system calls: os.Open would also try to
// register the file with the runtime's poller and set it non-blocking,
// which a regular file never needs, and os.ReadFile reads once more to
// see the end of a file whose size it already knows. It also gives the
// size and modification time of the file it read, from the same fstat.
func readSiteFile(name string) (data []byte, size int64, mod time.Time, err error) {
	var fd int
	for {
		var err error
		fd, err = unix.Open(name, unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err == nil {
			break
		}
		if err != unix.EINTR {
			return nil, 0, time.Time{}, &fs.PathError{Op: "open", Path: name, Err: err}
		}
	}
	defer unix.Close(fd)
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return nil, 0, time.Time{}, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	mod = time.Unix(st.Mtim.Unix())
	regular := st.Mode&unix.S_IFMT == unix.S_IFREG
	bufSize := 512
	if regular && st.Size > 0 && st.Size < 1<<30 {
		bufSize = int(st.Size) + 1
	}
	data = make([]byte, 0, bufSize)
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
		n, err := unix.Read(fd, data[len(data):cap(data)])
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, 0, time.Time{}, &fs.PathError{Op: "read", Path: name, Err: err}
		}
		if n == 0 {
			return data, st.Size, mod, nil
		}
		data = data[:len(data)+n]
		// A regular file read to the size fstat gave is whole: the
		// extra read that would return 0 is left out.
		if regular && int64(len(data)) == st.Size {
			return data, st.Size, mod, nil
		}
	}
}
