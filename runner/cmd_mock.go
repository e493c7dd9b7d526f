package runner

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/graphconform/graphconform/fixtures/mock"
	"github.com/graphconform/graphconform/fixtures/mutant"
	"github.com/graphconform/graphconform/persona"
)

func init() {
	register(command{name: "mock", summary: "serve the reference mock (or a mutant) and print a config for it", run: cmdMock})
}

func cmdMock(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("mock", "[--addr 127.0.0.1:8080] [--mutant NAME] [--revision current|pre-2021] [--write-config FILE]", stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "listen address (port 0 picks a free port)")
	name := fs.String("mutant", "", "serve this mutant instead of the reference mock (graphconform mutants lists them)")
	revision := fs.String("revision", "", "permission-table revision to serve: current or pre-2021 (default: current, or the mutant's)")
	writeConfig := fs.String("write-config", "", "also write the config to this file once the mock listens (for scripts: wait for the file)")
	if code, ok := parseFlags(fs, args, stderr); !ok {
		return code
	}
	// Signals are caught before the mock announces itself: a script that stops it as soon as the
	// config appears must get a clean shutdown, not the default signal death.
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	what := "the reference mock"
	rev := *revision
	var handler http.Handler
	if *name == "" {
		m, err := mock.New(mock.Options{Revision: rev})
		if err != nil {
			return fail(stderr, exitUsage, "%v", err)
		}
		handler, rev = m, m.Revision()
	} else {
		m, ok := mutant.Lookup(*name)
		if !ok {
			return fail(stderr, exitUsage, "unknown mutant %q (graphconform mutants lists them)", *name)
		}
		if rev == "" {
			rev = m.Revision // a mutant breaks a rule of one revision
		}
		h, err := m.Handler(mock.Options{Revision: rev})
		if err != nil {
			return fail(stderr, exitUsage, "%v", err)
		}
		handler, what = h, "mutant "+m.Name
	}
	if rev == "" {
		rev = mock.RevisionCurrent
	}
	srv, err := mock.StartAddr(*addr, handler) // the same server limits as the embedded mock
	if err != nil {
		return fail(stderr, exitConfig, "cannot listen on %s: %v", *addr, err)
	}
	base := srv.URL
	cfg := mockConfig(base, rev, what, !isLoopbackURL(base))
	fmt.Fprint(stdout, cfg)
	if *writeConfig != "" {
		if err := writeFileAtomic(*writeConfig, []byte(cfg)); err != nil {
			_ = srv.Close()
			return fail(stderr, exitConfig, "--write-config: %v", err)
		}
	}
	fmt.Fprintf(stderr, "%s: serving %s (revision %s) at %s; Ctrl-C stops it\n", programName, what, rev, base)
	<-ctx.Done()
	_ = srv.Close()
	fmt.Fprintf(stderr, "%s: mock stopped\n", programName)
	return exitOK
}

// writeFileAtomic writes through a temporary file and a rename, so a script polling for the file
// never reads half of it.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".graphconform-*.yaml")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// mockConfig is a config file for the served mock. Personas are minted (mint: true), so the file
// holds no token and can be committed or pasted into a CI log.
func mockConfig(base, revision, what string, remote bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# graphconform config for %s at %s\n", what, base)
	fmt.Fprintf(&b, "# save it and run: graphconform run --config FILE\n")
	fmt.Fprintf(&b, "revision: %s\ntarget:\n  baseURL: %s\n", revision, base)
	if remote {
		b.WriteString("  allowMutation: true\n")
	}
	b.WriteString("personas:\n")
	for _, p := range persona.Fixture() {
		fmt.Fprintf(&b, "  - name: %s\n    account: %s\n    permissions: [%s]\n    mint: true\n",
			p.Name, p.Account, strings.Join(p.Permissions, ", "))
	}
	return b.String()
}
