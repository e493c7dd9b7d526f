// Package requirement is the catalogue of everything graphconform checks.
//
// Each requirement has a stable ID (used in spec texts, Ginkgo labels, reports and mutant names), a
// level in the RFC 2119 sense, the area of the contract it belongs to, and the source where it is
// written. The catalogue is data: the suite, the reports and the mutants all read it, none of them
// re-states a requirement.
package requirement

import (
	"fmt"
	"sort"
	"strings"
)

// ID is a requirement's stable identifier, e.g. "DISC-001".
type ID string

// Level is how binding a requirement is.
type Level string

const (
	Must   Level = "MUST"
	Should Level = "SHOULD"
	May    Level = "MAY"
)

// Label is the Ginkgo label of a level: "must", "should", "may".
func (l Level) Label() string { return strings.ToLower(string(l)) }

// Blocking tells whether a failure at this level fails a run. MUST always does; SHOULD only in strict
// mode; MAY never (RFC 2119: "truly optional"), it is always reported as advisory. This is the gate's
// one rule: GateRule, StrictUsage and StrictMode render it in words, nothing else restates it.
func (l Level) Blocking(strict bool) bool { return l == Must || (strict && l == Should) }

// Levels are the catalogue's levels, most binding first.
var Levels = []Level{Must, Should, May}

// GateRule is Blocking in one sentence, for the README, docs/usage.md, help texts and report.html:
// "a MUST failure always fails the run; a SHOULD failure fails it only with --strict; a MAY failure
// never fails it (it is always advisory)".
func GateRule() string {
	parts := make([]string, 0, len(Levels))
	for i, l := range Levels {
		it := "the run"
		if i > 0 {
			it = "it"
		}
		var when string
		switch lax, strict := l.Blocking(false), l.Blocking(true); {
		case lax: // a level that blocks without --strict blocks with it too

			when = "always fails " + it
		case strict:
			when = "fails " + it + " only with --strict"
		default:
			when = "never fails " + it + " (it is always advisory)"
		}
		parts = append(parts, "a "+string(l)+" failure "+when)
	}
	return strings.Join(parts, "; ")
}

// StrictUsage is the help text of --strict, in both entries (graphconform run and the ginkgo/go test
// flags).
func StrictUsage() string {
	return "SHOULD failures fail the run too (" + GateRule() + ")"
}

// StrictMode says what a run's strictness meant, as reports show it: which levels' failures failed
// the run and which were advisory.
func StrictMode(strict bool) string {
	var blocking, advisory []string
	for _, l := range Levels {
		if l.Blocking(strict) {
			blocking = append(blocking, string(l))
		} else {
			advisory = append(advisory, string(l))
		}
	}
	mode := "no"
	if strict {
		mode = "yes"
	}
	return fmt.Sprintf("%s: %s failures fail the run; %s failures are advisory", mode,
		strings.Join(blocking, " and "), strings.Join(advisory, " and "))
}

// Area groups requirements the way the specs are grouped.
type Area string

const (
	AreaMethod      Area = "method"
	AreaPath        Area = "path"
	AreaHeaders     Area = "headers"
	AreaBody        Area = "body"
	AreaResponse    Area = "response"
	AreaAuth        Area = "auth"
	AreaPermissions Area = "permissions"
	AreaErrors      Area = "errors"
	// AreaEffect: what a successful call changes, read back afterwards.
	AreaEffect Area = "effect"
)

// Source says where a requirement is written.
type Source struct {
	// Doc names the document as it is titled: "RFC 9110 HTTP Semantics, §15.3.5 204 No Content", ...
	Doc string `json:"doc"`
	// URL is a public link, when there is one.
	URL string `json:"url,omitempty"`
}

func (s Source) String() string {
	if s.URL == "" {
		return s.Doc
	}
	return s.Doc + " <" + s.URL + ">"
}

// Requirement is one checkable rule.
type Requirement struct {
	ID     ID     `json:"id"`
	Level  Level  `json:"level"`
	Area   Area   `json:"area"`
	Title  string `json:"title"`
	Source Source `json:"source"`
}

// Labels are the Ginkgo labels of a requirement: its ID, its level and its area. None contains a
// character Ginkgo forbids in labels (&|!,()/).
func (r Requirement) Labels() []string {
	return []string{string(r.ID), r.Level.Label(), string(r.Area)}
}

// String is the one-line citation used in failure messages.
func (r Requirement) String() string {
	return fmt.Sprintf("%s [%s] %s (source: %s)", r.ID, r.Level, r.Title, r.Source)
}

// Lookup returns the requirement with the given ID.
func Lookup(id ID) (Requirement, bool) {
	r, ok := byID[id]
	return r, ok
}

// MustLookup is Lookup for IDs written in code; an unknown ID is a programming error.
func MustLookup(id ID) Requirement {
	r, ok := byID[id]
	if !ok {
		panic("requirement: unknown ID " + string(id))
	}
	return r
}

// All returns the catalogue sorted by ID.
func All() []Requirement {
	out := make([]Requirement, len(catalogue))
	copy(out, catalogue)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

var byID = func() map[ID]Requirement {
	m := make(map[ID]Requirement, len(catalogue))
	for _, r := range catalogue {
		if _, dup := m[r.ID]; dup {
			panic("requirement: duplicate ID " + string(r.ID))
		}
		m[r.ID] = r
	}
	return m
}()
