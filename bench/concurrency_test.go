package bench

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/graphconform/graphconform/report"
	"github.com/graphconform/graphconform/verdict"
)

// benchLatency is the round trip the latency target adds to every request (issue 13: 50 ms).
const benchLatency = 50 * time.Millisecond

// BenchmarkConcurrency runs the default run (the shipped description, 41+ specs, an entity per
// spec, and with --share-entities) against the reference mock 50 ms away, serial and at several
// concurrencies, and reports each wall against the run's critical-path floor: the longest single
// case of the serial run (its own requests one after another, each 50 ms away), which no amount of
// concurrency can beat. conc=0 is the default (conformance.DefaultConcurrency).
func BenchmarkConcurrency(b *testing.B) {
	base := referenceTarget(b, 0, func(h http.Handler) http.Handler { return latency(h, benchLatency) })
	for _, share := range []string{"", "1"} {
		var floor float64
		for _, conc := range []int{1, 0, 4, 16, 32, 64} {
			name := fmt.Sprintf("share=%s/conc=%d", map[string]string{"": "no", "1": "yes"}[share], conc)
			b.Run(name, func(b *testing.B) {
				var wall float64
				for b.Loop() {
					r, run := suiteAgainst(b, base, 0, share, conc)
					wall += r.Wall.Seconds()
					if conc == 1 {
						floor = longestCase(run)
					}
					if !r.Passed {
						b.Fatalf("the run did not pass:\n%s", r.Output)
					}
				}
				mean(b, wall, "wall-s")
				if floor > 0 {
					b.ReportMetric(floor, "floor-s")
					b.ReportMetric(wall/float64(b.N)/floor, "x-floor")
				}
			})
		}
	}
}

// BenchmarkConcurrencyAt100 is the default concurrency and 256 at 100 generated actions (about 3,900
// specs, 11,700 requests) 50 ms away; a serial run would take ~10 minutes (requests × 50 ms).
func BenchmarkConcurrencyAt100(b *testing.B) {
	const actions = 100
	base := referenceTarget(b, actions, func(h http.Handler) http.Handler { return latency(h, benchLatency) })
	for _, conc := range []int{0, 256} {
		b.Run(fmt.Sprintf("conc=%d", conc), func(b *testing.B) {
			var wall float64
			for b.Loop() {
				r, run := suiteAgainst(b, base, actions, "", conc)
				wall += r.Wall.Seconds()
				b.ReportMetric(longestCase(run), "floor-s")
				b.ReportMetric(float64(r.Specs), "specs")
				if !r.Passed {
					b.Fatalf("the run did not pass:\n%s", r.Output)
				}
			}
			mean(b, wall, "wall-s")
		})
	}
}

// BenchmarkThrottled runs the default run against the reference mock 50 ms away that answers every
// fifth request with 429 and Retry-After: 0.5. No verdict may fail (each throttled request is
// waited out and sent again); the report's throttling field says what it cost.
func BenchmarkThrottled(b *testing.B) {
	for _, conc := range []int{1, 0} {
		b.Run(fmt.Sprintf("conc=%d", conc), func(b *testing.B) {
			var wall float64
			for b.Loop() {
				th := &throttling{every: 5, retryAfter: "0.5"}
				base := referenceTarget(b, 0, func(h http.Handler) http.Handler {
					th.next = latency(h, benchLatency)
					return th
				})
				r, run := suiteAgainst(b, base, 0, "", conc)
				wall += r.Wall.Seconds()
				fails := 0
				for _, v := range run.Verdicts {
					if v.Outcome == verdict.Fail {
						fails++
					}
				}
				if !r.Passed || fails > 0 || run.Throttling == nil || run.Throttling.Answers == 0 {
					b.Fatalf("throttled run: passed %v, %d failures, throttling %+v\n%s", r.Passed, fails, run.Throttling, r.Output)
				}
				t := run.Throttling
				b.ReportMetric(float64(th.refused.Load()), "refused")
				b.ReportMetric(t.WaitedSeconds, "held-s")
				b.ReportMetric(float64(t.Cuts), "cuts")
				b.ReportMetric(float64(t.LowestConcurrency), "lowest")
			}
			mean(b, wall, "wall-s")
		})
	}
}

// suiteAgainst runs a suite child against base (actions: the generated description, 0: the
// shipped one) with reports, and returns what it measured and its report.json.
func suiteAgainst(b *testing.B, base string, actions int, share string, conc int) (childRun, report.Run) {
	b.Helper()
	dir := b.TempDir()
	env := map[string]string{envChild: "suite", envBase: base, envShare: share, envReports: dir}
	if actions > 0 {
		env[envSpec] = description(b, actions)
		env[envActions] = strconv.Itoa(actions)
	}
	if conc > 0 {
		env[envConc] = strconv.Itoa(conc)
	}
	r := execChild(b, env)
	f, err := os.Open(filepath.Join(dir, report.JSONFile))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	run, err := report.ReadJSON(f)
	if err != nil {
		b.Fatal(err)
	}
	return r, run
}

// longestCase is the longest verdict duration of a run, in seconds: its critical path.
func longestCase(run report.Run) float64 {
	var d time.Duration
	for _, v := range run.Verdicts {
		d = max(d, v.Duration)
	}
	return d.Seconds()
}

// BenchmarkGinkgoReport writes graphconform run's ginkgo-report.json slim (the default) and full at
// 100 actions against the in-process mock: the file's size and the child's peak RSS.
func BenchmarkGinkgoReport(b *testing.B) {
	const actions = 100
	specPath := description(b, actions)
	for _, full := range []string{"", "1"} {
		b.Run(map[string]string{"": "slim", "1": "full"}[full], func(b *testing.B) {
			for b.Loop() {
				dir := b.TempDir()
				env := childEnv("suite", specPath, actions)
				env[envReports], env[envGinkgo], env[envGinkgoFull] = dir, filepath.Join(dir, "ginkgo-report.json"), full
				r := execChild(b, env)
				g, err := os.Stat(filepath.Join(dir, "ginkgo-report.json"))
				if err != nil || !r.Passed {
					b.Fatalf("%v\n%s", err, r.Output)
				}
				j, _ := os.Stat(filepath.Join(dir, report.JSONFile))
				b.ReportMetric(float64(g.Size())/(1<<20), "ginkgo-MiB")
				b.ReportMetric(float64(j.Size())/(1<<20), "report-json-MiB")
				b.ReportMetric(r.RSSMiB, "rss-MiB")
				b.ReportMetric(r.Wall.Seconds(), "wall-s")
			}
		})
	}
}
