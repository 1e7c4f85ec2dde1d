package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"strings"
	"time"

	"github.com/congxa/congxa/internal/site"
)

// Feed and sitemap sizes.
const (
	FeedItems      = 20
	SitemapMaxURLs = 50000 // the sitemaps.org limit per file
)

type rss struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Atom    string     `xml:"xmlns:atom,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title       string    `xml:"title"`
	Link        string    `xml:"link"`
	Description string    `xml:"description"`
	Language    string    `xml:"language"`
	PubDate     string    `xml:"pubDate,omitempty"`
	Self        atomLink  `xml:"atom:link"`
	Items       []rssItem `xml:"item"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
}

type rssItem struct {
	Title       string  `xml:"title"`
	Link        string  `xml:"link"`
	GUID        rssGUID `xml:"guid"`
	PubDate     string  `xml:"pubDate"`
	Description string  `xml:"description,omitempty"`
	Category    string  `xml:"category,omitempty"`
}

type rssGUID struct {
	IsPermaLink bool   `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

// feed writes an RSS 2.0 feed of the newest posts. Its dates are RFC 1123
// with the site's offset (+0700), and it has no time of its own, so that
// two builds of the same site give the same feed.
func (r *renderer) feed(title, listPath, feedPath string, posts []*site.Page) []byte {
	s := r.site
	loc := s.Settings.Location
	ch := rssChannel{
		Title:       title,
		Link:        s.AbsURL(listPath),
		Description: title,
		Language:    "vi",
		Self:        atomLink{Href: s.AbsURL(feedPath), Rel: "self", Type: "application/rss+xml"},
	}
	if len(posts) > FeedItems {
		posts = posts[:FeedItems]
	}
	for i, p := range posts {
		if i == 0 {
			ch.PubDate = p.Date.In(loc).Format(time.RFC1123Z)
		}
		it := rssItem{
			Title:       p.Title,
			Link:        s.AbsURL(p.URL),
			GUID:        rssGUID{IsPermaLink: true, Value: s.AbsURL(p.URL)},
			PubDate:     p.Date.In(loc).Format(time.RFC1123Z),
			Description: r.summary(p).Summary,
		}
		if p.Cat != nil {
			it.Category = p.Cat.Name
		}
		ch.Items = append(ch.Items, it)
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	_ = enc.Encode(rss{Version: "2.0", Atom: "http://www.w3.org/2005/Atom", Channel: ch})
	b.WriteByte('\n')
	return b.Bytes()
}

// sitemapURL is one page of the sitemap.
type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

// sitemaps returns the sitemap files: sitemap.xml alone, or past
// SitemapMaxURLs an index at sitemap.xml pointing at sitemap-1.xml, … .
func (r *renderer) sitemaps(urls []sitemapURL) []Output {
	s := r.site
	// Written by hand rather than with encoding/xml, which takes tens of
	// milliseconds for a large site at every rebuild; the same bytes.
	write := func(root, elem string, urls []sitemapURL) []byte {
		var b bytes.Buffer
		b.Grow(len(urls) * 96)
		b.WriteString(xml.Header)
		b.WriteString("<" + root + ` xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
		for _, u := range urls {
			b.WriteString("\n  <" + elem + ">\n    <loc>")
			_ = xml.EscapeText(&b, []byte(u.Loc))
			b.WriteString("</loc>")
			if u.LastMod != "" {
				b.WriteString("\n    <lastmod>")
				_ = xml.EscapeText(&b, []byte(u.LastMod))
				b.WriteString("</lastmod>")
			}
			b.WriteString("\n  </" + elem + ">")
		}
		b.WriteString("\n</" + root + ">\n")
		return b.Bytes()
	}
	if len(urls) <= SitemapMaxURLs {
		return []Output{generated("sitemap.xml", write("urlset", "url", urls))}
	}
	var outs []Output
	var index []sitemapURL
	for i := 0; i*SitemapMaxURLs < len(urls); i++ {
		part := urls[i*SitemapMaxURLs : min((i+1)*SitemapMaxURLs, len(urls))]
		name := fmt.Sprintf("sitemap-%d.xml", i+1)
		outs = append(outs, generated(name, write("urlset", "url", part)))
		index = append(index, sitemapURL{Loc: s.AbsURL("/" + name)})
	}
	return append(outs, generated("sitemap.xml", write("sitemapindex", "sitemap", index)))
}

// robots points crawlers at the sitemap.
func (r *renderer) robots() Output {
	var b strings.Builder
	b.WriteString("User-agent: *\nAllow: /\n\nSitemap: ")
	b.WriteString(r.site.AbsURL("/sitemap.xml"))
	b.WriteString("\n")
	return generated("robots.txt", []byte(b.String()))
}

// generated is an output made whole at every build; its key is its hash.
func generated(path string, data []byte) Output {
	sum := sha256.Sum256(data)
	return Output{Path: path, Data: data, Key: "gen\x00" + hex.EncodeToString(sum[:16])}
}
