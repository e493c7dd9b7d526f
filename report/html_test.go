package report

import (
	"bytes"
	"encoding/xml"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/graphconform/graphconform/requirement"
	"github.com/graphconform/graphconform/verdict"
)

func renderHTML(t *testing.T, r Run) string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteHTML(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// row returns the matrix row of a requirement.
func row(t *testing.T, page string, id requirement.ID) string {
	t.Helper()
	re := regexp.MustCompile(`(?s)<tr class="[^"]*" id="req-` + regexp.QuoteMeta(string(id)) + `">.*?</tr>`)
	m := re.FindString(page)
	if m == "" {
		t.Fatalf("no matrix row for %s", id)
	}
	return m
}

func TestHTMLMatrix(t *testing.T) {
	page := renderHTML(t, fixture())
	tests := []struct {
		id       requirement.ID
		class    string
		verdict  string
		contains string
	}{
		{idPass, "pass", ">PASS<", ">MUST<"},
		{idFail, "fail", ">FAIL<", `href="#fail-DISC-002"`},
		{idAdvisory, "advisory", ">ADVISORY FAIL<", ">SHOULD<"},
		{idSkip, "not-exercised", ">NOT EXERCISED<", "not configured"},
		{idNA, "not-applicable", ">N/A<", "no namespace-qualified path"},
		{idPassSkip, "pass", ">PASS<", ">path<"},
		{idNotExercised, "not-exercised", ">NOT EXERCISED<", "no spec of this run checked it"},
	}
	for _, tt := range tests {
		t.Run(string(tt.id), func(t *testing.T) {
			r := row(t, page, tt.id)
			q := requirement.MustLookup(tt.id)
			for _, s := range []string{`<tr class="` + tt.class + `"`, tt.verdict, tt.contains,
				`<td class="level">` + string(q.Level) + `</td>`, `<a href="` + q.Source.URL + `">`} {
				if !strings.Contains(r, s) {
					t.Errorf("row lacks %q:\n%s", s, r)
				}
			}
		})
	}
	if n := strings.Count(page, `<tr class=`); n != len(requirement.All()) {
		t.Errorf("%d matrix rows, want %d", n, len(requirement.All()))
	}
}

func TestHTMLHeaderAndFailures(t *testing.T) {
	page := renderHTML(t, fixture())
	for _, s := range []string{
		`<div class="gate fail">FAIL<small>1 blocking failure</small>`,
		"https://target.example", "graphconform 0.1.0", "sha256 ab12", "current",
		requirement.StrictMode(false), "2026-03-01 10:00:00 UTC to 2026-03-01 10:00:02 UTC (2.5s)",
		requirement.GateRule(), "graphconform gate: FAIL (1 blocking requirement failure)",
		// AUTH-002 and other MUSTs were not exercised: named with the reason, linked to their rows
		`that the gate needs were not exercised`, `<li><a href="#req-AUTH-002">AUTH-002</a> [MUST] NOT EXERCISED: no spec of this run checked it</li>`,
		// failure details
		`<section class="failure fail" id="fail-DISC-002">`, `<section class="failure advisory" id="fail-DISC-004">`,
		"Case: 204 with a body", "<th>Persona</th><td>admin</td>", "no body, no Content-Length other than 0",
		"curl -X POST &#39;https://target.example/deviceManagement", "Response: HTTP 204, 9000 body bytes",
		"[truncated: ", "No response: connection refused", "Content-Length: 5",
	} {
		if !strings.Contains(page, s) {
			t.Errorf("page lacks %q", s)
		}
	}
	// Passing cases are not listed among failures.
	if strings.Contains(page, "Case: 204 without body") {
		t.Error("a passing case is shown as failing")
	}
}

func TestHTMLGatePass(t *testing.T) {
	r := fixture()
	var kept []verdict.Verdict
	for _, x := range r.Verdicts {
		if !(x.Outcome == verdict.Fail && x.Blocking) {
			kept = append(kept, x)
		}
	}
	r.Verdicts = kept
	page := renderHTML(t, r)
	// A PASS with MUSTs nothing checked says so under the badge.
	if !strings.Contains(page, `<div class="gate pass">PASS<small>`+strconv.Itoa(levelCount(false, true)-2)+` MUST not exercised</small>`) {
		t.Error("no PASS gate naming the MUSTs not exercised")
	}
	// The advisory failure is still detailed.
	if !strings.Contains(page, `id="fail-DISC-004"`) {
		t.Error("advisory failure not detailed on a passing run")
	}
}

func TestHTMLEscapes(t *testing.T) {
	r := fixture()
	r.Target = "https://x.example/?a=<b>"
	r.LabelFilter = `"><img src=x>`
	page := renderHTML(t, r)
	if strings.Contains(page, "<script") || strings.Contains(page, "<img") || strings.Contains(page, "<b>") {
		t.Fatal("markup from the run reached the page unescaped")
	}
	if !strings.Contains(page, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") {
		t.Error("the escaped message is missing")
	}
	// A source URL with a script scheme must not become a live link.
	r = fixture()
	// A requirement outside the catalogue (e.g. from a newer suite's shard) reaches the page as is.
	r.Verdicts = append(r.Verdicts, verdict.Verdict{Outcome: verdict.Pass, Requirement: requirement.Requirement{
		ID: "X-001", Level: requirement.May, Title: "t", Source: requirement.Source{Doc: "d", URL: "javascript:alert(1)"}}})
	if page := renderHTML(t, r); strings.Contains(page, "javascript:") {
		t.Error("javascript: URL in the page")
	}
}

// The page must stand alone: no scripts, no external stylesheets, images or fonts.
func TestHTMLSelfContained(t *testing.T) {
	page := renderHTML(t, fixture())
	for _, s := range []string{"<script", "<link", "src=", "@import", "url("} {
		if strings.Contains(page, s) {
			t.Errorf("page contains %q", s)
		}
	}
	// Well-formed enough for an XML tokenizer in non-strict mode: every element is closed.
	d := xml.NewDecoder(strings.NewReader(page))
	d.Strict = false
	d.AutoClose = xml.HTMLAutoClose
	d.Entity = xml.HTMLEntity
	for {
		if _, err := d.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("page does not tokenize: %v", err)
		}
	}
}

// A huge body is cut for the page; the cut says how much was dropped.
func TestHTMLBodyLimit(t *testing.T) {
	r := fixture()
	for i := range r.Verdicts {
		if r.Verdicts[i].Outcome == verdict.Fail && r.Verdicts[i].Blocking {
			r.Verdicts[i].Exchanges[0].Body = strings.Repeat("a", htmlBodyLimit+100)
		}
	}
	page := renderHTML(t, r)
	if !strings.Contains(page, "… [100 more bytes]") || strings.Contains(page, strings.Repeat("a", htmlBodyLimit+1)) {
		t.Error("body not cut at the HTML limit")
	}
}
