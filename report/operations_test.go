package report

import (
	"strings"
	"testing"

	"github.com/graphconform/graphconform/requirement"
	"github.com/graphconform/graphconform/verdict"
)

// twoOps is a complete run over two operations, A and B, in which every requirement passes on both,
// but for what change does to B's case of idX.
func twoOps(idX requirement.ID, change func(*verdict.Verdict)) Run {
	r := complete(nil)
	var vs []verdict.Verdict
	for _, op := range []string{"opA", "opB"} {
		for _, w := range r.Verdicts {
			w.Operation = op
			if op == "opB" && w.Requirement.ID == idX {
				change(&w)
			}
			vs = append(vs, w)
		}
	}
	r.Verdicts = vs
	r.Specs = &Specs{Selected: len(vs), Ran: len(vs)}
	return r
}

// One operation's pass must never hide another operation's failed or unexercised MUST: the gate,
// --certify, report.json's notExercised and the HTML matrix all see operation B.
func TestGateJudgesEachOperationRequirementPair(t *testing.T) {
	const idX = requirement.ID("PERM-002") // a MUST
	if requirement.MustLookup(idX).Level != requirement.Must {
		t.Fatalf("%s is not a MUST", idX)
	}
	const why = "persona not configured: add a persona with account: application"
	skipped := func(w *verdict.Verdict) { w.Outcome, w.Persona, w.Message = verdict.Skip, "", why }
	failed := func(w *verdict.Verdict) { w.Outcome, w.Blocking, w.Message = verdict.Fail, true, "got 200, want 403" }

	t.Run("B skipped, certify", func(t *testing.T) {
		r := twoOps(idX, skipped)
		r.Certify = true
		e := render(t, r)
		want := "FAIL (certification: 1 MUST not exercised: PERM-002 (on operation opB: " + why + "))"
		if e.json.Summary.GateText != want {
			t.Errorf("gate %q, want %q", e.json.Summary.GateText, want)
		}
		var g *gap
		for i := range e.json.Summary.NotExercised {
			if e.json.Summary.NotExercised[i].ID == idX {
				g = &e.json.Summary.NotExercised[i]
			}
		}
		if g == nil || !g.Required || len(g.Operations) != 1 || g.Operations[0] != "opB" {
			t.Errorf("notExercised: %+v", e.json.Summary.NotExercised)
		}
		if c := gateCase(e.doc, "graphconform gate"); c == nil || c.Failure == nil {
			t.Errorf("junit.xml has no failing gate case:\n%s", e.junit)
		}
	})
	t.Run("B skipped, no certify", func(t *testing.T) {
		g, text := Gate(twoOps(idX, skipped))
		if g != GatePass || !strings.Contains(text, "PERM-002 (on operation opB: "+why+")") {
			t.Errorf("gate %s %q: the gap on B is not named next to the PASS", g, text)
		}
	})
	t.Run("B fails", func(t *testing.T) {
		r := twoOps(idX, failed)
		g, text := Gate(r)
		if g != GateFail || !strings.Contains(text, "1 blocking requirement failure") {
			t.Errorf("gate %s %q", g, text)
		}
		a := analyze(r)
		for _, o := range a.Ops {
			for _, c := range o.Cells {
				if c.Requirement.ID == idX && (c.Status == statusFail) != (o.Operation == "opB") {
					t.Errorf("%s x %s: %s", o.Operation, idX, c.Status)
				}
			}
		}
	})
	t.Run("both pass", func(t *testing.T) {
		r := twoOps(idX, func(*verdict.Verdict) {})
		r.Certify = true
		if g, text := Gate(r); g != GatePass || text != GatePass {
			t.Errorf("gate %s %q", g, text)
		}
	})
}
