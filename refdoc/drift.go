package refdoc

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/graphconform/graphconform/contract"
)

// Difference is one contract field that reads differently in two revisions of a page.
type Difference struct {
	// Operation is the operation as revision A names it ("POST /…/disconnect").
	Operation string
	// Field is what differs: method, path, kind, body, success status, success content, or
	// "permissions <account>" for a row of the permission table.
	Field string
	A, B  string
}

func (d Difference) String() string {
	return fmt.Sprintf("%s: %s: %s -> %s", d.Operation, d.Field, d.A, d.B)
}

// Drift compares the contracts two revisions of a reference page yield, operation by operation in
// page order (a page documents the same operations in every revision, so position pairs them even
// when a path was renamed). Provenance (Source fields, revision names) is not a difference.
func Drift(a, b *Page) ([]Difference, error) {
	opsA, err := a.Contracts(DefaultRevision)
	if err != nil {
		return nil, err
	}
	opsB, err := b.Contracts(DefaultRevision)
	if err != nil {
		return nil, err
	}
	var out []Difference
	for i := 0; i < max(len(opsA), len(opsB)); i++ {
		switch {
		case i >= len(opsA):
			out = append(out, Difference{Operation: opsB[i].Text(), Field: "operation", A: "absent", B: "documented"})
		case i >= len(opsB):
			out = append(out, Difference{Operation: opsA[i].Text(), Field: "operation", A: "documented", B: "absent"})
		default:
			out = append(out, diff(opsA[i], opsB[i])...)
		}
	}
	return out, nil
}

// diff lists the differing fields of two contracts of the same operation.
func diff(a, b contract.Operation) []Difference {
	var out []Difference
	add := func(field, va, vb string) {
		if va != vb {
			out = append(out, Difference{Operation: a.Text(), Field: field, A: va, B: vb})
		}
	}
	add("method", a.Method, b.Method)
	add("path", a.Path, b.Path)
	add("kind", a.Kind, b.Kind)
	add("body", bodyText(a.Body), bodyText(b.Body))
	add("success status", strconv.Itoa(a.Success), strconv.Itoa(b.Success))
	add("success content", contentText(a.SuccessHasContent), contentText(b.SuccessHasContent))
	for _, acc := range contract.Accounts {
		add("permissions "+string(acc), rowText(a.Permissions.Schemes[acc]), rowText(b.Permissions.Schemes[acc]))
	}
	return out
}

func bodyText(r contract.BodyRule) string {
	if !r.Accepted {
		return "no request body"
	}
	if len(r.Parameters) == 0 {
		return "a JSON body"
	}
	return "a JSON body with " + strings.Join(r.Parameters, ", ")
}

func contentText(has bool) string {
	if has {
		return "a body"
	}
	return "no body"
}

func rowText(s contract.Scheme) string {
	if !s.Supported {
		return "not supported"
	}
	var names []string
	for _, g := range s.Grants {
		n := g.Permission
		if !g.Documented {
			n += " (metadata only)"
		}
		names = append(names, n)
	}
	return strings.Join(names, ", ")
}
