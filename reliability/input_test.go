package reliability

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/graphconform/graphconform/reliability/faults"
)

// badInput bounds a run that must stop at its input: no network wait is involved.
const badInput = startup

// TestBadConfigs: every broken config is exit 2 and one stderr line naming the file, the field and
// what to do, with no stack trace, before anything is sent.
func TestBadConfigs(t *testing.T) {
	t.Parallel()
	const base = "http://127.0.0.1:1/v1.0" // never contacted: each config fails before the probe
	admin := "  - {name: admin, account: work, permissions: [DeviceManagementServiceConfig.ReadWrite.All], "
	tgt := "target:\n  baseURL: " + base + "\n"
	for _, c := range []struct {
		name, content string
		want          []string
	}{
		{"broken YAML", tgt + "  timeout: [\npersonas: {\n", []string{"not valid YAML"}},
		{"broken JSON", `{"target": {"baseURL": "` + base + `"}, "personas": [`, []string{"not valid YAML"}},
		{"a YAML list", "- target\n- personas\n", []string{"top level must be a mapping"}},
		{"empty file", "\n\n", []string{"the file is empty", "target:"}},
		{"binary garbage", "\x00\x01\x02\xff\xfe", []string{"graphconform.yaml"}},
		{"misspelt field", tgt + "  allowMutaton: true\npersonas:\n" + admin + "mint: true}\n", []string{"allowMutaton", "did you mean allowMutation"}},
		{"missing token", tgt + "personas:\n" + admin + "}\n", []string{"personas[0]", "exactly one of token:, mint: true or clientCredentials:"}},
		{"empty token", tgt + "personas:\n" + admin + "token: \"\"}\n", []string{"personas[0].token", "empty token"}},
		{"blank token", tgt + "personas:\n" + admin + "token: \"   \"}\n", []string{"personas[0].token", "empty token"}},
		{"token with Bearer prefix", tgt + "personas:\n" + admin + "token: \"Bearer abc.def.ghi\"}\n", []string{"personas[0].token", "without the \"Bearer \" prefix"}},
		{"unset environment variable", tgt + "personas:\n" + admin + "token: \"${GRAPHCONFORM_TEST_UNSET_VARIABLE}\"}\n", []string{"personas[0].token", "GRAPHCONFORM_TEST_UNSET_VARIABLE is not set"}},
		{"unknown account kind", tgt + "personas:\n  - {name: bot, account: robot, permissions: [A], mint: true}\n", []string{"personas[0].account", "\"robot\"", "work, personal, application"}},
		{"no account", tgt + "personas:\n  - {name: bot, permissions: [A], mint: true}\n", []string{"personas[0]", "needs account:"}},
		{"duplicate persona", tgt + "personas:\n" + admin + "mint: true}\n" + admin + "mint: true}\n", []string{"personas[1].name", "unique"}},
		{"bad permission", tgt + "personas:\n  - {name: a, account: work, permissions: [\"A, B\"], mint: true}\n", []string{"personas[0].permissions[0]", "one per item"}},
		{"bad timeout", tgt + "  timeout: 10 parsecs\npersonas:\n" + admin + "mint: true}\n", []string{"target.timeout", "write e.g. 10s"}},
		{"negative timeout", tgt + "  timeout: -1s\npersonas:\n" + admin + "mint: true}\n", []string{"target.timeout"}},
		{"not a URL", "target:\n  baseURL: graph.example.com\npersonas:\n" + admin + "mint: true}\n", []string{"target.baseURL", "https://graph.example.com/v1.0"}},
		{"credentials in the URL", "target:\n  baseURL: http://user:pw@127.0.0.1:1/v1.0\npersonas:\n" + admin + "mint: true}\n", []string{"target.baseURL", "use personas"}},
		{"missing caFile", tgt + "  caFile: nowhere.pem\npersonas:\n" + admin + "mint: true}\n", []string{"target.caFile", "nowhere.pem", "no such file"}},
		{"caFile not PEM", tgt + "  caFile: graphconform.yaml\npersonas:\n" + admin + "mint: true}\n", []string{"target.caFile", "no PEM certificate"}},
		{"caFile and insecureSkipVerify", tgt + "  caFile: x.pem\n  insecureSkipVerify: true\npersonas:\n" + admin + "mint: true}\n", []string{"target.insecureSkipVerify", "not both"}},
		{"two documents", tgt + "personas:\n" + admin + "mint: true}\n---\ntarget: {}\n", []string{"second YAML document"}},
		{"clientCredentials for a work account", tgt + "personas:\n  - {name: a, account: work, permissions: [A], clientCredentials: {tenantId: t, clientId: c, clientSecret: s}}\n", []string{"personas[0].account", "account: application"}},
		{"clientCredentials without a secret", tgt + "personas:\n  - {name: a, account: application, permissions: [A], clientCredentials: {tenantId: t, clientId: c}}\n", []string{"personas[0].clientCredentials", "clientSecret is required"}},
		{"secret over plain HTTP", tgt + "personas:\n  - {name: a, account: application, permissions: [A], clientCredentials: {clientId: c, clientSecret: s-long-enough, tokenURL: \"http://login.example.com/token\"}}\n", []string{"tokenURL", "use https"}},
		{"alias bomb", tgt + "personas:\n" + aliasBomb(), []string{"personas"}},
		{"deep nesting", strings.Repeat("[", 20000), []string{"graphconform.yaml"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			path := write(t, dir, "graphconform.yaml", c.content)
			r := run(t, dir, "run", "--config", path)
			r.wantExit(t, 2, badInput)
			r.wantOneLine(t, append([]string{path}, c.want...)...)
			t.Logf("%s", strings.TrimSpace(r.stderr))
		})
	}
}

// TestNonLoopbackWithoutAllowMutation: a remote target without the opt-in is refused before any
// request, naming the config file, the field and the fix.
func TestNonLoopbackWithoutAllowMutation(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := write(t, dir, "graphconform.yaml", "target:\n  baseURL: https://graph.example.com/v1.0\npersonas:\n"+
		"  - {name: admin, account: work, permissions: [DeviceManagementServiceConfig.ReadWrite.All], mint: true}\n")
	r := run(t, dir, "run", "--config", path)
	r.wantExit(t, 2, badInput)
	r.wantOneLine(t, "graph.example.com", "allowMutation: true")
	if !strings.Contains(r.stderr, path) {
		t.Errorf("the allowMutation refusal does not name the config file: %s", strings.TrimSpace(r.stderr))
	}
}

// TestBadDescriptions: every broken description under spec/testdata/broken, plus one with no
// action and one without the permission extension, is exit 2 and one line naming the file.
func TestBadDescriptions(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("..", "spec", "testdata", "broken", "*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no broken descriptions: %v", err)
	}
	dir := t.TempDir()
	minimal, err := os.ReadFile(filepath.Join("..", "spec", "testdata", "valid", "minimal.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	noAction := write(t, dir, "no-action.yaml", strings.Replace(string(minimal), "operation-type: action", "operation-type: operation", 1))
	files = append(files, noAction, filepath.Join(dir, "does-not-exist.yaml"), dir)
	for _, f := range files {
		abs, _ := filepath.Abs(f)
		r := run(t, dir, "run", "--spec", abs)
		r.wantExit(t, 2, badInput)
		r.wantOneLine(t, "OpenAPI description "+abs)
	}
	t.Logf("%d broken descriptions, each one line and exit 2", len(files))
	r := run(t, dir, "run", "--spec", noAction)
	r.wantOneLine(t, "no operation matches the selection")
	missing, _ := filepath.Abs(filepath.Join("..", "spec", "testdata", "broken", "permissions-missing.yaml"))
	r = run(t, dir, "run", "--spec", missing)
	r.wantOneLine(t, "has no x-ms-permissions extension")
	if strings.Contains(r.stderr, "--permissions") {
		if h := run(t, dir, "run", "-h"); !strings.Contains(h.stderr+h.stdout, "-permissions") {
			t.Errorf("the error suggests --permissions FILE, which graphconform run does not have: %s", strings.TrimSpace(r.stderr))
		}
	}
}

// aliasBomb is a "billion laughs" of nine levels of nine aliases in persona permission lists.
func aliasBomb() string {
	var b strings.Builder
	b.WriteString("  - {name: p0, account: work, mint: true, permissions: &p0 [x, x, x, x, x, x, x, x, x]}\n")
	for i := 1; i < 9; i++ {
		prev := "*p" + string(rune('0'+i-1))
		fmt.Fprintf(&b, "  - {name: p%d, account: work, mint: true, permissions: &p%d [%s]}\n", i, i, strings.TrimSuffix(strings.Repeat(prev+", ", 9), ", "))
	}
	return b.String()
}

// TestBadFlags: unknown revisions, label filters and flags are exit 2 with a short message.
func TestBadFlags(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "--revision", "2019"}, "pre-2021"},
		{[]string{"run", "--label-filter", "must && ("}, "--label-filter"},
		{[]string{"run", "--label-filter", "no-such-label"}, "selects none"},
		{[]string{"run", "--base-url", "ftp://example.com"}, "not an http(s) URL"},
		{[]string{"run", "extra-argument"}, "unexpected argument"},
		{[]string{"frobnicate"}, "unknown command"},
		{[]string{"run", "--no-such-flag"}, "flag provided but not defined"},
		{[]string{"run", "--exchanges", "some"}, `exchanges "some": want all or failures`},
	} {
		r := run(t, "", c.args...)
		r.wantExit(t, 2, badInput)
		noTrace(t, r.stderr)
		if !strings.Contains(r.stderr, c.want) || strings.Count(r.stderr, "\n") > 40 { // the usage, at most
			t.Errorf("%v: stderr (%d lines) lacks %q:\n%s", c.args, strings.Count(r.stderr, "\n"), c.want, r.stderr)
		}
	}
}

// TestRevisionOfACustomDescription: a description whose only revision is not called "current" can
// be run against a target by naming its revision.
func TestRevisionOfACustomDescription(t *testing.T) {
	t.Parallel()
	minimal, _ := filepath.Abs(filepath.Join("..", "spec", "testdata", "valid", "minimal.yaml"))
	_, base := faults.Serve(t, referenceMock(t))
	dir := t.TempDir()
	cfg := config(t, dir, base, "timeout: 1s")
	r := run(t, dir, "run", "--config", cfg, "--spec", minimal, "--revision", "current")
	r.wantExit(t, 2, badInput)
	r.wantOneLine(t, minimal, "unknown revision \"current\"", "this description has: v2")
	if r = run(t, dir, "run", "--config", cfg, "--spec", minimal, "--revision", "v2"); r.code == 2 {
		t.Errorf("the error names revision v2, but --revision v2 is refused: %s", strings.TrimSpace(r.stderr))
	}
}

// TestNothingVerifiedIsNotAPass: a run in which no spec could run (the personas hold none of the
// description's permissions) exits 1, and nothing it writes may call it a pass. The personas are
// configured: without any, the embedded mock derives the ones each table calls for.
func TestNothingVerifiedIsNotAPass(t *testing.T) {
	t.Parallel()
	minimal, _ := filepath.Abs(filepath.Join("..", "spec", "testdata", "valid", "minimal.yaml"))
	dir := t.TempDir()
	cfg := filepath.Join(dir, "personas.yaml")
	if err := os.WriteFile(cfg, []byte("personas:\n  - {name: admin, account: work, permissions: [DeviceManagementServiceConfig.ReadWrite.All], mint: true}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := run(t, dir, "run", "--config", cfg, "--spec", minimal, "--report-dir", "reports")
	r.wantExit(t, 1, badInput+5*time.Second)
	rep := readReport(t, filepath.Join(dir, "reports"))
	if rep.Summary.Gate == "PASS" || rep.Summary.Passed || strings.Contains(r.stdout, "gate: PASS") {
		t.Errorf("exit 1 (nothing verified) but report.json says gate %s and stdout says %q", rep.Summary.Gate, r.stdout)
	}
}

// TestEndlessInputs: every file a user names is read within a limit that names itself: /dev/zero,
// an endless pipe or a huge (sparse) file is exit 2 and one line naming the input and the limit,
// with no stack trace, within bounded memory, before anything is sent.
func TestEndlessInputs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	sparse := func(name string, size int64) string {
		p := filepath.Join(dir, name)
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := f.Truncate(size); err != nil {
			t.Fatal(err)
		}
		return p
	}
	bigSpec := sparse("huge.yaml", 1<<30)
	bigReport := sparse("report.json", 1<<30)
	caZero := write(t, dir, "ca-zero.yaml", target("http://127.0.0.1:1/v1.0", "caFile: /dev/zero")+
		"personas:\n  - {name: admin, account: work, permissions: [DeviceManagementServiceConfig.ReadWrite.All], mint: true}\n")
	for _, c := range []struct {
		name   string
		args   []string
		prefix string // of the one stderr line
		want   []string
	}{
		{"--config /dev/zero", []string{"run", "--config", "/dev/zero"}, "graphconform: ", []string{"/dev/zero", "larger than the 4 MiB limit for config files"}},
		{"--config endless pipe", []string{"run", "--config", endless(t, dir, "config.fifo", "target:\n  baseURL: ")}, "graphconform: ",
			[]string{"config.fifo", "larger than the 4 MiB limit for config files"}},
		{"target.caFile /dev/zero", []string{"run", "--config", caZero}, "graphconform: ", []string{"target.caFile", "/dev/zero", "larger than the 4 MiB limit for CA files"}},
		{"--spec /dev/zero", []string{"run", "--spec", "/dev/zero"}, "graphconform: ", []string{"OpenAPI description /dev/zero", "larger than the 128 MiB limit for OpenAPI descriptions"}},
		{"--spec endless pipe", []string{"run", "--spec", endless(t, dir, "spec.fifo", "openapi: 3.0.3\ninfo: {title: ")}, "graphconform: ",
			[]string{"spec.fifo", "larger than the 128 MiB limit for OpenAPI descriptions"}},
		{"--spec 1 GiB file", []string{"run", "--spec", bigSpec}, "graphconform: ", []string{"huge.yaml", "larger than the 128 MiB limit"}},
		{"--permissions /dev/zero", []string{"run", "--permissions", "/dev/zero"}, "graphconform: ", []string{"permissions file /dev/zero", "larger than the 64 MiB limit for permissions files"}},
		{"from-docs /dev/zero", []string{"from-docs", "/dev/zero"}, "from-docs: ", []string{"/dev/zero", "larger than the 16 MiB limit for reference pages"}},
		{"drift /dev/zero /dev/zero", []string{"drift", "/dev/zero", "/dev/zero"}, "drift: ", []string{"/dev/zero", "larger than the 16 MiB limit for reference pages"}},
		{"merge of a 1 GiB report", []string{"merge", "-o", filepath.Join(dir, "merged"), bigReport}, "graphconform: ", []string{"report.json", "larger than the 256 MiB limit for report.json files"}},
		{"merge of an endless pipe", []string{"merge", "-o", filepath.Join(dir, "merged"), endless(t, dir, "report.fifo", `{"reportFormat": 1, "tool": "`)}, "graphconform: ",
			[]string{"report.fifo", "larger than the 256 MiB limit for report.json files"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := run(t, dir, c.args...)
			r.wantExit(t, 2, limit)
			msg := strings.TrimSuffix(r.stderr, "\n")
			if strings.Contains(msg, "\n") || !strings.HasPrefix(msg, c.prefix) {
				t.Errorf("stderr is not one %q line:\n%s", c.prefix, tail(r.stderr, 2000))
			}
			noTrace(t, r.stderr+r.stdout)
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("stderr %q lacks %q", tail(msg, 400), w)
				}
			}
			// Bounded: at most about twice the limit for what is read (a pipe is buffered whole).
			if r.maxRSS > 1200<<20 {
				t.Errorf("peak RSS %d MiB", r.maxRSS>>20)
			}
			t.Logf("%s: peak RSS %d MiB: %s", c.name, r.maxRSS>>20, tail(msg, 300))
		})
	}
}

// endless makes a named pipe in dir that serves head and then 'a' for as long as it is read (up
// to 2 GiB); the writer ends when the reader closes it or the test ends.
func endless(t *testing.T, dir, name, head string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f, err := os.OpenFile(p, os.O_WRONLY, 0) // blocks until a reader opens it
		if err != nil {
			return
		}
		defer f.Close()
		if _, err := f.WriteString(head); err != nil {
			return
		}
		chunk := []byte(strings.Repeat("a", 64<<10))
		for i := 0; i < 2<<30/len(chunk); i++ {
			if _, err := f.Write(chunk); err != nil {
				return // the reader closed it
			}
		}
	}()
	t.Cleanup(func() {
		// A writer still waiting for a reader is released by opening the pipe once.
		if r, err := os.OpenFile(p, os.O_RDONLY|syscall.O_NONBLOCK, 0); err == nil {
			r.Close()
		}
		<-done
	})
	return p
}
