package check

import (
	"fmt"
	"strings"

	"github.com/graphconform/graphconform/exchange"
)

// Challenge requires a WWW-Authenticate header with a Bearer challenge (RFC 9110 §11.6.1, RFC 6750 §3).
func Challenge(r *exchange.Response) error {
	vals := r.Header.Values("WWW-Authenticate")
	if len(vals) == 0 {
		return fmt.Errorf("expected a WWW-Authenticate header on the 401, there is none")
	}
	for _, v := range vals {
		for _, scheme := range challengeSchemes(v) {
			if strings.EqualFold(scheme, "Bearer") {
				return nil
			}
		}
	}
	return fmt.Errorf("expected a Bearer challenge in WWW-Authenticate, got %q", strings.Join(vals, " | "))
}

// challengeSchemes lists the auth-schemes of a WWW-Authenticate value (RFC 9110 §11.6.1: a list of
// challenges, each a scheme token then a token68 or auth-params). Commas inside quoted strings
// separate nothing, and an element "name=value" continues the previous challenge's parameters, so
// Basic realm="x, Bearer y" names only Basic.
func challengeSchemes(v string) []string {
	var out []string
	for _, elem := range splitOutsideQuotes(v) {
		elem = strings.TrimSpace(elem)
		n := 0
		for n < len(elem) && isTChar(elem[n]) {
			n++
		}
		if n == 0 || strings.HasPrefix(strings.TrimLeft(elem[n:], " \t"), "=") {
			continue // empty, or an auth-param of the challenge before
		}
		out = append(out, elem[:n])
	}
	return out
}

// splitOutsideQuotes splits at commas that are not inside a quoted-string (RFC 9110 §5.6.4).
func splitOutsideQuotes(v string) []string {
	var out []string
	start, quoted := 0, false
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case quoted && c == '\\':
			i++ // quoted-pair
		case c == '"':
			quoted = !quoted
		case c == ',' && !quoted:
			out = append(out, v[start:i])
			start = i + 1
		}
	}
	return append(out, v[start:])
}

// isTChar: the characters of an RFC 9110 token.
func isTChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// Allows requires an Allow header that lists the method (RFC 9110 §10.2.1).
func Allows(r *exchange.Response, method string) error {
	vals := r.Header.Values("Allow")
	if len(vals) == 0 {
		return fmt.Errorf("expected an Allow header listing %s on the %d, there is none", method, r.Status)
	}
	for _, v := range vals {
		for _, m := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(m), method) {
				return nil
			}
		}
	}
	return fmt.Errorf("expected the Allow header to list %s, got %q", method, strings.Join(vals, ", "))
}

// RequestID requires a non-empty request-id header.
func RequestID(r *exchange.Response) error {
	if strings.TrimSpace(r.Header.Get("request-id")) == "" {
		return fmt.Errorf("expected a request-id header on the %d response, there is none", r.Status)
	}
	return nil
}

// EchoesClientRequestID requires the client-request-id the client sent to come back unchanged.
func EchoesClientRequestID(r *exchange.Response, sent string) error {
	got := r.Header.Get("client-request-id")
	if got != sent {
		if got == "" {
			return fmt.Errorf("expected client-request-id %q echoed on the %d response, there is none", sent, r.Status)
		}
		return fmt.Errorf("expected client-request-id %q echoed on the %d response, got %q", sent, r.Status, got)
	}
	return nil
}

// NoContent requires a raw 204 to carry no content: no bytes after the header block, no Content-Length
// other than 0, no Transfer-Encoding (RFC 9110 §15.3.5, §8.6; RFC 9112 §6.1).
func NoContent(w *exchange.Wire) error {
	if problems := w.ContentProblems(); len(problems) > 0 {
		return fmt.Errorf("expected a 204 with no content, but it carries %s", strings.Join(problems, "; "))
	}
	return nil
}
