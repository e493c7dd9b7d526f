package runner

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/graphconform/graphconform/spec"
)

var (
	partnersFragment = filepath.Join("..", "spec", "testdata", "graph", "msgraph-openapi-remoteassistancepartners-v1.0.yaml")
	partnersPerms    = filepath.Join("..", "permissions", "testdata", "graph-permissions-remoteassistancepartners.json")
)

const (
	disconnectID   = "deviceManagement.remoteAssistancePartners.remoteAssistancePartner.disconnect"
	beginOnboardID = "deviceManagement.remoteAssistancePartners.remoteAssistancePartner.beginOnboarding"
)

// run selects with --operation, --path, --tag and the config file's select:, before contracts.
func TestRunSelection(t *testing.T) {
	dry := func(args ...string) result {
		t.Helper()
		return inProcess(append([]string{"run", "--dry-run", "--spec", partnersFragment, "--permissions", partnersPerms}, args...)...)
	}
	ops := func(r result) []string {
		var out []string
		for _, l := range strings.Split(r.stdout, "\n") {
			if strings.HasPrefix(l, "deviceManagement.") {
				out = append(out, strings.Fields(l)[0])
			}
		}
		return out
	}
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"default: the actions", nil, []string{beginOnboardID, disconnectID}},
		{"operation", []string{"--operation", beginOnboardID}, []string{beginOnboardID}},
		{"path", []string{"--path", "/deviceManagement/*/{*}/disconnect"}, []string{disconnectID}},
		{"tag: the actions built, the rest listed", []string{"--tag", "deviceManagement.remoteAssistancePartner"}, []string{beginOnboardID, disconnectID}},
		{"config select", []string{"--config", writeFile(t, "c.yaml", "select:\n  operations: ["+beginOnboardID+"]\n")}, []string{beginOnboardID}},
		{"flags replace the config's select", []string{"--config", writeFile(t, "c.yaml", "select:\n  operations: ["+beginOnboardID+"]\n"),
			"--operation", disconnectID}, []string{disconnectID}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := dry(tc.args...)
			if r.code != exitOK {
				t.Fatalf("%s", r)
			}
			if got := ops(r); strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("dry run lists %v, want %v", got, tc.want)
			}
		})
	}
	r := dry("--tag", "deviceManagement.remoteAssistancePartner")
	if !strings.Contains(r.stdout, "not built, so not exercised (6 selected operations):\n  deviceManagement.ListRemoteAssistancePartners (GET /deviceManagement/remoteAssistancePartners): "+spec.ReasonNotAction) {
		t.Errorf("unbuilt operations are not listed:\n%s", r.stdout)
	}

	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"bad glob", []string{"--path", "/deviceManagement/["}, `path selector "/deviceManagement/[" is not a valid glob`},
		{"no match", []string{"--operation", "nothing.here"}, "no operation matches the selection (operationId=nothing.here)"},
		{"nothing buildable", []string{"--path", "/deviceManagement/remoteAssistancePartners"},
			"nothing selected can be built: 2 operations not built (2 " + spec.ReasonNotAction + ")"},
		{"config glob", []string{"--config", writeFile(t, "bad.yaml", "select:\n  paths: ['/a/[']\n")}, `bad.yaml:2: select.paths[0]: "/a/[" is not a valid glob`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := dry(tc.args...)
			if r.code != exitConfig {
				t.Fatalf("exit %d, want 2: %s", r.code, r)
			}
			oneLine(t, r, tc.want)
		})
	}
}
