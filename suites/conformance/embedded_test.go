package conformance

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/graphconform/graphconform/input"
	"github.com/graphconform/graphconform/permissions"
	"github.com/graphconform/graphconform/verdict"
)

// outcomes runs every case of a prepared run against its embedded mock: case text -> outcome.
func outcomes(t *testing.T, cfg Config) map[string]verdict.Outcome {
	t.Helper()
	p, err := Prepare(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	out := map[string]verdict.Outcome{}
	for _, c := range p.Cases {
		v := c.Execute(context.Background(), p.Env)
		out[c.Text()] = v.Outcome
		if v.Outcome == verdict.Fail {
			t.Errorf("%s:\n%s", c.Text(), v.Text())
		}
	}
	return out
}

// With --spec the embedded mock serves the run's own description through the description engine;
// on the shipped description every case must come out as against the reference area (the
// exemplar's regression), at both revisions.
func TestEmbeddedEngineMatchesTheReference(t *testing.T) {
	shipped, _ := filepath.Abs(filepath.Join("..", "..", "spec", "openapi", "disconnect.yaml"))
	for _, rev := range []string{"", "pre-2021"} {
		ref := outcomes(t, Config{Revision: rev, Strict: true})
		eng := outcomes(t, Config{Revision: rev, Strict: true, Specs: []string{shipped}})
		if len(ref) == 0 || len(ref) != len(eng) {
			t.Fatalf("revision %q: %d cases against the reference, %d against the engine", rev, len(ref), len(eng))
		}
		for text, o := range ref {
			if eng[text] != o {
				t.Errorf("revision %q: %s: reference %s, engine %s", rev, text, o, eng[text])
			}
		}
	}
}

// Microsoft's own fragment with permissions.json: the engine serves its collection and entity
// paths and reads the table through its own reader; no case fails.
func TestEmbeddedEngineServesMicrosoftsFragment(t *testing.T) {
	frag, _ := filepath.Abs("../../../shared/graph-data/msgraph-openapi-remoteassistancepartners-v1.0.yaml")
	permsFile := filepath.Join(t.TempDir(), "permissions.json")
	if _, err := os.Stat(frag); err != nil {
		t.Skipf("shared Graph data: %v", err)
	}
	if err := gunzipTo("../../../shared/graph-data/msgraph-v1.0/permissions.json.gz", permsFile); err != nil {
		t.Skipf("shared Graph data: %v", err)
	}
	ov, err := permissions.LoadFile(permsFile)
	if err != nil {
		t.Fatal(err)
	}
	got := outcomes(t, Config{Strict: true, Specs: []string{frag}, Permissions: ov, PermissionsFile: permsFile})
	passed := 0
	for _, o := range got {
		if o == verdict.Pass {
			passed++
		}
	}
	if passed == 0 {
		t.Fatal("no case passed")
	}
}

func gunzipTo(src, dst string) error {
	data, err := input.ReadFile(src, 64<<20, "permissions files")
	if err != nil {
		return err
	}
	return os.WriteFile(dst, data, 0o600)
}
