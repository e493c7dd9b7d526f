package refdoc

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/graphconform/graphconform/contract"
	"github.com/graphconform/graphconform/persona"
	"github.com/graphconform/graphconform/plan"
	"github.com/graphconform/graphconform/spec"
)

// The seeds are the reference page as received (../shared/seeds, copied verbatim).
const (
	seedRU = "000_01c3f1fa8b2d1bac.txt" // ru-RU, current revision
	seedZH = "001_3f1260f6391b6f44.txt" // zh-CN with English look-up spans, before 2021-04-22
)

func seed(t testing.TB, name string) *Page {
	t.Helper()
	p, err := ParseFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func mustRead(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func shipped(t testing.TB, revision string) contract.Operation {
	t.Helper()
	d, err := spec.Default()
	if err != nil {
		t.Fatal(err)
	}
	ops, err := d.Contracts(t.Context(), spec.Options{Revision: revision})
	if err != nil || len(ops) != 1 {
		t.Fatalf("shipped description at %s: %v %v", revision, ops, err)
	}
	return ops[0]
}

// withoutProvenance clears the fields that say where a contract was read, which differ by design.
func withoutProvenance(o contract.Operation) contract.Operation {
	o.Source, o.Permissions.Source = "", ""
	o.DocURL = "" // the page a seed came from is not written in it
	schemes := map[contract.Account]contract.Scheme{}
	for acc, s := range o.Permissions.Schemes {
		grants := make([]contract.Grant, len(s.Grants))
		for i, g := range s.Grants {
			g.Source = ""
			grants[i] = g
		}
		if len(grants) == 0 {
			grants = nil
		}
		schemes[acc] = contract.Scheme{Supported: s.Supported, Grants: grants}
	}
	o.Permissions.Schemes = schemes
	return o
}

// fieldDiffs compares every field of contract.Operation (fields added later included), provenance
// aside.
func fieldDiffs(got, want contract.Operation) []string {
	g, w := reflect.ValueOf(withoutProvenance(got)), reflect.ValueOf(withoutProvenance(want))
	var out []string
	for i := 0; i < g.NumField(); i++ {
		if !reflect.DeepEqual(g.Field(i).Interface(), w.Field(i).Interface()) {
			out = append(out, fmt.Sprintf("%s = %#v, want %#v", g.Type().Field(i).Name, g.Field(i).Interface(), w.Field(i).Interface()))
		}
	}
	return out
}

func dummyPersonas() persona.Set {
	s := persona.Fixture()
	for i := range s {
		s[i].Token = "dummy-token-of-" + s[i].Name
	}
	return s
}

func caseTexts(ops []contract.Operation) []string {
	var out []string
	for _, c := range plan.Build(ops, dummyPersonas()) {
		out = append(out, c.Operation.ID+" | "+c.Text()+" | persona="+c.Persona+" | skip="+c.Skip+" | "+strings.Join(c.Labels(), ","))
	}
	return out
}

// The description generated from each seed yields the contract, and the specs, of the shipped
// description at the matching revision.
func TestSeedsMatchTheShippedDescription(t *testing.T) {
	for _, tc := range []struct{ seed, revision string }{
		{seedRU, "current"},
		{seedZH, "pre-2021"},
	} {
		t.Run(tc.seed, func(t *testing.T) {
			ops, err := seed(t, tc.seed).Contracts(tc.revision)
			if err != nil {
				t.Fatal(err)
			}
			if len(ops) != 1 {
				t.Fatalf("%d operations, want 1", len(ops))
			}
			want := shipped(t, tc.revision)
			want.Effect = nil // the shipped x-graphconform-effect comes from the resource page, not this one
			for _, d := range fieldDiffs(ops[0], want) {
				t.Error(d)
			}
			if !strings.Contains(ops[0].Permissions.Source, tc.seed) {
				t.Errorf("permissions source %q does not name the page", ops[0].Permissions.Source)
			}
			got, exp := caseTexts(ops), caseTexts([]contract.Operation{want})
			if len(got) == 0 || !reflect.DeepEqual(got, exp) {
				t.Errorf("generated spec texts differ:\n got %d: %q\nwant %d: %q", len(got), got, len(exp), exp)
			}
		})
	}
}

// What the parser reads from each seed, through translation and look-up spans.
func TestParseSeeds(t *testing.T) {
	ru, zh := seed(t, seedRU), seed(t, seedZH)
	for _, p := range []*Page{ru, zh} {
		if want := []Request{{"POST", "/deviceManagement/remoteAssistancePartners/{remoteAssistancePartnerId}/disconnect"}}; !reflect.DeepEqual(p.Requests, want) {
			t.Errorf("%s: requests %v", p.Name, p.Requests)
		}
		if p.Kind != "action" || p.Success != 204 || p.SuccessHasContent || p.Body.Accepted || p.Server != "https://graph.microsoft.com/v1.0" {
			t.Errorf("%s: kind %q success %d content %v body %+v server %q", p.Name, p.Kind, p.Success, p.SuccessHasContent, p.Body, p.Server)
		}
	}
	rw := []string{"DeviceManagementServiceConfig.ReadWrite.All"}
	if want := [3][]string{rw, nil, rw}; !reflect.DeepEqual(ru.Rows, want) {
		t.Errorf("ru rows %q", ru.Rows)
	}
	if want := [3][]string{rw, nil, nil}; !reflect.DeepEqual(zh.Rows, want) {
		t.Errorf("zh rows %q (the look-up spans must not count twice)", zh.Rows)
	}
	if ru.Locale != "ru-RU" || ru.Date != "09/12/2021" || ru.Title != "Действие disconnect" {
		t.Errorf("ru front matter: %q %q %q", ru.Locale, ru.Date, ru.Title)
	}
	if zh.Title != "disconnect 操作" || zh.Description != "尚未记录" {
		t.Errorf("zh title %q description %q: the English look-up spans were not removed", zh.Title, zh.Description)
	}
}
