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
	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"

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
	local bool     // a TOML date-time without an offset: read it in the site's zone
	kpos  diag.Pos // for a mapping's member: where its key is
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

// decodeYAML decodes data, which starts at line firstLine of src. The parser
// is goccy/go-yaml because it gives every node and every syntax error an
// exact line and column, and rejects duplicate keys.
func decodeYAML(src diag.Source, data []byte, firstLine int) (*node, *decodeError) {
	if n, ok := fastYAML(src, data, firstLine); ok {
		return n, nil
	}
	return parseYAML(src, data, firstLine)
}

// parseYAML decodes any YAML document.
func parseYAML(src diag.Source, data []byte, firstLine int) (*node, *decodeError) {
	at := func(p *token.Position) diag.Pos {
		if p == nil {
			return diag.Pos{File: src.Name, Line: firstLine, Col: 1}
		}
		return diag.Pos{File: src.Name, Line: firstLine + p.Line - 1, Col: p.Column}
	}
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		var ye yaml.Error
		if errors.As(err, &ye) && ye.GetToken() != nil {
			return nil, &decodeError{pos: at(ye.GetToken().Position), msg: "invalid YAML: " + ye.GetMessage()}
		}
		return nil, &decodeError{pos: at(nil), msg: "invalid YAML: " + err.Error()}
	}
	var body ast.Node
	for i, d := range f.Docs {
		if d == nil || d.Body == nil {
			continue
		}
		if i > 0 && body != nil {
			return nil, &decodeError{pos: at(d.Body.GetToken().Position), msg: "invalid YAML: only one document is allowed"}
		}
		body = d.Body
	}
	if body == nil {
		return &node{kind: mapNode, pos: at(nil), vals: map[string]*node{}}, nil
	}
	return fromYAML(body, at), nil
}

func fromYAML(y ast.Node, at func(*token.Position) diag.Pos) *node {
	pos := func(y ast.Node) diag.Pos {
		if tk := y.GetToken(); tk != nil {
			return at(tk.Position)
		}
		return at(nil)
	}
	n := &node{pos: pos(y)}
	switch y := y.(type) {
	case *ast.DocumentNode:
		if y.Body != nil {
			return fromYAML(y.Body, at)
		}
		n.typ = "null"
	case *ast.AnchorNode:
		return fromYAML(y.Value, at)
	case *ast.AliasNode:
		n.typ, n.text = "str", y.String()
	case *ast.TagNode:
		return fromYAML(y.Value, at)
	case *ast.SequenceNode:
		n.kind = listNode
		for _, c := range y.Values {
			n.items = append(n.items, fromYAML(c, at))
		}
	case *ast.MappingNode:
		n.kind = mapNode
		n.vals = map[string]*node{}
		for _, mv := range y.Values {
			addPair(n, mv, at)
		}
		if len(y.Values) > 0 && y.Values[0].Key != nil && !y.IsFlowStyle {
			n.pos = pos(y.Values[0].Key) // where the block starts, not its first ':'
		}
	case *ast.MappingValueNode:
		// A mapping of one key is parsed as the pair alone.
		n.kind = mapNode
		n.vals = map[string]*node{}
		addPair(n, y, at)
		if y.Key != nil {
			n.pos = pos(y.Key)
		}
	case *ast.NullNode:
		n.typ = "null"
	case *ast.BoolNode:
		n.typ, n.text = "bool", y.GetToken().Value
	case *ast.IntegerNode:
		n.typ, n.text = "int", y.GetToken().Value
	case *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
		n.typ, n.text = "float", y.GetToken().Value
	case *ast.StringNode:
		n.typ, n.text = "str", y.Value
	case *ast.LiteralNode:
		n.typ, n.text = "str", y.Value.Value
	default:
		n.typ, n.text = "str", y.String()
	}
	return n
}

func addPair(n *node, mv *ast.MappingValueNode, at func(*token.Position) diag.Pos) {
	key := ""
	var keyTok *token.Token
	if mv.Key != nil {
		keyTok = mv.Key.GetToken()
		if s, ok := mv.Key.(*ast.StringNode); ok {
			key = s.Value
		} else if keyTok != nil {
			key = keyTok.Value
		}
	}
	if _, dup := n.vals[key]; !dup {
		n.keys = append(n.keys, key)
	}
	var c *node
	if mv.Value == nil {
		c = &node{typ: "null"}
	} else {
		c = fromYAML(mv.Value, at)
	}
	if keyTok != nil {
		c.kpos = at(keyTok.Position)
		c.keyPos(c.kpos)
	}
	n.vals[key] = c
}

// keyPos moves an empty value's position to its key, where an editor
// wants to be taken: "title:" with nothing after it.
func (n *node) keyPos(p diag.Pos) {
	if n.kind == scalarNode && n.typ == "null" && (n.text == "" || n.pos.Line == 0) {
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
			c := fromJSON(src, idx, base, jsonpos.Child(path, k), e)
			c.kpos = src.Pos(base + jsonKeyStart(src.Data[base:], idx.Offset(jsonpos.Child(path, k))))
			n.vals[k] = c
		}
		// encoding/json forgets the order; source order is offset order.
		sort.Slice(n.keys, func(i, j int) bool {
			return idx.Offset(jsonpos.Child(path, n.keys[i])) < idx.Offset(jsonpos.Child(path, n.keys[j]))
		})
	}
	return n
}

// jsonKeyStart steps back from a member's value over the colon and the
// quoted key, to the key's opening quote.
func jsonKeyStart(data []byte, valueOff int) int {
	i := valueOff - 1
	for i >= 0 && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n' || data[i] == ':') {
		i--
	}
	if i < 0 || data[i] != '"' {
		return valueOff
	}
	for i--; i >= 0; i-- {
		if data[i] == '"' && (i == 0 || data[i-1] != '\\') {
			return i
		}
	}
	return valueOff
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
			// From the error's byte offset: the library's column can be
			// that of the line before ("!" alone on a line is reported
			// past the end of the previous one).
			start := min(max(pe.Position.Start, 0), len(data))
			line := 1 + bytes.Count(data[:start], []byte("\n"))
			col := start - bytes.LastIndexByte(data[:start], '\n')
			return nil, &decodeError{pos: src.LineCol(firstLine+line-1, col), msg: "invalid TOML: " + pe.Message}
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
		c := fromTOML(pos, v)
		c.kpos = pos
		root.vals[k] = c
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
