package refdoc

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The names below follow what Microsoft's CSDL → OpenAPI converter derives (graph-contract.md 1.1,
// conversion-settings/openapi.json), so a description made from a page names its operation, tag and
// key parameter as Microsoft's openapi.yaml does.

var placeholderRE = regexp.MustCompile(`\{([^{}]*)\}`)

// pathParam is a parameter of a converted path template.
type pathParam struct {
	Name    string
	KeyType string // the entity type the key identifies, "" for a function parameter
}

// segment is a path segment; key is the entity type for a key segment ({remoteAssistancePartnerId}).
type segment struct {
	literal, key string
}

// convertPath turns a docs path into Microsoft's template: a key placeholder {partnerId}, {id} or
// {id | userPrincipalName} becomes {partner-id} (PrefixEntityTypeNameBeforeKey), its type the
// placeholder without "Id", or for a bare {id} the singular of the preceding segment. Placeholders
// inside a function call's parentheses are parameters, kept as written.
func convertPath(p string) (string, []pathParam, []segment) {
	parts := strings.Split(strings.Trim(p, "/"), "/")
	var params []pathParam
	var segs []segment
	for i, part := range parts {
		if m := placeholderRE.FindStringSubmatch(part); m != nil && m[0] == part {
			name := strings.TrimSpace(strings.Split(m[1], "|")[0])
			typ := strings.TrimSuffix(strings.TrimSuffix(name, "-id"), "Id")
			if (typ == "id" || typ == "") && i > 0 {
				typ = singular(parts[i-1])
			}
			parts[i] = "{" + typ + "-id}"
			params = append(params, pathParam{Name: typ + "-id", KeyType: typ})
			segs = append(segs, segment{key: typ})
			continue
		}
		for _, m := range placeholderRE.FindAllStringSubmatch(part, -1) {
			params = append(params, pathParam{Name: m[1]})
		}
		segs = append(segs, segment{literal: part})
	}
	return "/" + strings.Join(parts, "/"), params, segs
}

// singular undoes the plural of an entity set or navigation property name.
func singular(s string) string {
	switch {
	case strings.HasSuffix(s, "ies"):
		return s[:len(s)-3] + "y"
	case strings.HasSuffix(s, "sses"), strings.HasSuffix(s, "xes"):
		return s[:len(s)-2]
	case strings.HasSuffix(s, "s") && !strings.HasSuffix(s, "ss"):
		return s[:len(s)-1]
	}
	return s
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// operationID: for actions and functions the segments joined by "." with a key segment contributing
// its entity type (deviceManagement.remoteAssistancePartners.remoteAssistancePartner.disconnect);
// for CRUD operations the owner's segments then List/Create (collection) or Get/Update/Delete (item)
// and the navigation property (deviceManagement.GetRemoteAssistancePartners), or for an entity set
// users.user.GetUser.
func operationID(kind, method string, segs []segment) string {
	var names []string
	for _, s := range segs {
		n := s.literal
		if s.key != "" {
			n = s.key
		}
		// The namespace-qualified segment stays: it keeps …/microsoft.graph.disconnect apart from …/disconnect.
		names = append(names, n)
	}
	if kind == "action" || kind == "function" || len(segs) == 0 {
		return strings.Join(names, ".")
	}
	item := segs[len(segs)-1].key != ""
	nav := len(segs) - 1
	if item {
		nav--
	}
	if nav < 0 {
		return strings.Join(names, ".")
	}
	verb := map[bool]map[string]string{
		false: {"GET": "List", "POST": "Create"},
		true:  {"GET": "Get", "PATCH": "Update", "PUT": "Set", "DELETE": "Delete"},
	}[item][method]
	if verb == "" {
		return strings.Join(names, ".") + "." + strings.ToLower(method)
	}
	if nav == 0 { // an entity set: users.user.GetUser
		typ := singular(segs[0].literal)
		return segs[0].literal + "." + typ + "." + verb + upperFirst(typ)
	}
	return strings.Join(names[:nav], ".") + "." + verb + upperFirst(segs[nav].literal)
}

// tag is the converter's TagDepth 2 name: the first segment and the entity type under it
// (deviceManagement.remoteAssistancePartner, users.user).
func tag(segs []segment) string {
	if len(segs) == 0 {
		return ""
	}
	first := segs[0].literal
	for _, s := range segs[1:min(3, len(segs))] {
		if s.key != "" {
			return first + "." + s.key
		}
	}
	if len(segs) > 1 {
		return first + "." + singular(segs[1].literal)
	}
	return first + "." + first
}

// boundName is true for a path whose last segment is a name right after a key segment: where Graph
// binds actions (…/{id}/disconnect).
func boundName(p string) bool {
	parts := strings.Split(strings.Trim(p, "/"), "/")
	n := len(parts)
	return n >= 2 && !strings.HasPrefix(parts[n-1], "{") && strings.HasPrefix(parts[n-2], "{")
}
