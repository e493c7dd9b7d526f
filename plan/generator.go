package plan

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/graphconform/graphconform/contract"
	"github.com/graphconform/graphconform/persona"
	"github.com/graphconform/graphconform/requirement"
)

// generator builds the cases of one operation.
type generator struct {
	op       *contract.Operation
	personas persona.Set
	// setup is the persona that makes fixture entities and sends the allowed requests ("" if none).
	setup string
}

// allowedPersona picks the persona the contract allows, a work account first (the documented path).
func (g generator) allowedPersona() string {
	for _, want := range []contract.Account{contract.Work, contract.Application} {
		for _, p := range g.personas {
			if p.Account == want && g.op.Permissions.Decide(p.Account, p.Permissions).Outcome == contract.Allowed {
				return p.Name
			}
		}
	}
	return ""
}

// SetupPersonas are the personas the cases of the operations send their probes for: each operation's
// setup persona (allowedPersona), once each, in operation order. Only these need Env.Refusable tokens.
func SetupPersonas(ops []contract.Operation, personas persona.Set) []string {
	var out []string
	seen := map[string]bool{}
	for i := range ops {
		if name := (generator{op: &ops[i], personas: personas}).allowedPersona(); name != "" && !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	return out
}

// acceptedNames lists the documented grants of the supported account kinds, for skip messages.
func (g generator) acceptedNames() string {
	seen := map[string]bool{}
	var out []string
	for _, acc := range []contract.Account{contract.Work, contract.Application} {
		for _, gr := range g.op.Permissions.Schemes[acc].Grants {
			if gr.Documented && !seen[gr.Permission] {
				seen[gr.Permission] = true
				out = append(out, gr.Permission)
			}
		}
	}
	return strings.Join(out, " or ")
}

// newCase makes a case that needs the setup persona; without one it is skipped with a reason naming
// what to configure.
func (g generator) newCase(id requirement.ID, name string, run func(t *T) result) Case {
	c := Case{Requirement: requirement.MustLookup(id), Name: name, Operation: g.op, Persona: g.setup, run: run}
	if g.setup == "" {
		c.Skip = fmt.Sprintf("no persona the contract allows is configured: add a work (or application) persona holding %s", g.acceptedNames())
	}
	return c
}

// otherMethods are the methods the path item does not declare, among those a client might try.
func (g generator) otherMethods() []string {
	var out []string
	for _, m := range []string{http.MethodGet, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		declared := false
		for _, d := range g.op.PathMethods {
			if d == m {
				declared = true
			}
		}
		if !declared && m != g.op.Method {
			out = append(out, m)
		}
	}
	return out
}
