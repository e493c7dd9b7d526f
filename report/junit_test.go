package report

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/graphconform/graphconform/requirement"
)

// decodeJUnit parses junit.xml with encoding/xml, which also proves it well-formed.
func decodeJUnit(t *testing.T, r Run) (junitSuites, string) {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteJUnit(&buf, r); err != nil {
		t.Fatal(err)
	}
	var doc junitSuites
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("junit.xml is not well-formed: %v\n%s", err, buf.String())
	}
	if len(doc.Suites) != 1 || doc.Suites[0].Name != "graphconform" {
		t.Fatalf("want one testsuite named graphconform, got %+v", doc.Suites)
	}
	return doc, buf.String()
}

func TestJUnitCases(t *testing.T) {
	doc, raw := decodeJUnit(t, fixture())
	cases := map[requirement.ID]junitCase{}
	for _, c := range doc.Suites[0].Cases {
		cases[requirement.ID(strings.Fields(c.Name)[0])] = c
	}
	tests := []struct {
		id       requirement.ID
		elem     string // "", "failure" or "skipped"
		message  string // prefix of the message attribute
		typ      string
		time     string
		contains []string // in the failure text or system-out
	}{
		{idPass, "", "", "", "0.040", nil},
		{idFail, "failure", "MUST not met: 1 of 2 cases failed; first: 204 with a body: expected no body bytes, got 5", "MUST", "0.035",
			[]string{"case:      204 with a body", "persona:   admin",
				"request 1:\n    curl -X POST 'https://target.example/deviceManagement", "response 1: status 204", "hello",
				"no response: connection refused", hostile, "expected:  no body"}},
		{idAdvisory, "skipped", "ADVISORY: SHOULD not met: 1 of 1 cases failed", "", "0.010",
			[]string{"case:      empty JSON object", "got 400, want 204", "curl -X POST -d '{}'"}},
		{idSkip, "skipped", "persona with DeviceManagementConfiguration.ReadWrite.All not configured", "", "0.000", nil},
		{idNA, "skipped", "not applicable: the description has no namespace-qualified path", "", "0.000", nil},
		{idPassSkip, "", "", "", "0.001", nil},
		{idNotExercised, "skipped", "not exercised", "", "0.000", nil},
	}
	for _, tt := range tests {
		t.Run(string(tt.id), func(t *testing.T) {
			c, ok := cases[tt.id]
			if !ok {
				t.Fatalf("no testcase for %s", tt.id)
			}
			q := requirement.MustLookup(tt.id)
			if want := string(q.ID); c.Name != want {
				t.Errorf("name %q, want %q", c.Name, want)
			}
			if c.Classname != "graphconform."+string(q.Area) {
				t.Errorf("classname %q, want %q", c.Classname, q.Area)
			}
			if c.Time != tt.time {
				t.Errorf("time %q, want %q", c.Time, tt.time)
			}
			var got *junitMessage
			var text string
			if c.SystemOut != nil {
				text = string(*c.SystemOut)
			}
			switch tt.elem {
			case "":
				if c.Failure != nil || c.Skipped != nil {
					t.Fatalf("want a passing testcase, got failure=%+v skipped=%+v", c.Failure, c.Skipped)
				}
				return
			case "failure":
				got = c.Failure
				if c.Skipped != nil {
					t.Error("a failure is also skipped")
				}
			case "skipped":
				got = c.Skipped
				if c.Failure != nil {
					t.Error("a skip is also a failure")
				}
			}
			if got == nil {
				t.Fatalf("no <%s>", tt.elem)
			}
			if !strings.HasPrefix(got.Message, tt.message) {
				t.Errorf("message %q, want prefix %q", got.Message, tt.message)
			}
			if got.Type != tt.typ {
				t.Errorf("type %q, want %q", got.Type, tt.typ)
			}
			if tt.elem == "failure" {
				text = got.Text
			}
			for _, s := range tt.contains {
				if !strings.Contains(text, s) {
					t.Errorf("details lack %q:\n%s", s, text)
				}
			}
		})
	}
	// Failure text keeps real line breaks (not &#xA;) so the raw file stays readable.
	if !strings.Contains(raw, "1 of 2 cases failed.\n\n--- DISC-002 [MUST]") {
		t.Error("failure text lost its line breaks")
	}
	if strings.Contains(raw, hostile) {
		t.Error("raw XML contains an unescaped <script>")
	}
}

func TestJUnitCounts(t *testing.T) {
	strict := fixture()
	strict.Strict = true
	for i := range strict.Verdicts {
		if strict.Verdicts[i].Requirement.ID == idAdvisory {
			strict.Verdicts[i].Blocking = true // what the suite records in strict mode
		}
	}
	empty := fixture()
	empty.Verdicts = nil
	empty.End = empty.Start // unknown duration: falls back to the sum of spec durations (0)
	all := len(requirement.All())
	tests := []struct {
		name                       string
		run                        Run
		tests, failures, skipped   int
		time                       string
		advisoryType, advisoryElem string
	}{
		// fixture: pass DISC-001 and DISC-008; fail DISC-002; everything else skipped.
		{"non-strict", fixture(), all, 1, all - 3, "2.500", "", "skipped"},
		{"strict", strict, all, 2, all - 4, "2.500", "SHOULD", "failure"},
		// Nothing verified: one extra failing "graphconform gate" case keeps CI red.
		{"no verdicts", empty, all + 1, 1, all, "0.000", "gate", "failure"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, _ := decodeJUnit(t, tt.run)
			s := doc.Suites[0]
			if s.Tests != tt.tests || s.Failures != tt.failures || s.Skipped != tt.skipped || s.Errors != 0 || s.Time != tt.time {
				t.Errorf("suite tests=%d failures=%d skipped=%d errors=%d time=%s, want %d %d %d 0 %s",
					s.Tests, s.Failures, s.Skipped, s.Errors, s.Time, tt.tests, tt.failures, tt.skipped, tt.time)
			}
			if doc.Tests != s.Tests || doc.Failures != s.Failures || doc.Skipped != s.Skipped || doc.Time != s.Time {
				t.Errorf("testsuites totals %+v disagree with the testsuite", doc)
			}
			// The attributes must agree with the elements a CI system counts itself.
			var failures, skipped int
			for _, c := range s.Cases {
				if c.Failure != nil {
					failures++
				}
				if c.Skipped != nil {
					skipped++
				}
			}
			if len(s.Cases) != s.Tests || failures != s.Failures || skipped != s.Skipped {
				t.Errorf("elements: %d cases, %d failures, %d skipped; attributes say %d %d %d",
					len(s.Cases), failures, skipped, s.Tests, s.Failures, s.Skipped)
			}
			if len(tt.run.Verdicts) > 0 {
				for _, c := range s.Cases {
					if c.Name != string(idAdvisory) {
						continue
					}
					if tt.advisoryElem == "failure" && (c.Failure == nil || c.Failure.Type != tt.advisoryType) {
						t.Errorf("strict SHOULD failure should be <failure type=%q>, got %+v", tt.advisoryType, c)
					}
					if tt.advisoryElem == "skipped" && c.Skipped == nil {
						t.Errorf("advisory failure should be skipped, got %+v", c)
					}
				}
			}
		})
	}
}

func TestJUnitProperties(t *testing.T) {
	r := fixture()
	r.LabelFilter = "must && !permissions"
	doc, _ := decodeJUnit(t, r)
	got := map[string]string{}
	for _, p := range doc.Suites[0].Properties {
		got[p.Name] = p.Value
	}
	want := map[string]string{"tool": "graphconform", "version": "0.1.0", "descriptionSha256": "ab12",
		"revision": "current", "target": "https://target.example", "strict": "false", "labelFilter": "must && !permissions"}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("property %s = %q, want %q", k, got[k], w)
		}
	}
	if ts := doc.Suites[0].Timestamp; ts != "2026-03-01T10:00:00" {
		t.Errorf("timestamp %q", ts)
	}
}

// Control characters from a binary body are not allowed in XML 1.0; the output must still parse.
func TestJUnitControlCharacters(t *testing.T) {
	r := fixture()
	for i := range r.Verdicts {
		if r.Verdicts[i].Requirement.ID == idFail && r.Verdicts[i].Outcome == "fail" {
			r.Verdicts[i].Message = "bad \x00\x01\x1b[31m bytes \xff"
			r.Verdicts[i].Exchanges[0].Body = "\x00\x02binary"
		}
	}
	decodeJUnit(t, r)
}

// TestRunErrorIsAJUnitError: a run that could not judge its target still writes junit.xml, with the
// reason as an <error> CI systems show, and the gate failing.
func TestRunErrorIsAJUnitError(t *testing.T) {
	r := fixture()
	r.Verdicts = nil
	r.Error = "target http://127.0.0.1:1/v1.0 is unreachable: connection refused"
	doc, raw := decodeJUnit(t, r)
	s := doc.Suites[0]
	if s.Errors != 1 || doc.Errors != 1 || s.Failures != 1 {
		t.Errorf("errors %d (root %d), failures %d; want 1, 1, 1", s.Errors, doc.Errors, s.Failures)
	}
	if !strings.Contains(raw, `<error message="target http://127.0.0.1:1/v1.0 is unreachable: connection refused" type="setup">`) {
		t.Errorf("no setup error case in:\n%s", raw)
	}
	merged, err := Merge(r, fixture())
	if err != nil || merged.Error != r.Error {
		t.Errorf("merge lost the error: %q %v", merged.Error, err)
	}
}
