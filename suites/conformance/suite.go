package conformance

import (
	"encoding/json"
	"fmt"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/graphconform/graphconform/plan"
	"github.com/graphconform/graphconform/requirement"
	"github.com/graphconform/graphconform/verdict"
)

// verdictEntry is the report entry that carries a spec's verdict to ReportAfterSuite (which, in
// parallel runs, sees every process's specs).
const verdictEntry = "graphconform.verdict"

// areaOrder groups specs the way a reader walks the contract.
var areaOrder = []requirement.Area{requirement.AreaMethod, requirement.AreaPath, requirement.AreaHeaders,
	requirement.AreaBody, requirement.AreaResponse, requirement.AreaAuth, requirement.AreaPermissions, requirement.AreaErrors}

// Register builds the spec tree from the prepared cases. Call it before RunSpecs (tree construction).
func Register(p *Prepared) {
	byOp := groupCases(p.Cases)
	Describe("graphconform", func() {
		for _, op := range p.Operations {
			areas := byOp[op.ID]
			if len(areas) == 0 {
				continue // every case of the operation is in another shard
			}
			Describe(op.ID, Label("op:"+op.ID), func() {
				for _, area := range areaOrder {
					cases := areas[area]
					if len(cases) == 0 {
						continue
					}
					Describe(string(area), func() {
						for _, i := range cases {
							registerCase(p, &p.Cases[i])
						}
					})
				}
			})
		}
	})
	if p.Env.Shared != nil {
		AfterSuite(p.Env.Shared.Close) // each parallel process deletes the entities it created
	}
	ReportAfterSuite("graphconform reports", func(r Report) { afterSuite(p, r) })
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

// registerCase registers one case; the spec holds a pointer into p.Cases, not a copy of it.
func registerCase(p *Prepared, c *plan.Case) {
	It(c.Text(), Label(c.Labels()...), func(ctx SpecContext) {
		v := c.Execute(ctx, p.Env, func(f func()) { DeferCleanup(f) })
		AddReportEntry(verdictEntry, v, ReportEntryVisibilityNever)
		switch {
		case v.Outcome == verdict.Pass:
		case v.Outcome == verdict.Skip:
			Skip("skipped: " + v.Message)
		case v.Outcome == verdict.NotApplicable:
			Skip("not applicable: " + v.Message)
		case v.Blocking:
			Fail(v.Text())
		default:
			// SHOULD/MAY outside strict mode: reported, not failing the run.
			Skip("[ADVISORY] " + string(v.Requirement.Level) + " not met\n" + v.Text())
		}
	})
}

// Verdicts collects the verdicts of a Ginkgo report. A spec that ended without one (panic, timeout,
// interrupt) becomes a blocking failure of its requirement, never a silent pass.
func Verdicts(r Report, red interface{ String(string) string }) []verdict.Verdict {
	var out []verdict.Verdict
	for _, sr := range r.SpecReports {
		if sr.LeafNodeType != types.NodeTypeIt {
			continue
		}
		if v, ok := verdictOf(sr); ok {
			out = append(out, v)
			continue
		}
		if sr.State == types.SpecStateSkipped || sr.State == types.SpecStatePending {
			continue // filtered out by --label-filter/--focus or a dry run
		}
		if sr.State == types.SpecStatePassed && r.SuiteConfig.DryRun {
			continue
		}
		id := requirement.ID(strings.Fields(sr.LeafNodeText + " ?")[0])
		req, ok := requirement.Lookup(id)
		if !ok {
			req = requirement.Requirement{ID: id, Level: requirement.Must}
		}
		out = append(out, verdict.Verdict{Requirement: req, Case: sr.LeafNodeText, Outcome: verdict.Fail, Blocking: true,
			Message: red.String(fmt.Sprintf("the spec ended %s without a verdict: %s", sr.State, sr.Failure.Message))})
	}
	return out
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

// afterSuite writes the reports and enforces the "something was verified" gate.
func afterSuite(p *Prepared, r Report) {
	if r.SuiteConfig.DryRun {
		return
	}
	vs := Verdicts(r, p.Redactor)
	run := p.ReportRun(r.StartTime, r.EndTime, vs)
	if p.Config.ReportDir != "" {
		if err := writeReports(p.Config.ReportDir, run); err != nil {
			Fail(p.Redactor.String(err.Error()))
		}
	}
	s := verdict.Summarize(vs)
	fmt.Fprint(GinkgoWriter, p.Redactor.String(SummaryTable(s)))
	// Blocking failures already failed their specs; a run that verified nothing fails here.
	if s.BlockingFailures == 0 && !s.Passed() {
		Fail(s.GateText())
	}
}
