package bench

import (
	"testing"

	"github.com/graphconform/graphconform/fixtures/mock"
	"github.com/graphconform/graphconform/graphgen"
)

// TestHarness keeps the benchmarks honest without timing anything (make test runs it; it is light):
// the recording replays completely against a fresh mock, leaving nothing behind, and a suite child
// reports every spec of a small generated description, all passed, run in the order registered
// (conformance.Register's order is Ginkgo's own, which keeps Ginkgo's spec sort linear), and the
// shard recipe runs every spec once across the shards against one mock process.
func TestHarness(t *testing.T) {
	path, requests := record(t, 2)
	log, err := readLog(path)
	if err != nil || len(log) != requests || requests == 0 {
		t.Fatalf("recorded %d requests, read %d back: %v", requests, len(log), err)
	}
	m, err := mock.New(mock.Options{EntitySets: graphgen.ForActions(2).MockSets()})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := mock.Start(m)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	for _, closeEach := range []bool{false, true} {
		if err := replay(srv.URL, log, closeEach); err != nil {
			t.Fatal(err)
		}
	}
	if left := len(m.Partners()); left != 0 {
		t.Errorf("the replay left %d entities: its deletes missed their ids", left)
	}

	desc := description(t, 2)
	whole := 0
	for _, share := range []string{"", "1"} {
		env := childEnv("suite", desc, 2)
		env[envShare] = share
		r := execChild(t, env)
		if !r.Passed || r.Specs == 0 || r.Specs != r.Cases || r.Run <= 0 || r.RSSMiB <= 0 || !r.InTreeOrder {
			t.Errorf("suite child (share=%q): %+v\n%s", share, r.phases, r.Output)
		}
		whole = r.Specs
	}

	runs := shardRuns(t, desc, 2, scaleVariant{name: "2shards-one-mock", scale: true, shards: 2, oneMock: true}, t.TempDir())
	if len(runs) != 3 || runs[2].Specs != 0 || runs[2].RSSMiB <= 0 {
		t.Fatalf("want two shard runs and the mock process's: %+v", runs)
	}
	if got := runs[0].Specs + runs[1].Specs; got != whole || runs[0].Specs == 0 || runs[1].Specs == 0 {
		t.Errorf("the shards ran %d + %d specs, the whole run %d", runs[0].Specs, runs[1].Specs, whole)
	}
}
