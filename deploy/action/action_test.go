package action

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/graphconform/graphconform/config"
)

// definition is the part of GitHub's action metadata syntax action.yml uses; KnownFields catches a
// misspelt key.
type definition struct {
	Name        string            `yaml:"name"`
	Description string            `yaml:"description"`
	Author      string            `yaml:"author"`
	Branding    map[string]string `yaml:"branding"`
	Inputs      map[string]struct {
		Description string `yaml:"description"`
		Required    bool   `yaml:"required"`
		Default     string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Description string `yaml:"description"`
		Value       string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string `yaml:"using"`
		Steps []step `yaml:"steps"`
	} `yaml:"runs"`
}

type step struct {
	Name             string            `yaml:"name"`
	ID               string            `yaml:"id"`
	If               string            `yaml:"if"`
	Uses             string            `yaml:"uses"`
	With             map[string]string `yaml:"with"`
	Shell            string            `yaml:"shell"`
	Run              string            `yaml:"run"`
	Env              map[string]string `yaml:"env"`
	WorkingDirectory string            `yaml:"working-directory"`
}

func load(t *testing.T) (definition, string) {
	t.Helper()
	b, err := os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var d definition
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&d); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	return d, string(b)
}

func find(t *testing.T, d definition, match func(step) bool, what string) step {
	t.Helper()
	for _, s := range d.Runs.Steps {
		if match(s) {
			return s
		}
	}
	t.Fatalf("action.yml has no step that %s", what)
	return step{}
}

// The inputs are graphconform run's options of the same name, each passed as that option's
// variable; every input is used; the Go comes from go.mod; the reports are uploaded on failure too.
func TestDefinition(t *testing.T) {
	d, text := load(t)
	if d.Runs.Using != "composite" || d.Name == "" || d.Description == "" {
		t.Fatalf("action.yml: name %q, runs.using %q; want a named composite action", d.Name, d.Runs.Using)
	}
	for _, in := range []string{"base-url", "config", "strict", "certify", "label-filter", "report-dir", "spec", "permissions"} {
		if _, ok := d.Inputs[in]; !ok {
			t.Errorf("action.yml has no input %q", in)
		}
	}
	for name, in := range d.Inputs {
		if in.Description == "" {
			t.Errorf("input %s has no description", name)
		}
		if !strings.Contains(text, "${{ inputs."+name+" }}") {
			t.Errorf("input %s is never used", name)
		}
	}
	for i, s := range d.Runs.Steps {
		if (s.Run == "") == (s.Uses == "") {
			t.Errorf("step %d (%s): want exactly one of run and uses", i, s.Name)
		}
		if s.Run != "" && s.Shell != "bash" {
			t.Errorf("step %d (%s): a composite run step needs shell: bash, has %q", i, s.Name, s.Shell)
		}
	}

	run := find(t, d, func(s step) bool { return s.ID == "run" }, "has id run")
	options := map[string]config.Option{}
	for _, o := range config.RunOptions {
		options[o.Name] = o
	}
	for name := range d.Inputs {
		o, ok := options[name]
		if !ok {
			continue // the action's own (artifact-name)
		}
		if o.Env == "" || o.Entries&config.EntryRun == 0 {
			t.Errorf("input %s: graphconform run's option has no variable", name)
			continue
		}
		if got := run.Env[o.Env]; got != "${{ inputs."+name+" }}" {
			t.Errorf("the run step sets %s=%q, want ${{ inputs.%s }}", o.Env, got, name)
		}
	}
	for k := range run.Env {
		if !strings.HasPrefix(k, "GRAPHCONFORM_") {
			continue
		}
		known := false
		for _, o := range config.RunOptions {
			known = known || o.Env == k
		}
		if !known {
			t.Errorf("the run step sets %s, which is no run option's variable", k)
		}
	}

	setup := find(t, d, func(s step) bool { return strings.HasPrefix(s.Uses, "actions/setup-go@") }, "uses actions/setup-go")
	if !strings.HasSuffix(setup.With["go-version-file"], "/go.mod") {
		t.Errorf("actions/setup-go: go-version-file = %q, want the action's go.mod", setup.With["go-version-file"])
	}
	build := find(t, d, func(s step) bool { return strings.Contains(s.Run, "go build") }, "builds graphconform")
	if !strings.Contains(build.Run, "./cmd/graphconform") || build.WorkingDirectory != "${{ github.action_path }}" {
		t.Errorf("the build step builds %q in %q, want ./cmd/graphconform in the action's directory", build.Run, build.WorkingDirectory)
	}
	up := find(t, d, func(s step) bool { return strings.HasPrefix(s.Uses, "actions/upload-artifact@") }, "uploads the reports")
	if !strings.Contains(up.If, "always()") || up.With["path"] != "${{ inputs.report-dir }}" {
		t.Errorf("upload step: if %q, path %q; want always() and the report dir", up.If, up.With["path"])
	}
	last := d.Runs.Steps[len(d.Runs.Steps)-1]
	if !strings.Contains(last.If, "always()") || last.Env["CODE"] != "${{ steps.run.outputs.exit-code }}" {
		t.Errorf("the last step (%s) must run always and exit with the run's code", last.Name)
	}
	if d.Outputs["exit-code"].Value != "${{ steps.run.outputs.exit-code }}" {
		t.Errorf("output exit-code = %q", d.Outputs["exit-code"].Value)
	}
}

// The run step, with a stand-in graphconform, records each exit code and succeeds (so the upload
// runs); the last step then exits with that code. Run under bash as GitHub runs shell: bash.
func TestExitCodeKept(t *testing.T) {
	d, _ := load(t)
	run := find(t, d, func(s step) bool { return s.ID == "run" }, "has id run")
	last := d.Runs.Steps[len(d.Runs.Steps)-1]
	for _, code := range []int{0, 1, 2, 3} {
		tmp := t.TempDir()
		if err := os.MkdirAll(filepath.Join(tmp, "graphconform"), 0o755); err != nil {
			t.Fatal(err)
		}
		stub := "#!/bin/sh\n[ \"$1\" = version ] && exit 0\nenv | grep '^GRAPHCONFORM_' | sort >\"$RUNNER_TEMP/env\"\nexit " + strconv.Itoa(code) + "\n"
		if err := os.WriteFile(filepath.Join(tmp, "graphconform", "graphconform"), []byte(stub), 0o755); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(tmp, "output")
		env := []string{"PATH=" + os.Getenv("PATH"), "RUNNER_TEMP=" + tmp, "GITHUB_OUTPUT=" + out,
			"GRAPHCONFORM_STRICT=true", "GRAPHCONFORM_REPORT_DIR=r"}
		if b, err := bash(run.Run, env); err != nil {
			t.Fatalf("exit %d: the run step failed (the upload would see a failed step only): %v\n%s", code, err, b)
		}
		b, _ := os.ReadFile(out)
		m := regexp.MustCompile(`(?m)^exit-code=(\d+)$`).FindStringSubmatch(string(b))
		if m == nil || m[1] != strconv.Itoa(code) {
			t.Fatalf("exit %d: GITHUB_OUTPUT = %q", code, b)
		}
		if e, _ := os.ReadFile(filepath.Join(tmp, "env")); !strings.Contains(string(e), "GRAPHCONFORM_STRICT=true\n") {
			t.Errorf("the run did not see the step's variables: %q", e)
		}
		_, err := bash(last.Run, []string{"PATH=" + os.Getenv("PATH"), "CODE=" + m[1]})
		got := 0
		if ee, ok := err.(*exec.ExitError); ok {
			got = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if got != code {
			t.Errorf("graphconform exited %d, the action's last step %d", code, got)
		}
	}
}

func bash(script string, env []string) ([]byte, error) {
	cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script) // as GitHub runs shell: bash
	cmd.Env = env
	return cmd.CombinedOutput()
}
