package conformance

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/graphconform/graphconform/exchange"
	"github.com/graphconform/graphconform/persona"
	"github.com/graphconform/graphconform/plan"
	"github.com/graphconform/graphconform/verdict"
)

// DryRunCounts is what a dry run found.
type DryRunCounts struct {
	Specs, Requests int
	// Changing counts the requests that are not GET, HEAD or OPTIONS.
	Changing int
	// Unsendable counts the specs that could not send their own request (only setup, or nothing).
	Unsendable int
}

// WriteDryRun executes every case selected by labels (nil: all) with a recording client and
// writes the requests it would have sent, then the selected operations that are not built, with
// their reasons. Nothing is judged and nothing leaves the process: the client is switched to a
// exchange.Recorder for good, so call it only for a dry run. A spec that cannot send its request
// (no persona to set up with, a placeholder left in the path, a failed setup) says why instead of
// listing a request.
func (p *Prepared) WriteDryRun(ctx context.Context, w io.Writer, labels func([]string) bool) DryRunCounts {
	rec := &exchange.Recorder{Who: whoFrom(p.Env.Personas)}
	collections := map[string]bool{}
	for _, op := range p.Operations {
		if c := op.CollectionPath(); c != "" && !collections[p.Env.BaseURL+c] {
			collections[p.Env.BaseURL+c] = true
			rec.Collections = append(rec.Collections, p.Env.BaseURL+c)
		}
	}
	p.Env.Client.DryRun(rec)
	fmt.Fprintf(w, "dry run: the requests graphconform would send to %s (nothing was sent)\n", p.Target)
	var n DryRunCounts
	op := ""
	for i := range p.Cases {
		c := &p.Cases[i]
		if labels != nil && !labels(CaseLabels(c)) {
			continue
		}
		n.Specs++
		before := len(rec.Requests())
		v := c.Execute(ctx, p.Env)
		if c.Operation.ID != op {
			op = c.Operation.ID
			fmt.Fprintf(w, "\n%s (%s)\n", op, c.Operation.Text())
		}
		fmt.Fprintf(w, "  %s\n", c.Text())
		sent := rec.Requests()[before:]
		own := false
		for _, r := range sent {
			n.Requests++
			if r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodOptions {
				n.Changing++
			}
			setup := isSetup(r, collections)
			own = own || (!setup && r.Unfilled == "")
			note := ""
			if r.Raw {
				note = " (raw connection)"
			}
			if r.Unfilled != "" {
				note += " (path placeholder " + r.Unfilled + " not filled)"
			}
			fmt.Fprintf(w, "    %-7s %s  as %s%s\n", r.Method, p.Redactor.String(r.URL), r.Who, note)
		}
		if !own {
			n.Unsendable++
			fmt.Fprintf(w, "    cannot send its request: %s\n", p.Redactor.String(unsendableReason(v)))
		}
	}
	if len(p.Unbuilt) > 0 {
		fmt.Fprintf(w, "\nnot built, so not exercised (%s):\n", plural(len(p.Unbuilt), "selected operation"))
		for _, u := range p.Unbuilt {
			fmt.Fprintf(w, "  %s (%s %s): %s: %s\n", u.OperationID, u.Method, u.Path, u.Reason, p.Redactor.String(u.Detail))
		}
	}
	fmt.Fprintf(w, "\n%d requests (%d not GET/HEAD/OPTIONS) in %d specs", n.Requests, n.Changing, n.Specs)
	if n.Unsendable > 0 {
		fmt.Fprintf(w, "; %s cannot send their request", plural(n.Unsendable, "spec"))
	}
	if len(p.Unbuilt) > 0 {
		fmt.Fprintf(w, "; %s not built", plural(len(p.Unbuilt), "selected operation"))
	}
	fmt.Fprintln(w, ".")
	return n
}

// isSetup tells the requests that make and remove a case's fixture entity from its own: a POST to
// a collection, and the DELETE of the entity the recorder said it created.
func isSetup(r exchange.Recorded, collections map[string]bool) bool {
	u := strings.TrimRight(r.URL, "/")
	switch r.Method {
	case http.MethodPost:
		return collections[u]
	case http.MethodDelete:
		coll, id, ok := cutLast(u, "/")
		return ok && id == exchange.DryRunID && collections[coll]
	}
	return false
}

func cutLast(s, sep string) (before, after string, ok bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

// unsendableReason is why a case sent nothing of its own: its skip reason or the error that
// stopped it (the dry run's answers are synthetic, so any other verdict means nothing).
func unsendableReason(v verdict.Verdict) string {
	if m := strings.TrimSpace(v.Message); m != "" && v.Outcome != verdict.Pass {
		return firstLine(m)
	}
	return "the case sent no request (outcome " + string(v.Outcome) + ")"
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// CaseLabels are the labels Ginkgo sees on a case's spec: its operation container's and its own.
func CaseLabels(c *plan.Case) []string {
	return append([]string{plan.OperationLabel(c.Operation.ID)}, c.Labels()...)
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

// announce is what the go test / ginkgo entry prints before the suite runs (process 1 only, so
// that --procs N prints it once): the operations not built, and under --dry-run the requests every
// spec would send, since Ginkgo's own dry run only lists the spec texts.
func announce(ctx context.Context, p *Prepared, w io.Writer) {
	if ginkgo.GinkgoParallelProcess() != 1 {
		return
	}
	sc, _ := ginkgo.GinkgoConfiguration()
	if !sc.DryRun {
		fmt.Fprint(w, p.UnbuiltSummary())
		return
	}
	var labels func([]string) bool
	if strings.TrimSpace(sc.LabelFilter) != "" {
		if f, err := types.ParseLabelFilter(sc.LabelFilter); err == nil { // Ginkgo reports a bad one itself
			labels = f
		}
	}
	p.WriteDryRun(ctx, w, labels)
}
