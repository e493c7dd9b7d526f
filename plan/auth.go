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
	"github.com/graphconform/graphconform/verdict"
)

// probe is a credential the target must refuse with 401, sent instead of a persona's Bearer token.
type probe struct {
	name  string // the variant text: "a token with a tampered signature"
	label string // the credential label (Cred*)
	// value builds the Authorization value ("" = send none) from the setup persona (its token) and
	// the run's refusable tokens; a non-empty skip says why it cannot be built here.
	value func(env *Env, setup persona.Persona) (value, skip string)
}

// probes are AUTH-001's credentials: made up, derived from the setup persona's token (derivations),
// and genuinely signed but defective (Env.Refusable).
func probes() []probe {
	out := []probe{
		{"no Authorization header", CredNone, literal("")},
		{"a Bearer scheme with no token", CredForged, literal("Bearer ")},
		{"a Basic credential instead of Bearer", CredForged, literal("Basic Z3JhcGhjb25mb3JtOm5vdC1hLXBhc3N3b3Jk")},
		{"a malformed bearer token", CredForged, literal("Bearer graphconform.not-a-token")},
	}
	for _, d := range derivations {
		d := d
		out = append(out, probe{d.name, d.kind, func(_ *Env, setup persona.Persona) (string, string) {
			v, reason := d.derive(setup.Token)
			if reason != "" {
				return "", "not applicable: " + reason
			}
			return v, ""
		}})
	}
	for _, d := range []struct{ defect, name string }{
		{DefectExpired, "a genuinely signed token that has expired"},
		{DefectNotYetValid, "a genuinely signed token that is not valid yet (nbf)"},
		{DefectOtherAudience, "a genuinely signed token for another audience"},
		{DefectOtherIssuer, "a genuinely signed token whose issuer is not its tenant's"},
		{DefectAlgConfusion, "an HS256 token keyed with the issuer's public key (algorithm confusion)"},
	} {
		d := d
		out = append(out, probe{d.name, CredSigned, func(env *Env, setup persona.Persona) (string, string) {
			for _, r := range env.Refusable {
				if r.Persona == setup.Name && r.Defect == d.defect {
					return "Bearer " + r.Token, ""
				}
			}
			return "", "not exercised: no " + d.defect + " token is configured; only the issuer the target trusts can sign one (the embedded target's fixture issuer does)"
		}})
	}
	return out
}

// literal is a probe that owes nothing to any token.
func literal(v string) func(*Env, persona.Persona) (string, string) {
	return func(*Env, persona.Persona) (string, string) { return v, "" }
}

// auth: AUTH-001 (refused with 401), AUTH-002 (Bearer challenge on every 401) and AUTH-003 (the
// scheme name in any case).
func (g generator) auth() []Case {
	var out []Case
	for _, p := range probes() {
		p := p
		out = append(out, g.probeCase("AUTH-001", p, p.name+" is refused with 401", func(t *T) result {
			const want = "401 Unauthorized (never 2xx, never 403)"
			resp, skip, err := g.probeCall(t, p)
			if skip != "" || err != nil {
				return skipOr(skip, err, want)
			}
			return judge(check.Status(resp, http.StatusUnauthorized), want)
		}))
		out = append(out, g.probeCase("AUTH-002", p, "the 401 for "+p.name+" carries a Bearer challenge", func(t *T) result {
			const want = "WWW-Authenticate: Bearer ..."
			resp, skip, err := g.probeCall(t, p)
			if skip != "" || err != nil {
				return skipOr(skip, err, want)
			}
			if resp.Status != http.StatusUnauthorized {
				return notApplicable("the target answered %d, not 401; AUTH-001 judges the status", resp.Status)
			}
			return judge(check.Challenge(resp), want)
		}))
	}
	// RFC 9110 §11.1: "It uses a case-insensitive token to identify the authentication scheme", so
	// bearer and BEARER are the Bearer scheme of RFC 6750 §2.1 and the valid token must be accepted.
	for _, scheme := range []string{"bearer", "BEARER"} {
		scheme := scheme
		out = append(out, g.newCase("AUTH-003", "the valid token under the scheme written "+scheme+" is accepted", func(t *T) result {
			setup, _ := t.personaToken(g.setup)
			id := ""
			if _, ok := g.op.KeyParam(); ok {
				var err error
				if id, err = t.partner(g.setup); err != nil {
					return broken(err, "2xx")
				}
			}
			send := func(scheme string) (*exchange.Response, error) {
				path, err := t.actionPath(id)
				if err != nil {
					return nil, err
				}
				req, err := t.opRequest(g.op.Method, path, creds{raw: scheme + " " + setup.Token, forged: true}, documented, nil)
				if err != nil {
					return nil, err
				}
				return t.send(req)
			}
			resp, err := send(scheme)
			if err != nil {
				return broken(err, "2xx")
			}
			if check.Accepted(resp) != nil {
				// Is it the scheme's case, or is the documented request itself refused?
				if ctl, err := send("Bearer"); err == nil && check.Accepted(ctl) != nil {
					return notApplicable("the same request under Bearer is refused too (%d); DISC-001 judges the documented request", ctl.Status)
				}
			}
			return judge(check.Accepted(resp), "2xx")
		}))
	}
	return out
}

// probeCase is newCase for a case that sends a probe: it is labelled with the credential sent, not
// with the setup persona (which only makes the entity).
func (g generator) probeCase(id requirement.ID, p probe, name string, run func(t *T) result) Case {
	c := g.newCase(id, name, run)
	c.Persona, c.Credential = "", p.label
	return c
}

// probeCall sends the documented request with the probe's credential; skip is set when the probe
// cannot be built here.
func (g generator) probeCall(t *T, p probe) (*exchange.Response, string, error) {
	setup, _ := t.personaToken(g.setup)
	v, skip := p.value(t.env, setup)
	if skip != "" {
		return nil, skip, nil
	}
	resp, err := t.callAction(g.setup, creds{raw: v, forged: true}, g.op.Method, documented, nil, nil)
	return resp, "", err
}

// skipOr: a probe that cannot be built is not applicable (the token has no such form) or not
// exercised (no such token is configured); an exchange that failed is broken.
func skipOr(skip string, err error, want string) result {
	switch {
	case strings.HasPrefix(skip, "not applicable: "):
		return notApplicable("%s", strings.TrimPrefix(skip, "not applicable: "))
	case skip != "":
		return result{outcome: verdict.Skip, message: skip, expected: want}
	}
	return broken(err, want)
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
			// "every 401": a personal account's refusal is a 401 of the permission path, not of AUTH-001's.
			add("AUTH-002", "is refused with a 401 that carries a Bearer challenge", g.expectChallenge(p))
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
		{"PERM-003", "a persona without an accepted permission (a work persona holding none of " + g.acceptedNames() + ")"},
		{"PERM-004", personal},
		{"PERM-004.1", personal},
	}
	if g.hasMetadataGrant() {
		missing = append(missing, struct{ id, what string }{"PERM-005", "a persona holding only a permission the permissions metadata adds"})
	}
	for _, m := range missing {
		if !covered[m.id] && g.rowApplies(m.id) {
			c := g.newCase(requirement.ID(m.id), "no persona exercises this row", nil)
			c.Persona = ""
			c.Skip = "persona not configured: add " + m.what
			out = append(out, c)
		}
	}
	return out
}

// rowApplies tells whether the permission table has the row a requirement judges, so that a row
// no persona exercises is a gap (not exercised) only where it exists: PERM-001 needs delegated work
// accounts to be supported with a grant (an application-only table has no such row), PERM-004 and
// PERM-004.1 need personal accounts to be unsupported (where they are supported, a personal
// persona holding a grant is accepted, and PERM-001 judges it). Every other row always applies:
// an application or an insufficient persona is either accepted or refused.
func (g generator) rowApplies(id string) bool {
	switch id {
	case "PERM-001":
		s, ok := g.op.Permissions.Schemes[contract.Work]
		return ok && s.Supported && len(s.Grants) > 0
	case "PERM-004", "PERM-004.1":
		s, ok := g.op.Permissions.Schemes[contract.Personal]
		return !ok || !s.Supported
	}
	return true
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

func (g generator) expectChallenge(p persona.Persona) func(t *T) result {
	return func(t *T) result {
		const want = "WWW-Authenticate: Bearer ..."
		resp, err := t.callAction(g.setup, creds{persona: p.Name}, g.op.Method, documented, nil, nil)
		if err != nil {
			return broken(err, want)
		}
		if resp.Status != http.StatusUnauthorized {
			return notApplicable("the target answered %d, not 401; PERM-004.1 judges the status", resp.Status)
		}
		return judge(check.Challenge(resp), want)
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
