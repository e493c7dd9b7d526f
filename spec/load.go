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
	"os"
	"path/filepath"

	"github.com/getkin/kin-openapi/openapi3"
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
	data, err := os.ReadFile(path)
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

// validateOperation validates one operation and what it references, nothing else.
func (d *Description) validateOperation(ctx context.Context, path string, item *openapi3.PathItem, op *openapi3.Operation) error {
	for _, p := range item.Parameters {
		if p.Value == nil {
			return fmt.Errorf("OpenAPI description %s: path %s: unresolved parameter %s", d.Name, path, p.Ref)
		}
		if err := p.Value.Validate(ctx); err != nil {
			return fmt.Errorf("OpenAPI description %s: path %s: parameter %q: %w", d.Name, path, p.Value.Name, err)
		}
	}
	if err := op.Validate(ctx); err != nil {
		return fmt.Errorf("OpenAPI description %s: operation %s: %w", d.Name, opName(op, path), err)
	}
	// kin-openapi accepts `content: {application/json: null}`; a media type must be an object.
	if op.Responses != nil {
		for status, ref := range op.Responses.Map() {
			if ref == nil || ref.Value == nil {
				continue
			}
			for mediaType, mt := range ref.Value.Content {
				if mt == nil {
					return fmt.Errorf("OpenAPI description %s: operation %s: response %s: media type %s is empty (want an object with a schema)", d.Name, opName(op, path), status, mediaType)
				}
			}
		}
	}
	return nil
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
