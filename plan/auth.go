package plan

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/graphconform/graphconform/check"
	"github.com/graphconform/graphconform/contract"
	"github.com/graphconform/graphconform/exchange"
	"github.com/graphconform/graphconform/persona"
	"github.com/graphconform/graphconform/requirement"
)

// forged is a credential the target must refuse with 401.
type forged struct {
	name string
	// value computes the Authorization value ("" = send none) from the setup persona's token.
	value func(setupToken string) string
}

var forgedCredentials = []forged{
	{"no Authorization header", func(string) string { return "" }},
	{"a Basic credential instead of Bearer", func(string) string { return "Basic Z3JhcGhjb25mb3JtOm5vdC1hLXBhc3N3b3Jk" }},
	{"a malformed bearer token", func(string) string { return "Bearer graphconform.not-a-token" }},
	{"a token with a tampered signature", func(tok string) string { return "Bearer " + tamper(tok) }},
}

// tamper changes one character inside the token's last part (the JWS signature), so the header and
// claims still parse but the signature no longer verifies. Any opaque token is altered the same way.
func tamper(tok string) string {
	i := strings.LastIndex(tok, ".")
	pos := (i + 1 + len(tok)) / 2
	if pos >= len(tok) {
		pos = len(tok) / 2
	}
	if pos < 0 || pos >= len(tok) {
		return tok + "x"
	}
	c := byte('A')
	if tok[pos] == 'A' {
		c = 'B'
	}
	return tok[:pos] + string(c) + tok[pos+1:]
}

// auth: AUTH-001 (refused with 401) and AUTH-002 (Bearer challenge on every 401).
func (g generator) auth() []Case {
	var out []Case
	for _, f := range forgedCredentials {
		f := f
		out = append(out, g.newCase("AUTH-001", f.name+" is refused with 401", func(t *T) result {
			const want = "401 Unauthorized (never 2xx, never 403)"
			resp, err := g.forgedCall(t, f)
			if err != nil {
				return broken(err, want)
			}
			return judge(check.Status(resp, http.StatusUnauthorized), want)
		}))
		out = append(out, g.newCase("AUTH-002", "the 401 for "+f.name+" carries a Bearer challenge", func(t *T) result {
			const want = "WWW-Authenticate: Bearer ..."
			resp, err := g.forgedCall(t, f)
			if err != nil {
				return broken(err, want)
			}
			if resp.Status != http.StatusUnauthorized {
				return notApplicable("the target answered %d, not 401; AUTH-001 judges the status", resp.Status)
			}
			return judge(check.Challenge(resp), want)
		}))
	}
	return out
}

func (g generator) forgedCall(t *T, f forged) (*exchange.Response, error) {
	tok := ""
	if p, ok := t.personaToken(g.setup); ok {
		tok = p.Token
	}
	return t.callAction(g.setup, creds{raw: f.value(tok), forged: true}, g.op.Method, documented, nil, nil)
}

// permissions: one case per configured persona, its expectation derived from the contract's
// permission table and the persona's account kind and permissions; and a skipped case for every row
// of the table no persona exercises.
func (g generator) permissions() []Case {
	var out []Case
	covered := map[string]bool{}
	for _, p := range g.personas {
		p := p
		d := g.op.Permissions.Decide(p.Account, p.Permissions)
		desc := fmt.Sprintf("persona %s (%s, %s)", p.Name, p.Account, strings.Join(p.Permissions, " "))
		add := func(id, name string, run func(t *T) result) {
			covered[id] = true
			// The persona under test sends the request; the setup persona only makes the entity, and
			// without one (and without a partnerId) the case skips at run time.
			out = append(out, Case{Requirement: requirement.MustLookup(requirement.ID(id)), Name: desc + " " + name,
				Operation: g.op, Persona: p.Name, run: run})
		}
		switch {
		case d.Outcome == contract.Allowed && p.Account == contract.Application:
			add("PERM-002", "is accepted", g.expectAccepted(p))
		case d.Outcome == contract.Allowed:
			add("PERM-001", "is accepted", g.expectAccepted(p))
		case d.Outcome == contract.AllowedByMetadata:
			add("PERM-005", "is accepted ("+d.Grant.Permission+" is in the permissions metadata)", g.expectAccepted(p))
		case d.Outcome == contract.Unsupported && p.Account == contract.Application:
			add("PERM-002", "is refused: "+d.Reason, g.expectStatus(p, http.StatusUnauthorized, http.StatusForbidden))
		case d.Outcome == contract.Unsupported && p.Account == contract.Personal:
			add("PERM-004", "is refused (4xx)", g.expectClientError(p))
			add("PERM-004.1", "is refused with 401 or 403", g.expectStatus(p, http.StatusUnauthorized, http.StatusForbidden))
		case d.Outcome == contract.Unsupported:
			add("PERM-003", "is refused: "+d.Reason, g.expectStatus(p, http.StatusUnauthorized, http.StatusForbidden))
		default:
			add("PERM-003", "is refused with 403: "+d.Reason, g.expectStatus(p, http.StatusForbidden))
		}
	}
	// Each says what to add to personas: in the config, so a skip reason is its own fix.
	app := "a persona with account: application"
	if names := g.op.Permissions.Schemes[contract.Application].Names(); len(names) > 0 {
		app += " holding " + strings.Join(names, " or ")
	}
	personal := "a persona with account: personal (a personal Microsoft account)"
	missing := []struct{ id, what string }{
		{"PERM-001", "a persona with account: work holding " + strings.Join(g.op.Permissions.Schemes[contract.Work].Names(), " or ")},
		{"PERM-002", app},
		{"PERM-003", "a persona without an accepted permission (e.g. a work persona holding only DeviceManagementServiceConfig.Read.All)"},
		{"PERM-004", personal},
		{"PERM-004.1", personal},
	}
	if g.hasMetadataGrant() {
		missing = append(missing, struct{ id, what string }{"PERM-005", "a persona holding only a permission the permissions metadata adds"})
	}
	for _, m := range missing {
		if !covered[m.id] {
			c := g.newCase(requirement.ID(m.id), "no persona exercises this row", nil)
			c.Persona = ""
			c.Skip = "persona not configured: add " + m.what
			out = append(out, c)
		}
	}
	return out
}

func (g generator) hasMetadataGrant() bool {
	for _, s := range g.op.Permissions.Schemes {
		for _, gr := range s.Grants {
			if !gr.Documented {
				return true
			}
		}
	}
	return false
}

func (g generator) expectAccepted(p persona.Persona) func(t *T) result {
	return func(t *T) result {
		resp, err := t.callAction(g.setup, creds{persona: p.Name}, g.op.Method, documented, nil, nil)
		if err != nil {
			return broken(err, "2xx")
		}
		return judge(check.Accepted(resp), "2xx")
	}
}

func (g generator) expectStatus(p persona.Persona, codes ...int) func(t *T) result {
	return func(t *T) result {
		var want []string
		for _, c := range codes {
			want = append(want, fmt.Sprintf("%d", c))
		}
		expected := strings.Join(want, " or ")
		resp, err := t.callAction(g.setup, creds{persona: p.Name}, g.op.Method, documented, nil, nil)
		if err != nil {
			return broken(err, expected)
		}
		return judge(check.OneOf(resp, codes...), expected)
	}
}

func (g generator) expectClientError(p persona.Persona) func(t *T) result {
	return func(t *T) result {
		resp, err := t.callAction(g.setup, creds{persona: p.Name}, g.op.Method, documented, nil, nil)
		if err != nil {
			return broken(err, "4xx")
		}
		return judge(check.ClientError(resp), "4xx")
	}
}
