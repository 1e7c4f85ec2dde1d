package render

import (
	"context"
	"io/fs"
	"os"
	"testing/fstest"

	"github.com/congxa/congxa"
	"github.com/congxa/congxa/internal/testsite"

	"bytes"
	"errors"
	"fmt"
	"html/template"
	"math"
	"reflect"
	"strings"
	"testing"
)

// The tests of this file attack the compiled templates (tmplc.go) with
// constructs and values chosen where html/template's behaviour is easy to
// get wrong: each template is executed compiled and by html/template, and
// must give the same bytes, or html/template's error (the compiled one
// stopping, for html/template to execute the page).

type atkErr struct{ msg string }

func (e *atkErr) Error() string { return "lỗi: " + e.msg }

type atkLevel int

func (l *atkLevel) String() string { return "mức" }

type atkSlug string

type atkInner struct{ Name string }

type atkEmbed struct {
	*atkInner
	Tag string
}

type atkData struct {
	S      string
	Slug   atkSlug
	N      int
	I8     int8
	F, NaN float64
	B      bool
	Lvl    atkLevel
	Bytes  []byte
	Err    *atkErr
	NilE   *atkErr
	H      template.HTML
	URL    template.URL
	L      []string
	Nest   [][]string
	Emb    atkEmbed
	Ptr    *atkData
	PPS    **string
}

func (d *atkData) Problem() *atkErr        { return d.Err }
func (d *atkData) NoProblem() *atkErr      { return nil }
func (d *atkData) Strs() ([]string, error) { return d.L, nil }
func (d *atkData) Slugs() []atkSlug        { return []atkSlug{d.Slug, "b c"} }

func atkValues(s string) []*atkData {
	ps := &s
	full := &atkData{
		S: s, Slug: atkSlug(s), N: 2, I8: -3, F: 0.1 + 0.2, NaN: math.NaN(), B: true, Lvl: 4,
		Bytes: []byte(s), Err: &atkErr{s}, H: template.HTML("<i>" + s + "</i>"), URL: template.URL(s),
		L: []string{s, "", "hai"}, Nest: [][]string{{s, "x"}, {}, {"y"}},
		Emb: atkEmbed{atkInner: &atkInner{Name: s}, Tag: s}, PPS: &ps,
	}
	full.Ptr = &atkData{S: "con", L: []string{"a"}}
	// L ranged over with Ptr.L and Nest empty: a range's else inside
	// another range.
	bare := &atkData{S: s, L: []string{"một", s}, Ptr: &atkData{}}
	return []*atkData{full, {S: s}, {}, bare}
}

var atkStrings = []string{
	"Xã Đông Hòa", `"><script>x</script>`, "a&amp;b", "%", "%2", "%2F%2f%GG", "\x00", "\xff\xfe", "\xc3",
	"\ufdd0\ufdef\ufff0\uffff\ufffd", "a\u00a0b\u2028c", "javascript:x", " JAVASCRIPT :x", "//evil.example/x", "data:text/html,x",
	"http:x", "HTTPS://a", "mailto:", ":x", "a/b:c", "=`'\" \t", "+&", "",
}

func atkFuncs() template.FuncMap {
	return template.FuncMap{
		"url":   func(p string) string { return "/goc" + p },
		"upper": strings.ToUpper,
		"fail": func(s string) (string, error) {
			if s == "" {
				return "", errors.New("empty")
			}
			return s, nil
		},
		"raw": func() template.HTML { return "<hr>" },
	}
}

// atkCheck compiles src for data of type root and compares it with
// html/template on every value of data. It returns whether the template
// was compiled.
func atkCheck(t *testing.T, src string, data []any) bool {
	t.Helper()
	set, err := template.New("t").Funcs(atkFuncs()).Parse(src)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	if !escape(set, "t") {
		return false
	}
	root := reflect.TypeOf(data[0])
	c, _ := compileTemplate(set, "t", root, atkFuncs(), false)
	for _, d := range data {
		var want bytes.Buffer
		werr := set.ExecuteTemplate(&want, "t", d)
		if c == nil {
			continue
		}
		var got bytes.Buffer
		ok := c.execute(&got, d, nil)
		switch {
		case ok && werr != nil:
			t.Errorf("%s\ndata %+v: compiled wrote %q where html/template fails: %v", src, d, got.String(), werr)
		case ok && got.String() != want.String():
			t.Errorf("%s\ndata %+v: output differs:\nhtml/template: %q\ncompiled:      %q", src, d, want.String(), got.String())
		case !ok && werr == nil:
			t.Errorf("%s\ndata %+v: compiled stopped where html/template writes %q", src, d, want.String())
		}
	}
	return c != nil
}

func atkData2(s string) []any {
	var out []any
	for _, d := range atkValues(s) {
		out = append(out, d)
	}
	return out
}

// atkTemplates are templates in every context the compiler handles, and
// control flow html/template walks in ways of its own.
var atkTemplates = []string{
	// Escapers in each context.
	`<p>{{.S}}</p><p>{{.Slug}}</p><p>{{.Bytes}}</p><p>{{.Lvl}}</p><p>{{.Err}}</p><p>{{.NilE}}</p><p>{{.Problem}}{{.NoProblem}}</p>`,
	`<a title={{.S}} data-x={{.Slug}} data-l={{.Lvl}} data-e={{.Err}} data-n={{.NilE}} data-h={{.URL}}>x</a>`,
	`<a href={{.S}}>1</a><a href={{.URL}}>2</a><a href=/x/{{.S}}>3</a><a href=/x?{{.S}}>4</a><a href=/x?{{.URL}}>5</a><a href=/x#{{.S}}>6</a>`,
	`<a href="{{.S}}">1</a><a href='{{.S}}'>2</a><a href="{{.Slug}}">3</a><a href="{{.URL}}">4</a><a href="{{.Err}}">5</a>`,
	`<a href="/a/{{.S}}/{{.URL}}?{{.S}}={{.URL}}#{{.S}}">x</a><a href="{{.S}}{{.S}}">y</a><a href="?{{.Bytes}}">z</a>`,
	`<form action="{{.S}}"><img src="{{.URL}}" alt="{{.S}}"><blockquote cite="{{.S}}"></blockquote></form>`,
	`<title>{{.S}}{{.H}}{{.URL}}</title><textarea>{{.H}}{{.Slug}}</textarea>`,
	`<!-- {{.S}} --><p>{{.H}}</p><p title="{{.F}}">{{.F}} {{.NaN}} {{.I8}}</p>`,
	`<a title="{{.S | upper}}" href="{{url .S}}">{{.S | url}}</a>`,
	`<a href="{{.PPS}}" title="{{.PPS}}">{{.PPS}}</a>`,
	`<p>{{.Emb.Name}} {{.Emb.Tag}}</p>`,
	`<p>{{raw}}</p><title>{{raw}}</title>`,
	// Comparisons and logic.
	`{{eq .F 0.3}} {{lt .NaN 1.0}} {{le .NaN 1.0}} {{gt .NaN 1.0}} {{ge .NaN 1.0}} {{ne .NaN .NaN}} {{eq .NaN .NaN}}`,
	`{{eq .S "" "a" .S}} {{eq .I8 -3}} {{lt .I8 .N}} {{eq .Slug .Slug}} {{lt .S .Slug}}`,
	`{{if and .S .L .Ptr}}a{{end}}{{if or .NaN .F}}o{{end}}{{if not .Ptr}}n{{end}}{{and .L .L}}{{or .Ptr .Ptr}}`,
	`{{if and .Ptr .Ptr.S}}ptr{{end}}{{if or (not .Ptr) .Ptr.L}}l{{end}}`,
	`{{printf "%v|%q|%x|%T|%d" .S .S .S .Lvl .N}} {{printf "%s" .Err}} {{printf "%v" .NilE}} {{print .Bytes .H .URL}}`,
	`{{printf "%6.2f|%-5s|%+d" .F .S .N}}{{println}}{{print .N .N "a" "b" 1 2}}`,
	`{{len .Bytes}} {{index .Nest 0 | len}} {{index .Bytes 0}} {{len .Slugs}} {{index .Slugs 1}}`,
	// Control flow.
	`{{range .L}}[{{.}}{{range $.Nest}}{{else}}{{break}}{{end}}]{{end}}`,
	`{{range .L}}[{{.}}{{range $.Ptr.L}}{{else}}{{break}}{{end}}/]{{end}}`,
	`{{range .L}}[{{.}}{{range $.Ptr.L}}{{else}}{{continue}}{{end}}/]{{end}}`,
	`{{range .Nest}}<{{range .}}{{if eq . "x"}}{{break}}{{end}}{{.}}{{else}}rỗng{{end}}>{{end}}`,
	`{{range $i, $l := .Nest}}{{range $j, $e := $l}}{{$i}}{{$j}}{{$e}}{{if $e}}{{continue}}{{end}}!{{end}}{{end}}`,
	`{{range .L}}{{with .}}{{break}}{{else}}e{{end}}x{{end}}y`,
	`{{$x := 0}}{{range .L}}{{$x = len .}}{{$x}}{{end}}{{$x}}`,
	`{{$s := .S}}{{range .L}}{{$s := .}}{{$s}}{{end}}{{$s}}`,
	`{{with .Ptr}}{{.S}}{{$.S}}{{else with .L}}{{index . 0}}{{else}}không{{end}}`,
	`{{with $v := .L}}{{$v}}{{end}}{{with .NoProblem}}x{{else}}nil{{end}}`,
	`{{range .Strs}}{{.}},{{end}}{{range $i, $s := .Slugs}}{{$i}}={{$s}};{{end}}`,
	`{{range 0}}x{{else}}zero{{end}}{{range $i := -2}}x{{else}}neg{{end}}`,
	`{{define "d"}}{{if .}}có{{else}}không{{end}}|{{not .}}|{{print .}}|{{.}}{{end}}{{template "d"}}`,
	`{{define "d"}}{{len .}}{{end}}{{template "d" .L}}{{template "d" .S}}`,
	`{{define "d"}}{{and . .}}{{end}}{{template "d"}}`,
	`{{define "d"}}{{if and . 1}}x{{end}}{{end}}{{template "d"}}`,
	`{{define "d"}}{{eq . 1}}{{end}}{{template "d" 1}}{{template "d" 2}}`,
	`{{define "r"}}{{if .}}{{index . 0}}{{template "r" (index . 1 | len | printf "%d" | fail | len | eq 9 | not | printf "%v" | upper | url)}}{{end}}{{end}}{{template "r" "ab"}}`,
	`{{define "d"}}<b title="{{.}}">{{.}}</b>{{end}}{{template "d" .S}}{{template "d" .N}}{{template "d" .Slug}}{{template "d" .L}}{{template "d" .Ptr}}`,
	`{{define "l"}}{{range .}}{{if eq . ""}}{{break}}{{end}}<{{.}}>{{end}}{{end}}{{range .Nest}}[{{template "l" .}}]{{if not .}}{{continue}}{{end}}+{{end}}`,
	`{{define "n"}}{{with .Ptr}}{{template "n" .}}{{else}}{{.S}}{{end}}{{end}}{{template "n" .}}{{$}}`,
	`{{$ = .Ptr}}{{with $}}{{.S}}{{end}}{{$.S}}{{.S}}`,
	`{{range $e := .L}}{{$e = "x"}}{{$e}}{{end}}{{range $i, $e := .L}}{{$i = 7}}{{$i}}{{end}}`,
	`{{range .L}}{{if .}}{{with $.Ptr}}{{range .L}}{{break}}{{end}}{{continue}}{{end}}{{end}}({{.}}){{end}}`,
	`<a href="/p?a={{.S}}&amp;b={{.URL}}&amp;c={{.Slug}}#{{.S}}">x</a><a href="{{.URL}}?q={{.S}}">y</a>`,
	`<a title="{{.H}}{{.S}}">1</a>`,
	`{{fail .S}}`,
	`{{.Ptr.Ptr.S}}`,
	`{{index .L 5}}`,
	`{{.Emb.Name}}`,
}

// atkLeft are the templates of atkTemplates the compiler leaves to
// html/template.
var atkLeft = map[string]bool{
	// template.HTML in an attribute.
	`<a title="{{.H}}{{.S}}">1</a>`: true,
	// "and" of no value.
	`{{define "d"}}{{and . .}}{{end}}{{template "d"}}`: true,
	// index of a string.
	`{{define "r"}}{{if .}}{{index . 0}}{{template "r" (index . 1 | len | printf "%d" | fail | len | eq 9 | not | printf "%v" | upper | url)}}{{end}}{{end}}{{template "r" "ab"}}`: true,
}

func TestCompiledAttack(t *testing.T) {
	for i, src := range atkTemplates {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			compiled := false
			for _, s := range atkStrings {
				compiled = atkCheck(t, src, atkData2(s)) || compiled
			}
			if compiled == atkLeft[src] {
				t.Errorf("%s: compiled %v", src, compiled)
			}
		})
	}
}

// TestCompiledOwnTheme builds the demo site, a generated one and the
// hostile one with every layout of the theme copied into the site's own
// layouts/ (so none is written by Go and all are compiled), by
// html/template and compiled: the same outputs, byte for byte, and no
// compiled page stopped.
func TestCompiledOwnTheme(t *testing.T) {
	dir := t.TempDir()
	testsite.Generate(t, dir, 60)
	for _, tc := range []struct {
		name string
		fsys fs.FS
	}{{"demo", os.DirFS("../..")}, {"generated", os.DirFS(dir)}, {"hostile", hostileSite(false)}, {"hostile-sub", hostileSite(true)}} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			copyTree := func(src fs.FS, root string) {
				err := fs.WalkDir(src, root, func(p string, d fs.DirEntry, err error) error {
					if err != nil || d.IsDir() {
						return err
					}
					data, err := fs.ReadFile(src, p)
					fsys[p] = &fstest.MapFile{Data: data, Mode: 0o644, ModTime: fastNow}
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			copyTree(tc.fsys, "content")
			if _, err := fs.Stat(tc.fsys, "assets"); err == nil {
				copyTree(tc.fsys, "assets")
			}
			copyTree(congxa.Theme(), "layouts")
			for name, f := range fsys {
				if strings.HasPrefix(name, "layouts/") {
					// Not the theme's bytes: the site's own.
					f.Data = append(f.Data, "{{/* riêng */}}"...)
				}
			}
			s := modelAt(t, fsys)
			if (&renderer{site: s}).newFastTheme() != nil {
				t.Fatal("the Go renderer writes the pages of a site with every layout its own")
			}
			want, wdiags := render(context.Background(), s, &Cache{}, nil, options{noCompile: true})
			ran, stopped := tmplcStats.ran.Load(), tmplcStats.stopped.Load()
			got, gdiags := render(context.Background(), s, &Cache{}, nil, options{})
			if wdiags.String() != gdiags.String() {
				t.Errorf("diagnostics differ:\nhtml/template:\n%s\ncompiled:\n%s", wdiags, gdiags)
			}
			if n := tmplcStats.ran.Load() - ran; n < int64(len(want))/2 {
				t.Errorf("%d pages of %d written compiled", n, len(want))
			}
			if n := tmplcStats.stopped.Load() - stopped; n > 0 {
				t.Errorf("%d compiled pages stopped", n)
			}
			t.Logf("%d outputs, %d written compiled", len(want), tmplcStats.ran.Load()-ran)
			compareOutputs(t, want, got)
		})
	}
}

// tmplGen writes a template's source from a fuzzer's bytes: elements in
// each context the compiler handles, with actions and control flow inside
// them, over the fields of atkData. The templates always parse.
type tmplGen struct {
	prog  []byte
	pos   int
	b     strings.Builder
	depth int
}

func (g *tmplGen) next(n int) int {
	if g.pos >= len(g.prog) {
		return 0
	}
	c := int(g.prog[g.pos])
	g.pos++
	return c % n
}

// Pipelines valid with any dot ($ is the data), and those with a string
// dot.
var (
	genExprs = []string{
		"$.S", "$.Slug", "$.N", "$.I8", "$.F", "$.NaN", "$.B", "$.Lvl", "$.Err", "$.NilE", "$.H", "$.URL", "$.L", "$.Bytes",
		"$.Ptr.S", "$.Emb.Name", "$.Emb.Tag", "$.PPS", "len $.L", "index $.L 0", `printf "%v|%q" $.S $.N`, "$.S | upper",
		"url $.S", "eq $.N 2", "and $.S $.Slug", "or $.L $.L", "not $.B", "print $.S $.N $.H", "$.Problem", "$.NoProblem",
		"lt $.NaN $.F", `eq $.S "" "%"`, "raw", "$x", "len $x", "fail $.S", "$.Strs", "index $.Nest 0",
	}
	genStrExprs = []string{".", "upper .", "len .", "url .", `printf "[%s]" .`, `eq . ""`}
	genConds    = []string{"$.S", "$.B", "$.Ptr", "$.L", "$.NaN", "not $.N", "and $.S $.L", "or $.Ptr $.NilE", "eq $.N 2", "$.Ptr.L", "$x"}
	genContexts = [][2]string{
		{"<p>", "</p>"}, {`<a title="`, `">x</a>`}, {`<a title='`, `'>x</a>`}, {"<a title=", ">x</a>"},
		{`<a href="`, `">x</a>`}, {`<a href="/p/`, `">x</a>`}, {`<a href="/p?q=`, `">x</a>`}, {"<a href=", ">x</a>"},
		{`<img src="/i#`, `">`}, {"<title>", "</title>"}, {"<textarea>", "</textarea>"}, {"<!--", "-->"},
	}
)

func (g *tmplGen) expr(strDot bool) string {
	if strDot && g.next(2) == 0 {
		return genStrExprs[g.next(len(genStrExprs))]
	}
	return genExprs[g.next(len(genExprs))]
}

// content writes what goes inside an element of one context: text,
// actions, and branches and loops of the same.
func (g *tmplGen) content(strDot, inRange bool) {
	for n := 1 + g.next(3); n > 0; n-- {
		switch k := g.next(11); {
		case k < 4 || g.depth > 3:
			g.b.WriteString("{{" + g.expr(strDot) + "}}")
		case k == 4:
			g.b.WriteString([]string{"a", " ", "&amp;", "/", "?", "="}[g.next(6)])
		case k == 5:
			g.depth++
			g.b.WriteString("{{if " + genConds[g.next(len(genConds))] + "}}")
			g.content(strDot, inRange)
			if g.next(2) == 0 {
				g.b.WriteString("{{else}}")
				g.content(strDot, inRange)
			}
			g.b.WriteString("{{end}}")
			g.depth--
		case k == 6:
			g.depth++
			over := []string{"$.L", "$.Ptr.L", "$.Slugs", "index $.Nest 1", "$.Strs"}[g.next(5)]
			decl := []string{"", "$e := ", "$i, $e := "}[g.next(3)]
			g.b.WriteString("{{range " + decl + over + "}}")
			g.content(true, true)
			if g.next(2) == 0 {
				g.b.WriteString("{{else}}")
				g.content(strDot, inRange)
			}
			g.b.WriteString("{{end}}")
			g.depth--
		case k == 7:
			g.depth++
			g.b.WriteString("{{with " + []string{"$.S", "$.Slug", "$.Ptr.S", "index $.L 1"}[g.next(4)] + "}}")
			g.content(true, inRange)
			if g.next(2) == 0 {
				g.b.WriteString("{{else}}")
				g.content(strDot, inRange)
			}
			g.b.WriteString("{{end}}")
			g.depth--
		case k == 8 && inRange:
			g.b.WriteString([]string{"{{break}}", "{{continue}}"}[g.next(2)])
		case k == 9:
			// A template called with values of several types, in text
			// (in an attribute, html/template derives a copy of it,
			// which the compiler leaves).
			g.b.WriteString(`{{template "d" ` + g.expr(strDot) + "}}")
		default:
			g.b.WriteString(`{{$x = ` + []string{"$.L", "$.Ptr.L", "index $.Nest 1"}[g.next(3)] + "}}")
		}
	}
}

func (g *tmplGen) template() string {
	g.b.WriteString("{{$x := $.L}}")
	for n := 1 + g.next(4); n > 0; n-- {
		c := genContexts[g.next(len(genContexts))]
		g.b.WriteString(c[0])
		g.content(false, false)
		g.b.WriteString(c[1])
	}
	g.b.WriteString(`{{define "d"}}<b title="{{.}}">{{.}}</b>{{if .}}[{{$}}]{{end}}{{end}}`)
	return g.b.String()
}

// FuzzCompiledGrammar compares compiled templates with html/template on
// template sources drawn from tmplGen's grammar and on hostile strings.
//
//	go test ./internal/render -run '^$' -fuzz FuzzCompiledGrammar -fuzztime 2m
func FuzzCompiledGrammar(f *testing.F) {
	for i, s := range atkStrings {
		f.Add([]byte(fmt.Sprintf("%d\x05\x06\x07 gen %s", i, s)), s)
	}
	f.Add([]byte{0, 0, 6, 6, 1, 0, 8, 1, 0, 1, 5, 0, 6}, "x")
	f.Fuzz(func(t *testing.T, prog []byte, s string) {
		g := &tmplGen{prog: prog}
		src := g.template()
		atkCheck(t, src, atkData2(s))
	})
}
