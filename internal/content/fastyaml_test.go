package content

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/congxa/congxa/internal/diag"
)

// sameAsParser checks that fastYAML, when it accepts data, gives what the
// YAML parser gives. It reports whether fastYAML accepted it.
func sameAsParser(t testing.TB, data string) bool {
	t.Helper()
	src := diag.Source{Name: "content/a.md"}
	fast, ok := fastYAML(src, []byte(data), 2)
	if !ok {
		return false
	}
	slow, err := parseYAML(src, []byte(data), 2)
	if err != nil {
		t.Fatalf("fastYAML accepts what the parser rejects (%s):\n%s", err.msg, data)
	}
	if !reflect.DeepEqual(fast, slow) {
		t.Fatalf("fastYAML differs from the parser on\n%s\nfast: %s\nslow: %s", data, dump(fast), dump(slow))
	}
	return true
}

func dump(n *node) string {
	var b strings.Builder
	var walk func(n *node, indent string)
	walk = func(n *node, indent string) {
		fmt.Fprintf(&b, "%skind=%d typ=%q text=%q pos=%v kpos=%v\n", indent, n.kind, n.typ, n.text, n.pos, n.kpos)
		for _, it := range n.items {
			walk(it, indent+"  ")
		}
		for _, k := range n.keys {
			fmt.Fprintf(&b, "%s%s:\n", indent, k)
			walk(n.vals[k], indent+"  ")
		}
	}
	walk(n, "")
	return b.String()
}

func TestFastYAML(t *testing.T) {
	accepted := []string{
		"title: Xã Bắc An\ndate: \"28/03/2022 08:53:45\"\ncategory: Cải cách hành chính\n",
		"title: 'Đảng ủy'\ndate: 2015-12-06T09:08:13+07:00\ntags: [\"dân số\", y tế,  'nông thôn mới' ]\n",
		"title: A # a comment\n# a whole-line comment\n\ndraft: true\nslug: a-b\n",
		"title: A\ntags:\n  - một\n  - \"hai\"\n  -   ba # three\nsummary: x\n",
		"title: A\ntags:\n- một\n- hai\n",
		"title: A\nsummary:\nimage: anh.jpg\n",
		"title: A\ntags:\n",
		"title: A\ndraft: False\nslug: ~\nimage: null\n",
		"title: Tin 24/7\ndate: 01/01/2024 08:00\nexpires: 31/12/2024\n",
		"title: \"Giá: 20.000 đồng\"\naliases: [/tin-tuc/cu-1.html, \"/index.php/a/\"]\n",
		"title: a#b\nsummary: c # d\n",
	}
	for _, data := range accepted {
		if !sameAsParser(t, data) {
			t.Errorf("fastYAML does not accept\n%s", data)
		}
	}
	// Left to the parser: whatever fastYAML would have to guess at.
	for _, data := range []string{
		"title: A\ncontact:\n  phone: 1\n",
		"title: 10\n",
		"title: 1.5\n",
		"title: yes\n",
		"title: \"a\\tb\"\n",
		"title: 'it''s'\n",
		"title: |\n  a\n",
		"title: &a A\nsummary: *a\n",
		"title: A\ntitle: B\n",
		"title: [a, [b]]\n",
		"title: []\n",
		"title: a: b\n",
		"title:\n  - a\n    - b\n",
		"title: \"unclosed\n",
		"\ttitle: A\n",
		"title: A\r\n",
		"- a\n- b\n",
		"",
		"# only a comment\n",
		"title: A\ntags: [a, ]\n",
	} {
		if sameAsParser(t, data) {
			t.Errorf("fastYAML accepts\n%s", data)
		}
	}
}

// TestFastYAMLSites runs fastYAML beside the parser on the front matter of
// the demo site and of every site test.
func TestFastYAMLSites(t *testing.T) {
	var files []string
	_ = filepath.WalkDir("../../content", func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".md") {
			files = append(files, p)
		}
		return nil
	})
	accepted := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		parts := strings.SplitN(string(data), "---\n", 3)
		if len(parts) < 3 || parts[0] != "" {
			continue
		}
		if sameAsParser(t, parts[1]) {
			accepted++
		}
	}
	if accepted < len(files)*9/10 {
		t.Errorf("fastYAML accepted %d of %d demo pages", accepted, len(files))
	}
}

func FuzzFastYAML(f *testing.F) {
	for _, s := range []string{
		"title: Xã Bắc An\ndate: \"28/03/2022 08:53:45\"\ntags: [a, \"b\"]\n",
		"title: A\ntags:\n  - một\n  - hai\n",
		"title: A # c\ndraft: true\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		sameAsParser(t, data)
	})
}
