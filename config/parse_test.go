package config

import (
	"os"
	"strings"
	"testing"
)

// env is a fixed environment for tests: expansion must not depend on the machine's variables.
func env(vars map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
}

var noEnv = env(nil)

func TestParseIssueExample(t *testing.T) {
	data, err := os.ReadFile("testdata/issue.yaml")
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse("issue.yaml", data, env(map[string]string{"GRAPH_TOKEN_ADMIN": "tok-admin-123456", "GRAPH_TOKEN_READER": "tok-reader-123456"}))
	if err != nil {
		t.Fatal(err)
	}
	if f.Target.BaseURL != "http://127.0.0.1:8080/v1.0" || !f.Target.AllowMutation || f.Target.timeout.String() != "10s" {
		t.Errorf("target = %+v", f.Target)
	}
	if len(f.Personas) != 2 || f.Personas[0].Token != "tok-admin-123456" || f.Personas[1].Permissions[0] != "DeviceManagementServiceConfig.Read.All" {
		t.Errorf("personas = %+v", f.Personas)
	}
}

// Each broken config gives exactly one line naming the file, the line, the field and the fix.
func TestParseErrors(t *testing.T) {
	const okPersona = "personas:\n  - {name: a, account: work, mint: true}\n"
	for _, tc := range []struct{ name, yaml, want string }{
		{"empty", "  \n", `c.yaml: the file is empty; it needs a target: and a personas: section (see docs/usage.md)`},
		{"syntax", "target:\n  baseURL: [unclosed\n", `c.yaml:1: not valid YAML: did not find expected ',' or ']'`},
		{"tabs", "target:\n\tbaseURL: x\n", `c.yaml:2: not valid YAML: found character that cannot start any token`},
		{"top level list", "- a\n- b\n", `c.yaml:1: the top level must be a mapping with target: and personas:`},
		{"unknown top field", "targets:\n  baseURL: x\n", `c.yaml:1: targets: unknown field "targets"; did you mean target? (valid: revision, target, run, personas, select, operations, product)`},
		{"misspelt target field", "target:\n  baseUrl: http://127.0.0.1/v1.0\n", `c.yaml:2: target.baseUrl: unknown field "baseUrl"; did you mean baseURL? (valid: baseURL, partnerId, keys, allowMutation, fixtureIssuer, timeout, insecureSkipVerify, caFile, retry, concurrency, rate)`},
		{"misspelt allowMutation", "target:\n  allowMutations: true\n", `c.yaml:2: target.allowMutations: unknown field "allowMutations"; did you mean allowMutation?`},
		{"misspelt persona field", "personas:\n  - name: a\n    account: work\n    tokn: x\n", `c.yaml:4: personas[0].tokn: unknown field "tokn"; did you mean token? (valid: name, account, permissions, token, mint, clientCredentials)`},
		{"misspelt credentials field", "personas:\n  - name: a\n    account: application\n    clientCredentials: {tenantId: t, clientID: c, clientSecret: s}\n", `c.yaml:4: personas[0].clientCredentials.clientID: unknown field "clientID"; did you mean clientId?`},
		{"bool type", "target:\n  allowMutation: yes please\n", "c.yaml:2: target.allowMutation: wrong type: !!str `yes please` into bool"},
		{"list type", "personas:\n  - name: a\n    account: work\n    permissions: DeviceManagementServiceConfig.Read.All\n    mint: true\n", "c.yaml:4: personas[0].permissions: wrong type: !!str `DeviceM...` into []string"},
		{"duplicate key", "target:\n  timeout: 1s\n  timeout: 2s\n", `c.yaml:3: target.timeout: mapping key "timeout" already defined at line 2`},
		{"bad url", "target:\n  baseURL: graph.example.com/v1.0\n" + okPersona, `c.yaml:2: target.baseURL: "graph.example.com/v1.0" is not an http(s) URL with a host; write e.g. https://graph.example.com/v1.0`},
		{"bad timeout", "target:\n  timeout: 10\n" + okPersona, `c.yaml:2: target.timeout: "10" is not a positive Go duration; write e.g. 10s or 1m30s`},
		{"insecure and ca", "target:\n  insecureSkipVerify: true\n  caFile: ca.pem\n", `c.yaml:2: target.insecureSkipVerify: set either insecureSkipVerify or caFile, not both (caFile keeps certificate checks on)`},
		{"retry max", "target:\n  retry: {max: 99}\n", `c.yaml:2: target.retry.max: 99 is out of range; wait out 0 to 10 throttling answers per request`},
		{"retry wait", "target:\n  retry:\n    maxWait: forever\n", `c.yaml:3: target.retry.maxWait: "forever" is not a Go duration between 0 and 5m; write e.g. 10s`},
		{"bad account", "personas:\n  - {name: a, account: work, mint: true}\n  - name: b\n    account: admin\n    mint: true\n", `c.yaml:4: personas[1].account: "admin" is not one of work, personal, application`},
		{"no name", "personas:\n  - account: work\n    mint: true\n", `c.yaml:2: personas[0]: a persona needs a name:`},
		{"duplicate name", "personas:\n  - {name: a, account: work, mint: true}\n  - {name: a, account: work, mint: true}\n", `c.yaml:3: personas[1].name: "a" is already the name of personas[0]; names must be unique`},
		{"no account", "personas:\n  - name: a\n    mint: true\n", `c.yaml:2: personas[0]: persona "a" needs account: work, personal or application`},
		{"no credential", "personas:\n  - name: a\n    account: work\n", `c.yaml:2: personas[0]: persona "a" needs exactly one of token:, mint: true or clientCredentials: (has 0)`},
		{"two credentials", "personas:\n  - {name: a, account: work, mint: true, token: abcdefgh}\n", `c.yaml:2: personas[0]: persona "a" needs exactly one of token:, mint: true or clientCredentials: (has 2)`},
		{"bearer prefix", "personas:\n  - {name: a, account: work, token: Bearer abcdefgh}\n", `c.yaml:2: personas[0].token: write the token without the "Bearer " prefix`},
		{"permission list in one string", "personas:\n  - {name: a, account: work, mint: true, permissions: [\"A.Read, B.Read\"]}\n", `c.yaml:2: personas[0].permissions[0]: "A.Read, B.Read" is not a permission name; list one per item, e.g. [DeviceManagementServiceConfig.Read.All]`},
		{"client credentials work account", "personas:\n  - name: a\n    account: work\n    clientCredentials: {tenantId: t, clientId: c, clientSecret: s}\n", `c.yaml:3: personas[0].account: clientCredentials gives an app-only token; set account: application`},
		{"client credentials no secret", "personas:\n  - name: a\n    account: application\n    clientCredentials: {tenantId: t, clientId: c}\n", `c.yaml:4: personas[0].clientCredentials: clientSecret is required; write clientSecret: ${YOUR_SECRET_VARIABLE}`},
		{"short token", "personas:\n  - {name: a, account: work, token: abc1234}\n", `c.yaml:2: personas[0].token: the token of persona "a" is 7 characters; secrets under 8 characters cannot be kept out of the reports (is it a placeholder or an unexpanded variable?)`},
		{"short client secret", "personas:\n  - name: a\n    account: application\n    clientCredentials: {tenantId: t, clientId: c, clientSecret: s3cr3t}\n", `c.yaml:4: personas[0].clientCredentials.clientSecret: the client secret of persona "a" is 6 characters; secrets under 8 characters cannot be kept out of the reports (is it a placeholder or an unexpanded variable?)`},
		{"client credentials plain http", "personas:\n  - name: a\n    account: application\n    clientCredentials:\n      clientId: c\n      clientSecret: s-long-enough\n      tokenURL: http://login.example.com/token\n", `c.yaml:7: personas[0].clientCredentials.tokenURL: "http://login.example.com/token" would send the client secret unencrypted; use https (http only for loopback test servers)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("c.yaml", []byte(tc.yaml), noEnv)
			if err == nil {
				t.Fatalf("no error for:\n%s", tc.yaml)
			}
			got := err.Error()
			if strings.Contains(got, "\n") {
				t.Errorf("error spans several lines:\n%s", got)
			}
			if !strings.HasPrefix(got, tc.want) {
				t.Errorf("error\n got: %s\nwant: %s", got, tc.want)
			}
		})
	}
}

func TestExpand(t *testing.T) {
	e := env(map[string]string{"A": "alpha", "EMPTY": "", "B_2": "beta"})
	for _, tc := range []struct{ in, want, err string }{
		{in: "plain", want: "plain"},
		{in: "${A}", want: "alpha"},
		{in: "x-${A}-${B_2}-y", want: "x-alpha-beta-y"},
		{in: "${EMPTY}", want: ""},
		{in: "cost $5 and $A", want: "cost $5 and $A"}, // only the braced form expands
		{in: "$${A}", want: "${A}"},
		{in: "${MISSING}", err: "environment variable MISSING is not set (referenced as ${MISSING})"},
		{in: "${A", err: "unterminated ${"},
		{in: "${1A}", err: "${1A} is not a valid environment variable reference"},
		{in: "${}", err: "${} is not a valid environment variable reference"},
	} {
		got, err := Expand(tc.in, e)
		if tc.err != "" {
			if err == nil || !strings.HasPrefix(err.Error(), tc.err) {
				t.Errorf("Expand(%q) error = %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("Expand(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

// A missing variable names itself, the field and the line.
func TestParseMissingVariable(t *testing.T) {
	data, _ := os.ReadFile("testdata/issue.yaml")
	_, err := Parse("issue.yaml", data, env(map[string]string{"GRAPH_TOKEN_ADMIN": "tok-admin-123456"}))
	want := "issue.yaml:16: personas[1].token: environment variable GRAPH_TOKEN_READER is not set (referenced as ${GRAPH_TOKEN_READER})"
	if err == nil || err.Error() != want {
		t.Fatalf("error = %v\nwant %s", err, want)
	}
	_, err = Parse("cc.yaml", mustRead(t, "testdata/clientcredentials.yaml"), env(map[string]string{"GRAPH_CLIENT_ID": "id"}))
	if err == nil || !strings.HasPrefix(err.Error(), "cc.yaml:4: target.partnerId: environment variable PARTNER_ID is not set") {
		t.Fatalf("error = %v", err)
	}
}

// An empty variable is allowed by expansion but an empty token is refused, saying why.
func TestParseEmptyTokenVariable(t *testing.T) {
	data, _ := os.ReadFile("testdata/issue.yaml")
	_, err := Parse("issue.yaml", data, env(map[string]string{"GRAPH_TOKEN_ADMIN": "", "GRAPH_TOKEN_READER": "x"}))
	want := `issue.yaml:12: personas[0].token: empty token for persona "admin" (an unset-but-empty environment variable?)`
	if err == nil || err.Error() != want {
		t.Fatalf("error = %v\nwant %s", err, want)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseSecondDocument(t *testing.T) {
	_, err := Parse("c.yaml", []byte("target: {baseURL: 'http://127.0.0.1/v1.0'}\n---\npersonas: []\n"), noEnv)
	if err == nil || err.Error() != "c.yaml:2: a second YAML document (after ---); one config file holds one document" {
		t.Errorf("error = %v", err)
	}
}
