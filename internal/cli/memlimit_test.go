package cli

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"
)

func TestHoldMemoryFollowsTheLiveHeap(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "")
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	h := &memoryHolder{floor: 8 << 20, sample: []metrics.Sample{{Name: "/gc/heap/live:bytes"}}}
	h.adjust()
	h.arm()
	defer h.stopped.Store(true)

	// 96 MiB live: the limit must follow it up, past the floor, or the
	// collector would run without end.
	live := make([][]byte, 96)
	for i := range live {
		live[i] = make([]byte, 1<<20)
	}
	want := memoryLimitFor(96 << 20)
	deadline := time.Now().Add(10 * time.Second)
	for h.limit.Load() < want && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if got := h.limit.Load(); got < want {
		t.Fatalf("limit %d MiB with 96 MiB live, want at least %d MiB", got>>20, want>>20)
	}
	if got := debug.SetMemoryLimit(-1); got != h.limit.Load() {
		t.Errorf("runtime limit %d, holder says %d", got, h.limit.Load())
	}
	runtime.KeepAlive(live)

	// Freed: the limit comes down again, to the floor at least.
	live = nil
	deadline = time.Now().Add(10 * time.Second)
	for h.limit.Load() >= want && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if got := h.limit.Load(); got >= want || got < h.floor {
		t.Errorf("limit %d MiB once freed, want below %d MiB and at least the floor", got>>20, want>>20)
	}
}

func TestHoldMemoryLeavesGOMEMLIMIT(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "1GiB")
	before := debug.SetMemoryLimit(-1)
	stop := holdMemory(1 << 20)
	held := debug.SetMemoryLimit(-1) // while holding, not after stop puts it back
	stop()
	if held != before {
		t.Errorf("limit changed from %d to %d with GOMEMLIMIT set", before, held)
	}
}
