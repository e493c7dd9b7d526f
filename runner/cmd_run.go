package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/graphconform/graphconform/config"
	"github.com/graphconform/graphconform/exchange"
	"github.com/graphconform/graphconform/permissions"
	"github.com/graphconform/graphconform/report"
	"github.com/graphconform/graphconform/suites/conformance"
)

func init() {
	register(command{name: "run", summary: "run the suite against a target (default: the embedded reference mock)", run: cmdRun})
}

// runFlags are the flags of "graphconform run".
type runFlags struct {
	config, baseURL, reportDir, labelFilter, revision, partnerID, permissions, shard, exchanges string
	specs                                                                                       listFlag
	strict, dryRun, verbose, shareEntities                                                      bool
	sel                                                                                         selectFlags
}

const runSynopsis = "[--config FILE] [--base-url URL] [--report-dir DIR] [--strict] [--label-filter EXPR] [--revision current|pre-2021] [--spec FILE]... [--permissions FILE] [--operation ID]... [--path GLOB]... [--tag TAG]... [--shard i/n] [--share-entities] [--exchanges all|failures] [--dry-run]"

func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var f runFlags
	fs := newFlags("run", runSynopsis, stderr)
	fs.StringVar(&f.config, "config", "", "YAML config: target and personas (see docs/usage.md); without it, the embedded mock and its fixture personas")
	fs.StringVar(&f.baseURL, "base-url", "", "target service root, e.g. https://graph.example.com/v1.0 (overrides target.baseURL)")
	fs.StringVar(&f.reportDir, "report-dir", "", "write junit.xml, report.json, report.html and "+ginkgoJSONFile+" here")
	fs.BoolVar(&f.strict, "strict", false, "SHOULD and MAY failures fail the run too")
	fs.StringVar(&f.labelFilter, "label-filter", "", "Ginkgo label filter over requirement IDs, levels, areas, personas, e.g. 'must && !permissions'")
	fs.StringVar(&f.revision, "revision", "", "permission-table revision to judge against: current or pre-2021 (default current)")
	fs.StringVar(&f.partnerID, "partner-id", "", "existing remoteAssistancePartner id (overrides target.partnerId)")
	fs.Var(&f.specs, "spec", "OpenAPI description file (repeatable; default: the shipped description)")
	fs.StringVar(&f.permissions, "permissions", "", "Microsoft permissions.json: the permission table of operations whose description has no x-ms-permissions")
	fs.BoolVar(&f.shareEntities, "share-entities", false, "one entity per operation instead of one per spec: fewer requests, less isolation (surveys of large descriptions; see docs/scale.md)")
	fs.StringVar(&f.exchanges, "exchanges", "all", "which verdicts carry their HTTP exchanges in the reports: all, or failures (large runs: less time and memory)")
	fs.StringVar(&f.shard, "shard", "", "run only shard i of n of the specs (e.g. 2/3, one per CI job); graphconform merge joins the shards' report.json")
	fs.BoolVar(&f.dryRun, "dry-run", false, "list every request the run would send (method, URL, persona) and send none")
	fs.BoolVar(&f.verbose, "v", false, "verbose Ginkgo output")
	f.sel.bind(fs) // --operation, --path, --tag: selected before any contract is built
	if code, ok := parseFlags(fs, args, stderr); !ok {
		return code
	}
	filter, err := parseLabelFilter(f.labelFilter)
	if err != nil {
		return fail(stderr, exitUsage, "--label-filter %q: %v", f.labelFilter, err)
	}
	cfg, err := f.runConfig()
	if err != nil {
		return fail(stderr, exitConfig, "%v", err)
	}
	// A dry run sends nothing, so it may preview a remote target that has not opted in yet.
	allowed := cfg.AllowMutation
	if f.dryRun {
		cfg.AllowMutation = true
	}
	p, err := conformance.Prepare(ctx, cfg)
	if err != nil {
		msg := err.Error()
		if errors.Is(err, conformance.ErrMutationNotAllowed) && f.config != "" {
			msg = f.config + ": " + msg // the fix goes in the config file: name it
		}
		return fail(stderr, exitConfig, "%s", redactWith(cfg.Secrets, msg))
	}
	defer p.Close()
	if !f.dryRun { // a dry run lists them with their reasons
		fmt.Fprint(stdout, p.UnbuiltSummary())
	}
	if len(p.Cases) == 0 && !cfg.Shard.Whole() {
		return fail(stderr, exitUsage, "--shard %s holds none of the run's specs; use fewer shards", f.shard)
	}
	if n := countSelected(p, filter); n == 0 {
		return fail(stderr, exitUsage, "--label-filter %q selects none of the %d specs (try graphconform requirements for IDs, levels and areas)", f.labelFilter, len(p.Cases))
	}
	if f.dryRun {
		return dryRun(ctx, p, filter, allowed, stdout)
	}
	if cfg.BaseURL != "" {
		if err := reachable(ctx, p); err != nil {
			msg := p.Redactor.String(err.Error())
			return fail(stderr, exitConfig, "%s", msg+unjudgedReports(p, msg))
		}
	}
	return runSuite(p, f, stdout, stderr)
}

// runConfig builds the run's configuration: flags first, then the config file under them.
func (f runFlags) runConfig() (conformance.Config, error) {
	cfg := conformance.Config{BaseURL: strings.TrimRight(f.baseURL, "/"), ReportDir: f.reportDir, Strict: f.strict,
		LabelFilter: f.labelFilter, Revision: f.revision, PartnerID: f.partnerID, Specs: f.specs}
	shard, err := conformance.ParseShard(f.shard)
	if err != nil {
		return cfg, fmt.Errorf("--%v", err)
	}
	cfg.Shard = shard
	cfg.Select = f.sel.selector()
	cfg.ShareEntities = f.shareEntities
	cfg.Exchanges = f.exchanges
	if f.permissions != "" {
		o, err := permissions.LoadFile(f.permissions)
		if err != nil {
			return cfg, fmt.Errorf("--permissions: %w", err)
		}
		cfg.Permissions = o
	}
	if f.config == "" {
		return cfg, nil
	}
	return config.LoadWith(f.config, cfg, config.Options{Offline: f.dryRun})
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
	return append([]string{"op:" + opID}, own...)
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
