package plan

import (
	"slices"
	"testing"
)

// TestDerivedCredentials: every forged credential made from the token is listed (the tampered token
// among them, without its scheme), and none that does not depend on it.
func TestDerivedCredentials(t *testing.T) {
	const tok = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJkZXJpdmVkIn0.c2lnbmF0dXJlLWZvci1kZXJpdmVk"
	got := Derived(tok)
	if !slices.Contains(got, tamper(tok)) {
		t.Errorf("Derived(token) = %q lacks the tampered token", got)
	}
	for _, f := range forgedCredentials {
		if v := f.value(tok); v != "" && v == f.value("another-token-of-a-different-kind") && slices.Contains(got, v) {
			t.Errorf("%q does not depend on the token, yet is listed", v)
		}
	}
}
