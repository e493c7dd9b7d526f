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
	"slices"
	"strings"
	"time"

	"github.com/graphconform/graphconform/requirement"
	"github.com/graphconform/graphconform/verdict"
)

// Run is everything a report says about one run of the suite.
type Run struct {
	Tool    string `json:"tool"`    // "graphconform"
	Version string `json:"version"` // suite version
	// Build identifies the binary that ran: two runs of one Version from different commits differ here.
	Build             Build  `json:"build"`
	Description       string `json:"description"` // OpenAPI description name
	DescriptionSHA256 string `json:"descriptionSha256"`
	// Revision is the permission-table revision the run judged against: "current" / "pre-2021".
	Revision string `json:"revision"`
	// Target is the base URL, already redacted by the caller.
	Target string `json:"target"`
	Strict bool   `json:"strict"`
	// Certify records --certify: the gate also fails when a requirement whose level blocks in this
	// mode (MUST; SHOULD too with --strict) was not exercised or did not apply.
	Certify     bool              `json:"certify"`
	LabelFilter string            `json:"labelFilter,omitempty"`
	Shard       string            `json:"shard,omitempty"` // "i/n" of a --shard run, "" otherwise
	Start       time.Time         `json:"start"`
	End         time.Time         `json:"end"`
	Verdicts    []verdict.Verdict `json:"verdicts"`
	// Error says why the run could not judge the target at all (e.g. it was unreachable): a report is
	// still written, so a CI job that uploads junit.xml shows the reason instead of a missing file.
	Error string `json:"error,omitempty"`
	// Specs counts the specs the run selected and those that ran to a verdict; nil when unknown (a
	// run that never started its specs, a report older than the field).
	Specs *Specs `json:"specs,omitempty"`
	// Incomplete says why the run stopped before every selected spec had run: an interrupt (SIGINT,
	// SIGTERM), the run's --timeout, a missing or interrupted shard of a merge. "" when it did not.
	Incomplete string `json:"incomplete,omitempty"`
	// Unbuilt are the selected operations no spec was built for (not exercised), with their reasons.
	Unbuilt []Unbuilt `json:"unbuilt,omitempty"`
	// Inapplicable are the requirements none of the run's operations has a case of, whatever the
	// filters: they do not apply to what was selected (no operation takes a body, none answers with
	// content...). Such a requirement is not applicable, and no gap of a certification.
	Inapplicable []requirement.ID `json:"inapplicable,omitempty"`
	// Throttling is how the run paced itself against the target: cases at once, the throttling
	// answers, and the waiting they cost within its bound; nil when unknown (an older report). A merge
	// carries the shards' figures joined (see mergeThrottling).
	Throttling *Throttling `json:"throttling,omitempty"`
	// Product is what was certified, as the config's product section names it (vendor, product,
	// version, contact); nil when the config has none.
	Product *Product `json:"product,omitempty"`
	// Personas are who the run called the target as: names, account kinds and permissions, never
	// tokens. Derived (fixture) personas are included; a run of thousands lists each once.
	Personas []PersonaInfo `json:"personas,omitempty"`
	// CommandLine is the command that ran (arguments as given, each redacted by the caller), so a
	// reader can repeat the run.
	CommandLine []string `json:"commandLine,omitempty"`
	// Selection names what the run selected (--operation, --path, --tag or select:), "" for all.
	Selection string `json:"selection,omitempty"`
	// Summary is computed by the writer from Verdicts (verdict.Summarize) when marshalled, so a
	// report can never carry a summary that disagrees with its verdicts.
}

// Build is what the go command stamped into the binary (runtime/debug.ReadBuildInfo).
type Build struct {
	// Module is the module version: "v0.1.0" from go install ...@v0.1.0, a pseudo-version (with
	// "+dirty" for uncommitted changes) from a build in a git checkout, "(devel)" when the go command
	// knew no version.
	Module string `json:"module"`
	// Commit is vcs.revision, CommitTime vcs.time (RFC 3339); both "" when the binary was built
	// outside a checkout (go install ...@version, -buildvcs=false).
	Commit     string `json:"commit,omitempty"`
	CommitTime string `json:"commitTime,omitempty"`
	// Modified is vcs.modified: the checkout had uncommitted changes, so Commit alone does not say
	// what ran.
	Modified bool `json:"modified"`
}

// String is the build in one line: "v0.1.0", "(devel) commit 59f5e92 2026-12-01T09:00:00Z modified".
func (b Build) String() string {
	s := b.Module
	if s == "" {
		s = "(unknown)"
	}
	if b.Commit != "" {
		s += " commit " + b.Commit
		if b.CommitTime != "" {
			s += " " + b.CommitTime
		}
		if b.Modified {
			s += " modified"
		}
	}
	return s
}

// Product identifies the implementation a run judged (config: product.vendor, .product, .version,
// .contact), the way a Kubernetes conformance submission pairs its results with a PRODUCT.yaml.
type Product struct {
	Vendor  string `json:"vendor,omitempty"`
	Name    string `json:"product,omitempty"`
	Version string `json:"version,omitempty"`
	Contact string `json:"contact,omitempty"`
}

// PersonaInfo is a persona as reports show it: never its token.
type PersonaInfo struct {
	Name        string   `json:"name"`
	Account     string   `json:"account"`
	Permissions []string `json:"permissions"`
}

// Throttling is a run's pacing (graphconform run --concurrency, --rate, the Retry-After budget).
type Throttling struct {
	// Concurrency is the most cases the run allowed at once (1: one at a time); PeakConcurrency the
	// most that ran at once; Cuts how often throttling halved the limit, down to LowestConcurrency.
	Concurrency       int `json:"concurrency"`
	PeakConcurrency   int `json:"peakConcurrency,omitempty"`
	Cuts              int `json:"cuts,omitempty"`
	LowestConcurrency int `json:"lowestConcurrency,omitempty"`
	// Answers counts the 429 and 503 answers; WaitedSeconds is the wall time the run held its
	// requests for their Retry-After, bounded by BudgetSeconds (0: no bound).
	Answers       int     `json:"answers"`
	WaitedSeconds float64 `json:"waitedSeconds"`
	BudgetSeconds float64 `json:"budgetSeconds"`
	// RequestsPerSecond is the rate cap (0: none); PacedSeconds the time requests waited for it.
	RequestsPerSecond float64 `json:"requestsPerSecond,omitempty"`
	PacedSeconds      float64 `json:"pacedSeconds,omitempty"`
}

// Specs counts a run's specs.
type Specs struct {
	// Selected is how many specs the run meant to run: those its label filter and shard kept.
	Selected int `json:"selected"`
	// Ran is how many of them ran to a verdict (pass, fail, skip or not-applicable).
	Ran int `json:"ran"`
}

// Complete tells whether the run judged everything it selected: it judged its target at all, ran
// every selected spec and was not stopped. Only a complete run can pass its gate.
func (r Run) Complete() bool { return r.Error == "" && !r.stoppedEarly() }

// stoppedEarly: the run started its specs but did not run all of them (or was stopped after).
func (r Run) stoppedEarly() bool {
	return r.Incomplete != "" || (r.Specs != nil && r.Specs.Ran < r.Specs.Selected)
}

// incompleteText says in one line how the run fell short ("" when it is complete).
func (r Run) incompleteText() string {
	var parts []string
	if r.Error != "" {
		parts = append(parts, "the target was not judged: "+firstLine(r.Error))
	}
	if r.Specs != nil && r.stoppedEarly() {
		parts = append(parts, fmt.Sprintf("%d of %d selected specs ran", r.Specs.Ran, r.Specs.Selected))
	}
	if r.Incomplete != "" {
		parts = append(parts, r.Incomplete)
	}
	return strings.Join(parts, ": ")
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
// strictness (verdicts carry Blocking computed from it), certification mode, suite version and target.
//
// Verdicts are concatenated in shard order. When two shards report the same spec (same requirement
// ID, case, operation and persona), one is kept at the position of the first: the non-skip one, and
// between two that ran, the failing one, so a merge can never hide a failure. Start is the earliest
// start, End the latest end (unset times are ignored). The label filter is the union of the shards'
// filters, or empty when any shard ran unfiltered. Specs are summed; a shard that did not judge its
// target, or stopped early, makes the merged run incomplete (Error, Incomplete), so a merge never
// passes where one of its shards did not finish.
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
	out.Verdicts, out.Error, out.Incomplete, out.Specs = nil, "", "", nil
	specs := &Specs{}
	out.Shard = "" // the merge is no longer one shard; which shards it joins is the caller's to check
	out.LabelFilter = mergeFilters(runs)
	out.Unbuilt = mergeUnbuilt(runs)
	out.Inapplicable = mergeInapplicable(runs)
	out.Throttling = mergeThrottling(runs)
	type key struct{ id, kase, op, persona string }
	at := map[key]int{}
	for i, r := range runs {
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
		} else if !r.Complete() { // so does a shard that stopped early: the merge is incomplete too
			out.Incomplete = strings.TrimPrefix(out.Incomplete+"; "+shardName(r, i)+": "+r.incompleteText(), "; ")
		}
		if specs != nil && r.Specs != nil {
			specs.Selected += r.Specs.Selected
			specs.Ran += r.Specs.Ran
		} else {
			specs = nil // one shard that does not say makes the sum unknown
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
	out.Specs = specs
	return out, nil
}

// shardName names a merged run: its shard, or its position among the merged runs.
func shardName(r Run, i int) string {
	if r.Shard != "" {
		return "shard " + r.Shard
	}
	return fmt.Sprintf("run %d", i+1)
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
	case r.Certify != first.Certify:
		return mismatch("certification mode", fmt.Sprint(first.Certify), fmt.Sprint(r.Certify))
	case r.Version != first.Version:
		return mismatch("suite version", first.Version, r.Version)
	case r.Build.Commit != first.Build.Commit:
		return mismatch("suite commit", first.Build.Commit, r.Build.Commit)
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

// mergeInapplicable keeps what is inapplicable to every shard: each computed it over the whole run
// before sharding, so they agree; a requirement one of them has a case of applies.
func mergeInapplicable(runs []Run) []requirement.ID {
	if len(runs) == 0 {
		return nil
	}
	out := append([]requirement.ID(nil), runs[0].Inapplicable...)
	for _, r := range runs[1:] {
		keep := out[:0]
		for _, id := range out {
			if slices.Contains(r.Inapplicable, id) {
				keep = append(keep, id)
			}
		}
		out = keep
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// mergeThrottling joins the shards' pacing. Shards run side by side, each with its own limits, so
// the limits and peaks are the largest of any shard (Concurrency, PeakConcurrency, BudgetSeconds,
// RequestsPerSecond), LowestConcurrency the lowest any shard fell to, and what was spent is summed
// (Cuts, Answers, WaitedSeconds, PacedSeconds: the waiting of all shards, not the merged wall
// time). nil when no shard says; a shard that does not say adds nothing.
func mergeThrottling(runs []Run) *Throttling {
	var out *Throttling
	for _, r := range runs {
		t := r.Throttling
		if t == nil {
			continue
		}
		if out == nil {
			c := *t
			out = &c
			continue
		}
		out.Concurrency = max(out.Concurrency, t.Concurrency)
		out.PeakConcurrency = max(out.PeakConcurrency, t.PeakConcurrency)
		out.BudgetSeconds = max(out.BudgetSeconds, t.BudgetSeconds)
		out.RequestsPerSecond = max(out.RequestsPerSecond, t.RequestsPerSecond)
		if t.LowestConcurrency > 0 && (out.LowestConcurrency == 0 || t.LowestConcurrency < out.LowestConcurrency) {
			out.LowestConcurrency = t.LowestConcurrency
		}
		out.Cuts += t.Cuts
		out.Answers += t.Answers
		out.WaitedSeconds += t.WaitedSeconds
		out.PacedSeconds += t.PacedSeconds
	}
	return out
}
