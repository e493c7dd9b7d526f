package docs

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/graphconform/graphconform/config"
)

// block is one fenced code block of a Markdown file.
type block struct {
	file     string
	line     int // of the opening fence, 1-based
	lang     string
	text     string
	runnable bool
	exit     int // the exit code a runnable block must end with
}

func (b block) String() string { return fmt.Sprintf("%s:%d", b.file, b.line) }

// runnableMark marks the next fence as a runnable shell block: <!-- runnable --> or
// <!-- runnable: exit 1 -->.
var runnableMark = regexp.MustCompile(`^<!-- runnable(?:: exit (\d+))? -->$`)

// docs are the Markdown files the test reads, relative to the module root.
func docs(t *testing.T) []string {
	t.Helper()
	files := []string{"../README.md"}
	more, err := filepath.Glob("*.md")
	if err != nil {
		t.Fatal(err)
	}
	return append(files, more...)
}

// blocks returns the fenced blocks of a Markdown file; fences may be indented (inside list items),
// and the block's lines lose that indentation.
func blocks(t *testing.T, file string) []block {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var out []block
	var cur *block
	indent, mark, markExit := "", false, 0
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		if cur == nil {
			if strings.HasPrefix(trimmed, "```") {
				indent = line[:len(line)-len(strings.TrimLeft(line, " "))]
				cur = &block{file: strings.TrimPrefix(file, "../"), line: n, lang: strings.TrimSpace(strings.TrimPrefix(trimmed, "```")), runnable: mark, exit: markExit}
				mark = false
				continue
			}
			if m := runnableMark.FindStringSubmatch(trimmed); m != nil {
				mark, markExit = true, 0
				if m[1] != "" {
					markExit, _ = strconv.Atoi(m[1])
				}
			} else if trimmed != "" {
				mark = false
			}
			continue
		}
		if trimmed == "```" {
			out = append(out, *cur)
			cur = nil
			continue
		}
		cur.text += strings.TrimPrefix(line, indent) + "\n"
	}
	if cur != nil {
		t.Fatalf("%s: the block opened at line %d is never closed", cur.file, cur.line)
	}
	return out
}

func all(t *testing.T) []block {
	var out []block
	for _, f := range docs(t) {
		out = append(out, blocks(t, f)...)
	}
	return out
}

// Every YAML block parses; a GitHub Actions workflow (a mapping with jobs:) passes actionlint; a
// graphconform config (personas: or target:) passes config.Parse with every ${VAR} set.
func TestYAMLBlocks(t *testing.T) {
	var workflows []string
	dir := t.TempDir()
	n := 0
	for _, b := range all(t) {
		if b.lang != "yaml" && b.lang != "yml" {
			continue
		}
		n++
		var doc map[string]any
		if err := yaml.Unmarshal([]byte(b.text), &doc); err != nil {
			t.Errorf("%s: not valid YAML: %v", b, err)
			continue
		}
		if _, ok := doc["jobs"]; ok {
			f := filepath.Join(dir, fmt.Sprintf("%s-%d.yml", strings.NewReplacer("/", "-", ".", "-").Replace(b.file), b.line))
			if err := os.WriteFile(f, []byte(b.text), 0o644); err != nil {
				t.Fatal(err)
			}
			workflows = append(workflows, f)
		}
		_, target := doc["target"]
		_, personas := doc["personas"]
		if target || personas {
			lookup := func(name string) (string, bool) { return "placeholder-value-" + strings.ToLower(name), true }
			if _, err := config.Parse(b.String(), []byte(b.text), lookup); err != nil {
				t.Errorf("%s: not a valid graphconform config: %v", b, err)
			}
		}
	}
	if n == 0 {
		t.Fatal("no YAML block found: the extraction is broken")
	}
	if len(workflows) == 0 {
		t.Fatal("no workflow among the YAML blocks: the extraction is broken")
	}
	actionlint(t, workflows)
}

// actionlint runs the version the Makefile pins (make lint-actions) over files.
func actionlint(t *testing.T, files []string) {
	t.Helper()
	mk, err := os.ReadFile("../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^ACTIONLINT\s*\?=\s*(\S+)$`).FindSubmatch(mk)
	if m == nil {
		t.Fatal("Makefile: no ACTIONLINT ?= line")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", append([]string{"run", string(m[1]), "-no-color", "-oneline"}, files...)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.ExitCode() == 1 { // actionlint: 1 = problems found
			t.Errorf("actionlint on the workflows in the docs:\n%s", strings.ReplaceAll(string(out), t.TempDir(), ""))
			return
		}
		t.Fatalf("running actionlint: %v\n%s", err, out)
	}
}

// The runnable shell blocks run with bash -eu -o pipefail in a fresh directory, with the built
// graphconform as bin/graphconform and on PATH, and must end with their exit code and leave no
// process behind (a mock left running would hold its port).
func TestRunnableBlocks(t *testing.T) {
	var runnable []block
	for _, b := range all(t) {
		if b.runnable {
			if b.lang != "sh" && b.lang != "bash" {
				t.Errorf("%s: marked runnable but is a %q block", b, b.lang)
				continue
			}
			runnable = append(runnable, b)
		}
	}
	if len(runnable) == 0 {
		t.Fatal("no runnable block found")
	}
	bin := build(t)
	for _, b := range runnable {
		t.Run(b.String(), func(t *testing.T) {
			dir := t.TempDir()
			if err := os.MkdirAll(filepath.Join(dir, "bin"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(bin, filepath.Join(dir, "bin", "graphconform")); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, "bash", "-eu", "-o", "pipefail", "-c", b.text)
			cmd.Dir = dir
			cmd.Env = env(filepath.Dir(bin))
			// Its own process group, so that what the block leaves running can be found and killed.
			cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
			cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
			// A process the block left running holds the output pipe open: stop waiting for it once
			// bash has exited, and report it below.
			cmd.WaitDelay = 5 * time.Second
			out, err := cmd.CombinedOutput()
			code := 0
			var ee *exec.ExitError
			switch {
			case errors.As(err, &ee):
				code = ee.ExitCode()
			case errors.Is(err, exec.ErrWaitDelay): // bash exited 0; a leftover held the pipe
			case err != nil:
				t.Fatal(err)
			}
			pgid := cmd.Process.Pid
			if syscall.Kill(-pgid, 0) == nil {
				_ = syscall.Kill(-pgid, syscall.SIGKILL)
				t.Errorf("%s left a process running (its process group %d still had members)", b, pgid)
			}
			if code != b.exit {
				t.Errorf("%s exited %d, want %d\n--- the block\n%s--- its output\n%s", b, code, b.exit, b.text, out)
			}
		})
	}
}

// build compiles graphconform once, into a directory of its own.
func build(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "graphconform")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/graphconform")
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// env is the test's environment with graphconform first on PATH and nothing that would steer a run.
func env(binDir string) []string {
	out := []string{"NO_COLOR=1"}
	for _, kv := range os.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(k, "GRAPHCONFORM_"), strings.EqualFold(k, "HTTP_PROXY"), strings.EqualFold(k, "HTTPS_PROXY"):
			continue
		case k == "PATH":
			kv = "PATH=" + binDir + string(os.PathListSeparator) + v
		}
		out = append(out, kv)
	}
	return out
}
