package content

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// TestKeepBodies loads a site holding at most a few bodies: the others are
// read again, to the same bytes, and a file changed since is refused.
func TestKeepBodies(t *testing.T) {
	fsys := fstest.MapFS{"content/site.yaml": {Data: []byte(settings)}}
	for i := range 20 {
		fsys[fmt.Sprintf("content/tin-tuc/bai-%02d.md", i)] = &fstest.MapFile{Data: fmt.Appendf(nil, "---\ntitle: Bài %d\ndate: 01/03/2024 08:%02d\n---\nĐoạn **%d** của bài.\n", i, i, i)}
	}
	// Cleaned of a control character: its Body is not the file's bytes.
	fsys["content/tin-tuc/ban.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Bẩn\ndate: 01/03/2024 09:00\n---\nCó \x0b ký tự lạ.\n")}
	fsys["content/tin-tuc/_index.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Tin tức\n---\nLời giới thiệu.\n")}
	opt := Options{Now: time.Date(2024, 12, 1, 0, 0, 0, 0, time.UTC)}
	all, diags := Load(fsys, nil, opt)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	opt.KeepBodies = 60
	lean, diags := Load(fsys, nil, opt)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	left := 0
	for i, p := range lean.Pages {
		if p.Body == nil {
			left++
		}
		got, err := p.Markdown()
		if want := all.Pages[i].Body; err != nil || string(got) != string(want) {
			t.Errorf("%s: Markdown %q, %v; want %q", p.Path, got, err, want)
		}
		if p.Name == "ban" && p.Body == nil {
			t.Errorf("%s: the cleaned body was left in the file", p.Path)
		}
	}
	// 60 bytes hold two or three bodies of about 25.
	if left < len(lean.Pages)-4 || left == len(lean.Pages) {
		t.Errorf("%d of %d bodies left in their files", left, len(lean.Pages))
	}
	if lean.Sections["tin-tuc"].Body == nil {
		t.Error("the section's introduction was left in its file")
	}
	for _, p := range lean.Pages {
		if p.Body == nil {
			f := fsys[p.Path]
			orig := f.Data
			f.Data = []byte(strings.Replace(string(orig), "bài.", "bài?", 1)) // the same size
			if _, err := p.Markdown(); !errors.Is(err, errChanged) {
				t.Errorf("%s changed: Markdown says %v", p.Path, err)
			}
			f.Data = append(orig, '!')
			if _, err := p.Markdown(); !errors.Is(err, errChanged) {
				t.Errorf("%s grew: Markdown says %v", p.Path, err)
			}
			delete(fsys, p.Path)
			if _, err := p.Markdown(); err == nil {
				t.Errorf("%s removed: Markdown says nothing", p.Path)
			}
			break
		}
	}
}
