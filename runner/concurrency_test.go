package runner

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/graphconform/graphconform/report"
)

// verdictLines are a run's verdicts as "requirement | case | outcome", in report order.
func verdictLines(run report.Run) []string {
	var out []string
	for _, v := range run.Verdicts {
		out = append(out, fmt.Sprintf("%s | %s | %s | %s", v.Requirement.ID, v.Operation, v.Case, v.Outcome))
	}
	return out
}

// The built binary with --concurrency 8 judges the embedded mock exactly as a serial run does: the
// same verdicts in the same order, and the same requirement statuses, with an entity per case and
// with --share-entities (where the effect case runs alone on the shared entity).
func TestConcurrentRunSameVerdicts(t *testing.T) {
	t.Parallel()
	bin := graphconformBinary(t)
	for _, extra := range [][]string{nil, {"--share-entities"}} {
		t.Run(strings.Join(append([]string{"entities"}, extra...), " "), func(t *testing.T) {
			runs := map[int]report.Run{}
			for _, n := range []int{1, 8} {
				dir := filepath.Join(t.TempDir(), "reports")
				args := append([]string{bin, "run", "--concurrency", fmt.Sprint(n), "--report-dir", dir}, extra...)
				r := exe(t, "", nil, args...)
				if r.code != exitOK || !strings.Contains(r.stdout, "graphconform gate: PASS") {
					t.Fatalf("--concurrency %d: %s", n, r)
				}
				runs[n] = readRun(t, dir)
				if th := runs[n].Throttling; th == nil || th.Concurrency != n || th.Answers != 0 {
					t.Errorf("--concurrency %d: report.json throttling %+v", n, th)
				}
				if pacing := strings.Contains(r.stdout, "pacing: up to 8 cases at once"); pacing != (n == 8) {
					t.Errorf("--concurrency %d: pacing line %v:\n%s", n, pacing, r.stdout)
				}
			}
			serial, conc := verdictLines(runs[1]), verdictLines(runs[8])
			if len(serial) < 41 || strings.Join(serial, "\n") != strings.Join(conc, "\n") {
				t.Errorf("verdicts differ:\nserial (%d):\n%s\n--concurrency 8 (%d):\n%s", len(serial), strings.Join(serial, "\n"), len(conc), strings.Join(conc, "\n"))
			}
			if a, b := report.Text(runs[1]), report.Text(runs[8]); a != b {
				t.Errorf("requirement tables differ:\n%s\n%s", a, b)
			}
		})
	}
}
