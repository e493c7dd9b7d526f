package spec

// What the suite can build from a description, operation by operation: the analysis behind Build
// (and so behind every run) and behind `graphconform operations`.

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/graphconform/graphconform/contract"
	"github.com/graphconform/graphconform/spec/schema"
)

// Body kinds of a Shape.
const (
	BodyNone     = "none"
	BodyOptional = "optional"
	BodyRequired = "required"
)

// Shape is what an operation looks like to the case generator, read from the description alone
// (no permission table needed), with the same helpers the contract is built with.
type Shape struct {
	// Kind is x-ms-docs-operation-type ("action", "function", "operation"), "" when absent.
	Kind   string `json:"kind"`
	Method string `json:"method"`
	// Keys counts the path parameters; KeySegments is false when one of them is not a whole path
	// segment (e.g. /reports/getX(period='{period}')).
	Keys        int  `json:"keys"`
	KeySegments bool `json:"keySegments"`
	// Body is BodyNone, BodyOptional or BodyRequired; Parameters counts its declared properties.
	Body       string `json:"body"`
	Parameters int    `json:"parameters"`
	// Success is the documented success status (0 when there is none), SuccessContent whether it
	// declares content.
	Success        int  `json:"success"`
	SuccessContent bool `json:"successContent"`
}

// String names the shape the way a person would: "bound action, no body, 204", "action with
// parameters, 200 with content", "function", "entity operation".
func (s Shape) String() string {
	var who string
	switch s.Kind {
	case "action":
		who = "action"
		switch {
		case s.Keys == 0:
			who = "unbound action"
		case s.Keys == 1 && s.KeySegments:
			who = "bound action"
		case s.Keys == 1:
			who = "action with its key inside a path segment"
		default:
			who = fmt.Sprintf("action on a path with %d keys", s.Keys)
		}
		if s.Method != http.MethodPost {
			who += " (" + s.Method + ")"
		}
	case "function":
		who = "function"
		if s.Keys > 0 {
			who += " (" + count(s.Keys, "path parameter") + ")"
		}
	case "operation":
		return "entity operation (" + s.Method + ")"
	case "":
		return "operation without x-ms-docs-operation-type (" + s.Method + ")"
	default:
		return s.Kind + " (" + s.Method + ")"
	}
	parts := []string{who}
	switch s.Body {
	case BodyNone:
		if s.Kind == "action" {
			parts = append(parts, "no body")
		}
	case BodyOptional:
		parts = append(parts, "optional body ("+count(s.Parameters, "parameter")+")")
	case BodyRequired:
		parts[0] = strings.Replace(parts[0], "action", "action with parameters", 1)
		parts = append(parts, "required body ("+count(s.Parameters, "parameter")+")")
	}
	switch {
	case s.Success == 0:
		parts = append(parts, "no 2xx response")
	case s.SuccessContent:
		parts = append(parts, fmt.Sprintf("%d with content", s.Success))
	default:
		parts = append(parts, fmt.Sprintf("%d", s.Success))
	}
	return strings.Join(parts, ", ")
}

// count is "1 parameter", "2 parameters".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// Unsupported says why today's case generator (package plan) cannot make right cases for the
// shape, "" when it can. It is the one place that knows: widen it as plan learns shapes (issue 12:
// fixture entities for several keys, body contracts, functions).
func (s Shape) Unsupported() string {
	switch {
	case s.Kind == "function" && s.Method != http.MethodGet:
		return ReasonFunction
	case s.Kind == "function":
		return ""
	case s.Kind != "action":
		return ReasonNotAction
	case s.Method != http.MethodPost:
		return ReasonNotPOST
	case !s.KeySegments:
		return ReasonKeyNotSegment
	}
	return ""
}

// Gaps are what a built operation documents and the suite does not check yet: its cases are right,
// but they do not cover everything. Request bodies (BODY-*) and response content (RESP-001) are
// checked now; nothing of the shapes the suite builds is left unchecked.
func (s Shape) Gaps() []string { return nil }

// Analysis is one selected operation: its shape, its contract when one can be built, and whether
// the suite builds it.
type Analysis struct {
	OperationID string `json:"operationId"`
	Method      string `json:"method"`
	Path        string `json:"path"`
	Source      string `json:"source"`
	Shape       Shape  `json:"shape"`
	// Contract is nil when the operation has none (ContractReason says why).
	Contract       *contract.Operation `json:"-"`
	ContractReason string              `json:"contractReason,omitempty"`
	// Reason and Detail say why the suite does not build the operation ("" when it does): an
	// invalid operation, else an unsupported shape, else the contract's problem (permissions).
	Reason string   `json:"reason,omitempty"`
	Detail string   `json:"detail,omitempty"`
	Gaps   []string `json:"gaps,omitempty"`
}

// Built tells whether the suite builds cases for the operation.
func (a Analysis) Built() bool { return a.Reason == "" && a.Contract != nil }

// Unbuilt is the operation as a run reports it when it is not built.
func (a Analysis) Unbuilt() Unbuilt {
	return Unbuilt{OperationID: a.OperationID, Kind: a.Shape.Kind, Method: a.Method, Path: a.Path,
		Source: a.Source, Reason: a.Reason, Detail: a.Detail}
}

// Analyze analyses every selected operation, in path then method order. Errors are for the
// selection as a whole, as for Build.
func (d *Description) Analyze(ctx context.Context, opts Options) ([]Analysis, error) {
	if err := opts.Select.Validate(); err != nil {
		return nil, fmt.Errorf("OpenAPI description %s: %w", d.Name, err)
	}
	out := d.analyzeMatching(ctx, opts, opts.Select.matches)
	if len(out) == 0 {
		return nil, fmt.Errorf("OpenAPI description %s: %w (%s)", d.Name, ErrNoMatch, opts.Select)
	}
	return out, nil
}

// AnalyzeAll analyses every operation of the description, whatever its kind and opts.Select
// (`graphconform operations` without a selection).
func (d *Description) AnalyzeAll(ctx context.Context, opts Options) []Analysis {
	return d.analyzeMatching(ctx, opts, func(string, *openapi3.Operation) bool { return true })
}

func (d *Description) analyzeMatching(ctx context.Context, opts Options, match func(string, *openapi3.Operation) bool) []Analysis {
	opts.Permissions = d.boundPermissions(opts.Permissions) // once, not per operation
	opts.bundler = &schema.Bundler{}                        // operations share their schemas
	var out []Analysis
	d.each(match, func(s selected) bool {
		out = append(out, d.analyze(ctx, s, opts))
		return true
	})
	return out
}

func (d *Description) analyze(ctx context.Context, s selected, opts Options) Analysis {
	a := Analysis{OperationID: s.op.OperationID, Method: strings.ToUpper(s.method), Path: s.path,
		Source: baseName(d.Name), Shape: shapeOf(s)}
	c, err := d.operation(ctx, s, opts)
	if err == nil {
		a.Contract = &c
	} else {
		// The detail does not repeat the description's name, which Source and the caller give: a
		// cached analysis is shared by copies of the same file in other directories.
		a.ContractReason = reasonOf(err)
		a.Reason = a.ContractReason
		a.Detail = oneLine(strings.TrimPrefix(err.Error(), "OpenAPI description "+d.Name+": "))
	}
	// A malformed operation is the description's to fix first. Otherwise an unsupported shape is
	// named before a missing permission table: no permissions file would make the suite build it.
	if r := a.Shape.Unsupported(); r != "" && a.ContractReason != ReasonInvalid {
		a.Reason = r
		a.Detail = fmt.Sprintf("%s %s: %s", a.Method, s.path, a.Shape)
		if a.ContractReason != "" {
			a.Detail += "; and " + a.ContractReason
		}
	}
	if a.Reason == "" {
		a.Gaps = a.Shape.Gaps()
	}
	return a
}

// shapeOf reads an operation's shape with the helpers contract() uses, tolerating what contract()
// refuses (an undeclared parameter still counts as a key, no 2xx is Success 0).
func shapeOf(s selected) Shape {
	sh := Shape{Method: strings.ToUpper(s.method), Body: BodyNone, KeySegments: true}
	sh.Kind, _ = s.op.Extensions["x-ms-docs-operation-type"].(string)
	for _, seg := range strings.Split(s.path, "/") {
		n := len(templateParam.FindAllString(seg, -1))
		sh.Keys += n
		if n > 0 && (n > 1 || !wholeParam(seg)) {
			sh.KeySegments = false
		}
	}
	if rb := s.op.RequestBody; rb != nil && rb.Value != nil {
		sh.Body = BodyOptional
		if rb.Value.Required {
			sh.Body = BodyRequired
		}
		sh.Parameters = len(bodyRule(s.op).Parameters)
	}
	if s.op.Responses != nil {
		if code, content, err := success(s.op); err == nil {
			sh.Success, sh.SuccessContent = code, content
		}
	}
	return sh
}

// wholeParam: the segment is exactly one {name}.
func wholeParam(seg string) bool {
	m := templateParam.FindStringIndex(seg)
	return m != nil && m[0] == 0 && m[1] == len(seg)
}

// oneLine keeps a detail on one line (kin-openapi errors can span several).
func oneLine(s string) string { return lineBreaks.Replace(strings.TrimSpace(s)) }

var lineBreaks = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ")
