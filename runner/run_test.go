package runner

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/graphconform/graphconform/report"
	"github.com/graphconform/graphconform/requirement"
	"github.com/graphconform/graphconform/verdict"
)

// junitCase is the part of junit.xml CI systems read.
type junitCase struct {
	Name    string    `xml:"name,attr"`
	Failure *struct{} `xml:"failure"`
}

func readJUnit(t *testing.T, path string) []junitCase {
	t.Helper()
	var doc struct {
		Suites []struct {
			Cases []junitCase `xml:"testcase"`
		} `xml:"testsuite"`
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(b, &doc); err != nil || len(doc.Suites) == 0 {
		t.Fatalf("junit.xml: %v", err)
	}
	var cases []junitCase
	for _, s := range doc.Suites { // the gate's suite and the advisory one
		cases = append(cases, s.Cases...)
	}
	return cases
}

func readRun(t *testing.T, dir string) report.Run {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, report.JSONFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	run, err := report.ReadJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	return run
}

// The whole suite against the embedded reference mock: exit 0 and the four reports.
func TestRunEmbeddedMockReports(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "reports")
	r := child(t, nil, "run", "--report-dir", dir)
	if r.code != exitOK || !strings.Contains(r.stdout, "graphconform gate: PASS") {
		t.Fatalf("%s", r)
	}
	t.Logf("graphconform run against the embedded mock: %s wall (child process)", r.took)

	run := readRun(t, dir)
	if run.Tool != "graphconform" || run.Version == "" || len(run.DescriptionSHA256) != 64 || run.Revision != "current" ||
		!strings.HasPrefix(run.Target, "http://127.0.0.1:") || !run.Start.Before(run.End) {
		t.Errorf("report.json header: %+v", run)
	}
	sum := verdict.Summarize(run.Verdicts)
	if !sum.Passed() {
		t.Errorf("report.json gate does not pass: %+v", sum)
	}
	must := map[requirement.ID]bool{}
	for _, v := range run.Verdicts {
		if v.Requirement.Level == requirement.Must && v.Outcome == verdict.Pass {
			must[v.Requirement.ID] = true
		}
	}
	// Rules of shapes the shipped action does not have (parameters, content): plan/generic_test.go.
	shapeOnly := map[requirement.ID]bool{"BODY-001": true, "RESP-001": true}
	for _, q := range requirement.All() {
		if q.Level == requirement.Must && !must[q.ID] && !shapeOnly[q.ID] {
			t.Errorf("MUST %s has no passing verdict against the reference mock", q.ID)
		}
	}

	cases := readJUnit(t, filepath.Join(dir, report.JUnitFile))
	names := map[string]bool{}
	for _, c := range cases {
		id, _, _ := strings.Cut(c.Name, " ")
		names[id] = true
		if c.Failure != nil {
			t.Errorf("junit failure for %s", c.Name)
		}
	}
	for _, q := range requirement.All() {
		if !names[string(q.ID)] {
			t.Errorf("junit.xml has no test case named after %s", q.ID)
		}
	}

	html, _ := os.ReadFile(filepath.Join(dir, report.HTMLFile))
	for _, want := range []string{"<html", "DISC-001", "PASS"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	if strings.Contains(string(html), "<script src") || strings.Contains(string(html), "<link ") {
		t.Error("report.html is not self-contained")
	}

	var gr []types.Report
	b, _ := os.ReadFile(filepath.Join(dir, ginkgoJSONFile))
	if err := json.Unmarshal(b, &gr); err != nil || len(gr) != 1 || !gr[0].SuiteSucceeded || len(gr[0].SpecReports) < 30 {
		t.Errorf("ginkgo report: %v (%d suites)", err, len(gr))
	}
}

// graphconform mock prints a config that graphconform run accepts; a mutant of a MUST fails the
// run (exit 1) with the failure in every report; SIGINT stops the mock cleanly.
func TestRunAgainstMockCommand(t *testing.T) {
	t.Parallel()
	cfg, stop := startMock(t)
	if r := child(t, nil, "run", "--config", cfg); r.code != exitOK {
		t.Fatalf("reference mock: %s", r)
	}
	if r := stop(); r.code != exitOK || !strings.Contains(r.stderr, "mock stopped") || strings.Contains(r.stdout, "eyJ") {
		t.Errorf("mock: %s", r)
	}

	cfg, _ = startMock(t, "--mutant", "auth-002-no-challenge")
	dir := t.TempDir()
	r := child(t, nil, "run", "--config", cfg, "--report-dir", dir)
	if r.code != exitFail || !strings.Contains(r.stdout, "graphconform gate: FAIL") {
		t.Fatalf("mutant: %s", r)
	}
	failed := map[requirement.ID]bool{}
	for _, v := range readRun(t, dir).Verdicts {
		if v.Outcome == verdict.Fail {
			failed[v.Requirement.ID] = true
		}
	}
	if !failed["AUTH-002"] {
		t.Errorf("report.json: AUTH-002 did not fail; failed %v", failed)
	}
	junitFailed := false
	for _, c := range readJUnit(t, filepath.Join(dir, report.JUnitFile)) {
		if c.Name == report.JUnitName("AUTH-002") && c.Failure != nil {
			junitFailed = true
		}
	}
	if !junitFailed {
		t.Error("junit.xml: no failure for AUTH-002")
	}
	if html, _ := os.ReadFile(filepath.Join(dir, report.HTMLFile)); !strings.Contains(string(html), "curl ") {
		t.Error("report.html shows no curl repro for the failure")
	}
}

// SHOULD failures are advisory (exit 0) unless --strict (exit 1).
func TestStrictGate(t *testing.T) {
	t.Parallel()
	cfg, _ := startMock(t, "--mutant", "hdr-001-no-request-id")
	if r := child(t, nil, "run", "--config", cfg); r.code != exitOK || !strings.Contains(r.stdout, "fail (advisory)") {
		t.Errorf("non-strict: %s", r)
	}
	if r := child(t, nil, "run", "--config", cfg, "--strict"); r.code != exitFail {
		t.Errorf("strict: %s", r)
	}
}

// --exchanges failures: failed verdicts keep the exchanges a reader needs, passing ones carry
// none; the default keeps them all (certification evidence). A value it does not know is refused.
func TestExchangesOfFailuresOnly(t *testing.T) {
	t.Parallel()
	cfg, _ := startMock(t, "--mutant", "hdr-001-no-request-id")
	count := func(args ...string) (passWith, pass, failWith, fail int) {
		dir := t.TempDir()
		r := child(t, nil, append([]string{"run", "--config", cfg, "--strict", "--report-dir", dir}, args...)...)
		if r.code != exitFail {
			t.Fatalf("%v: %s", args, r)
		}
		for _, v := range readRun(t, dir).Verdicts {
			switch v.Outcome {
			case verdict.Pass:
				pass++
				passWith += min(len(v.Exchanges), 1)
			case verdict.Fail:
				fail++
				failWith += min(len(v.Exchanges), 1)
			}
		}
		return passWith, pass, failWith, fail
	}
	if pw, p, fw, f := count(); pw != 0 || fw != f || p == 0 || f == 0 {
		t.Errorf("default: %d of %d passes and %d of %d failures carry exchanges, want none and all", pw, p, fw, f)
	}
	if pw, p, fw, f := count("--exchanges", "all"); pw != p || fw != f || p == 0 || f == 0 {
		t.Errorf("all: %d of %d passes and %d of %d failures carry exchanges, want all", pw, p, fw, f)
	}
	if pw, p, fw, f := count("--exchanges", "failures"); pw != 0 || fw != f || p == 0 || f == 0 {
		t.Errorf("failures: %d of %d passes and %d of %d failures carry exchanges, want none and all", pw, p, fw, f)
	}
	if r := child(t, nil, "run", "--config", cfg, "--exchanges", "some"); r.code != exitConfig || !strings.Contains(r.stderr, `--exchanges "some": want all or failures`) {
		t.Errorf("unknown value: %s", r)
	}
}
