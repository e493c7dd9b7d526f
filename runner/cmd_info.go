package runner

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"text/tabwriter"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/graphconform/graphconform/fixtures/mutant"
	"github.com/graphconform/graphconform/fixtures/token"
	"github.com/graphconform/graphconform/persona"
	"github.com/graphconform/graphconform/report"
	"github.com/graphconform/graphconform/suites/conformance"
)

func init() {
	register(command{name: "mint", summary: "print a fixture-signed token for a fixture persona (or the fixture JWKS)", run: cmdMint})
	register(command{name: "mutants", summary: "list the mutants of the reference mock", run: cmdMutants})
	register(command{name: "version", summary: "print the suite version and its build (module, commit, modified)", run: cmdVersion})
}

// cmdMint prints one token: the only command that ever prints a credential, and only on request.
func cmdMint(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("mint", "--persona NAME [--ttl 1h] | --jwks", stderr)
	name := fs.String("persona", "", "fixture persona: "+fmt.Sprint(persona.Fixture().Names()))
	ttl := fs.Duration("ttl", time.Hour, "token lifetime")
	jwks := fs.Bool("jwks", false, "print the fixture key set (JWKS) a target must trust instead")
	if code, ok := parseFlags(fs, args, stderr); !ok {
		return code
	}
	if *jwks {
		fmt.Fprintln(stdout, string(token.Fixture().JWKS()))
		return exitOK
	}
	if *name == "" {
		return fail(stderr, exitUsage, "mint: --persona is required (one of %v)", persona.Fixture().Names())
	}
	if *ttl <= 0 {
		return fail(stderr, exitUsage, "mint: --ttl must be positive")
	}
	p, ok := persona.Fixture().Lookup(*name)
	if !ok {
		return fail(stderr, exitUsage, "mint: unknown persona %q (one of %v)", *name, persona.Fixture().Names())
	}
	set, err := token.MintSet(persona.Set{p}, *ttl)
	if err != nil {
		return fail(stderr, exitConfig, "mint: %v", err)
	}
	fmt.Fprintln(stdout, set[0].Token)
	return exitOK
}

func cmdMutants(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("mutants", "", stderr)
	if code, ok := parseFlags(fs, args, stderr); !ok {
		return code
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "MUTANT\tBREAKS\tREVISION\tWHAT IT GETS WRONG")
	for _, m := range mutant.All() {
		rev := m.Revision
		if rev == "" {
			rev = "current"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", m.Name, m.Breaks, rev, m.Why)
	}
	tw.Flush()
	return exitOK
}

func cmdVersion(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("version", "", stderr)
	if code, ok := parseFlags(fs, args, stderr); !ok {
		return code
	}
	printVersion(stdout, conformance.Version, conformance.Build())
	return exitOK
}

// printVersion writes the suite version on the first line (scripts read it), then the build: a
// report from this binary carries the same module, commit and modified flag.
func printVersion(w io.Writer, version string, b report.Build) {
	fmt.Fprintf(w, "%s %s\n", programName, version)
	fmt.Fprintf(w, "module:   %s\n", b.Module)
	commit := b.Commit
	if commit == "" {
		commit = "unknown: the go command stamped none (go install @version, -buildvcs=false, a git worktree)"
	} else if b.CommitTime != "" {
		commit += " (" + b.CommitTime + ")"
	}
	fmt.Fprintf(w, "commit:   %s\n", commit)
	if b.Commit != "" {
		fmt.Fprintf(w, "modified: %t\n", b.Modified)
	}
	fmt.Fprintf(w, "ginkgo:   %s\ngo:       %s\n", types.VERSION, runtime.Version())
}
