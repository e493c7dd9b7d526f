package report

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/graphconform/graphconform/requirement"
	"github.com/graphconform/graphconform/verdict"
)

// A run of many operations is judged per operation x requirement pair: a requirement that passed on
// one operation and was skipped (a missing persona, a missing key) on another was not exercised on
// that other, and --certify must fail on it; a failure on any operation fails the requirement.
// opView is one operation's row of that matrix.
type opView struct {
	Operation string
	// Cells are the operation's requirements that have a case of it, in catalogue (ID) order.
	Cells []cell
	// Counts counts the cells by status.
	Counts map[status]int
	// Clean: every cell passed or did not apply; a clean row is collapsed in report.html.
	Clean bool
}

// cell is one operation x requirement verdict.
type cell struct {
	Requirement requirement.Requirement // as the operation's first case of it titles it
	Status      status
	Reason      string
	Cases       map[verdict.Outcome]int
}

// cellStatus folds one operation's cases of one requirement like view folds a requirement's: a
// failure wins (blocking or advisory), then a pass, then a skip (not exercised), then N/A.
func cellStatus(cases []verdict.Verdict) (status, string) {
	by := map[verdict.Outcome][]verdict.Verdict{}
	blocking := false
	for _, c := range cases {
		by[c.Outcome] = append(by[c.Outcome], c)
		blocking = blocking || (c.Outcome == verdict.Fail && c.Blocking)
	}
	switch {
	case len(by[verdict.Fail]) > 0 && blocking:
		return statusFail, failReason(len(by[verdict.Fail]), len(cases), by[verdict.Fail])
	case len(by[verdict.Fail]) > 0:
		return statusAdvisory, failReason(len(by[verdict.Fail]), len(cases), by[verdict.Fail])
	case len(by[verdict.Pass]) > 0:
		return statusPass, ""
	case len(by[verdict.Skip]) > 0:
		return statusNotExercised, messages(by[verdict.Skip], "skipped")
	}
	return statusNA, messages(by[verdict.NotApplicable], "does not apply")
}

// operations builds the matrix rows, in the order the operations first appear among the verdicts
// (the run's order, deterministic).
func operations(vs []verdict.Verdict) []opView {
	type key struct {
		op string
		id requirement.ID
	}
	var order []string
	byOp := map[string]map[requirement.ID][]verdict.Verdict{}
	for _, v := range vs {
		m := byOp[v.Operation]
		if m == nil {
			m = map[requirement.ID][]verdict.Verdict{}
			byOp[v.Operation] = m
			order = append(order, v.Operation)
		}
		m[v.Requirement.ID] = append(m[v.Requirement.ID], v)
	}
	out := make([]opView, 0, len(order))
	for _, op := range order {
		o := opView{Operation: op, Counts: map[status]int{}, Clean: true}
		ids := make([]requirement.ID, 0, len(byOp[op]))
		for id := range byOp[op] {
			ids = append(ids, id)
		}
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		for _, id := range ids {
			cases := byOp[op][id]
			st, why := cellStatus(cases)
			n := map[verdict.Outcome]int{}
			for _, c := range cases {
				n[c.Outcome]++
			}
			o.Cells = append(o.Cells, cell{Requirement: cases[0].Requirement, Status: st, Reason: why, Cases: n})
			o.Counts[st]++
			o.Clean = o.Clean && (st == statusPass || st == statusNA)
		}
		out = append(out, o)
	}
	return out
}

// pairGaps are the requirements that were exercised on some operations but not on others (their
// cases there were all skipped): the requirement's own status (pass, say) would hide them. Each
// gap names the operations it misses, and their reasons.
func pairGaps(ops []opView, reqs []reqView, r Run) []gap {
	type miss struct {
		ops     []string
		reasons []string
	}
	by := map[requirement.ID]*miss{}
	for _, o := range ops {
		for _, c := range o.Cells {
			if c.Status != statusNotExercised {
				continue
			}
			m := by[c.Requirement.ID]
			if m == nil {
				m = &miss{}
				by[c.Requirement.ID] = m
			}
			m.ops = append(m.ops, o.Operation)
			if !slices.Contains(m.reasons, c.Reason) {
				m.reasons = append(m.reasons, c.Reason)
			}
		}
	}
	var out []gap
	for _, v := range reqs {
		m := by[v.Requirement.ID]
		if m == nil || v.Status == statusNotExercised || v.Status == statusNA {
			continue // no miss, or the requirement-level gap already covers every operation
		}
		reason := strings.Join(m.reasons, "; ")
		if len(m.reasons) > 3 {
			reason = strings.Join(m.reasons[:3], "; ") + fmt.Sprintf("; (+%d more)", len(m.reasons)-3)
		}
		out = append(out, gap{ID: v.Requirement.ID, Level: v.Requirement.Level, Status: statusNotExercised,
			Reason:     fmt.Sprintf("on %s: %s", opsText(m.ops), reason),
			Required:   v.Requirement.Level.Blocking(r.Strict),
			Operations: m.ops})
	}
	return out
}

// opsText names a few operations and counts the rest, so a gate line stays one readable line.
func opsText(ops []string) string {
	const shown = 3
	s := strings.Join(ops[:min(len(ops), shown)], ", ")
	if len(ops) > shown {
		s += fmt.Sprintf(" (+%d more operations)", len(ops)-shown)
	}
	if len(ops) == 1 {
		return "operation " + s
	}
	return fmt.Sprintf("%d operations: %s", len(ops), s)
}
