package config

import (
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/graphconform/graphconform/exchange"
	"github.com/graphconform/graphconform/fixtures/token"
	"github.com/graphconform/graphconform/suites/conformance"
)

func writeConfig(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadMintedPersonasAndMerge(t *testing.T) {
	path := filepath.Join("testdata", "mint.yaml")
	base := conformance.Config{BaseURL: "http://127.0.0.1:9/v1.0", Strict: true}
	cfg, err := Load(path, base)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.BaseURL != base.BaseURL || !cfg.Strict {
		t.Errorf("a flag-set base URL must win over the file: %q", cfg.BaseURL)
	}
	if len(cfg.Personas) != 3 || len(cfg.Secrets) != 3 {
		t.Fatalf("personas %v, %d secrets", cfg.Personas, len(cfg.Secrets))
	}
	ver := token.Fixture().Verifier(token.VerifierOptions{})
	for i, p := range cfg.Personas {
		c, err := ver.Verify(p.Token)
		if err != nil {
			t.Fatalf("%s: %v", p.Name, err)
		}
		if p.Name == "app" && (!c.IsApp() || !c.Has("DeviceManagementServiceConfig.ReadWrite.All")) {
			t.Errorf("app token claims %+v", c)
		}
		if cfg.Secrets[i] != p.Token {
			t.Errorf("token of %s is not registered for redaction", p.Name)
		}
	}
	cfg, err = Load(path, conformance.Config{})
	if err != nil || cfg.BaseURL != "http://127.0.0.1:8080/v1.0" {
		t.Fatalf("base URL from the file: %q, %v", cfg.BaseURL, err)
	}
}

func TestLoadTargetFields(t *testing.T) {
	t.Setenv("GC_TEST_TOKEN", "literal-token-for-test")
	path := writeConfig(t, "c.yaml", "revision: pre-2021\ntarget:\n  baseURL: https://graph.example.test/v1.0\n  partnerId: p-1\n  allowMutation: true\n  timeout: 3s\n  insecureSkipVerify: true\n  retry: {max: 1}\npersonas:\n  - {name: a, account: personal, token: '${GC_TEST_TOKEN}'}\n")
	cfg, err := Load(path, conformance.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.PartnerID != "p-1" || !cfg.AllowMutation || cfg.Timeout != 3*time.Second || cfg.TLS == nil || !cfg.TLS.InsecureSkipVerify ||
		cfg.Revision != "pre-2021" || cfg.Retry == nil || cfg.Retry.Max != 1 || cfg.Retry.MaxWait != exchange.DefaultRetry.MaxWait {
		t.Errorf("cfg = %+v", cfg)
	}
	if cfg.Personas[0].Token != "literal-token-for-test" || cfg.Personas[0].Account != "personal" {
		t.Errorf("persona = %#v", cfg.Personas[0])
	}
}

func TestLoadCAFile(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	dir := t.TempDir()
	ca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(filepath.Join(dir, "ca.pem"), ca, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "bad.pem"), []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfgPath := filepath.Join(dir, "c.yaml")
	write := func(caFile string) {
		body := "target:\n  baseURL: " + srv.URL + "/v1.0\n  caFile: " + caFile + "\npersonas:\n  - {name: a, account: work, mint: true}\n"
		if err := os.WriteFile(cfgPath, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("ca.pem") // relative to the config file, not the working directory
	cfg, err := Load(cfgPath, conformance.Config{})
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg.TLS}}
	resp, err := client.Get(srv.URL)
	if err != nil {
		t.Fatalf("the CA from caFile is not trusted: %v", err)
	}
	resp.Body.Close()

	write("bad.pem")
	_, err = Load(cfgPath, conformance.Config{})
	if err == nil || !strings.Contains(err.Error(), "c.yaml:3: target.caFile: "+filepath.Join(dir, "bad.pem")+" holds no PEM certificate") {
		t.Errorf("error = %v", err)
	}
	write("missing.pem")
	_, err = Load(cfgPath, conformance.Config{})
	if err == nil || !strings.Contains(err.Error(), "target.caFile: cannot read "+filepath.Join(dir, "missing.pem")+": no such file or directory") {
		t.Errorf("error = %v", err)
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load("does-not-exist.yaml", conformance.Config{})
	if err == nil || err.Error() != "does-not-exist.yaml: cannot read the config file: no such file or directory" {
		t.Errorf("error = %v", err)
	}
}

// tokenEndpoint is an Entra-like token endpoint that accepts one client id and secret.
func tokenEndpoint(t *testing.T, calls *atomic.Int32) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if err := r.ParseForm(); err != nil {
			t.Error(err)
		}
		w.Header().Set("Content-Type", "application/json")
		if r.PostForm.Get("grant_type") != "client_credentials" || r.PostForm.Get("scope") != DefaultScope {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"error":"invalid_request","error_description":"AADSTS900144: bad form ` + r.PostForm.Encode() + `"}`))
			return
		}
		if r.PostForm.Get("client_id") != "app-123" || r.PostForm.Get("client_secret") != "s3cret-value-xyz" {
			w.WriteHeader(http.StatusUnauthorized)
			// Entra's description spans lines (trace ids); echoing the secret checks it is redacted.
			_, _ = w.Write([]byte(`{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided: ` + r.PostForm.Get("client_secret") + `\r\nTrace ID: 1\r\nCorrelation ID: 2"}`))
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": "cc-access-token-abc", "token_type": "Bearer", "expires_in": 3599})
	}))
}

func TestLoadClientCredentials(t *testing.T) {
	var calls atomic.Int32
	srv := tokenEndpoint(t, &calls)
	defer srv.Close()
	body := "target:\n  baseURL: http://127.0.0.1:1/v1.0\npersonas:\n  - name: app\n    account: application\n    permissions: [DeviceManagementServiceConfig.ReadWrite.All]\n    clientCredentials:\n      clientId: app-123\n      clientSecret: ${GC_SECRET}\n      tokenURL: " + srv.URL + "/tenant/oauth2/v2.0/token\n"
	path := writeConfig(t, "cc.yaml", body)

	t.Setenv("GC_SECRET", "s3cret-value-xyz")
	cfg, err := Load(path, conformance.Config{})
	if err != nil {
		t.Fatal(err)
	}
	// Loading sends nothing: the token is fetched by FetchTokens, after every local check.
	if calls.Load() != 0 || cfg.Personas[0].Token != "" || cfg.FetchTokens == nil {
		t.Fatalf("Load called the token endpoint %d times, token %q", calls.Load(), cfg.Personas[0].Token)
	}
	if strings.Join(cfg.Secrets, ",") != "s3cret-value-xyz" {
		t.Errorf("secrets to redact: %q", cfg.Secrets)
	}
	tokens, err := cfg.FetchTokens(t.Context())
	if err != nil || tokens["app"] != "cc-access-token-abc" || calls.Load() != 1 {
		t.Errorf("fetched %q, %v, %d calls", tokens, err, calls.Load())
	}

	t.Setenv("GC_SECRET", "wrong-secret-value")
	cfg, err = Load(path, conformance.Config{})
	if err == nil {
		_, err = cfg.FetchTokens(t.Context())
	}
	want := path + ":7: personas[0].clientCredentials: no token from " + srv.URL + "/tenant/oauth2/v2.0/token: invalid_client: AADSTS7000215: Invalid client secret provided: <redacted> (HTTP 401); check tenantId, clientId and clientSecret"
	if err == nil || err.Error() != want {
		t.Errorf("error\n got: %v\nwant: %s", err, want)
	}

	// Offline (dry run): the endpoint is never called.
	before := calls.Load()
	cfg, err = LoadWith(path, conformance.Config{}, Options{Offline: true})
	if err != nil || cfg.Personas[0].Token != OfflineToken || calls.Load() != before {
		t.Errorf("offline load: token %q, err %v, %d calls", cfg.Personas[0].Token, err, calls.Load()-before)
	}

	srv.Close() // unreachable endpoint: one line, names the endpoint
	t.Setenv("GC_SECRET", "s3cret-value-xyz")
	cfg, err = Load(path, conformance.Config{})
	if err == nil {
		_, err = cfg.FetchTokens(t.Context())
	}
	if err == nil || !strings.HasPrefix(err.Error(), path+":7: personas[0].clientCredentials: no token from "+srv.URL) || strings.Contains(err.Error(), "\n") {
		t.Errorf("error = %v", err)
	}
}
