package markdown

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"

	"github.com/congxa/congxa/internal/safeurl"
)

// policy is what raw HTML may hold when a site allows it: ordinary
// formatting, lists, tables, images, links, and iframes from the hosts the
// site names (embedded video). Everything else goes: script and style
// elements with their content, event handlers, style attributes but a
// table cell's alignment, and every address that is not http, https,
// mailto, tel, a path or a picture's data: URL. It allows all that this
// package's own HTML holds, so that Markdown renders the same through it.
func policy(iframeHosts []string) *bluemonday.Policy {
	// Text in an attribute is escaped when written: any is safe.
	text := regexp.MustCompile(`(?s)^.*$`)
	p := bluemonday.NewPolicy()
	p.AllowURLSchemes("http", "https", "mailto", "tel")
	p.AllowRelativeURLs(true)
	// Pictures only: an SVG may hold script.
	p.AllowURLSchemeWithCustomPolicy("data", func(u *url.URL) bool { return safeurl.Image(u.String()) })

	p.AllowElements("p", "br", "hr", "div", "span", "blockquote", "pre", "code", "kbd", "samp", "var",
		"em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "small", "sub", "sup", "abbr", "cite", "q", "dfn", "time",
		"h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
		"figure", "figcaption", "details", "summary", "section", "article", "aside")
	p.AllowAttrs("id").Matching(regexp.MustCompile(`^[\p{L}\p{N}_-]+$`)).Globally()
	p.AllowAttrs("title").Matching(text).Globally()
	p.AllowAttrs("lang").Matching(regexp.MustCompile(`^[a-zA-Z]{2,8}(-[a-zA-Z0-9]{1,8})*$`)).Globally()
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^language-[\w+#.-]+$`)).OnElements("code")
	p.AllowAttrs("open").Matching(regexp.MustCompile(`(?i)^(|open)$`)).OnElements("details")
	p.AllowAttrs("start").Matching(bluemonday.Integer).OnElements("ol")
	p.AllowAttrs("cite").OnElements("blockquote", "q")
	p.AllowAttrs("datetime").Matching(bluemonday.ISO8601).OnElements("time")

	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("src").OnElements("img")
	p.AllowAttrs("alt").Matching(text).OnElements("img")
	p.AllowAttrs("width", "height").Matching(bluemonday.NumberOrPercent).OnElements("img")
	p.AllowAttrs("loading").Matching(regexp.MustCompile(`^(lazy|eager)$`)).OnElements("img", "iframe")

	p.AllowElements("table", "thead", "tbody", "tfoot", "tr", "caption")
	p.AllowAttrs("colspan", "rowspan").Matching(bluemonday.Integer).OnElements("th", "td")
	p.AllowAttrs("scope").Matching(regexp.MustCompile(`^(row|col|rowgroup|colgroup)$`)).OnElements("th")
	p.AllowAttrs("align").Matching(bluemonday.CellAlign).OnElements("th", "td")
	p.AllowStyles("text-align").MatchingEnum("left", "right", "center").OnElements("th", "td")
	p.AllowElements("th", "td")
	// The scrolling box around tables (tableWrapRenderer).
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^table-wrap$`)).OnElements("div")
	p.AllowAttrs("tabindex").Matching(regexp.MustCompile(`^0$`)).OnElements("div")
	p.AllowAttrs("role").Matching(regexp.MustCompile(`^region$`)).OnElements("div")
	p.AllowAttrs("aria-label").Matching(text).OnElements("div")
	// Task lists' check boxes.
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^checkbox$`)).OnElements("input")
	p.AllowAttrs("checked", "disabled").Matching(regexp.MustCompile(`^(|checked|disabled)$`)).OnElements("input")

	if len(iframeHosts) > 0 {
		quoted := make([]string, len(iframeHosts))
		for i, h := range iframeHosts {
			quoted[i] = regexp.QuoteMeta(strings.ToLower(h))
		}
		p.AllowAttrs("src").Matching(regexp.MustCompile(`(?i)^https://(` + strings.Join(quoted, "|") + `)(/[^\s]*)?$`)).OnElements("iframe")
		p.AllowAttrs("width", "height").Matching(bluemonday.NumberOrPercent).OnElements("iframe")
		p.AllowAttrs("allowfullscreen").Matching(regexp.MustCompile(`^(|allowfullscreen|true)$`)).OnElements("iframe")
		p.AllowAttrs("allow").Matching(regexp.MustCompile(`^[a-z-]+( [^;"]*)?(; *[a-z-]+( [^;"]*)?)*;?$`)).OnElements("iframe")
		p.AllowAttrs("referrerpolicy").Matching(regexp.MustCompile(`^[a-z-]+$`)).OnElements("iframe")
		p.AllowAttrs("frameborder").Matching(bluemonday.Integer).OnElements("iframe")
	}
	return p
}
