package runner

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// envChild makes the test binary act as the graphconform binary: Ginkgo runs one suite per
// process, so every test that runs the suite execs a child.
const envChild = "GRAPHCONFORM_RUNNER_TEST_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(envChild) == "1" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	code := m.Run()
	removeBinary()
	os.Exit(code)
}

// result is what one graphconform invocation produced.
type result struct {
	code           int
	stdout, stderr string
	took           time.Duration
}

func (r result) String() string {
	return "exit " + strconv.Itoa(r.code) + "\n--- stdout\n" + r.stdout + "\n--- stderr\n" + r.stderr
}

// childEnv is the test's environment without anything that would change a run behind its back.
func childEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(k, "GRAPHCONFORM_"), strings.EqualFold(k, "HTTP_PROXY"), strings.EqualFold(k, "HTTPS_PROXY"),
			strings.EqualFold(k, "NO_PROXY"), k == "CI":
			continue
		}
		env = append(env, kv)
	}
	return append(append(env, envChild+"=1", "NO_COLOR=1"), extra...)
}

// child runs graphconform in a new process.
func child(t *testing.T, env []string, args ...string) result {
	t.Helper()
	return runCmd(t, "", childEnv(env...), append([]string{os.Args[0]}, args...)...)
}

// runCmd runs argv in dir ("" for this one) with exactly env, and returns its exact exit code.
func runCmd(t *testing.T, dir string, env []string, argv ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String(), took: time.Since(start)}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		t.Fatalf("%v: %v", argv, err)
	}
	return r
}

// inProcess runs graphconform in this process: only for paths that never reach RunSpecs.
func inProcess(args ...string) result {
	var out, errb bytes.Buffer
	start := time.Now()
	code := run(args, &out, &errb)
	return result{code: code, stdout: out.String(), stderr: errb.String(), took: time.Since(start)}
}

// startMock starts "graphconform mock" in a child and returns the config it wrote and a stop
// function that sends SIGINT and returns the child's result.
func startMock(t *testing.T, args ...string) (string, func() result) {
	t.Helper()
	cfg := filepath.Join(t.TempDir(), "mock.yaml")
	cmd := exec.Command(os.Args[0], append([]string{"mock", "--addr", "127.0.0.1:0", "--write-config", cfg}, args...)...)
	cmd.Env = childEnv()
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	stopped := false
	stop := func() result {
		if !stopped {
			stopped = true
			_ = cmd.Process.Signal(syscall.SIGINT)
		}
		err := <-done
		r := result{stdout: out.String(), stderr: errb.String()}
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			r.code = ee.ExitCode()
		}
		return r
	}
	t.Cleanup(func() {
		if !stopped {
			stop()
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for {
		if _, err := os.Stat(cfg); err == nil {
			return cfg, stop
		}
		select {
		case err := <-done:
			t.Fatalf("mock exited early: %v\n%s", err, errb.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("mock did not write its config in 20 s")
		}
	}
}

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// oneLine asserts a failure was reported as exactly one line on stderr.
func oneLine(t *testing.T, r result, want string) {
	t.Helper()
	if strings.Count(strings.TrimRight(r.stderr, "\n"), "\n") != 0 || !strings.Contains(r.stderr, want) {
		t.Errorf("want one stderr line containing %q, got:\n%s", want, r)
	}
}
