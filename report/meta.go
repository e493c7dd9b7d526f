package report

import (
	"strings"
)

// Texts of the run's metadata shared by the HTML header and the JUnit properties.

// selectionText names what a run selected: "" in a Run means everything.
func selectionText(s string) string {
	if s == "" {
		return "every operation of the description"
	}
	return s
}

// personaText is a persona as reports show it: "work: A.Read, B.ReadWrite" (never a token).
func personaText(p PersonaInfo) string {
	perms := "no permissions"
	if len(p.Permissions) > 0 {
		perms = strings.Join(p.Permissions, ", ")
	}
	return p.Account + ": " + perms
}

// commandLine joins arguments into one line a shell would split back the same way: an argument
// with a space, a quote or another shell character is single-quoted.
func commandLine(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		if a != "" && !strings.ContainsAny(a, " \t\n'\"\\$`!*?[]{}()<>|&;#~") {
			out[i] = a
			continue
		}
		out[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return strings.Join(out, " ")
}
