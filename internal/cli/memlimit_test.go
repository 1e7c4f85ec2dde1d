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

func TestCollectNow(t *testing.T) {
	const mb = 1 << 20
	for _, tt := range []struct {
		goal, heap, rebuild uint64
		want                bool
	}{
		{450 * mb, 300 * mb, 27 * mb, false}, // room for five rebuilds
		{450 * mb, 396 * mb, 27 * mb, true},  // the next one may start it
		{450 * mb, 430 * mb, 27 * mb, true},
		{450 * mb, 460 * mb, 27 * mb, true}, // past the goal already
		{450 * mb, 440 * mb, 0, false},      // nothing known of a rebuild
	} {
		if got := collectNow(tt.goal, tt.heap, tt.rebuild); got != tt.want {
			t.Errorf("collectNow(%d MB, %d MB, %d MB) = %v, want %v", tt.goal/mb, tt.heap/mb, tt.rebuild/mb, got, tt.want)
		}
	}
}

// TestCollectorAfterRebuild: a rebuild that brought the heap within two of
// its allocations of the goal is followed by a collection, one at a time.
func TestCollectorAfterRebuild(t *testing.T) {
	c := newCollector()
	goal, _, _, ok := c.read()
	if !ok {
		t.Fatal("the runtime does not report the heap's goal, size and allocations")
	}
	c.begin()
	// A rebuild that allocates three times the goal: whatever the
	// collections on the way, the heap ends within two of it of the goal.
	for range 3 * goal / (1 << 20) {
		garbage = make([]byte, 1<<20)
	}
	c.end()
	if c.ran.Load() != 1 {
		t.Fatalf("%d collections after a rebuild as large as the heap, want 1", c.ran.Load())
	}
	deadline := time.Now().Add(time.Minute)
	for c.running.Load() {
		if time.Now().After(deadline) {
			t.Fatal("the collection did not end")
		}
		time.Sleep(time.Millisecond)
	}
}

var garbage []byte
