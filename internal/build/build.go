// Package build runs the pipeline: load → model → render → write. The
// command line, the watcher and the tests all build through Run.
package build

import (
	"context"
	"io/fs"
	"time"

	"github.com/congxa/congxa/internal/content"
	"github.com/congxa/congxa/internal/diag"
	"github.com/congxa/congxa/internal/publish"
	"github.com/congxa/congxa/internal/render"
	"github.com/congxa/congxa/internal/site"
)

// Options say what to build and where.
type Options struct {
	Source  fs.FS  // the site folder
	Theme   fs.FS  // the default theme; nil for none
	Dest    string // the destination folder; "" to write nothing
	BaseURL string // overrides site.yaml's base_url
	Drafts  bool   // publish drafts
	Now     time.Time
}

// Result tells what a build made.
type Result struct {
	Pages   int // HTML pages
	Files   int // every file written
	Bytes   int64
	Outputs []render.Output
	Site    *site.Site
}

// Run builds the site. Content problems are in the list; the error is a
// failure to write the destination.
func Run(ctx context.Context, opt Options) (*Result, diag.List, error) {
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	c, diags := content.Load(opt.Source, opt.Theme, content.Options{BaseURL: opt.BaseURL, Now: opt.Now})
	if diags.HasErrors() || c == nil || c.Settings == nil || c.Settings.BaseURL == nil {
		diags.Sort()
		return nil, diags, nil
	}
	s, ds := site.Build(c, site.Options{Drafts: opt.Drafts})
	diags.Append(ds)
	if diags.HasErrors() {
		diags.Sort()
		return nil, diags, nil
	}
	outs, ds := render.Render(ctx, s)
	diags.Append(ds)
	diags.Sort()
	if diags.HasErrors() {
		return nil, diags, nil
	}
	res := &Result{Outputs: outs, Site: s}
	for _, o := range outs {
		if len(o.Path) >= 10 && o.Path[len(o.Path)-10:] == "index.html" {
			res.Pages++
		}
	}
	if opt.Dest == "" {
		res.Files = len(outs)
		return res, diags, nil
	}
	st, err := publish.Write(opt.Dest, outs)
	res.Files, res.Bytes = st.Files, st.Bytes
	return res, diags, err
}
