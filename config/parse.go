package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/graphconform/graphconform/internal/textdist"
)

// Error is one problem with a config file: file, line (0 when unknown), field path and message.
type Error struct {
	File  string
	Line  int
	Field string
	Msg   string
}

func (e *Error) Error() string {
	loc := e.File
	if e.Line > 0 {
		loc += ":" + strconv.Itoa(e.Line)
	}
	if e.Field != "" {
		loc += ": " + oneLine.Replace(e.Field)
	}
	return loc + ": " + oneLine.Replace(e.Msg)
}

// oneLine keeps an error on one line even when it quotes a multi-line value or key from the file.
var oneLine = strings.NewReplacer("\r", `\r`, "\n", `\n`)

// Parse decodes and checks a config file. name is used in errors only; lookup expands ${VAR}.
// It never touches the network or the file system.
func Parse(name string, data []byte, lookup func(string) (string, bool)) (*File, error) {
	f := &File{name: name}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, f.errorf("", "the file is empty; it needs a target: and a personas: section (see docs/usage.md)")
	}
	var root yaml.Node
	if err := safeYAML(func() error { return yaml.Unmarshal(data, &root) }); err != nil {
		return nil, f.yamlError(err)
	}
	doc := &root
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		doc = doc.Content[0]
	}
	if doc.Kind != yaml.MappingNode {
		return nil, &Error{File: name, Line: doc.Line, Msg: "the top level must be a mapping with target: and personas:"}
	}
	f.lines, f.atLine = map[string]int{}, map[int][]string{}
	f.index(doc, "")

	// A second, strict decode: KnownFields turns a misspelt field into an error instead of a
	// silently ignored setting (a misspelt allowMutation must not pass for false unnoticed).
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := safeYAML(func() error { return dec.Decode(f) }); err != nil && !errors.Is(err, io.EOF) {
		return nil, f.yamlError(err)
	}
	var next yaml.Node
	if err := safeYAML(func() error { return dec.Decode(&next) }); err == nil {
		return nil, &Error{File: name, Line: next.Line, Msg: "a second YAML document (after ---); one config file holds one document"}
	}
	if err := f.expand(lookup); err != nil {
		return nil, err
	}
	if err := f.validate(); err != nil {
		return nil, err
	}
	if err := f.validateRun(); err != nil {
		return nil, err
	}
	return f, nil
}

// safeYAML turns a panic of the YAML library into an error: a config file, however broken, must
// give the user a message rather than a stack trace.
func safeYAML(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the YAML parser failed on this input: %v", r)
		}
	}()
	return fn()
}

func (f *File) errorf(field, format string, a ...any) *Error {
	return &Error{File: f.name, Line: f.lines[field], Field: field, Msg: fmt.Sprintf(format, a...)}
}

// index records the line of every mapping key under its field path, e.g. "personas[1].account",
// and the paths on every line (the YAML library reports a line; users need the field).
func (f *File) index(n *yaml.Node, path string) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			p := n.Content[i].Value
			if path != "" {
				p = path + "." + p
			}
			line := n.Content[i].Line
			if _, seen := f.lines[p]; !seen {
				f.lines[p] = line
			}
			f.atLine[line] = append(f.atLine[line], p)
			f.index(n.Content[i+1], p)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			p := fmt.Sprintf("%s[%d]", path, i)
			f.lines[p] = c.Line
			f.index(c, p)
		}
	}
}

var (
	lineMsg      = regexp.MustCompile(`(?s)^line (\d+): (.*)$`)
	unknownField = regexp.MustCompile(`(?s)^field (.+) not found in type (\S+)$`)
	yamlPrefix   = regexp.MustCompile(`(?s)^yaml: (?:line (\d+): )?(.*)$`)
)

// yamlError rewrites the YAML library's errors into the package's one-line form, with the field
// path found from the line (the library reports lines and Go type names, not config paths).
func (f *File) yamlError(err error) error {
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		m := lineMsg.FindStringSubmatch(te.Errors[0])
		if m == nil {
			return &Error{File: f.name, Msg: te.Errors[0]}
		}
		line, _ := strconv.Atoi(m[1])
		msg := m[2]
		field := f.fieldAt(line, "")
		if u := unknownField.FindStringSubmatch(msg); u != nil {
			msg, field = unknownFieldMsg(u[1], u[2]), f.fieldAt(line, u[1])
		} else if strings.HasPrefix(msg, "cannot unmarshal") {
			msg = strings.Replace(msg, "cannot unmarshal", "wrong type:", 1)
		}
		return &Error{File: f.name, Line: line, Field: field, Msg: msg}
	}
	if m := yamlPrefix.FindStringSubmatch(err.Error()); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &Error{File: f.name, Line: line, Msg: "not valid YAML: " + m[2]}
	}
	return &Error{File: f.name, Msg: err.Error()}
}

// fieldAt is the path of the key named key on the line or, without a key, the last key on the
// line (on a line like "timeout: 1s" that is the field whose value is wrong).
func (f *File) fieldAt(line int, key string) string {
	paths := f.atLine[line]
	for i := len(paths) - 1; i >= 0; i-- {
		if key == "" || paths[i] == key || strings.HasSuffix(paths[i], "."+key) {
			return paths[i]
		}
	}
	return ""
}

// sections maps the Go type names the YAML library reports to the types, for "did you mean".
var sections = map[string]reflect.Type{
	"config.File":              reflect.TypeOf(File{}),
	"config.Target":            reflect.TypeOf(Target{}),
	"config.Persona":           reflect.TypeOf(Persona{}),
	"config.ClientCredentials": reflect.TypeOf(ClientCredentials{}),
	"config.Retry":             reflect.TypeOf(Retry{}),
	"config.RunKeys":           reflect.TypeOf(RunKeys{}),
	"config.Select":            reflect.TypeOf(Select{}),
	"config.Product":           reflect.TypeOf(Product{}),
}

func unknownFieldMsg(field, typeName string) string {
	t, ok := sections[typeName]
	if !ok {
		return fmt.Sprintf("unknown field %q", field)
	}
	var valid []string
	suggestion := ""
	for i := 0; i < t.NumField(); i++ {
		tag, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if tag == "" || tag == "-" {
			continue
		}
		valid = append(valid, tag)
		if suggestion == "" && similar(field, tag) {
			suggestion = tag
		}
	}
	if suggestion != "" {
		return fmt.Sprintf("unknown field %q; did you mean %s? (valid: %s)", field, suggestion, strings.Join(valid, ", "))
	}
	return fmt.Sprintf("unknown field %q (valid: %s)", field, strings.Join(valid, ", "))
}

// similar catches the usual misspellings: another case, or one edit away.
func similar(a, b string) bool {
	a, b = strings.ToLower(a), strings.ToLower(b)
	if a == b {
		return true
	}
	if d := len(a) - len(b); d > 1 || d < -1 {
		return false
	}
	return textdist.Edit(a, b) <= 1 || (len(a) > 5 && textdist.Edit(a, b) <= 2)
}
