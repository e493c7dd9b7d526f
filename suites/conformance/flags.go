package conformance

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/graphconform/graphconform/permissions"
	"github.com/graphconform/graphconform/spec"
)

// Flags are the suite's command-line flags for `ginkgo run ./suites/... -- --base-url=...` and
// `go test ./suites/... -args ...`. Each has an environment variable, so CI can configure the suite
// without touching the command line; a flag wins over its variable. Names avoid go test's own flags.
type Flags struct {
	BaseURL, Revision, Specs, ReportDir, PartnerID, Mutant, ConfigFile, Shard, Permissions, Exchanges string
	Strict, ShareEntities                                                                             bool
	Timeout                                                                                           time.Duration
	fs                                                                                                *flag.FlagSet

	// Operations, Paths and Tags select operations (comma-separated, spec.SplitList).
	Operations, Paths, Tags string
}

// Environment variables read by Flags.
const (
	EnvBaseURL   = "GRAPHCONFORM_BASE_URL"
	EnvRevision  = "GRAPHCONFORM_REVISION"
	EnvSpec      = "GRAPHCONFORM_SPEC"
	EnvReportDir = "GRAPHCONFORM_REPORT_DIR"
	EnvPartnerID = "GRAPHCONFORM_PARTNER_ID"
	EnvMutant    = "GRAPHCONFORM_MUTANT"
	EnvStrict    = "GRAPHCONFORM_STRICT"
	EnvConfig    = "GRAPHCONFORM_CONFIG"
	EnvShard     = "GRAPHCONFORM_SHARD"
	EnvShare     = "GRAPHCONFORM_SHARE_ENTITIES"
	EnvPerms     = "GRAPHCONFORM_PERMISSIONS"
	EnvExchanges = "GRAPHCONFORM_EXCHANGES"
	EnvOperation = "GRAPHCONFORM_OPERATION"
	EnvPath      = "GRAPHCONFORM_PATH"
	EnvTag       = "GRAPHCONFORM_TAG"
)

// BindFlags registers the flags on fs.
func BindFlags(fs *flag.FlagSet) *Flags {
	f := &Flags{fs: fs}
	fs.StringVar(&f.BaseURL, "base-url", "", "target service root, e.g. https://graph.example/v1.0 (default: the embedded reference mock) ["+EnvBaseURL+"]")
	fs.StringVar(&f.ConfigFile, "config", "", "graphconform YAML config (target, personas) ["+EnvConfig+"]")
	fs.StringVar(&f.Revision, "revision", "", "permission-table revision: current or pre-2021 ["+EnvRevision+"]")
	fs.StringVar(&f.Specs, "spec", "", "comma-separated OpenAPI description files (default: the shipped one) ["+EnvSpec+"]")
	fs.StringVar(&f.ReportDir, "report-dir", "", "write report.json, junit.xml and report.html here ["+EnvReportDir+"]")
	fs.StringVar(&f.PartnerID, "partner-id", "", "existing remoteAssistancePartner id (default: create one per spec) ["+EnvPartnerID+"]")
	fs.StringVar(&f.Mutant, "mutant", "", "serve this mutant of the embedded mock instead of the reference ["+EnvMutant+"]")
	fs.StringVar(&f.Permissions, "permissions", "", "Microsoft permissions.json: the permission table of operations without x-ms-permissions ["+EnvPerms+"]")
	fs.StringVar(&f.Shard, "shard", "", "run only shard i of n of the cases, e.g. 2/3 (graphconform merge joins the reports) ["+EnvShard+"]")
	fs.BoolVar(&f.ShareEntities, "share-entities", false, "one entity per operation instead of one per spec: fewer requests, less isolation ["+EnvShare+"]")
	fs.StringVar(&f.Exchanges, "exchanges", "", "which verdicts carry their HTTP exchanges: all (default) or failures (large runs) ["+EnvExchanges+"]")
	fs.BoolVar(&f.Strict, "strict", false, "SHOULD and MAY failures fail the run too ["+EnvStrict+"]")
	fs.StringVar(&f.Operations, "operation", "", "comma-separated operationIds to select ["+EnvOperation+"]")
	fs.StringVar(&f.Paths, "path", "", "comma-separated path-template globs to select, e.g. /deviceManagement/remoteAssistancePartners/*/* ["+EnvPath+"]")
	fs.StringVar(&f.Tags, "tag", "", "comma-separated tags to select ["+EnvTag+"]")
	fs.DurationVar(&f.Timeout, "request-timeout", 10*time.Second, "bound on one HTTP exchange")
	return f
}

// Config merges flags over environment variables into a Config. Loading a config file is left to
// a ConfigLoader (package config), set by the caller, so this package does not parse YAML.
func (f *Flags) Config() (Config, error) {
	set := map[string]bool{}
	if f.fs != nil {
		f.fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	}
	pick := func(name, val, env string) string {
		if set[name] || val != "" {
			return val
		}
		return os.Getenv(env)
	}
	cfg := Config{
		BaseURL:   pick("base-url", f.BaseURL, EnvBaseURL),
		Revision:  pick("revision", f.Revision, EnvRevision),
		ReportDir: pick("report-dir", f.ReportDir, EnvReportDir),
		PartnerID: pick("partner-id", f.PartnerID, EnvPartnerID),
		Mutant:    pick("mutant", f.Mutant, EnvMutant),
		Exchanges: pick("exchanges", f.Exchanges, EnvExchanges),
	}
	if pf := pick("permissions", f.Permissions, EnvPerms); pf != "" {
		o, err := permissions.LoadFile(pf)
		if err != nil {
			return cfg, fmt.Errorf("--permissions: %w", err)
		}
		cfg.Permissions = o
	}
	if set["request-timeout"] { // otherwise the config's target.timeout (or the client default) applies
		cfg.Timeout = f.Timeout
	}
	if s := pick("spec", f.Specs, EnvSpec); s != "" {
		for _, p := range strings.Split(s, ",") {
			if p = strings.TrimSpace(p); p != "" {
				cfg.Specs = append(cfg.Specs, p)
			}
		}
	}
	cfg.Select = spec.Selector{OperationIDs: spec.SplitList(pick("operation", f.Operations, EnvOperation)),
		Paths: spec.SplitList(pick("path", f.Paths, EnvPath)), Tags: spec.SplitList(pick("tag", f.Tags, EnvTag))}
	shard, err := ParseShard(pick("shard", f.Shard, EnvShard))
	if err != nil {
		return cfg, err
	}
	cfg.Shard = shard
	if cfg.ShareEntities, err = boolFlag(set, "share-entities", f.ShareEntities, EnvShare); err != nil {
		return cfg, err
	}
	if cfg.Strict, err = boolFlag(set, "strict", f.Strict, EnvStrict); err != nil {
		return cfg, err
	}
	if cf := pick("config", f.ConfigFile, EnvConfig); cf != "" {
		if ConfigLoader == nil {
			return cfg, fmt.Errorf("--config %s: no config loader is linked into this binary", cf)
		}
		return ConfigLoader(cf, cfg)
	}
	return cfg, nil
}

// ConfigLoader reads a config file over a base Config (flags win where set). The config package
// sets it; keeping it a variable lets this package stay free of YAML and credentials handling.
var ConfigLoader func(path string, base Config) (Config, error)

// boolFlag is a boolean flag over its environment variable.
func boolFlag(set map[string]bool, name string, val bool, env string) (bool, error) {
	if set[name] {
		return val, nil
	}
	if v := os.Getenv(env); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return false, fmt.Errorf("%s=%q is not a boolean", env, v)
		}
		return b, nil
	}
	return val, nil
}
