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
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/congxa/congxa/internal/diag"
	"github.com/congxa/congxa/internal/render"
)

// Prefix is where the server's own files are: it cannot clash with a
// site's paths, which are slugs.
const Prefix = "/__congxa/"

// Server serves the latest build.
type Server struct {
	base string // the base URL's path: "/" or "/xa-bac-an/"

	mu      sync.RWMutex
	files   map[string]render.Output // by output path
	errors  diag.List                // of the last build, when it failed
	built   bool                     // a build has succeeded
	version int
	clients map[chan int]bool
}

// New returns a Server for a site published under base ("/" or
// "/xa-bac-an/").
func New(base string) *Server {
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	return &Server{base: base, files: map[string]render.Output{}, clients: map[chan int]bool{}}
}

// Update serves a new build and reloads open pages.
func (s *Server) Update(outs []render.Output) {
	files := make(map[string]render.Output, len(outs))
	for _, o := range outs {
		files[o.Path] = o
	}
	s.mu.Lock()
	s.files, s.errors, s.built = files, nil, true
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
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p := r.URL.Path
	if !strings.HasPrefix(p, s.base) {
		if p == "/" || p+"/" == s.base {
			http.Redirect(w, r, s.base, http.StatusFound)
			return
		}
		s.notFound(w, r)
		return
	}
	rel := strings.TrimPrefix(p, s.base)
	if rel == "" || strings.HasSuffix(rel, "/") {
		rel += "index.html"
	}
	s.mu.RLock()
	o, ok := s.files[rel]
	_, isDir := s.files[rel+"/index.html"]
	s.mu.RUnlock()
	if !ok {
		if isDir {
			http.Redirect(w, r, p+"/", http.StatusMovedPermanently)
			return
		}
		s.notFound(w, r)
		return
	}
	s.serve(w, r, o, http.StatusOK)
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.mu.RLock()
	o, ok := s.files["404.html"]
	s.mu.RUnlock()
	if ok {
		s.serve(w, r, o, http.StatusNotFound)
		return
	}
	body := "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Không tìm thấy trang</title></head><body><h1>Không tìm thấy trang</h1><p>" +
		html.EscapeString(r.URL.Path) + "</p><p><a href=\"" + html.EscapeString(s.base) + "\">Trang chủ</a></p></body></html>\n"
	s.serve(w, r, render.Output{Path: "404.html", Data: []byte(body)}, http.StatusNotFound)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request, o render.Output, code int) {
	data := o.Data
	if o.File != nil {
		f, err := o.File.Open()
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		data, err = io.ReadAll(f)
		f.Close()
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
	}
	ctype := mime.TypeByExtension(path.Ext(o.Path))
	if ctype == "" {
		ctype = http.DetectContentType(data)
	}
	if strings.HasPrefix(ctype, "text/html") {
		data = s.inject(data)
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(code)
	if r.Method != http.MethodHead {
		w.Write(data)
	}
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
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
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
	fmt.Fprintf(w, "retry: 1000\nevent: hello\ndata: %d\n\n", v)
	flusher.Flush()
	keep := time.NewTicker(15 * time.Second)
	defer keep.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case v := <-c:
			fmt.Fprintf(w, "event: reload\ndata: %d\n\n", v)
			flusher.Flush()
		case <-keep.C:
			io.WriteString(w, ": keep-alive\n\n")
			flusher.Flush()
		}
	}
}

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
