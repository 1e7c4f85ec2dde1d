package content

import (
	"fmt"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/congxa/congxa/internal/diag"
	"github.com/congxa/congxa/internal/safeurl"
	"github.com/congxa/congxa/internal/vn"
)

// Settings are the decoded content/site.yaml.
type Settings struct {
	Title        string
	BaseURL      *url.URL // absolute, its path ends in "/"
	Contact      Contact
	Menu         []Link
	Links        []Link // "Liên kết" box in the sidebar
	PostsPerPage int
	TimeZone     string
	Location     *time.Location
	NumberFormat vn.NumberFormat
	// LastModGit: a page's last modification is the date of the last git
	// commit that touched its file (site.yaml: lastmod: git).
	LastModGit bool
	LastModPos diag.Pos
	// TTHCMaxAgeDays is how old the TTHC snapshot may be before congxa
	// check warns: it should be exported every month. 0 turns the warning
	// off.
	TTHCMaxAgeDays int
	// Pos is where each setting is written: "title", "contact",
	// "contact.phone"; a missing key gives its mapping's position.
	Pos      map[string]diag.Pos
	Markdown MarkdownSettings
}

// DefaultTTHCMaxAgeDays is tthc_max_age_days when site.yaml does not set
// it: a monthly export, and ten days to make it.
const DefaultTTHCMaxAgeDays = 40

// At returns where a setting is written, or the file's first line.
func (s *Settings) At(key string) diag.Pos {
	if p, ok := s.Pos[key]; ok {
		return p
	}
	return s.Pos[""]
}

// MarkdownSettings say what Markdown may hold beyond Markdown.
type MarkdownSettings struct {
	// UnsafeHTML renders raw HTML in Markdown, through a sanitizer that
	// keeps formatting, tables and images and drops scripts, event
	// handlers, styles and javascript: addresses.
	UnsafeHTML bool
	// IframeHosts are the hosts whose pages raw HTML may embed
	// ("www.youtube.com"), over https.
	IframeHosts []string
}

// Contact is the footer's contact block, which a state agency's site must
// show.
type Contact struct {
	Agency        string // the agency that runs the site: "UBND xã Bắc An"
	EditorInChief string
	Address       string
	Phone         string
	Email         string
}

// Link is a label and a URL: a site path ("/tin-tuc/") or an absolute URL.
type Link struct {
	Label string
	URL   string
	Pos   diag.Pos
}

var settingsKeys = []string{"title", "base_url", "contact", "menu", "links", "posts_per_page", "timezone", "number_format", "lastmod", "tthc_max_age_days", "markdown"}
var markdownKeys = []string{"unsafe_html", "iframe_hosts"}
var contactKeys = []string{"agency", "editor_in_chief", "address", "phone", "email"}

var phoneRE = regexp.MustCompile(`^\+?[0-9][0-9 .()\-]{6,}[0-9]$`)

func decodeSettings(src diag.Source, baseURL string, diags *diag.List) *Settings {
	root, err := decodeYAML(src, src.Data, 1)
	if err != nil {
		diags.Errorf(err.pos, "%s", err.msg)
		return nil
	}
	if root.kind != mapNode {
		diags.Errorf(root.pos, "site.yaml must be a mapping of settings, not %s", root.describe())
		return nil
	}
	f := newFields(root, "site.yaml", diags)
	s := &Settings{PostsPerPage: 10, TTHCMaxAgeDays: DefaultTTHCMaxAgeDays, Pos: map[string]diag.Pos{"": root.pos}}
	for _, k := range settingsKeys {
		s.Pos[k] = f.pos(k)
	}
	s.Title = f.str("title")
	if s.Title == "" {
		diags.Errorf(f.pos("title"), "missing title: the site's name, e.g. \"Trang thông tin điện tử xã Bắc An\"")
	}
	pos := f.pos("base_url")
	raw := f.str("base_url")
	if baseURL != "" {
		raw, pos = baseURL, diag.Pos{File: "--base-url"}
	}
	if raw == "" {
		diags.Errorf(pos, "missing base_url: the address the site is published at, e.g. \"https://bacan.gov.vn/\"")
	} else if u, err := ParseBaseURL(raw); err != nil {
		diags.Errorf(pos, "%v", err)
	} else {
		s.BaseURL = u
	}

	if n := f.get("contact"); n != nil {
		if n.kind != mapNode {
			diags.Errorf(n.pos, "contact must be a mapping with %s", strings.Join(contactKeys, ", "))
		} else {
			c := newFields(n, "contact", diags)
			for _, k := range contactKeys {
				s.Pos["contact."+k] = c.pos(k)
			}
			s.Contact = Contact{
				Agency:        c.str("agency"),
				EditorInChief: c.str("editor_in_chief"),
				Address:       c.str("address"),
				Phone:         c.str("phone"),
				Email:         c.str("email"),
			}
			if p := s.Contact.Phone; p != "" {
				if msg := CheckContact("phone", p); msg != "" {
					diags.Errorf(c.pos("phone"), "contact.phone %s", msg)
				}
			}
			if e := s.Contact.Email; e != "" {
				if msg := CheckContact("email", e); msg != "" {
					diags.Errorf(c.pos("email"), "contact.email %s", msg)
				}
			}
			c.unknown(contactKeys)
		}
	}
	s.Menu = links(f, "menu", diags)
	s.Links = links(f, "links", diags)
	if n, ok := f.integer("posts_per_page", 1); ok {
		s.PostsPerPage = n
	}
	s.TimeZone = f.str("timezone")
	if s.TimeZone == "" {
		s.TimeZone = "Asia/Ho_Chi_Minh"
	}
	loc, lerr := vn.LoadLocation(s.TimeZone)
	if lerr != nil {
		diags.Errorf(f.pos("timezone"), "%v", lerr)
		loc, _ = vn.LoadLocation("")
	}
	s.Location = loc
	nf, nerr := vn.ParseNumberFormat(f.str("number_format"))
	if nerr != nil {
		diags.Errorf(f.pos("number_format"), "%v", nerr)
	}
	s.NumberFormat = nf
	if f.has("lastmod") {
		s.LastModPos = f.pos("lastmod")
		switch v := f.str("lastmod"); v {
		case "git":
			s.LastModGit = true
		case "":
		default:
			diags.Errorf(s.LastModPos, "lastmod %q: the only setting is \"git\" (each page's last change is the date of the last commit of its file); leave it out to use each page's lastmod", v)
		}
	}
	if n, ok := f.integer("tthc_max_age_days", 0); ok {
		s.TTHCMaxAgeDays = n
	}
	if n := f.get("markdown"); n != nil {
		if n.kind != mapNode {
			diags.Errorf(n.pos, "markdown must be a mapping with %s, e.g. markdown: {unsafe_html: true}", strings.Join(markdownKeys, ", "))
		} else {
			s.Markdown = markdownSettings(newFields(n, "markdown", diags), diags)
		}
	}
	f.unknown(settingsKeys)
	return s
}

// hostRE is a host name as iframe_hosts wants it: no scheme, port or path.
var hostRE = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$`)

func markdownSettings(f *fields, diags *diag.List) MarkdownSettings {
	var m MarkdownSettings
	m.UnsafeHTML = f.boolean("unsafe_html")
	m.IframeHosts = f.strList("iframe_hosts")
	if n := f.get("iframe_hosts"); n != nil {
		items := n.items
		if n.kind == scalarNode {
			items = []*node{n}
		}
		for i, h := range m.IframeHosts {
			pos := n.pos
			if i < len(items) {
				pos = items[i].pos
			}
			if !hostRE.MatchString(h) {
				hint := ""
				if u, err := url.Parse(h); err == nil && u.Host != "" && hostRE.MatchString(strings.ToLower(u.Hostname())) {
					hint = fmt.Sprintf(" (did you mean %q?)", strings.ToLower(u.Hostname()))
				} else if hostRE.MatchString(strings.ToLower(h)) {
					hint = fmt.Sprintf(" (did you mean %q?)", strings.ToLower(h))
				}
				diags.Errorf(pos, "markdown.iframe_hosts: %q is not a host name such as www.youtube.com%s", h, hint)
			}
		}
		if u := f.get("unsafe_html"); u == nil || strings.EqualFold(u.text, "false") {
			diags.Warnf(f.pos("iframe_hosts"), "markdown.iframe_hosts has no effect without markdown.unsafe_html: true")
		}
	}
	f.unknown(markdownKeys)
	return m
}

// ParseBaseURL checks a base URL and gives its path a final slash, so that
// site paths can be joined to it.
func ParseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("base_url %q must be an absolute http or https address, e.g. \"https://bacan.gov.vn/\" or \"https://example.gov.vn/xa-bac-an/\"", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("base_url %q must not have a query, a fragment or a user name", raw)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	u.RawPath = ""
	return u, nil
}

func links(f *fields, key string, diags *diag.List) []Link {
	n := f.get(key)
	if n == nil {
		return nil
	}
	if n.kind != listNode {
		diags.Errorf(n.pos, "%s must be a list of items with label and url", key)
		return nil
	}
	var out []Link
	for _, it := range n.items {
		if it.kind != mapNode {
			diags.Errorf(it.pos, "each item of %s must have a label and a url", key)
			continue
		}
		lf := newFields(it, key, diags)
		l := Link{Label: lf.str("label"), URL: lf.str("url"), Pos: it.pos}
		if l.Label == "" {
			diags.Errorf(lf.pos("label"), "%s item has no label", key)
		}
		if l.URL == "" {
			diags.Errorf(lf.pos("url"), "%s item %q has no url", key, l.Label)
		} else if _, err := url.Parse(l.URL); err != nil {
			diags.Errorf(lf.pos("url"), "%s item %q: invalid url %q", key, l.Label, l.URL)
		} else if !safeurl.Link(l.URL) {
			diags.Errorf(lf.pos("url"), "%s item %q: url %q must be a site path (/tin-tuc/) or an http, https, mailto or tel address", key, l.Label, l.URL)
		}
		lf.unknown([]string{"label", "url"})
		out = append(out, l)
	}
	return out
}

// CheckContact says what is wrong with the value of a contact field
// ("phone" or "email"), or "".
func CheckContact(field, v string) string {
	switch field {
	case "phone":
		if !phoneRE.MatchString(v) {
			return fmt.Sprintf("%q is not a phone number (digits, spaces, dots, dashes, an optional leading +)", v)
		}
	case "email":
		if a, err := mail.ParseAddress(v); err != nil || a.Address != v || !strings.Contains(v[strings.IndexByte(v, '@')+1:], ".") {
			return fmt.Sprintf("%q is not an e-mail address", v)
		}
	}
	return ""
}
