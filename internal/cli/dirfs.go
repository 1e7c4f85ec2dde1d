package cli

import (
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// dirFS is os.DirFS(dir) for a site folder, with a ReadFile that makes
// fewer system calls where the system allows (see readSiteFile): a build reads
// every post, tens of thousands of files.
func dirFS(dir string) fs.FS {
	return siteFS{os.DirFS(dir).(osFS), dir}
}

// osFS is what os.DirFS's file system does.
type osFS interface {
	fs.ReadDirFS
	fs.ReadFileFS
	fs.StatFS
	fs.ReadLinkFS
}

type siteFS struct {
	osFS
	dir string
}

func (d siteFS) ReadFile(name string) ([]byte, error) {
	data, _, _, err := d.ReadFileStat(name)
	return data, err
}

// ReadFileStat is ReadFile that also gives the file's size and
// modification time, from the open file: a stat less for each post of a
// build (see content.StatReadFS).
func (d siteFS) ReadFileStat(name string) ([]byte, int64, time.Time, error) {
	if !fs.ValidPath(name) {
		return nil, 0, time.Time{}, &fs.PathError{Op: "readfile", Path: name, Err: fs.ErrInvalid}
	}
	return readSiteFile(filepath.Join(d.dir, filepath.FromSlash(name)))
}
