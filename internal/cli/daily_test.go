package cli

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"
	"time"
)

// TestInit: a new site builds at once, without a warning, with the
// commune's name in its title, footer and first post.
func TestInit(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "xa-dong-tam")
	code, stdout, stderr := run("init", dir, "--name", "Đồng Tâm")
	if code != ExitOK || stderr != "" || !strings.Contains(stdout, "created the site of xã Đồng Tâm") {
		t.Fatalf("init: exit %d\n%s%s", code, stdout, stderr)
	}
	dest := filepath.Join(t.TempDir(), "public")
	code, stdout, stderr = run("build", "--source", dir, "--dest", dest)
	if code != ExitOK || stderr != "" {
		t.Fatalf("build: exit %d\n%s%s", code, stdout, stderr)
	}
	home := readFile(t, filepath.Join(dest, "index.html"))
	for _, want := range []string{
		"<title>Trang thông tin điện tử xã Đồng Tâm</title>",
		"TRANG THÔNG TIN ĐIỆN TỬ XÃ ĐỒNG TÂM",                  // banner and footer
		"Chủ tịch UBND xã Đồng Tâm",                            // footer: editor in chief
		"UBND xã Đồng Tâm",                                     // footer: address
		"/tin-tuc/ra-mat-trang-thong-tin-dien-tu-xa-dong-tam/", // the first post
		"Kết quả giải quyết TTHC",
	} {
		if !strings.Contains(home, want) {
			t.Errorf("index.html lacks %q", want)
		}
	}
	for _, p := range []string{"gioi-thieu/index.html", "lien-he/index.html", "tthc/index.html", "tin-tuc/ra-mat-trang-thong-tin-dien-tu-xa-dong-tam/index.html", "404.html", "sitemap.xml"} {
		if _, err := os.Stat(filepath.Join(dest, p)); err != nil {
			t.Errorf("the new site has no %s", p)
		}
	}
	if got := readFile(t, filepath.Join(dest, "sitemap.xml")); !strings.Contains(got, "https://xa-dong-tam.example/gioi-thieu/") {
		t.Errorf("sitemap.xml does not use the default base URL:\n%s", got)
	}

	// congxa check fails until the contact has a phone and an e-mail
	// address; given to init, it passes at once.
	if code, stdout, _ := run("check", "--source", dir); code != ExitError || !strings.Contains(stdout, "contact.phone") || !strings.Contains(stdout, "contact.email") {
		t.Errorf("check of a site without phone and email: exit %d\n%s", code, stdout)
	}
	full := filepath.Join(t.TempDir(), "xa-dong-tam")
	if code, stdout, stderr := run("init", full, "--name", "Đồng Tâm", "--phone", "0220 3888 888", "--email", "ubnd@dongtam.example.gov.vn"); code != ExitOK || strings.Contains(stdout, "phone") {
		t.Fatalf("init with phone and email: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, stdout, stderr := run("check", "--source", full); code != ExitOK || !strings.Contains(stdout, ": 0 errors, 0 warnings") {
		t.Errorf("check of a new site: exit %d\n%s%s", code, stdout, stderr)
	}

	// It refuses to write over anything.
	code, _, stderr = run("init", dir)
	if code != ExitError || !strings.Contains(stderr, "is not empty") {
		t.Errorf("init over a site: exit %d, %s", code, stderr)
	}
	file := filepath.Join(t.TempDir(), "f")
	writeFile(t, file, "x")
	if code, _, stderr = run("init", file); code != ExitError || !strings.Contains(stderr, "is a file") {
		t.Errorf("init over a file: exit %d, %s", code, stderr)
	}
	// A new clone, holding only .git, is fine.
	clone := t.TempDir()
	writeFile(t, filepath.Join(clone, ".git", "HEAD"), "ref: refs/heads/main\n")
	if code, _, stderr = run("init", clone, "--name", "phường Đông Hà", "--base-url", "https://dongha.example.gov.vn/cong"); code != ExitOK {
		t.Errorf("init in a clone: exit %d, %s", code, stderr)
	}
	if got := readFile(t, filepath.Join(clone, "content", "site.yaml")); !strings.Contains(got, `base_url: "https://dongha.example.gov.vn/cong/"`) || !strings.Contains(got, `title: "Trang thông tin điện tử phường Đông Hà"`) {
		t.Errorf("site.yaml:\n%s", got)
	}
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"init"}, "want one folder"},
		{[]string{"init", "a", "b"}, "want one folder"},
		{[]string{"init", filepath.Join(t.TempDir(), "x"), "--name", "xã <b>"}, "--name"},
		{[]string{"init", filepath.Join(t.TempDir(), "x"), "--base-url", "bacan.gov.vn"}, "--base-url"},
		{[]string{"init", filepath.Join(t.TempDir(), "x"), "--phone", "goi 113"}, "--phone"},
		{[]string{"init", filepath.Join(t.TempDir(), "x"), "--email", "ubnd@"}, "--email"},
	} {
		if code, _, stderr := run(tc.args...); code != ExitUsage || !strings.Contains(stderr, tc.msg) {
			t.Errorf("congxa %s: exit %d, %s", strings.Join(tc.args, " "), code, stderr)
		}
	}
}

// TestNewPost: the post is written where the build expects it, dated now in
// the site's time zone, as a draft; --drafts shows it.
func TestNewPost(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	if code, _, stderr := run("init", dir); code != ExitOK {
		t.Fatal(stderr)
	}
	code, stdout, stderr := run("new", "post", "Đảng ủy xã Đồng Tâm: Hội nghị tổng kết", "--source", dir, "--category", "Tin  hoạt động")
	want := filepath.Join(dir, "content", "tin-tuc", "dang-uy-xa-dong-tam-hoi-nghi-tong-ket.md")
	if code != ExitOK || stdout != want+"\n" || stderr != "" {
		t.Fatalf("new post: exit %d, %q, %q; want %s", code, stdout, stderr, want)
	}
	// buildTime is 01/12/2024 09:00 in Vietnam.
	if got := readFile(t, want); got != "---\ntitle: \"Đảng ủy xã Đồng Tâm: Hội nghị tổng kết\"\ndate: \"01/12/2024 09:00\"\ncategory: \"Tin hoạt động\"\ndraft: true\n---\n\n" {
		t.Errorf("the post:\n%s", got)
	}
	writeFile(t, want, readFile(t, want)+"Nội dung.\n")
	code, _, stderr = run("new", "post", "Đảng ủy xã Đồng Tâm: hội nghị tổng kết", "--source", dir)
	if code != ExitError || !strings.Contains(stderr, "already exists") || !strings.Contains(readFile(t, want), "Nội dung.") {
		t.Errorf("second new post of the same slug: exit %d, %s", code, stderr)
	}

	dest := filepath.Join(t.TempDir(), "public")
	post := filepath.Join(dest, "tin-tuc", "dang-uy-xa-dong-tam-hoi-nghi-tong-ket", "index.html")
	if code, _, stderr := run("build", "--source", dir, "--dest", dest); code != ExitOK || stderr != "" {
		t.Fatalf("build: %d %s", code, stderr)
	}
	if _, err := os.Stat(post); err == nil {
		t.Error("a draft was published without --drafts")
	}
	if code, _, stderr := run("build", "--source", dir, "--dest", dest, "--drafts"); code != ExitOK || stderr != "" {
		t.Fatalf("build --drafts: %d %s", code, stderr)
	}
	if got := readFile(t, post); !strings.Contains(got, "01/12/2024 09:00") || !strings.Contains(got, "TIN HOẠT ĐỘNG") {
		t.Errorf("the post's page lacks its date or category")
	}

	// The site's time zone, not the machine's.
	yaml := filepath.Join(dir, "content", "site.yaml")
	writeFile(t, yaml, strings.Replace(readFile(t, yaml), "timezone: Asia/Ho_Chi_Minh", "timezone: Europe/Paris", 1))
	code, stdout, _ = run("new", "post", "Giờ Paris", "--source", dir)
	if code != ExitOK || !strings.Contains(readFile(t, strings.TrimSpace(stdout)), `date: "01/12/2024 03:00"`) {
		t.Errorf("new post in Europe/Paris: %d %s", code, stdout)
	}

	// A page, a section, and mistakes.
	code, stdout, _ = run("new", "page", "Quy hoạch sử dụng đất", "--source", dir)
	if code != ExitOK || stdout != filepath.Join(dir, "content", "quy-hoach-su-dung-dat.md")+"\n" {
		t.Errorf("new page: %d %q", code, stdout)
	}
	if code, _, stderr = run("new", "post", "Tuyển dụng", "--section", "thong-bao", "--source", dir); code != ExitError || !strings.Contains(stderr, "no section content/thong-bao/") {
		t.Errorf("new post in a missing section: %d %s", code, stderr)
	}
	if err := os.Mkdir(filepath.Join(dir, "content", "thong-bao"), 0o755); err != nil {
		t.Fatal(err)
	}
	if code, stdout, _ = run("new", "post", "--section", "thong-bao", "--source", dir, "--", "-5% phí"); code != ExitOK || !strings.HasSuffix(stdout, filepath.Join("thong-bao", "5-phi.md")+"\n") {
		t.Errorf("new post after --: %d %q", code, stdout)
	}
	// A title without letters: the file is named as the build names the
	// post's URL, from a hash of the title.
	code, stdout, stderr = run("new", "post", "???", "--source", dir)
	name := strings.TrimSuffix(filepath.Base(strings.TrimSpace(stdout)), ".md")
	if code != ExitOK || !regexp.MustCompile(`^bai-[0-9a-f]{8}$`).MatchString(name) {
		t.Errorf("new post ???: %d %q %s", code, stdout, stderr)
	}
	if code, _, stderr := run("build", "--source", dir, "--dest", dest, "--drafts"); code != ExitOK || !strings.Contains(stderr, "published at /tin-tuc/"+name+"/") {
		t.Errorf("build --drafts: %d %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dest, "tin-tuc", name, "index.html")); err != nil {
		t.Errorf("the post ??? is not where its file's name says: %v", err)
	}

	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"new"}, ExitUsage, "post or page"},
		{[]string{"new", "bai", "x"}, ExitUsage, "post or page"},
		{[]string{"new", "post"}, ExitUsage, "want one title"},
		{[]string{"new", "post", "a", "b"}, ExitUsage, "want one title"},
		{[]string{"new", "post", "  ", "--source", dir}, ExitUsage, "the title is empty"},
		{[]string{"new", "page", "x", "--category", "c"}, ExitUsage, "no category"},
		{[]string{"new", "post", "x", "--section", "../x"}, ExitUsage, "--section"},
		{[]string{"new", "post", "x", "--source", t.TempDir()}, ExitError, "content/site.yaml"},
	} {
		if code, _, stderr := run(tc.args...); code != tc.code || !strings.Contains(stderr, tc.msg) {
			t.Errorf("congxa %s: exit %d, %s", strings.Join(tc.args, " "), code, stderr)
		}
	}
}

// TestVisitsCommand: counts from a current and a rotated, compressed log,
// the second run adding nothing, and the sidebar showing the counts with
// their time.
func TestVisitsCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	if code, _, stderr := run("init", dir); code != ExitOK {
		t.Fatal(stderr)
	}
	logs := t.TempDir()
	at := buildTime.Add(-3 * time.Minute) // 08:57 in Vietnam
	line := func(ip string, t time.Time, path string, status int, ua string) string {
		return fmt.Sprintf("%s - - [%s] \"GET %s HTTP/1.1\" %d 100 \"-\" \"%s\"\n", ip, t.Format("02/Jan/2006:15:04:05 -0700"), path, status, ua)
	}
	const browser = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
	// Yesterday's log, rotated and compressed: 2 views.
	old := line("198.51.100.1", at.Add(-24*time.Hour), "/", 200, browser) + line("198.51.100.1", at.Add(-24*time.Hour), "/tin-tuc/", 200, browser)
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write([]byte(old))
	zw.Close()
	writeFile(t, filepath.Join(logs, "access.log.2.gz"), z.String())
	writeFile(t, filepath.Join(logs, "access.log.1"), line("198.51.100.2", at.Add(-2*time.Hour), "/gioi-thieu/", 200, browser))
	cur := line("198.51.100.3", at, "/", 200, browser) +
		line("198.51.100.3", at, "/assets/css/site.0123456789.css", 200, browser) +
		line("198.51.100.4", at, "/", 200, "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)") +
		line("198.51.100.5", at, "/khong-co/", 404, browser)
	writeFile(t, filepath.Join(logs, "access.log"), cur)
	visitsJSON := filepath.Join(dir, "content", "visits.json")
	writeFile(t, visitsJSON, `{"online": 1, "today": 4, "total": 292959, "updated_at": "2023-12-02T22:14:02+07:00"}`)

	code, stdout, stderr := run("visits", "--source", dir, "--log", filepath.Join(logs, "access.log"), "--log", filepath.Join(logs, "access.log*"))
	if code != ExitOK || stderr != "" || !strings.Contains(stdout, "counted 4 new page views in 7 log lines: online 1, today 2, total 292963") {
		t.Fatalf("visits: exit %d\n%s%s", code, stdout, stderr)
	}
	got := readFile(t, visitsJSON)
	var v struct {
		Online, Today, Total int64
		UpdatedAt            string `json:"updated_at"`
	}
	if err := json.Unmarshal([]byte(got), &v); err != nil || v.Online != 1 || v.Today != 2 || v.Total != 292963 || v.UpdatedAt != "2024-12-01T09:00:00+07:00" {
		t.Errorf("visits.json: %+v %v\n%s", v, err, got)
	}
	if strings.Contains(got, "198.51.100") {
		t.Errorf("visits.json holds an address:\n%s", got)
	}
	// Again: nothing new.
	if code, stdout, _ = run("visits", "--source", dir, "--log", filepath.Join(logs, "access.log*")); code != ExitOK || !strings.Contains(stdout, "counted 0 new page views in 7 log lines: online 1, today 2, total 292963") {
		t.Errorf("second run: %d %s", code, stdout)
	}
	dest := filepath.Join(t.TempDir(), "public")
	if code, _, stderr := run("build", "--source", dir, "--dest", dest); code != ExitOK || stderr != "" {
		t.Fatalf("build: %d %s", code, stderr)
	}
	home := readFile(t, filepath.Join(dest, "index.html"))
	for _, want := range []string{"Đang truy cập: <strong>1</strong>", "Hôm nay: <strong>2</strong>", "Tất cả: <strong>292,963</strong>", `(Cập nhật lúc: <time datetime="2024-12-01T09:00:00&#43;07:00">09:00 01/12/2024</time>)`} {
		if !strings.Contains(home, want) {
			t.Errorf("index.html lacks %s", want)
		}
	}
	if entries, _ := os.ReadDir(filepath.Dir(visitsJSON)); len(entries) != 6 {
		t.Errorf("content/ holds a leftover: %v", entries)
	}

	// Errors leave the file as it was.
	before := readFile(t, visitsJSON)
	writeFile(t, filepath.Join(logs, "error.log"), "2024/12/01 08:57:00 [error] 12#12: *1 open() failed\n")
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"visits", "--source", dir}, ExitUsage, "--log"},
		{[]string{"visits", "--source", dir, "--log", filepath.Join(logs, "nope.log")}, ExitError, "no such file"},
		{[]string{"visits", "--source", dir, "--log", filepath.Join(logs, "nope*")}, ExitError, "no file matches"},
		{[]string{"visits", "--source", dir, "--log", logs}, ExitError, "is a folder"},
		{[]string{"visits", "--source", dir, "--log", filepath.Join(logs, "error.log")}, ExitError, "error.log:1: not an access log in combined log format"},
	} {
		if code, _, stderr := run(tc.args...); code != tc.code || !strings.Contains(stderr, tc.msg) {
			t.Errorf("congxa %s: exit %d, %s", strings.Join(tc.args, " "), code, stderr)
		}
	}
	writeFile(t, filepath.Join(dir, "content", "other.json"), "{\"totl\": 1}")
	if code, _, stderr := run("visits", "--source", dir, "--log", filepath.Join(logs, "access.log"), "--out", filepath.Join(dir, "content", "other.json")); code != ExitError || !strings.Contains(stderr, "other.json: not a visits file") {
		t.Errorf("a bad --out: exit %d, %s", code, stderr)
	}
	if readFile(t, visitsJSON) != before {
		t.Error("a failed run changed visits.json")
	}
	// A malformed line among good ones is a warning.
	writeFile(t, filepath.Join(logs, "access.log"), cur+"garbage\n")
	if code, _, stderr := run("visits", "--source", dir, "--log", filepath.Join(logs, "access.log")); code != ExitOK || !strings.Contains(stderr, "access.log:5: warning: 1 line not in combined log format") {
		t.Errorf("a malformed line: exit %d, %s", code, stderr)
	}
}

// TestHelp: every command has a usage with examples, shown by "help
// COMMAND" and by -h.
func TestHelp(t *testing.T) {
	for _, c := range commands {
		code, stdout, _ := run("help", c.name)
		if code != ExitOK || !strings.HasPrefix(stdout, "usage: congxa "+c.name) || !strings.Contains(stdout, "\nexamples:\n  congxa ") {
			t.Errorf("congxa help %s: exit %d\n%s", c.name, code, stdout)
		}
		if c.name == "help" {
			continue
		}
		code, stdout2, _ := run(c.name, "-h")
		if code != ExitOK || stdout2 != stdout {
			t.Errorf("congxa %s -h: exit %d\n%s", c.name, code, stdout2)
		}
	}
	code, stdout, _ := run("help")
	for _, c := range commands {
		if code != ExitOK || !strings.Contains(stdout, "\n  "+c.name+" ") {
			t.Errorf("congxa help does not list %s", c.name)
		}
	}
}

func TestVersionString(t *testing.T) {
	bi := &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.modified", Value: "true"}}}
	if got := versionString(bi, true); got != "dev (commit 0123456789ab, modified)" {
		t.Errorf("versionString = %q", got)
	}
	if got := versionString(&debug.BuildInfo{Main: debug.Module{Version: "v1.2.0"}}, true); got != "v1.2.0 (commit unknown)" {
		t.Errorf("go install module@version: %q", got)
	}
	Version, Commit = "v1.2.3", "fedcba9876543210"
	defer func() { Version, Commit = "", "" }()
	if got := versionString(nil, false); got != "v1.2.3 (commit fedcba987654)" {
		t.Errorf("with -ldflags: %q", got)
	}
	if code, stdout, _ := run("version"); code != ExitOK || !regexp.MustCompile(`^congxa v1\.2\.3 \(commit fedcba987654(, modified)?\)\n$`).MatchString(stdout) {
		t.Errorf("congxa version: %q", stdout)
	}
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
