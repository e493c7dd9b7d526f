package schedule_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/graphconform/graphconform/exchange"
	"github.com/graphconform/graphconform/schedule"
)

// target.timeout bounds a request from when it is sent, not from when its case was queued behind
// the concurrency limit: with one slot and a target that takes a quarter of the timeout per
// request, the last of 20 cases waits several timeouts in the queue and still gets its answer.
// A request the target holds past the timeout still times out: the bound is in force.
func TestTimeoutCountsFromTheSend(t *testing.T) {
	const timeout = 2 * time.Second
	var served atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if r.URL.Path == "/held" {
			<-r.Context().Done() // answered never: only the client's timeout ends it
			return
		}
		time.Sleep(timeout / 8)
		served.Add(1)
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	c := exchange.New(exchange.Options{Timeout: timeout})

	const jobs = 20 // the last waits 19 × timeout/8 ≈ 2.4 timeouts in the queue
	start := time.Now()
	pool := schedule.New(context.Background(), jobs, schedule.Options{Max: 1}, func(ctx context.Context, job int) error {
		_, err := c.Do(ctx, exchange.Request{Method: http.MethodPost, URL: srv.URL + "/action"})
		return err
	})
	defer pool.Close()
	all := make([]int, jobs)
	for i := range all {
		all[i] = i
	}
	pool.Submit(all...)
	for i := range all {
		err, werr := pool.Wait(context.Background(), i)
		if werr != nil || err != nil {
			t.Errorf("case %d: %v %v", i, werr, err)
		}
	}
	if queued := time.Since(start); queued < timeout {
		// The queue did not outlast the timeout (the server answered faster than it sleeps?):
		// the test would prove nothing.
		t.Fatalf("20 one-at-a-time requests of %s each took only %s", timeout/8, queued)
	}
	if served.Load() != jobs {
		t.Errorf("%d of %d requests answered", served.Load(), jobs)
	}

	_, err := c.Do(context.Background(), exchange.Request{Method: http.MethodPost, URL: srv.URL + "/held"})
	if err == nil || !strings.Contains(err.Error(), "(timeout)") {
		t.Errorf("a held request: %v, want a timeout", err)
	}
}
