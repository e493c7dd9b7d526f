package runner

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/graphconform/graphconform/fixtures/mock"
)

// The documented commands are the built binary and make targets, never `go run` (which turns every
// failing exit code into 1). These tests run exactly those.

var (
	binOnce sync.Once
	binDir  string
	binPath string
	binErr  error
)

// moduleRoot is the repository root: the runner package's parent.
func moduleRoot(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Dir(wd)
}

// graphconformBinary builds bin/graphconform once per test process, into a temporary directory.
func graphconformBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "graphconform-runner-bin-")
		if binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "graphconform")
		out, err := exec.Command("go", "build", "-o", binPath, "../cmd/graphconform").CombinedOutput()
		if err != nil {
			binErr = errors.New("go build: " + err.Error() + "\n" + string(out))
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// removeBinary is called by TestMain after the tests.
func removeBinary() {
	if binDir != "" {
		os.RemoveAll(binDir)
	}
}

// exe runs argv (a built binary, make) in dir with the test's clean environment plus env.
func exe(t *testing.T, dir string, env []string, argv ...string) result {
	t.Helper()
	return runCmd(t, dir, cleanEnv(env...), argv...)
}

// cleanEnv is childEnv without the marker that makes the test binary act as graphconform, and
// without an outer make's settings (make test runs these tests; a nested make must not inherit its
// jobserver).
func cleanEnv(extra ...string) []string {
	var env []string
	for _, kv := range childEnv() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case envChild, "MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES":
			continue
		}
		env = append(env, kv)
	}
	return append(env, extra...)
}

// recorder is a loopback reference mock that counts the requests it receives: proof of which
// target a run used.
func recorder(t *testing.T) (string, *atomic.Int32) {
	t.Helper()
	m, err := mock.New(mock.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		m.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/v1.0", &n
}

// unreachableConfig is a config whose target refuses connections.
func unreachableConfig(t *testing.T) string {
	t.Helper()
	return writeFile(t, "unreachable.yaml", mockConfig("http://127.0.0.1:1/v1.0", "current", "nothing", false))
}

// The built binary delivers 0, 1 and 2 exactly as README and docs/usage.md document them.
func TestBinaryExitCodes(t *testing.T) {
	t.Parallel()
	bin := graphconformBinary(t)
	for _, tc := range []struct {
		name string
		env  []string
		args []string
		code int
		want string
	}{
		{"reference mock", nil, []string{"run"}, exitOK, "graphconform gate: PASS"},
		{"a mutant of a MUST", nil, []string{"run", "--mutant", "auth-002-no-challenge"}, exitFail, "graphconform gate: FAIL"},
		{"a mutant named by GRAPHCONFORM_MUTANT", []string{"GRAPHCONFORM_MUTANT=auth-002-no-challenge"}, []string{"run"}, exitFail, "graphconform gate: FAIL"},
		{"unreachable target", nil, []string{"run", "--config", unreachableConfig(t)}, exitConfig, "is unreachable"},
		{"bad flag", nil, []string{"run", "--no-such-flag"}, exitUsage, "flag provided but not defined"},
		{"bad variable", []string{"GRAPHCONFORM_STRICT=maybe"}, []string{"run"}, exitConfig, `GRAPHCONFORM_STRICT="maybe": not a boolean`},
		{"unknown command", nil, []string{"certify"}, exitUsage, `unknown command "certify"`},
		{"requirements", nil, []string{"requirements"}, exitOK, "DISC-001"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := exe(t, t.TempDir(), tc.env, append([]string{bin}, tc.args...)...)
			if r.code != tc.code || !strings.Contains(r.stdout+r.stderr, tc.want) {
				t.Errorf("want exit %d and %q, got %s", tc.code, tc.want, r)
			}
		})
	}
}

// make conformance builds the binary and runs it. make exits 2 for any failing recipe, so a
// failure is 2 whatever graphconform said; the last line says which (docs/usage.md documents
// make conformance as 0 or 2, and the binary for the exact code).
func TestMakeConformanceExitCodes(t *testing.T) {
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("no make on this machine")
	}
	t.Parallel()
	root := moduleRoot(t)
	goCmd := filepath.Join(runtime.GOROOT(), "bin", "go")
	for _, tc := range []struct {
		name string
		env  []string
		vars []string
		code int
		want string
	}{
		{"reference mock", nil, nil, 0, "graphconform gate: PASS"},
		{"a mutant", []string{"GRAPHCONFORM_MUTANT=auth-002-no-challenge"}, nil, 2, "make conformance: graphconform run exited 1: a conformance failure"},
		{"unreachable target", nil, []string{"CONFIG=" + unreachableConfig(t)}, 2, "make conformance: graphconform run exited 2: a usage or configuration error, or an unreachable target"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tmp := t.TempDir()
			// BIN and REPORT_DIR outside the repository: the test leaves the work tree as it found it.
			args := append([]string{"make", "--no-print-directory", "-C", root, "conformance", "GO=" + goCmd,
				"BIN=" + filepath.Join(tmp, "graphconform"), "REPORT_DIR=" + filepath.Join(tmp, "reports")}, tc.vars...)
			r := exe(t, root, tc.env, args...)
			if r.code != tc.code || !strings.Contains(r.stdout+r.stderr, tc.want) {
				t.Errorf("want exit %d and %q, got %s", tc.code, tc.want, r)
			}
			if _, err := os.Stat(filepath.Join(tmp, "reports", "junit.xml")); err != nil {
				t.Errorf("no junit.xml: %v", err)
			}
		})
	}
}

var goRunner = regexp.MustCompile(`go (build|install|run)\b[^\n]*\s\./runner\b`)

// README and docs/usage.md show no command through `go run ./runner`: it loses the exit code that
// the same pages promise.
func TestDocsRunTheBinary(t *testing.T) {
	root := moduleRoot(t)
	for _, doc := range []string{"README.md", "docs/usage.md", "docs/scale.md"} {
		b, err := os.ReadFile(filepath.Join(root, doc))
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			if strings.Contains(line, "go run ./runner") {
				t.Errorf("%s:%d: %s (go run turns exit 2 into 1; show bin/graphconform)", doc, i+1, strings.TrimSpace(line))
			}
			// runner is a library package now: the command is ./cmd/graphconform.
			if m := goRunner.FindString(line); m != "" {
				t.Errorf("%s:%d: %s (the command is ./cmd/graphconform)", doc, i+1, m)
			}
		}
	}
}
