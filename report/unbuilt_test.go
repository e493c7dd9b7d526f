package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"reflect"
	"strings"
	"testing"
)

// withUnbuilt is the fixture run with three operations that were not built, one detail hostile.
func withUnbuilt() Run {
	r := fixture()
	r.Unbuilt = []Unbuilt{
		{OperationID: "users.user.messages.message.move", Kind: "action", Method: "POST", Path: "/users/{user-id}/messages/{message-id}/move",
			Source: "openapi.yaml", Reason: "path with several keys", Detail: "POST /users/{user-id}/messages/{message-id}/move: " + hostile},
		{OperationID: "reports.getCounts", Kind: "function", Method: "GET", Path: "/reports/getCounts()", Source: "openapi.yaml",
			Reason: "function: not modelled yet", Detail: "GET /reports/getCounts(): function, 200 with content"},
		{OperationID: "a.b.go", Kind: "action", Method: "POST", Path: "/a/{a-id}/go", Source: "openapi.yaml",
			Reason: "path with several keys", Detail: "x"},
	}
	return r
}

func TestUnbuiltJSON(t *testing.T) {
	r := withUnbuilt()
	var buf bytes.Buffer
	if err := WriteJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Unbuilt []Unbuilt `json:"unbuilt"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(doc.Unbuilt, r.Unbuilt) {
		t.Errorf("report.json unbuilt = %+v", doc.Unbuilt)
	}
	back, err := ReadJSON(bytes.NewReader(buf.Bytes()))
	if err != nil || !reflect.DeepEqual(back.Unbuilt, r.Unbuilt) {
		t.Errorf("read back %+v, %v", back.Unbuilt, err)
	}
	// A run that built everything has no "unbuilt" key: the array is additive.
	buf.Reset()
	if err := WriteJSON(&buf, fixture()); err != nil || strings.Contains(buf.String(), `"unbuilt"`) {
		t.Errorf("a run without unbuilt operations writes %q (%v)", "unbuilt", err)
	}
}

func TestUnbuiltJUnit(t *testing.T) {
	r := withUnbuilt()
	var buf bytes.Buffer
	if err := WriteJUnit(&buf, r); err != nil {
		t.Fatal(err)
	}
	var doc junitSuites
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("not well-formed: %v", err)
	}
	if len(doc.Suites) != 3 || doc.Suites[0].Name != "graphconform" || doc.Suites[1].Name != "graphconform advisory" || doc.Suites[2].Name != "not built" {
		t.Fatalf("suites %+v, want graphconform, graphconform advisory and not built", doc.Suites)
	}
	nb := doc.Suites[2]
	if nb.Tests != 3 || nb.Skipped != 3 || nb.Failures != 0 || len(nb.Cases) != 3 {
		t.Errorf("not built: tests %d skipped %d failures %d cases %d", nb.Tests, nb.Skipped, nb.Failures, len(nb.Cases))
	}
	for i, c := range nb.Cases {
		u := r.Unbuilt[i]
		if c.Name != u.OperationID || c.Skipped == nil || c.Skipped.Message != "not built: "+u.Reason || c.Skipped.Text != u.Detail || c.Failure != nil {
			t.Errorf("case %d = %+v, want %s skipped with its reason", i, c, u.OperationID)
		}
	}
	gate, advisory := doc.Suites[0], doc.Suites[1]
	if doc.Tests != gate.Tests+advisory.Tests+3 || doc.Skipped != gate.Skipped+advisory.Skipped+3 || doc.Failures != gate.Failures+advisory.Failures {
		t.Errorf("totals tests %d skipped %d failures %d; suites %+v", doc.Tests, doc.Skipped, doc.Failures, doc.Suites[:2])
	}
	if strings.Contains(buf.String(), hostile) {
		t.Error("a detail reached junit.xml unescaped")
	}
	if without, _ := decodeJUnit(t, fixture()); len(without.Suites) != 2 {
		t.Error("a run that built everything has a not-built suite")
	}
}

func TestUnbuiltHTML(t *testing.T) {
	page := renderHTML(t, withUnbuilt())
	for _, want := range []string{
		`<p class="note">3 selected operations were not built and not exercised; the gate covers only what ran (see Not built).</p>`,
		`<h2 id="not-built">Not built</h2>`,
		"3 selected operations got no specs and were not exercised:\n2 path with several keys, 1 function: not modelled yet.",
		`<td class="mono">reports.getCounts</td>`,
		`<td class="mono">GET /reports/getCounts()</td>`,
		`function: not modelled yet<span class="reason">GET /reports/getCounts(): function, 200 with content</span>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	if strings.Contains(page, hostile) {
		t.Error("a detail reached report.html unescaped")
	}
	if strings.Contains(renderHTML(t, fixture()), "Not built") {
		t.Error("a run that built everything shows a Not built section")
	}
}

// Shards of one run list the same unbuilt operations: the merge lists each once.
func TestMergeUnbuilt(t *testing.T) {
	a, b := withUnbuilt(), withUnbuilt()
	b.Unbuilt = append(b.Unbuilt[1:], Unbuilt{OperationID: "only.in.b", Method: "POST", Path: "/b", Reason: "r"})
	m, err := Merge(a, b)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range m.Unbuilt {
		got = append(got, u.OperationID)
	}
	if want := []string{"users.user.messages.message.move", "reports.getCounts", "a.b.go", "only.in.b"}; !reflect.DeepEqual(got, want) {
		t.Errorf("merged unbuilt %v, want %v", got, want)
	}
}
