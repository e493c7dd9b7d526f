package report

import (
	"bytes"
	"encoding/xml"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/graphconform/graphconform/requirement"
	"github.com/graphconform/graphconform/verdict"
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
	if len(doc.Suites) != 2 || doc.Suites[0].Name != JUnitSuite || doc.Suites[1].Name != JUnitAdvisorySuite {
		t.Fatalf("want the testsuites %q and %q, got %+v", JUnitSuite, JUnitAdvisorySuite, doc.Suites)
	}
	return doc, buf.String()
}

func property(c junitCase, name string) string {
	for _, p := range c.Properties {
		if p.Name == name {
			return p.Value
		}
	}
	return ""
}

func TestJUnitCases(t *testing.T) {
	doc, raw := decodeJUnit(t, fixture())
	cases := map[requirement.ID]junitCase{}
	suiteOf := map[requirement.ID]string{}
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			cases[requirement.ID(strings.Fields(c.Name)[0])] = c
			suiteOf[requirement.ID(strings.Fields(c.Name)[0])] = s.Name
		}
	}
	tests := []struct {
		id       requirement.ID
		suite    string
		elem     string // "", "failure" or "skipped"
		message  string // prefix of the message attribute
		typ      string
		status   status
		time     string
		contains []string // in the failure text
	}{
		{idPass, JUnitSuite, "", "", "", statusPass, "0.040", nil},
		{idFail, JUnitSuite, "failure", "MUST not met: 1 of 2 cases failed; first: 204 with a body: expected no body bytes, got 5", "MUST", statusFail, "0.035",
			[]string{"case:      204 with a body", "persona:   admin",
				"request 1:\n    curl -X POST 'https://target.example/deviceManagement", "response 1: status 204", "hello",
				"no response: connection refused", hostile, "expected:  no body"}},
		// An advisory failure is a failure (of a requirement that does not fail the run), not a skip.
		{idAdvisory, JUnitAdvisorySuite, "failure", "ADVISORY: SHOULD not met (does not fail the run): 1 of 1 cases failed", "advisory", statusAdvisory, "0.010",
			[]string{"case:      empty JSON object", "got 400, want 204", "curl -X POST -d '{}'"}},
		{idSkip, JUnitAdvisorySuite, "skipped", "not exercised: persona with DeviceManagementConfiguration.ReadWrite.All not configured", "", statusNotExercised, "0.000", nil},
		{idNA, JUnitAdvisorySuite, "skipped", "not applicable: the description has no namespace-qualified path", "", statusNA, "0.000", nil},
		{idPassSkip, JUnitAdvisorySuite, "", "", "", statusPass, "0.001", nil},
		{idNotExercised, JUnitSuite, "skipped", "not exercised: no spec of this run checked it", "", statusNotExercised, "0.000", nil},
	}
	for _, tt := range tests {
		t.Run(string(tt.id), func(t *testing.T) {
			c, ok := cases[tt.id]
			if !ok {
				t.Fatalf("no testcase for %s", tt.id)
			}
			q := requirement.MustLookup(tt.id)
			if want := string(q.ID) + " " + q.Title; c.Name != want {
				t.Errorf("name %q, want %q", c.Name, want)
			}
			if suiteOf[tt.id] != tt.suite {
				t.Errorf("in testsuite %q, want %q", suiteOf[tt.id], tt.suite)
			}
			// A requirement with cases is judged on its operation; one with none at all on the run.
			wantClass := "graphconform.remoteAssistancePartner_disconnect"
			if tt.id == idNotExercised {
				wantClass = "graphconform"
			}
			if c.Classname != wantClass {
				t.Errorf("classname %q, want %q", c.Classname, wantClass)
			}
			if property(c, "level") != string(q.Level) {
				t.Errorf("properties %+v", c.Properties)
			}
			if c.Time != tt.time {
				t.Errorf("time %q, want %q", c.Time, tt.time)
			}
			if got := property(c, "status"); got != string(tt.status) {
				t.Errorf("status property %q, want %q", got, tt.status)
			}
			var got *junitMessage
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
			for _, s := range tt.contains {
				if !strings.Contains(got.Text, s) {
					t.Errorf("details lack %q:\n%s", s, got.Text)
				}
			}
		})
	}
	// Failure text keeps real line breaks (not &#xA;) so the raw file stays readable.
	if !strings.Contains(raw, "1 of 2 cases failed. What it checks and how to fix it: https://github.com/graphconform/graphconform/blob/main/docs/requirements/DISC-002.md\n\n--- DISC-002 [MUST]") {
		t.Error("failure text lost its line breaks")
	}
	if strings.Contains(raw, hostile) {
		t.Error("raw XML contains an unescaped <script>")
	}
}

// levelCount counts the catalogue's requirements whose level blocks (or not) in a mode.
func levelCount(strict, blocking bool) int {
	n := 0
	for _, q := range requirement.All() {
		if q.Level.Blocking(strict) == blocking {
			n++
		}
	}
	return n
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
	type counts struct{ tests, failures, errors, skipped int }
	tests := []struct {
		name               string
		run                Run
		gate, advisory     counts
		time               string
		advisoryType, elem string
	}{
		// fixture: pass DISC-001 (MUST), DISC-008 (SHOULD); fail DISC-002 (MUST); DISC-004 (SHOULD)
		// fails; everything else is not exercised or not applicable.
		{"non-strict", fixture(),
			counts{levelCount(false, true), 1, 0, levelCount(false, true) - 2},
			counts{levelCount(false, false), 1, 0, levelCount(false, false) - 2}, "2.500", "advisory", "failure"},
		{"strict", strict,
			counts{levelCount(true, true), 2, 0, levelCount(true, true) - 4},
			counts{levelCount(true, false), 0, 0, levelCount(true, false)}, "2.500", "SHOULD", "failure"},
		// Nothing verified: one extra failing "graphconform gate" case keeps CI red.
		{"no verdicts", empty,
			counts{levelCount(false, true) + 1, 1, 0, levelCount(false, true)},
			counts{levelCount(false, false), 0, 0, levelCount(false, false)}, "0.000", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, _ := decodeJUnit(t, tt.run)
			for i, want := range []counts{tt.gate, tt.advisory} {
				s := doc.Suites[i]
				if got := (counts{s.Tests, s.Failures, s.Errors, s.Skipped}); got != want {
					t.Errorf("%s: tests, failures, errors, skipped = %v, want %v", s.Name, got, want)
				}
				// The attributes must agree with the elements a CI system counts itself.
				var failures, skipped, errs int
				for _, c := range s.Cases {
					if c.Failure != nil {
						failures++
					}
					if c.Skipped != nil {
						skipped++
					}
					if c.Error != nil {
						errs++
					}
				}
				if len(s.Cases) != s.Tests || failures != s.Failures || skipped != s.Skipped || errs != s.Errors {
					t.Errorf("%s elements: %d cases, %d failures, %d skipped, %d errors; attributes say %d %d %d %d",
						s.Name, len(s.Cases), failures, skipped, errs, s.Tests, s.Failures, s.Skipped, s.Errors)
				}
			}
			g, a := doc.Suites[0], doc.Suites[1]
			if doc.Tests != g.Tests+a.Tests || doc.Failures != g.Failures+a.Failures || doc.Skipped != g.Skipped+a.Skipped ||
				doc.Errors != g.Errors+a.Errors || doc.Time != tt.time || g.Time != tt.time {
				t.Errorf("testsuites totals %+v disagree with the testsuites", doc)
			}
			if tt.elem == "" {
				return
			}
			for _, s := range doc.Suites {
				for _, c := range s.Cases {
					if c.Name == string(idAdvisory) && (c.Failure == nil || c.Failure.Type != tt.advisoryType) {
						t.Errorf("the SHOULD failure should be <failure type=%q>, got %+v", tt.advisoryType, c)
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
	if got["selection"] != "every operation of the description" {
		t.Errorf("selection %q", got["selection"])
	}
}

// A certification's junit.xml says what was certified: product, suite commit, command line,
// selection and each persona's account kind and permissions, never a token.
func TestJUnitRunMetadata(t *testing.T) {
	r := withMetadata(fixture())
	doc, raw := decodeJUnit(t, r)
	for _, s := range doc.Suites[:2] {
		got := map[string]string{}
		for _, p := range s.Properties {
			got[p.Name] = p.Value
		}
		want := map[string]string{"product.vendor": "Contoso", "product.name": "Graph Gateway", "product.version": "2.3.1",
			"product.contact": "conformance@contoso.example", "suite.commit": "59f5e92c0ffee", "selection": "--operation remoteAssistancePartner_disconnect",
			"commandLine":   "graphconform run --base-url https://gw.contoso.example/v1.0 --label-filter 'must && !permissions'",
			"persona.admin": "work: DeviceManagementServiceConfig.ReadWrite.All", "persona.app": "application: no permissions"}
		for k, w := range want {
			if got[k] != w {
				t.Errorf("%s: property %s = %q, want %q", s.Name, k, got[k], w)
			}
		}
	}
	if strings.Contains(raw, "eyJ") || strings.Contains(raw, "secret") {
		t.Error("junit.xml holds something token-like")
	}
}

// JUnit names are stable (the same Run gives the same names, whatever the verdicts' order within
// an operation, their times or personas), unique within each suite, and start with the ID.
func TestJUnitNamesStableAndUnique(t *testing.T) {
	r := twoOps("PERM-002", func(w *verdict.Verdict) { w.Outcome, w.Blocking, w.Message = verdict.Fail, true, "got 200" })
	names := func(r Run) []string {
		doc, _ := decodeJUnit(t, r)
		var out []string
		for _, s := range doc.Suites {
			seen := map[string]bool{}
			for _, c := range s.Cases {
				k := c.Classname + "\x00" + c.Name
				if seen[k] {
					t.Errorf("%s: %s %q twice", s.Name, c.Classname, c.Name)
				}
				seen[k] = true
				out = append(out, k)
				if id := requirement.ID(strings.Fields(c.Name + " ")[0]); c.Classname != "gate" {
					if q, ok := requirement.Lookup(id); !ok || c.Name != string(id)+" "+q.Title {
						t.Errorf("name %q is not a catalogue ID and its title", c.Name)
					}
				}
			}
		}
		return out
	}
	first := names(r)
	again := r
	again.Verdicts = append([]verdict.Verdict(nil), r.Verdicts...)
	for i := range again.Verdicts {
		again.Verdicts[i].Duration += time.Second
		again.Verdicts[i].Persona += "-renamed"
	}
	again.Start = again.Start.Add(time.Hour)
	if second := names(again); !reflect.DeepEqual(first, second) {
		t.Errorf("names differ between two runs:\n%v\n%v", first, second)
	}
	if len(first) < 2*len(requirement.All()) {
		t.Errorf("%d test cases for two operations of %d requirements", len(first), len(requirement.All()))
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
	if s.Errors != 1 || doc.Errors != 1 || s.Failures != 0 {
		t.Errorf("errors %d (root %d), failures %d; want 1, 1, 0: an unjudged run is an error, not a failure", s.Errors, doc.Errors, s.Failures)
	}
	if !strings.Contains(raw, `<error message="target http://127.0.0.1:1/v1.0 is unreachable: connection refused" type="setup">`) {
		t.Errorf("no setup error case in:\n%s", raw)
	}
	merged, err := Merge(r, fixture())
	if err != nil || merged.Error != r.Error {
		t.Errorf("merge lost the error: %q %v", merged.Error, err)
	}
}
