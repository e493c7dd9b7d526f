package redact

import (
	"strings"
	"testing"
)

func TestRedactor(t *testing.T) {
	const secret = "s3cr3t-client-secret-value"
	const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"
	r := New(secret, "short")
	cases := []struct{ in, mustNot string }{
		{"client_secret=" + secret, secret},
		{"-H 'Authorization: Bearer " + jwt + "'", jwt},
		{"body echoed " + jwt, jwt},
		{"Authorization: Basic dXNlcjpwYXNzd29yZA==", "dXNlcjpwYXNzd29yZA=="},
		{`{"authorization": "Bearer abcdefghijklmnopqrstuvwxyz"}`, "abcdefghijklmnopqrstuvwxyz"},
	}
	for _, c := range cases {
		got := r.String(c.in)
		if strings.Contains(got, c.mustNot) {
			t.Errorf("String(%q) = %q still contains the secret", c.in, got)
		}
		if !strings.Contains(got, Mask) {
			t.Errorf("String(%q) = %q has no mask", c.in, got)
		}
	}
	if got := r.String("a short word"); got != "a short word" {
		t.Errorf("short secrets must not be registered: %q", got)
	}
	var zero *Redactor
	if got := zero.String("Bearer " + jwt); strings.Contains(got, jwt) {
		t.Errorf("nil redactor leaked: %q", got)
	}
}
