package runner

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/graphconform/graphconform/requirement"
)

//go:generate go run ../cmd/graphconform requirements --markdown-dir ../docs/requirements

func init() {
	register(command{name: "requirements", summary: "list the requirements (ID, level, title), print one's page (requirements ID), or write every page (--markdown-dir DIR)", run: cmdRequirements})
}

// requirementJSON is a requirement with what its page says, for --json.
type requirementJSON struct {
	requirement.Requirement
	Page   string              `json:"page"`
	Checks string              `json:"checks"`
	Words  []requirement.Words `json:"words"`
	Fix    string              `json:"fix"`
}

func toJSON(r requirement.Requirement) requirementJSON {
	a := r.About()
	return requirementJSON{Requirement: r, Page: requirementPagesDir + "/" + pageFile(r.ID), Checks: a.Checks, Words: a.Words, Fix: a.Fix}
}

func cmdRequirements(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("requirements", "[--json] [ID] | --markdown-dir DIR", stderr)
	asJSON := fs.Bool("json", false, "print JSON instead of a table (or of the page, with an ID)")
	dir := fs.String("markdown-dir", "", "write every requirement's page, DIR/<ID>.md, and the index DIR/README.md")
	// One ID may come before or after the flags: requirements DISC-001 --json.
	var id string
	for rest := args; ; {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return exitOK
			}
			return exitUsage
		}
		if fs.NArg() == 0 {
			break
		}
		if id != "" {
			return fail(stderr, exitUsage, "requirements: one ID at most, got %q and %q", id, fs.Arg(0))
		}
		id, rest = fs.Arg(0), fs.Args()[1:]
	}
	switch {
	case *dir != "" && (id != "" || *asJSON):
		return fail(stderr, exitUsage, "requirements: --markdown-dir writes every page; it takes no ID and no --json")
	case *dir != "":
		return writeRequirementPages(*dir, stdout, stderr)
	case id != "":
		return printRequirement(id, *asJSON, stdout, stderr)
	}
	all := requirement.All()
	if *asJSON {
		out := make([]requirementJSON, len(all))
		for i, r := range all {
			out[i] = toJSON(r)
		}
		return encodeJSON(out, stdout, stderr)
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tLEVEL\tAREA\tTITLE")
	for _, r := range all {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Level, r.Area, r.Title)
	}
	tw.Flush()
	return exitOK
}

func encodeJSON(v any, stdout, stderr io.Writer) int {
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fail(stderr, exitFail, "requirements: %v", err)
	}
	return exitOK
}

// printRequirement prints one page; an unknown ID names the nearest ones.
func printRequirement(id string, asJSON bool, stdout, stderr io.Writer) int {
	r, ok := requirement.Lookup(requirement.ID(strings.ToUpper(id))) // IDs are upper case: disc-001 is DISC-001
	if !ok {
		near := nearestIDs(id, 3)
		names := make([]string, len(near))
		for i, n := range near {
			names[i] = string(n)
		}
		return fail(stderr, exitUsage, "requirements: no requirement %q; the nearest are %s (graphconform requirements lists them all)",
			id, strings.Join(names, ", "))
	}
	if asJSON {
		return encodeJSON(toJSON(r), stdout, stderr)
	}
	pages, err := requirementPages()
	if err != nil {
		return fail(stderr, exitFail, "requirements: %v", err)
	}
	for _, p := range pages {
		if p.Req.ID == r.ID {
			fmt.Fprint(stdout, renderPage(p))
		}
	}
	return exitOK
}

// writeRequirementPages writes DIR/<ID>.md for every requirement and DIR/README.md.
func writeRequirementPages(dir string, stdout, stderr io.Writer) int {
	pages, err := requirementPages()
	if err != nil {
		return fail(stderr, exitFail, "requirements: %v", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fail(stderr, exitConfig, "requirements: --markdown-dir: %v", err)
	}
	write := func(name, text string) error {
		return os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644)
	}
	for _, p := range pages {
		if err := write(pageFile(p.Req.ID), renderPage(p)); err != nil {
			return fail(stderr, exitConfig, "requirements: --markdown-dir: %v", err)
		}
	}
	if err := write("README.md", renderIndex(pages)); err != nil {
		return fail(stderr, exitConfig, "requirements: --markdown-dir: %v", err)
	}
	fmt.Fprintf(stdout, "wrote %d requirement pages and README.md to %s\n", len(pages), dir)
	return exitOK
}
