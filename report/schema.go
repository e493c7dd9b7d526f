package report

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	jskind "github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// schemaJSON is the JSON Schema (draft 2020-12) of report.json: what ReadJSON accepts, published
// for tools that read the file (graphconform schema report prints it).
//
//go:embed report.schema.json
var schemaJSON []byte

// SchemaJSON returns the JSON Schema of report.json.
func SchemaJSON() []byte { return bytes.Clone(schemaJSON) }

const schemaURL = "https://github.com/graphconform/graphconform/report/report.schema.json"

// The schema uses no propertyNames (nor contentSchema): jsonschema v6.0.3 reports their violations
// at a location that aliases a sibling's, so the pointer in the error would be wrong.
//
// schema is compiled once; the embedded file is ours, so a failure is a build defect that every
// test reading a report shows.
var schema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		return nil, fmt.Errorf("report: the embedded report.schema.json: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(schemaURL, doc); err != nil {
		return nil, fmt.Errorf("report: the embedded report.schema.json: %w", err)
	}
	s, err := c.Compile(schemaURL)
	if err != nil {
		return nil, fmt.Errorf("report: the embedded report.schema.json: %w", err)
	}
	return s, nil
})

// InvalidError is a report that does not read as one: Pointer (RFC 6901) says where, Problem what.
type InvalidError struct {
	Pointer, Problem string
}

func (e *InvalidError) Error() string {
	return "report: reading JSON: " + e.where() + ": " + e.Problem
}

func (e *InvalidError) where() string {
	if e.Pointer == "" {
		return "(document)"
	}
	return e.Pointer
}

// Brief is the error without its "report: reading JSON" prefix, for a caller that names the file:
// "/verdicts/3/outcome: ...".
func (e *InvalidError) Brief() string { return e.where() + ": " + e.Problem }

func invalid(pointer, format string, args ...any) *InvalidError {
	return &InvalidError{Pointer: pointer, Problem: fmt.Sprintf(format, args...)}
}

// ValidateFile reads and checks a report.json as ReadJSON does, naming the file in the error: the
// helper tests call on every report.json they make a run write.
func ValidateFile(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if _, err := readJSON(b); err != nil {
		var ie *InvalidError
		if errors.As(err, &ie) {
			return fmt.Errorf("%s: %s", path, ie.Brief())
		}
		return fmt.Errorf("%s: %v", path, err)
	}
	return nil
}

// validateSchema checks a decoded document (jsonschema.UnmarshalJSON: numbers as json.Number)
// against the schema and names the first problem.
func validateSchema(doc any) error {
	s, err := schema()
	if err != nil {
		return err
	}
	err = s.Validate(doc)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return fmt.Errorf("report: reading JSON: %w", err)
	}
	var leaves []*jsonschema.ValidationError
	var walk func(*jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			leaves = append(leaves, e)
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	if len(leaves) == 0 {
		leaves = []*jsonschema.ValidationError{ve}
	}
	problems := make([]*InvalidError, 0, len(leaves))
	derived := map[*InvalidError]bool{}
	for _, l := range leaves {
		p, rule := leafProblem(l)
		problems = append(problems, p)
		derived[p] = rule
	}
	// A member that is wrong in itself ("FAIL" is no outcome) is named before one that breaks a rule
	// between members only because of it (blocking on what is then not a failure).
	sort.SliceStable(problems, func(i, j int) bool {
		if a, b := problems[i], problems[j]; derived[a] != derived[b] {
			return !derived[a]
		}
		return pointerLess(problems[i].Pointer, problems[j].Pointer)
	})
	first := *problems[0]
	if n := len(problems) - 1; n > 0 {
		first.Problem += fmt.Sprintf(" (and %d more %s)", n, map[bool]string{true: "problem", false: "problems"}[n == 1])
	}
	return &first
}

var printer = message.NewPrinter(language.English)

// leafProblem is one schema violation in words, pointing at the offending member where the
// library points at its object (an unknown property), and whether it breaks an if/then rule.
func leafProblem(e *jsonschema.ValidationError) (*InvalidError, bool) {
	p := &InvalidError{Pointer: pointer(e.InstanceLocation), Problem: e.ErrorKind.LocalizedString(printer)}
	switch k := e.ErrorKind.(type) {
	case *jskind.AdditionalProperties:
		if len(k.Properties) > 0 {
			p.Pointer += "/" + escapeToken(k.Properties[0])
			p.Problem = "unknown field: the report.json schema has no " + strconv.Quote(k.Properties[0])
			if len(k.Properties) > 1 {
				p.Problem += fmt.Sprintf(" (nor %d more)", len(k.Properties)-1)
			}
		}
	case *jskind.Required:
		p.Problem = "missing required field(s) " + quoteAll(k.Missing)
	case *jskind.Enum:
		p.Problem = fmt.Sprintf("%s is not one of %s", show(k.Got), showAll(k.Want))
	case *jskind.Const:
		p.Problem = fmt.Sprintf("%s, must be %s", show(k.Got), show(k.Want))
	}
	why := ruleOf(e.SchemaURL)
	if why != "" {
		p.Problem += " (" + why + ")"
	}
	return p, why != ""
}

// ruleOf is the description of the if/then rule a violation comes from, e.g. "only a failed verdict
// can block": a bare `false, must be true` would not say why.
func ruleOf(schemaURL string) string {
	_, frag, ok := strings.Cut(schemaURL, "#")
	if !ok {
		return ""
	}
	if f, err := url.PathUnescape(frag); err == nil {
		frag = f
	}
	var node any
	if err := json.Unmarshal(schemaJSON, &node); err != nil {
		return ""
	}
	why := ""
	for _, tok := range strings.Split(strings.TrimPrefix(frag, "/"), "/") {
		m, ok := node.(map[string]any)
		if !ok {
			if a, isArr := node.([]any); isArr {
				if i, err := strconv.Atoi(tok); err == nil && i >= 0 && i < len(a) {
					node = a[i]
					continue
				}
			}
			return why
		}
		node = m[unescapeToken(tok)]
		if tok == "then" || tok == "else" {
			if d, ok := node.(map[string]any)["description"].(string); ok {
				why = d
			}
		}
	}
	return why
}

func show(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func showAll(vs []any) string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = show(v)
	}
	return strings.Join(out, ", ")
}

func quoteAll(ss []string) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strconv.Quote(s)
	}
	return strings.Join(out, ", ")
}

func pointer(tokens []string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteString("/" + escapeToken(t))
	}
	return b.String()
}

func escapeToken(t string) string {
	return strings.ReplaceAll(strings.ReplaceAll(t, "~", "~0"), "/", "~1")
}
func unescapeToken(t string) string {
	return strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
}

// pointerLess orders pointers as the document does: token by token, array indexes as numbers.
func pointerLess(a, b string) bool {
	as, bs := strings.Split(a, "/"), strings.Split(b, "/")
	for i := 0; i < len(as) && i < len(bs); i++ {
		if as[i] == bs[i] {
			continue
		}
		x, errx := strconv.Atoi(as[i])
		y, erry := strconv.Atoi(bs[i])
		if errx == nil && erry == nil {
			return x < y
		}
		return as[i] < bs[i]
	}
	return len(as) < len(bs)
}
