package render

import (
	"bytes"
	"html/template"
)

// aliasPage is the page published at an old address of a page: any
// static web server serves it, and it sends the visitor on at once (meta
// refresh), tells search engines where the page now is (canonical) and
// shows a link for when neither works.
var aliasPage = template.Must(template.New("alias").Parse(`<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>{{.Title}} - {{.Site}}</title>
<link rel="canonical" href="{{.Canonical}}">
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url={{.URL}}">
</head>
<body>
<p>Trang này đã chuyển đến <a href="{{.URL}}">{{.Title}}</a>.</p>
</body>
</html>
`))

// aliases returns the pages published at the aliases.
func (r *renderer) aliases() []Output {
	s := r.site
	out := make([]Output, 0, len(s.Aliases))
	for _, a := range s.Aliases {
		var b bytes.Buffer
		err := aliasPage.Execute(&b, struct{ Title, Site, URL, Canonical string }{
			a.Target.Title, s.Settings.Title, s.URL(a.Target.URL), s.AbsURL(a.Target.URL),
		})
		if err != nil {
			panic(err) // the template is fixed and its data strings
		}
		out = append(out, generated(a.Out, b.Bytes()))
	}
	return out
}
