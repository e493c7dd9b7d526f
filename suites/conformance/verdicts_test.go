package conformance

import (
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/graphconform/graphconform/redact"
	"github.com/graphconform/graphconform/requirement"
	"github.com/graphconform/graphconform/verdict"
)

// Ginkgo runs the operations (top-level containers) in an order shuffled by seed; Verdicts returns
// tree order whatever the run order was, and a spec that ended without a verdict keeps its place.
func TestVerdictsInTreeOrder(t *testing.T) {
	disc, _ := requirement.Lookup("DISC-001")
	spec := func(op, area, text string, v *verdict.Verdict) types.SpecReport {
		sr := types.SpecReport{LeafNodeType: types.NodeTypeIt, ContainerHierarchyTexts: []string{op, area},
			LeafNodeText: text, State: types.SpecStatePassed}
		if v != nil {
			sr.ReportEntries = types.ReportEntries{{Name: verdictEntry, Value: types.WrapEntryValue(*v)}}
		} else {
			sr.State = types.SpecStatePanicked
		}
		return sr
	}
	v := func(op, name string) *verdict.Verdict {
		return &verdict.Verdict{Requirement: disc, Operation: op, Case: name, Outcome: verdict.Pass}
	}
	// As a seed may run them: operation b before a, and a spec of b panicked.
	r := types.Report{SpecReports: types.SpecReports{
		spec("b", "method", "DISC-001 [MUST] y", v("b", "y")),
		spec("b", "method", "DISC-001 [MUST] z", nil),
		spec("a", "path", "DISC-001 [MUST] x", v("a", "x")),
		spec("a", "method", "DISC-001 [MUST] x", v("a", "m")),
		{LeafNodeType: types.NodeTypeReportAfterSuite},
	}}
	var got []string
	for _, v := range Verdicts(r, redact.New()) {
		got = append(got, v.Operation+"/"+v.Case)
	}
	want := "a/m a/x b/y b/DISC-001 [MUST] z"
	if strings.Join(got, " ") != want {
		t.Errorf("Verdicts order = %q, want %q", strings.Join(got, " "), want)
	}
}
