package plan

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/graphconform/graphconform/persona"
)

// Credential labels: what a case sends instead of a persona's own Bearer token. Each is a Ginkgo
// label value ("credential:<label>") and the verdict's persona field, so reports name the credential
// actually sent.
const (
	CredNone        = "none"          // no Authorization header
	CredForged      = "forged"        // made up, owing nothing to any token
	CredTampered    = "tampered"      // a persona's token with one signature character changed
	CredWrongScheme = "wrong-scheme"  // a persona's valid token under another scheme, or none
	CredUnsigned    = "unsigned"      // a persona's claims as an "alg":"none" token
	CredSigned      = "signed-defect" // signed by an issuer the target trusts, but defective (Env.Refusable)
)

// Defects of Env.Refusable tokens: each names the one claim or header that makes a genuinely signed
// token unacceptable. Only the issuer the target trusts can sign such a token, so the suite cannot
// make them from a persona's token; the embedded target's fixture issuer does (fixtures/token).
const (
	DefectExpired       = "expired"
	DefectNotYetValid   = "not-yet-valid"
	DefectOtherAudience = "other-audience"
	DefectOtherIssuer   = "other-issuer"
	DefectAlgConfusion  = "alg-confusion"
)

// Refusable is a token an issuer the target trusts signed for a persona, carrying one defect that the
// target must refuse it for (401). The token is a secret: it never prints.
type Refusable struct {
	Persona string
	Defect  string
	Token   string `json:"-"`
}

func (r Refusable) String() string {
	return "refusable token (" + r.Defect + ") of persona " + r.Persona
}

// Format routes every verb through String, as persona.Persona does, so no verb prints the token.
func (r Refusable) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(r.String())) }

// derivation is one way of turning a persona's token into a credential the target must refuse.
type derivation struct {
	kind string // a Cred* label
	name string // the case's variant text
	// derive builds the Authorization value; "" with a reason when the token has no such form.
	derive func(tok string) (value, reason string)
}

// derivations are every credential the suite builds from a persona's token. DerivedCredentials and
// the AUTH cases both read this list: the redactor learns exactly what the cases send.
var derivations = []derivation{
	{CredTampered, "a token with a tampered signature", func(tok string) (string, string) { return "Bearer " + tamper(tok), "" }},
	// RFC 6750 §2.1: the token is a credential only under the Bearer scheme.
	{CredWrongScheme, "the valid token under the Basic scheme", func(tok string) (string, string) { return "Basic " + tok, "" }},
	{CredWrongScheme, "the valid token under the Token scheme", func(tok string) (string, string) { return "Token " + tok, "" }},
	{CredWrongScheme, "the valid token under the MAC scheme", func(tok string) (string, string) { return "MAC " + tok, "" }},
	{CredWrongScheme, "the valid token without a scheme", func(tok string) (string, string) { return tok, "" }},
	{CredWrongScheme, "the valid token after the Bearer scheme written twice", func(tok string) (string, string) { return "Bearer Bearer " + tok, "" }},
	{CredUnsigned, `the token's claims unsigned ("alg":"none")`, func(tok string) (string, string) {
		u, err := unsigned(tok)
		if err != nil {
			return "", err.Error()
		}
		return "Bearer " + u, ""
	}},
}

// DerivedCredentials are the Authorization values the suite derives from a token (tampered, under
// other schemes, unsigned): secrets like the token itself. The one place they are built.
func DerivedCredentials(tok string) []string {
	var out []string
	for _, d := range derivations {
		if v, reason := d.derive(tok); reason == "" {
			out = append(out, v)
		}
	}
	return out
}

// DerivedSecrets are the secrets a run adds to its personas' tokens and refusable tokens: every
// derived credential without its scheme word (a target that echoes the credential echoes the token
// part), and the refusable tokens themselves. Redactors must know them before anything is sent.
func DerivedSecrets(personas persona.Set, refusable []Refusable) []string {
	var out []string
	for _, p := range personas {
		if p.Token == "" {
			continue
		}
		for _, v := range DerivedCredentials(p.Token) {
			if _, tok, ok := strings.Cut(v, " "); ok && !strings.Contains(v, p.Token) {
				out = append(out, tok)
			}
		}
	}
	for _, r := range refusable {
		out = append(out, r.Token)
	}
	return out
}

// tamper changes one character inside the token's last part (the JWS signature), so the header and
// claims still parse but the signature no longer verifies. Any opaque token is altered the same way.
func tamper(tok string) string {
	i := strings.LastIndex(tok, ".")
	pos := (i + 1 + len(tok)) / 2
	if pos >= len(tok) {
		pos = len(tok) / 2
	}
	if pos < 0 || pos >= len(tok) {
		return tok + "x"
	}
	c := byte('A')
	if tok[pos] == 'A' {
		c = 'B'
	}
	return tok[:pos] + string(c) + tok[pos+1:]
}

// unsigned rewrites a compact JWS as an unsecured JWT (RFC 7519 §6): the same claims under a header
// saying "alg":"none", and an empty signature. An opaque token has no such form.
func unsigned(tok string) (string, error) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return "", fmt.Errorf("the token is not a compact JWS (three dot-separated parts), so it has no unsigned form")
	}
	hb, err := base64.RawURLEncoding.DecodeString(parts[0])
	var h map[string]any
	if err != nil || json.Unmarshal(hb, &h) != nil || h == nil {
		return "", fmt.Errorf("the token's first part is not a base64url JSON header, so it has no unsigned form")
	}
	h["alg"] = "none"
	hb, _ = json.Marshal(h) // a map of decoded JSON always marshals
	return base64.RawURLEncoding.EncodeToString(hb) + "." + parts[1] + ".", nil
}
