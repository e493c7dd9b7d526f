package permissions

// How a description's path template finds its path in a permissions file, the way Microsoft's own
// tools match a request to that file. Read, not copied (the rules are re-derived here in Go):
//
//   - microsoftgraph/kibali src/kibali/AuthZChecker.cs @ 414a6c6 (the library the DevX API loads
//     permissions.json with): with LenientMatch, both the file's paths and the request are
//     lower-cased, single quotes dropped, every {name} written {id}; "AlsoRequires=" in a path's
//     value makes the permission insufficient on its own.
//   - microsoftgraph/microsoft-graph-devx-api PermissionsService/Services/PermissionsStore.cs and
//     UtilityService/UtilityExtensions.cs @ e9622a7 (the /permissions endpoint Graph Explorer and
//     Dev Proxy call): the request is stripped of its query, "microsoft.graph." qualifiers are
//     dropped from action and function names (UriTemplatePathFormat), and every "(...)" parameter
//     list is removed before matching (RemoveParentheses).
//   - microsoftgraph/microsoft-graph-explorer-v4 src/app/utils/query-url-sanitization.ts and
//     src/app/services/slices/scopes.slice.ts @ a2f49ba: key segments become {<previous>-id},
//     function arguments "name=<value>", before the URL is sent to that endpoint.
//   - dotnet/dev-proxy DevProxy.Abstractions/Utils/ProxyUtils.cs (SanitizeUrl, a port of Graph
//     Explorer's) and DevProxy.Plugins/Utils/GraphUtils.cs, Reporting/GraphMinimalPermissions*.cs
//     @ 2c61640: the same sanitising, then the same DevX endpoint.
//   - microsoftgraph/microsoft-graph-devx-content permissions/new/permissions.json @ 6cbd6bb and
//     kibali specs/permissions.md: paths are "simplified URI templates", mostly lower case, keys
//     {id}, function parameters {value}, casts written microsoft.graph.<type>.
//
// None of those tools maps a navigation path to the canonical path the file lists (they answer
// "not found"); alias.go adds that from the description's own x-ms-docs-key-type and GET response
// types. What they do and we deliberately do not: strip a trailing $value/$count/$ref (a $count is
// not its collection's operation, and the suite reports it rather than guess), and let a literal
// segment match any {id} (a template's literal segment is a name, never a key).

import (
	"cmp"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/graphconform/graphconform/contract"
)

var placeholder = regexp.MustCompile(`\{[^{}]*\}`)

// Normalize turns a path template into the form the permissions files use, so that a description's
// template and a file's path compare equal: lower case (Graph matches path segments
// case-insensitively), every {name} written {id} (the files do not name parameters), and the
// "microsoft.graph." namespace prefix of action segments dropped (the PowerShell-flavoured
// descriptions keep it, the files never do). Equal Normalize forms are the Exact rule.
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

// Rule says how a template was matched to a path of the file, in the order the rules are tried:
// the first that finds a path listed for the method wins.
type Rule string

const (
	// Exact: equal Normalize forms (case, parameter names and a leading microsoft.graph. aside).
	Exact Rule = "exact"
	// Normalised: equal after the finer normalisation of segments: function parameter lists
	// compared by parameter name only (quotes, spaces, order and values aside, "()" as none), a
	// positional key "x('{id}')" read as "x/{id}", and any namespace qualifier dropped
	// ("microsoft.graph.security.removeHold", the description's cast "graph.mobileLobApp").
	Normalised Rule = "normalised"
	// CastDropped: equal once type-cast segments inside the path are dropped: a cast narrows the
	// type of what the path already addresses, the file often lists the path without it.
	CastDropped Rule = "cast-dropped"
	// ParametersIgnored: equal once the function's parameter list (the last segment's) is dropped,
	// as the DevX API's RemoveParentheses does; the file often lists a function by name only.
	ParametersIgnored Rule = "parameters-ignored"
	// AliasMe: equal once /me is read as /users/{id}, its documented meaning.
	AliasMe Rule = "alias-me"
	// AliasCanonical: both paths have the same canonical path: a key or single-valued navigation
	// that leads to an entity of an entity set is replaced by that set's path (alias.go).
	AliasCanonical Rule = "alias-canonical"
)

// Rules lists the rules in the order they are tried.
var Rules = []Rule{Exact, Normalised, CastDropped, ParametersIgnored, AliasMe, AliasCanonical}

// Match is a lookup's answer: the file's path that holds the operation's table, and why.
type Match struct {
	Method string
	// Paths are the file's spellings of the matched path (several when they normalise alike;
	// their grants are merged, as kibali merges them).
	Paths []string
	Rule  Rule
	// Via says, for an alias, which rewrites made the two paths one (e.g. "/me is /users/{id};
	// /users/{id}/manageddevices/{id} is /devicemanagement/manageddevices/{id} (managedDevice)").
	Via string
	// keys are the normalized paths whose entries make the table.
	keys []string
}

func (m Match) String() string {
	s := fmt.Sprintf("%s %s (%s)", m.Method, strings.Join(m.Paths, " | "), m.Rule)
	if m.Via != "" {
		s += ": " + m.Via
	}
	return s
}

// seg is one path segment in the form the rules compare.
type seg struct {
	name   string // lower case, namespace qualifier dropped; "{id}" for a key
	params string // a function's parameter names, normalised ("a={id},b={id}"); "" for none
	cast   bool   // written namespace-qualified: a type cast when not the last segment
}

// text is the segment as its normal form writes it.
func (s seg) text() string {
	if s.params == "" {
		return s.name
	}
	return s.name + "(" + s.params + ")"
}

// variant selects which parts of the segments a normal form keeps.
type variant int

const (
	vNormal         variant = iota // every segment, parameter names kept
	vNoCasts                       // casts inside the path dropped
	vNoParams                      // parameter lists dropped
	vNoCastNoParams                // both
	numVariants
)

// variantRules is the rule each variant's match is reported under.
var variantRules = [numVariants]Rule{Normalised, CastDropped, ParametersIgnored, ParametersIgnored}

// parsePath splits a template (or a file's path) into segments; false for a path with a query
// string (the file lists a few, e.g. "...?$filter=..."): a condition no table can express, so it
// never matches a template.
func parsePath(p string) ([]seg, bool) {
	if strings.Contains(p, "?") {
		return nil, false
	}
	p = strings.ReplaceAll(placeholder.ReplaceAllString(p, "{id}"), "'", "")
	var out []seg
	for _, raw := range strings.Split(p, "/") {
		if raw != "" {
			out = append(out, parseSegment(raw)...)
		}
	}
	return out, true
}

// parseSegment reads one segment; a positional key "x({id})" becomes two.
func parseSegment(s string) []seg {
	name, inner, call := s, "", false
	if i := strings.IndexByte(s, '('); i > 0 && strings.HasSuffix(s, ")") {
		name, inner, call = s[:i], strings.TrimSpace(s[i+1:len(s)-1]), true
	}
	sg := seg{name: strings.ToLower(name)}
	for _, q := range []string{"microsoft.graph.", "graph."} {
		if strings.HasPrefix(sg.name, q) {
			sg.cast = true
			sg.name = sg.name[strings.LastIndexByte(sg.name, '.')+1:]
		}
	}
	if !call || inner == "" {
		return []seg{sg}
	}
	parts := strings.Split(inner, ",")
	if len(parts) == 1 && !strings.Contains(parts[0], "=") {
		return []seg{sg, {name: "{id}"}}
	}
	names := make([]string, len(parts))
	for i, part := range parts {
		k, _, _ := strings.Cut(part, "=")
		names[i] = strings.ToLower(strings.TrimSpace(k)) + "={id}"
	}
	sort.Strings(names)
	sg.params = strings.Join(names, ",")
	return []seg{sg}
}

// form writes segments as one comparable string under a variant.
func form(segs []seg, v variant) string {
	var b strings.Builder
	for i, s := range segs {
		if s.cast && i < len(segs)-1 && (v == vNoCasts || v == vNoCastNoParams) {
			continue
		}
		b.WriteByte('/')
		// Only the last segment's list is dropped: that is the function's; a list inside the path
		// is an alternate key (/applications(appId='{appId}')/addKey), and without it the path
		// would name the collection.
		if i < len(segs)-1 || v != vNoParams && v != vNoCastNoParams {
			b.WriteString(s.text())
		} else {
			b.WriteString(s.name)
		}
	}
	if b.Len() == 0 {
		return "/"
	}
	return b.String()
}

// buildForms indexes every normalized path under its normal forms (Parse calls it once).
func (o *Overlay) buildForms() {
	o.segs = map[string][]seg{}
	o.byName = map[string][]string{}
	for v := range o.byVariant {
		o.byVariant[v] = map[string][]string{}
	}
	for _, norm := range slices.Sorted(maps.Keys(o.index)) {
		slices.Sort(o.spellings[norm])
		// The first spelling, not norm: Normalize has dropped the qualifier that marks a cast.
		segs, ok := parsePath(o.spellings[norm][0])
		if !ok || len(segs) == 0 {
			continue
		}
		o.segs[norm] = segs
		for v := range numVariants {
			f := form(segs, v)
			o.byVariant[v][f] = append(o.byVariant[v][f], norm)
		}
		last := segs[len(segs)-1].name
		o.byName[last] = append(o.byName[last], norm)
	}
}

// Lookup answers for one permissions file, with the navigation aliases of one description (or
// none: Overlay's own answers). Safe for concurrent use.
type Lookup struct {
	o       *Overlay
	aliases *aliases
	// byCanon: a normal form (per variant) of a file path's canonical path → normalized paths.
	byCanon [numVariants]map[string][]string
	// fileVia: the rewrites that made a file path canonical, for Match.Via.
	fileVia map[string][]string
}

var _ interface {
	PermissionsFor(method, pathTemplate, revision string) (contract.Permissions, bool)
} = (*Lookup)(nil)

// Find looks a template up; false when no rule finds a path the file lists for the method.
func (l *Lookup) Find(method, template string) (Match, bool) {
	method = strings.ToUpper(method)
	o := l.o
	if norm := Normalize(template); len(o.index[norm][method]) > 0 {
		return o.match(method, Exact, "", norm), true
	}
	segs, ok := parsePath(template)
	if !ok {
		return Match{}, false
	}
	for _, v := range l.variants(segs) {
		if keys := o.withMethod(o.byVariant[v][form(segs, v)], method); len(keys) > 0 {
			return o.match(method, variantRules[v], "", keys...), true
		}
	}
	return l.findAlias(method, segs)
}

// variants are the normal forms a template is compared in, in order. A last segment with a list
// that the description says addresses an entity is an alternate key
// (/applications(uniqueName='{uniqueName}')), not a function: without its list it would name the
// collection.
func (l *Lookup) variants(segs []seg) []variant {
	if l.aliases.types[form(segs, vNormal)] != "" {
		return []variant{vNormal, vNoCasts}
	}
	return []variant{vNormal, vNoCasts, vNoParams, vNoCastNoParams}
}

// findAlias is the alias rules alone (Find tries them last).
func (l *Lookup) findAlias(method string, segs []seg) (Match, bool) {
	o := l.o
	canon, via := l.aliases.canonical(segs)
	for _, v := range l.variants(segs) {
		var keys []string
		for _, k := range o.withMethod(l.byCanon[v][form(canon, v)], method) {
			switch {
			case len(via) == 0 && len(l.fileVia[k]) == 0: // not an alias: the variants saw it
			case startsWithMe(o.segs[k]) && !startsWithMe(segs):
				// A /me table does not carry over to other paths: the file's /me entries often
				// lack the application row their /users/{id} twins have (measured on v1.0: of
				// the actions and functions listed both ways, all that differ differ so). The
				// other way round the file agrees: it gives /me paths the /users/{id} rows,
				// application included, as the reference pages do.
			default:
				keys = append(keys, k)
			}
		}
		if len(keys) == 0 {
			continue
		}
		best := l.preferred(keys, segs, canon, v)
		notes := append(slices.Clone(via), l.fileVia[best]...)
		rule := AliasMe
		for _, n := range notes {
			if n != meNote {
				rule = AliasCanonical
			}
		}
		text := "canonical path " + form(canon, v)
		if len(notes) > 0 {
			text += "; " + strings.Join(slices.Compact(notes), "; ")
		}
		return o.match(method, rule, text, best), true
	}
	return Match{}, false
}

func startsWithMe(segs []seg) bool { return len(segs) > 0 && segs[0] == (seg{name: "me"}) }

// preferred picks one of several file paths with the same canonical path: the one that is the
// canonical path itself, else the one needing the fewest rewrites to become it, else the one
// sharing the longest tail with the template, else the shortest, else the first by name. One path, not their union: aliases the file lists separately
// (/me/x and /users/{id}/x) may carry different grants.
func (l *Lookup) preferred(keys []string, segs, canon []seg, v variant) string {
	type score struct{ canonical, rewrites, tail, length int }
	scoreOf := func(k string) score {
		fs := l.o.segs[k]
		s := score{rewrites: len(l.fileVia[k]), tail: -commonTail(fs, segs), length: len(fs)}
		if form(fs, v) != form(canon, v) {
			s.canonical = 1
		}
		return s
	}
	return slices.MinFunc(keys, func(a, b string) int {
		sa, sb := scoreOf(a), scoreOf(b)
		return cmp.Or(cmp.Compare(sa.canonical, sb.canonical), cmp.Compare(sa.rewrites, sb.rewrites),
			cmp.Compare(sa.tail, sb.tail), cmp.Compare(sa.length, sb.length), cmp.Compare(a, b))
	})
}

func commonTail(a, b []seg) int {
	n := 0
	for n < len(a) && n < len(b) && a[len(a)-1-n].name == b[len(b)-1-n].name {
		n++
	}
	return n
}

func (o *Overlay) withMethod(keys []string, method string) []string {
	var out []string
	for _, k := range keys {
		if len(o.index[k][method]) > 0 {
			out = append(out, k)
		}
	}
	return out
}

func (o *Overlay) match(method string, rule Rule, via string, keys ...string) Match {
	m := Match{Method: method, Rule: rule, Via: via, keys: keys}
	for _, k := range keys {
		m.Paths = append(m.Paths, o.spellings[k]...)
	}
	return m
}

// Explain says why Find finds nothing, for reports: a path listed for other methods only, or
// where else the file lists the operation's name. "" when Find finds a match.
func (l *Lookup) Explain(method, template string) string {
	if _, ok := l.Find(method, template); ok {
		return ""
	}
	method = strings.ToUpper(method)
	segs, ok := parsePath(template)
	if !ok || len(segs) == 0 {
		return "the path cannot be matched (empty, or it has a query string)"
	}
	canon, _ := l.aliases.canonical(segs)
	listed := map[string]bool{}
	var methods, asMe []string
	for _, v := range l.variants(segs) {
		for _, k := range append(slices.Clone(l.o.byVariant[v][form(segs, v)]), l.byCanon[v][form(canon, v)]...) {
			if len(l.o.index[k][method]) > 0 { // only a /me path can be listed for the method here
				asMe = append(asMe, k)
				continue
			}
			listed[k] = true
			for m := range l.o.index[k] {
				if !slices.Contains(methods, m) {
					methods = append(methods, m)
				}
			}
		}
	}
	if len(asMe) > 0 {
		return fmt.Sprintf("the file lists it only as %s, and a /me table does not carry over to other paths (its application row often differs)",
			strings.Join(slices.Compact(slices.Sorted(slices.Values(asMe))), ", "))
	}
	if len(listed) > 0 {
		slices.Sort(methods)
		return fmt.Sprintf("the file lists %s for %s only, not %s", strings.Join(slices.Sorted(maps.Keys(listed)), ", "),
			strings.Join(methods, ", "), method)
	}
	where := "nor its canonical path " + form(canon, vNormal)
	if form(canon, vNormal) == form(segs, vNormal) {
		where = "(it is its own canonical path)"
	}
	last := segs[len(segs)-1].name
	others := l.o.withMethod(l.o.byName[last], method)
	if len(others) == 0 {
		return fmt.Sprintf("the file lists no path %s %s, and %s %s under no path at all", form(segs, vNormal), where, method, last)
	}
	eg := others[:min(3, len(others))]
	return fmt.Sprintf("the file lists no path %s %s; it lists %s %s under %d other path(s), e.g. %s",
		form(segs, vNormal), where, method, last, len(others), strings.Join(eg, ", "))
}

// PermissionsFor implements spec.PermissionSource. It answers only for the overlay's revision and
// only when a rule finds the path for the method.
//
// Least-privileged permissions (the path value's least= names the account kind) are the ones the
// reference page documents: Documented grants. Other permissions the file lists for the path are
// accepted by Microsoft's metadata only (Documented=false, requirement PERM-005, MAY). When no
// permission is marked least for an account kind — the older format carries no marks at all — the
// file is the only statement there is, so every grant is Documented. An account kind no pathSet
// names is not supported.
func (l *Lookup) PermissionsFor(method, pathTemplate, revision string) (contract.Permissions, bool) {
	o := l.o
	if revision != o.Revision {
		return contract.Permissions{}, false
	}
	m, ok := l.Find(method, pathTemplate)
	if !ok {
		return contract.Permissions{}, false
	}
	return o.Table(m), true
}

// Table is the permission table of a match.
func (o *Overlay) Table(m Match) contract.Permissions {
	var entries []entry
	for _, k := range m.keys {
		entries = append(entries, o.index[k][m.Method]...)
	}
	p := contract.Permissions{Revision: o.Revision, Source: "permissions file " + o.Name + ": " + m.String(),
		Schemes: map[contract.Account]contract.Scheme{}}
	for _, acc := range contract.Accounts {
		p.Schemes[acc] = o.scheme(acc, entries)
	}
	return p
}

// PermissionsFor implements spec.PermissionSource with every rule that needs no description.
func (o *Overlay) PermissionsFor(method, pathTemplate, revision string) (contract.Permissions, bool) {
	return o.base.PermissionsFor(method, pathTemplate, revision)
}

// Find is Lookup.Find without a description's aliases.
func (o *Overlay) Find(method, template string) (Match, bool) { return o.base.Find(method, template) }

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

// Explain is Lookup.Explain without a description's aliases.
func (o *Overlay) Explain(method, template string) string { return o.base.Explain(method, template) }
