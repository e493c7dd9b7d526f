package report

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/graphconform/graphconform/requirement"
	"github.com/graphconform/graphconform/verdict"
)

// Status is how a report presents one requirement. It refines verdict.Outcome with the two
// distinctions every reader needs: whether a failure fails the run, and whether a skip is a skip
// of a spec that exists or the absence of any spec.
type status string

const (
	statusPass         status = "pass"
	statusFail         status = "fail"     // blocking failure: fails the run
	statusAdvisory     status = "advisory" // failure of a SHOULD/MAY in non-strict mode
	statusSkip         status = "skip"
	statusNA           status = "not-applicable"
	statusNotExercised status = "not-exercised"
)

// statuses is the order in which summaries list statuses: pass, then failures, then non-results.
var statuses = []status{statusPass, statusFail, statusAdvisory, statusSkip, statusNA, statusNotExercised}

var levels = []requirement.Level{requirement.Must, requirement.Should, requirement.May}

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

// analysis is a Run digested once for all writers, so JSON, JUnit and HTML cannot disagree.
type analysis struct {
	Run      Run
	Summary  verdict.Summary
	Reqs     []reqView
	Counts   map[status]int
	ByLevel  map[requirement.Level]map[status]int
	Advisory int
	// UnexercisedMust counts MUST requirements nothing checked: a PASS with such gaps is a partial
	// claim, which the HTML says next to the gate.
	UnexercisedMust int
}

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
		v := view(rr, r.LabelFilter)
		a.Reqs = append(a.Reqs, v)
		a.Counts[v.Status]++
		if a.ByLevel[rr.Requirement.Level] == nil { // a level outside the catalogue's three
			a.ByLevel[rr.Requirement.Level] = map[status]int{}
		}
		a.ByLevel[rr.Requirement.Level][v.Status]++
		if v.Status == statusAdvisory {
			a.Advisory++
		}
		if v.Status == statusNotExercised && rr.Requirement.Level == requirement.Must {
			a.UnexercisedMust++
		}
	}
	return a
}

func view(rr verdict.RequirementResult, filter string) reqView {
	v := reqView{RequirementResult: rr}
	byOutcome := map[verdict.Outcome][]verdict.Verdict{}
	for _, c := range rr.Cases {
		byOutcome[c.Outcome] = append(byOutcome[c.Outcome], c)
		v.Duration += c.Duration
	}
	v.Failed = byOutcome[verdict.Fail]
	switch {
	case len(rr.Cases) == 0:
		// verdict.Summarize lists catalogue requirements no spec reported as skip with no cases.
		v.Status = statusNotExercised
		v.Reason = "no spec of this run checked it"
		if filter != "" {
			v.Reason += fmt.Sprintf(" (label filter %q)", filter)
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
		v.Status = statusSkip
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
