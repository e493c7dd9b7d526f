// Package report writes what one run of the suite found, in the three forms its readers need:
// report.json for tools (and for merging shards), junit.xml for CI systems, and report.html for a
// person, typically a vendor attaching it to a certification claim.
//
// All three are derived from the same Run, and the per-requirement verdicts come from
// verdict.Summarize, so the gate a report shows is the gate the exit code uses. Everything in a Run
// is already redacted by the caller; the writers only escape, they never look for secrets.
package report

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/graphconform/graphconform/verdict"
)

// Run is everything a report says about one run of the suite.
type Run struct {
	Tool              string `json:"tool"`        // "graphconform"
	Version           string `json:"version"`     // suite version
	Description       string `json:"description"` // OpenAPI description name
	DescriptionSHA256 string `json:"descriptionSha256"`
	// Revision is the permission-table revision the run judged against: "current" / "pre-2021".
	Revision string `json:"revision"`
	// Target is the base URL, already redacted by the caller.
	Target      string            `json:"target"`
	Strict      bool              `json:"strict"`
	LabelFilter string            `json:"labelFilter,omitempty"`
	Shard       string            `json:"shard,omitempty"` // "i/n" of a --shard run, "" otherwise
	Start       time.Time         `json:"start"`
	End         time.Time         `json:"end"`
	Verdicts    []verdict.Verdict `json:"verdicts"`
	// Error says why the run could not judge the target at all (e.g. it was unreachable): a report is
	// still written, so a CI job that uploads junit.xml shows the reason instead of a missing file.
	Error string `json:"error,omitempty"`
	// Unbuilt are the selected operations no spec was built for (not exercised), with their reasons.
	Unbuilt []Unbuilt `json:"unbuilt,omitempty"`
	// Summary is computed by the writer from Verdicts (verdict.Summarize) when marshalled, so a
	// report can never carry a summary that disagrees with its verdicts.
}

// Duration is End-Start, or zero when either is unset or they are out of order: a report should
// show "unknown" rather than a negative or enormous duration.
func (r Run) Duration() time.Duration {
	if r.Start.IsZero() || r.End.IsZero() || r.End.Before(r.Start) {
		return 0
	}
	return r.End.Sub(r.Start)
}

// Merge merges the runs of shards of one suite run into one Run.
//
// Shards must have judged the same thing the same way, or the merged gate would mean nothing: the
// same description (by SHA-256), the same permission-table revision, and, beyond that, the same
// strictness (verdicts carry Blocking computed from it), suite version and target.
//
// Verdicts are concatenated in shard order. When two shards report the same spec (same requirement
// ID, case, operation and persona), one is kept at the position of the first: the non-skip one, and
// between two that ran, the failing one, so a merge can never hide a failure. Start is the earliest
// start, End the latest end (unset times are ignored). The label filter is the union of the shards'
// filters, or empty when any shard ran unfiltered.
func Merge(runs ...Run) (Run, error) {
	if len(runs) == 0 {
		return Run{}, errors.New("report: merge: no runs to merge")
	}
	first := runs[0]
	for i, r := range runs[1:] {
		if err := compatible(first, r, i+2); err != nil {
			return Run{}, err
		}
	}

	out := first
	out.Verdicts, out.Error = nil, ""
	out.Shard = "" // the merge is no longer one shard; which shards it joins is the caller's to check
	out.LabelFilter = mergeFilters(runs)
	out.Unbuilt = mergeUnbuilt(runs)
	type key struct{ id, kase, op, persona string }
	at := map[key]int{}
	for _, r := range runs {
		if out.Description == "" {
			out.Description = r.Description
		}
		if out.Tool == "" {
			out.Tool = r.Tool
		}
		if !r.Start.IsZero() && (out.Start.IsZero() || r.Start.Before(out.Start)) {
			out.Start = r.Start
		}
		if r.End.After(out.End) {
			out.End = r.End
		}
		if r.Error != "" { // a shard that could not judge its target keeps the merged run from passing
			out.Error = strings.TrimPrefix(out.Error+"; "+r.Error, "; ")
		}
		for _, v := range r.Verdicts {
			k := key{string(v.Requirement.ID), v.Case, v.Operation, v.Persona}
			i, dup := at[k]
			if !dup {
				at[k] = len(out.Verdicts)
				out.Verdicts = append(out.Verdicts, v)
				continue
			}
			if mergeRank[v.Outcome] > mergeRank[out.Verdicts[i].Outcome] {
				out.Verdicts[i] = v
			}
		}
	}
	return out, nil
}

// mergeRank orders duplicate verdicts: anything that ran beats a skip, and a failure beats a pass so
// that a flaky spec that failed in one shard still fails the merged run.
var mergeRank = map[verdict.Outcome]int{verdict.Skip: 0, verdict.NotApplicable: 1, verdict.Pass: 2, verdict.Fail: 3}

// compatible explains, naming the shard by its 1-based position, why r cannot merge with first.
func compatible(first, r Run, n int) error {
	mismatch := func(what, a, b string) error {
		return fmt.Errorf("report: merge: shard %d has %s %q but shard 1 has %q; shards of one run must agree", n, what, b, a)
	}
	switch {
	case r.DescriptionSHA256 != first.DescriptionSHA256:
		return mismatch("description SHA-256", first.DescriptionSHA256, r.DescriptionSHA256)
	case r.Revision != first.Revision:
		return mismatch("permission-table revision", first.Revision, r.Revision)
	case r.Strict != first.Strict:
		return mismatch("strict mode", fmt.Sprint(first.Strict), fmt.Sprint(r.Strict))
	case r.Version != first.Version:
		return mismatch("suite version", first.Version, r.Version)
	case r.Target != first.Target:
		return mismatch("target", first.Target, r.Target)
	}
	return nil
}

// mergeFilters is the label filter that selects what the shards selected together.
func mergeFilters(runs []Run) string {
	var distinct []string
	seen := map[string]bool{}
	for _, r := range runs {
		f := strings.TrimSpace(r.LabelFilter)
		if f == "" {
			return "" // one shard ran everything, so the merged run did too
		}
		if !seen[f] {
			seen[f] = true
			distinct = append(distinct, f)
		}
	}
	if len(distinct) == 1 {
		return distinct[0]
	}
	for i, f := range distinct {
		distinct[i] = "(" + f + ")"
	}
	return strings.Join(distinct, " || ")
}
