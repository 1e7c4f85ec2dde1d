package search

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

// randomPostings makes n postings among the pages below span, with
// random flags.
func randomPostings(rng *rand.Rand, n, span int) []Posting {
	ids := rng.Perm(span)[:n]
	seen := make([]bool, span)
	for _, id := range ids {
		seen[id] = true
	}
	var ps []Posting
	for id, ok := range seen {
		if !ok {
			continue
		}
		f := 1 + rng.IntN(15)
		switch rng.IntN(8) {
		case 0:
			f |= flagTitle
		case 1:
			f = flagTag | rng.IntN(2)
		case 2:
			f = flagTitle | flagTag
		}
		ps = append(ps, Posting{id, f})
	}
	return ps
}

func TestDensePostings(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, c := range []struct{ n, span int }{
		{0, 10}, {1, 1}, {DenseMin - 1, DenseMin}, {DenseMin, DenseMin}, {DenseMin, 2 * DenseMin}, {DenseMin + 1, 2 * DenseMin},
		{300, 310}, {5000, 5200}, {900, 1000}, {400, 100000}, {100000, 100000},
	} {
		ps := randomPostings(rng, c.n, c.span)
		enc := EncodePostings(ps)
		dense := c.n >= DenseMin && 2*c.n > ps[len(ps)-1].ID+1
		if strings.HasPrefix(enc, "~") != dense {
			t.Errorf("%d of %d pages: dense is %v, want %v", c.n, c.span, !dense, dense)
		}
		want := ps
		if dense {
			// A dense list keeps the flags beyond the body, and whether
			// the body has the word.
			want = nil
			for _, p := range ps {
				want = append(want, Posting{p.ID, p.Flags&^tfMask | min(p.Flags&tfMask, 1)})
			}
			plain := string(appendPostings(nil, func() []uint32 {
				raw := make([]uint32, len(ps))
				for i, p := range ps {
					raw[i] = uint32(p.ID)<<6 | uint32(p.Flags)
				}
				return raw
			}()))
			if len(enc) >= len(plain) {
				t.Errorf("%d of %d pages: dense %d bytes, plain %d", c.n, c.span, len(enc), len(plain))
			}
		}
		if got := DecodePostings(enc); !reflect.DeepEqual(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Errorf("%d of %d pages: decoded %d postings, want %d (first %v, want %v)", c.n, c.span, len(got), len(want), got[:min(3, len(got))], want[:min(3, len(want))])
		}
	}
}

func TestRankingDenseWord(t *testing.T) {
	// "xã" is in every page, many times in some; "bắc" in a few. A word
	// on most pages counts once in a body, however often it is there:
	// the title decides, then the date.
	var docs []Doc
	for i := 0; i < 200; i++ {
		title := fmt.Sprint("Tin số ", i)
		if i%50 == 7 {
			title += " của xã"
		}
		body := strings.Repeat("xã ", 1+i%9)
		if i%20 == 3 {
			body += "Bắc An"
		}
		docs = append(docs, Doc{URL: fmt.Sprintf("/tin-tuc/%d/", i), Title: title, Date: "01/01/2024", HTML: []byte(body)})
	}
	idx := Build(context.Background(), docs, nil, nil)
	s, err := Open(memFetch(idx), idx.Entry)
	if err != nil {
		t.Fatal(err)
	}
	got := searchURLs(t, s, Query{Text: "xa "})
	want := []string{"/tin-tuc/157/", "/tin-tuc/107/", "/tin-tuc/57/", "/tin-tuc/7/", "/tin-tuc/199/", "/tin-tuc/198/"}
	if len(got) != 200 || !reflect.DeepEqual(got[:6], want) {
		t.Errorf("xa: %d results, first %q, want %q", len(got), got[:min(6, len(got))], want)
	}
	// A rare word keeps its count; with the common one, its pages only.
	got = searchURLs(t, s, Query{Text: "xa bac"})
	if len(got) != 10 || got[0] != "/tin-tuc/183/" {
		t.Errorf("xa bac: %q", got)
	}
}

// TestBytesTyped checks the budget of a query typed letter by letter on a
// synthetic site of 10,000 posts: the index files that every prefix of
// it fetches (its words and the titles of its first ten results). The
// bench corpus of 10,000 posts, whose words are on more pages than
// these, fetched up to 106 KB of index files in the browser, which left
// 24 KB of the 150 for the pages that the snippets come from; 90 KB here
// keeps that margin (these queries fetched 101 and 104 KB here before
// dense lists).
func TestBytesTyped(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 10,000-page index")
	}
	idx := synthetic10k()
	for _, q := range []string{
		"dang uy xa thon nhan dan cai cach hanh chinh",
		`"xã thôn ủy ban nhân dân" đảng`,
	} {
		s, err := Open(memFetch(idx), idx.Entry)
		if err != nil {
			t.Fatal(err)
		}
		for i := range q {
			if i > 0 && !utf8.RuneStart(q[i]) {
				continue
			}
			searchTopTen(t, s, q[:i+1])
		}
		n := fetchedBytes(s)
		t.Logf("%q typed: %d files, %d KB", q, len(s.Fetched), n>>10)
		if n > 90<<10 {
			t.Errorf("%q typed fetches %d KB of the index", q, n>>10)
		}
	}
}

// synthetic10k is the index of syntheticDocs(10000, 4), built once for
// the tests of the budget.
var synthetic10k = sync.OnceValue(func() *Index {
	return Build(context.Background(), syntheticDocs(10000, 4), nil, nil)
})

// TestListsFromWorkers checks that postings given in several lists, as
// the workers of a single build file them, are written as one list is.
func TestListsFromWorkers(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, c := range []struct{ n, span int }{{10, 20}, {DenseMin, DenseMin}, {300, 310}, {900, 1000}, {400, 5000}} {
		var raw []uint32
		for _, p := range randomPostings(rng, c.n, c.span) {
			raw = append(raw, uint32(p.ID)<<6|uint32(p.Flags))
		}
		want := string(appendList(nil, raw))
		for k := 2; k <= 3; k++ {
			lists := make([][]uint32, k)
			for _, p := range raw {
				w := rng.IntN(k) // each page read by one worker or another
				lists[w] = append(lists[w], p)
			}
			if got := string(appendList(nil, lists...)); got != want {
				t.Errorf("%d of %d pages in %d lists:\n got %.60q\nwant %.60q", c.n, c.span, k, got, want)
			}
		}
	}
}

// TestStreamedEqualsCached checks that an index made from pages read one
// at a time on all cores, with no Cache, is the one a Build with a Cache
// makes, dense lists included.
func TestStreamedEqualsCached(t *testing.T) {
	docs := syntheticDocs(800, 9)
	cats := []Category{{Name: "Thông báo", Slug: "thong-bao"}}
	ctx := context.Background()
	cached := Build(ctx, slices.Clone(docs), cats, &Cache{})
	b := NewBuilder(slices.Clone(docs), nil)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := w; i < len(docs); i += 4 {
				b.Read(i, docs[i].HTML)
			}
		})
	}
	wg.Wait()
	streamed := b.Build(ctx, cats)
	if !reflect.DeepEqual(streamed, cached) {
		t.Fatalf("the streamed index differs from the cached one (%d and %d files)", len(streamed.Files), len(cached.Files))
	}
	dense := false
	for _, f := range cached.Files {
		if strings.Contains(gunzip(t, f.Data), `:"~`) {
			dense = true
		}
	}
	if !dense {
		t.Fatal("no dense list in the index: the test does not test them")
	}
}

// gunzip returns what a gzipped file holds.
func gunzip(t *testing.T, data []byte) string {
	t.Helper()
	r, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
