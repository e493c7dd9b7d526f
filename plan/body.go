package plan

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/graphconform/graphconform/check"
	"github.com/graphconform/graphconform/contract"
	"github.com/graphconform/graphconform/spec/schema"
)

// schemas are an operation's schemas, loaded from the contract's bundles on first use and shared
// by its cases: Build stays cheap, and an operation no case runs costs nothing.
type schemas struct {
	once             sync.Once
	body, resp       *openapi3.SchemaRef
	bodyErr, respErr error
	minimal          []byte // a minimal body valid against body
	minimalErr       error
}

func (s *schemas) load(op *contract.Operation) {
	s.once.Do(func() {
		if op.Body.Schema != nil {
			s.body, s.bodyErr = schema.Load(op.Body.Schema)
			if s.bodyErr == nil {
				var v any
				if v, s.minimalErr = schema.Minimal(s.body); s.minimalErr == nil {
					s.minimal, s.minimalErr = json.Marshal(v)
				}
			} else {
				s.minimalErr = s.bodyErr
			}
		}
		if op.SuccessSchema != nil {
			s.resp, s.respErr = schema.Load(op.SuccessSchema)
		}
	})
}

// validBody is the body the documented request sends: the configured one
// (operations.<operationId>.body), else the description's example, else a minimal body valid
// against the request schema, else {} (a body without a JSON schema). A body that cannot be built
// skips the case, saying why.
func (t *T) validBody() ([]byte, error) {
	op := t.c.Operation
	if b := t.env.Bodies[op.ID]; len(b) > 0 {
		return b, nil
	}
	if op.Body.Example != nil {
		return op.Body.Example, nil
	}
	return t.minimalBody()
}

func (t *T) minimalBody() ([]byte, error) {
	op := t.c.Operation
	if op.Body.Schema == nil {
		return []byte("{}"), nil
	}
	t.c.schemas.load(op)
	if t.c.schemas.minimalErr != nil {
		return nil, &skipError{fmt.Sprintf("no valid request body for %s can be built from its schema (%v); configure operations.%s.body", op.ID, t.c.schemas.minimalErr, op.ID)}
	}
	return t.c.schemas.minimal, nil
}

// bodyCases: BODY-001..005, the request-body rules of an action with parameters.
func (g generator) bodyCases() []Case {
	op := g.op
	jsonHeader := http.Header{"Accept": {"application/json"}, "Content-Type": {"application/json"}}
	success := fmt.Sprintf("%d %s", op.Success, http.StatusText(op.Success))
	refused := func(status int, make func(t *T) (http.Header, []byte, error)) func(t *T) result {
		return func(t *T) result {
			want := fmt.Sprintf("%d %s", status, http.StatusText(status))
			h, b, err := make(t)
			if err != nil {
				return broken(err, want)
			}
			if b == nil {
				b = noBody
			}
			resp, err := t.callAction(g.setup, creds{persona: g.setup}, op.Method, h, b, nil)
			if err != nil {
				return broken(err, want)
			}
			return judge(check.Status(resp, status), want)
		}
	}
	var out []Case
	if op.Body.Schema != nil {
		out = append(out, g.newCase("BODY-001", "a minimal body valid against the request schema answers "+success, func(t *T) result {
			b, err := t.minimalBody()
			if err != nil {
				return broken(err, success)
			}
			resp, err := t.callAction(g.setup, creds{persona: g.setup}, op.Method, jsonHeader, b, nil)
			if err != nil {
				return broken(err, success)
			}
			return judge(check.Status(resp, op.Success), success)
		}))
	}
	if op.Body.Example != nil {
		out = append(out, g.newCase("BODY-001", "the description's example body answers "+success, func(t *T) result {
			resp, err := t.callAction(g.setup, creds{persona: g.setup}, op.Method, jsonHeader, op.Body.Example, nil)
			if err != nil {
				return broken(err, success)
			}
			return judge(check.Status(resp, op.Success), success)
		}))
	}
	if op.Body.Required {
		out = append(out, g.newCase("BODY-002", "no body where the body is required is refused with 400",
			refused(http.StatusBadRequest, func(t *T) (http.Header, []byte, error) {
				return http.Header{"Accept": {"application/json"}}, nil, nil
			})))
	}
	if len(op.Body.Parameters) > 0 {
		// A body schema declaring no parameter (Microsoft's v1.0 stubs several as a bare
		// {type: object}) does not say which members are undeclared: no BODY-003 case for it.
		out = append(out, g.newCase("BODY-003", "the valid body plus an undeclared parameter is refused with 400",
			refused(http.StatusBadRequest, func(t *T) (http.Header, []byte, error) {
				b, err := withMember(t, undeclaredParameter, json.RawMessage("1"))
				return jsonHeader, b, err
			})))
	}
	out = append(out,
		g.newCase("BODY-004", "the valid body with a parameter of the wrong JSON type is refused with 400",
			func(t *T) result {
				const want = "400 Bad Request"
				b, name, err := wrongType(t)
				if err != nil {
					return broken(err, want)
				}
				if b == nil {
					return notApplicable("no parameter of %s has a JSON type a value of another type would break: %s", op.ID, name)
				}
				resp, err := t.callAction(g.setup, creds{persona: g.setup}, op.Method, jsonHeader, b, nil)
				if err != nil {
					return broken(err, want)
				}
				return judge(check.Status(resp, http.StatusBadRequest), want+" ("+name+")")
			}),
		g.newCase("BODY-005", "the valid body sent as text/plain is refused with 415",
			refused(http.StatusUnsupportedMediaType, func(t *T) (http.Header, []byte, error) {
				b, err := t.validBody()
				return http.Header{"Accept": {"application/json"}, "Content-Type": {"text/plain"}}, b, err
			})),
		g.newCase("BODY-005", "an application/xml body is refused with 415",
			refused(http.StatusUnsupportedMediaType, func(t *T) (http.Header, []byte, error) {
				return http.Header{"Accept": {"application/json"}, "Content-Type": {"application/xml"}}, []byte("<graphconform/>"), nil
			})),
	)
	return out
}

// undeclaredParameter is a parameter name no Graph action declares.
const undeclaredParameter = "graphconformUndeclaredParameter"

// withMember is the valid body with one more member.
func withMember(t *T, name string, v json.RawMessage) ([]byte, error) {
	b, err := t.validBody()
	if err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil || m == nil {
		return nil, fmt.Errorf("the valid body of %s is not a JSON object, so no parameter can be added: %s", t.c.Operation.ID, b)
	}
	m[name] = v
	return json.Marshal(m)
}

// wrongTypes are values of every JSON type, tried in order.
var wrongTypes = []json.RawMessage{json.RawMessage(`12345`), json.RawMessage(`"graphconform"`), json.RawMessage(`true`), json.RawMessage(`[12345]`), json.RawMessage(`{"graphconform":12345}`)}

// wrongType is the valid body with one declared parameter given a value of a JSON type its
// schema refuses (checked with the schema itself, so the request is wrong for sure); nil body
// when no parameter can be broken that way. name says which parameter and what was sent.
func wrongType(t *T) ([]byte, string, error) {
	op := t.c.Operation
	t.c.schemas.load(op)
	if t.c.schemas.body == nil {
		return nil, "no request schema", t.c.schemas.bodyErr
	}
	b, err := t.validBody()
	if err != nil {
		return nil, "", err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil || m == nil {
		return nil, "the valid body is not an object", nil
	}
	names := append([]string(nil), op.Body.Parameters...)
	sort.Strings(names)
	for _, name := range names {
		p := paramSchema(t.c.schemas.body, name)
		if p == nil {
			continue
		}
		for _, v := range wrongTypes {
			one, _ := json.Marshal(map[string]json.RawMessage{name: v})
			if schema.Validate(p.wrap, one, schema.Options{Request: true}) == nil {
				continue
			}
			orig, had := m[name]
			m[name] = v
			out, err := json.Marshal(m)
			if had {
				m[name] = orig
			} else {
				delete(m, name)
			}
			if err != nil {
				return nil, "", err
			}
			return out, fmt.Sprintf("%s: %s", name, v), nil
		}
	}
	return nil, "every parameter takes any JSON type", nil
}

type param struct{ wrap *openapi3.SchemaRef }

// paramSchema is a schema of an object holding only parameter name, as the request schema
// declares it (through allOf), so that a value can be judged alone.
func paramSchema(body *openapi3.SchemaRef, name string) *param {
	var find func(s *openapi3.SchemaRef, depth int) *openapi3.SchemaRef
	find = func(s *openapi3.SchemaRef, depth int) *openapi3.SchemaRef {
		if s == nil || s.Value == nil || depth > 8 {
			return nil
		}
		if p := s.Value.Properties[name]; p != nil {
			return p
		}
		for _, sub := range s.Value.AllOf {
			if p := find(sub, depth+1); p != nil {
				return p
			}
		}
		return nil
	}
	p := find(body, 0)
	if p == nil {
		return nil
	}
	obj := openapi3.NewObjectSchema()
	obj.Properties = openapi3.Schemas{name: p}
	return &param{wrap: &openapi3.SchemaRef{Value: obj}}
}

// content: RESP-001, the success response's content against the documented schema.
func (g generator) content() []Case {
	op := g.op
	if op.SuccessSchema == nil {
		return nil
	}
	what := "the documented response schema"
	return []Case{g.newCase("RESP-001", fmt.Sprintf("the %d response's content matches the documented schema", op.Success), func(t *T) result {
		want := fmt.Sprintf("%d application/json valid against %s", op.Success, what)
		t.c.schemas.load(op)
		if t.c.schemas.respErr != nil {
			return broken(&skipError{fmt.Sprintf("the success schema of %s does not load: %v", op.ID, t.c.schemas.respErr)}, want)
		}
		resp, err := t.callAction(g.setup, creds{persona: g.setup}, op.Method, documented, nil, nil)
		if err != nil {
			return broken(err, want)
		}
		if resp.Status != op.Success {
			return notApplicable("the target answered %d, not %d; DISC-001 judges the status", resp.Status, op.Success)
		}
		return judge(check.Content(resp, t.c.schemas.resp, what), want)
	})}
}

// fixtureEntity is the body that makes the fixture entity of key k: the contract's minimal instance
// of the collection POST's schema (its required properties, its own @odata.type), with a display
// name saying which spec made it where the schema has one, and, for the bound entity of an
// operation that declares an effect with a starting value, that value.
func fixtureEntity(op *contract.Operation, k contract.Param, name string) (map[string]any, error) {
	body := map[string]any{}
	named := true
	switch {
	case k.Create != nil && k.Create.FixtureError != "":
		return nil, errors.New(k.Create.FixtureError)
	case k.Create != nil && k.Create.Fixture != nil:
		if err := json.Unmarshal(k.Create.Fixture, &body); err != nil || body == nil {
			return nil, fmt.Errorf("the collection's schema is not an object")
		}
		named = k.Create.Named
	case k.KeyType != "":
		body["@odata.type"] = "#" + graphNamespace + k.KeyType
	}
	if named {
		body["displayName"] = "graphconform " + name
	}
	if last, ok := op.KeyParam(); ok && last.Name == k.Name {
		if e := op.Effect; e != nil && e.From != "" {
			body[e.Property] = json.RawMessage(e.From)
		}
	}
	return body, nil
}
