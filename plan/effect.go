package plan

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/graphconform/graphconform/check"
	"github.com/graphconform/graphconform/exchange"
)

// effect: EFF-001, the declared effect of a successful call, read back with a GET. The state is read
// before the call too: a target that never took the starting value would otherwise pass with a call
// that changes nothing.
func (g generator) effect() []Case {
	e := g.op.Effect
	if e == nil {
		return nil
	}
	name := fmt.Sprintf("after the documented call GET %s shows %s %s", e.Get, e.Property, e.Equals)
	return []Case{g.newCase("EFF-001", name, func(t *T) result {
		want := fmt.Sprintf("GET %s answers 200 with %s %s", e.Get, e.Property, e.Equals)
		id, err := t.partner(g.setup)
		if err != nil {
			return broken(err, want)
		}
		key, _ := g.op.KeyParam()
		read, err := g.op.ExpandPath(e.Get, map[string]string{key.Name: id})
		if err != nil {
			return broken(err, want)
		}
		if e.From != "" && t.created != id {
			t.setState(g.setup, read, e.Property, e.From) // a shared or configured entity: the GET below tells if it took
		}
		before, err := t.get(g.setup, read)
		if err != nil {
			return broken(err, want)
		}
		v, err := check.Member(before, e.Property)
		if err != nil {
			return broken(fmt.Errorf("before the call: %w", err), want)
		}
		if check.SameJSON(v, e.Equals) {
			from := ""
			if e.From != "" {
				from = fmt.Sprintf(" (it was given %s %s and kept %s)", e.Property, e.From, v)
			}
			return notApplicable("before the call GET %s already shows %s %s%s, so a call that changes nothing could not be told apart", e.Get, e.Property, v, from)
		}
		path, err := t.actionPath(id)
		if err != nil {
			return broken(err, want)
		}
		req, err := t.opRequest(g.op.Method, path, creds{persona: g.setup}, documented, nil)
		if err != nil {
			return broken(err, want)
		}
		resp, err := t.send(req)
		if err != nil {
			return broken(err, want)
		}
		if check.Accepted(resp) != nil {
			return notApplicable("the call answered %d, not a success; DISC-001 judges the status", resp.Status)
		}
		after, err := t.get(g.setup, read)
		if err != nil {
			return broken(err, want)
		}
		return judge(check.Effect(after, *e), want)
	})}
}

// get reads a path as the setup persona; the exchange is evidence, not setup.
func (t *T) get(setup, path string) (*exchange.Response, error) {
	req, err := t.build(http.MethodGet, path, creds{persona: setup}, documented, nil)
	if err != nil {
		return nil, err
	}
	return t.send(req)
}

// setState PATCHes one member of an entity, as setup. Its answer is not judged: the GET that
// follows shows whether the state took.
func (t *T) setState(setup, path, property, value string) {
	body, _ := json.Marshal(map[string]json.RawMessage{property: json.RawMessage(value)})
	req, err := t.build(http.MethodPatch, path, creds{persona: setup},
		http.Header{"Content-Type": {"application/json"}, "Accept": {"application/json"}}, body)
	if err != nil {
		return
	}
	_, _ = t.send(req)
	t.exchanges[len(t.exchanges)-1].setup = true
}
