package runner

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/graphconform/graphconform/fixtures/mock"
	"github.com/graphconform/graphconform/persona"
	"github.com/graphconform/graphconform/report"
)

// The requests a held target holds (mock.Hold): the specs' own (a stop cancels them mid-request;
// the clean-up DELETEs, which outlive a spec's context on purpose, pass), or the clean-ups only (a
// stop finds the spec's check done and its clean-up running: before the fix, the PASS).
func specRequests(r *http.Request) bool { return r.Method != http.MethodDelete }
func cleanups(r *http.Request) bool     { return r.Method == http.MethodDelete }

// heldTarget serves the reference mock on loopback, holding what hold selects after 12 requests.
func heldTarget(t *testing.T, hold func(*http.Request) bool) (*mock.Holder, string) {
	t.Helper()
	m, err := mock.New(mock.Options{})
	if err != nil {
		t.Fatal(err)
	}
	h := mock.Hold(m, 12, hold)
	srv, err := mock.Start(h)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		h.Release()
		_ = srv.Close()
	})
	return h, srv.URL
}

// targetConfig is a config for a loopback target with fixture-minted personas (the mock trusts the
// fixture key), keeping the named ones only when names are given.
func targetConfig(t *testing.T, base, extra string, names ...string) string {
	t.Helper()
	keep := map[string]bool{}
	for _, n := range names {
		keep[n] = true
	}
	var b strings.Builder
	b.WriteString("revision: current\ntarget:\n  baseURL: " + base + "\n" + extra + "personas:\n")
	for _, p := range persona.Fixture() {
		if len(keep) == 0 || keep[p.Name] {
			b.WriteString("  - name: " + p.Name + "\n    account: " + string(p.Account) + "\n    permissions: [" +
				strings.Join(p.Permissions, ", ") + "]\n    mint: true\n")
		}
	}
	return writeFile(t, "graphconform.yaml", b.String())
}

// gateReport is what report.json says about the gate.
type gateReport struct {
	Specs   *report.Specs `json:"specs"`
	Summary struct {
		Gate     string `json:"gate"`
		GateText string `json:"gateText"`
		Passed   bool   `json:"passed"`
		Complete bool   `json:"complete"`
	} `json:"summary"`
}

// junitTotals are the root attributes of junit.xml and the type of each <error>.
type junitTotals struct {
	Failures int `xml:"failures,attr"`
	Errors   int `xml:"errors,attr"`
	Suites   []struct {
		Name  string `xml:"name,attr"`
		Cases []struct {
			Name  string `xml:"name,attr"`
			Error *struct {
				Type    string `xml:"type,attr"`
				Message string `xml:"message,attr"`
			} `xml:"error"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

// assertIncomplete checks that a run stopped part-way says INCOMPLETE on the console and in
// report.json, junit.xml and report.html, and exits 3.
func assertIncomplete(t *testing.T, r result, dir, why string) {
	t.Helper()
	if r.code != exitIncomplete || !strings.Contains(r.stdout, "graphconform gate: INCOMPLETE (") || strings.Contains(r.stdout, "gate: PASS") {
		t.Errorf("want exit 3 and an INCOMPLETE gate line, got:\n%s", r)
	}
	var rep gateReport
	b, err := os.ReadFile(filepath.Join(dir, report.JSONFile))
	if err == nil {
		err = json.Unmarshal(b, &rep)
	}
	if err == nil {
		err = report.ValidateFile(filepath.Join(dir, report.JSONFile))
	}
	if err != nil {
		t.Fatalf("report.json: %v", err)
	}
	if s := rep.Summary; s.Gate != report.GateIncomplete || s.Passed || s.Complete || rep.Specs == nil ||
		rep.Specs.Ran >= rep.Specs.Selected || rep.Specs.Selected == 0 || !strings.Contains(s.GateText, why) {
		t.Errorf("report.json: gate %+v specs %+v, want INCOMPLETE with fewer specs ran than selected, saying %q", s, rep.Specs, why)
	}
	var ju junitTotals
	if b, err := os.ReadFile(filepath.Join(dir, report.JUnitFile)); err != nil || xml.Unmarshal(b, &ju) != nil {
		t.Fatalf("junit.xml: %v", err)
	}
	incomplete := false
	for _, s := range ju.Suites {
		for _, c := range s.Cases {
			incomplete = incomplete || (c.Error != nil && c.Error.Type == "incomplete" && strings.HasPrefix(c.Error.Message, "INCOMPLETE: "))
		}
	}
	if ju.Errors == 0 || !incomplete {
		t.Errorf("junit.xml: errors=%d, incomplete <error> %v", ju.Errors, incomplete)
	}
	html, _ := os.ReadFile(filepath.Join(dir, report.HTMLFile))
	if !bytes.Contains(html, []byte(`<div class="gate incomplete">INCOMPLETE`)) || bytes.Contains(html, []byte(`gate pass`)) {
		t.Error("report.html has no INCOMPLETE badge")
	}
}

// SIGINT or SIGTERM part-way through a run (a cancelled CI job, an evicted pod): Ginkgo stops and
// still reports, and every report says INCOMPLETE, never PASS, whether the signal cut a request
// short or found a spec cleaning up after a passing check.
func TestInterruptedRunIsIncomplete(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		sig   syscall.Signal
		hold  func(*http.Request) bool
		extra string
		args  []string
	}{
		// At the default concurrency several cases are in flight when the signal comes.
		{"SIGINT during a request", syscall.SIGINT, specRequests, "", nil},
		{"SIGTERM during a request", syscall.SIGTERM, specRequests, "", nil},
		{"SIGINT during a request, one case at a time", syscall.SIGINT, specRequests, "", []string{"--concurrency", "1"}},
		// The held clean-up gives up after the exchange timeout; the spec then ends with its verdict.
		{"SIGINT during a clean-up", syscall.SIGINT, cleanups, "  timeout: 1s\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			target, url := heldTarget(t, tc.hold)
			dir := filepath.Join(t.TempDir(), "reports")
			cmd := exec.Command(os.Args[0], append([]string{"run", "--config", targetConfig(t, url, tc.extra), "--report-dir", dir}, tc.args...)...)
			cmd.Env = childEnv()
			var out, errb bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errb
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case <-target.Reached():
			case err := <-done:
				t.Fatalf("the run ended before the target held a request: %v\n%s\n%s", err, out.String(), errb.String())
			case <-time.After(2 * time.Minute):
				_ = cmd.Process.Kill()
				t.Fatal("the run never reached the held request")
			}
			if err := cmd.Process.Signal(tc.sig); err != nil {
				t.Fatal(err)
			}
			var err error
			select {
			case err = <-done:
			case <-time.After(2 * time.Minute):
				_ = cmd.Process.Kill()
				t.Fatal("the interrupted run did not exit")
			}
			r := result{stdout: out.String(), stderr: errb.String()}
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				r.code = ee.ExitCode()
			}
			assertIncomplete(t, r, dir, "interrupted (SIGINT or SIGTERM)")
		})
	}
}

// --timeout bounds the whole run; its expiry stops the run and reports INCOMPLETE.
func TestRunTimeoutIsIncomplete(t *testing.T) {
	t.Parallel()
	_, url := heldTarget(t, specRequests)
	dir := filepath.Join(t.TempDir(), "reports")
	// The held request would outlast the whole-run timeout by far: target.timeout is the bound on one
	// exchange, and a spec that timed out on its own would be a failure, not an incomplete run.
	cfg := targetConfig(t, url, "  timeout: 10m\n")
	r := child(t, nil, "run", "--config", cfg, "--report-dir", dir, "--timeout", "3s")
	assertIncomplete(t, r, dir, "the run timeout")
}

// With only admin and reader, PERM-002 and PERM-004 (MUST) are not exercised: the gate line names
// them and the persona that would exercise them; --certify fails on them.
func TestCertifyNeedsEveryMust(t *testing.T) {
	t.Parallel()
	m, err := mock.New(mock.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := mock.Start(m)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	partial := targetConfig(t, srv.URL, "", "admin", "reader")
	const named = "2 MUST not exercised: PERM-002 (persona not configured: add a persona with account: application holding DeviceManagementServiceConfig.ReadWrite.All), " +
		"PERM-004 (persona not configured: add a persona with account: personal"

	dir := t.TempDir()
	r := child(t, nil, "run", "--config", partial, "--report-dir", dir)
	if r.code != exitOK || !strings.Contains(r.stdout, "graphconform gate: PASS; "+named) {
		t.Errorf("default mode: want PASS naming the MUSTs not exercised, got:\n%s", r)
	}
	html, _ := os.ReadFile(filepath.Join(dir, report.HTMLFile))
	if !bytes.Contains(html, []byte(`<small>2 MUST not exercised</small>`)) || !bytes.Contains(html, []byte(`href="#req-PERM-004"`)) {
		t.Error("report.html: no banner naming the MUSTs not exercised")
	}

	r = child(t, nil, "run", "--config", partial, "--certify", "--report-dir", dir)
	if r.code != exitFail || !strings.Contains(r.stdout, "graphconform gate: FAIL (certification: "+named) {
		t.Errorf("--certify: want exit 1 naming the MUSTs not exercised, got:\n%s", r)
	}
	var rep gateReport
	b, _ := os.ReadFile(filepath.Join(dir, report.JSONFile))
	if err := report.ValidateFile(filepath.Join(dir, report.JSONFile)); err != nil {
		t.Error(err)
	}
	if err := json.Unmarshal(b, &rep); err != nil || rep.Summary.Gate != report.GateFail || !strings.Contains(rep.Summary.GateText, named) {
		t.Errorf("report.json: %+v %v", rep.Summary, err)
	}

	// Every persona: a certification passes.
	if r := child(t, nil, "run", "--config", targetConfig(t, srv.URL, ""), "--certify", "--strict"); r.code != exitOK ||
		!strings.Contains(r.stdout, "graphconform gate: PASS\n") {
		t.Errorf("--certify --strict with every persona: %s", r)
	}
}

// The help text of --strict states the one rule, and MAY is never said to fail a strict run.
func TestStrictHelpStatesTheRule(t *testing.T) {
	r := inProcess("run", "-h")
	help := strings.Join(strings.Fields(r.stderr), " ")
	if !strings.Contains(help, "a MUST failure always fails the run; a SHOULD failure fails it only with --strict; a MAY failure never fails it") ||
		strings.Contains(help, "SHOULD and MAY failures fail") {
		t.Errorf("run -h:\n%s", r.stderr)
	}
}
