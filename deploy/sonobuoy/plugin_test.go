package sonobuoy

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/graphconform/graphconform/config"
	"github.com/graphconform/graphconform/plan"
	"github.com/graphconform/graphconform/requirement"
	"github.com/graphconform/graphconform/spec"
	"github.com/graphconform/graphconform/suites/conformance"
)

// manifest is the part of Sonobuoy's plugin definition (pkg/plugin/manifest) the file uses; decoding
// with KnownFields catches a misspelt or outdated key (e.g. result-type, removed in Sonobuoy 0.15.3).
type manifest struct {
	SonobuoyConfig struct {
		Driver       string `yaml:"driver"`
		PluginName   string `yaml:"plugin-name"`
		ResultFormat string `yaml:"result-format"`
		Description  string `yaml:"description"`
		SourceURL    string `yaml:"source-url"`
	} `yaml:"sonobuoy-config"`
	ConfigMap map[string]string `yaml:"config-map"`
	Spec      struct {
		Name            string    `yaml:"name"`
		Image           string    `yaml:"image"`
		ImagePullPolicy string    `yaml:"imagePullPolicy"`
		Command         []string  `yaml:"command"`
		Args            []string  `yaml:"args"`
		Env             []envVar  `yaml:"env"`
		Resources       yaml.Node `yaml:"resources"`
		VolumeMounts    []struct {
			MountPath string `yaml:"mountPath"`
			Name      string `yaml:"name"`
		} `yaml:"volumeMounts"`
	} `yaml:"spec"`
}

type envVar struct {
	Name      string    `yaml:"name"`
	Value     string    `yaml:"value"`
	ValueFrom yaml.Node `yaml:"valueFrom"`
}

func load(t *testing.T) manifest {
	t.Helper()
	var m manifest
	dec := yaml.NewDecoder(bytes.NewReader(PluginYAML))
	dec.KnownFields(true)
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("graphconform-plugin.yaml: %v", err)
	}
	return m
}

func TestPluginDefinition(t *testing.T) {
	m := load(t)
	c := m.SonobuoyConfig
	if c.Driver != "Job" || c.PluginName != "graphconform" || c.ResultFormat != "junit" {
		t.Errorf("sonobuoy-config: %+v; want a Job named graphconform with junit results", c)
	}
	if m.Spec.Name != "plugin" || m.Spec.Image == "" || len(m.Spec.Command) == 0 || len(m.Spec.Args) != 1 {
		t.Errorf("spec: %+v", m.Spec)
	}
	mounted := false
	for _, v := range m.Spec.VolumeMounts {
		mounted = mounted || (v.Name == "results" && v.MountPath == "/tmp/sonobuoy/results")
	}
	if !mounted {
		t.Error("the results volume is not mounted at /tmp/sonobuoy/results, where the worker sidecar looks")
	}

	// The embedded config is a valid graphconform config once its ${VAR}s are set, and the
	// container's environment sets every one of them.
	cfg, ok := m.ConfigMap["graphconform.yaml"]
	if !ok {
		t.Fatal("config-map has no graphconform.yaml")
	}
	env := map[string]bool{}
	for _, e := range m.Spec.Env {
		env[e.Name] = true
	}
	for _, v := range regexp.MustCompile(`\$\{([A-Z0-9_]+)\}`).FindAllStringSubmatch(cfg, -1) {
		if !env[v[1]] {
			t.Errorf("graphconform.yaml uses ${%s}, which the container's env does not set", v[1])
		}
	}
	lookup := func(name string) (string, bool) {
		if name == "GRAPHCONFORM_BASE_URL" {
			return "https://graph.example.test/v1.0", true
		}
		return "placeholder-" + strings.ToLower(name), env[name]
	}
	if _, err := config.Parse("graphconform.yaml", []byte(cfg), lookup); err != nil {
		t.Errorf("the embedded config does not parse: %v", err)
	}
}

// The plugin certifies, so its config must exercise every MUST (and every SHOULD, for a --strict
// run): no requirement of those levels may be left to a case skipped for a missing persona.
func TestPluginExercisesEveryRequirement(t *testing.T) {
	m := load(t)
	lookup := func(name string) (string, bool) {
		if name == "GRAPHCONFORM_BASE_URL" {
			return "https://graph.example.test/v1.0", true
		}
		return "placeholder-token-" + strings.ToLower(name), true
	}
	f, err := config.Parse("graphconform.yaml", []byte(m.ConfigMap["graphconform.yaml"]), lookup)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := f.Config(context.Background(), conformance.Config{}, config.Options{Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	_, ops, err := spec.LoadContracts(context.Background(), spec.DefaultName, spec.DefaultBytes(), spec.Options{Revision: cfg.Revision})
	if err != nil {
		t.Fatal(err)
	}
	exercised, applies := map[requirement.ID]bool{}, map[requirement.ID]bool{}
	for _, c := range plan.Build(ops.Operations, cfg.Personas) {
		applies[c.Requirement.ID] = true // a case exists: the requirement applies to the description
		if c.Skip == "" {
			exercised[c.Requirement.ID] = true
		}
	}
	for _, q := range requirement.All() {
		// Requirements without any case do not apply to the shipped action (no body, no content):
		// the reports call them not applicable, and a certification does not need them.
		if q.Level.Blocking(true) && applies[q.ID] && !exercised[q.ID] {
			t.Errorf("%s [%s] is not exercised by the plugin's personas (%v)", q.ID, q.Level, cfg.Personas.Names())
		}
	}
}

// The container's script, run here with a stand-in graphconform, hands Sonobuoy a done file naming a
// tarball with the reports, also when the run's gate failed.
func TestPluginScript(t *testing.T) {
	if _, err := exec.LookPath("tar"); err != nil {
		t.Skip("no tar on this machine")
	}
	m := load(t)
	for _, shard := range []string{"", "2/3"} {
		dir := t.TempDir()
		results, cfgDir, bin := filepath.Join(dir, "results"), filepath.Join(dir, "config"), filepath.Join(dir, "bin")
		for _, d := range []string{cfgDir, bin} {
			if err := os.MkdirAll(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		// The stand-in records its arguments and writes what graphconform run writes; exit 1 is a
		// failed gate.
		stub := "#!/bin/sh\necho \"$@\" >\"" + filepath.Join(dir, "args") + "\"\nwhile [ $# -gt 0 ]; do [ \"$1\" = --report-dir ] && d=\"$2\"; shift; done\n" +
			"echo '<testsuites/>' >\"$d/junit.xml\"\necho '{}' >\"$d/report.json\"\necho run output\nexit 1\n"
		if err := os.WriteFile(filepath.Join(bin, "graphconform"), []byte(stub), 0o755); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(m.Spec.Command[0], append(m.Spec.Command[1:], m.Spec.Args[0])...)
		cmd.Env = []string{"PATH=" + bin + ":" + os.Getenv("PATH"), "SONOBUOY_RESULTS_DIR=" + results,
			"SONOBUOY_CONFIG_DIR=" + cfgDir, "GRAPHCONFORM_SHARD=" + shard}
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("shard %q: the script failed: %v\n%s", shard, err, out)
		}
		args, _ := os.ReadFile(filepath.Join(dir, "args"))
		want := "run --certify --config " + cfgDir + "/graphconform.yaml --report-dir " + results
		if shard != "" {
			want += " --shard " + shard
		}
		if strings.TrimSpace(string(args)) != want {
			t.Errorf("graphconform got %q, want %q", strings.TrimSpace(string(args)), want)
		}
		done, err := os.ReadFile(filepath.Join(results, "done"))
		if err != nil {
			t.Fatalf("no done file: %v", err)
		}
		files := untar(t, string(done))
		for name, body := range map[string]string{"./junit.xml": "<testsuites/>\n", "./report.json": "{}\n", "./exit-code": "1\n", "./graphconform.log": "run output\n"} {
			if files[name] != body {
				t.Errorf("shard %q: %s in the tarball = %q, want %q (files: %v)", shard, name, files[name], body, keys(files))
			}
		}
	}
}

func untar(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("the done file names %q: %v", path, err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(io.LimitReader(tr, 1<<20))
		out[h.Name] = string(b)
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// The plugin's image is the sonobuoy stage of the shared Dockerfile, the one its comment builds;
// that stage has a shell (the plugin runs /bin/sh -c) and runs graphconform as a non-root user.
func TestPluginImage(t *testing.T) {
	m := load(t)
	if _, err := os.Stat("Dockerfile"); err == nil {
		t.Error("deploy/sonobuoy/Dockerfile exists: the plugin's image is built from deploy/container/Dockerfile")
	}
	build := regexp.MustCompile(`docker build -f (\S+) --target (\S+) -t (\S+) \.`).FindStringSubmatch(string(PluginYAML))
	if build == nil {
		t.Fatal("graphconform-plugin.yaml does not say how its image is built (docker build -f ... --target ... -t ... .)")
	}
	if build[1] != "deploy/container/Dockerfile" || build[3] != m.Spec.Image {
		t.Errorf("the plugin's image is built with -f %s -t %s; want -f deploy/container/Dockerfile -t %s (spec.image)", build[1], build[3], m.Spec.Image)
	}
	if m.Spec.Command[0] != "/bin/sh" {
		t.Errorf("spec.command = %q; the check below assumes the script runs under /bin/sh", m.Spec.Command)
	}
	df, err := os.ReadFile(filepath.Join("..", "container", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	// The stage's instructions: from its FROM line to the next.
	var from string
	var lines []string
	in := false
	for _, l := range strings.Split(string(df), "\n") {
		f := strings.Fields(l)
		if len(f) > 0 && f[0] == "FROM" {
			in = len(f) == 4 && f[3] == build[2]
			if in {
				from = f[1]
			}
			continue
		}
		if in {
			lines = append(lines, l)
		}
	}
	if from == "" {
		t.Fatalf("deploy/container/Dockerfile has no stage %q", build[2])
	}
	// Bases with a /bin/sh and tar; distroless and scratch have neither.
	if !strings.HasPrefix(from, "busybox:") && !strings.HasPrefix(from, "alpine:") && !strings.HasPrefix(from, "debian:") {
		t.Errorf("stage %s is based on %s, which has no /bin/sh and tar for the plugin's script", build[2], from)
	}
	stage := strings.Join(lines, "\n")
	if !regexp.MustCompile(`(?m)^USER [1-9][0-9]*(:[0-9]+)?$`).MatchString(stage) {
		t.Errorf("stage %s has no non-root USER", build[2])
	}
	if !strings.Contains(stage, "/usr/local/bin/graphconform") {
		t.Errorf("stage %s does not install graphconform where the script finds it on PATH", build[2])
	}
}
