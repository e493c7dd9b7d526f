package verdict

import (
	"sort"

	"github.com/graphconform/graphconform/requirement"
)

// RequirementResult is the verdict of one requirement over all its specs.
type RequirementResult struct {
	Requirement requirement.Requirement `json:"requirement"`
	Outcome     Outcome                 `json:"outcome"`
	// Blocking is true when the requirement failed and that fails the run.
	Blocking bool      `json:"blocking"`
	Cases    []Verdict `json:"cases"`
}

// Summary is the per-requirement view of a run.
type Summary struct {
	Requirements []RequirementResult `json:"requirements"`
	Counts       map[Outcome]int     `json:"counts"`
	// BlockingFailures counts requirements whose failure fails the run.
	BlockingFailures int `json:"blockingFailures"`
	// Verified counts the specs that passed. A run that verified nothing never passes its gate: every
	// spec skipped or filtered away must not read as conformance.
	Verified int `json:"verified"`
}

// Passed tells whether the verdicts alone pass: no blocking failure, and something was verified. It
// is not the run's gate, which also needs the run to be complete and, with --certify, every required
// requirement exercised: report.Gate decides that, and every report and exit code follows it.
func (s Summary) Passed() bool { return s.BlockingFailures == 0 && s.Verified > 0 }

// Summarize folds spec verdicts into requirement verdicts: fail if any spec failed, else pass if any
// passed, else skip if any was skipped, else not-applicable. Requirements of the catalogue that no
// spec exercised are listed as skip ("not exercised"), so a report never hides a requirement.
func Summarize(vs []Verdict) Summary {
	by := map[requirement.ID]*RequirementResult{}
	for _, r := range requirement.All() {
		by[r.ID] = &RequirementResult{Requirement: r, Outcome: Skip}
	}
	seen := map[requirement.ID]bool{}
	verified := 0
	for _, v := range vs {
		rr, ok := by[v.Requirement.ID]
		if !ok {
			rr = &RequirementResult{Requirement: v.Requirement}
			by[v.Requirement.ID] = rr
		}
		if !seen[v.Requirement.ID] {
			seen[v.Requirement.ID] = true
			rr.Outcome = NotApplicable
		}
		rr.Cases = append(rr.Cases, v)
		if v.Outcome == Pass {
			verified++
		}
		rr.Outcome = fold(rr.Outcome, v.Outcome)
		if v.Outcome == Fail && v.Blocking {
			rr.Blocking = true
		}
	}
	s := Summary{Counts: map[Outcome]int{}, Verified: verified}
	for _, rr := range by {
		s.Requirements = append(s.Requirements, *rr)
		s.Counts[rr.Outcome]++
		if rr.Blocking {
			s.BlockingFailures++
		}
	}
	sort.Slice(s.Requirements, func(i, j int) bool { return s.Requirements[i].Requirement.ID < s.Requirements[j].Requirement.ID })
	return s
}

var rank = map[Outcome]int{NotApplicable: 0, Skip: 1, Pass: 2, Fail: 3}

func fold(acc, next Outcome) Outcome {
	if rank[next] > rank[acc] {
		return next
	}
	return acc
}
