// Package content reads a site folder. It is the only package that reads
// the site's files, and the only user of adrg/frontmatter.
//
// A site folder holds:
//
//	content/site.yaml        settings: title, base_url, contact, menu, links,
//	                         posts_per_page, timezone, number_format,
//	                         tthc_max_age_days
//	content/tthc.json        the TTHC statistics snapshot (optional; see package tthc)
//	content/visits.json      visitor counts (optional): online, today, total, updated_at,
//	                         and the watermark that "congxa visits" keeps (see package visits)
//	content/*.md             standalone pages
//	content/<section>/*.md   posts of a section; _index.md gives the section's title and intro
//	content/**               any other file is copied to the same path in the output
//	layouts/*.html           templates; each overrides the default theme's file of the same name
//	assets/**                stylesheets, scripts, images; published with a content hash in the name
//
// A Markdown file starts with front matter in YAML (between "---" lines),
// TOML (between "+++" lines) or JSON (between ";;;" lines, or a JSON object
// followed by an empty line). Keys:
//
//	title     required
//	date      required for posts: RFC 3339 (2022-03-28T08:53:45+07:00) or
//	          dd/mm/yyyy HH:MM[:SS]; without an offset it is in the site's time zone
//	category  the post's category, e.g. "Cải cách hành chính"
//	tags      a list of tags
//	summary   shown in lists; else the first paragraph, cut at a word boundary
//	slug      the last part of the URL; else made from the title
//	draft     true keeps the page out of the build unless --drafts
//	image     the post's picture, shown in lists (a path relative to the post, or an absolute URL)
//
// Files and folders whose names start with "." or "_" (except _index.md), and
// editors' temporary files (name~, .#name, #name#, ~$name, .swp, 4913), are
// ignored.
package content

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"math"
	"net/url"
	"path"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/congxa/congxa/internal/diag"
	"github.com/congxa/congxa/internal/para"
	"github.com/congxa/congxa/internal/tthc"
	"github.com/congxa/congxa/internal/vn"
)

// Site is everything read from a site folder, checked field by field but
// not yet assembled: URLs, lists and cross-checks are the model's.
type Site struct {
	Settings *Settings
	Pages    []*Page          // every Markdown file but the section indexes, in path order
	Sections map[string]*Page // section name → its _index.md
	TTHC     *tthc.Snapshot   // nil when there is no tthc.json
	Visits   *Visits          // nil when there is no visits.json
	Files    []File           // other files under content/, in path order
	Layouts  []File           // by name, the site's overriding the theme's
	Assets   []File           // by name, the site's overriding the theme's
	// GitDates is when the last commit touched each file ("content/x.md"),
	// with "lastmod: git" in the settings; set by the caller of Load, who
	// may run git (see package vcs).
	GitDates map[string]time.Time

	// Gen changes whenever something that every page shows changes: the
	// settings, the TTHC and visits snapshots, a layout, an asset. ThemeGen
	// changes with the settings, layouts and assets only: what a post's
	// entry in a list shows depends on those, not on the snapshots.
	Gen      string
	ThemeGen string
	DataGen  string // the snapshots' part of Gen
	// SettingsGen is ThemeGen but the layouts: a page is made with some of
	// the layouts, and its renderer names them apart.
	SettingsGen string

	settingsKey string // what the pages were parsed with
	tthcData    []byte
	visitsData  []byte
	pageFiles   map[string]pageState  // Markdown files by path, for the next load
	entries     map[string]*diag.List // for the next load: see walker
	files       map[string]File
	// The paths of pageFiles and of files, sorted, and what sameInNFC
	// said of them: a load whose paths are the previous load's keeps them.
	paths, filePaths []string
	nfcDiags         diag.List
}

// StatReadFS is a file system that reads a file and gives its size and
// modification time from the file it opened, with one system call less
// than a stat before the read: a build reads every post. A later load
// compares them with what its walk sees, to tell whether to read the post
// again. ReadFileStat is called from several goroutines at once.
type StatReadFS interface {
	fs.FS
	ReadFileStat(name string) (data []byte, size int64, mod time.Time, err error)
}

// pageState is what one Markdown file gave, and the file's size and time
// when it was read.
type pageState struct {
	size  int64
	mod   time.Time
	page  *Page // nil when the file has errors
	diags diag.List
}

// Page is one Markdown file.
type Page struct {
	Path      string // "content/tin-tuc/x.md"
	Dir       string // "tin-tuc" ("" at the top)
	Section   string // the first folder under content/, "" for standalone pages
	Name      string // the file name without ".md"
	Title     string
	TitleSlug string // vn.Slug(Title), made once per reading of the file
	Date      time.Time
	HasDate   bool
	Category  string
	Tags      []string
	Summary   string
	Slug      string
	Draft     bool
	Image     string
	// Aliases are the site paths of the page's old addresses
	// ("/tin-tuc/bai-cu-1234.html"), each at AliasPos.
	Aliases  []string
	AliasPos []diag.Pos
	Expires  time.Time // when the page is taken down; zero for never
	LastMod  time.Time // front matter lastmod; zero when not given
	// Body is the Markdown after the front matter. It is nil when the
	// loader left it in the file (see Options.KeepBodies): Markdown reads
	// it then.
	Body     []byte
	BodyLine int // the file line where Body starts
	later    *bodyRef
	Keys     []KeyPos // where each front matter key is, in the file's order
	// Rev is different for every reading of a file: a page that keeps its
	// Rev across two loads was not read again, so nothing in it changed.
	Rev uint64
}

var revs atomic.Uint64

// KeyPos is where a front matter key is in its page's file. A page has a
// handful of keys: a list of them takes a third of the memory of a map,
// which counts at tens of thousands of pages.
type KeyPos struct {
	Key       string
	Line, Col int32
}

// At returns the position of a front matter key, or of the page.
func (p *Page) At(key string) diag.Pos {
	for _, k := range p.Keys {
		if k.Key == key {
			return diag.Pos{File: p.Path, Line: int(k.Line), Col: int(k.Col)}
		}
	}
	return diag.Pos{File: p.Path, Line: 1, Col: 1}
}

// Visits are the visitor counts shown in the sidebar.
type Visits struct {
	Online    int64
	Today     int64
	Total     int64
	UpdatedAt time.Time
}

// File is a file published as it is (or, for assets, under a hashed name).
type File struct {
	Path  string // where it was read: "content/tai-lieu/x.pdf", "layouts/post.html", "<theme>/layouts/post.html"
	Name  string // its name under its folder: "tai-lieu/x.pdf", "post.html"
	Size  int64
	Mod   time.Time                     // content files only
	Data  []byte                        // layouts and assets only
	Open  func() (io.ReadCloser, error) // content files, read when written
	Theme bool                          // from the default theme
}

// ThemePrefix marks the paths of the embedded default theme's files in
// diagnostics.
const ThemePrefix = "<theme>/"

// Options change how a site is read.
type Options struct {
	BaseURL string    // overrides site.yaml's base_url
	Now     time.Time // the build's time
	// Prev is an earlier load of the same site: Markdown files with the
	// same size and modification time, not named by Changed, are taken
	// from it instead of being read and parsed again. A load with Changed
	// takes over Prev's state instead of copying it: Prev cannot be given
	// to another load after it (it would be read whole again).
	Prev *Site
	// Changed reports the files that changed since Prev, from a watcher's
	// events: the other files are taken from Prev without looking at them.
	// nil means unknown: files are then compared by size and time.
	Changed func(path string) bool
	// ChangedPaths lists the same paths: with Prev and Changed, only they
	// are looked at, not the whole folder.
	ChangedPaths []string
	// KeepBodies, when not 0, is the most bytes of posts' Markdown that
	// the loaded site holds: the bodies past it are left in their files
	// and read again, once, by Page.Markdown. A single build of a large
	// site uses it, so that it does not hold every post's text from
	// loading until each is converted; the files read first are kept.
	KeepBodies int64
}

var pageKeys = []string{"title", "date", "category", "tags", "summary", "slug", "draft", "image", "aliases", "expires", "lastmod"}

// Load reads the site in fsys (a site folder) with the default theme in
// theme (which may be nil). Every problem found is in the returned list; the
// Site is nil only when nothing useful could be read.
func Load(fsys, theme fs.FS, opt Options) (*Site, diag.List) {
	var diags diag.List
	s := &Site{Sections: map[string]*Page{}, pageFiles: map[string]pageState{}}

	settingsData, err := readRegular(fsys, "content/site.yaml")
	switch {
	case errors.Is(err, fs.ErrNotExist):
		diags.Errorf(diag.Pos{File: "content/site.yaml"}, "no site settings: create content/site.yaml with at least title and base_url (see README)")
	case err != nil:
		diags.Errorf(diag.Pos{File: "content/site.yaml"}, "cannot read: %v", unwrapPath(err))
	default:
		s.settingsKey = opt.BaseURL + "\x00" + string(settingsData)
		src := diag.Source{Name: "content/site.yaml", Data: settingsData}
		if checkText(src, &diags) {
			src.Data = cleanText(src.Data)
			s.Settings = decodeSettings(src, opt.BaseURL, &diags)
		}
	}
	loc, _ := vn.LoadLocation("")
	if s.Settings != nil {
		loc = s.Settings.Location
	}

	// Every file under content/ but the settings and snapshots: Markdown
	// files are parsed after the walk, in parallel.
	w := &walker{fsys: fsys, opt: opt, s: s, entries: map[string]*diag.List{}, files: map[string]File{}}
	if opt.Prev != nil && opt.Changed != nil && opt.Prev.settingsKey == s.settingsKey && opt.Prev.entries != nil {
		// A watcher says what changed: start from the previous reading and
		// look only at those paths, so that a one-post edit costs the same
		// in a site of ten posts or of fifty thousand.
		// The previous reading's state is taken over, not copied: Prev
		// is then spent (see Options.Prev).
		prev := opt.Prev
		w.incremental = true
		s.pageFiles, w.entries, w.files = prev.pageFiles, prev.entries, prev.files
		prev.pageFiles, prev.entries, prev.files = nil, nil, nil
		w.gone = map[string]bool{}
		nPages, nFiles := len(s.pageFiles), len(w.files)
		for _, p := range opt.ChangedPaths {
			if p == "content" || strings.HasPrefix(p, "content/") {
				w.update(p)
			}
		}
		// The same paths as before, when as many and every one forgotten
		// came back: their order and names' check are the same too.
		same := len(s.pageFiles) == nPages && len(w.files) == nFiles && prev.paths != nil
		for q := range w.gone {
			_, page := s.pageFiles[q]
			_, file := w.files[q]
			same = same && (page || file)
		}
		if same {
			s.paths, s.filePaths, s.nfcDiags = prev.paths, prev.filePaths, prev.nfcDiags
		}
	} else if err := fs.WalkDir(fsys, "content", w.visit); err != nil {
		diags.Errorf(diag.Pos{File: "content"}, "cannot read: %v", err)
	}
	for _, p := range slices.Sorted(maps.Keys(w.entries)) {
		diags.Append(*w.entries[p])
	}
	s.entries, s.files = w.entries, w.files
	if s.paths == nil {
		s.filePaths = slices.Sorted(maps.Keys(w.files))
	}
	s.Files = make([]File, 0, len(s.filePaths))
	for _, p := range s.filePaths {
		s.Files = append(s.Files, w.files[p])
	}
	mdPaths := w.md
	s.readSnapshots(fsys, opt, &diags)
	pages := make([]*Page, len(mdPaths))
	pageDiags := make([]diag.List, len(mdPaths))
	stats := make([]pageState, len(mdPaths))
	var kept atomic.Int64 // bytes of Body held, with KeepBodies
	para.For(context.Background(), len(mdPaths), func(i int) {
		p := mdPaths[i]
		var data []byte
		var err error
		if d := w.mdStat[i]; d != nil {
			if sr, ok := fsys.(StatReadFS); ok {
				data, stats[i].size, stats[i].mod, err = sr.ReadFileStat(p)
			} else {
				var info fs.FileInfo
				if info, err = d.Info(); err == nil {
					stats[i] = pageState{size: info.Size(), mod: info.ModTime()}
					data, err = fs.ReadFile(fsys, p)
				}
			}
		} else {
			data, err = fs.ReadFile(fsys, p)
		}
		if err != nil {
			pageDiags[i].Errorf(diag.Pos{File: p}, "cannot read: %v", unwrapPath(err))
			return
		}
		// The page is known by its path in NFC, as links to it are written.
		pg := loadPage(diag.Source{Name: vn.NFC(p), Data: data}, loc, &pageDiags[i])
		pages[i] = pg
		if opt.KeepBodies > 0 && pg != nil && pg.Name != "_index" && kept.Add(int64(len(pg.Body))) > opt.KeepBodies {
			pg.leaveBody(fsys, p, data)
		}
	})
	for i, p := range mdPaths {
		st := s.pageFiles[p]
		if w.mdStat[i] != nil {
			st.size, st.mod = stats[i].size, stats[i].mod
		}
		st.page, st.diags = pages[i], pageDiags[i]
		s.pageFiles[p] = st
	}
	if s.paths == nil {
		s.paths = make([]string, 0, len(s.pageFiles))
		for p := range s.pageFiles {
			s.paths = append(s.paths, p)
		}
		sort.Strings(s.paths)
		sameInNFC(s.paths, s.filePaths, &s.nfcDiags)
	}
	diags.Append(s.nfcDiags)
	for _, p := range s.paths {
		st := s.pageFiles[p]
		diags.Append(st.diags)
		pg := st.page
		switch {
		case pg == nil:
		case pg.Name != "_index":
			s.Pages = append(s.Pages, pg)
		case pg.Dir == "":
			diags.Errorf(diag.Pos{File: pg.Path}, "_index.md belongs in a section folder, e.g. content/tin-tuc/_index.md")
		default:
			s.Sections[pg.Dir] = pg
		}
	}
	s.Layouts = overlay(fsys, theme, "layouts", &diags)
	s.Assets = overlay(fsys, theme, "assets", &diags)
	s.ThemeGen = generation(s, false)
	s.SettingsGen = generation(&Site{settingsKey: s.settingsKey, Assets: s.Assets}, false)
	s.DataGen = generation(s, true)[:16]
	s.Gen = s.ThemeGen + s.DataGen
	return s, diags
}

// sameInNFC reports files whose names differ only in how their letters are
// composed (NFC "ộ" or NFD "o" with two combining marks): they are published
// under one name.
func sameInNFC(pages, files []string, diags *diag.List) {
	seen := make(map[string]string, len(pages)+len(files))
	for _, list := range [][]string{pages, files} {
		for _, p := range list {
			n := vn.NFC(p)
			if q, ok := seen[n]; ok {
				diags.Errorf(diag.Pos{File: p}, "another file, %s, has the same name with its letters composed differently (Unicode NFC and NFD): keep one", q)
				continue
			}
			seen[n] = p
		}
	}
}

// walker reads the files under content/, all of them or the ones a
// watcher named.
type walker struct {
	fsys        fs.FS
	opt         Options
	s           *Site
	incremental bool
	md          []string              // Markdown files to read and parse
	mdStat      []fs.DirEntry         // for each of md, the entry to read its size and time from, or nil if done
	entries     map[string]*diag.List // problems of the entries that are not Markdown files, by path
	files       map[string]File       // files published as they are, by path
	gone        map[string]bool       // the paths forget dropped from pageFiles or files
}

// visit is a WalkDirFunc.
func (w *walker) visit(p string, d fs.DirEntry, err error) error {
	if err != nil {
		if p == "content" && errors.Is(err, fs.ErrNotExist) {
			w.problem(p).Errorf(diag.Pos{File: "content"}, "no content folder: is this a site folder? (use --source DIR)")
			return fs.SkipAll
		}
		w.problem(p).Errorf(diag.Pos{File: p}, "cannot read: %v", unwrapPath(err))
		return nil
	}
	if p != "content" && Ignored(d.Name()) {
		if d.IsDir() {
			return fs.SkipDir
		}
		return nil
	}
	rel := strings.TrimPrefix(p, "content/")
	switch rel {
	case "site.yaml", "tthc.json", "visits.json":
		return nil // read by Load and readSnapshots, which refuse a symbolic link
	}
	if d.Type()&fs.ModeSymlink != 0 {
		w.problem(p).Warnf(diag.Pos{File: p}, "symbolic link ignored: copy the file into the site instead")
		return nil
	}
	if d.IsDir() {
		return nil
	}
	switch {
	case strings.HasSuffix(strings.ToLower(rel), ".md"):
		if !w.incremental {
			if prev, ok := trusted(w.opt, w.s.settingsKey, p); ok {
				w.s.pageFiles[p] = prev
				return nil
			}
		}
		if w.opt.Prev == nil {
			// Nothing to compare the file's size and time with: they are
			// read with the file, in parallel (a system call a file).
			w.md = append(w.md, p)
			w.mdStat = append(w.mdStat, d)
			w.s.pageFiles[p] = pageState{}
			return nil
		}
		info, err := d.Info()
		if err != nil {
			w.problem(p).Errorf(diag.Pos{File: p}, "cannot read: %v", unwrapPath(err))
			return nil
		}
		st := pageState{size: info.Size(), mod: info.ModTime()}
		if prev, ok := reusable(w.opt, w.s.settingsKey, p, st); ok && !w.incremental {
			w.s.pageFiles[p] = prev
			return nil
		}
		w.md = append(w.md, p)
		w.mdStat = append(w.mdStat, nil)
		w.s.pageFiles[p] = st
	default:
		info, err := d.Info()
		if err != nil {
			w.problem(p).Errorf(diag.Pos{File: p}, "cannot read: %v", unwrapPath(err))
			return nil
		}
		// Names are published and linked to in NFC, whatever the file
		// system holds (macOS and zip files give NFD): a link written in
		// a post, which is NFC, must find the file, and the published name
		// must match the link's URL byte for byte.
		w.files[p] = File{Path: vn.NFC(p), Name: vn.NFC(rel), Size: info.Size(), Mod: info.ModTime(), Open: opener(w.fsys, p)}
	}
	return nil
}

func (w *walker) problem(p string) *diag.List {
	l := w.entries[p]
	if l == nil {
		l = &diag.List{}
		w.entries[p] = l
	}
	return l
}

// update looks again at a path a watcher named: a file, a folder created or
// renamed into place (everything in it), or something gone (everything that
// was under it).
func (w *walker) update(p string) {
	w.forget(p)
	for _, part := range strings.Split(strings.TrimPrefix(p, "content/"), "/") {
		if Ignored(part) {
			return
		}
	}
	info, err := fs.Lstat(w.fsys, p)
	if errors.Is(err, fs.ErrNotExist) {
		return
	}
	if err != nil {
		w.problem(p).Errorf(diag.Pos{File: p}, "cannot read: %v", unwrapPath(err))
		return
	}
	if info.IsDir() {
		if err := fs.WalkDir(w.fsys, p, w.visit); err != nil {
			w.problem(p).Errorf(diag.Pos{File: p}, "cannot read: %v", err)
		}
		return
	}
	_ = w.visit(p, fs.FileInfoToDirEntry(info), nil)
}

// forget drops what the previous reading had at p and below it.
func (w *walker) forget(p string) {
	// In NFC too: a name written with other compositions of its letters is
	// the same page (see sameInNFC). p's forms are made once: every path
	// of the site is compared with them.
	dir, np := p+"/", vn.NFC(p)
	ndir := np + "/"
	under := func(q string) bool {
		if q == p || strings.HasPrefix(q, dir) {
			return true
		}
		nq := vn.NFC(q)
		return nq == np || strings.HasPrefix(nq, ndir)
	}
	for q := range w.s.pageFiles {
		if under(q) {
			delete(w.s.pageFiles, q)
			w.gone[q] = true
		}
	}
	for q := range w.files {
		if under(q) {
			delete(w.files, q)
			w.gone[q] = true
		}
	}
	for q := range w.entries {
		if under(q) {
			delete(w.entries, q)
		}
	}
}

// readSnapshots reads tthc.json and visits.json: small, and read at every
// build so that an export is never missed.
func (s *Site) readSnapshots(fsys fs.FS, opt Options, diags *diag.List) {
	read := func(p string) (diag.Source, bool) {
		data, err := readRegular(fsys, p)
		if errors.Is(err, fs.ErrNotExist) {
			return diag.Source{}, false
		}
		if err != nil {
			diags.Errorf(diag.Pos{File: p}, "cannot read: %v", unwrapPath(err))
			return diag.Source{}, false
		}
		src := diag.Source{Name: p, Data: data}
		return src, checkText(src, diags)
	}
	if src, ok := read("content/tthc.json"); ok {
		s.tthcData = src.Data
		snap, ds := tthc.Decode(src, opt.Now)
		diags.Append(ds)
		s.TTHC = snap
	}
	if src, ok := read("content/visits.json"); ok {
		s.visitsData = src.Data
		s.Visits = decodeVisits(src, diags)
	}
}

// LoadSettings reads only content/site.yaml.
func LoadSettings(fsys fs.FS) (*Settings, diag.List) {
	var diags diag.List
	data, err := readRegular(fsys, "content/site.yaml")
	if err != nil {
		diags.Errorf(diag.Pos{File: "content/site.yaml"}, "cannot read: %v", unwrapPath(err))
		return nil, diags
	}
	src := diag.Source{Name: "content/site.yaml", Data: data}
	if !checkText(src, &diags) {
		return nil, diags
	}
	src.Data = cleanText(src.Data)
	return decodeSettings(src, "", &diags), diags
}

// trusted returns the previous load's result for the Markdown file p when
// a watcher reports the changes and did not name p: then even the file's
// size and time need not be read, which matters with thousands of posts.
func trusted(opt Options, settingsKey, p string) (pageState, bool) {
	if opt.Prev == nil || opt.Changed == nil || opt.Prev.settingsKey != settingsKey || opt.Changed(p) {
		return pageState{}, false
	}
	prev, ok := opt.Prev.pageFiles[p]
	return prev, ok
}

// reusable returns the previous load's result for the Markdown file p when
// the file cannot have changed since.
func reusable(opt Options, settingsKey, p string, now pageState) (pageState, bool) {
	if opt.Prev == nil || opt.Prev.settingsKey != settingsKey || (opt.Changed != nil && opt.Changed(p)) {
		return pageState{}, false
	}
	prev, ok := opt.Prev.pageFiles[p]
	if !ok || prev.size != now.size || !prev.mod.Equal(now.mod) {
		return pageState{}, false
	}
	return prev, true
}

// generation hashes what every page depends on. Pages are compared by Rev,
// so they are not part of it.
func generation(s *Site, data bool) string {
	h := sha256.New()
	field := func(name string, data []byte) {
		fmt.Fprintf(h, "%s %d\n", name, len(data))
		h.Write(data)
	}
	if data {
		field("tthc", s.tthcData)
		field("visits", s.visitsData)
		return hex.EncodeToString(h.Sum(nil))
	}
	field("settings", []byte(s.settingsKey))
	for _, list := range [][]File{s.Layouts, s.Assets} {
		for _, f := range list {
			field(f.Path, f.Data)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// errSymlink is the error of reading a file that is a symbolic link.
var errSymlink = errors.New("it is a symbolic link: copy the file into the site instead (congxa reads no file through a link, which could point outside the site)")

// readRegular reads the file p, which must not be a symbolic link: the
// walk ignores links, and the files read by name must not take another
// way out of the site folder.
func readRegular(fsys fs.FS, p string) ([]byte, error) {
	if fi, err := fs.Lstat(fsys, p); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		return nil, &fs.PathError{Op: "read", Path: p, Err: errSymlink}
	}
	return fs.ReadFile(fsys, p)
}

// opener opens the file p when it is published or served. The walk saw a
// regular file there, but it may since have been replaced by a symbolic
// link, or a folder above it by one (a git checkout while congxa serve
// runs): a link could point outside the site, so no folder on the way and
// not the file itself may be one.
func opener(fsys fs.FS, p string) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) {
		for i := 0; ; {
			q, last := p, true
			if j := strings.IndexByte(p[i:], '/'); j >= 0 {
				q, last = p[:i+j], false
				i += j + 1
			}
			fi, err := fs.Lstat(fsys, q)
			if err != nil {
				return nil, err
			}
			if fi.Mode()&fs.ModeSymlink != 0 {
				return nil, &fs.PathError{Op: "open", Path: q, Err: errSymlink}
			}
			if last {
				break
			}
		}
		f, err := fsys.Open(p)
		if err != nil {
			return nil, err
		}
		if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
			f.Close()
			if err == nil {
				err = errNotRegular
			}
			return nil, &fs.PathError{Op: "open", Path: p, Err: err}
		}
		return f, nil
	}
}

var errNotRegular = errors.New("not a regular file")

// overlay reads dir from the theme, then from the site, the site's files
// replacing the theme's of the same name.
func overlay(fsys, theme fs.FS, dir string, diags *diag.List) []File {
	byName := map[string]File{}
	for _, src := range []struct {
		fsys  fs.FS
		theme bool
	}{{theme, true}, {fsys, false}} {
		if src.fsys == nil {
			continue
		}
		err := fs.WalkDir(src.fsys, dir, func(p string, d fs.DirEntry, err error) error {
			name := p
			if src.theme {
				name = ThemePrefix + p
			}
			if err != nil {
				if p == dir && errors.Is(err, fs.ErrNotExist) {
					return fs.SkipAll
				}
				diags.Errorf(diag.Pos{File: name}, "cannot read: %v", unwrapPath(err))
				return nil
			}
			if p != dir && Ignored(d.Name()) {
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				return nil
			}
			if d.Type()&fs.ModeSymlink != 0 {
				diags.Warnf(diag.Pos{File: name}, "symbolic link ignored: copy the file into the site instead")
				return nil
			}
			data, err := fs.ReadFile(src.fsys, p)
			if err != nil {
				diags.Errorf(diag.Pos{File: name}, "cannot read: %v", unwrapPath(err))
				return nil
			}
			f := File{Path: name, Name: strings.TrimPrefix(p, dir+"/"), Theme: src.theme, Data: data, Size: int64(len(data))}
			byName[f.Name] = f
			return nil
		})
		if err != nil {
			diags.Errorf(diag.Pos{File: dir}, "cannot read: %v", err)
		}
	}
	names := make([]string, 0, len(byName))
	for n := range byName {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]File, 0, len(names))
	for _, n := range names {
		out = append(out, byName[n])
	}
	return out
}

// Ignored tells the files that are not part of the site: hidden files,
// drafts folders starting with "_" and editors' temporary files, which
// appear and vanish while someone saves.
func Ignored(name string) bool {
	switch {
	case name == "_index.md":
		return false
	case strings.HasPrefix(name, "."), strings.HasPrefix(name, "_"),
		strings.HasPrefix(name, "#"), strings.HasPrefix(name, "~$"),
		strings.HasSuffix(name, "~"), strings.HasSuffix(name, ".swp"),
		strings.HasSuffix(name, ".swx"), strings.HasSuffix(name, ".tmp"),
		name == "4913":
		return true
	}
	return false
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

var bom = []byte{0xEF, 0xBB, 0xBF}

// checkText reports a byte order mark and bytes that are not UTF-8: text
// pasted from a legacy Vietnamese encoding (Windows-1258, TCVN3, VNI) would
// otherwise be published as garbage.
func checkText(src diag.Source, diags *diag.List) bool {
	if bytes.HasPrefix(src.Data, bom) {
		diags.Errorf(diag.Pos{File: src.Name, Line: 1, Col: 1}, "file starts with a UTF-8 byte order mark (BOM): save it as UTF-8 without BOM")
		return false
	}
	if !utf8.Valid(src.Data) {
		off := 0
		for off < len(src.Data) {
			r, n := utf8.DecodeRune(src.Data[off:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			off += n
		}
		diags.Errorf(src.Pos(off), "file is not valid UTF-8 (byte 0x%02X): was it saved in a legacy encoding such as Windows-1258, TCVN3 or VNI? Save it as UTF-8", src.Data[off])
		return false
	}
	return true
}

func loadPage(src diag.Source, loc *time.Location, diags *diag.List) *Page {
	if !isClean(src.Data) {
		if !checkText(src, diags) {
			return nil
		}
		src.Data = cleanText(src.Data)
	}
	rel := strings.TrimPrefix(src.Name, "content/")
	dir := path.Dir(rel)
	if dir == "." {
		dir = ""
	}
	section, _, _ := strings.Cut(dir, "/")
	base := path.Base(rel)
	pg := &Page{Path: src.Name, Dir: dir, Section: section, Name: base[:len(base)-len(path.Ext(base))], Rev: revs.Add(1)}
	fm, body, bodyLine, derr := split(src)
	if derr != nil {
		diags.Errorf(derr.pos, "%s", derr.msg)
		return nil
	}
	isIndex := base == "_index.md"
	if fm == nil {
		if len(bytes.TrimSpace(src.Data)) == 0 {
			diags.Errorf(diag.Pos{File: src.Name, Line: 1, Col: 1}, "empty file: a page needs front matter with at least a title")
		} else {
			diags.Errorf(diag.Pos{File: src.Name, Line: 1, Col: 1}, "no front matter: start the file with a \"---\" line, then at least \"title: ...\", then \"---\"")
		}
		return nil
	}
	pg.Body, pg.BodyLine = body, bodyLine
	pg.Keys = make([]KeyPos, len(fm.keys))
	for i, k := range fm.keys {
		pos := fm.vals[k].pos
		pg.Keys[i] = KeyPos{Key: k, Line: int32(min(pos.Line, math.MaxInt32)), Col: int32(min(pos.Col, math.MaxInt32))}
	}
	before := len(*diags)
	f := newFields(fm, "front matter", diags)
	pg.Title = f.str("title")
	pg.TitleSlug = vn.Slug(pg.Title)
	if t := fm.vals["title"]; pg.Title == "" && (t == nil || t.kind == scalarNode) {
		diags.Errorf(f.pos("title"), "missing title")
	}
	pg.Date, pg.HasDate = f.date("date", loc)
	if !pg.HasDate && section != "" && !isIndex && !f.has("date") {
		diags.Errorf(f.pos("date"), "missing date: a post needs one, e.g. date: \"28/03/2022 08:53:45\"")
	}
	pg.Category = f.str("category")
	pg.Tags = f.strList("tags")
	pg.Summary = f.str("summary")
	pg.Slug = f.str("slug")
	pg.Draft = f.boolean("draft")
	pg.Image = f.str("image")
	pg.Aliases, pg.AliasPos = f.strListPos("aliases")
	for i, a := range pg.Aliases {
		if msg := checkAlias(a); msg != "" {
			diags.Errorf(pg.AliasPos[i], "alias %q %s", a, msg)
		}
	}
	pg.Expires, _ = f.date("expires", loc)
	pg.LastMod, _ = f.date("lastmod", loc)
	if pg.HasDate && !pg.Expires.IsZero() && !pg.Expires.After(pg.Date) {
		diags.Errorf(f.pos("expires"), "expires %s is not after the date %s: the page would never be published", vn.FormatDateTime(pg.Expires, loc), vn.FormatDateTime(pg.Date, loc))
	}
	f.unknown(pageKeys)
	for _, d := range (*diags)[before:] {
		if d.Severity == diag.Error {
			return nil
		}
	}
	return pg
}

// checkAlias says what is wrong with an alias, or "". An alias is a site
// path, "/tin-tuc/bai-cu-1234.html" or "/gioi-thieu/", published as a page
// that sends visitors to the page's address.
func checkAlias(a string) string {
	switch {
	case !strings.HasPrefix(a, "/"):
		return "must be a path starting with \"/\", e.g. \"/tin-tuc/bai-cu-1234.html\""
	case strings.ContainsAny(a, "?#\\"):
		return "must be a path alone: a static web server cannot match a query (?), a fragment (#) or a backslash"
	case a == "/":
		return "is the home page"
	}
	if _, err := url.PathUnescape(a); err != nil {
		return "has a malformed %-escape"
	}
	for _, part := range strings.Split(strings.Trim(a, "/"), "/") {
		if part == "" || part == "." || part == ".." {
			return "must not have empty, \".\" or \"..\" parts"
		}
	}
	return ""
}

func decodeVisits(src diag.Source, diags *diag.List) *Visits {
	root, err := decodeJSON(src, src.Data, 0)
	if err != nil {
		diags.Errorf(err.pos, "%s", err.msg)
		return nil
	}
	if root.kind != mapNode {
		diags.Errorf(root.pos, "visits.json must be an object with online, today, total and updated_at")
		return nil
	}
	before := len(*diags)
	f := newFields(root, "visits.json", diags)
	v := &Visits{}
	for _, c := range []struct {
		key string
		dst *int64
	}{{"online", &v.Online}, {"today", &v.Today}, {"total", &v.Total}} {
		n, ok := f.integer(c.key, 0)
		if !ok && !f.has(c.key) {
			diags.Errorf(f.pos(c.key), "missing %s", c.key)
		}
		*c.dst = int64(n)
	}
	if f.has("updated_at") {
		v.UpdatedAt, _ = f.date("updated_at", time.UTC)
	}
	// watermark is congxa visits' own: how far it has read the logs.
	if w := f.get("watermark"); w != nil && w.kind != mapNode {
		diags.Errorf(w.pos, "watermark must be an object, as congxa visits writes it: {\"from\": …, \"to\": …, \"lines\": …}")
	}
	f.unknown([]string{"online", "today", "total", "updated_at", "watermark"})
	for _, d := range (*diags)[before:] {
		if d.Severity == diag.Error {
			return nil
		}
	}
	return v
}
