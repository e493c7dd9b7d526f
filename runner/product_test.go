package runner

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/graphconform/graphconform/report"
)

// report.json says what was certified and how, through the built binary: the config's product
// section, the personas (names, account kinds, permissions, sorted), the command line and the
// selection. A token given in a GRAPHCONFORM_* variable and on the command line appears in none
// of the reports, nor on the console.
func TestBinaryReportProductAndCommandLine(t *testing.T) {
	t.Parallel()
	bin := graphconformBinary(t)
	tmp := t.TempDir()
	token := distinctive(t, "gcsecret-reader-")
	cfg := writeFile(t, "c.yaml", "product:\n  vendor: Contoso\n  product: Contoso Graph Gateway\n  version: 2.4.1\n  contact: conformance@contoso.example\n"+
		"personas:\n"+
		"  - {name: reader, account: work, permissions: [DeviceManagementServiceConfig.Read.All], token: '${GRAPHCONFORM_TEST_READER_TOKEN}'}\n"+
		"  - {name: admin, account: work, permissions: [DeviceManagementServiceConfig.ReadWrite.All], mint: true}\n")
	const op = "deviceManagement.remoteAssistancePartners.remoteAssistancePartner.disconnect"
	dir := filepath.Join(tmp, "reports")
	args := []string{bin, "run", "--config", cfg, "--report-dir", dir, "--operation", op + "," + token}
	r := exe(t, tmp, []string{"GRAPHCONFORM_TEST_READER_TOKEN=" + token}, args...)
	if r.code != exitOK && r.code != exitFail { // the mock refuses the reader's opaque token: a failure, judged
		t.Fatalf("run: %s", r)
	}
	run := readRun(t, dir)
	if want := (report.Product{Vendor: "Contoso", Name: "Contoso Graph Gateway", Version: "2.4.1", Contact: "conformance@contoso.example"}); run.Product == nil || *run.Product != want {
		t.Errorf("product %+v, want %+v", run.Product, want)
	}
	wantPersonas := []report.PersonaInfo{
		{Name: "admin", Account: "work", Permissions: []string{"DeviceManagementServiceConfig.ReadWrite.All"}},
		{Name: "reader", Account: "work", Permissions: []string{"DeviceManagementServiceConfig.Read.All"}},
	}
	if !reflect.DeepEqual(run.Personas, wantPersonas) {
		t.Errorf("personas %+v, want %+v", run.Personas, wantPersonas)
	}
	wantArgs := append(append([]string(nil), args[:len(args)-1]...), op+",<redacted>")
	if !reflect.DeepEqual(run.CommandLine, wantArgs) {
		t.Errorf("command line\n got %q\nwant %q", run.CommandLine, wantArgs)
	}
	if !strings.HasPrefix(run.Selection, "operationId="+op+" or operationId=<redacted>") || strings.Contains(run.Selection, token) {
		t.Errorf("selection %q", run.Selection)
	}
	outputs := reportTexts(t, dir)
	outputs["stdout"], outputs["stderr"] = r.stdout, r.stderr
	for name, text := range outputs {
		if leaksPart(text, token) {
			t.Errorf("%s contains part of the token", name)
		}
	}
	if !strings.Contains(outputs[report.JSONFile], `"commandLine"`) {
		t.Error("report.json has no commandLine: the check above proves nothing")
	}
}

// reportTexts are the files of a report directory by name; it holds report.json at least.
func reportTexts(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = string(b)
	}
	if _, ok := out[report.JSONFile]; !ok {
		t.Fatalf("%s holds no %s", dir, report.JSONFile)
	}
	return out
}

// leaksPart tells whether text holds any 16 characters of the secret's random part (after its
// last "-"), at every 8th offset: a truncated or altered secret leaks too.
func leaksPart(text, secret string) bool {
	random := secret[strings.LastIndex(secret, "-")+1:]
	for i := 0; i+16 <= len(random); i += 8 {
		if strings.Contains(text, random[i:i+16]) {
			return true
		}
	}
	return false
}
