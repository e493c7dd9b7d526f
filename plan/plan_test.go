package plan

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/graphconform/graphconform/contract"
	"github.com/graphconform/graphconform/persona"
	"github.com/graphconform/graphconform/requirement"
	"github.com/graphconform/graphconform/spec"
	"github.com/graphconform/graphconform/verdict"
)

func shipped(t *testing.T, revision string) contract.Operation {
	t.Helper()
	d, err := spec.Default()
	if err != nil {
		t.Fatal(err)
	}
	ops, err := d.Contracts(context.Background(), spec.Options{Revision: revision})
	if err != nil || len(ops) != 1 {
		t.Fatalf("contracts: %v %v", ops, err)
	}
	return ops[0]
}

func withTokens(s persona.Set) persona.Set {
	for i := range s {
		s[i].Token = "token-of-" + s[i].Name
	}
	return s
}

func byReq(cases []Case) map[requirement.ID][]Case {
	m := map[requirement.ID][]Case{}
	for _, c := range cases {
		m[c.Requirement.ID] = append(m[c.Requirement.ID], c)
	}
	return m
}

func TestBuildCoversTheCatalogue(t *testing.T) {
	cases := Build([]contract.Operation{shipped(t, "")}, withTokens(persona.Fixture()))
	got := byReq(cases)
	for _, r := range requirement.All() {
		if r.ID == "PERM-005" || strings.HasPrefix(string(r.ID), "BODY-") || r.ID == "RESP-001" {
			continue // the shipped action has no metadata-only grant, no parameters, no content (body_test.go)
		}
		if len(got[r.ID]) == 0 {
			t.Errorf("no case for %s", r.ID)
		}
	}
	texts := map[string]bool{}
	labelRE := regexp.MustCompile(`[&|!,()/]`)
	for _, c := range cases {
		if texts[c.Text()] {
			t.Errorf("duplicate spec text %q (parallel runs need unique texts)", c.Text())
		}
		texts[c.Text()] = true
		for _, l := range c.Labels() {
			if labelRE.MatchString(l) {
				t.Errorf("label %q of %q has a character Ginkgo forbids", l, c.Text())
			}
		}
		if c.Skip != "" {
			t.Errorf("with every fixture persona no case should be skipped: %q: %s", c.Text(), c.Skip)
		}
	}
	if n := len(got["DISC-007"]); n != 4 {
		t.Errorf("DISC-007: want one case per other method (4), got %d", n)
	}
}

func TestPermissionExpectationsFollowTheRevision(t *testing.T) {
	for _, tc := range []struct {
		revision string
		want     map[string]requirement.ID
	}{
		{"current", map[string]requirement.ID{"admin": "PERM-001", "app": "PERM-002", "reader": "PERM-003", "app-reader": "PERM-003", "personal": "PERM-004"}},
		{"pre-2021", map[string]requirement.ID{"admin": "PERM-001", "app": "PERM-002", "reader": "PERM-003", "app-reader": "PERM-002", "personal": "PERM-004"}},
	} {
		cases := Build([]contract.Operation{shipped(t, tc.revision)}, withTokens(persona.Fixture()))
		for _, c := range cases {
			if c.Requirement.Area != requirement.AreaPermissions || c.Persona == "" || c.Requirement.ID == "PERM-004.1" {
				continue
			}
			if want := tc.want[c.Persona]; c.Requirement.ID != want {
				t.Errorf("%s: persona %s judged under %s, want %s (%s)", tc.revision, c.Persona, c.Requirement.ID, want, c.Name)
			}
		}
		var app Case
		for _, c := range cases {
			if c.Persona == "app" && c.Requirement.Area == requirement.AreaPermissions {
				app = c
			}
		}
		refused := strings.Contains(app.Name, "is refused")
		if (tc.revision == "pre-2021") != refused {
			t.Errorf("%s: the application persona case reads %q", tc.revision, app.Name)
		}
	}
}

func TestMissingPersonasAreSkippedWithAReason(t *testing.T) {
	only := withTokens(persona.Set{{Name: "reader", Account: contract.Work, Permissions: []string{"DeviceManagementServiceConfig.Read.All"}}})
	cases := Build([]contract.Operation{shipped(t, "")}, only)
	for _, c := range cases {
		switch {
		case c.Requirement.ID == "PERM-003" && c.Persona == "reader":
			if c.Skip != "" {
				t.Errorf("the reader case must run: %s", c.Skip)
			}
		case c.Requirement.Area == requirement.AreaPermissions:
			if !strings.Contains(c.Skip, "persona not configured") && !strings.Contains(c.Skip, "no persona the contract allows") {
				t.Errorf("%s: want a skip naming the missing persona, got %q", c.Text(), c.Skip)
			}
		case c.Requirement.ID == "DISC-001":
			if !strings.Contains(c.Skip, "DeviceManagementServiceConfig.ReadWrite.All") {
				t.Errorf("DISC-001 skip must name the permission to configure: %q", c.Skip)
			}
		}
	}
	v := cases[0].Execute(context.Background(), &Env{})
	if v.Outcome != verdict.Skip || v.Message == "" {
		t.Errorf("a skipped case executes to a skip verdict with its reason, got %+v", v)
	}
}

func TestTamperKeepsTheTokenShape(t *testing.T) {
	tok := "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXNpZ25hdHVyZQ"
	got := tamper(tok)
	if got == tok || len(got) != len(tok) || strings.Count(got, ".") != 2 || got[:strings.LastIndex(got, ".")] != tok[:strings.LastIndex(tok, ".")] {
		t.Errorf("tamper(%q) = %q: want only the signature changed", tok, got)
	}
	if tamper("") == "" {
		t.Error("tamper of an empty token must still produce a credential")
	}
}

func TestPathRewrites(t *testing.T) {
	rw := swapLiteralSegments("/deviceManagement/remoteAssistancePartners/{id}/disconnect")
	if got := rw("/deviceManagement/remoteAssistancePartners/ab-12/disconnect"); got != "/DEVICEmANAGEMENT/REMOTEaSSISTANCEpARTNERS/ab-12/DISCONNECT" {
		t.Errorf("swapLiteralSegments: %s", got)
	}
	v, ok := qualifiedVariant("/x/{id}/disconnect")
	if !ok || v.rewrite("/x/1/disconnect") != "/x/1/microsoft.graph.disconnect" {
		t.Errorf("qualified variant: %v", v)
	}
	v, ok = qualifiedVariant("/x/{id}/microsoft.graph.disconnect")
	if !ok || v.rewrite("/x/1/microsoft.graph.disconnect") != "/x/1/disconnect" {
		t.Error("short variant of a qualified path")
	}
	if _, ok := qualifiedVariant("/x/{id}"); ok {
		t.Error("a key segment has no qualified variant")
	}
}

// TestRowsTheTableLacksAreNotGaps: a row no persona exercises is a gap (a skip naming the persona
// to add) only where the table has it: an application-only table has no PERM-001 row, and a table
// that supports personal accounts has no PERM-004 row (a personal persona is accepted there).
func TestRowsTheTableLacksAreNotGaps(t *testing.T) {
	op := shipped(t, "")
	grants := op.Permissions.Schemes[contract.Application].Grants
	op.Permissions.Schemes = map[contract.Account]contract.Scheme{
		contract.Application: {Supported: true, Grants: grants},
		contract.Personal:    {Supported: true, Grants: grants},
	}
	app := withTokens(persona.Set{{Name: "app", Account: contract.Application, Permissions: []string{grants[0].Permission}}})
	got := byReq(Build([]contract.Operation{op}, app))
	for _, id := range []requirement.ID{"PERM-001", "PERM-004", "PERM-004.1"} {
		for _, c := range got[id] {
			t.Errorf("%s: the table has no such row, yet %q (skip %q)", id, c.Text(), c.Skip)
		}
	}
	if len(got["PERM-002"]) == 0 || len(got["PERM-003"]) == 0 {
		t.Errorf("PERM-002 and PERM-003 rows always apply: %d, %d cases", len(got["PERM-002"]), len(got["PERM-003"]))
	}
	// The shipped table (work and application supported, personal not) keeps every gap.
	only := byReq(Build([]contract.Operation{shipped(t, "")}, app))
	for _, id := range []requirement.ID{"PERM-001", "PERM-004", "PERM-004.1"} {
		if len(only[id]) != 1 || !strings.Contains(only[id][0].Skip, "persona not configured") {
			t.Errorf("%s: want the gap naming the persona to add, got %d cases", id, len(only[id]))
		}
	}
}
