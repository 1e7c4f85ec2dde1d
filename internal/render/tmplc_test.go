package render

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"os"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/congxa/congxa"
	"github.com/congxa/congxa/internal/content"
	"github.com/congxa/congxa/internal/site"
)

// tcData is the data of the crafted templates: a value of every kind the
// compiler handles, and of some it leaves to html/template.
type tcData struct {
	S, Empty string
	N        int
	I8       int8
	U        uint
	F        float64
	B        bool
	H        template.HTML
	URL      template.URL
	JS       template.JS
	JSStr    template.JSStr
	CSS      template.CSS
	Attr     template.HTMLAttr
	Srcset   template.Srcset
	T        time.Time
	Temp     celsius
	P, Nil   *tcData
	PS       *string
	PH       *template.HTML
	L, NoL   []string
	Links    []Link
	Ptrs     []*Link
	Arr      [2]int
	M        map[string]string
	Any      any
	Fn       func() string
	//lint:ignore U1000 an unexported field, which a template names to fail
	unexposed string
}

type celsius float64

func (c celsius) String() string { return fmt.Sprintf("%.1f°C", float64(c)) }

func (d *tcData) Upper() string            { return strings.ToUpper(d.S) }
func (d *tcData) Fails() (string, error)   { return "", errors.New("không được") }
func (d *tcData) Maybe() (*tcData, error)  { return d.P, nil }
func (d *tcData) WithArg(s string) string  { return s }
func (l Link) Both() string                { return l.Label + "→" + l.URL }
func (d *tcData) PanicOnNil() string       { return d.S }
func (d *tcData) Self() *tcData            { return d }
func (d *tcData) Count() (int, error)      { return len(d.L), nil }
func (d *tcData) Nothing() (string, error) { return "", nil }

func tcValues(s string) []*tcData {
	str := s
	h := template.HTML("<b>" + s + "</b>")
	full := &tcData{
		S: s, N: 3, I8: -8, U: 7, F: 2.5, B: true,
		H: h, URL: template.URL("https://vi.wikipedia.org/wiki/" + s), JS: template.JS("x<" + s), JSStr: template.JSStr(s),
		CSS: template.CSS("color:red;" + s), Attr: template.HTMLAttr(`title="` + s + `"`), Srcset: template.Srcset("a.png 1x, " + s),
		T:    time.Date(2024, 3, 28, 8, 53, 45, 0, time.FixedZone("ICT", 7*3600)),
		Temp: 36.6,
		PS:   &str, PH: &h,
		L:     []string{"một", s, "<ba>", ""},
		Links: []Link{{Label: "Trang chủ", URL: "/"}, {Label: s, URL: s}, {Label: "x", URL: "javascript:alert(1)"}},
		Ptrs:  []*Link{{Label: "A&B", URL: "/a?b=c&d"}, nil},
		Arr:   [2]int{4, 5},
		M:     map[string]string{"k": s, "a": "1"},
		Any:   s,
		Fn:    func() string { return s },
	}
	full.P = &tcData{S: "con " + s, N: 1, Links: []Link{{Label: "l", URL: "/l"}}}
	return []*tcData{
		full,
		{S: s},
		{},
		{S: s, N: -1, U: 0, F: -0.5, B: false, P: full, L: []string{s}},
	}
}

var tcStrings = []string{
	"Ủy ban nhân dân xã", `<script>alert("x")</script>`, `a & b ' " + = ` + "`", "javascript:alert(1)", "JaVaScRiPt:x",
	"mailto:ubnd@xa.gov.vn", "/tin-tuc/?q=a b&c=d#e", "%41%zz%4", "\x00nul", "bad\xffutf8\xc3", "\ufdd0\uffff\ufffd",
	"tab\there\nnew\rline\v\f", "", "http://[::1]:80/x y", "café", "100%",
}

func tcFuncs() template.FuncMap {
	return template.FuncMap{
		"url":    func(p string) string { return "/goc" + p },
		"absurl": func(p string) string { return "https://xa.gov.vn/goc" + p },
		"asset": func(name string) (string, error) {
			if name == "missing" {
				return "", fmt.Errorf("no asset %q in assets/", name)
			}
			return "/goc/" + name + "?h=1", nil
		},
		"upper": strings.ToUpper,
		"dict":  dict,
	}
}

// tcTemplates are crafted templates: compiles says whether the compiler
// must compile them (false: it must leave them to html/template).
var tcTemplates = []struct {
	name, src string
	compiles  bool
}{
	{"text", `<p>{{.S}}</p>{{.Empty}}`, true},
	{"attr quoted", `<a title="{{.S}}" class='c {{.S}}'>x</a>`, true},
	{"attr unquoted", `<input value={{.S}} name=q{{.N}}>`, true},
	{"url attr", `<a href="{{.S}}">x</a><img src="{{.S}}">`, true},
	{"url attr unquoted", `<a href={{.S}}>x</a>`, true},
	{"url query", `<a href="/tim-kiem/?q={{.S}}&amp;n={{.N}}">x</a>`, true},
	{"url path part", `<a href="/tin-tuc/{{.S}}/">x</a>`, true},
	{"url typed", `<a href="{{.URL}}">{{.URL}}</a><a href="/x?{{.URL}}">y</a>`, true},
	{"rcdata", `<title>{{.S}} {{.H}}</title><textarea>{{.S}}{{.H}}</textarea>`, true},
	{"comment", `<p>a<!-- {{.S}} -->b</p>`, true},
	{"typed in text", `<p>{{.H}}|{{.JS}}|{{.JSStr}}|{{.CSS}}|{{.Attr}}|{{.Srcset}}|{{.URL}}</p>`, true},
	{"typed in attr", `<a title="{{.JS}}|{{.CSS}}|{{.Attr}}|{{.URL}}">x</a>`, true},
	{"numbers", `<p>{{.N}} {{.I8}} {{.U}} {{.F}} {{.B}} {{.Arr}}</p><a data-n="{{.N}}" href="/p/{{.N}}">x</a>`, true},
	{"stringers", `<p>{{.T}} {{.Temp}}</p><a title="{{.T}}">x</a>`, true},
	{"pointers", `<p>{{.PS}}|{{.Nil}}|{{.Ptrs}}|{{.L}}|{{.Links}}</p>`, true},
	{"struct", `<p>{{.P}}</p>`, true},
	{"methods", `<p>{{.Upper}} {{.Self.S}} {{.Maybe}} {{.Count}} {{.Nothing}}</p>`, true},
	{"value method", `{{range .Links}}<p>{{.Both}}</p>{{end}}`, true},
	{"if", `{{if .S}}có{{else if .N}}n{{else}}không{{end}}|{{if not .B}}!b{{end}}|{{if .Nil}}nil{{end}}|{{if .L}}l{{end}}|{{if .F}}f{{end}}|{{if .U}}u{{end}}|{{if .P}}p{{end}}|{{if .Arr}}arr{{end}}|{{if .T}}t{{end}}`, true},
	{"with", `{{with .P}}<b>{{.S}}</b>{{else}}none{{end}}{{with .Empty}}x{{else with .S}}[{{.}}]{{end}}`, true},
	{"range", `<ul>{{range .L}}<li>{{.}}</li>{{else}}<li>trống</li>{{end}}</ul>{{range .NoL}}x{{else}}rỗng{{end}}`, true},
	{"range vars", `{{range $i, $l := .Links}}<a href="{{$l.URL}}" data-i="{{$i}}">{{$.S}}{{$l.Label}}</a>{{end}}{{range $e := .L}}{{$e}};{{end}}`, true},
	{"range else vars", `{{range $e := .NoL}}{{$e}}{{else}}{{len $e}}{{end}}`, true},
	{"range int", `{{range 3}}{{.}},{{end}}{{range $i := .N}}[{{$i}}]{{end}}`, true},
	{"break continue", `{{range $i, $e := .L}}{{if eq $i 1}}{{continue}}{{end}}{{if eq $i 2}}{{break}}{{end}}<{{$e}}>{{end}}`, true},
	{"nested range", `{{range .Links}}{{$u := .URL}}{{range $.L}}{{$u}}={{.}};{{end}}{{end}}`, true},
	{"variables", `{{$x := .S}}{{$x}}{{$x = "b"}}{{$x}}{{$n := 1}}{{if .S}}{{$n = 2}}{{end}}{{$n}}{{with $y := .N}}{{$y}}{{end}}`, true},
	{"template", `{{define "a"}}<b title="{{.}}">{{.}}</b>{{end}}{{template "a" .S}}{{template "a" .Empty}}{{block "b" .}}{{.N}}{{end}}{{template "c"}}{{define "c"}}[{{.}}]{{end}}`, true},
	{"template dollar", `{{define "a"}}{{$.Label}}|{{.URL}}{{end}}{{range .Links}}{{template "a" .}}{{end}}`, true},
	{"recursion", `{{define "r"}}{{if .}}{{.S}}/{{template "r" .P}}{{end}}{{end}}{{template "r" .}}`, true},
	{"funcs", `<p>{{url .S}} {{upper .S}} {{absurl "/x"}}</p><a href="{{url "/tin-tuc/"}}">{{asset "css/site.css"}}</a><link href="{{asset "css/site.css"}}">`, true},
	{"pipelines", `{{.S | upper}} {{.S | printf "%s-%d" "x" | upper}} {{"/a b" | url}} {{.S | url | upper}}`, true},
	{"print", `{{print .S .N .F .P .Nil}} {{printf "%05.1f %q %v" .F .S .L}} {{println .N 1.5 2 'a'}} {{print}} {{print "x" 1e3 0x10 1_000}}`, true},
	{"len index", `{{len .S}} {{len .L}} {{len .Links}} {{len .Arr}} {{index .L 1}} {{index .Arr 0}} {{(index .Links 1).Label}} {{len .M}}`, true},
	{"compare", `{{eq .N 3}} {{eq .S "a" "b" .S}} {{ne .N 4}} {{lt .N 5}} {{le .F 2.5}} {{gt .U .U}} {{gt .N 2}} {{ge .S "m"}} {{eq .B true}} {{lt .I8 .N}} {{if eq .N 1 2 3}}in{{end}} {{.N | eq 3}}`, true},
	{"and or", `{{and .S .Empty}}|{{or .Empty .S}}|{{and .N .N}}|{{or .P .Nil}}|{{if and .S (not .Empty)}}yes{{end}}|{{if or (eq .N 3) (eq .N 4)}}34{{end}}|{{if and .S .N (or .Nil .L)}}mixed{{end}}|{{if not (and .S .Nil)}}n{{end}}`, true},
	{"parens", `{{(.Self).S}} {{(upper .S) | printf "%s!"}}`, true},
	{"whitespace", "{{- .S -}}\n  <p>\n{{- range .L}}\n  {{.}}\n{{- end}}</p>", true},
	{"errors nil", `<p>{{.S}}</p>{{.Nil.S}}`, true},
	{"errors method", `<p>{{.S}}</p>{{.Fails}}`, true},
	{"errors func", `<p>{{.S}}</p>{{asset "missing"}}`, true},
	{"errors index", `{{index .L 10}}`, true},
	{"errors nil method", `{{.Nil.PanicOnNil}}`, true},
	{"html in attr", `<a title="{{.H}}">x</a>`, false},
	{"html in unquoted attr", `<a title={{.H}}>x</a>`, false},
	{"pointer to html", `<p>{{.PH}}</p>`, false},
	{"script", `<script>var x = {{.S}};</script>`, false},
	{"js string", `<script>var x = "{{.S}}";</script>`, false},
	{"js attr", `<a onclick="f({{.S}})">x</a>`, false},
	{"style", `<style>p { color: {{.S}} }</style>`, false},
	{"style attr", `<p style="color: {{.S}}">x</p>`, false},
	{"srcset", `<img srcset="{{.S}}">`, false},
	{"attr name", `<a {{.Attr}}>x</a>`, false},
	{"range map", `{{range $k, $v := .M}}{{$k}}={{$v}}{{end}}`, false},
	{"map field", `{{.M.k}}`, false},
	{"interface", `{{.Any}}`, false},
	{"call", `{{call .Fn}}`, false},
	{"slice", `{{slice .L 1}}`, false},
	{"html func", `{{html .S}}`, false},
	{"urlquery", `<a href="/?q={{urlquery .S}}">x</a>`, false},
	{"dict", `{{define "d"}}{{.a}}{{end}}{{template "d" dict "a" .S}}`, false},
	{"method with argument", `{{.WithArg "x"}}`, false},
	{"mixed comparison", `{{eq .N .S}}`, false},
	{"int and uint", `{{gt .U 6}}`, false},
	{"and of types printed", `{{and .S .N}}`, false},
	{"unexported", `{{.unexposed}}`, false},
	{"derived context", `{{define "a"}}{{.}}{{end}}<a title="{{template "a" .S}}">x</a>`, false},
	{"assign other type", `{{$x := .S}}{{$x = .N}}{{$x}}`, false},
}

// tcRun executes the template t of set for data as render does: compiled,
// and when it stops or cannot be compiled, by html/template.
func tcRun(t *testing.T, set *template.Template, c *compiledTmpl, data any) (string, error, bool) {
	t.Helper()
	var buf bytes.Buffer
	buf.WriteString("trước|")
	if c != nil && c.execute(&buf, data, nil) {
		return buf.String(), nil, true
	}
	if !strings.HasPrefix(buf.String(), "trước|") {
		t.Fatalf("a compiled template that stopped wrote over what was before")
	}
	buf.Truncate(len("trước|"))
	err := set.ExecuteTemplate(&buf, "t", data)
	return buf.String(), err, false
}

func tcCompile(t *testing.T, src string) (*template.Template, *compiledTmpl, string) {
	t.Helper()
	set, err := template.New("t").Funcs(tcFuncs()).Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	if !escape(set, "t") {
		return set, nil, "not escaped"
	}
	c, why := compileTemplate(set, "t", reflect.TypeFor[*tcData](), tcFuncs(), false)
	return set, c, why
}

// TestCompiledEqualsTemplates executes crafted templates compiled and by
// html/template, on data of every kind with hostile strings: the same
// bytes, or the same error.
func TestCompiledEqualsTemplates(t *testing.T) {
	for _, tc := range tcTemplates {
		t.Run(tc.name, func(t *testing.T) {
			set, c, why := tcCompile(t, tc.src)
			if (c != nil) != tc.compiles {
				t.Fatalf("compiled: %v, want %v (%s)", c != nil, tc.compiles, why)
			}
			ran := 0
			for _, s := range tcStrings {
				for _, d := range tcValues(s) {
					var want bytes.Buffer
					want.WriteString("trước|")
					werr := set.ExecuteTemplate(&want, "t", d)
					got, gerr, compiled := tcRun(t, set, c, d)
					if compiled {
						ran++
					}
					if (werr == nil) != (gerr == nil) || (werr != nil && werr.Error() != gerr.Error()) {
						t.Fatalf("S=%q: errors differ: html/template %v, compiled %v", s, werr, gerr)
					}
					if c != nil && !compiled && werr == nil {
						t.Fatalf("S=%q: the compiled template stopped where html/template does not fail", s)
					}
					if compiled && werr != nil {
						t.Fatalf("S=%q: compiled wrote a page where html/template fails: %v", s, werr)
					}
					if werr == nil && got != want.String() {
						t.Fatalf("S=%q: output differs:\nhtml/template: %s\ncompiled:      %s", s, want.String(), got)
					}
				}
			}
			if tc.compiles && !strings.HasPrefix(tc.name, "errors") && ran == 0 {
				t.Error("the compiled template never wrote a page")
			}
		})
	}
}

// FuzzCompiled compares compiled and html/template on strings in every
// context the compiler handles.
func FuzzCompiled(f *testing.F) {
	for _, s := range tcStrings {
		f.Add(s)
	}
	var src strings.Builder
	for _, tc := range tcTemplates {
		if tc.compiles && !strings.HasPrefix(tc.name, "errors") && !strings.Contains(tc.src, "define") {
			src.WriteString(tc.src)
		}
	}
	var set *template.Template
	var c *compiledTmpl
	f.Fuzz(func(t *testing.T, s string) {
		if set == nil {
			var why string
			if set, c, why = tcCompile(t, src.String()); c == nil {
				t.Fatalf("not compiled: %s", why)
			}
		}
		// The value with every field set, which no part of the template
		// fails on.
		for _, d := range tcValues(s)[:1] {
			var want bytes.Buffer
			want.WriteString("trước|")
			werr := set.ExecuteTemplate(&want, "t", d)
			got, gerr, compiled := tcRun(t, set, c, d)
			if !compiled {
				t.Fatalf("S=%q: the compiled template stopped (html/template: %v)", s, werr)
			}
			if (werr == nil) != (gerr == nil) {
				t.Fatalf("errors differ: %v, %v", werr, gerr)
			}
			if got != want.String() {
				t.Fatalf("S=%q: output differs:\nhtml/template: %s\ncompiled:      %s", s, want.String(), got)
			}
		}
	})
}

// TestCompiledTheme: every layout of the default theme compiles, for
// every kind of page and the summaries.
func TestCompiledTheme(t *testing.T) {
	c, diags := content.Load(os.DirFS("../.."), congxa.Theme(), content.Options{Now: fastNow})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	s, diags := site.Build(c, site.Options{Now: fastNow})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	r, diags := prepare(context.Background(), s, &Cache{}, false, options{templates: true})
	if r == nil {
		t.Fatal(diags)
	}
	for _, k := range kinds {
		if l := r.compiled.pages[k]; l.get() == nil {
			t.Errorf("%s not compiled: %s", k, l.why)
		}
	}
	for _, name := range summaryFiles {
		if l := r.compiled.partials[name]; l.get() == nil {
			t.Errorf("%s not compiled: %s", name, l.why)
		}
	}
}

// TestCompiledOwnLayouts: a site's own layouts are compiled where
// html/template would execute them, and write the pages; a frame that
// shows the main block other than once as HTML text stops, for
// html/template to execute the page.
func TestCompiledOwnLayouts(t *testing.T) {
	want := map[string]struct {
		part    string // what must be compiled: "frame", "main KIND" or "page KIND"; "none" for no frame
		stopped bool   // pages are stopped and executed by html/template
	}{
		"own-post":          {part: "main post.html"},
		"own-base":          {part: "frame"},
		"own-base-and-post": {part: "page post.html"},
		"own-list":          {part: "main list.html"},
		"base-main-twice":   {part: "frame", stopped: true},
		// main in RCDATA: html/template makes a copy of it for that
		// context, which is not compiled.
		"base-main-in-textarea": {part: "none"},
		"base-main-in-script":   {part: "frame"},
		"base-without-main":     {part: "frame", stopped: true},
	}
	for _, v := range ownLayouts(t) {
		w, ok := want[v.name]
		if !ok {
			continue
		}
		t.Run(v.name, func(t *testing.T) {
			fsys := hostileSite(false).(fstest.MapFS)
			for name, data := range v.files {
				fsys[name] = &fstest.MapFile{Data: []byte(data), Mode: 0o644, ModTime: fastNow}
			}
			s := modelAt(t, fsys)
			r, diags := prepare(context.Background(), s, &Cache{}, false, options{})
			if r == nil {
				t.Fatal(diags)
			}
			cs := r.compiled
			var got *lazyTmpl
			switch kind, _ := strings.CutPrefix(w.part, "main "); {
			case w.part == "none":
				if cs.frame.get() != nil {
					t.Fatal("frame compiled")
				}
				return
			case w.part == "frame":
				got = cs.frame
			case strings.HasPrefix(w.part, "main "):
				got = cs.mains[kind]
			default:
				got = cs.pages[strings.TrimPrefix(w.part, "page ")]
			}
			if got.get() == nil {
				t.Fatalf("%s not compiled: %v", w.part, got.why)
			}
			ran, stopped := tmplcStats.ran.Load(), tmplcStats.stopped.Load()
			if _, diags := Render(context.Background(), s, nil); diags.HasErrors() {
				t.Fatal(diags)
			}
			ran, stopped = tmplcStats.ran.Load()-ran, tmplcStats.stopped.Load()-stopped
			if w.stopped != (stopped > 0) {
				t.Errorf("%d pages stopped", stopped)
			}
			if !w.stopped && ran == 0 {
				t.Error("no page written compiled")
			}
		})
	}
}

// BenchmarkCompileLayouts measures what a build spends on the layouts
// before any page: parsing them (parse), then escaping and compiling
// every kind's set and the summaries (compile, which includes parse).
//
//	go test ./internal/render -run '^$' -bench CompileLayouts
func BenchmarkCompileLayouts(b *testing.B) {
	c, diags := content.Load(os.DirFS("../.."), congxa.Theme(), content.Options{Now: fastNow})
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	s, diags := site.Build(c, site.Options{Now: fastNow})
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	for _, compile := range []bool{false, true} {
		b.Run(map[bool]string{false: "parse", true: "compile"}[compile], func(b *testing.B) {
			r, diags := prepare(context.Background(), s, &Cache{}, false, options{templates: true})
			if r == nil {
				b.Fatal(diags)
			}
			for b.Loop() {
				if !r.parse(&diags) {
					b.Fatal(diags)
				}
				if compile {
					r.compileLayouts()
					for _, l := range r.compiled.pages {
						if l.get() == nil {
							b.Fatal(l.why)
						}
					}
					for _, l := range r.compiled.partials {
						if l.get() == nil {
							b.Fatal(l.why)
						}
					}
				}
			}
		})
	}
}

// BenchmarkFrame renders one post of a site whose base.html is its own
// (the theme's with an attribute added), the post's main being the Go
// renderer's: the frame executed by html/template, the main put in place
// of its marker, or the frame compiled, writing the main where it calls
// it.
//
//	go test ./internal/render -run '^$' -bench Frame -benchmem
func BenchmarkFrame(b *testing.B) {
	fsys := hostileSite(false).(fstest.MapFS)
	for _, v := range ownLayouts(b) {
		if v.name == "own-base" {
			for name, data := range v.files {
				fsys[name] = &fstest.MapFile{Data: []byte(data), Mode: 0o644, ModTime: fastNow}
			}
		}
	}
	s := modelAt(b, fsys)
	for _, tc := range []struct {
		name string
		opt  options
	}{{"templates", options{noCompile: true}}, {"compiled", options{}}} {
		b.Run(tc.name, func(b *testing.B) {
			r, diags := prepare(context.Background(), s, &Cache{}, false, tc.opt)
			if r == nil {
				b.Fatal(diags)
			}
			if r.fast == nil || r.fast.frameTmpl == nil {
				b.Fatal("the frame is not the site's own around a Go main")
			}
			var j *job
			for _, jj := range r.jobs() {
				if jj.kind == "post.html" {
					j = &jj
					break
				}
			}
			d := j.data()
			var buf bytes.Buffer
			ran := tmplcStats.ran.Load()
			b.ReportAllocs()
			for b.Loop() {
				buf.Reset()
				if err := r.execute(&buf, j.kind, d); err != nil {
					b.Fatal(err)
				}
			}
			if compiled := tmplcStats.ran.Load() > ran; compiled != !tc.opt.noCompile {
				b.Fatalf("compiled: %v", compiled)
			}
			b.ReportMetric(float64(buf.Len()), "bytes/page")
		})
	}
}
