// Package persona is who the suite calls the target as: a name, an account kind, the permissions the
// token was granted, and the token itself (a secret).
package persona

import (
	"fmt"
	"io"
	"sort"

	"github.com/graphconform/graphconform/contract"
	"github.com/graphconform/graphconform/redact"
)

// Persona is one identity with a token.
type Persona struct {
	Name    string           `json:"name"`
	Account contract.Account `json:"account"`
	// Permissions are the delegated scopes (scp) or application roles (roles) the token carries.
	Permissions []string `json:"permissions"`
	// Token is the bearer token. It is a secret: never printed, never marshalled.
	Token string `json:"-" xml:"-" yaml:"-"`
}

// String never includes the token.
func (p Persona) String() string {
	return fmt.Sprintf("%s (%s account, permissions %v)", p.Name, p.Account, p.Permissions)
}

// GoString keeps %#v from printing the token too.
func (p Persona) GoString() string { return "persona.Persona{" + p.String() + "}" }

// Format routes every verb through String (GoString for %#v): verbs that bypass Stringer, such as
// %d or %t on the struct, would otherwise print each field, the token included.
func (p Persona) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		_, _ = io.WriteString(f, p.GoString())
		return
	}
	_, _ = io.WriteString(f, p.String())
}

// Set is the personas of a run, by name.
type Set []Persona

// Lookup finds a persona by name.
func (s Set) Lookup(name string) (Persona, bool) {
	for _, p := range s {
		if p.Name == name {
			return p, true
		}
	}
	return Persona{}, false
}

// Tokens lists every token of the set, for redaction.
func (s Set) Tokens() []string {
	var out []string
	for _, p := range s {
		if p.Token != "" {
			out = append(out, p.Token)
		}
	}
	return out
}

// Validate checks names are unique and set, account kinds known, and every persona has a token
// long enough to be redacted.
func (s Set) Validate() error {
	seen := map[string]bool{}
	for i, p := range s {
		if p.Name == "" {
			return fmt.Errorf("persona #%d has no name", i+1)
		}
		if seen[p.Name] {
			return fmt.Errorf("persona %q is defined twice", p.Name)
		}
		seen[p.Name] = true
		if _, err := contract.ParseAccount(string(p.Account)); err != nil {
			return fmt.Errorf("persona %q: %v", p.Name, err)
		}
		if p.Token == "" {
			return fmt.Errorf("persona %q has an empty token", p.Name)
		}
		if len(p.Token) < redact.MinSecret {
			// Never printed: the redactor cannot tell so short a string from ordinary text.
			return fmt.Errorf("persona %q: the token is %d characters; tokens under %d characters cannot be kept out of the reports", p.Name, len(p.Token), redact.MinSecret)
		}
	}
	return nil
}

// Names lists the persona names, sorted.
func (s Set) Names() []string {
	out := make([]string, 0, len(s))
	for _, p := range s {
		out = append(out, p.Name)
	}
	sort.Strings(out)
	return out
}

// ConfigAdmin holds only DeviceManagementConfiguration.ReadWrite.All, the permission Microsoft's
// permissions metadata lists for disconnect besides the documented one (PERM-005). It is not in
// Fixture: judged by the reference page alone it should be refused, so it belongs to runs that merge
// the permissions metadata (--permissions).
func ConfigAdmin() Persona {
	return Persona{Name: "config-admin", Account: contract.Work, Permissions: []string{"DeviceManagementConfiguration.ReadWrite.All"}}
}

// Fixture is the persona set the embedded reference mock understands, without tokens (the fixture
// token package mints them). Each persona exercises one row of the permission table.
func Fixture() Set {
	return Set{
		{Name: "admin", Account: contract.Work, Permissions: []string{"DeviceManagementServiceConfig.ReadWrite.All"}},
		{Name: "app", Account: contract.Application, Permissions: []string{"DeviceManagementServiceConfig.ReadWrite.All"}},
		{Name: "reader", Account: contract.Work, Permissions: []string{"DeviceManagementServiceConfig.Read.All"}},
		{Name: "app-reader", Account: contract.Application, Permissions: []string{"DeviceManagementServiceConfig.Read.All"}},
		{Name: "personal", Account: contract.Personal, Permissions: []string{"DeviceManagementServiceConfig.ReadWrite.All"}},
	}
}
