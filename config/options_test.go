package config

import (
	"context"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/graphconform/graphconform/suites/conformance"
)

// resolve binds entry e's options on a fresh flag set, parses args and resolves them with env as
// the whole environment.
func resolve(t *testing.T, e Entry, env map[string]string, args ...string) (Run, error) {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	f := BindFlags(fs, e)
	if err := fs.Parse(args); err != nil {
		return Run{}, err
	}
	return f.Resolve(context.Background(), ResolveOptions{LookupEnv: func(k string) (string, bool) {
		v, ok := env[k]
		return v, ok
	}})
}

const personaLine = "personas:\n  - {name: admin, account: work, permissions: [DeviceManagementServiceConfig.ReadWrite.All], mint: true}\n"

// The one precedence rule, for both entries and every kind of option: flag over variable over
// config file over default; an empty value is not given.
func TestRunOptionPrecedence(t *testing.T) {
	file := writeConfig(t, "c.yaml", "revision: pre-2021\ntarget:\n  baseURL: http://127.0.0.1:1/file\n  timeout: 3s\n"+
		"run:\n  strict: true\n  certify: true\n  timeout: 5m\n"+personaLine)
	type got struct {
		base, rev      string
		strict, cert   bool
		timeout, reqTO time.Duration
		exchanges      string
		specs          []string
	}
	read := func(r Run) got {
		c := r.Config
		return got{c.BaseURL, c.Revision, c.Strict, c.Certify, c.RunTimeout, c.Timeout, c.Exchanges, c.Specs}
	}
	for _, e := range []struct {
		name  string
		entry Entry
	}{{"graphconform run", EntryRun}, {"suite", EntrySuite}} {
		for _, tc := range []struct {
			name string
			env  map[string]string
			args []string
			want got
		}{
			{"defaults", nil, nil, got{exchanges: "failures"}},
			{"file", nil, []string{"--config", file},
				got{"http://127.0.0.1:1/file", "pre-2021", true, true, 5 * time.Minute, 3 * time.Second, "failures", nil}},
			{"file named by the variable", map[string]string{"GRAPHCONFORM_CONFIG": file}, nil,
				got{"http://127.0.0.1:1/file", "pre-2021", true, true, 5 * time.Minute, 3 * time.Second, "failures", nil}},
			{"variables over the file", map[string]string{"GRAPHCONFORM_CONFIG": file, "GRAPHCONFORM_BASE_URL": "http://127.0.0.1:2/env",
				"GRAPHCONFORM_REVISION": "current", "GRAPHCONFORM_STRICT": "false", "GRAPHCONFORM_CERTIFY": "0",
				"GRAPHCONFORM_TIMEOUT": "1m", "GRAPHCONFORM_REQUEST_TIMEOUT": "2s", "GRAPHCONFORM_EXCHANGES": "all",
				"GRAPHCONFORM_SPEC": "a.yaml, b.yaml"}, nil,
				got{"http://127.0.0.1:2/env", "current", false, false, time.Minute, 2 * time.Second, "all", []string{"a.yaml", "b.yaml"}}},
			{"flags over the variables", map[string]string{"GRAPHCONFORM_CONFIG": file, "GRAPHCONFORM_BASE_URL": "http://127.0.0.1:2/env",
				"GRAPHCONFORM_STRICT": "false", "GRAPHCONFORM_CERTIFY": "false", "GRAPHCONFORM_TIMEOUT": "1m",
				"GRAPHCONFORM_EXCHANGES": "all", "GRAPHCONFORM_SPEC": "a.yaml"},
				[]string{"--base-url", "http://127.0.0.1:3/flag/", "--strict", "--certify=true", "--timeout", "90s",
					"--request-timeout", "4s", "--exchanges", "failures", "--spec", "c.yaml", "--spec", "d.yaml,e.yaml", "--revision", "current"},
				got{"http://127.0.0.1:3/flag", "current", true, true, 90 * time.Second, 4 * time.Second, "failures", []string{"c.yaml", "d.yaml", "e.yaml"}}},
			{"--strict=false over a variable and the file", map[string]string{"GRAPHCONFORM_STRICT": "true"},
				[]string{"--config", file, "--strict=false", "--certify=false"},
				got{"http://127.0.0.1:1/file", "pre-2021", false, false, 5 * time.Minute, 3 * time.Second, "failures", nil}},
			{"empty variables are unset", map[string]string{"GRAPHCONFORM_CONFIG": file, "GRAPHCONFORM_BASE_URL": "", "GRAPHCONFORM_STRICT": "",
				"GRAPHCONFORM_SHARD": "", "GRAPHCONFORM_EXCHANGES": ""}, nil,
				got{"http://127.0.0.1:1/file", "pre-2021", true, true, 5 * time.Minute, 3 * time.Second, "failures", nil}},
		} {
			t.Run(e.name+"/"+tc.name, func(t *testing.T) {
				r, err := resolve(t, e.entry, tc.env, tc.args...)
				if err != nil {
					t.Fatal(err)
				}
				g := read(r)
				if strings.Join(g.specs, ",") != strings.Join(tc.want.specs, ",") {
					t.Errorf("specs %q, want %q", g.specs, tc.want.specs)
				}
				g.specs, tc.want.specs = nil, nil
				if !reflect.DeepEqual(g, tc.want) {
					t.Errorf("got  %+v\nwant %+v", g, tc.want)
				}
			})
		}
	}
}

// Every option of the table reads its variable in the entries that have it: a variable that one
// entry ignores was how GRAPHCONFORM_CONFIG came to be ignored by graphconform run.
func TestEveryOptionReadsItsVariable(t *testing.T) {
	perms := filepath.Join("..", "permissions", "testdata")
	entries, _ := os.ReadDir(perms)
	permFile := ""
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".json") {
			permFile = filepath.Join(perms, e.Name())
			break
		}
	}
	cfg := writeConfig(t, "c.yaml", personaLine)
	values := map[string]string{"config": cfg, "base-url": "http://127.0.0.1:9/v1.0", "report-dir": t.TempDir(),
		"strict": "true", "certify": "true", "timeout": "7m", "request-timeout": "7s", "label-filter": "must",
		"revision": "pre-2021", "partner-id": "p-1", "spec": "x.yaml", "permissions": permFile, "shard": "2/3",
		"share-entities": "true", "exchanges": "all", "mutant": "m",
		"operation": "a.b,c.d", "path": "/x/{x-id}/go", "tag": "t.one",
		"concurrency": "3", "rate": "2.5", "ginkgo-report": "full"}
	check := map[string]func(Run) bool{
		"config":          func(r Run) bool { return r.ConfigFile == cfg && len(r.Config.Personas) == 1 },
		"base-url":        func(r Run) bool { return r.Config.BaseURL == values["base-url"] },
		"report-dir":      func(r Run) bool { return r.Config.ReportDir == values["report-dir"] },
		"strict":          func(r Run) bool { return r.Config.Strict },
		"certify":         func(r Run) bool { return r.Config.Certify },
		"timeout":         func(r Run) bool { return r.Config.RunTimeout == 7*time.Minute },
		"request-timeout": func(r Run) bool { return r.Config.Timeout == 7*time.Second },
		"label-filter":    func(r Run) bool { return r.Config.LabelFilter == "must" },
		"revision":        func(r Run) bool { return r.Config.Revision == "pre-2021" },
		"partner-id":      func(r Run) bool { return r.Config.PartnerID == "p-1" },
		"spec":            func(r Run) bool { return len(r.Config.Specs) == 1 && r.Config.Specs[0] == "x.yaml" },
		"permissions":     func(r Run) bool { return r.Config.Permissions != nil },
		"shard":           func(r Run) bool { return r.Config.Shard == conformance.Shard{Index: 2, Total: 3} },
		"share-entities":  func(r Run) bool { return r.Config.ShareEntities },
		"exchanges":       func(r Run) bool { return r.Config.Exchanges == "all" },
		"mutant":          func(r Run) bool { return r.Config.Mutant == "m" },
		"operation":       func(r Run) bool { return slices.Equal(r.Config.Select.OperationIDs, []string{"a.b", "c.d"}) },
		"path":            func(r Run) bool { return slices.Equal(r.Config.Select.Paths, []string{"/x/{x-id}/go"}) },
		"tag":             func(r Run) bool { return slices.Equal(r.Config.Select.Tags, []string{"t.one"}) },
		"concurrency":     func(r Run) bool { return r.Config.Concurrency == 3 },
		"rate":            func(r Run) bool { return r.Config.Rate == 2.5 },
		"ginkgo-report":   func(r Run) bool { return r.GinkgoReport == "full" },
	}
	for _, o := range RunOptions {
		if o.Env == "" {
			if o.Name != "dry-run" && o.Name != "v" && o.Name != "rerun" { // rerun: see its entry in RunOptions
				t.Errorf("--%s has no environment variable", o.Name)
			}
			continue
		}
		if !strings.HasPrefix(o.Env, "GRAPHCONFORM_") || o.Env != "GRAPHCONFORM_"+strings.ToUpper(strings.ReplaceAll(o.Name, "-", "_")) {
			t.Errorf("--%s: variable %s is not GRAPHCONFORM_ and the flag's name", o.Name, o.Env)
		}
		ok, known := check[o.Name]
		if !known {
			t.Errorf("--%s: no check in this test", o.Name)
			continue
		}
		if o.Name == "permissions" && permFile == "" {
			continue
		}
		for _, e := range []Entry{EntryRun, EntrySuite} {
			r, err := resolve(t, e, map[string]string{o.Env: values[o.Name]})
			if err != nil {
				t.Errorf("%s=%s: %v", o.Env, values[o.Name], err)
				continue
			}
			if got := ok(r); got != (o.Entries&e != 0) {
				t.Errorf("%s (entry %d): read %v, want %v", o.Env, e, got, o.Entries&e != 0)
			}
		}
	}
}

// A bad value is one line naming where it came from, before anything is sent.
func TestRunOptionErrors(t *testing.T) {
	file := writeConfig(t, "bad.yaml", "run:\n  strict: maybe\n"+personaLine)
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"variable", map[string]string{"GRAPHCONFORM_STRICT": "maybe"}, nil, `GRAPHCONFORM_STRICT="maybe": not a boolean; write true or false`},
		{"duration", map[string]string{"GRAPHCONFORM_TIMEOUT": "soon"}, nil, `GRAPHCONFORM_TIMEOUT="soon": not a Go duration`},
		{"negative", nil, []string{"--timeout=-1s"}, `--timeout "-1s": not a Go duration of 0 or more`},
		{"flag", nil, []string{"--strict=maybe"}, `--strict "maybe": not a boolean; write true or false`},
		{"choice flag", nil, []string{"--exchanges", "some"}, `--exchanges "some": want all or failures`},
		{"choice", map[string]string{"GRAPHCONFORM_EXCHANGES": "some"}, nil, `GRAPHCONFORM_EXCHANGES="some": want all or failures`},
		{"shard", map[string]string{"GRAPHCONFORM_SHARD": "4/3"}, nil, `GRAPHCONFORM_SHARD: shard "4/3": want i/n`},
		{"file", nil, []string{"--config", file}, file + `:2: run.strict: "maybe": not a boolean; write true or false`},
		{"config file named by the variable", map[string]string{"GRAPHCONFORM_CONFIG": "/nonexistent/c.yaml"}, nil, "/nonexistent/c.yaml: cannot read the config file"},
		{"concurrency", nil, []string{"--concurrency", "0"}, `--concurrency "0": not a whole number from 1 to 10000`},
		{"concurrency variable", map[string]string{"GRAPHCONFORM_CONCURRENCY": "many"}, nil, `GRAPHCONFORM_CONCURRENCY="many": not a whole number`},
		{"rate", nil, []string{"--rate", "-1"}, `--rate "-1": not a number from 0 to 10000`},
		{"rate NaN", map[string]string{"GRAPHCONFORM_RATE": "NaN"}, nil, `GRAPHCONFORM_RATE="NaN": not a number`},
		{"report dir", nil, []string{"--report-dir", file}, "cannot write the reports to " + file + ": it is a regular file, not a directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := resolve(t, EntryRun, tc.env, tc.args...)
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %v, want one line with %q", err, tc.want)
			}
		})
	}
}

// An unusable report directory is found before the token endpoint hears from the run; a dry run
// writes no reports and does not check.
func TestReportDirCheckedBeforeTokens(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"access_token":"tok-from-endpoint-0123456789","token_type":"Bearer","expires_in":3600}`)
	}))
	defer srv.Close()
	cfg := writeConfig(t, "c.yaml", "personas:\n  - name: app\n    account: application\n    permissions: [X.Y]\n"+
		"    clientCredentials: {clientId: c, clientSecret: secret-value-0123456789, tokenURL: '"+srv.URL+"/token'}\n")
	notDir := writeConfig(t, "file", "x")
	if _, err := resolve(t, EntryRun, nil, "--config", cfg, "--report-dir", filepath.Join(notDir, "out")); err == nil || calls.Load() != 0 {
		t.Errorf("report dir under a file: err %v, %d token requests", err, calls.Load())
	}
	if _, err := resolve(t, EntryRun, nil, "--config", cfg, "--report-dir", notDir, "--dry-run"); err != nil || calls.Load() != 0 {
		t.Errorf("dry run: err %v, %d token requests", err, calls.Load())
	}
	// Resolving sends nothing even with a usable directory: tokens are fetched by Config.FetchTokens,
	// which conformance.Prepared.Connect calls after every local check (issue 11, item 17).
	r, err := resolve(t, EntryRun, nil, "--config", cfg, "--report-dir", t.TempDir())
	if err != nil || calls.Load() != 0 || r.Config.FetchTokens == nil {
		t.Fatalf("usable dir: err %v, %d token requests, fetch set %v", err, calls.Load(), r.Config.FetchTokens != nil)
	}
	tokens, err := r.Config.FetchTokens(context.Background())
	if err != nil || calls.Load() != 1 || tokens["app"] != "tok-from-endpoint-0123456789" {
		t.Errorf("FetchTokens: err %v, %d token requests, %d tokens", err, calls.Load(), len(tokens))
	}
}

// Every config-file key of the table is one the file has: a misspelt Key would never be read.
func TestRunOptionKeysExist(t *testing.T) {
	var body strings.Builder
	body.WriteString("revision: current\ntarget:\n  baseURL: http://127.0.0.1:1/v1.0\n  partnerId: p\n  timeout: 1s\n  concurrency: 4\n  rate: 10\nrun:\n  strict: true\n  certify: true\n  timeout: 1m\n")
	f, err := Parse("k.yaml", []byte(body.String()+personaLine), func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range RunOptions {
		if o.Key == "" {
			continue
		}
		if v, ok := f.keyValue(o.Key); !ok || v == "" {
			t.Errorf("--%s: config key %s is not read from the file", o.Name, o.Key)
		}
	}
}

// The synopsis and the usage come from the table.
func TestSynopsisAndUsage(t *testing.T) {
	s := Synopsis(EntryRun)
	for _, want := range []string{"[--config FILE]", "[--strict]", "[--spec FILE]...", "[--timeout DURATION]", "[--dry-run]"} {
		if !strings.Contains(s, want) {
			t.Errorf("synopsis lacks %q: %s", want, s)
		}
	}
	if strings.Contains(Synopsis(EntrySuite), "--dry-run") || strings.Contains(Synopsis(EntrySuite), "--label-filter") {
		t.Errorf("suite synopsis has a graphconform-run-only option: %s", Synopsis(EntrySuite))
	}
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	BindFlags(fs, EntryRun)
	if u := fs.Lookup("strict").Usage; !strings.Contains(u, "[GRAPHCONFORM_STRICT; config run.strict]") {
		t.Errorf("usage of --strict: %s", u)
	}
	if d := fs.Lookup("exchanges").DefValue; d != "failures" {
		t.Errorf("default of --exchanges %q", d)
	}
}
