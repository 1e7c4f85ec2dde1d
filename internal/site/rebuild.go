package site

import (
	"slices"
	"time"

	"github.com/congxa/congxa/internal/content"
	"github.com/congxa/congxa/internal/diag"
)

// Rebuild assembles the model of c as Build does, from prev, the model of
// an earlier load of the same site (nil for none). When the pages that
// changed since prev changed only in what the model does not arrange them
// by (their text, summary, picture caption: not their URL, date, category,
// tags, aliases or publication), the new model is prev's with those pages
// put in: a one-post edit in a site of tens of thousands of posts then costs
// a comparison of pointers, not a new model. Otherwise it is Build.
//
// Either way the model and the problems reported are what Build(c, opt)
// gives. prev is spent: its pages are the new model's, updated in place,
// and it must not be used after.
func Rebuild(prev *Site, c *content.Site, opt Options) (*Site, diag.List) {
	if s, ok := patch(prev, c, opt); ok {
		return s, slices.Clone(s.diags)
	}
	return Build(c, opt)
}

// patch makes the model of c from prev when every page that changed
// changed only in what the model does not look at; ok is false when it
// cannot.
func patch(prev *Site, c *content.Site, opt Options) (s *Site, ok bool) {
	if prev == nil || prev.src == nil || c.Settings == nil || prev.Settings == nil ||
		c.SettingsGen != prev.SettingsGen || c.Settings.LastModGit || len(c.GitDates) > 0 || prev.Settings.LastModGit {
		return nil, false
	}
	// Every page not changed is published, or not, as before: no date
	// or expiry of any page falls between the two builds' times.
	po := prev.opt
	if opt.Drafts != po.Drafts || opt.Now.IsZero() != po.Now.IsZero() || opt.Now.Before(po.Now) ||
		(!prev.Next.IsZero() && !opt.Now.Before(prev.Next)) {
		return nil, false
	}
	if len(c.Sections) != len(prev.srcSections) {
		return nil, false
	}
	for name, idx := range c.Sections {
		if prev.srcSections[name] != idx {
			return nil, false
		}
	}
	// The same files, each published (none lost a claim).
	if len(c.Files) != len(prev.Files) {
		return nil, false
	}
	for i := range c.Files {
		if c.Files[i].Path != prev.Files[i].Path || c.Files[i].Name != prev.Files[i].Name {
			return nil, false
		}
	}
	if len(c.Pages) != len(prev.src) {
		return nil, false
	}
	var changed []int
	for i, cp := range c.Pages {
		old := prev.src[i]
		if cp == old {
			continue
		}
		if cp.Path != old.Path || !sameForModel(old, cp) {
			return nil, false
		}
		// A page the model reported a problem of: the problem is at a
		// position in its file, which may have moved.
		for _, d := range prev.diags {
			if d.Pos.File == cp.Path {
				return nil, false
			}
		}
		changed = append(changed, i)
	}
	for _, i := range changed {
		if p := prev.byPath[c.Pages[i].Path]; p != nil {
			p.Page = c.Pages[i]
		}
	}
	s = new(Site)
	*s = *prev
	s.Gen, s.ThemeGen, s.DataGen, s.SettingsGen = c.Gen, c.ThemeGen, c.DataGen, c.SettingsGen
	s.Settings, s.TTHC, s.Visits, s.Layouts = c.Settings, c.TTHC, c.Visits, c.Layouts
	s.Files = make([]StaticFile, len(c.Files))
	for i, f := range c.Files {
		s.Files[i] = StaticFile{File: f, Out: prev.Files[i].Out}
	}
	s.src, s.srcSections, s.opt = c.Pages, c.Sections, opt
	return s, true
}

// sameForModel reports whether two readings of a page give it the same
// place in the model: everything of it Build looks at but the positions of
// its keys, which only its problems show.
func sameForModel(a, b *content.Page) bool {
	return a.Dir == b.Dir && a.Section == b.Section && a.Title == b.Title && a.TitleSlug == b.TitleSlug &&
		a.Slug == b.Slug && sameTime(a.Date, b.Date) && a.HasDate == b.HasDate && a.Draft == b.Draft &&
		sameTime(a.Expires, b.Expires) && sameTime(a.LastMod, b.LastMod) &&
		a.Category == b.Category && slices.Equal(a.Tags, b.Tags) && a.Image == b.Image &&
		slices.Equal(a.Aliases, b.Aliases)
}

// sameTime reports whether two times are the same instant with the same
// zone's name and offset: what a page could show of its dates.
func sameTime(a, b time.Time) bool {
	an, ao := a.Zone()
	bn, bo := b.Zone()
	return a.Equal(b) && an == bn && ao == bo
}
