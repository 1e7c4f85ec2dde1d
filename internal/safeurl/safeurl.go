// Package safeurl tells the addresses a page may link to from those that
// would run script or open something other than a web page when clicked
// (javascript:, vbscript:, data:text/html, file:). It reads an address the
// way a browser does, so that "JaVaScRiPt:", " javascript:" or
// "java\tscript:" are seen for what they are.
package safeurl

import "strings"

// Schemes are the schemes a link may have. An address without a scheme (a
// path, "#muc-2", "?trang=2", "//host/x") is always allowed.
var Schemes = []string{"http", "https", "mailto", "tel"}

// imageData are the data: types an image may have: pictures that cannot
// hold script.
var imageData = []string{"image/png", "image/gif", "image/jpeg", "image/webp"}

// Scheme returns the scheme of u in lower case, "" when u has none.
func Scheme(u string) string {
	u = clean(u)
	for i := 0; i < len(u); i++ {
		c := u[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case ('0' <= c && c <= '9') || c == '+' || c == '-' || c == '.':
			if i == 0 {
				return ""
			}
		case c == ':' && i > 0:
			return strings.ToLower(u[:i])
		default:
			return ""
		}
	}
	return ""
}

// Link reports whether u may be the target of a link.
func Link(u string) bool {
	s := Scheme(u)
	return s == "" || allowed(s)
}

// Image reports whether u may be the source of an image: as for a link, or
// a data: URL of a picture.
func Image(u string) bool {
	s := Scheme(u)
	if s == "" || allowed(s) && s != "mailto" && s != "tel" {
		return true
	}
	if s != "data" {
		return false
	}
	rest := strings.ToLower(clean(u)[len("data:"):])
	for _, t := range imageData {
		if strings.HasPrefix(rest, t+";") || strings.HasPrefix(rest, t+",") {
			return true
		}
	}
	return false
}

func allowed(s string) bool {
	for _, a := range Schemes {
		if s == a {
			return true
		}
	}
	return false
}

// clean does what a browser does to an address before reading it: it
// trims control characters and spaces at both ends and removes tabs and
// line breaks everywhere.
func clean(u string) string {
	u = strings.TrimFunc(u, func(r rune) bool { return r <= ' ' })
	if strings.ContainsAny(u, "\t\n\r") {
		u = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(u)
	}
	return u
}
