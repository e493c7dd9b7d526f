package conformance

import (
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/graphconform/graphconform/requirement"
)

// selected recomputes Ginkgo's selection: label filter over the operation's and the case's labels,
// focus and skip over "description operation area text"; what it cannot recompute runs nothing
// ahead.
func TestSelectedFollowsGinkgo(t *testing.T) {
	p, err := Plan(t.Context(), Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	all, ok := selected(p, "graphconform", types.SuiteConfig{})
	if !ok || len(all) != len(p.Cases) {
		t.Fatalf("no filter: %d of %d, %v", len(all), len(p.Cases), ok)
	}
	auth, _ := selected(p, "graphconform", types.SuiteConfig{LabelFilter: "auth && must"})
	focus, _ := selected(p, "graphconform", types.SuiteConfig{FocusStrings: []string{"AUTH-002"}, SkipStrings: []string{"forged"}})
	op, _ := selected(p, "graphconform", types.SuiteConfig{LabelFilter: "op:" + p.Cases[0].Operation.ID})
	if len(auth) == 0 || len(focus) == 0 || len(op) != len(p.Cases) {
		t.Fatalf("auth %d, focus %d, op %d", len(auth), len(focus), len(op))
	}
	for _, i := range auth {
		if c := p.Cases[i]; c.Requirement.Area != requirement.AreaAuth || c.Requirement.Level != requirement.Must {
			t.Errorf("label filter kept %s", c.Text())
		}
	}
	for _, i := range focus {
		if txt := p.Cases[i].Text(); !strings.HasPrefix(txt, "AUTH-002") || strings.Contains(txt, "forged") {
			t.Errorf("focus kept %s", txt)
		}
	}
	for _, sc := range []types.SuiteConfig{{DryRun: true}, {FailFast: true}, {ParallelTotal: 2}, {FocusFiles: []string{"suite.go"}},
		{SkipFiles: []string{"x"}}, {LabelFilter: "(("}, {FocusStrings: []string{"("}}} {
		if _, ok := selected(p, "graphconform", sc); ok {
			t.Errorf("%+v: recomputed a selection it cannot", sc)
		}
	}
}
