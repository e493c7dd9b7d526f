package bench

import (
	"strconv"
	"testing"
)

// overheadActions gives 1,000+ specs (about 39 per generated action).
const overheadActions = 26

// BenchmarkSuiteOverhead: the whole suite against the reference mock vs a plain Go loop sending the
// same requests (recorded from the same cases), each a child process with the same mock and personas.
// Metrics are seconds per iteration; ratio = suite wall / floor wall (keep-alive loop), the figure
// the issue targets at <= 2; ratio-failures is the same with --exchanges failures. ratio-close compares with a loop that, like exchange.Client, opens a
// connection per request; run/replay compare the in-process loops only (no start-up, no load).
func BenchmarkSuiteOverhead(b *testing.B) {
	specPath := description(b, overheadActions)
	log, requests := record(b, overheadActions)
	floorEnv := func(closeEach bool) map[string]string {
		env := map[string]string{envChild: "floor", envLog: log, envActions: strconv.Itoa(overheadActions)}
		if closeEach {
			env[envClose] = "1"
		}
		return env
	}
	var suite, suiteFailures, floor, floorClose, run, replayKeep, replayClose, prepare, tree, suiteCPU, floorCPU float64
	specs := 0
	for b.Loop() {
		s := execChild(b, childEnv("suite", specPath, overheadActions))
		if !s.Passed {
			b.Fatalf("the suite failed against the reference mock:\n%s", s.Output)
		}
		envF := childEnv("suite", specPath, overheadActions)
		envF[envExch] = "failures"
		sf := execChild(b, envF)
		f := execChild(b, floorEnv(false))
		fc := execChild(b, floorEnv(true))
		suite += s.Wall.Seconds()
		suiteCPU += s.CPU.Seconds()
		floorCPU += f.CPU.Seconds()
		suiteFailures += sf.Wall.Seconds()
		floor += f.Wall.Seconds()
		floorClose += fc.Wall.Seconds()
		run += s.Run
		prepare += s.Prepare
		tree += s.Tree
		replayKeep += f.Replay
		replayClose += fc.Replay
		specs = s.Specs
	}
	b.ReportMetric(float64(specs), "specs")
	b.ReportMetric(float64(requests), "requests")
	mean(b, suite, "suite-s")
	mean(b, prepare, "prepare-s")
	mean(b, tree, "tree-s")
	mean(b, run, "run-s")
	mean(b, floor, "floor-s")
	mean(b, floorClose, "floor-close-s")
	mean(b, replayKeep, "replay-s")
	mean(b, suiteFailures, "suite-failures-s")
	b.ReportMetric(suite/floor, "ratio")
	b.ReportMetric(suiteCPU/floorCPU, "ratio-cpu")
	b.ReportMetric(suiteFailures/floor, "ratio-failures")
	b.ReportMetric(suite/floorClose, "ratio-close")
	b.ReportMetric(run/replayKeep, "run/replay")
	b.ReportMetric(run/replayClose, "run/replay-close")
}
