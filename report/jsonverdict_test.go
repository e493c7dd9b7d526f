package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/graphconform/graphconform/verdict"
)

// Format 2 keeps every non-pass verdict whole, passes identifiable (requirement, case, operation,
// persona, outcome) without their message or expectation, and each operation's wording of a
// requirement once: reading it back gives the same verdicts, and the same report.
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
	vs[0].Requirement.Title = "a title of its own" // differs from its cell's: kept on the verdict
	r.Verdicts = vs
	var buf bytes.Buffer
	if err := WriteJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), "[opB]"); n > len(analyze(r).Ops[1].Cells) {
		t.Errorf("opB's wording appears %d times: once per cell expected", n)
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
			w.Expected, w.Message = "", ""
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
