package spec

// Hooks for cache_test.go, which is package spec_test because it generates descriptions with
// graphgen (which imports spec).

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

// CountParses counts the uncached parses until the test ends; delay slows each one down.
func CountParses(t testing.TB, delay time.Duration) *atomic.Int64 {
	n, orig := new(atomic.Int64), parse
	parse = func(ctx context.Context, name string, data []byte, opts Options) (Built, error) {
		n.Add(1)
		time.Sleep(delay)
		return orig(ctx, name, data, opts)
	}
	t.Cleanup(func() { parse = orig })
	return n
}

// SetLockTimings shortens the lock's timings until the test ends.
func SetLockTimings(t testing.TB, poll, beat, stale, wait time.Duration) {
	p, b, s, w := lockPoll, lockBeat, lockStale, lockWait
	lockPoll, lockBeat, lockStale, lockWait = poll, beat, stale, wait
	t.Cleanup(func() { lockPoll, lockBeat, lockStale, lockWait = p, b, s, w })
}

// SetBuildIdentity stands in for another build of graphconform until the test ends.
func SetBuildIdentity(t testing.TB, id string) {
	orig := buildIdentity
	buildIdentity = func() string { return id }
	t.Cleanup(func() { buildIdentity = orig })
}

// BuildIdentity is this test binary's identity.
func BuildIdentity() string { return buildIdentity() }
