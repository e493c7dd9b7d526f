package spec

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/graphconform/graphconform/contract"
	"github.com/graphconform/graphconform/spec/schema"
)

// schemas adds to c what the cases build requests from and judge responses by: the request and
// success schemas (as bundles the contract cache can keep), the description's example body, the
// reference page, function-parameter values and, per key, the collection POST that makes a
// fixture entity for it.
func (d *Description) schemas(c *contract.Operation, op *openapi3.Operation, b *schema.Bundler) error {
	if op.ExternalDocs != nil {
		c.DocURL = op.ExternalDocs.URL
	}
	if rb := op.RequestBody; rb != nil && rb.Value != nil {
		c.Body.Required = rb.Value.Required
		if mt := rb.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil && mt.Schema.Value != nil {
			raw, err := b.Bundle(mt.Schema)
			if err != nil {
				return fmt.Errorf("request body: %w", err)
			}
			c.Body.Schema = raw
			c.Body.Example = example(mt)
		}
	}
	if resp := successResponse(op); resp != nil {
		if mt := resp.Content.Get("application/json"); mt != nil && mt.Schema != nil && mt.Schema.Value != nil {
			raw, err := b.Bundle(mt.Schema)
			if err != nil {
				return fmt.Errorf("success response: %w", err)
			}
			c.SuccessSchema = raw
		}
	}
	for i := range c.PathParams {
		p := &c.PathParams[i]
		if p.Function = !strings.Contains(c.Path+"/", "/{"+p.Name+"}/"); p.Function {
			continue
		}
		coll := c.Path[:strings.Index(c.Path, "/{"+p.Name+"}")]
		item := d.Doc.Paths.Value(coll)
		if item == nil {
			// A fragment (one action cut out of a description) says nothing about the collection:
			// presume Graph's containment POST, with the key type's schema when there is one.
			p.Create = &contract.Create{Collection: coll, Presumed: true}
			if s := d.keySchema(p.KeyType); s != nil {
				fixture(p.Create, s)
			}
			continue
		}
		if item.Post == nil {
			continue // the description says entities here are not created by clients
		}
		p.Create = &contract.Create{Collection: coll}
		if rb := item.Post.RequestBody; rb != nil && rb.Value != nil {
			if mt := rb.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil && mt.Schema.Value != nil {
				fixture(p.Create, mt.Schema)
			}
		}
	}
	return nil
}

// fixture sets c's fixture body from the collection POST's schema s (see contract.Create).
func fixture(c *contract.Create, s *openapi3.SchemaRef) {
	c.Named = schema.HasProperty(s, "displayName")
	v, err := schema.Minimal(s)
	if err == nil {
		if _, ok := v.(map[string]any); !ok {
			err = errors.New("the collection's schema is not an object")
		}
	}
	if err == nil {
		c.Fixture, err = json.Marshal(v)
	}
	if err != nil {
		c.Fixture, c.FixtureError = nil, err.Error()
	}
}

// keySchema is the component schema of an x-ms-docs-key-type, nil when the description has none.
func (d *Description) keySchema(keyType string) *openapi3.SchemaRef {
	if keyType == "" || d.Doc.Components == nil {
		return nil
	}
	name := keyType
	if !strings.Contains(name, ".") {
		name = "microsoft.graph." + name
	}
	s := d.Doc.Components.Schemas[name]
	if s == nil || s.Value == nil {
		return nil
	}
	return &openapi3.SchemaRef{Ref: "#/components/schemas/" + name, Value: s.Value}
}

// functionValues gives each function parameter a value valid against its schema: its example,
// else a minimal one.
func functionValues(c *contract.Operation, item *openapi3.PathItem, op *openapi3.Operation) error {
	declared := map[string]*openapi3.Parameter{}
	for _, list := range []openapi3.Parameters{item.Parameters, op.Parameters} {
		for _, ref := range list {
			if ref != nil && ref.Value != nil && ref.Value.In == openapi3.ParameterInPath {
				declared[ref.Value.Name] = ref.Value
			}
		}
	}
	for i := range c.PathParams {
		p := &c.PathParams[i]
		decl := declared[p.Name]
		if !p.Function || decl == nil {
			continue
		}
		var v any = decl.Example
		if v == nil && decl.Schema != nil {
			m, err := schema.Minimal(decl.Schema)
			if err != nil {
				return fmt.Errorf("function parameter %s: %w", p.Name, err)
			}
			v = m
		}
		switch x := v.(type) {
		case string:
			p.Value = x
		case float64:
			p.Value = strconv.FormatFloat(x, 'f', -1, 64)
		case bool:
			p.Value = strconv.FormatBool(x)
		case nil:
			p.Value = "x"
		default:
			// An object or array (often a stub schema) has no URL form: the config must give one.
			p.Value = ""
		}
	}
	return nil
}

// example is the media type's own example (or its first named one), compact; nil when none.
func example(mt *openapi3.MediaType) json.RawMessage {
	v := mt.Example
	if v == nil {
		for _, name := range sortedKeys(mt.Examples) {
			if e := mt.Examples[name]; e != nil && e.Value != nil && e.Value.Value != nil {
				v = e.Value.Value
				break
			}
		}
	}
	if v == nil {
		return nil
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	var buf bytes.Buffer
	if json.Compact(&buf, raw) != nil {
		return nil
	}
	return buf.Bytes()
}

func sortedKeys(m openapi3.Examples) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// successResponse is the response success() chose: the lowest explicit 2xx, else 2XX.
func successResponse(op *openapi3.Operation) *openapi3.Response {
	if op.Responses == nil {
		return nil
	}
	best := 0
	var out *openapi3.Response
	for key, ref := range op.Responses.Map() {
		code, err := strconv.Atoi(key)
		if err != nil || code < 200 || code > 299 || ref == nil || ref.Value == nil {
			continue
		}
		if best == 0 || code < best {
			best, out = code, ref.Value
		}
	}
	if out == nil {
		if ref := op.Responses.Value("2XX"); ref != nil {
			out = ref.Value
		}
	}
	return out
}
