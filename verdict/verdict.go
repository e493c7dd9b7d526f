// Package verdict is the outcome of a check: one per generated spec, aggregated per requirement for
// reports and exit codes. Everything in a verdict is already redacted.
package verdict

import (
	"time"

	"github.com/graphconform/graphconform/requirement"
)

// Outcome of one spec or one requirement.
type Outcome string

const (
	Pass Outcome = "pass"
	Fail Outcome = "fail"
	// Skip: the spec could not run here (e.g. a persona is not configured); Reason says why.
	Skip Outcome = "skip"
	// NotApplicable: the requirement does not apply to what the target answered or to the contract.
	NotApplicable Outcome = "not-applicable"
)

// Exchange is a redacted record of one HTTP request/response pair, for failure messages and reports.
type Exchange struct {
	// Curl is the request as a curl command with secrets redacted.
	Curl   string `json:"curl"`
	Status int    `json:"status,omitempty"`
	// Header is the response header block, one "Name: value" per line, redacted.
	Header string `json:"header,omitempty"`
	// Body is the (truncated, redacted) response body.
	Body string `json:"body,omitempty"`
	// BodyBytes is the full body length on the wire (before truncation).
	BodyBytes int `json:"bodyBytes"`
	// Error is set when no response came back (connection refused, timeout, ...).
	Error string `json:"error,omitempty"`
	// Setup marks an exchange that prepared the spec (e.g. creating the entity), not the one judged.
	Setup bool `json:"setup,omitempty"`
}

// Verdict is the outcome of one generated spec.
type Verdict struct {
	Requirement requirement.Requirement `json:"requirement"`
	// Case names the variant, e.g. "no Authorization header".
	Case string `json:"case"`
	// Operation is the operationId the spec exercised.
	Operation string  `json:"operation"`
	Persona   string  `json:"persona,omitempty"`
	Outcome   Outcome `json:"outcome"`
	// Blocking is true when this failure fails the run (a MUST, or any level in strict mode).
	Blocking bool `json:"blocking"`
	// Message says why the spec failed, was skipped or did not apply.
	Message   string        `json:"message,omitempty"`
	Expected  string        `json:"expected,omitempty"`
	Exchanges []Exchange    `json:"exchanges,omitempty"`
	Duration  time.Duration `json:"duration"`
}
