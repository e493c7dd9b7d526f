package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/graphconform/graphconform/requirement"
	"github.com/graphconform/graphconform/verdict"
)

// reportFormat versions the JSON layout, so a tool (or ReadJSON) can refuse a file it would
// misread instead of silently reading zeros. Bump it on any incompatible change. Format 2 (format 1
// repeated each verdict's whole requirement and kept passes' messages): a verdict names its
// requirement by ID, summary.operations is the operation x requirement matrix, and a pass keeps
// only what identifies it (see jsonverdict.go).
const reportFormat = 2

// runFields is Run without its methods, so document can embed it without recursing into
// Run.MarshalJSON; embedding flattens Run's fields into the top level of the document.
type runFields Run

// document is the layout of report.json: the run's own fields, plus what is computed from them.
type document struct {
	ReportFormat int `json:"reportFormat"`
	runFields
	DurationSeconds float64     `json:"durationSeconds"`
	Summary         jsonSummary `json:"summary"`
	// Verdicts shadows runFields.Verdicts to come after the summary (a person opening the file sees
	// the verdict per requirement before thousands of spec verdicts) and in their slim form.
	Verdicts []jsonVerdict `json:"verdicts"`
}

type jsonSummary struct {
	// Gate is "PASS", "FAIL" or "INCOMPLETE" (the run did not judge every spec it selected); the
	// exit code of graphconform run and merge follows it.
	Gate string `json:"gate"`
	// GateText is the gate with its reasons, exactly the console's "graphconform gate:" line.
	GateText string `json:"gateText"`
	// Passed is Gate == "PASS".
	Passed bool `json:"passed"`
	// Complete: every selected spec ran and the target was judged (see the run's specs, incomplete
	// and error).
	Complete         bool                      `json:"complete"`
	BlockingFailures int                       `json:"blockingFailures"`
	AdvisoryFailures int                       `json:"advisoryFailures"`
	Counts           map[status]int            `json:"counts"`
	ByLevel          map[string]map[status]int `json:"byLevel"`
	// NotExercised lists every requirement nothing checked (status not-exercised or
	// not-applicable), with the reason; "required" ones are those a certification needs.
	NotExercised []gap             `json:"notExercised"`
	Requirements []jsonRequirement `json:"requirements"`
	// Operations is the operation x requirement matrix: per operation, the status of each
	// requirement it has cases of.
	Operations []jsonOperation `json:"operations"`
}

// jsonRequirement is one requirement's verdict. The cases themselves are in the top-level
// "verdicts" (matched by requirement.id); repeating them here would double the file's size.
type jsonRequirement struct {
	ID    requirement.ID     `json:"id"`
	Level requirement.Level  `json:"level"`
	Area  requirement.Area   `json:"area"`
	Title string             `json:"title"`
	Src   requirement.Source `json:"source"`
	// Outcome is verdict.Summarize's; Status refines it (advisory, not-applicable, not-exercised).
	Outcome  verdict.Outcome         `json:"outcome"`
	Status   status                  `json:"status"`
	Blocking bool                    `json:"blocking"`
	Reason   string                  `json:"reason,omitempty"`
	Cases    map[verdict.Outcome]int `json:"cases"`
}

// MarshalJSON writes the report.json layout: the summary is computed here, from Verdicts, every
// time, so no JSON form of a Run can carry a summary that disagrees with its verdicts.
func (r Run) MarshalJSON() ([]byte, error) {
	return json.Marshal(newDocument(r))
}

func newDocument(r Run) document {
	a := analyze(r)
	s := jsonSummary{
		Gate:             a.Gate,
		GateText:         a.GateText,
		Passed:           a.Passed(),
		Complete:         r.Complete(),
		NotExercised:     append([]gap{}, a.Gaps...),
		BlockingFailures: a.Summary.BlockingFailures,
		AdvisoryFailures: a.Advisory,
		Counts:           map[status]int{},
		ByLevel:          map[string]map[status]int{},
		Requirements:     []jsonRequirement{},
	}
	// Every status appears, zero or not, so tools can read counts without checking for presence.
	for _, st := range statuses {
		s.Counts[st] = a.Counts[st]
	}
	for l, m := range a.ByLevel {
		s.ByLevel[string(l)] = map[status]int{}
		for _, st := range statuses {
			s.ByLevel[string(l)][st] = m[st]
		}
	}
	s.Operations = jsonOperations(a.Ops)
	for _, v := range a.Reqs {
		cases := map[verdict.Outcome]int{}
		for _, c := range v.Cases {
			cases[c.Outcome]++
		}
		q := v.Requirement
		s.Requirements = append(s.Requirements, jsonRequirement{
			ID: q.ID, Level: q.Level, Area: q.Area, Title: q.Title, Src: q.Source,
			Outcome: v.Outcome, Status: v.Status, Blocking: v.Blocking, Reason: v.Reason, Cases: cases,
		})
	}
	fields := runFields(r)
	fields.Personas = personasShown(r.Personas)
	return document{
		ReportFormat:    reportFormat,
		runFields:       fields,
		DurationSeconds: r.Duration().Seconds(),
		Summary:         s,
		Verdicts:        slimVerdicts(r.Verdicts),
	}
}

// personasShown is the personas with [] for no permissions: the schema says array, and a reader
// should not have to tell null from none.
func personasShown(ps []PersonaInfo) []PersonaInfo {
	if ps == nil {
		return nil
	}
	out := make([]PersonaInfo, len(ps))
	for i, p := range ps {
		if p.Permissions == nil {
			p.Permissions = []string{}
		}
		out[i] = p
	}
	return out
}

// WriteJSON writes report.json: run metadata, the per-requirement summary, and every spec verdict.
//
// The document is indented, but each verdict is one line: at 40,000 verdicts indentation would be a
// sixth of the file, and a line per spec is what grep and diff want.
func WriteJSON(w io.Writer, r Run) error {
	d := newDocument(r)
	vs := d.Verdicts
	d.Verdicts = []jsonVerdict{}
	var head bytes.Buffer
	enc := json.NewEncoder(&head)
	enc.SetIndent("", "  ")
	// Messages and bodies quote HTML and URLs; \u003c escapes would only make them harder to read.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d); err != nil {
		return fmt.Errorf("report: writing JSON: %w", err)
	}
	// "verdicts" is the document's last member, so the encoding ends with its empty array.
	const tail = "\"verdicts\": []\n}\n"
	if !bytes.HasSuffix(head.Bytes(), []byte(tail)) {
		return fmt.Errorf("report: writing JSON: the document does not end with its verdicts")
	}
	bw := bufio.NewWriter(w)
	bw.Write(head.Bytes()[:head.Len()-len(tail)])
	bw.WriteString("\"verdicts\": [")
	var one bytes.Buffer
	line := json.NewEncoder(&one)
	line.SetEscapeHTML(false)
	for i, v := range vs {
		one.Reset()
		if err := line.Encode(v); err != nil {
			return fmt.Errorf("report: writing JSON: %w", err)
		}
		sep := ",\n    "
		if i == 0 {
			sep = "\n    "
		}
		bw.WriteString(sep)
		bw.Write(bytes.TrimSuffix(one.Bytes(), []byte("\n"))) // a write error sticks to bw: Flush reports it
	}
	if len(vs) > 0 {
		bw.WriteString("\n  ")
	}
	bw.WriteString("]\n}\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("report: writing JSON: %w", err)
	}
	return nil
}

// ReadJSON reads what WriteJSON wrote, and only that: the file must match report.schema.json and
// its summary what its verdicts give (see readJSON); a problem is an *InvalidError naming the JSON
// pointer. The summary itself is then dropped: it is recomputed whenever the Run is written again.
func ReadJSON(rd io.Reader) (Run, error) {
	b, err := io.ReadAll(rd)
	if err != nil {
		return Run{}, fmt.Errorf("report: reading JSON: %w", err)
	}
	return readJSON(b)
}
