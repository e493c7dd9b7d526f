package conformance

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/graphconform/graphconform/plan"
	"github.com/graphconform/graphconform/report"
	"github.com/graphconform/graphconform/requirement"
	"github.com/graphconform/graphconform/schedule"
	"github.com/graphconform/graphconform/verdict"
)

// DefaultConcurrency is the cases run at once when Config.Concurrency is 0 (bench/RESULTS.md §7:
// against a target 50 ms away the default run is throughput-bound below 64, 3.4x its critical
// path at 16, within 2x at 64). A target that cannot take that many answers 429 or 503, and the
// AIMD limit comes down within a few answers.
const DefaultConcurrency = 64

// aimdCooldown spaces the concurrency cuts: the answers to requests already in flight when the
// first 429 came carry the same news.
const aimdCooldown = time.Second

// scheduler runs the cases Ginkgo will run ahead of their specs, in a bounded pool, and hands each
// spec its own case's verdict. Ginkgo itself still runs one spec at a time and reports one spec per
// case with its labels, focus, filter, shard and dry run unchanged; the verdict is what the spec
// reports, so only when a request is sent changes, never what is judged.
//
// Which cases run ahead is Ginkgo's own selection recomputed from its configuration (label filter,
// focus and skip expressions over the same text Ginkgo matches); when the result does not count
// what Ginkgo says it will run, or the selection depends on something not recomputed (file
// filters, fail-fast, parallel processes, a dry run), nothing runs ahead and each spec submits its
// own case when it starts: correct, only slower. A case run ahead that Ginkgo then does not run
// only costs requests; its verdict is dropped.
//
// Cases that share an entity stay correct through lanes (see lane): with --share-entities (one
// entity per operation) or a configured partnerId (one entity for all), the cases on the entity
// run together, except those that change the entity's state and read it back (area effect,
// EFF-001), which run alone on it. With an entity per case (the default) nothing is shared.
// The shared entity itself is created once under plan.Shared's lock.
type scheduler struct {
	p    *Prepared
	max  int
	aimd *schedule.AIMD
	pool *schedule.Pool[verdict.Verdict]
	// ahead is set by plan (ReportBeforeSuite): whether cases run ahead of their specs.
	ahead bool
	once  sync.Once
}

func newScheduler(p *Prepared) *scheduler {
	n := p.Config.Concurrency
	if n == 0 {
		n = DefaultConcurrency
	}
	s := &scheduler{p: p, max: n}
	if p.Env.Client != nil {
		p.Env.Client.SetRate(p.Config.Rate)
		p.Env.Client.KeepConnections(n)
	}
	return s
}

// plan decides, before the first spec, which cases run ahead (see scheduler) and submits them.
func (s *scheduler) plan(r types.Report) {
	if s.max <= 1 {
		return
	}
	jobs, ok := selected(s.p, r.SuiteDescription, r.SuiteConfig)
	if !ok || len(jobs) != r.PreRunStats.SpecsThatWillRun {
		return
	}
	s.start()
	s.ahead = true
	s.pool.Submit(jobs...)
}

func (s *scheduler) start() {
	s.once.Do(func() {
		s.aimd = schedule.NewAIMD(s.max, aimdCooldown)
		if s.p.Env.Client != nil {
			s.p.Env.Client.Observe = s.aimd.Observe
		}
		s.pool = schedule.New(context.Background(), len(s.p.Cases), schedule.Options{Max: s.max, Lane: s.lane, AIMD: s.aimd},
			func(ctx context.Context, i int) verdict.Verdict { return s.p.Cases[i].Execute(ctx, s.p.Env) })
	})
}

// execute is the verdict of case i for its spec: run here when nothing runs ahead, else the pool's.
// When the spec's context ends (an interrupt, the run's timeout) the pool is cancelled, so no
// request stays in flight, and the verdict is a blocking failure that Verdicts drops with the
// stopped spec: never a pass.
func (s *scheduler) execute(ctx context.Context, i int) verdict.Verdict {
	c := &s.p.Cases[i]
	if !s.ahead {
		return c.Execute(ctx, s.p.Env)
	}
	v, err := s.pool.Wait(ctx, i)
	if err == nil {
		return v
	}
	s.pool.Cancel()
	return verdict.Verdict{Requirement: c.Requirement, Operation: c.Operation.ID, Case: c.Name, Outcome: verdict.Fail, Blocking: true,
		Message: "the run stopped before this case's verdict: " + err.Error()}
}

// close stops the pool and waits for its cases, before the shared entities are deleted. It closes
// the client's idle connections too: concurrent requests leave connections the transport dialled
// and never used, which a target shutting down gracefully (the embedded mock) would wait for.
func (s *scheduler) close() {
	if s.pool == nil {
		return
	}
	s.pool.Close()
	if c := s.p.Env.Client; c != nil && c.HTTP != nil {
		c.HTTP.CloseIdleConnections()
	}
}

// throttling is how the run paced itself, for the console and report.json.
func (s *scheduler) throttling() *report.Throttling {
	t := &report.Throttling{Concurrency: 1}
	if s.ahead {
		t.Concurrency, t.PeakConcurrency = s.max, s.pool.Peak()
		if t.Cuts, t.LowestConcurrency = s.aimd.Stats(); t.Cuts == 0 {
			t.LowestConcurrency = 0
		}
	}
	if c := s.p.Env.Client; c != nil {
		th := c.Throttling()
		t.Answers, t.WaitedSeconds, t.BudgetSeconds = th.Answers, th.Waited.Seconds(), th.Budget.Seconds()
		t.RequestsPerSecond, t.PacedSeconds = th.RequestsPerSecond, th.Paced.Seconds()
	}
	return t
}

// lane keys the cases on a shared entity (see scheduler).
func (s *scheduler) lane(i int) (string, bool) {
	c := &s.p.Cases[i]
	exclusive := c.Requirement.Area == requirement.AreaEffect
	switch {
	case s.p.Env.PartnerID != "":
		return "partner", exclusive
	case s.p.Env.Shared != nil:
		return "op:" + c.Operation.ID, exclusive
	}
	return "", false
}

// errNotRecomputed: the selection depends on what selected does not recompute.
var errNotRecomputed = errors.New("not recomputed")

// selected is Ginkgo's selection of the cases (internal/focus.go: label filter over the union of
// the spec's labels, focus and skip expressions over the description and the spec's texts), in
// tree order; false when it cannot be recomputed here.
func selected(p *Prepared, description string, sc types.SuiteConfig) ([]int, bool) {
	match, err := matcher(description, sc)
	if err != nil {
		return nil, false
	}
	var out []int
	for _, op := range tree(p) {
		for _, area := range op.areas {
			for _, i := range area.cases {
				c := &p.Cases[i]
				if match(caseLabels(c), op.id+" "+area.name+" "+c.Text()) {
					out = append(out, i)
				}
			}
		}
	}
	return out, true
}

func matcher(description string, sc types.SuiteConfig) (func(labels []string, text string) bool, error) {
	if sc.DryRun || sc.FailFast || sc.ParallelTotal > 1 || len(sc.FocusFiles) > 0 || len(sc.SkipFiles) > 0 || sc.SemVerFilter != "" {
		return nil, errNotRecomputed
	}
	labels := func([]string) bool { return true }
	if sc.LabelFilter != "" {
		f, err := types.ParseLabelFilter(sc.LabelFilter)
		if err != nil {
			return nil, err
		}
		labels = f
	}
	var focus, skip *regexp.Regexp
	var err error
	if len(sc.FocusStrings) > 0 {
		if focus, err = regexp.Compile(strings.Join(sc.FocusStrings, "|")); err != nil {
			return nil, err
		}
	}
	if len(sc.SkipStrings) > 0 {
		if skip, err = regexp.Compile(strings.Join(sc.SkipStrings, "|")); err != nil {
			return nil, err
		}
	}
	return func(l []string, text string) bool {
		full := description + " " + text
		return labels(l) && (focus == nil || focus.MatchString(full)) && (skip == nil || !skip.MatchString(full))
	}, nil
}

// caseLabels are the labels Ginkgo sees on a case's spec: its operation container's and its own.
func caseLabels(c *plan.Case) []string {
	return append([]string{plan.OperationLabel(c.Operation.ID)}, c.Labels()...)
}

// throttlingLine is the console line of a run's pacing: "" for a serial run nothing throttled.
func throttlingLine(t *report.Throttling) string {
	if t == nil || (t.Concurrency <= 1 && t.Answers == 0 && t.RequestsPerSecond == 0) {
		return ""
	}
	s := fmt.Sprintf("pacing: up to %d cases at once (peak %d)", t.Concurrency, max(t.PeakConcurrency, 1))
	if t.Cuts > 0 {
		s += fmt.Sprintf(", lowered %d times by throttling, to %d", t.Cuts, t.LowestConcurrency)
	}
	if t.RequestsPerSecond > 0 {
		s += fmt.Sprintf("; rate cap %g/s, %.1fs waited for it", t.RequestsPerSecond, t.PacedSeconds)
	}
	s += fmt.Sprintf("; %d throttling answers (429/503), %.1fs held for Retry-After", t.Answers, t.WaitedSeconds)
	if t.BudgetSeconds > 0 {
		s += fmt.Sprintf(" of the %gs budget", t.BudgetSeconds)
	}
	return s + "\n"
}
