package runner

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/graphconform/graphconform/internal/msgraphdata"
	"github.com/graphconform/graphconform/spec"
	"github.com/graphconform/graphconform/verdict"
)

// operationsJSON runs `graphconform operations --json` in this process.
func operationsJSON(t *testing.T, args ...string) operationsDoc {
	t.Helper()
	r := inProcess(append([]string{"operations", "--json"}, args...)...)
	if r.code != exitOK {
		t.Fatalf("%s", r)
	}
	var doc operationsDoc
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("operations --json: %v\n%s", err, r.stdout)
	}
	return doc
}

func byID(doc operationsDoc) map[string]operationRow {
	out := map[string]operationRow{}
	for _, r := range doc.Operations {
		out[r.OperationID] = r
	}
	return out
}

func TestOperations(t *testing.T) {
	// The shipped description: its one action, built.
	r := inProcess("operations")
	if r.code != exitOK {
		t.Fatalf("%s", r)
	}
	for _, want := range []string{
		"OPERATION  ", disconnectID + "  action  POST    /deviceManagement/remoteAssistancePartners/{remoteAssistancePartner-id}/disconnect  bound action, no body, 204  yes\n",
		"1 operations listed, 1 built.\naction: 1, 1 with a contract, 1 built (1 bound action, no body, 204)\n",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("operations lacks %q:\n%s", want, r.stdout)
		}
	}

	// Microsoft's fragment: every operation listed; without permissions nothing is built, and the
	// reason says whether a permissions file would help.
	doc := operationsJSON(t, "--spec", partnersFragment)
	rows := byID(doc)
	if len(doc.Operations) != 8 || doc.Summary.Built != 0 {
		t.Fatalf("%d operations, %d built; want 8, none built", len(doc.Operations), doc.Summary.Built)
	}
	if r := rows[disconnectID]; r.Built || r.Reason != spec.ReasonNoPermissions || r.Contract || r.Shape != "bound action, no body, 204" {
		t.Errorf("disconnect without permissions: %+v", r)
	}
	if r := rows["deviceManagement.ListRemoteAssistancePartners"]; r.Built || r.Reason != spec.ReasonNotAction || r.Kind != "operation" {
		t.Errorf("list: %+v", r)
	}
	doc = operationsJSON(t, "--spec", partnersFragment, "--permissions", partnersPerms)
	rows = byID(doc)
	if !rows[disconnectID].Built || !rows[beginOnboardID].Built || doc.Summary.Built != 2 {
		t.Errorf("with permissions: %+v", doc.Summary)
	}
	if k := doc.Summary.ByKind["operation"]; k.Operations != 5 || k.Built != 0 || k.ByReason[spec.ReasonNotAction] != 5 {
		t.Errorf("entity operations: %+v", k)
	}
	if k := doc.Summary.ByKind["-"]; k.Operations != 1 || k.ByReason[spec.ReasonNotAction] != 1 { // $count has no operation type
		t.Errorf("operations without a kind: %+v", k)
	}

	// A selection lists only what it selects.
	doc = operationsJSON(t, "--spec", partnersFragment, "--permissions", partnersPerms, "--operation", beginOnboardID, "--unbuilt")
	if len(doc.Operations) != 0 {
		t.Errorf("--unbuilt of a built selection: %+v", doc.Operations)
	}
	doc = operationsJSON(t, "--spec", partnersFragment, "--path", "/deviceManagement/remoteAssistancePartners/*/*")
	if len(doc.Operations) != 2 || doc.Operations[0].OperationID != beginOnboardID || doc.Operations[1].OperationID != disconnectID {
		t.Errorf("--path: %+v", doc.Operations)
	}
	// A selection that misses one of the descriptions lists the other's.
	doc = operationsJSON(t, "--spec", filepath.Join("..", "spec", "openapi", "disconnect.yaml"), "--spec", partnersFragment, "--operation", beginOnboardID)
	if len(doc.Operations) != 1 || doc.Operations[0].OperationID != beginOnboardID {
		t.Errorf("two descriptions: %+v", doc.Operations)
	}
}

func TestOperationsErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--path", "/deviceManagement/["}, `path selector "/deviceManagement/[" is not a valid glob`},
		{[]string{"--operation", "nothing.here"}, "no operation matches the selection (operationId=nothing.here)"},
		{[]string{"--spec", "missing.yaml"}, "missing.yaml"},
		{[]string{"--permissions", "missing.json"}, "--permissions: permissions file missing.json"},
	} {
		r := inProcess(append([]string{"operations"}, tc.args...)...)
		if r.code != exitConfig {
			t.Errorf("%v: exit %d, want 2: %s", tc.args, r.code, r)
			continue
		}
		oneLine(t, r, tc.want)
	}
	if r := inProcess("operations", "--tag", ""); r.code != exitUsage {
		t.Errorf("an empty --tag: %s", r)
	}
}

// Microsoft's whole v1.0 description: a dry run of a small selection lists what is built and what
// is not, and the run of that selection exercises disconnect and beginOnboarding against the
// embedded mock and reports the rest as not built. The description is parsed once: the child reads
// the dry run's contracts from the contract cache. (What `operations` lists of the whole
// description is spec.Description.AnalyzeAll, checked in spec/msgraph_test.go; the run without a
// selection in suites/conformance/unbuilt_test.go: one parse per package.)
func TestGraphV1(t *testing.T) {
	cache := t.TempDir()
	t.Setenv(spec.CacheEnv, cache)
	file, perms := msgraphdata.WriteFiles(t, t.TempDir())

	sel := []string{"--spec", file, "--permissions", perms, "--path", "/deviceManagement/remoteAssistancePartners/*/*",
		"--path", "/deviceManagement/remoteAssistancePartners"}
	r := inProcess(append([]string{"run", "--dry-run"}, sel...)...)
	if r.code != exitOK {
		t.Fatalf("%s", r)
	}
	for _, want := range []string{
		"\n" + beginOnboardID + " (POST ", "\n" + disconnectID + " (POST ",
		"not built, so not exercised (2 selected operations):\n", " (GET /deviceManagement/remoteAssistancePartners): " + spec.ReasonNotAction,
		" (POST /deviceManagement/remoteAssistancePartners): " + spec.ReasonNotAction,
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("dry run lacks %q", want)
		}
	}

	reports := t.TempDir()
	r = child(t, []string{spec.CacheEnv + "=" + cache}, append([]string{"run", "--report-dir", reports}, sel...)...)
	if r.code != exitOK {
		t.Fatalf("%s", r)
	}
	if !strings.Contains(r.stdout, "graphconform: 2 of 4 selected operations built; 2 operations not built (2 "+spec.ReasonNotAction+")") {
		t.Errorf("no summary line of the unbuilt operation:\n%s", r.stdout)
	}
	run := readRun(t, reports)
	passed := map[string]int{}
	for _, v := range run.Verdicts {
		if v.Outcome == verdict.Pass {
			passed[v.Operation]++
		}
	}
	if passed[disconnectID] == 0 || passed[beginOnboardID] == 0 || len(passed) != 2 {
		t.Errorf("passing verdicts by operation: %v", passed)
	}
	// The collection's list and create are entity operations: selected by the glob, not built.
	if len(run.Unbuilt) != 2 || run.Unbuilt[0].Reason != spec.ReasonNotAction || run.Unbuilt[1].Reason != spec.ReasonNotAction ||
		run.Unbuilt[0].Path != "/deviceManagement/remoteAssistancePartners" {
		t.Fatalf("report.json unbuilt: %+v", run.Unbuilt)
	}
	raw, err := os.ReadFile(filepath.Join(reports, "junit.xml"))
	if err != nil {
		t.Fatal(err)
	}
	var junit struct {
		Suites []struct {
			Name  string `xml:"name,attr"`
			Cases []struct {
				Name    string `xml:"name,attr"`
				Skipped *struct {
					Message string `xml:"message,attr"`
				} `xml:"skipped"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	// Suites: graphconform (what gates), graphconform advisory, not built.
	if err := xml.Unmarshal(raw, &junit); err != nil || len(junit.Suites) != 3 || junit.Suites[2].Name != "not built" ||
		len(junit.Suites[2].Cases) != 2 || junit.Suites[2].Cases[0].Skipped == nil ||
		junit.Suites[2].Cases[0].Skipped.Message != "not built: "+spec.ReasonNotAction || junit.Suites[2].Cases[0].Name != run.Unbuilt[0].OperationID {
		t.Errorf("junit.xml: %v %+v", err, junit.Suites)
	}
	if html, _ := os.ReadFile(filepath.Join(reports, "report.html")); !strings.Contains(string(html), `<td class="mono">`+run.Unbuilt[0].OperationID+`</td>`) {
		t.Error("report.html does not list the unbuilt operation")
	}
}
