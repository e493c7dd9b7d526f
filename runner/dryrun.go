package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/graphconform/graphconform/exchange"
	"github.com/graphconform/graphconform/persona"
	"github.com/graphconform/graphconform/suites/conformance"
)

// dryRun executes every selected case with a recording client and prints the requests it would
// have sent. It runs the cases directly (package plan is plain Go), not under Ginkgo: nothing is
// judged, and the list is what the cases of a real run send (a real run orders them by area).
func dryRun(ctx context.Context, p *conformance.Prepared, filter types.LabelFilter, allowMutation bool, stdout io.Writer) int {
	rec := &exchange.Recorder{Who: whoFrom(p.Env.Personas)}
	seen := map[string]bool{}
	for _, op := range p.Operations {
		if c := op.CollectionPath(); c != "" && !seen[c] {
			seen[c] = true
			rec.Collections = append(rec.Collections, p.Env.BaseURL+c)
		}
	}
	p.Env.Client.DryRun(rec)
	fmt.Fprintf(stdout, "dry run: the requests graphconform would send to %s (nothing was sent)\n", p.Target)
	specs, total, changing, op := 0, 0, 0, ""
	for _, c := range p.Cases {
		if !filter(caseLabels(c.Operation.ID, c.Labels())) {
			continue
		}
		specs++
		before := len(rec.Requests())
		c.Execute(ctx, p.Env)
		if c.Operation.ID != op {
			op = c.Operation.ID
			fmt.Fprintf(stdout, "\n%s (%s)\n", op, c.Operation.Text())
		}
		fmt.Fprintf(stdout, "  %s\n", c.Text())
		if c.Skip != "" {
			fmt.Fprintf(stdout, "    (skipped: %s)\n", p.Redactor.String(c.Skip))
		}
		for _, r := range rec.Requests()[before:] {
			total++
			if r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodOptions {
				changing++
			}
			via := ""
			if r.Raw {
				via = " (raw connection)"
			}
			fmt.Fprintf(stdout, "    %-7s %s  as %s%s\n", r.Method, p.Redactor.String(r.URL), r.Who, via)
		}
	}
	fmt.Fprintf(stdout, "\n%d requests (%d not GET/HEAD/OPTIONS) in %d specs.\n", total, changing, specs)
	if !allowMutation && !isLoopbackURL(p.Env.BaseURL) {
		fmt.Fprintf(stdout, "A real run against %s needs target.allowMutation: true in the config.\n", p.Target)
	}
	return exitOK
}

// whoFrom names the persona whose token a request carries, never the token itself.
func whoFrom(set persona.Set) func(http.Header) string {
	byAuth := map[string]string{}
	for _, p := range set {
		byAuth["Bearer "+p.Token] = p.Name
	}
	return func(h http.Header) string {
		vs, ok := h["Authorization"]
		switch {
		case !ok:
			return "(no Authorization header)"
		case len(vs) == 1 && byAuth[vs[0]] != "":
			return byAuth[vs[0]]
		case len(vs) == 1 && strings.TrimSpace(vs[0]) == "":
			return "(empty Authorization header)"
		}
		return "(forged credential)"
	}
}
