package spec

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/graphconform/graphconform/contract"
)

// EffectExtension is the operation extension that declares what a successful call changes:
//
//	x-graphconform-effect:
//	  get: entity              # what to read afterwards: the bound entity, or a path template
//	  property: onboardingStatus
//	  equals: notOnboarded     # its value after the call (any JSON value)
//	  from: onboarded          # optional: a value to give it first, so that the call changes it
//	  source: ...              # optional: where the effect is written (default: externalDocs)
//
// It is graphconform's own extension: Microsoft's descriptions say what an action is for only in
// prose (its description and its entity's enum descriptions), so the effect is written down here.
const EffectExtension = "x-graphconform-effect"

// effectEntry is the extension as written.
type effectEntry struct {
	Get      string          `json:"get"`
	Property string          `json:"property"`
	Equals   json.RawMessage `json:"equals"`
	From     json.RawMessage `json:"from"`
	Source   string          `json:"source"`
}

// readEffect decodes the extension of an operation whose contract c is otherwise built; nil when
// there is none. Every field is checked: a misspelt key must not silently drop the check.
func readEffect(op *openapi3.Operation, c *contract.Operation) (*contract.Effect, error) {
	raw, ok := op.Extensions[EffectExtension]
	if !ok {
		return nil, nil
	}
	buf, err := json.Marshal(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", EffectExtension, err)
	}
	var e effectEntry
	dec := json.NewDecoder(bytes.NewReader(buf))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		return nil, fmt.Errorf("%s: want an object with get, property, equals and optionally from and source: %v", EffectExtension, err)
	}
	out := &contract.Effect{Property: e.Property, Source: e.Source}
	switch {
	case e.Get == "entity":
		if out.Get = c.EntityPath(); out.Get == "" {
			return nil, fmt.Errorf("%s: get: entity, but the path has no key parameter; write the path to read instead", EffectExtension)
		}
	case strings.HasPrefix(e.Get, "/"):
		if err := ownParams(e.Get, c); err != nil {
			return nil, fmt.Errorf("%s: get: %w", EffectExtension, err)
		}
		out.Get = e.Get
	default:
		return nil, fmt.Errorf("%s: get is %q; want entity (the entity the operation is bound to) or a path template starting with /", EffectExtension, e.Get)
	}
	if strings.TrimSpace(e.Property) == "" {
		return nil, fmt.Errorf("%s: property is missing: name the member of the GET's body that shows the effect", EffectExtension)
	}
	if len(e.Equals) == 0 {
		return nil, fmt.Errorf("%s: equals is missing: give the value %s has after the call", EffectExtension, e.Property)
	}
	if out.Equals, err = compactJSON(e.Equals); err != nil {
		return nil, fmt.Errorf("%s: equals: %v", EffectExtension, err)
	}
	if len(e.From) > 0 {
		if out.From, err = compactJSON(e.From); err != nil {
			return nil, fmt.Errorf("%s: from: %v", EffectExtension, err)
		}
		if out.From == out.Equals {
			return nil, fmt.Errorf("%s: from and equals are both %s: the call would change nothing a GET could show", EffectExtension, out.Equals)
		}
	}
	if out.Source == "" && op.ExternalDocs != nil {
		out.Source = op.ExternalDocs.URL
	}
	return out, nil
}

// ownParams checks that every {parameter} of a template is one of the operation's path parameters.
func ownParams(tpl string, c *contract.Operation) error {
	for _, m := range templateParam.FindAllStringSubmatch(tpl, -1) {
		found := false
		for _, p := range c.PathParams {
			found = found || p.Name == m[1]
		}
		if !found {
			return fmt.Errorf("%q uses {%s}, which is not a path parameter of the operation", tpl, m[1])
		}
	}
	return nil
}

func compactJSON(raw json.RawMessage) (string, error) {
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return "", err
	}
	return b.String(), nil
}
