package reliability

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/graphconform/graphconform/fixtures/mock"
	"github.com/graphconform/graphconform/reliability/faults"
)

// timeout is the per-request timeout the end-to-end configs set (target.timeout).
const timeout = time.Second

// startup bounds what a run costs beyond its own timeouts: process start, Ginkgo, a loaded machine.
const startup = 8 * time.Second

// referenceMock is the reference mock as a handler.
func referenceMock(t *testing.T) http.Handler {
	m, err := mock.New(mock.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestUnreachableTargets: a target that never gives a usable HTTP answer is exit 2 and one line
// naming the target and the fault, within the per-request timeout; no spec runs, none passes.
func TestUnreachableTargets(t *testing.T) {
	t.Parallel()
	ca := faults.NewCA(t)
	_, untrusted := faults.ServeTLS(t, referenceMock(t), ca.Issue(t, "127.0.0.1"))
	_, wrongName := faults.ServeTLS(t, referenceMock(t), ca.Issue(t, "graph.example.com"))
	_, plain := faults.Serve(t, referenceMock(t))
	caDir := t.TempDir()
	caFile := faults.NewCA(t).WriteFile(t, caDir) // another CA: trusted file, wrong issuer
	for _, c := range []struct {
		name, base string
		extra      []string
		want       []string
	}{
		{"connection refused", faults.Refused(t), nil, []string{"cannot connect", "connection refused"}},
		{"DNS failure", faults.Unresolvable, []string{"allowMutation: true"}, []string{"cannot resolve host", "graphconform-target.invalid"}},
		{"accepts, never answers", faults.Hang(t).URL, nil, []string{"no complete answer within 1s (timeout)"}},
		{"headers, then a stalled body", faults.StallBody(t).URL, nil, []string{"(timeout)"}},
		{"reset mid-response", faults.Reset(t).URL, nil, []string{"reading the body of a 200 answer", "reset"}},
		{"reset at once", faults.ResetAtOnce(t).URL, nil, []string{"is unreachable"}},
		{"not HTTP", faults.Garbage(t).URL, nil, []string{"malformed HTTP response"}},
		{"TLS, unknown CA", untrusted, nil, []string{"TLS certificate not trusted", "set target.caFile"}},
		{"TLS, caFile of another CA", untrusted, []string{"caFile: " + caFile}, []string{"TLS certificate not trusted"}},
		{"TLS, certificate for another name", wrongName, []string{"caFile: " + ca.WriteFile(t, t.TempDir())}, []string{"graph.example.com", "caFile cannot fix this"}},
		{"https to a plain HTTP server", "https" + strings.TrimPrefix(plain, "http"), nil, []string{"HTTP response to HTTPS client"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			cfg := config(t, dir, c.base, append([]string{"timeout: 1s"}, c.extra...)...)
			r := run(t, dir, "run", "--config", cfg, "--report-dir", filepath.Join(dir, "reports"))
			r.wantExit(t, 2, timeout+startup)
			r.wantOneLine(t, append([]string{"is unreachable"}, c.want...)...)
			if strings.Contains(r.stdout, "PASS") {
				t.Errorf("stdout claims a pass: %s", r.stdout)
			}
			t.Logf("exit %d in %v: %s", r.code, r.elapsed.Round(time.Millisecond), strings.TrimSpace(r.stderr))
		})
	}
}

// TestTLSWithCAFile: the same untrusted target passes with target.caFile naming its CA.
func TestTLSWithCAFile(t *testing.T) {
	t.Parallel()
	ca := faults.NewCA(t)
	_, base := faults.ServeTLS(t, referenceMock(t), ca.Issue(t, "127.0.0.1", "localhost"))
	dir := t.TempDir()
	ca.WriteFile(t, dir)
	cfg := config(t, dir, base, "timeout: 5s", "caFile: ca.pem") // relative to the config file
	r := run(t, "", "run", "--config", cfg)
	r.wantExit(t, 0, startup+10*time.Second)
	if !strings.Contains(r.stdout, "graphconform gate: PASS") {
		t.Errorf("no PASS gate:\n%s", tail(r.stdout, 2000))
	}
	t.Logf("TLS target with caFile: exit %d in %v", r.code, r.elapsed.Round(time.Millisecond))
}
