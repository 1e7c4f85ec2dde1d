package content

import (
	"bytes"
	"fmt"

	"github.com/adrg/frontmatter"

	"github.com/congxa/congxa/internal/diag"
)

// A raw front matter block as adrg/frontmatter found it. Its Unmarshal hook
// only captures the bytes: decoding is ours, so that every value keeps its
// position in the file.
type captured struct {
	format string
	data   []byte
	called bool
}

func capture(format string) frontmatter.UnmarshalFunc {
	return func(data []byte, v any) error {
		c := v.(*captured)
		c.format, c.data, c.called = format, append([]byte(nil), data...), true
		return nil
	}
}

type delim struct {
	start, end, format string
	inclusive          bool // the delimiters are part of the data (JSON's braces)
}

var delims = []delim{
	{"---", "---", "yaml", false},
	{"---yaml", "---", "yaml", false},
	{"+++", "+++", "toml", false},
	{"---toml", "---", "toml", false},
	{";;;", ";;;", "json", false},
	{"---json", "---", "json", false},
	{"{", "}", "json", true},
}

var formats = func() []*frontmatter.Format {
	var fs []*frontmatter.Format
	for _, d := range delims {
		f := frontmatter.NewFormat(d.start, d.end, capture(d.format))
		if d.inclusive {
			f.UnmarshalDelims, f.RequiresNewLine = true, true
		}
		fs = append(fs, f)
	}
	return fs
}()

// split separates the front matter of a page from its body and decodes it.
// It returns a nil node when the file has no front matter.
func split(src diag.Source) (fm *node, body []byte, bodyLine int, err *decodeError) {
	data := src.Data
	// adrg/frontmatter skips blank lines, then looks at the first line: find
	// where that line is, so that positions can be given in file lines.
	off, line, lineEnd := 0, 1, 0
	var opener *delim
	for off < len(data) {
		end := bytes.IndexByte(data[off:], '\n')
		next := len(data)
		if end >= 0 {
			next = off + end + 1
		}
		t := string(bytes.TrimSpace(data[off:next]))
		if t == "" {
			off, line = next, line+1
			continue
		}
		lineEnd = next
		for i := range delims {
			if delims[i].start == t {
				opener = &delims[i]
				break
			}
		}
		break
	}
	if opener == nil {
		return nil, data, 1, nil
	}
	var c captured
	var rest []byte
	if fmData, after, ok := splitYAML(data); ok && opener.format == "yaml" && off == 0 {
		c = captured{format: "yaml", data: fmData, called: true}
		rest = after
	} else {
		var perr error
		rest, perr = frontmatter.Parse(bytes.NewReader(data), &c, formats...)
		if perr != nil {
			return nil, nil, 0, &decodeError{pos: diag.Pos{File: src.Name, Line: line, Col: 1}, msg: perr.Error()}
		}
	}
	if !c.called {
		msg := fmt.Sprintf("front matter opened with %q is never closed: add a line holding only %q after it", opener.start, opener.end)
		if opener.inclusive {
			msg = "JSON front matter must end with a line holding only \"}\" followed by an empty line"
		}
		return nil, nil, 0, &decodeError{pos: diag.Pos{File: src.Name, Line: line, Col: 1}, msg: msg}
	}
	bodyOff := len(data) - len(rest)
	bodyLine = 1 + bytes.Count(data[:bodyOff], []byte{'\n'})
	firstLine, dataOff := line+1, lineEnd
	if opener.inclusive {
		firstLine, dataOff = line, off
	}
	switch c.format {
	case "yaml":
		fm, err = decodeYAML(src, c.data, firstLine)
	case "toml":
		fm, err = decodeTOML(src, c.data, firstLine)
	default:
		fm, err = decodeJSON(src, c.data, dataOff)
	}
	if err != nil {
		return nil, nil, 0, err
	}
	if fm.kind != mapNode {
		return nil, nil, 0, &decodeError{pos: fm.pos, msg: fmt.Sprintf("front matter must be a mapping of keys to values, not %s", fm.describe())}
	}
	// The body as a part of the file's own bytes: the library's copy is
	// larger than the file, and every page keeps its body.
	return fm, data[bodyOff:], bodyLine, nil
}

// splitYAML splits the common case without the library: a file that
// starts with a "---" line and has another "---" line. It gives the front
// matter and the body, as frontmatter.Parse does.
func splitYAML(data []byte) (fm, body []byte, ok bool) {
	if !bytes.HasPrefix(data, []byte("---\n")) {
		return nil, nil, false
	}
	i := bytes.Index(data[3:], []byte("\n---\n"))
	if i < 0 {
		return nil, nil, false
	}
	fm, body = data[4:3+i+1], data[3+i+5:]
	// A line that is "---" but for spaces closes it for the library.
	for _, l := range bytes.Split(fm, []byte("\n")) {
		if bytes.Equal(bytes.TrimSpace(l), []byte("---")) {
			return nil, nil, false
		}
	}
	return fm, body, true
}
