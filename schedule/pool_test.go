package schedule

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/graphconform/graphconform/exchange"
)

// With one worker the jobs run in submission order, except one a caller waits for, which runs next.
func TestPoolOrder(t *testing.T) {
	var mu sync.Mutex
	var ran []int
	gate, holding := make(chan struct{}), make(chan struct{})
	p := New(t.Context(), 6, Options{Max: 1}, func(_ context.Context, j int) int {
		if j == 0 {
			close(holding)
			<-gate // hold the only worker until everything is queued
		}
		mu.Lock()
		ran = append(ran, j)
		mu.Unlock()
		return j * 10
	})
	defer p.Close()
	p.Submit(0, 1, 2, 3, 4)
	<-holding
	waited := make(chan int)
	go func() {
		v, err := p.Wait(t.Context(), 4)
		if err != nil {
			t.Error(err)
		}
		waited <- v
	}()
	// Wait for the waiter to have moved job 4 forward before the worker picks again.
	for !queuedInFront(p, 4) {
		time.Sleep(time.Millisecond)
	}
	close(gate)
	if v := <-waited; v != 40 {
		t.Errorf("job 4 = %d, want 40", v)
	}
	for _, j := range []int{0, 1, 2, 3, 5} { // 5 was never submitted: Wait runs it on demand
		if v, err := p.Wait(t.Context(), j); err != nil || v != j*10 {
			t.Errorf("job %d = %d, %v", j, v, err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if want := []int{0, 4, 1, 2, 3, 5}; !equal(ran, want) {
		t.Errorf("ran %v, want %v", ran, want)
	}
}

func queuedInFront[T any](p *Pool[T], j int) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, f := range p.front {
		if f == j {
			return true
		}
	}
	return false
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// A job taken by Wait runs again when waited for again (Ginkgo's flake attempts run a spec twice).
func TestPoolRerun(t *testing.T) {
	var runs atomic.Int32
	p := New(t.Context(), 1, Options{Max: 2}, func(context.Context, int) int32 { return runs.Add(1) })
	defer p.Close()
	p.Submit(0)
	a, _ := p.Wait(t.Context(), 0)
	b, _ := p.Wait(t.Context(), 0)
	if a != 1 || b != 2 {
		t.Errorf("runs %d, %d; want 1, 2", a, b)
	}
}

// Cancelling the pool ends the context of the jobs in flight; jobs not started never start, and
// their waiters get an error, not a result.
func TestPoolCancel(t *testing.T) {
	started := make(chan struct{}, 4)
	var finished, cancelled atomic.Int32
	p := New(t.Context(), 10, Options{Max: 2}, func(ctx context.Context, j int) int {
		started <- struct{}{}
		<-ctx.Done()
		cancelled.Add(1)
		finished.Add(1)
		return j
	})
	p.Submit(0, 1, 2, 3, 4, 5, 6, 7, 8, 9)
	<-started
	<-started
	ctx, cancel := context.WithCancel(t.Context())
	errc := make(chan error)
	go func() { _, err := p.Wait(ctx, 9); errc <- err }()
	cancel() // the spec's context ends: its Wait returns at once
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("Wait after the caller's cancel: %v", err)
	}
	p.Close() // returns only once both running jobs saw their context end
	if cancelled.Load() != 2 || finished.Load() != 2 {
		t.Errorf("%d jobs ran to the cancel, %d finished; want 2 and 2 (no queued job may start)", cancelled.Load(), finished.Load())
	}
	if _, err := p.Wait(t.Context(), 5); err == nil || !strings.Contains(err.Error(), "stopped before this case ran") {
		t.Errorf("Wait on a closed pool: %v", err)
	}
}

// A panic in a job panics in its waiter (the spec), not in a worker, which would end the process.
func TestPoolPanic(t *testing.T) {
	p := New(t.Context(), 2, Options{Max: 2}, func(_ context.Context, j int) int {
		if j == 1 {
			panic("boom")
		}
		return j
	})
	defer p.Close()
	p.Submit(0, 1)
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "boom") {
			t.Errorf("recovered %v, want the job's panic", r)
		}
	}()
	_, _ = p.Wait(t.Context(), 1)
	t.Error("Wait returned from a panicked job")
}

// Jobs of one lane never overlap an exclusive job of the lane; others do run together.
func TestPoolLanes(t *testing.T) {
	var mu sync.Mutex
	active := map[string]int{}
	var overlapped, together atomic.Bool
	lane := func(j int) (string, bool) {
		switch {
		case j < 8:
			return "a", j == 3 // job 3 changes entity a
		case j < 16:
			return "", false
		}
		return "b", false
	}
	p := New(t.Context(), 24, Options{Max: 8, Lane: lane}, func(_ context.Context, j int) int {
		key, excl := lane(j)
		mu.Lock()
		active[key]++
		if key == "a" && excl && active["a"] > 1 {
			overlapped.Store(true)
		}
		if key == "a" && !excl && active["a+"] > 0 {
			overlapped.Store(true)
		}
		if excl {
			active["a+"]++
		}
		if active["b"] > 1 {
			together.Store(true)
		}
		mu.Unlock()
		time.Sleep(5 * time.Millisecond)
		mu.Lock()
		active[key]--
		if excl {
			active["a+"]--
		}
		mu.Unlock()
		return j
	})
	defer p.Close()
	var all []int
	for j := range 24 {
		all = append(all, j)
	}
	p.Submit(all...)
	for _, j := range all {
		if _, err := p.Wait(t.Context(), j); err != nil {
			t.Fatal(err)
		}
	}
	if overlapped.Load() {
		t.Error("an exclusive job overlapped another of its lane")
	}
	if !together.Load() {
		t.Error("the non-exclusive jobs of lane b never ran together")
	}
}

// countingServer counts the requests in flight at once; throttle makes it answer 429 with
// Retry-After to every request while set.
type countingServer struct {
	inflight, peak atomic.Int32
	throttle       atomic.Bool
	release        chan struct{}
}

func (s *countingServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := s.inflight.Add(1)
	defer s.inflight.Add(-1)
	for {
		p := s.peak.Load()
		if n <= p || s.peak.CompareAndSwap(p, n) {
			break
		}
	}
	if s.throttle.Load() {
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(http.StatusTooManyRequests)
		return
	}
	<-s.release // every request waits until the test lets them go
	w.WriteHeader(http.StatusNoContent)
}

// The jobs in flight, as the target sees them, never exceed Max; and Max of them do run at once.
func TestPoolBoundsConcurrencyAtTheTarget(t *testing.T) {
	cs := &countingServer{release: make(chan struct{})}
	srv := httptest.NewServer(cs)
	defer srv.Close()
	c := exchange.New(exchange.Options{})
	const max = 4
	p := New(t.Context(), 20, Options{Max: max}, func(ctx context.Context, j int) int {
		resp, err := c.Do(ctx, exchange.Request{Method: "GET", URL: srv.URL})
		if err != nil {
			return 0
		}
		return resp.Status
	})
	defer p.Close()
	for j := range 20 {
		p.Submit(j)
	}
	for cs.inflight.Load() < max {
		time.Sleep(time.Millisecond)
	}
	close(cs.release)
	for j := range 20 {
		if v, err := p.Wait(t.Context(), j); err != nil || v != http.StatusNoContent {
			t.Fatalf("job %d: %d %v", j, v, err)
		}
	}
	if got := cs.peak.Load(); got != max || p.Peak() != max {
		t.Errorf("peak at the target %d, in the pool %d; want %d", got, p.Peak(), max)
	}
}

// A 429 halves the limit, and the pool then starts no more jobs than the limit allows; answers
// that are not throttling raise it back.
func TestAIMDOn429(t *testing.T) {
	cs := &countingServer{release: make(chan struct{})}
	cs.throttle.Store(true)
	srv := httptest.NewServer(cs)
	defer srv.Close()
	close(cs.release)
	a := NewAIMD(8, time.Hour) // one cut only: the test counts it
	noRetry := exchange.RetryPolicy{}
	c := exchange.New(exchange.Options{Retry: &noRetry})
	c.Observe = a.Observe
	resp, err := c.Do(t.Context(), exchange.Request{Method: "GET", URL: srv.URL})
	if err != nil || resp.Status != http.StatusTooManyRequests {
		t.Fatalf("%v %+v", err, resp)
	}
	if a.Limit() != 4 {
		t.Fatalf("limit after a 429: %d, want 4", a.Limit())
	}
	_, _ = c.Do(t.Context(), exchange.Request{Method: "GET", URL: srv.URL})
	if a.Limit() != 4 {
		t.Errorf("limit after a second 429 within the cooldown: %d, want 4", a.Limit())
	}
	if cuts, low := a.Stats(); cuts != 1 || low != 4 {
		t.Errorf("stats %d cuts, lowest %d; want 1, 4", cuts, low)
	}
	// The pool honours the lowered limit: 4 of its 8 workers run.
	cs.throttle.Store(false)
	hold := make(chan struct{})
	cs.release = hold
	var running, peak atomic.Int32
	p := New(t.Context(), 16, Options{Max: 8, AIMD: a}, func(ctx context.Context, j int) int {
		n := running.Add(1)
		defer running.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		<-hold
		return j
	})
	defer p.Close()
	all := make([]int, 16)
	for j := range all {
		all[j] = j
	}
	p.Submit(all...)
	for running.Load() < 4 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond) // give a wrong fifth worker the chance to start
	if n := running.Load(); n != 4 {
		t.Errorf("%d jobs in flight under a limit of 4", n)
	}
	close(hold)
	for _, j := range all {
		_, _ = p.Wait(t.Context(), j)
	}
	for range 100 {
		a.Observe(false)
	}
	if a.Limit() != 8 {
		t.Errorf("limit after 100 good answers: %d, want back at 8", a.Limit())
	}
	if peak.Load() > 4 {
		t.Errorf("peak %d under a limit of 4", peak.Load())
	}
}
