package redact

import (
	"slices"
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
		"eyJeyJabcd.efgh.ij eyJab.cdefgh.i eyJabcd.efg.h eyJabcd.efgh",
		"eyJabcdeyJefgh.ijkl.mn.eyJopqr.stuv.",
		"eyJ\xffabcd.efgh.ij eyJabcd..efgh",
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

// FuzzShapesSkipKnownSpans: skipping the JWT pattern inside the spans of known secrets only skips
// work: the ranges masked are those of every pattern run everywhere.
func FuzzShapesSkipKnownSpans(f *testing.F) {
	tok := "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"
	f.Add(tok, "x "+tok+" y", 0, 20)
	f.Add(tok, "x "+tok+"glued.more y", 0, len(tok))
	f.Add(tok, tok[:30]+"ZZZZ.eyJvdGhlciJ9.c2ln", 0, 36)
	f.Add(tok, "a="+tok+"&b="+tok[:21]+"eyJhbGciOiJSUzI1NiJ9.xxxx.yyyy", 5, 30)
	f.Fuzz(func(t *testing.T, secret, s string, from, n int) {
		if from < 0 || n < 0 || from >= len(secret) {
			return
		}
		r := New(secret[from:min(len(secret), from+n)])
		var spans [][2]int
		scan(r.Index(), s, func(a, b int) { spans = append(spans, [2]int{a, b}) })
		spans = holes(s, spans)
		got := merge(shapeSpans(s, false, slices.Clone(spans)))
		want := merge(shapeSpans(s, true, slices.Clone(spans)))
		if !slices.Equal(got, want) {
			t.Errorf("%q: skipping known spans masks %v, every pattern %v", s, got, want)
		}
	})
}
