package scaffold

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/congxa/congxa/internal/content"
	"github.com/congxa/congxa/internal/diag"
	"github.com/congxa/congxa/internal/tthc"
	"github.com/congxa/congxa/internal/vn"
)

var now = time.Date(2026, 11, 27, 7, 5, 0, 0, time.UTC) // 14:05 in Vietnam

func TestParseCommune(t *testing.T) {
	for in, want := range map[string]Commune{
		"xã Bắc An":                   {"xã", "Bắc An"},
		"  Xã   Bắc  An ":             {"xã", "Bắc An"},
		"Bắc An":                      {"xã", "Bắc An"},
		"phường Đông Hà":              {"phường", "Đông Hà"},
		"Thị trấn Phú Xuyên":          {"thị trấn", "Phú Xuyên"},
		"THỊ TRẤN PHÚ XUYÊN":          {"thị trấn", "PHÚ XUYÊN"},
		"đặc khu Phú Quốc":            {"đặc khu", "Phú Quốc"},
		"xa\u0303 Ba\u0306\u0301c An": {"xã", "Bắc An"}, // combining marks: NFC first
		"xã Bắc\nAn":                  {"xã", "Bắc An"}, // spaces of any kind are one space
		"xã Bắc: An #1":               {"xã", "Bắc: An #1"},
		"Xã Hòa Bình 2 - Tây":         {"xã", "Hòa Bình 2 - Tây"},
	} {
		got, err := ParseCommune(in)
		if err != nil || got != want {
			t.Errorf("ParseCommune(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "xã", "xã ---", "xã <script>", "Thị trấn", strings.Repeat("Bắc An ", 20)} {
		if c, err := ParseCommune(in); err == nil {
			t.Errorf("ParseCommune(%q) = %+v, want an error", in, c)
		}
	}
}

func site(t *testing.T, name string) map[string]string {
	t.Helper()
	c, err := ParseCommune(name)
	if err != nil {
		t.Fatal(err)
	}
	files, err := Site(SiteOptions{Commune: c, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, f := range files {
		m[f.Path] = string(f.Data)
	}
	return m
}

func TestSite(t *testing.T) {
	files := site(t, "xã Bắc An")
	var names []string
	for p := range files {
		names = append(names, p)
	}
	for _, want := range []string{".gitignore", "README.md", "content/site.yaml", "content/gioi-thieu.md", "content/lien-he.md", "content/tthc.json", "content/tin-tuc/_index.md", "content/tin-tuc/ra-mat-trang-thong-tin-dien-tu-xa-bac-an.md"} {
		if _, ok := files[want]; !ok {
			t.Errorf("no %s among %v", want, names)
		}
	}
	if len(files) != 8 {
		t.Errorf("files: %v", names)
	}

	st, diags := content.LoadSettings(fstest.MapFS{"content/site.yaml": {Data: []byte(files["content/site.yaml"])}})
	if len(diags) > 0 {
		t.Fatalf("site.yaml: %s", diags)
	}
	if st.Title != "Trang thông tin điện tử xã Bắc An" || st.BaseURL.String() != "https://xa-bac-an.example/" || st.Contact.Address != "UBND xã Bắc An" || st.TimeZone != "Asia/Ho_Chi_Minh" {
		t.Errorf("settings: %+v", st)
	}
	snap, diags := tthc.Decode(diag.Source{Name: "content/tthc.json", Data: []byte(files["content/tthc.json"])}, now)
	if len(diags) > 0 || snap.Period != "2026-11" || !snap.UpdatedAt.Equal(now) {
		t.Errorf("tthc.json: %+v, %s", snap, diags)
	}
	post := files["content/tin-tuc/ra-mat-trang-thong-tin-dien-tu-xa-bac-an.md"]
	if !strings.Contains(post, "title: \"Ra mắt Trang thông tin điện tử xã Bắc An\"\ndate: \"27/11/2026 14:05\"\n") {
		t.Errorf("first post:\n%s", post)
	}
	for p, data := range files {
		if strings.Contains(data, "<no value>") || strings.Contains(data, "{{") {
			t.Errorf("%s: template left unfilled:\n%s", p, data)
		}
	}
	if !strings.Contains(files[".gitignore"], "/public/\n") {
		t.Errorf(".gitignore:\n%s", files[".gitignore"])
	}
}

// TestSiteSettingsDocumented: site.yaml shows every setting the loader
// knows, each after a comment, so that a setting added to the loader must
// be explained to new sites too; the settings shown commented out are
// valid once uncommented.
func TestSiteSettingsDocumented(t *testing.T) {
	src, err := os.ReadFile("../content/settings.go")
	if err != nil {
		t.Fatal(err)
	}
	yaml := site(t, "xã Bắc An")["content/site.yaml"]
	lines := strings.Split(yaml, "\n")
	for _, list := range []string{"settingsKeys", "contactKeys"} {
		m := regexp.MustCompile(`var ` + list + ` = \[\]string\{([^}]*)\}`).FindSubmatch(src)
		if m == nil {
			t.Fatalf("no %s in settings.go", list)
		}
		for _, q := range regexp.MustCompile(`"([a-z_]+)"`).FindAllSubmatch(m[1], -1) {
			key := string(q[1])
			re := regexp.MustCompile(`^\s*(# )?` + key + `:`)
			found := false
			for i, l := range lines {
				if re.MatchString(l) {
					found = true
					if i == 0 || !strings.HasPrefix(strings.TrimSpace(lines[i-1]), "#") {
						t.Errorf("site.yaml: %s has no comment above it", key)
					}
				}
			}
			if !found {
				t.Errorf("site.yaml does not show the setting %s", key)
			}
		}
	}
	uncommented := regexp.MustCompile(`(?m)^  # (phone|email):`).ReplaceAllString(yaml, "  $1:")
	st, diags := content.LoadSettings(fstest.MapFS{"content/site.yaml": {Data: []byte(uncommented)}})
	if len(diags) > 0 || st.Contact.Phone == "" || st.Contact.Email == "" {
		t.Errorf("site.yaml with phone and email uncommented: %+v, %s", st.Contact, diags)
	}
}

// TestSiteOddName: a name with YAML's special characters stays text.
func TestSiteOddName(t *testing.T) {
	files := site(t, "xã Bắc: An #1")
	st, diags := content.LoadSettings(fstest.MapFS{"content/site.yaml": {Data: []byte(files["content/site.yaml"])}})
	if len(diags) > 0 || st.Title != "Trang thông tin điện tử xã Bắc: An #1" {
		t.Errorf("settings: %+v, %s", st, diags)
	}
	if _, ok := files["content/tin-tuc/ra-mat-trang-thong-tin-dien-tu-xa-bac-an-1.md"]; !ok {
		t.Errorf("no first post with the slug of the name")
	}
}

func TestPost(t *testing.T) {
	for _, tc := range []struct {
		opt        PostOptions
		path, data string
	}{
		{PostOptions{Title: "Hội nghị triển khai nhiệm vụ năm 2027", Category: "Tin hoạt động", Now: now},
			"content/tin-tuc/hoi-nghi-trien-khai-nhiem-vu-nam-2027.md",
			"---\ntitle: \"Hội nghị triển khai nhiệm vụ năm 2027\"\ndate: \"27/11/2026 14:05\"\ncategory: \"Tin hoạt động\"\ndraft: true\n---\n\n"},
		// Combining marks, extra spaces, quotes, a colon.
		{PostOptions{Title: "  Đảng ủy xa\u0303 \"Đồng Tâm\":  họp ", Now: now, Section: "thong-bao"},
			"content/thong-bao/dang-uy-xa-dong-tam-hop.md",
			"---\ntitle: \"Đảng ủy xã \\\"Đồng Tâm\\\": họp\"\ndate: \"27/11/2026 14:05\"\ndraft: true\n---\n\n"},
		// Another time zone.
		{PostOptions{Title: "A", Now: now, Loc: time.UTC}, "content/tin-tuc/a.md", "---\ntitle: \"A\"\ndate: \"27/11/2026 07:05\"\ndraft: true\n---\n\n"},
		{PostOptions{Title: "Lịch tiếp công dân", Page: true, Category: "x", Now: now}, "content/lich-tiep-cong-dan.md", "---\ntitle: \"Lịch tiếp công dân\"\ndraft: true\n---\n\n"},
	} {
		f, err := Post(tc.opt)
		if err != nil || f.Path != tc.path || string(f.Data) != tc.data {
			t.Errorf("Post(%+v) = %s\n%s%v\nwant %s\n%s", tc.opt, f.Path, f.Data, err, tc.path, tc.data)
		}
		// The loader reads it back as written.
		fsys := fstest.MapFS{f.Path: {Data: f.Data}}
		s, diags := content.Load(fstest.MapFS(fsys), nil, content.Options{})
		if len(s.Pages) != 1 || s.Pages[0].Title != strings.Join(strings.Fields(strings.ReplaceAll(tc.opt.Title, "xa\u0303", "xã")), " ") || !s.Pages[0].Draft {
			t.Errorf("loaded %+v, %s", s.Pages, diags)
		}
	}
	if _, err := Post(PostOptions{Title: " \t", Now: now}); err != ErrNoTitle {
		t.Errorf("Post of an empty title: %v", err)
	}
	// A title without letters is named as the build names its URL.
	if f, err := Post(PostOptions{Title: "!!! ???", Now: now}); err != nil || f.Path != "content/tin-tuc/"+vn.SlugOrHash("!!! ???", "bai")+".md" {
		t.Errorf("Post of a title without letters: %s %v", f.Path, err)
	}
}
