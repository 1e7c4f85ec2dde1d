package render

import (
	"html/template"
	"strings"

	"github.com/congxa/congxa/internal/site"
	"github.com/congxa/congxa/internal/tthc"
	"github.com/congxa/congxa/internal/vn"
)

// Data is what a layout receives. Every URL in it is ready to put in an
// attribute: the base path is already in front.
type Data struct {
	Site        *SiteView
	Kind        string // "home", "section", "category", "tag", "month", "archive", "post", "page", "tthc", "notfound"
	Title       string // the page's own title
	HeadTitle   string // "<page title> - <site title>", or the site title on the home page
	Description string
	URL         string // this page
	Canonical   string // absolute
	Type        string // Open Graph type: "website", or "article" for a post
	Image       string // absolute URL of the page's image, "" if none
	Published   string // a post's date, RFC 3339
	Feeds       []Link // RSS feeds for <link rel="alternate">
	SearchURL   string // the search page, for the 404 page's form
	Breadcrumb  []Link // from the home page to the parent of this page
	Page        *PageView
	List        *ListView
	Archive     []ArchiveYear // on the archive page
	Search      *SearchView   // on the search page
	Header      template.HTML // the banner and menu, rendered once per build for each current menu item
	Sidebar     template.HTML // the sidebar, rendered once per build
	Footer      template.HTML // the footer, rendered once per build

	tthc     *TTHCView
	visits   *VisitsView
	usesData bool // the layout asked for TTHC or Visits
}

// TTHC is the statistics; nil when the site has no snapshot. A page that
// shows them is rendered again when the snapshot changes; the others only
// get the new sidebar.
func (d *Data) TTHC() *TTHCView {
	d.usesData = true
	return d.tthc
}

// Visits is the visitor counts; nil when the site has none.
func (d *Data) Visits() *VisitsView {
	d.usesData = true
	return d.visits
}

// SiteView is the site-wide part of Data.
type SiteView struct {
	Title   string
	Home    string
	Search  string // the search page, for the header's search box
	Menu    []Link
	Links   []Link
	Contact ContactView
}

// ContactView is the contact block.
type ContactView struct {
	Agency        string // "Cơ quan chủ quản"
	EditorInChief string
	Address       string
	Phone         string
	PhoneURL      template.URL // "tel:0984327946"; html/template would refuse a tel: string
	Email         string
	EmailURL      string // "mailto:…"
}

// Link is a label and a URL.
type Link struct {
	Label string
	URL   string
}

// PageView is a post or a standalone page.
type PageView struct {
	Title    string
	URL      string
	Date     string // "28/03/2022 08:53:45"; "" when the page has no date
	DateISO  string
	Category *Link
	Section  *Link
	Tags     []Link
	// Updated is when the page last changed, shown when it differs from
	// Date; "" otherwise.
	Updated    string
	UpdatedISO string
	Image      string
	Summary    string
	Content    template.HTML
	Related    []*Summary
	Newer      *Summary
	Older      *Summary
	content    []byte // Content, as the converter wrote it
}

// SearchView is what the search page needs besides its script.
type SearchView struct {
	Index      string // the URL of the index's entry file
	Categories []Link // Label the name, URL the slug: the filter's options
	Archive    string // the archive of every post, for visitors without JavaScript
}

// Summary is a post as lists show it.
type Summary struct {
	Title    string
	URL      string
	Date     string
	DateISO  string
	Category *Link
	Summary  string
	Image    string
	// HTML is partials/summary.html rendered for this post, once per
	// build: a post appears in several lists, and lists reuse it.
	HTML template.HTML
	// Link is partials/post-link.html rendered for this post, once per
	// build: a link to it with its date, which the "Tin cùng chuyên mục"
	// lists of other posts show.
	Link template.HTML
	held bool // HTML and Link are rendered, or need not be (see renderer.holdSums)
}

// ListView is one page of a list of posts.
type ListView struct {
	Number   int // this page's number, from 1
	Title    string
	Intro    template.HTML
	Posts    []*Summary // every post of this page
	Featured *Summary   // on the home page's first page, the newest post, to show large
	Rest     []*Summary // Posts without Featured
	Pager    *Pager
}

// ArchiveYear is a year of the archive page, its months newest first.
type ArchiveYear struct {
	Year   int
	Count  int
	Months []ArchiveMonth
}

// ArchiveMonth links a month's list.
type ArchiveMonth struct {
	Label string // "Tháng 3/2022"
	URL   string
	Count int
}

// Pager links the pages of a list.
type Pager struct {
	Number int
	Total  int
	Prev   string // "" on the first page
	Next   string // "" on the last page
	Pages  []PagerItem
}

// PagerItem is one page number, or a gap ("…") where numbers are left out.
type PagerItem struct {
	Number  int
	URL     string
	Current bool
	Gap     bool
}

// TTHCView is the statistics, formatted as the site's settings say.
type TTHCView struct {
	DetailURL  string
	Period     string // "12/2023"
	Year       int
	Month      int
	Resolved   string // on-time rate: "99.9%", or "—" when nothing was processed
	Processed  string
	OnTime     string
	Late       string
	LateRate   string
	UpdatedAt  string // "02/12/2023 22:14:02"
	UpdatedISO string
	ByField    []TTHCRow
	History    []TTHCRow
	Chart      *Chart
}

// TTHCRow is one line of a table of figures.
type TTHCRow struct {
	Label      string
	Processed  string
	OnTime     string
	Late       string
	OnTimeRate string
	LateRate   string
}

// Chart is a bar chart of the on-time rate by month, laid out for inline
// SVG; Summary is its text alternative.
type Chart struct {
	Width, Height int
	Top, Bottom   int // the plot area's edges
	Bars          []Bar
	Grid          []GridLine
	Summary       string
}

// Bar is one month.
type Bar struct {
	X, Y, W, H int
	LabelX     int
	Label      string // "01/23"
	Value      string // "98.9%"
}

// GridLine is a horizontal line with its value.
type GridLine struct {
	Y     int
	Label string
}

// VisitsView is the visitor counts.
type VisitsView struct {
	Online     string
	Today      string
	Total      string
	UpdatedAt  string // "14:05 27/11/2026" in the site's time zone; "" when unknown
	UpdatedISO string // "2026-11-27T14:05:00+07:00", for <time datetime>
}

func (r *renderer) newSiteView() *SiteView {
	st := r.site.Settings
	v := &SiteView{Title: st.Title, Home: r.site.URL("/"), Search: r.site.URL(site.SearchPath)}
	for _, m := range st.Menu {
		v.Menu = append(v.Menu, Link{Label: m.Label, URL: r.site.URL(m.URL)})
	}
	for _, m := range st.Links {
		v.Links = append(v.Links, Link{Label: m.Label, URL: r.site.URL(m.URL)})
	}
	c := st.Contact
	v.Contact = ContactView{Agency: c.Agency, EditorInChief: c.EditorInChief, Address: c.Address, Phone: c.Phone, Email: c.Email}
	if c.Phone != "" {
		// Only digits and "+" remain, so the URL is safe to trust.
		v.Contact.PhoneURL = template.URL("tel:" + strings.Map(func(r rune) rune {
			if r == '+' || (r >= '0' && r <= '9') {
				return r
			}
			return -1
		}, c.Phone))
	}
	if c.Email != "" {
		v.Contact.EmailURL = "mailto:" + c.Email
	}
	return v
}

func (r *renderer) rate(c tthc.Counts, f func(tthc.Counts) (int64, bool)) string {
	t, ok := f(c)
	if !ok {
		return "—"
	}
	return r.site.Settings.NumberFormat.Percent(t)
}

func (r *renderer) tthcView() *TTHCView {
	s := r.site.TTHC
	if s == nil {
		return nil
	}
	nf := r.site.Settings.NumberFormat
	loc := r.site.Settings.Location
	v := &TTHCView{
		DetailURL:  r.site.URL(site.TTHCPath),
		Period:     twoDigits(s.Month) + "/" + itoa(s.Year),
		Year:       s.Year,
		Month:      s.Month,
		Resolved:   r.rate(s.Counts, tthc.Counts.OnTimeRate),
		Processed:  nf.Int(s.Processed),
		OnTime:     nf.Int(s.OnTime),
		Late:       nf.Int(s.Late),
		LateRate:   r.rate(s.Counts, tthc.Counts.LateRate),
		UpdatedAt:  vn.FormatDateTime(s.UpdatedAt, loc),
		UpdatedISO: s.UpdatedAt.In(loc).Format("2006-01-02T15:04:05-07:00"),
	}
	row := func(label string, c tthc.Counts) TTHCRow {
		return TTHCRow{Label: label, Processed: nf.Int(c.Processed), OnTime: nf.Int(c.OnTime), Late: nf.Int(c.Late),
			OnTimeRate: r.rate(c, tthc.Counts.OnTimeRate), LateRate: r.rate(c, tthc.Counts.LateRate)}
	}
	for _, f := range s.ByField {
		v.ByField = append(v.ByField, row(f.Name, f.Counts))
	}
	for _, m := range s.History {
		v.History = append(v.History, row(twoDigits(m.Month)+"/"+itoa(m.Year), m.Counts))
	}
	v.Chart = r.chart(s.History)
	return v
}

// chart lays out the on-time rate of each month, on an axis from 0 to 100%
// so that bar heights compare honestly.
func (r *renderer) chart(months []tthc.Month) *Chart {
	if len(months) == 0 {
		return nil
	}
	nf := r.site.Settings.NumberFormat
	const left, right, top, bottom, slot = 44, 8, 12, 196, 52
	c := &Chart{Width: left + right + slot*len(months), Height: 236, Top: top, Bottom: bottom}
	for pct := 0; pct <= 100; pct += 25 {
		c.Grid = append(c.Grid, GridLine{Y: bottom - (bottom-top)*pct/100, Label: itoa(pct) + "%"})
	}
	var parts []string
	for i, m := range months {
		label := twoDigits(m.Month) + "/" + itoa(m.Year%100)
		b := Bar{X: left + i*slot + 8, W: slot - 16, LabelX: left + i*slot + slot/2, Label: label}
		t, ok := m.OnTimeRate()
		if ok {
			b.H = int((int64(bottom-top)*t + 500) / 1000)
			b.Value = nf.Percent(t)
		} else {
			b.Value = "—"
		}
		b.Y = bottom - b.H
		c.Bars = append(c.Bars, b)
		parts = append(parts, "tháng "+twoDigits(m.Month)+"/"+itoa(m.Year)+": "+b.Value)
	}
	c.Summary = "Tỉ lệ hồ sơ giải quyết trước và đúng hạn theo tháng: " + strings.Join(parts, "; ") + "."
	return c
}

func (r *renderer) visitsView() *VisitsView {
	v := r.site.Visits
	if v == nil {
		return nil
	}
	nf := r.site.Settings.NumberFormat
	out := &VisitsView{Online: nf.Int(v.Online), Today: nf.Int(v.Today), Total: nf.Int(v.Total)}
	if !v.UpdatedAt.IsZero() {
		// The counts are of that moment: "online" is who was reading then,
		// "today" that day's views until then.
		t := v.UpdatedAt.In(r.site.Settings.Location)
		out.UpdatedAt = t.Format("15:04 02/01/2006")
		out.UpdatedISO = t.Format("2006-01-02T15:04:05-07:00")
	}
	return out
}

func (r *renderer) categoryLink(p *site.Page) *Link {
	if p.Cat == nil {
		return nil
	}
	return &Link{Label: p.Cat.Name, URL: r.site.URL(p.Cat.URL)}
}

// pager numbers the pages of a list: all of them when there are few, else
// the first, the last and two on each side of the current one.
func (r *renderer) pager(lp site.ListPage) *Pager {
	if lp.Total <= 1 {
		return nil
	}
	p := &Pager{Number: lp.Number, Total: lp.Total}
	if lp.Number > 1 {
		p.Prev = r.site.URL(site.PageURL(lp.First, lp.Number-1))
	}
	if lp.Number < lp.Total {
		p.Next = r.site.URL(site.PageURL(lp.First, lp.Number+1))
	}
	gap := false
	for n := 1; n <= lp.Total; n++ {
		if lp.Total > 7 && n != 1 && n != lp.Total && (n < lp.Number-2 || n > lp.Number+2) {
			if !gap {
				p.Pages = append(p.Pages, PagerItem{Gap: true})
				gap = true
			}
			continue
		}
		gap = false
		p.Pages = append(p.Pages, PagerItem{Number: n, URL: r.site.URL(site.PageURL(lp.First, n)), Current: n == lp.Number})
	}
	return p
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + itoa(n)
	}
	return itoa(n)
}
