package conformance

import (
	"context"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/graphconform/graphconform/report"
	"github.com/graphconform/graphconform/verdict"
)

// Run prepares, registers and runs the suite in this process (Ginkgo allows one run per process).
// It returns false on a blocking failure; a preparation error is returned as an error, no spec runs.
func Run(t GinkgoTestingT, cfg Config, ginkgoArgs ...any) (bool, error) {
	p, err := Prepare(context.Background(), cfg)
	if err != nil {
		return false, err
	}
	defer p.Close()
	announce(context.Background(), p, os.Stdout)
	Register(p)
	return RunTree(t, "graphconform", ginkgoArgs...), nil
}

// ReportRun is the report form of a run.
func (p *Prepared) ReportRun(start, end time.Time, vs []verdict.Verdict) report.Run {
	var names, sums []string
	for _, d := range p.Descriptions {
		names = append(names, d.Name)
		sums = append(sums, d.SHA256)
	}
	rev := p.Config.Revision
	if rev == "" && len(p.Operations) > 0 {
		rev = p.Operations[0].Permissions.Revision
	}
	return report.Run{Tool: "graphconform", Version: Version, Description: strings.Join(names, ", "),
		DescriptionSHA256: strings.Join(sums, ","), Revision: rev, Target: p.Target, Strict: p.Config.Strict,
		LabelFilter: p.Config.LabelFilter, Shard: p.Config.Shard.String(), Start: start, End: end, Verdicts: vs,
		Unbuilt: p.reportUnbuilt()}
}

func writeReports(dir string, run report.Run) error {
	if err := report.WriteAll(dir, run); err != nil {
		return fmt.Errorf("writing the reports: %w", err)
	}
	return nil
}

// SummaryTable renders the per-requirement verdicts as a text table.
func SummaryTable(s verdict.Summary) string {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "REQUIREMENT\tLEVEL\tVERDICT\tSPECS\tTITLE")
	for _, rr := range s.Requirements {
		out := string(rr.Outcome)
		if rr.Outcome == verdict.Fail && !rr.Blocking {
			out = "fail (advisory)"
		}
		if len(rr.Cases) == 0 {
			out = "not exercised"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", rr.Requirement.ID, rr.Requirement.Level, out, len(rr.Cases), rr.Requirement.Title)
	}
	tw.Flush()
	fmt.Fprintf(&b, "\ngraphconform gate: %s\n", s.GateText())
	return b.String()
}
