package conformance_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2"

	"github.com/graphconform/graphconform/fixtures/mock"
	"github.com/graphconform/graphconform/persona"
	"github.com/graphconform/graphconform/report"
	"github.com/graphconform/graphconform/requirement"
)

// These tests run the go test entry (TestConformance) of this very test binary in a child process,
// as `go test ./suites/...` and `ginkgo run` do, and read what it printed and wrote.

func entry(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	if sc, _ := ginkgo.GinkgoConfiguration(); sc.ParallelTotal > 1 {
		t.Skip("runs once, from a serial test binary")
	}
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^TestConformance$", "-test.count=1"}, args...)...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GRAPHCONFORM_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	return cmd
}

// ginkgoReport is what report.json says about the gate.
type ginkgoReport struct {
	Specs   *report.Specs `json:"specs"`
	Summary struct {
		Gate     string `json:"gate"`
		GateText string `json:"gateText"`
	} `json:"summary"`
}

func readGate(t *testing.T, dir string) ginkgoReport {
	t.Helper()
	var rep ginkgoReport
	b, err := os.ReadFile(filepath.Join(dir, report.JSONFile))
	if err == nil {
		err = json.Unmarshal(b, &rep)
	}
	if err == nil { // every report.json a test makes the suite write matches the published schema
		err = report.ValidateFile(filepath.Join(dir, report.JSONFile))
	}
	if err != nil {
		t.Fatalf("report.json: %v", err)
	}
	return rep
}

// On the ginkgo path a failed SHOULD is not a quiet "SUCCESS! ... 1 Skipped": the requirement table
// and the gate line follow Ginkgo's summary on stdout, naming the advisory failure, and junit.xml
// has it as a failure of the advisory suite.
func TestGoTestEntryPrintsTheGate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cmd := entry(t, "--mutant=hdr-001-no-request-id", "--report-dir="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the entry failed on an advisory failure: %v\n%s", err, out)
	}
	s := string(out)
	summary := strings.Index(s, "SUCCESS!")
	table := strings.Index(s, "REQUIREMENT  LEVEL")
	gate := strings.Index(s, "graphconform gate: PASS; 1 advisory failure (does not fail the run): HDR-001 [SHOULD]")
	if summary < 0 || table < summary || gate < table || !strings.Contains(s, "HDR-001      SHOULD  fail (advisory)") {
		t.Errorf("want Ginkgo's summary, then the requirement table and the gate line naming HDR-001:\n%s", s)
	}
	junit, _ := os.ReadFile(filepath.Join(dir, report.JUnitFile))
	if !bytes.Contains(junit, []byte(`<failure message="ADVISORY: SHOULD not met (does not fail the run)`)) ||
		bytes.Contains(junit, []byte(`<skipped message="ADVISORY`)) {
		t.Errorf("junit.xml does not report the advisory failure as a failure:\n%s", junit)
	}
}

// SIGINT part-way through the go test entry: Ginkgo says "Interrupted", and the gate line and
// reports say INCOMPLETE, never PASS.
func TestGoTestEntryInterruptedIsIncomplete(t *testing.T) {
	t.Parallel()
	m, err := mock.New(mock.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// After a few answers every clean-up (DELETE) is held until it times out: the signal finds a spec
	// whose check passed cleaning up, and the run cannot end before it.
	held := mock.Hold(m, 10, func(r *http.Request) bool { return r.Method == http.MethodDelete })
	srv, err := mock.Start(held)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { held.Release(); _ = srv.Close() })
	var cfg strings.Builder
	cfg.WriteString("target:\n  baseURL: " + srv.URL + "\n  timeout: 1s\npersonas:\n")
	for _, p := range persona.Fixture() {
		cfg.WriteString("  - name: " + p.Name + "\n    account: " + string(p.Account) + "\n    permissions: [" + strings.Join(p.Permissions, ", ") + "]\n    mint: true\n")
	}
	cfgFile := filepath.Join(t.TempDir(), "graphconform.yaml")
	if err := os.WriteFile(cfgFile, []byte(cfg.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cmd := entry(t, "--config="+cfgFile, "--report-dir="+dir)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-held.Reached():
	case err := <-done:
		t.Fatalf("the run ended before the target held a request: %v\n%s", err, out.String())
	case <-time.After(2 * time.Minute):
		_ = cmd.Process.Kill()
		t.Fatal("the run never reached the held request")
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case err = <-done:
	case <-time.After(2 * time.Minute):
		_ = cmd.Process.Kill()
		t.Fatal("the interrupted run did not exit")
	}
	var ee *exec.ExitError
	s := out.String()
	if !errors.As(err, &ee) || ee.ExitCode() == 0 || !strings.Contains(s, "Interrupted by User") ||
		!strings.Contains(s, "graphconform gate: INCOMPLETE (") || strings.Contains(s, "gate: PASS") {
		t.Errorf("want a failed test, Ginkgo's interrupt and an INCOMPLETE gate line; got %v:\n%s", err, s)
	}
	if rep := readGate(t, dir); rep.Summary.Gate != report.GateIncomplete || rep.Specs == nil || rep.Specs.Ran >= rep.Specs.Selected {
		t.Errorf("report.json: %+v specs %+v", rep.Summary, rep.Specs)
	}
}

// The ginkgo/go test entry's --strict states the one rule, as graphconform run's does.
func TestStrictFlagStatesTheRule(t *testing.T) {
	f := flag.CommandLine.Lookup("strict")
	if f == nil || !strings.Contains(f.Usage, requirement.GateRule()) {
		t.Errorf("--strict usage %q does not state %q", f.Usage, requirement.GateRule())
	}
}

// A dry run lists the specs and judges nothing: no gate line, and the test passes.
func TestGoTestEntryDryRun(t *testing.T) {
	t.Parallel()
	out, err := entry(t, "--ginkgo.dry-run", "--ginkgo.v").CombinedOutput()
	if err != nil || strings.Contains(string(out), "graphconform gate:") || !strings.Contains(string(out), "DISC-001 [MUST]") {
		t.Errorf("dry run: %v\n%s", err, out)
	}
}
