package bench

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/reporters"
	"github.com/onsi/ginkgo/v2/types"
	"github.com/onsi/gomega"

	"github.com/graphconform/graphconform/fixtures/mock"
	"github.com/graphconform/graphconform/fixtures/token"
	"github.com/graphconform/graphconform/graphgen"
	"github.com/graphconform/graphconform/persona"
	"github.com/graphconform/graphconform/plan"
	"github.com/graphconform/graphconform/spec"
	"github.com/graphconform/graphconform/suites/conformance"
)

// runChild is the child side: it measures one thing and writes its phases to envOut.
func runChild(mode string) int {
	flag.Parse() // the ginkgo CLI passes --ginkgo.parallel.* and --test.timeout
	if path := os.Getenv(envProfile); path != "" {
		f, err := os.Create(path)
		if err == nil && pprof.StartCPUProfile(f) == nil {
			defer pprof.StopCPUProfile()
		}
	}
	if path, every := os.Getenv(envHeapProfile), os.Getenv(envHeapEvery); path != "" && every != "" {
		go heapEvery(path, every)
	}
	var ph phases
	var err error
	switch mode {
	case "suite":
		ph, err = childSuite()
	case "phases":
		ph, err = childPhases()
	case "floor":
		ph, err = childFloor()
	case "mock":
		ph, err = childMock()
	default:
		err = fmt.Errorf("unknown child mode %q", mode)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench child:", err)
		return 2
	}
	ph.Total = time.Since(processStart).Seconds()
	if out := os.Getenv(envOut); out != "" {
		// Parallel Ginkgo processes all write here: each writes its own file and renames it over,
		// so the parent reads one whole file, never an interleaving.
		data, _ := json.Marshal(ph)
		tmp := fmt.Sprintf("%s.%d", out, os.Getpid())
		err := os.WriteFile(tmp, data, 0o644)
		if err == nil {
			err = os.Rename(tmp, out)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench child:", err)
			return 2
		}
	}
	if mode == "suite" && !ph.Passed {
		return 1
	}
	return 0
}

// heapEvery writes a heap profile to path.1, path.2, ... every period seconds.
func heapEvery(path, period string) {
	sec, err := strconv.ParseFloat(period, 64)
	if err != nil || sec <= 0 {
		return
	}
	for i := 1; ; i++ {
		time.Sleep(time.Duration(sec * float64(time.Second)))
		if f, err := os.Create(fmt.Sprintf("%s.%d", path, i)); err == nil {
			_ = pprof.WriteHeapProfile(f)
			f.Close()
		}
	}
}

// target is the base URL and personas of a child: envBase, or the reference mock in this process
// serving the generated description's entity sets.
func target() (string, persona.Set, func(), error) {
	personas, err := token.MintSet(persona.Fixture(), time.Hour)
	if err != nil {
		return "", nil, nil, err
	}
	if base := os.Getenv(envBase); base != "" {
		return base, personas, func() {}, nil
	}
	opts := mock.Options{}
	if n, _ := strconv.Atoi(os.Getenv(envActions)); n > 0 {
		opts.EntitySets = graphgen.ForActions(n).MockSets()
	}
	m, err := mock.New(opts)
	if err != nil {
		return "", nil, nil, err
	}
	srv, err := mock.Start(m)
	if err != nil {
		return "", nil, nil, err
	}
	return srv.URL, personas, func() { srv.Close() }, nil
}

type childT struct{ failed bool }

func (t *childT) Fail() { t.failed = true }

// childSuite runs the whole suite the way graphconform run does: Prepare (load, select, cases),
// Register (the tree), RunSpecs. BeforeSuite marks the end of tree construction.
func childSuite() (phases, error) {
	var ph phases
	base, personas, stop, err := target()
	if err != nil {
		return ph, err
	}
	defer stop()
	cfg := conformance.Config{BaseURL: base, Personas: personas, ShareEntities: os.Getenv(envShare) == "1",
		ReportDir: os.Getenv(envReports), Exchanges: os.Getenv(envExch)}
	if n, _ := strconv.Atoi(os.Getenv(envConc)); n > 0 {
		cfg.Concurrency = n
	}
	if s := os.Getenv(envSpec); s != "" {
		cfg.Specs = []string{s}
	}
	if cfg.Shard, err = conformance.ParseShard(os.Getenv(envShard)); err != nil {
		return ph, err
	}
	t0 := time.Now()
	p, err := conformance.Prepare(context.Background(), cfg)
	if err != nil {
		return ph, err
	}
	defer p.Close()
	t1 := time.Now()
	ph.Prepare, ph.Cases = t1.Sub(t0).Seconds(), len(p.Cases)
	gomega.RegisterFailHandler(ginkgo.Fail)
	conformance.Register(p)
	var treeDone, runDone time.Time
	ginkgo.BeforeSuite(func() { treeDone = time.Now() })
	ginkgo.ReportAfterSuite("bench", func(r ginkgo.Report) {
		runDone = time.Now()
		ph.Specs = r.PreRunStats.SpecsThatWillRun
		ph.InTreeOrder = inTreeOrder(r, conformance.TreeOrder(p))
		if out := os.Getenv(envGinkgo); out != "" { // graphconform run's ginkgo-report.json, slim or full
			rep := r
			if os.Getenv(envGinkgoFull) == "" {
				rep = conformance.SlimReport(r)
			}
			if err := reporters.GenerateJSONReport(rep, out); err != nil {
				fmt.Fprintln(os.Stderr, "bench child:", err)
			}
		}
		if path := os.Getenv(envHeapProfile); path != "" { // the heap at its largest: every spec reported
			if f, err := os.Create(path); err == nil {
				_ = pprof.WriteHeapProfile(f)
				f.Close()
			}
		}
	})
	sc, rc := ginkgo.GinkgoConfiguration()
	rc.NoColor, rc.Succinct = true, true
	t := &childT{}
	ok := conformance.RunTree(t, "graphconform bench", sc, rc)
	ph.Passed = ok && !t.failed
	if !treeDone.IsZero() {
		ph.Tree = treeDone.Sub(t1).Seconds()
		ph.Run = runDone.Sub(treeDone).Seconds()
	}
	return ph, nil
}

// inTreeOrder reports whether a serial run executed the specs in the order they were registered
// (conformance.Register registers them in the order Ginkgo sorts them into, to keep that sort
// linear). Ginkgo shuffles the operations (top-level containers) by seed, so they are compared as
// sets, each operation's specs in order.
func inTreeOrder(r ginkgo.Report, want []string) bool {
	var got []string
	for _, sr := range r.SpecReports {
		if sr.LeafNodeType == types.NodeTypeIt {
			got = append(got, strings.Join(append(sr.ContainerHierarchyTexts, sr.LeafNodeText), " "))
		}
	}
	// A shuffle moves whole operations: a stable sort by operation restores the registered order.
	op := func(s string) string { return strings.SplitN(s, " ", 2)[0] }
	slices.SortStableFunc(got, func(a, b string) int { return strings.Compare(op(a), op(b)) })
	return r.SuiteConfig.ParallelTotal > 1 || slices.Equal(got, want)
}

// childPhases times the steps before the tree one by one, and the heap they leave.
func childPhases() (phases, error) {
	var ph phases
	t0 := time.Now()
	d, err := spec.LoadFile(os.Getenv(envSpec))
	if err != nil {
		return ph, err
	}
	t1 := time.Now()
	ops, err := d.Contracts(context.Background(), spec.Options{})
	if err != nil {
		return ph, err
	}
	t2 := time.Now()
	cases := plan.Build(ops, persona.Fixture())
	t3 := time.Now()
	ph.Load, ph.Select, ph.Build = t1.Sub(t0).Seconds(), t2.Sub(t1).Seconds(), t3.Sub(t2).Seconds()
	ph.Cases = len(cases)
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	ph.HeapMiB = float64(ms.HeapAlloc) / (1 << 20)
	runtime.KeepAlive(d)
	runtime.KeepAlive(cases)
	return ph, nil
}

// childFloor replays recorded requests against a fresh mock: the floor the suite is compared with.
func childFloor() (phases, error) {
	var ph phases
	log, err := readLog(os.Getenv(envLog))
	if err != nil {
		return ph, err
	}
	base, _, stop, err := target()
	if err != nil {
		return ph, err
	}
	defer stop()
	t0 := time.Now()
	if err := replay(base, log, os.Getenv(envClose) == "1"); err != nil {
		return ph, err
	}
	ph.Replay, ph.Requests = time.Since(t0).Seconds(), len(log)
	return ph, nil
}
