// Package testenv finds the real components that end-to-end tests drive:
// Chromium, nginx, Java, Node.js and the npm packages that .ci/run installs
// (axe-core, vnu-jar, playwright-core), and starts nginx for a test.
//
// A test that needs a component calls the function that finds it. When the
// component is missing the test is skipped with a message that says how to
// get it, except when the environment variable CI is "true": CI installs
// every component, so there a missing one fails the test rather than
// letting a check silently not run.
//
// Where components are looked for:
//
//	CONGXA_CHROMIUM      Chromium's binary; else chromium, chromium-browser, google-chrome on PATH
//	CONGXA_NGINX         nginx's binary; else nginx on PATH, then /usr/sbin/nginx
//	java, node           on PATH
//	CONGXA_NODE_MODULES  a node_modules folder; else .ci/node_modules in the repository,
//	                     where `npm ci --prefix .ci` puts it
package testenv

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// CI reports whether the tests run in CI, where every component must be
// present.
func CI() bool { return os.Getenv("CI") == "true" }

// Missing skips the test, saying why, or fails it when CI is true.
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if CI() {
		t.Fatalf("%s (CI=true: every component must be installed; see .ci/run)", msg)
	}
	t.Skipf("skipped: %s", msg)
}

// lookPath returns the first of the environment variable env, names on
// PATH and absolute fallbacks that exists.
func lookPath(env string, names ...string) string {
	if env != "" {
		if p := os.Getenv(env); p != "" {
			if _, err := os.Stat(p); err == nil {
				return p
			}
			return ""
		}
	}
	for _, n := range names {
		if filepath.IsAbs(n) {
			if _, err := os.Stat(n); err == nil {
				return n
			}
			continue
		}
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	return ""
}

// Program returns the path of a program a test cannot do without: name on
// PATH, or one of the absolute fallbacks. install says how to get it.
func Program(t testing.TB, name, install string, fallbacks ...string) string {
	t.Helper()
	p := lookPath("", append([]string{name}, fallbacks...)...)
	if p == "" {
		Missing(t, "%s not found (%s)", name, install)
	}
	return p
}

// FreePort returns a TCP port on 127.0.0.1 that nothing listens on.
func FreePort(t testing.TB) int {
	t.Helper()
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	return port
}

// Chromium returns the path of Chromium's binary.
func Chromium(t testing.TB) string {
	t.Helper()
	p := lookPath("CONGXA_CHROMIUM", "chromium", "chromium-browser", "google-chrome")
	if p == "" {
		Missing(t, "Chromium not found (apt-get install chromium, or set CONGXA_CHROMIUM)")
	}
	return p
}

// NginxBinary returns the path of nginx's binary.
func NginxBinary(t testing.TB) string {
	t.Helper()
	p := lookPath("CONGXA_NGINX", "nginx", "/usr/sbin/nginx")
	if p == "" {
		Missing(t, "nginx not found (apt-get install nginx, or set CONGXA_NGINX)")
	}
	return p
}

// Java returns the path of the java launcher.
func Java(t testing.TB) string {
	t.Helper()
	p := lookPath("", "java")
	if p == "" {
		Missing(t, "java not found (apt-get install default-jre-headless)")
	}
	return p
}

// Node returns the path of Node.js.
func Node(t testing.TB) string {
	t.Helper()
	p := lookPath("", "node", "nodejs")
	if p == "" {
		Missing(t, "node not found (apt-get install nodejs)")
	}
	return p
}

// NodeModule returns the folder of an installed npm package ("axe-core").
func NodeModule(t testing.TB, name string) string {
	t.Helper()
	dir := os.Getenv("CONGXA_NODE_MODULES")
	if dir == "" {
		dir = filepath.Join(RepoRoot(t), ".ci", "node_modules")
	}
	p := filepath.Join(dir, filepath.FromSlash(name))
	if _, err := os.Stat(filepath.Join(p, "package.json")); err != nil {
		Missing(t, "npm package %s not found in %s (run: npm ci --prefix .ci, or set CONGXA_NODE_MODULES)", name, dir)
	}
	return p
}

// RepoRoot returns the repository's root: the folder of go.mod above the
// test's working folder.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's folder")
		}
		dir = parent
	}
}

// Nginx is an nginx server started for a test.
type Nginx struct {
	URL     string // where the site is served: "http://127.0.0.1:PORT/" or "http://127.0.0.1:PORT/xa-bac-an/"
	dir     string
	confDir string
}

// ErrorLog returns what nginx logged so far.
func (n *Nginx) ErrorLog() string {
	b, _ := os.ReadFile(filepath.Join(n.confDir, "error.log"))
	return string(b)
}

// StartNginx serves the folder root at path ("/" or a sub-path such as
// "/xa-bac-an/") on a free port of 127.0.0.1, as a site's web server would:
// a missing URL gets the site's 404.html with status 404, and text files
// are sent as UTF-8. The folder may be empty or absent when nginx starts
// and filled, or replaced, later: nginx reads it at each request. nginx is
// stopped when the test ends; its error log is printed if the test failed.
func StartNginx(t testing.TB, root, path string) *Nginx {
	t.Helper()
	bin := NginxBinary(t)
	if !strings.HasPrefix(path, "/") || !strings.HasSuffix(path, "/") {
		t.Fatalf("StartNginx: path %q must start and end with /", path)
	}
	root, err := filepath.Abs(root)
	if err != nil {
		t.Fatal(err)
	}
	var last string
	for try := 0; try < 5; try++ {
		n, log, ok := startNginx(t, bin, root, path)
		if ok {
			return n
		}
		last = log
		if !strings.Contains(log, "Address already in use") {
			break
		}
	}
	t.Fatalf("nginx did not start:\n%s", last)
	return nil
}

func startNginx(t testing.TB, bin, root, path string) (*Nginx, string, bool) {
	t.Helper()
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	conf := t.TempDir()
	if err := os.MkdirAll(filepath.Join(conf, "tmp"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(conf, "nginx.conf"), []byte(config(conf, root, path, port)), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-p", conf, "-c", filepath.Join(conf, "nginx.conf"), "-e", filepath.Join(conf, "error.log"))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	n := &Nginx{URL: "http://127.0.0.1:" + strconv.Itoa(port) + path, dir: root, confDir: conf}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case <-exited:
			return nil, out.String() + n.ErrorLog(), false
		default:
		}
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			<-exited
			return nil, "nginx did not listen within 30 s\n" + out.String() + n.ErrorLog(), false
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt) // a fast shutdown
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
		if t.Failed() {
			if log := strings.TrimSpace(n.ErrorLog()); log != "" {
				t.Logf("nginx error log:\n%s", log)
			}
		}
	})
	return n, "", true
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// config returns an nginx configuration that serves root at path on
// 127.0.0.1:port, keeping its own files (pid, logs, temporary files) in
// dir. It runs as one process in the foreground, as the user who starts
// it, so that it can read a test's private folders. The server block is
// what a site's administrator would write.
func config(dir, root, path string, port int) string {
	types := "types {\n    text/html html;\n    text/css css;\n    application/javascript js;\n    application/json json;\n    application/rss+xml rss;\n    text/xml xml;\n    text/plain txt;\n    image/svg+xml svg;\n    image/png png;\n    image/jpeg jpg jpeg;\n    image/webp webp;\n    image/gif gif;\n    application/pdf pdf;\n  }"
	if _, err := os.Stat("/etc/nginx/mime.types"); err == nil {
		types = "include /etc/nginx/mime.types;"
	}
	var loc string
	if path == "/" {
		loc = fmt.Sprintf("    root %s;\n    error_page 404 /404.html;\n", quote(root))
	} else {
		loc = fmt.Sprintf("    error_page 404 %s404.html;\n    location / { return 404; }\n    location %s { alias %s; }\n", path, path, quote(root+"/"))
	}
	return fmt.Sprintf(`daemon off;
master_process off;
worker_processes 1;
pid %[1]s;
error_log %[2]s warn;
events { worker_connections 256; }
http {
  %[3]s
  default_type application/octet-stream;
  access_log off;
  client_body_temp_path %[4]s;
  proxy_temp_path %[4]s;
  fastcgi_temp_path %[4]s;
  uwsgi_temp_path %[4]s;
  scgi_temp_path %[4]s;
  absolute_redirect off;
  server {
    listen 127.0.0.1:%[5]d;
    server_name localhost;
    charset utf-8;
    charset_types text/plain text/css text/xml application/javascript application/json application/rss+xml image/svg+xml;
%[6]s  }
}
`, quote(filepath.Join(dir, "nginx.pid")), quote(filepath.Join(dir, "error.log")), types, quote(filepath.Join(dir, "tmp")), port, loc)
}

// quote quotes a path for nginx's configuration.
func quote(s string) string {
	return `"` + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `"`, `\"`) + `"`
}
