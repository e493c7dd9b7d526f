package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/graphconform/graphconform/redact"
	"github.com/graphconform/graphconform/report"
	"github.com/graphconform/graphconform/suites/conformance"
	"github.com/graphconform/graphconform/verdict"
)

// ginkgoJSONFile is Ginkgo's own JSON report, next to the suite's reports.
const ginkgoJSONFile = "ginkgo-report.json"

// fakeT is the testing.T stand-in RunSpecs needs: it only records that the suite failed.
type fakeT struct{ failed bool }

func (t *fakeT) Fail() { t.failed = true }

// runSuite runs the prepared suite in this process. Ginkgo allows one RunSpecs per process, which
// is why "run" is a whole process and the runner's tests exec a child for each run.
func runSuite(p *conformance.Prepared, f runFlags, stdout, stderr io.Writer) int {
	gomega.RegisterFailHandler(ginkgo.Fail)
	conformance.Register(p)
	var final *ginkgo.Report
	ginkgo.ReportAfterSuite("graphconform summary", func(r ginkgo.Report) { final = &r })

	// Programmatic configuration instead of parsing flag.CommandLine: the runner's flags are its own,
	// and the --ginkgo.* defaults bound at init are what we start from.
	sc, rc := ginkgo.GinkgoConfiguration()
	sc.LabelFilter = f.labelFilter
	rc.NoColor = noColor(os.Stdout)
	rc.Verbose = f.verbose
	var reportDir string
	if f.reportDir != "" {
		abs, err := filepath.Abs(f.reportDir)
		if err != nil {
			return fail(stderr, exitUsage, "--report-dir %s: %v", f.reportDir, err)
		}
		reportDir = abs
		tmp, moveIntoPlace, err := ginkgoJSONReport(abs)
		if err != nil {
			return fail(stderr, exitConfig, "%v", err)
		}
		defer moveIntoPlace(stderr)
		rc.JSONReport = tmp
	}
	t := &fakeT{}
	start := time.Now()
	passed := conformance.RunTree(t, "graphconform", sc, rc)
	if final != nil {
		vs := conformance.Verdicts(*final, p.Redactor)
		fmt.Fprint(stdout, "\n"+p.Redactor.String(conformance.SummaryTable(verdict.Summarize(vs))))
	}
	if reportDir != "" {
		fmt.Fprintf(stdout, "reports: %s\n", strings.Join([]string{
			filepath.Join(reportDir, report.HTMLFile), filepath.Join(reportDir, report.JUnitFile),
			filepath.Join(reportDir, report.JSONFile), filepath.Join(reportDir, ginkgoJSONFile)}, ", "))
	}
	fmt.Fprintf(stdout, "graphconform run against %s took %s\n", p.Target, time.Since(start).Round(time.Millisecond))
	if !passed || t.failed {
		return exitFail
	}
	return exitOK
}

// noColor: colour only for a person at a terminal. CI logs and files get plain text; NO_COLOR
// (no-color.org) and CI=true switch it off too.
func noColor(out *os.File) bool {
	if os.Getenv("NO_COLOR") != "" || strings.EqualFold(os.Getenv("CI"), "true") {
		return true
	}
	fi, err := out.Stat()
	return err != nil || fi.Mode()&os.ModeCharDevice == 0
}

// redactWith scrubs an error from before the run had its own redactor.
func redactWith(secrets []string, s string) string {
	return redact.New(secrets...).String(s)
}
