package persona

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/graphconform/graphconform/contract"
)

const secret = "eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.c2VjcmV0LXRva2Vu.sig-SECRET-42"

func withTokens(s Set) Set {
	out := make(Set, len(s))
	for i, p := range s {
		p.Token = fmt.Sprintf("%s-%d", secret, i)
		out[i] = p
	}
	return out
}

func TestValidateOK(t *testing.T) {
	if err := withTokens(Fixture()).Validate(); err != nil {
		t.Fatalf("fixture with tokens: %v", err)
	}
	if err := (Set{}).Validate(); err != nil {
		t.Fatalf("empty set: %v", err)
	}
}

func TestValidateErrors(t *testing.T) {
	ok := func(name string) Persona {
		return Persona{Name: name, Account: contract.Work, Permissions: []string{"X"}, Token: secret}
	}
	for _, tc := range []struct {
		name string
		set  Set
		want []string // substrings of the error
	}{
		{"no name", Set{ok("a"), {Account: contract.Work, Token: secret}}, []string{"#2", "no name"}},
		{"duplicate", Set{ok("a"), ok("b"), ok("a")}, []string{`"a"`, "twice"}},
		{"duplicate differs only by account", Set{ok("a"), {Name: "a", Account: contract.Application, Token: secret}}, []string{`"a"`, "twice"}},
		{"unknown account", Set{{Name: "bot", Account: "robot", Token: secret}}, []string{`"bot"`, "robot", "work, personal, application"}},
		{"empty account", Set{{Name: "bot", Token: secret}}, []string{`"bot"`, "unknown account kind"}},
		{"account wrong case", Set{{Name: "bot", Account: "Work", Token: secret}}, []string{`"bot"`, "Work"}},
		{"empty token", Set{ok("a"), {Name: "reader", Account: contract.Work}}, []string{`"reader"`, "empty token"}},
		{"fixture without tokens", Fixture(), []string{`"admin"`, "empty token"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.set.Validate()
			if err == nil {
				t.Fatal("Validate() = nil, want an error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error %q leaks the token", err)
			}
		})
	}
}

func TestTokenNeverPrinted(t *testing.T) {
	p := Persona{Name: "admin", Account: contract.Work,
		Permissions: []string{"DeviceManagementServiceConfig.ReadWrite.All"}, Token: secret}
	set := Set{p, {Name: "app", Account: contract.Application, Token: secret + "-app"}}

	rendered := map[string]string{
		"String":      p.String(),
		"GoString":    p.GoString(),
		"%v":          fmt.Sprintf("%v", p),
		"%+v":         fmt.Sprintf("%+v", p),
		"%#v":         fmt.Sprintf("%#v", p),
		"%s":          fmt.Sprintf("%s", p),
		"%q":          fmt.Sprintf("%q", p),
		"%v pointer":  fmt.Sprintf("%v", &p),
		"%+v pointer": fmt.Sprintf("%+v", &p),
		"%#v pointer": fmt.Sprintf("%#v", &p),
		"%v set":      fmt.Sprintf("%v", set),
		"%+v set":     fmt.Sprintf("%+v", set),
		"%#v set":     fmt.Sprintf("%#v", set),
		"Println":     fmt.Sprintln(p, set),
		"%v in struct": fmt.Sprintf("%v", struct {
			P Persona
			Q *Persona
		}{p, &p}),
		"%v map": fmt.Sprintf("%v", map[string]Persona{"k": p}),
	}
	for name, out := range rendered {
		if strings.Contains(out, secret) {
			t.Errorf("%s leaks the token: %s", name, out)
		}
	}
	for _, want := range []string{"admin", "work", "DeviceManagementServiceConfig.ReadWrite.All"} {
		if !strings.Contains(p.String(), want) {
			t.Errorf("String() = %q, want it to mention %q", p.String(), want)
		}
	}
	if !strings.HasPrefix(p.GoString(), "persona.Persona{") {
		t.Errorf("GoString() = %q", p.GoString())
	}
}

func TestTokenNeverMarshalled(t *testing.T) {
	p := Persona{Name: "admin", Account: contract.Work, Permissions: []string{"A.All"}, Token: secret}
	for name, v := range map[string]any{
		"value":   p,
		"pointer": &p,
		"set":     Set{p, p},
		"nested":  map[string]any{"personas": Set{p}, "one": &p},
	} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if strings.Contains(string(b), secret) || strings.Contains(strings.ToLower(string(b)), "token") {
			t.Errorf("%s: JSON leaks the token: %s", name, b)
		}
	}
	b, _ := json.Marshal(p)
	if want := `{"name":"admin","account":"work","permissions":["A.All"]}`; string(b) != want {
		t.Errorf("JSON = %s, want %s", b, want)
	}
	// Decoding never fills the token either: tokens come from the token source, not from config JSON.
	var back Persona
	if err := json.Unmarshal([]byte(`{"name":"x","account":"work","permissions":[],"token":"t","Token":"t"}`), &back); err != nil {
		t.Fatal(err)
	}
	if back.Token != "" {
		t.Errorf("Unmarshal filled Token = %q", back.Token)
	}
}

func TestLookupNamesTokens(t *testing.T) {
	set := withTokens(Fixture())
	p, ok := set.Lookup("reader")
	if !ok || p.Account != contract.Work || !reflect.DeepEqual(p.Permissions, []string{"DeviceManagementServiceConfig.Read.All"}) {
		t.Errorf("Lookup(reader) = %v, %v", p, ok)
	}
	if _, ok := set.Lookup("Reader"); ok {
		t.Error("Lookup is case-sensitive; Reader should not be found")
	}
	if _, ok := set.Lookup(""); ok {
		t.Error(`Lookup("") found a persona`)
	}
	if got, want := set.Names(), []string{"admin", "app", "app-reader", "personal", "reader"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Names() = %v, want %v", got, want)
	}
	if got := set.Tokens(); len(got) != len(set) {
		t.Errorf("Tokens() = %d tokens, want %d", len(got), len(set))
	}
	partial := Set{{Name: "a", Token: "t1"}, {Name: "b"}, {Name: "c", Token: "t3"}}
	if got, want := partial.Tokens(), []string{"t1", "t3"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Tokens() = %v, want %v (empty tokens skipped: redacting \"\" would blank everything)", got, want)
	}
	if got := Fixture().Tokens(); len(got) != 0 {
		t.Errorf("Fixture().Tokens() = %v, want none", got)
	}
}

// The fixture exercises one row of the permission table per persona; its accounts must be valid and
// it must cover every account kind.
func TestFixture(t *testing.T) {
	f := Fixture()
	kinds := map[contract.Account]bool{}
	for _, p := range f {
		if _, err := contract.ParseAccount(string(p.Account)); err != nil {
			t.Errorf("%s: %v", p.Name, err)
		}
		if p.Token != "" {
			t.Errorf("%s: the fixture carries a token", p.Name)
		}
		if len(p.Permissions) == 0 {
			t.Errorf("%s: no permissions", p.Name)
		}
		kinds[p.Account] = true
	}
	for _, a := range contract.Accounts {
		if !kinds[a] {
			t.Errorf("no fixture persona for %s accounts", a)
		}
	}
	// Fixture returns a fresh set every time.
	f[0].Name = "changed"
	if Fixture()[0].Name == "changed" {
		t.Error("Fixture() returns shared state")
	}
}

// Verbs that do not go through String (%d, %t, %o, %e, ... on the struct) print every field raw.
// go vet flags them for constant format strings, but not for formats built at run time.
func TestTokenNeverPrintedByOtherVerbs(t *testing.T) {
	p := Persona{Name: "admin", Account: contract.Work, Token: secret}
	for _, verb := range []string{"%d", "%t", "%o", "%e", "%b", "%c", "%U", "%08d"} {
		if out := fmt.Sprintf(verb, p); strings.Contains(out, secret) {
			t.Errorf("%s leaks the token: %s", verb, out)
		}
	}
}
