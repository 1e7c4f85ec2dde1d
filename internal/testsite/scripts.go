package testsite

import (
	"bytes"
	"fmt"
	"strings"

	"golang.org/x/net/html"

	"github.com/congxa/congxa/internal/safeurl"
)

// Scripts returns every place in the HTML document doc where script could
// run or where the page could load or post to another site on its own: a
// script, style, iframe (but from allowedFrames' hosts), object, form … element, an
// event handler, an address that is not allowed (javascript:, data:text/html,
// …), a style attribute, a refresh. Tests of the escaping of editors' text
// use it as a browser would read the page, not as a pattern on its bytes, so
// that "javascript:alert(1)" shown as text is not taken for an attack.
func Scripts(doc []byte, allowedFrames ...string) []string {
	var found []string
	z := html.NewTokenizer(bytes.NewReader(doc))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return found
		case html.StartTagToken, html.SelfClosingTagToken:
		case html.CommentToken:
			if strings.Contains(string(z.Token().Data), "congxa:") {
				found = append(found, "a congxa marker comment")
			}
			continue
		default:
			continue
		}
		t := z.Token()
		el := t.Data
		switch el {
		case "script":
			// The theme's own scripts carry no text an editor wrote; a
			// script element anywhere is reported, and a test that
			// expects one says so.
			found = append(found, "<script>")
		case "style", "object", "embed", "applet", "base", "form", "frame", "frameset", "svg", "math", "template", "portal":
			found = append(found, "<"+el+">")
		case "meta":
			for _, a := range t.Attr {
				if strings.EqualFold(a.Key, "http-equiv") {
					found = append(found, "<meta http-equiv>")
				}
			}
		}
		for _, a := range t.Attr {
			k := strings.ToLower(a.Key)
			switch {
			case strings.HasPrefix(k, "on"):
				found = append(found, fmt.Sprintf("<%s %s>", el, k))
			case k == "style" && (strings.Contains(strings.ToLower(a.Val), "url(") || strings.Contains(strings.ToLower(a.Val), "expression")):
				found = append(found, fmt.Sprintf("<%s style=%q>", el, a.Val))
			case k == "srcdoc", k == "formaction", k == "action", k == "xlink:href", k == "background", k == "poster", k == "srcset":
				found = append(found, fmt.Sprintf("<%s %s>", el, k))
			case k == "href" && !safeurl.Link(a.Val):
				found = append(found, fmt.Sprintf("<%s href=%q>", el, a.Val))
			case k == "src" && el == "iframe":
				if !frameAllowed(a.Val, allowedFrames) {
					found = append(found, fmt.Sprintf("<iframe src=%q>", a.Val))
				}
			case k == "src" && !safeurl.Image(a.Val):
				found = append(found, fmt.Sprintf("<%s src=%q>", el, a.Val))
			case k == "content" && el == "meta" && safeurl.Scheme(a.Val) != "" && !safeurl.Link(a.Val):
				found = append(found, fmt.Sprintf("<meta content=%q>", a.Val))
			}
		}
		if el == "iframe" && !hasAttr(t, "src") {
			found = append(found, "<iframe> without src")
		}
	}
}

func hasAttr(t html.Token, key string) bool {
	for _, a := range t.Attr {
		if strings.EqualFold(a.Key, key) {
			return true
		}
	}
	return false
}

func frameAllowed(src string, hosts []string) bool {
	for _, h := range hosts {
		if strings.HasPrefix(strings.ToLower(src), "https://"+strings.ToLower(h)+"/") {
			return true
		}
	}
	return false
}
