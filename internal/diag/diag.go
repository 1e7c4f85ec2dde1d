// Package diag holds the problems found in a site as data: each Diagnostic
// names a file, a line and a column, so that an editor can jump to it, and a
// List gathers every problem of a build so that all of them are reported at
// once, in a stable order.
//
// Paths are slash-separated and relative to the site folder
// ("content/tin-tuc/x.md"). Lines and columns count from 1; a column counts
// characters (runes), not bytes, because that is what editors show for
// Vietnamese text. A zero line means the problem concerns the whole file.
package diag

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// Severity tells whether a problem stops the build.
type Severity int

const (
	Error Severity = iota
	Warning
)

// Pos is a position in a site file.
type Pos struct {
	File string
	Line int
	Col  int
}

func (p Pos) String() string {
	switch {
	case p.Line <= 0:
		return p.File
	case p.Col <= 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Diagnostic is one problem.
type Diagnostic struct {
	Pos      Pos
	Severity Severity
	Msg      string
}

// String is the form printed to the terminal: "path:line:col: message",
// with warnings marked so that they are not mistaken for errors.
func (d Diagnostic) String() string {
	if d.Severity == Warning {
		return d.Pos.String() + ": warning: " + d.Msg
	}
	return d.Pos.String() + ": " + d.Msg
}

// List collects diagnostics. The zero value is ready to use.
type List []Diagnostic

// Errorf adds an error at pos.
func (l *List) Errorf(pos Pos, format string, args ...any) {
	*l = append(*l, Diagnostic{Pos: pos, Severity: Error, Msg: fmt.Sprintf(format, args...)})
}

// Warnf adds a warning at pos.
func (l *List) Warnf(pos Pos, format string, args ...any) {
	*l = append(*l, Diagnostic{Pos: pos, Severity: Warning, Msg: fmt.Sprintf(format, args...)})
}

// Append adds all of other.
func (l *List) Append(other List) { *l = append(*l, other...) }

// HasErrors reports whether any diagnostic is an error.
func (l List) HasErrors() bool {
	for _, d := range l {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Count returns the number of errors and warnings.
func (l List) Count() (errors, warnings int) {
	for _, d := range l {
		if d.Severity == Error {
			errors++
		} else {
			warnings++
		}
	}
	return
}

// Sort orders the list by file, line, column, then message, and drops exact
// duplicates, so that the output does not depend on the order in which
// parallel stages found the problems.
func (l *List) Sort() {
	s := *l
	sort.SliceStable(s, func(i, j int) bool {
		a, b := s[i], s[j]
		if a.Pos.File != b.Pos.File {
			return a.Pos.File < b.Pos.File
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		if a.Pos.Col != b.Pos.Col {
			return a.Pos.Col < b.Pos.Col
		}
		if a.Severity != b.Severity {
			return a.Severity < b.Severity
		}
		return a.Msg < b.Msg
	})
	out := s[:0]
	for i, d := range s {
		if i > 0 && d == s[i-1] {
			continue
		}
		out = append(out, d)
	}
	*l = out
}

// String prints one diagnostic a line.
func (l List) String() string {
	var b strings.Builder
	for _, d := range l {
		b.WriteString(d.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// Err returns the list as an error when it holds an error, else nil.
func (l List) Err() error {
	if !l.HasErrors() {
		return nil
	}
	return ListError(l)
}

// ListError is a List used as an error value.
type ListError List

func (e ListError) Error() string {
	l := List(e)
	n, _ := l.Count()
	for _, d := range l {
		if d.Severity != Error {
			continue
		}
		if n == 1 {
			return d.String()
		}
		return fmt.Sprintf("%d errors, first: %s", n, d.String())
	}
	return "no errors"
}

// Source is the text of one site file, for turning byte offsets into
// positions.
type Source struct {
	Name string // site-relative, slash-separated
	Data []byte
}

// Pos returns the position of byte offset off in s. Offsets past the end
// give the position just after the last character.
func (s Source) Pos(off int) Pos {
	if off > len(s.Data) {
		off = len(s.Data)
	}
	if off < 0 {
		off = 0
	}
	line, start := 1, 0
	for i := 0; i < off; i++ {
		if s.Data[i] == '\n' {
			line++
			start = i + 1
		}
	}
	return Pos{File: s.Name, Line: line, Col: utf8.RuneCount(s.Data[start:off]) + 1}
}

// LineCol returns the position of a 1-based line and a 1-based byte column
// within that line, as reported by decoders that count bytes.
func (s Source) LineCol(line, byteCol int) Pos {
	if line < 1 {
		return Pos{File: s.Name}
	}
	start, l := 0, 1
	for l < line {
		i := bytes.IndexByte(s.Data[start:], '\n')
		if i < 0 {
			return Pos{File: s.Name, Line: line, Col: byteCol}
		}
		start += i + 1
		l++
	}
	end := start + byteCol - 1
	if byteCol < 1 {
		end = start
	}
	if end > len(s.Data) {
		end = len(s.Data)
	}
	return Pos{File: s.Name, Line: line, Col: utf8.RuneCount(s.Data[start:end]) + 1}
}
