package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/congxa/congxa/internal/scaffold"
)

const newUsage = `usage: congxa new post TITLE [--category NAME] [--section DIR] [--source DIR]
       congxa new page TITLE [--source DIR]

Writes a new post, content/tin-tuc/<slug>.md, or a new standalone page,
content/<slug>.md, and prints its path. The slug is made from the title
as the build makes URLs ("Đảng ủy xã" → dang-uy-xa). The file holds the
title, the current date and time in the site's time zone (posts), the
category, and draft: true, which keeps it off the site until removed
(congxa serve --drafts shows it). An existing file is never overwritten.

flags:
  --category NAME  the post's category, e.g. "Cải cách hành chính"
  --section DIR    the section folder under content/ (default: tin-tuc);
                   other than tin-tuc, it must exist
  --source DIR     the site folder (default: the current folder)

examples:
  congxa new post "Hội nghị triển khai nhiệm vụ năm 2027"
  congxa new post "Lịch tiếp công dân tháng 12" --category "Thông báo"
  congxa new post "Thông báo tuyển dụng" --section thong-bao --source ~/xa-bac-an
  congxa new page "Quy hoạch sử dụng đất"
`

func runNew(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fset := newFlags("new")
	category := fset.String("category", "", "")
	section := fset.String("section", "tin-tuc", "")
	source := fset.String("source", ".", "")
	pos, code, ok := parseArgs(fset, args, newUsage, stdout, stderr)
	if !ok {
		return code
	}
	if len(pos) == 0 || (pos[0] != "post" && pos[0] != "page") {
		fmt.Fprintf(stderr, "congxa new: say what to make: post or page\n\n%s", newUsage)
		return ExitUsage
	}
	kind := pos[0]
	if len(pos) != 2 {
		fmt.Fprintf(stderr, "congxa new %s: want one title, in quotes: congxa new %s \"Tiêu đề\"\n", kind, kind)
		return ExitUsage
	}
	page := kind == "page"
	if page && (*category != "" || *section != "tin-tuc") {
		fmt.Fprintf(stderr, "congxa new page: a standalone page has no category or section\n")
		return ExitUsage
	}
	sec := *section
	if sec == "" || strings.ContainsAny(sec, `/\`) || strings.HasPrefix(sec, ".") || strings.HasPrefix(sec, "_") {
		fmt.Fprintf(stderr, "congxa new: --section %q must be the name of a folder under content/, such as tin-tuc\n", sec)
		return ExitUsage
	}
	src, st, code := siteSettings("new", *source, stderr)
	if code != 0 {
		return code
	}
	if !page && sec != "tin-tuc" {
		if fi, err := os.Stat(filepath.Join(src, "content", sec)); err != nil || !fi.IsDir() {
			fmt.Fprintf(stderr, "congxa new: there is no section content/%s/: create the folder first, or check the name\n", sec)
			return ExitError
		}
	}
	f, err := scaffold.Post(scaffold.PostOptions{Title: pos[1], Category: *category, Section: sec, Now: timeNow(), Loc: st.Location, Page: page})
	if err != nil {
		fmt.Fprintf(stderr, "congxa new: %q: %v\n", pos[1], err)
		return ExitUsage
	}
	name := filepath.Join(*source, filepath.FromSlash(f.Path))
	if err := writeNew(filepath.Join(src, filepath.FromSlash(f.Path)), f.Data); err != nil {
		if errors.Is(err, fs.ErrExist) {
			fmt.Fprintf(stderr, "congxa new: %s already exists: edit it, or choose another title\n", name)
		} else {
			fmt.Fprintf(stderr, "congxa new: %v\n", err)
		}
		return ExitError
	}
	fmt.Fprintln(stdout, name)
	return ExitOK
}
