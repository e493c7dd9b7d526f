package schema_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/graphconform/graphconform/internal/msgraphdata"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/graphconform/graphconform/spec/schema"
)

const doc = `
openapi: 3.0.4
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    microsoft.graph.entity:
      title: entity
      required: ['@odata.type']
      type: object
      properties:
        id: {type: string}
        '@odata.type': {type: string}
      discriminator:
        propertyName: '@odata.type'
        mapping:
          '#microsoft.graph.thing': '#/components/schemas/microsoft.graph.thing'
    microsoft.graph.thing:
      allOf:
      - $ref: '#/components/schemas/microsoft.graph.entity'
      - title: thing
        required: ['@odata.type', displayName, status, when, uid, count, tags, parent]
        type: object
        properties:
          displayName: {type: string, minLength: 3}
          status: {$ref: '#/components/schemas/microsoft.graph.status'}
          when: {type: string, format: date-time, pattern: '^[0-9]{4,}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]([.][0-9]{1,12})?(Z|[+-][0-9][0-9]:[0-9][0-9])$'}
          uid: {type: string, format: uuid}
          count: {type: integer, format: int32, minimum: 2}
          tags: {type: array, items: {type: string}, minItems: 1}
          readOnlyId: {type: string, readOnly: true}
          parent:
            anyOf:
            - $ref: '#/components/schemas/microsoft.graph.thing'
            - {type: object, nullable: true}
          '@odata.type': {type: string}
    microsoft.graph.status:
      title: status
      enum: [notOnboarded, onboarding]
      type: string
    microsoft.graph.stub:
      type: object
      description: 'stub: the published split omits this schema'
    microsoft.graph.ODataErrors.ODataError:
      required: [error]
      type: object
      properties:
        error: {$ref: '#/components/schemas/microsoft.graph.ODataErrors.MainError'}
    microsoft.graph.ODataErrors.MainError:
      required: [code, message]
      type: object
      properties:
        code: {type: string}
        message: {type: string}
        innerError: {$ref: '#/components/schemas/microsoft.graph.ODataErrors.InnerError'}
    microsoft.graph.ODataErrors.InnerError:
      allOf:
      - $ref: '#/components/schemas/microsoft.graph.InnerError'
    microsoft.graph.InnerError:
      title: InnerError
      required: ['@odata.type']
      type: object
      properties:
        request-id: {type: string, nullable: true}
        date: {pattern: '^[0-9]{4,}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]([.][0-9]{1,12})?(Z|[+-][0-9][0-9]:[0-9][0-9])$', type: string, format: date-time, nullable: true}
        '@odata.type': {type: string}
    closed:
      type: object
      additionalProperties: false
      properties:
        a: {type: string}
`

func load(t *testing.T) *openapi3.T {
	t.Helper()
	d, err := openapi3.NewLoader().LoadFromData([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func ref(d *openapi3.T, name string) *openapi3.SchemaRef {
	return &openapi3.SchemaRef{Ref: "#/components/schemas/" + name, Value: d.Components.Schemas[name].Value}
}

func TestMinimalEntity(t *testing.T) {
	d := load(t)
	r := ref(d, "microsoft.graph.thing")
	v, err := schema.Minimal(r)
	if err != nil {
		t.Fatal(err)
	}
	m := v.(map[string]any)
	if m["@odata.type"] != "#microsoft.graph.thing" {
		t.Errorf("@odata.type = %v", m["@odata.type"])
	}
	if m["status"] != "notOnboarded" {
		t.Errorf("status = %v, want the enum's first value", m["status"])
	}
	if _, ok := m["readOnlyId"]; ok {
		t.Error("a read-only property was sent")
	}
	if _, ok := m["id"]; ok {
		t.Error("an optional property was sent")
	}
	if len(m["displayName"].(string)) < 3 || m["count"].(float64) != 2 || len(m["tags"].([]any)) != 1 {
		t.Errorf("bounds not honoured: %v", m)
	}
	if p, ok := m["parent"].(map[string]any); !ok || len(p) != 0 {
		t.Errorf("recursion not cut to {}: %#v", m["parent"])
	}
	b, _ := json.Marshal(v)
	if err := schema.Validate(r, b, schema.Options{Request: true, Strict: true}); err != nil {
		t.Fatalf("Minimal's own value is invalid: %v\n%s", err, b)
	}
}

func TestMinimalStub(t *testing.T) {
	v, err := schema.Minimal(ref(load(t), "microsoft.graph.stub"))
	if err != nil {
		t.Fatal(err)
	}
	if m, ok := v.(map[string]any); !ok || len(m) != 0 {
		t.Fatalf("stub gave %#v, want {}", v)
	}
}

func TestMinimalErrors(t *testing.T) {
	if _, err := schema.Minimal(nil); err == nil {
		t.Error("nil schema: no error")
	}
	if _, err := schema.Minimal(&openapi3.SchemaRef{Ref: "#/x"}); err == nil || !strings.Contains(err.Error(), "#/x") {
		t.Errorf("unresolved ref: %v", err)
	}
}

func TestValidateProblemsOneLineEach(t *testing.T) {
	d := load(t)
	r := ref(d, "microsoft.graph.thing")
	body := `{"@odata.type":"#microsoft.graph.thing","displayName":"ab","status":"bogus","when":"2024-01-01T00:00:00Z","uid":"not-a-uuid","count":1,"tags":["secretvalue"],"parent":null}`
	err := schema.Validate(r, []byte(body), schema.Options{})
	var p *schema.Problems
	if !errors.As(err, &p) {
		t.Fatalf("err = %v, want *Problems", err)
	}
	want := []string{"/displayName", "/status", "/uid", "/count"}
	for _, w := range want {
		found := false
		for _, line := range *p {
			if strings.HasPrefix(line, w+":") {
				found = true
			}
		}
		if !found {
			t.Errorf("no problem at %s in\n%v", w, err)
		}
	}
	if len(*p) != len(want) {
		t.Errorf("%d problems, want %d:\n%v", len(*p), len(want), err)
	}
	if strings.Contains(err.Error(), "bogus") || strings.Contains(err.Error(), "not-a-uuid") {
		t.Errorf("problem lines carry the value: %v", err)
	}
}

func TestValidateNotJSON(t *testing.T) {
	err := schema.Validate(ref(load(t), "microsoft.graph.stub"), []byte(`{"a":`), schema.Options{})
	if err == nil || !strings.Contains(err.Error(), "not JSON") {
		t.Fatalf("err = %v", err)
	}
}

// The leniency of graph-contract.md 1.3: real Graph error bodies fail the published schema.
func TestValidateLenientWhereGraphDeviates(t *testing.T) {
	d := load(t)
	errRef := ref(d, "microsoft.graph.ODataErrors.ODataError")
	real := `{"error":{"code":"Forbidden","message":"no","innerError":{"date":"2024-04-05T13:15:36","request-id":"r"}}}`
	if err := schema.Validate(errRef, []byte(real), schema.Options{}); err != nil {
		t.Errorf("real Graph error body rejected: %v", err)
	}
	if err := schema.Validate(errRef, []byte(real), schema.Options{Strict: true}); err == nil {
		t.Error("strict accepted an innerError without @odata.type and a date without offset")
	}
	// Leniency is exactly that: a missing code still fails, a bad date elsewhere still fails.
	if err := schema.Validate(errRef, []byte(`{"error":{"message":"no"}}`), schema.Options{}); err == nil {
		t.Error("lenient accepted an error without code")
	}
	thing := ref(d, "microsoft.graph.thing")
	bad := `{"displayName":"abc","status":"onboarding","when":"2024-04-05T13:15:36","uid":"00000000-0000-0000-0000-000000000000","count":3,"tags":["a"],"parent":null,"name@odata.type":"#x","@odata.context":"c","extra":1}`
	err := schema.Validate(thing, []byte(bad), schema.Options{})
	var p *schema.Problems
	if !errors.As(err, &p) {
		t.Fatalf("want the offset-less date outside innerError, got %v", err)
	}
	for _, line := range *p { // its pattern and its format: both about /when
		if !strings.HasPrefix(line, "/when:") {
			t.Errorf("unexpected problem %q", line)
		}
	}
	if err := schema.Validate(ref(d, "closed"), []byte(`{"a":"x","@odata.context":"c"}`), schema.Options{}); err != nil {
		t.Errorf("annotations rejected: %v", err)
	}
	if err := schema.Validate(ref(d, "closed"), []byte(`{"a":"x","b":1}`), schema.Options{Strict: true}); err == nil {
		t.Error("strict accepted an undeclared property where additionalProperties is false")
	}
}

// Every collection POST of Microsoft's published v1.0 gets a minimal body its own schema
// accepts, strictly.
func TestMinimalAgainstPublishedV1(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the 17.5 MB description")
	}
	b := msgraphdata.OpenAPI(t) // skips when the shared data is absent
	l := openapi3.NewLoader()
	d, err := l.LoadFromData(b)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Validate(context.Background(), openapi3.DisableExamplesValidation(), openapi3.DisableSchemaDefaultsValidation()); err != nil {
		t.Logf("description does not validate (not required here): %.200v", err)
	}
	n, bad, total, biggest := 0, 0, 0, 0
	for p, item := range d.Paths.Map() {
		for _, op := range []*openapi3.Operation{item.Post, item.Patch} {
			if op == nil || op.RequestBody == nil || op.RequestBody.Value == nil {
				continue
			}
			mt := op.RequestBody.Value.Content.Get("application/json")
			if mt == nil || mt.Schema == nil {
				continue
			}
			n++
			raw, err := schema.Bundle(mt.Schema)
			if err != nil {
				t.Fatalf("%s: Bundle: %v", p, err)
			}
			total += len(raw)
			biggest = max(biggest, len(raw))
			back, err := schema.Load(raw)
			if err != nil {
				t.Fatalf("%s: Load: %v", p, err)
			}
			v, err := schema.Minimal(mt.Schema)
			if w, err2 := schema.Minimal(back); err2 != nil || !reflect.DeepEqual(v, w) {
				t.Errorf("%s: the bundle's minimal value differs: %v %v", p, err2, w)
			}
			if err != nil {
				bad++
				t.Errorf("%s: Minimal: %v", p, err)
				continue
			}
			body, _ := json.Marshal(v)
			if err := schema.Validate(mt.Schema, body, schema.Options{Request: true, Strict: true}); err != nil {
				bad++
				if bad < 10 {
					t.Errorf("%s: %v\n%s", p, err, body)
				}
			}
		}
	}
	t.Logf("%d request bodies, %d invalid; bundles %d bytes in all, the biggest %d", n, bad, total, biggest)
	if n < 1000 {
		t.Errorf("only %d request bodies found", n)
	}
}

func TestBundleRoundTrip(t *testing.T) {
	d := load(t)
	for _, name := range []string{"microsoft.graph.thing", "microsoft.graph.ODataErrors.ODataError", "closed"} {
		r := ref(d, name)
		raw, err := schema.Bundle(r)
		if err != nil {
			t.Fatal(err)
		}
		again, _ := schema.Bundle(r)
		if string(raw) != string(again) {
			t.Errorf("%s: bundles differ between calls", name)
		}
		back, err := schema.Load(raw)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		v1, _ := schema.Minimal(r)
		v2, _ := schema.Minimal(back)
		if !reflect.DeepEqual(v1, v2) {
			t.Errorf("%s: %v != %v", name, v1, v2)
		}
	}
	inline := &openapi3.SchemaRef{Value: &openapi3.Schema{Type: &openapi3.Types{"object"}, Required: []string{"a"},
		Properties: openapi3.Schemas{"a": ref(d, "microsoft.graph.status")}}}
	raw, err := schema.Bundle(inline)
	if err != nil {
		t.Fatal(err)
	}
	back, err := schema.Load(raw)
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(back, []byte(`{"a":"nope"}`), schema.Options{}); err == nil {
		t.Error("bundled enum lost")
	}
	if _, err := schema.Load([]byte(`{}`)); err == nil {
		t.Error("a bundle without root loaded")
	}
}
