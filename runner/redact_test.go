package runner

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/graphconform/graphconform/fixtures/mock"
	"github.com/graphconform/graphconform/fixtures/token"
	"github.com/graphconform/graphconform/persona"
	"github.com/graphconform/graphconform/report"
)

func distinctive(t *testing.T, prefix string) string {
	t.Helper()
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return prefix + hex.EncodeToString(b)
}

// No token and no client secret appears in any byte of stdout, stderr or any report, even when the
// target echoes the credential back in a response header.
//
// The personas carry opaque, distinctive tokens (not JWTs, so only the exact-secret net of the
// redactor can catch them, not its JWT pattern); a front end in this process swaps each for a
// fixture JWT before the reference mock sees it, and echoes what it received.
func TestRedactionEverywhere(t *testing.T) {
	t.Parallel()
	secrets := map[string]string{} // opaque token → fixture JWT
	env := []string{}
	fixture := persona.Fixture()
	for _, name := range []string{"admin", "reader", "personal"} {
		p, _ := fixture.Lookup(name)
		minted, err := token.MintSet(persona.Set{p}, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		opaque := distinctive(t, "gcsecret-"+name+"-")
		secrets[opaque] = minted[0].Token
		env = append(env, "GC_REDACT_"+strings.ToUpper(name)+"="+opaque)
	}
	app, _ := fixture.Lookup("app")
	appMinted, _ := token.MintSet(persona.Set{app}, time.Hour)
	appToken, clientSecret := distinctive(t, "gcsecret-app-"), distinctive(t, "gcclientsecret-")
	secrets[appToken] = appMinted[0].Token
	env = append(env, "GC_REDACT_CLIENT_SECRET="+clientSecret)

	tokens := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ParseForm() != nil || r.PostForm.Get("client_secret") != clientSecret {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": appToken, "token_type": "Bearer", "expires_in": 3600})
	}))
	defer tokens.Close()

	m, err := mock.New(mock.Options{})
	if err != nil {
		t.Fatal(err)
	}
	front, err := mock.Start(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := r.Header.Get("Authorization")
		w.Header().Set("X-Echo-Authorization", got) // a careless target echoing credentials
		// The opaque token stands for its JWT only as a Bearer credential (any case, RFC 9110 §11.1).
		if scheme, tok, _ := strings.Cut(got, " "); strings.EqualFold(scheme, "Bearer") {
			if jwt, ok := secrets[tok]; ok {
				r.Header.Set("Authorization", scheme+" "+jwt)
			}
		}
		m.ServeHTTP(w, r)
	}))
	if err != nil {
		t.Fatal(err)
	}
	defer front.Close()

	cfg := writeFile(t, "c.yaml", "target:\n  baseURL: "+front.URL+"\npersonas:\n"+
		"  - {name: admin, account: work, permissions: [DeviceManagementServiceConfig.ReadWrite.All], token: '${GC_REDACT_ADMIN}'}\n"+
		"  - {name: reader, account: work, permissions: [DeviceManagementServiceConfig.Read.All], token: '${GC_REDACT_READER}'}\n"+
		"  - {name: personal, account: personal, permissions: [DeviceManagementServiceConfig.ReadWrite.All], token: '${GC_REDACT_PERSONAL}'}\n"+
		"  - name: app\n    account: application\n    permissions: [DeviceManagementServiceConfig.ReadWrite.All]\n"+
		"    clientCredentials: {clientId: gc-client, clientSecret: '${GC_REDACT_CLIENT_SECRET}', tokenURL: '"+tokens.URL+"/token'}\n")
	dir := filepath.Join(t.TempDir(), "reports")

	outputs := map[string]string{}
	for _, args := range [][]string{
		{"run", "--config", cfg, "--report-dir", dir, "--exchanges", "all", "-v"},
		{"run", "--config", cfg, "--dry-run"},
	} {
		r := child(t, env, args...)
		if r.code != exitOK {
			t.Fatalf("%v: %s", args, r)
		}
		outputs[strings.Join(args, " ")+" stdout"] = r.stdout
		outputs[strings.Join(args, " ")+" stderr"] = r.stderr
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(files) != 4 {
		t.Fatalf("report files: %v", files)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		outputs[filepath.Base(f)] = string(b)
	}
	needles := []string{clientSecret}
	for opaque := range secrets {
		needles = append(needles, opaque)
	}
	checked := 0
	for name, text := range outputs {
		checked += len(text)
		for _, s := range needles {
			// Any 16-byte window of the random part: a truncated or altered token leaks too.
			random := s[strings.LastIndex(s, "-")+1:]
			for i := 0; i+16 <= len(random); i += 8 {
				if strings.Contains(text, random[i:i+16]) {
					t.Errorf("%s contains part of a secret (%s…)", name, s[:12])
					break
				}
			}
		}
	}
	if !strings.Contains(outputs["report.json"], "X-Echo-Authorization") {
		t.Error("the echoed header is not in report.json, so this test proves less than it claims")
	}
	if err := report.ValidateFile(filepath.Join(dir, report.JSONFile)); err != nil {
		t.Error(err)
	}
	t.Logf("checked %d bytes in %d outputs for %d secrets", checked, len(outputs), len(needles))
}
