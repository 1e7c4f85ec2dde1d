// Package server serves a site while it is being edited: from the current
// build in memory, with a script that reloads open pages when the site is
// rebuilt, and an overlay listing the errors when the last build failed
// (the last good build is still served). The script and the overlay are
// added to pages as they are served; they never reach the output folder.
package server

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/congxa/congxa/internal/diag"
	"github.com/congxa/congxa/internal/render"
)

// Prefix is where the server's own files are: it cannot clash with a
// site's paths, which are slugs.
const Prefix = "/__congxa/"

// Server serves the latest build.
type Server struct {
	base string // the base URL's path: "/" or "/xa-bac-an/"

	mu         sync.RWMutex
	files      map[string]render.Output // by output path
	mod        map[string]time.Time     // when each file's bytes were first served
	last       []render.Output          // the last build's, in its order
	lastSorted bool                     // by path, each path once
	errors     diag.List                // of the last build, when it failed
	built      bool                     // a build has succeeded
	version    int
	clients    map[chan int]bool
}

// New returns a Server for a site published under base ("/" or
// "/xa-bac-an/").
func New(base string) *Server {
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	return &Server{base: base, files: map[string]render.Output{}, mod: map[string]time.Time{}, clients: map[chan int]bool{}}
}

// Update serves a new build and reloads open pages.
func (s *Server) Update(outs []render.Output) {
	now := time.Now()
	s.mu.Lock()
	// The maps are updated in place: a rebuild after one edit changes a
	// few of tens of thousands of files. A build's files come sorted by
	// path (render sorts them): they are then walked beside the last
	// build's, without looking each up, and only the ones that came,
	// went or changed touch the maps.
	sorted := true
	for i := 1; sorted && i < len(outs); i++ {
		sorted = outs[i-1].Path < outs[i].Path
	}
	var last []render.Output
	if sorted && s.lastSorted {
		last = s.last
	}
	j := 0 // outs[i] is compared with last[j]
	for _, o := range outs {
		var prev render.Output
		var ok bool
		if last != nil {
			for j < len(last) && last[j].Path < o.Path {
				delete(s.files, last[j].Path) // it went
				delete(s.mod, last[j].Path)
				j++
			}
			if ok = j < len(last) && last[j].Path == o.Path; ok {
				prev = last[j]
				j++
			}
		} else {
			prev, ok = s.files[o.Path]
		}
		// A file keeps its time while its bytes stay the same, so that a
		// browser's conditional and range requests stay valid across
		// rebuilds.
		switch {
		case o.File != nil && !o.File.Mod.IsZero():
			if ok && prev.File == o.File {
				continue
			}
			s.mod[o.Path] = o.File.Mod
		case ok && o.Key != "" && prev.Key == o.Key:
			if o.File == prev.File {
				continue // the same bytes, served as they were
			}
		default:
			s.mod[o.Path] = now
		}
		s.files[o.Path] = o
	}
	if last != nil {
		for ; j < len(last); j++ {
			delete(s.files, last[j].Path)
			delete(s.mod, last[j].Path)
		}
	} else if len(s.files) > len(outs) {
		// Files went.
		want := make(map[string]bool, len(outs))
		for _, o := range outs {
			want[o.Path] = true
		}
		for p := range s.files {
			if !want[p] {
				delete(s.files, p)
				delete(s.mod, p)
			}
		}
	}
	s.last, s.lastSorted = outs, sorted
	s.errors, s.built = nil, true
	s.mu.Unlock()
	s.notify()
}

// Fail keeps the last good build and shows errors over it.
func (s *Server) Fail(errs diag.List) {
	s.mu.Lock()
	s.errors = errs
	s.mu.Unlock()
	s.notify()
}

// Version counts the builds announced so far.
func (s *Server) Version() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.version
}

func (s *Server) notify() {
	s.mu.Lock()
	s.version++
	v := s.version
	for c := range s.clients {
		select {
		case c <- v:
		default: // the client has a reload pending already
		}
	}
	s.mu.Unlock()
}

// ServeHTTP serves the site and the server's own files.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case Prefix + "events":
		s.events(w, r)
		return
	case Prefix + "reload.js":
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		io.WriteString(w, reloadJS)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p := r.URL.Path
	if s.base != "/" && (p == "/" || p+"/" == s.base) {
		http.Redirect(w, r, s.base, http.StatusFound)
		return
	}
	rel, ok := Resolve(s.base, p)
	if !ok {
		s.notFound(w, r)
		return
	}
	s.mu.RLock()
	o, ok := s.files[rel]
	mod := s.mod[rel]
	_, isDir := s.files[rel+"/index.html"]
	s.mu.RUnlock()
	if !ok {
		if isDir {
			// rel is a clean relative path, so the redirect stays on the
			// site: "//host" cannot come out of it.
			http.Redirect(w, r, s.base+rel+"/", http.StatusMovedPermanently)
			return
		}
		s.notFound(w, r)
		return
	}
	s.serve(w, r, o, mod)
}

// Resolve gives the output path that the request path p names under base
// ("/" or "/xa-bac-an/"): "tin-tuc/bai/index.html" for
// "/xa-bac-an/tin-tuc/bai/". It refuses any path that a build could not
// have written or that could mean another one to a file system: outside
// base, with "." or ".." parts (however they were escaped: p is decoded),
// empty parts, backslashes, NUL or other control characters, or bytes
// that are not UTF-8. Only outputs of the current build are served, so
// this is not the only guard: it makes sure a path means one thing.
func Resolve(base, p string) (string, bool) {
	if !strings.HasPrefix(p, base) || !strings.HasSuffix(base, "/") || !strings.HasPrefix(base, "/") {
		return "", false
	}
	rel := p[len(base):]
	if !utf8.ValidString(rel) || strings.ContainsFunc(rel, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }) {
		return "", false
	}
	if rel == "" || strings.HasSuffix(rel, "/") {
		rel += "index.html"
	}
	// fs.ValidPath: no leading or doubled slash, no "." or ".." part.
	if !fs.ValidPath(rel) || rel == "." {
		return "", false
	}
	return rel, true
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.mu.RLock()
	o, ok := s.files["404.html"]
	s.mu.RUnlock()
	var data []byte
	if ok && o.File == nil {
		data = o.Data
	} else {
		data = []byte("<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Không tìm thấy trang</title></head><body><h1>Không tìm thấy trang</h1><p><a href=\"" +
			html.EscapeString(s.base) + "\">Trang chủ</a></p></body></html>\n")
	}
	data = s.inject(data)
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(http.StatusNotFound)
	if r.Method != http.MethodHead {
		w.Write(data)
	}
}

// serve answers with an output of the build. http.ServeContent answers
// HEAD, Range and conditional requests.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, o render.Output, mod time.Time) {
	var content io.ReadSeeker
	if o.File != nil {
		f, err := o.File.Open()
		if err != nil {
			// Gone or changed since the build (the next one will say), or
			// refused (a symbolic link): the error would name folders of
			// the machine, so it is not shown.
			s.notFound(w, r)
			return
		}
		defer f.Close()
		if rs, ok := f.(io.ReadSeeker); ok {
			content = rs
		} else {
			data, err := io.ReadAll(f)
			if err != nil {
				s.notFound(w, r)
				return
			}
			content = bytes.NewReader(data)
		}
	} else {
		content = bytes.NewReader(o.Data)
	}
	h := w.Header()
	ctype := ContentType(o.Path)
	if strings.HasPrefix(ctype, "text/html") {
		// The page changes with each build's version and errors, not with
		// its bytes: no time, so no conditional request is answered 304.
		data := o.Data
		if o.File != nil {
			b, err := io.ReadAll(content)
			if err != nil {
				s.notFound(w, r)
				return
			}
			data = b
		}
		content, mod = bytes.NewReader(s.inject(data)), time.Time{}
	}
	if ctype != "" {
		h.Set("Content-Type", ctype)
	}
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, o.Path, mod, content)
}

// types are the Content-Types of the files a site has, fixed here rather
// than read from the machine's mime.types, which differ between systems
// (and some give .js as text/plain, which browsers refuse to run).
var types = map[string]string{
	".html":        "text/html; charset=utf-8",
	".htm":         "text/html; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".json":        "application/json",
	".webmanifest": "application/manifest+json",
	".xml":         "text/xml; charset=utf-8",
	".txt":         "text/plain; charset=utf-8",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".jpg":         "image/jpeg",
	".jpeg":        "image/jpeg",
	".gif":         "image/gif",
	".webp":        "image/webp",
	".avif":        "image/avif",
	".ico":         "image/x-icon",
	".woff2":       "font/woff2",
	".woff":        "font/woff",
	".ttf":         "font/ttf",
	".otf":         "font/otf",
	".pdf":         "application/pdf",
	".mp4":         "video/mp4",
	".webm":        "video/webm",
	".mp3":         "audio/mpeg",
}

// ContentType gives the Content-Type of an output path, "" when the
// extension is not one of a site's usual files: http.ServeContent then
// asks the machine's table and looks at the first bytes.
func ContentType(name string) string {
	return types[strings.ToLower(path.Ext(name))]
}

// inject adds the reload script, and the overlay when the last build
// failed, before </body>.
func (s *Server) inject(page []byte) []byte {
	s.mu.RLock()
	errs, v, built := s.errors, s.version, s.built
	s.mu.RUnlock()
	var add bytes.Buffer
	if len(errs) > 0 {
		add.WriteString(overlay(errs, built))
	}
	fmt.Fprintf(&add, "<script src=\"%sreload.js?v=%d\"></script>\n", Prefix, v)
	i := bytes.LastIndex(page, []byte("</body>"))
	if i < 0 {
		i = len(page)
	}
	out := make([]byte, 0, len(page)+add.Len())
	out = append(out, page[:i]...)
	out = append(out, add.Bytes()...)
	return append(out, page[i:]...)
}

func overlay(errs diag.List, built bool) string {
	var b strings.Builder
	b.WriteString(`<div id="congxa-errors" role="alertdialog" aria-labelledby="congxa-errors-title" style="position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.92);color:#fff;font:15px/1.5 ui-monospace,Menlo,Consolas,monospace;padding:24px">`)
	n, _ := errs.Count()
	shown := "the last good build is shown"
	if !built {
		shown = "the site has not been built yet"
	}
	fmt.Fprintf(&b, `<h2 id="congxa-errors-title" style="margin:0 0 12px;font-size:18px;color:#ff8a80">congxa: %d %s; %s</h2><ol style="margin:0;padding-left:24px">`, n, map[bool]string{true: "error", false: "errors"}[n == 1], shown)
	for _, d := range errs {
		color := "#fff"
		if d.Severity == diag.Warning {
			color = "#ffd54f"
		}
		fmt.Fprintf(&b, `<li style="margin:4px 0;color:%s;white-space:pre-wrap">%s</li>`, color, html.EscapeString(d.String()))
	}
	b.WriteString(`</ol><p style="margin-top:16px;color:#bbb">Fix the files and save: this page reloads by itself.</p></div>` + "\n")
	return b.String()
}

// events streams a "reload" event after every build, as server-sent events.
//
// A client that stops reading (a laptop put to sleep, a tab frozen by the
// browser) must not hold anything up: notify never waits for a client (a
// reload already pending stands for any number of builds), and a write
// that cannot be delivered within writeTimeout drops the client, whose
// EventSource connects again when it wakes.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	c := make(chan int, 1)
	s.mu.Lock()
	s.clients[c] = true
	v := s.version
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.clients, c)
		s.mu.Unlock()
	}()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	send := func(msg string) bool {
		_ = rc.SetWriteDeadline(time.Now().Add(writeTimeout)) // unsupported: no deadline
		if _, err := io.WriteString(w, msg); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	if !send(fmt.Sprintf("retry: 1000\nevent: hello\ndata: %d\n\n", v)) {
		return
	}
	keep := time.NewTicker(15 * time.Second)
	defer keep.Stop()
	for {
		var msg string
		select {
		case <-r.Context().Done():
			return
		case v := <-c:
			msg = fmt.Sprintf("event: reload\ndata: %d\n\n", v)
		case <-keep.C:
			msg = ": keep-alive\n\n"
		}
		if !send(msg) {
			return
		}
	}
}

// writeTimeout bounds how long an event may wait for a client to read.
var writeTimeout = 30 * time.Second

// reloadJS reloads the page after each build. The page knows the build it
// was served from (?v=), so a build that ends before the event stream
// connects still reloads it, and so does a restarted server.
const reloadJS = `(function () {
  var seen = new URL(document.currentScript.src).searchParams.get("v");
  var es = new EventSource("` + Prefix + `events");
  es.addEventListener("hello", function (e) {
    if (e.data !== seen) { location.reload(); }
    seen = e.data;
  });
  es.addEventListener("reload", function (e) {
    seen = e.data;
    location.reload();
  });
})();
`
