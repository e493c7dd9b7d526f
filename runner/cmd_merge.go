package runner

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/graphconform/graphconform/report"
	"github.com/graphconform/graphconform/suites/conformance"
)

func init() {
	register(command{name: "merge", summary: "merge the report.json files of a run's shards into one report", run: cmdMerge})
	register(command{name: "schema", summary: "print the JSON Schema of report.json (the one merge validates against)", run: cmdSchema})
}

// cmdSchema prints a published schema: "report" (report.json), the only one so far.
func cmdSchema(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("schema", "report", stderr)
	if code, ok := parseFlagsOnly(fs, args); !ok {
		return code
	}
	if fs.NArg() != 1 || fs.Arg(0) != "report" {
		return fail(stderr, exitUsage, "schema: name the schema: graphconform schema report (the JSON Schema of report.json)")
	}
	if _, err := stdout.Write(report.SchemaJSON()); err != nil {
		return fail(stderr, exitConfig, "schema: %v", err)
	}
	return exitOK
}

const mergeSynopsis = "-o DIR [--allow-partial] SHARD_REPORT... (each a report.json or the directory holding it)"

// cmdMerge joins the reports of `graphconform run --shard i/n` jobs (or of any runs of one suite
// against one target, e.g. split by label filter) with report.Merge, writes report.json, junit.xml
// and report.html, and exits like run: 0 when the merged gate passes, 1 when it fails, 3 when it is
// incomplete (a shard was interrupted or, with --allow-partial, missing), 2 for usage errors,
// unreadable or incompatible reports, or missing shards.
func cmdMerge(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("merge", mergeSynopsis, stderr)
	out := fs.String("o", "", "directory for the merged report.json, junit.xml and report.html (required)")
	partial := fs.Bool("allow-partial", false, "merge although some shards of the run are missing (the report records which were merged, and is INCOMPLETE)")
	files, code, ok := parseInterleaved(fs, args)
	if !ok {
		return code
	}
	switch {
	case *out == "":
		return fail(stderr, exitUsage, "merge: -o DIR is required (see -h)")
	case len(files) == 0:
		return fail(stderr, exitUsage, "merge: no reports given; pass each shard's report.json (or its directory)")
	}
	runs := make([]report.Run, len(files))
	for i, f := range files {
		r, err := readReport(f)
		if err != nil {
			return fail(stderr, exitConfig, "merge: %v", err)
		}
		files[i], runs[i] = r.path, r.Run
	}
	shard, missing, err := shardsOf(runs, files, *partial)
	if err != nil {
		return fail(stderr, exitConfig, "merge: %v", err)
	}
	merged, err := report.Merge(runs...)
	if err != nil {
		return fail(stderr, exitConfig, "merge: %v", err)
	}
	merged.Shard = shard
	if len(missing) > 0 { // a partial merge (--allow-partial) did not run the missing shards' specs
		merged.Incomplete = strings.TrimPrefix(merged.Incomplete+"; not merged: shard "+strings.Join(missing, ", "), "; ")
	}
	if err := report.WriteAll(*out, merged); err != nil {
		return fail(stderr, exitConfig, "merge: %v", err)
	}
	fmt.Fprint(stdout, report.Text(merged))
	fmt.Fprintf(stdout, "merged %d reports (%d spec verdicts) into %s\n", len(runs), len(merged.Verdicts),
		filepath.Join(*out, report.JSONFile))
	gate, _ := report.Gate(merged)
	return gateExit(gate)
}

// parseInterleaved parses flags that may come before, between or after the file arguments.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, int, bool) {
	var files []string
	for {
		if code, ok := parseFlagsOnly(fs, args); !ok {
			return nil, code, false
		}
		if fs.NArg() == 0 {
			return files, exitOK, true
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

func parseFlagsOnly(fs *flag.FlagSet, args []string) (int, bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK, false
		}
		return exitUsage, false
	}
	return exitOK, true
}

type shardReport struct {
	report.Run
	path string
}

// readReport reads a report.json, or the report.json in a directory. conformance.ReadReport
// validates it against report.schema.json and its verdicts: a report with an outcome, status or
// level it does not know, or a summary its verdicts contradict, is refused, never merged into a
// PASS. The error names the file and the JSON pointer.
func readReport(path string) (shardReport, error) {
	r, path, err := conformance.ReadReport(path)
	if err != nil {
		return shardReport{}, err
	}
	return shardReport{Run: r, path: path}, nil
}

// shardsOf checks that the reports are the shards of one run, each once: all "i/n" with the same n,
// or none a shard (runs split another way). Missing shards are an error unless partial; the result
// is the merged report's Shard: "" when complete, else the merged indexes, e.g. "1,3/3", and the
// missing shards ("2/3").
func shardsOf(runs []report.Run, files []string, partial bool) (string, []string, error) {
	total, seen := 0, map[int]string{}
	for i, r := range runs {
		if r.Shard == "" {
			if total > 0 || len(seen) > 0 {
				return "", nil, fmt.Errorf("%s is a whole run but %s is shard %s; merge the shards of one run", files[i], files[0], runs[0].Shard)
			}
			continue
		}
		s, err := conformance.ParseShard(r.Shard)
		if err != nil {
			return "", nil, fmt.Errorf("%s: %v", files[i], err)
		}
		switch {
		case i > 0 && total == 0:
			return "", nil, fmt.Errorf("%s is shard %s but %s is a whole run; merge the shards of one run", files[i], r.Shard, files[0])
		case total != 0 && s.Total != total:
			return "", nil, fmt.Errorf("%s is shard %s but %s is of %d shards; shards of one run share n", files[i], r.Shard, files[0], total)
		case seen[s.Index] != "":
			return "", nil, fmt.Errorf("shard %s is given twice (%s and %s)", r.Shard, seen[s.Index], files[i])
		}
		total, seen[s.Index] = s.Total, files[i]
	}
	var have, missing []string
	for i := 1; i <= total; i++ {
		if seen[i] == "" {
			missing = append(missing, fmt.Sprintf("%d/%d", i, total))
		} else {
			have = append(have, strconv.Itoa(i))
		}
	}
	if len(missing) == 0 {
		return "", nil, nil
	}
	if !partial {
		return "", nil, fmt.Errorf("shard %s missing: a merge without it is not the whole run (--allow-partial merges anyway)", strings.Join(missing, ", "))
	}
	return strings.Join(have, ",") + "/" + strconv.Itoa(total), missing, nil
}
