package report

import (
	"time"

	"github.com/graphconform/graphconform/requirement"
	"github.com/graphconform/graphconform/verdict"
)

// The fixture covers every way a requirement can end up in a report. The IDs are real catalogue
// IDs whose levels fit the case (a MUST for the blocking failure, a SHOULD for the advisory one).
const (
	idPass         = requirement.ID("DISC-001") // MUST, two passing cases
	idFail         = requirement.ID("DISC-002") // MUST, one of two cases fails: blocking
	idAdvisory     = requirement.ID("DISC-004") // SHOULD fails in non-strict mode: advisory
	idSkip         = requirement.ID("PERM-005") // MAY, skipped: persona not configured
	idNA           = requirement.ID("DISC-010") // SHOULD, not applicable
	idPassSkip     = requirement.ID("DISC-008") // one pass and one skip: pass
	idNotExercised = requirement.ID("AUTH-002") // MUST, no verdict at all
)

// hostile is in the fixture's messages, bodies and headers: every writer must neutralise it.
const hostile = `<script>alert("x")</script>`

var t0 = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

func v(id requirement.ID, kase, persona string, o verdict.Outcome, blocking bool, msg string, d time.Duration) verdict.Verdict {
	return verdict.Verdict{
		Requirement: requirement.MustLookup(id), Case: kase, Operation: "remoteAssistancePartner_disconnect",
		Persona: persona, Outcome: o, Blocking: blocking, Message: msg, Duration: d,
	}
}

func fixture() Run {
	failing := v(idFail, "204 with a body", "admin", verdict.Fail, true,
		"expected no body bytes, got 5\n"+hostile, 30*time.Millisecond)
	failing.Expected = "no body, no Content-Length other than 0"
	failing.Exchanges = []verdict.Exchange{{
		Curl:      "curl -X POST 'https://target.example/deviceManagement/remoteAssistancePartners/p1/disconnect' -H 'Authorization: Bearer [REDACTED]'",
		Status:    204,
		Header:    "Content-Length: 5\nX-Evil: " + hostile,
		Body:      "hello" + hostile,
		BodyBytes: 9000,
	}, {
		Curl:  "curl -X POST 'https://target.example/x'",
		Error: "connection refused",
	}}
	advisory := v(idAdvisory, "empty JSON object", "admin", verdict.Fail, false, "got 400, want 204", 10*time.Millisecond)
	advisory.Exchanges = []verdict.Exchange{{Curl: "curl -X POST -d '{}' https://target.example/y", Status: 400, BodyBytes: 0}}
	return Run{
		Tool: "graphconform", Version: "0.1.0", Description: "disconnect.yaml",
		DescriptionSHA256: "ab12", Revision: "current", Target: "https://target.example",
		Start: t0, End: t0.Add(2500 * time.Millisecond),
		Verdicts: []verdict.Verdict{
			v(idPass, "no body", "admin", verdict.Pass, false, "", 20*time.Millisecond),
			v(idPass, "no body, app persona", "app", verdict.Pass, false, "", 20*time.Millisecond),
			failing,
			v(idFail, "204 without body", "admin", verdict.Pass, false, "", 5*time.Millisecond),
			advisory,
			v(idSkip, "higher-privileged scope", "", verdict.Skip, false, "persona with DeviceManagementConfiguration.ReadWrite.All not configured", 0),
			v(idNA, "qualified name", "admin", verdict.NotApplicable, false, "the description has no namespace-qualified path", 0),
			v(idPassSkip, "unknown id", "admin", verdict.Pass, false, "", time.Millisecond),
			v(idPassSkip, "unknown id, app", "app", verdict.Skip, false, "persona app not configured", 0),
		},
	}
}

// withMetadata is r as a certification run shows it: product, personas, build, command line and
// selection (report.Run's fields the product helper fills from the config and the command line).
func withMetadata(r Run) Run {
	r.Product = &Product{Vendor: "Contoso", Name: "Graph Gateway", Version: "2.3.1", Contact: "conformance@contoso.example"}
	r.Personas = []PersonaInfo{{Name: "admin", Account: "work", Permissions: []string{"DeviceManagementServiceConfig.ReadWrite.All"}},
		{Name: "app", Account: "application"}}
	r.Build = Build{Module: "v0.1.0", Commit: "59f5e92c0ffee", CommitTime: "2026-12-01T09:00:00Z"}
	r.CommandLine = []string{"graphconform", "run", "--base-url", "https://gw.contoso.example/v1.0", "--label-filter", "must && !permissions"}
	r.Selection = "--operation remoteAssistancePartner_disconnect"
	return r
}
