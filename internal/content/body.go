package content

import (
	"errors"
	"fmt"
	"hash/maphash"
	"io/fs"
)

// bodyRef is where a page's Body is when the loader left it in its file:
// from byte off of the file name in fsys, which had size bytes hashing to
// sum when it was loaded.
type bodyRef struct {
	fsys fs.FS
	name string
	off  int
	size int
	sum  uint64
}

var bodySeed = maphash.MakeSeed()

// leaveBody drops p.Body, which is the end of data, the file name in fsys,
// for Markdown to read again. A Body that is not the file's own bytes
// (cleaned of control characters, or empty) stays.
func (p *Page) leaveBody(fsys fs.FS, name string, data []byte) {
	n := len(p.Body)
	if n == 0 || n > len(data) || &data[len(data)-n] != &p.Body[0] {
		return
	}
	p.later = &bodyRef{fsys: fsys, name: name, off: len(data) - n, size: len(data), sum: maphash.Bytes(bodySeed, data)}
	p.Body = nil
}

// errChanged says that a page's file changed between its loading and the
// reading of its body.
var errChanged = errors.New("the file changed while the site was being built: build again")

// Markdown returns the page's Markdown: Body, or, when the loader left it in
// the file (Options.KeepBodies), the file's bytes after the front matter,
// read again. The file must be as it was loaded: a page is not made of two
// versions of its file.
func (p *Page) Markdown() ([]byte, error) {
	r := p.later
	if r == nil {
		return p.Body, nil
	}
	data, err := fs.ReadFile(r.fsys, r.name)
	if err != nil {
		return nil, fmt.Errorf("cannot read again: %v", unwrapPath(err))
	}
	if len(data) != r.size || maphash.Bytes(bodySeed, data) != r.sum {
		return nil, errChanged
	}
	return data[r.off:], nil
}
