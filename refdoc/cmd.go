package refdoc

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/graphconform/graphconform/input"
	"github.com/graphconform/graphconform/printable"
)

// Exit codes of the commands.
const (
	ExitOK    = 0
	ExitDrift = 1 // drift: the revisions differ
	ExitError = 2
)

// ParseFile reads and parses a reference page.
func ParseFile(path string) (*Page, error) {
	data, err := input.ReadFile(path, input.Page, "reference pages")
	if err != nil {
		return nil, err
	}
	return Parse(filepath.Base(path), data)
}

// parseArgs parses flags placed before, between or after the positional arguments: the usage line
// puts options first, but people append them.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// helpOrError: -h asked for the usage (printed, success); any other flag error is a usage error.
func helpOrError(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	return ExitError
}

// FromDocsMain is `graphconform from-docs [--revision NAME] [-o FILE] PAGE.md...`: it writes the
// OpenAPI description of the pages' operations (stdout unless -o). Exit 0, or 2 on any error.
func FromDocsMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("from-docs", flag.ContinueOnError)
	fs.SetOutput(stderr)
	rev := fs.String("revision", DefaultRevision, "name of the permission-table revision in x-ms-permissions")
	out := fs.String("o", "", "write the description to `FILE` instead of standard output")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: graphconform from-docs [--revision NAME] [-o FILE] PAGE.md...")
		fmt.Fprintln(stderr, "Reads Microsoft Graph reference pages (markdown, any locale) and writes their OpenAPI description.")
		fs.PrintDefaults()
	}
	files, err := parseArgs(fs, args)
	if err != nil {
		return helpOrError(err) // the flag package has printed the problem and the usage
	}
	if len(files) == 0 {
		fs.Usage()
		return ExitError
	}
	if strings.TrimSpace(*rev) == "" {
		fmt.Fprintln(stderr, "from-docs: --revision must not be empty")
		return ExitError
	}
	var pages []*Page
	for _, f := range files {
		p, err := ParseFile(f)
		if err != nil {
			fmt.Fprintf(stderr, "from-docs: %s\n", printable.Line(err.Error()))
			return ExitError
		}
		pages = append(pages, p)
	}
	data, err := Describe(pages, Options{Revision: *rev})
	if err != nil {
		fmt.Fprintf(stderr, "from-docs: %s\n", printable.Line(err.Error()))
		return ExitError
	}
	if *out == "" {
		_, err = stdout.Write(data)
	} else {
		err = os.WriteFile(*out, data, 0o644)
	}
	if err != nil {
		fmt.Fprintf(stderr, "from-docs: %s\n", printable.Line(err.Error()))
		return ExitError
	}
	return ExitOK
}

// DriftMain is `graphconform drift A.md B.md`: every contract difference from revision A to B, one
// per line. Exit 0 when there is none, 1 when there is drift, 2 on an error.
func DriftMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("drift", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: graphconform drift A.md B.md")
		fmt.Fprintln(stderr, "Reports every contract difference between two revisions of a reference page (exit 0 none, 1 drift, 2 error).")
	}
	files, err := parseArgs(fs, args)
	if err != nil {
		return helpOrError(err)
	}
	if len(files) != 2 {
		fs.Usage()
		return ExitError
	}
	diffs, err := driftFiles(files[0], files[1])
	if err != nil {
		fmt.Fprintf(stderr, "drift: %s\n", printable.Line(err.Error()))
		return ExitError
	}
	for _, d := range diffs {
		fmt.Fprintln(stdout, printable.Line(d.String())) // a page from the web may hold escape sequences
	}
	if len(diffs) == 0 {
		fmt.Fprintf(stdout, "no contract difference between %s and %s\n", files[0], files[1])
		return ExitOK
	}
	fmt.Fprintf(stdout, "%d contract difference(s) from %s to %s\n", len(diffs), files[0], files[1])
	return ExitDrift
}

func driftFiles(a, b string) ([]Difference, error) {
	pa, errA := ParseFile(a)
	pb, errB := ParseFile(b)
	if err := errors.Join(errA, errB); err != nil {
		return nil, err
	}
	return Drift(pa, pb)
}
