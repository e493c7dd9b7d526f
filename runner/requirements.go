package runner

import (
	"context"
	_ "embed"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/graphconform/graphconform/fixtures/mutant"
	"github.com/graphconform/graphconform/internal/textdist"
	"github.com/graphconform/graphconform/persona"
	"github.com/graphconform/graphconform/plan"
	"github.com/graphconform/graphconform/requirement"
	"github.com/graphconform/graphconform/spec"
)

// requirementPagesDir is where the pages live in the repository; report.html links a failure to
// <repository>/blob/<commit>/docs/requirements/<ID>.md.
const requirementPagesDir = "docs/requirements"

// regenerate is the command that rewrites the pages, for the pages' footer and the staleness test.
const regenerate = "go generate ./runner (or: go run ./cmd/graphconform requirements --markdown-dir docs/requirements)"

// exampleYAML is the operation whose cases the pages show for requirements the exemplar has no case
// for (an action with parameters, content and a metadata-only permission).
//
//go:embed requirements_example.yaml
var exampleYAML []byte

// pageCase is one case a page lists: its name and what it sends.
type pageCase struct {
	Name  string
	Sends string
}

// pageCases are the cases of one operation, by requirement.
type pageCases struct {
	// Operation is "POST /path", Description the description it comes from.
	Operation, Description string
	// Personas says which personas the cases were built with.
	Personas string
	ByID     map[requirement.ID][]pageCase
	// Revisions are the cases at the other permission revisions the mutants are served at, where
	// they differ from the current revision's: revision -> ID -> cases.
	Revisions map[string]map[requirement.ID][]pageCase
}

// requirementPage is everything one page shows. renderPage turns it into Markdown; nothing else
// decides what a page says.
type requirementPage struct {
	Req   requirement.Requirement
	About requirement.About
	// Cases are the exemplar's; Example's stand in when the exemplar has none for Req.
	Exemplar, Example pageCases
	// Breaks are the mutants that break Req; AlsoFails those that break another requirement and
	// fail Req too.
	Breaks, AlsoFails []mutant.Mutant
}

var (
	casesOnce              sync.Once
	exemplarCases, example pageCases
	casesErr               error
)

// pageCaseSets builds, once, the exemplar's cases (the shipped description, the fixture personas,
// the current permission revision) and the example operation's.
func pageCaseSets() (pageCases, pageCases, error) {
	casesOnce.Do(func() {
		d, err := spec.Default()
		if err == nil {
			exemplarCases, err = casesOf(d, persona.Fixture(), "the fixture personas ("+strings.Join(persona.Fixture().Names(), ", ")+")")
		}
		for _, rev := range otherRevisions() {
			if err != nil {
				break
			}
			var at pageCases
			if at, err = casesAt(d, rev, persona.Fixture()); err == nil {
				exemplarCases.Revisions[rev] = differing(at.ByID, exemplarCases.ByID)
			}
		}
		if err != nil {
			casesErr = fmt.Errorf("the shipped description: %w", err)
			return
		}
		ex, err := spec.Load("runner/requirements_example.yaml", exampleYAML)
		if err == nil {
			people := append(persona.Fixture(), persona.ConfigAdmin())
			example, err = casesOf(ex, people, "the fixture personas and "+persona.ConfigAdmin().Name+
				" (holding only "+strings.Join(persona.ConfigAdmin().Permissions, ", ")+")")
		}
		if err != nil {
			casesErr = fmt.Errorf("the requirement pages' example operation: %w", err)
		}
	})
	return exemplarCases, example, casesErr
}

// otherRevisions are the permission revisions, other than the current one, that mutants are served
// at: the revisions the kill matrix proves, so the ones whose cases a page shows.
func otherRevisions() []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range mutant.All() {
		if r := m.Revision; r != "" && !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	sort.Strings(out)
	return out
}

// differing keeps, per requirement, the cases of at whose names the current revision lacks.
func differing(at, current map[requirement.ID][]pageCase) map[requirement.ID][]pageCase {
	out := map[requirement.ID][]pageCase{}
	for id, cs := range at {
		for _, c := range cs {
			if !slices.Contains(current[id], c) {
				out[id] = append(out[id], c)
			}
		}
	}
	return out
}

func casesOf(d *spec.Description, people persona.Set, who string) (pageCases, error) {
	out, err := casesAt(d, "", people)
	out.Personas = who
	return out, err
}

func casesAt(d *spec.Description, revision string, people persona.Set) (pageCases, error) {
	ops, err := d.Contracts(context.Background(), spec.Options{Revision: revision})
	if err != nil {
		return pageCases{}, err
	}
	texts := make([]string, len(ops))
	for i := range ops {
		texts[i] = ops[i].Text()
	}
	out := pageCases{Operation: strings.Join(texts, ", "), Description: d.Name, ByID: map[requirement.ID][]pageCase{},
		Revisions: map[string]map[requirement.ID][]pageCase{}}
	for _, c := range plan.Build(ops, people) {
		out.ByID[c.Requirement.ID] = append(out.ByID[c.Requirement.ID], pageCase{Name: c.Name, Sends: sends(c)})
	}
	return out, nil
}

// sends says in words what a case sends: "persona admin", "credential: tampered".
func sends(c plan.Case) string {
	switch {
	case c.Skip != "":
		return "skipped unless configured: " + c.Skip
	case c.Credential != "":
		return "credential: " + c.Credential
	case c.Persona != "":
		return "persona " + c.Persona
	}
	return "nothing"
}

// requirementPages assembles the page of every requirement, sorted by ID.
func requirementPages() ([]requirementPage, error) {
	ex, sample, err := pageCaseSets()
	if err != nil {
		return nil, err
	}
	all := mutant.All()
	var out []requirementPage
	for _, r := range requirement.All() {
		p := requirementPage{Req: r, About: r.About(), Exemplar: ex, Example: sample}
		for _, m := range all {
			switch {
			case m.Breaks == r.ID:
				p.Breaks = append(p.Breaks, m)
			case slices.Contains(m.Also, r.ID):
				p.AlsoFails = append(p.AlsoFails, m)
			}
		}
		out = append(out, p)
	}
	return out, nil
}

// levelMeaning says what a failure at the level does to the run, from Level.Blocking (the gate's
// one rule).
func levelMeaning(l requirement.Level) string {
	switch {
	case l.Blocking(false):
		return "a failure always fails the run"
	case l.Blocking(true):
		return "a failure fails the run only with --strict; without it, it is reported as advisory"
	default:
		return "a failure never fails the run: it is always reported as advisory"
	}
}

// md escapes what Markdown would read as HTML ("microsoft.graph.<name>") with backslashes, which
// read well in a terminal too; code spans (`...`) are left as they are.
func md(s string) string {
	parts := strings.Split(s, "`")
	for i := 0; i < len(parts); i += 2 {
		parts[i] = strings.NewReplacer("<", `\<`, ">", `\>`).Replace(parts[i])
	}
	return strings.Join(parts, "`")
}

// cell is md for a table cell.
func cell(s string) string { return strings.ReplaceAll(md(s), "|", `\|`) }

// renderPage writes one requirement's page as Markdown. It is a pure function of its argument.
func renderPage(p requirementPage) string {
	var b strings.Builder
	r, a := p.Req, p.About
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }

	w("# %s: %s\n\n", r.ID, md(r.Title))
	w("<!-- Generated from requirement/catalogue.go by %s. Do not edit. -->\n\n", regenerate)
	w("| | |\n|---|---|\n")
	w("| ID | `%s` |\n", r.ID)
	w("| Level | %s: %s |\n", r.Level, levelMeaning(r.Level))
	w("| Area | %s |\n", r.Area)
	if r.Source.URL != "" {
		w("| Source | [%s](%s) |\n", cell(r.Source.Doc), r.Source.URL)
	} else {
		w("| Source | %s |\n", cell(r.Source.Doc))
	}
	if strings.HasPrefix(r.Source.Doc, requirement.OperationPage) {
		w("\nThe source is each operation's own reference page (its description's externalDocs): a verdict cites the page of the operation it judged.\n")
	}
	w("\nThe gate: %s.\n", requirement.GateRule())

	w("\n## What it checks\n\n%s\n", md(a.Checks))

	w("\n## Its cases\n\n")
	if cs := p.Exemplar.ByID[r.ID]; len(cs) > 0 {
		w("For the exemplar, `%s` (%s), with %s, the suite generates these cases. Every other operation gets the same cases, worded for it (its method, status, permissions and names).\n\n",
			p.Exemplar.Operation, p.Exemplar.Description, p.Exemplar.Personas)
		writeCases(&b, cs)
		for _, rev := range sortedKeys(p.Exemplar.Revisions) {
			if cs := p.Exemplar.Revisions[rev][r.ID]; len(cs) > 0 {
				w("\nAt the permission revision %s (`--revision %s`), its cases differ:\n\n", rev, rev)
				writeCases(&b, cs)
			}
		}
	} else if cs := p.Example.ByID[r.ID]; len(cs) > 0 {
		w("The exemplar, `%s`, gets no case for this requirement as the suite ships it: its contract (the shipped description alone) has nothing this requirement judges. An operation that has gets cases such as these, generated for `%s` (an example action with parameters whose success carries content, %s), with %s:\n\n",
			p.Exemplar.Operation, p.Example.Operation, p.Example.Description, p.Example.Personas)
		writeCases(&b, cs)
	} else {
		w("No operation the pages are built from gets a case for this requirement.\n")
	}

	w("\n## What the source says\n\n")
	for i, q := range a.Words {
		if i > 0 {
			w("\n")
		}
		if q.Paraphrase {
			w("In our words, since the source has no sentence that says it: %s ([%s](%s))\n", md(q.Text), md(q.From), q.URL)
			continue
		}
		w("> %s\n>\n> — [%s](%s)\n", md(q.Text), md(q.From), q.URL)
	}

	w("\n## How to fix a failure\n\n%s\n", md(a.Fix))
	w("\nA failure's message shows what was sent (as a redacted curl command), what came back and where the exchange was written.\n")

	w("\n## The mutants that prove it\n\n")
	if len(p.Breaks) == 0 {
		w("No mutant breaks this requirement yet.\n")
	} else {
		w("Each mutant is the reference mock with this rule broken; the kill matrix (fixtures/selftest) requires the suite to fail %s against it while the reference mock passes.\n\n", r.ID)
		writeMutants(&b, p.Breaks)
	}
	if len(p.AlsoFails) > 0 {
		w("\nThese mutants break another requirement and fail this one too, because its cases send the request they break:\n\n")
		writeMutants(&b, p.AlsoFails)
	}

	w("\n## Run just this requirement\n\n")
	w("```sh\n")
	w("graphconform run --config graphconform.yaml --label-filter %s   # against your implementation\n", r.ID)
	if len(p.Exemplar.ByID[r.ID]) > 0 { // the embedded mock serves the exemplar only
		w("graphconform run --label-filter %s   # against the embedded reference mock\n", r.ID)
		if m, ok := runnableMutant(p.Breaks); ok {
			// The mutant's failure fails the run only where the level blocks: --strict for a SHOULD.
			switch {
			case r.Level.Blocking(false):
				w("graphconform run --mutant %s --label-filter %s   # against a mutant: exits 1\n", m.Name, r.ID)
			case r.Level.Blocking(true):
				w("graphconform run --strict --mutant %s --label-filter %s   # against a mutant: exits 1\n", m.Name, r.ID)
			default:
				w("graphconform run --mutant %s --label-filter %s   # against a mutant: an advisory failure\n", m.Name, r.ID)
			}
		}
	}
	w("graphconform requirements %s   # this page\n", r.ID)
	w("```\n")
	return b.String()
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func writeCases(b *strings.Builder, cs []pageCase) {
	b.WriteString("| case | sends |\n|---|---|\n")
	for _, c := range cs {
		fmt.Fprintf(b, "| %s | %s |\n", cell(c.Name), cell(c.Sends))
	}
}

func writeMutants(b *strings.Builder, ms []mutant.Mutant) {
	b.WriteString("| mutant | what it gets wrong |\n|---|---|\n")
	for _, m := range ms {
		why := m.Why
		if m.Revision != "" {
			why += " (served at permission revision " + m.Revision + ")"
		}
		if m.Generic {
			why += " (applies to any operation)"
		}
		fmt.Fprintf(b, "| `%s` | %s |\n", m.Name, cell(why))
	}
}

// runnableMutant is a mutant `graphconform run --mutant` kills on the shipped description as is:
// one served at the current revision that is not judged on other operations only.
func runnableMutant(ms []mutant.Mutant) (mutant.Mutant, bool) {
	for _, m := range ms {
		if m.Revision == "" && !m.Generic {
			return m, true
		}
	}
	return mutant.Mutant{}, false
}

// renderIndex writes docs/requirements/README.md: every requirement with its level and title.
func renderIndex(pages []requirementPage) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Requirements\n\n")
	fmt.Fprintf(&b, "<!-- Generated from requirement/catalogue.go by %s. Do not edit. -->\n\n", regenerate)
	fmt.Fprintf(&b, "Every requirement graphconform checks, one page each: what it checks, its cases, the source's words, how to fix a failure and the mutants that prove the check can fail. `graphconform requirements ID` prints a page; report.html links each failure to its page.\n\n")
	fmt.Fprintf(&b, "The gate: %s.\n\n", requirement.GateRule())
	fmt.Fprintf(&b, "| ID | level | area | title |\n|---|---|---|---|\n")
	for _, p := range pages {
		fmt.Fprintf(&b, "| [%s](%s.md) | %s | %s | %s |\n", p.Req.ID, p.Req.ID, p.Req.Level, p.Req.Area, cell(p.Req.Title))
	}
	return b.String()
}

// nearestIDs are the catalogue's IDs closest to id (case-insensitive edit distance), at most n.
func nearestIDs(id string, n int) []requirement.ID {
	type scored struct {
		id requirement.ID
		d  int
	}
	in, canon := strings.ToUpper(id), canonicalID(id)
	var all []scored
	for _, r := range requirement.All() {
		all = append(all, scored{r.ID, min(textdist.Edit(in, string(r.ID)), textdist.Edit(canon, string(r.ID)))})
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].d < all[j].d })
	var out []requirement.ID
	for _, s := range all[:min(n, len(all))] {
		out = append(out, s.id)
	}
	return out
}

// idShape reads what people type for an ID: "perm-4.1", "DISC 7", "auth001".
var idShape = regexp.MustCompile(`^([A-Za-z]+)[- ]?0*(\d{1,3})(?:\.(\d+))?$`)

// canonicalID writes id the way the catalogue does (PERM-004.1), or returns it upper-cased.
func canonicalID(id string) string {
	m := idShape.FindStringSubmatch(strings.TrimSpace(id))
	if m == nil {
		return strings.ToUpper(id)
	}
	n, _ := strconv.Atoi(m[2])
	out := fmt.Sprintf("%s-%03d", strings.ToUpper(m[1]), n)
	if m[3] != "" {
		out += "." + m[3]
	}
	return out
}

// pageFile is a page's file name: the ID as is (sub-IDs keep their dot: PERM-004.1.md).
func pageFile(id requirement.ID) string { return string(id) + ".md" }
