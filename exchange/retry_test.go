package exchange

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/graphconform/graphconform/reliability/faults"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, c := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"1", time.Second, true}, {" 3 ", 3 * time.Second, true}, {"0", 0, true},
		{"2.128", 2128 * time.Millisecond, true}, // Graph's own fractional form
		{"86400", 24 * time.Hour, true}, {"86401", 0, false}, {"-1", 0, false},
		{"NaN", 0, false}, {"nan", 0, false}, {"Inf", 0, false}, {"-Inf", 0, false}, {"1e999", 0, false},
		{"", 0, false}, {"soon", 0, false}, {"10 seconds", 0, false},
		{now.Add(5 * time.Second).Format(http.TimeFormat), 5 * time.Second, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true}, // a past date: retry now
		{"Fri, 02 Jan 2026 03:04:65 GMT", 0, false},
	} {
		got, ok := ParseRetryAfter(c.in, now)
		if got != c.want || ok != c.ok {
			t.Errorf("ParseRetryAfter(%q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

// throttled serves a target whose first n answers (all, n < 0) are status + Retry-After: ra.
func throttled(t *testing.T, n, status int, ra string) (*faults.Log, string) {
	log := &faults.Log{}
	_, base := faults.Serve(t, log.Wrap(faults.Throttle(n, status, ra, http.HandlerFunc(noContent))))
	return log, base
}

func TestRetryAfterIsHonoured(t *testing.T) {
	t.Parallel()
	log, base := throttled(t, 2, http.StatusTooManyRequests, "0.3")
	c := client(5*time.Second, nil)
	d := noHang(t, func() {
		resp, err := c.Do(t.Context(), post(base))
		if err != nil || resp.Status != http.StatusNoContent || resp.Retries != 2 {
			t.Fatalf("%v %+v", err, resp)
		}
	})
	if d < 600*time.Millisecond || log.Requests() != 3 {
		t.Errorf("waited %v over %d requests; want ≥ 600ms over 3", d, log.Requests())
	}
	// 503 with Retry-After is throttling too; without it, and for any other 5xx, no retry.
	log503, base503 := throttled(t, 1, http.StatusServiceUnavailable, "0")
	if resp, err := c.Do(t.Context(), post(base503)); err != nil || resp.Status != 204 || log503.Requests() != 2 {
		t.Errorf("503 + Retry-After: %v %+v after %d requests", err, resp, log503.Requests())
	}
	for _, status := range []int{500, 502, 503, 504} {
		storm := &faults.Log{}
		_, b := faults.Serve(t, storm.Wrap(faults.Storm(status)))
		resp, err := c.Do(t.Context(), post(b))
		if err != nil || resp.Status != status || resp.Retries != 0 || storm.Requests() != 1 {
			t.Errorf("%d storm: %v %+v after %d requests", status, err, resp, storm.Requests())
		}
	}
}

// TestRetryIsBounded: "Retry-After: 3600" forever is waited out Max times, MaxWait each, and the
// throttling answer is returned for the spec to judge.
func TestRetryIsBounded(t *testing.T) {
	t.Parallel()
	log, base := throttled(t, -1, http.StatusTooManyRequests, "3600")
	c := client(5*time.Second, &RetryPolicy{Max: 2, MaxWait: 200 * time.Millisecond})
	d := noHang(t, func() {
		resp, err := c.Do(t.Context(), post(base))
		if err != nil || resp.Status != http.StatusTooManyRequests || resp.Retries != 2 {
			t.Fatalf("%v %+v", err, resp)
		}
	})
	if d < 400*time.Millisecond || log.Requests() != 3 {
		t.Errorf("waited %v over %d requests; want ≥ 400ms over 3", d, log.Requests())
	}
	if DefaultRetry.Max <= 0 || DefaultRetry.MaxWait <= 0 || DefaultRetry.Budget <= 0 {
		t.Errorf("DefaultRetry is unbounded: %+v", DefaultRetry)
	}
	t.Logf("default worst case per request: %v waiting + %d × the timeout; per run: %v waiting",
		time.Duration(DefaultRetry.Max)*DefaultRetry.MaxWait, DefaultRetry.Max+1, DefaultRetry.Budget)
}

// TestRetryBudget: the waits of all requests of one client together stay within the budget.
func TestRetryBudget(t *testing.T) {
	t.Parallel()
	log, base := throttled(t, -1, http.StatusTooManyRequests, "1")
	c := client(5*time.Second, &RetryPolicy{Max: 3, MaxWait: 300 * time.Millisecond, Budget: 500 * time.Millisecond})
	noHang(t, func() {
		for i := 0; i < 10; i++ {
			if resp, err := c.Do(t.Context(), post(base)); err != nil || resp.Status != 429 {
				t.Fatalf("request %d: %v %+v", i, err, resp)
			}
		}
	})
	// 300 ms fits once; every other request is answered with the throttling response at once.
	if n := log.Requests(); n != 11 {
		t.Errorf("%d requests reached the target, want 11 (10 + one retry)", n)
	}
}

func TestRetryWaitEndsWithContext(t *testing.T) {
	t.Parallel()
	_, base := throttled(t, -1, http.StatusTooManyRequests, "3600")
	c := client(5*time.Second, nil)
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	noHang(t, func() {
		_, err := c.Do(ctx, post(base))
		wantErr(t, err, "gave up waiting out a 429 (Retry-After)")
	})
}
