package config

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/graphconform/graphconform/permissions"
	"github.com/graphconform/graphconform/report"
	"github.com/graphconform/graphconform/requirement"
	"github.com/graphconform/graphconform/spec"
	"github.com/graphconform/graphconform/suites/conformance"
)

// Kind is the type of a run option's value.
type Kind string

// Kinds of run options.
const (
	String   Kind = "string"
	Bool     Kind = "bool"
	Duration Kind = "duration" // a Go duration, 0 or more; 0 is the default behaviour
	List     Kind = "list"     // a repeatable flag; comma-separated in a variable
	Int      Kind = "int"      // a whole number, 1 or more
	Number   Kind = "number"   // a decimal number, 0 or more; 0 is the default behaviour
)

// Entry is a command that reads run options.
type Entry uint8

// The two entries: `graphconform run`, and the Ginkgo suite (`ginkgo run ./suites/...`, `go test`).
const (
	EntryRun Entry = 1 << iota
	EntrySuite
	bothEntries = EntryRun | EntrySuite
)

// Option is one run option: its flag, environment variable, config-file key, type, default and
// usage, and how its value sets a run. Both entries bind their flags from Options and resolve them
// with one precedence rule (Flags.Resolve), so they cannot drift apart again.
type Option struct {
	Name    string // flag name, without dashes
	Env     string // environment variable; "" for options no environment may set behind a command line
	Key     string // config-file key (a dotted path); "" when the file has none
	Kind    Kind
	Arg     string // the value's placeholder in a synopsis ("" for a bool)
	Default string // as text; "" is the zero value
	Usage   string
	Entries Entry
	// Choices, when set, are the only values accepted.
	Choices []string
	set     func(r *Run, v value) error
}

// value is an option's value parsed according to its Kind.
type value struct {
	s string
	b bool
	d time.Duration
	l []string
	n float64
}

// Run is a resolved command line: the run's configuration and the options that steer the command
// rather than the run.
type Run struct {
	Config conformance.Config
	// ConfigFile is the config file that was read ("" when none).
	ConfigFile string
	// DryRun and Verbose are graphconform run's own (Ginkgo has --ginkgo.dry-run and -v).
	DryRun, Verbose bool
	// GinkgoReport is what graphconform run writes to ginkgo-report.json (GinkgoReport*).
	GinkgoReport string
}

// Values of --ginkgo-report.
const (
	GinkgoReportSlim = "slim"
	GinkgoReportFull = "full"
	GinkgoReportNone = "none"
)

// RunOptions is the one table of run options, in the order `graphconform run -h` lists them.
//
// dry-run has no variable on purpose: a variable left set in a CI job would make every run send
// nothing and exit 0, a green run that judged nothing.
var RunOptions = []Option{
	{Name: "config", Env: "GRAPHCONFORM_CONFIG", Kind: String, Arg: "FILE", Entries: bothEntries,
		Usage: "YAML config: target and personas (see docs/usage.md); without it, the embedded mock and its fixture personas",
		set:   func(r *Run, v value) error { r.ConfigFile = v.s; return nil }},
	{Name: "base-url", Env: "GRAPHCONFORM_BASE_URL", Key: "target.baseURL", Kind: String, Arg: "URL", Entries: bothEntries,
		Usage: "target service root, e.g. https://graph.example.com/v1.0 (default: the embedded reference mock)",
		set:   func(r *Run, v value) error { r.Config.BaseURL = strings.TrimRight(v.s, "/"); return nil }},
	{Name: "report-dir", Env: "GRAPHCONFORM_REPORT_DIR", Kind: String, Arg: "DIR", Entries: bothEntries,
		Usage: "write report.json, junit.xml, report.html and ginkgo-report.json here (checked before anything is sent)",
		set:   func(r *Run, v value) error { r.Config.ReportDir = v.s; return nil }},
	{Name: "strict", Env: "GRAPHCONFORM_STRICT", Key: "run.strict", Kind: Bool, Entries: bothEntries,
		Usage: requirement.StrictUsage(),
		set:   func(r *Run, v value) error { r.Config.Strict = v.b; return nil }},
	{Name: "certify", Env: "GRAPHCONFORM_CERTIFY", Key: "run.certify", Kind: Bool, Entries: bothEntries,
		Usage: "certification: the gate also fails when a MUST (a SHOULD too with --strict) was not exercised or did not apply, naming the persona or input that would exercise it",
		set:   func(r *Run, v value) error { r.Config.Certify = v.b; return nil }},
	{Name: "timeout", Env: "GRAPHCONFORM_TIMEOUT", Key: "run.timeout", Kind: Duration, Arg: "DURATION", Entries: bothEntries,
		Usage: "bound on the whole run, e.g. 30m; when it expires the run stops and reports INCOMPLETE (exit 3) (default: Ginkgo's 1h)",
		set:   func(r *Run, v value) error { r.Config.RunTimeout = v.d; return nil }},
	{Name: "request-timeout", Env: "GRAPHCONFORM_REQUEST_TIMEOUT", Key: "target.timeout", Kind: Duration, Arg: "DURATION", Entries: bothEntries,
		Usage: "bound on one HTTP exchange (default 10s)",
		set:   func(r *Run, v value) error { r.Config.Timeout = v.d; return nil }},
	{Name: "concurrency", Env: "GRAPHCONFORM_CONCURRENCY", Key: "target.concurrency", Kind: Int, Arg: "N",
		Default: strconv.Itoa(conformance.DefaultConcurrency), Entries: bothEntries,
		Usage: "cases run at once against the target; 1 runs them one at a time. Throttling (429/503) lowers it for a while (see docs/usage.md, Concurrency)",
		set:   func(r *Run, v value) error { r.Config.Concurrency = int(v.n); return nil }},
	{Name: "rate", Env: "GRAPHCONFORM_RATE", Key: "target.rate", Kind: Number, Arg: "PER-SECOND", Entries: bothEntries,
		Usage: "cap on the requests sent per second, e.g. 20 or 0.5 (default: no cap)",
		set:   func(r *Run, v value) error { r.Config.Rate = v.n; return nil }},
	{Name: "label-filter", Env: "GRAPHCONFORM_LABEL_FILTER", Kind: String, Arg: "EXPR", Entries: EntryRun,
		Usage: "Ginkgo label filter over requirement IDs, levels, areas, personas, e.g. 'must && !permissions' (the suite entry has --ginkgo.label-filter)",
		set:   func(r *Run, v value) error { r.Config.LabelFilter = v.s; return nil }},
	{Name: "revision", Env: "GRAPHCONFORM_REVISION", Key: "revision", Kind: String, Arg: "current|pre-2021", Entries: bothEntries,
		Usage: "permission-table revision to judge against (default: the description's current one)",
		set:   func(r *Run, v value) error { r.Config.Revision = v.s; return nil }},
	{Name: "partner-id", Env: "GRAPHCONFORM_PARTNER_ID", Key: "target.partnerId", Kind: String, Arg: "ID", Entries: bothEntries,
		Usage: "existing remoteAssistancePartner id (default: each spec creates its own and deletes it)",
		set:   func(r *Run, v value) error { r.Config.PartnerID = v.s; return nil }},
	{Name: "spec", Env: "GRAPHCONFORM_SPEC", Kind: List, Arg: "FILE", Entries: bothEntries,
		Usage: "OpenAPI description file, repeatable or comma-separated (default: the shipped description)",
		set:   func(r *Run, v value) error { r.Config.Specs = v.l; return nil }},
	// Selection (config file: select.operations/paths/tags, replaced whole by any of these).
	{Name: "operation", Env: "GRAPHCONFORM_OPERATION", Kind: List, Arg: "ID", Entries: bothEntries,
		Usage: "select the operation with this operationId, before any contract is built (repeatable or comma-separated)",
		set:   func(r *Run, v value) error { r.Config.Select.OperationIDs = v.l; return nil }},
	{Name: "path", Env: "GRAPHCONFORM_PATH", Kind: List, Arg: "GLOB", Entries: bothEntries,
		Usage: "select the operations whose path template matches this glob, e.g. '/deviceManagement/remoteAssistancePartners/*/*' (repeatable or comma-separated)",
		set:   func(r *Run, v value) error { r.Config.Select.Paths = v.l; return nil }},
	{Name: "tag", Env: "GRAPHCONFORM_TAG", Kind: List, Arg: "TAG", Entries: bothEntries,
		Usage: "select the operations with this tag (repeatable or comma-separated)",
		set:   func(r *Run, v value) error { r.Config.Select.Tags = v.l; return nil }},
	{Name: "permissions", Env: "GRAPHCONFORM_PERMISSIONS", Kind: String, Arg: "FILE", Entries: bothEntries,
		Usage: "Microsoft permissions.json: the permission table of operations whose description has no x-ms-permissions",
		set: func(r *Run, v value) error {
			o, err := permissions.LoadFile(v.s)
			r.Config.Permissions, r.Config.PermissionsFile = o, v.s
			return err
		}},
	{Name: "shard", Env: "GRAPHCONFORM_SHARD", Kind: String, Arg: "i/n", Entries: bothEntries,
		Usage: "run only shard i of n of the specs (e.g. 2/3, one per CI job); graphconform merge joins the shards' report.json",
		set: func(r *Run, v value) error {
			s, err := conformance.ParseShard(v.s)
			r.Config.Shard = s
			return err
		}},
	{Name: "share-entities", Env: "GRAPHCONFORM_SHARE_ENTITIES", Kind: Bool, Entries: bothEntries,
		Usage: "one entity per operation instead of one per spec: fewer requests, less isolation (surveys of large descriptions; see docs/scale.md)",
		set:   func(r *Run, v value) error { r.Config.ShareEntities = v.b; return nil }},
	{Name: "exchanges", Env: "GRAPHCONFORM_EXCHANGES", Kind: String, Arg: "all|failures", Default: conformance.ExchangesFailures, Entries: bothEntries,
		Choices: []string{conformance.ExchangesAll, conformance.ExchangesFailures},
		Usage:   "which verdicts carry their HTTP exchanges in the reports: all, or failures (large runs: less time and memory)",
		set:     func(r *Run, v value) error { r.Config.Exchanges = v.s; return nil }},
	{Name: "ginkgo-report", Env: "GRAPHCONFORM_GINKGO_REPORT", Kind: String, Arg: "slim|full|none", Default: GinkgoReportSlim, Entries: EntryRun,
		Choices: []string{GinkgoReportSlim, GinkgoReportFull, GinkgoReportNone},
		Usage:   "ginkgo-report.json in the report directory: slim (Ginkgo's spec reports without the verdicts, which report.json holds), full, or none (the suite entry has --ginkgo.json-report)",
		set:     func(r *Run, v value) error { r.GinkgoReport = v.s; return nil }},
	{Name: "mutant", Env: "GRAPHCONFORM_MUTANT", Kind: String, Arg: "NAME", Entries: bothEntries,
		Usage: "serve this mutant of the embedded mock instead of the reference (graphconform mutants lists them)",
		set:   func(r *Run, v value) error { r.Config.Mutant = v.s; return nil }},
	// rerun has no variable and no config-file key, like dry-run: one left set in a CI job would make
	// every later run judge only a previous run's failures, a green run of a fraction of the suite.
	{Name: "rerun", Kind: String, Arg: "REPORT", Entries: bothEntries,
		Usage: "run only the specs that did not pass in this report.json (or its directory): failed, skipped, or never run by an incomplete run; the same description only",
		set: func(r *Run, v value) error {
			rr, err := conformance.ReadRerun(v.s)
			r.Config.Meta.Rerun = rr
			return err
		}},
	{Name: "dry-run", Kind: Bool, Entries: EntryRun,
		Usage: "list every request the run would send (method, URL, persona) and send none",
		set:   func(r *Run, v value) error { r.DryRun = v.b; return nil }},
	{Name: "v", Kind: Bool, Entries: EntryRun,
		Usage: "verbose Ginkgo output",
		set:   func(r *Run, v value) error { r.Verbose = v.b; return nil }},
}

// For is the options entry e has, in table order.
func For(e Entry) []Option {
	var out []Option
	for _, o := range RunOptions {
		if o.Entries&e != 0 {
			out = append(out, o)
		}
	}
	return out
}

// Synopsis is the options of entry e as a usage line: [--config FILE] [--strict] ...
func Synopsis(e Entry) string {
	var parts []string
	for _, o := range For(e) {
		s := "[" + o.flagName()
		if o.Kind != Bool {
			s += " " + o.Arg
		}
		s += "]"
		if o.Kind == List {
			s += "..."
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

// source names where a value came from, for errors.
type source struct {
	kind string // "flag", "env", "file", "default"
	name string // --strict, GRAPHCONFORM_STRICT, the file's error prefix
}

// raw is one option's text from the source that won; no text means no source gave one.
type raw struct {
	text []string // a List's items; one element otherwise
	from source
}

// pick is the precedence rule, written once for both entries and every option: a flag on the
// command line, else its environment variable, else its config-file key, else the default. An
// empty value counts as not given at every level (an empty GRAPHCONFORM_SHARD="" in a pod spec is
// "unset"); --strict=false is not empty, so it does override GRAPHCONFORM_STRICT=true.
func (o Option) pick(flagVal *flagValue, lookup func(string) (string, bool), f *File) raw {
	if flagVal != nil && len(flagVal.items) > 0 {
		return raw{text: flagVal.items, from: source{"flag", o.flagName()}}
	}
	if o.Env != "" {
		if v, _ := lookup(o.Env); v != "" {
			return raw{text: splitItems(o.Kind, v), from: source{"env", o.Env}}
		}
	}
	if f != nil && o.Key != "" {
		if v, ok := f.keyValue(o.Key); ok && v != "" {
			return raw{text: splitItems(o.Kind, v), from: source{"file", f.errorf(o.Key, "").Error()}}
		}
	}
	return raw{text: splitItems(o.Kind, o.Default), from: source{"default", "the default of " + o.flagName()}}
}

// splitItems is a List's comma-separated items, or the value itself.
func splitItems(k Kind, s string) []string {
	if k != List {
		if s == "" {
			return nil
		}
		return []string{s}
	}
	// Commas inside (), [] and {} do not split: Graph function paths and glob classes hold them.
	var out []string
	for _, p := range spec.SplitList(s) {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// parse reads the text by the option's kind. The error is the problem only; badValue names the
// source and the value.
func (o Option) parse(items []string) (value, error) {
	var s string
	if len(items) > 0 {
		s = strings.TrimSpace(items[len(items)-1]) // a repeated non-list flag: the last one wins, as with package flag
	}
	switch o.Kind {
	case Bool:
		if s == "" {
			return value{}, nil
		}
		b, err := strconv.ParseBool(s)
		if err != nil {
			return value{}, fmt.Errorf("not a boolean; write true or false")
		}
		return value{b: b}, nil
	case Duration:
		if s == "" {
			return value{}, nil
		}
		d, err := time.ParseDuration(s)
		if err != nil || d < 0 {
			return value{}, fmt.Errorf("not a Go duration of 0 or more; write e.g. 30s or 1m30s")
		}
		return value{d: d}, nil
	case List:
		return value{l: items}, nil
	case Int:
		if s == "" {
			return value{}, nil
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxInt {
			return value{}, fmt.Errorf("not a whole number from 1 to %d", maxInt)
		}
		return value{n: float64(n)}, nil
	case Number:
		if s == "" {
			return value{}, nil
		}
		n, err := strconv.ParseFloat(s, 64)
		if err != nil || !(n >= 0 && n <= maxInt) { // also refuses NaN
			return value{}, fmt.Errorf("not a number from 0 to %d; write e.g. 20 or 0.5", maxInt)
		}
		return value{n: n}, nil
	}
	if len(o.Choices) > 0 && s != "" && !contains(o.Choices, s) {
		return value{}, fmt.Errorf("want %s", strings.Join(o.Choices, " or "))
	}
	return value{s: s}, nil
}

// maxInt bounds Int and Number options: no target is served by more cases at once or requests a
// second, and a bound keeps a typo (1e9) from starting a billion workers.
const maxInt = 10000

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// badValue is a value its kind refuses, in one line naming where it came from:
// `--exchanges "some": want all or failures`, `GRAPHCONFORM_STRICT="maybe": not a boolean; ...`,
// `file.yaml:3: run.strict: "maybe": not a boolean; ...`.
func (r raw) badValue(err error) error {
	v := strings.Join(r.text, ",")
	switch r.from.kind {
	case "env":
		return fmt.Errorf("%s=%q: %v", r.from.name, v, err)
	case "file":
		return fmt.Errorf("%s%q: %v", r.from.name, v, err) // the file's prefix ends in ": "
	}
	return fmt.Errorf("%s %q: %v", r.from.name, v, err)
}

// errorAt is an error of using a value (a file that cannot be read, a shard out of range), which
// names the value itself: the source is put in front.
func (r raw) errorAt(err error) error {
	if r.from.kind == "file" {
		return fmt.Errorf("%s%v", r.from.name, err)
	}
	return fmt.Errorf("%s: %v", r.from.name, err)
}

// ResolveOptions tune Resolve.
type ResolveOptions struct {
	// LookupEnv reads the environment (variables and ${VAR} in the config file); nil means
	// os.LookupEnv.
	LookupEnv func(string) (string, bool)
}

// Resolve applies every option of the entry in its one order of precedence (see pick), then reads
// the config file's personas and TLS settings. Every local check comes before anything is sent:
// a bad value, an unusable report directory and a bad config file are errors here, before a token
// endpoint or the target hears from the run.
func (f *Flags) Resolve(ctx context.Context, ro ResolveOptions) (Run, error) {
	lookup := ro.LookupEnv
	if lookup == nil {
		lookup = os.LookupEnv
	}
	var run Run
	opts := For(f.entry)
	// The config file is itself an option (flag or variable); it must be read before the options
	// whose value it may hold.
	var file *File
	for _, o := range opts {
		if o.Name != "config" {
			continue
		}
		r := o.pick(f.vals[o.Name], lookup, nil)
		v, err := o.parse(r.text)
		if err != nil {
			return run, r.badValue(err)
		}
		if v.s != "" {
			if file, err = ReadFile(v.s, lookup); err != nil {
				return run, err
			}
		}
	}
	for _, o := range opts {
		r := o.pick(f.vals[o.Name], lookup, file)
		v, err := o.parse(r.text)
		if err != nil {
			return run, r.badValue(err)
		}
		if len(r.text) == 0 {
			continue // nothing given anywhere and no default: leave the zero value
		}
		if err := o.set(&run, v); err != nil {
			return run, r.errorAt(err)
		}
	}
	if !run.DryRun && run.Config.ReportDir != "" {
		// A dry run writes no reports; any other run learns now, not after every request was sent.
		if err := report.CheckDir(run.Config.ReportDir); err != nil {
			return run, err
		}
	}
	if file == nil {
		return run, nil
	}
	cfg, err := file.Config(ctx, run.Config, Options{Offline: run.DryRun, LookupEnv: lookup})
	run.Config = cfg
	return run, err
}

// Flags are the run options of one entry bound on a flag set.
type Flags struct {
	entry Entry
	vals  map[string]*flagValue
}

// BindFlags registers entry e's options on fs; Resolve then reads them with the environment and
// the config file. Each usage line names the option's variable and config-file key.
func BindFlags(fs *flag.FlagSet, e Entry) *Flags {
	f := &Flags{entry: e, vals: map[string]*flagValue{}}
	for _, o := range For(e) {
		v := &flagValue{opt: o}
		f.vals[o.Name] = v
		fs.Var(v, o.Name, o.usageLine())
		fs.Lookup(o.Name).DefValue = o.Default
	}
	return f
}

// Precedence is the rule of pick, for help texts.
const Precedence = "Each option comes from the first of: its flag, its environment variable, its config-file key, its default; an empty value counts as not given."

// PrintUsage writes entry e's options for -h, like flag.PrintDefaults but with each value's
// placeholder (FILE, URL, i/n) instead of "value", and the precedence rule.
func PrintUsage(w io.Writer, e Entry) {
	for _, o := range For(e) {
		arg := ""
		if o.Kind != Bool {
			arg = " " + o.Arg
		}
		def := ""
		if o.Default != "" {
			def = " (default " + o.Default + ")"
		}
		fmt.Fprintf(w, "  %s%s\n    \t%s%s\n", o.flagName(), arg, o.usageLine(), def)
	}
	fmt.Fprintf(w, "\n%s\n", Precedence)
}

// flagName is the flag as written on a command line: -v, --strict.
func (o Option) flagName() string {
	if len(o.Name) == 1 {
		return "-" + o.Name
	}
	return "--" + o.Name
}

// usageLine is the usage with where else the option can be set.
func (o Option) usageLine() string {
	var also []string
	if o.Env != "" {
		also = append(also, o.Env)
	}
	if o.Key != "" {
		also = append(also, "config "+o.Key)
	}
	if len(also) == 0 {
		return o.Usage
	}
	return o.Usage + " [" + strings.Join(also, "; ") + "]"
}

// flagValue is one option's text as given on the command line. It is checked by Resolve, like a
// variable's, so a bad value is one line naming the flag rather than the whole usage.
type flagValue struct {
	opt   Option
	items []string
}

func (v *flagValue) String() string {
	if v == nil {
		return ""
	}
	return strings.Join(v.items, ",")
}

func (v *flagValue) Set(s string) error {
	items := splitItems(v.opt.Kind, s)
	if v.opt.Kind == List {
		v.items = append(v.items, items...)
	} else {
		v.items = items
	}
	return nil
}

// IsBoolFlag lets a bool option be given as --strict, without =true.
func (v *flagValue) IsBoolFlag() bool { return v != nil && v.opt.Kind == Bool }

// keyValue is the value of a config-file key that a run option reads, and whether the file sets it.
func (f *File) keyValue(key string) (string, bool) {
	var v *string
	switch key {
	case "revision":
		v = &f.Revision
	case "target.baseURL":
		v = &f.Target.BaseURL
	case "target.partnerId":
		v = &f.Target.PartnerID
	case "target.timeout":
		v = &f.Target.Timeout
	case "target.concurrency":
		v = &f.Target.Concurrency
	case "target.rate":
		v = &f.Target.Rate
	case "run.strict":
		v = &f.Run.Strict
	case "run.certify":
		v = &f.Run.Certify
	case "run.timeout":
		v = &f.Run.Timeout
	default:
		return "", false
	}
	return *v, f.present(key)
}

// validateRun checks the file's values of run options by the table's kinds, at parse time, so the
// error has the file's line.
func (f *File) validateRun() error {
	for _, o := range RunOptions {
		if o.Key == "" {
			continue
		}
		v, ok := f.keyValue(o.Key)
		if !ok || v == "" {
			continue
		}
		if _, err := o.parse(splitItems(o.Kind, v)); err != nil {
			return f.errorf(o.Key, "%q: %v", v, err)
		}
	}
	return nil
}
