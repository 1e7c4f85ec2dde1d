package render

import (
	"fmt"
	"html/template"
	"reflect"
	"strings"
	"text/template/parse"
)

// The pipelines, branches and calls of compiled templates (see tmplc.go).
// Every value has a type known when compiling: the data's, then its
// fields', methods' and functions'. nil stands for no value (the dot of a
// template called without data).

func (c *compiler) declare(name string, t reflect.Type) int {
	slot := c.nslots
	c.nslots++
	c.scope = append(c.scope, cvar{name: name, slot: slot, typ: t})
	return slot
}

func (c *compiler) lookup(name string) cvar {
	for i := len(c.scope) - 1; i >= 0; i-- {
		if c.scope[i].name == name {
			return c.scope[i]
		}
	}
	c.fail("undefined variable %s", name)
	return cvar{}
}

func noInterface(c *compiler, t reflect.Type) {
	if t != nil && t.Kind() == reflect.Interface {
		c.fail("a value of interface type %s", t)
	}
}

// pipe compiles a pipeline with the variables it declares or assigns.
func (c *compiler) pipe(p *parse.PipeNode, dot reflect.Type) (cexpr, reflect.Type) {
	e, t := c.cmds(p.Cmds, dot)
	if len(p.Decl) == 0 {
		return e, t
	}
	var slots []int
	for _, v := range p.Decl {
		if len(v.Ident) != 1 {
			c.fail("declaration of %s", v)
		}
		if p.IsAssign {
			cv := c.lookup(v.Ident[0])
			if cv.typ != t {
				c.fail("%s assigned a value of another type", v)
			}
			slots = append(slots, cv.slot)
		} else {
			slots = append(slots, c.declare(v.Ident[0], t))
		}
	}
	return func(s *cstate, d reflect.Value) (reflect.Value, bool) {
		v, ok := e(s, d)
		if ok {
			for _, sl := range slots {
				s.vars[s.base+sl] = v
			}
		}
		return v, ok
	}, t
}

// cmds compiles commands, each given the value of the one before as its
// last argument.
func (c *compiler) cmds(cmds []*parse.CommandNode, dot reflect.Type) (cexpr, reflect.Type) {
	var (
		e   cexpr
		t   reflect.Type
		has bool
	)
	for _, cmd := range cmds {
		e, t = c.command(cmd, dot, e, t, has)
		has = true
		noInterface(c, t)
	}
	if !has {
		c.fail("an empty pipeline")
	}
	return e, t
}

func (c *compiler) command(cmd *parse.CommandNode, dot reflect.Type, final cexpr, finalT reflect.Type, hasFinal bool) (cexpr, reflect.Type) {
	args := cmd.Args[1:]
	switch n := cmd.Args[0].(type) {
	case *parse.IdentifierNode:
		return c.function(n.Ident, args, dot, final, finalT, hasFinal)
	case *parse.FieldNode:
		if len(args) > 0 || hasFinal {
			c.fail("arguments to %s", n)
		}
		return c.fields(dotExpr, dot, n.Ident)
	case *parse.VariableNode:
		if len(args) > 0 || hasFinal {
			c.fail("arguments to %s", n)
		}
		return c.variable(n)
	}
	if len(args) > 0 || hasFinal {
		c.fail("arguments to %s", cmd.Args[0])
	}
	return c.operand(cmd.Args[0], dot)
}

func dotExpr(_ *cstate, d reflect.Value) (reflect.Value, bool) { return d, true }

func (c *compiler) variable(n *parse.VariableNode) (cexpr, reflect.Type) {
	v := c.lookup(n.Ident[0])
	slot := v.slot
	e := func(s *cstate, _ reflect.Value) (reflect.Value, bool) { return s.vars[s.base+slot], true }
	if len(n.Ident) == 1 {
		return e, v.typ
	}
	return c.fields(e, v.typ, n.Ident[1:])
}

// operand compiles an argument, or a command of one word.
func (c *compiler) operand(n parse.Node, dot reflect.Type) (cexpr, reflect.Type) {
	switch n := n.(type) {
	case *parse.DotNode:
		return dotExpr, dot
	case *parse.FieldNode:
		return c.fields(dotExpr, dot, n.Ident)
	case *parse.VariableNode:
		return c.variable(n)
	case *parse.IdentifierNode:
		return c.function(n.Ident, nil, dot, nil, nil, false)
	case *parse.PipeNode:
		if len(n.Decl) > 0 {
			c.fail("a declaration in parentheses")
		}
		return c.pipe(n, dot)
	case *parse.ChainNode:
		if len(n.Field) == 0 {
			c.fail("chain %s", n)
		}
		e, t := c.operand(n.Node, dot)
		noInterface(c, t)
		return c.fields(e, t, n.Field)
	case *parse.StringNode:
		return constant(reflect.ValueOf(n.Text))
	case *parse.BoolNode:
		return constant(reflect.ValueOf(n.True))
	case *parse.NumberNode:
		return constant(c.idealConstant(n))
	}
	c.fail("operand %s", n)
	return nil, nil
}

func constant(v reflect.Value) (cexpr, reflect.Type) {
	return func(*cstate, reflect.Value) (reflect.Value, bool) { return v, true }, v.Type()
}

// idealConstant is the value of a number where its type is not known: an
// int, or a float64 when it is written as one.
func (c *compiler) idealConstant(n *parse.NumberNode) reflect.Value {
	text := n.Text
	hexInt := len(text) > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X') && !strings.ContainsAny(text, "pP")
	switch {
	case n.IsComplex:
	case n.IsFloat && !hexInt && text[0] != '\'' && strings.ContainsAny(text, ".eEpP"):
		return reflect.ValueOf(n.Float64)
	case n.IsInt && int64(int(n.Int64)) == n.Int64:
		return reflect.ValueOf(int(n.Int64))
	}
	c.fail("number %s", text)
	return reflect.Value{}
}

// fields compiles a chain of field names or methods without arguments from
// the value of recv.
func (c *compiler) fields(recv cexpr, t reflect.Type, names []string) (cexpr, reflect.Type) {
	for _, name := range names {
		recv, t = c.field(recv, t, name)
		noInterface(c, t)
	}
	return recv, t
}

func (c *compiler) field(recv cexpr, t reflect.Type, name string) (cexpr, reflect.Type) {
	if t == nil {
		c.fail("field %s of no value", name)
	}
	base, ptr := t, false
	if base.Kind() == reflect.Pointer {
		base, ptr = base.Elem(), true
		if base.Kind() == reflect.Pointer || base.Kind() == reflect.Interface {
			c.fail("field %s of %s", name, t)
		}
	}
	if m, ok := t.MethodByName(name); ok {
		return c.method(recv, m)
	}
	if _, ok := reflect.PointerTo(base).MethodByName(name); ok {
		// A method of *T on a T, which text/template finds when the T
		// is addressable.
		c.fail("method %s of %s", name, t)
	}
	if base.Kind() != reflect.Struct {
		c.fail("field %s of %s", name, t)
	}
	f, ok := base.FieldByName(name)
	if !ok || !f.IsExported() {
		c.fail("no exported field %s in %s", name, t)
	}
	idx := f.Index
	if len(idx) == 1 {
		i := idx[0]
		if ptr {
			return func(s *cstate, d reflect.Value) (reflect.Value, bool) {
				v, ok := recv(s, d)
				if !ok || v.IsNil() {
					return v, false
				}
				return v.Elem().Field(i), true
			}, f.Type
		}
		return func(s *cstate, d reflect.Value) (reflect.Value, bool) {
			v, ok := recv(s, d)
			if !ok {
				return v, false
			}
			return v.Field(i), true
		}, f.Type
	}
	return func(s *cstate, d reflect.Value) (reflect.Value, bool) {
		v, ok := recv(s, d)
		if !ok {
			return v, false
		}
		if ptr {
			if v.IsNil() {
				return v, false
			}
			v = v.Elem()
		}
		fv, err := v.FieldByIndexErr(idx)
		return fv, err == nil
	}, f.Type
}

// method compiles the call of a method without arguments.
func (c *compiler) method(recv cexpr, m reflect.Method) (cexpr, reflect.Type) {
	mt := m.Type
	if mt.NumIn() != 1 || mt.NumOut() == 0 || mt.NumOut() > 2 || (mt.NumOut() == 2 && mt.Out(1) != errorType) {
		c.fail("method %s of type %s", m.Name, mt)
	}
	fn := m.Func
	return func(s *cstate, d reflect.Value) (reflect.Value, bool) {
		v, ok := recv(s, d)
		if !ok {
			return v, false
		}
		out := fn.Call([]reflect.Value{v})
		if len(out) == 2 && !out[1].IsNil() {
			return reflect.Value{}, false
		}
		return out[0], true
	}, mt.Out(0)
}

// arg is a compiled argument of a function, or its last argument given by
// the command before.
type arg struct {
	e cexpr
	t reflect.Type
	n parse.Node // nil for the one given
}

func (c *compiler) args(nodes []parse.Node, dot reflect.Type, final cexpr, finalT reflect.Type, hasFinal bool) []arg {
	var out []arg
	for _, n := range nodes {
		e, t := c.operand(n, dot)
		out = append(out, arg{e, t, n})
	}
	if hasFinal {
		out = append(out, arg{final, finalT, nil})
	}
	return out
}

// typedArg compiles an argument given to a parameter of type want: a
// constant is made of that type, any other value must be assignable.
func (c *compiler) typedArg(a arg, want reflect.Type) cexpr {
	switch n := a.n.(type) {
	case *parse.StringNode:
		if want.Kind() == reflect.String {
			v := reflect.New(want).Elem()
			v.SetString(n.Text)
			e, _ := constant(v)
			return e
		}
		c.fail("a string for %s", want)
	case *parse.NumberNode, *parse.BoolNode:
		c.fail("a constant for %s", want)
	}
	if a.t == nil || !a.t.AssignableTo(want) {
		c.fail("%v for a parameter of type %s", a.t, want)
	}
	return a.e
}

func (c *compiler) function(name string, nodes []parse.Node, dot reflect.Type, final cexpr, finalT reflect.Type, hasFinal bool) (cexpr, reflect.Type) {
	if f, ok := c.funcs[name]; ok {
		args := c.args(nodes, dot, final, finalT, hasFinal)
		return c.userFunc(name, f, args)
	}
	args := c.args(nodes, dot, final, finalT, hasFinal)
	switch name {
	case "not":
		if len(args) != 1 {
			c.fail("not of %d arguments", len(args))
		}
		a, truth := args[0].e, c.truth(args[0].t)
		return func(s *cstate, d reflect.Value) (reflect.Value, bool) {
			v, ok := a(s, d)
			return reflect.ValueOf(!truth(v)), ok
		}, boolType
	case "and", "or":
		return c.andOr(name == "or", args)
	case "len":
		return c.length(args)
	case "index":
		return c.index(args)
	case "eq", "ne", "lt", "le", "gt", "ge":
		return c.compare(name, args)
	case "print", "printf", "println":
		return c.print(name, args)
	}
	c.fail("function %s", name)
	return nil, nil
}

// userFunc compiles a call of one of the site's functions, of the
// signatures they have.
func (c *compiler) userFunc(name string, f any, args []arg) (cexpr, reflect.Type) {
	switch f := f.(type) {
	case func(string) string:
		if len(args) != 1 {
			break
		}
		a := c.typedArg(args[0], stringType)
		return func(s *cstate, d reflect.Value) (reflect.Value, bool) {
			v, ok := a(s, d)
			if !ok {
				return v, false
			}
			return reflect.ValueOf(f(v.String())), true
		}, stringType
	case func(string) (string, error):
		if len(args) != 1 {
			break
		}
		a := c.typedArg(args[0], stringType)
		return func(s *cstate, d reflect.Value) (reflect.Value, bool) {
			v, ok := a(s, d)
			if !ok {
				return v, false
			}
			r, err := f(v.String())
			return reflect.ValueOf(r), err == nil
		}, stringType
	case func() template.HTML:
		if len(args) != 0 {
			break
		}
		return func(*cstate, reflect.Value) (reflect.Value, bool) { return reflect.ValueOf(f()), true }, reflect.TypeFor[template.HTML]()
	}
	c.fail("function %s of type %T with %d arguments", name, f, len(args))
	return nil, nil
}

// truth is text/template's: a value is true unless it is the zero value of
// a number or a bool, empty, or nil.
func (c *compiler) truth(t reflect.Type) func(reflect.Value) bool {
	if t == nil {
		return func(reflect.Value) bool { return false }
	}
	switch t.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return func(v reflect.Value) bool { return v.Len() > 0 }
	case reflect.Bool:
		return reflect.Value.Bool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return func(v reflect.Value) bool { return v.Int() != 0 }
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return func(v reflect.Value) bool { return v.Uint() != 0 }
	case reflect.Float32, reflect.Float64:
		return func(v reflect.Value) bool { return v.Float() != 0 }
	case reflect.Complex64, reflect.Complex128:
		return func(v reflect.Value) bool { return v.Complex() != 0 }
	case reflect.Chan, reflect.Func, reflect.Pointer, reflect.UnsafePointer:
		return func(v reflect.Value) bool { return !v.IsNil() }
	case reflect.Struct:
		return func(reflect.Value) bool { return true }
	}
	c.fail("truth of %s", t)
	return nil
}

// andOr returns the first argument that is false (and) or true (or), or
// the last; the arguments after it are not evaluated.
func (c *compiler) andOr(or bool, args []arg) (cexpr, reflect.Type) {
	if len(args) < 2 {
		c.fail("and/or of %d arguments", len(args))
	}
	t := args[0].t
	var es []cexpr
	for _, a := range args {
		if a.t != t || t == nil {
			c.fail("and/or of values of different types")
		}
		es = append(es, a.e)
	}
	truth := c.truth(t)
	last := len(es) - 1
	return func(s *cstate, d reflect.Value) (reflect.Value, bool) {
		for i, e := range es {
			v, ok := e(s, d)
			if !ok || i == last || truth(v) == or {
				return v, ok
			}
		}
		panic("not reached")
	}, t
}

func (c *compiler) length(args []arg) (cexpr, reflect.Type) {
	if len(args) != 1 || args[0].t == nil {
		c.fail("len of %d arguments", len(args))
	}
	t, ptr := args[0].t, false
	if t.Kind() == reflect.Pointer {
		t, ptr = t.Elem(), true
	}
	switch t.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
	default:
		c.fail("len of %s", t)
	}
	a := args[0].e
	return func(s *cstate, d reflect.Value) (reflect.Value, bool) {
		v, ok := a(s, d)
		if !ok {
			return v, false
		}
		if ptr {
			if v.IsNil() {
				return v, false
			}
			v = v.Elem()
		}
		return reflect.ValueOf(v.Len()), true
	}, intType
}

func (c *compiler) index(args []arg) (cexpr, reflect.Type) {
	if len(args) != 2 || args[0].t == nil || args[1].t == nil {
		c.fail("index of other than one index")
	}
	t := args[0].t
	if t.Kind() != reflect.Slice && t.Kind() != reflect.Array {
		c.fail("index of %s", t)
	}
	switch args[1].t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
	default:
		c.fail("index of type %s", args[1].t)
	}
	noInterface(c, t.Elem())
	a, i := args[0].e, args[1].e
	return func(s *cstate, d reflect.Value) (reflect.Value, bool) {
		v, ok := a(s, d)
		if !ok {
			return v, false
		}
		x, ok := i(s, d)
		if !ok {
			return x, false
		}
		n := x.Int()
		if n < 0 || n >= int64(v.Len()) {
			return reflect.Value{}, false
		}
		return v.Index(int(n)), true
	}, t.Elem()
}

type basicKind uint8

const (
	badKind basicKind = iota
	boolKind
	intKind
	uintKind
	floatKind
	stringKind
)

func kindOf(t reflect.Type) basicKind {
	if t == nil {
		return badKind
	}
	switch t.Kind() {
	case reflect.Bool:
		return boolKind
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return intKind
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return uintKind
	case reflect.Float32, reflect.Float64:
		return floatKind
	case reflect.String:
		return stringKind
	}
	return badKind
}

// compare compiles eq, ne, lt, le, gt and ge of values of one basic kind.
func (c *compiler) compare(name string, args []arg) (cexpr, reflect.Type) {
	if len(args) < 2 || (name != "eq" && len(args) != 2) {
		c.fail("%s of %d arguments", name, len(args))
	}
	k := kindOf(args[0].t)
	for _, a := range args {
		if kindOf(a.t) != k || k == badKind || (k == boolKind && name != "eq" && name != "ne") {
			c.fail("%s of %v and %v", name, args[0].t, a.t)
		}
	}
	cmp := func(a, b reflect.Value) int {
		switch k {
		case boolKind:
			if a.Bool() == b.Bool() {
				return 0
			}
			return 1
		case intKind:
			return compareOrdered(a.Int(), b.Int())
		case uintKind:
			return compareOrdered(a.Uint(), b.Uint())
		case floatKind:
			return compareOrdered(a.Float(), b.Float())
		}
		return strings.Compare(a.String(), b.String())
	}
	var test func(int) bool
	switch name {
	case "eq":
		test = func(r int) bool { return r == 0 }
	case "ne":
		test = func(r int) bool { return r != 0 }
	case "lt":
		test = func(r int) bool { return r < 0 }
	case "le":
		test = func(r int) bool { return r <= 0 }
	case "gt":
		test = func(r int) bool { return r > 0 }
	case "ge":
		test = func(r int) bool { return r >= 0 }
	}
	es := make([]cexpr, len(args))
	for i, a := range args {
		es[i] = a.e
	}
	return func(s *cstate, d reflect.Value) (reflect.Value, bool) {
		first, ok := es[0](s, d)
		if !ok {
			return first, false
		}
		// eq evaluates every argument, then compares the first with each.
		vs := make([]reflect.Value, len(es)-1)
		for i, e := range es[1:] {
			if vs[i], ok = e(s, d); !ok {
				return vs[i], false
			}
		}
		for _, v := range vs {
			if test(cmp(first, v)) {
				return reflect.ValueOf(true), true
			}
		}
		return reflect.ValueOf(false), true
	}, boolType
}

func compareOrdered[T int64 | uint64 | float64](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	case a == b:
		return 0
	}
	return 2 // NaN: no order, not equal
}

func (c *compiler) print(name string, args []arg) (cexpr, reflect.Type) {
	es := make([]cexpr, len(args))
	for i, a := range args {
		es[i] = a.e
	}
	if name == "printf" && (len(args) == 0 || args[0].t != stringType) {
		c.fail("printf without a format")
	}
	return func(s *cstate, d reflect.Value) (reflect.Value, bool) {
		vs := make([]any, len(es))
		for i, e := range es {
			v, ok := e(s, d)
			if !ok {
				return v, false
			}
			if v.IsValid() {
				vs[i] = v.Interface()
			}
		}
		var out string
		switch name {
		case "print":
			out = fmt.Sprint(vs...)
		case "println":
			out = fmt.Sprintln(vs...)
		default:
			out = fmt.Sprintf(vs[0].(string), vs[1:]...)
		}
		return reflect.ValueOf(out), true
	}, stringType
}

func (c *compiler) ifOrWith(b *parse.BranchNode, dot reflect.Type, with bool) cnode {
	mark := len(c.scope)
	var (
		e    cexpr
		t    reflect.Type
		cond func(*cstate, reflect.Value) (bool, bool)
	)
	if with {
		e, t = c.pipe(b.Pipe, dot)
	} else {
		cond = c.cond(b.Pipe, dot)
	}
	inner := dot
	if with {
		inner = t
	}
	list := c.scoped(b.List, inner)
	var els cnode
	if b.ElseList != nil {
		els = c.scoped(b.ElseList, dot)
	}
	c.scope = c.scope[:mark]
	if !with {
		return func(s *cstate, d reflect.Value) flow {
			truth, ok := cond(s, d)
			if !ok {
				return flowBail
			}
			if truth {
				return list(s, d)
			}
			if els != nil {
				return els(s, d)
			}
			return flowNext
		}
	}
	truth := c.truth(t)
	return func(s *cstate, d reflect.Value) flow {
		v, ok := e(s, d)
		if !ok {
			return flowBail
		}
		if truth(v) {
			return list(s, v)
		}
		if els != nil {
			return els(s, d)
		}
		return flowNext
	}
}

func (c *compiler) rangeNode(r *parse.RangeNode, dot reflect.Type) cnode {
	mark := len(c.scope)
	p := r.Pipe
	e, t := c.cmds(p.Cmds, dot)
	if p.IsAssign || len(p.Decl) > 2 || t == nil {
		c.fail("range %s", p)
	}
	var elem reflect.Type
	switch {
	case t.Kind() == reflect.Slice || t.Kind() == reflect.Array:
		elem = t.Elem()
	case t == intType && len(p.Decl) < 2:
		elem = t
	default:
		c.fail("range over %s", t)
	}
	noInterface(c, elem)
	slotI, slotE := -1, -1
	switch len(p.Decl) {
	case 1:
		slotE = c.declare(p.Decl[0].Ident[0], elem)
	case 2:
		slotI = c.declare(p.Decl[0].Ident[0], intType)
		slotE = c.declare(p.Decl[1].Ident[0], elem)
	}
	body := c.scoped(r.List, elem)
	c.scope = c.scope[:mark]
	// Without an element, the variables hold the value ranged over.
	var elseSlots []int
	for _, v := range p.Decl {
		elseSlots = append(elseSlots, c.declare(v.Ident[0], t))
	}
	var els cnode
	if r.ElseList != nil {
		els = c.scoped(r.ElseList, dot)
	}
	c.scope = c.scope[:mark]
	isInt := t == intType
	return func(s *cstate, d reflect.Value) flow {
		v, ok := e(s, d)
		if !ok {
			return flowBail
		}
		var n int
		if isInt {
			n = int(v.Int())
		} else {
			n = v.Len()
		}
		if n <= 0 {
			if els == nil {
				return flowNext
			}
			for _, sl := range elseSlots {
				s.vars[s.base+sl] = v
			}
			// A {{break}} of an outer range in the else list ends
			// this range only: text/template's walkRange recovers
			// it, and the outer range's body goes on.
			if f := els(s, d); f != flowBreak {
				return f
			}
			return flowNext
		}
		for i := range n {
			var x reflect.Value
			if isInt {
				x = reflect.ValueOf(i)
			} else {
				x = v.Index(i)
			}
			if slotI >= 0 {
				s.vars[s.base+slotI] = reflect.ValueOf(i)
			}
			if slotE >= 0 {
				s.vars[s.base+slotE] = x
			}
			switch body(s, x) {
			case flowBail:
				return flowBail
			case flowBreak:
				return flowNext
			}
		}
		return flowNext
	}
}

func (c *compiler) templateNode(n *parse.TemplateNode, dot reflect.Type) cnode {
	var (
		e cexpr
		t reflect.Type
	)
	if n.Pipe == nil {
		e = func(*cstate, reflect.Value) (reflect.Value, bool) { return reflect.Value{}, true }
	} else {
		if len(n.Pipe.Decl) > 0 {
			c.fail("a declaration in a template call")
		}
		e, t = c.pipe(n.Pipe, dot)
	}
	callee := c.template(n.Name, t)
	return func(s *cstate, d reflect.Value) flow {
		v, ok := e(s, d)
		if !ok {
			return flowBail
		}
		return callee.call(s, v)
	}
}

// cond compiles a pipeline of which only the truth matters, as {{if}}'s:
// "and", "or" and "not" there may then be given values of several types.
func (c *compiler) cond(p *parse.PipeNode, dot reflect.Type) func(*cstate, reflect.Value) (bool, bool) {
	if len(p.Decl) == 0 && len(p.Cmds) == 1 {
		args := p.Cmds[0].Args
		if id, ok := args[0].(*parse.IdentifierNode); ok && c.funcs[id.Ident] == nil {
			switch name := id.Ident; name {
			case "and", "or", "not":
				var parts []func(*cstate, reflect.Value) (bool, bool)
				for _, a := range args[1:] {
					if sub, ok := a.(*parse.PipeNode); ok {
						if len(sub.Decl) > 0 {
							c.fail("a declaration in parentheses")
						}
						parts = append(parts, c.cond(sub, dot))
						continue
					}
					e, t := c.operand(a, dot)
					noInterface(c, t)
					truth := c.truth(t)
					parts = append(parts, func(s *cstate, d reflect.Value) (bool, bool) {
						v, ok := e(s, d)
						return ok && truth(v), ok
					})
				}
				if name == "not" {
					if len(parts) != 1 {
						c.fail("not of %d arguments", len(parts))
					}
					return func(s *cstate, d reflect.Value) (bool, bool) {
						t, ok := parts[0](s, d)
						return !t, ok
					}
				}
				if len(parts) < 2 {
					c.fail("%s of %d arguments", name, len(parts))
				}
				or := name == "or"
				return func(s *cstate, d reflect.Value) (bool, bool) {
					var t, ok bool
					for _, part := range parts {
						if t, ok = part(s, d); !ok || t == or {
							return t, ok
						}
					}
					return t, ok
				}
			}
		}
	}
	e, t := c.pipe(p, dot)
	truth := c.truth(t)
	return func(s *cstate, d reflect.Value) (bool, bool) {
		v, ok := e(s, d)
		return ok && truth(v), ok
	}
}
