package conformance

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"

	"github.com/graphconform/graphconform/plan"
)

// Shard is part Index of Total disjoint parts of a run's cases, for spreading one run over CI jobs
// or Kubernetes pods (graphconform run --shard 2/3) and merging their report.json files afterwards
// (graphconform merge). The zero value is the whole run.
//
// A case belongs to shard 1 + h mod Total, where h is the 64-bit FNV-1a hash of its operation ID and
// spec text (unique within an operation). The assignment depends on nothing but the case itself: not
// on the order cases are built in, the other cases, the machine, the Go version or a seed. So every
// process of every job agrees, shards are disjoint and together complete, and adding an operation to
// the description does not move the cases of the others.
type Shard struct {
	Index, Total int
}

// ParseShard reads "i/n" with 1 <= i <= n. "" is the whole run.
func ParseShard(s string) (Shard, error) {
	if strings.TrimSpace(s) == "" {
		return Shard{}, nil
	}
	is, ns, ok := strings.Cut(strings.TrimSpace(s), "/")
	i, err1 := strconv.Atoi(strings.TrimSpace(is))
	n, err2 := strconv.Atoi(strings.TrimSpace(ns))
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 1 || i > n {
		return Shard{}, fmt.Errorf("shard %q: want i/n with 1 <= i <= n, e.g. 2/3", s)
	}
	return Shard{Index: i, Total: n}, nil
}

// String is "i/n", or "" for the whole run.
func (s Shard) String() string {
	if s.Total <= 1 {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.Index, s.Total)
}

// Whole tells whether the shard is the whole run.
func (s Shard) Whole() bool { return s.Total <= 1 }

// Of is the 1-based shard of n that a case belongs to.
func Of(c plan.Case, n int) int {
	if n <= 1 {
		return 1
	}
	h := fnv.New64a()
	h.Write([]byte(c.Operation.ID))
	h.Write([]byte{0}) // separator: ("ab","c") and ("a","bc") must not collide by construction
	h.Write([]byte(c.Text()))
	return int(h.Sum64()%uint64(n)) + 1
}

// Has tells whether the case belongs to this shard.
func (s Shard) Has(c plan.Case) bool { return s.Whole() || Of(c, s.Total) == s.Index }

// Filter keeps the cases of this shard, in their order.
func (s Shard) Filter(cases []plan.Case) []plan.Case {
	if s.Whole() {
		return cases
	}
	out := make([]plan.Case, 0, len(cases)/s.Total+1)
	for _, c := range cases {
		if s.Has(c) {
			out = append(out, c)
		}
	}
	return out
}
