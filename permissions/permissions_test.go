package permissions

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/graphconform/graphconform/contract"
)

const (
	serviceConfigRW = "DeviceManagementServiceConfig.ReadWrite.All"
	configurationRW = "DeviceManagementConfiguration.ReadWrite.All"
	disconnectPath  = "/deviceManagement/remoteAssistancePartners/{remoteAssistancePartner-id}/disconnect"
	currentFile     = "graph-permissions-remoteassistancepartners.json"
	file2022        = "msgraph-metadata-permissions-beta-DeviceManagementServiceConfig-2022.json"
)

func load(t testing.TB, name string) *Overlay {
	t.Helper()
	o, err := LoadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// grants is a scheme's grants without the Source text, for compact comparisons.
type grant struct {
	Permission string
	Documented bool
}

func grantsOf(s contract.Scheme) []grant {
	var out []grant
	for _, g := range s.Grants {
		out = append(out, grant{g.Permission, g.Documented})
	}
	return out
}

func TestCurrentFileDisconnect(t *testing.T) {
	o := load(t, currentFile)
	p, ok := o.PermissionsFor("POST", disconnectPath, "current")
	if !ok {
		t.Fatal("disconnect not found in the current permissions file")
	}
	if p.Revision != "current" || !strings.Contains(p.Source, currentFile) {
		t.Errorf("revision %q source %q", p.Revision, p.Source)
	}
	want := []grant{{serviceConfigRW, true}, {configurationRW, false}}
	for _, acc := range []contract.Account{contract.Work, contract.Application} {
		s := p.Schemes[acc]
		if !s.Supported || !reflect.DeepEqual(grantsOf(s), want) {
			t.Errorf("%s: %+v, want supported %v", acc, s, want)
		}
		for _, g := range s.Grants {
			if !strings.Contains(g.Source, currentFile) {
				t.Errorf("%s %s: source %q does not name the file", acc, g.Permission, g.Source)
			}
		}
	}
	if s, present := p.Schemes[contract.Personal]; !present || s.Supported {
		t.Errorf("personal: %+v (present %v), want an explicit not-supported row", s, present)
	}
	// The contract's decision table follows: documented → allowed, metadata-only → PERM-005.
	if d := p.Decide(contract.Work, []string{configurationRW}); d.Outcome != contract.AllowedByMetadata {
		t.Errorf("work holding %s: %s", configurationRW, d.Outcome)
	}
	if d := p.Decide(contract.Application, []string{serviceConfigRW}); d.Outcome != contract.Allowed {
		t.Errorf("application holding %s: %s", serviceConfigRW, d.Outcome)
	}
	if d := p.Decide(contract.Work, []string{"DeviceManagementServiceConfig.Read.All"}); d.Outcome != contract.Insufficient {
		t.Errorf("work holding only Read.All: %s", d.Outcome)
	}
}

func TestCurrentFileCollectionGET(t *testing.T) {
	p, ok := load(t, currentFile).PermissionsFor("get", "/deviceManagement/remoteAssistancePartners", "current")
	if !ok {
		t.Fatal("GET collection not found")
	}
	want := []grant{
		{"DeviceManagementServiceConfig.Read.All", true},
		{serviceConfigRW, true},
		{"DeviceManagementConfiguration.Read.All", false},
		{configurationRW, false},
	}
	if got := grantsOf(p.Schemes[contract.Work]); !reflect.DeepEqual(got, want) {
		t.Errorf("work = %v, want %v", got, want)
	}
}

func TestOlderFormatWithoutLeastMarks(t *testing.T) {
	p, ok := load(t, file2022).PermissionsFor("POST", disconnectPath, "current")
	if !ok {
		t.Fatal("disconnect not found in the 2022 file")
	}
	want := []grant{{serviceConfigRW, true}}
	for _, acc := range []contract.Account{contract.Work, contract.Application} {
		if got := grantsOf(p.Schemes[acc]); !p.Schemes[acc].Supported || !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %v, want %v", acc, got, want)
		}
		if src := p.Schemes[acc].Grants[0].Source; !strings.Contains(src, "no least-privilege marks") {
			t.Errorf("%s source %q does not say why the grant counts as documented", acc, src)
		}
	}
	if p.Schemes[contract.Personal].Supported {
		t.Error("personal supported in the 2022 file")
	}
}

func TestMatching(t *testing.T) {
	o := load(t, currentFile)
	for _, tc := range []struct {
		method, path string
		found        bool
	}{
		{"POST", disconnectPath, true},
		{"post", disconnectPath, true},
		{"POST", "/devicemanagement/REMOTEASSISTANCEPARTNERS/{id}/Disconnect", true},
		{"POST", "/deviceManagement/remoteAssistancePartners/{anything}/disconnect/", true},
		{"POST", "/deviceManagement/remoteAssistancePartners/{remoteAssistancePartner-id}/microsoft.graph.disconnect", true},
		{"GET", disconnectPath, false},
		{"POST", "/deviceManagement/remoteAssistancePartners/{id}/disconnectAll", false},
		{"POST", "/deviceManagement/remoteAssistancePartners/disconnect", false},
		{"POST", "/users/{id}/disconnect", false},
	} {
		if _, ok := o.PermissionsFor(tc.method, tc.path, "current"); ok != tc.found {
			t.Errorf("%s %s: found = %v, want %v", tc.method, tc.path, ok, tc.found)
		}
	}
	if _, ok := o.PermissionsFor("POST", disconnectPath, "pre-2021"); ok {
		t.Error("the overlay answered for revision pre-2021; it only holds today's data")
	}
	o.Revision = "2026-08"
	if p, ok := o.PermissionsFor("POST", disconnectPath, "2026-08"); !ok || p.Revision != "2026-08" {
		t.Errorf("renamed revision: %v %v", p.Revision, ok)
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		disconnectPath: "/devicemanagement/remoteassistancepartners/{id}/disconnect",
		"/users/{user-id}/microsoft.graph.assignLicense":     "/users/{id}/assignlicense",
		"/reports/getEmailActivityCounts(period='{period}')": "/reports/getemailactivitycounts(period='{id}')",
		"users/{id}/":           "/users/{id}",
		"/me/microsoft.graph.x": "/me/x",
	} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseFormats(t *testing.T) {
	doc := `{"permissions": {
	  "B.Read": {"pathSets": [{"schemeKeys": ["DelegatedWork", "DelegatedPersonal", "Other"], "methods": ["GET,POST"],
	     "paths": {"/things/{id}": "least=DelegatedWork;future=1"}}]},
	  "A.Read": {"pathSets": [{"schemeKeys": ["DelegatedWork"], "methods": ["GET"],
	     "paths": {"/things/{id}": {"leastPrivilegePermission": ["DelegatedWork"]}}}]},
	  "C.Both": {"pathSets": [{"schemeKeys": ["Application"], "methods": ["GET"], "alsoRequires": "B.Read",
	     "paths": {"/things/{id}": "least=Application"}}]}}}`
	o, err := Parse("inline.json", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	p, ok := o.PermissionsFor("POST", "/things/{thing-id}", "current")
	if !ok {
		t.Fatal("POST from a comma-joined methods entry not found")
	}
	if got, want := grantsOf(p.Schemes[contract.Work]), []grant{{"B.Read", true}}; !reflect.DeepEqual(got, want) {
		t.Errorf("POST work = %v, want %v", got, want)
	}
	p, _ = o.PermissionsFor("GET", "/things/{thing-id}", "current")
	if got, want := grantsOf(p.Schemes[contract.Work]), []grant{{"A.Read", true}, {"B.Read", true}}; !reflect.DeepEqual(got, want) {
		t.Errorf("GET work = %v, want %v", got, want)
	}
	// No permission is marked least for personal accounts: the file is the only statement, so documented.
	if got, want := grantsOf(p.Schemes[contract.Personal]), []grant{{"B.Read", true}}; !reflect.DeepEqual(got, want) {
		t.Errorf("GET personal = %v, want %v", got, want)
	}
	if p.Schemes[contract.Application].Supported {
		t.Error("a pathSet with alsoRequires made application supported")
	}
}

func TestParseErrors(t *testing.T) {
	for name, doc := range map[string]string{
		"not json":          `permissions: {}`,
		"no permissions":    `{"other": 1}`,
		"empty permissions": `{"permissions": {}}`,
		"no paths at all":   `{"permissions": {"A.Read": {"pathSets": []}}}`,
		"no schemeKeys":     `{"permissions": {"A.Read": {"pathSets": [{"methods": ["GET"], "paths": {"/a": ""}}]}}}`,
		"bad path value":    `{"permissions": {"A.Read": {"pathSets": [{"schemeKeys": ["Application"], "methods": ["GET"], "paths": {"/a": 3}}]}}}`,
		"pathSets a string": `{"permissions": {"A.Read": {"pathSets": "x"}}}`,
	} {
		if _, err := Parse("bad.json", []byte(doc)); err == nil || !strings.Contains(err.Error(), "bad.json") {
			t.Errorf("%s: err = %v, want an error naming the file", name, err)
		}
	}
	if _, err := LoadFile(filepath.Join("testdata", "missing.json")); err == nil {
		t.Error("LoadFile of a missing file succeeded")
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"permissions": {"A.Read": {"pathSets": [{"schemeKeys": ["Application"], "methods": ["GET"], "paths": {"/a/{x}": "least=Application"}}]}}}`))
	f.Add([]byte(`{"permissions": {"A.Read": {"pathSets": [{"schemeKeys": ["DelegatedWork"], "methods": ["GET,POST"], "paths": {"/a": {}}}]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		o, err := Parse("fuzz.json", data)
		if err != nil {
			return
		}
		for norm := range o.index {
			for m := range o.index[norm] {
				if _, ok := o.PermissionsFor(m, norm, o.Revision); !ok {
					t.Fatalf("indexed %s %s not found again", m, norm)
				}
			}
		}
	})
}

// The fingerprint keys the contract cache (spec.LoadContracts): it must change with anything that
// changes an answer (the bytes, Name, Revision), and be empty for an overlay Parse did not make.
func TestFingerprint(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", currentFile))
	if err != nil {
		t.Fatal(err)
	}
	parse := func(name string, data []byte) *Overlay {
		o, err := Parse(name, data)
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	a, same := parse(currentFile, data), load(t, currentFile)
	if a.Fingerprint() == "" || a.Fingerprint() != same.Fingerprint() {
		t.Fatalf("fingerprints %q and %q of the same file", a.Fingerprint(), same.Fingerprint())
	}
	renamed := parse("other.json", data)
	otherBytes := parse(currentFile, append([]byte(" "), data...))
	otherRevision := parse(currentFile, data)
	otherRevision.Revision = "pre-2021"
	seen := map[string]string{a.Fingerprint(): "original"}
	for name, o := range map[string]*Overlay{"name": renamed, "bytes": otherBytes, "revision": otherRevision} {
		if prev, dup := seen[o.Fingerprint()]; dup {
			t.Errorf("another %s, same fingerprint as %s", name, prev)
		}
		seen[o.Fingerprint()] = name
	}
	var none *Overlay
	if (&Overlay{Name: "x", Revision: DefaultRevision}).Fingerprint() != "" || none.Fingerprint() != "" {
		t.Error("an overlay not made by Parse has a fingerprint")
	}
}
