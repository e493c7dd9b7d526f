package runner

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/graphconform/graphconform/fixtures/mutant"
	"github.com/graphconform/graphconform/requirement"
)

// The committed pages are the generator's output: a catalogue, mutant or case change that is not
// regenerated fails here, saying how to regenerate.
func TestRequirementPagesAreCurrent(t *testing.T) {
	pages, err := requirementPages()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("..", requirementPagesDir)
	want := map[string]string{"README.md": renderIndex(pages)}
	for _, p := range pages {
		want[pageFile(p.Req.ID)] = renderPage(p)
	}
	for name, text := range want {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("%s/%s: %v; run %s", requirementPagesDir, name, err, regenerate)
			continue
		}
		if string(got) != text {
			t.Errorf("%s/%s differs from the generator's output (%s); run %s", requirementPagesDir, name, firstDifference(string(got), text), regenerate)
		}
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if _, ok := want[filepath.Base(f)]; !ok {
			t.Errorf("%s/%s is no requirement's page (the catalogue has no such ID): delete it", requirementPagesDir, filepath.Base(f))
		}
	}
}

// firstDifference names the first line where got and want differ.
func firstDifference(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "line " + strconv.Itoa(i+1) + ": committed " + quote(gl) + ", generated " + quote(wl)
		}
	}
	return "same lines"
}

func quote(s string) string {
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	return strconv.Quote(s)
}

// Every page lists cases: the exemplar's, or the example operation's where the exemplar has none,
// and every requirement's page lists the mutants that break it.
func TestEveryPageHasCasesAndMutants(t *testing.T) {
	pages, err := requirementPages()
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != len(requirement.All()) {
		t.Fatalf("%d pages for %d requirements", len(pages), len(requirement.All()))
	}
	for _, p := range pages {
		ex, sample := p.Exemplar.ByID[p.Req.ID], p.Example.ByID[p.Req.ID]
		if len(ex) == 0 && len(sample) == 0 {
			t.Errorf("%s: neither the exemplar nor the example operation has a case", p.Req.ID)
		}
		text := renderPage(p)
		cases := ex
		if len(cases) == 0 {
			cases = sample
		}
		for _, c := range cases {
			if !strings.Contains(text, cell(c.Name)) {
				t.Errorf("%s: the page does not list the case %q", p.Req.ID, c.Name)
			}
		}
		for _, m := range mutant.All() {
			if m.Breaks == p.Req.ID && !strings.Contains(text, "`"+m.Name+"`") {
				t.Errorf("%s: the page does not list the mutant %s", p.Req.ID, m.Name)
			}
		}
		if len(p.Breaks) == 0 {
			t.Errorf("%s: no mutant breaks it (every check needs one)", p.Req.ID)
		}
	}
}

// renderPage on hand-made data: every section, the level's meaning, quotes and paraphrases told
// apart, Markdown-significant characters escaped outside code, the example's cases when the
// exemplar has none, and no embedded-mock command then (the mock serves the exemplar only).
func TestRenderPage(t *testing.T) {
	p := requirementPage{
		Req: requirement.Requirement{ID: "X-001.1", Level: requirement.Should, Area: requirement.AreaBody,
			Title: "the <name> segment works", Source: requirement.Source{Doc: "RFC 0000", URL: "https://example.org/rfc"}},
		About: requirement.About{Checks: "sends `a<b>` and <c>", Fix: "do | right",
			Words: []requirement.Words{
				{Text: "The quoted words.", From: "RFC 0000 §1", URL: "https://example.org/rfc#1"},
				{Text: "Our summary.", Paraphrase: true, From: "Other doc", URL: "https://example.org/other"},
			}},
		Exemplar: pageCases{Operation: "POST /a", Description: "a.yaml", ByID: map[requirement.ID][]pageCase{}},
		Example: pageCases{Operation: "POST /b", Description: "b.yaml", Personas: "p1",
			ByID: map[requirement.ID][]pageCase{"X-001.1": {{Name: "case | one", Sends: "persona p1"}}}},
		Breaks: []mutant.Mutant{{Name: "x-001.1-bad", Breaks: "X-001.1", Why: "does it wrong", Revision: "old"}},
	}
	got := renderPage(p)
	for _, want := range []string{
		"# X-001.1: the \\<name\\> segment works\n",
		"| Level | SHOULD: a failure fails the run only with --strict; without it, it is reported as advisory |",
		"[RFC 0000](https://example.org/rfc)",
		"The gate: " + requirement.GateRule() + ".",
		"## What it checks\n\nsends `a<b>` and \\<c\\>\n",
		"The exemplar, `POST /a`, gets no case",
		"`POST /b`", "| case \\| one | persona p1 |",
		"> The quoted words.\n>\n> — [RFC 0000 §1](https://example.org/rfc#1)\n",
		"In our words, since the source has no sentence that says it: Our summary. ([Other doc](https://example.org/other))",
		"## How to fix a failure\n\ndo | right\n",
		"| `x-001.1-bad` | does it wrong (served at permission revision old) |",
		"graphconform run --config graphconform.yaml --label-filter X-001.1",
		"graphconform requirements X-001.1",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the page lacks %q:\n%s", want, got)
		}
	}
	for _, never := range []string{"embedded reference mock", "--mutant", "These mutants break another"} {
		if strings.Contains(got, never) {
			t.Errorf("the page says %q:\n%s", never, got)
		}
	}
	// With an exemplar case the page shows it, and how to run it against the mock and the mutant
	// (only a current-revision, non-generic mutant is killed there).
	p.Exemplar.ByID["X-001.1"] = []pageCase{{Name: "exemplar case", Sends: "credential: none"}}
	p.Exemplar.Revisions = map[string]map[requirement.ID][]pageCase{"old": {"X-001.1": {{Name: "old case", Sends: "persona p1"}}}}
	p.Breaks = append(p.Breaks, mutant.Mutant{Name: "x-001.1-generic", Generic: true}, mutant.Mutant{Name: "x-001.1-now"})
	got = renderPage(p)
	for _, want := range []string{"For the exemplar, `POST /a` (a.yaml)", "| exemplar case | credential: none |",
		"graphconform run --label-filter X-001.1   # against the embedded reference mock",
		"graphconform run --strict --mutant x-001.1-now --label-filter X-001.1   # against a mutant: exits 1",
		"At the permission revision old (`--revision old`), its cases differ:\n\n| case | sends |\n|---|---|\n| old case | persona p1 |"} {
		if !strings.Contains(got, want) {
			t.Errorf("the page lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "case \\| one") {
		t.Error("the page shows the example's cases although the exemplar has one")
	}
}

func TestRequirementsCommand(t *testing.T) {
	r := inProcess("requirements")
	if r.code != exitOK || !strings.HasPrefix(r.stdout, "ID") || !strings.Contains(r.stdout, "TITLE") {
		t.Fatalf("table: %s", r)
	}
	for _, q := range requirement.All() {
		if !strings.Contains(r.stdout, string(q.ID)) || !strings.Contains(r.stdout, q.Title) {
			t.Errorf("the table lacks %s or its title", q.ID)
		}
	}

	// One page, as committed; the ID may be lower case, or follow the flags.
	want, err := os.ReadFile(filepath.Join("..", requirementPagesDir, "PERM-004.1.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"requirements", "PERM-004.1"}, {"requirements", "perm-004.1"}} {
		if r := inProcess(args...); r.code != exitOK || r.stdout != string(want) {
			t.Errorf("%v: %s", args, r)
		}
	}
	r = inProcess("requirements", "DISC-001", "--json")
	var one requirementJSON
	if err := json.Unmarshal([]byte(r.stdout), &one); err != nil || one.ID != "DISC-001" || one.Checks == "" || len(one.Words) == 0 ||
		one.Fix == "" || one.Page != "docs/requirements/DISC-001.md" {
		t.Errorf("DISC-001 --json: %v %s", err, r)
	}

	// An unknown ID: one line, exit 2, the nearest IDs.
	r = inProcess("requirements", "DISC-099")
	if r.code != exitUsage || r.stdout != "" || strings.Count(r.stderr, "\n") != 1 ||
		!strings.Contains(r.stderr, `"DISC-099"`) || !strings.Contains(r.stderr, "nearest are DISC-009") {
		t.Errorf("unknown ID: %s", r)
	}
	for _, args := range [][]string{
		{"requirements", "DISC-001", "DISC-002"},
		{"requirements", "--markdown-dir", t.TempDir(), "DISC-001"},
		{"requirements", "--bogus"},
	} {
		if r := inProcess(args...); r.code != exitUsage || r.stdout != "" || r.stderr == "" {
			t.Errorf("%v: %s", args, r)
		}
	}

	// --markdown-dir writes what is committed.
	dir := filepath.Join(t.TempDir(), "pages")
	if r := inProcess("requirements", "--markdown-dir", dir); r.code != exitOK || !strings.Contains(r.stdout, "wrote "+strconv.Itoa(len(requirement.All()))+" requirement pages") {
		t.Fatalf("--markdown-dir: %s", r)
	}
	wrote, _ := filepath.Glob(filepath.Join(dir, "*.md"))
	committed, _ := filepath.Glob(filepath.Join("..", requirementPagesDir, "*.md"))
	if len(wrote) != len(requirement.All())+1 || len(wrote) != len(committed) {
		t.Fatalf("--markdown-dir wrote %d files, %d committed, %d requirements", len(wrote), len(committed), len(requirement.All()))
	}
	for _, f := range wrote {
		got, _ := os.ReadFile(f)
		want, _ := os.ReadFile(filepath.Join("..", requirementPagesDir, filepath.Base(f)))
		if string(got) != string(want) {
			t.Errorf("--markdown-dir's %s differs from the committed page", filepath.Base(f))
		}
	}
}

func TestNearestIDs(t *testing.T) {
	for _, tc := range []struct {
		in    string
		first requirement.ID
	}{{"DISC-099", "DISC-009"}, {"disc-07.1", "DISC-007.1"}, {"PERM-4.1", "PERM-004.1"}, {"AUTH-01", "AUTH-001"}} {
		got := nearestIDs(tc.in, 3)
		if len(got) != 3 || got[0] != tc.first {
			t.Errorf("nearestIDs(%q) = %v, want %s first", tc.in, got, tc.first)
		}
	}
	ids := []string{}
	for _, r := range requirement.All() {
		ids = append(ids, string(r.ID))
	}
	if !sort.StringsAreSorted(ids) {
		t.Error("requirement.All is not sorted; nearestIDs' ties would not be stable")
	}
}
