package reliability

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/graphconform/graphconform/reliability/faults"
	"github.com/graphconform/graphconform/report"
)

// jwtShaped is any signed compact JWT: header, claims and a signature of some length.
var jwtShaped = regexp.MustCompile(`eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{20,}`)

// tokenEndpoint is an OAuth 2.0 token endpoint that issues tok to clientID/secret, and counts
// the requests that carried the secret (to prove the secret was really used).
func tokenEndpoint(t *testing.T, clientID, secret, tok string, used *atomic.Int64) string {
	srv, _ := faults.Serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ParseForm() != nil || r.PostForm.Get("client_id") != clientID || r.PostForm.Get("client_secret") != secret {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			// Entra-style refusal that (carelessly) quotes the secret it was sent.
			fmt.Fprintf(w, `{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided: %s\r\nTrace ID: 1"}`, r.PostForm.Get("client_secret"))
			return
		}
		used.Add(1)
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": 3600})
	}))
	return srv.URL + "/tenant/oauth2/v2.0/token"
}

// TestNoSecretIsWritten runs the whole suite against a target that echoes every credential it
// receives (error messages, a header, redirect URLs, stray bytes after a 204), with literal tokens
// and a client-credentials persona, and reads every byte the run wrote: stdout, stderr, junit.xml,
// report.json, report.html and Ginkgo's JSON report. Then the same through `go test`.
func TestNoSecretIsWritten(t *testing.T) {
	t.Parallel()
	sec := newLeakScan()
	raw := make([]byte, 16)
	rand.Read(raw)
	clientSecret := "Gc7Z-" + hex.EncodeToString(raw) + "-Q9x" // no word in it: every 8-byte piece is searched for
	sec.add("the client secret", clientSecret)
	literal, app, fetched := sec.fixturePersonas(t)
	var used atomic.Int64
	tokenURL := tokenEndpoint(t, "graphconform-client", clientSecret, fetched, &used)
	_, base := faults.Serve(t, faults.Leaky(referenceMock(t)))

	dir := t.TempDir()
	cfg := write(t, dir, "graphconform.yaml", target(base, "timeout: 5s")+"personas:\n"+literal+
		fmt.Sprintf("  - {name: app, account: application, permissions: [%s], clientCredentials: {clientId: graphconform-client, clientSecret: %s, tokenURL: %q}}\n",
			strings.Join(app.Permissions, ", "), clientSecret, tokenURL))
	_, reports, read := sec.runAndScan(t, dir, cfg, "the leaky target breaks DISC-002", &used)
	dry := run(t, dir, "run", "--config", cfg, "--dry-run")
	read += sec.scan(t, "dry-run stdout", dry.stdout) + sec.scan(t, "dry-run stderr", dry.stderr)
	for _, want := range []string{"X-Echo-Authorization: Bearer <redacted>", "access_token=<redacted>", "you sent Authorization: Bearer <redacted>"} {
		if b, _ := os.ReadFile(filepath.Join(reports, "report.json")); !strings.Contains(string(b), want) {
			t.Errorf("report.json lacks %q: the leak it stands for was not exercised", want)
		}
	}
	t.Logf("binary: %d secrets, %d bytes scanned, none found", sec.secrets, read)

	// A token endpoint that refuses and quotes the secret: exit 2, one line, no secret.
	bad := write(t, dir, "bad-secret.yaml", strings.Replace(string(must(os.ReadFile(cfg))), "clientId: graphconform-client", "clientId: someone-else", 1))
	r := run(t, dir, "run", "--config", bad)
	r.wantExit(t, 2, startup)
	r.wantOneLine(t, "clientCredentials", "invalid_client")
	t.Logf("refused token request: %s", strings.TrimSpace(r.stderr))
	sec.scan(t, "stderr of a refused token request", r.stderr)

	goTestScan(t, sec, cfg)
}

// goTestScan runs the Ginkgo suite through `go test ./suites/... -args` with the same config and
// scans its console output, its JUnit and JSON reports and graphconform's own reports.
func goTestScan(t *testing.T, sec *leakScan, cfg string) {
	if testing.Short() {
		t.Log("-short: the go test leg is skipped")
		return
	}
	out := t.TempDir()
	cmd := []string{"go", "test", "./suites/conformance", "-count=1", "-run", "^TestConformance$", "-v", "-args", "--config=" + cfg, "--report-dir=" + out, "--exchanges=all",
		"--ginkgo.v", "--ginkgo.json-report=" + filepath.Join(out, "ginkgo.json"), "--ginkgo.junit-report=" + filepath.Join(out, "ginkgo-junit.xml")}
	r := runIn(t, "..", cmd...)
	if r.code != 1 || !strings.Contains(r.stdout, "DISC-002") {
		t.Fatalf("go test: exit %d (want 1)\n%s\n%s", r.code, tail(r.stdout, 2000), r.stderr)
	}
	if err := report.ValidateFile(filepath.Join(out, "report.json")); err != nil {
		t.Errorf("the ginkgo path's report.json does not match its schema: %v", err)
	}
	files, n := sec.scanDir(t, out)
	n += sec.scan(t, "go test stdout", r.stdout) + sec.scan(t, "go test stderr", r.stderr)
	t.Logf("go test: %d files and %d bytes scanned in %v, none found", files+2, n, r.elapsed.Round(time.Millisecond))
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

// TestNoSecretLeavesBeforeLocalChecks (issue 11, item 17): every local check of a run (the safety
// refusal of a remote target, the description, the label filter, the shard) and the reachability
// of the target come before the client secret goes to the token endpoint. Each refusal is exit 2
// with the endpoint never called; the same config against a reachable loopback target does call
// it, so "never called" means something.
func TestNoSecretLeavesBeforeLocalChecks(t *testing.T) {
	t.Parallel()
	app, _ := personas(t).Lookup("app")
	fetched := fetchedToken(t, app)
	const clientSecret = "gc-order-secret-7f3a9c"
	var used atomic.Int64
	tokenURL := tokenEndpoint(t, "graphconform-client", clientSecret, fetched, &used)
	_, base := faults.Serve(t, referenceMock(t))
	dir := t.TempDir()
	personasOf := "personas:\n" +
		fmt.Sprintf("  - {name: app, account: application, permissions: [%s], clientCredentials: {clientId: graphconform-client, clientSecret: %s, tokenURL: %q}}\n",
			strings.Join(app.Permissions, ", "), clientSecret, tokenURL)
	remote := write(t, dir, "remote.yaml", target("https://graph.example.invalid/v1.0")+personasOf)
	local := write(t, dir, "local.yaml", target(base, "timeout: 5s")+personasOf)
	refused := write(t, dir, "refused.yaml", target(faults.Refused(t), "timeout: 2s")+personasOf)
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"a remote target without allowMutation", []string{"--config", remote}, "allowMutation"},
		{"a description that does not exist", []string{"--config", local, "--spec", filepath.Join(dir, "missing.yaml")}, "missing.yaml"},
		{"a label filter that selects nothing", []string{"--config", local, "--label-filter", "NOPE-001"}, "selects none"},
		{"a shard that holds nothing", []string{"--config", local, "--shard", "999/999"}, "holds none"},
		{"an unreachable target", []string{"--config", refused}, "unreachable"},
	} {
		before := used.Load()
		r := run(t, dir, append([]string{"run"}, c.args...)...)
		if r.code != 2 {
			t.Errorf("%s: exit %d, want 2\n%s", c.name, r.code, r.stderr)
		}
		r.wantOneLine(t, c.want)
		if n := used.Load() - before; n != 0 {
			t.Errorf("%s: the client secret was sent to the token endpoint %d time(s) before the run was refused", c.name, n)
		}
	}
	r := run(t, dir, "run", "--config", local, "--label-filter", "DISC-001")
	if r.code != 0 || used.Load() != 1 {
		t.Errorf("the control run: exit %d, %d token requests (want 0 and 1)\n%s\n%s", r.code, used.Load(), tail(r.stdout, 2000), r.stderr)
	}
}

// TestShortSecretsAreRefused (issue 11, item 16): a token or client secret too short to be told
// from ordinary text would never be redacted; the config is refused with one line naming the
// persona and the field, and the value is not printed.
func TestShortSecretsAreRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	_, base := faults.Serve(t, referenceMock(t))
	for _, c := range []struct{ name, persona, secret, field string }{
		{"token", "  - {name: shorty, account: work, permissions: [DeviceManagementServiceConfig.ReadWrite.All], token: %s}\n", "Zq7#k2", "personas[0].token"},
		{"client secret", "  - {name: shorty, account: application, permissions: [DeviceManagementServiceConfig.ReadWrite.All], clientCredentials: {clientId: c, clientSecret: '%s', tokenURL: 'http://127.0.0.1:9/token'}}\n", "Zq7#k2", "personas[0].clientCredentials.clientSecret"},
	} {
		cfg := write(t, dir, c.name+".yaml", target(base)+"personas:\n"+fmt.Sprintf(c.persona, c.secret))
		for _, args := range [][]string{{"run", "--config", cfg}, {"run", "--config", cfg, "--dry-run"}} {
			r := run(t, dir, args...)
			if r.code != 2 {
				t.Errorf("%s %v: exit %d, want 2\n%s", c.name, args, r.code, r.stderr)
			}
			r.wantOneLine(t, c.field, `persona "shorty"`, "6 characters")
			if strings.Contains(r.stdout+r.stderr, c.secret) {
				t.Errorf("%s: the short secret was printed: %s", c.name, r.stderr)
			}
		}
	}
}
