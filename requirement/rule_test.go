package requirement

import (
	"os"
	"strings"
	"testing"
)

func TestGateRuleRendersBlocking(t *testing.T) {
	want := "a MUST failure always fails the run; a SHOULD failure fails it only with --strict; " +
		"a MAY failure never fails it (it is always advisory)"
	if got := GateRule(); got != want {
		t.Errorf("GateRule() = %q, want %q", got, want)
	}
	if got := StrictMode(false); got != "no: MUST failures fail the run; SHOULD and MAY failures are advisory" {
		t.Errorf("StrictMode(false) = %q", got)
	}
	if got := StrictMode(true); got != "yes: MUST and SHOULD failures fail the run; MAY failures are advisory" {
		t.Errorf("StrictMode(true) = %q", got)
	}
	if !strings.Contains(StrictUsage(), GateRule()) {
		t.Errorf("StrictUsage() = %q does not state the rule", StrictUsage())
	}
}

// The README and docs/usage.md state the rule in GateRule's words, and nowhere the old claim that
// --strict makes MAY failures fail a run.
func TestDocsStateTheGateRule(t *testing.T) {
	for _, f := range []string{"../README.md", "../docs/usage.md"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc := strings.Join(strings.Fields(string(b)), " ") // line breaks of the Markdown source do not count
		if !strings.Contains(doc, GateRule()) {
			t.Errorf("%s does not state the gate rule as GateRule() words it: %q", f, GateRule())
		}
		for _, wrong := range []string{"SHOULD and MAY failures fail", "SHOULD and MAY failures count", "SHOULD and MAY failures are reported as advisory unless"} {
			if strings.Contains(doc, wrong) {
				t.Errorf("%s says %q: --strict never makes a MAY failure fail a run", f, wrong)
			}
		}
	}
}
