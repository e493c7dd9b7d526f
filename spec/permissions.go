package spec

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/graphconform/graphconform/contract"
)

// PermissionsExtension is the name of the extension that carries the reference page's permission table.
const PermissionsExtension = "x-ms-permissions"

// NotSupported is how a permission-table row reads when the account kind cannot call the operation.
const NotSupported = "notSupported"

// RevisionEntry is one revision of the permission table, as written in x-ms-permissions.
type RevisionEntry struct {
	Revision  string `json:"revision"`
	Effective string `json:"effective,omitempty"`
	Source    string `json:"source,omitempty"`
	// Each account row is a list of permissions (strings, or objects for metadata-only grants) or
	// the string "notSupported".
	DelegatedWork     json.RawMessage `json:"delegatedWork"`
	DelegatedPersonal json.RawMessage `json:"delegatedPersonal"`
	Application       json.RawMessage `json:"application"`
}

// grantEntry is the object form of a list item: {permission, documented, source}.
type grantEntry struct {
	Permission string `json:"permission"`
	Documented *bool  `json:"documented"`
	Source     string `json:"source"`
}

// readPermissions decodes the extension (a list of revisions, or one revision object) and picks the
// requested revision. found is false when the operation has no extension.
func readPermissions(op *openapi3.Operation, revision string) (contract.Permissions, bool, error) {
	raw, ok := op.Extensions[PermissionsExtension]
	if !ok {
		return contract.Permissions{}, false, nil
	}
	buf, err := json.Marshal(raw)
	if err != nil {
		return contract.Permissions{}, true, err
	}
	var entries []RevisionEntry
	if err := json.Unmarshal(buf, &entries); err != nil {
		var one RevisionEntry
		if err2 := json.Unmarshal(buf, &one); err2 != nil {
			return contract.Permissions{}, true, fmt.Errorf("want a list of revisions or one revision object: %v", err)
		}
		entries = []RevisionEntry{one}
	}
	if len(entries) == 0 {
		return contract.Permissions{}, true, fmt.Errorf("the list of revisions is empty")
	}
	var names []string
	seen := map[string]bool{}
	for i, e := range entries {
		if e.Revision == "" {
			if len(entries) > 1 {
				return contract.Permissions{}, true, fmt.Errorf("revision #%d has no name (\"revision:\")", i+1)
			}
			entries[i].Revision = "current"
		}
		if seen[entries[i].Revision] {
			return contract.Permissions{}, true, fmt.Errorf("revision %q is listed twice", entries[i].Revision)
		}
		seen[entries[i].Revision] = true
		names = append(names, entries[i].Revision)
	}
	want := revision
	if want == "" {
		want = "current"
		if len(entries) == 1 {
			want = entries[0].Revision
		}
	}
	for _, e := range entries {
		if e.Revision == want {
			p, err := e.Permissions()
			return p, true, err
		}
	}
	return contract.Permissions{}, true, fmt.Errorf("unknown revision %q (this description has: %s)", want, strings.Join(names, ", "))
}

// Permissions converts the entry into the contract's permission table.
func (e RevisionEntry) Permissions() (contract.Permissions, error) {
	p := contract.Permissions{Revision: e.Revision, Source: e.Source, Schemes: map[contract.Account]contract.Scheme{}}
	rows := []struct {
		acc  contract.Account
		name string
		raw  json.RawMessage
	}{
		{contract.Work, "delegatedWork", e.DelegatedWork},
		{contract.Personal, "delegatedPersonal", e.DelegatedPersonal},
		{contract.Application, "application", e.Application},
	}
	for _, r := range rows {
		s, err := parseScheme(r.raw, e.Source)
		if err != nil {
			return p, fmt.Errorf("revision %q, %s: %w", e.Revision, r.name, err)
		}
		p.Schemes[r.acc] = s
	}
	return p, nil
}

func parseScheme(raw json.RawMessage, source string) (contract.Scheme, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return contract.Scheme{}, fmt.Errorf("missing: write a list of permissions or %q", NotSupported)
	}
	var word string
	if json.Unmarshal(raw, &word) == nil {
		// The docs write "Not supported." (with a full stop); accept their spelling too.
		if strings.EqualFold(strings.TrimSuffix(strings.ReplaceAll(word, " ", ""), "."), NotSupported) {
			return contract.Scheme{Supported: false}, nil
		}
		return contract.Scheme{}, fmt.Errorf("%q is neither a list of permissions nor %q", word, NotSupported)
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return contract.Scheme{}, fmt.Errorf("want a list of permissions or %q", NotSupported)
	}
	s := contract.Scheme{Supported: true}
	for i, it := range items {
		var name string
		if json.Unmarshal(it, &name) == nil {
			if name == "" {
				return s, fmt.Errorf("item #%d is empty", i+1)
			}
			s.Grants = append(s.Grants, contract.Grant{Permission: name, Documented: true, Source: source})
			continue
		}
		var g grantEntry
		if err := json.Unmarshal(it, &g); err != nil || g.Permission == "" {
			return s, fmt.Errorf("item #%d: want a permission name or {permission, documented, source}", i+1)
		}
		documented := g.Documented == nil || *g.Documented
		src := g.Source
		if src == "" {
			src = source
		}
		s.Grants = append(s.Grants, contract.Grant{Permission: g.Permission, Documented: documented, Source: src})
	}
	if len(s.Grants) == 0 {
		return s, fmt.Errorf("an empty list; write %q if the account kind is not supported", NotSupported)
	}
	return s, nil
}

// DescriptionBinder is a PermissionSource that matches better when it knows the whole description,
// e.g. the navigation paths that alias an operation's canonical path (package permissions).
// Contracts binds it once per call and consults what ForDescription returns.
type DescriptionBinder interface {
	ForDescription(d *Description) PermissionSource
}

// Explainer is a PermissionSource that can say why it has no table for an operation; the error
// then says it too.
type Explainer interface {
	Explain(method, pathTemplate string) string
}

// boundPermissions is the source Contracts consults for d.
func (d *Description) boundPermissions(src PermissionSource) PermissionSource {
	if b, ok := src.(DescriptionBinder); ok {
		return b.ForDescription(d)
	}
	return src
}

// operationPermissions is an operation's permission table: its x-ms-permissions extension, else
// the answer of opts.Permissions (Microsoft's permissions file), else an error that says which is
// missing. where prefixes errors.
func operationPermissions(where string, op *openapi3.Operation, method, path string, opts Options) (contract.Permissions, error) {
	perms, found, err := readPermissions(op, opts.Revision)
	if err != nil {
		return perms, reasoned(ReasonPermissions, fmt.Errorf("%s: x-ms-permissions: %w", where, err))
	}
	if found {
		return perms, nil
	}
	revision := revisionOrCurrent(opts.Revision)
	if opts.Permissions == nil {
		return perms, reasoned(ReasonNoPermissions, fmt.Errorf("%s: operation %s has no x-ms-permissions extension (the reference page's permission table); add one, or merge Microsoft's permissions file with --permissions FILE", where, op.OperationID))
	}
	if perms, found = opts.Permissions.PermissionsFor(method, path, revision); found {
		return perms, nil
	}
	why := ""
	if e, ok := opts.Permissions.(Explainer); ok {
		if s := e.Explain(method, path); s != "" {
			why = ": " + s
		}
	}
	return perms, reasoned(ReasonNoPermissions, fmt.Errorf("%s: operation %s has no x-ms-permissions extension, and the --permissions file lists no permission for %s %s at revision %s%s", where, op.OperationID, method, path, revision, why))
}
