package runner

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"slices"
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
	fs := newFlags("mock", "[--addr 127.0.0.1:8080] [--spec FILE [--permissions FILE] [--operation ID] [--path GLOB] [--tag TAG] [--key NAME=KEY]] [--mutant NAME] [--revision current|pre-2021] [--write-config FILE]", stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "listen address (port 0 picks a free port)")
	name := fs.String("mutant", "", "serve this mutant instead of the reference mock (graphconform mutants lists them)")
	revision := fs.String("revision", "", "permission-table revision to serve: current or pre-2021 (default: current, or the mutant's)")
	writeConfig := fs.String("write-config", "", "also write the config to this file once the mock listens (for scripts: wait for the file)")
	specFile := fs.String("spec", "", "serve this OpenAPI description (YAML or JSON, .gz too) instead of the reference area: every operation of it, or the selected ones")
	permsFile := fs.String("permissions", "", "Microsoft's permissions.json (.gz too): the permission table of operations without x-ms-permissions")
	var sel mockSelection
	fs.Var(&sel.ops, "operation", "serve only this operationId (repeatable; with --spec)")
	fs.Var(&sel.paths, "path", "serve only paths matching this glob, * any characters (repeatable; with --spec)")
	fs.Var(&sel.tags, "tag", "serve only operations with this tag (repeatable; with --spec)")
	var keys listFlag
	fs.Var(&keys, "key", "an entity that exists without being created (collections the description cannot create into): path-parameter name=key, e.g. user-id=0f1e... (repeatable; with --spec)")
	if code, ok := parseFlags(fs, args, stderr); !ok {
		return code
	}
	opts := mock.Options{Revision: *revision}
	if *specFile == "" && (*permsFile != "" || !sel.empty() || len(keys) > 0) {
		return fail(stderr, exitUsage, "--permissions, --operation, --path, --tag and --key need --spec")
	}
	if *specFile != "" {
		if err := describedOptions(&opts, *specFile, *permsFile, sel, keys); err != nil {
			return fail(stderr, exitConfig, "%v", err)
		}
	}
	// Signals are caught before the mock announces itself: a script that stops it as soon as the
	// config appears must get a clean shutdown, not the default signal death.
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	what := "the reference mock"
	rev := *revision
	var handler http.Handler
	if *name == "" {
		m, err := mock.New(opts)
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
		opts.Revision = rev
		h, err := m.Handler(opts)
		if err != nil {
			return fail(stderr, exitUsage, "%v", err)
		}
		handler, what = h, "mutant "+m.Name
	}
	if rev == "" {
		rev = mock.RevisionCurrent
	}
	if *specFile != "" {
		what = strings.Replace(what, "the reference mock", "the mock", 1) + " of " + *specFile
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
// holds no token and can be committed or pasted into a CI log; the mock trusts the fixture issuer
// (fixtureIssuer: true), so a run derives each operation's personas from its permission table and
// mints them, as it does against the embedded mock.
func mockConfig(base, revision, what string, remote bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# graphconform config for %s at %s\n", what, base)
	fmt.Fprintf(&b, "# save it and run: graphconform run --config FILE (with the mock's --spec and --permissions, if it has them)\n")
	fmt.Fprintf(&b, "revision: %s\ntarget:\n  baseURL: %s\n", revision, base)
	if remote {
		b.WriteString("  allowMutation: true\n")
	}
	b.WriteString("  fixtureIssuer: true # it trusts the fixture issuer: each operation gets the personas its permission table calls for\n")
	b.WriteString("personas:\n")
	for _, p := range persona.Fixture() {
		fmt.Fprintf(&b, "  - name: %s\n    account: %s\n    permissions: [%s]\n    mint: true\n",
			p.Name, p.Account, strings.Join(p.Permissions, ", "))
	}
	return b.String()
}

// mockSelection is --operation, --path and --tag: an operation is served when it matches any
// given value of each flag used.
type mockSelection struct{ ops, paths, tags listFlag }

func (s mockSelection) empty() bool { return len(s.ops)+len(s.paths)+len(s.tags) == 0 }

func (s mockSelection) match() (func(*mock.Operation) bool, error) {
	if s.empty() {
		return nil, nil
	}
	var globs []*regexp.Regexp
	for _, g := range s.paths {
		re, err := regexp.Compile("(?i)^" + strings.ReplaceAll(regexp.QuoteMeta(g), `\*`, ".*") + "$")
		if err != nil {
			return nil, fmt.Errorf("--path %q: %v", g, err)
		}
		globs = append(globs, re)
	}
	return func(o *mock.Operation) bool {
		if len(s.ops) > 0 && !slices.Contains(s.ops, o.ID) {
			return false
		}
		if len(s.tags) > 0 && !slices.ContainsFunc(o.Tags, func(t string) bool { return slices.Contains(s.tags, t) }) {
			return false
		}
		if len(globs) > 0 && !slices.ContainsFunc(globs, func(re *regexp.Regexp) bool { return re.MatchString(o.Template) }) {
			return false
		}
		return true
	}, nil
}

// describedOptions loads the description (once: a Graph-sized one takes seconds) and the
// permissions file into mock options.
func describedOptions(opts *mock.Options, specFile, permsFile string, sel mockSelection, keys listFlag) error {
	var err error
	if opts.Spec, err = mock.LoadSpecs(specFile); err != nil {
		return fmt.Errorf("--spec: %w", err)
	}
	if permsFile != "" {
		if opts.Permissions, err = mock.LoadPermissions(permsFile); err != nil {
			return fmt.Errorf("--permissions: %w", err)
		}
	}
	if opts.Select, err = sel.match(); err != nil {
		return err
	}
	for _, kv := range keys {
		name, key, ok := strings.Cut(kv, "=")
		if !ok || name == "" || key == "" {
			return fmt.Errorf("--key %q: want path-parameter-name=key, e.g. user-id=0f1e2d3c", kv)
		}
		if opts.Keys == nil {
			opts.Keys = map[string]string{}
		}
		opts.Keys[name] = key
	}
	return nil
}
