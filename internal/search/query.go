package search

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"math/bits"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/congxa/congxa/internal/vn"
)

// MaxItems is the most words and phrases of a query that are looked up;
// the rest are ignored, which keeps the bytes a query fetches bounded,
// and the search page says so.
const MaxItems = 8

// GuessItems: a query of at most this many words (or phrases) fetches,
// while its last word's files come, the meta files of the first ten pages
// of the others. In a longer query, the words before the last have
// narrowed the results to those shown while typing, and each guess costs
// the bytes of up to ten meta files.
const GuessItems = 4

// MinPrefix is the shortest last word (in bytes, folded) matched as a
// prefix: two letters begin too many words ("ch", "ng", "th") to narrow
// anything, and would fetch many shards at every keystroke.
const MinPrefix = 3

// Searcher answers queries from the index files the way the search script
// does. The script is what visitors use; Searcher states the same rules in
// Go, for the tests and for measuring what a query fetches.
type Searcher struct {
	fetch   func(path string) ([]byte, error)
	dir     string
	entry   entryFile
	shards  map[string]map[string]map[string]string // file → key → form → postings
	metas   map[string][]metaEntry                  // file → its pages
	docCats []int                                   // each page's category, once fetched
	Fetched map[string]int                          // path → bytes, as sent (compressed)
}

// metaEntry is one page in a meta file: URL, title, date, category.
type metaEntry [4]any

type entryFile struct {
	Version       int         `json:"version"`
	Docs          int         `json:"docs"`
	MetaChunk     int         `json:"meta_chunk"`
	Categories    [][2]string `json:"categories"`
	DocCategories string      `json:"doc_categories"` // the file of each page's category
	Words         [][2]string `json:"words"`
	Pairs         int         `json:"pairs"`
	Short         string      `json:"short"`
}

// DocMeta is what a result shows at once: the rest (the snippet) comes
// from the page itself.
type DocMeta struct {
	URL      string
	Title    string
	Date     string
	Category string // its name
}

// Open reads the entry file at entry through fetch, which returns a file
// of the site by its path.
func Open(fetch func(path string) ([]byte, error), entry string) (*Searcher, error) {
	s := &Searcher{fetch: fetch, dir: path.Dir(entry), shards: map[string]map[string]map[string]string{}, metas: map[string][]metaEntry{}, Fetched: map[string]int{}}
	if err := s.get(entry, &s.entry); err != nil {
		return nil, err
	}
	if s.entry.Version != 3 {
		return nil, fmt.Errorf("%s: index version %d, want 3", entry, s.entry.Version)
	}
	return s, nil
}

func (s *Searcher) get(p string, v any) error {
	data, err := s.fetch(p)
	if err != nil {
		return err
	}
	s.Fetched[p] = len(data)
	if len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		if data, err = io.ReadAll(zr); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", p, err)
	}
	return nil
}

// Query is what a visitor asks.
type Query struct {
	Text     string
	Category string // a category's slug; "" for all
}

// Result is one page found.
type Result struct {
	ID    int
	Exact int // the query's words and phrases the page has as typed
	Score int
}

// item is a word or a quoted phrase of a query.
type item struct {
	keys   []string // a word's key; a phrase's pairs of neighbouring keys
	forms  []string // the same, as typed, in lower case
	prefix bool     // the last word, still being typed
}

// parse splits a query into its items, as the package documentation
// describes.
func parse(q string) []item {
	q = vn.NFC(q)
	var items []item
	seen := map[string]bool{}
	addItem := func(it item) {
		k := fmt.Sprint(it.keys, it.forms, it.prefix)
		if !seen[k] && len(items) < MaxItems {
			seen[k] = true
			items = append(items, it)
		}
	}
	segs := strings.Split(q, `"`)
	for n, seg := range segs {
		ws := appendWords(nil, seg, nil)
		if n%2 == 1 && len(ws) > 1 {
			it := item{}
			for i := 1; i < len(ws); i++ {
				it.keys = append(it.keys, ws[i-1].key+" "+ws[i].key)
				it.forms = append(it.forms, ws[i-1].form+" "+ws[i].form)
			}
			addItem(it)
			continue
		}
		for i, w := range ws {
			it := item{keys: []string{w.key}, forms: []string{w.form}}
			// The last word of the query, still being typed.
			if n%2 == 0 && n == len(segs)-1 && i == len(ws)-1 && len(w.key) >= MinPrefix {
				r, _ := utf8.DecodeLastRuneInString(q)
				it.prefix = isWordRune(r)
			}
			addItem(it)
		}
	}
	return items
}

// match is what one item found: page → flags, and the pages that have
// it as typed.
type match struct {
	flags map[int]int
	exact map[int]bool
}

// Search returns the pages that match q, best first.
func (s *Searcher) Search(q Query) ([]Result, error) {
	items := parse(q.Text)
	if len(items) == 0 {
		return nil, nil
	}
	cat := -1
	for i, c := range s.entry.Categories {
		if c[1] == q.Category {
			cat = i + 1
		}
	}
	if q.Category != "" && cat < 0 {
		return nil, nil
	}
	// While the files of the last item come, the script fetches the meta
	// of the first ten pages of the others, if their files are in: the
	// likely first results (a guess, which only adds to what is fetched).
	if last := len(items) - 1; last > 0 && last < GuessItems && !s.cached(items[last]) && (cat <= 0 || s.docCats != nil) &&
		!slices.ContainsFunc(items[:last], func(it item) bool { return !s.cached(it) }) {
		guess := make([]match, last)
		for i, it := range items[:last] {
			m, err := s.find(it)
			if err != nil {
				return nil, err
			}
			guess[i] = m
		}
		rs := s.rank(guess, cat)
		for _, r := range rs[:min(10, len(rs))] {
			if _, err := s.Doc(r.ID); err != nil {
				return nil, err
			}
		}
	}
	matches := make([]match, len(items))
	for i, it := range items {
		m, err := s.find(it)
		if err != nil {
			return nil, err
		}
		matches[i] = m
	}
	if cat > 0 && s.docCats == nil {
		if err := s.get(s.dir+"/"+s.entry.DocCategories+".json.gz", &s.docCats); err != nil {
			return nil, err
		}
	}
	return s.rank(matches, cat), nil
}

// rank returns the pages that have every match, in category cat if
// cat > 0, best first.
func (s *Searcher) rank(matches []match, cat int) []Result {
	// The pages of the rarest item, checked against the others.
	rarest := matches[0]
	for _, m := range matches {
		if len(m.flags) < len(rarest.flags) {
			rarest = m
		}
	}
	var out []Result
	for id := range rarest.flags {
		if cat > 0 && (id >= len(s.docCats) || s.docCats[id] != cat) {
			continue
		}
		r := Result{ID: id}
		ok := true
		for _, m := range matches {
			f, in := m.flags[id]
			if !in {
				ok = false
				break
			}
			if m.exact[id] {
				r.Exact++
			}
			r.Score += idf(s.entry.Docs, len(m.flags)) * weight(f)
		}
		if ok {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Exact != b.Exact {
			return a.Exact > b.Exact
		}
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		return a.ID > b.ID
	})
	return out
}

// idf is how rare a word is: 4 × log2(1 + 64·docs/df), in whole quarters.
func idf(docs, df int) int {
	return ilog(1 + docs*64/df)
}

// ilog is 4 × log2(x) for x ≥ 1, rounded down to a whole number, with the
// fraction read from the two bits after the leading one.
func ilog(x int) int {
	l := bits.Len(uint(x))
	var frac int
	if l >= 3 {
		frac = x >> (l - 3) & 3
	} else {
		frac = x << (3 - l) & 3
	}
	return 4*(l-1) + frac
}

// weight is how much a page has a word: much more when it is in the
// title, more when in a tag or the category, and slowly more the more
// often the body has it (2 × log2(1 + count)), so that a title is not
// outweighed by a long text repeating the word.
func weight(flags int) int {
	w := 4 + ilog(1+flags&tfMask)/2
	if flags&flagTitle != 0 {
		w += 12
	}
	if flags&flagTag != 0 {
		w += 6
	}
	return w
}

// cached tells whether the files of an item are in.
func (s *Searcher) cached(it item) bool {
	for _, name := range s.files(it) {
		if _, ok := s.shards[name]; !ok {
			return false
		}
	}
	return true
}

// files returns the names of the files an item is looked up in: its
// word shards (those of the keys it begins, for a prefix), or the
// buckets of a phrase's pairs.
func (s *Searcher) files(it item) []string {
	var names []string
	if len(it.keys) > 1 {
		if s.entry.Pairs == 0 {
			return nil
		}
		for _, k := range it.keys {
			if a, b, _ := strings.Cut(k, " "); s.noWord(a) || s.noWord(b) {
				return nil
			}
		}
		for _, k := range it.keys {
			names = append(names, "b/"+strconv.Itoa(int(fnv32(k)&uint32(s.entry.Pairs-1))))
		}
		return names
	}
	first, last := s.shardRange(it.keys[0], it.prefix)
	for i := first; i <= last; i++ {
		names = append(names, s.entry.Words[i][1])
	}
	return names
}

// shardRange returns the first and last word shard that key (or with
// prefix, the keys it begins) is in; last < first for none.
func (s *Searcher) shardRange(key string, prefix bool) (first, last int) {
	list := s.entry.Words
	if !prefix && s.noWord(key) {
		return 0, -1 // no shard to fetch
	}
	first = sort.Search(len(list), func(i int) bool { return list[i][0] > key }) - 1
	if first < 0 {
		if !prefix || len(list) == 0 || !strings.HasPrefix(list[0][0], key) {
			return 0, -1
		}
		first = 0
	}
	last = first
	for prefix && last+1 < len(list) && last+1-first < MaxPrefixShards && strings.HasPrefix(list[last+1][0], key) {
		last++
	}
	return first, last
}

// find looks one item up.
func (s *Searcher) find(it item) (match, error) {
	if len(it.keys) == 1 {
		return s.findWord(it)
	}
	var m match
	for _, k := range it.keys {
		if a, b, _ := strings.Cut(k, " "); s.noWord(a) || s.noWord(b) {
			return match{flags: map[int]int{}, exact: map[int]bool{}}, nil
		}
	}
	for i, k := range it.keys {
		one, err := s.lookupPair(k, it.forms[i])
		if err != nil {
			return match{}, err
		}
		if i == 0 {
			m = one
			continue
		}
		// A phrase is in a page when all its pairs are; it is in the
		// title when they all are, and counted as often as its rarest
		// pair.
		for id, f := range m.flags {
			g, ok := one.flags[id]
			if !ok {
				delete(m.flags, id)
				delete(m.exact, id)
				continue
			}
			m.flags[id] = min(f&tfMask, g&tfMask) | (f & g &^ tfMask)
			if !one.exact[id] {
				delete(m.exact, id)
			}
		}
	}
	return m, nil
}

func (s *Searcher) findWord(it item) (match, error) {
	return s.lookup(s.entry.Words, it.keys[0], it.prefix, it.forms[0])
}

// noWord tells whether key, of one or two bytes, is no word of the
// index (the entry lists those that are), so that no file need be
// fetched for it.
func (s *Searcher) noWord(key string) bool {
	return len(key) <= 2 && !slices.Contains(strings.Fields(s.entry.Short), key)
}

// lookupPair finds a pair of words in its bucket.
func (s *Searcher) lookupPair(key, form string) (match, error) {
	m := match{flags: map[int]int{}, exact: map[int]bool{}}
	if s.entry.Pairs == 0 {
		return m, nil
	}
	shard, err := s.shard("b/" + strconv.Itoa(int(fnv32(key)&uint32(s.entry.Pairs-1))))
	if err != nil {
		return match{}, err
	}
	m.add(shard[key], key, form, false)
	return m, nil
}

// add adds the postings of a key's forms to m. A word typed without
// diacritics matches every form alike; one typed with them matches its
// own form exactly.
func (m match) add(forms map[string]string, key, form string, prefix bool) {
	typedMarks := form != key
	for f, ps := range forms {
		exact := typedMarks && (f == form || prefix && strings.HasPrefix(f, form))
		eachPosting(ps, func(id, flags int) {
			old := m.flags[id]
			m.flags[id] = min(old&tfMask+flags&tfMask, tfMask) | (old|flags)&^tfMask
			if exact {
				m.exact[id] = true
			}
		})
	}
}

// eachPosting calls fn with each page and its flags of a list of
// postings, as the package documentation describes them: plain, or
// dense.
func eachPosting(ps string, fn func(id, flags int)) {
	if !strings.HasPrefix(ps, "~") {
		id := -1
		for j := 0; j < len(ps); {
			delta, ok := number(ps, &j)
			if !ok || j >= len(ps) {
				return
			}
			id += delta
			fn(id, strings.IndexByte(digits, ps[j]))
			j++
		}
		return
	}
	without, flagged, _ := strings.Cut(ps[1:], "~")
	j := 0
	end, _ := number(without, &j)
	// The next page without it, and the next flagged one.
	gap, at := -1, -1
	nextGap := func() {
		if d, ok := number(without, &j); ok {
			gap += d
		} else {
			gap = end
		}
	}
	k, flags := 0, 0
	nextFlagged := func() {
		if d, ok := number(flagged, &k); ok && k < len(flagged) {
			at += d
			flags = strings.IndexByte(digits, flagged[k])
			k++
		} else {
			at = end
		}
	}
	nextGap()
	nextFlagged()
	for id := 0; id < end; id++ {
		if id == gap {
			nextGap()
			continue
		}
		if id == at {
			fn(id, flags)
			nextFlagged()
			continue
		}
		fn(id, 1)
	}
}

// number reads a number in digits of five bits, lowest first, every digit
// but the last with 32 added, from s at *j.
func number(s string, j *int) (int, bool) {
	n, shift := 0, 0
	for *j < len(s) {
		d := strings.IndexByte(digits, s[*j])
		*j++
		n |= (d & 31) << shift
		shift += 5
		if d < 32 {
			return n, true
		}
	}
	return 0, false
}

// lookup finds key (or with prefix, every key it begins) in the word
// shards of list.
func (s *Searcher) lookup(list [][2]string, key string, prefix bool, form string) (match, error) {
	m := match{flags: map[int]int{}, exact: map[int]bool{}}
	first, last := s.shardRange(key, prefix)
	for i := first; i <= last; i++ {
		shard, err := s.shard(list[i][1])
		if err != nil {
			return match{}, err
		}
		if !prefix {
			m.add(shard[key], key, form, false)
			continue
		}
		for _, k := range slices.Sorted(func(yield func(string) bool) {
			for k := range shard {
				if strings.HasPrefix(k, key) && !yield(k) {
					return
				}
			}
		}) {
			m.add(shard[k], key, form, true)
		}
	}
	return m, nil
}

func (s *Searcher) shard(name string) (map[string]map[string]string, error) {
	if sh, ok := s.shards[name]; ok {
		return sh, nil
	}
	var sh map[string]map[string]string
	if err := s.get(s.dir+"/"+name+".json.gz", &sh); err != nil {
		return nil, err
	}
	s.shards[name] = sh
	return sh, nil
}

// Doc returns what a result shows of page id at once, from its meta
// file.
func (s *Searcher) Doc(id int) (*DocMeta, error) {
	n := s.entry.MetaChunk
	if id < 0 || id >= s.entry.Docs || n <= 0 {
		return nil, fmt.Errorf("no page %d in the index", id)
	}
	name := "m/" + strconv.Itoa(id/n)
	ms, ok := s.metas[name]
	if !ok {
		if err := s.get(s.dir+"/"+name+".json.gz", &ms); err != nil {
			return nil, err
		}
		s.metas[name] = ms
	}
	if id%n >= len(ms) {
		return nil, fmt.Errorf("%s: no page %d", name, id)
	}
	e := ms[id%n]
	d := &DocMeta{}
	d.URL, _ = e[0].(string)
	d.Title, _ = e[1].(string)
	d.Date, _ = e[2].(string)
	if c, _ := e[3].(float64); c >= 1 && int(c) <= len(s.entry.Categories) {
		d.Category = s.entry.Categories[int(c)-1][0]
	}
	return d, nil
}

// Posting is a page's number and its flags in a list of postings.
type Posting struct{ ID, Flags int }

// EncodePostings writes ps, sorted by page, as the index files write a
// word form's postings; DecodePostings reads them back, as the search
// script does. They let a test compare the script's reading with Go's.
func EncodePostings(ps []Posting) string {
	raw := make([]uint32, len(ps))
	for i, p := range ps {
		raw[i] = uint32(p.ID)<<6 | uint32(p.Flags&63)
	}
	return string(appendList(nil, raw))
}

// DecodePostings reads a list of postings; see EncodePostings.
func DecodePostings(s string) []Posting {
	var out []Posting
	eachPosting(s, func(id, flags int) { out = append(out, Posting{id, flags}) })
	return out
}
