package safeurl

import "testing"

func TestScheme(t *testing.T) {
	for u, want := range map[string]string{
		"https://dichvucong.gov.vn/": "https",
		"HTTP://X.VN":                "http",
		"javascript:alert(1)":        "javascript",
		"JaVaScRiPt:alert(1)":        "javascript",
		" \x01javascript:alert(1)":   "javascript",
		"java\tscript:alert(1)":      "javascript",
		"java\nscript:alert(1)":      "javascript",
		"jav\r\nascript:alert(1)":    "javascript",
		"vbscript:msgbox":            "vbscript",
		"data:text/html,<script>":    "data",
		"mailto:vanthu@bacan.gov.vn": "mailto",
		"tel:+842033123456":          "tel",
		"/tin-tuc/":                  "",
		"tin-tuc/a.md":               "",
		"a/b:c.md":                   "",
		"#muc-2":                     "",
		"?trang=2":                   "",
		"//cdn.example.vn/x.js":      "",
		"java%09script:alert(1)":     "", // a path: '%' cannot be in a scheme
		"1http://x.vn":               "",
		"":                           "",
		":x":                         "",
		"Sơ đồ.svg":                  "",
		"a+b.c-d:x":                  "a+b.c-d",
	} {
		if got := Scheme(u); got != want {
			t.Errorf("Scheme(%q) = %q, want %q", u, got, want)
		}
	}
}

func TestLinkAndImage(t *testing.T) {
	for _, tc := range []struct {
		u           string
		link, image bool
	}{
		{"https://x.vn/a.png", true, true},
		{"http://x.vn", true, true},
		{"/assets/a.png", true, true},
		{"hop-dan.jpg", true, true},
		{"mailto:a@b.vn", true, false},
		{"tel:0984327946", true, false},
		{"javascript:alert(1)", false, false},
		{"  JAVASCRIPT:alert(1)", false, false},
		{"java\tscript:alert(1)", false, false},
		{"vbscript:x", false, false},
		{"file:///etc/passwd", false, false},
		{"data:text/html;base64,PHNjcmlwdD4=", false, false},
		{"data:image/svg+xml;base64,PHN2Zz4=", false, false},
		{"data:image/png;base64,iVBORw0KGgo=", false, true},
		{"DATA:IMAGE/JPEG,x", false, true},
		{"data:image/pngx,x", false, false},
		{"ftp://x.vn/a", false, false},
	} {
		if got := Link(tc.u); got != tc.link {
			t.Errorf("Link(%q) = %v, want %v", tc.u, got, tc.link)
		}
		if got := Image(tc.u); got != tc.image {
			t.Errorf("Image(%q) = %v, want %v", tc.u, got, tc.image)
		}
	}
}
