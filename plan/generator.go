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
	// creators are, by key name, the personas that make the fixture entities of keys whose
	// collection POST has a permission table of its own; a key not here is made by setup.
	creators map[string]string
}

// allowedPersona picks the persona the contract allows, a work account first (the documented path).
func (g generator) allowedPersona() string {
	p, _ := persona.Allowed(g.op.Permissions, g.personas)
	return p.Name
}

// creatorsOf picks, for each key whose collection POST has its own table, the persona that table
// allows among personasOf(it).
func creatorsOf(op *contract.Operation, personasOf func(contract.Permissions) persona.Set) map[string]string {
	var out map[string]string
	for _, k := range op.PathParams {
		if k.Create == nil || k.Create.Permissions == nil {
			continue
		}
		if p, ok := persona.Allowed(*k.Create.Permissions, personasOf(*k.Create.Permissions)); ok {
			if out == nil {
				out = map[string]string{}
			}
			out[k.Name] = p.Name
		}
	}
	return out
}

// SetupPersonas are the personas the cases of the operations send their probes for: each operation's
// setup persona (allowedPersona), once each, in operation order. Only these need Env.Refusable tokens.
func SetupPersonas(ops []contract.Operation, personas persona.Set) []string {
	return setupPersonas(ops, func(contract.Permissions) persona.Set { return personas })
}

// DerivedSetupPersonas is SetupPersonas for BuildDerived's cases.
func DerivedSetupPersonas(ops []contract.Operation, base persona.Set) []string {
	return setupPersonas(ops, func(p contract.Permissions) persona.Set { return persona.ForContract(p, base) })
}

func setupPersonas(ops []contract.Operation, personasOf func(contract.Permissions) persona.Set) []string {
	var out []string
	seen := map[string]bool{}
	for i := range ops {
		if name := (generator{op: &ops[i], personas: personasOf(ops[i].Permissions)}).allowedPersona(); name != "" && !seen[name] {
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
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
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

// worded is the requirement as this operation's cases cite it: the title names the operation
// and what its contract says (success status, qualified name, accepted permissions), and a
// source that is "the operation's reference page" becomes this operation's own page.
func (g generator) worded(r requirement.Requirement) requirement.Requirement {
	op := g.op
	detail := op.Name()
	switch r.ID {
	case "DISC-001", "BODY-001", "RESP-001":
		detail += fmt.Sprintf(": %d %s", op.Success, http.StatusText(op.Success))
	case "PERM-001", "PERM-002":
		if names := g.acceptedNames(); names != "" {
			detail += ": " + names
		}
	case "DISC-007", "DISC-007.1":
		detail += ": " + op.Method + " only"
	}
	r.Title += " [" + detail + "]"
	if strings.HasPrefix(r.Source.URL, requirement.OperationPageURL) && op.DocURL != "" {
		frag := strings.TrimPrefix(r.Source.URL, requirement.OperationPageURL)
		r.Source.URL = op.DocURL + frag
		r.Source.Doc = strings.Replace(r.Source.Doc, requirement.OperationPage, "Graph reference page of "+op.Name(), 1)
	}
	return r
}

// kind names the operation in case names: "action", "function", or "operation".
func (g generator) kind() string {
	if g.op.Kind == "action" || g.op.Kind == "function" {
		return g.op.Kind
	}
	return "operation"
}
