package conformance_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/graphconform/graphconform/graphgen"
	"github.com/graphconform/graphconform/persona"
	"github.com/graphconform/graphconform/plan"
	"github.com/graphconform/graphconform/spec"
	"github.com/graphconform/graphconform/suites/conformance"
	"github.com/graphconform/graphconform/verdict"
)

func TestParseShard(t *testing.T) {
	for in, want := range map[string]conformance.Shard{"": {}, "1/1": {1, 1}, "2/3": {2, 3}, " 3 / 3 ": {3, 3}} {
		got, err := conformance.ParseShard(in)
		if err != nil || got != want {
			t.Errorf("ParseShard(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"0/3", "4/3", "3", "a/b", "1/0", "-1/2", "1/2/3", "/"} {
		if s, err := conformance.ParseShard(in); err == nil {
			t.Errorf("ParseShard(%q) = %v, want an error", in, s)
		}
	}
	if s := (conformance.Shard{Index: 2, Total: 3}).String(); s != "2/3" {
		t.Errorf("String() = %q", s)
	}
	if s := (conformance.Shard{Index: 1, Total: 1}).String(); s != "" {
		t.Errorf("1/1 is the whole run, String() = %q", s)
	}
}

// generated builds the cases of a Graph-style description with n actions.
func generated(t *testing.T, n int) []plan.Case {
	t.Helper()
	ops, _, err := graphgen.Operations(n)
	if err != nil {
		t.Fatal(err)
	}
	return plan.Build(ops, persona.Fixture())
}

// Shards are disjoint and complete for every n, and balanced within reason.
func TestShardsPartitionTheCases(t *testing.T) {
	cases := generated(t, 12)
	for n := 1; n <= 7; n++ {
		seen := map[string]int{}
		for i := 1; i <= n; i++ {
			part := conformance.Shard{Index: i, Total: n}.Filter(cases)
			if n > 1 && (len(part) < len(cases)/n*3/5 || len(part) > len(cases)/n*7/5+1) { // hashing: balanced on average
				t.Errorf("shard %d/%d has %d of %d cases: unbalanced", i, n, len(part), len(cases))
			}
			for _, c := range part {
				seen[c.Operation.ID+"\x00"+c.Text()]++
			}
		}
		if len(seen) != len(cases) {
			t.Errorf("n=%d: the shards hold %d distinct cases of %d", n, len(seen), len(cases))
		}
		for k, times := range seen {
			if times != 1 {
				t.Errorf("n=%d: %q is in %d shards", n, k, times)
			}
		}
	}
}

// The assignment depends on the case alone: not on build order, the other cases or the process.
func TestShardAssignmentIsStable(t *testing.T) {
	cases := generated(t, 4)
	shuffled := append([]plan.Case(nil), cases...)
	rand.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	want := map[string]int{}
	for _, c := range cases {
		want[c.Operation.ID+c.Text()] = conformance.Of(c, 5)
	}
	for _, c := range shuffled[:len(shuffled)/2] {
		if got := conformance.Of(c, 5); got != want[c.Operation.ID+c.Text()] {
			t.Errorf("%s %s: shard %d, then %d", c.Operation.ID, c.Text(), want[c.Operation.ID+c.Text()], got)
		}
	}
	// Pinned: a change of the hash or of its key would reshuffle every CI job's shards silently.
	d, err := spec.Default()
	if err != nil {
		t.Fatal(err)
	}
	ops, err := d.Contracts(context.Background(), spec.Options{})
	if err != nil {
		t.Fatal(err)
	}
	counts := [3]int{}
	for _, c := range plan.Build(ops, persona.Fixture()) {
		counts[conformance.Of(c, 3)-1]++
	}
	if counts != pinnedCounts {
		t.Errorf("the shipped description's cases over 3 shards: %v, pinned %v", counts, pinnedCounts)
	}
}

var pinnedCounts = [3]int{22, 26, 24}

func TestPrepareKeepsOneShard(t *testing.T) {
	all, err := conformance.Prepare(context.Background(), conformance.Config{})
	if err != nil {
		t.Fatal(err)
	}
	all.Close()
	total := 0
	for i := 1; i <= 3; i++ {
		p, err := conformance.Prepare(context.Background(), conformance.Config{Shard: conformance.Shard{Index: i, Total: 3}})
		if err != nil {
			t.Fatal(err)
		}
		p.Close()
		total += len(p.Cases)
		for _, c := range p.Cases {
			if conformance.Of(c, 3) != i {
				t.Errorf("shard %d/3 holds %s of shard %d", i, c.Text(), conformance.Of(c, 3))
			}
		}
		if got, want := p.ReportRun(time.Time{}, time.Time{}, nil).Shard, fmt.Sprintf("%d/3", i); got != want {
			t.Errorf("the report of shard %s says shard %q", want, got)
		}
	}
	if total != len(all.Cases) {
		t.Errorf("3 shards hold %d cases, the whole run %d", total, len(all.Cases))
	}
}

// With ShareEntities the cases of an operation create one entity between them, and all still pass
// against the reference mock.
func TestShareEntities(t *testing.T) {
	p, err := conformance.Prepare(context.Background(), conformance.Config{ShareEntities: true, Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	creates := 0
	for _, c := range p.Cases {
		v := c.Execute(context.Background(), p.Env)
		if v.Outcome == verdict.Fail {
			t.Errorf("%s\n%s", c.Text(), v.Text())
		}
		for _, ex := range v.Exchanges {
			if ex.Setup && strings.HasPrefix(ex.Curl, "curl -sS -i -X POST ") { // EFF-001 also PATCHes as setup
				creates++
			}
		}
	}
	if creates != 1 || p.Env.Shared.Len() != 1 {
		t.Errorf("%d creations (%d shared) for one operation, want 1", creates, p.Env.Shared.Len())
	}
	p.Env.Shared.Close()
	if p.Env.Shared.Len() != 0 {
		t.Error("Close kept entities")
	}
}
