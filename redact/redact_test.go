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

func TestFastPathKeepsEveryMask(t *testing.T) {
	r := New()
	for _, in := range []string{
		"AUTHORIZATION: Bearer abcdefghijklmnopqrstuvwxyz",
		"authorization=basic dXNlcjpwYXNzd29yZA==",
		"BeArEr abcdefghijklmnopqrstuvwxyz0123",
		"x eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln y",
	} {
		if got := r.String(in); got == in || !strings.Contains(got, Mask) {
			t.Errorf("String(%q) = %q: not masked", in, got)
		}
	}
	if got := r.String("Content-Type: application/json"); got != "Content-Type: application/json" {
		t.Errorf("plain text changed: %q", got)
	}
}

func BenchmarkStringPlain(b *testing.B) {
	r := New("a-registered-secret-token")
	s := "Content-Type: application/json\nRequest-Id: 6f1c2d3e-0000-4000-8000-000000000000\nDate: Mon, 23 Nov 2026 05:03:45 GMT"
	for b.Loop() {
		_ = r.String(s)
	}
}

// The gates in front of the credential patterns only skip work: with or without them, every input
// is masked the same.
func FuzzScrubGates(f *testing.F) {
	for _, s := range []string{
		"Authorization: Bearer abcdefghijklmnopqrstuvwxyz",
		"authorization \t= basic dXNlcjpwYXNzd29yZA==",
		`WWW-Authenticate: Bearer realm="", authorization_uri="https://login.example/authorize"`,
		"BeArEr\nabcdefghijklmnopqrstuvwxyz0123",
		"xbearer abcdefghijklmnopqrstuvwxyz",
		"x eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln y",
		"AUTHORIZATION:BEARER eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln",
		"Content-Type: application/json",
		"authorizatio: bearer abcdefghijklmnopqrstuvwxyz",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := scrubShapes(s, false), scrubShapes(s, true); got != want {
			t.Errorf("gated %q -> %q, every pattern -> %q", s, got, want)
		}
	})
}

// TestAddOfKnownSecretsKeepsTheIndex: the suite registers the credentials it derives more than
// once (at preparation and once per run of a case); an Add that brings nothing new, or only
// strings too short to be secrets, keeps the index as it is instead of rebuilding it, and one that
// brings a new secret builds one that knows it.
func TestAddOfKnownSecretsKeepsTheIndex(t *testing.T) {
	t.Parallel()
	const a, b = "first-secret-value", "second-secret-value"
	r := New(a, b)
	x := r.Index()
	r.Add(b, a, a, "short")
	r.Add()
	if r.Index() != x {
		t.Error("an Add of known secrets rebuilt the index")
	}
	r.Add(a, "third-secret-value")
	if r.Index() == x {
		t.Fatal("an Add of a new secret kept the old index")
	}
	if got := r.String("third-secret-value " + a); got != Mask+" "+Mask {
		t.Errorf("after the Add: %q", got)
	}
}
