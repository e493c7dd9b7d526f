package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/graphconform/graphconform/requirement"
	"github.com/graphconform/graphconform/verdict"
)

// readJSON is ReadJSON on the whole file. A report is read only when it is one this build would
// write: it matches the schema (report.schema.json), every failed verdict blocks exactly when its
// level blocks under the run's strict flag, and its summary is what its verdicts give. A merge
// recomputes the gate from the verdicts, so a verdict it misreads is a gate it misjudges: an
// unknown outcome, a MUST failure marked non-blocking, a level that is not the catalogue's.
func readJSON(b []byte) (Run, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return Run{}, fmt.Errorf("report: reading JSON: %w", err)
	}
	obj, _ := doc.(map[string]any)
	format, ok := obj["reportFormat"].(json.Number)
	switch {
	case obj == nil || obj["reportFormat"] == nil:
		return Run{}, errors.New("report: reading JSON: not a graphconform report.json (no reportFormat)")
	case ok && format.String() == "1":
		return Run{}, fmt.Errorf("report: reading JSON: reportFormat 1 (written by an older graphconform), this version reads %d: merge it with the version that wrote it, or run again", reportFormat)
	case !ok || format.String() != fmt.Sprint(reportFormat):
		return Run{}, fmt.Errorf("report: reading JSON: reportFormat %s, this version reads %d", show(obj["reportFormat"]), reportFormat)
	}
	if err := validateSchema(doc); err != nil {
		return Run{}, err
	}
	var d struct {
		runFields
		Verdicts []jsonVerdict `json:"verdicts"` // shadows runFields.Verdicts, as in document
	}
	if err := json.Unmarshal(b, &d); err != nil { // the schema let it through, so this is a defect of either
		return Run{}, fmt.Errorf("report: reading JSON: %w", err)
	}
	r := Run(d.runFields)
	vs, bad, ok := fullVerdicts(d.Verdicts)
	if !ok {
		return Run{}, invalid(fmt.Sprintf("/verdicts/%d/requirement", bad), "%q is not in this build's requirement catalogue (graphconform requirements lists it)", d.Verdicts[bad].Requirement)
	}
	r.Verdicts = vs
	if len(r.Verdicts) == 0 {
		r.Verdicts = nil // the writer writes none as []; a Run holds none as nil
	}
	if err := checkVerdicts(r); err != nil {
		return Run{}, err
	}
	if r.Specs != nil && r.Specs.Ran > r.Specs.Selected {
		return Run{}, invalid("/specs/ran", "%d specs ran but only %d were selected", r.Specs.Ran, r.Specs.Selected)
	}
	if err := checkSummary(obj, r); err != nil {
		return Run{}, err
	}
	return r, nil
}

// checkVerdicts checks what the schema cannot: a verdict's requirement is the catalogue's, at the
// catalogue's level, and a failure blocks whenever that level blocks under the run's --strict. A
// failure may block beyond that (a spec that ended without a verdict blocks whatever its level):
// only a failure that does not block where it must could turn into a PASS.
func checkVerdicts(r Run) error {
	for i, v := range r.Verdicts {
		at := fmt.Sprintf("/verdicts/%d", i)
		q, ok := requirement.Lookup(v.Requirement.ID)
		switch {
		case !ok:
			return invalid(at+"/requirement/id", "%q is not in this build's requirement catalogue (graphconform requirements lists it)", v.Requirement.ID)
		case v.Requirement.Level != q.Level:
			return invalid(at+"/requirement/level", "%q, but %s is a %s requirement", v.Requirement.Level, q.ID, q.Level)
		case v.Outcome == verdict.Fail && !v.Blocking && q.Level.Blocking(r.Strict):
			return invalid(at+"/blocking", "false on a failed %s with strict %v, must be true (%s)", q.Level, r.Strict, requirement.GateRule())
		}
	}
	return nil
}

// checkSummary compares the file's summary with the one this build computes from the file's
// verdicts. Text for people (titles, sources, reasons) is not compared: a catalogue reworded
// between the run and the merge changes no verdict. Everything a tool or the gate reads is.
func checkSummary(file map[string]any, r Run) error {
	b, err := json.Marshal(newDocument(r))
	if err != nil {
		return fmt.Errorf("report: reading JSON: %w", err)
	}
	want, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("report: reading JSON: %w", err)
	}
	// durationSeconds is not compared: the writer measured it on the monotonic clock, which start
	// and end do not carry.
	if p := diff("/summary", file["summary"], want.(map[string]any)["summary"]); p != nil {
		return p
	}
	s := file["summary"].(map[string]any) // the schema requires it
	gate, _ := s["gate"].(string)
	if text, _ := s["gateText"].(string); !strings.HasPrefix(text, gate) {
		return invalid("/summary/gateText", "%q does not start with the gate %q", text, gate)
	}
	return nil
}

// ignored are the members diff does not compare: prose, not verdicts.
func ignored(ptr, key string) bool {
	switch {
	case ptr == "/summary":
		return key == "gateText" // checked against the gate instead: its reasons are prose
	case strings.HasPrefix(ptr, "/summary/requirements/"), strings.HasPrefix(ptr, "/summary/notExercised/"):
		return key == "title" || key == "source" || key == "reason"
	case strings.HasPrefix(ptr, "/summary/operations/"):
		return key == "reason"
	}
	return false
}

// diff names the first place where got (the file) differs from want (recomputed from its verdicts).
func diff(ptr string, got, want any) *InvalidError {
	says := func() *InvalidError {
		return invalid(ptr, "the file says %s, its verdicts give %s", show(got), show(want))
	}
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return says()
		}
		keys := make([]string, 0, len(w)+len(g))
		for k := range w {
			keys = append(keys, k)
		}
		for k := range g {
			if _, dup := w[k]; !dup {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			if ignored(ptr, k) {
				continue
			}
			at := ptr + "/" + escapeToken(k)
			gv, inG := g[k]
			wv, inW := w[k]
			switch {
			case !inG:
				return invalid(at, "missing; its verdicts give %s", show(wv))
			case !inW:
				return invalid(at, "the file says %s, its verdicts give no such entry", show(gv))
			}
			if p := diff(at, gv, wv); p != nil {
				return p
			}
		}
		return nil
	case []any:
		g, ok := got.([]any)
		if !ok {
			return says()
		}
		for i := 0; i < len(g) && i < len(w); i++ {
			if p := diff(fmt.Sprintf("%s/%d", ptr, i), g[i], w[i]); p != nil {
				return p
			}
		}
		if len(g) != len(w) {
			return invalid(ptr, "%d entries, its verdicts (and this build's catalogue) give %d", len(g), len(w))
		}
		return nil
	case json.Number:
		g, ok := got.(json.Number)
		if !ok {
			return says()
		}
		gf, err1 := g.Float64()
		wf, err2 := w.Float64()
		if err1 != nil || err2 != nil || gf != wf {
			return says()
		}
		return nil
	}
	if !reflect.DeepEqual(got, want) {
		return says()
	}
	return nil
}
