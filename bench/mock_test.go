package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/graphconform/graphconform/fixtures/mock"
	"github.com/graphconform/graphconform/fixtures/token"
	"github.com/graphconform/graphconform/persona"
)

// Bounds of one load run: this many requests, or this long, whichever comes first.
const (
	loadRequests = 4000
	loadCap      = 20 * time.Second
)

// BenchmarkMockThroughput loads the reference mock on 127.0.0.1 from W goroutines over keep-alive
// connections (a Go load loop; the mock and the load share this process and its cores). Requests:
//
//   - action: the documented disconnect (admin token, existing partner) answered 204: the full
//     pipeline, an RS256 verification included;
//
//   - unauthenticated: the same without a token, refused 401 before any token work.
//
//   - action-uncached: the action on a mock without its token cache: RS256 on every request.
//
// Metrics per run of loadRequests: req/s and latency percentiles in microseconds.
func BenchmarkMockThroughput(b *testing.B) {
	personas, err := token.MintSet(persona.Fixture(), time.Hour)
	if err != nil {
		b.Fatal(err)
	}
	admin, _ := personas.Lookup("admin")
	auth := "Bearer " + admin.Token
	// uncached: a mock given its own verifier verifies every token (no token cache): the cost of
	// RS256 per request, for comparison.
	uncached := mock.Options{Verifier: token.Fixture().Verifier(token.VerifierOptions{})}
	for _, v := range []struct {
		name   string
		opts   mock.Options
		auth   string
		status int
	}{
		{"action", mock.Options{}, auth, http.StatusNoContent},
		{"action-uncached", uncached, auth, http.StatusNoContent},
		{"unauthenticated", mock.Options{}, "", http.StatusUnauthorized},
	} {
		url := serveAction(b, v.opts, auth)
		for _, workers := range []int{1, 4, 16} {
			b.Run(fmt.Sprintf("%s/workers=%d", v.name, workers), func(b *testing.B) {
				var lat []time.Duration
				var took time.Duration
				for b.Loop() {
					l, d, err := load(url, v.auth, v.status, workers)
					if err != nil {
						b.Fatal(err)
					}
					lat, took = append(lat, l...), took+d
				}
				slices.Sort(lat)
				pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) }
				b.ReportMetric(float64(len(lat))/took.Seconds(), "req/s")
				b.ReportMetric(pct(0.50), "p50-µs")
				b.ReportMetric(pct(0.90), "p90-µs")
				b.ReportMetric(pct(0.99), "p99-µs")
				b.ReportMetric(pct(1), "max-µs")
			})
		}
	}
}

// serveAction starts a mock and returns the URL of disconnect on a partner it holds.
func serveAction(b *testing.B, opts mock.Options, auth string) string {
	m, err := mock.New(opts)
	if err != nil {
		b.Fatal(err)
	}
	srv, err := mock.Start(m)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { srv.Close() })
	return srv.URL + "/deviceManagement/remoteAssistancePartners/" + createPartner(b, srv.URL, auth) + "/disconnect"
}

// load sends loadRequests POSTs from workers goroutines and returns each request's latency.
func load(url, auth string, status, workers int) ([]time.Duration, time.Duration, error) {
	ctx, cancel := context.WithTimeout(context.Background(), loadCap)
	defer cancel()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers}}
	defer client.CloseIdleConnections()
	jobs := make(chan struct{}, loadRequests)
	for range loadRequests {
		jobs <- struct{}{}
	}
	close(jobs)
	lats := make([][]time.Duration, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range jobs {
				if ctx.Err() != nil {
					return
				}
				t0 := time.Now()
				if err := post(ctx, client, url, auth, status); err != nil {
					errs[w] = err
					return
				}
				lats[w] = append(lats[w], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	took := time.Since(start)
	var all []time.Duration
	for w := range workers {
		if errs[w] != nil {
			return nil, 0, errs[w]
		}
		all = append(all, lats[w]...)
	}
	return all, took, nil
}

func post(ctx context.Context, client *http.Client, url, auth string, status int) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, nil)
	if err != nil {
		return err
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != status {
		return fmt.Errorf("POST %s: %d, want %d", url, resp.StatusCode, status)
	}
	return nil
}

// createPartner makes the entity the action is called on.
func createPartner(b *testing.B, base, auth string) string {
	req, _ := http.NewRequest(http.MethodPost, base+"/deviceManagement/remoteAssistancePartners",
		strings.NewReader(`{"displayName":"bench","onboardingStatus":"onboarded"}`))
	req.Header.Set("Authorization", auth)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var e struct{ ID string }
	if json.Unmarshal(body, &e); resp.StatusCode != http.StatusCreated || e.ID == "" {
		b.Fatalf("create: %d %s", resp.StatusCode, body)
	}
	return e.ID
}
