package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

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

// SIGINT while several cases are in flight: the run is INCOMPLETE in every report, never a pass.
func TestInterruptedConcurrentRunIsIncomplete(t *testing.T) {
	t.Parallel()
	target, url := heldTarget(t, specRequests)
	dir := filepath.Join(t.TempDir(), "reports")
	cmd := exec.Command(os.Args[0], "run", "--config", targetConfig(t, url, ""), "--report-dir", dir, "--concurrency", "8")
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
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
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
}
