package conformance

import (
	"flag"
	"io"
	"reflect"
	"testing"

	"github.com/graphconform/graphconform/spec"
)

// The go test / ginkgo entry selects with --operation, --path and --tag (comma-separated) or their
// GRAPHCONFORM_* variables; a flag wins over its variable.
func TestFlagsSelect(t *testing.T) {
	parse := func(args ...string) spec.Selector {
		t.Helper()
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		f := BindFlags(fs)
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		cfg, err := f.Config()
		if err != nil {
			t.Fatal(err)
		}
		return cfg.Select
	}
	if got := parse(); !reflect.DeepEqual(got, spec.Selector{}) {
		t.Errorf("no flags: %+v", got)
	}
	got := parse("--operation", "a.b, c.d", "--path", "/reports/getX(p='{p}',q='{q}'),/deviceManagement/*/*", "--tag", "t1")
	want := spec.Selector{OperationIDs: []string{"a.b", "c.d"}, Paths: []string{"/reports/getX(p='{p}',q='{q}')", "/deviceManagement/*/*"}, Tags: []string{"t1"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("flags: %+v, want %+v", got, want)
	}
	t.Setenv(EnvOperation, "from.env")
	t.Setenv(EnvPath, "/env/*")
	t.Setenv(EnvTag, "env.tag,other.tag")
	want = spec.Selector{OperationIDs: []string{"from.env"}, Paths: []string{"/env/*"}, Tags: []string{"env.tag", "other.tag"}}
	if got := parse(); !reflect.DeepEqual(got, want) {
		t.Errorf("variables: %+v, want %+v", got, want)
	}
	want.OperationIDs = []string{"from.flag"}
	if got := parse("--operation", "from.flag"); !reflect.DeepEqual(got, want) {
		t.Errorf("flag over variable: %+v, want %+v", got, want)
	}
}
