package search

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Đảng ủy xã Đồng Tâm", []string{"dang", "uy", "xa", "dong", "tam"}},
		{norm.NFD.String("ĐẢNG ỦY"), []string{"dang", "uy"}},
		{"Ðà Nẵng", []string{"da", "nang"}}, // eth typed for Đ
		{"Cải cách hành chính: 99,9% (COVID-19)…", []string{"cai", "cach", "hanh", "chinh", "99", "9", "covid", "19"}},
		{"Ưu tiên ươm ương ưỡn", []string{"uu", "tien", "uom", "uong", "uon"}},
		{"ăn ắn ằn ẳn ẵn ặn ân ấn ần ẩn ẫn ận", strings.Fields(strings.Repeat("an ", 12))},
		{"ê ế ề ể ễ ệ ô ố ồ ổ ỗ ộ ơ ớ ờ ở ỡ ợ", strings.Fields(strings.Repeat("e ", 6) + strings.Repeat("o ", 12))},
		{"ý ỳ ỷ ỹ ỵ Í Ì Ỉ Ĩ Ị", strings.Fields(strings.Repeat("y ", 5) + strings.Repeat("i ", 5))},
		{"  --  ", nil},
		{strings.Repeat("a", MaxWordBytes+1) + " b", []string{"b"}},
	}
	for _, tt := range tests {
		if got := Words(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Words(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestEachWordFastPaths compares eachWord, which decodes Vietnamese
// letters inline, with a plain rune-by-rune split.
func TestEachWordFastPaths(t *testing.T) {
	plain := func(s string) []string {
		var out []string
		start := -1
		for i, r := range s {
			in := r != utf8.RuneError && isWordRune(r) || 0xC0 <= r && r < 0x250 && r != 0xD7 && r != 0xF7 || 0x1E00 <= r && r < 0x1F00
			if in && start < 0 {
				start = i
			} else if !in && start >= 0 {
				out = append(out, s[start:i])
				start = -1
			}
		}
		if start >= 0 {
			out = append(out, s[start:])
		}
		return out
	}
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", " ", "×", "÷", "Đ", "ủ", "ạ", "ɏ", "Ʉ", "ḁ", "ỿ", "Ἀ", "α", "中", "\xc3", "\xe1\xba", "\xe1", "\x80", "\u00a0", "\u2003", "-", "1"}
	for n := 0; n < 2000; n++ {
		var b strings.Builder
		for k := rng.IntN(12); k > 0; k-- {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		s := b.String()
		var got []string
		eachWord(s, func(w string) { got = append(got, w) })
		if want := plain(s); !reflect.DeepEqual(got, want) {
			t.Fatalf("eachWord(%+q) = %+q, want %+q", s, got, want)
		}
		// A run is plain when every letter of it is of ASCII, Latin-1 to
		// Latin Extended-B or Latin Extended Additional.
		for i := 0; ; {
			a, b, isPlain := nextRun(s, i)
			if a == b {
				break
			}
			want := !strings.ContainsFunc(s[a:b], func(r rune) bool {
				return r >= utf8.RuneSelf && !(0xC0 <= r && r < 0x240) && !(0x1E00 <= r && r < 0x1F00)
			})
			if isPlain != want {
				t.Fatalf("nextRun(%+q) finds %+q plain: %v, want %v", s, s[a:b], isPlain, want)
			}
			i = b
		}
		if strings.ContainsRune(s, utf8.RuneError) || !utf8.ValidString(s) {
			continue
		}
		if got, want := Text([]byte(s)), strings.Join(strings.Fields(s), " "); got != want {
			t.Fatalf("Text(%+q) = %+q, want %+q", s, got, want)
		}
	}
}

// TestEachHTMLWord checks that reading the words of HTML in one pass
// gives the words of its text, in NFC.
func TestEachHTMLWord(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	alphabet := []string{"a", "b", " ", "\n", "ả", "Đ", "u\u031b", "\u0309", "o\u0302\u0301", "<p>", "</p>", "<em>", "</em>", "<br>", "<a href=\"x y\">", "</a>",
		"<B>", "&amp;", "&agrave;", "&#7843;", "&#x1EA3", "&", "<", ">", ",", "1", "中", "α", "\u00a0", "\xe1\xba"}
	for n := 0; n < 5000; n++ {
		var b strings.Builder
		for k := rng.IntN(14); k > 0; k-- {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		h := []byte(b.String())
		var got, want []string
		eachHTMLWord(h, func(w string) { got = append(got, strings.Clone(w)) })
		eachWord(norm.NFC.String(Text(h)), func(w string) { want = append(want, w) })
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("eachHTMLWord(%+q) = %+q, want %+q", h, got, want)
		}
	}
}

func TestText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"<p>Xã <strong>Bắc</strong> An</p>\n<p>Thôn &amp; xóm</p>", "Xã Bắc An Thôn & xóm"},
		{"<h2 id=\"a\">Tiêu đề</h2><ul>\n<li>một</li><li>hai</li></ul>", "Tiêu đề một hai"},
		{"<table><tr><td>Thôn</td><td>358</td></tr></table>", "Thôn 358"},
		{"c<em>ả</em>i &quot;cách&quot;", "cải \"cách\""},
		{"<p>a<br>b</p>", "a b"},
	}
	for _, tt := range tests {
		if got := Text([]byte(tt.in)); got != tt.want {
			t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want []item
	}{
		{"cai cach", []item{{keys: []string{"cai"}, forms: []string{"cai"}}, {keys: []string{"cach"}, forms: []string{"cach"}, prefix: true}}},
		{"cai cach ", []item{{keys: []string{"cai"}, forms: []string{"cai"}}, {keys: []string{"cach"}, forms: []string{"cach"}}}},
		{"Đảng c", []item{{keys: []string{"dang"}, forms: []string{"đảng"}}, {keys: []string{"c"}, forms: []string{"c"}}}},
		{"Đảng ủy", []item{{keys: []string{"dang"}, forms: []string{"đảng"}}, {keys: []string{"uy"}, forms: []string{"ủy"}}}},
		{"Đảng ủ", []item{{keys: []string{"dang"}, forms: []string{"đảng"}}, {keys: []string{"u"}, forms: []string{"ủ"}}}},
		{"Đảng u", []item{{keys: []string{"dang"}, forms: []string{"đảng"}}, {keys: []string{"u"}, forms: []string{"u"}}}},
		{`"Cải cách hành" xã`, []item{
			{keys: []string{"cai cach", "cach hanh"}, forms: []string{"cải cách", "cách hành"}},
			{keys: []string{"xa"}, forms: []string{"xã"}},
		}},
		{`"Cải cách`, []item{{keys: []string{"cai cach"}, forms: []string{"cải cách"}}}},
		{`"xã"`, []item{{keys: []string{"xa"}, forms: []string{"xã"}}}},
		{"xã xã XÃ", []item{{keys: []string{"xa"}, forms: []string{"xã"}}}},
		{"thôn thôn", []item{{keys: []string{"thon"}, forms: []string{"thôn"}}, {keys: []string{"thon"}, forms: []string{"thôn"}, prefix: true}}},
		{`"" ; ,`, nil},
	}
	for _, tt := range tests {
		if got := parse(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("parse(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

// memFetch serves an index's files from memory.
func memFetch(idx *Index) func(string) ([]byte, error) {
	files := map[string][]byte{}
	for _, f := range idx.Files {
		files[f.Path] = f.Data
	}
	return func(p string) ([]byte, error) {
		if d, ok := files[p]; ok {
			return d, nil
		}
		return nil, fs.ErrNotExist
	}
}

var testDocs = []Doc{
	{URL: "/gioi-thieu/", Title: "Giới thiệu xã Bắc An", HTML: []byte("Xã Bắc An thuộc thành phố Chí Linh. Đảng ủy xã lãnh đạo.")},
	{URL: "/tin-tuc/a/", Title: "Hội nghị Đảng ủy xã", Date: "01/02/2021", Category: "Tin hoạt động", HTML: []byte("Đảng ủy xã họp bàn công tác cải cách hành chính.")},
	{URL: "/tin-tuc/b/", Title: "Đang ủy thác vốn vay", Date: "01/02/2022", Category: "Kinh tế", HTML: []byte("Ngân hàng đang ủy thác vốn cho hộ nghèo.")},
	{URL: "/tin-tuc/c/", Title: "Kế hoạch năm 2023", Date: "01/02/2023", Category: "Cải cách hành chính", Tags: []string{"cải cách hành chính"}, HTML: []byte("Kế hoạch cải cách hành chính năm 2023 của xã.")},
	{URL: "/tin-tuc/d/", Title: "Hành chính công", Date: "01/02/2024", Category: "Tin hoạt động", HTML: []byte("Cách làm hành chính mới: cải tiến, không phải cải cách.")},
	{URL: "/tin-tuc/e/", Title: "Thể thao", Date: "01/02/2024", Category: "Văn hóa", HTML: []byte("Giải bóng đá thiếu niên.")},
}

func searchURLs(t *testing.T, s *Searcher, q Query) []string {
	t.Helper()
	rs, err := s.Search(q)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rs {
		d, err := s.Doc(r.ID)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, d.URL)
	}
	return out
}

func TestSearch(t *testing.T) {
	cats := []Category{{"Cải cách hành chính", "cai-cach-hanh-chinh"}, {"Kinh tế", "kinh-te"}, {"Tin hoạt động", "tin-hoat-dong"}, {"Văn hóa", "van-hoa"}}
	idx := Build(context.Background(), testDocs, cats, nil)
	s, err := Open(memFetch(idx), idx.Entry)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		q    Query
		want []string
	}{
		// Folded: all three have "đảng/đang ủy"; the ones with "Đảng ủy" in
		// the title first, then newest first.
		{Query{Text: "dang uy"}, []string{"/tin-tuc/b/", "/tin-tuc/a/", "/gioi-thieu/"}},
		// As typed: "Đảng ủy" exactly comes before "đang ủy", even though
		// b has it in its title.
		{Query{Text: "Đảng ủy"}, []string{"/tin-tuc/a/", "/gioi-thieu/", "/tin-tuc/b/"}},
		{Query{Text: "ĐẢNG ỦY"}, []string{"/tin-tuc/a/", "/gioi-thieu/", "/tin-tuc/b/"}},
		{Query{Text: norm.NFD.String("đang ủy")}, []string{"/tin-tuc/b/", "/tin-tuc/a/", "/gioi-thieu/"}},
		// Every word, anywhere: d has them, not side by side, two in its
		// title, which weighs more than c's tag.
		{Query{Text: "cai cach hanh chinh "}, []string{"/tin-tuc/d/", "/tin-tuc/c/", "/tin-tuc/a/"}},
		// A phrase: d does not have the words together.
		{Query{Text: `"cai cach hanh chinh"`}, []string{"/tin-tuc/c/", "/tin-tuc/a/"}},
		{Query{Text: `"hanh chinh cai cach"`}, nil},
		// The last word is a prefix while it is being typed.
		{Query{Text: "bong d"}, nil}, // one or two letters are not a prefix
		{Query{Text: "thieu ni"}, nil},
		{Query{Text: "bong da"}, []string{"/tin-tuc/e/"}},
		{Query{Text: "thieu nie"}, []string{"/tin-tuc/e/"}},
		{Query{Text: "thieu nie "}, nil},
		{Query{Text: "cai cach", Category: "cai-cach-hanh-chinh"}, []string{"/tin-tuc/c/"}},
		{Query{Text: "hanh chinh", Category: "tin-hoat-dong"}, []string{"/tin-tuc/d/", "/tin-tuc/a/"}},
		{Query{Text: "cai cach", Category: "khong-co"}, nil},
		{Query{Text: "xyzzy"}, nil},
		{Query{Text: ""}, nil},
	}
	for _, tt := range tests {
		if got := searchURLs(t, s, tt.q); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Search(%+v) = %q, want %q", tt.q, got, tt.want)
		}
	}
	// The first letters of a word being typed that are no word fetch
	// nothing, alone or in a phrase.
	before := len(s.Fetched)
	for _, q := range []string{"bong d", `"bong d`, "bong đa th"} {
		if rs, err := s.Search(Query{Text: q}); err != nil || len(rs) != 0 {
			t.Errorf("Search(%q) = %v, %v", q, rs, err)
		}
	}
	if len(s.Fetched) != before {
		t.Errorf("short keys that are no word fetched %d files", len(s.Fetched)-before)
	}
	d, err := s.Doc(3)
	if err != nil {
		t.Fatal(err)
	}
	if want := (DocMeta{URL: "/tin-tuc/c/", Title: "Kế hoạch năm 2023", Date: "01/02/2023", Category: "Cải cách hành chính"}); *d != want {
		t.Errorf("Doc(3) = %+v, want %+v", *d, want)
	}
}

func TestRankingExactBeforeFolded(t *testing.T) {
	// Many pages say "đang" in their title; only one says "Đảng", in its
	// body. Typed with diacritics, it comes first; typed without, it is
	// one among the others.
	var docs []Doc
	for i := 0; i < 20; i++ {
		docs = append(docs, Doc{URL: fmt.Sprintf("/tin-tuc/%d/", i), Title: "Đang cập nhật " + fmt.Sprint(i), HTML: []byte("đang đang đang")})
	}
	docs = append(docs, Doc{URL: "/tin-tuc/dang/", Title: "Họp", HTML: []byte("Đảng bộ xã họp.")})
	idx := Build(context.Background(), docs, nil, nil)
	s, err := Open(memFetch(idx), idx.Entry)
	if err != nil {
		t.Fatal(err)
	}
	got := searchURLs(t, s, Query{Text: "Đảng"})
	if len(got) != 21 || got[0] != "/tin-tuc/dang/" {
		t.Errorf("Đảng: %q", got)
	}
	got = searchURLs(t, s, Query{Text: "dang "})
	if len(got) != 21 || got[0] == "/tin-tuc/dang/" {
		t.Errorf("dang: %q", got)
	}
}

// vocabulary for synthetic sites: a few thousand words spread like a
// language, a few very common.
func syntheticDocs(n int, seed uint64) []Doc {
	rng := rand.New(rand.NewPCG(seed, 7))
	syll := strings.Fields("xã thôn ủy ban nhân dân đảng cải cách hành chính thủ tục nông thôn mới quân sự phòng cháy chữa tiêm chủng lễ hội thu hoạch bảo hiểm y tế chuyển đổi số điện nước học bổng hội nghị triển khai kế hoạch năm đồng tâm an hòa bắc giang phú lương hưng đạo cầu đất ngọc trì")
	word := func() string {
		// Zipf-like: low indexes are much more common.
		i := int(float64(len(syll)) * rng.Float64() * rng.Float64())
		if rng.IntN(10) == 0 {
			return fmt.Sprint(rng.IntN(3000))
		}
		return syll[i]
	}
	phrase := func(k int) string {
		w := make([]string, k)
		for i := range w {
			w[i] = word()
		}
		return strings.Join(w, " ")
	}
	cats := []string{"Cải cách hành chính", "Tin hoạt động", "Thông báo", "Kinh tế"}
	docs := make([]Doc, n)
	for i := range docs {
		docs[i] = Doc{
			Key:      fmt.Sprint(i),
			URL:      fmt.Sprintf("/tin-tuc/bai-%d/", i),
			Title:    phrase(8),
			Date:     "01/01/2024",
			Category: cats[rng.IntN(len(cats))],
			Tags:     []string{phrase(2)},
			HTML:     []byte(phrase(100 + rng.IntN(200))),
		}
	}
	return docs
}

// TestCacheGivesCleanBuild changes pages step by step (edits in place,
// new newest posts, deletions that renumber, pages without a key) and
// checks that a build with the cache gives what a clean build gives.
func TestCacheGivesCleanBuild(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	docs := syntheticDocs(200, 1)
	var cache Cache
	ctx := context.Background()
	Build(ctx, docs, nil, &cache)
	next := 0
	fresh := func() Doc {
		next++
		d := syntheticDocs(1, uint64(100+next))[0]
		d.Key = fmt.Sprint("new-", next)
		return d
	}
	for step := 0; step < 30; step++ {
		var what string
		switch op := rng.IntN(10); {
		case op < 4:
			i := rng.IntN(len(docs))
			docs[i] = fresh()
			what = fmt.Sprint("edit ", i)
		case op < 6:
			docs = append(docs, fresh())
			what = "append"
		case op < 7:
			docs = docs[:len(docs)-1]
			what = "remove the newest"
		case op < 8:
			i := rng.IntN(len(docs))
			docs = slices.Delete(docs, i, i+1)
			what = fmt.Sprint("delete ", i)
		case op < 9:
			i := rng.IntN(len(docs))
			docs[i].Key = ""
			what = fmt.Sprint("no key for ", i)
		default:
			for n := 0; n < 40; n++ {
				docs[rng.IntN(len(docs))] = fresh()
			}
			what = "edit many"
		}
		inc := Build(ctx, docs, nil, &cache)
		clean := Build(ctx, docs, nil, nil)
		if !reflect.DeepEqual(inc, clean) {
			t.Fatalf("step %d (%s): a build with a cache differs from a clean build", step, what)
		}
	}
}

func TestShardsStable(t *testing.T) {
	// A new post changes the shards that hold its words, not the others.
	docs := syntheticDocs(2000, 3)
	ctx := context.Background()
	before := Build(ctx, docs, nil, nil)
	after := Build(ctx, append(docs, Doc{Title: "Một bài mới", HTML: []byte("ngắn")}), nil, nil)
	names := func(idx *Index) []string {
		var out []string
		for _, f := range idx.Files {
			out = append(out, f.Path)
		}
		return out
	}
	b, a := names(before), names(after)
	kept := 0
	for _, p := range a {
		if _, ok := slices.BinarySearch(b, p); ok {
			kept++
		}
	}
	// Four words, three pairs, a meta file and the entry.
	if len(b) < 20 || kept < len(b)-9 {
		t.Errorf("%d shards, %d kept after adding one short post", len(b), kept)
	}
}

// TestBytesPerQuery checks the budget on a synthetic site of 10,000
// posts: a query fetches at most 150 KB, page files for ten results
// included.
func TestBytesPerQuery(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 10,000-page index")
	}
	idx := synthetic10k()
	total := 0
	for _, f := range idx.Files {
		total += len(f.Data)
	}
	t.Logf("index: %d files, %d KB", len(idx.Files), total>>10)
	for _, q := range []string{"xã", "cai cach hanh chinh", `"cải cách hành chính" năm`, "dang uy xa thon nhan dan", "ch", "ph", "xã thôn ủy ban nhân dân đảng cải"} {
		s, err := Open(memFetch(idx), idx.Entry)
		if err != nil {
			t.Fatal(err)
		}
		rs := searchTopTen(t, s, q)
		n := fetchedBytes(s)
		t.Logf("%q: %d results, %d files, %d KB", q, len(rs), len(s.Fetched), n>>10)
		if n > 150<<10 {
			t.Errorf("%q fetches %d KB", q, n>>10)
		}
	}
}

// TestMemo files words of every length, many alike but for one byte, and
// finds each again, and none that was not filed.
func TestMemo(t *testing.T) {
	var m memo
	seen := map[string]uint32{}
	var absent []string
	for n := 1; n <= 24; n++ {
		for c := 0; c < 300; c++ {
			w := []byte(strings.Repeat("ả", n)[:n])
			w[c%n] = byte('a' + c%26)
			w[n/2] = byte('0' + c/26)
			s := string(w)
			if _, ok := seen[s]; ok {
				continue
			}
			if c%3 == 0 {
				absent = append(absent, s)
				seen[s] = 0
				continue
			}
			seen[s] = uint32(len(seen) + 1)
			m.put(s, seen[s])
		}
	}
	for s, id := range seen {
		got, ok := m.get(s)
		if id == 0 {
			if ok {
				t.Errorf("get(%q) = %d, never put", s, got)
			}
			continue
		}
		if !ok || got != id {
			t.Errorf("get(%q) = %d, %v; want %d", s, got, ok, id)
		}
	}
	if len(absent) == 0 {
		t.Fatal("no absent words")
	}
}

// TestPairMemo files more pairs than a pairMemo keeps, over pages, and
// finds each with its ref and its index on its page, or not at all,
// never another's; a page with more pairs than the memo keeps keeps them
// all; and a page's pairs in a pageSet, over pages, each found again on
// its page only.
func TestPairMemo(t *testing.T) {
	var m pairMemo
	ref := func(k uint32) uint32 { return k*7 + 3 }
	// Pages of 1,000 pairs, but one of more than the memo keeps.
	var pages [][]uint32
	next := uint32(0)
	for p := 0; p < 3*pairMemoMax/1000; p++ {
		n := 1000
		if p == 300 {
			n = pairMemoMax + pairMemoMax/2
		}
		var page []uint32
		for range n {
			page = append(page, next*11)
			next++
		}
		pages = append(pages, page)
	}
	for p, page := range pages {
		stamp := uint32(p + 1)
		for i, k := range page {
			e, ok := m.find(k, stamp)
			if ok {
				t.Fatalf("pair %d found before it was put", k)
			}
			e.ref, e.stamp, e.index = ref(k), stamp, uint32(i)
			m.pageN++
		}
		// Each pair of the page again, and one never put.
		for i, k := range page {
			e, ok := m.find(k, stamp)
			if !ok || e.ref != ref(k) || e.stamp != stamp || e.index != uint32(i) {
				t.Fatalf("page %d: pair %d: %v, %+v; want ref %d, index %d", p, k, ok, *e, ref(k), i)
			}
			if _, ok := m.find(k+1, stamp); ok {
				t.Fatalf("pair %d found, never put", k+1)
			}
			e, _ = m.find(k+1, stamp) // put now, then not on the page
			e.ref = ref(k + 1)
		}
	}
	// A page later, each pair kept has its ref and another page; the
	// pairs of the last pages are kept.
	found := 0
	stamp := uint32(len(pages) + 1)
	for p := len(pages) - 1; p >= 0; p-- {
		for _, k := range pages[p] {
			e, ok := m.find(k, stamp)
			if ok {
				found++
				if e.ref != ref(k) || e.stamp == stamp {
					t.Fatalf("pair %d: %+v, want ref %d and another page", k, *e, ref(k))
				}
			} else {
				e.ref = ref(k)
			}
		}
	}
	if found == 0 || len(m.entries) > 4*pairMemoMax {
		t.Errorf("%d pairs found again, %d entries", found, len(m.entries))
	}
	m.clearStamps()
	for _, e := range m.entries {
		if e.stamp != 0 {
			t.Fatalf("stamp %d left after clearStamps", e.stamp)
		}
	}

	var s pageSet
	for page := uint32(1); page <= 3; page++ {
		s.n = 0
		count := 500 * int(page) * int(page) // the table grows on a page
		for i := range count {
			p := uint64(i)<<32 | uint64(page)
			e, ok := s.find(p, page)
			if ok {
				t.Fatalf("page %d: pair %x found before it was put", page, p)
			}
			e.index = uint32(i)
		}
		for i := range count {
			p := uint64(i)<<32 | uint64(page)
			if e, ok := s.find(p, page); !ok || e.index != uint32(i) {
				t.Fatalf("page %d: pair %x: %v, index %d; want %d", page, p, ok, e.index, i)
			}
			if _, ok := s.find(uint64(i)<<32|uint64(page-1), page); ok {
				t.Fatalf("page %d: a pair of the page before found", page)
			}
		}
	}
}

// TestPairMemoFull reads pages with more distinct pairs than a worker's
// pair memo keeps, and checks that each page is filed once under each of
// its pairs, with and without a Cache.
func TestPairMemoFull(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	var vocab []string
	for i := 0; i < 1000; i++ {
		vocab = append(vocab, fmt.Sprintf("t%d", i))
	}
	// 40 pages of 5,000 words of 1,000: about 5,000 distinct pairs a
	// page, some twice, 190,000 in all; and one page with more pairs than
	// a memo keeps: each worker's memo forgets in the middle of pages.
	var docs []Doc
	for d := 0; d < 41; d++ {
		n := 5000
		if d == 20 {
			n = pairMemoMax * 3 / 2
		}
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteString(vocab[rng.IntN(len(vocab))])
			b.WriteByte(' ')
		}
		docs = append(docs, Doc{Key: fmt.Sprint(d), URL: fmt.Sprint("/", d, "/"), Title: "x", HTML: []byte(b.String())})
	}
	check := func(what string, lists [][]uint32) {
		t.Helper()
		n := 0
		for _, ps := range lists {
			for i := 1; i < len(ps); i++ {
				if ps[i]>>6 <= ps[i-1]>>6 {
					t.Fatalf("%s: postings %v not one a page, in order", what, ps)
				}
			}
			n += len(ps)
		}
		if n == 0 {
			t.Fatalf("%s: no postings", what)
		}
	}
	var cache Cache
	Build(context.Background(), docs, nil, &cache)
	if cache.parts[0].count == 0 || len(cache.parts[0].ids) < pairMemoMax/pairParts {
		t.Fatalf("only %d pairs in a part", len(cache.parts[0].ids))
	}
	for k := range cache.parts {
		check("cache", cache.parts[k].post)
	}
	b := NewBuilder(docs, nil)
	b.Build(context.Background(), nil)
	for _, sc := range b.c.scratches {
		for k := range sc.lists.pairs {
			var lists [][]uint32
			for x := range sc.lists.pairs[k] {
				ps := sc.lists.appendList(nil, &sc.lists.pairs[k][x], sc.lists.pages)
				sortPostings(ps)
				lists = append(lists, ps)
			}
			check("once", lists)
		}
	}
}

// searchTopTen runs query q as the script does: the search, then the
// meta files of the first ten results.
func searchTopTen(t *testing.T, s *Searcher, q string) []Result {
	t.Helper()
	rs, err := s.Search(Query{Text: q})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs[:min(10, len(rs))] {
		if _, err := s.Doc(r.ID); err != nil {
			t.Fatal(err)
		}
	}
	return rs
}

// fetchedBytes is what s fetched, in bytes as sent.
func fetchedBytes(s *Searcher) int {
	n := 0
	for _, b := range s.Fetched {
		n += b
	}
	return n
}

// TestAppendJSON checks the JSON strings of the index against
// encoding/json's, which escapes <, > and & besides, on text with
// Vietnamese, quotes, control characters and bytes that are not UTF-8.
func TestAppendJSON(t *testing.T) {
	for _, s := range []string{
		"", "Đảng ủy xã", `a "quoted" \ path`, "tab\there\nnew\x00nul\x1f", "bad \xff byte", "\xe1\xbb", "ủy\xc3", "\xed\xa0\x80 surrogate",
		"/tin-tuc/2024/hop-mat/", "x<y>&z",
	} {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		// encoding/json escapes these as \u003c, \u003e and \u0026, and
		// U+2028 and U+2029; appendJSON leaves them.
		w := strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&", `\n`, `\u000a`, `\t`, `\u0009`).Replace(string(want))
		if got := string(appendJSON(nil, s)); got != w {
			t.Errorf("appendJSON(%q) = %s, want %s", s, got, w)
		}
	}
}

// TestGuessFetchesLikelyMeta checks that a search whose last word's
// files are not in yet fetches the meta files of the first ten pages of
// the other words, as the script does while the last word's files come,
// and that what it finds is what a fresh Searcher finds.
func TestGuessFetchesLikelyMeta(t *testing.T) {
	idx := Build(context.Background(), syntheticDocs(2000, 5), nil, nil)
	s, err := Open(memFetch(idx), idx.Entry)
	if err != nil {
		t.Fatal(err)
	}
	// The first word typed whole: its shard is in, no meta yet.
	if _, err := s.Search(Query{Text: "dang "}); err != nil {
		t.Fatal(err)
	}
	for p := range s.Fetched {
		if strings.Contains(p, "/m/") {
			t.Fatalf("%s fetched before any result was shown", p)
		}
	}
	first, err := s.Search(Query{Text: "dang"})
	if err != nil {
		t.Fatal(err)
	}
	// A second word whose shard is not in: the meta of the first ten
	// pages of "dang" are fetched, besides the results'.
	q := ""
	for _, w := range strings.Fields("xa thon tiem chung hoi nghi uy ban phu luong") {
		if it := parse("dang " + w); !s.cached(it[1]) {
			q = "dang " + w
			break
		}
	}
	if q == "" {
		t.Fatal("every word's shard is in")
	}
	got, err := s.Search(Query{Text: q})
	if err != nil {
		t.Fatal(err)
	}
	if len(first) < 10 {
		t.Fatalf("dang: %d results", len(first))
	}
	for _, r := range first[:10] {
		name := fmt.Sprintf("%s/m/%d.json.gz", Dir, r.ID/MetaChunk)
		if _, ok := s.Fetched[name]; !ok {
			t.Errorf("page %d of the guess: %s not fetched", r.ID, name)
		}
	}
	fresh, _ := Open(memFetch(idx), idx.Entry)
	want, err := fresh.Search(Query{Text: q})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 || !reflect.DeepEqual(got, want) {
		t.Errorf("%s: %d results after the guess, %d from a fresh Searcher", q, len(got), len(want))
	}
}

// TestIsInline checks the tags that do not separate words against the
// list of them, in any case (as strings.ToLower has it), and others
// alike.
func TestIsInline(t *testing.T) {
	inline := map[string]bool{}
	for _, n := range strings.Fields("a abbr b code del em i mark s small span strong sub sup u") {
		inline[n] = true
	}
	names := []string{"", "p", "br", "li", "h2", "td", "ab", "abbrr", "strongs", "spa", "img", "codes", "sup2", "é", "MAR\u212a", "\u212a", "\u0130"}
	for n := range inline {
		names = append(names, n, strings.ToUpper(n), strings.ToUpper(n[:1])+n[1:], n+"x", "x"+n, n+"é")
	}
	for _, n := range names {
		if got, want := isInline(n), inline[strings.ToLower(n)]; got != want {
			t.Errorf("isInline(%q) = %v, want %v", n, got, want)
		}
	}
}
