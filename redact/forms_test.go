package redact

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"html"
	"net/url"
	"strings"
	"testing"
)

const (
	testToken  = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZG1pbiIsInNjcCI6IkRldmljZU1hbmFnZW1lbnQifQ.c2lnbmF0dXJlLW9mLXRoZS1hZG1pbi10b2tlbi0xMjM0NTY3ODkw"
	testSecret = "gc+Secret/ab12=&x y~<q>\"z'"
)

// pieces are the folded MinSecret-byte pieces of s.
func pieces(s string) []string {
	f := folded(s)
	var out []string
	for i := 0; i+MinSecret <= len(f); i++ {
		out = append(out, f[i:i+MinSecret])
	}
	return out
}

// leftover returns a piece of secret that out still holds, as written or decoded, ignoring case.
func leftover(out, secret string) (string, bool) {
	for _, v := range []string{folded(out), folded(decodeString(out))} {
		for _, p := range pieces(secret) {
			if strings.Contains(v, p) {
				return p, true
			}
		}
	}
	return "", false
}

// encoded are the reversible forms of s a target can hand back (issue 11, item 15), written with
// the standard library and by hand, not with the package's own tables.
func encoded(s string) map[string]string {
	b := []byte(s)
	each := func(format string) string {
		var sb strings.Builder
		for _, c := range b {
			fmt.Fprintf(&sb, format, c)
		}
		return sb.String()
	}
	return map[string]string{
		"as is": s, "upper": strings.ToUpper(s), "lower": strings.ToLower(s),
		"query": url.QueryEscape(s), "path": url.PathEscape(s), "percent, every byte": each("%%%02x"),
		"base64": base64.StdEncoding.EncodeToString(b), "base64 raw": base64.RawStdEncoding.EncodeToString(b),
		"base64url": base64.URLEncoding.EncodeToString(b), "base64url raw": base64.RawURLEncoding.EncodeToString(b),
		"base64 after one byte":  base64.StdEncoding.EncodeToString(append([]byte("x"), b...)),
		"base64 after two bytes": base64.URLEncoding.EncodeToString(append([]byte("u:"), b...)),
		"Basic credential":       base64.StdEncoding.EncodeToString([]byte("client:" + s)),
		"JSON \\u":               each(`\u%04x`), "JSON \\U": each(`\u%04X`), "JSON escaped slash": strings.ReplaceAll(s, "/", `\/`),
		"HTML": html.EscapeString(s), "HTML decimal": each("&#%d;"), "HTML hex": each("&#x%x;"), "HTML HEX": each("&#X%X;"),
		"HTML decimal, no semicolon": each("&#%d"),
		"hex":                        hex.EncodeToString(b), "HEX": strings.ToUpper(hex.EncodeToString(b)),
	}
}

// TestEveryFormIsMasked: each reversible form of a token and of a client secret full of
// characters that encode differently, quoted in a sentence, leaves nothing of the secret, and
// ordinary text around it stays.
func TestEveryFormIsMasked(t *testing.T) {
	t.Parallel()
	r := New(testToken, testSecret)
	for _, secret := range []string{testToken, testSecret} {
		for name, v := range encoded(secret) {
			in := "the target said: " + v + " is invalid"
			out := r.String(in)
			if p, ok := leftover(out, secret); ok {
				t.Errorf("%s form: %q left in %q", name, p, out)
			}
			if strings.Contains(out, v) || !strings.Contains(out, Mask) {
				t.Errorf("%s form not masked: %q", name, out)
			}
			if !strings.HasPrefix(out, "the target said: ") || !strings.HasSuffix(out, " is invalid") {
				t.Errorf("%s form: the text around it changed: %q", name, out)
			}
		}
	}
	// base64 and hex of the secret: the encodings themselves are secret, their pieces too.
	for _, v := range []string{base64.StdEncoding.EncodeToString([]byte(testToken)), hex.EncodeToString([]byte(testToken))} {
		out := r.String("x" + v[len(v)/3:2*len(v)/3] + "y")
		if strings.Contains(out, v[len(v)/3+16:len(v)/3+32]) {
			t.Errorf("a middle piece of an encoded form survives: %q", out)
		}
	}
}

// TestNoPieceSurvivesACut (issue 11, item 14): whatever byte a text holding a secret (as is, or
// in any form) is cut at, before or after redaction, and whichever side of the cut is kept, no
// piece of MinSecret or more bytes of the secret survives.
func TestNoPieceSurvivesACut(t *testing.T) {
	t.Parallel()
	r := New(testToken, testSecret)
	cuts := 0
	for _, secret := range []string{testToken, testSecret} {
		for name, v := range encoded(secret) {
			text := `{"error":{"message":"token ` + v + ` is invalid"}}`
			for n := 0; n <= len(text); n++ {
				for side, kept := range []string{text[:n], text[n:]} {
					cuts++
					if p, ok := leftover(r.String(kept), secret); ok {
						t.Fatalf("%s form, cut at %d, side %d: %q survives in %q", name, n, side, p, r.String(kept))
					}
				}
				// redact, then cut: what the excerpts do
				red := r.String(text)
				if p, ok := leftover(red[:min(n, len(red))], secret); ok {
					t.Fatalf("%s form, redacted then cut at %d: %q survives", name, n, p)
				}
			}
		}
	}
	t.Logf("%d cuts, no piece of a secret left", cuts)
}

// TestDerivedVariants: a token with a character changed (AUTH-001's tampered token, or any other),
// the token under another scheme, its claims spliced into another header: each is masked whole or
// leaves no piece, though only the token was registered.
func TestDerivedVariants(t *testing.T) {
	t.Parallel()
	r := New(testToken)
	parts := strings.Split(testToken, ".")
	for name, v := range map[string]string{
		"one character changed":  testToken[:100] + "A" + testToken[101:],
		"three changed, apart":   testToken[:20] + "x" + testToken[21:60] + "y" + testToken[61:110] + "z" + testToken[111:],
		"signature dropped":      parts[0] + "." + parts[1] + ".",
		"another header":         "eyJhbGciOiJub25lIn0." + parts[1] + "." + parts[2],
		"re-signed":              parts[0] + "." + parts[1] + ".c29tZS1vdGhlci1zaWduYXR1cmUtZm9yLWZvcmdpbmc",
		"under the Basic scheme": "Basic " + testToken,
		"split by chunk framing": testToken[:70] + "\r\n1f\r\n" + testToken[70:],
	} {
		out := r.String("got " + v + " end")
		if p, ok := leftover(out, testToken); ok {
			t.Errorf("%s: %q left in %q", name, p, out)
		}
	}
	if out := r.String("got " + testToken[:100] + "A" + testToken[101:] + " end"); out != "got "+Mask+" end" {
		t.Errorf("a token with one character changed is not masked whole: %q", out)
	}
}

// TestHideKeepsLength: Hide masks in place, byte for byte.
func TestHideKeepsLength(t *testing.T) {
	t.Parallel()
	r := New(testToken)
	in := []byte("x " + testToken[:40] + " y " + url.QueryEscape(testToken[40:]))
	out := r.Hide(in)
	if len(out) != len(in) {
		t.Fatalf("%d bytes in, %d out", len(in), len(out))
	}
	if p, ok := leftover(string(out), testToken); ok || !strings.HasPrefix(string(out), "x *") || !strings.Contains(string(out), " y *") {
		t.Errorf("Hide left %q: %q", p, out)
	}
}

// TestOrdinaryTextIsKept: text that shares no run with a secret is returned as it is, including
// escapes, hex and base64 of other things.
func TestOrdinaryTextIsKept(t *testing.T) {
	t.Parallel()
	r := New(testToken, testSecret)
	for _, s := range []string{
		`{"error":{"code":"InvalidAuthenticationToken","message":"Access token is empty."}}`,
		"request-id: 6f1c2d3e-0000-4000-8000-000000000000",
		`a \u0041 b %41 c &amp; d &#65; e`,
		base64.StdEncoding.EncodeToString([]byte(`{"kind":"something else entirely"}`)),
		"WWW-Authenticate: Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\"",
	} {
		if got := r.String(s); got != s {
			t.Errorf("String(%q) = %q", s, got)
		}
	}
	// A hyphenated secret is not the same words between spaces.
	if got := New("wrong-secret-value").String("Invalid client secret provided"); got != "Invalid client secret provided" {
		t.Errorf("words matched a hyphenated secret: %q", got)
	}
}

// FuzzNoRunSurvives: whatever text surrounds, splits or encodes the secret, String leaves no piece
// of it, as written or decoded; Hide keeps the length and changes only what it masks.
func FuzzNoRunSurvives(f *testing.F) {
	f.Add("x "+testToken+" y", 10, 0)
	f.Add(url.QueryEscape(testSecret)+"&"+testToken[:30], 3, 1)
	f.Add(encoded(testToken)["JSON \\u"][:200], 50, 2)
	f.Add("&#x65;&#121;"+testToken[2:40], 7, 3)
	r := New(testToken, testSecret)
	f.Fuzz(func(t *testing.T, text string, cut, mode int) {
		if cut >= 0 && cut < len(text) && mode%2 == 1 {
			text = text[:cut] + testToken[:min(cut, len(testToken))] + text[cut:]
		}
		out := r.String(text)
		if p, ok := leftover(out, testToken); ok {
			t.Fatalf("%q left in %q (from %q)", p, out, text)
		}
		if p, ok := leftover(out, testSecret); ok {
			t.Fatalf("%q left in %q (from %q)", p, out, text)
		}
		hidden := r.Hide([]byte(text))
		if len(hidden) != len(text) {
			t.Fatalf("Hide: %d bytes in, %d out", len(text), len(hidden))
		}
		for i := range hidden {
			if hidden[i] != text[i] && hidden[i] != '*' {
				t.Fatalf("Hide changed byte %d", i)
			}
		}
	})
}
