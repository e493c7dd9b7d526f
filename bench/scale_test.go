package bench

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/graphconform/graphconform/spec"
)

// envScale overrides the sizes of BenchmarkScale, e.g. GRAPHCONFORM_BENCH_SCALE=100,1000.
const envScale = "GRAPHCONFORM_BENCH_SCALE"

func scaleSizes(b *testing.B) []int {
	spec := os.Getenv(envScale)
	if spec == "" {
		spec = "100,1000,5000"
	}
	var out []int
	for _, f := range strings.Split(spec, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			b.Fatalf("%s=%q: want a comma-separated list of action counts", envScale, spec)
		}
		out = append(out, n)
	}
	return out
}

// BenchmarkScale runs generated Graph-style descriptions of N actions (shared cross-referenced
// component schemas, discriminator mapping, 4XX/5XX error refs) against the reference mock serving
// all their entity sets. For each N, one child times load, select and building the cases (phases),
// then whole-suite children report prepare (load+select+cases), tree, run, wall, the peak RSS of
// the largest process and the sum over processes. Every child of one N shares a fresh contract
// cache (spec.LoadContracts), so the first variant parses the description and the others decode:
//
//   - cold:      the scale profile below, one process, cache empty (what a first run costs);
//   - isolated:  the defaults, one entity per spec (3 requests per spec), every exchange kept;
//   - shared:    the scale profile, --share-entities --exchanges failures, one process;
//   - 2shards:   the same as two shard processes side by side (one per core), each with its mock in
//     process like the single-process variants; wall is the slower shard;
//   - 2shards-memlimit: the same with GOMEMLIMIT=900MiB in each shard (Go's soft heap limit);
//   - 2shards-one-mock: 2shards-memlimit against one mock process, the recipe of docs/scale.md
//     (graphconform mock, then run --shard i/2 against it: shards must judge one target to be
//     merged); the RSS sum includes the mock process.
func BenchmarkScale(b *testing.B) {
	for _, n := range scaleSizes(b) {
		specPath := description(b, n)
		fi, err := os.Stat(specPath)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("actions=%d/phases", n), func(b *testing.B) {
			var load, sel, build, rss, heap float64
			for b.Loop() {
				r := execChild(b, childEnv("phases", specPath, n))
				load, sel, build, rss, heap = load+r.Load, sel+r.Select, build+r.Build, rss+r.RSSMiB, heap+r.HeapMiB
				b.ReportMetric(float64(r.Cases), "cases")
			}
			b.ReportMetric(float64(fi.Size())/(1<<20), "file-MiB")
			mean(b, load, "load-s")
			mean(b, sel, "select-s")
			mean(b, build, "build-s")
			mean(b, heap, "heap-MiB")
			mean(b, rss, "rss-MiB")
		})
		cache, warmed := b.TempDir(), false
		for _, v := range []scaleVariant{
			{name: "cold", scale: true, shards: 1, coldCache: true},
			{name: "isolated", shards: 1},
			{name: "shared", scale: true, shards: 1},
			{name: "2shards", scale: true, shards: 2},
			{name: "2shards-memlimit", scale: true, shards: 2, memLimit: "900MiB"},
			{name: "2shards-one-mock", scale: true, shards: 2, memLimit: "900MiB", oneMock: true},
		} {
			b.Run(fmt.Sprintf("actions=%d/%s", n, v.name), func(b *testing.B) {
				var wall, prepare, tree, run, rss, rssSum, cpu float64
				specs := 0
				for b.Loop() {
					dir := cache // the first run of all fills it: "cold" is that run, the rest are warm
					if v.coldCache && warmed {
						dir = b.TempDir()
					}
					warmed = true
					runs := shardRuns(b, specPath, n, v, dir)
					specs = 0
					var w time.Duration
					var p, t, r, m, sum float64
					for _, c := range runs {
						specs += c.Specs
						w, p, t, r, m = max(w, c.Wall), max(p, c.Prepare), max(t, c.Tree), max(r, c.Run), max(m, c.RSSMiB)
						sum += c.RSSMiB
						cpu += c.CPU.Seconds()
					}
					wall, prepare, tree, run, rss, rssSum = wall+w.Seconds(), prepare+p, tree+t, run+r, rss+m, rssSum+sum
				}
				b.ReportMetric(float64(specs), "specs")
				mean(b, wall, "wall-s")
				mean(b, prepare, "prepare-s")
				mean(b, tree, "tree-s")
				mean(b, run, "run-s")
				mean(b, rss, "rss-MiB")
				mean(b, rssSum, "rss-sum-MiB")
				mean(b, cpu, "cpu-s") // all processes
			})
		}
	}
}

// scaleVariant is one way of running the whole suite in BenchmarkScale.
type scaleVariant struct {
	name      string
	scale     bool // the scale profile: --share-entities --exchanges failures
	shards    int
	coldCache bool   // a fresh, empty contract cache
	memLimit  string // GOMEMLIMIT of each process; "" leaves Go's default (none)
	oneMock   bool   // the shards judge one mock process instead of one mock each in process
}

// shardRuns runs the suite as v.shards concurrent child processes (1: one unsharded child), all
// with the contract cache in cache, each with its mock in process; with v.oneMock they judge one
// mock process started first instead, whose peak RSS is returned as one more run without specs.
func shardRuns(b testing.TB, specPath string, n int, v scaleVariant, cache string) (runs []childRun) {
	runs = make([]childRun, v.shards)
	errs := make([]error, v.shards)
	var base string
	if v.oneMock {
		m, err := startMock(n)
		if err != nil {
			b.Fatal(err)
		}
		defer func() {
			if err := m.stop(); err != nil {
				b.Errorf("the mock process: %v", err)
			}
			runs = append(runs, childRun{RSSMiB: m.rssMiB()})
		}()
		base = m.URL
	}
	var wg sync.WaitGroup
	for i := range runs {
		env := childEnv("suite", specPath, n)
		if base != "" {
			env[envBase] = base
		}
		env[spec.CacheEnv] = cache
		if v.scale {
			env[envShare], env[envExch] = "1", "failures"
		}
		if v.memLimit != "" {
			env["GOMEMLIMIT"] = v.memLimit
		}
		if v.shards > 1 {
			env[envShard] = fmt.Sprintf("%d/%d", i+1, v.shards)
		}
		dir := b.TempDir()
		wg.Add(1)
		go func() {
			defer wg.Done()
			runs[i], errs[i] = spawn(dir, env)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil || !runs[i].Passed {
			b.Fatalf("suite child %d/%d: %v\n%s", i+1, v.shards, err, runs[i].Output)
		}
	}
	return runs
}
