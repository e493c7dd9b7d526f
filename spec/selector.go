package spec

import (
	"errors"
	"fmt"
	"path"
	"strings"
)

// Validate reports what would make a selector silently select nothing or everything: an empty
// entry (an unset variable in a comma-separated list, a stray comma) and a malformed path glob
// (path.Match would otherwise just never match).
func (s Selector) Validate() error {
	for _, list := range []struct {
		what  string
		items []string
	}{{"operationId", s.OperationIDs}, {"tag", s.Tags}, {"path", s.Paths}} {
		for i, v := range list.items {
			if strings.TrimSpace(v) == "" {
				return fmt.Errorf("%s selector #%d is empty", list.what, i+1)
			}
		}
	}
	for _, g := range s.Paths {
		if err := CheckGlob(g); err != nil {
			return fmt.Errorf("path selector %q is not a valid glob: %v", g, err)
		}
	}
	return nil
}

// CheckGlob says whether g is a valid path.Match pattern (config files check their entries with it
// to name the line).
func CheckGlob(g string) error {
	_, err := path.Match(g, "")
	return err
}

// SplitList splits a comma-separated list of selector entries, dropping blanks around entries.
// Commas inside (), [] or {} do not split: Graph function paths carry their parameters in
// parentheses, e.g. /reports/getEmailActivityCounts(period='{period}'), and globs have [a,b]
// classes. An empty entry in the middle ("a,,b") is kept so that Validate can name it.
func SplitList(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			if depth > 0 {
				depth--
			}
		case ',':
			if depth == 0 {
				out = append(out, strings.TrimSpace(s[start:i]))
				start = i + 1
			}
		}
	}
	out = append(out, strings.TrimSpace(s[start:]))
	// A trailing comma ("a,b,") is a common typo of lists in CI variables, not an empty entry.
	if len(out) > 1 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out
}

// ErrNoMatch: the selection matches no operation of a description.
var ErrNoMatch = errors.New("no operation matches the selection")
