package verdict

import (
	"fmt"
	"strings"
)

// Text renders a verdict for a person reading a red CI job: the requirement and where it is written,
// what was expected, what went wrong, and every exchange as a curl command with what came back.
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
		fmt.Fprintf(&b, "  %-10s %s\n", string(v.Outcome)+":", v.Message)
	}
	for i, ex := range v.Exchanges {
		role := ""
		if ex.Setup {
			role = " (setup)"
		}
		fmt.Fprintf(&b, "\n  request %d%s:\n    %s\n", i+1, role, ex.Curl)
		if ex.Error != "" {
			fmt.Fprintf(&b, "  no response: %s\n", ex.Error)
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
	return b.String()
}

func indent(s, pre string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return pre + strings.Join(lines, "\n"+pre) + "\n"
}
