package content

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/congxa/congxa/internal/diag"
	"github.com/congxa/congxa/internal/vn"
)

// fields reads the members of a mapping node, reporting each problem at the
// value that has it, and remembers which keys were read so that the rest can
// be reported as unknown.
type fields struct {
	m     *node
	where string // "front matter", "site.yaml", … for messages
	diags *diag.List
	used  map[string]bool
}

func newFields(m *node, where string, diags *diag.List) *fields {
	return &fields{m: m, where: where, diags: diags, used: map[string]bool{}}
}

func (f *fields) get(key string) *node {
	f.used[key] = true
	if f.m == nil || f.m.kind != mapNode {
		return nil
	}
	n := f.m.vals[key]
	if n != nil && n.kind == scalarNode && n.typ == "null" {
		return nil
	}
	return n
}

// pos returns the position of key's value, or of the mapping when absent.
func (f *fields) pos(key string) diag.Pos {
	if f.m != nil && f.m.vals != nil {
		if n := f.m.vals[key]; n != nil {
			return n.pos
		}
	}
	if f.m != nil {
		return f.m.pos
	}
	return diag.Pos{}
}

func (f *fields) has(key string) bool { return f.get(key) != nil }

// str returns a text value, NFC-normalised and trimmed.
func (f *fields) str(key string) string {
	n := f.get(key)
	if n == nil {
		return ""
	}
	if n.kind != scalarNode {
		f.diags.Errorf(n.pos, "%s must be text, not %s", key, n.describe())
		return ""
	}
	return strings.TrimSpace(cleanString(n.text))
}

func (f *fields) boolean(key string) bool {
	n := f.get(key)
	if n == nil {
		return false
	}
	if n.kind == scalarNode {
		switch strings.ToLower(n.text) {
		case "true":
			return true
		case "false":
			return false
		}
	}
	f.diags.Errorf(n.pos, "%s must be true or false, not %s", key, quoteNode(n))
	return false
}

func (f *fields) integer(key string, min int) (int, bool) {
	n := f.get(key)
	if n == nil {
		return 0, false
	}
	v, err := strconv.Atoi(n.text)
	if n.kind != scalarNode || n.typ == "str" || err != nil {
		f.diags.Errorf(n.pos, "%s must be a whole number, not %s", key, quoteNode(n))
		return 0, false
	}
	if v < min {
		f.diags.Errorf(n.pos, "%s must be at least %d, not %d", key, min, v)
		return 0, false
	}
	return v, true
}

// strList accepts a list of texts, or a single text as a list of one.
func (f *fields) strList(key string) []string {
	out, _ := f.strListPos(key)
	return out
}

// strListPos is strList with the position of each text.
func (f *fields) strListPos(key string) ([]string, []diag.Pos) {
	n := f.get(key)
	if n == nil {
		return nil, nil
	}
	if n.kind == scalarNode {
		if s := strings.TrimSpace(cleanString(n.text)); s != "" && n.typ != "null" {
			return []string{s}, []diag.Pos{n.pos}
		}
		return nil, nil
	}
	if n.kind != listNode {
		f.diags.Errorf(n.pos, "%s must be a list of texts, not %s", key, n.describe())
		return nil, nil
	}
	var out []string
	var pos []diag.Pos
	for _, it := range n.items {
		if it.kind != scalarNode || it.typ == "null" {
			f.diags.Errorf(it.pos, "each item of %s must be text, not %s", key, it.describe())
			continue
		}
		if s := strings.TrimSpace(cleanString(it.text)); s != "" {
			out = append(out, s)
			pos = append(pos, it.pos)
		}
	}
	return out, pos
}

// date reads a date: text in one of the forms vn.ParseDate accepts, or a
// native TOML or YAML date-time.
func (f *fields) date(key string, loc *time.Location) (time.Time, bool) {
	n := f.get(key)
	if n == nil {
		return time.Time{}, false
	}
	if n.kind != scalarNode {
		f.diags.Errorf(n.pos, "%s must be a date, not %s", key, n.describe())
		return time.Time{}, false
	}
	if !n.time.IsZero() {
		t := n.time
		if n.local {
			t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc)
		}
		return t, true
	}
	t, err := vn.ParseDate(n.text, loc)
	if err != nil {
		f.diags.Errorf(n.pos, "%s: %v", key, err)
		return time.Time{}, false
	}
	return t, true
}

// unknown warns about every key that was not read, suggesting the known key
// it was probably meant to be.
func (f *fields) unknown(known []string) {
	if f.m == nil || f.m.kind != mapNode {
		return
	}
	for _, k := range f.m.keys {
		if f.used[k] {
			continue
		}
		pos := f.m.vals[k].kpos
		if pos.File == "" {
			pos = f.m.vals[k].pos
		}
		if s := suggest(k, known); s != "" {
			f.diags.Warnf(pos, "unknown key %q in %s (did you mean %q?)", k, f.where, s)
		} else {
			f.diags.Warnf(pos, "unknown key %q in %s (known keys: %s)", k, f.where, strings.Join(known, ", "))
		}
	}
}

func quoteNode(n *node) string {
	if n.kind == scalarNode && n.typ != "null" {
		return strconv.Quote(n.text)
	}
	return n.describe()
}

// suggest returns the known key closest to k when it is close enough to be
// a typing slip (at most a third of its letters wrong, and at most 2).
func suggest(k string, known []string) string {
	best, bestD := "", 3
	lk := strings.ToLower(k)
	sorted := append([]string(nil), known...)
	sort.Strings(sorted)
	for _, c := range sorted {
		d := editDistance(lk, c)
		if d < bestD && d*3 <= len(c) {
			best, bestD = c, d
		}
	}
	return best
}

// editDistance is the Damerau–Levenshtein distance (adjacent swaps count
// once), the usual measure of typing slips.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
