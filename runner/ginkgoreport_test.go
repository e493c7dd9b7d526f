package runner

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"
)

// ginkgo-report.json is slim by default (every spec, no verdict entries), full on request, and
// absent with none; report.json has the verdicts in every case.
func TestGinkgoReportModes(t *testing.T) {
	t.Parallel()
	sizes := map[string]int64{}
	for _, mode := range []string{"", "full", "none"} {
		dir := filepath.Join(t.TempDir(), "reports")
		args := []string{"run", "--report-dir", dir}
		if mode != "" {
			args = append(args, "--ginkgo-report", mode)
		}
		r := child(t, nil, args...)
		if r.code != exitOK {
			t.Fatalf("--ginkgo-report %q: %s", mode, r)
		}
		if run := readRun(t, dir); len(run.Verdicts) < 41 {
			t.Errorf("--ginkgo-report %q: report.json has %d verdicts", mode, len(run.Verdicts))
		}
		path := filepath.Join(dir, ginkgoJSONFile)
		b, err := os.ReadFile(path)
		if mode == "none" {
			if err == nil || strings.Contains(r.stdout, ginkgoJSONFile) {
				t.Errorf("--ginkgo-report none wrote or named %s", ginkgoJSONFile)
			}
			continue
		}
		var gr []types.Report
		if err := json.Unmarshal(b, &gr); err != nil || len(gr) != 1 || !gr[0].SuiteSucceeded || len(gr[0].SpecReports) < 41 {
			t.Fatalf("--ginkgo-report %q: %v (%d suites)", mode, err, len(gr))
		}
		entries := 0
		for _, sr := range gr[0].SpecReports {
			entries += len(sr.ReportEntries)
		}
		if (mode == "full") != (entries > 0) {
			t.Errorf("--ginkgo-report %q: %d report entries", mode, entries)
		}
		sizes[mode] = int64(len(b))
	}
	if sizes[""] >= sizes["full"] {
		t.Errorf("slim %d bytes, full %d", sizes[""], sizes["full"])
	}
	t.Logf("ginkgo-report.json: slim %d bytes, full %d", sizes[""], sizes["full"])
}
