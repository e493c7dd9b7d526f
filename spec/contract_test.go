package spec

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/graphconform/graphconform/contract"
)

func TestShippedDescription(t *testing.T) {
	for _, tc := range []struct {
		revision string
		want     contract.Permissions
	}{
		{"", currentPermissions()},
		{"current", currentPermissions()},
		{"pre-2021", pre2021Permissions()},
	} {
		t.Run("revision="+tc.revision, func(t *testing.T) {
			ops, err := mustDefault(t).Contracts(t.Context(), Options{Revision: tc.revision})
			if err != nil {
				t.Fatal(err)
			}
			if len(ops) != 1 {
				t.Fatalf("got %d contracts (%v), want exactly one", len(ops), ids(ops))
			}
			checkContract(t, ops[0], shippedDisconnect(tc.want))
			if got, want := ops[0].Text(), "POST "+disconnectPath; got != want {
				t.Errorf("Text() = %q, want %q", got, want)
			}
			if got := ops[0].CollectionPath(); got != "/deviceManagement/remoteAssistancePartners" {
				t.Errorf("CollectionPath() = %q", got)
			}
		})
	}
}

// What the shipped tables decide for the personas of the reference mock (persona.Fixture).
func TestShippedDecisions(t *testing.T) {
	const ro = "DeviceManagementServiceConfig.Read.All"
	for _, tc := range []struct {
		revision string
		acc      contract.Account
		held     string
		want     contract.Outcome
	}{
		{"current", contract.Work, readWrite, contract.Allowed},
		{"current", contract.Application, readWrite, contract.Allowed},
		{"current", contract.Work, ro, contract.Insufficient},
		{"current", contract.Application, ro, contract.Insufficient},
		{"current", contract.Personal, readWrite, contract.Unsupported},
		{"pre-2021", contract.Work, readWrite, contract.Allowed},
		{"pre-2021", contract.Application, readWrite, contract.Unsupported},
		{"pre-2021", contract.Personal, readWrite, contract.Unsupported},
	} {
		ops, err := mustDefault(t).Contracts(t.Context(), Options{Revision: tc.revision})
		if err != nil {
			t.Fatal(err)
		}
		if got := ops[0].Permissions.Decide(tc.acc, []string{tc.held}).Outcome; got != tc.want {
			t.Errorf("revision %s, %s holding %s: %s, want %s", tc.revision, tc.acc, tc.held, got, tc.want)
		}
	}
}

func TestUnknownRevision(t *testing.T) {
	_, err := mustDefault(t).Contracts(t.Context(), Options{Revision: "2019"})
	if err == nil {
		t.Fatal("unknown revision accepted")
	}
	if missing := containsAll(err.Error(), DefaultName, `unknown revision "2019"`, "current, pre-2021", disconnectPath); len(missing) > 0 {
		t.Errorf("error %q does not mention %q", err, missing)
	}
}

func TestMinimalDescription(t *testing.T) {
	d := mustLoadFile(t, filepath.Join("testdata", "valid", "minimal.yaml"))
	// One revision object (not a list), named v2: "" selects it.
	ops, err := d.Contracts(t.Context(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ops) != 1 {
		t.Fatalf("got %d contracts", len(ops))
	}
	want := contract.Operation{
		ID: "things.thing.poke", Kind: "action", Method: "POST", Path: "/things/{thing-id}/poke",
		PathParams: []contract.Param{{Name: "thing-id", Required: true}},
		Success:    204, ErrorStatuses: []string{"4XX"},
		Error: contract.ErrorEnvelope{MediaType: "application/json", Property: "error",
			Required: []string{"code", "message"}, Schema: "inline schema"},
		Permissions: contract.Permissions{Revision: "v2", Schemes: map[contract.Account]contract.Scheme{
			contract.Work:        {Supported: true, Grants: []contract.Grant{{Permission: "Things.ReadWrite.All", Documented: true}}},
			contract.Personal:    {Supported: false},
			contract.Application: {Supported: false}, // written "Not Supported"
		}},
		Source: "minimal.yaml (permissions: revision v2)",
	}
	checkContract(t, ops[0], want)

	if _, err := d.Contracts(t.Context(), Options{Revision: "v2"}); err != nil {
		t.Errorf("explicit revision v2: %v", err)
	}
	_, err = d.Contracts(t.Context(), Options{Revision: "current"})
	if err == nil || !strings.Contains(err.Error(), "v2") {
		t.Errorf("revision current on a v2-only description: error %v should list v2", err)
	}
}

func TestObjectFormGrants(t *testing.T) {
	d := mustLoadFile(t, filepath.Join("testdata", "valid", "object-grants.yaml"))
	ops, err := d.Contracts(t.Context(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := ops[0].Permissions
	want := contract.Permissions{Revision: "current", Source: "reference page", Schemes: map[contract.Account]contract.Scheme{
		contract.Work: {Supported: true, Grants: []contract.Grant{
			{Permission: "Things.ReadWrite.All", Documented: true, Source: "reference page"},
			{Permission: "Things.Manage.All", Documented: false, Source: "permissions.json"},
			{Permission: "Things.Admin.All", Documented: true, Source: "reference page"},
			{Permission: "Things.Legacy.All", Documented: true, Source: "reference page"},
		}},
		contract.Personal: {Supported: false},
		contract.Application: {Supported: true, Grants: []contract.Grant{
			{Permission: "Things.Manage.All", Documented: false, Source: "reference page"},
		}},
	}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Permissions =\n%#v\nwant\n%#v", got, want)
	}
	for _, tc := range []struct {
		acc  contract.Account
		held string
		want contract.Outcome
	}{
		{contract.Work, "things.manage.all", contract.AllowedByMetadata},
		{contract.Work, "Things.Legacy.All", contract.Allowed},
		{contract.Application, "Things.Manage.All", contract.AllowedByMetadata},
		{contract.Application, "Things.ReadWrite.All", contract.Insufficient},
	} {
		if d := got.Decide(tc.acc, []string{tc.held}); d.Outcome != tc.want {
			t.Errorf("%s holding %s: %s, want %s", tc.acc, tc.held, d.Outcome, tc.want)
		}
	}

	ops, err = d.Contracts(t.Context(), Options{Revision: "old"})
	if err != nil {
		t.Fatal(err)
	}
	if s := ops[0].Permissions.Schemes[contract.Application]; s.Supported {
		t.Errorf("revision old: application = %+v, want not supported", s)
	}
}

func TestPermissionSourceOnlyForMissingExtension(t *testing.T) {
	src := &stubSource{ok: true, perms: contract.Permissions{Revision: "stub"}}
	ops, err := mustDefault(t).Contracts(t.Context(), Options{Permissions: src})
	if err != nil {
		t.Fatal(err)
	}
	if calls := src.Calls(); len(calls) != 0 {
		t.Errorf("PermissionSource consulted although x-ms-permissions is present: %v", calls)
	}
	checkContract(t, ops[0], shippedDisconnect(currentPermissions()))
}

func TestMalformedGlobIsNamed(t *testing.T) {
	d, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	_, err = d.Contracts(t.Context(), Options{Select: Selector{Paths: []string{"/deviceManagement/["}}})
	if err == nil || !strings.Contains(err.Error(), `path selector "/deviceManagement/[" is not a valid glob`) {
		t.Errorf("want the malformed glob named, got %v", err)
	}
}

func TestSelectors(t *testing.T) {
	d := mustDefault(t)
	for _, tc := range []struct {
		name string
		sel  Selector
		want []string // operation IDs; nil: no match
	}{
		{"default picks actions", Selector{}, []string{disconnectID}},
		{"operationId", Selector{OperationIDs: []string{disconnectID}}, []string{disconnectID}},
		{"tag", Selector{Tags: []string{"deviceManagement.remoteAssistancePartner"}}, []string{disconnectID}},
		{"exact path", Selector{Paths: []string{disconnectPath}}, []string{disconnectID}},
		{"path glob", Selector{Paths: []string{"/deviceManagement/*/{*}/disconnect"}}, []string{disconnectID}},
		{"path glob any key", Selector{Paths: []string{"/deviceManagement/remoteAssistancePartners/*/disconnect"}}, []string{disconnectID}},
		{"matched by several entries, listed once",
			Selector{OperationIDs: []string{disconnectID}, Tags: []string{"deviceManagement.remoteAssistancePartner"}, Paths: []string{"/*/*/*/*"}},
			[]string{disconnectID}},
		{"unknown operationId", Selector{OperationIDs: []string{"users.user.assignLicense"}}, nil},
		{"operationId is case-sensitive", Selector{OperationIDs: []string{strings.ToLower(disconnectID)}}, nil},
		{"unknown tag", Selector{Tags: []string{"users.user"}}, nil},
		{"glob star does not cross segments", Selector{Paths: []string{"/deviceManagement/*/disconnect"}}, nil},
		{"prefix is not a match", Selector{Paths: []string{"/deviceManagement/remoteAssistancePartners"}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ops, err := d.Contracts(t.Context(), Options{Select: tc.sel})
			if tc.want == nil {
				if err == nil {
					t.Fatalf("selected %v, want an error", ids(ops))
				}
				if missing := containsAll(err.Error(), DefaultName, "no operation matches", tc.sel.String()); len(missing) > 0 {
					t.Errorf("error %q does not mention %q", err, missing)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(ops); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("selected %v, want %v", got, tc.want)
			}
		})
	}
}

func TestSelectorString(t *testing.T) {
	if got := (Selector{}).String(); !strings.Contains(got, "x-ms-docs-operation-type: action") {
		t.Errorf("empty selector: %q", got)
	}
	got := Selector{OperationIDs: []string{"a", "b"}, Tags: []string{"t"}, Paths: []string{"/p/*"}}.String()
	if want := "operationId=a or operationId=b or tag=t or path=/p/*"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

// Microsoft's v1.0 fragment is the shipped operation without x-ms-permissions.
func TestMicrosoftV1WithoutPermissions(t *testing.T) {
	d := mustLoadFile(t, msV1)
	_, err := d.Contracts(t.Context(), Options{})
	if err == nil {
		t.Fatal("Contracts succeeded without any permission table")
	}
	if missing := containsAll(err.Error(), msV1, disconnectID, "x-ms-permissions", "--permissions"); len(missing) > 0 {
		t.Errorf("error %q does not mention %q", err, missing)
	}

	refusing := &stubSource{ok: false}
	if _, err := d.Contracts(t.Context(), Options{Permissions: refusing}); err == nil || !strings.Contains(err.Error(), "--permissions") {
		t.Errorf("a PermissionSource without an answer: err = %v, want the x-ms-permissions error", err)
	}
	if got, want := refusing.Calls(), []string{"POST " + disconnectPath + " @current"}; !reflect.DeepEqual(got, want) {
		t.Errorf("PermissionSource calls = %q, want %q", got, want)
	}
}

func TestMicrosoftV1WithPermissionSource(t *testing.T) {
	d := mustLoadFile(t, msV1)
	for _, tc := range []struct {
		revision string
		perms    contract.Permissions
	}{
		{"", currentPermissions()},
		{"pre-2021", pre2021Permissions()},
	} {
		src := &stubSource{ok: true, perms: tc.perms}
		ops, err := d.Contracts(t.Context(), Options{Revision: tc.revision, Permissions: src})
		if err != nil {
			t.Fatal(err)
		}
		if len(ops) != 1 {
			t.Fatalf("got %d contracts", len(ops))
		}
		// Microsoft's file and graphconform's description must agree on everything but provenance.
		want := shippedDisconnect(tc.perms)
		want.Source = "msgraph-openapi-disconnect-v1.0.yaml (permissions: revision " + tc.perms.Revision + ")"
		checkContract(t, ops[0], want)
		if got, want := src.Calls(), []string{"POST " + disconnectPath + " @" + tc.perms.Revision}; !reflect.DeepEqual(got, want) {
			t.Errorf("PermissionSource calls = %q, want %q", got, want)
		}
	}
}

func psContract(id, path string, perms contract.Permissions) contract.Operation {
	return contract.Operation{
		ID: id, Kind: "action", Method: "POST", Path: path,
		PathParams:    keyParam,
		Success:       204, // 2XX without content
		ErrorStatuses: []string{"default"},
		Error:         odataEnvelope,
		Permissions:   perms,
		Source:        "msgraph-openapi-disconnect-powershell-v1.0.yaml (permissions: revision " + perms.Revision + ")",
	}
}

func TestMicrosoftPowerShell(t *testing.T) {
	d := mustLoadFile(t, msPowerShell)
	src := &stubSource{ok: true, perms: currentPermissions()}
	ops, err := d.Contracts(t.Context(), Options{Select: Selector{OperationIDs: []string{psDisconnectID}}, Permissions: src})
	if err != nil {
		t.Fatal(err)
	}
	if len(ops) != 1 {
		t.Fatalf("got %v, want only %s", ids(ops), psDisconnectID)
	}
	checkContract(t, ops[0], psContract(psDisconnectID, psDisconnectPath, currentPermissions()))
	if got, want := src.Calls(), []string{"POST " + psDisconnectPath + " @current"}; !reflect.DeepEqual(got, want) {
		t.Errorf("PermissionSource calls = %q, want %q", got, want)
	}

	ops, err = d.Contracts(t.Context(), Options{Permissions: &stubSource{ok: true, perms: currentPermissions()}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ids(ops), []string{psBeginID, psDisconnectID}; !reflect.DeepEqual(got, want) {
		t.Fatalf("default selector: %v, want %v", got, want)
	}
	checkContract(t, ops[0], psContract(psBeginID, psBeginPath, currentPermissions()))
}

func TestMicrosoftRemoteAssistancePartners(t *testing.T) {
	d := mustLoadFile(t, msPartners)
	const coll = "/deviceManagement/remoteAssistancePartners"
	const item = coll + "/{remoteAssistancePartner-id}"
	for _, tc := range []struct {
		name string
		sel  Selector
		want []string // "METHOD path"
	}{
		{"default: the actions, in path order", Selector{},
			[]string{"POST " + beginOnboardPath, "POST " + disconnectPath}},
		{"tag: every operation, path then method order", Selector{Tags: []string{"deviceManagement.remoteAssistancePartner"}},
			[]string{"GET " + coll, "POST " + coll, "GET " + coll + "/$count",
				"DELETE " + item, "GET " + item, "PATCH " + item,
				"POST " + beginOnboardPath, "POST " + disconnectPath}},
		{"operationId", Selector{OperationIDs: []string{disconnectID}}, []string{"POST " + disconnectPath}},
		{"glob: one segment below the collection", Selector{Paths: []string{coll + "/*"}},
			[]string{"GET " + coll + "/$count", "DELETE " + item, "GET " + item, "PATCH " + item}},
		{"glob: disconnect only", Selector{Paths: []string{"/deviceManagement/*/{*}/disconnect"}}, []string{"POST " + disconnectPath}},
		{"union of entries in path order", Selector{OperationIDs: []string{disconnectID}, Paths: []string{coll}},
			[]string{"GET " + coll, "POST " + coll, "POST " + disconnectPath}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ops, err := d.Contracts(t.Context(), Options{Select: tc.sel, Permissions: &stubSource{ok: true, perms: currentPermissions()}})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, o := range ops {
				got = append(got, o.Text())
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("selected\n  %q\nwant\n  %q", got, tc.want)
			}
		})
	}

	ops, err := d.Contracts(t.Context(), Options{Permissions: &stubSource{ok: true, perms: currentPermissions()}})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []contract.Operation{
		{ID: beginOnboardID, Kind: "action", Method: "POST", Path: beginOnboardPath, PathParams: keyParam,
			Success: 204, ErrorStatuses: []string{"4XX", "5XX"}, Error: odataEnvelope, Permissions: currentPermissions(),
			Source: "msgraph-openapi-remoteassistancepartners-v1.0.yaml (permissions: revision current)"},
		{ID: disconnectID, Kind: "action", Method: "POST", Path: disconnectPath, PathParams: keyParam,
			Success: 204, ErrorStatuses: []string{"4XX", "5XX"}, Error: odataEnvelope, Permissions: currentPermissions(),
			Source: "msgraph-openapi-remoteassistancepartners-v1.0.yaml (permissions: revision current)"},
	} {
		checkContract(t, ops[i], want)
	}
}

// Contracts must return the same list, in the same order, on every call and from every load of the
// same bytes: every Ginkgo process builds its spec tree from it.
func TestContractsDeterministic(t *testing.T) {
	for _, tc := range []struct {
		path string
		opts Options
	}{
		{filepath.Join("openapi", "disconnect.yaml"), Options{}},
		{filepath.Join("openapi", "disconnect.yaml"), Options{Revision: "pre-2021"}},
		{msPowerShell, Options{}},
		{msPartners, Options{}},
		{msPartners, Options{Select: Selector{Tags: []string{"deviceManagement.remoteAssistancePartner"}}}},
		{filepath.Join("testdata", "valid", "object-grants.yaml"), Options{}},
	} {
		t.Run(filepath.Base(tc.path), func(t *testing.T) {
			tc.opts.Permissions = &stubSource{ok: true, perms: currentPermissions()}
			first, err := mustLoadFile(t, tc.path).Contracts(t.Context(), tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 20; i++ {
				d := mustLoadFile(t, tc.path) // a fresh load, as another process would do
				again, err := d.Contracts(t.Context(), tc.opts)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(first, again) {
					t.Fatalf("call %d differs:\n%+v\nvs\n%+v", i, again, first)
				}
			}
		})
	}
}

// With explicit error statuses and no 4XX range, the error envelope must not depend on map order.
func TestErrorEnvelopeDeterministic(t *testing.T) {
	d := mustLoadFile(t, filepath.Join("testdata", "valid", "error-statuses.yaml"))
	first, err := d.Contracts(t.Context(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := first[0].ErrorStatuses, []string{"400", "401", "403", "404", "500", "503"}; !reflect.DeepEqual(got, want) {
		t.Errorf("ErrorStatuses = %v, want %v", got, want)
	}
	for i := 0; i < 50; i++ {
		again, err := d.Contracts(t.Context(), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(again[0].Error, first[0].Error) {
			t.Fatalf("call %d: Error = %+v, first call %+v", i, again[0].Error, first[0].Error)
		}
	}
}

// A Description is read-only after Load: concurrent Contracts calls are safe (run with -race).
func TestContractsConcurrent(t *testing.T) {
	descs := []*Description{mustDefault(t), mustLoadFile(t, msPartners)}
	src := &stubSource{ok: true, perms: currentPermissions()}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				for _, d := range descs {
					if _, err := d.Contracts(context.Background(), Options{Permissions: src,
						Select: Selector{Tags: []string{"deviceManagement.remoteAssistancePartner"}}}); err != nil {
						t.Error(err)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
}

// PathMethods lists every method of the operation's path item, upper-case and sorted (the plan uses
// it to know which other methods exist on the path).
func TestPathMethods(t *testing.T) {
	ops, err := mustDefault(t).Contracts(t.Context(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := ops[0].PathMethods; !reflect.DeepEqual(got, []string{"POST"}) {
		t.Errorf("shipped: PathMethods = %v, want [POST]", got)
	}

	ops, err = mustLoadFile(t, msPartners).Contracts(t.Context(), Options{
		Select:      Selector{Tags: []string{"deviceManagement.remoteAssistancePartner"}},
		Permissions: &stubSource{ok: true, perms: currentPermissions()},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"/deviceManagement/remoteAssistancePartners":                              {"GET", "POST"},
		"/deviceManagement/remoteAssistancePartners/$count":                       {"GET"},
		"/deviceManagement/remoteAssistancePartners/{remoteAssistancePartner-id}": {"DELETE", "GET", "PATCH"},
		beginOnboardPath: {"POST"},
		disconnectPath:   {"POST"},
	}
	for _, op := range ops {
		if !reflect.DeepEqual(op.PathMethods, want[op.Path]) {
			t.Errorf("%s: PathMethods = %v, want %v", op.Text(), op.PathMethods, want[op.Path])
		}
		found := false
		for _, m := range op.PathMethods {
			found = found || m == op.Method
		}
		if !found {
			t.Errorf("%s: PathMethods %v does not contain the operation's own method", op.Text(), op.PathMethods)
		}
	}
}
