package exchange

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// throttle is what the concurrent requests of one Client share about the target's throttling: the
// end of the latest Retry-After pause (no request of the client is sent before it: Graph throttles
// per app and tenant, so one 429 speaks for every request in flight), the waiting charged to the
// retry budget, and the optional request-rate cap.
type throttle struct {
	mu    sync.Mutex
	until time.Time // no request is sent before this
	// waited is the wall time the client spent paused by Retry-After: the union of the pauses, so
	// eight requests waiting out the same second spend one second of the budget, not eight.
	waited  time.Duration
	answers int // 429/503 answers received
	// interval is the gap between requests of the rate cap (0: no cap); next is the earliest start of
	// the next request.
	interval time.Duration
	next     time.Time
	paced    time.Duration // wall time requests waited for the rate cap (the union of the waits)
	pacedEnd time.Time
}

// Throttling is what a run spent on the target's throttling, for its report.
type Throttling struct {
	// Answers counts the 429 and 503 answers received (waited out or not).
	Answers int `json:"answers"`
	// Waited is the wall time requests were held by Retry-After; Budget bounds it (0: no bound).
	Waited time.Duration `json:"waited"`
	Budget time.Duration `json:"budget"`
	// Paced is the wall time requests waited for the rate cap (RequestsPerSecond, 0: none).
	Paced             time.Duration `json:"paced,omitempty"`
	RequestsPerSecond float64       `json:"requestsPerSecond,omitempty"`
}

// SetRate caps the client's requests at perSecond (0 or less: no cap). Call it before the first
// request.
func (c *Client) SetRate(perSecond float64) {
	c.throttle.mu.Lock()
	defer c.throttle.mu.Unlock()
	c.throttle.interval = 0
	if perSecond > 0 {
		c.throttle.interval = time.Duration(float64(time.Second) / perSecond)
	}
}

// KeepConnections keeps up to n idle connections to the target (at least 16), so that n requests
// at once reuse theirs instead of opening (and, over TLS, handshaking) new ones. Call it before the
// first request.
func (c *Client) KeepConnections(n int) {
	if tr, ok := c.HTTP.Transport.(*http.Transport); ok && n > tr.MaxIdleConnsPerHost {
		tr.MaxIdleConnsPerHost = n
	}
}

// Throttling reports what the client has spent on throttling so far.
func (c *Client) Throttling() Throttling {
	c.throttle.mu.Lock()
	defer c.throttle.mu.Unlock()
	t := Throttling{Answers: c.throttle.answers, Waited: c.throttle.waited, Budget: c.Retry.Budget, Paced: c.throttle.paced}
	if c.throttle.interval > 0 {
		t.RequestsPerSecond = float64(time.Second) / float64(c.throttle.interval)
	}
	return t
}

// spend extends the client's pause to d from now, charging the retry budget with the part that
// lies beyond the pause already running; false when that does not fit (nothing is charged).
func (c *Client) spend(d time.Duration) bool {
	t := &c.throttle
	t.mu.Lock()
	defer t.mu.Unlock()
	now := time.Now()
	end := now.Add(d)
	charge := end.Sub(later(now, t.until))
	if charge < 0 {
		charge = 0
	}
	if c.Retry.Budget > 0 && t.waited+charge > c.Retry.Budget {
		return false
	}
	t.waited += charge
	t.until = later(t.until, end)
	return true
}

// hold waits, before a request is sent, for the client's Retry-After pause to end and for the
// request's slot under the rate cap. Without either it returns at once.
func (c *Client) hold(ctx context.Context) error {
	t := &c.throttle
	t.mu.Lock()
	now := time.Now()
	start := later(now, t.until)
	if t.interval > 0 {
		start = later(start, t.next)
		t.next = start.Add(t.interval)
		// Slots are handed out in order, so the waits' union grows by what lies past the last one.
		if paced := start.Sub(later(later(now, t.until), t.pacedEnd)); paced > 0 {
			t.paced += paced
		}
		t.pacedEnd = later(t.pacedEnd, start)
	}
	t.mu.Unlock()
	d := time.Until(start)
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// observe counts a throttling answer and tells Observe (the scheduler's concurrency control)
// whether the answer was one.
func (c *Client) observe(status int) {
	throttled := status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable
	if throttled {
		c.throttle.mu.Lock()
		c.throttle.answers++
		c.throttle.mu.Unlock()
	}
	if c.Observe != nil {
		c.Observe(throttled)
	}
}

// gaveUp is the error of a request whose context ended while it waited.
func (c *Client) gaveUp(r Request, status int, err error) error {
	if status == 0 {
		return fmt.Errorf("%s %s: gave up waiting for the target's throttling pause or the rate cap: %w", r.Method, c.Redactor.String(r.URL), err)
	}
	return fmt.Errorf("%s %s: gave up waiting out a %d (Retry-After): %w", r.Method, c.Redactor.String(r.URL), status, err)
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
