package conformance

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/graphconform/graphconform/contract"
	"github.com/graphconform/graphconform/internal/msgraphdata"
	"github.com/graphconform/graphconform/permissions"
	"github.com/graphconform/graphconform/persona"
	"github.com/graphconform/graphconform/plan"
	"github.com/graphconform/graphconform/spec"
)

var (
	partnersFragment = filepath.Join("..", "..", "spec", "testdata", "graph", "msgraph-openapi-remoteassistancepartners-v1.0.yaml")
	partnersPerms    = filepath.Join("..", "..", "permissions", "testdata", "graph-permissions-remoteassistancepartners.json")
)

const beginOnboardingID = "deviceManagement.remoteAssistancePartners.remoteAssistancePartner.beginOnboarding"

func prepare(t *testing.T, cfg Config) *Prepared {
	t.Helper()
	p, err := Prepare(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

func loadPerms(t *testing.T, file string) *permissions.Overlay {
	t.Helper()
	o, err := permissions.LoadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// Microsoft's whole v1.0 description without a selection: the run is prepared (not exit 2), with
// every action either built or reported, and the reports carry the unbuilt ones.
func TestPrepareGraphV1WithoutSelection(t *testing.T) {
	t.Setenv(spec.CacheEnv, t.TempDir())
	file, permsFile := msgraphdata.WriteFiles(t, t.TempDir())
	p := prepare(t, Config{Specs: []string{file}, Permissions: loadPerms(t, permsFile)})
	if n := len(p.Operations) + len(p.Unbuilt); n != 1213+327 || len(p.Operations) == 0 || len(p.Cases) == 0 {
		t.Fatalf("%d built + %d unbuilt (%d cases), want the 1,213 actions and 327 functions, some built", len(p.Operations), len(p.Unbuilt), len(p.Cases))
	}
	run := p.ReportRun(time.Now(), time.Now(), nil)
	if len(run.Unbuilt) != len(p.Unbuilt) {
		t.Fatalf("the report lists %d unbuilt operations, the run %d", len(run.Unbuilt), len(p.Unbuilt))
	}
	for i, u := range run.Unbuilt {
		if u.OperationID == "" || u.Reason == "" || u.Detail == "" || u.Source != "openapi-v1.0.yaml" || u.OperationID != p.Unbuilt[i].OperationID {
			t.Fatalf("unbuilt[%d] = %+v", i, u)
		}
	}
	line := p.UnbuiltSummary()
	if strings.Count(line, "\n") != 1 || !strings.Contains(line, "of 1540 selected operations built") || !strings.Contains(line, spec.ReasonNotAction) && !strings.Contains(line, spec.ReasonNoPermissions) {
		t.Errorf("console line: %q", line)
	}
}

// Exit 2 only when nothing selected can be built: one line with the counts by reason.
func TestPrepareNothingBuilt(t *testing.T) {
	_, err := Prepare(context.Background(), Config{Specs: []string{partnersFragment}, Permissions: loadPerms(t, partnersPerms),
		Select: spec.Selector{Paths: []string{"/deviceManagement/remoteAssistancePartners"}}})
	if err == nil {
		t.Fatal("prepared a run of which nothing can be built")
	}
	want := "nothing selected can be built: 2 operations not built (2 " + spec.ReasonNotAction + "); first: deviceManagement.ListRemoteAssistancePartners"
	if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), partnersFragment) || strings.Contains(err.Error(), "\n") {
		t.Errorf("error %q, want one line naming the file and saying %q", err, want)
	}

	// Some built: no error, and the others are reported.
	p := prepare(t, Config{Specs: []string{partnersFragment}, Permissions: loadPerms(t, partnersPerms),
		Select: spec.Selector{Tags: []string{"deviceManagement.remoteAssistancePartner"}}})
	if len(p.Operations) != 2 || len(p.Unbuilt) != 6 {
		t.Errorf("built %d, unbuilt %d; want 2 and 6", len(p.Operations), len(p.Unbuilt))
	}
}

// A selection that matches in one description and not another is fine; in none, an error.
func TestPrepareSelectionAcrossDescriptions(t *testing.T) {
	shipped := filepath.Join("..", "..", "spec", "openapi", "disconnect.yaml")
	p := prepare(t, Config{Specs: []string{shipped, partnersFragment}, Permissions: loadPerms(t, partnersPerms),
		Select: spec.Selector{OperationIDs: []string{beginOnboardingID}}})
	if len(p.Operations) != 1 || p.Operations[0].ID != beginOnboardingID {
		t.Errorf("built %v", p.Operations)
	}
	_, err := Prepare(context.Background(), Config{Specs: []string{shipped, partnersFragment}, Select: spec.Selector{OperationIDs: []string{"nothing.here"}}})
	if err == nil || !strings.Contains(err.Error(), "no description has an operation the selection matches (operationId=nothing.here)") {
		t.Errorf("error %v", err)
	}
}

// The dry run tells the truth: a case that cannot send its request says why instead of listing
// a request, placeholders left in a path are named, and unbuilt operations are listed.
func TestDryRunSaysWhyASpecCannotSend(t *testing.T) {
	p := prepare(t, Config{Specs: []string{partnersFragment}, Permissions: loadPerms(t, partnersPerms),
		Select: spec.Selector{Tags: []string{"deviceManagement.remoteAssistancePartner"}}})
	// A contract the suite would not build today: disconnect under a second key. The plan fills
	// only the last key, so the setup POST goes out with {user-id} in it.
	two := p.Operations[1]
	two.ID = "users.remoteAssistancePartners.disconnect"
	two.Path = "/users/{user-id}/remoteAssistancePartners/{remoteAssistancePartner-id}/disconnect"
	two.PathParams = append([]contract.Param{{Name: "user-id", Required: true}}, two.PathParams...)
	p.Operations = []contract.Operation{p.Operations[0], two}
	// The five fixture personas only (the embedded mock derives one for PERM-005's row too): a row
	// no persona exercises.
	var five persona.Set
	for _, name := range persona.Fixture().Names() {
		q, _ := p.Env.Personas.Lookup(name)
		five = append(five, q)
	}
	p.Cases = plan.Build(p.Operations, five)

	var out bytes.Buffer
	n := p.WriteDryRun(context.Background(), &out, func(labels []string) bool {
		for _, l := range labels {
			if l == "DISC-001" || l == "PERM-005" {
				return true
			}
		}
		return false
	})
	got := out.String()
	base := p.Env.BaseURL
	for _, want := range []string{
		// the exemplar sends its request
		"  DISC-001 [MUST] the documented request answers 204\n    POST    " + base + "/deviceManagement/remoteAssistancePartners  as admin\n" +
			"    POST    " + base + "/deviceManagement/remoteAssistancePartners/dry-run-partner/beginOnboarding  as admin\n",
		// no persona for it: says so
		"  PERM-005 [MAY] no persona exercises this row\n    cannot send its request: persona not configured",
		// a parent key it can neither create nor was given: it sends nothing and names the key to configure
		"users.remoteAssistancePartners.disconnect (POST /users/{user-id}/remoteAssistancePartners/{remoteAssistancePartner-id}/disconnect)\n" +
			"  DISC-001 [MUST] the documented request answers 204\n" +
			"    cannot send its request: no key for {user-id}: the description declares no POST on its collection, so configure an existing one as target.keys.user-id\n",
		// unbuilt operations, with their reasons
		"not built, so not exercised (6 selected operations):\n  deviceManagement.ListRemoteAssistancePartners (GET /deviceManagement/remoteAssistancePartners): " + spec.ReasonNotAction,
		"specs cannot send their request; 6 selected operations not built.\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("dry run lacks\n%s\n--- got:\n%s", want, got)
		}
	}
	if n.Specs != 4 || n.Unsendable != 3 {
		t.Errorf("counts %+v, want 4 specs, 3 of them unsendable (PERM-005 twice, DISC-001 of the two-key path)", n)
	}
}
