// Package build runs the pipeline: load → model → render → write. The
// command line, the watcher and the tests all build through it.
package build

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/congxa/congxa/internal/content"
	"github.com/congxa/congxa/internal/diag"
	"github.com/congxa/congxa/internal/publish"
	"github.com/congxa/congxa/internal/render"
	"github.com/congxa/congxa/internal/site"
	"github.com/congxa/congxa/internal/vcs"
)

// Options say what to build and where.
type Options struct {
	Source  fs.FS  // the site folder
	Dir     string // the site folder on disk, for git (lastmod: git); "" if none
	Theme   fs.FS  // the default theme; nil for none
	Dest    string // the destination folder; "" to write nothing
	BaseURL string // overrides site.yaml's base_url
	Drafts  bool   // publish drafts
	Now     func() time.Time
	// Once: there will be no next build. Pages are then written as they
	// are rendered and nothing is kept, so memory does not grow with the
	// output (Result.Outputs is nil when Dest is set).
	Once bool
}

// keepBodies is content.Options.KeepBodies for a single build: 64 MiB, the
// Markdown of about 12,000 posts of the bench corpus, are held from loading
// to converting; past it, posts are read again. A variable for the tests.
var keepBodies int64 = 64 << 20

// Result tells what a build made.
type Result struct {
	Pages   int // HTML pages
	Files   int // every file of the build
	Written int // files written to the destination, not kept from the last build
	Bytes   int64
	Outputs []render.Output
	Site    *site.Site
	// How long each stage took: load, model, render, write (render and
	// write are one stage when a single build streams).
	Load, Model, Render, Write time.Duration
}

// Run builds the site once.
func Run(ctx context.Context, opt Options) (*Result, diag.List, error) {
	opt.Once = true
	b := New(opt)
	defer b.Wait()
	return b.Build(ctx, nil)
}

// Wait returns once the destination holds only the last build: the
// previous one is removed in the background.
func (b *Builder) Wait() {
	if b.pub != nil {
		b.pub.Wait()
	}
}

// Builder builds one site again and again, as a watcher does: each build
// reads again only the files that changed, renders again only the pages
// that show them, and writes only the files whose bytes changed, yet gives
// the same output as a clean build of the same files.
type Builder struct {
	opt   Options
	prev  *content.Site
	model *site.Site // the last model made, which the next one starts from (see site.Rebuild)
	cache render.Cache
	pub   *publish.Publisher
}

// New returns a Builder.
func New(opt Options) *Builder {
	b := &Builder{opt: opt}
	if opt.Dest != "" {
		// A builder that builds again keeps the previous build to update.
		b.pub = &publish.Publisher{Dest: opt.Dest, Spare: !opt.Once}
	}
	return b
}

// Build builds the site. changed names the files known to have changed
// since the last build (slash-separated, relative to the site folder); files
// are also compared by size and time. Content problems are in the list; the
// error is a failure to write the destination, which is then left as it
// was.
func (b *Builder) Build(ctx context.Context, changed map[string]bool) (*Result, diag.List, error) {
	now := time.Now()
	if b.opt.Now != nil {
		now = b.opt.Now()
	}
	lopt := content.Options{BaseURL: b.opt.BaseURL, Now: now, Prev: b.prev}
	if b.opt.Once {
		// Nothing is built again from this load: past 64 MiB, posts'
		// Markdown is read again when converted rather than held.
		lopt.KeepBodies = keepBodies
	}
	if changed != nil {
		lopt.Changed = func(p string) bool { return changed[p] }
		lopt.ChangedPaths = slices.Sorted(maps.Keys(changed))
	}
	t0 := time.Now()
	c, diags := content.Load(b.opt.Source, b.opt.Theme, lopt)
	b.prev = c
	tLoad := time.Since(t0)
	if diags.HasErrors() || c == nil || c.Settings == nil || c.Settings.BaseURL == nil {
		// Nothing will be rendered, but the files that loaded can still
		// be checked against each other (URLs, images) and the layouts
		// parsed: an editor sees every error of a commit in one run.
		if c != nil && c.Settings != nil && c.Settings.BaseURL != nil {
			_, ds := site.Build(c, site.Options{Drafts: b.opt.Drafts})
			diags.Append(ds)
		}
		if c != nil {
			diags.Append(render.CheckLayouts(c.Layouts))
		}
		diags.Sort()
		return nil, diags, nil
	}
	if c.Settings.LastModGit {
		c.GitDates = b.gitDates(&diags, c.Settings.LastModPos)
	}
	t0 = time.Now()
	var s *site.Site
	var ds diag.List
	if b.opt.Once {
		s, ds = site.Build(c, site.Options{Drafts: b.opt.Drafts, Now: now})
	} else {
		s, ds = site.Rebuild(b.model, c, site.Options{Drafts: b.opt.Drafts, Now: now})
		b.model = s
	}
	diags.Append(ds)
	if diags.HasErrors() {
		diags.Append(render.CheckLayouts(c.Layouts))
		diags.Sort()
		return nil, diags, nil
	}
	tModel := time.Since(t0)
	t0 = time.Now()
	if b.opt.Once && b.pub != nil {
		res, diags, err := b.stream(ctx, s, diags)
		if res != nil {
			res.Load, res.Model, res.Render = tLoad, tModel, time.Since(t0)
		}
		return res, diags, err
	}
	outs, ds := render.Render(ctx, s, &b.cache)
	diags.Append(ds)
	diags.Sort()
	if diags.HasErrors() {
		return nil, diags, nil
	}
	res := &Result{Outputs: outs, Site: s, Files: len(outs), Load: tLoad, Model: tModel, Render: time.Since(t0)}
	for _, o := range outs {
		if strings.HasSuffix(o.Path, ".html") && o.File == nil {
			res.Pages++
		}
	}
	if b.pub == nil {
		return res, diags, nil
	}
	t0 = time.Now()
	st, err := b.pub.Write(outs)
	res.Written, res.Bytes, res.Write = st.Written, st.Bytes, time.Since(t0)
	return res, diags, err
}

// gitDates reads when each file under content/ was last committed, for
// "lastmod: git". A problem is a warning at the setting: pages then keep
// the lastmod of their front matter.
func (b *Builder) gitDates(diags *diag.List, at diag.Pos) map[string]time.Time {
	dir := b.opt.Dir
	if dir == "" {
		diags.Warnf(at, "lastmod: git needs the site folder on disk; dates from front matter are used")
		return nil
	}
	dates, err := vcs.LastChanges(dir, "content")
	switch {
	case errors.Is(err, vcs.ErrShallow):
		diags.Warnf(at, "lastmod: git: %s is a shallow clone, whose history cannot tell when files last changed; dates from front matter are used. Fetch the whole history (git fetch --unshallow; in CI, a checkout with fetch-depth: 0)", dir)
	case err != nil:
		diags.Warnf(at, "lastmod: git: cannot read the history of %s (%v); dates from front matter are used", dir, err)
	}
	return dates
}

// stream renders and writes at once, for a single build.
func (b *Builder) stream(ctx context.Context, s *site.Site, diags diag.List) (*Result, diag.List, error) {
	pb, err := b.pub.Begin()
	if err != nil {
		return nil, diags, err
	}
	var pages atomic.Int64
	ds, err := render.Stream(ctx, s, func(o render.Output) error {
		if strings.HasSuffix(o.Path, ".html") && o.File == nil {
			pages.Add(1)
		}
		return pb.Add(o)
	})
	if err != nil {
		pb.Abort()
		return nil, diags, fmt.Errorf("%w; %s", err, pb.Left())
	}
	diags.Append(ds)
	diags.Sort()
	if diags.HasErrors() {
		pb.Abort()
		return nil, diags, nil
	}
	st, err := pb.Commit()
	res := &Result{Site: s, Pages: int(pages.Load()), Files: st.Files, Written: st.Written, Bytes: st.Bytes}
	return res, diags, err
}
