package runner

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/graphconform/graphconform/report"
	"github.com/graphconform/graphconform/verdict"
)

// rewrite changes one verdict of a report.json the way a hand-edited or foreign report would.
func rewrite(t *testing.T, path string, change func(v map[string]any)) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	change(doc["verdicts"].([]any)[0].(map[string]any))
	out := filepath.Join(t.TempDir(), "report.json")
	b, err = json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return out
}

// The built binary refuses a report with an outcome it does not know, or a blocking flag its
// outcome and level contradict: exit 2, one line naming the file and the JSON pointer, no merged
// report. Before report.json had a schema, each of these merged into gate PASS.
func TestMergeRefusesUnknownOutcomes(t *testing.T) {
	t.Parallel()
	bin := graphconformBinary(t)
	good := shardFile(t, "", "aa", verdict.Pass, "DISC-001")
	out := filepath.Join(t.TempDir(), "merged")
	if r := exe(t, "", nil, bin, "merge", "-o", out, good); r.code != exitOK || !strings.Contains(r.stdout, "graphconform gate: PASS") {
		t.Fatalf("the unchanged report does not merge to PASS: %s", r)
	}
	for _, tc := range []struct {
		name    string
		change  func(v map[string]any)
		pointer string
		want    string
	}{
		{"FAIL", func(v map[string]any) { v["outcome"], v["blocking"] = "FAIL", true }, "/verdicts/0/outcome", `"FAIL" is not one of`},
		{"empty", func(v map[string]any) { v["outcome"], v["blocking"] = "", true }, "/verdicts/0/outcome", `"" is not one of`},
		{"error", func(v map[string]any) { v["outcome"], v["blocking"] = "error", true }, "/verdicts/0/outcome", `"error" is not one of`},
		{"blocking pass", func(v map[string]any) { v["blocking"] = true }, "/verdicts/0/blocking", "only a failed verdict can block"},
		{"non-blocking MUST failure", func(v map[string]any) { v["outcome"] = "fail" }, "/verdicts/0/blocking", "false on a failed MUST"},
		{"unknown field", func(v map[string]any) { v["severity"] = "low" }, "/verdicts/0/severity", "unknown field"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := rewrite(t, good, tc.change)
			dir := filepath.Join(t.TempDir(), "merged")
			r := exe(t, "", nil, bin, "merge", "-o", dir, bad)
			if r.code != exitConfig || strings.Contains(r.stdout, "PASS") {
				t.Fatalf("exit %d, want 2 and no gate\n%s", r.code, r)
			}
			oneLine(t, r, "merge: "+bad+": "+tc.pointer+": ")
			oneLine(t, r, tc.want)
			if _, err := os.Stat(filepath.Join(dir, report.JSONFile)); err == nil {
				t.Error("a refused merge wrote a report")
			}
		})
	}
}

// graphconform schema report prints the schema merge applies: the file docs/usage.md links.
func TestSchemaCommand(t *testing.T) {
	t.Parallel()
	want, err := os.ReadFile(filepath.Join(moduleRoot(t), "report", "report.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	r := exe(t, "", nil, graphconformBinary(t), "schema", "report")
	if r.code != exitOK || !bytes.Equal([]byte(r.stdout), want) {
		t.Errorf("graphconform schema report: exit %d, %d bytes, want the %d bytes of report/report.schema.json", r.code, len(r.stdout), len(want))
	}
	if r := inProcess("schema", "junit"); r.code != exitUsage {
		t.Errorf("an unknown schema: %s", r)
	}
	oneLine(t, inProcess("schema"), "graphconform schema report")
}
