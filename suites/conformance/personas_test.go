package conformance

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/graphconform/graphconform/fixtures/mock"
	"github.com/graphconform/graphconform/fixtures/token"
	"github.com/graphconform/graphconform/persona"
	"github.com/graphconform/graphconform/spec"
	"github.com/graphconform/graphconform/verdict"
)

// Against the embedded mock each operation gets the personas its table calls for: permissions.json
// adds DeviceManagementConfiguration.ReadWrite.All to the partners' actions, so a persona holding
// only it is derived and minted, and its PERM-005 case runs (and passes) instead of being skipped.
func TestEmbeddedDerivesPersonasPerContract(t *testing.T) {
	p := prepare(t, Config{Specs: []string{partnersFragment}, Permissions: loadPerms(t, partnersPerms), PermissionsFile: partnersPerms,
		Select: spec.Selector{OperationIDs: []string{beginOnboardingID}}})
	const derived = "work-DeviceManagementConfiguration.ReadWrite.All"
	q, ok := p.Env.Personas.Lookup(derived)
	if !ok || q.Token == "" || !slices.Equal(q.Permissions, []string{"DeviceManagementConfiguration.ReadWrite.All"}) {
		t.Fatalf("no minted %s among %v", derived, p.Env.Personas.Names())
	}
	if len(p.Env.Refusable) != len(token.Defects) {
		t.Errorf("%d refusable tokens, want %d (one setup persona)", len(p.Env.Refusable), len(token.Defects))
	}
	ran := false
	for i := range p.Cases {
		c := &p.Cases[i]
		if c.Requirement.ID == "PERM-005" {
			ran = true
			if v := c.Execute(context.Background(), p.Env); v.Outcome != verdict.Pass || c.Persona != derived {
				t.Errorf("PERM-005 %q as %q: %s %s", c.Name, c.Persona, v.Outcome, v.Message)
			}
		}
	}
	if !ran {
		t.Error("no PERM-005 case")
	}
}

// Against a configured target, FixtureIssuer derives and mints from the configured personas; without
// it every configured persona applies to every operation, as before, and nothing is minted.
func TestFixtureIssuerDerivesForATarget(t *testing.T) {
	srv, err := mock.Start(mustMock(t))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	minted, err := token.MintSet(persona.Fixture(), 0)
	if err != nil {
		t.Fatal(err)
	}
	base := Config{BaseURL: srv.URL, Personas: minted, Specs: []string{partnersFragment}, Permissions: loadPerms(t, partnersPerms),
		Select: spec.Selector{OperationIDs: []string{beginOnboardingID}}}
	plain, err := Plan(context.Background(), base)
	if err != nil {
		t.Fatal(err)
	}
	if len(plain.Env.Personas) != 5 || len(plain.Env.Refusable) != 0 {
		t.Errorf("without fixtureIssuer: personas %v, %d refusable", plain.Env.Personas.Names(), len(plain.Env.Refusable))
	}
	base.FixtureIssuer = true
	derived, err := Plan(context.Background(), base)
	if err != nil {
		t.Fatal(err)
	}
	names := strings.Join(derived.Env.Personas.Names(), " ")
	if len(derived.Env.Personas) != 6 || !strings.Contains(names, "work-DeviceManagementConfiguration.ReadWrite.All") || len(derived.Env.Refusable) == 0 {
		t.Errorf("with fixtureIssuer: personas %s, %d refusable", names, len(derived.Env.Refusable))
	}
	for _, q := range derived.Env.Personas {
		if q.Token == "" || strings.Contains(derived.Redactor.String("sent "+q.Token), q.Token) {
			t.Errorf("persona %s: token missing or not redacted", q.Name)
		}
	}
}

func mustMock(t *testing.T) *mock.Mock {
	t.Helper()
	m, err := mock.New(mock.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return m
}
