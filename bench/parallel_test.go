package bench

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/graphconform/graphconform/fixtures/mock"
	"github.com/graphconform/graphconform/graphgen"
)

var (
	ginkgoOnce sync.Once
	ginkgoBin  string
	ginkgoErr  error
)

// ginkgoCLI builds the ginkgo CLI pinned in go.mod (tool directive) once per benchmark process:
// parallel Ginkgo needs the CLI's server, which a test binary alone cannot provide.
func ginkgoCLI(b *testing.B) string {
	ginkgoOnce.Do(func() {
		dir, err := os.MkdirTemp("", "graphconform-bench-ginkgo")
		if err != nil {
			ginkgoErr = err
			return
		}
		ginkgoBin = filepath.Join(dir, "ginkgo")
		out, err := exec.Command("go", "build", "-o", ginkgoBin, "github.com/onsi/ginkgo/v2/ginkgo").CombinedOutput()
		if err != nil {
			ginkgoErr = fmt.Errorf("building the ginkgo CLI: %v\n%s", err, out)
		}
	})
	if ginkgoErr != nil {
		b.Fatal(ginkgoErr)
	}
	return ginkgoBin
}

// slowTarget serves the reference mock for n generated actions on 127.0.0.1, each answer delayed by
// latency: a remote service as the suite sees it.
func slowTarget(b *testing.B, n int, latency time.Duration) string {
	m, err := mock.New(mock.Options{EntitySets: graphgen.ForActions(n).MockSets()})
	if err != nil {
		b.Fatal(err)
	}
	srv, err := mock.Start(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(latency)
		m.ServeHTTP(w, r)
	}))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { srv.Close() })
	return srv.URL
}

// BenchmarkParallel runs the suite through `ginkgo run --procs N` (the CLI pinned in go.mod, on this
// test binary) against a target answering after 20 ms, and against one answering at once. Every
// process builds the same tree and sends its share of the specs; wall-s is the CLI's whole run.
func BenchmarkParallel(b *testing.B) {
	cli := ginkgoCLI(b)
	for _, v := range []struct {
		latency time.Duration
		actions int
		procs   []int
	}{
		{20 * time.Millisecond, 4, []int{1, 2, 4, 8, 16}},
		{0, overheadActions, []int{1, 2, 4}},
	} {
		specPath := description(b, v.actions)
		base := slowTarget(b, v.actions, v.latency)
		for _, procs := range v.procs {
			b.Run(fmt.Sprintf("latency=%s/procs=%d", v.latency, procs), func(b *testing.B) {
				env := childEnv("suite", specPath, v.actions)
				env[envBase] = base
				var wall float64
				for b.Loop() {
					r := execChild(b, env, cli, "run", "--procs="+strconv.Itoa(procs), "--no-color", "--succinct", os.Args[0])
					wall += r.Wall.Seconds()
				}
				mean(b, wall, "wall-s")
			})
		}
	}
}
