// Package permissions reads Microsoft's permissions files (microsoft-graph-devx-content
// permissions/new/permissions.json, and the older msgraph-metadata permissions/*.json of the same
// shape) and answers spec.PermissionSource lookups from them, so that a description without an
// x-ms-permissions extension (Microsoft's own openapi.yaml) still has a permission table.
//
// The files are permission-centric (permission → pathSets → paths); the overlay inverts them once
// into an index path → method → grants, because the suite asks per operation. How a description's
// path template finds its path in the file (normalisation, aliases) is in lookup.go and alias.go.
package permissions

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"github.com/graphconform/graphconform/contract"
	"github.com/graphconform/graphconform/input"
	"github.com/graphconform/graphconform/spec"
)

// DefaultRevision is the revision name the overlay answers for: the files describe what Microsoft
// publishes now, so they have no older revisions.
const DefaultRevision = "current"

// Overlay is a parsed permissions file, indexed for lookups by method and path template.
type Overlay struct {
	// Name is the file the overlay was read from, written into the contract's Source fields.
	Name string
	// Revision is the only revision PermissionsFor answers for (DefaultRevision unless changed):
	// labelling today's data as an older revision would judge personas against the wrong table.
	Revision string
	// index: normalized path (Normalize) → upper-case method → grants, in file order.
	index map[string]map[string][]entry
	// spellings: normalized path → the file's own spellings of it, sorted (for Match.Paths).
	spellings map[string][]string
	// segs: normalized path → its segments in the form the rules compare (lookup.go); absent for
	// paths no template can match (a query string in the path).
	segs map[string][]seg
	// byVariant: a normal form (one per variant) → the normalized paths that have it, sorted.
	byVariant [numVariants]map[string][]string
	// byName: the last segment's name → normalized paths ending in it (for Explain).
	byName map[string][]string
	// base answers without a description: every rule but the navigation aliases.
	base *Lookup
	// digest is the sha256 of the file's bytes (set by Parse): the index is a function of them.
	digest string
}

var _ spec.PermissionSource = (*Overlay)(nil)

// entry is one permission accepted for one account kind on one path and method.
type entry struct {
	permission string
	account    contract.Account
	least      bool
}

// schemeAccounts maps the files' scheme keys to the permission table's account kinds. Other keys
// (none are in use today) are ignored: the contract has no row for them.
var schemeAccounts = map[string]contract.Account{
	"DelegatedWork":     contract.Work,
	"DelegatedPersonal": contract.Personal,
	"Application":       contract.Application,
}

// file is the part of both formats the overlay needs.
type file struct {
	Permissions map[string]struct {
		PathSets []struct {
			SchemeKeys []string                   `json:"schemeKeys"`
			Methods    []string                   `json:"methods"`
			Paths      map[string]json.RawMessage `json:"paths"`
			// AlsoRequires names permissions that must be held together with this one.
			AlsoRequires string `json:"alsoRequires"`
		} `json:"pathSets"`
	} `json:"permissions"`
}

// LoadFile reads a permissions file. This is what `graphconform run --permissions FILE` calls.
func LoadFile(path string) (*Overlay, error) {
	data, err := input.ReadFile(path, input.Permissions, "permissions files")
	if err != nil {
		return nil, fmt.Errorf("permissions file %s: %w", path, err)
	}
	return Parse(filepath.Base(path), data)
}

// Parse reads a permissions file's bytes; name is used in errors and Source fields.
func Parse(name string, data []byte) (*Overlay, error) {
	var f file
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("permissions file %s: not a permissions JSON document: %w", name, err)
	}
	if len(f.Permissions) == 0 {
		return nil, fmt.Errorf("permissions file %s: no \"permissions\" object, or it is empty", name)
	}
	sum := sha256.Sum256(data)
	o := &Overlay{Name: name, Revision: DefaultRevision, index: map[string]map[string][]entry{},
		spellings: map[string][]string{}, digest: hex.EncodeToString(sum[:])}
	// Sorted permission names: the index (and so every contract) must not depend on map order.
	for _, perm := range slices.Sorted(maps.Keys(f.Permissions)) {
		for i, ps := range f.Permissions[perm].PathSets {
			if ps.AlsoRequires != "" {
				// The permission alone does not grant access; the contract cannot say "A and B", so
				// such a pathSet would only produce a wrong expectation.
				continue
			}
			if len(ps.SchemeKeys) == 0 || len(ps.Methods) == 0 {
				return nil, fmt.Errorf("permissions file %s: %s pathSet #%d has no schemeKeys or no methods", name, perm, i+1)
			}
			if err := o.add(perm, ps.SchemeKeys, ps.Methods, ps.Paths); err != nil {
				return nil, fmt.Errorf("permissions file %s: %s pathSet #%d: %w", name, perm, i+1, err)
			}
		}
	}
	if len(o.index) == 0 {
		return nil, fmt.Errorf("permissions file %s: no pathSet lists a path", name)
	}
	o.buildForms()
	o.base = o.Bind(nil)
	return o, nil
}

var _ spec.Fingerprinter = (*Overlay)(nil)

// Fingerprint implements spec.Fingerprinter, so that contracts built with the overlay can be cached
// (spec.LoadContracts): the file's digest, plus Name and Revision, which change the answers too.
// "" (never cache) for an overlay not made by Parse.
func (o *Overlay) Fingerprint() string {
	if o == nil || o.digest == "" {
		return ""
	}
	return fmt.Sprintf("sha256:%s name:%q revision:%q", o.digest, o.Name, o.Revision)
}

func (o *Overlay) add(perm string, schemeKeys, methods []string, paths map[string]json.RawMessage) error {
	for _, p := range slices.Sorted(maps.Keys(paths)) { // sorted, like the permission names
		least, alsoRequires, err := pathValue(paths[p])
		if err != nil {
			return fmt.Errorf("path %s: %w", p, err)
		}
		if alsoRequires {
			// "AlsoRequires=X" (kibali's AuthZChecker reads it as a conjunction): the permission
			// alone does not grant access, and a table cannot say "A and B"; as for a pathSet's
			// alsoRequires, listing it would only produce a wrong expectation.
			continue
		}
		norm := Normalize(p)
		if !slices.Contains(o.spellings[norm], p) {
			o.spellings[norm] = append(o.spellings[norm], p) // p arrives sorted within a pathSet only
		}
		byMethod := o.index[norm]
		if byMethod == nil {
			byMethod = map[string][]entry{}
			o.index[norm] = byMethod
		}
		for _, ms := range methods {
			// The spec's own example writes ["GET,POST"]: one string, several methods.
			for _, m := range strings.Split(ms, ",") {
				m = strings.ToUpper(strings.TrimSpace(m))
				if m == "" {
					continue
				}
				for _, sk := range schemeKeys {
					if acc, ok := schemeAccounts[sk]; ok {
						byMethod[m] = append(byMethod[m], entry{permission: perm, account: acc, least: least[sk]})
					}
				}
			}
		}
	}
	return nil
}

// pathValue reads a path member's value: "least=DelegatedWork,Application" (key=value pairs
// separated by ";", the current format), or an object, optionally with leastPrivilegePermission
// (the older msgraph-metadata format, where the value is usually {}). alsoRequires reports an
// "AlsoRequires=..." pair (kibali specs/permissions.md, src/kibali/AuthZChecker.cs).
func pathValue(raw json.RawMessage) (least map[string]bool, alsoRequires bool, err error) {
	least = map[string]bool{}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		for _, kv := range strings.Split(s, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(kv), "=")
			switch {
			case !ok:
			case strings.EqualFold(k, "least"):
				for _, sk := range strings.Split(v, ",") {
					least[strings.TrimSpace(sk)] = true
				}
			case strings.EqualFold(k, "alsoRequires") && strings.TrimSpace(v) != "":
				alsoRequires = true
			} // other metadata keys are allowed by the format
		}
		return least, alsoRequires, nil
	}
	var obj struct {
		Least []string `json:"leastPrivilegePermission"`
	}
	if err := json.Unmarshal(raw, &obj); err != nil {
		return nil, false, fmt.Errorf("want a string like \"least=DelegatedWork\" or an object, got %s", truncate(raw))
	}
	for _, sk := range obj.Least {
		least[sk] = true
	}
	return least, false, nil
}

func truncate(raw json.RawMessage) string {
	if len(raw) > 40 {
		return string(raw[:40]) + "..."
	}
	return string(raw)
}
