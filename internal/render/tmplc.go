package render

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"text/template/parse"
	"unicode/utf8"
)

// A layout of the site's own is executed by html/template, whose walk of
// the parse tree calls every function and escaper through reflection: a
// page of the frame costs about 90 µs there. The compiler below turns the
// tree html/template escaped (the escapers are then commands at the end of
// each action's pipeline, "_html_template_htmlescaper" and the like) into
// Go closures once per build: fields are found once for each type and read
// by index, the site's functions are called by their Go type, and the
// escapers are written here, from what html/template documents and does
// (tmplc_test.go compares both on every context).
//
// The compiled template writes the same bytes html/template writes. What
// it does not do is decided when it compiles: a template that uses any of
// it is not compiled, and html/template executes it. What it cannot know
// before it runs (a nil pointer in a chain of fields, a function's error,
// a panic) stops it: the caller executes the page again with html/template,
// which gives the page or the error it always gave.
//
// Not compiled: values of interface type (a map[string]any from dict, a
// field of type any), maps, channels and functions to range over, "call",
// "slice", "html", "js", "urlquery", comparisons of values of different
// kinds, methods or fields given arguments, a template called in a context
// other than its own (html/template derives a copy named
// "…$htmltemplate_…"), and the escapers of JavaScript, CSS, srcset and
// attribute names, and of a template.HTML in an attribute.

// ctype is the kind of content a value holds, as html/template's escapers
// see it.
type ctype uint8

const (
	ctPlain ctype = iota
	ctCSS
	ctHTML
	ctHTMLAttr
	ctJS
	ctJSStr
	ctURL
	ctSrcset
)

var (
	stringType   = reflect.TypeFor[string]()
	intType      = reflect.TypeFor[int]()
	boolType     = reflect.TypeFor[bool]()
	errorType    = reflect.TypeFor[error]()
	stringerType = reflect.TypeFor[fmt.Stringer]()
	contentTypes = map[reflect.Type]ctype{
		reflect.TypeFor[template.CSS]():      ctCSS,
		reflect.TypeFor[template.HTML]():     ctHTML,
		reflect.TypeFor[template.HTMLAttr](): ctHTMLAttr,
		reflect.TypeFor[template.JS]():       ctJS,
		reflect.TypeFor[template.JSStr]():    ctJSStr,
		reflect.TypeFor[template.URL]():      ctURL,
		reflect.TypeFor[template.Srcset]():   ctSrcset,
	}
)

// flow is how a node ends: normally, by {{break}} or {{continue}}, or
// stopped (bail) for html/template to execute the page.
type flow uint8

const (
	flowNext flow = iota
	flowBreak
	flowContinue
	flowBail
)

// cstate is one execution's state.
type cstate struct {
	buf  *bytes.Buffer
	vars []reflect.Value // every frame's variables; the current one from base
	base int
	// main writes the main block where the frame calls the marker
	// function (see mainHookFunc); mains counts the calls.
	main  func()
	mains int
	depth int // of template calls
}

// maxDepth stops a compiled template calling templates deeper: a template
// that calls itself without end is left to html/template, which reports
// its error.
const maxDepth = 1000

type (
	cnode func(s *cstate, dot reflect.Value) flow
	cexpr func(s *cstate, dot reflect.Value) (reflect.Value, bool)
)

// mainHookFunc is the function of the frame whose call, as the whole
// action in HTML text, stands for the main block (see fastTheme.frameTmpl).
const mainHookFunc = "congxaMainMarker"

// compiledTmpl is a template compiled for the type of its data.
type compiledTmpl struct {
	root   reflect.Type
	body   cnode
	nslots int
}

var cstates = sync.Pool{New: func() any { return new(cstate) }}

// execute writes the template for data into buf. It reports false when it
// stopped; buf then holds part of the page, which the caller truncates.
// main, when not nil, writes the main block where the frame shows its
// marker; a frame that shows it other than once stops.
func (t *compiledTmpl) execute(buf *bytes.Buffer, data any, main func()) (ok bool) {
	v := reflect.ValueOf(data)
	if !v.IsValid() || v.Type() != t.root {
		return false
	}
	s := cstates.Get().(*cstate)
	s.buf, s.main, s.mains = buf, main, 0
	defer func() {
		if recover() != nil {
			ok = false
		}
		clear(s.vars)
		s.vars, s.base, s.buf, s.main, s.depth = s.vars[:0], 0, nil, nil, 0
		cstates.Put(s)
	}()
	if t.call(s, v) != flowNext {
		return false
	}
	return main == nil || s.mains == 1
}

// call runs the template with a new frame of variables, $ being dot.
func (t *compiledTmpl) call(s *cstate, dot reflect.Value) flow {
	if s.depth >= maxDepth {
		return flowBail
	}
	s.depth++
	base := s.base
	n := len(s.vars)
	for range t.nslots {
		s.vars = append(s.vars, reflect.Value{})
	}
	s.base = n
	s.vars[n] = dot
	f := t.body(s, dot)
	clear(s.vars[n:])
	s.vars = s.vars[:n]
	s.base = base
	s.depth--
	if f != flowBail {
		f = flowNext
	}
	return f
}

// compileFail stops compiling: the template is left to html/template.
type compileFail struct{ why string }

type cvar struct {
	name string
	slot int
	typ  reflect.Type
}

type memoKey struct {
	name string
	typ  reflect.Type
}

type compiler struct {
	set   *template.Template
	funcs template.FuncMap
	hook  bool // compile calls of mainHookFunc as the main block
	memo  map[memoKey]*compiledTmpl
	// Of the template being compiled: the variables in scope, and how
	// many slots its frame needs.
	scope  []cvar
	nslots int
}

func (c *compiler) fail(format string, args ...any) {
	panic(compileFail{fmt.Sprintf(format, args...)})
}

// compileTemplate compiles the template name of set for data of type root.
// set must have executed name (html/template escapes a template when it
// first executes it); escape does that. why says what made it fail.
func compileTemplate(set *template.Template, name string, root reflect.Type, funcs template.FuncMap, hook bool) (t *compiledTmpl, why string) {
	c := &compiler{set: set, funcs: funcs, hook: hook, memo: map[memoKey]*compiledTmpl{}}
	defer func() {
		if r := recover(); r != nil {
			// A panic of the compiler's own leaves the template to
			// html/template too: the page does not depend on it.
			f, ok := r.(compileFail)
			if !ok {
				f.why = fmt.Sprintf("the compiler failed: %v", r)
			}
			t, why = nil, f.why
		}
	}()
	return c.template(name, root), ""
}

// escape makes html/template escape the template name of set, by executing
// it with no data into a writer that stops it at its first byte; it
// reports whether html/template could escape it. The template is then
// ready to compile.
func escape(set *template.Template, name string) bool {
	err := set.ExecuteTemplate(stopWriter{}, name, nil)
	var te *template.Error
	if err != nil && (errors.As(err, &te) || strings.HasPrefix(err.Error(), "html/template")) {
		return false
	}
	t := set.Lookup(name)
	return t != nil && t.Tree != nil
}

// stopWriter fails every write.
type stopWriter struct{}

var errStopped = errors.New("stopped")

func (stopWriter) Write([]byte) (int, error) { return 0, errStopped }

func (c *compiler) template(name string, dot reflect.Type) *compiledTmpl {
	k := memoKey{name, dot}
	if t := c.memo[k]; t != nil {
		return t
	}
	if strings.Contains(name, "$htmltemplate_") {
		c.fail("template %q is called in a context of its own", name)
	}
	tt := c.set.Lookup(name)
	if tt == nil || tt.Tree == nil || tt.Tree.Root == nil {
		c.fail("no template %q", name)
	}
	t := &compiledTmpl{root: dot}
	c.memo[k] = t // before its body, which may call it
	scope, nslots := c.scope, c.nslots
	c.scope, c.nslots = []cvar{{name: "$", slot: 0, typ: dot}}, 1
	t.body = c.list(tt.Tree.Root, dot)
	t.nslots = c.nslots
	c.scope, c.nslots = scope, nslots
	return t
}

func (c *compiler) list(l *parse.ListNode, dot reflect.Type) cnode {
	if l == nil {
		return func(*cstate, reflect.Value) flow { return flowNext }
	}
	var nodes []cnode
	for _, n := range l.Nodes {
		if x := c.node(n, dot); x != nil {
			nodes = append(nodes, x)
		}
	}
	switch len(nodes) {
	case 0:
		return func(*cstate, reflect.Value) flow { return flowNext }
	case 1:
		return nodes[0]
	}
	return func(s *cstate, d reflect.Value) flow {
		for _, n := range nodes {
			if f := n(s, d); f != flowNext {
				return f
			}
		}
		return flowNext
	}
}

// scoped compiles l with the variables it declares forgotten after it.
func (c *compiler) scoped(l *parse.ListNode, dot reflect.Type) cnode {
	n := len(c.scope)
	x := c.list(l, dot)
	c.scope = c.scope[:n]
	return x
}

func (c *compiler) node(n parse.Node, dot reflect.Type) cnode {
	switch n := n.(type) {
	case *parse.TextNode:
		text := n.Text
		return func(s *cstate, _ reflect.Value) flow { s.buf.Write(text); return flowNext }
	case *parse.CommentNode:
		return nil
	case *parse.ActionNode:
		return c.action(n, dot)
	case *parse.IfNode:
		return c.ifOrWith(&n.BranchNode, dot, false)
	case *parse.WithNode:
		return c.ifOrWith(&n.BranchNode, dot, true)
	case *parse.RangeNode:
		return c.rangeNode(n, dot)
	case *parse.TemplateNode:
		return c.templateNode(n, dot)
	case *parse.BreakNode:
		return func(*cstate, reflect.Value) flow { return flowBreak }
	case *parse.ContinueNode:
		return func(*cstate, reflect.Value) flow { return flowContinue }
	}
	c.fail("node %s", n)
	return nil
}

func (c *compiler) action(n *parse.ActionNode, dot reflect.Type) cnode {
	p := n.Pipe
	if len(p.Decl) > 0 {
		e, _ := c.pipe(p, dot)
		return func(s *cstate, d reflect.Value) flow {
			if _, ok := e(s, d); !ok {
				return flowBail
			}
			return flowNext
		}
	}
	// The escapers html/template put at the end.
	k := len(p.Cmds)
	for k > 0 && len(p.Cmds[k-1].Args) == 1 && isEscaper(p.Cmds[k-1].Args[0]) {
		k--
	}
	if k == len(p.Cmds) || k == 0 {
		c.fail("an action without escapers: %s", n)
	}
	if c.hook && k == 1 && len(p.Cmds) == 2 && len(p.Cmds[0].Args) == 1 {
		if id, ok := p.Cmds[0].Args[0].(*parse.IdentifierNode); ok && id.Ident == mainHookFunc &&
			p.Cmds[1].Args[0].(*parse.IdentifierNode).Ident == "_html_template_htmlescaper" {
			return func(s *cstate, _ reflect.Value) flow {
				s.mains++
				if s.mains > 1 {
					return flowBail
				}
				s.main()
				return flowNext
			}
		}
	}
	val, typ := c.cmds(p.Cmds[:k], dot)
	var names []string
	for _, cmd := range p.Cmds[k:] {
		names = append(names, cmd.Args[0].(*parse.IdentifierNode).Ident)
	}
	str, ct := c.stringify(typ)
	w := c.escapers(names, ct, typ)
	return func(s *cstate, d reflect.Value) flow {
		v, ok := val(s, d)
		if !ok {
			return flowBail
		}
		sv, ct := str(v)
		w(s.buf, sv, ct)
		return flowNext
	}
}

func isEscaper(n parse.Node) bool {
	id, ok := n.(*parse.IdentifierNode)
	return ok && (strings.HasPrefix(id.Ident, "_html_template_") || id.Ident == "_eval_args_")
}

// stringify returns how a value of type t is made a string for the
// escapers, and its content type when always the same (ctPlain otherwise,
// which the escapers accept with any content type found at run time).
func (c *compiler) stringify(t reflect.Type) (func(reflect.Value) (string, ctype), ctype) {
	if t == nil {
		// An untyped nil is left out of what is printed.
		return func(reflect.Value) (string, ctype) { return "", ctPlain }, ctPlain
	}
	if t == stringType {
		return func(v reflect.Value) (string, ctype) { return v.String(), ctPlain }, ctPlain
	}
	if ct, ok := contentTypes[t]; ok {
		return func(v reflect.Value) (string, ctype) { return v.String(), ct }, ct
	}
	if t.NumMethod() == 0 && (t.Kind() != reflect.Pointer || reflect.PointerTo(t).NumMethod() == 0) {
		switch t.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			return func(v reflect.Value) (string, ctype) { return strconv.FormatInt(v.Int(), 10), ctPlain }, ctPlain
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			return func(v reflect.Value) (string, ctype) { return strconv.FormatUint(v.Uint(), 10), ctPlain }, ctPlain
		case reflect.Bool:
			return func(v reflect.Value) (string, ctype) { return strconv.FormatBool(v.Bool()), ctPlain }, ctPlain
		}
	}
	base := t
	for base.Kind() == reflect.Pointer {
		base = base.Elem()
	}
	if base == reflect.TypeFor[template.HTML]() {
		c.fail("a pointer to template.HTML")
	}
	return func(v reflect.Value) (string, ctype) { return stringifyAny(v.Interface()) }, ctPlain
}

// stringifyAny is html/template's way to make a string of any value: its
// pointers followed to a string or a typed content, or else fmt.Sprint of
// it followed to a Stringer, an error or a value that is not a pointer.
func stringifyAny(a any) (string, ctype) {
	if a == nil {
		return "", ctPlain
	}
	v := reflect.ValueOf(a)
	e := v
	for e.Kind() == reflect.Pointer && !e.IsNil() {
		e = e.Elem()
	}
	if e.Kind() == reflect.String {
		if e.Type() == stringType {
			return e.String(), ctPlain
		}
		if ct, ok := contentTypes[e.Type()]; ok {
			return e.String(), ct
		}
	}
	for !v.Type().Implements(stringerType) && !v.Type().Implements(errorType) && v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	return fmt.Sprint(v.Interface()), ctPlain
}

// escapers returns what writes a value through the escapers names, in
// order. ct is the content type of the value when known.
func (c *compiler) escapers(names []string, ct ctype, t reflect.Type) func(*bytes.Buffer, string, ctype) {
	var stages []func(string, ctype) string
	for i, name := range names {
		if i > 0 {
			ct = ctPlain // an escaper's output is a plain string
		}
		last := i == len(names)-1
		switch name {
		case "_html_template_htmlescaper", "_html_template_rcdataescaper", "_html_template_commentescaper":
		case "_html_template_attrescaper", "_html_template_nospaceescaper":
			if ct == ctHTML {
				c.fail("%s of template.HTML", name)
			}
		case "_html_template_urlfilter", "_html_template_urlnormalizer", "_html_template_urlescaper":
		default:
			c.fail("escaper %s", name)
		}
		if !last {
			switch name {
			case "_html_template_urlfilter":
				stages = append(stages, urlFilterString)
			case "_html_template_urlnormalizer":
				stages = append(stages, func(s string, ct ctype) string { return urlString(s, ct, true) })
			case "_html_template_urlescaper":
				stages = append(stages, func(s string, ct ctype) string { return urlString(s, ct, false) })
			default:
				c.fail("escaper %s before another", name)
			}
		}
	}
	var w func(*bytes.Buffer, string, ctype)
	switch names[len(names)-1] {
	case "_html_template_htmlescaper":
		w = func(b *bytes.Buffer, s string, ct ctype) {
			if ct == ctHTML {
				b.WriteString(s)
				return
			}
			replaceTo(b, s, &htmlTable, true)
		}
	case "_html_template_rcdataescaper":
		w = func(b *bytes.Buffer, s string, ct ctype) {
			if ct == ctHTML {
				replaceTo(b, s, &htmlNormTable, true)
				return
			}
			replaceTo(b, s, &htmlTable, true)
		}
	case "_html_template_attrescaper":
		w = func(b *bytes.Buffer, s string, ct ctype) { replaceTo(b, s, &htmlTable, true) }
	case "_html_template_nospaceescaper":
		w = func(b *bytes.Buffer, s string, ct ctype) {
			if s == "" {
				b.WriteString("ZgotmplZ")
				return
			}
			replaceTo(b, s, &nospaceTable, false)
		}
	case "_html_template_commentescaper":
		w = func(*bytes.Buffer, string, ctype) {}
	case "_html_template_urlfilter":
		w = func(b *bytes.Buffer, s string, ct ctype) { b.WriteString(urlFilterString(s, ct)) }
	case "_html_template_urlnormalizer":
		w = func(b *bytes.Buffer, s string, ct ctype) { urlTo(b, s, true) }
	case "_html_template_urlescaper":
		w = func(b *bytes.Buffer, s string, ct ctype) { urlTo(b, s, ct == ctURL) }
	}
	if len(stages) == 0 {
		return w
	}
	return func(b *bytes.Buffer, s string, ct ctype) {
		for _, st := range stages {
			s = st(s, ct)
			ct = ctPlain
		}
		w(b, s, ct)
	}
}

// escTable is what an escaper replaces: the ASCII characters in repl, and
// which bytes to look at (special).
type escTable struct {
	repl    [0x80]string
	special [256]bool
}

// The characters each escaper replaces: in HTML text and quoted
// attributes; in RCDATA, a template.HTML's (its entities are kept); in an
// unquoted attribute, where bytes from 0x80 are looked at too.
var htmlTable, htmlNormTable, nospaceTable escTable

func init() {
	for _, t := range []*escTable{&htmlTable, &htmlNormTable, &nospaceTable} {
		t.repl[0] = "\uFFFD"
		t.repl['"'] = "&#34;"
		t.repl['&'] = "&amp;"
		t.repl['\''] = "&#39;"
		t.repl['+'] = "&#43;"
		t.repl['<'] = "&lt;"
		t.repl['>'] = "&gt;"
	}
	htmlNormTable.repl['&'] = ""
	nospaceTable.repl[0] = "&#xfffd;"
	for _, c := range "\t\n\v\f\r =`" {
		nospaceTable.repl[c] = "&#" + strconv.Itoa(int(c)) + ";"
	}
	for _, t := range []*escTable{&htmlTable, &htmlNormTable, &nospaceTable} {
		for c, r := range t.repl {
			t.special[c] = r != ""
		}
	}
	for c := 0x80; c < 0x100; c++ {
		nospaceTable.special[c] = true
	}
}

// replaceTo writes s with the characters of t replaced. Unless badRunes,
// the noncharacters U+FDD0–U+FDEF and U+FFF0–U+FFFF, and bytes that are
// not UTF-8, are written as character references.
func replaceTo(b *bytes.Buffer, s string, t *escTable, badRunes bool) {
	last := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !t.special[c] {
			continue
		}
		if c < 0x80 {
			b.WriteString(s[last:i])
			b.WriteString(t.repl[c])
			last = i + 1
			continue
		}
		if badRunes {
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		if 0xfdd0 <= r && r <= 0xfdef || 0xfff0 <= r && r <= 0xffff {
			b.WriteString(s[last:i])
			b.WriteString("&#x")
			b.WriteString(strconv.FormatInt(int64(r), 16))
			b.WriteByte(';')
			last = i + w
		}
		i += w - 1
	}
	b.WriteString(s[last:])
}

func urlFilterString(s string, ct ctype) string {
	if ct == ctURL || safeURL(s) {
		return s
	}
	return "#ZgotmplZ"
}

func urlString(s string, ct ctype, norm bool) string {
	norm = norm || ct == ctURL
	for i := 0; i < len(s); i++ {
		if urlSpecial(s, i, norm) {
			var b bytes.Buffer
			b.Grow(len(s) + 16)
			urlTo(&b, s, norm)
			return b.String()
		}
	}
	return s // nothing to encode
}

// urlSpecial reports whether urlTo encodes the byte at i of s.
func urlSpecial(s string, i int, norm bool) bool {
	c := s[i]
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
		c == '-', c == '.', c == '_', c == '~':
		return false
	case norm && strings.IndexByte("!#$&*+,/:;=?@[]", c) >= 0:
		return false
	case norm && c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
		return false
	}
	return true
}

// urlTo writes s percent-encoded, all but the unreserved characters, and
// when norm, the reserved ones and valid escapes too.
func urlTo(b *bytes.Buffer, s string, norm bool) {
	const hex = "0123456789abcdef"
	last := 0
	for i := 0; i < len(s); i++ {
		if !urlSpecial(s, i, norm) {
			continue
		}
		c := s[i]
		b.WriteString(s[last:i])
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
		last = i + 1
	}
	b.WriteString(s[last:])
}
