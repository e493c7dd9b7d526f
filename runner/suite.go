package runner

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/graphconform/graphconform/config"

	"github.com/graphconform/graphconform/redact"
	"github.com/graphconform/graphconform/report"
	"github.com/graphconform/graphconform/suites/conformance"
)

// ginkgoJSONFile is Ginkgo's own JSON report, next to the suite's reports.
const ginkgoJSONFile = "ginkgo-report.json"

// fakeT is the testing.T stand-in RunSpecs needs: it only records that the suite failed.
type fakeT struct{ failed bool }

func (t *fakeT) Fail() { t.failed = true }

// runSuite runs the prepared suite in this process. Ginkgo allows one RunSpecs per process, which
// is why "run" is a whole process and the runner's tests exec a child for each run. The exit code
// follows the gate: 0 PASS, 1 FAIL, 3 INCOMPLETE (interrupted, --timeout expired). deadline bounds
// the whole run (--timeout), counted from the command's start: what preparing took is not given
// to the specs again.
func runSuite(p *conformance.Prepared, f runFlags, deadline time.Time, stdout, stderr io.Writer) int {
	gomega.RegisterFailHandler(ginkgo.Fail)
	conformance.Register(p)

	// Programmatic configuration instead of parsing flag.CommandLine: the runner's flags are its own,
	// and the --ginkgo.* defaults bound at init are what we start from.
	sc, rc := ginkgo.GinkgoConfiguration()
	sc.LabelFilter = f.labelFilter
	if !deadline.IsZero() {
		// Ginkgo's suite timeout: expiry stops the running spec, skips the rest and still reports.
		sc.Timeout = max(time.Until(deadline), time.Millisecond)
	}
	rc.NoColor = noColor(os.Stdout)
	rc.Verbose = f.verbose
	var reportDir string
	if f.reportDir != "" {
		abs, err := filepath.Abs(f.reportDir)
		if err != nil {
			return fail(stderr, exitUsage, "--report-dir %s: %v", f.reportDir, err)
		}
		reportDir = abs
		// Ginkgo writes its own report only at the end: a killed run must not leave the last run's.
		_ = os.Remove(filepath.Join(abs, ginkgoJSONFile))
		if f.ginkgoReport != config.GinkgoReportNone {
			tmp, moveIntoPlace, err := ginkgoJSONReport(abs)
			if err != nil {
				return fail(stderr, exitConfig, "%v", err)
			}
			defer moveIntoPlace(stderr)
			if f.ginkgoReport == config.GinkgoReportFull {
				rc.JSONReport = tmp
			} else {
				// Slim: the same spec reports without the verdict entries, which are report.json's
				// (at 1,000 actions they were most of a 329 MB file).
				ginkgo.ReportAfterSuite("ginkgo-report.json (slim)", func(r ginkgo.Report) {
					if err := conformance.WriteSlimGinkgoJSON(tmp, r); err != nil {
						fmt.Fprintf(stderr, "%s: writing %s: %v\n", programName, ginkgoJSONFile, err)
					}
				})
			}
		}
	}
	t := &fakeT{}
	start := time.Now()
	passed := conformance.RunTree(t, "graphconform", sc, rc)
	gate := p.Finish(stdout, passed && !t.failed)
	if reportDir != "" {
		names := []string{filepath.Join(reportDir, report.HTMLFile), filepath.Join(reportDir, report.JUnitFile),
			filepath.Join(reportDir, report.JSONFile)}
		if f.ginkgoReport != config.GinkgoReportNone {
			names = append(names, filepath.Join(reportDir, ginkgoJSONFile))
		}
		fmt.Fprintf(stdout, "reports: %s\n", strings.Join(names, ", "))
	}
	fmt.Fprintf(stdout, "graphconform run against %s took %s\n", p.Target, time.Since(start).Round(time.Millisecond))
	return gateExit(gate)
}

// gateExit is the exit code of a gate verdict.
func gateExit(gate string) int {
	switch gate {
	case report.GatePass:
		return exitOK
	case report.GateIncomplete:
		return exitIncomplete
	}
	return exitFail
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
