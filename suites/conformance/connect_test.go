package conformance

import (
	"context"
	"errors"
	"testing"

	"github.com/graphconform/graphconform/contract"
	"github.com/graphconform/graphconform/persona"
	"github.com/graphconform/graphconform/plan"
	"github.com/graphconform/graphconform/redact"
)

// TestConnectComesAfterEveryLocalCheck (issue 11, item 17): Plan never calls FetchTokens, so a
// refused run sends no client secret; Connect does, once, gives the persona its token and teaches
// the redactor the token and what the cases derive from it (item 13).
func TestConnectComesAfterEveryLocalCheck(t *testing.T) {
	t.Parallel()
	const fetched = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhcHAifQ.c2lnbmF0dXJlLW9mLXRoZS1mZXRjaGVkLXRva2Vu"
	calls := 0
	app := persona.Persona{Name: "app", Account: contract.Application, Permissions: []string{"DeviceManagementServiceConfig.ReadWrite.All"}}
	cfg := Config{BaseURL: "https://graph.example.invalid/v1.0", Personas: persona.Set{app},
		FetchTokens: func(context.Context) (map[string]string, error) {
			calls++
			return map[string]string{"app": fetched}, nil
		}}

	if _, err := Prepare(context.Background(), cfg); !errors.Is(err, ErrMutationNotAllowed) || calls != 0 {
		t.Fatalf("remote target without allowMutation: %v, %d token fetches (want the refusal and none)", err, calls)
	}
	cfg.AllowMutation = true
	p, err := Plan(context.Background(), cfg)
	if err != nil || calls != 0 {
		t.Fatalf("Plan: %v, %d token fetches", err, calls)
	}
	defer p.Close()
	if err := p.Connect(context.Background()); err != nil || calls != 1 || p.Env.Personas[0].Token != fetched {
		t.Fatalf("Connect: %v, %d fetches, token %q", err, calls, p.Env.Personas[0].Token)
	}
	if err := p.Connect(context.Background()); err != nil || calls != 1 {
		t.Errorf("a second Connect fetched again: %v, %d", err, calls)
	}
	for _, s := range append(plan.DerivedSecrets(p.Env.Personas, nil), fetched) {
		if got := p.Redactor.String("sent " + s + " end"); got != "sent "+redact.Mask+" end" {
			t.Errorf("the redactor does not mask %q whole: %q", s, got)
		}
	}
}
