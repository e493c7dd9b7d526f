package conformance

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/graphconform/graphconform/plan"
	"github.com/graphconform/graphconform/report"
	"github.com/graphconform/graphconform/requirement"
	"github.com/graphconform/graphconform/verdict"
)

// verdictEntry is the report entry that carries a spec's verdict to ReportAfterSuite (which, in
// parallel runs, sees every process's specs).
const verdictEntry = "graphconform.verdict"

// Register builds the spec tree from the prepared cases. Call it before RunSpecs (tree construction).
//
// The operations are the top-level containers (no root container: it would be one more node in
// every spec's copies). Ginkgo shuffles top-level containers by seed, so Verdicts sorts what it
// collects and reports never depend on the seed.
//
// The tree is registered in the order Ginkgo sorts it into before shuffling: every container and
// spec of a level comes from one line of this file, so Ginkgo orders them by text (operation ID,
// area, spec text). Handing its sort that order already makes it linear instead of n log n
// comparisons, each of which copies the spec's nodes: at 40,000 specs that sort was 60 % of all
// allocations.
func Register(p *Prepared) {
	s := newScheduler(p)
	for _, op := range tree(p) {
		Describe(op.id, Label(plan.OperationLabel(op.id)), func() {
			for _, area := range op.areas {
				Describe(area.name, func() {
					for _, i := range area.cases {
						registerCase(p, s, i)
					}
				})
			}
		})
	}
	// No case may still run when the shared entities are deleted: the pool stops first.
	AfterSuite(func() {
		s.close()
		if p.Env.Shared != nil {
			p.Env.Shared.Close() // each parallel process deletes the entities it created
		}
	})
	ReportBeforeSuite(func(r Report) {
		live.Load().begin(r.PreRunStats.SpecsThatWillRun, r.SuiteConfig)
		s.plan(r)
		beforeSuite(p, r)
	})
	ReportAfterSuite("graphconform reports", func(r Report) { afterSuite(p, s, r) })
}

// TreeOrder lists the specs as Register registers them: "operation area spec-text". A serial run
// with --randomize-all off executes each operation's specs in this order (the bench harness checks
// that Ginkgo kept it); Verdicts returns them in this order.
func TreeOrder(p *Prepared) []string {
	var out []string
	for _, op := range tree(p) {
		for _, area := range op.areas {
			for _, i := range area.cases {
				out = append(out, op.id+" "+area.name+" "+p.Cases[i].Text())
			}
		}
	}
	return out
}

type opNode struct {
	id    string
	areas []areaNode
}

type areaNode struct {
	name  string
	cases []int // indexes into Prepared.Cases
}

// tree groups the cases by operation and area, each level sorted by text.
func tree(p *Prepared) []opNode {
	byOp := groupCases(p.Cases)
	out := make([]opNode, 0, len(byOp))
	for id, areas := range byOp {
		op := opNode{id: id}
		for area, cases := range areas {
			op.areas = append(op.areas, areaNode{name: string(area), cases: byText(p.Cases, cases)})
		}
		sort.Slice(op.areas, func(i, j int) bool { return op.areas[i].name < op.areas[j].name })
		out = append(out, op)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out
}

// groupCases indexes the cases by operation and area, keeping their order. One pass: scanning all
// cases once per operation and area made tree construction quadratic (minutes at 5,000 operations).
// Indexes, not copies: a case carries its operation's whole contract.
func groupCases(all []plan.Case) map[string]map[requirement.Area][]int {
	out := map[string]map[requirement.Area][]int{}
	for i, c := range all {
		areas := out[c.Operation.ID]
		if areas == nil {
			areas = map[requirement.Area][]int{}
			out[c.Operation.ID] = areas
		}
		areas[c.Requirement.Area] = append(areas[c.Requirement.Area], i)
	}
	return out
}

// byText sorts case indexes by spec text.
func byText(all []plan.Case, idx []int) []int {
	texts := make(map[int]string, len(idx))
	for _, i := range idx {
		texts[i] = all[i].Text()
	}
	sort.Slice(idx, func(a, b int) bool { return texts[idx[a]] < texts[idx[b]] })
	return idx
}

// registerCase registers case i; the spec holds its index into p.Cases, not a copy of it. The
// scheduler runs the case, ahead of the spec or inside it, and the spec reports its verdict.
func registerCase(p *Prepared, s *scheduler, i int) {
	c := &p.Cases[i]
	It(c.Text(), Label(c.Labels()...), func(ctx SpecContext) {
		v := s.execute(ctx, i)
		live.Load().spec(v.Outcome == verdict.Fail)
		AddReportEntry(verdictEntry, v, ReportEntryVisibilityNever)
		// Ginkgo has no state for the three outcomes that neither pass nor fail the run; each is a
		// Skip whose message names it, and the requirement table after the suite tells them apart.
		switch {
		case v.Outcome == verdict.Pass:
		case v.Outcome == verdict.Skip:
			Skip("[NOT EXERCISED] " + v.Message)
		case v.Outcome == verdict.NotApplicable:
			Skip("[NOT APPLICABLE] " + v.Message)
		case v.Blocking:
			Fail(v.Text())
		default:
			// A level that does not block in this mode: a failure, reported, not failing the run.
			Skip("[ADVISORY FAIL] " + string(v.Requirement.Level) + " not met (does not fail the run)\n" + v.Text())
		}
	})
}

// Verdicts collects the verdicts of a Ginkgo report in tree order (see TreeOrder), whatever order
// the seed ran them in. A spec that ended without one (panic, failure outside the check) becomes a
// blocking failure of its requirement, never a silent pass. A spec that was stopped (interrupt,
// timeout, abort) has no verdict: what it judged while being cancelled is not evidence either way,
// and Completion counts it as not run.
func Verdicts(r Report, red interface{ String(string) string }) []verdict.Verdict {
	vs, _ := collect(r, red)
	return vs
}

// stopped are the states of a spec that did not run to its end.
const stopped = types.SpecStateInterrupted | types.SpecStateAborted | types.SpecStateTimedout

func collect(r Report, red interface{ String(string) string }) ([]verdict.Verdict, []string) {
	var out byTree
	var cut []string
	for _, sr := range r.SpecReports {
		if sr.LeafNodeType != types.NodeTypeIt {
			continue
		}
		key := strings.Join(sr.ContainerHierarchyTexts, "\x00") + "\x00" + sr.LeafNodeText
		if sr.State.Is(stopped) {
			cut = append(cut, strings.Join(append(append([]string(nil), sr.ContainerHierarchyTexts...), sr.LeafNodeText), " "))
			continue
		}
		if v, ok := verdictOf(sr); ok {
			out.add(key, v)
			continue
		}
		if sr.State == types.SpecStateSkipped || sr.State == types.SpecStatePending {
			continue // filtered out by --label-filter/--focus, a dry run, or never reached (Completion)
		}
		if sr.State == types.SpecStatePassed && r.SuiteConfig.DryRun {
			continue
		}
		id := requirement.ID(strings.Fields(sr.LeafNodeText + " ?")[0])
		req, ok := requirement.Lookup(id)
		if !ok {
			req = requirement.Requirement{ID: id, Level: requirement.Must}
		}
		var op string
		if len(sr.ContainerHierarchyTexts) > 0 {
			op = sr.ContainerHierarchyTexts[0] // the operation's container
		}
		out.add(key, verdict.Verdict{Requirement: req, Operation: op, Case: sr.LeafNodeText, Outcome: verdict.Fail, Blocking: true,
			Message: red.String(fmt.Sprintf("the spec ended %s without a verdict: %s", sr.State, sr.Failure.Message))})
	}
	sort.Sort(&out) // keys are unique: operation, area, spec text
	return out.vs, cut
}

// Completion says how much of what a Ginkgo run selected ran to a verdict, and why it stopped
// early ("" when it did not): Ginkgo's own reasons (an interrupt by SIGINT or SIGTERM, the suite
// timeout) in graphconform's words, and the specs a stop cut short. A run is incomplete when it
// ran fewer specs than it selected or Ginkgo names a reason: an interrupt after the last spec still
// cut the clean-up short.
func Completion(r Report, verdicts int, cut []string) (report.Specs, string) {
	specs := report.Specs{Selected: r.PreRunStats.SpecsThatWillRun, Ran: verdicts}
	var why []string
	for _, reason := range r.SpecialSuiteFailureReasons {
		switch reason {
		case "Interrupted by User":
			reason = "interrupted (SIGINT or SIGTERM)"
		case "Suite Timeout Elapsed":
			reason = fmt.Sprintf("the run timeout (%s) elapsed", r.SuiteConfig.Timeout)
		}
		why = append(why, reason)
	}
	switch {
	case len(cut) == 1:
		why = append(why, fmt.Sprintf("stopped during %q", cut[0]))
	case len(cut) > 1:
		why = append(why, fmt.Sprintf("stopped during %q and %d more", cut[0], len(cut)-1))
	}
	if len(why) == 0 && specs.Ran < specs.Selected {
		why = append(why, "the run stopped before its last spec") // e.g. --ginkgo.fail-fast
	}
	return specs, strings.Join(why, "; ")
}

// byTree sorts verdicts by their specs' tree keys in place (a copy of every verdict with its key
// was 17 MB at 40,000 specs).
type byTree struct {
	keys []string
	vs   []verdict.Verdict
}

func (b *byTree) add(key string, v verdict.Verdict) {
	b.keys = append(b.keys, key)
	b.vs = append(b.vs, v)
}

func (b *byTree) Len() int           { return len(b.keys) }
func (b *byTree) Less(i, j int) bool { return b.keys[i] < b.keys[j] }
func (b *byTree) Swap(i, j int) {
	b.keys[i], b.keys[j] = b.keys[j], b.keys[i]
	b.vs[i], b.vs[j] = b.vs[j], b.vs[i]
}

func verdictOf(sr types.SpecReport) (verdict.Verdict, bool) {
	for _, e := range sr.ReportEntries {
		if e.Name != verdictEntry {
			continue
		}
		// In-process the raw value is kept; across parallel processes only its JSON travels.
		if v, ok := e.Value.GetRawValue().(verdict.Verdict); ok {
			return v, true
		}
		var v verdict.Verdict
		if err := json.Unmarshal([]byte(e.Value.AsJSON), &v); err == nil && e.Value.AsJSON != "" {
			return v, true
		}
	}
	return verdict.Verdict{}, false
}

// SlimReport is r without the verdict entries: Ginkgo's spec reports (texts, labels, states, times,
// failures) with the verdicts left to report.json, which holds each once. It copies the spec
// reports, not r's, so the suite's own report node still sees every verdict.
func SlimReport(r Report) Report {
	specs := make(types.SpecReports, len(r.SpecReports))
	for i, sr := range r.SpecReports {
		specs[i] = slimSpec(sr)
	}
	r.SpecReports = specs
	return r
}

// slimSpec is one spec report without its verdict entry.
func slimSpec(sr types.SpecReport) types.SpecReport {
	var keep []types.ReportEntry
	for _, e := range sr.ReportEntries {
		if e.Name != verdictEntry {
			keep = append(keep, e)
		}
	}
	sr.ReportEntries = keep
	return sr
}

// beforeSuite writes reports that say INCOMPLETE before any spec runs, so a run that is killed
// (SIGKILL, a final interrupt that skips the reporting, a crash) leaves reports that say so, never a
// previous run's PASS. afterSuite overwrites them.
func beforeSuite(p *Prepared, r Report) {
	if r.SuiteConfig.DryRun || p.Config.ReportDir == "" {
		return
	}
	run := p.ReportRun(r.StartTime, r.StartTime, nil)
	run.Specs = &report.Specs{Selected: r.PreRunStats.SpecsThatWillRun}
	run.Incomplete = "the run had not finished: it stopped before it could write its reports"
	if err := writeReports(p.Config.ReportDir, run); err != nil {
		Fail(p.Redactor.String(err.Error()))
	}
}

// afterSuite writes the reports, keeps the run for the console (Prepared.Result), and fails the
// suite where the gate fails without a failed spec: nothing verified, a failed certification, an
// incomplete run.
func afterSuite(p *Prepared, s *scheduler, r Report) {
	live.Load().end() // before the reports and Ginkgo's summary
	if r.SuiteConfig.DryRun {
		return
	}
	vs, cut := collect(r, p.Redactor)
	specs, why := Completion(r, len(vs), cut)
	run := p.ReportRun(r.StartTime, r.EndTime, vs)
	run.Specs, run.Incomplete = &specs, p.Redactor.String(why)
	run.Throttling = s.throttling()
	p.Result = &run
	if p.Config.ReportDir != "" {
		if err := writeReports(p.Config.ReportDir, run); err != nil {
			Fail(p.Redactor.String(err.Error()))
		}
	}
	if r.SuiteConfig.ParallelTotal > 1 {
		// A parallel process's output after RunSpecs is discarded by the ginkgo CLI; what a report
		// node writes to stdout is shown with the node. Serial entries print Result after RunSpecs,
		// after Ginkgo's own summary (see Run).
		fmt.Fprint(os.Stdout, p.Redactor.String(report.Text(run)))
	}
	// A suite Ginkgo already failed (a failed spec, an interrupt) needs no second failure.
	if g, text := report.Gate(run); g != report.GatePass && r.SuiteSucceeded {
		Fail("graphconform gate: " + text)
	}
}

// OperationLabel is the label of an operation's container (plan.OperationLabel), for the entries
// that filter cases as Ginkgo would.
func OperationLabel(id string) string { return plan.OperationLabel(id) }
