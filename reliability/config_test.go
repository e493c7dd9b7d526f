package reliability

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/graphconform/graphconform/fixtures/token"
	"github.com/graphconform/graphconform/persona"
)

var (
	mintOnce sync.Once
	minted   persona.Set
	mintErr  error
)

// personas are the fixture personas with tokens minted by the fixture key (the mock trusts it).
func personas(t *testing.T) persona.Set {
	t.Helper()
	mintOnce.Do(func() { minted, mintErr = token.MintSet(persona.Fixture(), 2*time.Hour) })
	if mintErr != nil {
		t.Fatal(mintErr)
	}
	return minted
}

// target is the target: section of a config; extra lines are indented into it.
func target(base string, extra ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "target:\n  baseURL: %s\n", base)
	for _, e := range extra {
		fmt.Fprintf(&b, "  %s\n", e)
	}
	return b.String()
}

// literalPersonas is a personas: section with every fixture persona's token written in the file.
func literalPersonas(t *testing.T) string {
	var b strings.Builder
	b.WriteString("personas:\n")
	for _, p := range personas(t) {
		fmt.Fprintf(&b, "  - name: %s\n    account: %s\n    permissions: [%s]\n    token: %s\n",
			p.Name, p.Account, strings.Join(p.Permissions, ", "), p.Token)
	}
	return b.String()
}

// config writes a config for base with literal tokens and returns its path.
func config(t *testing.T, dir, base string, extra ...string) string {
	return write(t, dir, "graphconform.yaml", target(base, extra...)+literalPersonas(t))
}
