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
		// A header may hold several challenges; each starts with its scheme token.
		for _, part := range strings.Split(v, ",") {
			scheme, _, _ := strings.Cut(strings.TrimSpace(part), " ")
			if strings.EqualFold(scheme, "Bearer") {
				return nil
			}
		}
	}
	return fmt.Errorf("expected a Bearer challenge in WWW-Authenticate, got %q", strings.Join(vals, " | "))
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
