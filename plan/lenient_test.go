package plan

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/graphconform/graphconform/contract"
	"github.com/graphconform/graphconform/exchange"
	"github.com/graphconform/graphconform/fixtures/mock"
	"github.com/graphconform/graphconform/fixtures/mutant"
	"github.com/graphconform/graphconform/fixtures/token"
	"github.com/graphconform/graphconform/persona"
	"github.com/graphconform/graphconform/redact"
	"github.com/graphconform/graphconform/spec"
	"github.com/graphconform/graphconform/verdict"
)

var (
	fixtureOnce      sync.Once
	fixturePersonas  persona.Set
	fixtureRefusable []Refusable
)

// fixtures are the minted fixture personas and the refusable tokens of each, as the embedded target
// gets them (suites/conformance).
func fixtures(t *testing.T) (persona.Set, []Refusable) {
	t.Helper()
	fixtureOnce.Do(func() {
		var err error
		if fixturePersonas, err = token.MintSet(persona.Fixture(), time.Hour); err != nil {
			panic(err)
		}
		for _, p := range fixturePersonas {
			d, err := token.Fixture().Defective(p)
			if err != nil {
				panic(err)
			}
			for _, name := range token.Defects {
				fixtureRefusable = append(fixtureRefusable, Refusable{Persona: p.Name, Defect: name, Token: d[name]})
			}
		}
	})
	return fixturePersonas, fixtureRefusable
}

// run executes every case of the operations against a handler, with the fixture personas.
func run(t *testing.T, h http.Handler, ops []contract.Operation, tune func(*Env)) map[string]verdict.Verdict {
	t.Helper()
	srv, err := mock.Start(h)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	personas, refusable := fixtures(t)
	env := &Env{BaseURL: srv.URL, Personas: personas, Refusable: refusable, Strict: true}
	if tune != nil {
		tune(env)
	}
	// As conformance.Prepare does: the redactor knows the tokens; the plan adds what it derives.
	env.Client = exchange.New(exchange.Options{Redactor: redact.New(env.Personas.Tokens()...)})
	out := map[string]verdict.Verdict{}
	for _, c := range Build(ops, env.Personas) {
		out[c.Text()] = c.Execute(context.Background(), env)
	}
	return out
}

func handler(t *testing.T, name string) http.Handler {
	t.Helper()
	if name == "" {
		m, err := mock.New(mock.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	m, ok := mutant.Lookup(name)
	if !ok {
		t.Fatalf("no mutant %s", name)
	}
	h, err := m.Handler(mock.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func shippedFile(t *testing.T, file string) contract.Operation {
	t.Helper()
	_, built, err := spec.LoadContractsFile(context.Background(), file, spec.Options{})
	if err != nil || len(built.Operations) != 1 {
		t.Fatalf("%s: %v %v", file, built, err)
	}
	return built.Operations[0]
}

// outcomes picks the verdicts whose spec text contains every fragment.
func outcomes(vs map[string]verdict.Verdict, fragments ...string) map[string]verdict.Outcome {
	out := map[string]verdict.Outcome{}
next:
	for text, v := range vs {
		for _, f := range fragments {
			if !strings.Contains(text, f) {
				continue next
			}
		}
		out[text] = v.Outcome
	}
	return out
}

// Every case passes against the reference mock, with nothing skipped: the probes only the fixture
// issuer can sign are there.
func TestReferencePassesEveryCase(t *testing.T) {
	for _, file := range []string{"../spec/openapi/disconnect.yaml", "../spec/openapi/beginonboarding.yaml"} {
		vs := run(t, handler(t, ""), []contract.Operation{shippedFile(t, file)}, nil)
		for text, v := range vs {
			if v.Outcome != verdict.Pass && v.Requirement.ID != "PERM-005" {
				t.Errorf("%s: %s: %s %s", file, text, v.Outcome, v.Message)
			}
		}
	}
}

// Item 4: the setup persona's valid token under another scheme, or none, or after a repeated
// Bearer, is refused; each lenient parser is caught by its own case.
func TestValidTokenUnderAnotherScheme(t *testing.T) {
	op := []contract.Operation{shipped(t, "")}
	for mut, caught := range map[string]string{
		"auth-001-accepts-any-scheme":      "under the Basic scheme",
		"auth-001-accepts-bare-token":      "without a scheme",
		"auth-001-accepts-repeated-bearer": "Bearer scheme written twice",
		"auth-001-accepts-unsigned":        `unsigned ("alg":"none")`,
		"auth-001-accepts-expired":         "has expired",
		"auth-001-accepts-other-audience":  "for another audience",
		"auth-001-accepts-alg-confusion":   "algorithm confusion",
	} {
		vs := run(t, handler(t, mut), op, nil)
		got := outcomes(vs, "AUTH-001", caught)
		if len(got) != 1 {
			t.Fatalf("%s: want one AUTH-001 case %q, got %v", mut, caught, got)
		}
		for text, o := range got {
			if o != verdict.Fail {
				t.Errorf("%s: %s: %s, want fail", mut, text, o)
			}
		}
	}
	// RFC 9110 §11.1: the scheme is case-insensitive, so bearer must be accepted, not refused.
	vs := run(t, handler(t, "auth-003-case-sensitive-scheme"), op, nil)
	for text, o := range outcomes(vs, "AUTH-003") {
		if o != verdict.Fail {
			t.Errorf("%s: %s, want fail", text, o)
		}
	}
	for text, o := range outcomes(vs, "AUTH-001") {
		if o != verdict.Pass {
			t.Errorf("case-sensitive scheme: %s: %s, want pass", text, o)
		}
	}
}

// A target without the fixture issuer's trust gets the signed probes skipped, saying why.
func TestSignedProbesWithoutIssuerAreNotExercised(t *testing.T) {
	vs := run(t, handler(t, ""), []contract.Operation{shipped(t, "")}, func(e *Env) { e.Refusable = nil })
	got := outcomes(vs, "AUTH-001", "genuinely signed")
	if len(got) != 4 {
		t.Fatalf("signed probes: %v", got)
	}
	for text := range got {
		if v := vs[text]; v.Outcome != verdict.Skip || !strings.Contains(v.Message, "only the issuer the target trusts can sign one") {
			t.Errorf("%s: %s %q", text, v.Outcome, v.Message)
		}
	}
}

// An opaque (non-JWT) token has no unsigned form: that probe does not apply, the others still run.
func TestOpaqueTokenHasNoUnsignedForm(t *testing.T) {
	if _, err := unsigned("opaque-token-value"); err == nil {
		t.Error("an opaque token got an unsigned form")
	}
	u, err := unsigned("eyJhbGciOiJSUzI1NiIsImtpZCI6ImsifQ.eyJzdWIiOiJ4In0.c2ln")
	if err != nil || !strings.HasSuffix(u, ".eyJzdWIiOiJ4In0.") || !strings.HasPrefix(u, "eyJhbGciOiJub25lIiwia2lkIjoiayJ9.") {
		t.Errorf("unsigned = %q, %v", u, err)
	}
}

// Every derived credential is a secret the redactor learns before the first case runs: a target
// that echoes the credential it got publishes none of them (opaque tokens without their scheme
// word, so that no credential-shaped net can hide a miss).
func TestDerivedCredentialsAreRedacted(t *testing.T) {
	personas := persona.Fixture()
	for i := range personas {
		personas[i].Token = "opaque-secret-token-of-" + personas[i].Name + "-0123456789abcdef"
	}
	echo := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("WWW-Authenticate", "Bearer")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		// "token X is invalid": the credential without its scheme word, which a shape net would catch.
		f := strings.Fields(r.Header.Get("Authorization"))
		json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"code": "x", "message": "token " + strings.Join(f[min(1, len(f)):], " ") + " is invalid"}})
	})
	vs := run(t, echo, []contract.Operation{shipped(t, "")}, func(e *Env) {
		e.Personas, e.PartnerID, e.PassingExchanges = personas, "partner-1", true
		e.Refusable = []Refusable{{Persona: "admin", Defect: DefectExpired, Token: "expired-secret-token-0123456789abcdef"}}
	})
	all, _ := json.Marshal(vs)
	secrets := DerivedSecrets(personas, []Refusable{{Token: "expired-secret-token-0123456789abcdef"}})
	for _, p := range personas {
		secrets = append(secrets, p.Token)
	}
	if len(secrets) < 8 {
		t.Fatalf("derived secrets %d", len(secrets))
	}
	for _, s := range secrets {
		if i := bytes.Index(all, []byte(s)); i >= 0 {
			t.Errorf("a verdict carries the secret %.12s...: %s", s, all[max(i-300, 0):i])
		}
	}
	if !bytes.Contains(all, []byte(`token \u003credacted\u003e is invalid`)) {
		t.Error("the echoed credential is not in the verdicts at all: the test proves nothing")
	}
	for _, d := range DerivedCredentials(personas[0].Token) {
		if !strings.Contains(d, personas[0].Token) && !containsAny(secrets, d[strings.IndexByte(d, ' ')+1:]) {
			t.Errorf("derived credential %.20s... is not among DerivedSecrets", d)
		}
	}
}

func containsAny(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Item 11: a target whose actions answer 204 and change nothing, or delete the entity, fails
// EFF-001, for disconnect and for beginOnboarding alike.
func TestEffectIsObserved(t *testing.T) {
	for _, file := range []string{"../spec/openapi/disconnect.yaml", "../spec/openapi/beginonboarding.yaml"} {
		ops := []contract.Operation{shippedFile(t, file)}
		for _, mut := range []string{"eff-001-actions-change-nothing", "eff-001-action-deletes-entity"} {
			vs := run(t, handler(t, mut), ops, nil)
			got := outcomes(vs, "EFF-001")
			if len(got) != 1 {
				t.Fatalf("%s %s: EFF-001 cases %v", file, mut, got)
			}
			for text, o := range got {
				if v := vs[text]; o != verdict.Fail || !strings.Contains(v.Message, "onboardingStatus") {
					t.Errorf("%s %s: %s: %s %q", file, mut, text, o, v.Message)
				}
			}
		}
	}
}

// A target that ignores the starting state on create cannot show the effect: not applicable, never
// a pass (a call that changes nothing would look the same).
func TestEffectNeedsTheStartingState(t *testing.T) {
	ref := handler(t, "")
	ignoring := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/remoteAssistancePartners") {
			b, _ := io.ReadAll(r.Body)
			var m map[string]any
			json.Unmarshal(b, &m)
			delete(m, "onboardingStatus")
			b, _ = json.Marshal(m)
			r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
		}
		ref.ServeHTTP(w, r)
	})
	vs := run(t, ignoring, []contract.Operation{shipped(t, "")}, nil)
	for text, o := range outcomes(vs, "EFF-001") {
		if v := vs[text]; o != verdict.NotApplicable || !strings.Contains(v.Message, `kept "notOnboarded"`) {
			t.Errorf("%s: %s %q", text, o, v.Message)
		}
	}
}

// A configured or shared entity is first given the starting state (PATCH), then judged.
func TestEffectOnAConfiguredEntity(t *testing.T) {
	m := handler(t, "")
	srv, err := mock.Start(m)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	personas, _ := fixtures(t)
	admin, _ := personas.Lookup("admin")
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/deviceManagement/remoteAssistancePartners", strings.NewReader(`{"displayName":"configured"}`))
	req.Header.Set("Authorization", "Bearer "+admin.Token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var created struct{ ID string }
	json.NewDecoder(resp.Body).Decode(&created)
	resp.Body.Close()
	for _, tune := range []func(*Env){
		func(e *Env) { e.BaseURL, e.PartnerID = srv.URL, created.ID },
		func(e *Env) { e.Shared = &Shared{} },
	} {
		vs := run(t, m, []contract.Operation{shipped(t, "")}, tune)
		for text, o := range outcomes(vs, "EFF-001") {
			if o != verdict.Pass {
				t.Errorf("%s: %s %s", text, o, vs[text].Message)
			}
		}
	}
}

// Item 12: labels and the verdict's persona name the credential actually sent.
func TestLabelsNameTheCredentialSent(t *testing.T) {
	cases := Build([]contract.Operation{shipped(t, "")}, withTokens(persona.Fixture()))
	labels := map[string][]string{}
	for _, c := range cases {
		labels[c.Text()] = c.Labels()
		c.Skip = "only the verdict's fields are looked at"
		v := c.Execute(context.Background(), &Env{})
		if v.Persona != strings.TrimPrefix(c.Sends(), "persona:") {
			t.Errorf("%s: verdict persona %q, label %q", c.Text(), v.Persona, c.Sends())
		}
	}
	has := func(text, label string) bool {
		for _, l := range labels[text] {
			if l == label {
				return true
			}
		}
		return false
	}
	for text, want := range map[string]string{
		"ERR-001 [MUST] the 403 for persona reader has the error envelope":                                                                               "persona:reader",
		"ERR-001 [MUST] the 401 without a token has the error envelope":                                                                                  "credential:none",
		"ERR-001 [MUST] the 401 for a tampered token has the error envelope":                                                                             "credential:tampered",
		"AUTH-001 [MUST] no Authorization header is refused with 401":                                                                                    "credential:none",
		"AUTH-001 [MUST] a Basic credential instead of Bearer is refused with 401":                                                                       "credential:forged",
		"AUTH-001 [MUST] a token with a tampered signature is refused with 401":                                                                          "credential:tampered",
		"AUTH-001 [MUST] the valid token under the Basic scheme is refused with 401":                                                                     "credential:wrong-scheme",
		"AUTH-002 [MUST] the 401 for the valid token without a scheme carries a Bearer challenge":                                                        "credential:wrong-scheme",
		"AUTH-001 [MUST] a genuinely signed token that has expired is refused with 401":                                                                  "credential:signed-defect",
		"HDR-001 [SHOULD] an error response carries request-id":                                                                                          "credential:none",
		"AUTH-003 [MUST] the valid token under the scheme written bearer is accepted":                                                                    "persona:admin",
		"DISC-001 [MUST] the documented request answers 204":                                                                                             "persona:admin",
		"AUTH-002 [MUST] persona personal (personal, DeviceManagementServiceConfig.ReadWrite.All) is refused with a 401 that carries a Bearer challenge": "persona:personal",
	} {
		if _, ok := labels[text]; !ok {
			t.Errorf("no case %q", text)
			continue
		}
		if !has(text, want) {
			t.Errorf("%s: labels %v, want %s", text, labels[text], want)
		}
	}
	for text, ls := range labels {
		// AUTH-001/002 probes send no persona's Bearer token (the personal persona's own 401 does).
		if (strings.HasPrefix(text, "AUTH-001") || strings.HasPrefix(text, "AUTH-002")) && !strings.Contains(text, "persona personal") {
			for _, l := range ls {
				if strings.HasPrefix(l, "persona:") {
					t.Errorf("%s sends no persona's Bearer token but is labelled %s", text, l)
				}
			}
		}
	}
}

func TestSetupPersonas(t *testing.T) {
	personas := withTokens(persona.Fixture())
	if got := SetupPersonas([]contract.Operation{shipped(t, ""), shipped(t, "pre-2021")}, personas); len(got) != 1 || got[0] != "admin" {
		t.Errorf("setup personas %v, want [admin]", got)
	}
	apps := persona.Set{personas[1], personas[3]} // app, app-reader
	if got := SetupPersonas([]contract.Operation{shipped(t, ""), shipped(t, "pre-2021")}, apps); len(got) != 1 || got[0] != "app" {
		t.Errorf("application only: %v, want [app] (pre-2021 has none)", got)
	}
}
