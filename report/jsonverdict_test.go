package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/graphconform/graphconform/requirement"
	"github.com/graphconform/graphconform/verdict"
)

// Format 2 keeps every non-pass verdict whole (with its operation's wording of the requirement),
// passes identifiable (requirement, case, operation, persona, outcome) without their message,
// expectation or wording: reading it back gives those verdicts, and the same report.
func TestJSONSlimPassesRoundTrip(t *testing.T) {
	r := fixture()
	var vs []verdict.Verdict
	for _, op := range []string{"opA", "opB"} {
		for _, w := range r.Verdicts {
			w.Operation = op
			w.Requirement.Title += " [" + op + "]" // as the plan words a requirement per operation
			if w.Outcome == verdict.Pass {
				w.Expected, w.Message = "2xx", "a note"
			}
			vs = append(vs, w)
		}
	}
	r.Verdicts = vs
	var buf bytes.Buffer
	if err := WriteJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	back, err := ReadJSON(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Verdicts) != len(vs) {
		t.Fatalf("%d verdicts back, want %d", len(back.Verdicts), len(vs))
	}
	for i, w := range vs {
		if w.Outcome == verdict.Pass {
			w.Expected, w.Message, w.Requirement = "", "", requirement.MustLookup(w.Requirement.ID)
		}
		got, _ := json.Marshal(back.Verdicts[i])
		want, _ := json.Marshal(w)
		if !bytes.Equal(got, want) {
			t.Errorf("verdict %d:\n got %s\nwant %s", i, got, want)
		}
	}
	var again bytes.Buffer
	if err := WriteJSON(&again, back); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again.Bytes(), buf.Bytes()) {
		t.Error("writing what was read gives another report.json")
	}
	if strings.Contains(buf.String(), "a note") || strings.Contains(buf.String(), `"2xx"`) {
		t.Error("a pass keeps its message or expectation")
	}
}

// report.json carries what was certified; a persona without permissions has [] (the schema says
// array), and the file reads back under the schema.
func TestJSONRunMetadata(t *testing.T) {
	r := withMetadata(fixture())
	var buf bytes.Buffer
	if err := WriteJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"permissions": []`, `"vendor": "Contoso"`, `"selection": "--operation remoteAssistancePartner_disconnect"`, `"commit": "59f5e92c0ffee"`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("report.json lacks %s", want)
		}
	}
	back, err := ReadJSON(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if back.Product == nil || *back.Product != *r.Product || len(back.Personas) != 2 || back.Selection != r.Selection {
		t.Errorf("read back %+v %+v %q", back.Product, back.Personas, back.Selection)
	}
}
