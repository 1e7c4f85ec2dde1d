package cli

// The deploy recipes of README.md, run as far as this machine allows: the
// nginx server block in a real nginx, congxa visits on that nginx's own
// log, the systemd service's and cron's commands on a clone of a site
// repository, systemd-analyze verify on the units, the CI workflows parsed
// and their build steps run.

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"github.com/congxa/congxa/internal/testenv"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/goccy/go-yaml"
)

// recipe returns the code block of README.md between
// "<!-- recipe: name -->" and "<!-- /recipe -->".
func recipe(t *testing.T, name string) string {
	t.Helper()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	start := "<!-- recipe: " + name + " -->\n"
	i := bytes.Index(readme, []byte(start))
	if i < 0 {
		t.Fatalf("README.md has no %q", start)
	}
	rest := readme[i+len(start):]
	j := bytes.Index(rest, []byte("<!-- /recipe -->"))
	if j < 0 {
		t.Fatalf("README.md: recipe %s is not closed by <!-- /recipe -->", name)
	}
	block := string(rest[:j])
	m := regexp.MustCompile("(?s)^```[a-z]*\n(.*)```\n$").FindStringSubmatch(block)
	if m == nil {
		t.Fatalf("README.md: recipe %s is not one fenced code block:\n%s", name, block)
	}
	return m[1]
}

// replace replaces old, which must occur once in s: a recipe that changes
// shape fails the test instead of running unsubstituted.
func replace(t *testing.T, s, old, new string) string {
	t.Helper()
	if n := strings.Count(s, old); n != 1 {
		t.Fatalf("recipe: want %q once, found it %d times in\n%s", old, n, s)
	}
	return strings.Replace(s, old, new, 1)
}

// congxaBinary builds the command into dir, as "congxa": the recipes run
// it as a program.
func congxaBinary(t *testing.T, dir string) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	bin := filepath.Join(dir, "congxa")
	cmd := exec.Command(goTool, "build", "-o", bin, "./cmd/congxa")
	cmd.Dir = "../.."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

const (
	firefoxUA = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
	androidUA = "Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36"
	botUA     = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
)

// nginxRun is a running nginx with the README's server block.
type nginxRun struct {
	base   string // http://127.0.0.1:port
	prefix string
	cmd    *exec.Cmd
	client *http.Client
}

func startNginx(t *testing.T, nginx, root, prefix string) *nginxRun {
	t.Helper()
	port := testenv.FreePort(t)
	block := recipe(t, "nginx")
	block = replace(t, block, "    listen 80;\n", fmt.Sprintf("    listen 127.0.0.1:%d;\n", port))
	block = replace(t, block, "    listen [::]:80;\n", "")
	block = replace(t, block, "root /srv/xa-bac-an/public;", "root "+root+";")
	block = replace(t, block, "access_log /var/log/nginx/xa-bac-an.access.log;", "access_log "+filepath.Join(prefix, "xa-bac-an.access.log")+";")
	mime := "/etc/nginx/mime.types"
	if _, err := os.Stat(mime); err != nil {
		t.Fatalf("nginx is installed without %s", mime)
	}
	user := ""
	if os.Geteuid() == 0 {
		user = "user root;\n" // the workers must read the test's private folders
	}
	temps := ""
	for _, d := range []string{"client_body", "proxy", "fastcgi", "uwsgi", "scgi"} {
		temps += fmt.Sprintf("    %s_temp_path %s;\n", d, filepath.Join(prefix, d))
	}
	conf := fmt.Sprintf("%sworker_processes 1;\ndaemon off;\npid %s;\nerror_log %s warn;\nevents { worker_connections 64; }\nhttp {\n    include %s;\n    default_type application/octet-stream;\n%s\n%s}\n",
		user, filepath.Join(prefix, "nginx.pid"), filepath.Join(prefix, "error.log"), mime, temps, block)
	confPath := filepath.Join(prefix, "nginx.conf")
	writeFile(t, confPath, conf)
	if out, err := exec.Command(nginx, "-t", "-q", "-p", prefix, "-e", filepath.Join(prefix, "error.log"), "-c", confPath).CombinedOutput(); err != nil {
		t.Fatalf("nginx -t: %v\n%s\n%s", err, out, conf)
	}
	cmd := exec.Command(nginx, "-p", prefix, "-e", filepath.Join(prefix, "error.log"), "-c", confPath)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGQUIT)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	})
	n := &nginxRun{base: fmt.Sprintf("http://127.0.0.1:%d", port), prefix: prefix, cmd: cmd,
		client: &http.Client{
			Transport:     &http.Transport{DisableCompression: true},
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}}
	for deadline := time.Now().Add(20 * time.Second); ; {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
			c.Close()
			return n
		}
		select {
		case err := <-exited:
			errLog, _ := os.ReadFile(filepath.Join(prefix, "error.log"))
			t.Fatalf("nginx exited: %v\n%s%s", err, out.String(), errLog)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("nginx did not listen on port %d", port)
		}
	}
}

type response struct {
	status int
	header http.Header
	body   string // decompressed when gzip
	gzip   bool
}

// get requests path as a browser (ua) would, asking for gzip when gz.
func (n *nginxRun) get(t *testing.T, path, ua string, gz bool, hdr ...string) response {
	t.Helper()
	req, err := http.NewRequest("GET", n.base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("User-Agent", ua)
	if gz {
		req.Header.Set("Accept-Encoding", "gzip")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := n.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	r := response{status: resp.StatusCode, header: resp.Header}
	var body io.Reader = resp.Body
	if resp.Header.Get("Content-Encoding") == "gzip" {
		r.gzip = true
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		body = zr
	}
	b, err := io.ReadAll(body)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	r.body = string(b)
	return r
}

// TestNginxRecipe serves a new site with the README's server block and
// counts its visits from nginx's own log, through a log rotation.
func TestNginxRecipe(t *testing.T) {
	nginx := testenv.NginxBinary(t)
	tmp := t.TempDir()
	bin := congxaBinary(t, tmp)
	site := filepath.Join(tmp, "srv", "xa-bac-an")
	prefix := filepath.Join(tmp, "nginx")
	if err := os.MkdirAll(prefix, 0o755); err != nil {
		t.Fatal(err)
	}
	runBin := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Dir = site
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("congxa %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	if out, err := exec.Command(bin, "init", site, "--name", "xã Bắc An").CombinedOutput(); err != nil {
		t.Fatalf("congxa init: %v\n%s", err, out)
	}
	// The server block has no base URL of its own: the site is built for
	// the address the test reaches it at, which is known once nginx runs.
	writeFile(t, filepath.Join(site, "public", "index.html"), "not built yet\n")
	n := startNginx(t, nginx, filepath.Join(site, "public"), prefix)
	// An editor's post, as the README's new site section writes one.
	newPost := strings.TrimSpace(runBin("new", "post", "Hội nghị triển khai nhiệm vụ năm 2027", "--category", "Tin hoạt động"))
	writeFile(t, filepath.Join(site, newPost), strings.Replace(readFile(t, filepath.Join(site, newPost)), "draft: true\n", "", 1)+"Sáng nay, UBND xã tổ chức hội nghị.\n")
	if out := runBin("build", "--base-url", n.base+"/"); !strings.Contains(out, "built ") || strings.Contains(out, "warning") {
		t.Fatalf("build: %s", out)
	}

	views := 0 // the page views congxa visits must count
	home := n.get(t, "/", firefoxUA, false)
	views++
	if home.status != 200 || !strings.Contains(home.body, "TRANG THÔNG TIN ĐIỆN TỬ XÃ BẮC AN") {
		t.Fatalf("GET /: %d\n%.300s", home.status, home.body)
	}
	if got := home.header.Get("Content-Type"); got != "text/html; charset=utf-8" {
		t.Errorf("GET /: Content-Type %q", got)
	}
	if got := home.header.Get("Cache-Control"); got != "no-cache" {
		t.Errorf("GET /: Cache-Control %q, want no-cache", got)
	}
	// gzip, and a 304 for a page the browser has.
	zhome := n.get(t, "/", androidUA, true)
	views++
	if zhome.status != 200 || !zhome.gzip || zhome.body != home.body || !strings.Contains(zhome.header.Get("Vary"), "Accept-Encoding") {
		t.Errorf("GET / with gzip: %d, gzip %v, Vary %q", zhome.status, zhome.gzip, zhome.header.Get("Vary"))
	}
	if r := n.get(t, "/", firefoxUA, false, "If-None-Match", home.header.Get("ETag")); r.status != 304 {
		t.Errorf("GET / with its ETag: %d, want 304", r.status)
	}
	views++
	post := regexp.MustCompile(`href="(/tin-tuc/ra-mat-[a-z-]+/)"`).FindStringSubmatch(home.body)
	if post == nil {
		t.Fatalf("no link to the first post in /")
	}
	for _, p := range []string{post[1], "/tin-tuc/hoi-nghi-trien-khai-nhiem-vu-nam-2027/", "/tin-tuc/", "/gioi-thieu/", "/tthc/"} {
		if r := n.get(t, p, firefoxUA, true); r.status != 200 || !r.gzip || !strings.Contains(r.body, "</html>") {
			t.Errorf("GET %s: %d, gzip %v", p, r.status, r.gzip)
		}
		views++
	}
	// The folder without its slash: a relative redirect.
	if r := n.get(t, "/tin-tuc", firefoxUA, false); r.status != 301 || r.header.Get("Location") != "/tin-tuc/" {
		t.Errorf("GET /tin-tuc: %d, Location %q; want 301 to /tin-tuc/", r.status, r.header.Get("Location"))
	}
	// A missing page: the site's 404 page, with status 404.
	if r := n.get(t, "/khong-co-trang-nay/", firefoxUA, true); r.status != 404 || !strings.Contains(r.body, "Không tìm thấy trang") || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
		t.Errorf("GET a missing page: %d, %q\n%.200s", r.status, r.header.Get("Content-Type"), r.body)
	}
	// Hashed assets: cached for a year, compressed.
	css := regexp.MustCompile(`/assets/css/site\.[0-9a-f]{10}\.css`).FindString(home.body)
	if css == "" {
		t.Fatal("no stylesheet in /")
	}
	r := n.get(t, css, firefoxUA, true)
	if r.status != 200 || !r.gzip || r.header.Get("Cache-Control") != "public, max-age=31536000, immutable" || !strings.HasPrefix(r.header.Get("Content-Type"), "text/css") {
		t.Errorf("GET %s: %d, gzip %v, Cache-Control %q, Content-Type %q", css, r.status, r.gzip, r.header.Get("Cache-Control"), r.header.Get("Content-Type"))
	}
	if r := n.get(t, "/assets/css/site.css", firefoxUA, false); r.status != 404 {
		t.Errorf("GET an unhashed asset name: %d", r.status)
	}
	if r := n.get(t, "/rss.xml", firefoxUA, true); r.status != 200 || !r.gzip || r.header.Get("Cache-Control") != "no-cache" {
		t.Errorf("GET /rss.xml: %d, gzip %v, Cache-Control %q", r.status, r.gzip, r.header.Get("Cache-Control"))
	}
	// A robot's visit is not a view.
	if r := n.get(t, "/", botUA, false); r.status != 200 {
		t.Errorf("GET / as Googlebot: %d", r.status)
	}

	// congxa visits on nginx's own log, as the README runs it.
	logs := "--log=" + filepath.Join(prefix, "xa-bac-an.access.log*")
	dayBefore := time.Now().In(vnLoc(t)).Format("2006-01-02")
	out := runBin("visits", logs)
	want := fmt.Sprintf("counted %d new page views in ", views)
	if !strings.Contains(out, want) {
		t.Fatalf("congxa visits: %s\nwant %q; the log:\n%s", out, want, readFile(t, filepath.Join(prefix, "xa-bac-an.access.log")))
	}
	checkVisits(t, site, views, 2, dayBefore)
	if out := runBin("visits", logs); !strings.Contains(out, "counted 0 new page views") {
		t.Errorf("second run: %s", out)
	}
	checkVisits(t, site, views, 2, dayBefore)

	// logrotate: rename the log, tell nginx to reopen it (USR1).
	n.get(t, "/gioi-thieu/", firefoxUA, false)
	views++
	if err := os.Rename(filepath.Join(prefix, "xa-bac-an.access.log"), filepath.Join(prefix, "xa-bac-an.access.log.1")); err != nil {
		t.Fatal(err)
	}
	if err := n.cmd.Process.Signal(syscall.SIGUSR1); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "nginx to reopen its log", func() bool {
		_, err := os.Stat(filepath.Join(prefix, "xa-bac-an.access.log"))
		return err == nil
	})
	n.get(t, "/lien-he/", androidUA, false)
	views++
	if out := runBin("visits", logs); !strings.Contains(out, "counted 2 new page views") {
		t.Errorf("after the rotation: %s", out)
	}
	checkVisits(t, site, views, 2, dayBefore)

	// The next build shows them, through nginx.
	runBin("build", "--base-url", n.base+"/")
	if r := n.get(t, "/tthc/", botUA, false); !strings.Contains(r.body, fmt.Sprintf("Tất cả: <strong>%d</strong>", views)) || !strings.Contains(r.body, "(Cập nhật lúc: <time") {
		t.Errorf("the rebuilt page does not show the counts:\n%s", r.body)
	}
}

func vnLoc(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// checkVisits checks content/visits.json: total views, online visitors,
// and today all the views, unless the day changed in Vietnam since day.
func checkVisits(t *testing.T, site string, total, online int, day string) {
	t.Helper()
	var v struct {
		Online, Today, Total int
		UpdatedAt            string `json:"updated_at"`
	}
	data := readFile(t, filepath.Join(site, "content", "visits.json"))
	if err := json.Unmarshal([]byte(data), &v); err != nil {
		t.Fatal(err)
	}
	if v.Total != total || v.Online != online || strings.Contains(data, "127.0.0.1") {
		t.Errorf("visits.json: %+v; want total %d, online %d\n%s", v, total, online, data)
	}
	if time.Now().In(vnLoc(t)).Format("2006-01-02") == day && v.Today != total {
		t.Errorf("visits.json: today %d, want %d", v.Today, total)
	}
}

// siteRepo makes a site repository ("origin", bare), an editor's clone and
// the server's clone at srv/xa-bac-an.
func siteRepo(t *testing.T, tmp, git string) (editor, server string) {
	t.Helper()
	gitRun := func(dir string, args ...string) {
		t.Helper()
		cmd := exec.Command(git, append([]string{"-c", "user.name=Biên tập", "-c", "user.email=bientap@example.gov.vn", "-c", "init.defaultBranch=main"}, args...)...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	editor = filepath.Join(tmp, "editor")
	if code, _, stderr := run("init", editor); code != ExitOK {
		t.Fatal(stderr)
	}
	gitRun(editor, "init", "-q")
	gitRun(editor, "add", ".")
	gitRun(editor, "commit", "-q", "-m", "Trang mới")
	gitRun(tmp, "clone", "-q", "--bare", editor, "origin.git")
	gitRun(editor, "remote", "add", "origin", filepath.Join(tmp, "origin.git"))
	server = filepath.Join(tmp, "srv", "xa-bac-an")
	gitRun(tmp, "clone", "-q", filepath.Join(tmp, "origin.git"), server)
	return editor, server
}

// publishPost commits and pushes a post, as an editor does.
func publishPost(t *testing.T, git, editor, slug string) {
	t.Helper()
	writeFile(t, filepath.Join(editor, "content", "tin-tuc", slug+".md"), "---\ntitle: "+slug+"\ndate: 01/11/2024 08:00\n---\nNội dung.\n")
	for _, args := range [][]string{{"add", "."}, {"commit", "-q", "-m", "Đăng bài " + slug}, {"push", "-q", "origin", "HEAD:main"}} {
		cmd := exec.Command(git, append([]string{"-c", "user.name=Biên tập", "-c", "user.email=bientap@example.gov.vn"}, args...)...)
		cmd.Dir = editor
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

// splitCommand splits a systemd command line: words, single or double
// quotes.
func splitCommand(s string) []string {
	var out []string
	var cur strings.Builder
	inWord := false
	var quote rune
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out
}

func accessLog(at time.Time, n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "198.51.100.%d - - [%s] \"GET / HTTP/1.1\" 200 5120 \"-\" \"%s\"\n", i, at.Format("02/Jan/2006:15:04:05 -0700"), firefoxUA)
	}
	return b.String()
}

// TestSystemdRecipe verifies the units with systemd-analyze and runs the
// service's commands as systemd would: a pushed post is published, the
// visits counted.
func TestSystemdRecipe(t *testing.T) {
	git := testenv.Program(t, "git", "apt-get install -y git")
	tmp := t.TempDir()
	bin := congxaBinary(t, tmp)
	editor, server := siteRepo(t, tmp, git)
	logDir := filepath.Join(tmp, "log")
	writeFile(t, filepath.Join(logDir, "xa-bac-an.access.log"), accessLog(time.Now(), 3))

	unit := recipe(t, "systemd-service")
	unit = replace(t, unit, "WorkingDirectory=/srv/xa-bac-an", "WorkingDirectory="+server)
	unit = replace(t, unit, "ReadWritePaths=/srv/xa-bac-an", "ReadWritePaths="+server)
	unit = replace(t, unit, "'/var/log/nginx/xa-bac-an.access.log*'", "'"+filepath.Join(logDir, "xa-bac-an.access.log*")+"'")
	unit = strings.ReplaceAll(unit, "/usr/local/bin/congxa", bin)
	unit = replace(t, unit, "/usr/bin/git", git)
	timer := recipe(t, "systemd-timer")

	if analyze, err := exec.LookPath("systemd-analyze"); err == nil {
		dir := filepath.Join(tmp, "units")
		writeFile(t, filepath.Join(dir, "xa-bac-an.service"), unit)
		writeFile(t, filepath.Join(dir, "xa-bac-an.timer"), timer)
		cmd := exec.Command(analyze, "verify", "--man=no", filepath.Join(dir, "xa-bac-an.service"), filepath.Join(dir, "xa-bac-an.timer"))
		out, err := cmd.CombinedOutput()
		// Outside a booted systemd (a container) it may still say why
		// the units are wrong; anything it says is a problem.
		if err != nil || len(bytes.TrimSpace(out)) > 0 {
			t.Errorf("systemd-analyze verify: %v\n%s", err, out)
		}
	} else if os.Getenv("CI") == "true" {
		t.Error("systemd-analyze is not installed (apt-get install -y systemd): the units are not verified")
	} else {
		t.Log("systemd-analyze is not installed (apt-get install -y systemd): the units are not verified")
	}

	var workDir string
	type execLine struct {
		ignoreFailure bool
		args          []string
	}
	var execs []execLine
	sc := bufio.NewScanner(strings.NewReader(unit))
	for sc.Scan() {
		line := sc.Text()
		if d, ok := strings.CutPrefix(line, "WorkingDirectory="); ok {
			workDir = d
		}
		if c, ok := strings.CutPrefix(line, "ExecStart="); ok {
			e := execLine{}
			c, e.ignoreFailure = strings.CutPrefix(c, "-")
			e.args = splitCommand(c)
			execs = append(execs, e)
		}
	}
	if len(execs) != 3 || workDir != server {
		t.Fatalf("the service: %d ExecStart lines in %s", len(execs), workDir)
	}
	publishPost(t, git, editor, "bai-moi-qua-systemd")
	for _, e := range execs {
		cmd := exec.Command(e.args[0], e.args[1:]...)
		cmd.Dir = workDir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("ExecStart=%s: %v\n%s", strings.Join(e.args, " "), err, out)
		}
	}
	if _, err := os.Stat(filepath.Join(server, "public", "tin-tuc", "bai-moi-qua-systemd", "index.html")); err != nil {
		t.Errorf("the pushed post was not published: %v", err)
	}
	checkVisits(t, server, 3, 3, time.Now().In(vnLoc(t)).Format("2006-01-02"))
	if status := gitStatus(t, git, server); status != "" {
		t.Errorf("the server's clone is not clean, the next git pull may fail:\n%s", status)
	}
}

func gitStatus(t *testing.T, git, dir string) string {
	t.Helper()
	cmd := exec.Command(git, "status", "--porcelain")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// TestCronRecipe runs the cron line's command as cron would, with its PATH.
func TestCronRecipe(t *testing.T) {
	git := testenv.Program(t, "git", "apt-get install -y git")
	sh := testenv.Program(t, "sh", "a POSIX shell")
	tmp := t.TempDir()
	binDir := filepath.Join(tmp, "bin")
	congxaBinary(t, binDir)
	editor, server := siteRepo(t, tmp, git)
	logDir := filepath.Join(tmp, "log")
	writeFile(t, filepath.Join(logDir, "xa-bac-an.access.log"), accessLog(time.Now(), 2))

	var path, entry string
	for _, line := range strings.Split(strings.TrimSpace(recipe(t, "cron")), "\n") {
		if p, ok := strings.CutPrefix(line, "PATH="); ok {
			path = p
		} else if line != "" && !strings.HasPrefix(line, "#") {
			entry = line
		}
	}
	f := strings.Fields(entry)
	if len(f) < 7 || path == "" {
		t.Fatalf("cron recipe: want PATH= and one entry, got %q", entry)
	}
	field := regexp.MustCompile(`^(\*|[0-9]+(-[0-9]+)?)(/[0-9]+)?(,(\*|[0-9]+(-[0-9]+)?)(/[0-9]+)?)*$`)
	for _, s := range f[:5] {
		if !field.MatchString(s) {
			t.Errorf("cron recipe: bad schedule field %q", s)
		}
	}
	if f[5] != "congxa" {
		t.Errorf("cron recipe: runs as %q, want the congxa user", f[5])
	}
	command := strings.SplitN(entry, " "+f[5]+" ", 2)[1]
	command = replace(t, command, "cd /srv/xa-bac-an", "cd "+server)
	command = replace(t, command, "'/var/log/nginx/xa-bac-an.access.log*'", "'"+filepath.Join(logDir, "xa-bac-an.access.log*")+"'")
	if strings.Contains(command, "%") {
		t.Errorf("cron recipe: an unescaped %% is a newline to cron: %s", command)
	}
	if !strings.Contains(path, "/usr/local/bin") {
		t.Errorf("cron recipe: PATH %s lacks /usr/local/bin, where the README installs congxa", path)
	}

	publishPost(t, git, editor, "bai-moi-qua-cron")
	cmd := exec.Command(sh, "-c", command)
	cmd.Env = append(os.Environ(), "PATH="+binDir+":"+filepath.Dir(git)+":"+path, "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil || stdout.Len() > 0 || stderr.Len() > 0 {
		// cron mails any output: a run that went well says nothing.
		t.Errorf("cron command: %v\nstdout: %s\nstderr: %s", err, stdout.String(), stderr.String())
	}
	if _, err := os.Stat(filepath.Join(server, "public", "tin-tuc", "bai-moi-qua-cron", "index.html")); err != nil {
		t.Errorf("the pushed post was not published: %v", err)
	}
	checkVisits(t, server, 2, 2, time.Now().In(vnLoc(t)).Format("2006-01-02"))
}

// TestCIRecipes parses the GitHub Actions and GitLab CI workflows, checks
// what publishing needs, and runs their build commands on a new site.
func TestCIRecipes(t *testing.T) {
	goMod := readFile(t, "../../go.mod")
	goVersion := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindStringSubmatch(goMod)
	module := regexp.MustCompile(`(?m)^module (\S+)`).FindStringSubmatch(goMod)
	install := "go install " + module[1] + "/cmd/congxa@latest"

	type step struct {
		ID   string            `yaml:"id"`
		Uses string            `yaml:"uses"`
		Run  string            `yaml:"run"`
		With map[string]string `yaml:"with"`
	}
	var gh struct {
		Name string `yaml:"name"`
		On   struct {
			Push struct {
				Branches []string `yaml:"branches"`
			} `yaml:"push"`
			Schedule []struct {
				Cron string `yaml:"cron"`
			} `yaml:"schedule"`
			WorkflowDispatch any `yaml:"workflow_dispatch"`
		} `yaml:"on"`
		Concurrency struct {
			Group            string `yaml:"group"`
			CancelInProgress bool   `yaml:"cancel-in-progress"`
		} `yaml:"concurrency"`
		Permissions map[string]string `yaml:"permissions"`
		Jobs        map[string]struct {
			Needs       string `yaml:"needs"`
			RunsOn      string `yaml:"runs-on"`
			Environment struct {
				Name string `yaml:"name"`
				URL  string `yaml:"url"`
			} `yaml:"environment"`
			Steps []step `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.UnmarshalWithOptions([]byte(recipe(t, "github-actions")), &gh, yaml.Strict()); err != nil {
		t.Fatalf("GitHub Actions workflow: %v", err)
	}
	if len(gh.On.Push.Branches) == 0 || len(gh.On.Schedule) != 1 || len(strings.Fields(gh.On.Schedule[0].Cron)) != 5 {
		t.Errorf("GitHub Actions: on: %+v", gh.On)
	}
	if gh.Permissions["pages"] != "write" || gh.Permissions["id-token"] != "write" || gh.Permissions["contents"] != "read" {
		t.Errorf("GitHub Actions: permissions %v", gh.Permissions)
	}
	uses := map[string]step{}
	var runs []string
	for _, j := range gh.Jobs {
		for _, s := range j.Steps {
			if name, _, ok := strings.Cut(s.Uses, "@"); ok {
				uses[name] = s
			}
			if s.Run != "" {
				runs = append(runs, s.Run)
			}
		}
	}
	for _, a := range []string{"actions/checkout", "actions/setup-go", "actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"} {
		if _, ok := uses[a]; !ok {
			t.Errorf("GitHub Actions: no step uses %s", a)
		}
	}
	if got := uses["actions/setup-go"].With["go-version"]; got != goVersion[1] {
		t.Errorf("GitHub Actions: go-version %q, want go.mod's %s", got, goVersion[1])
	}
	if got := uses["actions/upload-pages-artifact"].With["path"]; got != "public" {
		t.Errorf("GitHub Actions: uploads %q, want public", got)
	}
	if d := gh.Jobs["deploy"]; d.Needs != "build" || d.Environment.Name != "github-pages" {
		t.Errorf("GitHub Actions: deploy job %+v", d)
	}
	if len(runs) != 2 || runs[0] != install {
		t.Fatalf("GitHub Actions: run steps %q, want %q then the build", runs, install)
	}
	ghBuild := replace(t, runs[1], "${{ steps.pages.outputs.base_url }}", "https://congxa.github.io/xa-bac-an")

	var gl map[string]struct {
		Image     string   `yaml:"image"`
		Script    []string `yaml:"script"`
		Artifacts struct {
			Paths []string `yaml:"paths"`
		} `yaml:"artifacts"`
		Rules []map[string]string `yaml:"rules"`
	}
	if err := yaml.UnmarshalWithOptions([]byte(recipe(t, "gitlab-ci")), &gl, yaml.Strict()); err != nil {
		t.Fatalf("GitLab CI: %v", err)
	}
	pages, ok := gl["pages"]
	if !ok || len(gl) != 1 {
		t.Fatalf("GitLab CI: want one job, pages; got %v", gl)
	}
	if pages.Image != "golang:"+goVersion[1] || len(pages.Artifacts.Paths) != 1 || pages.Artifacts.Paths[0] != "public" || len(pages.Rules) == 0 {
		t.Errorf("GitLab CI: pages %+v", pages)
	}
	if len(pages.Script) != 2 || pages.Script[0] != install {
		t.Fatalf("GitLab CI: script %q", pages.Script)
	}

	// The build steps, on a new site, as the runners would run them.
	sh := testenv.Program(t, "sh", "a POSIX shell")
	tmp := t.TempDir()
	binDir := filepath.Join(tmp, "bin")
	congxaBinary(t, binDir)
	for _, tc := range []struct {
		name, command, env, home string
	}{
		{"GitHub", ghBuild, "", "https://congxa.github.io/xa-bac-an/gioi-thieu/"},
		{"GitLab", pages.Script[1], "CI_PAGES_URL=https://congxa.gitlab.io/xa-bac-an", "https://congxa.gitlab.io/xa-bac-an/gioi-thieu/"},
	} {
		site := filepath.Join(tmp, tc.name)
		if code, _, stderr := run("init", site); code != ExitOK {
			t.Fatal(stderr)
		}
		cmd := exec.Command(sh, "-c", tc.command)
		cmd.Dir = site
		cmd.Env = append(os.Environ(), "PATH="+binDir+":"+os.Getenv("PATH"), tc.env)
		if out, err := cmd.CombinedOutput(); err != nil || strings.Contains(string(out), "warning") {
			t.Errorf("%s: %s: %v\n%s", tc.name, tc.command, err, out)
			continue
		}
		if got := readFile(t, filepath.Join(site, "public", "sitemap.xml")); !strings.Contains(got, tc.home) {
			t.Errorf("%s: the site is not built for its Pages address:\n%s", tc.name, got)
		}
	}
}
