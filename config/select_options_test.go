package config

import (
	"reflect"
	"testing"

	"github.com/graphconform/graphconform/spec"
)

// Both entries select with --operation, --path and --tag (repeatable, comma-separated; commas
// inside (), [] and {} do not split) or their GRAPHCONFORM_* variables; a flag wins over its
// variable, and a selection given either way replaces the config file's select: whole.
func TestSelectOptions(t *testing.T) {
	file := writeConfig(t, "s.yaml", "select:\n  operations: [from.file]\n"+personaLine)
	for _, e := range []Entry{EntryRun, EntrySuite} {
		sel := func(env map[string]string, args ...string) spec.Selector {
			t.Helper()
			r, err := resolve(t, e, env, args...)
			if err != nil {
				t.Fatal(err)
			}
			return r.Config.Select
		}
		if got := sel(nil); !reflect.DeepEqual(got, spec.Selector{}) {
			t.Errorf("entry %d, nothing given: %+v", e, got)
		}
		got := sel(nil, "--operation", "a.b, c.d", "--path", "/reports/getX(p='{p}',q='{q}'),/deviceManagement/*/*", "--tag", "t1", "--tag", "t2")
		want := spec.Selector{OperationIDs: []string{"a.b", "c.d"}, Paths: []string{"/reports/getX(p='{p}',q='{q}')", "/deviceManagement/*/*"}, Tags: []string{"t1", "t2"}}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("entry %d, flags: %+v, want %+v", e, got, want)
		}
		env := map[string]string{"GRAPHCONFORM_OPERATION": "from.env", "GRAPHCONFORM_PATH": "/env/*", "GRAPHCONFORM_TAG": "env.tag,other.tag"}
		want = spec.Selector{OperationIDs: []string{"from.env"}, Paths: []string{"/env/*"}, Tags: []string{"env.tag", "other.tag"}}
		if got := sel(env); !reflect.DeepEqual(got, want) {
			t.Errorf("entry %d, variables: %+v, want %+v", e, got, want)
		}
		want.OperationIDs = []string{"from.flag"}
		if got := sel(env, "--operation", "from.flag"); !reflect.DeepEqual(got, want) {
			t.Errorf("entry %d, flag over variable: %+v, want %+v", e, got, want)
		}
		if got := sel(nil, "--config", file); !reflect.DeepEqual(got.OperationIDs, []string{"from.file"}) {
			t.Errorf("entry %d, file: %+v", e, got)
		}
		if got := sel(nil, "--config", file, "--tag", "t"); !reflect.DeepEqual(got, spec.Selector{Tags: []string{"t"}}) {
			t.Errorf("entry %d, a flag replaces the file's select whole: %+v", e, got)
		}
	}
}
