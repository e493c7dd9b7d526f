package report

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/graphconform/graphconform/verdict"
)

func shard(start, end time.Duration, filter string, vs ...verdict.Verdict) Run {
	r := fixture()
	r.Start, r.End, r.LabelFilter, r.Verdicts = t0.Add(start), t0.Add(end), filter, vs
	return r
}

func TestMergeErrors(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Run)
		want   string
	}{
		{"description", func(r *Run) { r.DescriptionSHA256 = "ff00" }, `shard 2 has description SHA-256 "ff00" but shard 1 has "ab12"`},
		{"revision", func(r *Run) { r.Revision = "pre-2021" }, `shard 2 has permission-table revision "pre-2021" but shard 1 has "current"`},
		{"strict", func(r *Run) { r.Strict = true }, `shard 2 has strict mode "true"`},
		{"version", func(r *Run) { r.Version = "0.2.0" }, `suite version "0.2.0"`},
		{"target", func(r *Run) { r.Target = "https://other.example" }, `target "https://other.example"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := fixture()
			tt.change(&b)
			_, err := Merge(fixture(), b)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
	if _, err := Merge(); err == nil {
		t.Error("merging nothing should fail")
	}
}

func TestMergeDedupe(t *testing.T) {
	passA := v(idPass, "no body", "admin", verdict.Pass, false, "", 0)
	skipA := v(idPass, "no body", "admin", verdict.Skip, false, "persona admin not configured", 0)
	otherPersona := v(idPass, "no body", "app", verdict.Skip, false, "persona app not configured", 0)
	failB := v(idFail, "204 with a body", "admin", verdict.Fail, true, "boom", 0)
	passB := v(idFail, "204 with a body", "admin", verdict.Pass, false, "", 0)
	naC := v(idNA, "qualified", "", verdict.NotApplicable, false, "n/a", 0)
	skipC := v(idNA, "qualified", "", verdict.Skip, false, "skipped", 0)
	onlyB := v(idSkip, "x", "", verdict.Pass, false, "", 0)

	a := shard(time.Second, 5*time.Second, "must", skipA, otherPersona, passB, skipC)
	b := shard(0, 3*time.Second, "should", passA, failB, naC, onlyB)
	before := append([]verdict.Verdict(nil), a.Verdicts...)

	got, err := Merge(a, b)
	if err != nil {
		t.Fatal(err)
	}
	// First-seen order; the non-skip replaces the skip; the failure beats the pass.
	want := []verdict.Verdict{passA, otherPersona, failB, naC, onlyB}
	if !reflect.DeepEqual(got.Verdicts, want) {
		t.Errorf("verdicts:\n got %+v\nwant %+v", got.Verdicts, want)
	}
	if !got.Start.Equal(t0) || !got.End.Equal(t0.Add(5*time.Second)) {
		t.Errorf("span %v..%v", got.Start, got.End)
	}
	if got.LabelFilter != "(must) || (should)" {
		t.Errorf("label filter %q", got.LabelFilter)
	}
	if !reflect.DeepEqual(a.Verdicts, before) {
		t.Error("Merge changed its input")
	}
	// A skip never replaces something that ran, whatever the order.
	got, _ = Merge(b, a)
	if !reflect.DeepEqual(got.Verdicts[0], passA) {
		t.Errorf("skip replaced a pass: %+v", got.Verdicts[0])
	}
	if s := verdict.Summarize(got.Verdicts); s.Passed() {
		t.Error("merged run should fail: one shard saw a blocking failure")
	}
}

func TestMergeFiltersAndTimes(t *testing.T) {
	unset := shard(0, 0, "", v(idPass, "c", "", verdict.Pass, false, "", 0))
	unset.Start, unset.End = time.Time{}, time.Time{}
	tests := []struct {
		name       string
		runs       []Run
		filter     string
		start, end time.Time
	}{
		{"one run", []Run{shard(0, time.Second, "must")}, "must", t0, t0.Add(time.Second)},
		{"same filter", []Run{shard(0, time.Second, "must"), shard(0, 2*time.Second, " must ")}, "must", t0, t0.Add(2 * time.Second)},
		{"one unfiltered", []Run{shard(0, time.Second, "must"), shard(0, time.Second, "")}, "", t0, t0.Add(time.Second)},
		{"unset times ignored", []Run{unset, shard(time.Second, 2*time.Second, "")}, "", t0.Add(time.Second), t0.Add(2 * time.Second)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Merge(tt.runs...)
			if err != nil {
				t.Fatal(err)
			}
			if got.LabelFilter != tt.filter || !got.Start.Equal(tt.start) || !got.End.Equal(tt.end) {
				t.Errorf("got filter %q span %v..%v, want %q %v..%v", got.LabelFilter, got.Start, got.End, tt.filter, tt.start, tt.end)
			}
		})
	}
}

// A merge carries the shards' pacing (it dropped it before): limits and peaks the largest, the
// lowest concurrency the lowest, what was spent summed; a shard that does not say adds nothing.
func TestMergeThrottling(t *testing.T) {
	a, b, c := fixture(), fixture(), fixture()
	a.Throttling = &Throttling{Concurrency: 64, PeakConcurrency: 40, Cuts: 2, LowestConcurrency: 16, Answers: 5,
		WaitedSeconds: 1.5, BudgetSeconds: 60, RequestsPerSecond: 20, PacedSeconds: 0.25}
	b.Throttling = &Throttling{Concurrency: 32, PeakConcurrency: 48, Cuts: 1, LowestConcurrency: 8, Answers: 3,
		WaitedSeconds: 2, BudgetSeconds: 120, RequestsPerSecond: 10, PacedSeconds: 0.5}
	m, err := Merge(a, b, c)
	if err != nil {
		t.Fatal(err)
	}
	want := Throttling{Concurrency: 64, PeakConcurrency: 48, Cuts: 3, LowestConcurrency: 8, Answers: 8,
		WaitedSeconds: 3.5, BudgetSeconds: 120, RequestsPerSecond: 20, PacedSeconds: 0.75}
	if m.Throttling == nil || *m.Throttling != want {
		t.Errorf("merged throttling %+v, want %+v", m.Throttling, want)
	}
	if a.Throttling.Answers != 5 {
		t.Error("the merge changed a shard's figures")
	}
	if m, _ := Merge(c, fixture()); m.Throttling != nil {
		t.Errorf("no shard says, yet the merge has %+v", m.Throttling)
	}
}
