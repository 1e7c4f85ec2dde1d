package render

import (
	"encoding/xml"
	"fmt"
	"strings"
	"testing"

	"github.com/congxa/congxa/internal/content"
	"github.com/congxa/congxa/internal/site"
)

// TestSitemapSplits checks that past 50,000 URLs the sitemap becomes an
// index of sitemap files, each within the limit, together holding every URL.
func TestSitemapSplits(t *testing.T) {
	base, _ := content.ParseBaseURL("https://xa.example.gov.vn/xa-thu/")
	r := &renderer{site: &site.Site{Settings: &content.Settings{BaseURL: base}, BasePath: base.Path}}
	for _, n := range []int{1, SitemapMaxURLs, SitemapMaxURLs + 1, 2*SitemapMaxURLs + 7} {
		urls := make([]sitemapURL, n)
		for i := range urls {
			urls[i] = sitemapURL{Loc: fmt.Sprintf("https://xa.example.gov.vn/xa-thu/p%d/", i)}
		}
		outs := r.sitemaps(urls)
		wantFiles := 1
		if n > SitemapMaxURLs {
			wantFiles = (n+SitemapMaxURLs-1)/SitemapMaxURLs + 1
		}
		if len(outs) != wantFiles {
			t.Fatalf("%d URLs: %d files, want %d", n, len(outs), wantFiles)
		}
		total := 0
		for _, o := range outs {
			var doc struct {
				XMLName xml.Name
				URLs    []sitemapURL `xml:"url"`
				Maps    []sitemapURL `xml:"sitemap"`
			}
			if err := xml.Unmarshal(o.Data, &doc); err != nil {
				t.Fatalf("%s: %v", o.Path, err)
			}
			if doc.XMLName.Space != "http://www.sitemaps.org/schemas/sitemap/0.9" {
				t.Errorf("%s: namespace %q", o.Path, doc.XMLName.Space)
			}
			if len(doc.URLs) > SitemapMaxURLs {
				t.Errorf("%s has %d URLs", o.Path, len(doc.URLs))
			}
			total += len(doc.URLs)
			if o.Path == "sitemap.xml" && n > SitemapMaxURLs {
				if doc.XMLName.Local != "sitemapindex" || len(doc.Maps) != wantFiles-1 || !strings.HasPrefix(doc.Maps[0].Loc, "https://xa.example.gov.vn/xa-thu/sitemap-1.xml") {
					t.Errorf("index: %s %+v", doc.XMLName.Local, doc.Maps)
				}
			}
		}
		if total != n {
			t.Errorf("%d URLs in, %d out", n, total)
		}
	}
}
