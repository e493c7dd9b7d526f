package permissions

import (
	"regexp"
	"sort"
	"strings"

	"github.com/graphconform/graphconform/contract"
)

var placeholder = regexp.MustCompile(`\{[^{}]*\}`)

// Normalize turns a path template into the form the permissions files use, so that a description's
// template and a file's path compare equal: lower case (Graph matches path segments
// case-insensitively), every {name} written {id} (the files do not name parameters), and the
// "microsoft.graph." namespace prefix of action segments dropped (the PowerShell-flavoured
// descriptions keep it, the files never do).
func Normalize(p string) string {
	p = placeholder.ReplaceAllString(strings.ToLower(p), "{id}")
	segs := strings.Split(strings.Trim(p, "/"), "/")
	for i, s := range segs {
		for strings.HasPrefix(s, "microsoft.graph.") { // a loop keeps Normalize idempotent
			s = strings.TrimPrefix(s, "microsoft.graph.")
		}
		segs[i] = s
	}
	return "/" + strings.Join(segs, "/")
}

// PermissionsFor implements spec.PermissionSource. It answers only for the overlay's revision and
// only when the file lists the path and method.
//
// Least-privileged permissions (the path value's least= names the account kind) are the ones the
// reference page documents: Documented grants. Other permissions the file lists for the path are
// accepted by Microsoft's metadata only (Documented=false, requirement PERM-005, MAY). When no
// permission is marked least for an account kind — the older format carries no marks at all — the
// file is the only statement there is, so every grant is Documented. An account kind no pathSet
// names is not supported.
func (o *Overlay) PermissionsFor(method, pathTemplate, revision string) (contract.Permissions, bool) {
	if revision != o.Revision {
		return contract.Permissions{}, false
	}
	entries := o.index[Normalize(pathTemplate)][strings.ToUpper(method)]
	if len(entries) == 0 {
		return contract.Permissions{}, false
	}
	p := contract.Permissions{Revision: o.Revision, Source: "permissions file " + o.Name,
		Schemes: map[contract.Account]contract.Scheme{}}
	for _, acc := range contract.Accounts {
		p.Schemes[acc] = o.scheme(acc, entries)
	}
	return p, true
}

func (o *Overlay) scheme(acc contract.Account, entries []entry) contract.Scheme {
	least := map[string]bool{}
	var order []string
	anyLeast := false
	for _, e := range entries {
		if e.account != acc {
			continue
		}
		if _, seen := least[e.permission]; !seen {
			order = append(order, e.permission)
		}
		// Listed twice (two pathSets): least in either is least.
		least[e.permission] = least[e.permission] || e.least
		anyLeast = anyLeast || e.least
	}
	if len(order) == 0 {
		return contract.Scheme{Supported: false}
	}
	s := contract.Scheme{Supported: true}
	for _, perm := range order {
		documented := least[perm] || !anyLeast
		src := "permissions file " + o.Name + ": least privileged"
		switch {
		case !anyLeast:
			src = "permissions file " + o.Name + ": no least-privilege marks, taken as documented"
		case !least[perm]:
			src = "permissions file " + o.Name + ": listed, not least privileged"
		}
		s.Grants = append(s.Grants, contract.Grant{Permission: perm, Documented: documented, Source: src})
	}
	// Documented grants first, then by name: the order reports and spec texts show.
	sort.SliceStable(s.Grants, func(i, j int) bool {
		if s.Grants[i].Documented != s.Grants[j].Documented {
			return s.Grants[i].Documented
		}
		return s.Grants[i].Permission < s.Grants[j].Permission
	})
	return s
}
