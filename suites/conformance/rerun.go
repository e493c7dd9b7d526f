package conformance

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/graphconform/graphconform/input"
	"github.com/graphconform/graphconform/plan"
	"github.com/graphconform/graphconform/report"
	"github.com/graphconform/graphconform/requirement"
	"github.com/graphconform/graphconform/verdict"
)

// Rerun is a report whose unfinished specs a run repeats (graphconform run --rerun report.json).
type Rerun struct {
	// File is the report.json read, as given (a directory names the report.json in it).
	File string
	Run  report.Run
}

// RerunPlan is what a rerun selected from its report.
type RerunPlan struct {
	File string
	// Selected is how many of this build's specs the rerun runs (before --shard).
	Selected int
	// Gone are the specs the report names to rerun that this build no longer has, in the report's
	// order ("DISC-001 no body (op, persona)").
	Gone []string
	// Passed counts the report's verdicts the rerun leaves alone: passed or not applicable.
	Passed int
	// Incomplete: the report's run stopped early, so the specs it selected but never ran are rerun
	// too.
	Incomplete bool
}

// ReadReport reads a report.json (or the report.json in a directory) as report.ReadJSON does: only
// a file this build would write, checked against the schema and its own verdicts. The error is one
// line naming the file; the path returned is the file read.
func ReadReport(path string) (report.Run, string, error) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		path = filepath.Join(path, report.JSONFile)
	}
	// Read whole, then decoded: an endless input is refused at about the limit's worth of memory,
	// where a decoder's doubling buffer would reach three times that.
	data, err := input.ReadFile(path, input.Report, "report.json files")
	if err != nil {
		return report.Run{}, path, err
	}
	r, err := report.ReadJSON(bytes.NewReader(data))
	var invalid *report.InvalidError
	switch {
	case errors.As(err, &invalid):
		return report.Run{}, path, fmt.Errorf("%s: %s (report.json schema: graphconform schema report)", path, invalid.Brief())
	case err != nil:
		return report.Run{}, path, fmt.Errorf("%s: %v", path, err)
	}
	return r, path, nil
}

// ReadRerun reads the report a rerun repeats.
func ReadRerun(path string) (*Rerun, error) {
	if strings.TrimSpace(path) == "" {
		return nil, nil
	}
	r, file, err := ReadReport(path)
	if err != nil {
		return nil, err
	}
	if r.Tool != "graphconform" {
		return nil, fmt.Errorf("%s: tool %q: not a report of graphconform run", file, r.Tool)
	}
	return &Rerun{File: file, Run: r}, nil
}

// specKey names a spec across builds and runs: the identity fields of its verdict, which every
// report keeps for every spec (a slimmed report may drop a pass's exchanges and message, never these).
type specKey struct {
	id                requirement.ID
	kase, op, persona string
}

func verdictKey(v verdict.Verdict) specKey {
	return specKey{v.Requirement.ID, v.Case, v.Operation, v.Persona}
}

func caseKey(c *plan.Case) specKey {
	return specKey{c.Requirement.ID, c.Name, c.Operation.ID, c.VerdictPersona()}
}

// textKey names a spec by operation and spec text: the form of a verdict the suite made up for a
// spec that ended without one (a panic), whose case is the spec text and whose persona is unknown.
type textKey struct{ op, text string }

// reruns tells whether a verdict's spec is rerun: it failed (blocking or advisory) or was skipped
// (not exercised). A pass, and a not-applicable (what the target answered or the contract declares
// gave the check nothing to judge), ran to a verdict that is no failure and no gap of the gate.
func reruns(o verdict.Outcome) bool { return o != verdict.Pass && o != verdict.NotApplicable }

// rerun keeps the cases of all that the rerun's report did not see pass; without a rerun, all.
// Its refusals come before anything is sent: another description, --certify, an incomplete report
// whose selection cannot be repeated.
func (p *Prepared) rerun(all []plan.Case) ([]plan.Case, error) {
	rr := p.Config.Meta.Rerun
	if rr == nil {
		return all, nil
	}
	r := rr.Run
	if p.Config.Certify {
		return nil, fmt.Errorf("--rerun %s: a rerun runs part of a run, which cannot certify; drop --certify (--certify=false over a config file's run.certify): a certification is one whole run", rr.File)
	}
	if sums := p.descriptionSums(); r.DescriptionSHA256 != sums {
		return nil, fmt.Errorf("--rerun %s: the report judged the description %s (SHA-256 %s), this run loads %s (SHA-256 %s); a rerun repeats specs of the same description: give the same --spec, or run it whole",
			rr.File, orNone(r.Description), short(r.DescriptionSHA256), p.descriptionNames(), short(sums))
	}
	rp := &RerunPlan{File: rr.File, Incomplete: !r.Complete()}
	byKey := make(map[specKey]bool, len(all))
	byText := make(map[textKey]bool, len(all))
	for i := range all {
		byKey[caseKey(&all[i])] = true
		byText[textKey{all[i].Operation.ID, all[i].Text()}] = true
	}
	want, wantText := map[specKey]bool{}, map[textKey]bool{}
	done := map[specKey]bool{}
	for _, v := range r.Verdicts {
		k, tk := verdictKey(v), textKey{v.Operation, v.Case}
		if !reruns(v.Outcome) {
			rp.Passed++
			done[k] = true
			continue
		}
		switch {
		case byKey[k]:
			want[k] = true
		case v.Persona == "" && byText[tk]:
			wantText[tk] = true
		default:
			rp.Gone = append(rp.Gone, describeKey(k))
		}
	}
	keep := func(c *plan.Case) bool {
		return want[caseKey(c)] || wantText[textKey{c.Operation.ID, c.Text()}]
	}
	if rp.Incomplete {
		selectedThen, err := p.selectedBy(r)
		if err != nil {
			return nil, fmt.Errorf("--rerun %s: %v", rr.File, err)
		}
		keep = func(c *plan.Case) bool { return selectedThen(c) && !done[caseKey(c)] }
	}
	var out []plan.Case
	for i := range all {
		if keep(&all[i]) {
			out = append(out, all[i])
		}
	}
	rp.Selected = len(out)
	p.Rerun = rp
	return out, nil
}

// selectedBy is the selection of an incomplete report's run, to find the specs it selected but
// never ran: its label filter and shard, recorded in the report, over this run's operations, which
// must be selected as the report's were.
func (p *Prepared) selectedBy(r report.Run) (func(*plan.Case) bool, error) {
	if strings.Contains(r.Selection, rerunWords) {
		return nil, errors.New("the report is of a rerun that stopped early, whose specs cannot be found again; rerun the report it reran")
	}
	if now := p.selectionWords(); r.Selection != now {
		return nil, fmt.Errorf("the report's run stopped early and selected %s, this run selects %s; give the same --operation, --path, --tag (or select:) so the specs it never ran can be found",
			orAll(r.Selection), orAll(now))
	}
	labels := func([]string) bool { return true }
	if strings.TrimSpace(r.LabelFilter) != "" {
		f, err := types.ParseLabelFilter(r.LabelFilter)
		if err != nil {
			return nil, fmt.Errorf("the report's label filter %q: %v", r.LabelFilter, err)
		}
		labels = f
	}
	shards, total, err := reportShards(r.Shard)
	if err != nil {
		return nil, err
	}
	return func(c *plan.Case) bool {
		return labels(caseLabels(c)) && (total <= 1 || shards[Of(*c, total)])
	}, nil
}

// reportShards reads a report's shard: "" (the whole run), "i/n", or a partial merge's "i,j/n".
func reportShards(s string) (map[int]bool, int, error) {
	if s == "" {
		return nil, 0, nil
	}
	list, ns, ok := strings.Cut(s, "/")
	n, err := strconv.Atoi(ns)
	bad := fmt.Errorf("the report's shard %q is not i/n or i,j/n", s)
	if !ok || err != nil || n < 1 {
		return nil, 0, bad
	}
	out := map[int]bool{}
	for _, is := range strings.Split(list, ",") {
		i, err := strconv.Atoi(is)
		if err != nil || i < 1 || i > n {
			return nil, 0, bad
		}
		out[i] = true
	}
	return out, n, nil
}

// rerunWords starts a rerun's part of the report's selection.
const rerunWords = "rerun of "

// selectionWords is the selection as reports show it: "" for every operation, else the selector
// in words, then what a rerun chose.
func (p *Prepared) selectionWords() string {
	if s := p.Config.Select; len(s.OperationIDs)+len(s.Paths)+len(s.Tags) > 0 {
		return s.String()
	}
	return ""
}

// Selection is the report's selection: the operations selected, and a rerun's report and count.
func (p *Prepared) Selection() string {
	words := p.selectionWords()
	if p.Rerun == nil {
		return words
	}
	r := fmt.Sprintf("%s%s: %s", rerunWords, p.Rerun.File, specCount(p.Rerun.Selected))
	if words == "" {
		return r
	}
	return words + "; " + r
}

// RerunSummary is the console's account of a rerun, one line each: what it runs, and the specs of
// its report this build no longer has. "" when the run is no rerun.
func (p *Prepared) RerunSummary() string {
	rp := p.Rerun
	if rp == nil {
		return ""
	}
	var b strings.Builder
	what := "failed or skipped there"
	if rp.Incomplete {
		what = "failed, skipped or never ran there (the run stopped early)"
	}
	if rp.Selected > 0 { // else NothingToRerun says so
		fmt.Fprintf(&b, "graphconform rerun of %s: %s %s; %d passed or not applicable are left alone\n", rp.File, specCount(rp.Selected), what, rp.Passed)
	}
	if n := len(rp.Gone); n > 0 {
		shown := rp.Gone
		if n > 3 {
			shown = shown[:3]
		}
		more := ""
		if n > 3 {
			more = fmt.Sprintf(" and %d more", n-3)
		}
		fmt.Fprintf(&b, "graphconform rerun: %s of %s not in this build (requirement, case, operation or persona changed), not rerun: %s%s\n",
			specCount(n), rp.File, strings.Join(shown, "; "), more)
	}
	return p.Redactor.String(b.String())
}

// NothingToRerun is the line and the gate of a rerun whose report left nothing to run, "" when
// there is something: PASS when the report's gate passed, else the report's gate, which no rerun
// can change (e.g. nothing was verified there).
func (p *Prepared) NothingToRerun() (string, string) {
	if p.Rerun == nil || p.Rerun.Selected > 0 {
		return "", ""
	}
	gate, text := report.Gate(p.Config.Meta.Rerun.Run)
	line := fmt.Sprintf("graphconform rerun: nothing to rerun: no spec of %s failed, was skipped or went unrun (%d passed or not applicable); nothing was sent", p.Rerun.File, p.Rerun.Passed)
	if len(p.Rerun.Gone) > 0 {
		line += fmt.Sprintf(" (%s it named are not in this build)", specCount(len(p.Rerun.Gone)))
	}
	if gate != report.GatePass {
		line += "; but its gate is " + text + ", which a rerun cannot change: run it whole"
	}
	return p.Redactor.String(line), gate
}

func describeKey(k specKey) string {
	s := string(k.id) + " " + k.kase + " (" + k.op
	if k.persona != "" {
		s += ", " + k.persona
	}
	return s + ")"
}

func specCount(n int) string {
	if n == 1 {
		return "1 spec"
	}
	return strconv.Itoa(n) + " specs"
}

func (p *Prepared) descriptionSums() string {
	var sums []string
	for _, d := range p.Descriptions {
		sums = append(sums, d.SHA256)
	}
	return strings.Join(sums, ",")
}

func (p *Prepared) descriptionNames() string {
	var names []string
	for _, d := range p.Descriptions {
		names = append(names, d.Name)
	}
	return strings.Join(names, ", ")
}

// short is a SHA-256 list cut for a one-line error: the first 12 hex digits of each.
func short(sums string) string {
	parts := strings.Split(sums, ",")
	for i, s := range parts {
		if len(s) > 12 {
			parts[i] = s[:12] + "…"
		}
	}
	return strings.Join(parts, ",")
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func orAll(s string) string {
	if s == "" {
		return "every operation"
	}
	return strconv.Quote(s)
}
