// Package conformance is the Ginkgo layer of graphconform: it prepares a run (descriptions,
// contracts, target, personas, cases) in plain Go, then wraps each generated case in an It at
// tree-construction time and writes the reports after the suite. Checks and expectations live in
// package plan; nothing here decides an outcome.
package conformance

import (
	"cmp"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/graphconform/graphconform/contract"
	"github.com/graphconform/graphconform/exchange"
	"github.com/graphconform/graphconform/fixtures/mock"
	"github.com/graphconform/graphconform/fixtures/mutant"
	"github.com/graphconform/graphconform/fixtures/token"
	"github.com/graphconform/graphconform/persona"
	"github.com/graphconform/graphconform/plan"
	"github.com/graphconform/graphconform/redact"
	"github.com/graphconform/graphconform/report"
	"github.com/graphconform/graphconform/requirement"
	"github.com/graphconform/graphconform/spec"
)

// Version is the suite's version, written into every report.
const Version = "0.1.0"

// Config is everything a run needs. The zero value runs the shipped description against the
// embedded reference mock with the fixture personas.
type Config struct {
	// BaseURL is the target's service root; "" starts the embedded reference mock (or Mutant).
	BaseURL string
	// Personas to call the target as; empty with the embedded mock = the fixture personas.
	Personas persona.Set
	// PartnerID is an existing entity; "" makes each spec create and delete its own.
	PartnerID string
	// Keys are existing entities by path-parameter name (target.keys); Bodies are request
	// bodies by operationId (operations.<id>.body). See plan.Env.
	Keys   map[string]string
	Bodies map[string][]byte
	// Revision of the permission table ("current", "pre-2021"); "" = current.
	Revision string
	// Strict makes SHOULD failures fail the run too (requirement.GateRule: MUST always does, MAY never).
	Strict bool
	// Certify fails the gate when a requirement whose failure would fail the run (MUST; SHOULD with
	// Strict) was not exercised (a missing persona or input, a label filter) or did not apply.
	Certify bool
	// RunTimeout bounds the whole run; when it expires the running spec is stopped, the rest are
	// skipped and the reports say INCOMPLETE. 0 leaves Ginkgo's suite timeout (its --timeout, 1h by
	// default) in force.
	RunTimeout time.Duration
	// Specs are OpenAPI description files; empty = the shipped description.
	Specs       []string
	Select      spec.Selector
	Permissions spec.PermissionSource
	Timeout     time.Duration
	TLS         *tls.Config
	Retry       *exchange.RetryPolicy
	// ReportDir receives report.json, junit.xml and report.html; "" writes none.
	ReportDir string
	// Mutant serves a deliberately broken mock instead of the reference one (embedded target only).
	Mutant string
	// AllowMutation must be true to send state-changing requests to a non-loopback target.
	AllowMutation bool
	// Secrets are extra strings to redact everywhere (client secrets).
	Secrets []string
	// FetchTokens, when set, gets the tokens of the personas that have none yet (client
	// credentials grants: the client secret goes to a token endpoint), by persona name. It is the
	// first thing that leaves the machine, so it runs after every local check: Prepare calls it
	// last, through Connect; graphconform run calls Plan, its own checks, then Connect.
	FetchTokens func(ctx context.Context) (map[string]string, error)
	// LabelFilter is recorded in the reports.
	LabelFilter string
	// Shard keeps only this shard's cases (see Shard); the zero value runs them all. It is recorded
	// in the reports, which graphconform merge joins again.
	Shard Shard
	// ShareEntities gives all cases of an operation one entity, created on first use and deleted
	// after the suite, instead of one per case (plan.Shared): a third of the requests, at the price
	// of isolation between the specs of an operation. Off by default.
	ShareEntities bool
	// Concurrency bounds the cases run at once (see concurrent.go); 0 is DefaultConcurrency, 1 runs
	// each case inside its spec, one at a time.
	Concurrency int
	// Rate caps the requests per second sent to the target; 0 is no cap.
	Rate float64
	// Exchanges says which verdicts carry their HTTP exchanges: ExchangesAll ("" too) or
	// ExchangesFailures (every verdict but a pass; large runs save the time and memory).
	Exchanges string
	// PermissionsFile is the permissions.json Permissions was read from: the embedded mock reads
	// it with its own reader (an independent oracle); "" = none.
	PermissionsFile string
	// Meta is what the reports say about the run beside its verdicts, and the report a rerun
	// repeats (run.go, rerun.go).
	Meta Meta
	// FixtureIssuer says the target trusts the suite's fixture token issuer (graphconform mock; the
	// embedded mock always does): each operation's cases then use the personas its own permission
	// table calls for (persona.ForContract over Personas, or over persona.Fixture() when none), all
	// minted before anything is sent, and the AUTH-001 probes only that issuer can sign are minted too.
	FixtureIssuer bool
}

// Values of Config.Exchanges.
const (
	ExchangesAll      = "all"
	ExchangesFailures = "failures"
)

// Prepared is a run ready to register with Ginkgo (or to execute case by case).
type Prepared struct {
	Config Config
	// Descriptions name the loaded descriptions (reports); their contracts are in Operations.
	Descriptions []spec.Identity
	Operations   []contract.Operation
	Env          *plan.Env
	Cases        []plan.Case
	// Target is the base URL as reports show it (redacted).
	Target   string
	Redactor *redact.Redactor
	// Close stops the embedded mock, if one was started.
	Close func()
	// Result is the run as its reports show it, set after the suite (see Register); nil before, on
	// parallel processes other than the first, and when a final interrupt skipped the reporting.
	Result *report.Run
	// connected: Connect has given every persona its token.
	connected bool
	// derivedFrom is the base the personas of each operation are derived from (Config.FixtureIssuer,
	// or the embedded mock without configured personas); nil when every persona applies to every
	// operation.
	derivedFrom persona.Set

	// Inapplicable are the requirements no selected operation's contract gives a case (plan.Inapplicable).
	Inapplicable []requirement.ID
	// Unbuilt are the selected operations no contract could be built for; they are reported as not
	// exercised, with their reasons.
	Unbuilt []spec.Unbuilt
	// Rerun is what Config.Meta.Rerun selected (rerun.go); nil when the run is no rerun.
	Rerun *RerunPlan
}

// Prepare loads and checks everything before a spec runs: a bad description, configuration or
// persona is an error here, never a red or green spec. It is Plan, then Connect.
func Prepare(ctx context.Context, cfg Config) (*Prepared, error) {
	p, err := Plan(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := p.Connect(ctx); err != nil {
		p.Close()
		return nil, err
	}
	return p, nil
}

// Plan is Prepare up to the first thing that leaves the machine: descriptions, the safety
// refusal, the target URL, personas and cases are checked here, and no secret is sent.
func Plan(ctx context.Context, cfg Config) (*Prepared, error) {
	if cfg.Mutant != "" && cfg.Revision == "" {
		// A mutant breaks a rule of one revision; the suite must judge it at that revision.
		if m, ok := mutant.Lookup(cfg.Mutant); ok {
			cfg.Revision = m.Revision
		}
	}
	if cfg.Exchanges != "" && cfg.Exchanges != ExchangesAll && cfg.Exchanges != ExchangesFailures {
		return nil, fmt.Errorf("exchanges %q: want %s or %s", cfg.Exchanges, ExchangesAll, ExchangesFailures)
	}
	p := &Prepared{Config: cfg, Close: func() {}, Redactor: redact.New(cfg.Secrets...)}
	if err := p.loadDescriptions(ctx); err != nil {
		return nil, err
	}
	if err := p.target(); err != nil {
		return nil, err
	}
	if cfg.FetchTokens == nil { // else Connect validates, once the tokens are in
		if err := p.Env.Personas.Validate(); err != nil {
			p.Close()
			return nil, fmt.Errorf("personas: %w", err)
		}
	}
	if len(p.Env.Personas) == 0 {
		p.Close()
		return nil, fmt.Errorf("personas: none configured; the suite cannot call %s as anybody", p.Target)
	}
	p.Redactor.Add(credentials(p.Env)...)
	p.Env.PassingExchanges = cfg.Exchanges != ExchangesFailures
	all := plan.Build(p.Operations, p.Env.Personas)
	if p.derivedFrom != nil {
		all = plan.BuildDerived(p.Operations, p.derivedFrom)
	}
	p.Inapplicable = plan.Inapplicable(all) // before the shard: every shard of a run agrees
	// A rerun keeps what its report did not see pass, before the shard: counts and labels stay right.
	cases, err := p.rerun(all)
	if err != nil {
		p.Close()
		return nil, err
	}
	p.Cases = cfg.Shard.Filter(cases)
	if cfg.ShareEntities {
		shared, closeTarget := &plan.Shared{}, p.Close
		p.Env.Shared = shared
		p.Close = func() { shared.Close(); closeTarget() } // delete them while the target still runs
	}
	return p, nil
}

// Connect gets the tokens still missing (Config.FetchTokens) and teaches the redactor every
// credential of the run. Call it after every local check; a second call does nothing.
func (p *Prepared) Connect(ctx context.Context) error {
	if p.connected {
		return nil
	}
	if fetch := p.Config.FetchTokens; fetch != nil {
		tokens, err := fetch(ctx)
		if err != nil {
			return err
		}
		for i, ps := range p.Env.Personas {
			if tok, ok := tokens[ps.Name]; ok && ps.Token == "" {
				p.Env.Personas[i].Token = tok
			}
		}
		if err := p.Env.Personas.Validate(); err != nil {
			return fmt.Errorf("personas: %w", err)
		}
		p.Redactor.Add(credentials(p.Env)...)
	}
	p.connected = true
	return nil
}

// credentials are the personas' tokens and every credential the cases derive from one (a
// tampered token, a token under another scheme, the refusable probes): each is a secret.
func credentials(env *plan.Env) []string {
	return append(env.Personas.Tokens(), plan.DerivedSecrets(env.Personas, env.Refusable)...)
}

// loadDescriptions turns each description into contracts. A large description file is parsed once
// per machine, not once per process: spec.LoadContractsFile caches its contracts (docs/scale.md).
// Operations that cannot be built go to Unbuilt; only a selection of which nothing can be built is
// an error.
func (p *Prepared) loadDescriptions(ctx context.Context) error {
	cfg := p.Config
	opts := spec.Options{Select: cfg.Select, Revision: cfg.Revision, Permissions: cfg.Permissions}
	seen := map[string]string{}
	add := func(id spec.Identity, b spec.Built) error {
		for _, op := range b.Operations {
			if prev, dup := seen[op.ID]; dup {
				return fmt.Errorf("operation %s is described twice (%s and %s); select one", op.ID, prev, id.Name)
			}
			seen[op.ID] = id.Name
		}
		p.Descriptions = append(p.Descriptions, id)
		p.Operations = append(p.Operations, b.Operations...)
		p.Unbuilt = append(p.Unbuilt, b.Unbuilt...)
		return nil
	}
	var noMatch error // a description the selection misses is an error only if all are missed
	load := func(id spec.Identity, b spec.Built, err error) error {
		if errors.Is(err, spec.ErrNoMatch) && len(cfg.Specs) > 1 {
			noMatch = cmp.Or(noMatch, err)
			return nil
		}
		if err != nil {
			return err
		}
		return add(id, b)
	}
	if len(cfg.Specs) == 0 {
		if err := load(spec.LoadContracts(ctx, spec.DefaultName, spec.DefaultBytes(), opts)); err != nil {
			return err
		}
	}
	for _, f := range cfg.Specs {
		if err := load(spec.LoadContractsFile(ctx, f, opts)); err != nil {
			return err
		}
	}
	if len(p.Descriptions) == 0 && noMatch != nil {
		return fmt.Errorf("no description has an operation the selection matches (%s); first: %w", cfg.Select, noMatch)
	}
	return p.checkBuilt()
}

// target starts the embedded mock or checks the configured base URL, and builds the client.
func (p *Prepared) target() error {
	cfg := p.Config
	personas := cfg.Personas
	var refusable []plan.Refusable
	base := strings.TrimRight(cfg.BaseURL, "/")
	mint := cfg.FixtureIssuer
	if base == "" {
		srv, err := startEmbedded(cfg, p.mockRevision())
		if err != nil {
			return err
		}
		p.Close = func() { _ = srv.Close() }
		base = srv.URL
		mint = mint || len(personas) == 0
	} else {
		if cfg.Mutant != "" {
			return fmt.Errorf("a mutant is served by the embedded mock only; drop the base URL or the mutant")
		}
		if err := checkBaseURL(base, cfg.AllowMutation); err != nil {
			return err
		}
	}
	if mint {
		var err error
		if personas, refusable, err = p.mintDerived(personas); err != nil {
			p.Close()
			return err
		}
	}
	client := exchange.New(exchange.Options{Timeout: cfg.Timeout, TLS: cfg.TLS, Redactor: p.Redactor, Retry: cfg.Retry})
	p.Target = p.Redactor.String(base)
	p.Env = &plan.Env{BaseURL: base, Personas: personas, PartnerID: cfg.PartnerID, Keys: cfg.Keys, Bodies: cfg.Bodies, Client: client, Strict: cfg.Strict,
		Refusable: refusable}
	return nil
}

// mintDerived derives the personas of every selected operation from base (the fixture personas when
// empty) and mints, with the fixture issuer, the tokens they lack and the refusable probes of the
// setup personas: all before anything is sent, so the redactor knows every one.
func (p *Prepared) mintDerived(base persona.Set) (persona.Set, []plan.Refusable, error) {
	if len(base) == 0 {
		base = persona.Fixture()
	}
	p.derivedFrom = base
	all := persona.ForOperations(p.Operations, base)
	var missing persona.Set
	for _, q := range all {
		if q.Token == "" {
			missing = append(missing, q)
		}
	}
	minted, err := token.MintSet(missing, time.Hour)
	if err != nil {
		return nil, nil, fmt.Errorf("minting fixture tokens: %w", err)
	}
	for i, j := 0, 0; i < len(all); i++ {
		if all[i].Token == "" {
			all[i] = minted[j]
			j++
		}
	}
	refusable, err := fixtureRefusable(all, plan.DerivedSetupPersonas(p.Operations, base))
	return all, refusable, err
}

// fixtureRefusable mints the AUTH-001 probes only the fixture issuer can sign (plan.Refusable), for
// the personas that send them (four RSA signatures each).
func fixtureRefusable(set persona.Set, names []string) ([]plan.Refusable, error) {
	iss := token.Fixture()
	var out []plan.Refusable
	for _, name := range names {
		p, _ := set.Lookup(name)
		minted, err := iss.Defective(p)
		if err != nil {
			return nil, fmt.Errorf("minting fixture tokens: %w", err)
		}
		for _, d := range token.Defects {
			out = append(out, plan.Refusable{Persona: p.Name, Defect: d, Token: minted[d]})
		}
	}
	return out, nil
}

// startEmbedded serves the reference mock (or a mutant) on loopback (target mints its personas):
// the reference area for the shipped description, else the run's own descriptions (and
// permissions.json) through the mock's description engine.
func startEmbedded(cfg Config, revision string) (*mock.Server, error) {
	// target.keys name entities that exist without being created: the embedded mock holds them too.
	opts := mock.Options{Revision: revision, Keys: cfg.Keys}
	// A permission source without its file cannot be read by the mock's own reader: such a run is
	// served by the reference area, as before the engine.
	if len(cfg.Specs) > 0 && (cfg.Permissions == nil || cfg.PermissionsFile != "") {
		doc, err := mock.LoadSpecs(cfg.Specs...)
		if err != nil {
			return nil, fmt.Errorf("the embedded mock: %w", err)
		}
		opts.Spec = doc
		if cfg.PermissionsFile != "" {
			if opts.Permissions, err = mock.LoadPermissions(cfg.PermissionsFile); err != nil {
				return nil, fmt.Errorf("the embedded mock: %w", err)
			}
		}
	}
	handler, err := embeddedHandler(cfg.Mutant, opts)
	if err != nil {
		return nil, err
	}
	srv, err := mock.Start(handler)
	if err != nil {
		return nil, fmt.Errorf("starting the embedded mock: %w", err)
	}
	return srv, nil
}

// ErrMutationNotAllowed: a remote target has not opted in to state-changing requests.
var ErrMutationNotAllowed = errors.New("target.allowMutation")

// mockRevision is the revision the embedded mock serves: the one asked for, or else the one the
// contracts resolved to (a description whose only revision is pre-2021 is judged at pre-2021, so the
// reference must serve pre-2021 too), when the mock knows it.
func (p *Prepared) mockRevision() string {
	if p.Config.Revision != "" || len(p.Operations) == 0 {
		return p.Config.Revision
	}
	switch rev := p.Operations[0].Permissions.Revision; rev {
	case mock.RevisionCurrent, mock.RevisionPre2021:
		return rev
	}
	return ""
}

// checkBaseURL refuses URLs that are not http(s), and state-changing runs against a remote target
// that has not opted in: disconnect removes a live TeamViewer connector.
func checkBaseURL(base string, allowMutation bool) error {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("the base URL %q is not an http(s) URL with a host", base)
	}
	if !allowMutation && !IsLoopbackHost(u.Hostname()) {
		return fmt.Errorf("%w: target %s is not a loopback address and the suite sends state-changing requests (disconnect removes a live connector); set target.allowMutation: true to confirm", ErrMutationNotAllowed, u.Host)
	}
	return nil
}

// IsLoopbackHost tells whether a URL host names this machine ("localhost" or a loopback IP): the only
// targets that may be mutated without allowMutation, and the only plain-http token endpoints allowed.
func IsLoopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// embeddedHandler is the reference mock or the named mutant of it.
func embeddedHandler(name string, opts mock.Options) (http.Handler, error) {
	if name == "" {
		return mock.New(opts)
	}
	m, ok := mutant.Lookup(name)
	if !ok {
		return nil, fmt.Errorf("unknown mutant %q (graphconform mutants lists them)", name)
	}
	return m.Handler(opts)
}
