package content

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/congxa/congxa/internal/diag"
)

// fastYAML decodes the front matter that editors write, and that every page
// of a site usually has, without a general YAML parser: one "key: value" a
// line, where a value is a quoted text, a plain text, true or false, a
// flow list ["a", b] or a block list of "- item" lines. It gives the same
// tree, positions included, as decodeYAML; ok is false for anything else
// (nested mappings, anchors, multi-line texts, numbers, escapes, errors),
// which decodeYAML then reads. The YAML parser costs some 60 µs a page,
// this a microsecond or two: on a site of 10,000 posts, half a second.
func fastYAML(src diag.Source, data []byte, firstLine int) (n *node, ok bool) {
	if bytes.IndexByte(data, '\r') >= 0 || bytes.IndexByte(data, '\t') >= 0 || !utf8.Valid(data) {
		return nil, false
	}
	root := &node{kind: mapNode, vals: map[string]*node{}}
	var open *node // a key with no value yet: a block list may follow
	for i, lineNo := 0, firstLine; i < len(data); lineNo++ {
		end := bytes.IndexByte(data[i:], '\n')
		if end < 0 {
			end = len(data) - i
		}
		line := string(data[i : i+end])
		i += end + 1
		pos := func(off int) diag.Pos {
			return diag.Pos{File: src.Name, Line: lineNo, Col: 1 + utf8.RuneCountInString(line[:off])}
		}
		if strings.HasSuffix(line, " ") {
			return nil, false // the parser places some values oddly then
		}
		t := strings.TrimLeft(line, " ")
		indent := len(line) - len(t)
		if t == "" || t[0] == '#' {
			continue
		}
		if t == "-" || strings.HasPrefix(t, "- ") {
			// An item of a block list under the last key.
			if open == nil || (open.kind == listNode && open.pos.Col != 1+indent) {
				return nil, false
			}
			vOff := indent + 1
			for vOff < len(line) && line[vOff] == ' ' {
				vOff++
			}
			item, ok := fastScalar(line, vOff, pos)
			if !ok || item.typ == "null" {
				return nil, false
			}
			if open.kind != listNode {
				open.kind, open.typ, open.pos = listNode, "", pos(indent)
			}
			open.items = append(open.items, item)
			continue
		}
		if indent > 0 {
			return nil, false
		}
		open = nil
		colon := strings.IndexByte(line, ':')
		if colon <= 0 || !plainKey(line[:colon]) || (colon+1 < len(line) && line[colon+1] != ' ') {
			return nil, false
		}
		key := line[:colon]
		if _, dup := root.vals[key]; dup {
			return nil, false
		}
		vOff := colon + 1
		for vOff < len(line) && line[vOff] == ' ' {
			vOff++
		}
		var v *node
		switch {
		case vOff == len(line) || line[vOff] == '#':
			if vOff < len(line) && line[vOff-1] != ' ' {
				return nil, false
			}
			v = &node{typ: "null"}
			open = v
		case line[vOff] == '[':
			var ok bool
			if v, ok = fastFlowList(line, vOff, pos); !ok {
				return nil, false
			}
		default:
			var ok bool
			if v, ok = fastScalar(line, vOff, pos); !ok {
				return nil, false
			}
		}
		v.kpos = pos(0)
		if v.kind == scalarNode && v.typ == "null" {
			v.pos = v.kpos
		}
		if len(root.keys) == 0 {
			root.pos = v.kpos
		}
		root.keys = append(root.keys, key)
		root.vals[key] = v
	}
	if len(root.keys) == 0 {
		return nil, false // decodeYAML knows where an empty document is
	}
	for _, k := range root.keys {
		if v := root.vals[k]; v.kind == listNode && len(v.items) == 0 {
			return nil, false
		}
	}
	return root, true
}

// plainKey reports whether a key is a simple name.
func plainKey(k string) bool {
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' || i > 0 && ('0' <= c && c <= '9' || c == '-')) {
			return false
		}
	}
	return k != ""
}

// fastScalar reads the scalar that starts at line[off] and fills the rest
// of the line (but a comment).
func fastScalar(line string, off int, pos func(int) diag.Pos) (*node, bool) {
	v, end, ok := scalarAt(line, off, "")
	if !ok || !restIsComment(line, end) {
		return nil, false
	}
	return finish(v, off, pos), true
}

// fastFlowList reads a flow list of scalars, ["a", b], filling the rest
// of the line.
func fastFlowList(line string, off int, pos func(int) diag.Pos) (*node, bool) {
	list := &node{kind: listNode, pos: pos(off)}
	i := off + 1
	for {
		for i < len(line) && line[i] == ' ' {
			i++
		}
		if i < len(line) && line[i] == ']' && len(list.items) == 0 {
			return nil, false // an empty list: rare, leave it to the parser
		}
		v, end, ok := scalarAt(line, i, ",]")
		if !ok || v.typ == "null" {
			return nil, false
		}
		list.items = append(list.items, finish(v, i, pos))
		for end < len(line) && line[end] == ' ' {
			end++
		}
		if end >= len(line) {
			return nil, false
		}
		if line[end] == ']' {
			if !restIsComment(line, end+1) {
				return nil, false
			}
			return list, true
		}
		if line[end] != ',' {
			return nil, false
		}
		i = end + 1
	}
}

func finish(v *node, off int, pos func(int) diag.Pos) *node {
	v.pos = pos(off)
	return v
}

// scalarAt reads a scalar at line[off]: quoted, or plain up to the end of
// the line, a comment, or one of stops. It returns where it ends.
func scalarAt(line string, off int, stops string) (v *node, end int, ok bool) {
	if off >= len(line) {
		return nil, 0, false
	}
	switch q := line[off]; q {
	case '"', '\'':
		j := strings.IndexByte(line[off+1:], q)
		if j < 0 {
			return nil, 0, false
		}
		text := line[off+1 : off+1+j]
		if q == '"' && strings.IndexByte(text, '\\') >= 0 || q == '\'' && off+2+j < len(line) && line[off+2+j] == '\'' {
			return nil, 0, false // escapes
		}
		return &node{typ: "str", text: text}, off + 2 + j, true
	}
	end = len(line)
	if k := strings.Index(line[off:], " #"); k >= 0 {
		end = off + k
	}
	if stops != "" {
		if k := strings.IndexAny(line[off:end], stops); k >= 0 {
			end = off + k
		}
	}
	text := strings.TrimRight(line[off:end], " ")
	if !plainText(text, stops != "") {
		return nil, 0, false
	}
	v = &node{typ: "str", text: text}
	switch text {
	case "true", "True", "TRUE", "false", "False", "FALSE":
		v.typ = "bool"
	case "null", "Null", "NULL", "~":
		v.typ, v.text = "null", ""
	}
	return v, end, true
}

// plainText reports whether a plain scalar is one that is text for certain:
// no indicator the YAML parser would read otherwise, and nothing that could
// be a number, or a boolean in YAML 1.1.
func plainText(s string, inFlow bool) bool {
	if s == "" {
		return false
	}
	switch s[0] {
	case '&', '*', '!', '|', '>', '%', '@', '`', '{', '}', '[', ']', ',', '#', '?', ':', '-', '"', '\'':
		return false
	}
	if strings.Contains(s, ": ") || strings.HasSuffix(s, ":") || inFlow && strings.ContainsAny(s, "{}[]") {
		return false
	}
	c := s[0]
	if '0' <= c && c <= '9' || c == '+' || c == '.' {
		// Dates and times are text; other things that start like a
		// number may be one.
		if !strings.ContainsAny(s, ":/") {
			return false
		}
	}
	switch strings.ToLower(s) {
	case "yes", "no", "on", "off", "y", "n", ".inf", ".nan":
		return false
	}
	return true
}

// restIsComment reports whether line[i:] holds only spaces and a comment.
func restIsComment(line string, i int) bool {
	rest := strings.TrimLeft(line[i:], " ")
	return rest == "" || rest[0] == '#' && len(rest) < len(line[i:])
}
