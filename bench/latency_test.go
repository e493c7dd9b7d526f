package bench

import (
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/graphconform/graphconform/fixtures/mock"
	"github.com/graphconform/graphconform/graphgen"
)

// latency delays every answer of next by d: a remote target as the suite sees it, on loopback.
func latency(next http.Handler, d time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(d)
		next.ServeHTTP(w, r)
	})
}

// throttling answers every nth request (n = 5: 20 %) with 429 and Retry-After instead of passing it
// on, the way Graph answers an app over its limit; the count says how many it refused.
type throttling struct {
	next       http.Handler
	every      int64
	retryAfter string
	n, refused atomic.Int64
}

func (t *throttling) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if t.n.Add(1)%t.every == 0 {
		t.refused.Add(1)
		w.Header().Set("Retry-After", t.retryAfter)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte(`{"error":{"code":"TooManyRequests","message":"throttled"}}`))
		return
	}
	t.next.ServeHTTP(w, r)
}

// referenceTarget serves the reference mock (the shipped description when actions is 0, else the
// generated one's entity sets) on loopback through wrap.
func referenceTarget(tb testing.TB, actions int, wrap func(http.Handler) http.Handler) string {
	tb.Helper()
	opts := mock.Options{}
	if actions > 0 {
		opts.EntitySets = graphgen.ForActions(actions).MockSets()
	}
	m, err := mock.New(opts)
	if err != nil {
		tb.Fatal(err)
	}
	srv, err := mock.Start(wrap(m))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = srv.Close() })
	return srv.URL
}
