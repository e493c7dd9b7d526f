package conformance

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/graphconform/graphconform/refdoc"
	"github.com/graphconform/graphconform/verdict"
)

// TestEmbeddedMockServesTheContractsRevision: a description whose only revision is pre-2021 (here,
// generated from the zh-CN seed) is judged at pre-2021, and the embedded reference mock must then
// serve pre-2021 too; otherwise the run would report the doc drift the user never asked about.
func TestEmbeddedMockServesTheContractsRevision(t *testing.T) {
	page, err := refdoc.ParseFile(filepath.Join("..", "..", "refdoc", "testdata", "001_3f1260f6391b6f44.txt"))
	if err != nil {
		t.Fatal(err)
	}
	desc, err := refdoc.Describe([]*refdoc.Page{page}, refdoc.Options{Revision: "pre-2021"})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "zh.yaml")
	if err := os.WriteFile(file, desc, 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := Prepare(context.Background(), Config{Specs: []string{file}})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if got := p.mockRevision(); got != "pre-2021" {
		t.Fatalf("the embedded mock serves %q, want pre-2021", got)
	}
	ran := 0
	for _, c := range p.Cases {
		if c.Requirement.ID != "PERM-002" {
			continue
		}
		ran++
		if v := c.Execute(context.Background(), p.Env); v.Outcome != verdict.Pass {
			t.Errorf("%s:\n%s", c.Text(), v.Text())
		}
	}
	if ran == 0 {
		t.Error("no PERM-002 case ran")
	}
}

// TestEmbeddedMockHoldsTheConfiguredKeys: target.keys name entities that exist without being
// created; the embedded mock of the run's description must hold them too, or every case that uses
// one is judged against a 404 the configuration itself caused.
func TestEmbeddedMockHoldsTheConfiguredKeys(t *testing.T) {
	spec := filepath.Join("..", "..", "spec", "openapi", "disconnect.yaml")
	p, err := Prepare(context.Background(), Config{Specs: []string{spec}, Keys: map[string]string{"remoteAssistancePartner-id": "existing-1"}})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	ran := 0
	for _, c := range p.Cases {
		if c.Requirement.ID != "DISC-001" {
			continue
		}
		ran++
		if v := c.Execute(context.Background(), p.Env); v.Outcome != verdict.Pass {
			t.Errorf("%s:\n%s", c.Text(), v.Text())
		}
	}
	if ran == 0 {
		t.Error("no DISC-001 case ran")
	}
}
