// Package contract is the operation contract: what an OpenAPI description says about one operation,
// as plain Go data. The spec package builds it from a description; the plan package turns it into
// checks. Nothing here knows about kin-openapi or Ginkgo.
package contract

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Operation is the contract of one operation.
type Operation struct {
	// ID is the operationId, e.g. "deviceManagement.remoteAssistancePartners.remoteAssistancePartner.disconnect".
	ID string `json:"id"`
	// Kind is the x-ms-docs-operation-type ("action", "operation", ...), "" when absent.
	Kind string `json:"kind,omitempty"`
	// Method is the upper-case HTTP method, e.g. "POST".
	Method string `json:"method"`
	// Path is the path template relative to the base URL, with {name} parameters.
	Path string `json:"path"`
	// PathMethods are every method the path item declares (this operation's among them), upper-case.
	PathMethods []string `json:"pathMethods"`
	// PathParams are the path's parameters in the order they appear in Path.
	PathParams []Param `json:"pathParams"`
	// Body is the request-body rule.
	Body BodyRule `json:"body"`
	// Success is the documented success status, e.g. 204.
	Success int `json:"success"`
	// SuccessHasContent is false when the success response declares no content (always for 204).
	SuccessHasContent bool `json:"successHasContent"`
	// SuccessSchema is the documented application/json schema of the success response, as a
	// spec/schema bundle (schema.Load); nil when the success declares no JSON content.
	SuccessSchema json.RawMessage `json:"successSchema,omitempty"`
	// DocURL is the operation's reference page (externalDocs.url), "" when none is given.
	DocURL string `json:"docURL,omitempty"`
	// ErrorStatuses are the documented error status keys, e.g. ["4XX", "5XX"].
	ErrorStatuses []string `json:"errorStatuses"`
	// Error is what the documented error response looks like.
	Error ErrorEnvelope `json:"error"`
	// Permissions is the permission matrix of the selected revision.
	Permissions Permissions `json:"permissions"`
	// Effect is what a successful call changes, observable afterwards; nil when none is declared.
	Effect *Effect `json:"effect,omitempty"`
	// Source says where the contract came from (file and revision), for reports.
	Source string `json:"source"`
}

// Param is a path parameter.
type Param struct {
	Name     string `json:"name"`
	Required bool   `json:"required"`
	// KeyType is the entity type the parameter is a key of (x-ms-docs-key-type), "" when unknown.
	KeyType string `json:"keyType,omitempty"`
	// Function is true for a function parameter written inside the last segment
	// ("getX(period='{period}')"): not a key, its value comes from Value or the config.
	Function bool `json:"function,omitempty"`
	// Value is a value valid against the parameter's schema (its example, or a minimal one), for
	// function parameters; "" for keys.
	Value string `json:"value,omitempty"`
	// Create is how a fixture entity for this key is made: the collection POST the description
	// declares at the path up to the key; nil when it declares none (the key then comes from the
	// config, target.keys).
	Create *Create `json:"create,omitempty"`
}

// Create is a collection POST that makes an entity.
type Create struct {
	// Collection is the collection's path template (the path up to the key, with the parent keys).
	Collection string `json:"collection"`
	// Presumed is true when the description does not mention the collection at all (a fragment
	// of one operation): Graph's containment POST is presumed. A description that lists the
	// collection without a POST gets no Create.
	Presumed bool `json:"presumed,omitempty"`
	// Fixture is the body that makes a fixture entity: a minimal instance of the POST's
	// application/json request schema (spec/schema.Minimal: its required properties, its own
	// @odata.type), compact JSON; nil when the POST declares no schema. It is built once from the
	// description: a bundle of the whole schema per key cost hundreds of KB per operation in a
	// cross-referenced description, and a parse per case (bench/RESULTS.md §8).
	Fixture json.RawMessage `json:"fixture,omitempty"`
	// FixtureError says why no Fixture could be built from the declared schema ("" when it could).
	FixtureError string `json:"fixtureError,omitempty"`
	// Named is true when the schema has a displayName property (the fixture then names its spec).
	Named bool `json:"named,omitempty"`
	// Permissions is the POST's own permission table (making a parent entity may need another
	// permission than the operation); nil when it has none known (a presumed POST: the operation's
	// own table is presumed too).
	Permissions *Permissions `json:"permissions,omitempty"`
}

// BodyRule says what request body the operation takes.
type BodyRule struct {
	// Accepted is false when the description declares no requestBody ("Do not supply a request body").
	Accepted bool `json:"accepted"`
	// Required is the requestBody's required flag: a request without a body is malformed.
	Required bool `json:"required,omitempty"`
	// Parameters are the body's declared top-level properties (action parameters), empty for none.
	Parameters []string `json:"parameters,omitempty"`
	// Schema is the application/json request schema as a spec/schema bundle; nil when none.
	Schema json.RawMessage `json:"schema,omitempty"`
	// Example is the description's own example of a valid body (compact JSON), nil when none.
	Example json.RawMessage `json:"example,omitempty"`
}

// ErrorEnvelope is the shape of the documented error body, read from the error response schema.
type ErrorEnvelope struct {
	// MediaType is the documented content type, e.g. "application/json".
	MediaType string `json:"mediaType"`
	// Property is the top-level property holding the error object, e.g. "error".
	Property string `json:"property"`
	// Required are the string members the error object must have, e.g. ["code", "message"].
	Required []string `json:"required"`
	// Schema names the schema the envelope came from, for failure messages.
	Schema string `json:"schema"`
}

// Effect is the observable effect of a successful call: afterwards, a GET of Get answers a JSON object
// whose Property is Equals. It is data from the description (x-graphconform-effect), so every
// operation declares its own.
type Effect struct {
	// Get is the path template to read, with the operation's parameters, e.g. its bound entity
	// "/things/{thing-id}".
	Get string `json:"get"`
	// Property is the top-level member of the GET's body that shows the effect.
	Property string `json:"property"`
	// Equals is the member's value after the call, as compact JSON (`"notOnboarded"`).
	Equals string `json:"equals"`
	// From is a value (compact JSON) the entity is given before the call so that the call changes
	// it; "" when none is declared (the case then only judges when the state differed before).
	From string `json:"from,omitempty"`
	// Source says where the effect is written, for failure messages.
	Source string `json:"source,omitempty"`
}

// EntityPath is the template of the entity the operation is bound to: the path up to and including
// its key parameter (the last one). "" when the path has no key.
func (o *Operation) EntityPath() string {
	k, ok := o.KeyParam()
	if !ok {
		return ""
	}
	last := "{" + k.Name + "}"
	i := strings.LastIndex(o.Path, "/"+last)
	if i < 0 {
		return ""
	}
	return o.Path[:i+1+len(last)]
}

// CollectionPath is the path of the collection that holds the entity the operation is bound to:
// the template up to (not including) the last path parameter. "" when the path has no parameter.
func (o *Operation) CollectionPath() string {
	e := o.EntityPath()
	return e[:max(strings.LastIndex(e, "/"), 0)]
}

// KeyParam is the parameter that identifies the bound entity (the last key; function
// parameters are not keys).
func (o *Operation) KeyParam() (Param, bool) {
	keys := o.Keys()
	if len(keys) == 0 {
		return Param{}, false
	}
	return keys[len(keys)-1], true
}

// Keys are the path's key parameters, parents first.
func (o *Operation) Keys() []Param {
	var out []Param
	for _, p := range o.PathParams {
		if !p.Function {
			out = append(out, p)
		}
	}
	return out
}

// Name is the operation's name as the last path segment spells it, namespace-qualified
// ("microsoft.graph.disconnect"): the action or function the reports name.
func (o *Operation) Name() string {
	last := o.Path[strings.LastIndex(o.Path, "/")+1:]
	if i := strings.IndexByte(last, '('); i >= 0 {
		last = last[:i]
	}
	if last == "" || strings.HasPrefix(last, "{") {
		return o.Text()
	}
	if !strings.Contains(last, ".") {
		last = "microsoft.graph." + last
	}
	return last
}

// Expand fills the path template. A parameter missing from values is an error.
func (o *Operation) Expand(values map[string]string) (string, error) {
	return o.ExpandPath(o.Path, values)
}

// ExpandPath fills a template written with the operation's parameters (the path itself, or an
// effect's Get). A parameter missing from values is an error.
func (o *Operation) ExpandPath(p string, values map[string]string) (string, error) {
	for _, param := range o.PathParams {
		if !strings.Contains(p, "{"+param.Name+"}") {
			continue
		}
		v, ok := values[param.Name]
		if !ok || v == "" {
			return "", fmt.Errorf("contract: no value for path parameter %q of %s", param.Name, o.ID)
		}
		p = strings.ReplaceAll(p, "{"+param.Name+"}", escapeSegment(v))
	}
	return p, nil
}

// escapeSegment escapes a key for a path segment. Graph keys are GUIDs or similar; anything that
// would change the path's structure is percent-encoded.
func escapeSegment(s string) string {
	i := 0
	for i < len(s) && segmentSafe(s[i]) {
		i++
	}
	if i == len(s) {
		return s // the common case: a GUID
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	for ; i < len(s); i++ {
		c := s[i]
		if segmentSafe(c) {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

func segmentSafe(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~!$&'()*+,;=:@", c) >= 0
}

// Text is the operation's short human name, "POST /deviceManagement/.../disconnect".
func (o *Operation) Text() string { return o.Method + " " + o.Path }
