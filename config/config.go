// Package config reads graphconform's YAML config file: the target to certify and the personas to
// call it as. Parse only reads text (no network, no files), so it can be fuzzed and unit-tested;
// Load then reads the CA file and fetches client-credentials tokens and returns a
// conformance.Config.
//
// Every problem is one line naming the file, the line, the field and what to do, because the first
// reader of these errors is a CI log.
package config

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/graphconform/graphconform/exchange"
	"github.com/graphconform/graphconform/input"
	"github.com/graphconform/graphconform/suites/conformance"
)

// File is a parsed config file with ${VAR} expanded and every field checked.
type File struct {
	// Revision of the permission table to judge against ("current", "pre-2021"); "" = current.
	Revision string    `yaml:"revision"`
	Target   Target    `yaml:"target"`
	Run      RunKeys   `yaml:"run"`
	Personas []Persona `yaml:"personas"`
	// Select picks the operations to exercise (select.go).
	Select *Select `yaml:"select"`
	// Operations are per-operation settings by operationId.
	Operations map[string]Operation `yaml:"operations"`
	// Product names what the run certifies, for the reports (product.go).
	Product *Product `yaml:"product"`

	name   string
	lines  map[string]int   // field path → line of its key, for errors found after decoding
	atLine map[int][]string // line → field paths whose keys are on it, in file order
}

// Target is the implementation under test.
type Target struct {
	BaseURL   string `yaml:"baseURL"`
	PartnerID string `yaml:"partnerId"`
	// Keys are existing entities by path-parameter name ("user-id": "..."), for keys the suite
	// cannot (or should not) create; partnerId is a shorthand for remoteAssistancePartner-id.
	Keys map[string]string `yaml:"keys"`
	// AllowMutation confirms state-changing requests to a non-loopback target.
	AllowMutation bool `yaml:"allowMutation"`
	// FixtureIssuer says the target trusts the suite's fixture token issuer (fixtureissuer.go).
	FixtureIssuer bool `yaml:"fixtureIssuer"`
	// Timeout is a Go duration ("10s"); a string so ${VAR} works and errors name the field.
	Timeout            string `yaml:"timeout"`
	InsecureSkipVerify bool   `yaml:"insecureSkipVerify"`
	// CAFile is a PEM bundle; a relative path is relative to the config file.
	CAFile string `yaml:"caFile"`
	// Retry bounds how throttling (429/503 with Retry-After) is waited out.
	Retry *Retry `yaml:"retry"`
	// Concurrency is the cases run at once; Rate caps the requests per second (run options, see
	// RunOptions). Strings, so ${VAR} works and errors name the field.
	Concurrency string `yaml:"concurrency"`
	Rate        string `yaml:"rate"`

	timeout time.Duration
}

// Operation is one operation's settings.
type Operation struct {
	// Body is the request body the documented request sends (any YAML value, sent as JSON),
	// instead of the description's example or a minimal body valid against the request schema.
	Body any `yaml:"body"`
}

// RunKeys are the run options a config file may set (see RunOptions); a flag or an environment
// variable wins over them. Strings, so ${VAR} works and errors name the field.
type RunKeys struct {
	// Strict: SHOULD failures fail the run ("true" or "false").
	Strict string `yaml:"strict"`
	// Certify: the gate fails when a MUST was not exercised.
	Certify string `yaml:"certify"`
	// Timeout bounds the whole run (a Go duration).
	Timeout string `yaml:"timeout"`
}

// Retry overrides exchange.DefaultRetry field by field.
type Retry struct {
	// Max is how many throttling answers one request waits out (0 disables waiting).
	Max *int `yaml:"max"`
	// MaxWait caps one wait, whatever Retry-After asks (a Go duration).
	MaxWait string `yaml:"maxWait"`

	maxWait time.Duration
}

// Persona is one identity; exactly one of Token, Mint and ClientCredentials says how it gets a token.
type Persona struct {
	Name              string             `yaml:"name"`
	Account           string             `yaml:"account"`
	Permissions       []string           `yaml:"permissions"`
	Token             string             `yaml:"token"`
	Mint              bool               `yaml:"mint"`
	ClientCredentials *ClientCredentials `yaml:"clientCredentials"`
}

// ClientCredentials fetches an app-only token (OAuth 2.0 client credentials grant) from Entra ID.
type ClientCredentials struct {
	TenantID     string `yaml:"tenantId"`
	ClientID     string `yaml:"clientId"`
	ClientSecret string `yaml:"clientSecret"`
	// Scope defaults to DefaultScope; several scopes are separated by spaces.
	Scope string `yaml:"scope"`
	// TokenURL overrides the Entra endpoint derived from TenantID (national clouds, tests).
	TokenURL string `yaml:"tokenURL"`
}

// DefaultScope asks for every application permission granted to the app on Microsoft Graph.
const DefaultScope = "https://graph.microsoft.com/.default"

// Options tune Load.
type Options struct {
	// Offline resolves personas without contacting any token endpoint: a clientCredentials persona
	// gets a placeholder token. For dry runs, which must send nothing anywhere.
	Offline bool
	// LookupEnv expands ${VAR}; nil means os.LookupEnv.
	LookupEnv func(string) (string, bool)
}

// Load reads a config file over base. Values already set in base win; personas and secrets come
// from the file. The commands use Flags.Resolve instead, which applies the file's keys in the one
// order of precedence of the run options, run: included; Load, for programs that build a Config
// themselves, leaves the run: keys (run options) to them.
func Load(path string, base conformance.Config) (conformance.Config, error) {
	return LoadWith(path, base, Options{})
}

// LoadWith is Load with options.
func LoadWith(path string, base conformance.Config, o Options) (conformance.Config, error) {
	lookup := o.LookupEnv
	if lookup == nil {
		lookup = os.LookupEnv
	}
	f, err := ReadFile(path, lookup)
	if err != nil {
		return base, err
	}
	return f.Config(context.Background(), base, o)
}

// ReadFile reads and parses a config file; lookup expands ${VAR}. It reads no other file and
// sends nothing.
func ReadFile(path string, lookup func(string) (string, bool)) (*File, error) {
	data, err := input.ReadFile(path, input.Config, "config files")
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("%s: cannot read the config file: %v", path, err)
	}
	return Parse(path, data, lookup)
}

// Config resolves the file into a run configuration over base: it reads the CA file and fetches
// tokens (unless o.Offline).
func (f *File) Config(ctx context.Context, base conformance.Config, o Options) (conformance.Config, error) {
	cfg := base
	t := f.Target
	if cfg.BaseURL == "" {
		cfg.BaseURL = t.BaseURL
	}
	if cfg.PartnerID == "" {
		cfg.PartnerID = t.PartnerID
	}
	for k, v := range t.Keys {
		if cfg.Keys == nil {
			cfg.Keys = map[string]string{}
		}
		if _, set := cfg.Keys[k]; !set {
			cfg.Keys[k] = v
		}
	}
	for id, op := range f.Operations {
		if op.Body == nil {
			continue
		}
		b, err := jsonBody(op.Body)
		if err != nil {
			return base, f.errorf("operations."+id+".body", "cannot be sent as JSON: %v", err)
		}
		if cfg.Bodies == nil {
			cfg.Bodies = map[string][]byte{}
		}
		cfg.Bodies[id] = b
	}
	if cfg.Revision == "" {
		cfg.Revision = f.Revision
	}
	f.applySelect(&cfg)
	f.applyProduct(&cfg)
	if cfg.Retry == nil && t.Retry != nil {
		r := exchange.DefaultRetry
		if t.Retry.Max != nil {
			r.Max = *t.Retry.Max
		}
		if t.Retry.maxWait > 0 {
			r.MaxWait = t.Retry.maxWait
		}
		cfg.Retry = &r
	}
	cfg.AllowMutation = cfg.AllowMutation || t.AllowMutation
	cfg.FixtureIssuer = cfg.FixtureIssuer || t.FixtureIssuer
	if cfg.Timeout == 0 {
		cfg.Timeout = t.timeout
	}
	if cfg.TLS == nil {
		tc, err := f.tlsConfig()
		if err != nil {
			return base, err
		}
		cfg.TLS = tc
	}
	if len(cfg.Personas) == 0 && len(f.Personas) > 0 {
		set, secrets, fetch, err := f.resolvePersonas(cfg.Timeout, o.Offline)
		if err != nil {
			return base, err
		}
		cfg.Personas, cfg.FetchTokens = set, fetch
		cfg.Secrets = append(append([]string(nil), cfg.Secrets...), secrets...)
	}
	return cfg, nil
}

// dir is the directory relative paths in the file are resolved against.
func (f *File) dir() string { return filepath.Dir(f.name) }

// jsonBody turns a YAML value into JSON (YAML maps decode with string keys under yaml.v3).
func jsonBody(v any) ([]byte, error) {
	return json.Marshal(jsonValue(v))
}

func jsonValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = jsonValue(e)
		}
	case map[any]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[fmt.Sprint(k)] = jsonValue(e)
		}
		return m
	case []any:
		for i, e := range x {
			x[i] = jsonValue(e)
		}
	}
	return v
}
