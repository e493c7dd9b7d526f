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
	SystemOut  *junitText      `xml:"system-out"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

// junitText is element text written with real line breaks. encoding/xml's ",chardata" writes each
// newline as &#xA;, which parsers accept but makes a multi-line failure unreadable in the raw file,
// the first place many people look. (Decoding needs nothing special.)
type junitText string

func (t junitText) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	return textElement(e, start, string(t))
}

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

// WriteJUnit writes junit.xml: one testsuite "graphconform" with one testcase per requirement.
// tests counts requirements, failures the blocking failures, skipped everything else that did not
// pass (advisory failures, skips, not-applicable, not exercised); errors is always 0.
func WriteJUnit(w io.Writer, r Run) error {
	a := analyze(r)
	s := junitSuite{
		Name:       "graphconform",
		Properties: properties(r),
	}
	if !r.Start.IsZero() {
		// The JUnit schema's timestamp has no zone; UTC keeps it unambiguous.
		s.Timestamp = r.Start.UTC().Format("2006-01-02T15:04:05")
	}
	var specTime time.Duration
	for _, v := range a.Reqs {
		c := junitCase{
			// The name is the requirement ID alone: CI systems key test history on it, and a reworded
			// title must not start a new history. Level, title and source travel as properties.
			Classname: "graphconform." + string(v.Requirement.Area),
			Name:      string(v.Requirement.ID),
			Properties: []junitProperty{{Name: "level", Value: string(v.Requirement.Level)},
				{Name: "title", Value: v.Requirement.Title}, {Name: "source", Value: v.Requirement.Source.String()}},
			Time: seconds(v.Duration),
		}
		specTime += v.Duration
		level := string(v.Requirement.Level)
		switch v.Status {
		case statusFail:
			c.Failure = &junitMessage{Message: level + " not met: " + v.Reason, Type: level, Text: failureText(v)}
			s.Failures++
		case statusAdvisory:
			// Advisory failures must not turn a CI run red, yet must stay visible: skipped with a
			// message CI UIs show, and the full failure in system-out.
			c.Skipped = &junitMessage{Message: "ADVISORY: " + level + " not met: " + v.Reason}
			out := junitText(failureText(v))
			c.SystemOut = &out
			s.Skipped++
		case statusSkip:
			c.Skipped = &junitMessage{Message: v.Reason}
			s.Skipped++
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
		s.Cases = append(s.Cases, junitCase{Classname: "gate", Name: "graphconform setup",
			Error: &junitMessage{Message: r.Error, Type: "setup", Text: r.Error}})
		s.Errors++
	}
	if a.Summary.BlockingFailures == 0 && !a.Summary.Passed() {
		// Nothing was verified: no requirement failed, yet the run must not read as green in CI.
		s.Cases = append(s.Cases, junitCase{Classname: "gate", Name: "graphconform gate",
			Failure: &junitMessage{Message: a.Summary.GateText(), Type: "gate", Text: a.Summary.GateText()}})
		s.Failures++
	}
	s.Tests = len(s.Cases)
	// Suite time is wall-clock when known: specs may run in parallel, so their sum overstates it.
	total := r.Duration()
	if total == 0 {
		total = specTime
	}
	s.Time = seconds(total)
	doc := junitSuites{Name: s.Name, Tests: s.Tests, Failures: s.Failures, Errors: s.Errors, Skipped: s.Skipped, Time: s.Time,
		Suites: []junitSuite{s}}
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
