package report

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/graphconform/graphconform/requirement"
	"github.com/graphconform/graphconform/verdict"
)

func TestJSONRoundTrip(t *testing.T) {
	for name, r := range map[string]Run{
		"fixture": fixture(),
		"empty":   {},
		"label, zone": func() Run {
			r := fixture()
			r.LabelFilter, r.Strict = "must", true
			for i := range r.Verdicts { // under --strict the failed SHOULD blocks, as the suite writes it
				r.Verdicts[i].Blocking = r.Verdicts[i].Outcome == verdict.Fail
			}
			return r
		}(),
	} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteJSON(&buf, r); err != nil {
				t.Fatal(err)
			}
			got, err := ReadJSON(&buf)
			if err != nil {
				t.Fatal(err)
			}
			// time.Time carries its location; compare instants, then the rest field by field.
			if !got.Start.Equal(r.Start) || !got.End.Equal(r.End) {
				t.Errorf("times %v..%v, want %v..%v", got.Start, got.End, r.Start, r.End)
			}
			got.Start, got.End = r.Start, r.End
			if !reflect.DeepEqual(got, r) {
				t.Errorf("round trip differs:\n got %+v\nwant %+v", got, r)
			}
		})
	}
}

// The JSON written by json.Marshal(run) is the same document as WriteJSON's, summary included.
func TestMarshalJSONMatchesWriteJSON(t *testing.T) {
	r := fixture()
	var buf bytes.Buffer
	if err := WriteJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var a, w map[string]any
	if err := json.Unmarshal(b, &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(buf.Bytes(), &w); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, w) {
		t.Error("json.Marshal(Run) and WriteJSON disagree")
	}
}

func TestJSONSummary(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteJSON(&buf, fixture()); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		ReportFormat    int     `json:"reportFormat"`
		DurationSeconds float64 `json:"durationSeconds"`
		Summary         struct {
			Gate             string                    `json:"gate"`
			Passed           bool                      `json:"passed"`
			BlockingFailures int                       `json:"blockingFailures"`
			AdvisoryFailures int                       `json:"advisoryFailures"`
			Counts           map[string]int            `json:"counts"`
			ByLevel          map[string]map[string]int `json:"byLevel"`
			Requirements     []jsonRequirement         `json:"requirements"`
		} `json:"summary"`
		Verdicts []json.RawMessage `json:"verdicts"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	s := doc.Summary
	if doc.ReportFormat != reportFormat || doc.DurationSeconds != 2.5 || s.Gate != "FAIL" || s.Passed ||
		s.BlockingFailures != 1 || s.AdvisoryFailures != 1 || len(doc.Verdicts) != len(fixture().Verdicts) {
		t.Errorf("header: %+v", doc)
	}
	all := len(requirement.All())
	wantCounts := map[string]int{"pass": 2, "fail": 1, "advisory": 1, "not-applicable": 1, "not-exercised": all - 5}
	if !reflect.DeepEqual(s.Counts, wantCounts) {
		t.Errorf("counts %v, want %v", s.Counts, wantCounts)
	}
	if s.ByLevel["MUST"]["fail"] != 1 || s.ByLevel["SHOULD"]["advisory"] != 1 || s.ByLevel["MAY"]["not-exercised"] != 1 {
		t.Errorf("byLevel %v", s.ByLevel)
	}
	by := map[requirement.ID]jsonRequirement{}
	for _, q := range s.Requirements {
		by[q.ID] = q
	}
	if len(by) != all {
		t.Errorf("%d requirements in the summary, want the whole catalogue (%d)", len(by), all)
	}
	tests := []struct {
		id       requirement.ID
		outcome  string
		status   status
		blocking bool
		reason   string // prefix
		level    requirement.Level
	}{
		{idPass, "pass", statusPass, false, "", requirement.Must},
		{idFail, "fail", statusFail, true, "1 of 2 cases failed", requirement.Must},
		{idAdvisory, "fail", statusAdvisory, false, "1 of 1 cases failed", requirement.Should},
		{idSkip, "skip", statusNotExercised, false, "persona with DeviceManagementConfiguration", requirement.May},
		{idNA, "not-applicable", statusNA, false, "the description has no", requirement.Should},
		{idPassSkip, "pass", statusPass, false, "", requirement.Should},
		{idNotExercised, "skip", statusNotExercised, false, "no spec of this run checked it", requirement.Must},
	}
	for _, tt := range tests {
		q := by[tt.id]
		if string(q.Outcome) != tt.outcome || q.Status != tt.status || q.Blocking != tt.blocking ||
			!strings.HasPrefix(q.Reason, tt.reason) || (tt.reason == "" && q.Reason != "") || q.Level != tt.level {
			t.Errorf("%s: %+v, want outcome %s status %s blocking %v reason %q level %s",
				tt.id, q, tt.outcome, tt.status, tt.blocking, tt.reason, tt.level)
		}
		if q.Src.Doc == "" {
			t.Errorf("%s: no source", tt.id)
		}
	}
	if c := by[idPassSkip].Cases; c["pass"] != 1 || c["skip"] != 1 {
		t.Errorf("case counts %v", c)
	}
}

func TestReadJSONRejects(t *testing.T) {
	for name, in := range map[string]string{
		"not JSON":      "<testsuites/>",
		"ginkgo report": `[{"SuitePath": "/x"}]`,
		"no format":     `{"tool": "graphconform"}`,
		"future format": `{"reportFormat": 3, "tool": "graphconform"}`,
		"bad verdict":   `{"reportFormat": 2, "verdicts": "nope"}`,
		"truncated":     `{"reportFormat": 2, "verdicts": [`,
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := ReadJSON(strings.NewReader(in)); err == nil || !strings.HasPrefix(err.Error(), "report: reading JSON") {
				t.Errorf("err = %v", err)
			}
		})
	}
}
