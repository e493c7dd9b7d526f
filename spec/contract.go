package spec

import (
	"context"
	"fmt"
	"net/http"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/graphconform/graphconform/contract"
	"github.com/graphconform/graphconform/spec/schema"
)

// Selector picks operations out of a description. An empty selector picks every action and
// function (x-ms-docs-operation-type: action or function). A non-empty one picks operations matching any of its entries.
type Selector struct {
	OperationIDs []string `json:"operationIds,omitempty"`
	Tags         []string `json:"tags,omitempty"`
	// Paths are path.Match globs over path templates, e.g. "/deviceManagement/*/{*}/disconnect".
	Paths []string `json:"paths,omitempty"`
}

func (s Selector) empty() bool { return len(s.OperationIDs)+len(s.Tags)+len(s.Paths) == 0 }

func (s Selector) String() string {
	if s.empty() {
		return "every operation with x-ms-docs-operation-type: action or function"
	}
	var parts []string
	for _, v := range s.OperationIDs {
		parts = append(parts, "operationId="+v)
	}
	for _, v := range s.Tags {
		parts = append(parts, "tag="+v)
	}
	for _, v := range s.Paths {
		parts = append(parts, "path="+v)
	}
	return strings.Join(parts, " or ")
}

func (s Selector) matches(p string, op *openapi3.Operation) bool {
	if s.empty() {
		kind, _ := op.Extensions["x-ms-docs-operation-type"].(string)
		return kind == "action" || kind == "function"
	}
	for _, id := range s.OperationIDs {
		if op.OperationID == id {
			return true
		}
	}
	for _, t := range s.Tags {
		for _, ot := range op.Tags {
			if ot == t {
				return true
			}
		}
	}
	for _, g := range s.Paths {
		if ok, _ := path.Match(g, p); ok {
			return true
		}
	}
	return false
}

// PermissionSource supplies a permission table for an operation whose description has no
// x-ms-permissions extension (e.g. Microsoft's permissions.json, issue 6).
type PermissionSource interface {
	PermissionsFor(method, pathTemplate, revision string) (contract.Permissions, bool)
}

// Options say which operations to take and which revision of the permission table to use.
type Options struct {
	Select Selector
	// Revision names the permission-table revision; "" means "current" (or the only one there is).
	Revision string
	// Permissions is consulted for operations without an x-ms-permissions extension; nil: such an
	// operation is an error.
	Permissions PermissionSource

	bundler *schema.Bundler // one per Contracts call: operations share their schemas
}

// Contracts returns the contract of every selected operation, in path order then method order, so
// that every Ginkgo process builds the same tree. Any operation that cannot be built is an error;
// Build is the form that reports such operations and goes on.
func (d *Description) Contracts(ctx context.Context, opts Options) ([]contract.Operation, error) {
	if err := opts.Select.Validate(); err != nil {
		return nil, fmt.Errorf("OpenAPI description %s: %w", d.Name, err)
	}
	opts.Permissions = d.boundPermissions(opts.Permissions) // once, not per operation
	opts.bundler = &schema.Bundler{}
	var out []contract.Operation
	var failed error
	d.each(opts.Select.matches, func(s selected) bool {
		c, err := d.operation(ctx, s, opts)
		if err != nil {
			failed = err
			return false
		}
		out = append(out, c)
		return true
	})
	if failed != nil {
		return nil, failed
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("OpenAPI description %s: %w (%s)", d.Name, ErrNoMatch, opts.Select)
	}
	return out, nil
}

// operation validates one selected operation and builds its contract.
func (d *Description) operation(ctx context.Context, s selected, opts Options) (contract.Operation, error) {
	if err := d.validateOperation(ctx, s.path, s.item, s.op); err != nil {
		return contract.Operation{}, reasoned(ReasonInvalid, err)
	}
	c, err := d.contract(s.path, s.item, s.method, s.op, opts)
	if err != nil {
		return contract.Operation{}, reasoned(ReasonInvalid, err)
	}
	c.PathMethods = append([]string(nil), s.pathMethods...)
	return c, nil
}

var templateParam = regexp.MustCompile(`\{([^{}]+)\}`)

func (d *Description) contract(p string, item *openapi3.PathItem, method string, op *openapi3.Operation, opts Options) (contract.Operation, error) {
	where := fmt.Sprintf("OpenAPI description %s: %s %s", d.Name, method, p)
	if op.OperationID == "" {
		return contract.Operation{}, fmt.Errorf("%s: the operation has no operationId (graphconform names specs and reports by it)", where)
	}
	c := contract.Operation{ID: op.OperationID, Method: strings.ToUpper(method), Path: p,
		Source: baseName(d.Name)}
	c.Kind, _ = op.Extensions["x-ms-docs-operation-type"].(string)

	params, err := pathParams(p, item, op)
	if err != nil {
		return c, fmt.Errorf("%s: %w", where, err)
	}
	c.PathParams = params
	c.Body = bodyRule(op)
	if c.Success, c.SuccessHasContent, err = success(op); err != nil {
		return c, fmt.Errorf("%s: %w", where, err)
	}
	c.ErrorStatuses, c.Error = errorContract(op)
	if err := d.schemas(&c, op, opts.bundler); err != nil {
		return c, fmt.Errorf("%s: %w", where, err)
	}
	if err := functionValues(&c, item, op); err != nil {
		return c, fmt.Errorf("%s: %w", where, err)
	}
	if c.Effect, err = readEffect(op, &c); err != nil {
		return c, fmt.Errorf("%s: %w", where, err)
	}

	perms, err := operationPermissions(where, op, c.Method, p, opts)
	if err != nil {
		return c, err
	}
	c.Permissions = perms
	d.createPermissions(&c, opts)
	c.Source = fmt.Sprintf("%s (permissions: revision %s)", baseName(d.Name), perms.Revision)
	return c, nil
}

func revisionOrCurrent(r string) string {
	if r == "" {
		return "current"
	}
	return r
}

// pathParams lists the template's parameters in order, each declared on the path item or the operation.
func pathParams(p string, item *openapi3.PathItem, op *openapi3.Operation) ([]contract.Param, error) {
	declared := map[string]*openapi3.Parameter{}
	for _, list := range []openapi3.Parameters{item.Parameters, op.Parameters} { // operation overrides item
		for _, ref := range list {
			if ref != nil && ref.Value != nil && ref.Value.In == openapi3.ParameterInPath {
				declared[ref.Value.Name] = ref.Value
			}
		}
	}
	var out []contract.Param
	for _, m := range templateParam.FindAllStringSubmatch(p, -1) {
		decl, ok := declared[m[1]]
		if !ok {
			return nil, fmt.Errorf("path parameter {%s} is not declared (on the path item or the operation)", m[1])
		}
		keyType, _ := decl.Extensions["x-ms-docs-key-type"].(string)
		out = append(out, contract.Param{Name: decl.Name, Required: decl.Required, KeyType: keyType})
	}
	return out, nil
}

func bodyRule(op *openapi3.Operation) contract.BodyRule {
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		return contract.BodyRule{}
	}
	r := contract.BodyRule{Accepted: true}
	if mt := op.RequestBody.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil && mt.Schema.Value != nil {
		for name := range mt.Schema.Value.Properties {
			r.Parameters = append(r.Parameters, name)
		}
		sort.Strings(r.Parameters)
	}
	return r
}

// success finds the documented success status: the lowest explicit 2xx, or 204/200 for a 2XX range
// without/with content (Microsoft's PowerShell-flavoured descriptions use "2XX").
func success(op *openapi3.Operation) (int, bool, error) {
	if op.Responses == nil {
		return 0, false, fmt.Errorf("the operation declares no responses")
	}
	best := 0
	var bestResp *openapi3.Response
	for key, ref := range op.Responses.Map() {
		code, err := strconv.Atoi(key)
		if err != nil || code < 200 || code > 299 || ref.Value == nil {
			continue
		}
		if best == 0 || code < best {
			best, bestResp = code, ref.Value
		}
	}
	if best == 0 {
		if ref := op.Responses.Value("2XX"); ref != nil && ref.Value != nil {
			if len(ref.Value.Content) == 0 {
				return http.StatusNoContent, false, nil
			}
			return http.StatusOK, true, nil
		}
		return 0, false, fmt.Errorf("the operation declares no 2xx response")
	}
	return best, len(bestResp.Content) > 0, nil
}

// createPermissions gives each key's collection POST its own permission table, when the
// description or the permissions file has one: the cases make fixture entities as a persona that
// table allows. A POST without one keeps nil (the operation's persona then makes the entity).
func (d *Description) createPermissions(c *contract.Operation, opts Options) {
	for i := range c.PathParams {
		cr := c.PathParams[i].Create
		if cr == nil || cr.Presumed {
			continue
		}
		item := d.Doc.Paths.Value(cr.Collection)
		if item == nil || item.Post == nil {
			continue
		}
		if perms, err := operationPermissions("", item.Post, "POST", cr.Collection, opts); err == nil {
			cr.Permissions = &perms
		}
	}
}
