package runner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/graphconform/graphconform/config"
	"github.com/graphconform/graphconform/exchange"
	"github.com/graphconform/graphconform/report"
	"github.com/graphconform/graphconform/suites/conformance"
)

func init() {
	register(command{name: "run", summary: "run the suite against a target (default: the embedded reference mock)", run: cmdRun})
}

// wantsHelp tells whether the command line asks for the help text.
func wantsHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "-h", "-help", "--help":
			return true
		case "--":
			return false
		}
	}
	return false
}

// runFlags are what runSuite needs of the resolved command line.
type runFlags struct {
	reportDir, labelFilter string
	verbose                bool
	ginkgoReport           string // config.GinkgoReport*
}

var runSynopsis = config.Synopsis(config.EntryRun)

func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("run", runSynopsis, stderr)
	flags := config.BindFlags(fs, config.EntryRun)
	help := wantsHelp(args)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: %s run %s\n", programName, runSynopsis)
		if !help { // a bad flag: the error and where to look, not 40 lines of flags
			fmt.Fprintf(stderr, "'%s run -h' lists the flags with their variables and config-file keys.\n", programName)
			return
		}
		fmt.Fprint(stderr, "\nflags:\n")
		config.PrintUsage(stderr, config.EntryRun)
		fmt.Fprintf(stderr, "\nExit codes: %d the gate passed, %d a conformance failure, %d a usage or configuration error or an unreachable target (nothing judged), %d incomplete (interrupted or --timeout).\n", exitOK, exitFail, exitConfig, exitIncomplete)
	}
	start := time.Now() // --timeout bounds the whole run, preparation included
	if code, ok := parseFlags(fs, args, stderr); !ok {
		return code
	}
	// Flags, GRAPHCONFORM_* variables and the config file, in the one order of precedence of
	// package config; the report directory is checked here, before anything is sent.
	run, err := flags.Resolve(ctx, config.ResolveOptions{})
	if err != nil {
		return fail(stderr, exitConfig, "%s", redactWith(run.Config.Secrets, err.Error()))
	}
	cfg := run.Config
	cfg.Meta.CommandLine = os.Args // the reports redact each argument
	filter, err := parseLabelFilter(cfg.LabelFilter)
	if err != nil {
		return fail(stderr, exitUsage, "--label-filter %q: %v", cfg.LabelFilter, err)
	}
	// A dry run sends nothing, so it may preview a remote target that has not opted in yet.
	allowed := cfg.AllowMutation
	if run.DryRun {
		cfg.AllowMutation = true
	}
	// Plan sends nothing: every local check comes before Connect, which sends client secrets.
	p, err := conformance.Plan(ctx, cfg)
	if err != nil {
		msg := err.Error()
		if errors.Is(err, conformance.ErrMutationNotAllowed) && run.ConfigFile != "" {
			msg = run.ConfigFile + ": " + msg // the fix goes in the config file: name it
		}
		return fail(stderr, exitConfig, "%s", redactWith(cfg.Secrets, msg))
	}
	defer p.Close()
	fmt.Fprint(stdout, p.RerunSummary())
	if line, gate := p.NothingToRerun(); line != "" {
		fmt.Fprintln(stdout, line) // nothing sent, no reports written: never a green run of everything
		return gateExit(gate)
	}
	if !run.DryRun { // a dry run lists them with their reasons
		fmt.Fprint(stdout, p.UnbuiltSummary())
	}
	if len(p.Cases) == 0 && !cfg.Shard.Whole() {
		return fail(stderr, exitUsage, "--shard %s holds none of the run's specs; use fewer shards", cfg.Shard)
	}
	if n := countSelected(p, filter); n == 0 {
		return fail(stderr, exitUsage, "--label-filter %q selects none of the %d specs (try graphconform requirements for IDs, levels and areas)", cfg.LabelFilter, len(p.Cases))
	}
	if run.DryRun {
		return dryRun(ctx, p, filter, allowed, stdout)
	}
	if cfg.BaseURL != "" {
		if err := reachable(ctx, p); err != nil {
			msg := p.Redactor.String(err.Error())
			return fail(stderr, exitConfig, "%s", msg+unjudgedReports(p, msg))
		}
	}
	if err := p.Connect(ctx); err != nil {
		return fail(stderr, exitConfig, "%s", p.Redactor.String(err.Error()))
	}
	limitMemory(len(p.Cases))
	var deadline time.Time
	if cfg.RunTimeout > 0 {
		deadline = start.Add(cfg.RunTimeout)
	}
	return runSuite(p, runFlags{reportDir: cfg.ReportDir, labelFilter: cfg.LabelFilter, verbose: run.Verbose, ginkgoReport: run.GinkgoReport}, deadline, stdout, stderr)
}

func parseLabelFilter(expr string) (types.LabelFilter, error) {
	if strings.TrimSpace(expr) == "" {
		return func([]string) bool { return true }, nil
	}
	f, err := types.ParseLabelFilter(expr)
	if err != nil {
		return nil, errors.New(flatten(err.Error()))
	}
	return f, nil
}

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

// flatten makes Ginkgo's coloured, multi-line error text one plain line.
func flatten(s string) string {
	var parts []string
	for _, l := range strings.Split(ansi.ReplaceAllString(s, ""), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "Learn more at:") {
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, " ")
}

// countSelected counts the cases the label filter selects, with the labels Ginkgo will see: the
// operation container's label and the case's own.
func countSelected(p *conformance.Prepared, filter types.LabelFilter) int {
	n := 0
	for _, c := range p.Cases {
		if filter(caseLabels(c.Operation.ID, c.Labels())) {
			n++
		}
	}
	return n
}

func caseLabels(opID string, own []string) []string {
	return append([]string{conformance.OperationLabel(opID)}, own...)
}

// reachable checks the target answers HTTP at all before any spec runs: one unauthenticated GET of
// the base URL with a short timeout (TCP, TLS and an HTTP answer of any status). An unreachable
// target must be one clear line and exit 2, not a wall of failed specs.
func reachable(ctx context.Context, p *conformance.Prepared) error {
	timeout := 5 * time.Second
	if t := p.Config.Timeout; t > 0 && t < timeout {
		timeout = t
	}
	noRetry := exchange.RetryPolicy{}
	c := exchange.New(exchange.Options{Timeout: timeout, TLS: p.Config.TLS, Redactor: p.Redactor, Retry: &noRetry})
	defer c.HTTP.CloseIdleConnections()
	_, err := c.Do(ctx, exchange.Request{Method: "GET", URL: p.Env.BaseURL})
	if err != nil {
		return fmt.Errorf("target %s is unreachable: %v", p.Target, err)
	}
	return nil
}

// isLoopbackURL tells whether a base URL names this machine.
func isLoopbackURL(base string) bool {
	u, err := url.Parse(base)
	return err == nil && conformance.IsLoopbackHost(u.Hostname())
}

// unjudgedReports writes the reports of a run that could not judge its target, so that a CI job
// uploading junit.xml shows the reason (an <error> case) instead of a missing file. It returns ""
// or the reason the reports could not be written, to append to the one-line error.
func unjudgedReports(p *conformance.Prepared, reason string) string {
	if p.Config.ReportDir == "" {
		return ""
	}
	now := time.Now()
	run := p.ReportRun(now, now, nil)
	run.Error = reason
	if err := report.WriteAll(p.Config.ReportDir, run); err != nil {
		return "; writing the reports: " + p.Redactor.String(err.Error())
	}
	return ""
}

// ginkgoJSONReport is where Ginkgo writes its own JSON report: a fresh temporary file in dir, and
// the function that renames it to ginkgo-report.json after the run. Ginkgo writes the report with
// os.Create, which would follow a symbolic link planted at ginkgo-report.json; the rename replaces
// it, like the suite's own reports (report.WriteFileAtomic).
func ginkgoJSONReport(dir string) (string, func(io.Writer), error) {
	f, err := os.CreateTemp(dir, "."+ginkgoJSONFile+".tmp-*")
	if err != nil {
		return "", nil, fmt.Errorf("cannot write the reports to %s: %v", dir, err)
	}
	tmp := f.Name()
	f.Close()
	return tmp, func(stderr io.Writer) {
		defer os.Remove(tmp) // a no-op once renamed
		fi, err := os.Stat(tmp)
		if err != nil || fi.Size() == 0 {
			return // Ginkgo wrote nothing (an interrupted run): no half report under the real name
		}
		_ = os.Chmod(tmp, 0o644) // CreateTemp made it 0600; os.Create keeps that
		if err := os.Rename(tmp, filepath.Join(dir, ginkgoJSONFile)); err != nil {
			fmt.Fprintf(stderr, "%s: writing %s: %v\n", programName, filepath.Join(dir, ginkgoJSONFile), err)
		}
	}, nil
}
