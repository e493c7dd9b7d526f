package report

import (
	"time"

	"github.com/graphconform/graphconform/requirement"
	"github.com/graphconform/graphconform/verdict"
)

// report.json at scale: a run of 1,000 operations has 40,000 verdicts, and format 1 repeated in
// each its requirement's level, area, title and source (a third of a passing run's file). Format 2
// writes each text once per operation x requirement (jsonCell), a verdict names its requirement by
// ID and carries a title or source only where it differs from its cell's, and a pass keeps what
// identifies it (requirement, case, operation, persona) and its duration, not its message or
// expectation. Non-pass verdicts are kept whole: a --rerun or a merge needs every one of them.
// Exchanges are kept whenever the run recorded them: --exchanges failures leaves passes without.

// jsonOperation is one row of summary.operations.
type jsonOperation struct {
	Operation    string         `json:"operation"`
	Counts       map[status]int `json:"counts"`
	Requirements []jsonCell     `json:"requirements"`
}

// jsonCell is one operation x requirement verdict. Title and Source are the requirement's as the
// operation's cases word them ("... [microsoft.graph.wipe]"), omitted when they are the catalogue's.
type jsonCell struct {
	ID     requirement.ID          `json:"id"`
	Title  string                  `json:"title,omitempty"`
	Source *requirement.Source     `json:"source,omitempty"`
	Status status                  `json:"status"`
	Reason string                  `json:"reason,omitempty"`
	Cases  map[verdict.Outcome]int `json:"cases"`
}

// jsonVerdict is a verdict as report.json writes it.
type jsonVerdict struct {
	Requirement requirement.ID `json:"requirement"`
	// Title and Source: only where they differ from the verdict's cell (its operation's wording).
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

// texts is the title and source a verdict of (operation, requirement) has unless it says otherwise:
// its cell's, else the catalogue's.
type texts map[cellKey]requirement.Requirement

func (t texts) of(op string, id requirement.ID) requirement.Requirement {
	if q, ok := t[cellKey{op, id}]; ok {
		return q
	}
	q, _ := requirement.Lookup(id)
	return q
}

func jsonOperations(ops []opView) []jsonOperation {
	out := make([]jsonOperation, 0, len(ops))
	for _, o := range ops {
		j := jsonOperation{Operation: o.Operation, Counts: map[status]int{}, Requirements: []jsonCell{}}
		for _, st := range statuses {
			j.Counts[st] = o.Counts[st]
		}
		for _, c := range o.Cells {
			q := c.Requirement
			jc := jsonCell{ID: q.ID, Status: c.Status, Reason: c.Reason, Cases: c.Cases}
			cat, ok := requirement.Lookup(q.ID)
			if !ok || cat.Title != q.Title {
				jc.Title = q.Title
			}
			if !ok || cat.Source != q.Source {
				src := q.Source
				jc.Source = &src
			}
			j.Requirements = append(j.Requirements, jc)
		}
		out = append(out, j)
	}
	return out
}

// cellTexts reads the cells' texts back: the catalogue's, reworded where the cell says.
func cellTexts(ops []jsonOperation) texts {
	t := texts{}
	for _, o := range ops {
		for _, c := range o.Requirements {
			q, ok := requirement.Lookup(c.ID)
			if !ok {
				continue // the verdicts' check names an unknown ID
			}
			if c.Title != "" {
				q.Title = c.Title
			}
			if c.Source != nil {
				q.Source = *c.Source
			}
			t[cellKey{o.Operation, c.ID}] = q
		}
	}
	return t
}

func slimVerdicts(vs []verdict.Verdict, ops []jsonOperation) []jsonVerdict {
	t := cellTexts(ops)
	out := make([]jsonVerdict, 0, len(vs)) // [] rather than null: the schema says array
	for _, v := range vs {
		q := t.of(v.Operation, v.Requirement.ID)
		j := jsonVerdict{Requirement: v.Requirement.ID, Case: v.Case, Operation: v.Operation, Persona: v.Persona,
			Outcome: v.Outcome, Blocking: v.Blocking, Message: v.Message, Expected: v.Expected,
			Exchanges: v.Exchanges, Duration: v.Duration}
		if v.Requirement.Title != q.Title {
			j.Title = v.Requirement.Title
		}
		if v.Requirement.Source != q.Source {
			src := v.Requirement.Source
			j.Source = &src
		}
		if v.Outcome == verdict.Pass {
			j.Message, j.Expected = "", ""
		}
		out = append(out, j)
	}
	return out
}

// fullVerdicts is slimVerdicts undone, with the catalogue's level and area: a pass comes back
// without message and expectation. ok is false at the first unknown requirement ID (its index).
func fullVerdicts(js []jsonVerdict, ops []jsonOperation) ([]verdict.Verdict, int, bool) {
	t := cellTexts(ops)
	out := make([]verdict.Verdict, 0, len(js))
	for i, j := range js {
		if _, ok := requirement.Lookup(j.Requirement); !ok {
			return nil, i, false
		}
		q := t.of(j.Operation, j.Requirement)
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
