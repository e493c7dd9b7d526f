package bench

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
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
// then whole-suite children report prepare (load+select+cases), tree, run, wall and peak RSS:
//
//   - isolated: the default, one entity per spec (3 requests per spec);
//   - shared:   --share-entities, one entity per operation (1 request per spec);
//   - shared-2shards: the same as two shard processes side by side (one per core), the local form
//     of spreading a run over CI jobs; wall is the slower shard, RSS the larger one.
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
		for _, v := range []struct {
			name   string
			share  bool
			shards int
		}{{"isolated", false, 1}, {"shared", true, 1}, {"shared-2shards", true, 2}} {
			b.Run(fmt.Sprintf("actions=%d/%s", n, v.name), func(b *testing.B) {
				var wall, prepare, tree, run, rss float64
				specs := 0
				for b.Loop() {
					runs := shardRuns(b, specPath, n, v.share, v.shards)
					specs = 0
					var w time.Duration
					var p, t, r, m float64
					for _, c := range runs {
						specs += c.Specs
						w, p, t, r, m = max(w, c.Wall), max(p, c.Prepare), max(t, c.Tree), max(r, c.Run), max(m, c.RSSMiB)
					}
					wall, prepare, tree, run, rss = wall+w.Seconds(), prepare+p, tree+t, run+r, rss+m
				}
				b.ReportMetric(float64(specs), "specs")
				mean(b, wall, "wall-s")
				mean(b, prepare, "prepare-s")
				mean(b, tree, "tree-s")
				mean(b, run, "run-s")
				mean(b, rss, "rss-MiB")
			})
		}
	}
}

// shardRuns runs the suite as `shards` concurrent child processes (1: one unsharded child).
func shardRuns(b *testing.B, specPath string, n int, share bool, shards int) []childRun {
	runs := make([]childRun, shards)
	errs := make([]error, shards)
	var wg sync.WaitGroup
	for i := range runs {
		env := childEnv("suite", specPath, n)
		if share {
			env[envShare] = "1"
		}
		if shards > 1 {
			env[envShard] = fmt.Sprintf("%d/%d", i+1, shards)
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
			b.Fatalf("suite child %d/%d: %v\n%s", i+1, shards, err, runs[i].Output)
		}
	}
	return runs
}
