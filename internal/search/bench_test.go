package search

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkRebuildOne measures an index rebuild, with a cache, after one
// page of 10,000 changed.
func BenchmarkRebuildOne(b *testing.B) {
	docs := syntheticDocs(10000, 9)
	var cache Cache
	ctx := context.Background()
	Build(ctx, docs, nil, &cache)
	b.ResetTimer()
	for i := range b.N {
		d := syntheticDocs(1, uint64(1000+i))[0]
		d.Key = fmt.Sprint("edit-", i)
		docs[4242] = d
		Build(ctx, docs, nil, &cache)
	}
}
