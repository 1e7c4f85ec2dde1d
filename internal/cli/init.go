package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/congxa/congxa/internal/content"
	"github.com/congxa/congxa/internal/scaffold"
)

const initUsage = `usage: congxa init DIR [--name NAME] [--base-url URL] [--phone PHONE] [--email EMAIL]

Creates a new site in DIR, ready to build: content/site.yaml with every
setting explained in Vietnamese and English, a first post, the "Giới
thiệu" and "Liên hệ" pages, an example tthc.json (all counts 0), a
.gitignore, and a README for the editors (how to add a post, preview it
and publish it). DIR must be new or empty (a .git folder may be there).

flags:
  --name NAME     the commune: "xã Bắc An", "phường Đông Hà", "thị trấn
                  Phú Xuyên"; a name without its kind is a xã
                  (default: xã Bắc An, the demo's)
  --base-url URL  the address the site will be published at (default: an
                  address under .example, to replace before publishing)
  --phone PHONE   the contact phone number shown in every page's footer
  --email EMAIL   the contact e-mail address shown in every page's footer
                  (without them, site.yaml leaves both for the editors to
                  fill in, and congxa check fails until they do)

examples:
  congxa init xa-bac-an --name "xã Bắc An" --phone "0220 3888 888" --email ubnd@bacan.example.gov.vn
  congxa init . --name "phường Đông Hà" --base-url https://dongha.example.gov.vn/
`

func runInit(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("init")
	name := fs.String("name", "", "")
	baseURL := fs.String("base-url", "", "")
	phone := fs.String("phone", "", "")
	email := fs.String("email", "", "")
	pos, code, ok := parseArgs(fs, args, initUsage, stdout, stderr)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		fmt.Fprintf(stderr, "congxa init: want one folder, the new site's\n\n%s", initUsage)
		return ExitUsage
	}
	dir := pos[0]
	given := *name != ""
	if !given {
		*name = "xã Bắc An"
	}
	commune, err := scaffold.ParseCommune(*name)
	if err != nil {
		fmt.Fprintf(stderr, "congxa init: --name: %v\n", err)
		return ExitUsage
	}
	if *baseURL != "" {
		u, err := content.ParseBaseURL(*baseURL)
		if err != nil {
			fmt.Fprintf(stderr, "congxa init: --base-url: %v\n", err)
			return ExitUsage
		}
		*baseURL = u.String()
	}
	if msg := content.CheckContact("phone", *phone); *phone != "" && msg != "" {
		fmt.Fprintf(stderr, "congxa init: --phone: %s\n", msg)
		return ExitUsage
	}
	if msg := content.CheckContact("email", *email); *email != "" && msg != "" {
		fmt.Fprintf(stderr, "congxa init: --email: %s\n", msg)
		return ExitUsage
	}
	if msg := notEmpty(dir); msg != "" {
		fmt.Fprintf(stderr, "congxa init: %s\n", msg)
		return ExitError
	}
	files, err := scaffold.Site(scaffold.SiteOptions{Commune: commune, BaseURL: *baseURL, Phone: *phone, Email: *email, Now: timeNow()})
	if err != nil {
		fmt.Fprintf(stderr, "congxa init: %v\n", err)
		return ExitError
	}
	for _, f := range files {
		if err := writeNew(filepath.Join(dir, filepath.FromSlash(f.Path)), f.Data); err != nil {
			fmt.Fprintf(stderr, "congxa init: %v\n", err)
			return ExitError
		}
	}
	src := "--source " + shellQuote(dir) + " "
	if filepath.Clean(dir) == "." {
		src = ""
	}
	fmt.Fprintf(stdout, "created the site of %s in %s\n", commune.Name(), dir+string(filepath.Separator))
	if !given {
		fmt.Fprintf(stdout, "(no --name: it is named for the demo's %s; change title and contact in content/site.yaml)\n", commune.Name())
	}
	todo := "base_url"
	switch {
	case *phone == "" && *email == "":
		todo += " and the contact's phone and email"
	case *phone == "":
		todo += " and the contact's phone"
	case *email == "":
		todo += " and the contact's email"
	}
	fmt.Fprintf(stdout, `next:
  1. set %s in %s
  2. preview it:       congxa serve %s
  3. write a post:     congxa new post "Tiêu đề bài viết" %s
The editors' guide, in Vietnamese, is %s.
`, todo, filepath.Join(dir, "content", "site.yaml"), strings.TrimSpace(src), strings.TrimSpace(src), filepath.Join(dir, "README.md"))
	return ExitOK
}

// notEmpty says why dir cannot take a new site: it is a file, or holds
// something (but a .git folder, so that a site can start in a new clone).
func notEmpty(dir string) string {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return ""
	}
	if err != nil {
		if fi, serr := os.Stat(dir); serr == nil && !fi.IsDir() {
			return dir + " is a file, not a folder"
		}
		return err.Error()
	}
	var names []string
	for _, e := range entries {
		if e.Name() != ".git" {
			names = append(names, e.Name())
		}
	}
	if len(names) == 0 {
		return ""
	}
	if len(names) > 3 {
		names = append(names[:3], "…")
	}
	return fmt.Sprintf("%s is not empty (it holds %s): a new site goes into a new or empty folder, and nothing is overwritten", dir, strings.Join(names, ", "))
}

// writeNew writes a file that must not exist yet, making its folder.
func writeNew(name string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// parseArgs parses flags that may come before or after the positional
// arguments ("congxa new post TITLE --category C"), which the flag package
// alone does not allow; after "--" everything is positional.
func parseArgs(fs *flag.FlagSet, args []string, usage string, stdout, stderr io.Writer) (pos []string, code int, ok bool) {
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprint(stdout, usage)
				return nil, ExitOK, false
			}
			fmt.Fprintf(stderr, "congxa %s: %v\n\n%s", fs.Name(), err, usage)
			return nil, ExitUsage, false
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, 0, true
		}
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(pos, rest...), 0, true
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
}

// timeNow is the time of the command: now when a test set it.
func timeNow() time.Time {
	if now != nil {
		return now()
	}
	return time.Now()
}

// shellQuote quotes a path for a command line shown to the user.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
