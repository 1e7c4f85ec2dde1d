package content

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/adrg/frontmatter"
)

// sameSplit checks that splitYAML, when it takes a file, splits it as the
// library does.
func sameSplit(t testing.TB, data []byte) bool {
	t.Helper()
	fm, body, ok := splitYAML(data)
	if !ok {
		return false
	}
	var c captured
	rest, err := frontmatter.Parse(bytes.NewReader(data), &c, formats...)
	if err != nil || !c.called || c.format != "yaml" {
		t.Fatalf("splitYAML takes what the library does not (%v, %+v):\n%q", err, c, data)
	}
	if !bytes.Equal(fm, c.data) || !bytes.Equal(body, rest) {
		t.Fatalf("splitYAML differs from the library on %q:\nfront matter %q, library %q\nbody %q, library %q", data, fm, c.data, body, rest)
	}
	return true
}

func TestSplitYAML(t *testing.T) {
	for _, s := range []string{
		"---\ntitle: A\n---\nBody\n",
		"---\ntitle: A\n---\n\nBody\n\n---\n\nafter a rule\n",
		"---\n---\nBody",
		"---\ntitle: A\n---\n",
		"---\ntitle: A\n---\n---\n",
	} {
		if !sameSplit(t, []byte(s)) {
			t.Errorf("splitYAML does not take %q", s)
		}
	}
	for _, s := range []string{
		"\n---\ntitle: A\n---\nBody\n",
		"---\r\ntitle: A\r\n---\r\nBody\r\n",
		"---\ntitle: A\n--- \nBody\n---\nmore\n",
		"---\ntitle: A\n",
		"+++\ntitle = \"A\"\n+++\n",
		"---\ntitle: A\n---",
	} {
		if _, _, ok := splitYAML([]byte(s)); ok {
			t.Errorf("splitYAML takes %q", s)
		}
	}
	var n int
	_ = filepath.WalkDir("../../content", func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".md") {
			data, _ := os.ReadFile(p)
			if sameSplit(t, data) {
				n++
			}
		}
		return nil
	})
	if n < 40 {
		t.Errorf("splitYAML took %d demo files", n)
	}
}

func FuzzSplitYAML(f *testing.F) {
	f.Add([]byte("---\ntitle: A\n---\nBody\n"))
	f.Add([]byte("---\n---\n"))
	f.Fuzz(func(t *testing.T, data []byte) { sameSplit(t, data) })
}
