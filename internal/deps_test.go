package internal

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/congxa/congxa"

// allowed states the architecture as a policy: each package may import only
// the packages of the stages above it (load → model → render → write), and
// each third-party library has one home. Standard-library packages are
// allowed except those listed in forbiddenStd.
var allowed = map[string][]string{
	"internal/diag":     {},
	"internal/jsonpos":  {},
	"internal/para":     {},
	"internal/vn":       {"golang.org/x/text/..."},
	"internal/tthc":     {"internal/diag", "internal/jsonpos", "internal/vn"},
	"internal/content":  {"internal/para", "internal/diag", "internal/safeurl", "internal/jsonpos", "internal/tthc", "internal/vn", "github.com/adrg/frontmatter", "github.com/goccy/go-yaml/...", "github.com/BurntSushi/toml"},
	"internal/markdown": {"internal/safeurl", "internal/vn", "github.com/yuin/goldmark/...", "github.com/microcosm-cc/bluemonday"},
	"internal/safeurl":  {},
	"internal/site":     {"internal/content", "internal/diag", "internal/safeurl", "internal/tthc", "internal/vn"},
	"internal/search":   {"internal/para", "internal/vn", "github.com/klauspost/compress/gzip"},
	"internal/render":   {"internal/para", "internal/content", "internal/diag", "internal/markdown", "internal/search", "internal/site", "internal/tthc", "internal/vn"},
	"internal/publish":  {"internal/para", "internal/render", "golang.org/x/sys/unix"},
	"internal/vcs":      {},
	"internal/build":    {"internal/content", "internal/diag", "internal/publish", "internal/render", "internal/site", "internal/vcs"},
	"internal/check":    {"internal/build", "internal/content", "internal/diag", "internal/markdown", "internal/render", "internal/site"},
	"internal/watch":    {"github.com/fsnotify/fsnotify"},
	"internal/scaffold": {"internal/vn"},
	"internal/testsite": {"internal/safeurl", "golang.org/x/net/html"},
	"internal/visits":   {},
	"internal/testenv":  {},
	"internal/server":   {"internal/diag", "internal/render"},
	"internal/cli":      {"internal/build", "internal/check", "internal/content", "internal/diag", "internal/scaffold", "internal/server", "internal/site", "internal/visits", "internal/watch", "golang.org/x/sys/unix", ""},
	"cmd/congxa":        {"internal/cli"},
	// The side-by-side benchmark runs the built tools as processes; its
	// floor program measures goldmark bare, so it may not go through
	// internal/markdown.
	"internal/benchmark":       {},
	"internal/benchmark/floor": {"github.com/yuin/goldmark/..."},
	"":                         {},
}

// Only the command line and the writer touch the machine: the loader reads
// through fs.FS, and no stage but cli prints or exits.
var forbiddenStd = map[string][]string{
	"os":       {"internal/server", "internal/check", "internal/search", "internal/para", "internal/diag", "internal/jsonpos", "internal/vn", "internal/tthc", "internal/content", "internal/markdown", "internal/site", "internal/render", "internal/build"},
	"net/http": {"internal/check", "internal/search", "internal/para", "internal/diag", "internal/jsonpos", "internal/vn", "internal/tthc", "internal/content", "internal/markdown", "internal/site", "internal/render", "internal/publish", "internal/build"},
	"os/exec":  {"internal/server", "internal/check", "internal/search", "internal/para", "internal/diag", "internal/jsonpos", "internal/vn", "internal/tthc", "internal/content", "internal/markdown", "internal/site", "internal/render", "internal/publish", "internal/build", "internal/watch"},
	"log":      {"internal/server", "internal/check", "internal/search", "internal/para", "internal/diag", "internal/jsonpos", "internal/vn", "internal/tthc", "internal/content", "internal/markdown", "internal/site", "internal/render", "internal/publish", "internal/build"},
}

func TestImportPolicy(t *testing.T) {
	root := ".."
	seen := map[string]bool{}
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "node_modules") && p != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, filepath.Dir(p))
		pkg := filepath.ToSlash(rel)
		if pkg == "." {
			pkg = ""
		}
		rules, ok := allowed[pkg]
		if !ok {
			t.Errorf("package %q has no import policy: add it to allowed in internal/deps_test.go", pkg)
			return nil
		}
		seen[pkg] = true
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if bad, ok := forbiddenStd[path]; ok && contains(bad, pkg) {
				t.Errorf("%s imports %s, which only the command line and the writer may use", p, path)
			}
			if !strings.Contains(strings.SplitN(path, "/", 2)[0], ".") {
				continue // standard library
			}
			local := strings.TrimPrefix(strings.TrimPrefix(path, module), "/")
			if path == module {
				local = ""
			}
			if !strings.HasPrefix(path, module) {
				local = path
			}
			if !permitted(rules, local) {
				t.Errorf("%s imports %s: not allowed for %s (see internal/deps_test.go)", p, path, pkgName(pkg))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var missing []string
	for pkg := range allowed {
		if !seen[pkg] {
			missing = append(missing, pkgName(pkg))
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("policy names packages that do not exist: %v", missing)
	}
}

func permitted(rules []string, path string) bool {
	for _, r := range rules {
		base, tree := strings.CutSuffix(r, "/...")
		if r == path || (tree && (path == base || strings.HasPrefix(path, base+"/"))) {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func pkgName(p string) string {
	if p == "" {
		return "the root package"
	}
	return p
}
