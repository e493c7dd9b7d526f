package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/graphconform/graphconform/report"
	"github.com/graphconform/graphconform/suites/conformance"
)

// TestInstall installs the command as `go install` does, from a git checkout of this tree, and
// checks the binary's name and the identity it prints and writes: the commit, and the modified flag
// once the checkout has an uncommitted change.
func TestInstall(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git on this machine")
	}
	src := checkout(t)
	gobin := t.TempDir()
	// CGO_ENABLED=0 and -trimpath: the container image's build (deploy/container) compiles the same
	// packages, so one of the two reuses the other's build cache. -buildvcs=true overrides a GOFLAGS
	// that turns the stamp off.
	install := func() {
		t.Helper()
		cmd := exec.Command("go", "install", "-trimpath", "-buildvcs=true", "./cmd/graphconform")
		cmd.Dir = src
		cmd.Env = append(os.Environ(), "GOBIN="+gobin, "CGO_ENABLED=0", "GOFLAGS=")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go install: %v\n%s", err, out)
		}
	}
	install()
	entries, err := os.ReadDir(gobin)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "graphconform" {
		t.Fatalf("go install ./cmd/graphconform installed %v, want one binary named graphconform", entries)
	}
	bin := filepath.Join(gobin, "graphconform")
	commit := strings.TrimSpace(git(t, src, "rev-parse", "HEAD"))

	out := version(t, bin)
	for _, want := range []string{"graphconform " + conformance.Version + "\n", "commit:   " + commit + " (", "modified: false\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("graphconform version from a clean checkout: no %q in\n%s", want, out)
		}
	}

	if err := os.WriteFile(filepath.Join(src, "README.md"), []byte("an uncommitted change\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	install()
	out = version(t, bin)
	for _, want := range []string{"commit:   " + commit + " (", "modified: true\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("graphconform version from a modified checkout: no %q in\n%s", want, out)
		}
	}

	// The reports of a run carry the same identity.
	dir := t.TempDir()
	run := exec.Command(bin, "run", "--report-dir", dir)
	run.Env = append(os.Environ(), "NO_COLOR=1")
	if b, err := run.CombinedOutput(); err != nil {
		t.Fatalf("graphconform run against the embedded mock: %v\n%s", err, b)
	}
	b, err := os.ReadFile(filepath.Join(dir, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r struct{ Build report.Build }
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if r.Build.Commit != commit || !r.Build.Modified || r.Build.Module == "" || r.Build.CommitTime == "" {
		t.Errorf("report.json build = %+v, want commit %s, modified", r.Build, commit)
	}
	for _, f := range []string{"junit.xml", "report.html"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), commit) {
			t.Errorf("%s does not name commit %s", f, commit)
		}
	}
}

func version(t *testing.T, bin string) string {
	t.Helper()
	out, err := exec.Command(bin, "version").CombinedOutput()
	if err != nil {
		t.Fatalf("graphconform version: %v\n%s", err, out)
	}
	return string(out)
}

// checkout copies this tree's files (tracked and untracked, not ignored) into a new git repository
// with one commit: a stand-in for a fresh clone that also holds the changes not yet committed here.
// (A git worktree will not do: the go command stamps VCS data only where .git is a directory.)
func checkout(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(t.TempDir(), "graphconform")
	for _, name := range strings.Split(strings.TrimSpace(git(t, root, "ls-files", "-co", "--exclude-standard")), "\n") {
		b, err := os.ReadFile(filepath.Join(root, name))
		if os.IsNotExist(err) {
			continue // deleted, not yet committed
		}
		if err != nil {
			t.Fatal(err)
		}
		info, err := os.Stat(filepath.Join(root, name))
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(src, name)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, b, info.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
	git(t, src, "init", "-q")
	git(t, src, "add", "-A")
	git(t, src, "-c", "user.name=graphconform test", "-c", "user.email=test@example.invalid", "commit", "-q", "-m", "checkout")
	return src
}

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return string(out)
}
