// Package plan turns operation contracts and personas into the suite's cases, one per requirement
// variant, and runs a case against a target into a verdict. It is plain Go: the Ginkgo layer
// (package conformance) only wraps each case in an It, and unit tests run cases without Ginkgo.
package plan

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/graphconform/graphconform/contract"
	"github.com/graphconform/graphconform/exchange"
	"github.com/graphconform/graphconform/persona"
	"github.com/graphconform/graphconform/requirement"
	"github.com/graphconform/graphconform/verdict"
)

// Env is the target a plan runs against.
type Env struct {
	// BaseURL is the service root, e.g. "https://graph.microsoft.com/v1.0" (no trailing slash).
	BaseURL  string
	Personas persona.Set
	// PartnerID is an existing remoteAssistancePartner, a shorthand for
	// Keys["remoteAssistancePartner-id"].
	PartnerID string
	// Keys are existing entities by path-parameter name (target.keys, e.g. "user-id"): a key
	// given here is used as is; one not given is made through its collection's POST, when the
	// description declares one, and deleted afterwards. Function parameters may be given too.
	Keys map[string]string
	// Bodies are request bodies by operationId (operations.<operationId>.body), sent instead of
	// the description's example or a minimal valid body.
	Bodies map[string][]byte
	Client *exchange.Client
	Strict bool
	// Shared, when set, gives all cases of an operation one entity instead of one each (opt-in,
	// see Shared). nil keeps every spec isolated.
	Shared *Shared
	// PassingExchanges keeps the exchanges of passing specs in their verdicts (certification
	// evidence). Without it only failed, skipped and inapplicable specs carry theirs: a large run
	// then spends neither the time to render nor the memory to hold what nobody reads.
	PassingExchanges bool
	// Refusable are genuinely signed tokens the target must refuse all the same (see Refusable). The
	// AUTH-001 cases that need one are skipped, saying so, when it is not given.
	Refusable []Refusable

	// derived registers DerivedSecrets with the client's redactor before the first case runs, so
	// that whatever built the Env, no credential the cases derive can be printed.
	derived sync.Once
}

// Case is one generated spec: one requirement, one variant, one operation.
type Case struct {
	Requirement requirement.Requirement
	// Name is the variant, unique within the operation and requirement, e.g. "no Authorization header".
	Name      string
	Operation *contract.Operation // shared by all cases of the operation
	// Persona is the persona whose token the case sends as its Bearer credential; "" when it sends
	// another credential (Credential).
	Persona string
	// Credential names what the case sends instead of a persona's Bearer token (a Cred* label:
	// none, forged, tampered, wrong-scheme, ...); "" when Persona says it all.
	Credential string
	// Skip, when set, says why the case cannot run with this configuration.
	Skip string
	run  func(t *T) result
	// setup is the operation's setup persona (it makes the fixture entities); schemas are the
	// operation's, shared by its cases.
	setup    string
	schemas  *schemas
	creators map[string]string // generator.creators
}

// Text is the spec text: requirement ID, level and variant. Unique per operation, so every parallel
// Ginkgo process builds the same tree.
func (c *Case) Text() string {
	return fmt.Sprintf("%s [%s] %s", c.Requirement.ID, c.Requirement.Level, c.Name)
}

// Labels are the Ginkgo labels: the requirement's ID, level and area, plus the credential sent
// (Sends).
func (c *Case) Labels() []string {
	l := c.Requirement.Labels()
	if s := c.Sends(); s != "" {
		l = append(l, s)
	}
	return l
}

// Sends names the credential the case sends, as its label: "persona:<name>" for a persona's Bearer
// token, "credential:<label>" for anything else, "" when the case sends nothing at all (a skip).
// The verdict's persona field says the same.
func (c *Case) Sends() string {
	switch {
	case c.Credential != "":
		return "credential:" + sanitizeLabel(c.Credential)
	case c.Persona != "":
		return "persona:" + sanitizeLabel(c.Persona)
	}
	return ""
}

// OperationLabel is the Ginkgo label of an operation's specs: "op:" and its operationId, with the
// characters Ginkgo refuses in a label (a function's "()" in Microsoft's ids) made "_".
func OperationLabel(id string) string { return "op:" + sanitizeLabel(id) }

func sanitizeLabel(s string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune("&|!,()/:", r) || r == ' ' {
			return '_'
		}
		return r
	}, s)
}

// Build generates every case for the operations, in a fixed order. The cases point into ops (one
// contract per operation, not one per case: 200,000 cases at 5,000 operations), so ops must not change.
func Build(ops []contract.Operation, personas persona.Set) []Case {
	return build(ops, func(contract.Permissions) persona.Set { return personas })
}

// BuildDerived is Build where each operation's cases use the personas its own permission table calls
// for (persona.ForContract over base), for a target that trusts the suite's fixture issuer: the
// run's Env must hold persona.ForOperations(ops, base), minted.
func BuildDerived(ops []contract.Operation, base persona.Set) []Case {
	return build(ops, func(p contract.Permissions) persona.Set { return persona.ForContract(p, base) })
}

// build makes every case, each operation's from the personas personasOf its table gives; fixture
// entities are made by the persona personasOf the collection POST's own table allows, if it has one.
func build(ops []contract.Operation, personasOf func(contract.Permissions) persona.Set) []Case {
	var out []Case
	for i := range ops {
		g := generator{op: &ops[i], personas: personasOf(ops[i].Permissions)}
		g.setup = g.allowedPersona()
		g.creators = creatorsOf(&ops[i], personasOf)
		first := len(out)
		out = append(out, g.method()...)
		out = append(out, g.body()...)
		out = append(out, g.path()...)
		out = append(out, g.response()...)
		out = append(out, g.content()...)
		out = append(out, g.auth()...)
		out = append(out, g.permissions()...)
		out = append(out, g.errors()...)
		out = append(out, g.headers()...)
		out = append(out, g.effect()...)
		s := &schemas{}
		for j := first; j < len(out); j++ {
			out[j].setup, out[j].schemas, out[j].creators = g.setup, s, g.creators
			out[j].Requirement = g.worded(out[j].Requirement)
		}
	}
	return out
}

// Inapplicable are the catalogue's requirements the cases of a whole run (before any shard or label
// filter) hold no case of: nothing the selected operations' contracts declare is what they check
// (no request body for BODY-*, no content for RESP-001, no metadata-only grant for PERM-005). A
// requirement whose cases are all skipped for a missing persona is not among them: it applies, and
// the run did not exercise it.
func Inapplicable(cases []Case) []requirement.ID {
	has := make(map[requirement.ID]bool, len(cases))
	for i := range cases {
		has[cases[i].Requirement.ID] = true
	}
	var out []requirement.ID
	for _, r := range requirement.All() {
		if !has[r.ID] {
			out = append(out, r.ID)
		}
	}
	return out
}

// Execute runs the case. Entities it creates are deleted before it returns, also when the case
// panics: clean-up is plain Go, not a Ginkgo DeferCleanup node (a node per spec cost ~10 % of a run).
// The verdict is redacted by the env's client redactor, and its message made printable and bounded.
func (c *Case) Execute(ctx context.Context, env *Env) verdict.Verdict {
	start := time.Now()
	v := verdict.Verdict{Requirement: c.Requirement, Case: c.Name, Operation: c.Operation.ID, Persona: c.verdictPersona()}
	if c.Skip != "" {
		v.Outcome, v.Message = verdict.Skip, c.Skip
		return v
	}
	env.derived.Do(func() {
		if env.Client != nil && env.Client.Redactor != nil {
			env.Client.Redactor.Add(DerivedSecrets(env.Personas, env.Refusable)...)
		}
	})
	t := &T{ctx: ctx, env: env, c: c}
	defer t.cleanup()
	r := c.run(t)
	v.Outcome, v.Message, v.Expected = r.outcome, env.Client.Text(r.message), r.expected
	if v.Outcome != verdict.Pass || env.PassingExchanges {
		v.Exchanges = t.record()
	}
	v.Blocking = v.Outcome == verdict.Fail && c.Requirement.Level.Blocking(env.Strict)
	v.Duration = time.Since(start)
	return v
}

// VerdictPersona is the persona field of the case's verdict: with the requirement, the case name
// and the operation it names the spec in a report (graphconform run --rerun finds specs by it).
func (c *Case) VerdictPersona() string { return c.verdictPersona() }

// verdictPersona is the verdict's persona field: the persona's name, or the credential label.
func (c *Case) verdictPersona() string {
	if c.Credential != "" {
		return "credential:" + c.Credential
	}
	return c.Persona
}

// result is what a case body decides.
type result struct {
	outcome  verdict.Outcome
	message  string
	expected string
}

func pass() result { return result{outcome: verdict.Pass} }

// judge turns a check's error into a result.
func judge(err error, expected string) result {
	if err != nil {
		return result{outcome: verdict.Fail, message: err.Error(), expected: expected}
	}
	return result{outcome: verdict.Pass, expected: expected}
}

func notApplicable(format string, a ...any) result {
	return result{outcome: verdict.NotApplicable, message: fmt.Sprintf(format, a...)}
}

// broken is a failure to exchange at all (no response, setup failed): never a pass. Only a missing
// setup persona makes it a skip.
func broken(err error, expected string) result {
	if isSkip(err) {
		return result{outcome: verdict.Skip, message: err.Error(), expected: expected}
	}
	return result{outcome: verdict.Fail, message: err.Error(), expected: expected}
}
