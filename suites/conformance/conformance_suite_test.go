package conformance_test

import (
	"flag"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/graphconform/graphconform/config"
	"github.com/graphconform/graphconform/suites/conformance"
)

// flags are bound at package init so that `go test` / the ginkgo CLI parse them before TestConformance.
var flags = conformance.BindFlags(flag.CommandLine)

// TestConformance runs the generated suite: against the embedded reference mock by default, or the
// target given by --base-url / --config (or their GRAPHCONFORM_* variables).
func TestConformance(t *testing.T) {
	RegisterFailHandler(Fail)
	conformance.ConfigLoader = config.Load // --config / GRAPHCONFORM_CONFIG: target and personas from YAML
	cfg, err := flags.Config()
	if err != nil {
		t.Fatalf("graphconform: %v", err)
	}
	passed, err := conformance.Run(t, cfg)
	if err != nil {
		t.Fatalf("graphconform: %v", err)
	}
	if !passed { // the gate line above says why: FAIL or INCOMPLETE
		t.Fail()
	}
}
