package runner

import "testing"

// TestMemoryLimit: a soft limit for runs whose live data fits under it with headroom, none for
// larger runs (the collector would never stop) nor over the user's GOMEMLIMIT.
func TestMemoryLimit(t *testing.T) {
	for _, c := range []struct {
		specs   int
		userSet bool
		want    int64
	}{
		{72, false, softMemoryLimit},
		{71_250, false, softMemoryLimit}, // 1,000 generated actions
		{356_250, false, 0},              // 5,000: its live data is over the limit
		{72, true, 0},
	} {
		if got := memoryLimit(c.specs, c.userSet); got != c.want {
			t.Errorf("memoryLimit(%d, %v) = %d, want %d", c.specs, c.userSet, got, c.want)
		}
	}
}
