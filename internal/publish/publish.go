// Package publish writes a build to the destination folder. It is the only
// package that writes there.
//
// A build is written to a staging folder beside the destination and swapped
// in only when it is complete, so the destination always holds one whole
// build: a web server reading it never sees a half-written site, files of
// pages that no longer exist do not survive, and a failed build leaves the
// previous one untouched. On Linux the swap is one atomic exchange of the two
// folders (renameat2 RENAME_EXCHANGE); elsewhere it is two renames, and a
// build killed between them leaves the previous build beside the
// destination, where the next build finds it and puts it back.
//
// Every error of Write says whether the destination is left as it was,
// which it is unless the fallback swap failed halfway and could not undo.
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
	"sync"
	"syscall"

	"github.com/congxa/congxa/internal/para"
	"github.com/congxa/congxa/internal/render"
)

// Stats count what was written.
type Stats struct {
	Files   int   // in the build
	Written int   // written, not kept from the previous build
	Bytes   int64 // written
}

const (
	stagingInfix = ".staging-"
	oldInfix     = ".old-"
)

// Write publishes outs as the new content of dest.
func Write(dest string, outs []render.Output) (Stats, error) {
	p := &Publisher{Dest: dest}
	defer p.Wait()
	return p.Write(outs)
}

// Publisher writes successive builds to one destination. A file whose
// output has the same Key as the one it wrote last time is not written
// again: the staging folder gets a hard link to the published file, which
// is far cheaper than writing it when one post of thousands changed.
//
// With Spare set, as a watcher sets it, the build that a Commit replaces is
// kept beside the destination, and the next Write brings that folder up
// to date and swaps it in again: it writes only the files whose key
// changed and removes only the files that went, so a rebuild after one
// post changed costs a few files, not one link and one folder for each of
// thousands. Wait removes the spare folder.
type Publisher struct {
	Dest     string
	Spare    bool
	last     map[string]string // output path → key, of what Dest holds now
	removing sync.WaitGroup    // the previous build's removal

	spare     string            // the folder that holds an earlier build, or ""
	spareKeys map[string]string // output path → key, of what spare holds
}

// Wait returns once the previous build is removed, and removes the spare
// folder: the destination's parent then holds only the last build.
func (p *Publisher) Wait() {
	p.removing.Wait()
	p.dropSpare()
}

func (p *Publisher) dropSpare() {
	if p.spare != "" {
		os.RemoveAll(p.spare)
	}
	p.spare, p.spareKeys = "", nil
}

// Write publishes outs as the new content of p.Dest.
func (p *Publisher) Write(outs []render.Output) (Stats, error) {
	p.removing.Wait()
	if p.spare != "" {
		return p.update(outs)
	}
	b, err := p.Begin()
	if err != nil {
		return Stats{}, err
	}
	// Folders first, once each; then the files, in parallel: creating
	// thousands of files is mostly time in the kernel.
	for _, o := range outs {
		if err := b.mkdir(o.Path); err != nil {
			b.Abort()
			return b.stats(), fmt.Errorf("%w; %s", err, b.left)
		}
	}
	errs := make([]error, len(outs))
	para.For(context.Background(), len(outs), func(i int) { errs[i] = b.Add(outs[i]) })
	for _, err := range errs {
		if err != nil {
			b.Abort()
			return b.stats(), fmt.Errorf("%w; %s", err, b.left)
		}
	}
	return b.Commit()
}

// update writes outs to the spare folder, which holds an earlier build,
// and swaps it in. A failure leaves the destination as it was and drops
// the spare folder, whose state is then unknown.
func (p *Publisher) update(outs []render.Output) (Stats, error) {
	dest, err := filepath.Abs(p.Dest)
	if err != nil {
		return Stats{}, err
	}
	b := &Build{p: p, dest: dest, staging: p.spare, left: leftAsItWas(dest), keys: make(map[string]string, len(outs)), reuse: p.spareKeys}
	fail := func(err error) (Stats, error) {
		p.dropSpare()
		return b.stats(), fmt.Errorf("%w; %s", err, b.left)
	}
	// The build's keys, listed first: they say which files went. A file
	// written below gets the same key again when it is written.
	for _, o := range outs {
		if _, dup := b.keys[o.Path]; dup {
			return fail(fmt.Errorf("two outputs at %s", o.Path))
		}
		b.keys[o.Path] = o.Key
	}
	// The files that went, and the folders they leave empty.
	for old := range p.spareKeys {
		if _, ok := b.keys[old]; ok {
			continue
		}
		name := filepath.Join(p.spare, filepath.FromSlash(old))
		if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fail(fmt.Errorf("cannot remove %s: %w", old, unwrap(err)))
		}
		for d := path.Dir(old); d != "."; d = path.Dir(d) {
			if os.Remove(filepath.Join(p.spare, filepath.FromSlash(d))) != nil {
				break // not empty: what is left stays
			}
		}
	}
	// Only the files whose key changed are written; the others are
	// listed, not touched.
	var todo []render.Output
	for _, o := range outs {
		if k, ok := p.spareKeys[o.Path]; ok && k == o.Key && o.Key != "" {
			b.st.Files++
			continue
		}
		todo = append(todo, o)
	}
	for _, o := range todo {
		if err := b.mkdir(o.Path); err != nil {
			return fail(err)
		}
	}
	errs := make([]error, len(todo))
	para.For(context.Background(), len(todo), func(i int) { errs[i] = b.Add(todo[i]) })
	for _, err := range errs {
		if err != nil {
			return fail(err)
		}
	}
	st, err := b.Commit()
	if err != nil {
		p.dropSpare()
	}
	return st, err
}

// replace readies name, a file of a spare folder, to be written anew: in
// place when it is a file of its own (on ext4 a fraction of the cost of a
// new file), else as a new file, for it may be a link to a published file,
// which must not change. A copied file is always a new file: it is opened
// only once its source is.
func replace(name string, o render.Output) (func(string) (io.WriteCloser, error), error) {
	if o.File == nil {
		w, own, err := overwrite(name)
		if err != nil {
			return nil, err
		}
		if own {
			return func(string) (io.WriteCloser, error) { return w, nil }, nil
		}
	}
	if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	return create, nil
}

// Build is one build being written to a staging folder: Add its files,
// from any number of goroutines, then Commit it to put it in place of the
// destination, or Abort it to leave the destination as it was.
type Build struct {
	p       *Publisher
	dest    string
	staging string
	left    string   // what a failure leaves at dest: see leftAsItWas
	made    sync.Map // folders made under staging
	written sync.Map // output paths written
	mu      sync.Mutex
	keys    map[string]string // output path → key, for the next build
	st      Stats
	// reuse, when staging is a spare folder, says what it holds: the
	// files Add is given there replace those it has.
	reuse map[string]string
}

// Begin starts writing a build.
func (p *Publisher) Begin() (*Build, error) {
	p.removing.Wait()
	p.dropSpare() // removeLeftovers would remove it anyway
	dest, err := filepath.Abs(p.Dest)
	if err != nil {
		return nil, err
	}
	if fi, err := os.Lstat(dest); err == nil && !fi.IsDir() {
		return nil, fmt.Errorf("destination %s exists and is not a folder", dest)
	}
	parent, base := filepath.Split(dest)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("cannot create the destination's parent folder: %w", unwrap(err))
	}
	restoreOld(parent, base, dest)
	removeLeftovers(parent, base)
	left := leftAsItWas(dest)
	staging, err := os.MkdirTemp(parent, "."+base+stagingInfix)
	if err != nil {
		return nil, fmt.Errorf("cannot create a staging folder beside %s: %w; %s", dest, unwrap(err), left)
	}
	if err := os.Chmod(staging, 0o755); err != nil { // MkdirTemp makes it 0700: web servers must read it
		os.RemoveAll(staging)
		return nil, fmt.Errorf("%w; %s", unwrap(err), left)
	}
	return &Build{p: p, dest: dest, staging: staging, left: left, keys: map[string]string{}}, nil
}

// mkdir makes the folder of an output path under staging.
func (b *Build) mkdir(p string) error {
	if !fs.ValidPath(p) || p == "." {
		return fmt.Errorf("invalid output path %q", p)
	}
	dir := path.Dir(p)
	if _, ok := b.made.Load(dir); ok || dir == "." {
		return nil
	}
	name := filepath.Join(b.staging, filepath.FromSlash(dir))
	// Most folders are new ones in a folder already made (a page's, in its
	// section's): one mkdir, not MkdirAll's stat of every parent.
	var err error
	if _, ok := b.made.Load(path.Dir(dir)); ok || path.Dir(dir) == "." {
		if err = os.Mkdir(name, 0o755); errors.Is(err, fs.ErrExist) {
			err = nil
		}
	} else {
		err = os.MkdirAll(name, 0o755)
	}
	if err != nil {
		return fmt.Errorf("cannot create %s: %w", dir, unwrap(err))
	}
	for d := dir; d != "."; d = path.Dir(d) {
		if _, loaded := b.made.LoadOrStore(d, true); loaded {
			break
		}
	}
	return nil
}

// Add writes one file of the build; it may be called concurrently. An
// output whose key is the one the published file was written with is
// linked from it instead. o.Data may be reused once Add returns. The
// error of a failed Add does not say what is left at the destination:
// Abort the build, which leaves it as it was (see Left).
func (b *Build) Add(o render.Output) error {
	if _, dup := b.written.LoadOrStore(o.Path, true); dup {
		// Two writers of one file would leave either, or a mix.
		return fmt.Errorf("two outputs at %s", o.Path)
	}
	if err := b.mkdir(o.Path); err != nil {
		return err
	}
	name := filepath.Join(b.staging, filepath.FromSlash(o.Path))
	linked := false
	open := create
	if b.reuse != nil {
		// A spare folder's file whose key changed: update skips the
		// others.
		if _, ok := b.reuse[o.Path]; ok {
			var err error
			if open, err = replace(name, o); err != nil {
				return fmt.Errorf("cannot replace %s: %w", o.Path, unwrap(err))
			}
		}
	} else if k, ok := b.p.last[o.Path]; ok && k == o.Key && o.Key != "" {
		linked = os.Link(filepath.Join(b.dest, filepath.FromSlash(o.Path)), name) == nil
	}
	var n int64
	if !linked {
		var err error
		if n, err = writeTo(name, o, open); err != nil {
			if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
				return fmt.Errorf("the disk is full: cannot write %s: %w", o.Path, unwrap(err))
			}
			return fmt.Errorf("cannot write %s: %w", o.Path, unwrap(err))
		}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.st.Files++
	if !linked {
		b.st.Written++
		b.st.Bytes += n
	}
	b.keys[o.Path] = o.Key // "" when unknown: every file is listed
	return nil
}

func (b *Build) stats() Stats {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.st
}

// Abort removes what was written: the destination is left as it was.
func (b *Build) Abort() { os.RemoveAll(b.staging) }

// Left says what a failed build leaves at the destination, for messages:
// "/var/www/xa is left as it was".
func (b *Build) Left() string { return b.left }

// Commit puts the build in place of the destination.
func (b *Build) Commit() (Stats, error) {
	p := b.p
	st := b.stats()
	old, err := swap(b.staging, b.dest)
	if err != nil {
		os.RemoveAll(b.staging)
		p.last = nil
		var lost *lostError
		if errors.As(err, &lost) {
			return st, fmt.Errorf("cannot put the new build in place of %s: %w", b.dest, err)
		}
		hint := ""
		if errors.Is(err, syscall.EBUSY) || errors.Is(err, syscall.EXDEV) {
			hint = " (is it a mount point? a build replaces the destination folder whole: build into a folder inside it and point the web server there)"
		}
		return st, fmt.Errorf("cannot put the new build in place of %s: %w%s; %s", b.dest, unwrap(err), hint, b.left)
	}
	if old != "" && p.Spare && p.last != nil {
		// The previous build, whose files are known, is the next build's
		// starting point.
		p.spare, p.spareKeys = old, p.last
	} else {
		if old != "" {
			// The new build is in place: removing the previous one
			// (thousands of unlinks) need not delay it. The next build,
			// or Wait, waits.
			p.removing.Add(1)
			go func() {
				defer p.removing.Done()
				os.RemoveAll(old)
			}()
		}
		if p.Spare {
			p.cloneSpare(b.dest, b.keys)
		}
	}
	p.last = b.keys
	return st, nil
}

// cloneSpare makes, in the background, a spare folder of hard links to
// the files of dest, which keys lists, so that the first rebuild of a
// watcher is as cheap as the next ones. The next build waits for it; a
// failure leaves no spare.
func (p *Publisher) cloneSpare(dest string, keys map[string]string) {
	parent, base := filepath.Split(dest)
	spare, err := os.MkdirTemp(parent, "."+base+stagingInfix)
	if err != nil {
		return
	}
	p.removing.Add(1)
	go func() {
		defer p.removing.Done()
		made := map[string]bool{".": true}
		err := os.Chmod(spare, 0o755)
		for name := range keys {
			if err != nil {
				break
			}
			dir := path.Dir(name)
			if !made[dir] {
				err = os.MkdirAll(filepath.Join(spare, filepath.FromSlash(dir)), 0o755)
				for d := dir; !made[d]; d = path.Dir(d) {
					made[d] = true
				}
			}
			if err == nil {
				err = os.Link(filepath.Join(dest, filepath.FromSlash(name)), filepath.Join(spare, filepath.FromSlash(name)))
			}
		}
		if err != nil {
			os.RemoveAll(spare)
			return
		}
		p.spare, p.spareKeys = spare, keys
	}()
}

// create makes a file of the build; tests replace it to fail as a full
// disk does.
var create = createFile

// writeTo writes o to the file that open gives for name.
func writeTo(name string, o render.Output, open func(string) (io.WriteCloser, error)) (int64, error) {
	var src io.ReadCloser
	if o.File != nil {
		f, err := o.File.Open()
		if err != nil {
			return 0, err
		}
		src = f
		defer f.Close()
	}
	dst, err := open(name)
	if err != nil {
		return 0, err
	}
	var n int64
	if src == nil {
		var m int
		m, err = dst.Write(o.Data)
		n = int64(m)
	} else {
		n, err = io.Copy(dst, src)
	}
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		err = &fs.PathError{Op: "write", Path: name, Err: unwrapPath(err)}
	}
	return n, err
}

// swap puts staging at dest. It returns the folder that now holds the
// previous build, "" when there was none.
func swap(staging, dest string) (string, error) {
	if _, err := os.Lstat(dest); errors.Is(err, fs.ErrNotExist) {
		return "", os.Rename(staging, dest)
	}
	if err := exchange(staging, dest); err == nil {
		return staging, nil
	}
	parent, base := filepath.Split(dest)
	old, err := os.MkdirTemp(parent, "."+base+oldInfix)
	if err != nil {
		return "", err
	}
	if err := os.Remove(old); err != nil {
		return "", err
	}
	if err := os.Rename(dest, old); err != nil {
		return "", err
	}
	if err := os.Rename(staging, dest); err != nil {
		if rerr := os.Rename(old, dest); rerr != nil {
			return "", &lostError{err: err, old: old}
		}
		return "", err
	}
	return old, nil
}

// lostError is a swap that failed halfway: the previous build is beside
// the destination, not in it. The next Write puts it back.
type lostError struct {
	err error
	old string
}

func (e *lostError) Error() string {
	return fmt.Sprintf("%v; the previous build is in %s, and the next build puts it back", unwrap(e.err), e.old)
}

func (e *lostError) Unwrap() error { return e.err }

// leftAsItWas says what a failed build leaves at dest.
func leftAsItWas(dest string) string {
	if _, err := os.Lstat(dest); err == nil {
		return dest + " is left as it was"
	}
	return "nothing was written to " + dest
}

// restoreOld puts back a previous build that a killed two-rename swap left
// aside: the destination is missing, and the build is in an "old" folder.
func restoreOld(parent, base, dest string) {
	if _, err := os.Lstat(dest); !errors.Is(err, fs.ErrNotExist) {
		return
	}
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	var newest string
	var newestTime int64
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), "."+base+oldInfix) {
			continue
		}
		if fi, err := e.Info(); err == nil && (newest == "" || fi.ModTime().UnixNano() > newestTime) {
			newest, newestTime = e.Name(), fi.ModTime().UnixNano()
		}
	}
	if newest != "" {
		_ = os.Rename(filepath.Join(parent, newest), dest)
	}
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

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func unwrap(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Path, pe.Err)
	}
	return err
}
