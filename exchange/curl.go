package exchange

import (
	"sort"
	"strings"

	"github.com/graphconform/graphconform/redact"
)

// Curl renders a request as a curl command a person can paste, with credentials redacted. The token
// is replaced by a placeholder the reader fills in with their own.
func Curl(r Request, red *redact.Redactor) string {
	var b strings.Builder
	b.WriteString("curl -sS -i -X ")
	b.WriteString(r.Method)
	b.WriteString(" ")
	b.WriteString(shellQuote(red.String(r.URL)))
	keys := make([]string, 0, len(r.Header))
	for k := range r.Header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		auth := strings.EqualFold(k, "Authorization")
		for _, v := range r.Header[k] {
			b.WriteString(" -H ")
			if auth {
				// Only the scheme is left to scrub: the credential is gone whole.
				b.WriteString(shellQuote(k + ": " + redactAuth(v, red)))
			} else {
				b.WriteString(shellQuote(red.String(k + ": " + v)))
			}
		}
	}
	if r.Body != nil {
		b.WriteString(" --data-binary ")
		// Redact, then cut: a cut first could keep part of a secret that no longer matches it whole.
		b.WriteString(shellQuote(Excerpt(red.String(string(r.Body)), 512)))
	}
	return b.String()
}

// redactAuth keeps the scheme (it matters for AUTH-001) and hides the credential.
func redactAuth(v string, red *redact.Redactor) string {
	scheme, cred, ok := strings.Cut(strings.TrimSpace(v), " ")
	if !ok {
		if len(v) > 0 {
			return redact.Mask
		}
		return v
	}
	if strings.TrimSpace(cred) == "" {
		return red.String(scheme) + " "
	}
	return red.String(scheme) + " " + redact.Mask
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
