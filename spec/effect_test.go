package spec

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/graphconform/graphconform/contract"
)

// The shipped descriptions declare their actions' effects, and the contract reads them without
// knowing either action.
func TestShippedEffects(t *testing.T) {
	for _, tc := range []struct {
		file string
		want contract.Effect
	}{
		{"openapi/disconnect.yaml", contract.Effect{Get: "/deviceManagement/remoteAssistancePartners/{remoteAssistancePartner-id}",
			Property: "onboardingStatus", From: `"onboarded"`, Equals: `"notOnboarded"`}},
		{"openapi/beginonboarding.yaml", contract.Effect{Get: "/deviceManagement/remoteAssistancePartners/{remoteAssistancePartner-id}",
			Property: "onboardingStatus", From: `"notOnboarded"`, Equals: `"onboarding"`}},
	} {
		ops, err := mustLoadFile(t, tc.file).Contracts(context.Background(), Options{})
		if err != nil || len(ops) != 1 {
			t.Fatalf("%s: %v %v", tc.file, ops, err)
		}
		e := ops[0].Effect
		if e == nil {
			t.Fatalf("%s: no effect", tc.file)
		}
		if !strings.Contains(e.Source, "onboardingStatus") {
			t.Errorf("%s: source %q does not name the property's documentation", tc.file, e.Source)
		}
		e.Source = ""
		if *e != tc.want {
			t.Errorf("%s: effect %+v, want %+v", tc.file, *e, tc.want)
		}
	}
}

const effectBase = `openapi: 3.0.4
info: {title: t, version: v1.0}
paths:
  /things/{thing-id}/poke:
    parameters:
      - {name: thing-id, in: path, required: true, schema: {type: string}}
    post:
      operationId: things.thing.poke
      externalDocs: {url: "https://example.org/poke"}
      responses:
        '204': {description: Success}
      x-ms-docs-operation-type: action
      x-ms-permissions: {revision: v1, delegatedWork: [A.B], delegatedPersonal: notSupported, application: notSupported}
`

func effectContract(t *testing.T, ext string) (*contract.Effect, error) {
	t.Helper()
	d, err := Load("effect.yaml", []byte(effectBase+ext))
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	ops, err := d.Contracts(context.Background(), Options{})
	if err != nil {
		return nil, err
	}
	return ops[0].Effect, nil
}

func TestEffectExtension(t *testing.T) {
	e, err := effectContract(t, "      x-graphconform-effect: {get: entity, property: state, equals: 3}\n")
	if err != nil || e == nil || e.Get != "/things/{thing-id}" || e.Equals != "3" || e.From != "" || e.Source != "https://example.org/poke" {
		t.Errorf("entity effect: %+v %v", e, err)
	}
	e, err = effectContract(t, "      x-graphconform-effect: {get: '/things/{thing-id}/status', property: s, from: {a: [1, 2]}, equals: null, source: here}\n")
	if err != nil || e == nil || e.Get != "/things/{thing-id}/status" || e.Equals != "null" || e.From != `{"a":[1,2]}` || e.Source != "here" {
		t.Errorf("path effect: %+v %v", e, err)
	}
	if e, err := effectContract(t, ""); err != nil || e != nil {
		t.Errorf("no extension: %+v %v", e, err)
	}
	for ext, want := range map[string]string{
		"x-graphconform-effect: notOnboarded":                                        "want an object",
		"x-graphconform-effect: {get: entity, property: s, equal: x}":                `unknown field "equal"`,
		"x-graphconform-effect: {property: s, equals: x}":                            `get is ""`,
		"x-graphconform-effect: {get: collection, property: s, equals: x}":           `get is "collection"`,
		"x-graphconform-effect: {get: '/things/{other-id}', property: s, equals: x}": "{other-id}, which is not a path parameter",
		"x-graphconform-effect: {get: entity, equals: x}":                            "property is missing",
		"x-graphconform-effect: {get: entity, property: s}":                          "equals is missing",
		"x-graphconform-effect: {get: entity, property: s, from: x, equals: x}":      `from and equals are both "x"`,
	} {
		_, err := effectContract(t, "      "+ext+"\n")
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "effect.yaml") || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %v, want one line naming the file and %q", ext, err, want)
		}
	}
}

// An effect bound to "entity" needs a key parameter to find the entity.
func TestEffectNeedsAnEntity(t *testing.T) {
	doc := strings.Replace(strings.Replace(effectBase, "/things/{thing-id}/poke", "/poke", 1),
		"    parameters:\n      - {name: thing-id, in: path, required: true, schema: {type: string}}\n", "", 1)
	d, err := Load("effect.yaml", []byte(doc+"      x-graphconform-effect: {get: entity, property: s, equals: x}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Contracts(context.Background(), Options{}); err == nil || !strings.Contains(err.Error(), "no key parameter") {
		t.Errorf("got %v", err)
	}
}

func TestEveryShippedDescriptionLoads(t *testing.T) {
	entries, err := os.ReadDir("openapi")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if _, err := mustLoadFile(t, "openapi/"+e.Name()).Contracts(context.Background(), Options{}); err != nil {
			t.Errorf("%s: %v", e.Name(), err)
		}
	}
}
