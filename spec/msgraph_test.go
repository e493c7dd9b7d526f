package spec_test

// Microsoft's published Graph v1.0 description (../shared/graph-data/msgraph-v1.0/), parsed once
// for the package: it takes seconds.

import (
	"context"
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	"github.com/graphconform/graphconform/contract"
	"github.com/graphconform/graphconform/internal/msgraphdata"
	"github.com/graphconform/graphconform/permissions"
	"github.com/graphconform/graphconform/spec"
)

const (
	disconnectID   = "deviceManagement.remoteAssistancePartners.remoteAssistancePartner.disconnect"
	beginOnboardID = "deviceManagement.remoteAssistancePartners.remoteAssistancePartner.beginOnboarding"
)

var msgraph struct {
	once  sync.Once
	d     *spec.Description
	perms *permissions.Overlay
	err   error
}

// graphV1 is the whole v1.0 description and Microsoft's permissions file.
func graphV1(t *testing.T) (*spec.Description, *permissions.Overlay) {
	t.Helper()
	data, permsJSON := msgraphdata.OpenAPI(t), msgraphdata.PermissionsJSON(t) // skips when absent
	msgraph.once.Do(func() {
		if msgraph.d, msgraph.err = spec.Load("openapi-v1.0.yaml", data); msgraph.err != nil {
			return
		}
		msgraph.perms, msgraph.err = permissions.Parse("permissions.json", permsJSON)
	})
	if msgraph.err != nil {
		t.Fatal(msgraph.err)
	}
	return msgraph.d, msgraph.perms
}

func opIDs(ops []contract.Operation) []string {
	var out []string
	for _, o := range ops {
		out = append(out, o.ID)
	}
	return out
}

func TestGraphV1Selection(t *testing.T) {
	d, perms := graphV1(t)
	for _, tc := range []struct {
		name  string
		sel   spec.Selector
		built []string
	}{
		{"operationId", spec.Selector{OperationIDs: []string{disconnectID}}, []string{disconnectID}},
		{"path glob", spec.Selector{Paths: []string{"/deviceManagement/remoteAssistancePartners/*/*"}}, []string{beginOnboardID, disconnectID}},
		{"tag", spec.Selector{Tags: []string{"deviceManagement.remoteAssistancePartner"}}, []string{beginOnboardID, disconnectID}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := d.Build(t.Context(), spec.Options{Select: tc.sel, Permissions: perms})
			if err != nil {
				t.Fatal(err)
			}
			if got := opIDs(b.Operations); !reflect.DeepEqual(got, tc.built) {
				t.Errorf("built %v, want %v", got, tc.built)
			}
			for _, u := range b.Unbuilt {
				if u.Reason != spec.ReasonNotAction {
					t.Errorf("%s is not built: %s (%s)", u.OperationID, u.Reason, u.Detail)
				}
			}
		})
	}

	// The exemplar's contract from the whole description is the one from its own fragment.
	b, err := d.Build(t.Context(), spec.Options{Select: spec.Selector{OperationIDs: []string{disconnectID}}, Permissions: perms})
	if err != nil {
		t.Fatal(err)
	}
	frag, err := spec.LoadFile(filepath.Join("testdata", "graph", "msgraph-openapi-remoteassistancepartners-v1.0.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	fb, err := frag.Build(t.Context(), spec.Options{Select: spec.Selector{OperationIDs: []string{disconnectID}}, Permissions: perms})
	if err != nil || len(fb.Operations) != 1 {
		t.Fatalf("fragment: %+v, %v", fb, err)
	}
	whole, part := b.Operations[0], fb.Operations[0]
	whole.Source, part.Source = "", ""
	// The merged file names the error schema ODataError, the fragment keeps Microsoft's
	// microsoft.graph.ODataErrors.ODataError; the envelope itself is the same.
	whole.Error.Schema, part.Error.Schema = "", ""
	// The fixture entity is created through the same collection in both; its POST's schema is the
	// split's (whose entity schemas are partly stubs, see the data's README) or the fragment's.
	for i := range whole.PathParams {
		w, f := whole.PathParams[i].Create, part.PathParams[i].Create
		if w == nil || f == nil || w.Collection != f.Collection || w.Presumed != f.Presumed {
			t.Errorf("key %s: created through %+v in the whole description, %+v in the fragment", whole.PathParams[i].Name, w, f)
		}
		whole.PathParams[i].Create, part.PathParams[i].Create = nil, nil
	}
	if !reflect.DeepEqual(whole, part) {
		t.Errorf("disconnect from the whole description\n  %+v\ndiffers from the fragment's\n  %+v", whole, part)
	}
}

// Every action and function of v1.0 is analysed, built or not built with a reason; a run over the
// default selection (actions and functions) builds exactly what the analysis says it builds.
func TestGraphV1Analysis(t *testing.T) {
	d, perms := graphV1(t)
	opts := spec.Options{Permissions: perms}
	all := d.AnalyzeAll(context.Background(), opts)
	known := map[string]bool{spec.ReasonInvalid: true, spec.ReasonNoPermissions: true, spec.ReasonPermissions: true,
		spec.ReasonFunction: true, spec.ReasonNotAction: true, spec.ReasonNotPOST: true, spec.ReasonKeyNotSegment: true}
	kinds := map[string]int{}
	var built []string
	builtKinds := map[string]int{}
	for _, a := range all {
		kinds[a.Shape.Kind]++
		switch {
		case a.Built():
			if (a.Shape.Kind != "action" && a.Shape.Kind != "function") || a.Shape.Unsupported() != "" {
				t.Errorf("%s is built, but its shape is %s", a.OperationID, a.Shape)
			}
			built = append(built, a.OperationID)
			builtKinds[a.Shape.Kind]++
		case !known[a.Reason] || a.Detail == "":
			t.Errorf("%s: reason %q, detail %q", a.OperationID, a.Reason, a.Detail)
		}
		if a.OperationID == disconnectID && (!a.Built() || a.Shape.String() != "bound action, no body, 204") {
			t.Errorf("disconnect: built %v, shape %s, %s", a.Built(), a.Shape, a.Detail)
		}
	}
	if len(all) != 10073 || kinds["action"] != 1213 || kinds["function"] != 327 {
		t.Errorf("%d operations, kinds %v; want 10,073 with 1,213 actions and 327 functions", len(all), kinds)
	}
	if builtKinds["action"] == 0 || builtKinds["function"] == 0 {
		t.Fatalf("built by kind %v: want actions and functions", builtKinds)
	}

	b, err := d.Build(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if got := opIDs(b.Operations); !reflect.DeepEqual(got, built) {
		t.Errorf("Build built %d operations, the analysis says %d", len(got), len(built))
	}
	if n := len(b.Operations) + len(b.Unbuilt); n != 1213+327 {
		t.Errorf("Build over the default selection: %d operations, want the 1,213 actions and 327 functions", n)
	}
	t.Logf("v1.0: built %v of 1,213 actions and 327 functions; %s", builtKinds, spec.SummarizeUnbuilt(b.Unbuilt, 0))
}
