package spec

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/graphconform/graphconform/contract"
)

// Reasons an operation is not built. They are categories, few and stable, so that a run can count
// them; Unbuilt.Detail says what exactly is wrong with the operation.
const (
	// ReasonInvalid: the operation is malformed (unresolved reference, undeclared path parameter,
	// no operationId, no 2xx response...).
	ReasonInvalid = "invalid operation"
	// ReasonNoPermissions: no x-ms-permissions and no --permissions entry for the operation.
	ReasonNoPermissions = "no permission table"
	// ReasonPermissions: an x-ms-permissions extension that cannot be read, or lacks the revision.
	ReasonPermissions = "unusable permission table"

	// Shapes today's case generator (package plan) does not make right cases for.
	ReasonFunction      = "function not invoked with GET"
	ReasonNotAction     = "not an action or function (entity or navigation operation)"
	ReasonNotPOST       = "action not invoked with POST"
	ReasonKeyNotSegment = "entity key not a whole path segment"
)

// Unbuilt is a selected operation the suite builds no cases for, and why. It is reported as not
// exercised; the run goes on with the others.
type Unbuilt struct {
	OperationID string `json:"operationId"`
	Kind        string `json:"kind,omitempty"`
	Method      string `json:"method"`
	Path        string `json:"path"`
	// Source is the description's base name.
	Source string `json:"source"`
	// Reason is one of the Reason* categories.
	Reason string `json:"reason"`
	// Detail is one line naming the operation and the problem (not the description: see Source).
	Detail string `json:"detail"`
}

// Text is "operationId (reason)".
func (u Unbuilt) Text() string {
	id := u.OperationID
	if id == "" {
		id = u.Method + " " + u.Path
	}
	return id + " (" + u.Reason + ")"
}

// Built is what Build makes of a selection: the contracts the suite can run, and the operations it
// cannot, in path then method order.
type Built struct {
	Operations []contract.Operation `json:"operations"`
	Unbuilt    []Unbuilt            `json:"unbuilt"`
}

// Build returns the contracts of the selected operations the suite can build, and every other
// selected operation as Unbuilt with its reason: one operation never aborts the others. The
// error is for the selection as a whole: a malformed selector, or one that matches nothing
// (wrapping ErrNoMatch). Build and Analyze share one code path, so `graphconform operations`
// shows exactly what a run builds.
func (d *Description) Build(ctx context.Context, opts Options) (Built, error) {
	all, err := d.Analyze(ctx, opts)
	if err != nil {
		return Built{}, err
	}
	var b Built
	for _, a := range all {
		if a.Built() {
			b.Operations = append(b.Operations, *a.Contract)
			continue
		}
		b.Unbuilt = append(b.Unbuilt, a.Unbuilt())
	}
	return b, nil
}

// selected is one operation the selector picked, with what its contract is built from.
type selected struct {
	path        string
	item        *openapi3.PathItem
	method      string // lower-case, as kin-openapi's Operations() keys it
	op          *openapi3.Operation
	pathMethods []string // every method of the path item, upper-case, sorted
}

// each calls fn for every operation match picks, in path order then method order (deterministic
// across processes), until fn returns false. Unselected operations are never looked at further.
func (d *Description) each(match func(path string, op *openapi3.Operation) bool, fn func(selected) bool) {
	for _, p := range d.Doc.Paths.Keys() { // sorted
		item := d.Doc.Paths.Value(p)
		if item == nil {
			continue
		}
		ops := item.Operations()
		methods := make([]string, 0, len(ops))
		for m := range ops {
			methods = append(methods, m)
		}
		sort.Strings(methods)
		var upper []string // made once per path, and only when something on it is selected
		for _, m := range methods {
			op := ops[m]
			if !match(p, op) {
				continue
			}
			if upper == nil {
				upper = make([]string, len(methods))
				for i, mm := range methods {
					upper[i] = strings.ToUpper(mm)
				}
			}
			if !fn(selected{path: p, item: item, method: m, op: op, pathMethods: upper}) {
				return
			}
		}
	}
}

// reasonError is a contract-building error with its Reason category.
type reasonError struct {
	reason string
	err    error
}

func (e *reasonError) Error() string { return e.err.Error() }
func (e *reasonError) Unwrap() error { return e.err }

// reasoned gives err a reason, unless it has one already (the innermost reason is the precise one).
func reasoned(reason string, err error) error {
	var re *reasonError
	if err == nil || errors.As(err, &re) {
		return err
	}
	return &reasonError{reason: reason, err: err}
}

// reasonOf is the category of a contract-building error.
func reasonOf(err error) string {
	var re *reasonError
	if errors.As(err, &re) {
		return re.reason
	}
	return ReasonInvalid
}

// SummarizeUnbuilt is one line about unbuilt operations: how many, the counts by reason (largest
// first), and the first few. With a single operation it gives that operation's detail instead.
func SummarizeUnbuilt(us []Unbuilt, first int) string {
	if len(us) == 0 {
		return ""
	}
	if len(us) == 1 {
		return "1 operation not built: " + us[0].Text() + ": " + us[0].Detail
	}
	counts := map[string]int{}
	for _, u := range us {
		counts[u.Reason]++
	}
	s := fmt.Sprintf("%d operations not built (%s)", len(us), CountsText(counts))
	if first > 0 {
		var names []string
		for _, u := range us[:min(first, len(us))] {
			names = append(names, u.Text())
		}
		s += "; first: " + strings.Join(names, ", ")
		if len(us) > first {
			s += fmt.Sprintf(" and %d more", len(us)-first)
		}
	}
	return s
}

// CountsText renders counts as "12 a, 3 b", the largest first (then by name).
func CountsText(counts map[string]int) string {
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if counts[keys[i]] != counts[keys[j]] {
			return counts[keys[i]] > counts[keys[j]]
		}
		return keys[i] < keys[j]
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%d %s", counts[k], k)
	}
	return strings.Join(parts, ", ")
}
