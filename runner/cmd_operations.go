package runner

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/graphconform/graphconform/permissions"
	"github.com/graphconform/graphconform/spec"
)

func init() {
	register(command{name: "operations", summary: "list a description's operations: kind, shape, and whether the suite builds them (and why not)", run: cmdOperations})
}

const operationsSynopsis = "[--spec FILE]... [--permissions FILE] [--revision R] [--operation ID]... [--path GLOB]... [--tag TAG]... [--unbuilt] [--json]"

// cmdOperations lists operations with what a run would make of them. It runs the analysis Build
// runs (spec.Description.Analyze), so it cannot disagree with a run; without a selection it lists
// every operation of the description, whatever its kind.
func cmdOperations(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var (
		sel                 selectFlags
		specs               listFlag
		perms, revision     string
		asJSON, onlyUnbuilt bool
	)
	fs := newFlags("operations", operationsSynopsis, stderr)
	fs.Var(&specs, "spec", "OpenAPI description file (repeatable; default: the shipped description)")
	fs.StringVar(&perms, "permissions", "", "Microsoft permissions.json: the permission table of operations whose description has no x-ms-permissions")
	fs.StringVar(&revision, "revision", "", "permission-table revision: current or pre-2021 (default current)")
	fs.BoolVar(&asJSON, "json", false, "print JSON instead of a table")
	fs.BoolVar(&onlyUnbuilt, "unbuilt", false, "list only the operations the suite does not build")
	sel.bind(fs)
	if code, ok := parseFlags(fs, args, stderr); !ok {
		return code
	}
	opts := spec.Options{Select: sel.selector(), Revision: revision}
	if perms != "" {
		o, err := permissions.LoadFile(perms)
		if err != nil {
			return fail(stderr, exitConfig, "--permissions: %v", err)
		}
		opts.Permissions = o
	}
	if len(specs) == 0 {
		specs = listFlag{""}
	}
	var listed []operationRow
	missed := 0 // descriptions the selection matches nothing in: an error only if it is all of them
	for _, file := range specs {
		d, err := loadDescription(file)
		if err != nil {
			return fail(stderr, exitConfig, "%v", err)
		}
		var as []spec.Analysis
		if sel.given() {
			as, err = d.Analyze(ctx, opts)
			if errors.Is(err, spec.ErrNoMatch) && len(specs) > 1 {
				if missed++; missed < len(specs) {
					continue
				}
			}
			if err != nil {
				return fail(stderr, exitConfig, "%v", err)
			}
		} else {
			as = d.AnalyzeAll(ctx, opts)
		}
		for _, a := range as {
			if !onlyUnbuilt || !a.Built() {
				listed = append(listed, rowOf(a))
			}
		}
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(operationsDoc{Operations: nonNil(listed), Summary: summarize(listed)}); err != nil {
			return fail(stderr, exitConfig, "operations: %v", err)
		}
		return exitOK
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "OPERATION\tKIND\tMETHOD\tPATH\tSHAPE\tBUILT")
	for _, r := range listed {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.OperationID, dash(r.Kind), r.Method, r.Path, r.Shape, r.builtText())
	}
	tw.Flush()
	fmt.Fprintf(stdout, "\n%s\n", summarize(listed).text())
	return exitOK
}

func loadDescription(file string) (*spec.Description, error) {
	if file == "" {
		return spec.Default()
	}
	return spec.LoadFile(file)
}

// operationRow is one operation as the command shows it.
type operationRow struct {
	OperationID string `json:"operationId"`
	Kind        string `json:"kind"`
	Method      string `json:"method"`
	Path        string `json:"path"`
	Source      string `json:"source"`
	// Shape is spec.Shape.String(); ShapeDetail the shape's parts.
	Shape       string     `json:"shape"`
	ShapeDetail spec.Shape `json:"shapeDetail"`
	// Contract: the operation is valid and has a permission table (ContractReason says why not).
	Contract       bool   `json:"contract"`
	ContractReason string `json:"contractReason,omitempty"`
	// Built: the suite makes cases for it; Reason and Detail say why not, Gaps what it leaves out.
	Built  bool     `json:"built"`
	Reason string   `json:"reason,omitempty"`
	Detail string   `json:"detail,omitempty"`
	Gaps   []string `json:"gaps,omitempty"`
}

func rowOf(a spec.Analysis) operationRow {
	return operationRow{OperationID: a.OperationID, Kind: a.Shape.Kind, Method: a.Method, Path: a.Path, Source: a.Source,
		Shape: a.Shape.String(), ShapeDetail: a.Shape, Contract: a.Contract != nil, ContractReason: a.ContractReason,
		Built: a.Built(), Reason: a.Reason, Detail: a.Detail, Gaps: a.Gaps}
}

func (r operationRow) builtText() string {
	switch {
	case r.Built && len(r.Gaps) > 0:
		return "yes; not checked yet: " + strings.Join(r.Gaps, ", ")
	case r.Built:
		return "yes"
	}
	return "no: " + r.Reason
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

type operationsDoc struct {
	Operations []operationRow    `json:"operations"`
	Summary    operationsSummary `json:"summary"`
}

// operationsSummary counts the listed operations by kind, built or not, and by reason.
type operationsSummary struct {
	Operations int                    `json:"operations"`
	Built      int                    `json:"built"`
	ByKind     map[string]kindSummary `json:"byKind"`
}

type kindSummary struct {
	Operations int            `json:"operations"`
	Contract   int            `json:"contract"`
	Built      int            `json:"built"`
	ByShape    map[string]int `json:"builtByShape"`
	ByReason   map[string]int `json:"unbuiltByReason"`
}

func summarize(rows []operationRow) operationsSummary {
	s := operationsSummary{ByKind: map[string]kindSummary{}}
	for _, r := range rows {
		k := s.ByKind[dash(r.Kind)]
		if k.ByShape == nil {
			k.ByShape, k.ByReason = map[string]int{}, map[string]int{}
		}
		k.Operations++
		s.Operations++
		if r.Contract {
			k.Contract++
		}
		if r.Built {
			k.Built++
			s.Built++
			k.ByShape[r.Shape]++
		} else {
			k.ByReason[r.Reason]++
		}
		s.ByKind[dash(r.Kind)] = k
	}
	return s
}

// text is the summary in a few lines: per kind, how many get a contract and are built, by shape,
// and the reasons for the rest.
func (s operationsSummary) text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d operations listed, %d built.\n", s.Operations, s.Built)
	kinds := make([]string, 0, len(s.ByKind))
	for k := range s.ByKind {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, kind := range kinds {
		k := s.ByKind[kind]
		fmt.Fprintf(&b, "%s: %d, %d with a contract, %d built", kind, k.Operations, k.Contract, k.Built)
		if len(k.ByShape) > 0 {
			fmt.Fprintf(&b, " (%s)", spec.CountsText(k.ByShape))
		}
		if len(k.ByReason) > 0 {
			fmt.Fprintf(&b, "; not built: %s", spec.CountsText(k.ByReason))
		}
		b.WriteString("\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

func nonNil(rows []operationRow) []operationRow {
	if rows == nil {
		return []operationRow{}
	}
	return rows
}
