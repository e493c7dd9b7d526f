package runner

import (
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/graphconform/graphconform/config"
	"github.com/graphconform/graphconform/fixtures/mutant"
	"github.com/graphconform/graphconform/fixtures/token"
	"github.com/graphconform/graphconform/requirement"
)

func TestUsageAndUnknownCommand(t *testing.T) {
	if r := inProcess(); r.code != exitUsage || !strings.Contains(r.stderr, "usage: graphconform <command>") {
		t.Errorf("no arguments: %s", r)
	}
	if r := inProcess("help"); r.code != exitOK || !strings.Contains(r.stdout, "run ") || !strings.Contains(r.stdout, "requirements") {
		t.Errorf("help: %s", r)
	}
	if r := inProcess("certify"); r.code != exitUsage || !strings.Contains(r.stderr, `unknown command "certify"`) {
		t.Errorf("unknown command: %s", r)
	}
	if r := inProcess("run", "--mutant", "x"); r.code != exitConfig || !strings.Contains(r.stderr, `unknown mutant "x"`) {
		t.Errorf("--mutant names an unknown mutant: %s", r)
	}
	if r := inProcess("run", "-h"); r.code != exitOK || !strings.Contains(r.stderr, "--dry-run") {
		t.Errorf("run -h: %s", r)
	}
}

func TestRequirements(t *testing.T) {
	r := inProcess("requirements")
	if r.code != exitOK || !strings.HasPrefix(r.stdout, "ID") || !strings.Contains(r.stdout, "DISC-001") || !strings.Contains(r.stdout, "MUST") {
		t.Fatalf("table: %s", r)
	}
	if got, want := strings.Count(r.stdout, "\n"), len(requirement.All())+1; got != want {
		t.Errorf("table has %d lines, want %d", got, want)
	}
	r = inProcess("requirements", "--json")
	var all []requirement.Requirement
	if err := json.Unmarshal([]byte(r.stdout), &all); err != nil || len(all) != len(requirement.All()) || all[0].Source.Doc == "" {
		t.Errorf("json: %v %s", err, r)
	}
}

func TestMutantsAndVersion(t *testing.T) {
	r := inProcess("mutants")
	for _, m := range mutant.All() {
		if !strings.Contains(r.stdout, m.Name) {
			t.Errorf("mutant %s not listed:\n%s", m.Name, r.stdout)
		}
	}
	if r := inProcess("version"); r.code != exitOK || !strings.HasPrefix(r.stdout, "graphconform 0.") {
		t.Errorf("version: %s", r)
	}
}

func TestMint(t *testing.T) {
	r := inProcess("mint", "--persona", "app")
	c, err := token.Fixture().Verifier(token.VerifierOptions{}).Verify(strings.TrimSpace(r.stdout))
	if r.code != exitOK || err != nil || !c.IsApp() {
		t.Fatalf("mint app: %v %s", err, r)
	}
	if r := inProcess("mint", "--persona", "root"); r.code != exitUsage || !strings.Contains(r.stderr, `unknown persona "root"`) || r.stdout != "" {
		t.Errorf("unknown persona: %s", r)
	}
	if r := inProcess("mint"); r.code != exitUsage {
		t.Errorf("no persona: %s", r)
	}
	if r := inProcess("mint", "--jwks"); r.code != exitOK || !strings.Contains(r.stdout, `"kty":"RSA"`) {
		t.Errorf("jwks: %s", r)
	}
}

// The mock's printed config holds no token (mint: true) and loads.
func TestMockConfigHasNoToken(t *testing.T) {
	out := mockConfig("http://127.0.0.1:8080/v1.0", "current", "the reference mock", false)
	if strings.Contains(out, "token:") || strings.Contains(out, "eyJ") || strings.Count(out, "mint: true") != 5 {
		t.Fatalf("config:\n%s", out)
	}
	f, err := config.Parse("mock.yaml", []byte(out), func(string) (string, bool) { return "", false })
	if err != nil || len(f.Personas) != 5 || f.Target.BaseURL != "http://127.0.0.1:8080/v1.0" {
		t.Fatalf("printed config does not parse: %v", err)
	}
	if out := mockConfig("http://192.0.2.1:8080/v1.0", "current", "x", true); !strings.Contains(out, "allowMutation: true") {
		t.Errorf("a non-loopback mock needs allowMutation:\n%s", out)
	}
}

// Every configuration problem is exit 2 with one line on stderr, before anything is sent.
func TestRunConfigurationErrors(t *testing.T) {
	bad := writeFile(t, "bad.yaml", "target:\n  baseURL: http://127.0.0.1:1/v1.0\npersonas:\n  - name: admin\n    account: admin\n    mint: true\n")
	missing := writeFile(t, "env.yaml", "target:\n  baseURL: http://127.0.0.1:1/v1.0\npersonas:\n  - {name: admin, account: work, token: '${GRAPHCONFORM_TEST_UNSET_TOKEN}'}\n")
	okCfg := writeFile(t, "ok.yaml", "personas:\n  - {name: admin, account: work, mint: true}\n")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"bad account", []string{"run", "--config", bad}, bad + `:5: personas[0].account: "admin" is not one of work, personal, application`},
		{"missing variable", []string{"run", "--config", missing}, "personas[0].token: environment variable GRAPHCONFORM_TEST_UNSET_TOKEN is not set"},
		{"missing file", []string{"run", "--config", "nope.yaml"}, "nope.yaml: cannot read the config file: no such file or directory"},
		{"revision", []string{"run", "--revision", "2019"}, `unknown revision "2019" (this description has: current, pre-2021)`},
		{"label syntax", []string{"run", "--label-filter", "must && (("}, "Syntax Error Parsing Label Filter"},
		{"label selects nothing", []string{"run", "--label-filter", "NO-SUCH-REQ"}, `--label-filter "NO-SUCH-REQ" selects none of the`},
		{"base url", []string{"run", "--base-url", "ftp://x/v1.0", "--config", okCfg}, `"ftp://x/v1.0" is not an http(s) URL with a host`},
		{"no personas", []string{"run", "--base-url", "http://127.0.0.1:1/v1.0"}, "personas: none configured"},
		{"spec file", []string{"run", "--spec", "missing-description.yaml"}, "missing-description.yaml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := inProcess(tc.args...)
			if r.code != exitConfig {
				t.Fatalf("exit %d, want 2: %s", r.code, r)
			}
			oneLine(t, r, tc.want)
		})
	}
}

// An unreachable target is exit 2 and one line, quickly, instead of 40 failed specs.
func TestRunUnreachableTarget(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there any more: connection refused
	cfg := writeFile(t, "c.yaml", "target:\n  baseURL: http://"+addr+"/v1.0\npersonas:\n  - {name: admin, account: work, permissions: [DeviceManagementServiceConfig.ReadWrite.All], mint: true}\n")
	reports := t.TempDir()
	r := inProcess("run", "--config", cfg, "--report-dir", reports)
	if r.code != exitConfig {
		t.Fatalf("exit %d: %s", r.code, r)
	}
	oneLine(t, r, "graphconform: target http://"+addr+"/v1.0 is unreachable: GET http://"+addr+"/v1.0: cannot connect")
	// CI still gets a junit.xml: the reason as an <error>, the gate failing.
	junit, err := os.ReadFile(filepath.Join(reports, "junit.xml"))
	if err != nil || !strings.Contains(string(junit), `type="setup"`) || !strings.Contains(string(junit), "is unreachable") {
		t.Errorf("junit.xml of an unreachable target: %v\n%s", err, junit)
	}
	t.Logf("took %s", r.took) // no bound: a loaded machine is slower; a hang is go test's timeout
}
