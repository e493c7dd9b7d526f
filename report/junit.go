package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/graphconform/graphconform/requirement"
	"github.com/graphconform/graphconform/verdict"
)

// The JUnit layout has one test case per operation x requirement pair, the pair the gate judges,
// not one per spec: CI UIs track test cases by classname and name across runs, and both are stable
// (classname "graphconform.<operationId>", name "<ID> <catalogue title>": no case text, persona,
// counter or time), unique within a suite (an operation has one row per requirement), readable, and
// start with the ID so a grep or a CI search finds every operation's row of a requirement. A
// requirement no operation has a case of gets one row of classname "graphconform". The specs of a
// pair are listed inside its failure text. docs/usage.md (JUnit) says the same for users.

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr,omitempty"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Classname  string          `xml:"classname,attr"`
	Name       string          `xml:"name,attr"`
	Time       string          `xml:"time,attr"`
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Failure    *junitMessage   `xml:"failure"`
	Error      *junitMessage   `xml:"error"`
	Skipped    *junitMessage   `xml:"skipped"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

// MarshalXML writes the text with real line breaks. encoding/xml's ",chardata" writes each newline
// as &#xA;, which parsers accept but makes a multi-line failure unreadable in the raw file, the
// first place many people look. (Decoding needs nothing special.)
func (m junitMessage) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	start.Attr = append(start.Attr, xml.Attr{Name: xml.Name{Local: "message"}, Value: m.Message})
	if m.Type != "" {
		start.Attr = append(start.Attr, xml.Attr{Name: xml.Name{Local: "type"}, Value: m.Type})
	}
	return textElement(e, start, m.Text)
}

// textElement writes start, text, end. EncodeToken escapes the text (and replaces characters XML
// cannot carry, such as NUL from a binary body) but, unlike ",chardata", keeps newlines as is.
func textElement(e *xml.Encoder, start xml.StartElement, text string) error {
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	if text != "" {
		if err := e.EncodeToken(xml.CharData(text)); err != nil {
			return err
		}
	}
	return e.EncodeToken(start.End())
}

// Names of the two test suites of junit.xml.
const (
	JUnitSuite         = "graphconform"          // the requirements whose failure fails the run, and the gate
	JUnitAdvisorySuite = "graphconform advisory" // the requirements whose failure does not (SHOULD without --strict, MAY)
)

// WriteJUnit writes junit.xml: one testcase per requirement, in two test suites. "graphconform" holds
// the requirements whose level blocks in this mode, plus a case for whatever else fails or stops the
// gate (a setup error, an incomplete run, nothing verified, a failed certification): its failures
// and errors are zero exactly when the gate passes. "graphconform advisory" holds the others; an
// advisory failure is a <failure type="advisory"> there, a failure CI test views count and show as
// one, not a skip, while the job's own status follows the exit code. Not applicable and not
// exercised are <skipped>, told apart by their message and the case's "status" property.
func WriteJUnit(w io.Writer, r Run) error {
	a := analyze(r)
	gate := junitSuite{Name: JUnitSuite, Properties: properties(r)}
	advisory := junitSuite{Name: JUnitAdvisorySuite, Properties: properties(r)}
	if !r.Start.IsZero() {
		// The JUnit schema's timestamp has no zone; UTC keeps it unambiguous.
		gate.Timestamp = r.Start.UTC().Format("2006-01-02T15:04:05")
		advisory.Timestamp = gate.Timestamp
	}
	var gateTime, advisoryTime time.Duration
	for _, row := range junitRows(a) {
		q := row.req
		c := junitCase{
			Classname: row.class,
			Name:      JUnitName(q.ID),
			// Two properties only: at 1,000 operations there are 27,000 test cases. The ID is the name's
			// first word; the requirement's page is linked from the failure text.
			Properties: []junitProperty{{Name: "level", Value: string(q.Level)}, {Name: "status", Value: string(row.status)}},
			Time:       seconds(row.duration),
		}
		s := &gate
		if q.Level.Blocking(r.Strict) {
			gateTime += row.duration
		} else {
			s = &advisory
			advisoryTime += row.duration
		}
		level := string(q.Level)
		switch row.status {
		case statusFail:
			c.Failure = &junitMessage{Message: level + " not met: " + row.reason, Type: level, Text: failureText(q, row.cases, r.Build)}
			s.Failures++
		case statusAdvisory:
			c.Failure = &junitMessage{Message: "ADVISORY: " + level + " not met (does not fail the run): " + row.reason,
				Type: "advisory", Text: failureText(q, row.cases, r.Build)}
			s.Failures++
		case statusNA:
			c.Skipped = &junitMessage{Message: "not applicable: " + row.reason}
			s.Skipped++
		case statusNotExercised:
			c.Skipped = &junitMessage{Message: "not exercised: " + row.reason}
			s.Skipped++
		}
		s.Cases = append(s.Cases, c)
	}
	if r.Error != "" {
		gate.Cases = append(gate.Cases, junitCase{Classname: "gate", Name: "graphconform setup",
			Error: &junitMessage{Message: r.Error, Type: "setup", Text: r.Error}})
		gate.Errors++
	}
	if r.stoppedEarly() {
		// An interrupted or timed-out run is neither a pass nor a conformance failure: an error.
		msg := GateIncomplete + ": " + r.incompleteText()
		gate.Cases = append(gate.Cases, junitCase{Classname: "gate", Name: "graphconform run",
			Error: &junitMessage{Message: msg, Type: "incomplete", Text: a.GateText}})
		gate.Errors++
	}
	if a.Summary.BlockingFailures == 0 && r.Complete() && !a.Passed() {
		// Nothing verified, or a failed certification: no requirement failed, yet CI must not be green.
		gate.Cases = append(gate.Cases, junitCase{Classname: "gate", Name: "graphconform gate",
			Failure: &junitMessage{Message: a.GateText, Type: "gate", Text: a.GateText}})
		gate.Failures++
	}
	// Suite time is wall-clock when known: specs may run in parallel, so their sum overstates it.
	total := r.Duration()
	if total == 0 {
		total = gateTime + advisoryTime
	}
	gate.Time, advisory.Time = seconds(total), seconds(advisoryTime)
	doc := junitSuites{Name: JUnitSuite, Time: gate.Time}
	for _, s := range []junitSuite{gate, advisory} {
		s.Tests = len(s.Cases)
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Errors += s.Errors
		doc.Skipped += s.Skipped
		doc.Suites = append(doc.Suites, s)
	}
	if nb, ok := unbuiltSuite(r); ok {
		doc.Suites = append(doc.Suites, nb)
		doc.Tests, doc.Skipped = doc.Tests+nb.Tests, doc.Skipped+nb.Skipped
	}

	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("report: writing JUnit: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("report: writing JUnit: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("report: writing JUnit: %w", err)
	}
	return nil
}

// properties carry the run metadata, so a CI artefact alone says what was tested, as what, and how:
// the product certified, the suite build, the command line, the selection and each persona's
// account kind and permissions (never a token).
func properties(r Run) []junitProperty {
	ps := []junitProperty{
		{"tool", r.Tool}, {"version", r.Version}, {"description", r.Description},
		{"descriptionSha256", r.DescriptionSHA256}, {"revision", r.Revision}, {"target", r.Target},
		{"strict", strconv.FormatBool(r.Strict)},
		{"moduleVersion", r.Build.Module}, {"commit", r.Build.Commit}, {"commitTime", r.Build.CommitTime},
		{"modified", strconv.FormatBool(r.Build.Modified)},
		{"suite.commit", r.Build.Commit},
	}
	if p := r.Product; p != nil {
		ps = append(ps, junitProperty{"product.vendor", p.Vendor}, junitProperty{"product.name", p.Name},
			junitProperty{"product.version", p.Version}, junitProperty{"product.contact", p.Contact})
	}
	if len(r.CommandLine) > 0 {
		ps = append(ps, junitProperty{"commandLine", commandLine(r.CommandLine)})
	}
	ps = append(ps, junitProperty{"selection", selectionText(r.Selection)})
	if r.LabelFilter != "" {
		ps = append(ps, junitProperty{"labelFilter", r.LabelFilter})
	}
	for _, p := range r.Personas {
		ps = append(ps, junitProperty{"persona." + p.Name, personaText(p)})
	}
	return ps
}

func seconds(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', 3, 64) }

// failureText lists the failing cases of one operation x requirement pair with what a developer
// needs to reproduce them from the CI log alone. Each case is verdict.Verdict.Text, the same
// rendering the console shows; past failuresInFull cases, one line each (report.json has them all),
// so one broken operation cannot make junit.xml too large for a CI system to load.
func failureText(q requirement.Requirement, cases []verdict.Verdict, b Build) string {
	var failed []verdict.Verdict
	for _, c := range cases {
		if c.Outcome == verdict.Fail {
			failed = append(failed, c)
		}
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s\n%d of %d cases failed. What it checks and how to fix it: %s\n", q, len(failed), len(cases), RequirementPageURL(b, q.ID))
	for i, c := range failed {
		if i < failuresInFull {
			sb.WriteString("\n--- " + c.Text())
			continue
		}
		if i == failuresInFull {
			fmt.Fprintf(&sb, "\n%d more failed cases (report.json has each in full):\n", len(failed)-failuresInFull)
		}
		fmt.Fprintf(&sb, "  - %s (persona %s): %s\n", c.Case, c.Persona, firstLine(c.Message))
	}
	return sb.String()
}

// failuresInFull is how many failed cases of one pair junit.xml and report.html show in full.
const failuresInFull = 10

// JUnitName is the JUnit test case name of requirement id: "<ID> <catalogue title>". The catalogue's
// title, not an operation's wording of it, so the name is the same on every operation and run.
func JUnitName(id requirement.ID) string {
	q, ok := requirement.Lookup(id)
	if !ok {
		return string(id)
	}
	return string(id) + " " + q.Title
}

// junitRow is one test case of the requirement suites.
type junitRow struct {
	class    string
	req      requirement.Requirement
	status   status
	reason   string
	cases    []verdict.Verdict
	duration time.Duration
}

// junitRows are the pairs of the matrix, operation by operation in run order, then a row for each
// requirement no operation has a case of (not exercised or not applicable to what was selected).
func junitRows(a analysis) []junitRow {
	byPair := map[cellKey][]verdict.Verdict{}
	for _, v := range a.Run.Verdicts {
		k := cellKey{v.Operation, v.Requirement.ID}
		byPair[k] = append(byPair[k], v)
	}
	var rows []junitRow
	for _, o := range a.Ops {
		class := "graphconform." + o.Operation
		if o.Operation == "" {
			class = "graphconform"
		}
		for _, c := range o.Cells {
			cases := byPair[cellKey{o.Operation, c.Requirement.ID}]
			var d time.Duration
			for _, v := range cases {
				d += v.Duration
			}
			rows = append(rows, junitRow{class: class, req: c.Requirement, status: c.Status, reason: c.Reason, cases: cases, duration: d})
		}
	}
	for _, v := range a.Reqs {
		if len(v.Cases) == 0 {
			rows = append(rows, junitRow{class: "graphconform", req: v.Requirement, status: v.Status, reason: v.Reason})
		}
	}
	return rows
}
