package render

import (
	"bytes"
	"html/template"
	"reflect"
	"sync"
	"sync/atomic"
)

// compiledSets are a build's layouts compiled (see tmplc.go), where
// execute and summaryHTML would execute them with html/template. Each is
// compiled when a page first needs it: a rebuild that makes few pages
// again compiles only their layouts.
type compiledSets struct {
	pages    map[string]*lazyTmpl // base.html of each kind's set
	mains    map[string]*lazyTmpl // "main" of fastTheme.mainTmpl, by kind
	frame    *lazyTmpl            // fastTheme.frameTmpl, with the Go main at its marker
	partials map[string]*lazyTmpl // the summaries' partials, by name
}

// lazyTmpl is a template compiled on first use; t is nil when it could not
// be, and why says why.
type lazyTmpl struct {
	once    sync.Once
	compile func() (*compiledTmpl, string)
	t       *compiledTmpl
	why     string
}

func (l *lazyTmpl) get() *compiledTmpl {
	if l == nil {
		return nil
	}
	l.once.Do(func() {
		l.t, l.why = l.compile()
		l.compile = nil
	})
	return l.t
}

// tmplcStats count the pages compiled templates wrote, and those they
// stopped (html/template then executed them), for tests.
var tmplcStats struct{ ran, stopped atomic.Int64 }

var (
	dataType    = reflect.TypeFor[*Data]()
	summaryType = reflect.TypeFor[*Summary]()
)

// compileLayouts prepares the compiling of the templates execute and
// summaryHTML use, after the layouts are parsed and fast is set.
func (r *renderer) compileLayouts() {
	c := &compiledSets{pages: map[string]*lazyTmpl{}, mains: map[string]*lazyTmpl{}, partials: map[string]*lazyTmpl{}}
	r.compiled = c
	funcs := r.funcs()
	lazy := func(set *template.Template, name string, root reflect.Type, hook bool) *lazyTmpl {
		return &lazyTmpl{compile: func() (*compiledTmpl, string) {
			// html/template escapes the set when it first executes
			// it; the compiler reads the escaped tree.
			if !escape(set, name) {
				return nil, "html/template does not escape it"
			}
			fm := funcs
			if hook {
				fm = template.FuncMap{mainHookFunc: func() template.HTML { return mainMarker }}
				for k, v := range funcs {
					fm[k] = v
				}
			}
			return compileTemplate(set, name, root, fm, hook)
		}}
	}
	f := r.fast
	for _, k := range kinds {
		if f != nil && f.frame && f.mains[k] || r.tmpl[k] == nil {
			continue // written by Go
		}
		if f != nil && f.frame && f.mainTmpl[k] != nil {
			c.mains[k] = lazy(f.mainTmpl[k], "main", dataType, false)
		}
		c.pages[k] = lazy(r.tmpl[k], baseLayout, dataType, false)
	}
	if f != nil && f.frameTmpl != nil {
		c.frame = lazy(f.frameTmpl, baseLayout, dataType, true)
	}
	if set := r.tmpl[kinds[0]]; r.holdSums && (f == nil || !f.summaries) && set != nil {
		for _, name := range summaryFiles {
			if set.Lookup(name) != nil {
				c.partials[name] = lazy(set, name, summaryType, false)
			}
		}
	}
}

// run executes the template of l for data into buf, and reports whether it
// wrote the page; when it did not, buf is as it was.
func (c *compiledSets) run(l *lazyTmpl, buf *bytes.Buffer, data any, main func()) bool {
	t := l.get()
	if t == nil {
		return false
	}
	start := buf.Len()
	if t.execute(buf, data, main) {
		tmplcStats.ran.Add(1)
		return true
	}
	tmplcStats.stopped.Add(1)
	buf.Truncate(start)
	return false
}
