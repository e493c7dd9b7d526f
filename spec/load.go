// Package spec loads OpenAPI descriptions with kin-openapi and turns the selected operations into
// contracts (package contract).
//
// Only what is used is validated: each selected operation and the schemas it reaches, never the whole
// document (kin-openapi's doc.Validate is super-linear on cross-referenced descriptions: minutes on a
// Graph-sized file).
package spec

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"path/filepath"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/graphconform/graphconform/input"
)

//go:embed openapi/disconnect.yaml
var disconnectYAML []byte

// DefaultName is the name of the description graphconform ships and uses when none is given.
const DefaultName = "spec/openapi/disconnect.yaml"

// Description is a loaded OpenAPI document.
type Description struct {
	// Name is where the document came from (a file path or DefaultName), for error messages and reports.
	Name string
	// SHA256 is the hex digest of the document's bytes, for reports.
	SHA256 string
	Doc    *openapi3.T
}

// Default returns the description graphconform ships.
func Default() (*Description, error) { return Load(DefaultName, disconnectYAML) }

// DefaultBytes returns the bytes of the shipped description.
func DefaultBytes() []byte { return append([]byte(nil), disconnectYAML...) }

// LoadFile loads a description from a YAML or JSON file.
func LoadFile(path string) (*Description, error) {
	data, err := input.ReadFile(path, input.Description, "OpenAPI descriptions")
	if err != nil {
		return nil, fmt.Errorf("OpenAPI description %s: %w", path, err)
	}
	return Load(path, data)
}

// Load parses a description. External references are refused: a description must be self-contained.
func Load(name string, data []byte) (d *Description, err error) {
	// kin-openapi can panic on some malformed inputs; a broken file is an error, never a crash.
	defer func() {
		if r := recover(); r != nil {
			d, err = nil, fmt.Errorf("OpenAPI description %s: cannot be parsed: %v", name, r)
		}
	}()
	if len(data) == 0 {
		return nil, fmt.Errorf("OpenAPI description %s: the file is empty", name)
	}
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("OpenAPI description %s: cannot be loaded: %w", name, err)
	}
	if doc.OpenAPI == "" {
		return nil, fmt.Errorf("OpenAPI description %s: no \"openapi\" version field; is this an OpenAPI 3 document?", name)
	}
	if doc.Paths == nil || doc.Paths.Len() == 0 {
		return nil, fmt.Errorf("OpenAPI description %s: declares no paths", name)
	}
	sum := sha256.Sum256(data)
	return &Description{Name: name, SHA256: hex.EncodeToString(sum[:]), Doc: doc}, nil
}

// validateOperation validates what the contract reads of one operation: its parameters, the
// presence of its request body, and its responses down to their media types. It deliberately does
// not call op.Validate: that walks every schema reachable from the operation again for each
// operation, which on Graph's cross-linked entity schemas costs seconds per hundred operations.
func (d *Description) validateOperation(ctx context.Context, path string, item *openapi3.PathItem, op *openapi3.Operation) error {
	where := fmt.Sprintf("OpenAPI description %s: operation %s", d.Name, opName(op, path))
	for _, list := range []openapi3.Parameters{item.Parameters, op.Parameters} {
		for _, p := range list {
			if p == nil || p.Value == nil {
				return fmt.Errorf("OpenAPI description %s: path %s: unresolved parameter %s", d.Name, path, refOf(p))
			}
			// Parameter schemas are scalars in Graph descriptions: validating them is cheap.
			if err := p.Value.Validate(ctx); err != nil {
				return fmt.Errorf("OpenAPI description %s: path %s: parameter %q: %w", d.Name, path, p.Value.Name, err)
			}
		}
	}
	if op.RequestBody != nil && op.RequestBody.Value == nil {
		return fmt.Errorf("%s: unresolved request body %s", where, op.RequestBody.Ref)
	}
	if op.Responses == nil || op.Responses.Len() == 0 {
		return fmt.Errorf("%s: the operation declares no responses (OpenAPI requires at least one)", where)
	}
	for _, status := range op.Responses.Keys() {
		ref := op.Responses.Value(status)
		if ref == nil || ref.Value == nil {
			return fmt.Errorf("%s: response %s: unresolved reference %s", where, status, refOf(ref))
		}
		if err := validStatusKey(status); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		for mediaType, mt := range ref.Value.Content {
			// kin-openapi accepts `content: {application/json: null}`; a media type must be an object.
			if mt == nil {
				return fmt.Errorf("%s: response %s: media type %s is empty (want an object with a schema)", where, status, mediaType)
			}
			if mt.Schema != nil && mt.Schema.Value == nil {
				return fmt.Errorf("%s: response %s: media type %s: unresolved schema %s", where, status, mediaType, mt.Schema.Ref)
			}
		}
	}
	return nil
}

// validStatusKey accepts what OpenAPI 3 allows as a response key: "default", a status code, or a
// range such as "4XX".
func validStatusKey(k string) error {
	if k == "default" {
		return nil
	}
	if len(k) == 3 && k[0] >= '1' && k[0] <= '5' {
		rest := k[1:]
		if rest == "XX" || (rest[0] >= '0' && rest[0] <= '9' && rest[1] >= '0' && rest[1] <= '9') {
			return nil
		}
	}
	return fmt.Errorf("response key %q is neither \"default\", a status code nor a range like \"4XX\"", k)
}

// refOf names a reference for errors, also a nil one.
func refOf[T interface{ comparable }](r T) string {
	var zero T
	if r == zero {
		return "(empty)"
	}
	if rr, ok := any(r).(interface{ RefString() string }); ok && rr.RefString() != "" {
		return rr.RefString()
	}
	return "(empty)"
}

// opName names an operation in errors, also one without an operationId.
func opName(op *openapi3.Operation, path string) string {
	if op.OperationID != "" {
		return op.OperationID
	}
	return "(no operationId) at " + path
}

func baseName(name string) string {
	if name == DefaultName {
		return name
	}
	return filepath.Base(name)
}
