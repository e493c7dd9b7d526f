package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"

	"github.com/graphconform/graphconform/requirement"
	"github.com/graphconform/graphconform/verdict"
)

// The page is html/template so that everything the target sent back (bodies, headers) and every
// message quoting it is escaped: a hostile or broken target must not be able to inject markup into
// a report a vendor signs. It is one self-contained file with inline CSS and no script, so it can be
// attached to a claim, archived and printed as is.

//go:embed report.html.tmpl
var htmlSource string

var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"page":  func(id requirement.ID) string { return "" }, // replaced per run in WriteHTML: the link needs the build
	"when":  when,
	"body":  bodyShown,
	"label": func(s status) string { return s.label() },
	"count": func(m map[status]int, s string) int { return m[status(s)] },
	"add1":  func(i int) int { return i + 1 },
	// the unbuilt operations (unbuilt.go)
	"unbuiltCounts": unbuiltCounts,
	"unbuiltNote":   unbuiltNote,
	"join":          strings.Join,
	"short":         func(s status) string { return s.short() },
	"first":         firstLine,
	"inFull":        func(vs []verdict.Verdict) []verdict.Verdict { return vs[:min(len(vs), failuresInFull)] },
	"briefly":       briefly,
}).Parse(htmlSource))

// htmlBodyLimit caps the body shown per exchange. Bodies are already truncated by the caller; this
// only keeps one huge answer from burying the rest of a printed report.
const htmlBodyLimit = 4096

type htmlView struct {
	analysis
	// Badge is the gate's one-line detail under the badge.
	Badge      string
	Incomplete string
	Required   []gap
	StrictMode string
	GateRule   string
	Duration   string
	Statuses   []status
	LevelRows  []levelRow
	Total      levelRow
	Failed     []reqView
	// Selection is the subtitle: what the run selected. CommandLine is the command as one line.
	Selection, CommandLine string
	Matrix                 htmlMatrix
}

// htmlMatrix is the operation x requirement view. At 1,500 operations a full grid is unreadable,
// so the rows with a failure or a gap come first, in full, and the clean ones are only named.
type htmlMatrix struct {
	Operations int
	Columns    []requirement.ID // the requirements any operation has a case of
	Rows       []htmlOpRow
	Clean      []string
}

type htmlOpRow struct {
	Operation string
	Cells     []cell // one per column; Status "" where the operation has no case of it
}

// htmlBriefRows bounds the one-line list of failed cases past the full ones, per requirement.
const htmlBriefRows = 200

type briefList struct {
	Total, Dropped int
	Rows           []verdict.Verdict
}

// briefly is the failed cases of a requirement past those shown in full, at most htmlBriefRows.
func briefly(vs []verdict.Verdict) *briefList {
	if len(vs) <= failuresInFull {
		return nil
	}
	rest := vs[failuresInFull:]
	b := &briefList{Total: len(rest), Rows: rest[:min(len(rest), htmlBriefRows)]}
	b.Dropped = len(rest) - len(b.Rows)
	return b
}

func matrix(a analysis) htmlMatrix {
	m := htmlMatrix{Operations: len(a.Ops)}
	col := map[requirement.ID]int{}
	for _, q := range a.Reqs {
		if len(q.Cases) > 0 {
			col[q.Requirement.ID] = len(m.Columns)
			m.Columns = append(m.Columns, q.Requirement.ID)
		}
	}
	for _, o := range a.Ops {
		if o.Clean {
			m.Clean = append(m.Clean, o.Operation)
			continue
		}
		row := htmlOpRow{Operation: o.Operation, Cells: make([]cell, len(m.Columns))}
		for _, c := range o.Cells {
			if i, ok := col[c.Requirement.ID]; ok {
				row.Cells[i] = c
			}
		}
		m.Rows = append(m.Rows, row)
	}
	return m
}

type levelRow struct {
	Level  requirement.Level
	Counts []int // in Statuses order
	Total  int
}

// WriteHTML writes report.html, the page meant for people.
func WriteHTML(w io.Writer, r Run) error {
	a := analyze(r)
	v := htmlView{
		analysis:    a,
		Badge:       badge(a),
		StrictMode:  requirement.StrictMode(r.Strict),
		GateRule:    requirement.GateRule(),
		Duration:    "unknown",
		Statuses:    statuses,
		Total:       levelRow{Level: "all", Counts: make([]int, len(statuses))},
		Selection:   selectionText(r.Selection),
		CommandLine: commandLine(r.CommandLine),
		Matrix:      matrix(a),
	}
	if d := r.Duration(); d > 0 {
		v.Duration = d.Round(time.Millisecond).String()
	}
	for _, l := range levels {
		row := levelRow{Level: l}
		for i, st := range statuses {
			n := a.ByLevel[l][st]
			row.Counts = append(row.Counts, n)
			row.Total += n
			v.Total.Counts[i] += n
			v.Total.Total += n
		}
		v.LevelRows = append(v.LevelRows, row)
	}
	for _, q := range a.Reqs {
		if q.Status == statusFail || q.Status == statusAdvisory {
			v.Failed = append(v.Failed, q)
		}
	}
	if !r.Complete() {
		// What an incomplete run did not exercise is mostly what it did not reach: the banner says so.
		v.Incomplete = r.incompleteText()
	} else {
		for _, g := range a.Gaps {
			if g.Required {
				v.Required = append(v.Required, g)
			}
		}
	}
	t, err := htmlTemplate.Clone()
	if err != nil {
		return fmt.Errorf("report: writing HTML: %w", err)
	}
	t.Funcs(template.FuncMap{"page": func(id requirement.ID) string { return RequirementPageURL(r.Build, id) }})
	if err := t.Execute(w, v); err != nil {
		return fmt.Errorf("report: writing HTML: %w", err)
	}
	return nil
}

// badge is the line under the gate badge: why it is what it is, in a few words.
func badge(a analysis) string {
	r, s := a.Run, a.Summary
	switch {
	case s.BlockingFailures > 0 && !r.Complete():
		return plural(s.BlockingFailures, "blocking failure") + "; run incomplete"
	case s.BlockingFailures > 0:
		return plural(s.BlockingFailures, "blocking failure")
	case !r.Complete() && r.Specs != nil && r.stoppedEarly():
		return fmt.Sprintf("%d of %d specs ran", r.Specs.Ran, r.Specs.Selected)
	case !r.Complete():
		return "target not judged"
	case s.Verified == 0:
		return "nothing verified"
	case !a.Passed():
		return "certification: " + gapCounts(a.Gaps) + " not exercised"
	}
	if n := gapCounts(a.Gaps); n != "" {
		return n + " not exercised"
	}
	return "0 blocking failures"
}

// gapCounts counts the required gaps by level: "2 MUST", "2 MUST and 1 SHOULD"; "" when none.
func gapCounts(gaps []gap) string {
	var parts []string
	for _, l := range levels {
		n := 0
		for _, g := range gaps {
			if g.Required && g.Level == l {
				n++
			}
		}
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, l))
		}
	}
	return strings.Join(parts, " and ")
}

// when prints a time in UTC with seconds: a claim is read in many time zones.
func when(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

// bodyShown is the body as shown, with a note when it is not the whole body on the wire.
func bodyShown(e verdict.Exchange) string {
	if len(e.Body) > htmlBodyLimit {
		return truncate(e.Body, htmlBodyLimit) // says itself how much it dropped
	}
	if len(e.Body) < e.BodyBytes {
		return e.Body + fmt.Sprintf("\n… [truncated: %d of %d bytes shown]", len(e.Body), e.BodyBytes)
	}
	return e.Body
}
