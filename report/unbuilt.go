package report

import (
	"fmt"
	"sort"
	"strings"
)

// Unbuilt is a selected operation the run built no specs for, and why: it was not exercised. The
// three writers show every one (report.json: the "unbuilt" array; junit.xml: a skipped test case
// in the testsuite "not built"; report.html: a table), so a partial run never reads as complete.
type Unbuilt struct {
	OperationID string `json:"operationId"`
	Kind        string `json:"kind,omitempty"`
	Method      string `json:"method"`
	Path        string `json:"path"`
	// Source is the description the operation is in.
	Source string `json:"source,omitempty"`
	// Reason is the category (e.g. "no permission table"), Detail the one-line explanation.
	Reason string `json:"reason"`
	Detail string `json:"detail,omitempty"`
}

// name is how a report names the operation: its operationId, else method and path.
func (u Unbuilt) name() string {
	if u.OperationID != "" {
		return u.OperationID
	}
	return u.Method + " " + u.Path
}

// unbuiltSuite is the JUnit testsuite of the unbuilt operations: one skipped test case each, named
// by operationId (stable across runs, like the requirement cases).
func unbuiltSuite(r Run) (junitSuite, bool) {
	if len(r.Unbuilt) == 0 {
		return junitSuite{}, false
	}
	s := junitSuite{Name: "not built", Time: seconds(0)}
	for _, u := range r.Unbuilt {
		s.Cases = append(s.Cases, junitCase{
			Classname: "graphconform.notbuilt",
			Name:      u.name(),
			Time:      seconds(0),
			Properties: []junitProperty{{Name: "method", Value: u.Method}, {Name: "path", Value: u.Path},
				{Name: "reason", Value: u.Reason}},
			Skipped: &junitMessage{Message: "not built: " + u.Reason, Text: u.Detail},
		})
	}
	s.Tests, s.Skipped = len(s.Cases), len(s.Cases)
	return s, true
}

// unbuiltCount is one row of the HTML's counts by reason.
type unbuiltCount struct {
	Reason string
	Count  int
}

// unbuiltCounts counts the unbuilt operations by reason, the largest first.
func unbuiltCounts(us []Unbuilt) []unbuiltCount {
	by := map[string]int{}
	for _, u := range us {
		by[u.Reason]++
	}
	out := make([]unbuiltCount, 0, len(by))
	for r, n := range by {
		out = append(out, unbuiltCount{r, n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Reason < out[j].Reason
	})
	return out
}

// mergeUnbuilt joins the shards' unbuilt operations, each once, in first-seen order. Shards of one
// run list the same ones; a union keeps any shard's from being dropped.
func mergeUnbuilt(runs []Run) []Unbuilt {
	var out []Unbuilt
	seen := map[string]bool{}
	for _, r := range runs {
		for _, u := range r.Unbuilt {
			k := strings.Join([]string{u.Source, u.OperationID, u.Method, u.Path}, "\x00")
			if !seen[k] {
				seen[k] = true
				out = append(out, u)
			}
		}
	}
	return out
}

// unbuiltNote is the HTML's sentence next to the gate, "" when everything selected was built.
func unbuiltNote(us []Unbuilt) string {
	if len(us) == 0 {
		return ""
	}
	verb := "s were"
	if len(us) == 1 {
		verb = " was"
	}
	return fmt.Sprintf("%d selected operation%s not built and not exercised; the gate covers only what ran (see Not built).", len(us), verb)
}
