package schedule

import (
	"sync"
	"time"
)

// AIMD is a concurrency limit between 1 and Max: every answer that is not throttling adds 1/limit
// (one more job in flight per limit's worth of answers), a throttling answer halves it. The answers
// to requests already in flight when a cut happens say the same thing again, so cuts are at least
// Cooldown apart.
type AIMD struct {
	Max      int
	Cooldown time.Duration

	mu      sync.Mutex
	limit   float64
	low     float64 // the lowest limit reached
	cuts    int
	lastCut time.Time
	changed func() // wakes the pool's workers
}

// NewAIMD starts at max.
func NewAIMD(max int, cooldown time.Duration) *AIMD {
	if max < 1 {
		max = 1
	}
	return &AIMD{Max: max, Cooldown: cooldown, limit: float64(max), low: float64(max)}
}

// Limit is the number of jobs allowed in flight now.
func (a *AIMD) Limit() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return int(a.limit)
}

// Observe takes one answer: throttled or not.
func (a *AIMD) Observe(throttled bool) {
	a.mu.Lock()
	before := int(a.limit)
	now := time.Now()
	switch {
	case throttled && now.Sub(a.lastCut) >= a.Cooldown:
		a.limit = max(1, a.limit/2)
		a.low = min(a.low, a.limit)
		a.cuts++
		a.lastCut = now
	case !throttled && a.limit < float64(a.Max):
		a.limit = min(float64(a.Max), a.limit+1/a.limit)
	}
	raised := int(a.limit) > before
	changed := a.changed
	a.mu.Unlock()
	if raised && changed != nil {
		changed()
	}
}

// Stats are the cuts made and the lowest limit reached.
func (a *AIMD) Stats() (cuts, lowest int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.cuts, int(a.low)
}
