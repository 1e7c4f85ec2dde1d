package render

import (
	"bytes"
	"html/template"
	"reflect"
	"sync/atomic"
)

// compiledSets are a build's layouts compiled (see tmplc.go), where
// execute and summaryHTML would execute them with html/template; nil
// where they could not be compiled.
type compiledSets struct {
	pages    map[string]*compiledTmpl // base.html of each kind's set
	mains    map[string]*compiledTmpl // "main" of fastTheme.mainTmpl, by kind
	frame    *compiledTmpl            // fastTheme.frameTmpl, with the Go main at its marker
	partials map[string]*compiledTmpl // the summaries' partials, by name
	// why says why a template was not compiled, by a name of its use
	// ("page list.html", "main post.html", "frame", "partial …").
	why map[string]string
}

// tmplcStats count the pages compiled templates wrote, and those they
// stopped (html/template then executed them), for tests.
var tmplcStats struct{ ran, stopped atomic.Int64 }

var (
	dataType    = reflect.TypeFor[*Data]()
	summaryType = reflect.TypeFor[*Summary]()
)

// compileLayouts compiles the templates execute and summaryHTML use, once
// a build, after the layouts are parsed and fast is set.
func (r *renderer) compileLayouts() {
	c := &compiledSets{pages: map[string]*compiledTmpl{}, mains: map[string]*compiledTmpl{}, partials: map[string]*compiledTmpl{}, why: map[string]string{}}
	r.compiled = c
	funcs := r.funcs()
	compile := func(use string, set *template.Template, name string, root reflect.Type, hook bool) *compiledTmpl {
		if set == nil {
			return nil
		}
		if !escape(set, name) {
			c.why[use] = "html/template does not escape it"
			return nil
		}
		fm := funcs
		if hook {
			fm = template.FuncMap{mainHookFunc: func() template.HTML { return mainMarker }}
			for k, v := range funcs {
				fm[k] = v
			}
		}
		t, why := compileTemplate(set, name, root, fm, hook)
		if t == nil {
			c.why[use] = why
		}
		return t
	}
	f := r.fast
	for _, k := range kinds {
		if f != nil && f.frame && f.mains[k] {
			continue // written by Go
		}
		if f != nil && f.frame && f.mainTmpl[k] != nil {
			if t := compile("main "+k, f.mainTmpl[k], "main", dataType, false); t != nil {
				c.mains[k] = t
			}
		}
		if t := compile("page "+k, r.tmpl[k], baseLayout, dataType, false); t != nil {
			c.pages[k] = t
		}
	}
	if f != nil && f.frameTmpl != nil {
		c.frame = compile("frame", f.frameTmpl, baseLayout, dataType, true)
	}
	if r.holdSums && (f == nil || !f.summaries) {
		for _, name := range summaryFiles {
			set := r.tmpl[kinds[0]]
			if set.Lookup(name) == nil {
				continue
			}
			if t := compile("partial "+name, set, name, summaryType, false); t != nil {
				c.partials[name] = t
			}
		}
	}
}

// run executes t for data into buf, and reports whether it wrote the page;
// when it did not, buf is as it was.
func (c *compiledSets) run(t *compiledTmpl, buf *bytes.Buffer, data any, main func()) bool {
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
