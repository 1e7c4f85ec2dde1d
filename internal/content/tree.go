package content

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"gopkg.in/yaml.v3"

	"github.com/congxa/congxa/internal/diag"
	"github.com/congxa/congxa/internal/jsonpos"
)

// A node is a decoded YAML, TOML or JSON value with the position it came
// from. The three formats are decoded into nodes so that checking a page's
// fields is written once and every problem names its line and column.
type node struct {
	pos   diag.Pos
	kind  nodeKind
	text  string // a scalar as written (YAML keeps "0984327946" as text)
	typ   string // for scalars: "str", "int", "float", "bool", "time", "null"
	time  time.Time
	local bool // a TOML date-time without an offset: read it in the site's zone
	items []*node
	keys  []string // map keys in source order
	vals  map[string]*node
}

type nodeKind int

const (
	scalarNode nodeKind = iota
	listNode
	mapNode
)

func (n *node) describe() string {
	switch n.kind {
	case listNode:
		return "a list"
	case mapNode:
		return "a mapping"
	}
	switch n.typ {
	case "null":
		return "empty"
	case "bool":
		return "true/false"
	case "int", "float":
		return "a number"
	case "time":
		return "a date"
	}
	return "text"
}

// decodeError is a syntax error in a data block, with its position.
type decodeError struct {
	pos diag.Pos
	msg string
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// decodeYAML decodes data, which starts at line firstLine of src's file.
func decodeYAML(src diag.Source, data []byte, firstLine int) (*node, *decodeError) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		line := 0
		if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = m[2]
		}
		pos := diag.Pos{File: src.Name, Line: firstLine, Col: 1}
		if line > 0 {
			pos = src.LineCol(firstLine+line-1, 1)
		}
		return nil, &decodeError{pos: pos, msg: "invalid YAML: " + msg}
	}
	if len(doc.Content) == 0 {
		return &node{kind: mapNode, pos: diag.Pos{File: src.Name, Line: firstLine, Col: 1}, vals: map[string]*node{}}, nil
	}
	return fromYAML(src, doc.Content[0], firstLine), nil
}

func fromYAML(src diag.Source, y *yaml.Node, firstLine int) *node {
	for y.Kind == yaml.AliasNode && y.Alias != nil {
		y = y.Alias
	}
	n := &node{pos: src.LineCol(firstLine+y.Line-1, y.Column)}
	switch y.Kind {
	case yaml.DocumentNode:
		if len(y.Content) > 0 {
			return fromYAML(src, y.Content[0], firstLine)
		}
		n.typ = "null"
	case yaml.SequenceNode:
		n.kind = listNode
		for _, c := range y.Content {
			n.items = append(n.items, fromYAML(src, c, firstLine))
		}
	case yaml.MappingNode:
		n.kind = mapNode
		n.vals = map[string]*node{}
		for i := 0; i+1 < len(y.Content); i += 2 {
			k, v := y.Content[i], y.Content[i+1]
			if _, dup := n.vals[k.Value]; !dup {
				n.keys = append(n.keys, k.Value)
			}
			c := fromYAML(src, v, firstLine)
			c.keyPos(src.LineCol(firstLine+k.Line-1, k.Column))
			n.vals[k.Value] = c
		}
	default:
		n.text = y.Value
		switch y.ShortTag() {
		case "!!null":
			n.typ = "null"
		case "!!bool":
			n.typ = "bool"
		case "!!int":
			n.typ = "int"
		case "!!float":
			n.typ = "float"
		case "!!timestamp":
			n.typ = "time"
		default:
			n.typ = "str"
		}
	}
	return n
}

// keyPos moves an empty value's position to its key, where an editor
// wants to be taken: "title:" with nothing after it.
func (n *node) keyPos(p diag.Pos) {
	if n.kind == scalarNode && n.typ == "null" && n.text == "" {
		n.pos = p
	}
}

// decodeJSON decodes data, which starts at byte offset base of src.
func decodeJSON(src diag.Source, data []byte, base int) (*node, *decodeError) {
	idx, err := jsonpos.Scan(data)
	if err != nil {
		var se *jsonpos.SyntaxError
		errors.As(err, &se)
		return nil, &decodeError{pos: src.Pos(base + se.Offset), msg: "invalid JSON: " + se.Msg}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, &decodeError{pos: src.Pos(base), msg: "invalid JSON: " + err.Error()}
	}
	return fromJSON(src, idx, base, "", v), nil
}

func fromJSON(src diag.Source, idx jsonpos.Index, base int, path string, v any) *node {
	n := &node{pos: src.Pos(base + idx.Offset(path))}
	switch v := v.(type) {
	case nil:
		n.typ = "null"
	case bool:
		n.typ, n.text = "bool", strconv.FormatBool(v)
	case json.Number:
		n.typ, n.text = "float", v.String()
		if _, err := v.Int64(); err == nil {
			n.typ = "int"
		}
	case string:
		n.typ, n.text = "str", v
	case []any:
		n.kind = listNode
		for i, e := range v {
			n.items = append(n.items, fromJSON(src, idx, base, jsonpos.Elem(path, i), e))
		}
	case map[string]any:
		n.kind = mapNode
		n.vals = map[string]*node{}
		for k, e := range v {
			n.keys = append(n.keys, k)
			n.vals[k] = fromJSON(src, idx, base, jsonpos.Child(path, k), e)
		}
		// encoding/json forgets the order; source order is offset order.
		sort.Slice(n.keys, func(i, j int) bool {
			return idx.Offset(jsonpos.Child(path, n.keys[i])) < idx.Offset(jsonpos.Child(path, n.keys[j]))
		})
	}
	return n
}

var tomlKeyRE = regexp.MustCompile(`^\s*("?)([A-Za-z0-9_\-]+)("?)\s*=`)

// decodeTOML decodes data, which starts at line firstLine of src. The TOML
// decoder does not say where each key is, so top-level keys are found by
// reading the lines; nested values share their top-level key's position.
func decodeTOML(src diag.Source, data []byte, firstLine int) (*node, *decodeError) {
	var m map[string]any
	if _, err := toml.Decode(string(data), &m); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, &decodeError{pos: src.LineCol(firstLine+pe.Position.Line-1, pe.Position.Col), msg: "invalid TOML: " + pe.Message}
		}
		return nil, &decodeError{pos: diag.Pos{File: src.Name, Line: firstLine, Col: 1}, msg: "invalid TOML: " + err.Error()}
	}
	keyLine := map[string]int{}
	inTable := false
	for i, line := range strings.Split(string(data), "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "[") {
			inTable = true
			if name := strings.Trim(t, "[] "); name != "" {
				if _, ok := keyLine[name]; !ok {
					keyLine[name] = i
				}
			}
			continue
		}
		if m := tomlKeyRE.FindStringSubmatch(line); m != nil && !inTable {
			if _, ok := keyLine[m[2]]; !ok {
				keyLine[m[2]] = i
			}
		}
	}
	root := &node{kind: mapNode, vals: map[string]*node{}, pos: src.LineCol(firstLine, 1)}
	for k, v := range m {
		root.keys = append(root.keys, k)
		pos := src.LineCol(firstLine+keyLine[k], 1)
		root.vals[k] = fromTOML(pos, v)
	}
	sort.Slice(root.keys, func(i, j int) bool { return keyLine[root.keys[i]] < keyLine[root.keys[j]] })
	return root, nil
}

func fromTOML(pos diag.Pos, v any) *node {
	n := &node{pos: pos}
	switch v := v.(type) {
	case bool:
		n.typ, n.text = "bool", strconv.FormatBool(v)
	case int64:
		n.typ, n.text = "int", strconv.FormatInt(v, 10)
	case float64:
		n.typ, n.text = "float", strconv.FormatFloat(v, 'g', -1, 64)
	case string:
		n.typ, n.text = "str", v
	case time.Time:
		n.typ, n.time = "time", v
		// BurntSushi/toml marks date-times written without an offset with
		// these zones; their wall clock is meant in the site's zone.
		switch v.Location().String() {
		case "datetime-local", "date-local", "time-local":
			n.local = true
		}
		n.text = v.Format("2006-01-02T15:04:05")
	case []any:
		n.kind = listNode
		for _, e := range v {
			n.items = append(n.items, fromTOML(pos, e))
		}
	case []map[string]any:
		n.kind = listNode
		for _, e := range v {
			n.items = append(n.items, fromTOML(pos, e))
		}
	case map[string]any:
		n.kind = mapNode
		n.vals = map[string]*node{}
		for k, e := range v {
			n.keys = append(n.keys, k)
			n.vals[k] = fromTOML(pos, e)
		}
		sort.Strings(n.keys)
	default:
		n.typ, n.text = "str", fmt.Sprint(v)
	}
	return n
}
