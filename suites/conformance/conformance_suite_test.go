package conformance_test

import (
	"context"
	"flag"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/graphconform/graphconform/config"
	"github.com/graphconform/graphconform/printable"
	"github.com/graphconform/graphconform/suites/conformance"
)

// flags are bound at package init so that `go test` / the ginkgo CLI parse them before
// TestConformance. They are config's one table of run options, the same as graphconform run's.
var flags = config.BindFlags(flag.CommandLine, config.EntrySuite)

// TestConformance runs the generated suite: against the embedded reference mock by default, or the
// target given by --base-url / --config (or their GRAPHCONFORM_* variables).
func TestConformance(t *testing.T) {
	RegisterFailHandler(Fail)
	run, err := flags.Resolve(context.Background(), config.ResolveOptions{})
	if err != nil {
		t.Fatalf("graphconform: %s", printable.Line(err.Error())) // it may quote a file or a token endpoint
	}
	passed, err := conformance.Run(t, run.Config)
	if err != nil {
		t.Fatalf("graphconform: %s", printable.Line(err.Error()))
	}
	if !passed { // the gate line above says why: FAIL or INCOMPLETE
		t.Fail()
	}
}
