package container

import (
	"debug/buildinfo"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// stage is one FROM ... of the Dockerfile and the instructions under it.
type stage struct {
	base, name string
	lines      []string // instructions, continuation lines joined
}

func stages(t *testing.T) []stage {
	t.Helper()
	b, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	var out []stage
	for _, line := range strings.Split(strings.ReplaceAll(string(b), "\\\n", " "), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if f := strings.Fields(line); strings.EqualFold(f[0], "FROM") {
			s := stage{base: f[1]}
			if len(f) == 4 && strings.EqualFold(f[2], "AS") {
				s.name = f[3]
			}
			out = append(out, s)
			continue
		}
		if len(out) == 0 {
			t.Fatalf("Dockerfile: %q before the first FROM", line)
		}
		out[len(out)-1].lines = append(out[len(out)-1].lines, line)
	}
	return out
}

// goBuild is the Dockerfile's go build command (its RUN line without RUN).
func goBuild(t *testing.T, ss []stage) string {
	t.Helper()
	var found []string
	for _, s := range ss {
		for _, l := range s.lines {
			if strings.HasPrefix(l, "RUN ") && strings.Contains(l, "go build") {
				found = append(found, strings.TrimSpace(strings.TrimPrefix(l, "RUN ")))
			}
		}
	}
	if len(found) != 1 {
		t.Fatalf("Dockerfile: %d go build lines, want 1: %q", len(found), found)
	}
	return found[0]
}

// The builder is the Go of go.mod; each runtime stage runs graphconform as a non-root user with CA
// certificates; the default stage has nothing but the binary (distroless static or scratch).
func TestDockerfileStages(t *testing.T) {
	ss := stages(t)
	if len(ss) != 3 {
		t.Fatalf("Dockerfile: %d stages, want build, sonobuoy and the command's image", len(ss))
	}
	mod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	goVer := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindSubmatch(mod)
	if goVer == nil || ss[0].base != "golang:"+string(goVer[1]) || ss[0].name != "build" {
		t.Errorf("builder stage is %q AS %q, want golang:%s AS build (go.mod's Go)", ss[0].base, ss[0].name, goVer[1])
	}
	byName := map[string]stage{}
	for _, s := range ss[1:] {
		byName[s.name] = s
		has := func(prefix string) bool {
			for _, l := range s.lines {
				if strings.HasPrefix(l, prefix) {
					return true
				}
			}
			return false
		}
		if !has(`ENTRYPOINT ["/usr/local/bin/graphconform"]`) || !has("COPY --from=build /out/graphconform /usr/local/bin/graphconform") {
			t.Errorf("stage %s: want the built binary as its ENTRYPOINT: %q", s.name, s.lines)
		}
		user := ""
		for _, l := range s.lines {
			if strings.HasPrefix(l, "USER ") {
				user = strings.TrimSpace(strings.TrimPrefix(l, "USER "))
			}
		}
		if user == "" || user == "root" || user == "0" || strings.HasPrefix(user, "0:") || strings.HasPrefix(user, "root:") {
			t.Errorf("stage %s runs as %q, want a non-root USER", s.name, user)
		}
		// distroless ships the CA bundle; any other base gets the builder's.
		if !strings.HasPrefix(s.base, "gcr.io/distroless/static") && !has("COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt") {
			t.Errorf("stage %s (%s) has no CA certificates: HTTPS targets would fail", s.name, s.base)
		}
	}
	last := ss[len(ss)-1]
	if !strings.HasPrefix(last.base, "gcr.io/distroless/static") && last.base != "scratch" {
		t.Errorf("the default stage is based on %s, want distroless static or scratch", last.base)
	}
	if _, ok := byName["sonobuoy"]; !ok {
		t.Error("no sonobuoy stage (deploy/sonobuoy's plugin image)")
	}
}

// The Dockerfile's go build line is make image-binary's, so CI checks the binary the image holds.
func TestBuildLineIsMakefiles(t *testing.T) {
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("no make on this machine")
	}
	docker := goBuild(t, stages(t))
	out := regexp.MustCompile(`-o (\S+)`).FindStringSubmatch(docker)
	if out == nil {
		t.Fatalf("Dockerfile: go build without -o: %s", docker)
	}
	cmd := exec.Command("make", "-s", "-n", "image-binary", "GO=go", "IMAGE_BIN="+out[1])
	cmd.Dir = "../.."
	cmd.Env = cleanMakeEnv()
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("make -n image-binary: %v\n%s", err, b)
	}
	if got := strings.TrimSpace(string(b)); got != docker {
		t.Errorf("make image-binary runs\n  %s\nthe Dockerfile runs\n  %s\nthey must be the same command", got, docker)
	}
}

// make image-binary builds a static binary: no program interpreter, no dynamic section, cgo off, no
// local paths; and it runs.
func TestImageBinaryIsStatic(t *testing.T) {
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("no make on this machine")
	}
	bin := filepath.Join(t.TempDir(), "graphconform")
	cmd := exec.Command("make", "-s", "image-binary", "IMAGE_BIN="+bin)
	cmd.Dir = "../.."
	cmd.Env = cleanMakeEnv()
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("make image-binary: %v\n%s", err, b)
	}
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("the image binary has a %v program header: it is dynamically linked", p.Type)
		}
	}
	if f.Section(".dynamic") != nil || f.Section(".interp") != nil {
		t.Error("the image binary has a .dynamic or .interp section: it is dynamically linked")
	}
	bi, err := buildinfo.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	for k, want := range map[string]string{"CGO_ENABLED": "0", "-trimpath": "true"} {
		if settings[k] != want {
			t.Errorf("build setting %s = %q, want %q", k, settings[k], want)
		}
	}
	// -trimpath keeps -ldflags out of the build info; -s shows as a missing symbol table.
	if _, err := f.Symbols(); err == nil {
		t.Error("the image binary has a symbol table: built without -ldflags='-s -w'")
	}
	if b, err := exec.Command(bin, "version").CombinedOutput(); err != nil || !strings.HasPrefix(string(b), "graphconform ") {
		t.Errorf("graphconform version: %v\n%s", err, b)
	}
}

// cleanMakeEnv keeps an outer make's settings (make test runs this test) out of the nested make.
func cleanMakeEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		switch k, _, _ := strings.Cut(kv, "="); k {
		case "MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES":
			continue
		}
		env = append(env, kv)
	}
	return env
}
