package check

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"

	"github.com/graphconform/graphconform/contract"
	"github.com/graphconform/graphconform/exchange"
)

// Member reads a top-level member of a 200 JSON object body, as compact JSON. It is how the effect
// of a call is read back: the error says why the body shows no state.
func Member(r *exchange.Response, name string) (string, error) {
	if r.Status != http.StatusOK {
		return "", fmt.Errorf("expected 200 OK from the GET that shows %s, got %d %s", name, r.Status, http.StatusText(r.Status))
	}
	if r.Truncated {
		return "", fmt.Errorf("the GET's body is %d bytes, more than the suite reads", r.BodyBytes)
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(r.Body, &obj); err != nil || obj == nil {
		return "", fmt.Errorf("expected the GET's body to be one JSON object, got %s", exchange.Excerpt(string(r.Body), 80))
	}
	v, ok := obj[name]
	if !ok {
		return "", fmt.Errorf("expected a %q member in the GET's body; members were %s", name, keys(obj))
	}
	var b bytes.Buffer
	if err := json.Compact(&b, v); err != nil {
		return "", err
	}
	return b.String(), nil
}

// SameJSON tells whether two JSON texts are the same value (member order and spacing aside).
func SameJSON(a, b string) bool {
	var x, y any
	return json.Unmarshal([]byte(a), &x) == nil && json.Unmarshal([]byte(b), &y) == nil && reflect.DeepEqual(x, y)
}

// Effect requires the GET made after a call to show the declared effect.
func Effect(r *exchange.Response, e contract.Effect) error {
	got, err := Member(r, e.Property)
	if err != nil {
		return err
	}
	if !SameJSON(got, e.Equals) {
		return fmt.Errorf("expected %s %s after the call (source: %s), got %s", e.Property, e.Equals, e.Source, exchange.Excerpt(got, 80))
	}
	return nil
}
