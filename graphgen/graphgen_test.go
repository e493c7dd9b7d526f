package graphgen

import (
	"bytes"
	"context"
	"os"
	"testing"
	"time"

	"github.com/graphconform/graphconform/exchange"
	"github.com/graphconform/graphconform/fixtures/mock"
	"github.com/graphconform/graphconform/fixtures/token"
	"github.com/graphconform/graphconform/persona"
	"github.com/graphconform/graphconform/plan"
	"github.com/graphconform/graphconform/spec"
	"github.com/graphconform/graphconform/verdict"
)

func TestShape(t *testing.T) {
	g := ForActions(7)
	if g.ActionCount() != 8 || len(g.Sets) != 4 {
		t.Fatalf("ForActions(7): %d actions in %d sets, want 8 in 4", g.ActionCount(), len(g.Sets))
	}
	if s := g.Sets[0]; s.Collection() != "/deviceManagement/remoteAssistancePartners" ||
		s.ActionID(s.Actions[1]) != "deviceManagement.remoteAssistancePartners.remoteAssistancePartner.disconnect" {
		t.Errorf("the first set is not the real one: %+v", s)
	}
	if !bytes.Equal(g.OpenAPI(), ForActions(7).OpenAPI()) {
		t.Error("the same plan renders differently")
	}
	dir := t.TempDir()
	openapi, perms, err := g.Write(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{openapi, perms} {
		if fi, err := os.Stat(f); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	d, err := spec.LoadFile(openapi)
	if err != nil {
		t.Fatal(err)
	}
	if d.Doc.Components.Schemas[PoisonSchema] == nil {
		t.Error("no poison schema")
	}
	// Without inline permissions every action needs permissions.json: selecting must say so.
	if _, err := d.Contracts(context.Background(), spec.Options{}); err == nil {
		t.Error("contracts without any permission table")
	}
}

// Every case of every generated action passes against the reference mock serving the generated
// sets: the generator, the mock's entity sets and the plan agree.
func TestSuiteAgainstMock(t *testing.T) {
	ops, g, err := Operations(6)
	if err != nil {
		t.Fatal(err)
	}
	if len(ops) != g.ActionCount() {
		t.Fatalf("%d operations selected, want %d", len(ops), g.ActionCount())
	}
	m, err := mock.New(mock.Options{EntitySets: g.MockSets()})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := mock.Start(m)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	personas, err := token.MintSet(persona.Fixture(), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	env := &plan.Env{BaseURL: srv.URL, Personas: personas, Client: exchange.New(exchange.Options{}), Strict: true}
	cases := plan.Build(ops, personas)
	counts := map[verdict.Outcome]int{}
	for _, c := range cases {
		v := c.Execute(t.Context(), env)
		counts[v.Outcome]++
		if v.Outcome == verdict.Fail {
			t.Errorf("%s\n%s", c.Operation.ID, v.Text())
		}
	}
	t.Logf("%d cases: %v", len(cases), counts)
	if counts[verdict.Pass] < len(cases)*3/4 {
		t.Errorf("outcomes %v of %d cases: too few passes", counts, len(cases))
	}
	if n := len(m.Partners()); n != 0 {
		t.Errorf("%d entities left behind", n)
	}
}
