package exchange

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// TestDoWireWaitsOutThrottling: the raw path used for DISC-002 honours Retry-After like Do, so a
// throttled 204 check is judged on the 204, not on the 429.
func TestDoWireWaitsOutThrottling(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			w.Header().Set("Retry-After", "0.05")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	c := New(Options{Timeout: 5 * time.Second})
	w, err := c.DoWire(context.Background(), Request{Method: "POST", URL: srv.URL + "/x"})
	if err != nil {
		t.Fatal(err)
	}
	if w.Status != http.StatusNoContent || hits.Load() != 2 {
		t.Errorf("status %d after %d requests, want 204 after 2", w.Status, hits.Load())
	}

	// Bounded like Do: a target that always throttles is answered after Max retries.
	var throttled atomic.Int32
	always := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		throttled.Add(1)
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer always.Close()
	c = New(Options{Timeout: 5 * time.Second, Retry: &RetryPolicy{Max: 2, MaxWait: 10 * time.Millisecond}})
	w, err = c.DoWire(context.Background(), Request{Method: "POST", URL: always.URL + "/x"})
	if err != nil || w.Status != http.StatusTooManyRequests || throttled.Load() != 3 {
		t.Errorf("always throttled: err %v, %d requests; want the 429 after 3", err, throttled.Load())
	}
}
