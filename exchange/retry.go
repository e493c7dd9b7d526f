package exchange

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RetryPolicy says how throttling answers are waited out: a 429 or 503 that carries Retry-After is
// retried after the advised delay, at most Max times, each wait capped at MaxWait, and all the waits
// of one Client together capped at Budget. Without Retry-After, or once the budget is spent, the
// answer is returned as is: the spec judges it.
type RetryPolicy struct {
	Max     int
	MaxWait time.Duration
	// Budget bounds the total time a Client waits out throttling, over all its requests (the wall
	// time of its pauses: concurrent requests waiting out the same pause spend it once); 0 means
	// no bound beyond Max × MaxWait per request. Without it a target that always answers
	// "429, Retry-After: 10" would hold a run of 41 specs for about 20 minutes.
	Budget time.Duration
}

// DefaultRetry waits out up to 3 throttling answers of at most 10 s each (Graph advises seconds),
// and at most one minute in a whole run.
var DefaultRetry = RetryPolicy{Max: 3, MaxWait: 10 * time.Second, Budget: time.Minute}

func (p RetryPolicy) next(status int, header http.Header, done int) (time.Duration, bool) {
	if done >= p.Max || (status != http.StatusTooManyRequests && status != http.StatusServiceUnavailable) {
		return 0, false
	}
	d, ok := ParseRetryAfter(header.Get("Retry-After"), time.Now())
	if !ok {
		return 0, false
	}
	if d > p.MaxWait {
		d = p.MaxWait
	}
	return d, true
}

// ParseRetryAfter reads delay-seconds or an HTTP-date (RFC 9110 §10.2.3), and also the fractional
// seconds Graph itself sends ("2.128", throttling.md) which the RFC grammar does not allow.
func ParseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if !(secs >= 0 && secs <= 24*3600) { // also refuses NaN, which compares false to everything
			return 0, false
		}
		return time.Duration(secs * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

// retrying sends until the answer is not a throttling one the policy waits out, and returns how
// many answers were waited out. send reports the status and headers of what it received; Do and
// DoWire keep the answer itself, so both honour Retry-After the same way. Every attempt first waits
// for the client's pause and rate slot (hold), so a Retry-After holds all the client's requests.
func (c *Client) retrying(ctx context.Context, r Request, send func() (int, http.Header, error)) (int, error) {
	last := 0 // the status being waited out, 0 before the first answer
	for retries := 0; ; retries++ {
		if err := c.hold(ctx); err != nil {
			return retries, c.gaveUp(r, last, err)
		}
		status, header, err := send()
		if err != nil {
			return retries, err
		}
		c.observe(status)
		wait, ok := c.Retry.next(status, header, retries)
		if !ok || !c.spend(wait) {
			return retries, nil
		}
		last = status
	}
}
