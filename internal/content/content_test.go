package content

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/congxa/congxa/internal/diag"
)

const settings = "title: Xã Thử\nbase_url: https://xa.example.gov.vn/\n"

func load(t *testing.T, files map[string]string, theme fstest.MapFS) (*Site, diag.List) {
	t.Helper()
	fsys := fstest.MapFS{"content/site.yaml": {Data: []byte(settings)}}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	var th fstest.MapFS
	if theme != nil {
		th = theme
	}
	s, diags := Load(fsys, th, Options{Now: time.Date(2024, 12, 1, 0, 0, 0, 0, time.UTC)})
	diags.Sort()
	return s, diags
}

func TestDiagnostics(t *testing.T) {
	for _, tc := range []struct {
		name, file, data, want string
	}{
		{"bom", "content/a.md", "\uFEFF---\ntitle: A\n---\n", "content/a.md:1:1: file starts with a UTF-8 byte order mark (BOM): save it as UTF-8 without BOM"},
		// "Xã" in Windows-1258: X, a (0x61), combining tilde 0xDE.
		{"windows-1258", "content/a.md", "---\ntitle: X\x61\xDE B\n---\n", "content/a.md:2:10: file is not valid UTF-8 (byte 0xDE): was it saved in a legacy encoding such as Windows-1258, TCVN3 or VNI? Save it as UTF-8"},
		{"tcvn3 in site.yaml", "content/site.yaml", "title: X\xb8 Th\xf7\n", "content/site.yaml:1:9: file is not valid UTF-8 (byte 0xB8): was it saved in a legacy encoding such as Windows-1258, TCVN3 or VNI? Save it as UTF-8"},
		{"yaml column after Vietnamese", "content/a.md", "---\ntitle: Đảng ủy\ndate: [1\n---\n", "content/a.md:3:7: invalid YAML: sequence end token ']' not found"},
		{"yaml duplicate key", "content/a.md", "---\ntitle: A\ntitle: B\n---\n", `content/a.md:3:1: invalid YAML: mapping key "title" already defined at [1:1]`},
		{"yaml after blank lines", "content/a.md", "\n\n---\ntitle: A\n  x: y\n---\n", "content/a.md:4:8: invalid YAML: mapping value is not allowed in this context"},
		{"toml", "content/a.md", "+++\ntitle = \"A\"\ndraft = maybe\n+++\n", "content/a.md:3:9: invalid TOML: expected value but found \"maybe\" instead"},
		{"json inline", "content/a.md", "{\n  \"title\": \"A\",\n  \"draft\": yes\n}\n\nBody\n", "content/a.md:3:12: invalid JSON: invalid character 'y' looking for beginning of value"},
		{"json not closed by empty line", "content/a.md", "{\n  \"title\": \"A\"\n}\nBody\n", `content/a.md:1:1: JSON front matter must end with a line holding only "}" followed by an empty line`},
		{"toml error alone on its line", "content/a.md", "+++\ntitle = \"A\"\n!\n+++\n", "content/a.md:3:1: invalid TOML: expected '.' or '=', but got '!' instead"},
		{"toml not closed", "content/a.md", "+++\ntitle = \"A\"\n", `content/a.md:1:1: front matter opened with "+++" is never closed: add a line holding only "+++" after it`},
		{"front matter is a list", "content/a.md", "---\n- a\n- b\n---\n", "content/a.md:2:1: front matter must be a mapping of keys to values, not a list"},
		{"date impossible", "content/tin-tuc/a.md", "---\ntitle: A\ndate: 29/02/2023 08:00\n---\n", `content/tin-tuc/a.md:3:7: date: invalid date "29/02/2023 08:00": day out of range`},
		{"unknown key far from any", "content/a.md", "---\ntitle: A\nmau-sac: do\n---\n", `content/a.md:3:1: warning: unknown key "mau-sac" in front matter (known keys: title, date, category, tags, summary, slug, draft, image, aliases, expires, lastmod)`},
		{"index at top", "content/_index.md", "---\ntitle: A\n---\n", "content/_index.md: _index.md belongs in a section folder, e.g. content/tin-tuc/_index.md"},
		{"markdown settings", "content/site.yaml", settings + "markdown:\n  unsafe_html: có\n  iframe_hosts: [https://www.youtube.com/embed, WWW.YOUTUBE.COM, maps.google.com, \"<script>\"]\n  sanitise: false\n", `content/site.yaml:4:16: unsafe_html must be true or false, not "có"
content/site.yaml:5:18: markdown.iframe_hosts: "https://www.youtube.com/embed" is not a host name such as www.youtube.com (did you mean "www.youtube.com"?)
content/site.yaml:5:49: markdown.iframe_hosts: "WWW.YOUTUBE.COM" is not a host name such as www.youtube.com (did you mean "www.youtube.com"?)
content/site.yaml:5:83: markdown.iframe_hosts: "<script>" is not a host name such as www.youtube.com
content/site.yaml:6:3: warning: unknown key "sanitise" in markdown (known keys: unsafe_html, iframe_hosts)`},
		{"markdown not a mapping", "content/site.yaml", settings + "markdown: true\n", "content/site.yaml:3:11: markdown must be a mapping with unsafe_html, iframe_hosts, e.g. markdown: {unsafe_html: true}"},
		{"iframe hosts alone", "content/site.yaml", settings + "markdown: {iframe_hosts: www.youtube.com}\n", "content/site.yaml:3:26: warning: markdown.iframe_hosts has no effect without markdown.unsafe_html: true"},
		{"menu url that runs script", "content/site.yaml", settings + "menu:\n  - {label: Trang chủ, url: \"javascript:alert(1)\"}\nlinks:\n  - {label: Cổng, url: \" JAVASCRIPT:alert(1)\"}\n  - {label: Thư, url: \"mailto:vanthu@bacan.gov.vn\"}\n", `content/site.yaml:4:29: menu item "Trang chủ": url "javascript:alert(1)" must be a site path (/tin-tuc/) or an http, https, mailto or tel address
content/site.yaml:6:24: links item "Cổng": url "JAVASCRIPT:alert(1)" must be a site path (/tin-tuc/) or an http, https, mailto or tel address`},
		{"visits", "content/visits.json", `{"online": -1, "today": "4", "total": 292959}`, "content/visits.json:1:12: online must be at least 0, not -1\ncontent/visits.json:1:25: today must be a whole number, not \"4\""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, diags := load(t, map[string]string{tc.file: tc.data}, nil)
			if got := strings.TrimSpace(diags.String()); got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func TestFrontMatterFormats(t *testing.T) {
	s, diags := load(t, map[string]string{
		"content/tin-tuc/yaml.md": "---\ntitle: YAML\ndate: 28/03/2022 08:53:45\ntags: [a, b]\ndraft: false\n---\nBody Y\n",
		"content/tin-tuc/toml.md": "+++\ntitle = \"TOML\"\ndate = 2022-03-28T08:53:45\ntags = [\"a\"]\n+++\nBody T\n",
		"content/tin-tuc/json.md": ";;;\n{\"title\": \"JSON\", \"date\": \"2022-03-28T01:53:45Z\"}\n;;;\nBody J\n",
		"content/tin-tuc/bare.md": "{\n  \"title\": \"Bare\",\n  \"date\": \"28/03/2022 08:53:45\"\n}\n\nBody B\n",
	}, nil)
	if len(diags) > 0 {
		t.Fatalf("diagnostics: %s", diags)
	}
	want := time.Date(2022, 3, 28, 1, 53, 45, 0, time.UTC)
	for _, p := range s.Pages {
		if !p.Date.Equal(want) {
			t.Errorf("%s: date %v, want %v (08:53:45 in Vietnam)", p.Path, p.Date, want)
		}
		if !strings.HasPrefix(string(p.Body), "Body ") {
			t.Errorf("%s: body %q", p.Path, p.Body)
		}
		if p.Section != "tin-tuc" {
			t.Errorf("%s: section %q", p.Path, p.Section)
		}
	}
	if p := s.Pages[len(s.Pages)-1]; p.Title != "YAML" || len(p.Tags) != 2 || p.BodyLine != 7 {
		t.Errorf("yaml page: %+v", p)
	}
}

func TestNFD(t *testing.T) {
	nfd := "Đa\u0309ng u\u0309y" // "Đảng ủy" with combining marks
	s, diags := load(t, map[string]string{"content/a.md": "---\ntitle: " + nfd + "\n---\n" + nfd + "\n"}, nil)
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	if p := s.Pages[0]; p.Title != "Đảng ủy" || strings.TrimSpace(string(p.Body)) != "Đảng ủy" {
		t.Errorf("not NFC: %q / %q", p.Title, p.Body)
	}
}

func TestOverlayAndIgnored(t *testing.T) {
	theme := fstest.MapFS{
		"layouts/base.html":          {Data: []byte("theme base")},
		"layouts/post.html":          {Data: []byte("theme post")},
		"assets/css/site.css":        {Data: []byte("theme css")},
		"layouts/partials/.hidden":   {Data: []byte("x")},
		"layouts/partials/note.html": {Data: []byte("theme note")},
	}
	s, diags := load(t, map[string]string{
		"layouts/post.html":       "site post",
		"content/tai-lieu/a.pdf":  "%PDF",
		"content/tin-tuc/a.md~":   "backup",
		"content/tin-tuc/.#a.md":  "emacs lock",
		"content/tin-tuc/4913":    "vim probe",
		"content/~$bao-cao.docx":  "office lock",
		"content/_nhap/b.md":      "---\ntitle: nháp\n---\n",
		"content/.git/config":     "x",
		"content/tin-tuc/a.swp":   "vim swap",
		"content/tin-tuc/anh.jpg": "jpeg",
	}, theme)
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	var got []string
	for _, l := range s.Layouts {
		got = append(got, l.Name+"="+string(l.Data))
	}
	if strings.Join(got, ",") != "base.html=theme base,partials/note.html=theme note,post.html=site post" {
		t.Errorf("layouts: %v", got)
	}
	if len(s.Assets) != 1 || !s.Assets[0].Theme || s.Assets[0].Path != "<theme>/assets/css/site.css" {
		t.Errorf("assets: %+v", s.Assets)
	}
	got = nil
	for _, f := range s.Files {
		got = append(got, f.Name)
	}
	if strings.Join(got, ",") != "tai-lieu/a.pdf,tin-tuc/anh.jpg" {
		t.Errorf("files: %v", got)
	}
	if len(s.Pages) != 0 {
		t.Errorf("pages from ignored folders: %v", s.Pages)
	}
}

func TestMissingSettings(t *testing.T) {
	_, diags := Load(fstest.MapFS{"content/a.md": {Data: []byte("---\ntitle: A\n---\n")}}, nil, Options{})
	if got := diags.String(); got != "content/site.yaml: no site settings: create content/site.yaml with at least title and base_url (see README)\n" {
		t.Errorf("got %q", got)
	}
	_, diags = Load(fstest.MapFS{"README": {Data: []byte("x")}}, nil, Options{})
	if got := diags.String(); !strings.Contains(got, "content: no content folder: is this a site folder? (use --source DIR)") {
		t.Errorf("got %q", got)
	}
}

func TestSuggest(t *testing.T) {
	for k, want := range map[string]string{"catgory": "category", "titel": "title", "Title": "title", "tag": "tags", "sumary": "summary", "colour": "", "d": ""} {
		if got := suggest(k, pageKeys); got != want {
			t.Errorf("suggest(%q) = %q, want %q", k, got, want)
		}
	}
}

func TestLastModSetting(t *testing.T) {
	fsys := map[string]string{"content/site.yaml": settings + "lastmod: file\n"}
	_, diags := load(t, fsys, nil)
	want := `content/site.yaml:3:10: lastmod "file": the only setting is "git" (each page's last change is the date of the last commit of its file); leave it out to use each page's lastmod`
	if got := strings.TrimSpace(diags.String()); got != want {
	}
}

// Names written in NFD (as macOS and some zip tools store them) are known by
// their NFC form, which is how links to them are written, while the file is
// still read under its own name.
func TestNFDFileNames(t *testing.T) {
	nfd := func(s string) string { return norm.NFD.String(s) }
	dir := t.TempDir()
	for name, data := range map[string]string{
		"content/site.yaml":                                     settings,
		nfd("content/Thông báo/Họp dân.md"):                     "---\ntitle: Họp dân\ndate: 01/03/2024\n---\n",
		nfd("content/Thông báo/Sơ đồ.svg"):                      "<svg/>",
		"content/tai-lieu/" + nfd("Biên bản.pdf"):               "%PDF",
		"content/tai-lieu/" + norm.NFC.String("Quyết định.pdf"): "%PDF",
	} {
		writeTestFile(t, filepath.Join(dir, filepath.FromSlash(name)), data)
	}
	s, diags := Load(os.DirFS(dir), nil, Options{})
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	if len(s.Pages) != 1 || s.Pages[0].Path != "content/Thông báo/Họp dân.md" || s.Pages[0].Section != "Thông báo" {
		t.Fatalf("pages: %+v", s.Pages)
	}
	var names []string
	for _, f := range s.Files {
		names = append(names, f.Name)
		if !norm.NFC.IsNormalString(f.Path) {
			t.Errorf("%q: path not NFC", f.Path)
		}
		rc, err := f.Open()
		if err != nil {
			t.Errorf("%s: %v", f.Name, err)
			continue
		}
		rc.Close()
	}
	slices.Sort(names)
	if want := []string{"Thông báo/Sơ đồ.svg", "tai-lieu/Biên bản.pdf", "tai-lieu/Quyết định.pdf"}; !slices.Equal(names, want) {
		t.Errorf("files %q, want %q", names, want)
	}
}

// Two files whose names differ only in NFC and NFD would be published as
// one.
func TestSameNameInNFCAndNFD(t *testing.T) {
	dir := t.TempDir()
	nfc, nfd := "content/tai-lieu/Sơ đồ.svg", norm.NFD.String("content/tai-lieu/Sơ đồ.svg")
	writeTestFile(t, filepath.Join(dir, "content/site.yaml"), settings)
	writeTestFile(t, filepath.Join(dir, nfc), "<svg/>")
	writeTestFile(t, filepath.Join(dir, nfd), "<svg/>")
	writeTestFile(t, filepath.Join(dir, "content/a.md"), "---\ntitle: Đồng Tâm\n---\n")
	_, diags := Load(os.DirFS(dir), nil, Options{})
	want := nfc + ": another file, " + nfd + ", has the same name with its letters composed differently (Unicode NFC and NFD): keep one\n"
	if got := diags.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestVisitsWatermark: visits.json as "congxa visits" writes it, with its
// watermark, loads without a warning.
func TestVisitsWatermark(t *testing.T) {
	s, diags := load(t, map[string]string{"content/visits.json": `{
  "online": 2,
  "today": 41,
  "total": 292971,
  "updated_at": "2026-11-27T14:05:00+07:00",
  "watermark": {"from": "2026-11-27T13:54:58+07:00", "to": "2026-11-27T14:04:58+07:00", "lines": 37}
}`}, nil)
	if len(diags) > 0 {
		t.Fatalf("diagnostics: %s", diags)
	}
	v := s.Visits
	if v == nil || v.Online != 2 || v.Today != 41 || v.Total != 292971 || !v.UpdatedAt.Equal(time.Date(2026, 11, 27, 7, 5, 0, 0, time.UTC)) {
		t.Errorf("visits: %+v", v)
	}
}

// The files read by name are not read through a symbolic link, which could
// take them from outside the site; links met in the walk are ignored, and a
// loop does not make the walk go round.
func TestSymlinks(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "site")
	writeTestFile(t, filepath.Join(dir, "content/site.yaml"), settings)
	writeTestFile(t, filepath.Join(dir, "content/tin-tuc/a.md"), "---\ntitle: A\ndate: 01/01/2024\n---\n")
	writeTestFile(t, filepath.Join(root, "outside/tthc.json"), `{"secret": "x"}`)
	writeTestFile(t, filepath.Join(root, "outside/secret.md"), "---\ntitle: bí mật\n---\n")
	for link, target := range map[string]string{
		"content/tthc.json":         "../../outside/tthc.json",
		"content/visits.json":       "/dev/zero",
		"content/tin-tuc/vong":      ".",
		"content/tin-tuc/a1":        "a2",
		"content/tin-tuc/a2":        "a1",
		"content/tin-tuc/bi-mat.md": "../../../outside/secret.md",
	} {
		if err := os.Symlink(target, filepath.Join(dir, filepath.FromSlash(link))); err != nil {
			t.Fatal(err)
		}
	}
	s, diags := Load(os.DirFS(dir), nil, Options{})
	want := `content/tin-tuc/a1: warning: symbolic link ignored: copy the file into the site instead
content/tin-tuc/a2: warning: symbolic link ignored: copy the file into the site instead
content/tin-tuc/bi-mat.md: warning: symbolic link ignored: copy the file into the site instead
content/tin-tuc/vong: warning: symbolic link ignored: copy the file into the site instead
content/tthc.json: cannot read: it is a symbolic link: copy the file into the site instead (congxa reads no file through a link, which could point outside the site)
content/visits.json: cannot read: it is a symbolic link: copy the file into the site instead (congxa reads no file through a link, which could point outside the site)
`
	diags.Sort()
	if got := diags.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if s.TTHC != nil || s.Visits != nil || len(s.Pages) != 1 || len(s.Files) != 0 {
		t.Errorf("read through a link: tthc %v, visits %v, pages %d, files %d", s.TTHC, s.Visits, len(s.Pages), len(s.Files))
	}

	// The settings, too.
	if err := os.Rename(filepath.Join(dir, "content/site.yaml"), filepath.Join(root, "outside/site.yaml")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../../outside/site.yaml", filepath.Join(dir, "content/site.yaml")); err != nil {
		t.Fatal(err)
	}
	if _, diags := LoadSettings(os.DirFS(dir)); !strings.Contains(diags.String(), "content/site.yaml: cannot read: it is a symbolic link") {
		t.Errorf("LoadSettings: %s", diags)
	}
}

// TestFileSwappedForSymlink: a file of the site replaced by a symbolic
// link after the walk saw it (a git checkout while congxa serve runs), or
// a folder above it replaced by one, is not opened through the link.
func TestFileSwappedForSymlink(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "site")
	writeTestFile(t, filepath.Join(dir, "content/site.yaml"), settings)
	writeTestFile(t, filepath.Join(dir, "content/tai-lieu/lich.txt"), "lịch tiếp dân")
	writeTestFile(t, filepath.Join(dir, "content/tai-lieu/so/bang.txt"), "bảng")
	writeTestFile(t, filepath.Join(root, "outside/lich.txt"), "SECRET")
	writeTestFile(t, filepath.Join(root, "outside/so/bang.txt"), "SECRET")
	s, diags := Load(os.DirFS(dir), nil, Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	files := map[string]File{}
	for _, f := range s.Files {
		files[f.Name] = f
	}
	read := func(name string) (string, error) {
		f, ok := files[name]
		if !ok {
			t.Fatalf("no file %s in %v", name, files)
		}
		r, err := f.Open()
		if err != nil {
			return "", err
		}
		defer r.Close()
		b, err := io.ReadAll(r)
		return string(b), err
	}
	if got, err := read("tai-lieu/lich.txt"); err != nil || got != "lịch tiếp dân" {
		t.Fatalf("before: %q %v", got, err)
	}
	if got, err := read("tai-lieu/so/bang.txt"); err != nil || got != "bảng" {
		t.Fatalf("before: %q %v", got, err)
	}

	// The file, then a folder above another file, become links out.
	if err := os.Remove(filepath.Join(dir, "content/tai-lieu/lich.txt")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(root, "outside/lich.txt"), filepath.Join(dir, "content/tai-lieu/lich.txt")); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(dir, "content/tai-lieu/so")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../../../outside/so", filepath.Join(dir, "content/tai-lieu/so")); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"tai-lieu/lich.txt", "tai-lieu/so/bang.txt"} {
		got, err := read(name)
		if err == nil || strings.Contains(got, "SECRET") || !strings.Contains(err.Error(), "symbolic link") {
			t.Errorf("%s read through a link: %q, error %v", name, got, err)
		}
	}

	// A folder where the file was is not read either.
	if err := os.Remove(filepath.Join(dir, "content/tai-lieu/lich.txt")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "content/tai-lieu/lich.txt"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := read("tai-lieu/lich.txt"); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("a folder opened as the file: %v", err)
	}
}

func writeTestFile(t *testing.T, p, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestMarkdownSettings(t *testing.T) {
	for data, want := range map[string]MarkdownSettings{
		settings: {},
		settings + "markdown: {unsafe_html: true}\n":                                                      {UnsafeHTML: true},
		settings + "markdown:\n  unsafe_html: true\n  iframe_hosts: [www.youtube.com, maps.google.com]\n": {UnsafeHTML: true, IframeHosts: []string{"www.youtube.com", "maps.google.com"}},
		settings + "markdown: {unsafe_html: false}\n":                                                     {},
	} {
		s, diags := LoadSettings(fstest.MapFS{"content/site.yaml": {Data: []byte(data)}})
		if len(diags) > 0 {
			t.Fatalf("%q: %s", data, diags)
		}
		if !reflect.DeepEqual(s.Markdown, want) {
			t.Errorf("%q: %+v, want %+v", data, s.Markdown, want)
		}
	}
}

// Control characters pasted from Word or a PDF become spaces, in front
// matter and body, and never reach pages or feeds.
func TestControlCharacters(t *testing.T) {
	s, diags := load(t, map[string]string{
		"content/tin-tuc/a.md": "---\ntitle: \"Họp\\vdân\\x00thôn\\u2028Đồng\x0cTâm\"\ndate: 01/01/2024\ncategory: \"Thông\\u0085báo\"\ntags: [\"a\\x1bb\"]\n---\nThân\x0bbài\x00 có\u2029ký\u0080tự\tlạ.\r\nDòng hai\n",
	}, nil)
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	p := s.Pages[0]
	if p.Title != "Họp dân thôn Đồng Tâm" || p.Category != "Thông báo" || fmt.Sprint(p.Tags) != "[a b]" {
		t.Errorf("title %q, category %q, tags %q", p.Title, p.Category, p.Tags)
	}
	if got, want := string(p.Body), "Thân bài  có ký tự\tlạ.\r\nDòng hai\n"; got != want {
		t.Errorf("body %q, want %q", got, want)
	}
	for _, c := range []string{"Đồng Tâm", "Xã Bắc An\tthôn 1\r\n", ""} {
		if hasControl(c) {
			t.Errorf("hasControl(%q)", c)
		}
	}
}

// statFS is os.DirFS with ReadFileStat, as the command's site folder has.
type statFS struct {
	fs.FS
	dir   string
	reads atomic.Int64 // Load reads posts in parallel
}

func (f *statFS) ReadFileStat(name string) ([]byte, int64, time.Time, error) {
	f.reads.Add(1)
	p := filepath.Join(f.dir, filepath.FromSlash(name))
	info, err := os.Stat(p)
	if err != nil {
		return nil, 0, time.Time{}, err
	}
	data, err := os.ReadFile(p)
	return data, info.Size(), info.ModTime(), err
}

// TestReadFileStat: the size and time a StatReadFS gives with a post are
// what the next load compares with: an unchanged post is not read again,
// a changed one is.
func TestReadFileStat(t *testing.T) {
	dir := t.TempDir()
	writeTestFile(t, filepath.Join(dir, "content/site.yaml"), settings)
	writeTestFile(t, filepath.Join(dir, "content/tin-tuc/a.md"), "---\ntitle: A\ndate: 01/01/2024\n---\nMột.\n")
	writeTestFile(t, filepath.Join(dir, "content/tin-tuc/b.md"), "---\ntitle: B\ndate: 02/01/2024\n---\nHai.\n")
	fsys := &statFS{FS: os.DirFS(dir), dir: dir}
	first, diags := Load(fsys, nil, Options{})
	if diags.HasErrors() || len(first.Pages) != 2 {
		t.Fatalf("%d pages, %s", len(first.Pages), diags)
	}
	if n := fsys.reads.Load(); n != 2 {
		t.Fatalf("%d posts read with their stat, want 2", n)
	}
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(filepath.Join(dir, "content/tin-tuc/a.md"), old, old); err != nil {
		t.Fatal(err)
	}
	first, _ = Load(fsys, nil, Options{})
	writeTestFile(t, filepath.Join(dir, "content/tin-tuc/b.md"), "---\ntitle: B mới\ndate: 02/01/2024\n---\nHai.\n")
	second, diags := Load(fsys, nil, Options{Prev: first})
	if diags.HasErrors() || len(second.Pages) != 2 {
		t.Fatalf("%d pages, %s", len(second.Pages), diags)
	}
	byName := func(s *Site, name string) *Page {
		for _, p := range s.Pages {
			if p.Path == name {
				return p
			}
		}
		t.Fatalf("no page %s", name)
		return nil
	}
	if byName(second, "content/tin-tuc/a.md") != byName(first, "content/tin-tuc/a.md") {
		t.Error("the unchanged post was read again")
	}
	if got := byName(second, "content/tin-tuc/b.md").Title; got != "B mới" {
		t.Errorf("the changed post has the title %q", got)
	}
}
