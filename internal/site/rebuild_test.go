package site

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/congxa/congxa/internal/content"
	"github.com/congxa/congxa/internal/diag"
)

// dumpModel writes out everything of a model that later stages read, with
// the identity of each page's loaded content.
func dumpModel(s *Site) string {
	var b strings.Builder
	names := func(ps []*Page) string {
		var out []string
		for _, p := range ps {
			out = append(out, p.Path)
		}
		return strings.Join(out, ",")
	}
	page := func(p *Page) {
		fmt.Fprintf(&b, "%d %s %p %s %s %s %v post=%v img=%s upd=%s newer=%s older=%s related=%s", p.Num, p.Path, p.Page, p.Slug, p.URL, p.Out, p.Page.Summary, p.IsPost, p.ImageURL, p.Updated, name(p.Newer), name(p.Older), names(p.Related))
		if p.Sec != nil {
			fmt.Fprintf(&b, " sec=%s", p.Sec.Name)
		}
		if p.Cat != nil {
			fmt.Fprintf(&b, " cat=%s", p.Cat.Slug)
		}
		for _, t := range p.Tags {
			fmt.Fprintf(&b, " tag=%s", t.Slug)
		}
		b.WriteByte('\n')
	}
	for _, p := range s.Posts {
		page(p)
	}
	for _, p := range s.Pages {
		page(p)
	}
	for _, sec := range s.Sections {
		fmt.Fprintf(&b, "section %s %s %s %p %s\n", sec.Name, sec.Title, sec.URL, sec.Index, names(sec.Posts))
	}
	for _, c := range s.Categories {
		fmt.Fprintf(&b, "category %s %s %s %s\n", c.Name, c.Slug, c.URL, names(c.Posts))
	}
	for _, t := range s.Tags {
		fmt.Fprintf(&b, "tag %s %s %s %s\n", t.Name, t.Slug, t.URL, names(t.Posts))
	}
	for _, m := range s.Archive {
		fmt.Fprintf(&b, "month %s %s\n", m.URL, names(m.Posts))
	}
	for _, a := range s.Aliases {
		fmt.Fprintf(&b, "alias %s %s %s\n", a.Path, a.Out, a.Target.Path)
	}
	for _, f := range s.Files {
		fmt.Fprintf(&b, "file %s %s %d\n", f.Path, f.Out, f.Size)
	}
	for _, a := range s.Assets {
		fmt.Fprintf(&b, "asset %s %s\n", a.Path, a.URL)
	}
	fmt.Fprintf(&b, "next %s %s scheduled %d expired %d gen %s %s %s %s base %s settings %p\n", s.Next, s.NextPage, s.Scheduled, s.Expired, s.Gen, s.ThemeGen, s.DataGen, s.SettingsGen, s.BasePath, s.Settings)
	return b.String()
}

// TestRebuild makes each model twice, from an earlier model with
// Rebuild and afresh with Build, and compares them and their problems: a
// page edited in what the model does not arrange it by is put into the
// earlier model, anything else builds it again.
func TestRebuild(t *testing.T) {
	now := day(20)
	base := func(t *testing.T) *content.Site {
		c := newSite(t,
			page("content/gioi-thieu.md", "title=Giới thiệu"),
			page("content/thong-bao/a.md", "title=Bài A", "date=1", "category=Thông báo", "tags=y tế,một cửa"),
			page("content/thong-bao/b.md", "title=Bài B", "date=2", "category=Thong bao"), // another spelling: a warning
			page("content/thong-bao/c.md", "title=Bài C", "date=3", "category=Thông báo", "image=anh.jpg"),
			page("content/tin-tuc/d.md", "title=Bài D", "date=4", "category=Tin hoạt động", "tags=y tế"),
			page("content/tin-tuc/e.md", "title=Bài E", "date=5", "category=Tin hoạt động", "lastmod=6"),
			page("content/tin-tuc/f.md", "title=Bài F", "date=6", "draft"),
			page("content/tin-tuc/g.md", "title=Bài G", "date=25"),              // scheduled
			page("content/tin-tuc/h.md", "title=Bài H", "date=7", "expires=28"), // taken down later
			page("content/tin-tuc/i.md", "title=Bài I", "date=8", "slug=Bai_I"), // a bad slug: an error
			page("content/tin-tuc/j.md", "title=Bài J", "date=9", "category=Tin hoạt động"),
		)
		c.Pages[3].Aliases, c.Pages[3].AliasPos = []string{"/cu/c.html"}, []diag.Pos{{File: c.Pages[3].Path, Line: 9, Col: 10}}
		c.Files = []content.File{{Path: "content/thong-bao/anh.jpg", Name: "thong-bao/anh.jpg", Size: 3}}
		c.Sections["tin-tuc"] = page("content/tin-tuc/_index.md", "title=Tin tức")
		return c
	}
	// edit returns c with the page at path read again and changed by f.
	edit := func(path string, f func(p *content.Page)) func(c *content.Site) {
		return func(c *content.Site) {
			for i, p := range c.Pages {
				if p.Path == path {
					q := *p
					q.Rev++
					q.Keys = append([]content.KeyPos{{Key: "summary", Line: 2, Col: 10}}, q.Keys...) // every key a line down
					for k := range q.Keys[1:] {
						q.Keys[k+1].Line++
					}
					f(&q)
					c.Pages[i] = &q
					return
				}
			}
			panic(path)
		}
	}
	summary := func(p *content.Page) { p.Summary = "Tóm tắt mới" }
	tests := []struct {
		name    string
		change  func(c *content.Site)
		now     time.Time
		patched bool
	}{
		{"nothing", func(c *content.Site) {}, now, true},
		{"summary", edit("content/tin-tuc/d.md", summary), now, true},
		{"summary of two posts and a page", func(c *content.Site) {
			edit("content/tin-tuc/d.md", summary)(c)
			edit("content/thong-bao/c.md", summary)(c)
			edit("content/gioi-thieu.md", summary)(c)
		}, now, true},
		{"summary of a draft", edit("content/tin-tuc/f.md", summary), now, true},
		{"summary of a scheduled post", edit("content/tin-tuc/g.md", summary), now, true},
		{"summary of a post with a warning", edit("content/thong-bao/b.md", summary), now, false},
		{"summary of a post with an error", edit("content/tin-tuc/i.md", summary), now, false},
		{"time passes, nothing due", func(c *content.Site) {}, day(24), true},
		{"time passes, a post due", edit("content/tin-tuc/d.md", summary), day(26), false},
		{"time goes back", func(c *content.Site) {}, day(19), false},
		{"title", edit("content/tin-tuc/d.md", func(p *content.Page) { p.Title = "Bài D mới" }), now, false},
		{"title as content.Load reads it", edit("content/tin-tuc/d.md", func(p *content.Page) { p.Title, p.TitleSlug = "Bài D mới", "bai-d-moi" }), now, false},
		{"date", edit("content/tin-tuc/d.md", func(p *content.Page) { p.Date = day(10) }), now, false},
		{"date, same instant in another zone", edit("content/tin-tuc/d.md", func(p *content.Page) { p.Date = p.Date.UTC() }), now, false},
		{"lastmod", edit("content/tin-tuc/e.md", func(p *content.Page) { p.LastMod = day(7) }), now, false},
		{"category", edit("content/tin-tuc/d.md", func(p *content.Page) { p.Category = "Thông báo" }), now, false},
		{"tags", edit("content/tin-tuc/d.md", func(p *content.Page) { p.Tags = []string{"một cửa"} }), now, false},
		{"draft on", edit("content/tin-tuc/d.md", func(p *content.Page) { p.Draft = true }), now, false},
		{"draft off", edit("content/tin-tuc/f.md", func(p *content.Page) { p.Draft = false }), now, false},
		{"expires", edit("content/tin-tuc/h.md", func(p *content.Page) { p.Expires = day(21) }), now, false},
		{"slug", edit("content/tin-tuc/d.md", func(p *content.Page) { p.Slug = "bai-d" }), now, false},
		{"image", edit("content/thong-bao/c.md", func(p *content.Page) { p.Image = "" }), now, false},
		{"aliases", edit("content/thong-bao/c.md", func(p *content.Page) { p.Aliases, p.AliasPos = nil, nil }), now, false},
		{"colliding with another post", edit("content/tin-tuc/d.md", func(p *content.Page) { p.Slug = "bai-e" }), now, false},
		{"deleted", func(c *content.Site) { c.Pages = append(c.Pages[:4:4], c.Pages[5:]...) }, now, false},
		{"renamed", func(c *content.Site) {
			q := *c.Pages[4]
			q.Path, q.Name = "content/tin-tuc/d2.md", "d2"
			c.Pages[4] = &q
		}, now, false},
		{"a file added", func(c *content.Site) {
			c.Files = append(c.Files, content.File{Path: "content/tin-tuc/x.pdf", Name: "tin-tuc/x.pdf"})
		}, now, false},
		{"a file changed", func(c *content.Site) {
			c.Files = []content.File{{Path: "content/thong-bao/anh.jpg", Name: "thong-bao/anh.jpg", Size: 4}}
		}, now, true},
		{"a section index", func(c *content.Site) { c.Sections["tin-tuc"] = page("content/tin-tuc/_index.md", "title=Tin") }, now, false},
		{"settings", func(c *content.Site) { c.SettingsGen = "other" }, now, false},
		{"snapshots", func(c *content.Site) { c.DataGen, c.Gen = "d2", "g2" }, now, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := base(t)
			prev, _ := Build(c, Options{Now: now})
			next := *c
			next.Pages = append([]*content.Page(nil), c.Pages...)
			next.Sections = map[string]*content.Page{"tin-tuc": c.Sections["tin-tuc"]}
			next.Settings = settings(t, "https://bacan.gov.vn/") // read again, the same
			tt.change(&next)
			opt := Options{Now: tt.now}
			fresh, freshDiags := Build(&next, opt)
			want := dumpModel(fresh)
			_, patched := patch(prevCopy(t, c, now), &next, opt)
			if patched != tt.patched {
				t.Errorf("patched: %v, want %v", patched, tt.patched)
			}
			shape := prev.Shape()
			got, gotDiags := Rebuild(prev, &next, opt)
			if (got.Shape() == shape) != tt.patched || got.Shape() == 0 {
				t.Errorf("shape %d after %d, patched %v", got.Shape(), shape, tt.patched)
			}
			if g := dumpModel(got); g != want {
				t.Errorf("Rebuild gives\n%s\nBuild gives\n%s", g, want)
			}
			if gotDiags.String() != freshDiags.String() {
				t.Errorf("Rebuild says\n%s\nBuild says\n%s", gotDiags, freshDiags)
			}
			// And the Settings pointer is the new load's in both.
			if got.Settings != next.Settings {
				t.Error("Rebuild kept the earlier settings")
			}
		})
	}
}

// prevCopy is a model of c at now, for patch to try and throw away.
func prevCopy(t *testing.T, c *content.Site, now time.Time) *Site {
	t.Helper()
	s, _ := Build(c, Options{Now: now})
	return s
}
