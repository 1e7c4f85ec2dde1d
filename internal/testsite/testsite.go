// Package testsite generates realistic Vietnamese portal sites of any size
// for tests and benchmarks, and reads back what a build wrote.
package testsite

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var words = strings.Fields("xã Bắc An Đảng ủy Ủy ban nhân dân cải cách hành chính thủ tục nông thôn mới tuyển quân phòng cháy chữa cháy tiêm chủng lễ hội thu hoạch bảo hiểm y tế chuyển đổi số điện nước học bổng hội nghị triển khai kế hoạch năm thôn Đồng Tâm An Hòa")

// Generate writes a site of n posts over 8 categories, with the theme's
// look, a TTHC snapshot and 2-4 KB posts.
func Generate(tb testing.TB, dir string, n int) {
	tb.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	phrase := func(k int) string {
		w := make([]string, k)
		for i := range w {
			w[i] = words[rng.IntN(len(words))]
		}
		return strings.Join(w, " ")
	}
	cats := []string{"Cải cách hành chính", "Tin hoạt động", "Kinh tế - Xã hội", "Quốc phòng - An ninh", "Văn hóa - Thể thao", "Thông báo", "Y tế - Giáo dục", "Nông nghiệp"}
	must := func(err error) {
		if err != nil {
			tb.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(dir, "content", "tin-tuc"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "content", "site.yaml"), []byte("title: Trang thông tin điện tử xã Bắc An\nbase_url: https://bacan.example.gov.vn/\ncontact:\n  editor_in_chief: Chủ tịch UBND xã\n  address: UBND xã Bắc An\n  phone: \"0984327946\"\n  email: ubnd@bacan.example.gov.vn\nmenu:\n  - {label: Trang chủ, url: /}\n  - {label: Tin tức, url: /tin-tuc/}\n"), 0o644))
	must(os.WriteFile(filepath.Join(dir, "content", "tthc.json"), []byte(`{"updated_at": "2023-12-02T22:14:02+07:00", "period": "2023-12", "processed": 1035, "on_time": 1034, "late": 1}`), 0o644))
	for i := 0; i < n; i++ {
		var b strings.Builder
		fmt.Fprintf(&b, "---\ntitle: \"%s %d\"\ndate: \"%02d/%02d/%d %02d:%02d:%02d\"\ncategory: %s\ntags: [%s]\n---\n", phrase(8), i, 1+rng.IntN(28), 1+rng.IntN(12), 2015+rng.IntN(10), rng.IntN(24), rng.IntN(60), rng.IntN(60), cats[rng.IntN(len(cats))], phrase(2))
		for p := 0; p < 5; p++ {
			fmt.Fprintf(&b, "%s.\n\n", phrase(60))
		}
		fmt.Fprintf(&b, "## %s\n\n- %s\n- %s\n\n| Thôn | Số hộ | Tỉ lệ |\n|---|---|---|\n| %s | %d | %d,%d%% |\n", phrase(4), phrase(8), phrase(8), phrase(2), rng.IntN(500), rng.IntN(100), rng.IntN(10))
		must(os.WriteFile(filepath.Join(dir, "content", "tin-tuc", fmt.Sprintf("bai-%05d.md", i)), []byte(b.String()), 0o644))
	}
}

// Files reads every file under root: its slash-separated path from root,
// and its content. Two builds wrote the same when their Files are equal
// (maps.Equal). A root that does not exist holds no file.
func Files(tb testing.TB, root string) map[string]string {
	tb.Helper()
	out := map[string]string{}
	if _, err := os.Lstat(root); errors.Is(err, fs.ErrNotExist) {
		return out
	}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		out[filepath.ToSlash(rel)] = string(b)
		return nil
	})
	if err != nil {
		tb.Fatalf("reading %s: %v", root, err)
	}
	return out
}
