package permissions

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/graphconform/graphconform/contract"
	"github.com/graphconform/graphconform/persona"
	"github.com/graphconform/graphconform/plan"
	"github.com/graphconform/graphconform/spec"
)

func description(t testing.TB, name string) *spec.Description {
	t.Helper()
	d, err := spec.LoadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// Microsoft's own OpenAPI carries no permissions; with the overlay it yields the shipped contract,
// plus the metadata-only grant.
func TestMicrosoftDescriptionWithOverlay(t *testing.T) {
	for _, tc := range []struct{ file, path string }{
		{"msgraph-openapi-disconnect-v1.0.yaml", disconnectPath},
		{"msgraph-openapi-disconnect-powershell-v1.0.yaml", strings.Replace(disconnectPath, "/disconnect", "/microsoft.graph.disconnect", 1)},
	} {
		t.Run(tc.file, func(t *testing.T) {
			d := description(t, tc.file)
			if _, err := d.Contracts(t.Context(), spec.Options{}); err == nil {
				t.Fatal("Microsoft's description has a permission table of its own; the test proves nothing")
			}
			ops, err := d.Contracts(t.Context(), spec.Options{Select: spec.Selector{Paths: []string{tc.path}},
				Permissions: load(t, currentFile)})
			if err != nil {
				t.Fatal(err)
			}
			if len(ops) != 1 {
				t.Fatalf("got %d operations", len(ops))
			}
			p := ops[0].Permissions
			want := []grant{{serviceConfigRW, true}, {configurationRW, false}}
			for _, acc := range []contract.Account{contract.Work, contract.Application} {
				if got := grantsOf(p.Schemes[acc]); !reflect.DeepEqual(got, want) {
					t.Errorf("%s = %v, want %v", acc, got, want)
				}
			}
			if p.Schemes[contract.Personal].Supported {
				t.Error("personal accounts supported")
			}
			if !strings.Contains(ops[0].Source, "revision current") {
				t.Errorf("source %q", ops[0].Source)
			}
		})
	}
}

// Every operation of the remoteAssistancePartners slice gets a table, except $count, which the
// permissions fragment does not list: that is reported, never guessed.
func TestMicrosoftSliceWithOverlay(t *testing.T) {
	d := description(t, "msgraph-openapi-remoteassistancepartners-v1.0.yaml")
	o := load(t, currentFile)
	sel := spec.Selector{Tags: []string{"deviceManagement.remoteAssistancePartner"}}
	if _, err := d.Contracts(t.Context(), spec.Options{Select: sel, Permissions: o}); err == nil ||
		!strings.Contains(err.Error(), "$count") {
		t.Errorf("selecting $count: err = %v, want an error naming the unlisted path", err)
	}
	sel = spec.Selector{Paths: []string{"/deviceManagement/remoteAssistancePartners", "/deviceManagement/remoteAssistancePartners/{*}", "/deviceManagement/remoteAssistancePartners/{*}/*"}}
	ops, err := d.Contracts(t.Context(), spec.Options{Select: sel, Permissions: o})
	if err != nil {
		t.Fatal(err)
	}
	least := map[string]string{}
	for _, op := range ops {
		var names []string
		for _, g := range op.Permissions.Schemes[contract.Work].Grants {
			if g.Documented {
				names = append(names, g.Permission)
			}
		}
		least[op.Method+" "+op.Path[len("/deviceManagement/remoteAssistancePartners"):]] = strings.Join(names, " ")
	}
	read := "DeviceManagementServiceConfig.Read.All " + serviceConfigRW
	want := map[string]string{
		"GET ": read, "POST ": serviceConfigRW,
		"GET /{remoteAssistancePartner-id}": read, "PATCH /{remoteAssistancePartner-id}": serviceConfigRW,
		"DELETE /{remoteAssistancePartner-id}":               serviceConfigRW,
		"POST /{remoteAssistancePartner-id}/beginOnboarding": serviceConfigRW,
		"POST /{remoteAssistancePartner-id}/disconnect":      serviceConfigRW,
	}
	if !reflect.DeepEqual(least, want) {
		t.Errorf("documented work grants:\n got %v\nwant %v", least, want)
	}
}

// The metadata-only grant turns into PERM-005 (MAY) cases for a persona holding just that grant.
func TestOverlayYieldsPERM005(t *testing.T) {
	d := description(t, "msgraph-openapi-disconnect-v1.0.yaml")
	ops, err := d.Contracts(t.Context(), spec.Options{Permissions: load(t, currentFile)})
	if err != nil {
		t.Fatal(err)
	}
	personas := append(persona.Fixture(),
		persona.Persona{Name: "config-admin", Account: contract.Work, Permissions: []string{configurationRW}},
		persona.Persona{Name: "config-app", Account: contract.Application, Permissions: []string{configurationRW}})
	for i := range personas {
		personas[i].Token = "dummy-token-" + personas[i].Name
	}
	got := map[string]string{}
	for _, c := range plan.Build(ops, personas) {
		if c.Persona != "" && strings.HasPrefix(string(c.Requirement.ID), "PERM-") {
			got[c.Persona] += string(c.Requirement.ID) + " "
		}
		if c.Requirement.ID == "PERM-005" && c.Skip != "" {
			t.Errorf("PERM-005 skipped: %s", c.Skip)
		}
	}
	for p, want := range map[string]string{"config-admin": "PERM-005 ", "config-app": "PERM-005 ", "admin": "PERM-001 ", "app": "PERM-002 "} {
		if got[p] != want {
			t.Errorf("persona %s: cases %q, want %q", p, got[p], want)
		}
	}
}
