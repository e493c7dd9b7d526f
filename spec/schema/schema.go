// Package schema makes JSON instances from OpenAPI schemas and validates bodies against them.
//
// It is the one place the suite turns a description's schemas into values (fixture entities,
// action parameters) and judges bodies by them (response content), so that the case generator
// and the mock agree on what "valid" means. Its API is stable:
//
//	Minimal(ref)              a minimal JSON value valid against ref
//	Validate(ref, body, opts) nil, or a *Problems error with one line per problem
//
// It depends on kin-openapi only and reads nothing but the schema it is given.
package schema

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// maxDepth bounds nesting so that a deep (not recursive) chain still ends.
const maxDepth = 24

// Minimal returns a minimal JSON value (nil, bool, float64, string, []any, map[string]any) valid
// against ref, for use in a request: only required properties (read-only ones left out, since a
// request must not send them); a schema's own "@odata.type" where it names one
// (x-ms-discriminator-value, or the discriminator mapping entry pointing at it, or the
// component name "microsoft.graph.X"); an enum's first value; formats (date-time, date, time,
// duration, uuid, email, uri, int32/int64) honoured; allOf merged; anyOf/oneOf take their first
// branch that is not only "null"; a recursive schema is cut where it recurs (null if nullable,
// else {} or []). A stub `type: object` gives {}.
func Minimal(ref *openapi3.SchemaRef) (any, error) {
	g := &gen{stack: map[*openapi3.Schema]bool{}}
	return g.value(ref, "", 0)
}

// HasProperty reports whether ref's schema declares the property name, itself or through allOf.
func HasProperty(ref *openapi3.SchemaRef, name string) bool {
	if ref == nil || ref.Value == nil {
		return false
	}
	if _, ok := ref.Value.Properties[name]; ok {
		return true
	}
	for _, sub := range ref.Value.AllOf {
		if HasProperty(sub, name) {
			return true
		}
	}
	return false
}

type gen struct {
	stack map[*openapi3.Schema]bool
}

func (g *gen) value(ref *openapi3.SchemaRef, name string, depth int) (any, error) {
	if ref == nil {
		return nil, errors.New("schema: no schema")
	}
	s := ref.Value
	if s == nil {
		return nil, fmt.Errorf("schema: unresolved reference %q", ref.Ref)
	}
	if ref.Ref != "" {
		name = ref.Ref
	}
	if depth > maxDepth || g.stack[s] {
		return cut(s), nil
	}
	g.stack[s] = true
	defer delete(g.stack, s)

	if len(s.Enum) > 0 {
		return s.Enum[0], nil
	}
	if s.Default != nil {
		return s.Default, nil
	}
	if len(s.AllOf) > 0 {
		return g.allOf(ref, s, name, depth)
	}
	if alts := s.OneOf; len(alts) > 0 {
		return g.value(firstNonNull(alts), "", depth+1)
	}
	if alts := s.AnyOf; len(alts) > 0 {
		return g.value(firstNonNull(alts), "", depth+1)
	}
	switch {
	case s.Type.Is("string"):
		return minString(s), nil
	case s.Type.Is("integer"):
		return minNumber(s, true), nil
	case s.Type.Is("number"):
		return minNumber(s, false), nil
	case s.Type.Is("boolean"):
		return false, nil
	case s.Type.Is("array"):
		return g.array(s, depth)
	case s.Type.Is("null"):
		return nil, nil
	}
	// An object, or a schema without a type: its required properties (none: {}).
	m := map[string]any{}
	if err := g.fill(m, s, name, depth); err != nil {
		return nil, err
	}
	return m, nil
}

func (g *gen) allOf(ref *openapi3.SchemaRef, s *openapi3.Schema, name string, depth int) (any, error) {
	m := map[string]any{}
	for i, sub := range s.AllOf {
		v, err := g.value(sub, "", depth+1)
		if err != nil {
			return nil, fmt.Errorf("allOf[%d]: %w", i, err)
		}
		if sm, ok := v.(map[string]any); ok {
			for k, x := range sm {
				m[k] = x
			}
		} else if len(s.AllOf) == 1 && len(s.Properties) == 0 {
			return v, nil // a wrapped scalar (allOf: [$ref enum])
		}
	}
	if err := g.fill(m, s, name, depth); err != nil {
		return nil, err
	}
	// The derived type names itself, overriding whatever a base put there.
	if t := odataType(s, name); t != "" {
		if _, ok := m["@odata.type"]; ok {
			m["@odata.type"] = t
		}
	}
	return m, nil
}

// fill adds s's required, writable properties to m.
func (g *gen) fill(m map[string]any, s *openapi3.Schema, name string, depth int) error {
	req := append([]string(nil), s.Required...)
	sort.Strings(req)
	for _, k := range req {
		p := s.Properties[k]
		if k == "@odata.type" {
			if t := odataType(s, name); t != "" {
				m[k] = t
				continue
			}
			if _, ok := m[k]; ok {
				continue
			}
		}
		if p == nil {
			if _, ok := m[k]; !ok {
				m[k] = map[string]any{} // required but undeclared: anything goes
			}
			continue
		}
		if p.Value != nil && p.Value.ReadOnly {
			continue
		}
		v, err := g.value(p, "", depth+1)
		if err != nil {
			return fmt.Errorf("property %q: %w", k, err)
		}
		m[k] = v
	}
	return nil
}

func (g *gen) array(s *openapi3.Schema, depth int) (any, error) {
	out := []any{}
	if s.MinItems == 0 || s.Items == nil {
		return out, nil
	}
	for i := uint64(0); i < s.MinItems; i++ {
		v, err := g.value(s.Items, "", depth+1)
		if err != nil {
			return nil, fmt.Errorf("items: %w", err)
		}
		out = append(out, v)
	}
	return out, nil
}

// odataType is the "#namespace.type" a schema names itself by, or "".
func odataType(s *openapi3.Schema, name string) string {
	if v, ok := s.Extensions["x-ms-discriminator-value"].(string); ok && v != "" {
		return v
	}
	if name == "" {
		return ""
	}
	if d := s.Discriminator; d != nil {
		for k, target := range d.Mapping {
			if target.Ref == name {
				return k
			}
		}
	}
	if i := strings.LastIndex(name, "/"); i >= 0 && strings.HasPrefix(name, "#/components/schemas/") {
		if n := name[i+1:]; strings.Count(n, ".") >= 1 {
			return "#" + n
		}
	}
	return ""
}

// firstNonNull picks the first alternative that can hold a value other than null: Graph writes
// nullable references as anyOf [{$ref}, {type: object, nullable: true}].
func firstNonNull(alts openapi3.SchemaRefs) *openapi3.SchemaRef {
	for _, a := range alts {
		if a == nil || a.Value == nil {
			continue
		}
		v := a.Value
		if v.Type.Is("null") {
			continue
		}
		if a.Ref == "" && v.Nullable && len(v.Properties) == 0 && len(v.AllOf)+len(v.AnyOf)+len(v.OneOf) == 0 && len(v.Enum) == 0 {
			continue
		}
		return a
	}
	return alts[0]
}

func cut(s *openapi3.Schema) any {
	switch {
	case s.Nullable:
		return nil
	case s.Type.Is("array"):
		return []any{}
	}
	return map[string]any{}
}

func minString(s *openapi3.Schema) any {
	var v string
	switch s.Format {
	case "date-time":
		v = "2024-01-01T00:00:00Z"
	case "date":
		v = "2024-01-01"
	case "time":
		v = "00:00:00"
	case "duration":
		v = "PT0S"
	case "uuid":
		v = "00000000-0000-0000-0000-000000000000"
	case "email":
		v = "user@example.com"
	case "uri", "url":
		v = "https://example.com/"
	case "base64url", "byte":
		v = "AA=="
	default:
		v = "x"
	}
	for uint64(len(v)) < s.MinLength {
		v += "x"
	}
	if s.MaxLength != nil && uint64(len(v)) > *s.MaxLength {
		v = v[:*s.MaxLength]
	}
	return v
}

func minNumber(s *openapi3.Schema, integer bool) any {
	v := 0.0
	if s.Min != nil && *s.Min > v {
		v = *s.Min
		if s.ExclusiveMin.IsTrue() {
			v++
		}
	}
	if s.Max != nil && *s.Max < v {
		v = *s.Max
	}
	if integer {
		return float64(int64(v))
	}
	return v
}
