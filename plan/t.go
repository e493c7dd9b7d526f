package plan

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

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

// errNoSetup: the case needs an entity, none is configured and no persona may create one. Such a
// case is skipped with that reason, never failed or passed.
var errNoSetup = errors.New("no target.partnerId is configured and no persona the contract allows can create an entity")

// partner returns the id of an entity to call the action on: the configured one, the operation's
// shared one (Env.Shared, opt-in), or a new one made through the collection with the setup persona
// and deleted when the spec ends.
func (t *T) partner(setup string) (string, error) {
	if t.env.PartnerID != "" {
		return t.env.PartnerID, nil
	}
	if setup == "" {
		return "", errNoSetup
	}
	if t.env.Shared != nil {
		return t.env.Shared.get(t.c.Operation.ID, func() (string, func(), error) { return t.create(setup) })
	}
	id, remove, err := t.create(setup)
	if err != nil {
		return "", err
	}
	t.cleanups = append(t.cleanups, remove)
	t.created = id
	return id, nil
}

// create makes an entity through the operation's collection and returns its id and its removal.
func (t *T) create(setup string) (string, func(), error) {
	coll := t.c.Operation.CollectionPath()
	if coll == "" {
		return "", nil, fmt.Errorf("setup: operation %s has no key parameter to create an entity for", t.c.Operation.ID)
	}
	body, err := json.Marshal(fixtureEntity(t.c.Operation, string(t.c.Requirement.ID)+" "+t.c.Name))
	if err != nil {
		return "", nil, fmt.Errorf("setup: the fixture entity of %s: %w", t.c.Operation.ID, err)
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
		return "", nil, fmt.Errorf("setup: creating an entity with POST %s as %s answered %d; configure target.partnerId to use an existing one", coll, setup, resp.Status)
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

// actionPath expands the operation's path with the given key.
func (t *T) actionPath(key string) (string, error) {
	p, ok := t.c.Operation.KeyParam()
	if !ok {
		return t.c.Operation.Path, nil
	}
	return t.c.Operation.Expand(map[string]string{p.Name: key})
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
	id, err := t.partner(setup)
	if err != nil {
		return exchange.Request{}, err
	}
	path, err := t.actionPath(id)
	if err != nil {
		return exchange.Request{}, err
	}
	if mutate != nil {
		path = mutate(path)
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
