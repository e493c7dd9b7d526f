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

// report.html lists the operations with a failure or gap in full and only names the clean ones.
func TestHTMLOperationsMatrix(t *testing.T) {
	r := twoOps("PERM-002", func(w *verdict.Verdict) { w.Outcome, w.Persona, w.Message = verdict.Skip, "", "persona not configured" })
	html := renderHTML(t, r)
	if !strings.Contains(html, `<tr id="op-opB"><td class="mono">opB</td>`) || strings.Contains(html, `id="op-opA"`) {
		t.Error("the matrix does not list operation B (and only B) in full")
	}
	if !strings.Contains(html, `<td class="not-exercised" title="persona not configured">N/E</td>`) {
		t.Error("B's PERM-002 cell does not say not exercised, with why")
	}
	if !strings.Contains(row(t, html, "PERM-002"), `PASS<span class="reason">not exercised on operation opB: persona not configured</span>`) {
		t.Error("the requirement row of PERM-002 does not say it was not exercised on B")
	}
	if !strings.Contains(html, "1 operation without a failure or gap</summary>\n<p class=\"mono\">opA</p>") {
		t.Error("the clean operation A is not named in the collapsed list")
	}
}

// report.html shows what was certified, with what and how (never a token); the subtitle names the
// selection; each requirement row and each failure links to its page at the run's commit.
func TestHTMLRunMetadataAndLinks(t *testing.T) {
	r := withMetadata(fixture())
	html := renderHTML(t, r)
	for _, want := range []string{
		`<div class="subtitle">Selected: --operation remoteAssistancePartner_disconnect</div>`,
		"<tr><th>Product</th><td>Contoso Graph Gateway 2.3.1<br>contact: conformance@contoso.example</td></tr>",
		"<div><strong>admin</strong> (work): DeviceManagementServiceConfig.ReadWrite.All</div>",
		"<div><strong>app</strong> (application): no permissions</div>",
		"graphconform run --base-url https://gw.contoso.example/v1.0 --label-filter &#39;must &amp;&amp; !permissions&#39;",
		"build v0.1.0 commit 59f5e92c0ffee",
		`<a class="page" href="https://github.com/graphconform/graphconform/blob/59f5e92c0ffee/docs/requirements/DISC-001.md">(page)</a>`,
		`<a href="https://github.com/graphconform/graphconform/blob/59f5e92c0ffee/docs/requirements/DISC-002.md">What it checks and how to fix a failure</a>`,
		"graphconform requirements ID</span> prints it offline",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("report.html lacks %s", want)
		}
	}
	if strings.Contains(renderHTML(t, fixture()), "remoteAssistancePartners/{id}/disconnect") {
		t.Error("the subtitle still names disconnect")
	}
	if !strings.Contains(renderHTML(t, fixture()), "Selected: every operation of the description") {
		t.Error("a run of everything does not say so")
	}
	if got := RequirementPageURL(Build{}, "PERM-004.1"); got != "https://github.com/graphconform/graphconform/blob/main/docs/requirements/PERM-004.1.md" {
		t.Errorf("page without a commit: %s", got)
	}
}

// One operation failing every case stays bounded: failuresInFull in full, then one line each up
// to htmlBriefRows, then a count.
func TestHTMLFailuresBounded(t *testing.T) {
	r := fixture()
	base := r.Verdicts[2] // the failing DISC-002 case, with its exchanges
	for i := 0; i < 500; i++ {
		w := base
		w.Case = "case " + strings.Repeat("x", i%7) + string(rune('a'+i%26))
		w.Operation = "op" + string(rune('A'+i%20))
		r.Verdicts = append(r.Verdicts, w)
	}
	html := renderHTML(t, r)
	if n := strings.Count(html, "<h4>Case: "); n != failuresInFull+1 { // and the fixture's advisory failure
		t.Errorf("%d cases in full, want %d", n, failuresInFull+1)
	}
	if !strings.Contains(html, "491 more failed cases, one line each (the first 200; 291 more are in report.json)") {
		t.Error("the rest are not counted")
	}
}
