package report

import (
	"time"

	"github.com/graphconform/graphconform/requirement"
	"github.com/graphconform/graphconform/verdict"
)

// report.json at scale: a run of 1,000 operations has 40,000 verdicts, and format 1 repeated in
// each its requirement's level, area, title and source (a third of a passing run's file). In format
// 2 a verdict names its requirement by ID (level, area and texts are the catalogue's); one that did
// not pass is kept whole, with the title and source its operation gives the requirement ("...
// [microsoft.graph.wipe]") where they differ from the catalogue's: a --rerun, a merge and a person
// need every one of them. A pass keeps what identifies it (requirement, case, operation, persona),
// its outcome and duration, not its message, expectation or wording. Exchanges are kept whenever
// the run recorded them: --exchanges failures leaves passes without.

// jsonOperation is one row of summary.operations: one operation's verdict per requirement.
type jsonOperation struct {
	Operation    string         `json:"operation"`
	Counts       map[status]int `json:"counts"`
	Requirements []jsonCell     `json:"requirements"`
}

// jsonCell is one operation x requirement verdict.
type jsonCell struct {
	ID     requirement.ID          `json:"id"`
	Status status                  `json:"status"`
	Reason string                  `json:"reason,omitempty"`
	Cases  map[verdict.Outcome]int `json:"cases"`
}

// jsonVerdict is a verdict as report.json writes it.
type jsonVerdict struct {
	Requirement requirement.ID `json:"requirement"`
	// Title and Source: a verdict that did not pass, where they differ from the catalogue's.
	Title     string              `json:"title,omitempty"`
	Source    *requirement.Source `json:"source,omitempty"`
	Case      string              `json:"case"`
	Operation string              `json:"operation"`
	Persona   string              `json:"persona,omitempty"`
	Outcome   verdict.Outcome     `json:"outcome"`
	Blocking  bool                `json:"blocking"`
	Message   string              `json:"message,omitempty"`
	Expected  string              `json:"expected,omitempty"`
	Exchanges []verdict.Exchange  `json:"exchanges,omitempty"`
	Duration  time.Duration       `json:"duration"`
}

type cellKey struct {
	op string
	id requirement.ID
}

func jsonOperations(ops []opView) []jsonOperation {
	out := make([]jsonOperation, 0, len(ops))
	for _, o := range ops {
		j := jsonOperation{Operation: o.Operation, Counts: map[status]int{}, Requirements: []jsonCell{}}
		for _, st := range statuses {
			j.Counts[st] = o.Counts[st]
		}
		for _, c := range o.Cells {
			j.Requirements = append(j.Requirements, jsonCell{ID: c.Requirement.ID, Status: c.Status, Reason: c.Reason, Cases: c.Cases})
		}
		out = append(out, j)
	}
	return out
}

func slimVerdicts(vs []verdict.Verdict) []jsonVerdict {
	out := make([]jsonVerdict, 0, len(vs)) // [] rather than null: the schema says array
	for _, v := range vs {
		j := jsonVerdict{Requirement: v.Requirement.ID, Case: v.Case, Operation: v.Operation, Persona: v.Persona,
			Outcome: v.Outcome, Blocking: v.Blocking, Duration: v.Duration}
		if v.Outcome != verdict.Pass {
			j.Message, j.Expected, j.Title, j.Source = v.Message, v.Expected, v.Requirement.Title, &v.Requirement.Source
			if q, ok := requirement.Lookup(v.Requirement.ID); ok && q.Title == j.Title {
				j.Title = ""
			}
			if q, ok := requirement.Lookup(v.Requirement.ID); ok && q.Source == *j.Source {
				j.Source = nil
			}
		}
		j.Exchanges = v.Exchanges
		out = append(out, j)
	}
	return out
}

// fullVerdicts is slimVerdicts undone, with the catalogue's level, area and (unless the verdict
// says otherwise) texts. ok is false at the first unknown requirement ID (its index).
func fullVerdicts(js []jsonVerdict) ([]verdict.Verdict, int, bool) {
	out := make([]verdict.Verdict, 0, len(js))
	for i, j := range js {
		q, ok := requirement.Lookup(j.Requirement)
		if !ok {
			return nil, i, false
		}
		if j.Title != "" {
			q.Title = j.Title
		}
		if j.Source != nil {
			q.Source = *j.Source
		}
		out = append(out, verdict.Verdict{Requirement: q, Case: j.Case, Operation: j.Operation, Persona: j.Persona,
			Outcome: j.Outcome, Blocking: j.Blocking, Message: j.Message, Expected: j.Expected,
			Exchanges: j.Exchanges, Duration: j.Duration})
	}
	return out, 0, true
}
