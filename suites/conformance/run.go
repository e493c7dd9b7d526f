package conformance

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/graphconform/graphconform/report"
	"github.com/graphconform/graphconform/verdict"
)

// Run prepares, registers and runs the suite in this process (Ginkgo allows one run per process),
// then prints the requirement table and the gate line to stdout, after Ginkgo's own summary, whose
// counts cannot tell an advisory failure or a missing persona from a skip. It returns whether the
// gate passed; a preparation error is returned as an error, no spec runs.
func Run(t GinkgoTestingT, cfg Config, ginkgoArgs ...any) (bool, error) {
	p, err := Plan(context.Background(), cfg)
	if err != nil {
		return false, err
	}
	defer p.Close()
	fmt.Fprint(os.Stdout, p.RerunSummary())
	if line, gate := p.NothingToRerun(); line != "" {
		fmt.Fprintln(os.Stdout, line) // no spec, no Ginkgo run, no token fetched: never a green run of everything
		return gate == report.GatePass, nil
	}
	if err := p.Connect(context.Background()); err != nil {
		return false, err
	}
	announce(context.Background(), p, os.Stdout)
	Register(p)
	passed := RunTree(t, "graphconform", withRunTimeout(cfg.RunTimeout, ginkgoArgs)...)
	return p.Finish(os.Stdout, passed) == report.GatePass, nil
}

// withRunTimeout sets Ginkgo's suite timeout to d in the run's Ginkgo arguments: in the SuiteConfig
// given, or in one taken from Ginkgo's flags. d == 0 leaves them as they are (Ginkgo's --timeout,
// 1h by default).
func withRunTimeout(d time.Duration, args []any) []any {
	if d <= 0 {
		return args
	}
	out := append([]any(nil), args...)
	for i, a := range out {
		if sc, ok := a.(types.SuiteConfig); ok {
			sc.Timeout = d
			out[i] = sc
			return out
		}
	}
	sc, _ := GinkgoConfiguration()
	sc.Timeout = d
	return append(out, sc)
}

// Finish prints the run's requirement table and gate line to w and returns the gate: PASS, FAIL or
// INCOMPLETE. ginkgoPassed is what RunSpecs returned: a suite Ginkgo failed never reads as PASS
// (e.g. its reports could not be written), and a run whose reporting was skipped (a third interrupt)
// is INCOMPLETE. On a parallel process other than the first, and in a Ginkgo dry run, it prints
// nothing: the first process printed the whole run's table from its report node.
func (p *Prepared) Finish(w io.Writer, ginkgoPassed bool) string {
	if p.Result == nil {
		// A dry run judges nothing; on a parallel process other than the first, the first judges.
		if cfg, _ := GinkgoConfiguration(); cfg.DryRun || (cfg.ParallelTotal > 1 && cfg.ParallelProcess != 1) {
			if ginkgoPassed {
				return report.GatePass
			}
			return report.GateFail
		}
		fmt.Fprintln(w, "\ngraphconform gate: "+report.GateIncomplete+" (the run stopped before it could report: reports, if any, are from its start)")
		return report.GateIncomplete
	}
	gate, _ := report.Gate(*p.Result)
	if cfg, _ := GinkgoConfiguration(); cfg.ParallelTotal <= 1 {
		fmt.Fprint(w, "\n"+p.Redactor.String(report.Text(*p.Result)))
		fmt.Fprint(w, throttlingLine(p.Result.Throttling))
	}
	if gate == report.GatePass && !ginkgoPassed {
		fmt.Fprintln(w, "graphconform: the gate passed but Ginkgo failed the suite (see above): not a PASS")
		return report.GateFail
	}
	return gate
}

// Meta is what the reports say about a run beside its verdicts, from the config file and the
// command line.
type Meta struct {
	// Product is the config's product section; nil without one.
	Product *report.Product
	// CommandLine is the command as given (os.Args), each argument redacted by ReportRun; nil is
	// this process's os.Args.
	CommandLine []string
	// Rerun is the report whose unfinished specs the run repeats (--rerun); nil runs them all.
	Rerun *Rerun
}

// ReportRun is the report form of a run.
func (p *Prepared) ReportRun(start, end time.Time, vs []verdict.Verdict) report.Run {
	rev := p.Config.Revision
	if rev == "" && len(p.Operations) > 0 {
		rev = p.Operations[0].Permissions.Revision
	}
	return report.Run{Tool: "graphconform", Version: Version, Build: Build(), Description: p.descriptionNames(),
		DescriptionSHA256: p.descriptionSums(), Revision: rev, Target: p.Target, Strict: p.Config.Strict, Certify: p.Config.Certify,
		LabelFilter: p.Config.LabelFilter, Shard: p.Config.Shard.String(), Start: start, End: end, Verdicts: vs,
		Unbuilt: p.reportUnbuilt(), Inapplicable: p.Inapplicable,
		Product: p.Config.Meta.Product, Personas: p.personaInfo(), CommandLine: p.commandLine(), Selection: p.Redactor.String(p.Selection())}
}

// personaInfo lists who the run called the target as, sorted by name: names, account kinds and
// permissions, never a token nor anything derived from one.
func (p *Prepared) personaInfo() []report.PersonaInfo {
	if p.Env == nil {
		return nil
	}
	out := make([]report.PersonaInfo, 0, len(p.Env.Personas))
	for _, ps := range p.Env.Personas {
		out = append(out, report.PersonaInfo{Name: ps.Name, Account: string(ps.Account), Permissions: append([]string{}, ps.Permissions...)})
	}
	slices.SortFunc(out, func(a, b report.PersonaInfo) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// commandLine is the command as given, each argument through the run's redactor: a token passed
// in an argument (or read from a GRAPHCONFORM_* variable into the config) is masked like anywhere.
func (p *Prepared) commandLine() []string {
	args := p.Config.Meta.CommandLine
	if args == nil {
		args = os.Args
	}
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = p.Redactor.String(a)
	}
	return out
}

func writeReports(dir string, run report.Run) error {
	if err := report.WriteAll(dir, run); err != nil {
		return fmt.Errorf("writing the reports: %w", err)
	}
	return nil
}
