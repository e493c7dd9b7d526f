package spec

import (
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/graphconform/graphconform/contract"
)

// graphEnvelope is the Graph-wide error envelope (errors.md), used when a description documents none.
var graphEnvelope = contract.ErrorEnvelope{MediaType: "application/json", Property: "error",
	Required: []string{"code", "message"}, Schema: "Graph-wide error envelope (errors.md)"}

func errorContract(op *openapi3.Operation) ([]string, contract.ErrorEnvelope) {
	var keys []string
	for key := range op.Responses.Map() {
		if key == "default" || strings.HasPrefix(key, "4") || strings.HasPrefix(key, "5") {
			keys = append(keys, key)
		}
	}
	sort.Strings(keys)
	// The envelope is read from 4XX when there is one, else from the first key in sorted order (lowest
	// explicit 4xx, then 5xx, then default): never from map order, so every process agrees.
	var errResp *openapi3.ResponseRef
	for _, key := range keys {
		if key == "4XX" || errResp == nil {
			errResp = op.Responses.Value(key)
		}
	}
	if errResp == nil || errResp.Value == nil {
		return keys, graphEnvelope
	}
	mediaTypes := make([]string, 0, len(errResp.Value.Content))
	for mediaType := range errResp.Value.Content {
		mediaTypes = append(mediaTypes, mediaType)
	}
	sort.Strings(mediaTypes)
	for _, mediaType := range mediaTypes {
		mt := errResp.Value.Content[mediaType]
		if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
			continue
		}
		if env, ok := envelopeFrom(mediaType, mt.Schema); ok {
			return keys, env
		}
	}
	return keys, graphEnvelope
}

// envelopeFrom reads {"<prop>": {<required string members>}} out of an error schema.
func envelopeFrom(mediaType string, s *openapi3.SchemaRef) (contract.ErrorEnvelope, bool) {
	for _, prop := range s.Value.Required {
		inner := s.Value.Properties[prop]
		if inner == nil || inner.Value == nil {
			continue
		}
		var req []string
		for _, name := range inner.Value.Required {
			if ps := inner.Value.Properties[name]; ps != nil && ps.Value != nil && ps.Value.Type.Is(openapi3.TypeString) {
				req = append(req, name)
			}
		}
		if len(req) == 0 {
			continue
		}
		name := s.Ref
		if i := strings.LastIndex(name, "/"); i >= 0 {
			name = name[i+1:]
		}
		if name == "" {
			name = "inline schema"
		}
		return contract.ErrorEnvelope{MediaType: mediaType, Property: prop, Required: req, Schema: name}, true
	}
	return contract.ErrorEnvelope{}, false
}
