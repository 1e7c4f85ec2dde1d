// Package publish writes a build to the destination folder. It is the only
// package that writes there.
//
// A build is written to a staging folder beside the destination and swapped
// in only when it is complete, so the destination always holds one whole
// build: a web server reading it never sees a half-written site, files of
// pages that no longer exist do not survive, and a failed build leaves the
// previous one untouched. On Linux the swap is one atomic exchange of the two
// folders (renameat2 RENAME_EXCHANGE); elsewhere it is two renames.
package publish

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/congxa/congxa/internal/para"
	"github.com/congxa/congxa/internal/render"
)

// Stats count what was written.
type Stats struct {
	Files int
	Bytes int64
}

const (
	stagingInfix = ".staging-"
	oldInfix     = ".old-"
)

// Write publishes outs as the new content of dest.
func Write(dest string, outs []render.Output) (Stats, error) {
	var st Stats
	dest, err := filepath.Abs(dest)
	if err != nil {
		return st, err
	}
	if fi, err := os.Lstat(dest); err == nil && !fi.IsDir() {
		return st, fmt.Errorf("destination %s exists and is not a folder", dest)
	}
	parent, base := filepath.Split(dest)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return st, fmt.Errorf("cannot create the destination's parent folder: %w", unwrap(err))
	}
	removeLeftovers(parent, base)
	staging, err := os.MkdirTemp(parent, "."+base+stagingInfix)
	if err != nil {
		return st, fmt.Errorf("cannot create a staging folder beside %s: %w", dest, unwrap(err))
	}
	if err := os.Chmod(staging, 0o755); err != nil { // MkdirTemp makes it 0700: web servers must read it
		os.RemoveAll(staging)
		return st, err
	}
	if st, err = writeAll(staging, outs); err != nil {
		os.RemoveAll(staging)
		return st, err
	}
	if err := swap(staging, dest); err != nil {
		os.RemoveAll(staging)
		return st, fmt.Errorf("cannot put the new build in place of %s: %w", dest, unwrap(err))
	}
	return st, nil
}

func writeAll(root string, outs []render.Output) (Stats, error) {
	var st Stats
	// Folders first, once each; then the files, in parallel: creating
	// thousands of files is mostly time in the kernel.
	made := map[string]bool{".": true}
	for _, o := range outs {
		if !fs.ValidPath(o.Path) || o.Path == "." {
			return st, fmt.Errorf("invalid output path %q", o.Path)
		}
		dir := path.Dir(o.Path)
		if made[dir] {
			continue
		}
		if err := os.MkdirAll(filepath.Join(root, filepath.FromSlash(dir)), 0o755); err != nil {
			return st, fmt.Errorf("cannot create %s: %w", dir, unwrap(err))
		}
		for d := dir; d != "." && !made[d]; d = path.Dir(d) {
			made[d] = true
		}
	}
	sizes := make([]int64, len(outs))
	errs := make([]error, len(outs))
	para.For(context.Background(), len(outs), func(i int) {
		sizes[i], errs[i] = writeOne(filepath.Join(root, filepath.FromSlash(outs[i].Path)), outs[i])
	})
	for i, err := range errs {
		if err != nil {
			return st, fmt.Errorf("cannot write %s: %w", outs[i].Path, unwrap(err))
		}
		st.Files++
		st.Bytes += sizes[i]
	}
	return st, nil
}

func writeOne(name string, o render.Output) (int64, error) {
	if o.File == nil {
		return int64(len(o.Data)), os.WriteFile(name, o.Data, 0o644)
	}
	src, err := o.File.Open()
	if err != nil {
		return 0, err
	}
	defer src.Close()
	dst, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(dst, src)
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	return n, err
}

// swap puts staging at dest and removes the previous build.
func swap(staging, dest string) error {
	if _, err := os.Lstat(dest); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(staging, dest)
	}
	if err := exchange(staging, dest); err == nil {
		return os.RemoveAll(staging) // now the previous build
	}
	parent, base := filepath.Split(dest)
	old, err := os.MkdirTemp(parent, "."+base+oldInfix)
	if err != nil {
		return err
	}
	if err := os.Remove(old); err != nil {
		return err
	}
	if err := os.Rename(dest, old); err != nil {
		return err
	}
	if err := os.Rename(staging, dest); err != nil {
		_ = os.Rename(old, dest)
		return err
	}
	return os.RemoveAll(old)
}

// removeLeftovers removes staging folders of builds that were killed.
func removeLeftovers(parent, base string) {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() && (strings.HasPrefix(n, "."+base+stagingInfix) || strings.HasPrefix(n, "."+base+oldInfix)) {
			os.RemoveAll(filepath.Join(parent, n))
		}
	}
}

func unwrap(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Path, pe.Err)
	}
	return err
}
