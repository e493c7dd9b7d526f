package runner

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/graphconform/graphconform/report"
	"github.com/graphconform/graphconform/verdict"
)

// specIDs are the identities of a report's verdicts with the given outcomes (all when none), sorted.
func specIDs(r report.Run, outcomes ...verdict.Outcome) []string {
	var out []string
	for _, v := range r.Verdicts {
		if len(outcomes) == 0 || slices.Contains(outcomes, v.Outcome) {
			out = append(out, string(v.Requirement.ID)+"|"+v.Case+"|"+v.Operation+"|"+v.Persona)
		}
	}
	sort.Strings(out)
	return out
}

// graphconform run --rerun report.json, through the built binary against the embedded mock: after
// a mutant's failing run, the rerun runs exactly the failed specs; against the same mutant they
// fail again, against the reference they pass; a report with nothing to rerun exits 0 saying so,
// sending nothing and writing no report.
func TestBinaryRerun(t *testing.T) {
	t.Parallel()
	bin := graphconformBinary(t)
	tmp := t.TempDir()
	dir := func(name string) string { return filepath.Join(tmp, name) }
	const mutant = rerunMutant
	orig := readRun(t, mutantRun(t, bin, tmp))
	failed := specIDs(orig, verdict.Fail, verdict.Skip)
	if len(failed) == 0 || len(failed) == len(orig.Verdicts) {
		t.Fatalf("the mutant failed %d of %d specs: no rerun to test", len(failed), len(orig.Verdicts))
	}

	again := exe(t, tmp, nil, bin, "run", "--mutant", mutant, "--rerun", dir("first"), "--report-dir", dir("again"))
	if again.code != exitFail || !strings.Contains(again.stdout, "graphconform gate: FAIL") {
		t.Fatalf("rerun against the mutant: want exit 1 and FAIL, got %s", again)
	}
	rerun := readRun(t, dir("again"))
	if got := specIDs(rerun); !slices.Equal(got, failed) {
		t.Errorf("the rerun ran %d specs, want the %d that failed:\n got %q\nwant %q", len(got), len(failed), got, failed)
	}
	if rerun.Specs == nil || rerun.Specs.Selected != len(failed) || rerun.Specs.Ran != len(failed) {
		t.Errorf("rerun specs %+v, want %d selected and run", rerun.Specs, len(failed))
	}
	if want := "rerun of " + filepath.Join(dir("first"), report.JSONFile) + ": "; !strings.HasPrefix(rerun.Selection, want) {
		t.Errorf("rerun selection %q, want %q...", rerun.Selection, want)
	}
	if !strings.Contains(again.stdout, "Will run "+strconv.Itoa(len(failed))+" of "+strconv.Itoa(len(failed))+" specs") {
		t.Errorf("Ginkgo was not given the %d specs only:\n%s", len(failed), again.stdout)
	}

	fixed := exe(t, tmp, nil, bin, "run", "--rerun", filepath.Join(dir("first"), report.JSONFile), "--report-dir", dir("fixed"))
	if fixed.code != exitOK || !strings.Contains(fixed.stdout, "graphconform gate: PASS") {
		t.Fatalf("rerun against the reference: want exit 0 and PASS, got %s", fixed)
	}
	if got := specIDs(readRun(t, dir("fixed")), verdict.Pass); !slices.Equal(got, failed) {
		t.Errorf("against the reference the rerun passed %d specs, want the %d that failed", len(got), len(failed))
	}

	// The rerun's report, all passed, leaves nothing to rerun: exit 0, one line, nothing written.
	nothing := exe(t, tmp, nil, bin, "run", "--rerun", dir("fixed"), "--report-dir", dir("nothing"))
	if nothing.code != exitOK || !strings.Contains(nothing.stdout, "graphconform rerun: nothing to rerun") || strings.Contains(nothing.stdout, "Running Suite") {
		t.Errorf("nothing to rerun: %s", nothing)
	}
	if _, err := os.Stat(filepath.Join(dir("nothing"), report.JSONFile)); err == nil {
		t.Error("a rerun with nothing to run wrote a report")
	}

	// A dry run of the rerun lists only the failed specs' requests.
	dry := exe(t, tmp, nil, bin, "run", "--mutant", mutant, "--rerun", dir("first"), "--dry-run")
	if dry.code != exitOK || strings.Contains(dry.stdout, "DISC-001") || !strings.Contains(dry.stdout, "AUTH-002") {
		t.Errorf("dry run of the rerun: %s", dry)
	}
}

// What --rerun refuses is one line and exit 2, before anything is sent: a file that is no
// graphconform report, one its schema refuses, another description's, a certification.
func TestBinaryRerunRefusals(t *testing.T) {
	t.Parallel()
	bin := graphconformBinary(t)
	tmp := t.TempDir()
	ref := mutantRun(t, bin, tmp)
	good, err := os.ReadFile(filepath.Join(ref, report.JSONFile))
	if err != nil {
		t.Fatal(err)
	}
	other := readRun(t, ref)
	other.DescriptionSHA256 = strings.Repeat("ab", 32)
	var otherJSON bytes.Buffer
	if err := report.WriteJSON(&otherJSON, other); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, body string
		args       []string
		want       string
	}{
		{"not JSON", "hello", nil, "--rerun: "},
		{"another tool's JSON", `{"tests": 3}`, nil, "not a graphconform report.json"},
		{"schema", strings.Replace(string(good), `"strict": false`, `"strict": "no"`, 1), nil, "/strict"},
		{"another description", otherJSON.String(), nil, "the report judged the description"},
		{"certify", string(good), []string{"--certify"}, "a rerun runs part of a run, which cannot certify"},
		{"missing file", "", nil, "no-such-report.json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "no-such-report.json")
			if tc.body != "" {
				file = writeFile(t, "report.json", tc.body)
			}
			r := exe(t, tmp, nil, append([]string{bin, "run", "--rerun", file}, tc.args...)...)
			if r.code != exitConfig {
				t.Errorf("exit %d, want %d: %s", r.code, exitConfig, r)
			}
			oneLine(t, r, tc.want)
		})
	}
}

// The Ginkgo entry takes --rerun too: go test runs only the failed specs of a report and says so
// in its own report; the command line it records is its own.
func TestSuiteEntryRerun(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles and runs the suite's test binary")
	}
	t.Parallel()
	bin := graphconformBinary(t)
	tmp := t.TempDir()
	first := mutantRun(t, bin, tmp)
	failed := specIDs(readRun(t, first), verdict.Fail, verdict.Skip)
	dir := filepath.Join(tmp, "suite")
	r := exe(t, moduleRoot(t), []string{"GRAPHCONFORM_MUTANT=" + rerunMutant},
		"go", "test", "./suites/conformance", "-count=1", "-run", "TestConformance", "-args", "--rerun="+first, "--report-dir="+dir)
	if r.code == 0 || !strings.Contains(r.stdout, "graphconform rerun of "+first) {
		t.Fatalf("suite rerun against the mutant: %s", r)
	}
	run := readRun(t, dir)
	if got := specIDs(run); !slices.Equal(got, failed) {
		t.Errorf("the suite's rerun ran %d specs, want the %d that failed", len(got), len(failed))
	}
	if !strings.HasPrefix(run.Selection, "rerun of ") || len(run.CommandLine) == 0 || !slices.Contains(run.CommandLine, "--rerun="+first) || len(run.Personas) == 0 {
		t.Errorf("suite report: selection %q, command line %q, %d personas", run.Selection, run.CommandLine, len(run.Personas))
	}
}

// rerunMutant is the mutant the rerun tests run: it fails some specs of a MUST, not all.
const rerunMutant = "auth-002-no-challenge"

// mutantRun runs the built binary against rerunMutant and returns the report directory.
func mutantRun(t *testing.T, bin, tmp string) string {
	t.Helper()
	dir := filepath.Join(tmp, "first")
	if r := exe(t, tmp, nil, bin, "run", "--mutant", rerunMutant, "--report-dir", dir); r.code != exitFail {
		t.Fatalf("the mutant's run: want exit 1, got %s", r)
	}
	return dir
}
