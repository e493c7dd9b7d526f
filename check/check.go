// Package check holds the suite's checks: plain functions over recorded responses that return nil
// when the rule holds and an error saying what was expected and what came instead. They know nothing
// about Ginkgo, so unit tests exercise them directly.
package check

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"strings"

	"github.com/graphconform/graphconform/contract"
	"github.com/graphconform/graphconform/exchange"
)

// Status requires exactly the given status.
func Status(r *exchange.Response, want int) error {
	if r.Status != want {
		return fmt.Errorf("expected status %d %s, got %d %s", want, http.StatusText(want), r.Status, http.StatusText(r.Status))
	}
	return nil
}

// OneOf requires one of the given statuses.
func OneOf(r *exchange.Response, want ...int) error {
	for _, w := range want {
		if r.Status == w {
			return nil
		}
	}
	return fmt.Errorf("expected status %s, got %d %s", statusList(want), r.Status, http.StatusText(r.Status))
}

// Accepted requires a 2xx: the request was taken.
func Accepted(r *exchange.Response) error {
	if r.Status < 200 || r.Status > 299 {
		return fmt.Errorf("expected the request to be accepted (2xx), got %d %s", r.Status, http.StatusText(r.Status))
	}
	return nil
}

// NotAccepted requires anything but a 2xx.
func NotAccepted(r *exchange.Response) error {
	if r.Status >= 200 && r.Status <= 299 {
		return fmt.Errorf("expected the request to be refused (not 2xx), got %d %s", r.Status, http.StatusText(r.Status))
	}
	return nil
}

// ClientError requires a 4xx.
func ClientError(r *exchange.Response) error {
	if r.Status < 400 || r.Status > 499 {
		return fmt.Errorf("expected a client error (4xx), got %d %s", r.Status, http.StatusText(r.Status))
	}
	return nil
}

// IsError tells whether the response is a 4xx or 5xx, i.e. whether the error envelope applies.
func IsError(r *exchange.Response) bool { return r.Status >= 400 && r.Status <= 599 }

// Envelope checks a 4xx/5xx body against the documented error envelope, leniently: the media type,
// one JSON object with the envelope property, string members for each required one, and the types of
// the optional members Graph documents (target, details, innerError) when present. It never checks the
// spelling of codes: Graph's own codes vary by workload.
func Envelope(r *exchange.Response, env contract.ErrorEnvelope) error {
	ct := r.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || !strings.EqualFold(mt, env.MediaType) {
		return fmt.Errorf("expected Content-Type %s on a %d error (%s), got %q", env.MediaType, r.Status, env.Schema, ct)
	}
	if r.Truncated {
		return fmt.Errorf("the %d error body is %d bytes, more than the suite reads; an error envelope is small", r.Status, r.BodyBytes)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(r.Body, &top); err != nil {
		return fmt.Errorf("expected the %d error body to be one JSON object (%s): %v", r.Status, env.Schema, err)
	}
	raw, ok := top[env.Property]
	if !ok {
		return fmt.Errorf("expected a %q property in the error body (%s); members were %s", env.Property, env.Schema, keys(top))
	}
	var inner map[string]json.RawMessage
	if err := json.Unmarshal(raw, &inner); err != nil || inner == nil {
		return fmt.Errorf("expected %q to be an object (%s), got %s", env.Property, env.Schema, exchange.Excerpt(string(raw), 80))
	}
	for _, name := range env.Required {
		v, ok := inner[name]
		if !ok {
			return fmt.Errorf("expected %s.%s (string) in the error body (%s); it is missing", env.Property, name, env.Schema)
		}
		var s string
		if json.Unmarshal(v, &s) != nil {
			return fmt.Errorf("expected %s.%s to be a string (%s), got %s", env.Property, name, env.Schema, exchange.Excerpt(string(v), 80))
		}
	}
	return optionalMembers(env.Property, inner)
}

// optionalMembers checks the types of the optional MainError members (OpenAPI MainError, errors.md).
func optionalMembers(prop string, inner map[string]json.RawMessage) error {
	if v, ok := inner["target"]; ok && string(v) != "null" {
		var s string
		if json.Unmarshal(v, &s) != nil {
			return fmt.Errorf("expected %s.target to be a string or null, got %s", prop, exchange.Excerpt(string(v), 80))
		}
	}
	if v, ok := inner["details"]; ok && string(v) != "null" {
		var details []map[string]json.RawMessage
		if json.Unmarshal(v, &details) != nil {
			return fmt.Errorf("expected %s.details to be an array of objects, got %s", prop, exchange.Excerpt(string(v), 80))
		}
	}
	for _, name := range []string{"innerError", "innererror"} {
		if v, ok := inner[name]; ok && string(v) != "null" {
			var obj map[string]json.RawMessage
			if json.Unmarshal(v, &obj) != nil || obj == nil {
				return fmt.Errorf("expected %s.%s to be an object, got %s", prop, name, exchange.Excerpt(string(v), 80))
			}
		}
	}
	return nil
}

func keys(m map[string]json.RawMessage) string {
	if len(m) == 0 {
		return "none"
	}
	var out []string
	for k := range m {
		out = append(out, fmt.Sprintf("%q", k))
	}
	return strings.Join(out, ", ")
}

func statusList(codes []int) string {
	var s []string
	for _, c := range codes {
		s = append(s, fmt.Sprintf("%d %s", c, http.StatusText(c)))
	}
	return strings.Join(s, " or ")
}
