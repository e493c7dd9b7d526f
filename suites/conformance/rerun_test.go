package conformance_test

import (
	"context"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/graphconform/graphconform/plan"
	"github.com/graphconform/graphconform/report"
	"github.com/graphconform/graphconform/requirement"
	"github.com/graphconform/graphconform/spec"
	"github.com/graphconform/graphconform/suites/conformance"
	"github.com/graphconform/graphconform/verdict"
)

// planned is Plan of cfg against the embedded mock (nothing is sent).
func planned(t *testing.T, cfg conformance.Config) *conformance.Prepared {
	t.Helper()
	p, err := conformance.Plan(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

// ids are the cases' identities as a report names them, sorted.
func ids(cases []plan.Case) []string {
	var out []string
	for i := range cases {
		c := &cases[i]
		out = append(out, string(c.Requirement.ID)+"|"+c.Name+"|"+c.Operation.ID+"|"+c.VerdictPersona())
	}
	sort.Strings(out)
	return out
}

// reportOf is the report of a whole run of p whose case i ended with outcomes[i] (pass otherwise).
func reportOf(p *conformance.Prepared, outcomes map[int]verdict.Outcome) report.Run {
	var vs []verdict.Verdict
	for i := range p.Cases {
		c := &p.Cases[i]
		o, ok := outcomes[i]
		if !ok {
			o = verdict.Pass
		}
		vs = append(vs, verdict.Verdict{Requirement: c.Requirement, Case: c.Name, Operation: c.Operation.ID, Persona: c.VerdictPersona(),
			Outcome: o, Blocking: o == verdict.Fail && c.Requirement.Level.Blocking(false)})
	}
	r := p.ReportRun(timeZero, timeZero, vs)
	r.Specs = &report.Specs{Selected: len(vs), Ran: len(vs)}
	return r
}

func rerunOf(r report.Run) conformance.Config {
	return conformance.Config{Meta: conformance.Meta{Rerun: &conformance.Rerun{File: "r.json", Run: r}}}
}

// A rerun keeps exactly the specs that failed or were skipped; passes and not-applicables stay
// alone, and the count and the selection say so.
func TestRerunKeepsWhatDidNotPass(t *testing.T) {
	whole := planned(t, conformance.Config{})
	r := reportOf(whole, map[int]verdict.Outcome{0: verdict.Fail, 5: verdict.Skip, 9: verdict.NotApplicable, 20: verdict.Fail})
	p := planned(t, rerunOf(r))
	want := ids([]plan.Case{whole.Cases[0], whole.Cases[5], whole.Cases[20]})
	if got := ids(p.Cases); !slices.Equal(got, want) {
		t.Fatalf("rerun cases\n got %q\nwant %q", got, want)
	}
	if p.Rerun.Selected != 3 || p.Rerun.Passed != len(whole.Cases)-3 || len(p.Rerun.Gone) != 0 || p.Rerun.Incomplete {
		t.Errorf("rerun plan %+v", p.Rerun)
	}
	if got := p.ReportRun(timeZero, timeZero, nil).Selection; got != "rerun of r.json: 3 specs" {
		t.Errorf("selection %q", got)
	}
	if s := p.RerunSummary(); !strings.Contains(s, "3 specs failed or skipped there") {
		t.Errorf("summary %q", s)
	}
	if line, _ := p.NothingToRerun(); line != "" {
		t.Errorf("a rerun with 3 specs says %q", line)
	}
	// The shard applies after the rerun's filter, to the rerun's cases only.
	sharded := rerunOf(r)
	sharded.Shard = conformance.Shard{Index: 1, Total: 2}
	ps := planned(t, sharded)
	for _, id := range ids(ps.Cases) {
		if !slices.Contains(want, id) {
			t.Errorf("shard 1/2 of the rerun runs %s", id)
		}
	}
	if ps.Rerun.Selected != 3 {
		t.Errorf("selected %d before the shard, want 3", ps.Rerun.Selected)
	}
}

// A spec the report names that this build no longer has is named and counted, not rerun; a verdict
// the suite made up for a spec without one (its case is the spec text, no persona) is matched by text.
func TestRerunGoneAndTextVerdicts(t *testing.T) {
	whole := planned(t, conformance.Config{})
	r := reportOf(whole, map[int]verdict.Outcome{3: verdict.Fail})
	gone := r.Verdicts[3]
	gone.Case = "a case of another build"
	c := &whole.Cases[7]
	made := verdict.Verdict{Requirement: c.Requirement, Case: c.Text(), Operation: c.Operation.ID, Outcome: verdict.Fail, Blocking: true}
	r.Verdicts = append(r.Verdicts, gone, made)
	p := planned(t, rerunOf(r))
	if want := ids([]plan.Case{whole.Cases[3], whole.Cases[7]}); !slices.Equal(ids(p.Cases), want) {
		t.Errorf("rerun cases %q, want %q", ids(p.Cases), want)
	}
	s := p.RerunSummary()
	if len(p.Rerun.Gone) != 1 || !strings.Contains(s, "1 spec of r.json not in this build") || !strings.Contains(s, "a case of another build") {
		t.Errorf("gone %q, summary %q", p.Rerun.Gone, s)
	}
	if n := strings.Count(strings.TrimRight(s, "\n"), "\n"); n != 1 {
		t.Errorf("summary is not two lines: %q", s)
	}
}

// An incomplete report reruns what it selected but never ran too: its label filter and shard
// over this run's operations.
func TestRerunIncomplete(t *testing.T) {
	whole := planned(t, conformance.Config{})
	r := reportOf(whole, map[int]verdict.Outcome{1: verdict.Fail})
	ran := 10
	r.Verdicts = r.Verdicts[:ran]
	r.Specs = &report.Specs{Selected: len(whole.Cases), Ran: ran}
	r.Incomplete = "interrupted (SIGINT or SIGTERM)"
	p := planned(t, rerunOf(r))
	if want := len(whole.Cases) - ran + 1; len(p.Cases) != want || !p.Rerun.Incomplete {
		t.Errorf("incomplete rerun: %d cases, want %d (the failure and the %d never run)", len(p.Cases), want, len(whole.Cases)-ran)
	}
	if !slices.Contains(ids(p.Cases), ids(whole.Cases[1:2])[0]) || slices.Contains(ids(p.Cases), ids(whole.Cases[0:1])[0]) {
		t.Error("the failure is not rerun, or a pass is")
	}

	// The report's label filter and shard hold.
	r.LabelFilter, r.Shard = "must", "2/3"
	pf := planned(t, rerunOf(r))
	for i := range pf.Cases {
		c := &pf.Cases[i]
		if c.Requirement.Level != requirement.Must || conformance.Of(*c, 3) != 2 {
			t.Errorf("%s (%s, shard %d) is outside the report's filter and shard", c.Text(), c.Requirement.Level, conformance.Of(*c, 3))
		}
	}
	if len(pf.Cases) == 0 {
		t.Error("no case of the report's filter and shard")
	}

	for _, tc := range []struct {
		name string
		edit func(*report.Run, *conformance.Config)
		want string
	}{
		{"another selection", func(r *report.Run, c *conformance.Config) {
			c.Select = spec.Selector{Tags: []string{"deviceManagement.remoteAssistancePartner"}}
		}, `selected every operation, this run selects "tag=deviceManagement.remoteAssistancePartner"`},
		{"an incomplete rerun", func(r *report.Run, _ *conformance.Config) { r.Selection = "rerun of x.json: 3 specs" }, "the report is of a rerun that stopped early"},
		{"a bad shard", func(r *report.Run, _ *conformance.Config) { r.Shard = "4/3" }, `the report's shard "4/3" is not i/n`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rr := r
			rr.LabelFilter, rr.Shard = "", ""
			cfg := rerunOf(rr)
			tc.edit(&rr, &cfg)
			cfg.Meta.Rerun.Run = rr
			_, err := conformance.Plan(context.Background(), cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %v, want one line with %q", err, tc.want)
			}
		})
	}
}

// What a rerun refuses, before anything is sent: another description, --certify.
func TestRerunRefusals(t *testing.T) {
	whole := planned(t, conformance.Config{})
	r := reportOf(whole, map[int]verdict.Outcome{0: verdict.Fail})
	other := r
	other.DescriptionSHA256 = strings.Repeat("ab", 32)
	certify := rerunOf(r)
	certify.Certify = true
	for name, tc := range map[string]struct {
		cfg  conformance.Config
		want string
	}{
		"another description": {rerunOf(other), "--rerun r.json: the report judged the description spec/openapi/disconnect.yaml (SHA-256 abababababab…), this run loads spec/openapi/disconnect.yaml (SHA-256 2b4f"},
		"certify":             {certify, "--rerun r.json: a rerun runs part of a run, which cannot certify"},
	} {
		_, err := conformance.Plan(context.Background(), tc.cfg)
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %v, want one line starting %q", name, err, tc.want)
		}
	}
}

// A report with nothing to rerun says so with the report's gate: PASS when it passed, its own gate
// when it did not (a report that verified nothing is no green rerun).
func TestNothingToRerun(t *testing.T) {
	whole := planned(t, conformance.Config{})
	passed := planned(t, rerunOf(reportOf(whole, nil)))
	line, gate := passed.NothingToRerun()
	if len(passed.Cases) != 0 || gate != report.GatePass || !strings.Contains(line, "nothing to rerun") || strings.Contains(line, "but its gate") {
		t.Errorf("all passed: %d cases, %q, gate %s", len(passed.Cases), line, gate)
	}
	empty := reportOf(whole, nil)
	empty.Verdicts, empty.Specs = nil, &report.Specs{}
	none := planned(t, rerunOf(empty))
	line, gate = none.NothingToRerun()
	if gate != report.GateFail || !strings.Contains(line, "but its gate is FAIL") {
		t.Errorf("nothing verified: %q, gate %s", line, gate)
	}
	if line, _ := whole.NothingToRerun(); line != "" || whole.RerunSummary() != "" || whole.Rerun != nil {
		t.Errorf("a run that is no rerun: %q", line)
	}
}

// The report carries the product, the personas (sorted, never a token), the command line (each
// argument redacted) and the selection in words.
func TestReportRunMeta(t *testing.T) {
	const secret = "gc-secret-on-the-command-line-0123456789"
	product := &report.Product{Vendor: "Contoso", Name: "Gateway", Version: "1.2", Contact: "a@contoso.example"}
	op := "deviceManagement.remoteAssistancePartners.remoteAssistancePartner.disconnect"
	p := planned(t, conformance.Config{Secrets: []string{secret}, Select: spec.Selector{OperationIDs: []string{op}},
		Meta: conformance.Meta{Product: product, CommandLine: []string{"graphconform", "run", "--operation", op + "," + secret}}})
	r := p.ReportRun(timeZero, timeZero, nil)
	if r.Product != product {
		t.Errorf("product %+v", r.Product)
	}
	if got := strings.Join(r.CommandLine, " "); strings.Contains(got, secret) || !strings.Contains(got, "--operation "+op+",<redacted>") {
		t.Errorf("command line %q", got)
	}
	if r.Selection != "operationId="+op {
		t.Errorf("selection %q", r.Selection)
	}
	if len(r.Personas) != len(p.Env.Personas) || len(r.Personas) == 0 {
		t.Fatalf("personas %+v, the run has %d", r.Personas, len(p.Env.Personas))
	}
	for i, ps := range r.Personas {
		if ps.Permissions == nil || ps.Account == "" || (i > 0 && r.Personas[i-1].Name >= ps.Name) {
			t.Errorf("persona %d %+v: unsorted, or no account or permissions", i, ps)
		}
		orig, _ := p.Env.Personas.Lookup(ps.Name)
		if orig.Token == "" || strings.Contains(strings.Join(ps.Permissions, " ")+ps.Name+ps.Account, orig.Token) {
			t.Errorf("persona %s: token missing from the run or present in the report", ps.Name)
		}
	}
}

var timeZero time.Time
