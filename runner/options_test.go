package runner

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/graphconform/graphconform/config"
	"github.com/graphconform/graphconform/report"
)

// GRAPHCONFORM_CONFIG is honoured by graphconform run: the run goes to the config's target (a
// loopback mock that counts its requests), not to the embedded mock.
func TestRunReadsConfigFromEnvironment(t *testing.T) {
	t.Parallel()
	bin := graphconformBinary(t)
	base, requests := recorder(t)
	cfg := writeFile(t, "env.yaml", mockConfig(base, "current", "the recorder", false))
	dir := filepath.Join(t.TempDir(), "reports")
	r := exe(t, t.TempDir(), []string{"GRAPHCONFORM_CONFIG=" + cfg, "GRAPHCONFORM_REPORT_DIR=" + dir}, bin, "run")
	if r.code != exitOK || requests.Load() == 0 {
		t.Fatalf("%d requests reached the config's target: %s", requests.Load(), r)
	}
	if got := readRun(t, dir).Target; got != base {
		t.Errorf("report.json target %q, want %q", got, base)
	}
}

// Flag over variable over config file, end to end: a SHOULD mutant fails the run only when the
// option that wins says strict.
func TestRunStrictPrecedence(t *testing.T) {
	t.Parallel()
	bin := graphconformBinary(t)
	strictFile := writeFile(t, "strict.yaml", "run:\n  strict: true\n")
	for _, tc := range []struct {
		name string
		env  []string
		args []string
		code int
	}{
		{"default", nil, nil, exitOK},
		{"file", nil, []string{"--config", strictFile}, exitFail},
		{"variable over file", []string{"GRAPHCONFORM_STRICT=false"}, []string{"--config", strictFile}, exitOK},
		{"variable", []string{"GRAPHCONFORM_STRICT=true"}, nil, exitFail},
		{"flag over variable", []string{"GRAPHCONFORM_STRICT=true"}, []string{"--strict=false"}, exitOK},
		{"flag over file", nil, []string{"--config", strictFile, "--strict=false"}, exitOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			args := append([]string{bin, "run", "--mutant", "hdr-001-no-request-id"}, tc.args...)
			if r := exe(t, t.TempDir(), tc.env, args...); r.code != tc.code {
				t.Errorf("want exit %d, got %s", tc.code, r)
			}
		})
	}
}

// An unusable --report-dir is one line and exit 2 before anything is sent: the target hears
// nothing and no "reports:" line names files that were never written.
func TestRunUnusableReportDir(t *testing.T) {
	t.Parallel()
	bin := graphconformBinary(t)
	base, requests := recorder(t)
	cfg := writeFile(t, "c.yaml", mockConfig(base, "current", "the recorder", false))
	tmp := t.TempDir()
	file := writeFile(t, "a-file", "x")
	dangling := filepath.Join(tmp, "dangling")
	if err := os.Symlink(filepath.Join(tmp, "gone"), dangling); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, dir, want string }{
		{"regular file", file, "it is a regular file, not a directory"},
		{"under a regular file", filepath.Join(file, "out"), "cannot create it"},
		{"dangling symbolic link", dangling, "it is a symbolic link to " + filepath.Join(tmp, "gone") + ", which does not exist"},
		{"/proc", "/proc/1", "cannot create a file in it"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, env := range [][]string{nil, {"GRAPHCONFORM_REPORT_DIR=" + tc.dir}} {
				args := []string{bin, "run", "--config", cfg}
				if env == nil {
					args = append(args, "--report-dir", tc.dir)
				}
				r := exe(t, tmp, env, args...)
				if r.code != exitConfig || strings.Contains(r.stdout, "reports:") {
					t.Errorf("%v: %s", env, r)
				}
				oneLine(t, r, "graphconform: cannot write the reports to "+tc.dir+": "+tc.want)
			}
			if n := requests.Load(); n != 0 {
				t.Errorf("%d requests were sent before the report directory was found unusable", n)
			}
		})
	}
}

// Reports planted as symbolic links in the report directory are replaced, never written through:
// the links' target keeps its content and every report is a regular file.
func TestRunReplacesPlantedSymlinks(t *testing.T) {
	t.Parallel()
	bin := graphconformBinary(t)
	tmp := t.TempDir()
	victim := writeFile(t, "passwd", "root:x:0:0:root:/root:/bin/bash\n")
	dir := filepath.Join(tmp, "reports")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	names := []string{report.JSONFile, report.JUnitFile, report.HTMLFile, ginkgoJSONFile}
	for _, n := range names {
		if err := os.Symlink(victim, filepath.Join(dir, n)); err != nil {
			t.Fatal(err)
		}
	}
	if r := exe(t, tmp, nil, bin, "run", "--report-dir", dir); r.code != exitOK {
		t.Fatalf("%s", r)
	}
	if b, _ := os.ReadFile(victim); string(b) != "root:x:0:0:root:/root:/bin/bash\n" {
		t.Errorf("a report was written through a planted link: the target now holds %d bytes", len(b))
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != len(names) {
		t.Errorf("report dir holds %v, want only the reports (no temporary files)", entries)
	}
	for _, n := range names {
		fi, err := os.Lstat(filepath.Join(dir, n))
		if err != nil || !fi.Mode().IsRegular() || fi.Size() == 0 || fi.Mode().Perm() != 0o644 {
			t.Errorf("%s: %v, %v", n, fi.Mode(), err)
		}
	}
}

// docs/usage.md lists every run option with its flag, variable and config-file key.
func TestUsageDocumentsEveryRunOption(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(moduleRoot(t), "docs", "usage.md"))
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "| `-") {
			name, _, _ := strings.Cut(strings.TrimLeft(strings.TrimPrefix(line, "| `"), "-"), "`")
			name, _, _ = strings.Cut(name, " ")
			rows[name] = line
		}
	}
	for _, o := range config.For(config.EntryRun | config.EntrySuite) {
		row, ok := rows[o.Name]
		if !ok {
			t.Errorf("docs/usage.md has no row for --%s", o.Name)
			continue
		}
		for _, want := range []string{o.Env, o.Key} {
			if want != "" && !strings.Contains(row, "`"+want+"`") {
				t.Errorf("docs/usage.md: the row of --%s does not name `%s`: %s", o.Name, want, row)
			}
		}
	}
}

// The Ginkgo entry reads the same table: GRAPHCONFORM_CONFIG sends the run to the config's target,
// a bad variable stops it before anything is sent, and a flag after -args wins over a variable.
func TestSuiteEntryReadsTheSameOptions(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles and runs the suite's test binary")
	}
	t.Parallel()
	root := moduleRoot(t)
	base, requests := recorder(t)
	cfg := writeFile(t, "suite.yaml", mockConfig(base, "current", "the recorder", false))
	goTest := func(env []string, args ...string) result {
		return exe(t, root, env, append([]string{"go", "test", "./suites/conformance", "-count=1", "-run", "TestConformance", "-args"}, args...)...)
	}
	r := goTest([]string{"GRAPHCONFORM_CONFIG=" + cfg, "GRAPHCONFORM_STRICT=maybe"})
	if r.code == 0 || !strings.Contains(r.stdout, `graphconform: GRAPHCONFORM_STRICT="maybe": not a boolean; write true or false`) || requests.Load() != 0 {
		t.Errorf("bad variable: %d requests, %s", requests.Load(), r)
	}
	r = goTest([]string{"GRAPHCONFORM_CONFIG=" + cfg, "GRAPHCONFORM_STRICT=maybe"}, "--strict=false")
	if r.code != 0 || requests.Load() == 0 {
		t.Errorf("GRAPHCONFORM_CONFIG with --strict=false: %d requests reached the config's target: %s", requests.Load(), r)
	}
}

// The config example of docs/usage.md parses, its run: section included.
func TestUsageExampleConfigParses(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(moduleRoot(t), "docs", "usage.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), "```yaml\n# graphconform.yaml\n")
	example, _, closed := strings.Cut(rest, "```")
	if !ok || !closed {
		t.Fatal("docs/usage.md has no ```yaml block starting # graphconform.yaml")
	}
	f, err := config.Parse("usage.md example", []byte(example), func(string) (string, bool) { return "value-from-env-0123456789", true })
	if err != nil {
		t.Fatal(err)
	}
	if f.Run.Strict != "true" || f.Run.Certify != "true" || f.Run.Timeout == "" {
		t.Errorf("run: section %+v", f.Run)
	}
}
