package spec

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"runtime/debug"
	"strings"
	"sync"
	"testing"

	"github.com/graphconform/graphconform/contract"
)

const (
	disconnectPath   = "/deviceManagement/remoteAssistancePartners/{remoteAssistancePartner-id}/disconnect"
	disconnectID     = "deviceManagement.remoteAssistancePartners.remoteAssistancePartner.disconnect"
	beginOnboardPath = "/deviceManagement/remoteAssistancePartners/{remoteAssistancePartner-id}/beginOnboarding"
	beginOnboardID   = "deviceManagement.remoteAssistancePartners.remoteAssistancePartner.beginOnboarding"
	psDisconnectPath = "/deviceManagement/remoteAssistancePartners/{remoteAssistancePartner-id}/microsoft.graph.disconnect"
	psDisconnectID   = "deviceManagement.remoteAssistancePartner_disconnect"
	psBeginPath      = "/deviceManagement/remoteAssistancePartners/{remoteAssistancePartner-id}/microsoft.graph.beginOnboarding"
	psBeginID        = "deviceManagement.remoteAssistancePartner_beginOnboarding"

	readWrite = "DeviceManagementServiceConfig.ReadWrite.All"

	srcCurrent = `reference page, ru-RU revision (seed 000_01c3f1fa8b2d1bac.txt; en-US commit 43186752 "intune 2104 v1.0")`
	srcPre2021 = `reference page, zh-CN revision before 2021-04-22 (seed 001_3f1260f6391b6f44.txt)`
)

var (
	msV1         = filepath.Join("testdata", "graph", "msgraph-openapi-disconnect-v1.0.yaml")
	msPowerShell = filepath.Join("testdata", "graph", "msgraph-openapi-disconnect-powershell-v1.0.yaml")
	msPartners   = filepath.Join("testdata", "graph", "msgraph-openapi-remoteassistancepartners-v1.0.yaml")
)

// keyParam is the path parameter of every remoteAssistancePartner operation in Microsoft's files.
var keyParam = []contract.Param{{Name: "remoteAssistancePartner-id", Required: true, KeyType: "remoteAssistancePartner"}}

// odataEnvelope is the error envelope of Microsoft's components.responses.error.
var odataEnvelope = contract.ErrorEnvelope{MediaType: "application/json", Property: "error",
	Required: []string{"code", "message"}, Schema: "microsoft.graph.ODataErrors.ODataError"}

// currentPermissions is the permission table of the current revision of the reference page.
func currentPermissions() contract.Permissions {
	return contract.Permissions{Revision: "current", Source: srcCurrent, Schemes: map[contract.Account]contract.Scheme{
		contract.Work:        {Supported: true, Grants: []contract.Grant{{Permission: readWrite, Documented: true, Source: srcCurrent}}},
		contract.Personal:    {Supported: false},
		contract.Application: {Supported: true, Grants: []contract.Grant{{Permission: readWrite, Documented: true, Source: srcCurrent}}},
	}}
}

func pre2021Permissions() contract.Permissions {
	return contract.Permissions{Revision: "pre-2021", Source: srcPre2021, Schemes: map[contract.Account]contract.Scheme{
		contract.Work:        {Supported: true, Grants: []contract.Grant{{Permission: readWrite, Documented: true, Source: srcPre2021}}},
		contract.Personal:    {Supported: false},
		contract.Application: {Supported: false},
	}}
}

// shippedDisconnect is the contract graphconform's own description must produce.
func shippedDisconnect(perms contract.Permissions) contract.Operation {
	return contract.Operation{
		ID:                disconnectID,
		Kind:              "action",
		Method:            "POST",
		Path:              disconnectPath,
		PathParams:        keyParam,
		Body:              contract.BodyRule{Accepted: false},
		Success:           204,
		SuccessHasContent: false,
		ErrorStatuses:     []string{"4XX", "5XX"},
		Error:             odataEnvelope,
		Permissions:       perms,
		Source:            DefaultName + " (permissions: revision " + perms.Revision + ")",
	}
}

// withoutCreate drops the fixture recipes, which spec/body_test.go pins down.
func withoutCreate(ps []contract.Param) []contract.Param {
	out := append([]contract.Param(nil), ps...)
	for i := range out {
		out[i].Create = nil
	}
	return out
}

// diffContract compares the fields of contract.Operation the tests pin down. Fields added later (by
// other packages' needs) are deliberately not compared here.
func diffContract(got, want contract.Operation) []string {
	var d []string
	cmp := func(name string, g, w any) {
		if !reflect.DeepEqual(g, w) {
			d = append(d, fmt.Sprintf("%s = %#v, want %#v", name, g, w))
		}
	}
	cmp("ID", got.ID, want.ID)
	cmp("Kind", got.Kind, want.Kind)
	cmp("Method", got.Method, want.Method)
	cmp("Path", got.Path, want.Path)
	cmp("PathParams", withoutCreate(got.PathParams), withoutCreate(want.PathParams))
	cmp("Body", got.Body, want.Body)
	cmp("Success", got.Success, want.Success)
	cmp("SuccessHasContent", got.SuccessHasContent, want.SuccessHasContent)
	cmp("ErrorStatuses", got.ErrorStatuses, want.ErrorStatuses)
	cmp("Error", got.Error, want.Error)
	cmp("Permissions", got.Permissions, want.Permissions)
	cmp("Source", got.Source, want.Source)
	return d
}

func checkContract(t *testing.T, got, want contract.Operation) {
	t.Helper()
	for _, d := range diffContract(got, want) {
		t.Errorf("%s: %s", want.ID, d)
	}
}

func ids(ops []contract.Operation) []string {
	out := make([]string, len(ops))
	for i, o := range ops {
		out[i] = o.ID
	}
	return out
}

// stubSource is a PermissionSource that answers every lookup with one table and records the calls.
type stubSource struct {
	perms contract.Permissions
	ok    bool

	mu    sync.Mutex
	calls []string
}

func (s *stubSource) PermissionsFor(method, pathTemplate, revision string) (contract.Permissions, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, method+" "+pathTemplate+" @"+revision)
	p := s.perms
	if s.ok && p.Revision == "" {
		p.Revision = revision
	}
	return p, s.ok
}

func (s *stubSource) Calls() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.calls...)
}

func mustLoadFile(t *testing.T, path string) *Description {
	t.Helper()
	d, err := LoadFile(path)
	if err != nil {
		t.Fatalf("LoadFile(%s): %v", path, err)
	}
	return d
}

func mustDefault(t *testing.T) *Description {
	t.Helper()
	d, err := Default()
	if err != nil {
		t.Fatalf("Default(): %v", err)
	}
	return d
}

// panicError is a panic turned into an error by the no-panic helpers.
type panicError struct {
	value any
	stack string
}

func (p *panicError) Error() string { return fmt.Sprintf("PANIC: %v\n%s", p.value, p.stack) }

// loadNoPanic runs LoadFile; a panic comes back as a *panicError.
func loadNoPanic(path string) (d *Description, err error) {
	defer func() {
		if r := recover(); r != nil {
			d, err = nil, &panicError{r, string(debug.Stack())}
		}
	}()
	return LoadFile(path)
}

// contractsNoPanic runs Contracts; a panic comes back as a *panicError.
func contractsNoPanic(d *Description, opts Options) (ops []contract.Operation, err error) {
	defer func() {
		if r := recover(); r != nil {
			ops, err = nil, &panicError{r, string(debug.Stack())}
		}
	}()
	return d.Contracts(context.Background(), opts)
}

func containsAll(s string, subs ...string) []string {
	var missing []string
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			missing = append(missing, sub)
		}
	}
	return missing
}
