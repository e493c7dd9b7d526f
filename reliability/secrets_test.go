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

	"github.com/graphconform/graphconform/fixtures/token"
	"github.com/graphconform/graphconform/persona"
	"github.com/graphconform/graphconform/reliability/faults"
)

// jwtShaped is any signed compact JWT: header, claims and a signature of some length.
var jwtShaped = regexp.MustCompile(`eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{20,}`)

// secrets are the strings that must never be written, with a name for each.
type secrets map[string]string

// addToken registers a token, its claims part and its signature part (each alone is a leak too).
func (s secrets) addToken(name, tok string) {
	parts := strings.Split(tok, ".")
	s[name] = tok
	s[name+" (claims part)"] = parts[1]
	s[name+" (signature part)"] = parts[2]
}

// scan fails for every secret or JWT-shaped string in text; it returns how many bytes it read.
func (s secrets) scan(t *testing.T, where, text string) int {
	t.Helper()
	for name, v := range s {
		if strings.Contains(text, v) {
			t.Errorf("%s leaks %s: …%s…", where, name, around(text, v))
		}
	}
	if m := jwtShaped.FindString(text); m != "" {
		t.Errorf("%s holds a JWT: %.60s…", where, m)
	}
	return len(text)
}

func around(text, v string) string {
	i := strings.Index(text, v)
	return text[max(0, i-60):min(len(text), i+len(v)+20)]
}

// scanDir scans every file under dir and returns the files and bytes read.
func (s secrets) scanDir(t *testing.T, dir string) (files, bytes int) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		files++
		bytes += s.scan(t, filepath.Base(p), string(b))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files, bytes
}

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
	sec := secrets{}
	raw := make([]byte, 16)
	rand.Read(raw)
	clientSecret := "gc-client-SECRET-" + hex.EncodeToString(raw)
	sec["the client secret"] = clientSecret
	var literal strings.Builder
	for _, p := range personas(t) {
		if p.Name == "app" {
			continue
		}
		sec.addToken("the token of "+p.Name, p.Token)
		fmt.Fprintf(&literal, "  - {name: %s, account: %s, permissions: [%s], token: %s}\n", p.Name, p.Account, strings.Join(p.Permissions, ", "), p.Token)
	}
	app, _ := persona.Fixture().Lookup("app")
	fetched, err := token.MintSet(persona.Set{app}, 90*time.Minute) // not in any file: only the endpoint knows it
	if err != nil {
		t.Fatal(err)
	}
	sec.addToken("the fetched app token", fetched[0].Token)
	var used atomic.Int64
	tokenURL := tokenEndpoint(t, "graphconform-client", clientSecret, fetched[0].Token, &used)
	_, base := faults.Serve(t, faults.Leaky(referenceMock(t)))

	dir := t.TempDir()
	cfg := write(t, dir, "graphconform.yaml", target(base, "timeout: 5s")+"personas:\n"+literal.String()+
		fmt.Sprintf("  - {name: app, account: application, permissions: [%s], clientCredentials: {clientId: graphconform-client, clientSecret: %s, tokenURL: %q}}\n",
			strings.Join(app.Permissions, ", "), clientSecret, tokenURL))
	reports := filepath.Join(dir, "reports")
	r := run(t, dir, "run", "--config", cfg, "--report-dir", reports, "-v")
	if r.code != 1 || used.Load() == 0 {
		t.Fatalf("exit %d (want 1: the leaky target breaks DISC-002), %d token fetches\n%s\n%s", r.code, used.Load(), tail(r.stdout, 2000), r.stderr)
	}
	read := sec.scan(t, "stdout", r.stdout) + sec.scan(t, "stderr", r.stderr)
	files, n := sec.scanDir(t, reports)
	if files < 4 {
		t.Errorf("only %d report files", files)
	}
	dry := run(t, dir, "run", "--config", cfg, "--dry-run")
	read += n + sec.scan(t, "dry-run stdout", dry.stdout) + sec.scan(t, "dry-run stderr", dry.stderr)
	for _, want := range []string{"X-Echo-Authorization: Bearer <redacted>", "access_token=<redacted>", "you sent Authorization: Bearer <redacted>"} {
		if b, _ := os.ReadFile(filepath.Join(reports, "report.json")); !strings.Contains(string(b), want) {
			t.Errorf("report.json lacks %q: the leak it stands for was not exercised", want)
		}
	}
	t.Logf("binary: %d secrets, %d files and %d bytes scanned, none found", len(sec), files+4, read)

	// A token endpoint that refuses and quotes the secret: exit 2, one line, no secret.
	bad := write(t, dir, "bad-secret.yaml", strings.Replace(string(must(os.ReadFile(cfg))), "clientId: graphconform-client", "clientId: someone-else", 1))
	r = run(t, dir, "run", "--config", bad)
	r.wantExit(t, 2, startup)
	r.wantOneLine(t, "clientCredentials", "invalid_client")
	t.Logf("refused token request: %s", strings.TrimSpace(r.stderr))
	sec.scan(t, "stderr of a refused token request", r.stderr)

	goTestScan(t, sec, cfg)
}

// goTestScan runs the Ginkgo suite through `go test ./suites/... -args` with the same config and
// scans its console output, its JUnit and JSON reports and graphconform's own reports.
func goTestScan(t *testing.T, sec secrets, cfg string) {
	if testing.Short() {
		t.Log("-short: the go test leg is skipped")
		return
	}
	out := t.TempDir()
	cmd := []string{"go", "test", "./suites/conformance", "-count=1", "-v", "-args", "--config=" + cfg, "--report-dir=" + out,
		"--ginkgo.v", "--ginkgo.json-report=" + filepath.Join(out, "ginkgo.json"), "--ginkgo.junit-report=" + filepath.Join(out, "ginkgo-junit.xml")}
	r := runIn(t, "..", cmd...)
	if r.code != 1 || !strings.Contains(r.stdout, "DISC-002") {
		t.Fatalf("go test: exit %d (want 1)\n%s\n%s", r.code, tail(r.stdout, 2000), r.stderr)
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
