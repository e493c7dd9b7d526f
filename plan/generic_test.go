package plan

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/graphconform/graphconform/contract"
	"github.com/graphconform/graphconform/exchange"
	"github.com/graphconform/graphconform/fixtures/mock"
	"github.com/graphconform/graphconform/fixtures/mutant"
	"github.com/graphconform/graphconform/persona"
	"github.com/graphconform/graphconform/redact"
	"github.com/graphconform/graphconform/requirement"
	"github.com/graphconform/graphconform/spec"
	"github.com/graphconform/graphconform/verdict"
)

func shapesOps(t *testing.T) []contract.Operation {
	t.Helper()
	data, err := os.ReadFile("testdata/shapes.yaml")
	if err != nil {
		t.Fatal(err)
	}
	d, err := spec.Load("testdata/shapes.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	ops, err := d.Contracts(context.Background(), spec.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return ops
}

// shapesRef is a reference implementation of testdata/shapes.yaml, written for these tests: what
// each rule of the body, content and key cases expects, and nothing more.
type shapesRef struct {
	mu      sync.Mutex
	things  map[string]bool
	parts   map[string]bool
	devices map[string]bool
	created []string // "thing" / "part", in order
	n       int
}

func newShapesRef() *shapesRef {
	return &shapesRef{things: map[string]bool{}, parts: map[string]bool{}, devices: map[string]bool{"dev-1": true}}
}

func graphError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"error":{"code":%q,"message":%q}}`, code, msg)
}

func (s *shapesRef) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("request-id", "00000000-0000-0000-0000-000000000001")
	if id := r.Header.Get("client-request-id"); id != "" {
		w.Header().Set("client-request-id", id)
	}
	scheme, tok, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	name, ok := strings.CutPrefix(tok, "token-of-")
	p, known := fixturePersona(name)
	if !strings.EqualFold(scheme, "Bearer") || !ok || !known {
		w.Header().Set("WWW-Authenticate", `Bearer realm=""`)
		graphError(w, http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token is empty or invalid.")
		return
	}
	if p.Account == contract.Personal || !slices.Contains(p.Permissions, "DeviceManagementServiceConfig.ReadWrite.All") {
		graphError(w, http.StatusForbidden, "Authorization_RequestDenied", "Insufficient privileges.")
		return
	}
	body, _ := io.ReadAll(r.Body)
	seg := strings.Split(strings.Trim(strings.TrimPrefix(r.URL.Path, "/v1.0"), "/"), "/")
	lit := func(i int, want string) bool {
		return i < len(seg) && (strings.EqualFold(seg[i], want) || strings.EqualFold(seg[i], "microsoft.graph."+want))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case len(seg) == 1 && lit(0, "things") && r.Method == http.MethodPost:
		var v struct {
			Type string  `json:"@odata.type"`
			Name *string `json:"name"`
		}
		if json.Unmarshal(body, &v) != nil || v.Name == nil || v.Type != "#microsoft.graph.thing" {
			graphError(w, http.StatusBadRequest, "BadRequest", "a thing needs its name and type")
			return
		}
		s.n++
		id := fmt.Sprintf("thing%04d", s.n)
		s.things[id], s.created = true, append(s.created, "thing")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, `{"id":%q}`, id)
	case len(seg) == 2 && lit(0, "things") && r.Method == http.MethodDelete:
		delete(s.things, seg[1])
		w.WriteHeader(http.StatusNoContent)
	case len(seg) == 3 && lit(0, "things") && lit(2, "parts") && r.Method == http.MethodPost:
		if !s.things[seg[1]] {
			graphError(w, http.StatusNotFound, "NotFound", "no such thing")
			return
		}
		var v struct {
			Size *float64 `json:"size"`
		}
		if json.Unmarshal(body, &v) != nil || v.Size == nil {
			graphError(w, http.StatusBadRequest, "BadRequest", "a part needs its size")
			return
		}
		s.n++
		id := fmt.Sprintf("part%04d", s.n)
		s.parts[seg[1]+"/"+id], s.created = true, append(s.created, "part")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, `{"id":%q}`, id)
	case len(seg) == 4 && lit(0, "things") && lit(2, "parts") && r.Method == http.MethodDelete:
		delete(s.parts, seg[1]+"/"+seg[3])
		w.WriteHeader(http.StatusNoContent)
	case len(seg) == 5 && lit(0, "things") && lit(2, "parts") && lit(4, "fix"):
		if !s.parts[seg[1]+"/"+seg[3]] {
			graphError(w, http.StatusNotFound, "NotFound", "no such part")
			return
		}
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", "POST")
			graphError(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "fix takes POST")
			return
		}
		s.fix(w, r, body)
	case len(seg) == 3 && lit(0, "things") && (strings.HasPrefix(strings.ToLower(seg[2]), "count(") || strings.HasPrefix(strings.ToLower(seg[2]), "microsoft.graph.count(")):
		if !s.things[seg[1]] {
			graphError(w, http.StatusNotFound, "NotFound", "no such thing")
			return
		}
		if r.Method != http.MethodGet {
			w.Header().Set("Allow", "GET")
			graphError(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "count takes GET")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#Edm.Int32","value":3}`)
	case len(seg) == 3 && lit(0, "devices") && lit(2, "wipe"):
		if !s.devices[seg[1]] {
			graphError(w, http.StatusNotFound, "NotFound", "no such device")
			return
		}
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", "POST")
			graphError(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "wipe takes POST")
			return
		}
		if len(body) > 0 {
			if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
				graphError(w, http.StatusUnsupportedMediaType, "UnsupportedMediaType", "JSON only")
				return
			}
			var m map[string]json.RawMessage
			if json.Unmarshal(body, &m) != nil || len(m) > 0 {
				graphError(w, http.StatusBadRequest, "BadRequest", "wipe takes no parameters")
				return
			}
		}
		w.WriteHeader(http.StatusNoContent)
	default:
		graphError(w, http.StatusNotFound, "NotFound", "no such resource")
	}
}

// fix is the action's body contract: JSON only, a required integer level, an optional string note.
func (s *shapesRef) fix(w http.ResponseWriter, r *http.Request, body []byte) {
	if len(body) == 0 {
		graphError(w, http.StatusBadRequest, "BadRequest", "a body is required")
		return
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		graphError(w, http.StatusUnsupportedMediaType, "UnsupportedMediaType", "JSON only")
		return
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		graphError(w, http.StatusBadRequest, "BadRequest", "not a JSON object")
		return
	}
	var level float64
	if json.Unmarshal(m["level"], &level) != nil || level != float64(int32(level)) {
		graphError(w, http.StatusBadRequest, "BadRequest", "level must be an integer")
		return
	}
	for k, v := range m {
		switch k {
		case "level":
		case "note":
			var note *string
			if json.Unmarshal(v, &note) != nil {
				graphError(w, http.StatusBadRequest, "BadRequest", "note must be a string")
				return
			}
		default:
			graphError(w, http.StatusBadRequest, "BadRequest", "undeclared parameter "+k)
			return
		}
	}
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprint(w, `{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#Edm.String","value":"fixed"}`)
}

func fixturePersona(name string) (persona.Persona, bool) {
	return withTokens(persona.Fixture()).Lookup(name)
}

// runShapes executes the cases of the given requirements against h.
func runShapes(t *testing.T, h http.Handler, ops []contract.Operation, keep func(Case) bool, tune func(*Env)) map[string]verdict.Verdict {
	t.Helper()
	srv, err := mock.Start(h)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	env := &Env{BaseURL: srv.URL, Personas: withTokens(persona.Fixture()), Strict: true}
	if tune != nil {
		tune(env)
	}
	env.Client = exchange.New(exchange.Options{Redactor: redact.New(env.Personas.Tokens()...)})
	out := map[string]verdict.Verdict{}
	for _, c := range Build(ops, env.Personas) {
		if keep(c) {
			out[c.Operation.ID+" "+c.Text()] = c.Execute(context.Background(), env)
		}
	}
	return out
}

// generated are the requirements this test's reference implements.
func generated(c Case) bool {
	switch id := string(c.Requirement.ID); {
	case strings.HasPrefix(id, "BODY-"), id == "RESP-001", strings.HasPrefix(id, "DISC-"), id == "ERR-001", id == "HDR-001":
		return c.Persona == "admin" || c.Persona == ""
	}
	return false
}

func TestShapesAgainstTheirReference(t *testing.T) {
	ops := shapesOps(t)
	ref := newShapesRef()
	got := runShapes(t, ref, ops, generated, func(e *Env) { e.Keys = map[string]string{"device-id": "dev-1"} })
	byID := map[requirement.ID]int{}
	for text, v := range got {
		byID[v.Requirement.ID]++
		if v.Outcome == verdict.Fail || v.Outcome == verdict.Skip {
			t.Errorf("%s: %s %s", text, v.Outcome, v.Message)
		}
	}
	for _, id := range []requirement.ID{"BODY-001", "BODY-002", "BODY-003", "BODY-004", "BODY-005", "RESP-001", "DISC-001", "DISC-002", "DISC-007", "DISC-008", "DISC-010"} {
		if byID[id] == 0 {
			t.Errorf("no %s case ran", id)
		}
	}
	t.Logf("cases by requirement: %v", byID)
	if len(ref.parts) != 0 || len(ref.things) != 0 {
		t.Errorf("fixtures left behind: %v %v", ref.things, ref.parts)
	}
}

// Every generic mutant, wrapped around the reference, fails the requirement it breaks and no
// MUST it does not declare, while the reference passes them all (TestShapesAgainstTheirReference).
func TestGenericMutantsAreKilled(t *testing.T) {
	ops := shapesOps(t)
	n := 0
	for _, m := range mutant.All() {
		if !m.Generic {
			continue
		}
		n++
		t.Run(m.Name, func(t *testing.T) {
			h, err := m.Wrap(newShapesRef())
			if err != nil {
				t.Fatal(err)
			}
			got := runShapes(t, h, ops, generated, func(e *Env) { e.Keys = map[string]string{"device-id": "dev-1"} })
			allowed := map[requirement.ID]bool{m.Breaks: true}
			for _, id := range m.Also {
				allowed[id] = true
			}
			killed := false
			for text, v := range got {
				if v.Outcome != verdict.Fail {
					continue
				}
				if v.Requirement.ID == m.Breaks {
					killed = true
				} else if v.Requirement.Level == requirement.Must && !allowed[v.Requirement.ID] {
					t.Errorf("collateral MUST failure %s: %s", text, v.Message)
				}
			}
			if !killed {
				t.Errorf("%s survived: no %s case failed", m.Name, m.Breaks)
			}
		})
	}
	if n < 6 {
		t.Errorf("%d generic mutants, want one per BODY-001..005 and RESP-001", n)
	}
}

// Keys are filled parents first; a configured key is used as is; a key with no collection POST
// and none configured skips the case naming what to configure.
func TestKeysFromDescriptionAndConfig(t *testing.T) {
	ops := shapesOps(t)
	only := func(id, op string) func(Case) bool {
		return func(c Case) bool {
			return string(c.Requirement.ID) == id && c.Operation.ID == op && c.Persona == "admin"
		}
	}
	ref := newShapesRef()
	got := runShapes(t, ref, ops, only("DISC-001", "things.thing.parts.part.fix"), nil)
	for text, v := range got {
		if v.Outcome != verdict.Pass {
			t.Errorf("%s: %s %s", text, v.Outcome, v.Message)
		}
		for _, x := range v.Exchanges {
			if strings.Contains(x.Curl, "%7B") || strings.Contains(x.Curl, "{thing-id}") {
				t.Errorf("a template was sent: %s", x.Curl)
			}
		}
	}
	if strings.Join(ref.created, ",") != "thing,part" {
		t.Errorf("created %v, want the parent first", ref.created)
	}

	ref = newShapesRef()
	ref.things["given"] = true
	got = runShapes(t, ref, ops, only("DISC-001", "things.thing.parts.part.fix"), func(e *Env) { e.Keys = map[string]string{"thing-id": "given"} })
	for text, v := range got {
		if v.Outcome != verdict.Pass {
			t.Errorf("with target.keys.thing-id: %s: %s %s", text, v.Outcome, v.Message)
		}
	}
	if strings.Join(ref.created, ",") != "part" {
		t.Errorf("created %v with the parent configured, want only the part", ref.created)
	}

	got = runShapes(t, newShapesRef(), ops, only("DISC-001", "devices.device.wipe"), nil)
	if len(got) != 1 {
		t.Fatalf("%d wipe cases", len(got))
	}
	for text, v := range got {
		if v.Outcome != verdict.Skip || !strings.Contains(v.Message, "target.keys.device-id") {
			t.Errorf("%s: %s %q, want a skip naming target.keys.device-id", text, v.Outcome, v.Message)
		}
	}
}

// A configured body (operations.<id>.body) is what the documented request sends.
func TestConfiguredBody(t *testing.T) {
	ops := shapesOps(t)
	keep := func(c Case) bool {
		return c.Requirement.ID == "DISC-001" && c.Operation.ID == "things.thing.parts.part.fix"
	}
	got := runShapes(t, newShapesRef(), ops, keep, func(e *Env) {
		e.Bodies = map[string][]byte{"things.thing.parts.part.fix": []byte(`{"level":"high"}`)}
		e.PassingExchanges = true
	})
	for text, v := range got {
		if v.Outcome != verdict.Fail || len(v.Exchanges) == 0 || !strings.Contains(v.Exchanges[len(v.Exchanges)-1].Curl, `"level":"high"`) {
			t.Errorf("%s: %s %s, want the configured (wrong) body sent and refused", text, v.Outcome, v.Message)
		}
	}
}

// Functions get method, auth, permission, error, header and content cases, and no body cases.
func TestFunctionCases(t *testing.T) {
	ops := shapesOps(t)
	var fn []contract.Operation
	for _, o := range ops {
		if o.Kind == "function" {
			fn = append(fn, o)
		}
	}
	if len(fn) != 1 || fn[0].Method != http.MethodGet {
		t.Fatalf("functions: %+v", fn)
	}
	ids := map[requirement.ID]int{}
	for _, c := range Build(fn, withTokens(persona.Fixture())) {
		ids[c.Requirement.ID]++
	}
	for _, want := range []requirement.ID{"DISC-001", "DISC-007", "DISC-008", "AUTH-001", "PERM-001", "PERM-003", "ERR-001", "HDR-001", "RESP-001"} {
		if ids[want] == 0 {
			t.Errorf("no %s case for a function", want)
		}
	}
	for id := range ids {
		if strings.HasPrefix(string(id), "BODY-") || id == "DISC-003" || id == "DISC-005" || id == "DISC-002" {
			t.Errorf("a function got %s cases", id)
		}
	}
	var keys []string
	for id, n := range ids {
		keys = append(keys, fmt.Sprintf("%s:%d", id, n))
	}
	sort.Strings(keys)
	t.Logf("function cases: %v", keys)
}

// Titles and sources name the operation, never another one.
func TestWordingNamesTheOperation(t *testing.T) {
	for _, c := range Build(shapesOps(t), withTokens(persona.Fixture())) {
		r := c.Requirement
		if strings.Contains(strings.ToLower(r.Title+r.Source.Doc+r.Source.URL+c.Name), "disconnect") {
			t.Errorf("%s %s names disconnect: %q / %q", c.Operation.ID, c.Text(), r.Title, r.Source)
		}
		if !strings.Contains(r.Title, c.Operation.Name()) {
			t.Errorf("%s: title %q does not name %s", c.Text(), r.Title, c.Operation.Name())
		}
		if c.Operation.ID == "things.thing.parts.part.fix" && r.ID == "DISC-001" {
			if !strings.Contains(r.Title, "200 OK") || !strings.Contains(r.Source.URL, "part-fix") {
				t.Errorf("DISC-001 of fix: %q %q", r.Title, r.Source.URL)
			}
		}
	}
}

func TestSwapLiteralSegmentsKeepsFunctionParameters(t *testing.T) {
	got := swapLiteralSegments("/things/{thing-id}/count(kind='{kind}')")("/things/k1/count(kind='x')")
	if got != "/THINGS/k1/COUNT(kind='x')" {
		t.Errorf("got %s", got)
	}
	v, ok := qualifiedVariant("/things/{thing-id}/count(kind='{kind}')")
	if !ok || v.rewrite("/things/k1/count(kind='x')") != "/things/k1/microsoft.graph.count(kind='x')" {
		t.Errorf("qualified: %v %q", ok, v.rewrite("/things/k1/count(kind='x')"))
	}
}
