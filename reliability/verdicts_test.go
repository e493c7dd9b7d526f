package reliability

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/graphconform/graphconform/fixtures/mock"
	"github.com/graphconform/graphconform/fixtures/mutant"
	"github.com/graphconform/graphconform/reliability/faults"
)

// runAgainst runs the whole suite against base with a 1 s request timeout and returns the result
// and the report directory.
func runAgainst(t *testing.T, base string, args ...string) (result, string) {
	t.Helper()
	dir := t.TempDir()
	cfg := config(t, dir, base, "timeout: 1s")
	reports := filepath.Join(dir, "reports")
	return run(t, dir, append([]string{"run", "--config", cfg, "--report-dir", reports}, args...)...), reports
}

// serial runs one case at a time, for the tests that measure one exchange's bounds (16 MiB bodies,
// huge headers, within a 1 s request timeout): 64 such exchanges at once on 2 cores compete for the
// CPU inside that timeout.
var serial = []string{"--concurrency", "1"}

// TestMisbehavingTargets: targets that answer, but wrongly, get a failing verdict (exit 1) within a
// bound; the specs they break never pass.
func TestMisbehavingTargets(t *testing.T) {
	t.Parallel()
	t.Run("5xx storm", func(t *testing.T) {
		t.Parallel()
		log := &faults.Log{}
		_, base := faults.Serve(t, log.Wrap(faults.Storm(http.StatusServiceUnavailable)))
		r, reports := runAgainst(t, base)
		r.wantExit(t, 1, startup+5*time.Second)
		rep := readReport(t, reports)
		// Only negative properties may hold of a target that answers nothing but 503 with a
		// well-formed envelope (ERR-001 on the error it gets, DISC-007 "never 2xx"); every
		// requirement that needs a success must fail.
		for _, id := range []string{"DISC-001", "DISC-002", "DISC-003", "PERM-001", "PERM-002"} {
			if s := rep.status(id); s != "fail" {
				t.Errorf("%s is %q against a 503 storm", id, s)
			}
		}
		if rep.Summary.Gate != "FAIL" {
			t.Errorf("gate %s", rep.Summary.Gate)
		}
		t.Logf("503 storm: exit %d in %v, %d requests, %d passing negative checks", r.code, r.elapsed.Round(time.Millisecond), log.Requests(), rep.passes())
	})
	t.Run("429 forever, Retry-After 0", func(t *testing.T) {
		t.Parallel()
		log := &faults.Log{}
		_, base := faults.Serve(t, log.Wrap(faults.Throttle(-1, http.StatusTooManyRequests, "0", referenceMock(t))))
		r, reports := runAgainst(t, base)
		r.wantExit(t, 1, startup+5*time.Second)
		rep := readReport(t, reports)
		exchanges := 0
		for _, v := range rep.Verdicts {
			exchanges += len(v.Exchanges)
		}
		// Each exchange is tried at most 1 + 3 times; the probe once; clean-up deletes are not recorded.
		if n := log.Requests(); n > 4*exchanges+1+4*len(rep.Verdicts) {
			t.Errorf("%d requests for %d recorded exchanges: retries are not bounded", n, exchanges)
		}
		if s := rep.status("DISC-001"); s == "pass" {
			t.Errorf("DISC-001 passed against a target that only throttles")
		}
		t.Logf("429 forever: exit %d in %v, %d requests for %d exchanges", r.code, r.elapsed.Round(time.Millisecond), log.Requests(), exchanges)
	})
	t.Run("redirect everything to another host", func(t *testing.T) {
		t.Parallel()
		other := &faults.Log{}
		otherSrv, _ := faults.Serve(t, other.Wrap(referenceMock(t)))
		elsewhere := strings.Replace(otherSrv.URL, "127.0.0.1", "localhost", 1)
		for _, status := range []int{302, 307} {
			redirect := faults.Redirect(status, func(r *http.Request) string { return elsewhere + r.URL.RequestURI() })
			for name, h := range map[string]http.Handler{"all": redirect, "action only": faults.OnAction(referenceMock(t), redirect)} {
				_, base := faults.Serve(t, h)
				r, reports := runAgainst(t, base)
				r.wantExit(t, 1, startup+5*time.Second)
				if s := readReport(t, reports).status("DISC-001"); s != "fail" {
					t.Errorf("%d %s: DISC-001 is %q", status, name, s)
				}
			}
		}
		if n := other.Requests(); n != 0 {
			t.Fatalf("the redirect target received %d request(s), Authorization %q", n, other.Authorizations())
		}
	})
	t.Run("204 with a body on the wire", func(t *testing.T) {
		t.Parallel()
		m, _ := mutant.Lookup("disc-002-body-on-204")
		h, err := m.Handler(mock.Options{})
		if err != nil {
			t.Fatal(err)
		}
		_, base := faults.Serve(t, h)
		r, reports := runAgainst(t, base)
		r.wantExit(t, 1, startup+5*time.Second)
		rep := readReport(t, reports)
		if rep.status("DISC-002") != "fail" || rep.status("DISC-001") != "pass" {
			t.Errorf("DISC-001 %q, DISC-002 %q; want pass, fail", rep.status("DISC-001"), rep.status("DISC-002"))
		}
	})
	t.Run("the action hangs", func(t *testing.T) {
		t.Parallel()
		_, base := faults.Serve(t, faults.OnAction(referenceMock(t), faults.Stall()))
		r, reports := runAgainst(t, base, "--label-filter", "DISC-001 || DISC-002 || DISC-003")
		// Three specs, each bounded by one request timeout (the raw-wire one included).
		r.wantExit(t, 1, 3*timeout+startup)
		rep := readReport(t, reports)
		for _, v := range rep.Verdicts {
			if v.Outcome == "pass" || !strings.Contains(v.Message, "timeout") {
				t.Errorf("%s %s: %s %q", v.Requirement.ID, v.Case, v.Outcome, v.Message)
			}
		}
		t.Logf("hanging action, %d specs: exit %d in %v", len(rep.Verdicts), r.code, r.elapsed.Round(time.Millisecond))
	})
}

// TestThrottledThenServed: a target that throttles its first answers with Retry-After: 1 is waited
// out and then judged normally (a pass), and the wait shows in the wall time.
func TestThrottledThenServed(t *testing.T) {
	t.Parallel()
	log := &faults.Log{}
	// The first answer goes to the reachability probe (no retries); the next two are waited out.
	_, base := faults.Serve(t, log.Wrap(faults.Throttle(3, http.StatusTooManyRequests, "1", referenceMock(t))))
	// One case at a time: concurrent requests throttled together wait out one shared pause.
	r, _ := runAgainst(t, base, serial...)
	r.wantExit(t, 0, 2*time.Second+startup)
	if r.elapsed < 2*time.Second {
		t.Errorf("took %v: the two Retry-After: 1 were not honoured", r.elapsed)
	}
	t.Logf("throttled twice, then served: exit %d in %v, %d requests", r.code, r.elapsed.Round(time.Millisecond), log.Requests())
}

// TestThrottleCapped: "Retry-After: 3600" forever is waited out target.retry.max times, at most
// target.retry.maxWait each, and then judged: a failure, not a wait of hours.
func TestThrottleCapped(t *testing.T) {
	t.Parallel()
	log := &faults.Log{}
	_, base := faults.Serve(t, log.Wrap(faults.Throttle(-1, http.StatusTooManyRequests, "3600", referenceMock(t))))
	dir := t.TempDir()
	cfg := config(t, dir, base, "timeout: 1s", "retry: {max: 2, maxWait: 200ms}")
	r := run(t, dir, "run", "--config", cfg, "--label-filter", "DISC-001")
	r.wantExit(t, 1, 400*time.Millisecond+startup)
	// The probe (never retried), then the setup request of DISC-001 and its two retries.
	if n := log.Requests(); n != 4 || r.elapsed < 400*time.Millisecond {
		t.Errorf("%d requests in %v; want 4 in at least 400ms", n, r.elapsed)
	}
	t.Logf("429 + Retry-After: 3600 forever, retry {max: 2, maxWait: 200ms}: exit %d in %v, %d requests", r.code, r.elapsed.Round(time.Millisecond), log.Requests())
}

// TestHugeErrorBodies: every error answer carries 16 MiB; reports keep excerpts, and the process's
// peak memory stays near that of a run against the plain mock.
func TestHugeErrorBodies(t *testing.T) {
	t.Parallel()
	const size = 16 << 20
	_, plain := faults.Serve(t, referenceMock(t))
	baseline, _ := runAgainst(t, plain, serial...)
	baseline.wantExit(t, 0, startup+5*time.Second)
	_, base := faults.Serve(t, faults.BigErrors(referenceMock(t), size))
	r, reports := runAgainst(t, base, serial...)
	r.wantExit(t, 1, startup+10*time.Second)
	rep := readReport(t, reports)
	big := 0
	for _, v := range rep.Verdicts {
		for _, e := range v.Exchanges {
			if e.BodyBytes == size {
				big++
				if len(e.Body) > 2200 || !strings.Contains(e.Body, "(16777216 bytes in all)") {
					t.Errorf("recorded body of %d bytes: %.80q…", len(e.Body), e.Body)
				}
			}
		}
	}
	if big == 0 {
		t.Fatal("no exchange recorded a 16 MiB body")
	}
	sizes := fileSizes(t, reports)
	for name, n := range sizes {
		if n > 4<<20 {
			t.Errorf("%s is %d bytes", name, n)
		}
	}
	if r.maxRSS > baseline.maxRSS+64<<20 {
		t.Errorf("peak memory %d MiB against %d MiB for the plain mock", r.maxRSS>>20, baseline.maxRSS>>20)
	}
	t.Logf("%d exchanges with 16 MiB error bodies (%d MiB received): peak RSS %d MiB (plain mock: %d MiB), reports %v",
		big, big*16, r.maxRSS>>20, baseline.maxRSS>>20, sizes)
}
