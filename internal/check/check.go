// Package check finds, without writing anything, what a build would report
// and what a build lets through but an official portal must not publish:
//
//   - a link or image in Markdown that points to no page or file, or to a
//     part of a page (#muc) that does not exist, at the link's
//     path:line:col (the build only warns about links it rewrites; check
//     also follows links written as site paths, "/tin-tuc/x/", and as full
//     URLs of the site itself); under a sub-path, a link written from the
//     domain's root, which leaves the site;
//   - an image without alt text (WCAG 1.1.1);
//   - a heading that skips a level (## then ####; the page's title is its
//     level 1), which breaks navigation by headings (WCAG 1.3.1); a level-1
//     heading in the body is a warning;
//   - a missing or malformed contact field that a state agency's site must
//     show (the agency, the person responsible for the content, address,
//     phone, e-mail), or a layout that does not show one of them;
//   - a TTHC snapshot older than tthc_max_age_days (a warning).
//
// Errors fail the check; warnings do not.
package check

import (
	"context"
	"fmt"
	"html"
	"io/fs"
	"net/url"
	"path"
	"regexp"
	"strings"
	"time"

	"github.com/congxa/congxa/internal/build"
	"github.com/congxa/congxa/internal/content"
	"github.com/congxa/congxa/internal/diag"
	"github.com/congxa/congxa/internal/markdown"
	"github.com/congxa/congxa/internal/render"
	"github.com/congxa/congxa/internal/site"
)

// Options say what to check.
type Options struct {
	Source  fs.FS  // the site folder
	Theme   fs.FS  // the default theme; nil for none
	BaseURL string // overrides site.yaml's base_url
	Drafts  bool   // check drafts too
	Now     func() time.Time
}

// Report is the outcome of a check.
type Report struct {
	Pages int       // HTML pages the site would publish; 0 when it does not build
	Diags diag.List // sorted
}

// Run checks the site.
func Run(ctx context.Context, opt Options) Report {
	now := time.Now()
	if opt.Now != nil {
		now = opt.Now()
	}
	res, diags, _ := build.Run(ctx, build.Options{
		Source: opt.Source, Theme: opt.Theme, BaseURL: opt.BaseURL, Drafts: opt.Drafts,
		Now: func() time.Time { return now },
	})
	c := &checker{}
	var settings *content.Settings
	if res != nil {
		settings = res.Site.Settings
		c.site = res.Site
		c.outs = map[string]*render.Output{}
		for i := range res.Outputs {
			c.outs[res.Outputs[i].Path] = &res.Outputs[i]
		}
		c.ids = map[string]map[string]bool{}
		for _, p := range append(append([]*site.Page{}, res.Site.Posts...), res.Site.Pages...) {
			c.page(p)
		}
	} else {
		// The site does not build, but its settings may be readable: say
		// what is missing there too.
		settings, _ = content.LoadSettings(opt.Source)
	}
	if settings != nil {
		c.contact(settings)
	}
	if res != nil && res.Site.TTHC != nil && settings.TTHCMaxAgeDays > 0 {
		c.tthcAge(res.Site, now)
	}
	// An error of check's at the place of a build's warning about the same
	// thing replaces it.
	superseded := map[diag.Diagnostic]bool{}
	for _, d := range c.diags {
		if d.Severity == diag.Error {
			superseded[diag.Diagnostic{Pos: d.Pos, Severity: diag.Warning, Msg: d.Msg}] = true
		}
	}
	var out diag.List
	for _, d := range diags {
		if !superseded[d] {
			out = append(out, d)
		}
	}
	out.Append(c.diags)
	out.Sort()
	r := Report{Diags: out}
	if res != nil {
		r.Pages = res.Pages
	}
	return r
}

type checker struct {
	site  *site.Site
	outs  map[string]*render.Output
	ids   map[string]map[string]bool // output path → the ids in it
	diags diag.List
}

var md = markdown.New()

// page checks the Markdown of one page.
func (c *checker) page(p *site.Page) {
	body, err := p.Markdown()
	if err != nil {
		c.diags.Errorf(diag.Pos{File: p.Path, Line: p.BodyLine}, "cannot check Markdown: %v", err)
		return
	}
	o := md.Inspect(body)
	at := func(line, col int) diag.Pos {
		return diag.Pos{File: p.Path, Line: p.BodyLine + line - 1, Col: col}
	}
	for _, r := range o.Refs {
		pos := at(r.Line, r.Col)
		what := "link"
		if r.Image {
			what = "image"
			if r.Alt == "" {
				c.diags.Errorf(pos, "image %q has no alt text: write what it shows between the brackets, ![what the picture shows](%s), for readers who cannot see it", r.Dest, r.Dest)
			}
		}
		c.ref(p, pos, what, r.Dest)
	}
	prev := 1 // the page's title
	for _, h := range o.Headings {
		pos := at(h.Line, h.Col)
		switch {
		case h.Level == 1:
			c.diags.Warnf(pos, "heading %q is level 1 (#), like the page's title: start the body's headings at ##", h.Text)
		case h.Level > prev+1:
			after := fmt.Sprintf("after a level-%d heading", prev)
			if prev == 1 {
				after = "under the page's title, which is level 1"
			}
			c.diags.Errorf(pos, "heading %q is level %d (%s) %s: it skips level %d; use %s, so that readers who move by headings miss nothing", h.Text, h.Level, strings.Repeat("#", h.Level), after, prev+1, strings.Repeat("#", prev+1))
		}
		prev = h.Level
	}
}

// ref checks that a link or image of page p reaches something.
func (c *checker) ref(p *site.Page, pos diag.Pos, what, dest string) {
	if dest == "" {
		c.diags.Errorf(pos, "%s with no destination", what)
		return
	}
	u, err := url.Parse(dest)
	if err != nil {
		c.diags.Errorf(pos, "%s %q is not a valid address: %v", what, dest, err)
		return
	}
	base := c.site.Settings.BaseURL
	var sitePath string
	switch {
	case u.Scheme == "" && u.Host == "" && u.Path == "":
		if u.Fragment != "" { // "#muc": a part of this page
			c.fragment(pos, what, dest, p.Out, u.Fragment)
		}
		return
	case u.Scheme == "" && u.Host == "" && !strings.HasPrefix(u.Path, "/"):
		// Relative to the file: what the build resolves and rewrites.
		resolved, ok := c.site.Resolve(p.Page, dest)
		if !ok {
			c.diags.Errorf(pos, "%s %q points to no page or file in the site", what, dest)
			return
		}
		if u.Fragment == "" {
			return
		}
		r, err := url.Parse(resolved)
		if err != nil || !strings.HasPrefix(r.Path, c.site.BasePath) {
			return
		}
		sitePath = "/" + strings.TrimPrefix(r.Path, c.site.BasePath)
	case u.Scheme == "" && u.Host == "":
		// Written from the domain's root: left as it is by the build.
		if !strings.HasPrefix(u.Path, c.site.BasePath) {
			c.diags.Errorf(pos, "%s %q starts at the root of %s, but the site is published under %s: link to the file instead (a path relative to this one, such as ../tin-tuc/bai-viet.md)", what, dest, base.Host, c.site.BasePath)
			return
		}
		sitePath = "/" + strings.TrimPrefix(u.Path, c.site.BasePath)
	case (u.Scheme == "http" || u.Scheme == "https") && strings.EqualFold(u.Host, base.Host) && strings.HasPrefix(u.Path, c.site.BasePath):
		// A full URL of the site itself.
		sitePath = "/" + strings.TrimPrefix(u.Path, c.site.BasePath)
	default:
		return // another site, mailto:, tel:
	}
	out, ok := c.output(sitePath)
	if !ok {
		c.diags.Errorf(pos, "%s %q points to no page or file in the site", what, dest)
		return
	}
	if u.Fragment != "" {
		c.fragment(pos, what, dest, out, u.Fragment)
	}
}

// output finds the file published at a site path: "/tin-tuc/" is its
// index.html; "/tin-tuc" too, as web servers redirect it there.
func (c *checker) output(sitePath string) (string, bool) {
	p, err := url.PathUnescape(sitePath)
	if err != nil {
		return "", false
	}
	dir := strings.HasSuffix(p, "/")
	p = strings.TrimPrefix(path.Clean("/"+p), "/")
	cands := []string{p, path.Join(p, "index.html")}
	if dir || p == "" {
		cands = cands[1:]
	}
	for _, cand := range cands {
		if _, ok := c.outs[cand]; ok {
			return cand, true
		}
	}
	return "", false
}

var idRE = regexp.MustCompile(`\sid="([^"]*)"`)

// fragment checks that the HTML page published at out has an element with
// the id frag.
func (c *checker) fragment(pos diag.Pos, what, dest, out, frag string) {
	o := c.outs[out]
	if o == nil || o.Data == nil || !strings.HasSuffix(out, ".html") {
		return
	}
	ids, ok := c.ids[out]
	if !ok {
		ids = map[string]bool{}
		for _, m := range idRE.FindAllSubmatch(o.Data, -1) {
			ids[html.UnescapeString(string(m[1]))] = true
		}
		c.ids[out] = ids
	}
	if f, err := url.PathUnescape(frag); err == nil {
		frag = f
	}
	if !ids[frag] {
		c.diags.Errorf(pos, "%s %q points to a part of the page that does not exist: no heading has the id %q", what, dest, frag)
	}
}

// contactFields are the contact details a state agency's site must show:
// key in site.yaml, what it is, an example.
var contactFields = []struct{ key, what, example string }{
	{"agency", "the agency that runs the site (cơ quan chủ quản)", "Ủy ban nhân dân xã Bắc An"},
	{"editor_in_chief", "the person responsible for the content (người chịu trách nhiệm nội dung)", "Chủ tịch UBND xã Nguyễn Văn A"},
	{"address", "the agency's address", "UBND xã Bắc An, thành phố Chí Linh, tỉnh Hải Dương"},
	{"phone", "the agency's phone number", "\"0220 3882 123\""},
	{"email", "the agency's e-mail address", "ubnd.bacan@haiduong.gov.vn"},
}

func contactValue(c content.Contact, key string) string {
	switch key {
	case "agency":
		return c.Agency
	case "editor_in_chief":
		return c.EditorInChief
	case "address":
		return c.Address
	case "phone":
		return c.Phone
	case "email":
		return c.Email
	}
	return ""
}

// contact checks the contact block: every field present and well-formed,
// and shown on the home page.
func (c *checker) contact(s *content.Settings) {
	var home string // what a visitor reads on the home page
	if o := c.outs["index.html"]; o != nil {
		home = visibleText(o.Data)
	}
	footer := diag.Pos{File: "layouts/partials/footer.html"}
	if c.site != nil {
		for _, l := range c.site.Layouts {
			if l.Name == "partials/footer.html" {
				footer.File = l.Path
			}
		}
	}
	for _, f := range contactFields {
		v := contactValue(s.Contact, f.key)
		if v == "" {
			c.diags.Errorf(s.At("contact."+f.key), "missing contact.%s: %s, which a state agency's site must show, e.g. %s", f.key, f.what, f.example)
			continue
		}
		if home != "" && !strings.Contains(home, strings.Join(strings.Fields(v), " ")) {
			c.diags.Errorf(footer, "the home page does not show contact.%s (%q), which a state agency's site must show: show .Site.Contact.%s in this layout", f.key, v, goName(f.key))
		}
	}
	if p := s.Contact.Phone; p != "" && !vietnamesePhone(p) {
		c.diags.Errorf(s.At("contact.phone"), "contact.phone %q is not a Vietnamese phone number: 10 or 11 digits starting with 0 (\"0220 3882 123\"), +84 then 9 or 10 digits, or an 8- or 10-digit 1800/1900 number", p)
	}
}

var (
	tagRE    = regexp.MustCompile(`(?s)<(script|style)\b.*?</(script|style)>|<[^>]*>`)
	spacesRE = regexp.MustCompile(`\s+`)
)

// visibleText is the text of an HTML page, without tags, with entities
// decoded and spaces folded.
func visibleText(page []byte) string {
	s := tagRE.ReplaceAllString(string(page), " ")
	return spacesRE.ReplaceAllString(html.UnescapeString(s), " ")
}

func goName(key string) string {
	var b strings.Builder
	for _, part := range strings.Split(key, "_") {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

// vietnamesePhone accepts the numbers of Vietnam's numbering plan, written
// with spaces, dots, dashes or brackets: national numbers of 10 or 11
// digits starting with 0, the same with +84 in place of the 0, and 1800 or
// 1900 numbers.
func vietnamesePhone(p string) bool {
	var digits strings.Builder
	for i, r := range p {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case r == '+' && i == 0:
		case r == ' ' || r == '.' || r == '-' || r == '(' || r == ')':
		default:
			return false
		}
	}
	d := digits.String()
	if strings.HasPrefix(p, "+") {
		if !strings.HasPrefix(d, "84") {
			return false
		}
		d = "0" + d[2:]
	}
	switch {
	case strings.HasPrefix(d, "1800") || strings.HasPrefix(d, "1900"):
		return len(d) == 8 || len(d) == 10
	case strings.HasPrefix(d, "0") && !strings.HasPrefix(d, "00"):
		return len(d) == 10 || len(d) == 11
	}
	return false
}

// tthcAge warns when the TTHC snapshot is older than the site allows.
func (c *checker) tthcAge(s *site.Site, now time.Time) {
	max := s.Settings.TTHCMaxAgeDays
	age := now.Sub(s.TTHC.UpdatedAt)
	if age <= time.Duration(max)*24*time.Hour {
		return
	}
	days := int(age / (24 * time.Hour))
	c.diags.Warnf(s.TTHC.UpdatedAtPos, "the TTHC snapshot was exported on %s, %d days ago, more than tthc_max_age_days (%d) in site.yaml: export a new one from the one-stop-shop system", s.TTHC.UpdatedAt.In(s.Settings.Location).Format("02/01/2006"), days, max)
}
