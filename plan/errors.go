package plan

import (
	"encoding/json"
	"net/http"

	"github.com/graphconform/graphconform/check"
	"github.com/graphconform/graphconform/contract"
	"github.com/graphconform/graphconform/exchange"
)

// errorScenario is a request that should produce an error response, to inspect its envelope.
type errorScenario struct {
	name string
	// judgedBy names the requirement that judges the status of this request.
	judgedBy string
	send     func(t *T) (*exchange.Response, error)
	// persona or credential is what the request sends, for the case's labels (setup persona when
	// both are empty).
	persona, credential string
}

func (g generator) errorScenarios() []errorScenario {
	op := g.op
	scen := []errorScenario{
		{name: "the 401 without a token", judgedBy: "AUTH-001", credential: CredNone, send: func(t *T) (*exchange.Response, error) {
			return t.callAction(g.setup, creds{forged: true}, op.Method, documented, nil, nil)
		}},
		// A gateway may wrap only its own "no token" 401 in the envelope: a refused token is another path.
		{name: "the 401 for a tampered token", judgedBy: "AUTH-001", credential: CredTampered, send: func(t *T) (*exchange.Response, error) {
			p, _ := t.personaToken(g.setup)
			return t.callAction(g.setup, creds{raw: "Bearer " + tamper(p.Token), forged: true}, op.Method, documented, nil, nil)
		}},
	}
	if _, ok := op.KeyParam(); ok {
		scen = append(scen, errorScenario{name: "the 404 for an unknown id", judgedBy: "DISC-008", send: func(t *T) (*exchange.Response, error) {
			path, err := t.actionPath(randomGUID())
			if err != nil {
				return nil, err
			}
			req, err := t.opRequest(op.Method, path, creds{persona: g.setup}, documented, nil)
			if err != nil {
				return nil, err
			}
			return t.send(req)
		}})
	}
	if others := g.otherMethods(); len(others) > 0 {
		scen = append(scen, errorScenario{name: "the 405 for " + others[0], judgedBy: "DISC-007.1", send: func(t *T) (*exchange.Response, error) {
			return t.callAction(g.setup, creds{persona: g.setup}, others[0], documented, nil, nil)
		}})
	}
	if op.Body.Accepted {
		scen = append(scen,
			errorScenario{name: "the 400 for an undeclared parameter", judgedBy: "BODY-003", send: func(t *T) (*exchange.Response, error) {
				b, err := withMember(t, undeclaredParameter, json.RawMessage("1"))
				if err != nil {
					return nil, err
				}
				return t.callAction(g.setup, creds{persona: g.setup}, op.Method,
					http.Header{"Accept": {"application/json"}, "Content-Type": {"application/json"}}, b, nil)
			}},
			errorScenario{name: "the 415 for a text/plain body", judgedBy: "BODY-005", send: func(t *T) (*exchange.Response, error) {
				return t.callAction(g.setup, creds{persona: g.setup}, op.Method,
					http.Header{"Content-Type": {"text/plain"}}, plainBody, nil)
			}})
	}
	if !op.Body.Accepted && op.Method != http.MethodGet {
		scen = append(scen,
			errorScenario{name: "the 400 for an undeclared parameter", judgedBy: "DISC-005", send: func(t *T) (*exchange.Response, error) {
				return t.callAction(g.setup, creds{persona: g.setup}, op.Method,
					http.Header{"Content-Type": {"application/json"}}, []byte(`{"graphconformUndeclaredParameter":1}`), nil)
			}},
			errorScenario{name: "the 415 for a text/plain body", judgedBy: "DISC-006", send: func(t *T) (*exchange.Response, error) {
				return t.callAction(g.setup, creds{persona: g.setup}, op.Method,
					http.Header{"Content-Type": {"text/plain"}}, plainBody, nil)
			}})
	}
	for _, p := range g.personas {
		if g.op.Permissions.Decide(p.Account, p.Permissions).Outcome == contract.Insufficient {
			name := p.Name
			scen = append(scen, errorScenario{name: "the 403 for persona " + name, judgedBy: "PERM-003", persona: name, send: func(t *T) (*exchange.Response, error) {
				return t.callAction(g.setup, creds{persona: name}, op.Method, documented, nil, nil)
			}})
			break
		}
	}
	return scen
}

// errors: ERR-001, the error envelope of every error scenario.
func (g generator) errors() []Case {
	var out []Case
	env := g.op.Error
	for _, s := range g.errorScenarios() {
		s := s
		c := g.newCase("ERR-001", s.name+" has the error envelope", func(t *T) result {
			want := env.MediaType + ` {"` + env.Property + `":{` + joinQuoted(env.Required) + `}} (` + env.Schema + `)`
			resp, err := s.send(t)
			if err != nil {
				return broken(err, want)
			}
			if !check.IsError(resp) {
				return notApplicable("the target answered %d, not an error; %s judges the status", resp.Status, s.judgedBy)
			}
			return judge(check.Envelope(resp, env), want)
		})
		if s.persona != "" || s.credential != "" {
			c.Persona, c.Credential = s.persona, s.credential
		}
		out = append(out, c)
	}
	return out
}

// headers: HDR-001, request-id on success and error responses and the client-request-id echo.
func (g generator) headers() []Case {
	op := g.op
	return []Case{
		g.newCase("HDR-001", "the success response carries request-id", func(t *T) result {
			resp, err := t.callAction(g.setup, creds{persona: g.setup}, op.Method, documented, nil, nil)
			if err != nil {
				return broken(err, "request-id header")
			}
			return judge(check.RequestID(resp), "request-id header")
		}),
		anonymous(g.newCase("HDR-001", "an error response carries request-id", func(t *T) result {
			resp, err := t.callAction(g.setup, creds{forged: true}, op.Method, documented, nil, nil)
			if err != nil {
				return broken(err, "request-id header")
			}
			return judge(check.RequestID(resp), "request-id header")
		})),
		g.newCase("HDR-001", "a sent client-request-id is echoed", g.echoes(creds{persona: g.setup})),
		anonymous(g.newCase("HDR-001", "a sent client-request-id is echoed on an error response", g.echoes(creds{forged: true}))),
	}
}

// echoes sends a fresh client-request-id with the credentials and requires it back.
func (g generator) echoes(c creds) func(t *T) result {
	return func(t *T) result {
		id := randomGUID()
		h := http.Header{"Accept": {"application/json"}, "Client-Request-Id": {id}}
		resp, err := t.callAction(g.setup, c, g.op.Method, h, nil, nil)
		if err != nil {
			return broken(err, "client-request-id: "+id)
		}
		return judge(check.EchoesClientRequestID(resp, id), "client-request-id: "+id)
	}
}

// anonymous labels a case that sends no Authorization header.
func anonymous(c Case) Case {
	c.Persona, c.Credential = "", CredNone
	return c
}

func joinQuoted(names []string) string {
	out := ""
	for i, n := range names {
		if i > 0 {
			out += ","
		}
		out += `"` + n + `":string`
	}
	return out
}
