package report

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/graphconform/graphconform/requirement"
	"github.com/graphconform/graphconform/verdict"
)

// Status is how a report presents one requirement. It refines verdict.Outcome with the distinctions
// every reader needs: whether a failure fails the run (fail) or not (advisory), and whether a
// requirement that did not pass did not apply (not-applicable) or was not checked at all
// (not-exercised: its specs were skipped for a missing persona or input, or none was selected).
type status string

const (
	statusPass         status = "pass"
	statusFail         status = "fail"     // blocking failure: fails the run
	statusAdvisory     status = "advisory" // failure of a level that does not block in this mode
	statusNA           status = "not-applicable"
	statusNotExercised status = "not-exercised"
)

// statuses is the order in which summaries list statuses: pass, then failures, then non-results.
var statuses = []status{statusPass, statusFail, statusAdvisory, statusNA, statusNotExercised}

var levels = requirement.Levels

// label is the upper-case word shown in the HTML matrix.
func (s status) label() string {
	switch s {
	case statusAdvisory:
		return "ADVISORY FAIL"
	case statusNA:
		return "N/A"
	case statusNotExercised:
		return "NOT EXERCISED"
	}
	return strings.ToUpper(string(s))
}

// short is the status in a cell of the operations matrix; "–": the operation has no case of it.
func (s status) short() string {
	switch s {
	case "":
		return "–"
	case statusAdvisory:
		return "ADV"
	case statusNotExercised:
		return "N/E"
	}
	return s.label()
}

// words is the status as the console table and gate line print it.
func (s status) words() string {
	switch s {
	case statusFail:
		return "FAIL"
	case statusAdvisory:
		return "fail (advisory)"
	case statusNA:
		return "not applicable"
	case statusNotExercised:
		return "not exercised"
	}
	return string(s)
}

// reqView is one requirement as every writer presents it.
type reqView struct {
	verdict.RequirementResult
	Status status
	// Reason is one line saying why the requirement did not pass ("" when it passed).
	Reason string
	// Failed are the failing cases, in run order.
	Failed   []verdict.Verdict
	Duration time.Duration
}

// gap is a requirement the run did not check: not exercised, or not applicable overall.
type gap struct {
	ID     requirement.ID    `json:"id"`
	Level  requirement.Level `json:"level"`
	Status status            `json:"status"`
	Reason string            `json:"reason"`
	// Required: the requirement's level blocks in this mode (MUST; SHOULD with --strict), so a
	// certification (--certify) fails on it. A shard leaves requirements it holds no spec of to
	// the merge, which sees every shard.
	Required bool `json:"required"`
	// Operations are the operations it was not exercised on when others exercised it (see
	// pairGaps); empty when nothing exercised it anywhere.
	Operations []string `json:"operations,omitempty"`
}

// analysis is a Run digested once for all writers, so JSON, JUnit, HTML and the console cannot
// disagree.
type analysis struct {
	Run     Run
	Summary verdict.Summary
	Reqs    []reqView
	// Ops is the operation x requirement matrix, one row per operation.
	Ops      []opView
	Counts   map[status]int
	ByLevel  map[requirement.Level]map[status]int
	Advisory int
	// Gaps are the requirements nothing checked, in ID order; Required ones are what the gate line
	// names next to a PASS, and what a certification fails on.
	Gaps []gap
	// Gate is PASS, FAIL or INCOMPLETE; GateText the same with its reasons, as the console prints it.
	Gate, GateText string
}

// Gate verdicts.
const (
	GatePass       = "PASS"
	GateFail       = "FAIL"
	GateIncomplete = "INCOMPLETE"
)

func analyze(r Run) analysis {
	a := analysis{
		Run:     r,
		Summary: verdict.Summarize(r.Verdicts),
		Counts:  map[status]int{},
		ByLevel: map[requirement.Level]map[status]int{},
	}
	for _, l := range levels {
		a.ByLevel[l] = map[status]int{}
	}
	for _, rr := range a.Summary.Requirements {
		v := view(rr, r)
		a.Reqs = append(a.Reqs, v)
		a.Counts[v.Status]++
		if a.ByLevel[rr.Requirement.Level] == nil { // a level outside the catalogue's three
			a.ByLevel[rr.Requirement.Level] = map[status]int{}
		}
		a.ByLevel[rr.Requirement.Level][v.Status]++
		if v.Status == statusAdvisory {
			a.Advisory++
		}
		// A requirement that applies to none of the selected operations is no gap: there is nothing
		// the target could have been asked.
		if v.Status == statusNotExercised || (v.Status == statusNA && len(rr.Cases) > 0) {
			a.Gaps = append(a.Gaps, gap{ID: rr.Requirement.ID, Level: rr.Requirement.Level, Status: v.Status, Reason: v.Reason,
				Required: rr.Requirement.Level.Blocking(r.Strict) && (r.Shard == "" || len(rr.Cases) > 0)})
		}
	}
	a.Ops = operations(r.Verdicts)
	pairs := pairGaps(a.Ops, a.Reqs, r)
	for _, g := range pairs { // a requirement that passed elsewhere says where it was not exercised
		for i := range a.Reqs {
			if a.Reqs[i].Requirement.ID == g.ID && a.Reqs[i].Reason == "" {
				a.Reqs[i].Reason = "not exercised " + g.Reason
			}
		}
	}
	a.Gaps = append(a.Gaps, pairs...)
	sort.SliceStable(a.Gaps, func(i, j int) bool { return a.Gaps[i].ID < a.Gaps[j].ID })
	a.Gate, a.GateText = a.decide()
	return a
}

// Passed tells whether the gate passed.
func (a analysis) Passed() bool { return a.Gate == GatePass }

// decide is the gate. In order: a blocking failure is a FAIL whatever else happened (the target
// does not conform, however much of the run is missing); a run that did not judge everything it
// selected is INCOMPLETE, never PASS; a run that verified nothing is a FAIL; with --certify, a
// required requirement nothing checked is a FAIL. Otherwise PASS, naming what it does not cover.
func (a analysis) decide() (string, string) {
	s, r := a.Summary, a.Run
	var required []gap
	for _, g := range a.Gaps {
		if g.Required {
			required = append(required, g)
		}
	}
	gaps := gapsText(required)
	var notes []string
	add := func(n string) {
		if n != "" {
			notes = append(notes, n)
		}
	}
	word, why := GatePass, ""
	switch {
	case s.BlockingFailures > 0:
		word, why = GateFail, plural(s.BlockingFailures, "blocking requirement failure")
		if r.Complete() {
			add(gaps)
		} else { // what it did not exercise is mostly what it did not reach: not listed
			add(GateIncomplete + ": " + r.incompleteText())
		}
	case !r.Complete():
		// What an incomplete run did not exercise is mostly what it did not reach: not listed.
		word, why = GateIncomplete, r.incompleteText()
	case s.Verified == 0:
		word, why = GateFail, "nothing verified: every spec was skipped, not applicable or filtered out"
	case r.Certify && len(required) > 0:
		word, why = GateFail, "certification: "+gaps
	default:
		add(gaps)
	}
	if a.Advisory > 0 {
		var ids []string
		for _, v := range a.Reqs {
			if v.Status == statusAdvisory {
				ids = append(ids, fmt.Sprintf("%s [%s]", v.Requirement.ID, v.Requirement.Level))
			}
		}
		add(plural(a.Advisory, "advisory failure") + " (does not fail the run): " + strings.Join(ids, ", "))
	}
	text := word
	if why != "" {
		text += " (" + why + ")"
	}
	if len(notes) > 0 {
		text += "; " + strings.Join(notes, "; ")
	}
	return word, text
}

// gapsText names the gaps by level: "2 MUST not exercised: PERM-002 (persona not configured: ...),
// PERM-004 (...)".
func gapsText(gaps []gap) string {
	var parts []string
	for _, l := range levels {
		var items []string
		for _, g := range gaps {
			if g.Level != l {
				continue
			}
			why := g.Reason
			if g.Status == statusNA {
				why = "not applicable: " + why
			}
			items = append(items, fmt.Sprintf("%s (%s)", g.ID, why))
		}
		if len(items) > 0 {
			parts = append(parts, fmt.Sprintf("%d %s not exercised: %s", len(items), l, strings.Join(items, ", ")))
		}
	}
	return strings.Join(parts, "; ")
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func view(rr verdict.RequirementResult, r Run) reqView {
	v := reqView{RequirementResult: rr}
	byOutcome := map[verdict.Outcome][]verdict.Verdict{}
	for _, c := range rr.Cases {
		byOutcome[c.Outcome] = append(byOutcome[c.Outcome], c)
		v.Duration += c.Duration
	}
	v.Failed = byOutcome[verdict.Fail]
	switch {
	case len(rr.Cases) == 0 && slices.Contains(r.Inapplicable, rr.Requirement.ID):
		v.Status = statusNA
		v.Reason = "does not apply: no selected operation declares what it checks"
	case len(rr.Cases) == 0:
		// verdict.Summarize lists catalogue requirements no spec reported as skip with no cases.
		v.Status = statusNotExercised
		v.Reason = "no spec of this run checked it"
		if r.stoppedEarly() {
			v.Reason = "not reached: the run stopped before its specs ran"
		}
		if r.LabelFilter != "" {
			v.Reason += fmt.Sprintf("; label filter %q", r.LabelFilter)
		}
		if r.Shard != "" {
			v.Reason += "; shard " + r.Shard
		}
	case rr.Outcome == verdict.Fail && rr.Blocking:
		v.Status = statusFail
		v.Reason = failReason(len(v.Failed), len(rr.Cases), v.Failed)
	case rr.Outcome == verdict.Fail:
		v.Status = statusAdvisory
		v.Reason = failReason(len(v.Failed), len(rr.Cases), v.Failed)
	case rr.Outcome == verdict.Pass:
		v.Status = statusPass
	case rr.Outcome == verdict.Skip:
		// Skipped specs say what is missing ("persona not configured: add ..."): the reason is the fix.
		v.Status = statusNotExercised
		v.Reason = messages(byOutcome[verdict.Skip], "skipped")
	default:
		v.Status = statusNA
		v.Reason = messages(byOutcome[verdict.NotApplicable], "does not apply")
	}
	return v
}

func failReason(failed, total int, cases []verdict.Verdict) string {
	return fmt.Sprintf("%d of %d cases failed; first: %s: %s", failed, total, cases[0].Case, firstLine(cases[0].Message))
}

// messages joins the distinct first lines of the cases' messages, at most three of them, so a reason
// stays one readable line even when a hundred cases were skipped for the same cause.
func messages(cases []verdict.Verdict, fallback string) string {
	var out []string
	seen := map[string]bool{}
	for _, c := range cases {
		m := firstLine(c.Message)
		if m == "" || seen[m] {
			continue
		}
		seen[m] = true
		out = append(out, m)
	}
	switch {
	case len(out) == 0:
		return fallback
	case len(out) > 3:
		return strings.Join(out[:3], "; ") + fmt.Sprintf("; (+%d more)", len(out)-3)
	}
	return strings.Join(out, "; ")
}

// firstLine is the first non-blank line of s, cut to 200 bytes: reasons appear in table cells and
// attributes, where a multi-line Gomega message would be unreadable.
func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return truncate(l, 200)
		}
	}
	return ""
}

// truncate cuts s to at most n bytes on a rune boundary and says how much it dropped.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf("… [%d more bytes]", len(s)-cut)
}
