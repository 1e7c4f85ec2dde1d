package cli

import (
	"bytes"
	"context"
	"testing"
)

func TestProf10k(t *testing.T) {
	var o, e bytes.Buffer
	if c := Main(context.Background(), []string{"build", "--source", "/tmp/search10k", "--dest", "/tmp/search10k-prof"}, &o, &e); c != 0 {
		t.Fatal(e.String())
	}
	t.Log(o.String())
}
