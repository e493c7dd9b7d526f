package refdoc

import (
	"encoding/json"
	"maps"
	"regexp"
	"slices"
	"strings"
)

// paramNameRE is a body parameter's name as a table's first column or a JSON example writes it.
var paramNameRE = regexp.MustCompile(`[A-Za-z_@][A-Za-z0-9_.@-]*`)

// readBody decides the body rule from the request-body section's structure: a JSON code block or a
// parameter table means the operation takes a body; prose alone ("Do not supply a request body")
// means it takes none.
func (p *Page) readBody(d *document) {
	secs := d.find("request-body")
	p.ParamTypes = map[string]string{}
	for _, s := range secs {
		for _, b := range s.blocks {
			text := strings.TrimSpace(strings.Join(b.lines, "\n"))
			if b.lang != "json" && !strings.HasPrefix(text, "{") {
				continue
			}
			p.Body.Accepted = true
			var obj map[string]any
			if json.Unmarshal([]byte(text), &obj) == nil {
				for _, k := range slices.Sorted(maps.Keys(obj)) { // sorted: the output must not vary
					p.addParam(k, jsonType(obj[k]))
				}
			}
		}
	}
	for _, t := range tables(secs) {
		for _, row := range t {
			p.Body.Accepted = true
			if name := paramNameRE.FindString(strings.Trim(row[0], "`* ")); name != "" {
				typ := ""
				if len(row) > 1 {
					typ = edmType(row[1])
				}
				p.addParam(name, typ)
			}
		}
	}
}

// maxName bounds paths and parameter names: YAML allows implicit keys of at most 1,024 characters.
const maxName = 512

func (p *Page) addParam(name, typ string) {
	if len(name) > maxName || paramNameRE.FindString(name) != name {
		return // not a parameter name: a stray table row or an example's odd key
	}
	if _, ok := p.ParamTypes[name]; !ok {
		p.Body.Parameters = append(p.Body.Parameters, name)
	}
	p.ParamTypes[name] = typ
}

func jsonType(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return ""
}

// edmType maps the type column of a parameter table (OData type names, not translated).
func edmType(cell string) string {
	t := strings.ToLower(strings.Trim(cell, "`* "))
	switch {
	case strings.HasPrefix(t, "collection"):
		return "array"
	case t == "string" || t == "datetimeoffset" || t == "guid" || t == "date":
		return "string"
	case t == "boolean":
		return "boolean"
	case strings.HasPrefix(t, "int"):
		return "integer"
	case t == "double" || t == "single" || t == "decimal":
		return "number"
	}
	return ""
}
