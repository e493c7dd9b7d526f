package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/graphconform/graphconform/requirement"
	"github.com/graphconform/graphconform/verdict"
)

// complete is a run in which every catalogue requirement passed, but for the given skips (ID →
// reason) and advisory failures.
func complete(skips map[requirement.ID]string, advisory ...requirement.ID) Run {
	r := fixture()
	r.Verdicts = nil
	adv := map[requirement.ID]bool{}
	for _, id := range advisory {
		adv[id] = true
	}
	for _, q := range requirement.All() {
		switch {
		case skips[q.ID] != "":
			r.Verdicts = append(r.Verdicts, v(q.ID, "no persona exercises this row", "", verdict.Skip, false, skips[q.ID], 0))
		case adv[q.ID]:
			r.Verdicts = append(r.Verdicts, v(q.ID, "case", "admin", verdict.Fail, false, "got 400, want 204", 0))
		default:
			r.Verdicts = append(r.Verdicts, v(q.ID, "case", "admin", verdict.Pass, false, "", 0))
		}
	}
	r.Specs = &Specs{Selected: len(r.Verdicts), Ran: len(r.Verdicts)}
	return r
}

// everything renders a run in every form a reader sees its gate in.
type everything struct {
	text, html, junit string
	json              struct {
		Specs   *Specs `json:"specs"`
		Summary struct {
			Gate, GateText string
			Passed         bool
			Complete       bool
			NotExercised   []gap
		} `json:"summary"`
	}
	doc junitSuites
}

func render(t *testing.T, r Run) everything {
	t.Helper()
	var e everything
	e.text = Text(r)
	e.html = renderHTML(t, r)
	var j bytes.Buffer
	if err := WriteJSON(&j, r); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(j.Bytes(), &e.json); err != nil {
		t.Fatal(err)
	}
	e.doc, e.junit = decodeJUnit(t, r)
	return e
}

// gateCase finds a case of the gate suite by name.
func gateCase(doc junitSuites, name string) *junitCase {
	for i, c := range doc.Suites[0].Cases {
		if c.Name == name {
			return &doc.Suites[0].Cases[i]
		}
	}
	return nil
}

// An interrupted or timed-out run that found nothing wrong is INCOMPLETE everywhere: console gate
// line, report.json (with how many specs ran of how many), junit.xml (an <error>) and the HTML
// badge; never PASS.
func TestIncompleteRunIsNeverPass(t *testing.T) {
	r := complete(nil)
	r.Specs = &Specs{Selected: 41, Ran: 12}
	r.Incomplete = "interrupted (SIGINT or SIGTERM)"
	e := render(t, r)
	const why = "12 of 41 selected specs ran: interrupted (SIGINT or SIGTERM)"
	if !strings.Contains(e.text, "graphconform gate: INCOMPLETE ("+why+")") {
		t.Errorf("console gate line:\n%s", e.text)
	}
	s := e.json.Summary
	if s.Gate != GateIncomplete || s.Passed || s.Complete || e.json.Specs == nil || e.json.Specs.Ran != 12 || e.json.Specs.Selected != 41 ||
		!strings.Contains(s.GateText, why) {
		t.Errorf("report.json: %+v specs %+v", s, e.json.Specs)
	}
	c := gateCase(e.doc, "graphconform run")
	if c == nil || c.Error == nil || c.Error.Type != "incomplete" || !strings.Contains(c.Error.Message, "INCOMPLETE: "+why) ||
		e.doc.Errors != 1 || e.doc.Suites[0].Errors != 1 {
		t.Errorf("junit.xml: no incomplete <error>: %+v\n%s", c, e.junit)
	}
	for _, want := range []string{`<div class="gate incomplete">INCOMPLETE<small>12 of 41 specs ran</small>`, "INCOMPLETE run:</strong> " + why,
		"<title>graphconform INCOMPLETE:"} {
		if !strings.Contains(e.html, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	if strings.Contains(e.html, `gate pass`) {
		t.Error("report.html shows a green badge")
	}

	// Specs short of the selection alone (e.g. --ginkgo.fail-fast) is incomplete too.
	r.Incomplete = ""
	if g, text := Gate(r); g != GateIncomplete || !strings.Contains(text, "12 of 41 selected specs ran") {
		t.Errorf("gate %s %q", g, text)
	}
	// A blocking failure among what ran is a FAIL: the target does not conform, however much is missing,
	// and the line still says the run was incomplete.
	r.Incomplete = "the run timeout (5m0s) elapsed"
	r.Verdicts[0] = v(r.Verdicts[0].Requirement.ID, "case", "admin", verdict.Fail, true, "boom", 0)
	if r.Verdicts[0].Requirement.Level != requirement.Must {
		t.Fatalf("%s is not a MUST", r.Verdicts[0].Requirement.ID)
	}
	g, text := Gate(r)
	if g != GateFail || !strings.Contains(text, "INCOMPLETE: 12 of 41 selected specs ran: the run timeout (5m0s) elapsed") {
		t.Errorf("gate %s %q", g, text)
	}
	if e := render(t, r); gateCase(e.doc, "graphconform run") == nil || !strings.Contains(e.html, "run incomplete") {
		t.Error("a failing incomplete run does not say it is incomplete in junit.xml and report.html")
	}
}

// MUST requirements nothing exercised are named, with why, next to a PASS; --certify fails on them;
// a SHOULD counts only with --strict; a MAY never.
func TestNotExercisedAndCertification(t *testing.T) {
	skips := map[requirement.ID]string{
		"PERM-002":   "persona not configured: add a persona with account: application",
		"PERM-004":   "persona not configured: add a persona with account: personal",
		"PERM-004.1": "persona not configured: add a persona with account: personal",
		"PERM-005":   "persona not configured: add a persona holding only a metadata permission",
	}
	const must = "2 MUST not exercised: PERM-002 (persona not configured: add a persona with account: application), " +
		"PERM-004 (persona not configured: add a persona with account: personal)"
	const should = "1 SHOULD not exercised: PERM-004.1 (persona not configured: add a persona with account: personal)"
	tests := []struct {
		name            string
		strict, certify bool
		gate, text      string
	}{
		{"default", false, false, GatePass, "PASS; " + must},
		{"strict", true, false, GatePass, "PASS; " + must + "; " + should},
		{"certify", false, true, GateFail, "FAIL (certification: " + must + ")"},
		{"certify strict", true, true, GateFail, "FAIL (certification: " + must + "; " + should + ")"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := complete(skips)
			r.Strict, r.Certify = tt.strict, tt.certify
			e := render(t, r)
			if e.json.Summary.Gate != tt.gate || e.json.Summary.GateText != tt.text {
				t.Errorf("gate %s %q, want %s %q", e.json.Summary.Gate, e.json.Summary.GateText, tt.gate, tt.text)
			}
			if !strings.Contains(e.text, "graphconform gate: "+tt.text+"\n") {
				t.Errorf("console:\n%s", e.text)
			}
			required := map[requirement.ID]bool{}
			for _, g := range e.json.Summary.NotExercised {
				if g.Status != statusNotExercised || g.Reason != skips[g.ID] {
					t.Errorf("notExercised %+v", g)
				}
				required[g.ID] = g.Required
			}
			if len(required) != len(skips) || !required["PERM-002"] || !required["PERM-004"] || required["PERM-005"] || required["PERM-004.1"] != tt.strict {
				t.Errorf("notExercised required: %v", required)
			}
			if !strings.Contains(e.html, `<li><a href="#req-PERM-002">PERM-002</a> [MUST] NOT EXERCISED: persona not configured: add a persona with account: application</li>`) {
				t.Error("report.html does not name PERM-002 with its reason")
			}
			c := gateCase(e.doc, "graphconform gate")
			if (tt.gate == GateFail) != (c != nil && c.Failure != nil && c.Failure.Type == "gate") {
				t.Errorf("junit.xml gate case %+v for gate %s", c, tt.gate)
			}
		})
	}

	// Not applicable overall counts as not exercised for a certification.
	r := complete(nil)
	r.Certify = true
	for i := range r.Verdicts {
		if r.Verdicts[i].Requirement.ID == "DISC-002" {
			r.Verdicts[i].Outcome, r.Verdicts[i].Message = verdict.NotApplicable, "the target did not answer 204"
		}
	}
	if g, text := Gate(r); g != GateFail || !strings.Contains(text, "DISC-002 (not applicable: the target did not answer 204)") {
		t.Errorf("gate %s %q", g, text)
	}
	// A shard holds only some specs: a requirement it has none of is left to the merge.
	r = complete(nil)
	r.Certify, r.Shard = true, "2/3"
	r.Verdicts = r.Verdicts[1:]
	if g, text := Gate(r); g != GatePass {
		t.Errorf("shard: gate %s %q", g, text)
	}
	r.Shard = ""
	if g, _ := Gate(r); g != GateFail {
		t.Errorf("whole run without %s: gate %s", complete(nil).Verdicts[0].Requirement.ID, g)
	}
	// A requirement none of the selected operations has a case of does not apply to them: not
	// applicable, and no gap of a certification. The same requirement without that record is one.
	missing := complete(nil).Verdicts[0].Requirement.ID
	r.Inapplicable = []requirement.ID{missing}
	if g, text := Gate(r); g != GatePass || strings.Contains(text, string(missing)) {
		t.Errorf("inapplicable %s: gate %s %q", missing, g, text)
	}
	for _, v := range analyze(r).Reqs {
		if v.Requirement.ID == missing && (v.Status != statusNA || !strings.Contains(v.Reason, "does not apply")) {
			t.Errorf("inapplicable %s: status %s, reason %q", missing, v.Status, v.Reason)
		}
	}
	if _, err := ReadJSON(bytes.NewReader(encodeRun(t, r))); err != nil {
		t.Errorf("a report with inapplicable requirements does not read back: %v", err)
	}
}

func encodeRun(t *testing.T, r Run) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// An advisory failure is a failure on the console and in every report, and not a skip.
func TestAdvisoryIsAFailureNotASkip(t *testing.T) {
	r := complete(nil, "DISC-005")
	e := render(t, r)
	if e.json.Summary.Gate != GatePass || !strings.Contains(e.text, "DISC-005     SHOULD  fail (advisory)") ||
		!strings.Contains(e.text, "graphconform gate: PASS; 1 advisory failure (does not fail the run): DISC-005 [SHOULD]") {
		t.Errorf("console:\n%s", e.text)
	}
	adv := e.doc.Suites[1]
	if adv.Failures != 1 || adv.Skipped != 0 || e.doc.Suites[0].Failures != 0 || e.doc.Suites[0].Errors != 0 {
		t.Errorf("junit.xml: advisory suite %d failures, %d skipped; gate suite %d failures", adv.Failures, adv.Skipped, e.doc.Suites[0].Failures)
	}
	if strings.Contains(e.junit, "<skipped message=\"ADVISORY") {
		t.Error("junit.xml reports the advisory failure as skipped")
	}
}

// A merge of shards where one was interrupted is INCOMPLETE; one shard that did not judge its target
// keeps the merge from passing too.
func TestMergeCarriesIncomplete(t *testing.T) {
	a, b := complete(nil), complete(nil)
	a.Shard, b.Shard = "1/2", "2/2"
	a.Verdicts, b.Verdicts = a.Verdicts[:10], b.Verdicts[10:]
	a.Specs, b.Specs = &Specs{Selected: 10, Ran: 10}, &Specs{Selected: 20, Ran: 4}
	b.Incomplete = "interrupted (SIGINT or SIGTERM)"
	m, err := Merge(a, b)
	if err != nil {
		t.Fatal(err)
	}
	if m.Complete() || m.Specs == nil || *m.Specs != (Specs{Selected: 30, Ran: 14}) {
		t.Errorf("merged: complete %v specs %+v", m.Complete(), m.Specs)
	}
	g, text := Gate(m)
	if g != GateIncomplete || !strings.Contains(text, "shard 2/2: 4 of 20 selected specs ran: interrupted (SIGINT or SIGTERM)") {
		t.Errorf("merged gate %s %q", g, text)
	}
	// Without the interruption the merge passes.
	b.Specs, b.Incomplete = &Specs{Selected: len(b.Verdicts), Ran: len(b.Verdicts)}, ""
	if m, _ := Merge(a, b); !m.Complete() {
		t.Errorf("complete shards merge incomplete: %q", m.Incomplete)
	} else if g, text := Gate(m); g != GatePass {
		t.Errorf("complete shards: gate %s %q", g, text)
	}
	// A shard that never judged its target.
	b.Verdicts, b.Specs, b.Error = nil, nil, "target unreachable"
	if m, _ := Merge(a, b); m.Complete() || m.Specs != nil {
		t.Errorf("merge with an unjudged shard: complete %v specs %+v", m.Complete(), m.Specs)
	} else if g, _ := Gate(m); g != GateIncomplete {
		t.Errorf("merge with an unjudged shard: gate %s", g)
	}
	// Shards of a certification and of a plain run judge different gates.
	b = a
	b.Certify = true
	if _, err := Merge(a, b); err == nil || !strings.Contains(err.Error(), "certification mode") {
		t.Errorf("merge of certify and plain shards: %v", err)
	}
}
