package schema

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
)

// rootName is the component a bundle keeps its root schema under.
const rootName = "graphconform.root"

const componentPrefix = "#/components/schemas/"

// Bundle serialises ref with every component schema it reaches into one self-contained,
// compact JSON document (an OpenAPI document with no paths), so that a contract can carry a
// schema through the contract cache and Load can resolve it again without the description.
//
// Navigation properties (x-ms-navigationProperty: true) are kept as unconstrained schemas:
// Graph sends them only on $expand, and following them would pull in most of the model.
// Discriminator mappings keep only the entries whose target is in the bundle.
func Bundle(ref *openapi3.SchemaRef) (json.RawMessage, error) {
	if ref == nil || ref.Value == nil {
		return nil, errors.New("schema: no schema to bundle")
	}
	b := &bundler{comps: map[string]*openapi3.Schema{}}
	if err := b.visit(ref); err != nil {
		return nil, err
	}
	comps := map[string]json.RawMessage{}
	for name, s := range b.comps {
		raw, err := b.marshal(s)
		if err != nil {
			return nil, fmt.Errorf("schema: component %s: %w", name, err)
		}
		comps[name] = raw
	}
	root := json.RawMessage(`{"$ref":"` + ref.Ref + `"}`)
	if ref.Ref == "" {
		raw, err := b.marshal(ref.Value)
		if err != nil {
			return nil, fmt.Errorf("schema: %w", err)
		}
		root = raw
	}
	comps[rootName] = root
	doc := map[string]any{
		"openapi":    "3.0.4",
		"info":       map[string]string{"title": "graphconform schema bundle", "version": "1"},
		"paths":      map[string]any{},
		"components": map[string]any{"schemas": comps},
	}
	out, err := json.Marshal(doc) // sorted keys: equal schemas, equal bytes
	if err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	return out, nil
}

type bundler struct {
	comps map[string]*openapi3.Schema
}

func (b *bundler) visit(ref *openapi3.SchemaRef) error {
	if ref == nil || ref.Value == nil {
		if ref != nil && ref.Ref != "" {
			return fmt.Errorf("schema: unresolved reference %q", ref.Ref)
		}
		return nil
	}
	if ref.Ref != "" {
		if !strings.HasPrefix(ref.Ref, componentPrefix) {
			return fmt.Errorf("schema: reference %q is not to a component schema of the same document", ref.Ref)
		}
		name := strings.TrimPrefix(ref.Ref, componentPrefix)
		if _, ok := b.comps[name]; ok {
			return nil
		}
		b.comps[name] = ref.Value
	}
	s := ref.Value
	for _, list := range []openapi3.SchemaRefs{s.AllOf, s.AnyOf, s.OneOf} {
		for _, r := range list {
			if err := b.visit(r); err != nil {
				return err
			}
		}
	}
	for _, r := range []*openapi3.SchemaRef{s.Not, s.Items, s.AdditionalProperties.Schema} {
		if err := b.visit(r); err != nil {
			return err
		}
	}
	names := make([]string, 0, len(s.Properties))
	for k := range s.Properties {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		p := s.Properties[k]
		if isNavigation(p) {
			continue
		}
		if err := b.visit(p); err != nil {
			return err
		}
	}
	return nil
}

func isNavigation(p *openapi3.SchemaRef) bool {
	if p == nil || p.Value == nil {
		return false
	}
	v, _ := p.Value.Extensions["x-ms-navigationProperty"].(bool)
	return v
}

// marshal writes one schema with its navigation properties emptied and its discriminator
// mapping cut to the bundle.
func (b *bundler) marshal(s *openapi3.Schema) (json.RawMessage, error) {
	raw, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	b.prune(m)
	return json.Marshal(m)
}

func (b *bundler) prune(m map[string]any) {
	if props, ok := m["properties"].(map[string]any); ok {
		for k, p := range props {
			if pm, ok := p.(map[string]any); ok {
				if nav, _ := pm["x-ms-navigationProperty"].(bool); nav {
					props[k] = map[string]any{"x-ms-navigationProperty": true}
					continue
				}
				b.prune(pm)
			}
		}
	}
	if d, ok := m["discriminator"].(map[string]any); ok {
		if mapping, ok := d["mapping"].(map[string]any); ok {
			for k, target := range mapping {
				t, _ := target.(string)
				if _, in := b.comps[strings.TrimPrefix(t, componentPrefix)]; !in {
					delete(mapping, k)
				}
			}
			if len(mapping) == 0 {
				delete(d, "mapping")
			}
		}
	}
	for _, key := range []string{"allOf", "anyOf", "oneOf"} {
		if list, ok := m[key].([]any); ok {
			for _, e := range list {
				if em, ok := e.(map[string]any); ok {
					b.prune(em)
				}
			}
		}
	}
	for _, key := range []string{"items", "not", "additionalProperties"} {
		if em, ok := m[key].(map[string]any); ok {
			b.prune(em)
		}
	}
}

// loaded keeps what Load resolved, by the bundle's SHA-256: every case of an operation, and the
// operations that share a schema, use one load. Keyed by the whole bundle, each look-up copied it
// (hundreds of KB in a cross-referenced description), and cases running at once each loaded it.
var loaded sync.Map // [sha256.Size]byte -> *load

type load struct {
	once sync.Once
	ref  *openapi3.SchemaRef
	err  error
}

// Load resolves a document Bundle made back into a schema. The result is shared: do not modify it.
// Concurrent calls with one bundle load it once.
func Load(bundle json.RawMessage) (*openapi3.SchemaRef, error) {
	if len(bundle) == 0 {
		return nil, errors.New("schema: empty bundle")
	}
	e, _ := loaded.LoadOrStore(sha256.Sum256(bundle), &load{})
	l := e.(*load)
	l.once.Do(func() { l.ref, l.err = parse(bundle) })
	return l.ref, l.err
}

func parse(bundle json.RawMessage) (*openapi3.SchemaRef, error) {
	l := openapi3.NewLoader()
	doc, err := l.LoadFromData(bytes.Clone(bundle))
	if err != nil {
		return nil, fmt.Errorf("schema: bundle does not load: %w", err)
	}
	var root *openapi3.SchemaRef
	if doc.Components != nil {
		root = doc.Components.Schemas[rootName]
	}
	if root == nil || root.Value == nil {
		return nil, errors.New("schema: bundle has no root schema")
	}
	if root.Ref == "" {
		// An inline root is the schema itself; a referencing root names its component.
		root = &openapi3.SchemaRef{Value: root.Value}
	}
	return root, nil
}

// Bundler bundles many schemas of one description, each referenced component once: Graph's
// operations share their entity schemas. Not safe for concurrent use.
type Bundler struct {
	done map[string]json.RawMessage
}

// Bundle is Bundle(ref), remembered by reference.
func (b *Bundler) Bundle(ref *openapi3.SchemaRef) (json.RawMessage, error) {
	if b == nil || ref == nil || ref.Ref == "" {
		return Bundle(ref)
	}
	if raw, ok := b.done[ref.Ref]; ok {
		return raw, nil
	}
	raw, err := Bundle(ref)
	if err != nil {
		return nil, err
	}
	if b.done == nil {
		b.done = map[string]json.RawMessage{}
	}
	b.done[ref.Ref] = raw
	return raw, nil
}
