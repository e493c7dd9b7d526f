package verdict

import (
	"fmt"
	"strings"

	"github.com/graphconform/graphconform/printable"
)

// Text renders a verdict for a person reading a red CI job: the requirement and where it is written,
// what was expected, what went wrong, and every exchange as a curl command with what came back.
// It is printable (package printable) whatever the target sent, and every line a target's text
// fills is indented, so none can pass for a line of the suite's own (a gate line).
func (v Verdict) Text() string {
	var b strings.Builder
	r := v.Requirement
	fmt.Fprintf(&b, "%s [%s] %s\n", r.ID, r.Level, r.Title)
	fmt.Fprintf(&b, "  source:    %s\n", r.Source)
	fmt.Fprintf(&b, "  case:      %s\n", v.Case)
	if v.Operation != "" {
		fmt.Fprintf(&b, "  operation: %s\n", v.Operation)
	}
	if v.Persona != "" {
		fmt.Fprintf(&b, "  persona:   %s\n", v.Persona)
	}
	if v.Expected != "" {
		fmt.Fprintf(&b, "  expected:  %s\n", v.Expected)
	}
	if v.Message != "" {
		fmt.Fprintf(&b, "  %-10s %s\n", string(v.Outcome)+":", hang(v.Message, 13))
	}
	for i, ex := range v.Exchanges {
		role := ""
		if ex.Setup {
			role = " (setup)"
		}
		fmt.Fprintf(&b, "\n  request %d%s:\n    %s\n", i+1, role, ex.Curl)
		if ex.Error != "" {
			fmt.Fprintf(&b, "  no response: %s\n", hang(ex.Error, 15))
			continue
		}
		fmt.Fprintf(&b, "  response %d: status %d\n", i+1, ex.Status)
		if ex.Header != "" {
			b.WriteString(indent(ex.Header, "    "))
		}
		if ex.Body != "" {
			fmt.Fprintf(&b, "    (body, %d bytes)\n%s", ex.BodyBytes, indent(ex.Body, "    "))
		}
	}
	return printable.String(b.String())
}

// hang indents every line of s after the first by n spaces.
func hang(s string, n int) string {
	return strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n"+strings.Repeat(" ", n))
}

func indent(s, pre string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return pre + strings.Join(lines, "\n"+pre) + "\n"
}
