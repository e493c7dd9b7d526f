package persona

import (
	"strings"

	"github.com/graphconform/graphconform/contract"
)

// Against a target that trusts the suite's fixture issuer, the suite can mint any persona it needs,
// so each operation gets the personas its own permission table calls for (style note, item 4: each
// documented grant x account kind, one insufficient, one personal) instead of a fixed set that is
// "insufficient" for every table but one. A derived persona holds exactly one permission and is named
// after its account kind and that permission ("work-Mail.Send"): the same name always means the same
// persona, so the personas of all operations join into one set (ForOperations) minted once.

// insufficientPermissions are real Graph permissions an insufficient persona may hold: the first one
// a table does not list (in any row) is the one its work persona without an accepted permission holds.
var insufficientPermissions = []string{"User.Read", "Calendars.Read", "Contacts.Read", "Notes.Read", "Tasks.Read", "Files.Read", "Sites.Read.All", "Directory.Read.All"}

// derivedOrder is the order derived personas are listed in: the documented path first.
var derivedOrder = []contract.Account{contract.Work, contract.Application, contract.Personal}

// ForContract is the personas one operation's permission cases use: the base personas relevant to the
// table, then one derived persona for each documented grant of each supported account kind that no
// relevant base persona of that kind holds; one holding only a permissions-metadata grant (PERM-005)
// when the table has one and no persona is allowed by metadata alone; one work persona holding no
// accepted permission (PERM-003) when none is refused for that; and, for each account kind the table
// does not support, one persona of that kind (PERM-002, PERM-004) when the base has none. Pure: the
// same table and base give the same personas, without tokens (base personas keep theirs).
func ForContract(p contract.Permissions, base Set) Set {
	listed, resources := map[string]bool{}, map[string]bool{}
	for _, s := range p.Schemes {
		for _, g := range s.Grants {
			listed[strings.ToLower(g.Permission)] = true
			resources[resource(g.Permission)] = true
		}
	}
	var out Set
	taken := map[string]bool{}
	for _, b := range base {
		taken[b.Name] = true
		for _, h := range b.Permissions {
			if listed[strings.ToLower(h)] || resources[resource(h)] {
				out = append(out, b)
				break
			}
		}
	}
	add := func(acc contract.Account, perm string) {
		name := string(acc) + "-" + perm
		for taken[name] { // a base persona already has the name: keep it distinct, deterministically
			name += "-derived"
		}
		taken[name] = true
		out = append(out, Persona{Name: name, Account: acc, Permissions: []string{perm}})
	}
	holds := func(acc contract.Account, perm string) bool {
		for _, q := range out {
			if q.Account != acc {
				continue
			}
			for _, h := range q.Permissions {
				if strings.EqualFold(h, perm) {
					return true
				}
			}
		}
		return false
	}
	outcome := func(accs []contract.Account, want ...contract.Outcome) bool {
		for _, q := range out {
			for _, acc := range accs {
				if q.Account != acc {
					continue
				}
				got := p.Decide(q.Account, q.Permissions).Outcome
				for _, w := range want {
					if got == w {
						return true
					}
				}
			}
		}
		return false
	}
	for _, acc := range derivedOrder {
		if s := p.Schemes[acc]; s.Supported {
			for _, g := range s.Grants {
				if g.Documented && !holds(acc, g.Permission) {
					add(acc, g.Permission)
				}
			}
		}
	}
	if !outcome(derivedOrder, contract.AllowedByMetadata) {
	meta:
		for _, acc := range derivedOrder {
			if s := p.Schemes[acc]; s.Supported {
				for _, g := range s.Grants {
					if !g.Documented {
						add(acc, g.Permission)
						break meta
					}
				}
			}
		}
	}
	// PERM-003: a work persona refused for its permissions (or its kind, where work is unsupported);
	// an insufficient application persona is judged by the same requirement.
	if !outcome([]contract.Account{contract.Work}, contract.Insufficient, contract.Unsupported) &&
		!outcome([]contract.Account{contract.Application}, contract.Insufficient) {
		if s := p.Schemes[contract.Work]; s.Supported {
			for _, perm := range insufficientPermissions {
				if !listed[strings.ToLower(perm)] {
					add(contract.Work, perm)
					break
				}
			}
		} else if perm := firstDocumented(p); perm != "" {
			add(contract.Work, perm)
		}
	}
	// An unsupported kind is refused whatever it holds: it holds a grant of another kind, so the
	// refusal can only be for the account kind.
	for _, acc := range derivedOrder {
		if s := p.Schemes[acc]; !s.Supported && !outcome([]contract.Account{acc}, contract.Unsupported) {
			if perm := firstDocumented(p); perm != "" {
				add(acc, perm)
			}
		}
	}
	return out
}

// Allowed is the persona of the set the table allows, a work account first (the documented path),
// then an application; false when it allows none.
func Allowed(p contract.Permissions, set Set) (Persona, bool) {
	for _, want := range []contract.Account{contract.Work, contract.Application} {
		for _, q := range set {
			if q.Account == want && p.Decide(q.Account, q.Permissions).Outcome == contract.Allowed {
				return q, true
			}
		}
	}
	return Persona{}, false
}

// ForOperations joins the personas of every operation's table (ForContract) into one set, each once,
// in first-use order, with the persona that makes each key's fixture entity where its collection POST
// has a table of its own (Allowed of ForContract of that table): the set a run mints tokens for
// before anything is sent.
func ForOperations(ops []contract.Operation, base Set) Set {
	var out Set
	seen := map[string]bool{}
	add := func(q Persona) {
		if !seen[q.Name] {
			seen[q.Name] = true
			out = append(out, q)
		}
	}
	for i := range ops {
		for _, q := range ForContract(ops[i].Permissions, base) {
			add(q)
		}
		for _, k := range ops[i].PathParams {
			if k.Create != nil && k.Create.Permissions != nil {
				if q, ok := Allowed(*k.Create.Permissions, ForContract(*k.Create.Permissions, base)); ok {
					add(q)
				}
			}
		}
	}
	return out
}

// firstDocumented is the table's first documented grant, work first, "" when it documents none.
func firstDocumented(p contract.Permissions) string {
	for _, acc := range derivedOrder {
		for _, g := range p.Schemes[acc].Grants {
			if g.Documented {
				return g.Permission
			}
		}
	}
	return ""
}

// resource is a permission's resource part, lower-cased: "devicemanagementserviceconfig" of
// DeviceManagementServiceConfig.Read.All. A base persona holding another permission of a resource the
// table lists is relevant to it: a reader of the same resource is the natural insufficient persona.
func resource(perm string) string {
	r, _, _ := strings.Cut(perm, ".")
	return strings.ToLower(r)
}
