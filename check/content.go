package check

import (
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/graphconform/graphconform/exchange"
	"github.com/graphconform/graphconform/spec/schema"
)

// maxProblems bounds the problems a failure message lists: a body of the wrong type can fail
// every property.
const maxProblems = 8

// Content requires a JSON body (Content-Type application/json) valid against the documented
// response schema, named by what for messages. Validation is lenient where real Graph deviates
// from its published schemas (schema.Validate).
func Content(r *exchange.Response, s *openapi3.SchemaRef, what string) error {
	ct := r.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || mt != "application/json" {
		return fmt.Errorf("expected the %d %s response to be application/json (%s), got Content-Type %q", r.Status, http.StatusText(r.Status), what, ct)
	}
	if len(r.Body) == 0 {
		return fmt.Errorf("expected the %d response to carry %s, got an empty body", r.Status, what)
	}
	err = schema.Validate(s, r.Body, schema.Options{})
	if err == nil {
		return nil
	}
	var p *schema.Problems
	if !errors.As(err, &p) {
		return fmt.Errorf("the %d response does not match %s: %v", r.Status, what, err)
	}
	lines := *p
	more := ""
	if len(lines) > maxProblems {
		more = fmt.Sprintf("\n  ... and %d more", len(lines)-maxProblems)
		lines = lines[:maxProblems]
	}
	return fmt.Errorf("the %d response does not match %s (%d problems):\n  %s%s", r.Status, what, len(*p), strings.Join(lines, "\n  "), more)
}
