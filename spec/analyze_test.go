package spec

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// shapeDoc is a description with one operation of every shape the analysis tells apart. Each
// operation has a permission table, so only its shape decides whether it is built.
const shapeDoc = `openapi: 3.0.4
info: {title: shapes, version: v1.0}
paths:
  /things:
    get:
      operationId: listThings
      x-ms-docs-operation-type: operation
      x-ms-permissions: &perms {delegatedWork: [Things.ReadWrite.All], delegatedPersonal: notSupported, application: notSupported}
      responses: {'200': {description: ok, content: {application/json: {schema: {type: object}}}}}
  /things/{thing-id}/poke:
    parameters: [{name: thing-id, in: path, required: true, schema: {type: string}}]
    post: {operationId: poke, x-ms-docs-operation-type: action, responses: {'204': {description: ok}}, x-ms-permissions: *perms}
  /things/{thing-id}/peek:
    parameters: [{name: thing-id, in: path, required: true, schema: {type: string}}]
    post:
      operationId: peek
      x-ms-docs-operation-type: action
      x-ms-permissions: *perms
      responses: {'200': {description: ok, content: {application/json: {schema: {type: object}}}}}
  /things/{thing-id}/assign:
    parameters: [{name: thing-id, in: path, required: true, schema: {type: string}}]
    post:
      operationId: assign
      x-ms-docs-operation-type: action
      x-ms-permissions: *perms
      requestBody:
        required: true
        content: {application/json: {schema: {type: object, properties: {target: {type: string}, comment: {type: string}}}}}
      responses: {'204': {description: ok}}
  /things/{thing-id}/tag:
    parameters: [{name: thing-id, in: path, required: true, schema: {type: string}}]
    post:
      operationId: tag
      x-ms-docs-operation-type: action
      x-ms-permissions: *perms
      requestBody:
        content: {application/json: {schema: {type: object, properties: {label: {type: string}}}}}
      responses: {'204': {description: ok}}
  /things/resetAll:
    post: {operationId: resetAll, x-ms-docs-operation-type: action, responses: {'204': {description: ok}}, x-ms-permissions: *perms}
  /users/{user-id}/things/{thing-id}/poke:
    parameters:
      - {name: user-id, in: path, required: true, schema: {type: string}}
      - {name: thing-id, in: path, required: true, schema: {type: string}}
    post: {operationId: users.poke, x-ms-docs-operation-type: action, responses: {'204': {description: ok}}, x-ms-permissions: *perms}
  /things({thing-id})/poke:
    parameters: [{name: thing-id, in: path, required: true, schema: {type: string}}]
    post: {operationId: pokeByKey, x-ms-docs-operation-type: action, responses: {'204': {description: ok}}, x-ms-permissions: *perms}
  /things/{thing-id}/touch:
    parameters: [{name: thing-id, in: path, required: true, schema: {type: string}}]
    put: {operationId: touch, x-ms-docs-operation-type: action, responses: {'204': {description: ok}}, x-ms-permissions: *perms}
  /reports/getCounts(period='{period}'):
    parameters: [{name: period, in: path, required: true, schema: {type: string}}]
    get:
      operationId: getCounts
      x-ms-docs-operation-type: function
      x-ms-permissions: *perms
      responses: {'200': {description: ok, content: {application/json: {schema: {type: object}}}}}
  /things/{thing-id}/nudge:
    parameters: [{name: thing-id, in: path, required: true, schema: {type: string}}]
    post: {operationId: nudge, responses: {'204': {description: ok}}, x-ms-permissions: *perms}
`

func TestShapes(t *testing.T) {
	d, err := Load("shapes.yaml", []byte(shapeDoc))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		shape, reason string
		gaps          []string
	}{
		"poke":       {"bound action, no body, 204", "", nil},
		"peek":       {"bound action, no body, 200 with content", "", nil},
		"assign":     {"bound action with parameters, required body (2 parameters), 204", "", nil},
		"tag":        {"bound action, optional body (1 parameter), 204", "", nil},
		"resetAll":   {"unbound action, no body, 204", "", nil},
		"users.poke": {"action on a path with 2 keys, no body, 204", "", nil},
		"pokeByKey":  {"action with its key inside a path segment, no body, 204", ReasonKeyNotSegment, nil},
		"touch":      {"bound action (PUT), no body, 204", ReasonNotPOST, nil},
		"getCounts":  {"function (1 path parameter), 200 with content", "", nil},
		"listThings": {"entity operation (GET)", ReasonNotAction, nil},
		"nudge":      {"operation without x-ms-docs-operation-type (POST)", ReasonNotAction, nil},
	}
	all := d.AnalyzeAll(t.Context(), Options{})
	if len(all) != len(want) {
		t.Fatalf("analysed %d operations, want %d", len(all), len(want))
	}
	for _, a := range all {
		w, ok := want[a.OperationID]
		if !ok {
			t.Errorf("unexpected operation %s", a.OperationID)
			continue
		}
		if got := a.Shape.String(); got != w.shape {
			t.Errorf("%s: shape %q, want %q", a.OperationID, got, w.shape)
		}
		if a.Reason != w.reason || a.Built() != (w.reason == "") {
			t.Errorf("%s: reason %q (built %v), want %q", a.OperationID, a.Reason, a.Built(), w.reason)
		}
		if !reflect.DeepEqual(a.Gaps, w.gaps) {
			t.Errorf("%s: gaps %q, want %q", a.OperationID, a.Gaps, w.gaps)
		}
		// Every one has a permission table: the contract is built even where the shape is not.
		if a.Contract == nil || a.ContractReason != "" {
			t.Errorf("%s: no contract (%s: %s)", a.OperationID, a.ContractReason, a.Detail)
		}
		if a.Reason != "" && !strings.Contains(a.Detail, a.Path) {
			t.Errorf("%s: detail %q does not name the path", a.OperationID, a.Detail)
		}
	}
}

// One operation that cannot be built never stops the others: Build returns the rest, and the
// unbuilt ones with their reasons, where Contracts fails on the first.
func TestBuildNeverAbortsOnOneOperation(t *testing.T) {
	const doc = `openapi: 3.0.4
info: {title: mixed, version: v1.0}
paths:
  /a/{a-id}/go:
    parameters: [{name: a-id, in: path, required: true, schema: {type: string}}]
    post: {operationId: a.go, x-ms-docs-operation-type: action, responses: {'204': {description: ok}}}
  /b/{b-id}/go:
    post: {operationId: b.go, x-ms-docs-operation-type: action, responses: {'204': {description: ok}},
           x-ms-permissions: {delegatedWork: [B.All], delegatedPersonal: notSupported, application: notSupported}}
  /c/{c-id}/go:
    parameters: [{name: c-id, in: path, required: true, schema: {type: string}}]
    post: {operationId: c.go, x-ms-docs-operation-type: action, responses: {'204': {description: ok}},
           x-ms-permissions: {delegatedWork: [C.All], delegatedPersonal: notSupported, application: notSupported}}
  /d/{d-id}/go:
    parameters: [{name: d-id, in: path, required: true, schema: {type: string}}]
    post: {operationId: d.go, x-ms-docs-operation-type: action, responses: {'204': {description: ok}},
           x-ms-permissions: {delegatedWork: [], delegatedPersonal: notSupported, application: notSupported}}
`
	d, err := Load("mixed.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Contracts(t.Context(), Options{}); err == nil {
		t.Fatal("Contracts succeeded; it must still fail on the first operation it cannot build")
	}
	b, err := d.Build(t.Context(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(b.Operations); !reflect.DeepEqual(got, []string{"c.go"}) {
		t.Errorf("built %v, want [c.go]", got)
	}
	want := []Unbuilt{
		{OperationID: "a.go", Kind: "action", Method: "POST", Path: "/a/{a-id}/go", Source: "mixed.yaml", Reason: ReasonNoPermissions},
		{OperationID: "b.go", Kind: "action", Method: "POST", Path: "/b/{b-id}/go", Source: "mixed.yaml", Reason: ReasonInvalid},
		{OperationID: "d.go", Kind: "action", Method: "POST", Path: "/d/{d-id}/go", Source: "mixed.yaml", Reason: ReasonPermissions},
	}
	details := []string{"no x-ms-permissions extension", "{b-id} is not declared", "empty list"}
	if len(b.Unbuilt) != len(want) {
		t.Fatalf("unbuilt %+v, want %d", b.Unbuilt, len(want))
	}
	for i, u := range b.Unbuilt {
		if !strings.Contains(u.Detail, details[i]) || strings.Contains(u.Detail, "mixed.yaml") || strings.Contains(u.Detail, "\n") {
			t.Errorf("%s: detail %q: want one line saying %q, without the file name (Source has it)", u.OperationID, u.Detail, details[i])
		}
		u.Detail = ""
		if u != want[i] {
			t.Errorf("unbuilt[%d] = %+v, want %+v", i, u, want[i])
		}
	}
}

// Every broken operation of testdata/broken is one unbuilt operation with the right reason and the
// same explanation Contracts gives, never an error of the whole description.
func TestBuildBrokenOperations(t *testing.T) {
	for _, tc := range brokenCases {
		if tc.atLoad || tc.bug != "" {
			continue
		}
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join("testdata", "broken", tc.file)
			d := mustLoadFile(t, path)
			_, cerr := d.Contracts(t.Context(), tc.opts)
			b, err := d.Build(t.Context(), tc.opts)
			if err != nil {
				t.Fatalf("Build: %v", err)
			}
			if len(b.Operations) != 0 || len(b.Unbuilt) != 1 {
				t.Fatalf("built %d, unbuilt %+v; want the one operation unbuilt", len(b.Operations), b.Unbuilt)
			}
			u := b.Unbuilt[0]
			want := ReasonInvalid
			switch {
			case tc.file == "permissions-missing.yaml":
				want = ReasonNoPermissions
			case strings.HasPrefix(tc.file, "permissions-"):
				want = ReasonPermissions
			}
			if u.Reason != want {
				t.Errorf("reason %q, want %q (%s)", u.Reason, want, u.Detail)
			}
			if cerr == nil || !strings.HasSuffix(cerr.Error(), u.Detail) {
				t.Errorf("detail %q is not the end of the Contracts error %v", u.Detail, cerr)
			}
		})
	}
}

func TestBuildSelectsBeforeBuilding(t *testing.T) {
	d := mustLoadFile(t, msPartners)
	src := &stubSource{ok: false} // no permission table for anything
	b, err := d.Build(t.Context(), Options{Select: Selector{OperationIDs: []string{disconnectID}}, Permissions: src})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Operations) != 0 || len(b.Unbuilt) != 1 || b.Unbuilt[0].OperationID != disconnectID || b.Unbuilt[0].Reason != ReasonNoPermissions {
		t.Fatalf("got %+v", b)
	}
	// Only the selected operation was looked up.
	if got, want := src.Calls(), []string{"POST " + disconnectPath + " @current"}; !reflect.DeepEqual(got, want) {
		t.Errorf("permission lookups %q, want %q", got, want)
	}
}

// Selection by operationId, tag and path glob on the shipped fragments picks what it says, and
// Build builds the actions of that selection (entity operations are reported, not built).
func TestBuildSelection(t *testing.T) {
	src := &stubSource{ok: true, perms: currentPermissions()}
	for _, tc := range []struct {
		name    string
		file    string
		sel     Selector
		built   []string
		unbuilt []string
	}{
		{"shipped, operationId", DefaultName, Selector{OperationIDs: []string{disconnectID}}, []string{disconnectID}, nil},
		{"shipped, tag", DefaultName, Selector{Tags: []string{"deviceManagement.remoteAssistancePartner"}}, []string{disconnectID}, nil},
		{"shipped, glob", DefaultName, Selector{Paths: []string{"/deviceManagement/remoteAssistancePartners/*/*"}}, []string{disconnectID}, nil},
		{"partners, operationId", msPartners, Selector{OperationIDs: []string{disconnectID}}, []string{disconnectID}, nil},
		{"partners, glob below an entity", msPartners, Selector{Paths: []string{"/deviceManagement/remoteAssistancePartners/*/*"}},
			[]string{beginOnboardID, disconnectID}, nil},
		{"partners, tag: entity operations are not built", msPartners, Selector{Tags: []string{"deviceManagement.remoteAssistancePartner"}},
			[]string{beginOnboardID, disconnectID},
			[]string{"deviceManagement.ListRemoteAssistancePartners", "deviceManagement.CreateRemoteAssistancePartners",
				"deviceManagement.remoteAssistancePartners.GetCount-427d", "deviceManagement.DeleteRemoteAssistancePartners",
				"deviceManagement.GetRemoteAssistancePartners", "deviceManagement.UpdateRemoteAssistancePartners"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := mustDefault(t)
			if tc.file != DefaultName {
				d = mustLoadFile(t, tc.file)
			}
			b, err := d.Build(t.Context(), Options{Select: tc.sel, Permissions: src})
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(b.Operations); !reflect.DeepEqual(got, tc.built) {
				t.Errorf("built %v, want %v", got, tc.built)
			}
			var unbuilt []string
			for _, u := range b.Unbuilt {
				unbuilt = append(unbuilt, u.OperationID)
				if u.Reason != ReasonNotAction {
					t.Errorf("%s: reason %q, want %q", u.OperationID, u.Reason, ReasonNotAction)
				}
			}
			if !reflect.DeepEqual(unbuilt, tc.unbuilt) {
				t.Errorf("unbuilt %v, want %v", unbuilt, tc.unbuilt)
			}
		})
	}
}

func TestBuildSelectionErrors(t *testing.T) {
	d := mustDefault(t)
	for _, tc := range []struct {
		sel  Selector
		want string
	}{
		{Selector{OperationIDs: []string{"nothing.here"}}, "no operation matches the selection (operationId=nothing.here)"},
		{Selector{Paths: []string{"/deviceManagement/["}}, `path selector "/deviceManagement/[" is not a valid glob`},
		{Selector{Tags: []string{"a", " "}}, "tag selector #2 is empty"},
		{Selector{OperationIDs: []string{""}}, "operationId selector #1 is empty"},
	} {
		_, err := d.Build(t.Context(), Options{Select: tc.sel})
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), DefaultName) {
			t.Errorf("%+v: error %v, want one naming %s and saying %q", tc.sel, err, DefaultName, tc.want)
		}
	}
}

func TestSplitList(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"  ", nil},
		{"a", []string{"a"}},
		{"a, b ,c", []string{"a", "b", "c"}},
		{"a,b,", []string{"a", "b"}},
		{"a,,b", []string{"a", "", "b"}},
		{"/reports/getX(period='{period}',date='{date}'),/a/*", []string{"/reports/getX(period='{period}',date='{date}')", "/a/*"}},
		{"/a/[b,c]/*,/d", []string{"/a/[b,c]/*", "/d"}},
		{"/a/{x,y}", []string{"/a/{x,y}"}},
	} {
		if got := SplitList(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("SplitList(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSummarizeUnbuilt(t *testing.T) {
	u := func(id, reason string) Unbuilt {
		return Unbuilt{OperationID: id, Reason: reason, Detail: "POST /" + id + ": why"}
	}
	if got := SummarizeUnbuilt(nil, 3); got != "" {
		t.Errorf("none: %q", got)
	}
	if got, want := SummarizeUnbuilt([]Unbuilt{u("a", "r1")}, 3), "1 operation not built: a (r1): POST /a: why"; got != want {
		t.Errorf("one: %q, want %q", got, want)
	}
	got := SummarizeUnbuilt([]Unbuilt{u("a", "r1"), u("b", "r2"), u("c", "r2"), u("d", "r3"), u("e", "r2")}, 2)
	if want := "5 operations not built (3 r2, 1 r1, 1 r3); first: a (r1), b (r2) and 3 more"; got != want {
		t.Errorf("several: %q, want %q", got, want)
	}
}
