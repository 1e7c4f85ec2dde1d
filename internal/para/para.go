// Package para runs independent pieces of work on all cores. Each call of
// f writes only the results at its own index, so what a stage produces never
// depends on scheduling.
package para

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
)

// For calls f(i) for i in [0, n) on up to GOMAXPROCS goroutines, handing out
// indexes in order, and returns when all calls have returned. Once ctx is
// done no new call starts.
func For(ctx context.Context, n int, f func(i int)) {
	workers := runtime.GOMAXPROCS(0)
	if workers > n {
		workers = n
	}
	if workers <= 1 {
		for i := 0; i < n && ctx.Err() == nil; i++ {
			f(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				f(i)
			}
		}()
	}
	wg.Wait()
}
