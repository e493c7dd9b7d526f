package bench

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/graphconform/graphconform/internal/msgraphdata"
	"github.com/graphconform/graphconform/spec"
)

// BenchmarkV1Surface is the whole of Microsoft's published v1.0 description, every operation the
// suite builds, run strict against the embedded mock of that description with per-contract personas,
// an entity per spec (isolated), failures' exchanges only: load + build + run in one process, as
// `graphconform run --spec openapi-v1.0.yaml.gz --permissions permissions.json.gz --strict` does.
// It reports the wall, the peak RSS, the operations built and exercised, and the specs by outcome;
// the figures go to bench/RESULTS.md. A run that is not green is an error: the reference mock must
// pass every built operation.
func BenchmarkV1Surface(b *testing.B) {
	dir, err := msgraphdata.Dir()
	if err != nil {
		b.Skip(err)
	}
	bin := filepath.Join(b.TempDir(), "graphconform")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/graphconform/graphconform/cmd/graphconform").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	for b.Loop() {
		reports := b.TempDir()
		cmd := exec.Command(bin, "run", "--spec", filepath.Join(dir, msgraphdata.OpenAPIFile),
			"--permissions", filepath.Join(dir, msgraphdata.PermissionsFile), "--strict",
			"--exchanges", "failures", "--ginkgo-report", "none", "--report-dir", reports)
		cmd.Env = append(os.Environ(), spec.CacheEnv+"=off") // a cold load: the parse is part of the figure
		var out tailBuffer
		cmd.Stdout, cmd.Stderr = &out, &out
		start := time.Now()
		err := cmd.Run()
		wall := time.Since(start)
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			b.Fatal(err)
		}
		s, rerr := surface(filepath.Join(reports, "report.json"))
		if rerr != nil {
			b.Fatalf("%v\n%s", rerr, out.String())
		}
		if err != nil || s.failed > 0 {
			b.Errorf("the reference mock of v1.0 is not green (%v): %d specs failed on %d operations, e.g. %s", err, s.failed, len(s.failedOps), s.firstFailed)
		}
		b.ReportMetric(wall.Seconds(), "s/run")
		rss := 0.0
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			rss = float64(ru.Maxrss) / 1024
			b.ReportMetric(rss, "MiB-peak-RSS")
		}
		b.Logf("load + build + run: %.1f s wall, %.0f MiB peak RSS", wall.Seconds(), rss)
		b.ReportMetric(float64(s.operations), "operations-built")
		b.ReportMetric(float64(s.exercised), "operations-exercised")
		b.ReportMetric(float64(s.passed), "specs-passed")
		b.ReportMetric(float64(s.failed), "specs-failed")
		b.ReportMetric(float64(s.skipped), "specs-skipped")
		b.Logf("%d operations built, %d exercised (a passing spec); specs: %d passed, %d failed, %d skipped, %d not applicable; skipped by reason: %s",
			s.operations, s.exercised, s.passed, s.failed, s.skipped, s.inapplicable, s.skipReasons())
	}
}

// surfaceFigures are what the run's report.json says of the surface.
type surfaceFigures struct {
	operations, exercised                 int
	passed, failed, skipped, inapplicable int
	failedOps                             map[string]bool
	firstFailed                           string
	skips                                 map[string]int
}

func surface(path string) (surfaceFigures, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return surfaceFigures{}, err
	}
	var r struct {
		Verdicts []struct {
			Requirement struct {
				ID string `json:"id"`
			} `json:"requirement"`
			Operation string `json:"operation"`
			Outcome   string `json:"outcome"`
			Message   string `json:"message"`
		} `json:"verdicts"`
	}
	if err := json.Unmarshal(data, &r); err != nil {
		return surfaceFigures{}, fmt.Errorf("%s: %v", path, err)
	}
	s := surfaceFigures{failedOps: map[string]bool{}, skips: map[string]int{}}
	ops, exercised := map[string]bool{}, map[string]bool{}
	for _, v := range r.Verdicts {
		ops[v.Operation] = true
		switch v.Outcome {
		case "pass":
			s.passed++
			exercised[v.Operation] = true
		case "fail":
			s.failed++
			s.failedOps[v.Operation] = true
			if s.firstFailed == "" {
				s.firstFailed = v.Operation + " " + v.Requirement.ID + ": " + v.Message
			}
		case "skip":
			s.skipped++
			s.skips[reasonOf(v.Message)]++
		default:
			s.inapplicable++
		}
	}
	s.operations, s.exercised = len(ops), len(exercised)
	return s, nil
}

// reasonOf is a skip message without its specifics (names, keys), for counting by reason.
func reasonOf(msg string) string {
	for _, cut := range []string{":", " {", " ("} {
		if i := strings.Index(msg, cut); i > 0 {
			msg = msg[:i]
		}
	}
	return msg
}

func (s surfaceFigures) skipReasons() string {
	var keys []string
	for k := range s.skips {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return s.skips[keys[i]] > s.skips[keys[j]] })
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%d %q", s.skips[k], k))
	}
	return strings.Join(parts, ", ")
}
