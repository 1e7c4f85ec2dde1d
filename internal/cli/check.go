package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/congxa/congxa"
	"github.com/congxa/congxa/internal/check"
	"github.com/congxa/congxa/internal/diag"
)

const checkUsage = `usage: congxa check [--source DIR] [--base-url URL] [--drafts] [--format text|json]

Checks the site in DIR without writing anything: everything a build
checks, and also
  - links and images in Markdown that point to no page or file, or to a
    heading that does not exist (a link to a file, a site path such as
    /tin-tuc/x/, or a full URL of the site);
  - images without alt text;
  - headings that skip a level (## then ####);
  - the contact details a state agency's site must show (contact.agency,
    editor_in_chief, address, phone, email in site.yaml): missing,
    malformed, or not shown by the layouts;
  - a TTHC snapshot older than tthc_max_age_days (default 40): a warning.

Each problem is printed as path:line:col: message. The exit code is 1 when
there is an error, 0 when there are only warnings or nothing.

flags:
  --source DIR    the site folder (default: the current folder)
  --base-url URL  check for this address instead of site.yaml's base_url
  --drafts        check pages marked draft: true too
  --format F      text (default) or json: {"ok", "pages", "errors",
                  "warnings", "diagnostics": [{"file", "line", "col",
                  "severity", "message"}]}

examples:
  congxa check
  congxa check --source ~/xa-bac-an --format json
`

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("check")
	source := fs.String("source", ".", "")
	baseURL := fs.String("base-url", "", "")
	drafts := fs.Bool("drafts", false, "")
	format := fs.String("format", "text", "")
	if code, ok := parse(fs, args, checkUsage, stdout, stderr); !ok {
		return code
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(stderr, "congxa check: --format must be text or json, not %q\n\n%s", *format, checkUsage)
		return ExitUsage
	}
	src, code := sourceDir("check", *source, stderr)
	if code != 0 {
		return code
	}
	rep := check.Run(ctx, check.Options{
		Source:  dirFS(src),
		Theme:   congxa.Theme(),
		BaseURL: *baseURL,
		Drafts:  *drafts,
		Now:     now,
	})
	errs, warns := rep.Diags.Count()
	if *format == "json" {
		type jsonDiag struct {
			File     string `json:"file"`
			Line     int    `json:"line,omitempty"`
			Col      int    `json:"col,omitempty"`
			Severity string `json:"severity"`
			Message  string `json:"message"`
		}
		out := struct {
			OK          bool       `json:"ok"`
			Pages       int        `json:"pages"`
			Errors      int        `json:"errors"`
			Warnings    int        `json:"warnings"`
			Diagnostics []jsonDiag `json:"diagnostics"`
		}{OK: errs == 0, Pages: rep.Pages, Errors: errs, Warnings: warns, Diagnostics: []jsonDiag{}}
		for _, d := range rep.Diags {
			sev := "error"
			if d.Severity == diag.Warning {
				sev = "warning"
			}
			out.Diagnostics = append(out.Diagnostics, jsonDiag{File: d.Pos.File, Line: d.Pos.Line, Col: d.Pos.Col, Severity: sev, Message: d.Msg})
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(out); err != nil {
			fmt.Fprintf(stderr, "congxa check: %v\n", err)
			return ExitError
		}
	} else {
		printDiags(stdout, rep.Diags)
		what := fmt.Sprintf("checked %d pages", rep.Pages)
		if rep.Pages == 0 && errs > 0 {
			what = "the site does not build"
		}
		fmt.Fprintf(stdout, "%s: %d %s, %d %s\n", what, errs, plural(errs, "error", "errors"), warns, plural(warns, "warning", "warnings"))
	}
	if errs > 0 {
		return ExitError
	}
	return ExitOK
}
