package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// The JUnit layout has one test case per requirement, not per spec: CI UIs track test cases by name
// across runs, and requirement names are stable while generated spec texts are not. The cases of a
// requirement are listed inside its failure text or system-out.

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
	for _, v := range a.Reqs {
		c := junitCase{
			// The name is the requirement ID alone: CI systems key test history on it, and a reworded
			// title must not start a new history. Level, title and source travel as properties.
			Classname: "graphconform." + string(v.Requirement.Area),
			Name:      string(v.Requirement.ID),
			Properties: []junitProperty{{Name: "level", Value: string(v.Requirement.Level)},
				{Name: "title", Value: v.Requirement.Title}, {Name: "source", Value: v.Requirement.Source.String()},
				{Name: "status", Value: string(v.Status)}},
			Time: seconds(v.Duration),
		}
		s := &gate
		if v.Requirement.Level.Blocking(r.Strict) {
			gateTime += v.Duration
		} else {
			s = &advisory
			advisoryTime += v.Duration
		}
		level := string(v.Requirement.Level)
		switch v.Status {
		case statusFail:
			c.Failure = &junitMessage{Message: level + " not met: " + v.Reason, Type: level, Text: failureText(v)}
			s.Failures++
		case statusAdvisory:
			c.Failure = &junitMessage{Message: "ADVISORY: " + level + " not met (does not fail the run): " + v.Reason,
				Type: "advisory", Text: failureText(v)}
			s.Failures++
		case statusNA:
			c.Skipped = &junitMessage{Message: "not applicable: " + v.Reason}
			s.Skipped++
		case statusNotExercised:
			c.Skipped = &junitMessage{Message: "not exercised: " + v.Reason}
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

// properties carry the run metadata, so a CI artefact alone says what was tested and how.
func properties(r Run) []junitProperty {
	ps := []junitProperty{
		{"tool", r.Tool}, {"version", r.Version}, {"description", r.Description},
		{"descriptionSha256", r.DescriptionSHA256}, {"revision", r.Revision}, {"target", r.Target},
		{"strict", strconv.FormatBool(r.Strict)},
		{"moduleVersion", r.Build.Module}, {"commit", r.Build.Commit}, {"commitTime", r.Build.CommitTime},
		{"modified", strconv.FormatBool(r.Build.Modified)},
	}
	if r.LabelFilter != "" {
		ps = append(ps, junitProperty{"labelFilter", r.LabelFilter})
	}
	return ps
}

func seconds(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', 3, 64) }

// failureText lists every failing case of a requirement with what a developer needs to reproduce
// it from the CI log alone. Each case is verdict.Verdict.Text, the same rendering the console shows,
// so a failure reads the same in the log and in the CI UI.
func failureText(v reqView) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%d of %d cases failed.\n", v.Requirement, len(v.Failed), len(v.Cases))
	for _, c := range v.Failed {
		b.WriteString("\n--- " + c.Text())
	}
	return b.String()
}
