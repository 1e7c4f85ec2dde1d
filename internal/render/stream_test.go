package render

import (
	"bytes"
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/congxa/congxa"
	"github.com/congxa/congxa/internal/content"
	"github.com/congxa/congxa/internal/site"
)

// TestStreamEqualsRender: a single build, streamed, gives the same files
// as one rendered whole. The demo has posts with and without a summary in
// their front matter, which Stream converts at different times.
func TestStreamEqualsRender(t *testing.T) {
	c, diags := content.Load(os.DirFS("../.."), congxa.Theme(), content.Options{Now: time.Date(2024, 12, 1, 0, 0, 0, 0, time.UTC)})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	s, diags := site.Build(c, site.Options{Now: time.Date(2024, 12, 1, 0, 0, 0, 0, time.UTC)})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	outs, rdiags := Render(context.Background(), s, nil)
	if rdiags.HasErrors() {
		t.Fatal(rdiags)
	}
	var mu sync.Mutex
	streamed := map[string][]byte{}
	sdiags, err := Stream(context.Background(), s, func(o Output) error {
		data := o.Data
		if o.File != nil {
			data = []byte("file " + o.File.Path)
		}
		mu.Lock()
		defer mu.Unlock()
		if _, dup := streamed[o.Path]; dup {
			t.Errorf("%s emitted twice", o.Path)
		}
		streamed[o.Path] = bytes.Clone(data) // Data is reused once emit returns
		return nil
	})
	// Stream reports a page's link warnings when it makes the page: in
	// another order, which a build sorts.
	sdiags.Sort()
	rdiags.Sort()
	if err != nil || sdiags.String() != rdiags.String() {
		t.Fatalf("Stream: %v\n%s\nRender:\n%s", err, sdiags, rdiags)
	}
	if len(streamed) != len(outs) {
		t.Errorf("Stream gave %d files, Render %d", len(streamed), len(outs))
	}
	for _, o := range outs {
		want := o.Data
		if o.File != nil {
			want = []byte("file " + o.File.Path)
		}
		if !bytes.Equal(streamed[o.Path], want) {
			t.Errorf("%s differs", o.Path)
		}
	}
}
