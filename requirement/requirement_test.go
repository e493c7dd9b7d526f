package requirement

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var idPattern = regexp.MustCompile(`^[A-Z]+-\d{3}(\.\d+)?$`)

// ginkgoForbidden are the characters that make Ginkgo abort the whole suite at tree construction when
// they appear in a label (ginkgo-kinopenapi-facts.md, section 0 and pitfall 4).
const ginkgoForbidden = "&|!,()/"

var knownAreas = map[Area]bool{
	AreaMethod: true, AreaPath: true, AreaHeaders: true, AreaBody: true,
	AreaResponse: true, AreaAuth: true, AreaPermissions: true, AreaErrors: true, AreaEffect: true,
}

func TestCatalogueNotEmpty(t *testing.T) {
	if len(All()) == 0 {
		t.Fatal("All() is empty")
	}
	if len(All()) != len(catalogue) {
		t.Fatalf("All() has %d requirements, catalogue %d", len(All()), len(catalogue))
	}
}

func TestIDsUniqueAndWellFormed(t *testing.T) {
	seen := map[ID]bool{}
	for _, r := range catalogue {
		if !idPattern.MatchString(string(r.ID)) {
			t.Errorf("ID %q does not match %s", r.ID, idPattern)
		}
		if seen[r.ID] {
			t.Errorf("ID %q is used twice", r.ID)
		}
		seen[r.ID] = true
	}
}

// A sub-requirement "X-001.1" refines "X-001"; the parent must exist.
func TestSubRequirementsHaveParent(t *testing.T) {
	for _, r := range catalogue {
		parent, _, ok := strings.Cut(string(r.ID), ".")
		if !ok {
			continue
		}
		if _, found := Lookup(ID(parent)); !found {
			t.Errorf("%s refines %s, which is not in the catalogue", r.ID, parent)
		}
	}
}

func TestEveryRequirementIsComplete(t *testing.T) {
	for _, r := range catalogue {
		t.Run(string(r.ID), func(t *testing.T) {
			switch r.Level {
			case Must, Should, May:
			default:
				t.Errorf("level %q is not MUST, SHOULD or MAY", r.Level)
			}
			if r.Area == "" {
				t.Error("no area")
			} else if !knownAreas[r.Area] {
				t.Errorf("area %q is not one of the declared Area constants", r.Area)
			}
			if strings.TrimSpace(r.Title) == "" {
				t.Error("no title")
			}
			if strings.TrimSpace(r.Source.Doc) == "" {
				t.Error("no source document")
			}
			if r.Source.URL != "" {
				u, err := url.Parse(r.Source.URL)
				if err != nil || u.Scheme != "https" || u.Host == "" {
					t.Errorf("source URL %q is not an absolute https URL (err=%v)", r.Source.URL, err)
				}
			}
		})
	}
}

func TestLabelsAreValidGinkgoLabels(t *testing.T) {
	for _, r := range catalogue {
		labels := r.Labels()
		if len(labels) != 3 {
			t.Errorf("%s: Labels() = %q, want ID, level and area", r.ID, labels)
			continue
		}
		if labels[0] != string(r.ID) || labels[1] != r.Level.Label() || labels[2] != string(r.Area) {
			t.Errorf("%s: Labels() = %q, want [%s %s %s]", r.ID, labels, r.ID, r.Level.Label(), r.Area)
		}
		for _, l := range labels {
			if strings.ContainsAny(l, ginkgoForbidden) {
				t.Errorf("%s: label %q contains one of Ginkgo's forbidden characters %q", r.ID, l, ginkgoForbidden)
			}
			if strings.TrimSpace(l) != l || l == "" {
				t.Errorf("%s: label %q is empty or has surrounding space (Ginkgo trims labels)", r.ID, l)
			}
			// A colon turns a label into a Ginkgo label set ("key:value"), which changes how
			// --label-filter matches it.
			if strings.Contains(l, ":") {
				t.Errorf("%s: label %q contains ':' (would be read as a label set)", r.ID, l)
			}
		}
	}
}

// Level labels, area labels and IDs share one label namespace in --label-filter: they must not collide.
func TestLabelNamespacesDoNotCollide(t *testing.T) {
	levels := map[string]bool{}
	for _, l := range []Level{Must, Should, May} {
		levels[l.Label()] = true
	}
	for a := range knownAreas {
		if levels[string(a)] {
			t.Errorf("area %q collides with a level label", a)
		}
	}
	for _, r := range catalogue {
		id := string(r.ID)
		if levels[strings.ToLower(id)] || knownAreas[Area(strings.ToLower(id))] {
			t.Errorf("ID %q collides with a level or area label", id)
		}
	}
}

func TestLevelLabel(t *testing.T) {
	for _, tc := range []struct {
		l    Level
		want string
	}{{Must, "must"}, {Should, "should"}, {May, "may"}} {
		if got := tc.l.Label(); got != tc.want {
			t.Errorf("%s.Label() = %q, want %q", tc.l, got, tc.want)
		}
	}
}

func TestBlockingTruthTable(t *testing.T) {
	for _, tc := range []struct {
		l      Level
		strict bool
		want   bool
	}{
		{Must, false, true},
		{Must, true, true},
		{Should, false, false},
		{Should, true, true},
		{May, false, false},
		{May, true, false}, // MAY is truly optional: advisory even in strict mode
	} {
		if got := tc.l.Blocking(tc.strict); got != tc.want {
			t.Errorf("%s.Blocking(strict=%v) = %v, want %v", tc.l, tc.strict, got, tc.want)
		}
	}
}

func TestLookup(t *testing.T) {
	for _, r := range catalogue {
		got, ok := Lookup(r.ID)
		if !ok || got != r {
			t.Errorf("Lookup(%q) = %v, %v; want %v, true", r.ID, got, ok, r)
		}
		if got := MustLookup(r.ID); got != r {
			t.Errorf("MustLookup(%q) = %v, want %v", r.ID, got, r)
		}
	}
	for _, id := range []ID{"", "DISC-999", "disc-001", "DISC-001 ", "DISC-1"} {
		if got, ok := Lookup(id); ok {
			t.Errorf("Lookup(%q) = %v, true; want not found", id, got)
		}
	}
}

func TestMustLookupPanicsOnUnknownID(t *testing.T) {
	defer func() {
		r := recover()
		if r == nil {
			t.Fatal("MustLookup of an unknown ID did not panic")
		}
		if msg, _ := r.(string); !strings.Contains(msg, "NOPE-404") {
			t.Errorf("panic %v does not name the unknown ID", r)
		}
	}()
	MustLookup("NOPE-404")
}

func TestAllIsSortedAndACopy(t *testing.T) {
	all := All()
	for i := 1; i < len(all); i++ {
		if all[i-1].ID >= all[i].ID {
			t.Errorf("All() not sorted: %s before %s", all[i-1].ID, all[i].ID)
		}
	}
	first := all[0].ID
	all[0].ID = "MUTATED-000"
	if All()[0].ID != first {
		t.Error("mutating the slice All() returned changed the catalogue")
	}
	if _, ok := Lookup(first); !ok {
		t.Error("mutating the slice All() broke Lookup")
	}
}

func TestStrings(t *testing.T) {
	r := MustLookup("DISC-001")
	s := r.String()
	for _, want := range []string{"DISC-001", "[MUST]", r.Title, r.Source.Doc, r.Source.URL} {
		if !strings.Contains(s, want) {
			t.Errorf("String() = %q, want it to contain %q", s, want)
		}
	}
	if got := (Source{Doc: "RFC 9110"}).String(); got != "RFC 9110" {
		t.Errorf("Source without URL: %q", got)
	}
	if got := (Source{Doc: "RFC 9110", URL: "https://x.test/"}).String(); got != "RFC 9110 <https://x.test/>" {
		t.Errorf("Source with URL: %q", got)
	}
}

// The catalogue must keep the IDs the rest of the project (and graph-contract.md section 6) relies on.
func TestKnownIDsPresent(t *testing.T) {
	for _, id := range []ID{
		"DISC-001", "DISC-002", "DISC-003", "DISC-004", "DISC-005", "DISC-006", "DISC-007", "DISC-007.1",
		"DISC-008", "DISC-009", "DISC-010", "AUTH-001", "AUTH-002", "PERM-001", "PERM-002", "PERM-003",
		"PERM-004", "PERM-004.1", "PERM-005", "ERR-001", "HDR-001",
	} {
		if _, ok := Lookup(id); !ok {
			t.Errorf("%s is missing from the catalogue", id)
		}
	}
	if r := MustLookup("PERM-005"); r.Level != May {
		t.Errorf("PERM-005 (metadata-only permission) is %s, want MAY", r.Level)
	}
}
