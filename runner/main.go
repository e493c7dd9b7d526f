// Package runner is the graphconform command: it runs the conformance suite against any Microsoft
// Graph-compatible implementation, serves the reference mock and its mutants, mints fixture tokens
// and prints the requirement catalogue. The binary is cmd/graphconform, a call of Main, so that
// `go install .../cmd/graphconform@version` installs a command named graphconform.
//
// Subcommands live in a table filled by init() in each cmd_*.go file, so a new subcommand is a new
// file. Exit codes: 0 success (the gate passed), 1 conformance failure, 2 usage, configuration or
// target-unreachable error, 3 incomplete run (interrupted or timed out before its last spec).
package runner

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/graphconform/graphconform/printable"
)

// Exit codes, stable for CI scripts.
const (
	exitOK     = 0
	exitFail   = 1
	exitUsage  = 2
	exitConfig = 2 // configuration errors and unreachable targets: the run never judged the target
	// exitIncomplete: the run judged only part of what it selected (interrupted, --timeout expired,
	// a merge with a missing or interrupted shard) and found no blocking failure in that part.
	exitIncomplete = 3
	programName    = "graphconform"
)

// command is one subcommand. run receives the arguments after the subcommand name.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

// commands is the subcommand table; cmd_*.go files add to it from init().
var commands = map[string]command{}

func register(c command) {
	if _, dup := commands[c.name]; dup {
		panic("graphconform: subcommand " + c.name + " registered twice")
	}
	commands[c.name] = c
}

// Main runs graphconform with args (without the program name) and returns its exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	return run(args, stdout, stderr)
}

// run dispatches to a subcommand and returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	return runContext(context.Background(), args, stdout, stderr)
}

func runContext(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		usage(stdout)
		return exitOK
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "%s: unknown command %q\n\n", programName, args[0])
		usage(stderr)
		return exitUsage
	}
	return c.run(ctx, args[1:], stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "usage: %s <command> [flags]\n\ncommands:\n", programName)
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-13s %s\n", n, commands[n].summary)
	}
	fmt.Fprintf(w, "\n'%s <command> -h' shows a command's flags. Exit codes: 0 pass, 1 conformance failure, 2 usage, configuration or unreachable target, 3 incomplete run (interrupted, timed out).\n", programName)
}

// newFlags returns a subcommand's own flag set. Ginkgo binds --ginkgo.* to flag.CommandLine at
// init; subcommand flags never touch it, so the two cannot clash.
func newFlags(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(programName+" "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: %s %s %s\n\nflags:\n", programName, name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args; it returns an exit code and false when the command must stop (-h or a
// usage error, already reported).
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) (int, bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK, false
		}
		return exitUsage, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "%s: unexpected argument %q; this command takes flags only (see -h)\n", fs.Name(), fs.Arg(0))
		return exitUsage, false
	}
	return exitOK, true
}

// fail prints a one-line error and returns code. The error may quote a file or a target (a token
// endpoint's answer, a config line): it is made printable and kept on one line.
func fail(stderr io.Writer, code int, format string, a ...any) int {
	msg := fmt.Sprintf(format, a...)
	fmt.Fprintf(stderr, "%s: %s\n", programName, printable.Line(strings.TrimSpace(msg)))
	return code
}

// listFlag is a repeatable flag that also splits on commas: --spec a.yaml --spec b.yaml,c.yaml.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*l = append(*l, p)
		}
	}
	return nil
}
