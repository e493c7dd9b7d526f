package bench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/graphconform/graphconform/graphgen"
	"github.com/graphconform/graphconform/spec"
)

// The child's instructions travel in the environment: the ginkgo CLI, which runs the test binary for
// the parallel benchmark, passes the environment through but owns the command line.
const (
	envChild      = "GRAPHCONFORM_BENCH_CHILD"       // suite | phases | floor
	envSpec       = "GRAPHCONFORM_BENCH_SPEC"        // the description file
	envActions    = "GRAPHCONFORM_BENCH_ACTIONS"     // graphgen.ForActions(n): the entity sets the child's mock serves
	envBase       = "GRAPHCONFORM_BENCH_BASE"        // a target to run against instead of an in-process mock
	envOut        = "GRAPHCONFORM_BENCH_OUT"         // where the child writes its phases (JSON)
	envLog        = "GRAPHCONFORM_BENCH_LOG"         // floor: the recorded requests to replay
	envClose      = "GRAPHCONFORM_BENCH_CLOSE"       // floor: "1" opens a connection per request
	envShard      = "GRAPHCONFORM_BENCH_SHARD"       // suite: i/n
	envShare      = "GRAPHCONFORM_BENCH_SHARE"       // suite: "1" shares one entity per operation
	envReports    = "GRAPHCONFORM_BENCH_REPORTS"     // suite: write report.json, junit.xml, report.html here
	envExch       = "GRAPHCONFORM_BENCH_EXCHANGES"   // suite: --exchanges (all or failures)
	envConc       = "GRAPHCONFORM_BENCH_CONCURRENCY" // suite: --concurrency (unset: the default)
	envGinkgo     = "GRAPHCONFORM_BENCH_GINKGO"      // suite: write ginkgo-report.json here, slim
	envGinkgoFull = "GRAPHCONFORM_BENCH_GINKGO_FULL" // suite: "1" writes it full
	envProfile    = "GRAPHCONFORM_BENCH_CPUPROFILE"
	// envHeapProfile: a heap profile written when the suite ends (the largest the heap gets).
	envHeapProfile = "GRAPHCONFORM_BENCH_HEAPPROFILE"
	// envHeapEvery: also write the heap profile every this many seconds while the child runs
	// (PATH.1, PATH.2, ...), to see what the heap holds before the end.
	envHeapEvery = "GRAPHCONFORM_BENCH_HEAPPROFILE_EVERY"
)

// processStart is as early as a child can take the time: process start-up before it is Go runtime
// and package initialisation, a few milliseconds, included in the parent's wall time only.
var processStart = time.Now()

func TestMain(m *testing.M) {
	if mode := os.Getenv(envChild); mode != "" {
		os.Exit(runChild(mode))
	}
	code := m.Run()
	if ginkgoBin != "" { // built by BenchmarkParallel in a directory of its own
		_ = os.RemoveAll(filepath.Dir(ginkgoBin))
	}
	os.Exit(code)
}

// phases is what a child measured, in seconds, plus counts.
type phases struct {
	Load, Select, Build, Prepare, Tree, Run, Replay, Total float64
	Specs, Requests, Cases                                 int
	HeapMiB                                                float64
	Passed                                                 bool
	// InTreeOrder: a serial run executed the specs in registration order (always true in parallel).
	InTreeOrder bool
}

// childRun is one child process: its phases, wall time and peak RSS.
type childRun struct {
	phases
	Wall   time.Duration
	RSSMiB float64
	// CPU is the child's user and system time: on a shared, loaded machine it compares runs
	// better than the wall does.
	CPU    time.Duration
	Output string
}

// execChild execs the test binary (or, with argv, another command such as the ginkgo CLI running it)
// in a child mode and collects what it measured; a failing child fails the benchmark.
func execChild(tb testing.TB, env map[string]string, argv ...string) childRun {
	tb.Helper()
	r, err := spawn(tb.TempDir(), env, argv...)
	if err != nil {
		tb.Fatalf("child %v: %v\n%s", env[envChild], err, r.Output)
	}
	return r
}

// spawn is execChild without the testing.TB, for children run side by side; dir receives the
// child's phases file.
func spawn(dir string, env map[string]string, argv ...string) (childRun, error) {
	out := filepath.Join(dir, "phases.json")
	if len(argv) == 0 {
		argv = []string{os.Args[0], "-test.run=^$"}
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), envOut+"="+out)
	if _, set := env[spec.CacheEnv]; !set {
		cmd.Env = append(cmd.Env, spec.CacheEnv+"=off") // never the user's cache; BenchmarkScale sets one
	}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var buf tailBuffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	start := time.Now()
	err := cmd.Run()
	r := childRun{Wall: time.Since(start)}
	r.Output = buf.String()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.RSSMiB = float64(ru.Maxrss) / 1024 // KiB on Linux
		r.CPU = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	if err != nil {
		return r, err
	}
	data, err := os.ReadFile(out)
	if err == nil {
		err = json.Unmarshal(data, &r.phases)
	}
	return r, err
}

// tailBuffer keeps the last 64 KiB a child prints: Ginkgo prints a mark per spec, 200,000 of them.
type tailBuffer struct{ b []byte }

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if over := len(t.b) - 64<<10; over > 0 {
		t.b = append(t.b[:0], t.b[over:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string { return string(bytes.ToValidUTF8(t.b, nil)) }

// description writes a generated description with n actions (inline permissions, so the fixture
// personas and the reference mock's policy apply to every action) and returns its path.
func description(tb testing.TB, n int) string {
	tb.Helper()
	g := graphgen.ForActions(n)
	g.InlinePermissions = true
	path := filepath.Join(tb.TempDir(), fmt.Sprintf("graph-%d.yaml", n))
	if err := os.WriteFile(path, g.OpenAPI(), 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

// childEnv is the environment of a suite child over a generated description with n actions.
func childEnv(mode, specPath string, n int) map[string]string {
	return map[string]string{envChild: mode, envSpec: specPath, envActions: strconv.Itoa(n)}
}

// mean reports a per-iteration mean as a custom benchmark metric.
func mean(b *testing.B, sum float64, unit string) {
	b.ReportMetric(sum/float64(b.N), unit)
}
