package runner

import (
	"os"
	"runtime/debug"
)

// Go collects when the heap has doubled since the last collection (GOGC=100), so a run's peak RSS
// is about twice its live data: at 1,000 actions (71,250 specs, about 475 MB live, most of it
// Ginkgo's per-spec state) that was 1,067 MiB. A soft memory limit makes the collector run before
// the doubling once the heap nears it, at no measured cost there (bench/RESULTS.md §9). Below
// the live data, though, a limit makes the collector run all the time: so the limit is set only
// for runs whose expected live data leaves it half as much again of headroom, and never over a
// GOMEMLIMIT the user chose.
const (
	softMemoryLimit = 900 << 20
	// liveBytesPerSpec is the live heap a spec costs at its largest (after every spec reported),
	// measured at 1,000 generated actions: 475 MB / 71,250 specs, rounded up.
	liveBytesPerSpec = 7 << 10
)

// memoryLimit is the soft limit for a run of n specs, or 0 to leave Go's default.
func memoryLimit(n int, userSet bool) int64 {
	if userSet || int64(n)*liveBytesPerSpec*3/2 > softMemoryLimit {
		return 0
	}
	return softMemoryLimit
}

// limitMemory applies memoryLimit to this process.
func limitMemory(n int) {
	_, userSet := os.LookupEnv("GOMEMLIMIT")
	if limit := memoryLimit(n, userSet); limit > 0 {
		debug.SetMemoryLimit(limit)
	}
}
