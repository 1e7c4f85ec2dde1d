package cli

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
)

// memoryFloor is the memory limit a build always has at least: a site of
// a few thousand posts never reaches it, so small sites collect as Go's
// runtime would without a limit.
const memoryFloor = 160 << 20

// holdMemory keeps the heap within half again of what is live, and at
// least floor, unless GOMEMLIMIT is set (then Go's runtime does as told).
//
// Go's collector lets the heap grow to twice its live part before it
// collects. At 50,000 posts a build's live heap is a few hundred MB, and
// doubling it is what a small server cannot give. A fixed limit is no
// answer: once the live heap nears it, the collector runs without end.
// So after each collection the limit is set again from the live heap,
// max(floor, 1.5 × live + slack): it follows a large site up, and a small
// site never reaches it. The price is more collections on large sites.
// stop ends the adjustments and puts back the limit there was.
func holdMemory(floor int64) (stop func()) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	prev := debug.SetMemoryLimit(-1)
	h := &memoryHolder{floor: floor, sample: []metrics.Sample{{Name: "/gc/heap/live:bytes"}}}
	h.adjust()
	h.arm()
	return func() {
		h.stopped.Store(true)
		debug.SetMemoryLimit(prev)
	}
}

type memoryHolder struct {
	floor   int64
	sample  []metrics.Sample // used by one cleanup at a time
	stopped atomic.Bool
	limit   atomic.Int64 // the last limit set, for tests
}

// sentinel is garbage the moment it is made; its cleanup runs after the
// collection that frees it. It holds a pointer so that it is not one of
// the tiny objects the runtime packs together.
type sentinel struct {
	_ *byte
	_ [16]byte
}

func (h *memoryHolder) arm() {
	runtime.AddCleanup(new(sentinel), func(h *memoryHolder) {
		if h.stopped.Load() {
			return
		}
		h.adjust()
		h.arm()
	}, h)
}

func (h *memoryHolder) adjust() {
	metrics.Read(h.sample)
	var live int64
	if v := h.sample[0].Value; v.Kind() == metrics.KindUint64 {
		live = int64(min(v.Uint64(), 1<<62))
	}
	limit := max(h.floor, memoryLimitFor(live))
	h.limit.Store(limit)
	debug.SetMemoryLimit(limit)
}

// memoryLimitFor is the limit for a live heap of live bytes: half again
// as much, and 16 MiB for what is not heap (stacks, the runtime's own).
func memoryLimitFor(live int64) int64 {
	return live + live/2 + 16<<20
}

// collector runs the garbage collector between rebuilds of serve and
// build --watch, when the next rebuild would otherwise start it: at 10,000
// posts the live heap is a few hundred MB (serve holds every output), and
// a collection marking it during a rebuild slowed that rebuild by tens of
// milliseconds, every few rebuilds. Run after a rebuild is shown, it costs
// the same but nobody waits for it.
type collector struct {
	sample  []metrics.Sample // heap goal, heap in use, bytes allocated so far
	before  uint64           // allocated when the rebuild began
	running atomic.Bool
	ran     atomic.Int64 // collections started, for tests
}

func newCollector() *collector {
	return &collector{sample: []metrics.Sample{
		{Name: "/gc/heap/goal:bytes"},
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/gc/heap/allocs:bytes"},
	}}
}

func (c *collector) read() (goal, heap, allocs uint64, ok bool) {
	metrics.Read(c.sample)
	for _, s := range c.sample {
		if s.Value.Kind() != metrics.KindUint64 {
			return 0, 0, 0, false
		}
	}
	return c.sample[0].Value.Uint64(), c.sample[1].Value.Uint64(), c.sample[2].Value.Uint64(), true
}

// begin notes the start of a rebuild.
func (c *collector) begin() {
	if _, _, allocs, ok := c.read(); ok {
		c.before = allocs
	}
}

// end is called once a rebuild is shown: it starts a collection in the
// background when the heap is within two rebuilds' allocations of the goal
// at which the runtime would start one.
func (c *collector) end() {
	goal, heap, allocs, ok := c.read()
	if !ok || !collectNow(goal, heap, allocs-c.before) || c.running.Swap(true) {
		return
	}
	c.ran.Add(1)
	go func() {
		defer c.running.Store(false)
		runtime.GC()
	}()
}

// collectNow reports whether a heap of heap bytes, whose collector starts
// at goal, should be collected now, ahead of a rebuild that allocates
// about rebuild bytes.
func collectNow(goal, heap, rebuild uint64) bool {
	return rebuild > 0 && heap+2*rebuild >= goal
}
