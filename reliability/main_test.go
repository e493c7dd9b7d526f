package reliability

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// bin is the graphconform binary TestMain builds once for every test.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "graphconform-reliability-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	bin = filepath.Join(dir, "graphconform")
	build := exec.Command("go", "build", "-o", bin, "./cmd/graphconform")
	build.Dir = ".." // the module root
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building graphconform: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(2)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result is one run of the binary.
type result struct {
	code           int
	stdout, stderr string
	elapsed        time.Duration
	maxRSS         int64 // peak resident memory of the child, bytes
}

// limit is the longest any single run may take before the test calls it hung and kills it.
const limit = 60 * time.Second

// run executes the binary with args in dir (a fresh temporary directory when ""), with colour off.
func run(t *testing.T, dir string, args ...string) result {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	return runIn(t, dir, append([]string{bin}, args...)...)
}

// runIn executes argv in dir, killing it after limit.
func runIn(t *testing.T, dir string, argv ...string) result {
	t.Helper()
	args := argv[1:]
	ctx, cancel := context.WithTimeout(t.Context(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NO_COLOR=1", "CI=true")
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String(), elapsed: time.Since(start), code: -1}
	if ctx.Err() != nil {
		t.Fatalf("graphconform %s hung: killed after %v\nstdout: %s\nstderr: %s", strings.Join(args, " "), limit, r.stdout, r.stderr)
	}
	if cmd.ProcessState != nil {
		r.code = cmd.ProcessState.ExitCode()
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			r.maxRSS = ru.Maxrss << 10 // kilobytes on Linux
		}
	} else if err != nil {
		t.Fatalf("graphconform %s: %v", strings.Join(args, " "), err)
	}
	return r
}

// wantExit checks the exit code. The run's wall time is logged against the bound it is expected
// within, not asserted (a loaded machine can be many times slower): runIn's limit turns a hang
// into a failure.
func (r result) wantExit(t *testing.T, code int, bound time.Duration) {
	t.Helper()
	if r.code != code {
		t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", r.code, code, tail(r.stdout, 3000), r.stderr)
	}
	t.Logf("took %v (expected within %v)", r.elapsed.Round(time.Millisecond), bound)
}

// wantOneLine checks stderr is one "graphconform: ..." line holding every part, with no trace.
func (r result) wantOneLine(t *testing.T, parts ...string) {
	t.Helper()
	msg := strings.TrimSuffix(r.stderr, "\n")
	if strings.Contains(msg, "\n") || !strings.HasPrefix(msg, "graphconform: ") {
		t.Errorf("stderr is not one graphconform: line:\n%s", r.stderr)
	}
	noTrace(t, r.stderr+r.stdout)
	for _, p := range parts {
		if !strings.Contains(msg, p) {
			t.Errorf("stderr %q does not contain %q", msg, p)
		}
	}
}

// noTrace fails on anything that looks like a Go panic or stack trace.
func noTrace(t *testing.T, s string) {
	t.Helper()
	for _, bad := range []string{"goroutine ", "panic:", "runtime error"} {
		if strings.Contains(s, bad) {
			t.Errorf("output holds %q (a stack trace?):\n%s", bad, tail(s, 2000))
		}
	}
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// write creates dir/name with content and returns its path.
func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
