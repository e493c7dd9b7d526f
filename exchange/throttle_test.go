package exchange

import (
	"net/http"
	"sync"
	"testing"
	"time"
)

// A Retry-After holds every request of the client, and concurrent requests waiting out the same
// pause charge the budget once: eight requests throttled together stay within a budget of two
// pauses, where eight separate waits would have spent it.
func TestRetryPauseIsShared(t *testing.T) {
	t.Parallel()
	log, base := throttled(t, 8, http.StatusTooManyRequests, "0.2")
	c := client(5*time.Second, &RetryPolicy{Max: 3, MaxWait: time.Second, Budget: 500 * time.Millisecond})
	var wg sync.WaitGroup
	statuses := make([]int, 8)
	for i := range statuses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := c.Do(t.Context(), post(base))
			if err != nil {
				t.Error(err)
				return
			}
			statuses[i] = resp.Status
		}()
	}
	wg.Wait()
	for i, s := range statuses {
		if s != http.StatusNoContent {
			t.Errorf("request %d ended %d: the shared budget ran out", i, s)
		}
	}
	th := c.Throttling()
	if th.Answers != 8 || th.Waited > th.Budget || th.Waited <= 0 || log.Requests() != 16 {
		t.Errorf("throttling %+v after %d requests; want 8 answers, waited within the budget, 16 requests", th, log.Requests())
	}
}

// Observe hears every answer; the rate cap is reported.
func TestObserveAndRate(t *testing.T) {
	t.Parallel()
	_, base := throttled(t, 1, http.StatusTooManyRequests, "0")
	c := client(5*time.Second, nil)
	c.SetRate(1000)
	var got []bool
	c.Observe = func(throttled bool) { got = append(got, throttled) }
	if resp, err := c.Do(t.Context(), post(base)); err != nil || resp.Status != http.StatusNoContent {
		t.Fatalf("%v %+v", err, resp)
	}
	if len(got) != 2 || !got[0] || got[1] {
		t.Errorf("observed %v, want [true false]", got)
	}
	if th := c.Throttling(); th.RequestsPerSecond != 1000 || th.Answers != 1 {
		t.Errorf("throttling %+v", th)
	}
}
