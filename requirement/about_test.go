package requirement

import (
	"net/url"
	"strings"
	"testing"
)

// Every requirement has what its page needs, and abouts holds nothing for an ID the catalogue lacks.
func TestEveryRequirementHasAnAbout(t *testing.T) {
	for _, r := range catalogue {
		a := r.About()
		if strings.TrimSpace(a.Checks) == "" {
			t.Errorf("%s: no Checks", r.ID)
		}
		if strings.TrimSpace(a.Fix) == "" {
			t.Errorf("%s: no Fix", r.ID)
		}
		if len(a.Words) == 0 {
			t.Errorf("%s: no Words (quote the source, or paraphrase it and say so)", r.ID)
		}
		for i, w := range a.Words {
			if strings.TrimSpace(w.Text) == "" || strings.TrimSpace(w.From) == "" {
				t.Errorf("%s: Words[%d] has no text or names no document: %+v", r.ID, i, w)
			}
			if u, err := url.Parse(w.URL); err != nil || u.Scheme != "https" || u.Host == "" {
				t.Errorf("%s: Words[%d] URL %q is not an absolute https URL", r.ID, i, w.URL)
			}
		}
	}
	for id := range abouts {
		if _, ok := Lookup(id); !ok {
			t.Errorf("abouts has %s, which is not in the catalogue", id)
		}
	}
	if a := (Requirement{ID: "NOPE-001"}).About(); a.Checks != "" || len(a.Words) != 0 {
		t.Errorf("About of an unknown ID = %+v, want the zero About", a)
	}
}

// Titles, sources and pages are read by people outside the project: no names of its research notes,
// file names standing in for document titles, or library resource keys.
func TestNoInternalJargon(t *testing.T) {
	jargon := []string{"seed", "ODL", "ODataParameterReaderCore", "errors.md", "call-api.md", "resolve-auth-errors.md",
		"revision-dependent", "graph-contract", "x-graphconform"}
	for _, r := range catalogue {
		a := r.About()
		texts := []string{r.Title, r.Source.Doc, a.Checks, a.Fix}
		for _, w := range a.Words {
			texts = append(texts, w.Text, w.From)
		}
		for _, s := range texts {
			for _, j := range jargon {
				if strings.Contains(s, j) {
					t.Errorf("%s says %q: %q", r.ID, j, s)
				}
			}
		}
	}
}

// A requirement citing the operation's own page keeps OperationPage and OperationPageURL as their
// prefixes: the case generator swaps them for the operation's page (plan/generator.go).
func TestOperationPageSourcesKeepTheirPrefix(t *testing.T) {
	n := 0
	for _, r := range catalogue {
		if strings.HasPrefix(r.Source.URL, OperationPageURL) {
			n++
			if !strings.HasPrefix(r.Source.Doc, OperationPage) {
				t.Errorf("%s: source %q cites the operation's page but does not begin with %q", r.ID, r.Source.Doc, OperationPage)
			}
		}
	}
	if n == 0 {
		t.Fatal("no requirement cites the operation's page")
	}
}
