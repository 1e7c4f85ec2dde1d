// Package scaffold makes the files of a new site and of a new post: what
// "congxa init" and "congxa new" write. It only makes bytes; the command
// line writes them.
//
// The new site's files are in starter/, embedded: text/template files given
// the commune's name (see Commune), a first post whose file name is its
// title's slug, and gitignore, written as .gitignore.
package scaffold

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"text/template"
	"time"
	"unicode"

	"github.com/congxa/congxa/internal/vn"
)

//go:embed all:starter
var starter embed.FS

// File is a file to write, its path relative to the site folder, with
// slashes.
type File struct {
	Path string
	Data []byte
}

// Commune is the name of a commune-level unit: its kind ("xã", "phường",
// "thị trấn", "đặc khu") and its proper name ("Bắc An").
type Commune struct {
	Kind   string
	Proper string
}

var kinds = []string{"xã", "phường", "thị trấn", "đặc khu"}

// ParseCommune reads a name such as "xã Bắc An", "Phường Đông Hà" or
// "Bắc An" (a xã).
func ParseCommune(name string) (Commune, error) {
	name = strings.Join(strings.Fields(vn.NFC(name)), " ")
	for _, r := range name {
		if unicode.IsControl(r) || strings.ContainsRune(`<>{}"\`, r) {
			return Commune{}, fmt.Errorf("the name %q has a character a commune's name does not: %q", name, r)
		}
	}
	c := Commune{Kind: "xã", Proper: name}
	for _, k := range kinds {
		if n := len(k) + 1; len(name) > n && strings.ToLower(name[:n]) == k+" " {
			c.Kind, c.Proper = k, name[n:]
			break
		}
	}
	if vn.Slug(c.Proper) == "" || slices.Contains(kinds, strings.ToLower(c.Proper)) {
		return Commune{}, fmt.Errorf("the name %q has no letters: write it as \"xã Bắc An\"", name)
	}
	if n := len([]rune(c.Proper)); n > 60 {
		return Commune{}, fmt.Errorf("the name %q is %d characters long: write only the commune's name, as \"xã Bắc An\"", name, n)
	}
	return c, nil
}

// Name is "xã Bắc An", as written inside a sentence.
func (c Commune) Name() string { return c.Kind + " " + c.Proper }

// SiteOptions say what the new site is for.
type SiteOptions struct {
	Commune Commune
	// BaseURL is the site's address; "" gives an address under the
	// reserved domain .example, to be replaced before publishing.
	BaseURL string
	// Phone and Email are the contact's, "" to leave them for the editors
	// to fill in (congxa check fails until they do).
	Phone, Email string
	Now          time.Time
	Loc          *time.Location // the site's time zone; nil is Asia/Ho_Chi_Minh
}

// DefaultBaseURL is the address a new site gets until its editors set the
// real one: under .example, a name reserved never to be anyone's.
func DefaultBaseURL(c Commune) string { return "https://" + vn.Slug(c.Name()) + ".example/" }

// FirstPostTitle is the title of a new site's first post.
func FirstPostTitle(c Commune) string {
	return "Ra mắt Trang thông tin điện tử " + c.Name()
}

// Site returns the files of a new site, in path order.
func Site(opt SiteOptions) ([]File, error) {
	c := opt.Commune
	loc := opt.Loc
	if loc == nil {
		loc, _ = vn.LoadLocation("")
	}
	now := opt.Now.In(loc)
	base := opt.BaseURL
	if base == "" {
		base = DefaultBaseURL(c)
	}
	data := map[string]string{
		"Name":           c.Name(),
		"Kind":           c.Kind,
		"Title":          "Trang thông tin điện tử " + c.Name(),
		"BaseURL":        base,
		"FirstPostTitle": FirstPostTitle(c),
		"Date":           now.Format("02/01/2006 15:04"),
		"Day":            now.Format("02/01/2006"),
		"UpdatedAt":      now.Format(time.RFC3339),
		"Period":         now.Format("2006-01"),
		"Phone":          opt.Phone,
		"Email":          opt.Email,
	}
	var files []File
	err := fs.WalkDir(starter, "starter", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		src, err := fs.ReadFile(starter, p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "starter/")
		switch name {
		case "gitignore":
			name = ".gitignore"
		case "content/tin-tuc/FIRST-POST.md":
			name = "content/tin-tuc/" + vn.Slug(data["FirstPostTitle"]) + ".md"
		}
		t, err := template.New(name).Funcs(template.FuncMap{"yaml": yamlString}).Option("missingkey=error").Parse(string(src))
		if err != nil {
			return err
		}
		var b bytes.Buffer
		if err := t.Execute(&b, data); err != nil {
			return err
		}
		files = append(files, File{Path: name, Data: b.Bytes()})
		return nil
	})
	if err != nil {
		// The starter files are part of the program: a test runs them.
		return nil, fmt.Errorf("scaffold: %v", err)
	}
	return files, nil
}

// yamlString quotes s for YAML: a JSON string is a YAML double-quoted
// scalar, and no character of s can break out of it.
func yamlString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// PostOptions say what a new post is.
type PostOptions struct {
	Title    string
	Category string
	Section  string // "tin-tuc" when empty
	Now      time.Time
	Loc      *time.Location // the site's time zone
	Page     bool           // a standalone page (content/<slug>.md) rather than a post
}

// ErrNoTitle is returned for an empty title.
var ErrNoTitle = errors.New("the title is empty")

// Post returns a new post or page: content/<section>/<slug>.md (the slug
// made from the title as the build makes it), with the title, the date in
// the site's time zone, the category, and draft: true.
func Post(opt PostOptions) (File, error) {
	title := strings.Join(strings.Fields(vn.NFC(opt.Title)), " ")
	if title == "" {
		return File{}, ErrNoTitle
	}
	// A title with no letter or digit ("???") gets the hashed slug the
	// build gives it (site.HashedPagePrefix), so that the file's name is
	// still its URL's.
	slug := vn.SlugOrHash(title, "bai")
	section := opt.Section
	if section == "" {
		section = "tin-tuc"
	}
	var b strings.Builder
	b.WriteString("---\n")
	fmt.Fprintf(&b, "title: %s\n", yamlString(title))
	p := path.Join("content", slug+".md")
	if !opt.Page {
		p = path.Join("content", section, slug+".md")
		loc := opt.Loc
		if loc == nil {
			loc, _ = vn.LoadLocation("")
		}
		fmt.Fprintf(&b, "date: %s\n", yamlString(opt.Now.In(loc).Format("02/01/2006 15:04")))
		if cat := strings.Join(strings.Fields(vn.NFC(opt.Category)), " "); cat != "" {
			fmt.Fprintf(&b, "category: %s\n", yamlString(cat))
		}
	}
	b.WriteString("draft: true\n---\n\n")
	return File{Path: p, Data: []byte(b.String())}, nil
}
