package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
)

// Options tune Validate.
type Options struct {
	// Request validates a body the client sends (read-only properties must be absent); the
	// default is a response body (write-only properties must be absent).
	Request bool
	// Strict turns the leniency off: the body must match the schema as written.
	Strict bool
}

// Problems is the error Validate returns: one line per problem, each naming the JSON pointer
// of the value and the reason, never the value itself (bodies may carry secrets).
type Problems []string

func (p *Problems) Error() string { return strings.Join(*p, "\n") }

// Validate checks body (JSON) against ref with kin-openapi's validator. Unless o.Strict, it is
// lenient exactly where real Graph is documented to deviate from its published schemas
// (../shared/notes/graph-contract.md 1.3):
//   - a required "@odata.type" (or other "@odata." annotation) may be absent: OData JSON
//     Format 4.01 §4.5.3 lets a service omit the type when it is the expected one, and real
//     Graph bodies (innerError among them) do;
//   - InnerError's date may lack an offset ("2024-04-05T13:15:36");
//   - properties the schema does not declare (annotations "@odata.*", "x@odata.type", and
//     properties added since the description was published) are allowed, whatever
//     additionalProperties says (the PowerShell flavour declares {type: object}).
func Validate(ref *openapi3.SchemaRef, body []byte, o Options) error {
	if ref == nil || ref.Value == nil {
		return errors.New("schema: no schema to validate against")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return &Problems{"body is not JSON: " + err.Error()}
	}
	if dec.More() {
		return &Problems{"body holds more than one JSON value"}
	}
	v = numbersToFloat(v)
	s := ref.Value
	if !o.Strict {
		s = lenient(s)
	}
	opts := []openapi3.SchemaValidationOption{
		openapi3.MultiErrors(),
		openapi3.EnableFormatValidation(),
		openapi3.DisableSchemaErrorDetails(),
		openapi3.WithStringFormatValidator("uuid", openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForUUIDOfRFC4122)),
	}
	if o.Request {
		opts = append(opts, openapi3.VisitAsRequest())
	} else {
		opts = append(opts, openapi3.VisitAsResponse())
	}
	err := s.VisitJSON(v, opts...)
	if err == nil {
		return nil
	}
	var out Problems
	flatten(err, &out)
	if len(out) == 0 {
		out = Problems{err.Error()}
	}
	return &out
}

func numbersToFloat(v any) any {
	switch x := v.(type) {
	case json.Number:
		f, err := x.Float64()
		if err != nil {
			return x.String()
		}
		return f
	case map[string]any:
		for k, e := range x {
			x[k] = numbersToFloat(e)
		}
	case []any:
		for i, e := range x {
			x[i] = numbersToFloat(e)
		}
	}
	return v
}

// flatten turns kin's nested errors into one line per leaf problem. allOf failures are
// unfolded (each part names its own path); oneOf/anyOf stay one line, as no branch is "the" one.
func flatten(err error, out *Problems) {
	var me openapi3.MultiError
	if errors.As(err, &me) && !isSchemaError(err) {
		for _, e := range me {
			flatten(e, out)
		}
		return
	}
	var se *openapi3.SchemaError
	if !errors.As(err, &se) {
		*out = append(*out, err.Error())
		return
	}
	if se.SchemaField == "allOf" && se.Origin != nil {
		var inner openapi3.MultiError
		if errors.As(se.Origin, &inner) {
			for _, e := range inner {
				flatten(e, out)
			}
			return
		}
	}
	path := "/" + strings.Join(se.JSONPointer(), "/")
	reason := se.Reason
	if reason == "" {
		reason = fmt.Sprintf("does not match %q", se.SchemaField)
	}
	*out = append(*out, path+": "+reason)
}

func isSchemaError(err error) bool {
	_, ok := err.(*openapi3.SchemaError)
	return ok
}

// lenientCache keeps one lenient copy per schema: copying is linear in the reachable schemas,
// and the same response schema is checked for every case of an operation.
var lenientCache sync.Map // *openapi3.Schema -> *openapi3.Schema

func lenient(s *openapi3.Schema) *openapi3.Schema {
	if c, ok := lenientCache.Load(s); ok {
		return c.(*openapi3.Schema)
	}
	c := (&copier{done: map[*openapi3.Schema]*openapi3.Schema{}}).schema(s, false)
	lenientCache.Store(s, c)
	return c
}

type copier struct {
	done map[*openapi3.Schema]*openapi3.Schema
}

func (c *copier) ref(r *openapi3.SchemaRef, inner bool) *openapi3.SchemaRef {
	if r == nil || r.Value == nil {
		return r
	}
	inner = inner || strings.HasSuffix(r.Ref, "InnerError")
	return &openapi3.SchemaRef{Ref: r.Ref, Value: c.schema(r.Value, inner)}
}

func (c *copier) refs(rs openapi3.SchemaRefs, inner bool) openapi3.SchemaRefs {
	if rs == nil {
		return nil
	}
	out := make(openapi3.SchemaRefs, len(rs))
	for i, r := range rs {
		out[i] = c.ref(r, inner)
	}
	return out
}

// schema copies s with the leniency applied; inner marks an InnerError schema (or a part of it).
func (c *copier) schema(s *openapi3.Schema, inner bool) *openapi3.Schema {
	if d, ok := c.done[s]; ok {
		return d
	}
	inner = inner || s.Title == "InnerError"
	n := *s
	c.done[s] = &n
	n.Required = nil
	for _, k := range s.Required {
		if !strings.HasPrefix(k, "@odata.") {
			n.Required = append(n.Required, k)
		}
	}
	n.AdditionalProperties = openapi3.AdditionalProperties{}
	n.AllOf = c.refs(s.AllOf, inner)
	n.AnyOf = c.refs(s.AnyOf, inner)
	n.OneOf = c.refs(s.OneOf, inner)
	n.Not = c.ref(s.Not, inner)
	n.Items = c.ref(s.Items, inner)
	if s.Properties != nil {
		n.Properties = make(openapi3.Schemas, len(s.Properties))
		for k, p := range s.Properties {
			cp := c.ref(p, inner)
			if inner && k == "date" && cp != nil && cp.Value != nil {
				d := *cp.Value
				d.Pattern, d.Format = "", ""
				cp = &openapi3.SchemaRef{Ref: cp.Ref, Value: &d}
			}
			n.Properties[k] = cp
		}
	}
	return &n
}
