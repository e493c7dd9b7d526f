package runner

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/graphconform/graphconform/report"
	"github.com/graphconform/graphconform/requirement"
	"github.com/graphconform/graphconform/verdict"
)

// verdictSet is a run's verdicts as comparable lines: requirement, case, operation, persona, outcome.
func verdictSet(vs []verdict.Verdict) []string {
	var out []string
	for _, v := range vs {
		out = append(out, fmt.Sprintf("%s|%s|%s|%s|%s", v.Requirement.ID, v.Case, v.Operation, v.Persona, v.Outcome))
	}
	sort.Strings(out)
	return out
}

// Three shards of a run, merged, judge exactly what the unsharded run judges: the shards are
// disjoint and complete, and graphconform merge exits like run.
func TestShardsMergeToTheWholeRun(t *testing.T) {
	t.Parallel()
	// Shards of one run judge one target: a mock all of them call (the embedded one is a new port
	// per process, and report.Merge refuses shards that name different targets).
	cfg, _ := startMock(t)
	root := t.TempDir()
	whole := child(t, nil, "run", "--config", cfg, "--report-dir", filepath.Join(root, "whole"))
	if whole.code != exitOK {
		t.Fatalf("unsharded run: %s", whole)
	}
	var dirs []string
	seen := map[string]string{}
	for i := 1; i <= 3; i++ {
		dir := filepath.Join(root, fmt.Sprintf("shard%d", i))
		r := child(t, nil, "run", "--config", cfg, "--shard", fmt.Sprintf("%d/3", i), "--report-dir", dir)
		if r.code != exitOK {
			t.Fatalf("shard %d/3: %s", i, r)
		}
		run := readRun(t, dir)
		if run.Shard != fmt.Sprintf("%d/3", i) || len(run.Verdicts) == 0 {
			t.Errorf("shard %d/3 report: shard %q, %d verdicts", i, run.Shard, len(run.Verdicts))
		}
		for _, line := range verdictSet(run.Verdicts) {
			if prev, dup := seen[line]; dup {
				t.Errorf("%s is in shards %s and %d", line, prev, i)
			}
			seen[line] = fmt.Sprint(i)
		}
		dirs = append(dirs, dir)
	}
	out := filepath.Join(root, "merged")
	r := child(t, nil, append([]string{"merge", "-o", out}, dirs...)...)
	if r.code != exitOK || !strings.Contains(r.stdout, "graphconform gate: PASS") {
		t.Fatalf("merge: %s", r)
	}
	merged, want := readRun(t, out), readRun(t, filepath.Join(root, "whole"))
	if got, wantSet := verdictSet(merged.Verdicts), verdictSet(want.Verdicts); strings.Join(got, "\n") != strings.Join(wantSet, "\n") {
		t.Errorf("merged verdicts differ from the unsharded run's:\n%s\n--- want\n%s", strings.Join(got, "\n"), strings.Join(wantSet, "\n"))
	}
	if merged.Shard != "" {
		t.Errorf("a complete merge says shard %q", merged.Shard)
	}
	for _, f := range []string{report.JSONFile, report.JUnitFile, report.HTMLFile} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
}

// shardFile writes a report.json of a synthetic shard.
func shardFile(t *testing.T, shard, sha string, outcome verdict.Outcome, id requirement.ID) string {
	t.Helper()
	req := requirement.MustLookup(id)
	run := report.Run{Tool: "graphconform", Version: "0.1.0", DescriptionSHA256: sha, Revision: "current", Target: "http://127.0.0.1:1/v1.0",
		Shard: shard, Start: time.Unix(1, 0), End: time.Unix(2, 0),
		Verdicts: []verdict.Verdict{{Requirement: req, Case: "case " + shard, Operation: "op", Outcome: outcome,
			Blocking: outcome == verdict.Fail && req.Level == requirement.Must}}}
	dir := filepath.Join(t.TempDir(), "r")
	if err := report.WriteAll(dir, run); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, report.JSONFile)
}

func TestMergeRefusals(t *testing.T) {
	t.Parallel()
	pass := func(shard string) string { return shardFile(t, shard, "aa", verdict.Pass, "DISC-001") }
	out := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no -o", []string{"merge", pass("1/2")}, exitUsage, "-o DIR is required"},
		{"no reports", []string{"merge", "-o", out}, exitUsage, "no reports given"},
		{"unreadable", []string{"merge", "-o", out, filepath.Join(out, "nope.json")}, exitConfig, "nope.json"},
		{"missing shard", []string{"merge", "-o", out, pass("1/3"), pass("3/3")}, exitConfig, "shard 2/3 missing"},
		{"twice", []string{"merge", "-o", out, pass("1/2"), pass("1/2"), pass("2/2")}, exitConfig, "given twice"},
		{"other n", []string{"merge", "-o", out, pass("1/2"), pass("2/3")}, exitConfig, "share n"},
		{"whole and shard", []string{"merge", "-o", out, pass(""), pass("1/2")}, exitConfig, "whole run"},
		{"other description", []string{"merge", "-o", out, pass("1/2"), shardFile(t, "2/2", "bb", verdict.Pass, "DISC-001")}, exitConfig, "description SHA-256"},
		{"failing shard", []string{"merge", pass("1/2"), "-o", out, shardFile(t, "2/2", "aa", verdict.Fail, "DISC-001")}, exitFail, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := inProcess(tc.args...)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d\n%s", r.code, tc.code, r)
			}
			if tc.want != "" {
				oneLine(t, r, tc.want)
			}
		})
	}

	dir := filepath.Join(t.TempDir(), "partial")
	r := inProcess("merge", "--allow-partial", "-o", dir, pass("1/3"), pass("3/3"))
	// The missing shard's specs never ran: the merge is INCOMPLETE, never a PASS.
	if r.code != exitIncomplete || !strings.Contains(r.stdout, "graphconform gate: INCOMPLETE (not merged: shard 2/3)") {
		t.Fatalf("partial merge: %s", r)
	}
	if got := readRun(t, dir).Shard; got != "1,3/3" {
		t.Errorf("partial merge records shard %q, want 1,3/3", got)
	}
}
