package plan

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/graphconform/graphconform/contract"
	"github.com/graphconform/graphconform/exchange"
	"github.com/graphconform/graphconform/persona"
	"github.com/graphconform/graphconform/verdict"
)

// T is what a case body uses to talk to the target. Every exchange it makes is kept and, when the
// verdict needs it (see Env.PassingExchanges), rendered redacted into the verdict.
type T struct {
	ctx       context.Context
	env       *Env
	c         *Case
	cleanups  []func() // run in reverse by cleanup
	exchanges []sent
	// created is the entity partner made for this case alone ("" when it took a shared or
	// configured one, whose state other cases or the tenant may have changed).
	created string
	// vals are the keys resolved so far (the first filled of the operation's keys).
	vals   map[string]string
	filled int
}

// sent is one exchange as it happened. Rendering it (a curl command, header block and body, each
// redacted) costs as much as sending it, so it waits until the verdict shows it is wanted.
type sent struct {
	req   exchange.Request
	resp  *exchange.Response
	wire  *exchange.Wire
	err   error
	raw   bool // sent by DoWire
	setup bool
}

// record renders the exchanges for the verdict.
func (t *T) record() []verdict.Exchange {
	if len(t.exchanges) == 0 {
		return nil
	}
	out := make([]verdict.Exchange, len(t.exchanges))
	for i, s := range t.exchanges {
		if s.raw {
			out[i] = t.env.Client.RecordWire(s.req, s.wire, s.err)
		} else {
			out[i] = t.env.Client.Record(s.req, s.resp, s.err)
		}
		out[i].Setup = s.setup
	}
	return out
}

// creds says how a request authenticates.
type creds struct {
	persona string // a configured persona's token
	raw     string // a literal Authorization value (forged credentials)
	forged  bool   // send raw as is: "" means no Authorization header at all
}

func (t *T) authorization(c creds) (string, error) {
	if c.forged || c.raw != "" {
		return c.raw, nil
	}
	if c.persona == "" {
		return "", nil
	}
	p, ok := t.env.Personas.Lookup(c.persona)
	if !ok {
		return "", fmt.Errorf("persona %q is not configured", c.persona)
	}
	return "Bearer " + p.Token, nil
}

// build makes a request to a path under the base URL.
func (t *T) build(method, path string, c creds, header http.Header, body []byte) (exchange.Request, error) {
	h := http.Header{}
	for k, v := range header {
		h[k] = v
	}
	auth, err := t.authorization(c)
	if err != nil {
		return exchange.Request{}, err
	}
	if auth != "" {
		h.Set("Authorization", auth)
	}
	return exchange.Request{Method: method, URL: t.env.BaseURL + path, Header: h, Body: body}, nil
}

// send performs and records one exchange.
func (t *T) send(r exchange.Request) (*exchange.Response, error) {
	resp, err := t.env.Client.Do(t.ctx, r)
	t.exchanges = append(t.exchanges, sent{req: r, resp: resp, err: err})
	return resp, err
}

// sendWire performs and records one raw exchange.
func (t *T) sendWire(r exchange.Request) (*exchange.Wire, error) {
	w, err := t.env.Client.DoWire(t.ctx, r)
	t.exchanges = append(t.exchanges, sent{req: r, wire: w, err: err, raw: true})
	return w, err
}

// skipError is a setup the configuration cannot satisfy: the case is skipped with its message,
// never failed or passed.
type skipError struct{ msg string }

func (e *skipError) Error() string { return e.msg }

func isSkip(err error) bool {
	var s *skipError
	return errors.As(err, &s)
}

// partner returns the key of the entity to call the operation on (its last key), making or
// taking its parents first; see keys.
func (t *T) partner(setup string) (string, error) {
	keys := t.c.Operation.Keys()
	if len(keys) == 0 {
		return "", fmt.Errorf("setup: operation %s has no key parameter to create an entity for", t.c.Operation.ID)
	}
	vals, err := t.keys(setup, len(keys))
	if err != nil {
		return "", err
	}
	return vals[keys[len(keys)-1].Name], nil
}

// keys fills the first n keys of the operation's path, parents first: each from the config
// (target.keys, or target.partnerId for remoteAssistancePartner-id), else made through the
// collection POST the description declares (and deleted when the spec ends), else the case is
// skipped naming the key to configure. With Env.Shared an operation's entities are made once.
func (t *T) keys(setup string, n int) (map[string]string, error) {
	if t.vals != nil && t.filled >= n {
		return t.vals, nil
	}
	if t.env.Shared != nil && n > 0 {
		all := len(t.c.Operation.Keys())
		vals, err := t.env.Shared.get(t.c.Operation.ID, func() (map[string]string, func(), error) {
			return t.makeKeys(setup, all)
		})
		if err != nil {
			return nil, err
		}
		t.vals, t.filled = vals, all
		return vals, nil
	}
	vals, remove, err := t.makeKeys(setup, n)
	if remove != nil {
		t.cleanups = append(t.cleanups, remove)
	}
	if err != nil {
		return nil, err
	}
	t.vals, t.filled = vals, n
	return vals, nil
}

// makeKeys resolves the first n keys; remove deletes what it made, children first.
func (t *T) makeKeys(setup string, n int) (map[string]string, func(), error) {
	op := t.c.Operation
	vals := map[string]string{}
	var removes []func()
	remove := func() {
		for i := len(removes) - 1; i >= 0; i-- {
			removes[i]()
		}
	}
	for i, k := range op.Keys() {
		if i >= n {
			break
		}
		if v := t.env.key(k.Name); v != "" {
			vals[k.Name] = v
			continue
		}
		if k.Create == nil {
			return nil, remove, &skipError{fmt.Sprintf("no key for {%s}: the description declares no POST on its collection, so configure an existing one as target.keys.%s", k.Name, k.Name)}
		}
		who := setup
		if c := t.c.creators[k.Name]; c != "" {
			who = c // the collection POST's own table allows this persona
		}
		if who == "" {
			return nil, remove, &skipError{fmt.Sprintf("no key for {%s}: configure target.keys.%s, or a persona the contract allows to create one", k.Name, k.Name)}
		}
		id, rm, err := t.create(who, k, vals)
		if err != nil {
			return nil, remove, err
		}
		removes = append(removes, rm)
		vals[k.Name] = id
		if i == len(op.Keys())-1 && t.env.Shared == nil {
			t.created = id
		}
	}
	return vals, remove, nil
}

// key is the configured key for a path parameter, "" when none.
func (e *Env) key(name string) string {
	if v := e.Keys[name]; v != "" {
		return v
	}
	if name == PartnerKey {
		return e.PartnerID
	}
	return ""
}

// PartnerKey is the path parameter target.partnerId is a shorthand for.
const PartnerKey = "remoteAssistancePartner-id"

// create makes the entity of key k through its collection (expanded with the parents' keys in
// vals) and returns its id and its removal.
func (t *T) create(setup string, k contract.Param, vals map[string]string) (string, func(), error) {
	op := t.c.Operation
	coll, err := op.ExpandPath(k.Create.Collection, vals)
	if err != nil {
		return "", nil, fmt.Errorf("setup: %w", err)
	}
	entity, err := fixtureEntity(op, k, string(t.c.Requirement.ID)+" "+t.c.Name)
	if err != nil {
		return "", nil, fmt.Errorf("setup: the fixture entity for {%s} of %s: %w", k.Name, op.ID, err)
	}
	body, err := json.Marshal(entity)
	if err != nil {
		return "", nil, fmt.Errorf("setup: the fixture entity for {%s} of %s: %w", k.Name, op.ID, err)
	}
	req, err := t.build(http.MethodPost, coll, creds{persona: setup},
		http.Header{"Content-Type": {"application/json"}, "Accept": {"application/json"}}, body)
	if err != nil {
		return "", nil, err
	}
	resp, err := t.send(req)
	t.exchanges[len(t.exchanges)-1].setup = true
	if err != nil {
		return "", nil, fmt.Errorf("setup: creating an entity: %w", err)
	}
	if resp.Status < 200 || resp.Status > 299 {
		return "", nil, fmt.Errorf("setup: creating an entity with POST %s as %s answered %d; configure target.keys.%s to use an existing one", coll, setup, resp.Status, k.Name)
	}
	var created struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(resp.Body, &created); err != nil || created.ID == "" {
		return "", nil, fmt.Errorf("setup: creating an entity with POST %s answered %d without an \"id\"", coll, resp.Status)
	}
	return created.ID, func() { t.remove(coll, created.ID, setup) }, nil
}

// remove deletes a fixture entity. Its exchange is not part of the verdict: clean-up is best effort
// and its failure does not change what the spec found.
func (t *T) remove(coll, id, setup string) {
	req, err := t.build(http.MethodDelete, coll+"/"+id, creds{persona: setup}, nil, nil)
	if err != nil {
		return
	}
	_, _ = t.env.Client.Do(context.WithoutCancel(t.ctx), req)
}

// cleanup deletes what the case created, last first.
func (t *T) cleanup() {
	for i := len(t.cleanups) - 1; i >= 0; i-- {
		t.cleanups[i]()
	}
}

// actionPath expands the operation's path with its parents' keys, the given last key and the
// function parameters' values (target.keys first, else the description's).
func (t *T) actionPath(key string) (string, error) {
	op := t.c.Operation
	keys := op.Keys()
	vals := map[string]string{}
	if len(keys) > 0 {
		parents, err := t.keys(t.c.setup, len(keys)-1)
		if err != nil {
			return "", err
		}
		for k, v := range parents {
			vals[k] = v
		}
		vals[keys[len(keys)-1].Name] = key
	}
	for _, p := range op.PathParams {
		if p.Function {
			vals[p.Name] = p.Value
			if v := t.env.Keys[p.Name]; v != "" {
				vals[p.Name] = v
			}
			if vals[p.Name] == "" {
				return "", &skipError{fmt.Sprintf("no value for the function parameter {%s}: its schema gives none that fits in a URL, so configure one as target.keys.%s", p.Name, p.Name)}
			}
		}
	}
	return op.Expand(vals)
}

// documented is the documented request: Authorization (if any) and Accept: application/json, no body.
var documented = http.Header{"Accept": {"application/json"}}

// callAction creates (or takes) an entity and sends method + path(key) to it with the given
// credentials, headers and body. mutate lets a case rewrite the path (case changes, qualified name).
func (t *T) callAction(setup string, c creds, method string, header http.Header, body []byte, mutate func(string) string) (*exchange.Response, error) {
	req, err := t.actionRequest(setup, c, method, header, body, mutate)
	if err != nil {
		return nil, err
	}
	return t.send(req)
}

func (t *T) actionRequest(setup string, c creds, method string, header http.Header, body []byte, mutate func(string) string) (exchange.Request, error) {
	id := ""
	if len(t.c.Operation.Keys()) > 0 {
		var err error
		if id, err = t.partner(setup); err != nil {
			return exchange.Request{}, err
		}
	}
	path, err := t.actionPath(id)
	if err != nil {
		return exchange.Request{}, err
	}
	if mutate != nil {
		path = mutate(path)
	}
	return t.opRequest(method, path, c, header, body)
}

// noBody, passed as the body, sends none even where the operation takes one (a nil body means
// "the documented body").
var noBody = []byte{}

// opRequest builds a request to the operation's path. With a nil body, the operation's own method
// on an operation that takes a body gets its documented one (validBody) and Content-Type:
// application/json, so every case that means "the documented request" sends it.
func (t *T) opRequest(method, path string, c creds, header http.Header, body []byte) (exchange.Request, error) {
	op := t.c.Operation
	if body == nil && method == op.Method && op.Body.Accepted && header.Get("Content-Type") == "" {
		b, err := t.validBody()
		if err != nil {
			return exchange.Request{}, err
		}
		if b != nil {
			h := http.Header{}
			for k, v := range header {
				h[k] = v
			}
			h.Set("Content-Type", "application/json")
			header, body = h, b
		}
	}
	return t.build(method, path, c, header, body)
}

// personaToken returns a configured persona (for forging tampered credentials).
func (t *T) personaToken(name string) (persona.Persona, bool) { return t.env.Personas.Lookup(name) }

// swapCase changes the case of every letter of s.
func swapCase(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z':
			return r - 32
		case r >= 'A' && r <= 'Z':
			return r + 32
		}
		return r
	}, s)
}
