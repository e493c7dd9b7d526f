package runner

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/graphconform/graphconform/config"
	"github.com/graphconform/graphconform/fixtures/mock"
)

const adminPersona = "  - {name: admin, account: work, permissions: [DeviceManagementServiceConfig.ReadWrite.All], mint: true}\n"

// countingListener accepts TCP connections on loopback and counts them: any traffic at all.
func countingListener(t *testing.T) (string, *atomic.Int32) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var n atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			n.Add(1)
			c.Close()
		}
	}()
	t.Cleanup(func() { ln.Close() })
	return ln.Addr().String(), &n
}

// A dry run lists every request, with method, URL and persona, and sends nothing: not to the
// target, not to the token endpoint of a clientCredentials persona.
func TestDryRunSendsNothing(t *testing.T) {
	addr, conns := countingListener(t)
	var tokenCalls atomic.Int32
	tokens := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { tokenCalls.Add(1) }))
	defer tokens.Close()
	cfg := writeFile(t, "c.yaml", "target:\n  baseURL: http://"+addr+"/v1.0\npersonas:\n"+adminPersona+
		"  - {name: reader, account: work, permissions: [DeviceManagementServiceConfig.Read.All], mint: true}\n"+
		"  - name: app\n    account: application\n    permissions: [DeviceManagementServiceConfig.ReadWrite.All]\n"+
		"    clientCredentials: {clientId: c, clientSecret: q9DryRunSecretValue, tokenURL: '"+tokens.URL+"/token'}\n")
	r := inProcess("run", "--config", cfg, "--dry-run")
	if r.code != exitOK {
		t.Fatalf("%s", r)
	}
	if conns.Load() != 0 || tokenCalls.Load() != 0 {
		t.Fatalf("a dry run made %d connections to the target and %d token requests", conns.Load(), tokenCalls.Load())
	}
	base := "http://" + addr + "/v1.0/deviceManagement/remoteAssistancePartners"
	for _, want := range []string{
		"nothing was sent",
		"    POST    " + base + "  as admin\n",
		"    POST    " + base + "/dry-run-partner/disconnect  as admin\n",
		"    POST    " + base + "/dry-run-partner/disconnect  as reader\n",
		"    POST    " + base + "/dry-run-partner/disconnect  as app\n",
		"    DELETE  " + base + "/dry-run-partner  as admin\n",
		"    POST    " + base + "/dry-run-partner/disconnect  as admin (raw connection)\n",
		"as (no Authorization header)", "as (forged credential)",
		"  DISC-001 [MUST] ",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("dry-run output lacks %q", want)
		}
	}
	if strings.Contains(r.stdout, "eyJ") || strings.Contains(r.stdout, config.OfflineToken) || strings.Contains(r.stdout, "q9DryRunSecretValue") {
		t.Errorf("a credential leaked into the dry-run output:\n%s", r.stdout)
	}
	t.Logf("dry run: %d output lines in %s", strings.Count(r.stdout, "\n"), r.took)

	// A remote target that has not opted in can be previewed (nothing is sent), with a reminder.
	remote := writeFile(t, "remote.yaml", "target:\n  baseURL: https://graph.example.invalid/v1.0\npersonas:\n"+adminPersona)
	r = inProcess("run", "--config", remote, "--dry-run", "--label-filter", "DISC-001")
	if r.code != exitOK || !strings.Contains(r.stdout, "needs target.allowMutation: true") ||
		!strings.Contains(r.stdout, "POST    https://graph.example.invalid/v1.0/deviceManagement/remoteAssistancePartners/dry-run-partner/disconnect  as admin") {
		t.Errorf("remote dry run: %s", r)
	}
}

// The mutation guard: a non-loopback target without allowMutation is exit 2 and no request leaves
// the process. The "target" is reached through HTTP_PROXY, a loopback server that sees anything
// sent; the second run (allowMutation: true) shows that route does carry traffic.
func TestMutationGuard(t *testing.T) {
	t.Parallel()
	var seen atomic.Int32
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"error":{"code":"NotFound","message":"proxy"}}`))
	}))
	defer proxy.Close()
	env := []string{"HTTP_PROXY=" + proxy.URL}
	target := "target:\n  baseURL: http://conformance.example.test/v1.0\n"

	guarded := writeFile(t, "guarded.yaml", target+"personas:\n"+adminPersona)
	r := child(t, env, "run", "--config", guarded)
	if r.code != exitConfig || seen.Load() != 0 {
		t.Fatalf("exit %d, %d requests reached the target: %s", r.code, seen.Load(), r)
	}
	oneLine(t, r, "target conformance.example.test is not a loopback address")
	oneLine(t, r, "set target.allowMutation: true")

	allowed := writeFile(t, "allowed.yaml", target+"  allowMutation: true\npersonas:\n"+adminPersona)
	r = child(t, env, "run", "--config", allowed, "--label-filter", "DISC-001")
	if seen.Load() == 0 {
		t.Fatalf("with allowMutation the proxy saw nothing, so the first check proved nothing: %s", r)
	}
	if r.code != exitFail {
		t.Errorf("a target answering 404 to everything must fail DISC-001: %s", r)
	}
}

// throttled serves the reference mock, answering POST .../disconnect with 429 and Retry-After
// while limit allows (limit < 0: always).
func throttled(t *testing.T, retryAfter string, limit int32) (string, *atomic.Int32) {
	t.Helper()
	m, err := mock.New(mock.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var n atomic.Int32
	srv, err := mock.Start(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/disconnect") {
			if c := n.Add(1); limit < 0 || c <= limit {
				w.Header().Set("Retry-After", retryAfter)
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusTooManyRequests)
				_, _ = w.Write([]byte(`{"error":{"code":"TooManyRequests","message":"throttled"}}`))
				return
			}
		}
		m.ServeHTTP(w, r)
	}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv.URL, &n
}

// A 429 with Retry-After is waited out, not failed.
func TestRetryAfter429(t *testing.T) {
	t.Parallel()
	url, calls := throttled(t, "1", 1)
	cfg := writeFile(t, "c.yaml", "target:\n  baseURL: "+url+"\npersonas:\n"+adminPersona)
	r := child(t, nil, "run", "--config", cfg, "--label-filter", "DISC-001")
	if r.code != exitOK {
		t.Fatalf("%s", r)
	}
	if calls.Load() != 2 || r.took < time.Second {
		t.Errorf("%d disconnect calls in %s; want the 429, a wait of 1 s, then the 204", calls.Load(), r.took)
	}
	t.Logf("throttled once, run took %s", r.took)
}

// A target that always throttles is bounded: target.retry.max waits, each capped at maxWait even
// when Retry-After asks for a minute; then the spec judges the 429.
func TestRetryBounded(t *testing.T) {
	t.Parallel()
	url, calls := throttled(t, "60", -1)
	cfg := writeFile(t, "c.yaml", "target:\n  baseURL: "+url+"\n  retry: {max: 2, maxWait: 1s}\npersonas:\n"+adminPersona)
	r := child(t, nil, "run", "--config", cfg, "--label-filter", "DISC-001")
	if r.code != exitFail {
		t.Fatalf("always throttled must fail the spec: %s", r)
	}
	if calls.Load() != 3 || r.took < 2*time.Second || r.took >= time.Minute { // a minute: one Retry-After not capped
		t.Errorf("%d disconnect calls in %s; want 1 + 2 retries of 1 s each", calls.Load(), r.took)
	}
	t.Logf("always throttled, run took %s", r.took)
}
