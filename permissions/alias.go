package permissions

// Navigation aliases. A description lists an operation under every navigation path that reaches
// it (/users/{user-id}/managedDevices/{managedDevice-id}/locateDevice next to
// /deviceManagement/managedDevices/{managedDevice-id}/locateDevice); the permissions file usually
// lists one of them, the canonical path: the entity's own entity set. The description says which
// entity every key addresses (x-ms-docs-key-type) and which entity a single-valued navigation or
// an alternate key leads to (the schema its GET answers with), so both paths can be rewritten to
// that canonical path and compared. Microsoft's tools do not do this (lookup.go); the rules are
// ours, checked on v1.0 against the operations the file lists under both paths
// (TestV1AliasesAgreeWithDirectTables).
//
// The rewrite is deliberately narrow:
//   - A prefix is replaced only by the path of an entity set of its type (a path whose one key is
//     its last segment, like /deviceManagement/managedDevices/{id}). An entity that lives only
//     inside another one (a chat's messages, a channel's members) keeps its path: there the
//     container decides the permission (a channel's members and a team's members are both
//     conversationMembers, with different permissions).
//   - When a type has several entity sets (roleAssignments under roleManagement/directory and
//     under roleManagement/entitlementManagement), only the one of the navigation's name is taken;
//     none when no name matches.
//   - A single-valued navigation of a type without an entity set is one member of the keyed
//     collection of that type beside it, if there is exactly one (calendar of calendars).
//   - The last segment is never rewritten: GET /education/classes/{id}/group has a table of its
//     own, not the one of GET /groups/{id}.

import (
	"maps"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/graphconform/graphconform/spec"
)

// Route is what the alias rules read of one path of a description.
type Route struct {
	// Path is the template, e.g. "/users/{user-id}/presence".
	Path string
	// KeyTypes maps a path parameter to the entity type it is the key of (x-ms-docs-key-type).
	KeyTypes map[string]string
	// Returns is the entity type the path's GET answers with when it answers with one entity of a
	// named schema (a single-valued navigation, an alternate key), "" otherwise. A function's GET
	// does not count: a function is not the entity it returns.
	Returns string
}

// meNote is the rewrite every Graph path starting with /me gets: /me is the signed-in user, and
// Microsoft's reference pages and permissions file give /me/x the rows of /users/{id}/x,
// application included. (Not the other way: the file's own /me entries often lack that row.)
const meNote = "/me is /users/{id}"

var meSegs = []seg{{name: "users"}, {name: "{id}"}}

// aliases knows, from a description, which entity each path prefix addresses.
type aliases struct {
	// types: normal form of a prefix → the entity type it addresses ("" when routes disagree).
	types map[string]string
	// roots: entity type → the normal forms of its entity sets' key paths.
	roots map[string][]string
	// rootSegs: normal form of a root → its segments.
	rootSegs map[string][]seg
	// members: normal form of a parent → the keyed collections under it, by entity type.
	members map[string]map[string][]string
}

// newAliases indexes routes; nil routes give aliases that know only /me.
func newAliases(routes []Route) *aliases {
	a := &aliases{types: map[string]string{}, roots: map[string][]string{}, rootSegs: map[string][]seg{},
		members: map[string]map[string][]string{}}
	typed := map[string][]seg{} // normal form → segments, for every typed prefix
	set := func(f string, segs []seg, t string) {
		if old, seen := a.types[f]; seen && old != t {
			t = "" // two routes disagree: know nothing rather than guess
		}
		a.types[f] = t
		if _, seen := typed[f]; !seen {
			typed[f] = slices.Clone(segs)
		}
	}
	for _, r := range routes {
		if strings.Contains(r.Path, "?") {
			continue
		}
		var segs []seg
		f := "" // form(segs, vNormal), grown with segs
		raw := strings.Split(strings.Trim(r.Path, "/"), "/")
		for i, s := range raw {
			if s == "" {
				continue
			}
			for _, sg := range parseSegment(strings.ReplaceAll(placeholder.ReplaceAllString(s, "{id}"), "'", "")) {
				segs = append(segs, sg)
				f += "/" + sg.text()
			}
			if len(s) > 2 && s[0] == '{' && s[len(s)-1] == '}' && placeholder.MatchString(s) {
				if t := r.KeyTypes[s[1:len(s)-1]]; t != "" {
					set(f, segs, t)
				}
			} else if i == len(raw)-1 && r.Returns != "" {
				set(f, segs, r.Returns)
			}
		}
	}
	// Entity sets: typed paths with one key, at the end, once /me is read as /users/{id}, and not
	// under a singleton that itself stands for an entity of a set (/education/me is an
	// educationUser of /education/users, so /education/me/classes/{id} is not a set of classes).
	isRoot := func(segs []seg) bool {
		keys := 0
		for _, s := range withMe(segs) {
			if s.name == "{id}" {
				keys++
			}
		}
		return keys == 1 && segs[len(segs)-1].name == "{id}"
	}
	candidates := map[string][]string{}
	for _, f := range slices.Sorted(maps.Keys(typed)) {
		if t := a.types[f]; t != "" && isRoot(typed[f]) {
			candidates[t] = append(candidates[t], f)
		}
	}
	underAlias := func(segs []seg) bool {
		for i := 1; i < len(segs)-1; i++ {
			t := a.types[form(segs[:i], vNormal)]
			if len(candidates[t]) > 0 && !slices.Contains(candidates[t], form(segs[:i], vNormal)) {
				return true
			}
		}
		return false
	}
	for t, fs := range candidates {
		for _, f := range fs {
			if !underAlias(typed[f]) {
				a.roots[t] = append(a.roots[t], f)
				a.rootSegs[f] = typed[f]
			}
		}
	}
	for _, f := range slices.Sorted(maps.Keys(typed)) {
		segs, t := typed[f], a.types[f]
		if n := len(segs); t != "" && n >= 3 && segs[n-1].name == "{id}" && segs[n-2].params == "" {
			parent := form(segs[:n-2], vNormal)
			if a.members[parent] == nil {
				a.members[parent] = map[string][]string{}
			}
			a.members[parent][t] = append(a.members[parent][t], segs[n-2].name)
		}
	}
	return a
}

func withMe(segs []seg) []seg {
	if startsWithMe(segs) {
		return append(slices.Clone(meSegs), segs[1:]...)
	}
	return segs
}

// canonical rewrites segments to their canonical path, and says which rewrites it made.
func (a *aliases) canonical(segs []seg) ([]seg, []string) {
	if len(a.types) == 0 { // no description: only /me is known
		if startsWithMe(segs) {
			return withMe(segs), []string{meNote}
		}
		return segs, nil
	}
	var notes []string
	rest := segs
	var out []seg
	f, w := "", "" // the normal forms of out and of segs so far, built as they grow
	if startsWithMe(segs) {
		out, rest = slices.Clone(meSegs), segs[1:]
		notes = append(notes, meNote)
		f, w = form(meSegs, vNormal), "/me"
	}
	for i, s := range rest {
		parentF, parentW := f, w
		out = append(out, s)
		f += "/" + s.text()
		w += "/" + s.text()
		t := a.types[f]
		if t == "" { // the description may list the prefix only as written (/me/x, not /users/{id}/x)
			t = a.types[w]
		}
		if t == "" || slices.Contains(a.roots[t], f) || i == len(rest)-1 {
			// Not the last segment either: the path that ends at a navigation (GET
			// /education/classes/{id}/group) has a table of its own, unlike what lies beyond it.
			continue
		}
		if len(a.roots[t]) == 0 {
			// A single-valued navigation next to a keyed collection of the same type under the same
			// parent names one member of it: calendar one of calendars, root one of items.
			if coll := a.member(parentF, parentW, t, s); coll != "" {
				notes = append(notes, f+" is one of "+parentF+"/"+coll+"/{id} ("+t+")")
				out = append(out[:len(out)-1], seg{name: coll}, seg{name: "{id}"})
				f = parentF + "/" + coll + "/{id}"
			}
			continue
		}
		nav := s.name
		if nav == "{id}" && len(out) > 1 {
			nav = out[len(out)-2].name
		}
		if r := a.pick(t, nav); r != "" {
			notes = append(notes, f+" is "+r+" ("+t+")")
			out, f = slices.Clone(a.rootSegs[r]), r
		}
	}
	return out, notes
}

// member finds the one keyed collection of type t under the parent (its canonical or its written
// normal form) that the single-valued navigation s belongs to; "" when s is a key or a call, or
// when there is no such collection or several (a team has channels, allChannels and
// incomingChannels: its primaryChannel stays as it is).
func (a *aliases) member(parentF, parentW, t string, s seg) string {
	if s.name == "{id}" || s.params != "" || parentF == "" {
		return ""
	}
	for _, p := range []string{parentF, parentW} {
		colls := a.members[p][t]
		if len(colls) == 1 && colls[0] != s.name {
			return colls[0]
		}
		if len(colls) > 1 {
			return ""
		}
	}
	return ""
}

// pick chooses the entity set a navigation named nav leads to: the type's only one, or the one
// of that name.
func (a *aliases) pick(t, nav string) string {
	roots := a.roots[t]
	if len(roots) == 1 {
		return roots[0]
	}
	var named []string
	for _, r := range roots {
		rs := a.rootSegs[r]
		if len(rs) >= 2 && rs[len(rs)-2].name == nav {
			named = append(named, r)
		}
	}
	if len(named) == 1 {
		return named[0]
	}
	return ""
}

// Bind makes a Lookup that also matches through the navigation aliases of routes (RoutesOf).
func (o *Overlay) Bind(routes []Route) *Lookup {
	l := &Lookup{o: o, aliases: newAliases(routes), fileVia: map[string][]string{}}
	for v := range l.byCanon {
		l.byCanon[v] = map[string][]string{}
	}
	for _, norm := range slices.Sorted(maps.Keys(o.segs)) {
		canon, via := l.aliases.canonical(o.segs[norm])
		if len(via) > 0 {
			l.fileVia[norm] = via
		}
		for v := range numVariants {
			f := form(canon, v)
			l.byCanon[v][f] = append(l.byCanon[v][f], norm)
		}
	}
	return l
}

var _ spec.DescriptionBinder = (*Overlay)(nil)

// ForDescription implements spec.DescriptionBinder: Contracts looks operations up with the
// description's aliases.
func (o *Overlay) ForDescription(d *spec.Description) spec.PermissionSource {
	return o.Bind(RoutesOf(d.Doc))
}

// RoutesOf reads the routes of a description loaded with kin-openapi, in path order.
func RoutesOf(doc *openapi3.T) []Route {
	if doc == nil || doc.Paths == nil {
		return nil
	}
	var out []Route
	for _, p := range doc.Paths.Keys() {
		item := doc.Paths.Value(p)
		if item == nil {
			continue
		}
		r := Route{Path: p, KeyTypes: map[string]string{}}
		lists := []openapi3.Parameters{item.Parameters}
		for _, op := range item.Operations() {
			lists = append(lists, op.Parameters)
		}
		for _, list := range lists {
			for _, ref := range list {
				if ref == nil || ref.Value == nil || ref.Value.In != openapi3.ParameterInPath {
					continue
				}
				if t, _ := ref.Value.Extensions["x-ms-docs-key-type"].(string); t != "" {
					r.KeyTypes[ref.Value.Name] = t
				}
			}
		}
		if g := item.Get; g != nil && g.Responses != nil {
			if kind, _ := g.Extensions["x-ms-docs-operation-type"].(string); kind != "function" && kind != "action" {
				for _, status := range g.Responses.Keys() { // sorted
					resp := g.Responses.Value(status)
					if !strings.HasPrefix(status, "2") || resp == nil || resp.Value == nil {
						continue
					}
					if mt := resp.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil {
						r.Returns = EntityType(mt.Schema.Ref)
						break
					}
				}
			}
		}
		out = append(out, r)
	}
	return out
}

// EntityType names the entity type a schema reference stands for ("#/components/schemas/
// microsoft.graph.presence" → "presence", as x-ms-docs-key-type names it); "" for no reference or
// a collection response.
func EntityType(ref string) string {
	name, ok := strings.CutPrefix(ref, "#/components/schemas/")
	if !ok || name == "" || strings.HasSuffix(name, "CollectionResponse") {
		return ""
	}
	return name[strings.LastIndexByte(name, '.')+1:]
}
