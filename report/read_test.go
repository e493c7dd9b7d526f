package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/graphconform/graphconform/requirement"
	"github.com/graphconform/graphconform/verdict"
)

// passing is the fixture without its failures: a run whose gate passes, so that any verdict a
// reader misread as harmless would read as a PASS.
func passing() Run {
	r := fixture()
	var keep []verdict.Verdict
	for _, v := range r.Verdicts {
		if v.Outcome != verdict.Fail {
			keep = append(keep, v)
		}
	}
	r.Verdicts = keep
	return r
}

// reportDoc is a report.json as generic JSON, for tests to break one member of.
func reportDoc(t *testing.T, r Run) map[string]any {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// at walks a JSON pointer to the container of its last token.
func at(t *testing.T, doc any, ptr string) (any, string) {
	t.Helper()
	toks := strings.Split(strings.TrimPrefix(ptr, "/"), "/")
	node := doc
	for _, tok := range toks[:len(toks)-1] {
		switch n := node.(type) {
		case map[string]any:
			node = n[tok]
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i >= len(n) {
				t.Fatalf("%s: no %s", ptr, tok)
			}
			node = n[i]
		default:
			t.Fatalf("%s: %s is not a container", ptr, tok)
		}
	}
	return node, toks[len(toks)-1]
}

func set(t *testing.T, doc any, ptr string, v any) {
	t.Helper()
	switch n, last := at(t, doc, ptr); c := n.(type) {
	case map[string]any:
		c[last] = v
	case []any:
		i, _ := strconv.Atoi(last)
		c[i] = v
	default: // a test that changes nothing would pass for the wrong reason
		t.Fatalf("%s: no such place in the document", ptr)
	}
}

func del(t *testing.T, doc any, ptr string) {
	t.Helper()
	n, last := at(t, doc, ptr)
	delete(n.(map[string]any), last)
}

func encode(t *testing.T, doc any) []byte {
	t.Helper()
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Every way a report can lie to a merge is refused with the place and the problem, never read as a
// run that passes. Before the schema, the first three read as gate PASS.
func TestReadJSONRefusesWhatItDoesNotKnow(t *testing.T) {
	if _, err := ReadJSON(bytes.NewReader(encode(t, reportDoc(t, passing())))); err != nil {
		t.Fatalf("the passing base does not read: %v", err)
	}
	s := func(ptr string, v any) func(*testing.T, map[string]any) {
		return func(t *testing.T, d map[string]any) { set(t, d, ptr, v) }
	}
	// DISC-001's entry in the summary (the catalogue's order: sorted by ID), which has 2 passing cases.
	disc001 := "/summary/requirements/-1"
	for i, r := range requirement.All() {
		if r.ID == "DISC-001" {
			disc001 = "/summary/requirements/" + strconv.Itoa(i)
		}
	}
	both := func(fs ...func(*testing.T, map[string]any)) func(*testing.T, map[string]any) {
		return func(t *testing.T, d map[string]any) {
			for _, f := range fs {
				f(t, d)
			}
		}
	}
	for _, tc := range []struct {
		name   string
		change func(*testing.T, map[string]any)
		ptr    string // the pointer the error names
		want   string // in the problem
	}{
		// The examples: outcomes merge does not know, marked blocking.
		{"FAIL", both(s("/verdicts/0/outcome", "FAIL"), s("/verdicts/0/blocking", true)), "/verdicts/0/outcome", `"FAIL" is not one of "pass", "fail", "skip", "not-applicable"`},
		{"empty outcome", both(s("/verdicts/0/outcome", ""), s("/verdicts/0/blocking", true)), "/verdicts/0/outcome", `"" is not one of`},
		{"error", both(s("/verdicts/0/outcome", "error"), s("/verdicts/0/blocking", true)), "/verdicts/0/outcome", `"error" is not one of`},
		{"blocking pass", s("/verdicts/0/blocking", true), "/verdicts/0/blocking", "true, must be false (only a failed verdict can block)"},
		{"non-blocking MUST failure", s("/verdicts/0/outcome", "fail"), "/verdicts/0/blocking", "false on a failed MUST with strict false, must be true"},
		{"non-blocking SHOULD failure, strict", both(s("/strict", true), s("/verdicts/6/outcome", "fail")), "/verdicts/6/blocking", "false on a failed SHOULD with strict true, must be true"},
		{"requirement as an object (format 1)", s("/verdicts/0/requirement", map[string]any{"id": "DISC-001"}), "/verdicts/0/requirement", "got object, want string"},
		{"unknown requirement", s("/verdicts/0/requirement", "XYZ-001"), "/verdicts/0/requirement", `"XYZ-001" is not in this build's requirement catalogue`},
		{"requirement not an ID", s("/verdicts/0/requirement", "disc-001"), "/verdicts/0/requirement", "does not match pattern"},
		{"a pass with a message", s("/verdicts/0/message", "fine"), "/verdicts/0/message", ""},
		{"operation count disagrees", s("/summary/operations/0/counts/pass", 99), "/summary/operations/0/counts/pass", "the file says 99, its verdicts give"},
		{"operation cell status disagrees", s("/summary/operations/0/requirements/0/status", "fail"), "/summary/operations/0/requirements/0/status", `the file says "fail", its verdicts give "pass"`},
		{"operation dropped", s("/summary/operations", []any{}), "/summary/operations", "entries, its verdicts"},
		{"unknown top-level field", s("/extra", 1), "/extra", `unknown field: the report.json schema has no "extra"`},
		{"field in another case", s("/verdicts/0/Outcome", "fail"), "/verdicts/0/Outcome", "unknown field"},
		{"unknown exchange field", s("/verdicts/0/exchanges", []any{map[string]any{"curl": "x", "bodyBytes": 0, "cut": true}}), "/verdicts/0/exchanges/0/cut", "unknown field"},
		{"missing verdicts", func(t *testing.T, d map[string]any) { del(t, d, "/verdicts") }, "(document)", `missing required field(s) "verdicts"`},
		{"missing outcome", func(t *testing.T, d map[string]any) { del(t, d, "/verdicts/2/outcome") }, "/verdicts/2", `missing required field(s) "outcome"`},
		{"missing summary", func(t *testing.T, d map[string]any) { del(t, d, "/summary") }, "(document)", `"summary"`},
		{"strict as a string", s("/strict", "yes"), "/strict", "got string, want boolean"},
		{"duration as text", s("/verdicts/0/duration", "1s"), "/verdicts/0/duration", "got string, want integer"},
		{"negative body size", s("/verdicts/0/exchanges", []any{map[string]any{"curl": "x", "bodyBytes": -1}}), "/verdicts/0/exchanges/0/bodyBytes", "minimum"},
		{"start not a time", s("/start", "yesterday"), "/start", "date-time"},
		{"shard not i/n", s("/shard", "2"), "/shard", "does not match pattern"},
		{"future format", s("/reportFormat", 3), "", "reportFormat 3, this version reads 2"},
		{"format 1", s("/reportFormat", 1), "", "reportFormat 1 (written by an older graphconform), this version reads 2: merge it with the version that wrote it"},
		{"specs ran more than selected", s("/specs", map[string]any{"selected": 1, "ran": 2}), "/specs/ran", "2 specs ran but only 1 were selected"},
		{"unknown status", s("/summary/requirements/0/status", "skipped"), "/summary/requirements/0/status", `"skipped" is not one of`},
		{"unknown gate", s("/summary/gate", "OK"), "/summary/gate", `"OK" is not one of "PASS", "FAIL", "INCOMPLETE"`},
		{"unknown count", s("/summary/counts/skipped", 0), "/summary/counts/skipped", "unknown field"},
		{"unknown case outcome", s("/summary/requirements/3/cases/FAIL", 1), "/summary/requirements/3/cases/FAIL", "unknown field"},
		{"status fail, not blocking", s("/summary/requirements/0/status", "fail"), "/summary/requirements/0/blocking", "false, must be true (a fail status is a blocking failure"},
		{"passed on a FAIL gate", both(s("/summary/gate", "FAIL"), s("/summary/gateText", "FAIL")), "/summary/passed", "passed is true only when the gate is PASS"},
		{"count disagrees", s("/summary/counts/pass", 99), "/summary/counts/pass", "the file says 99, its verdicts give 3"},
		{"level count disagrees", s("/summary/byLevel/MUST/not-exercised", 0), "/summary/byLevel/MUST/not-exercised", "the file says 0, its verdicts give"},
		{"case count disagrees", s(disc001+"/cases", map[string]any{"pass": 5}), disc001 + "/cases/pass", "the file says 5, its verdicts give 2"},
		{"requirement dropped", func(t *testing.T, d map[string]any) {
			rs := d["summary"].(map[string]any)["requirements"].([]any)
			d["summary"].(map[string]any)["requirements"] = rs[:len(rs)-1]
		}, "/summary/requirements", "entries, its verdicts (and this build's catalogue) give"},
		{"gate says FAIL on a passing run", both(s("/summary/gate", "FAIL"), s("/summary/gateText", "FAIL"), s("/summary/passed", false)), "/summary/gate", `the file says "FAIL", its verdicts give "PASS"`},
		{"gate text disagrees", s("/summary/gateText", "FAIL (made up)"), "/summary/gateText", `does not start with the gate "PASS"`},
		{"negative duration", s("/durationSeconds", -1), "/durationSeconds", "minimum"},
		{"unbuilt not an array", s("/unbuilt", "none"), "/unbuilt", "got string, want array"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := reportDoc(t, passing())
			tc.change(t, doc)
			run, err := ReadJSON(bytes.NewReader(encode(t, doc)))
			if err == nil {
				gate, _ := Gate(run)
				t.Fatalf("read as a report (gate %s)", gate)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("not one line: %q", err)
			}
			var ie *InvalidError
			if tc.ptr == "" { // refused before the schema
				if !strings.Contains(err.Error(), tc.want) {
					t.Errorf("err = %v, want %q", err, tc.want)
				}
				return
			}
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v (%T), want an *InvalidError", err, err)
			}
			if ie.where() != tc.ptr || !strings.Contains(ie.Problem, tc.want) {
				t.Errorf("err = %v\nwant %s: ...%s...", err, tc.ptr, tc.want)
			}
		})
	}
}

// The extension point: an "unbuilt" array of open objects reads (its items' fields are the
// operation selection's to grow).
func TestReadJSONAcceptsUnbuilt(t *testing.T) {
	doc := reportDoc(t, passing())
	doc["unbuilt"] = []any{map[string]any{"operationId": "x.y", "method": "GET", "path": "/x", "reason": "no permission table", "later": 1}}
	if _, err := ReadJSON(bytes.NewReader(encode(t, doc))); err != nil {
		t.Fatal(err)
	}
}

// ValidateFile names the file, the pointer and the problem on one line; it accepts what the
// writers write.
func TestValidateFile(t *testing.T) {
	dir := t.TempDir()
	if err := WriteAll(dir, fixture()); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, JSONFile)
	if err := ValidateFile(good); err != nil {
		t.Fatal(err)
	}
	doc := reportDoc(t, passing())
	set(t, doc, "/verdicts/1/outcome", "FAIL")
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, encode(t, doc), 0o600); err != nil {
		t.Fatal(err)
	}
	want := bad + `: /verdicts/1/outcome: "FAIL" is not one of "pass", "fail", "skip", "not-applicable"`
	if err := ValidateFile(bad); err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant %s", err, want)
	}
}

// The published schema is the one ReadJSON applies, and it is a draft 2020-12 schema whose enums are
// the Go constants: a new outcome, status or level must be added to both.
func TestSchemaMatchesTheModel(t *testing.T) {
	if _, err := schema(); err != nil {
		t.Fatal(err)
	}
	var s struct {
		Schema string `json:"$schema"`
		Defs   map[string]struct {
			Enum []string `json:"enum"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(SchemaJSON(), &s); err != nil {
		t.Fatal(err)
	}
	if s.Schema != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("$schema %q", s.Schema)
	}
	var st, lv []string
	for _, x := range statuses {
		st = append(st, string(x))
	}
	for _, l := range levels {
		lv = append(lv, string(l))
	}
	var cases struct {
		Defs struct {
			R struct {
				Properties struct {
					Cases struct {
						Properties map[string]any `json:"properties"`
					} `json:"cases"`
				} `json:"properties"`
			} `json:"requirementResult"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(SchemaJSON(), &cases); err != nil {
		t.Fatal(err)
	}
	for _, o := range []verdict.Outcome{verdict.Pass, verdict.Fail, verdict.Skip, verdict.NotApplicable} {
		if cases.Defs.R.Properties.Cases.Properties[string(o)] == nil {
			t.Errorf("$defs/requirementResult/properties/cases has no %q", o)
		}
	}
	for def, want := range map[string][]string{
		"outcome": {string(verdict.Pass), string(verdict.Fail), string(verdict.Skip), string(verdict.NotApplicable)},
		"status":  st,
		"level":   lv,
	} {
		if got := s.Defs[def].Enum; strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("$defs/%s enum %v, want %v", def, got, want)
		}
	}
	// Areas and IDs: the empty run's summary lists the whole catalogue, so it reads only when every
	// catalogue ID and area fits the schema.
	if _, err := ReadJSON(bytes.NewReader(encode(t, reportDoc(t, Run{})))); err != nil {
		t.Error(err)
	}
}

// A failure may block beyond its level: the suite writes a spec that ended without a verdict as a
// blocking failure whatever its level, and that report reads (and fails its gate).
func TestReadJSONAcceptsABlockingFailureBeyondItsLevel(t *testing.T) {
	r := passing()
	crashed := v(idAdvisory, "empty JSON object", "admin", verdict.Fail, true, "the spec ended panicked without a verdict", 0)
	r.Verdicts = append(r.Verdicts, crashed)
	got, err := ReadJSON(bytes.NewReader(encode(t, reportDoc(t, r))))
	if err != nil {
		t.Fatal(err)
	}
	if gate, _ := Gate(got); gate != GateFail {
		t.Errorf("gate %s, want FAIL", gate)
	}
}
