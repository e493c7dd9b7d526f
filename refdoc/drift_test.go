package refdoc

import (
	"bytes"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/graphconform/graphconform/contract"
	"github.com/graphconform/graphconform/spec"
)

const disconnect = "POST /deviceManagement/remoteAssistancePartners/{remoteAssistancePartner-id}/disconnect"

func diffStrings(ds []Difference) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.String())
	}
	return out
}

func TestDriftBetweenTheSeeds(t *testing.T) {
	zh, ru := seed(t, seedZH), seed(t, seedRU)
	ds, err := Drift(zh, ru)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{disconnect + ": permissions application: not supported -> DeviceManagementServiceConfig.ReadWrite.All"}
	if got := diffStrings(ds); !reflect.DeepEqual(got, want) {
		t.Errorf("drift zh -> ru:\n got %q\nwant %q", got, want)
	}
	ds, _ = Drift(ru, zh)
	if got := diffStrings(ds); len(got) != 1 || !strings.HasSuffix(got[0], "DeviceManagementServiceConfig.ReadWrite.All -> not supported") {
		t.Errorf("drift ru -> zh: %q", got)
	}
	if ds, _ := Drift(ru, ru); len(ds) != 0 {
		t.Errorf("a page drifts from itself: %q", diffStrings(ds))
	}
}

// Every field drift promises to report, one change at a time on the Russian seed.
func TestDriftReportsEachField(t *testing.T) {
	ru := string(mustRead(t, seedRU))
	json := "## <a name=\"request-body\"></a>Текст запроса\n```json\n{\"reason\": \"x\"}\n```\n"
	for _, tc := range []struct {
		name, from, to string
		want           []string
	}{
		{"method", "POST /deviceManagement", "PUT /deviceManagement", []string{"method: POST -> PUT"}},
		{"path", "{remoteAssistancePartnerId}/disconnect\n```\n\n## <a name=\"request-headers\">", "{remoteAssistancePartnerId}/disconnectAll\n```\n\n## <a name=\"request-headers\">",
			[]string{"path: /deviceManagement/remoteAssistancePartners/{remoteAssistancePartner-id}/disconnect -> /deviceManagement/remoteAssistancePartners/{remoteAssistancePartner-id}/disconnectAll"}},
		{"body", "## <a name=\"request-body\"></a>Текст запроса\n", json, []string{"body: no request body -> a JSON body with reason"}},
		{"success", "`204 No Content`", "`202 Accepted`", []string{"success status: 204 -> 202"}},
		{"work row", "|Делегированные (рабочая или учебная учетная запись)|DeviceManagementServiceConfig.ReadWrite.All|",
			"|Делегированные (рабочая или учебная учетная запись)|DeviceManagementServiceConfig.ReadWrite.All, DeviceManagementConfiguration.ReadWrite.All|",
			[]string{"permissions work: DeviceManagementServiceConfig.ReadWrite.All -> DeviceManagementServiceConfig.ReadWrite.All, DeviceManagementConfiguration.ReadWrite.All"}},
		{"personal row", "|Не поддерживается.|", "|User.Read|", []string{"permissions personal: not supported -> User.Read"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			changed := strings.Replace(ru, tc.from, tc.to, 1)
			if changed == ru {
				t.Fatalf("%q not in the seed", tc.from)
			}
			a, b := seed(t, seedRU), mustParse(t, changed)
			ds, err := Drift(a, b)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, d := range ds {
				if d.Operation != disconnect {
					t.Errorf("operation %q", d.Operation)
				}
				got = append(got, d.Field+": "+d.A+" -> "+d.B)
			}
			// A method change also changes the derived operation kind; only the asked field is pinned.
			if len(got) == 0 || got[0] != tc.want[0] {
				t.Errorf("got %q, want first %q", got, tc.want)
			}
		})
	}
}

func TestDriftOperationCount(t *testing.T) {
	ru := string(mustRead(t, seedRU))
	two := strings.Replace(ru, "POST /deviceManagement/remoteAssistancePartners/{remoteAssistancePartnerId}/disconnect\n```",
		"POST /deviceManagement/remoteAssistancePartners/{remoteAssistancePartnerId}/disconnect\nPOST /deviceManagement/remoteAssistancePartners/{remoteAssistancePartnerId}/microsoft.graph.disconnect\n```", 1)
	ds, err := Drift(seed(t, seedRU), mustParse(t, two))
	if err != nil {
		t.Fatal(err)
	}
	if got := diffStrings(ds); len(got) != 1 || !strings.Contains(got[0], "microsoft.graph.disconnect: operation: absent -> documented") {
		t.Errorf("drift %q", got)
	}
}

func mustParse(t testing.TB, page string) *Page {
	t.Helper()
	p, err := Parse("changed.md", []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCommands(t *testing.T) {
	dir := t.TempDir()
	ru, zh := filepath.Join("testdata", seedRU), filepath.Join("testdata", seedZH)
	out := filepath.Join(dir, "pre2021.yaml")
	var stdout, stderr bytes.Buffer
	if code := FromDocsMain([]string{zh, "--revision", "pre-2021", "-o", out}, &stdout, &stderr); code != ExitOK {
		t.Fatalf("from-docs exit %d: %s", code, stderr.String())
	}
	d, err := spec.LoadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	ops, err := d.Contracts(t.Context(), spec.Options{Revision: "pre-2021"})
	if err != nil || len(ops) != 1 || ops[0].Permissions.Schemes[contract.Application].Supported {
		t.Fatalf("contracts of the written description: %+v %v", ops, err)
	}
	stdout.Reset()
	if code := FromDocsMain([]string{ru}, &stdout, &stderr); code != ExitOK || !strings.Contains(stdout.String(), "revision: \"current\"") {
		t.Errorf("from-docs to stdout: exit %d, output %.200q", code, stdout.String())
	}

	for _, tc := range []struct {
		args []string
		code int
		out  string
	}{
		{[]string{zh, ru}, ExitDrift, "permissions application: not supported -> DeviceManagementServiceConfig.ReadWrite.All"},
		{[]string{ru, ru}, ExitOK, "no contract difference"},
		{[]string{ru}, ExitError, ""},
		{[]string{ru, filepath.Join(dir, "missing.md")}, ExitError, ""},
	} {
		stdout.Reset()
		stderr.Reset()
		if code := DriftMain(tc.args, &stdout, &stderr); code != tc.code || !strings.Contains(stdout.String(), tc.out) {
			t.Errorf("drift %v: exit %d (want %d), stdout %q, stderr %q", tc.args, code, tc.code, stdout.String(), stderr.String())
		}
	}
	for _, cmd := range []func([]string, *bytes.Buffer, *bytes.Buffer) int{
		func(a []string, o, e *bytes.Buffer) int { return FromDocsMain(a, o, e) },
		func(a []string, o, e *bytes.Buffer) int { return DriftMain(a, o, e) },
	} {
		stderr.Reset()
		if code := cmd([]string{"-h"}, &stdout, &stderr); code != ExitOK || !strings.Contains(stderr.String(), "usage: graphconform") {
			t.Errorf("-h: exit %d, stderr %q", code, stderr.String())
		}
	}
	for _, args := range [][]string{{}, {"--revision", "", ru}, {"--nope", ru}, {filepath.Join(dir, "missing.md")}, {ru, zh}} {
		stderr.Reset()
		if code := FromDocsMain(args, &stdout, &stderr); code != ExitError || stderr.Len() == 0 {
			t.Errorf("from-docs %q: exit %d, stderr %q; want 2 and a message", args, code, stderr.String())
		}
	}
}
