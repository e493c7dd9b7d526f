package report

import (
	"fmt"
	"strings"
	"text/tabwriter"
)

// Text is the console form of a run: the requirement table, one line per requirement that did not
// pass saying why, and the gate line ("graphconform gate: ..."), exactly report.json's gateText.
// graphconform run, graphconform merge and the ginkgo/go test entry all print it, so a failed SHOULD
// never reads like a skip, nor an interrupted run like a pass, on any of them.
func Text(r Run) string {
	a := analyze(r)
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "REQUIREMENT\tLEVEL\tVERDICT\tSPECS\tTITLE")
	for _, v := range a.Reqs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", v.Requirement.ID, v.Requirement.Level, v.Status.words(), len(v.Cases), v.Requirement.Title)
	}
	tw.Flush()
	b.WriteString("\n")
	// One line per distinct reason: a missing persona or an interrupt leaves many requirements
	// unexercised for one cause.
	type group struct {
		ids    []string
		status status
		reason string
	}
	var groups []*group
	at := map[[2]string]*group{}
	for _, v := range a.Reqs {
		if v.Status == statusPass {
			continue
		}
		k := [2]string{string(v.Status), v.Reason}
		g := at[k]
		if g == nil {
			g = &group{status: v.Status, reason: v.Reason}
			at[k] = g
			groups = append(groups, g)
		}
		g.ids = append(g.ids, fmt.Sprintf("%s [%s]", v.Requirement.ID, v.Requirement.Level))
	}
	for _, g := range groups {
		fmt.Fprintf(&b, "%s %s: %s\n", strings.Join(g.ids, ", "), g.status.words(), g.reason)
	}
	fmt.Fprintf(&b, "graphconform gate: %s\n", a.GateText)
	return b.String()
}

// Gate is the gate of a run: PASS, FAIL or INCOMPLETE, and the same with its reasons.
func Gate(r Run) (verdict, text string) {
	a := analyze(r)
	return a.Gate, a.GateText
}
