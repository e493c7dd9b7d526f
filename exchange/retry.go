package exchange

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RetryPolicy says how throttling answers are waited out: a 429 or 503 that carries Retry-After is
// retried after the advised delay, at most Max times, each wait capped at MaxWait. Without
// Retry-After the answer is returned as is: the spec judges it.
type RetryPolicy struct {
	Max     int
	MaxWait time.Duration
}

// DefaultRetry waits out up to 3 throttling answers of at most 10 s each (Graph advises seconds).
var DefaultRetry = RetryPolicy{Max: 3, MaxWait: 10 * time.Second}

func (p RetryPolicy) next(resp *Response, done int) (time.Duration, bool) {
	if done >= p.Max || (resp.Status != http.StatusTooManyRequests && resp.Status != http.StatusServiceUnavailable) {
		return 0, false
	}
	d, ok := ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
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
		if secs < 0 || secs > 24*3600 {
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
