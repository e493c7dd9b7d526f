package redact

import (
	"encoding/base64"
	"strings"
	"testing"
)

// The tokens of one issuer share their opening (the header, and "eyJ" of the payload): a target
// that echoes a token the suite never registered (another persona's, a derived one) shares a run
// with a registered one. Masking that run must not break the JWT shape the unregistered rest is
// recognised by (issue 11, items 13-15).

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

var (
	issuerHeader = b64(`{"alg":"RS256","typ":"JWT"}`) // eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9
	registered   = issuerHeader + "." + b64(`{"sub":"admin","scp":"DeviceManagement"}`) + "." + b64("admin-signature")
)

// jwtPieces are the MinSecret-byte pieces of an unregistered token that a registered one does not
// hold: what must not survive.
func jwtPieces(jwt string, known ...string) []string {
	var out []string
next:
	for i := 0; i+MinSecret <= len(jwt); i++ {
		p := jwt[i : i+MinSecret]
		for _, k := range known {
			if strings.Contains(k, p) {
				continue next
			}
		}
		out = append(out, p)
	}
	return out
}

// noPiece fails when out (with its masks taken out: "redacted" is 8 letters) holds a piece of jwt.
func noPiece(t *testing.T, what, out, jwt string) {
	t.Helper()
	v := strings.ReplaceAll(out, Mask, " ")
	for i := 0; i+MinSecret <= len(jwt); i++ {
		if p := jwt[i : i+MinSecret]; strings.Contains(v, p) {
			t.Errorf("%s: piece %q of the unregistered token left in %q", what, p, out)
			return
		}
	}
}

// overlapping are unregistered tokens sharing 8 bytes, 30 bytes, the whole header and the header
// with the payload's opening with the registered one.
func overlapping() map[string]string {
	payload := "." + b64(`{"sub":"reader"}`) + "." + b64("reader-signature")
	return map[string]string{
		"8 bytes":         registered[:8] + "X" + issuerHeader[9:] + payload,
		"30 bytes":        registered[:30] + "Q" + issuerHeader[31:] + payload,
		"whole header":    issuerHeader + payload,
		"header and eyJ":  issuerHeader + ".eyJ" + b64(`{"sub":"reader"}`)[3:] + "." + b64("reader-signature"),
		"payload piece":   b64(`{"alg":"ES256"}`) + "." + b64(`{"sub":"admin","scp":"x"}`) + "." + b64("reader-signature"),
		"signature piece": b64(`{"alg":"ES256"}`) + "." + b64(`{"sub":"reader"}`) + "." + b64("admin-signature"),
	}
}

// TestUnregisteredJWTSharingAnOpening: in a sentence, in header lines (the WWW-Authenticate a 401
// carries, an echo header) and in a JSON body, nothing of an unregistered token that shares part
// of a registered one survives, whatever it shares; the registered token is masked too.
func TestUnregisteredJWTSharingAnOpening(t *testing.T) {
	t.Parallel()
	r := New(registered, "gc~client~secret-value")
	for name, other := range overlapping() {
		if len(jwtPieces(other, registered)) == 0 {
			t.Fatalf("%s: the token shares everything", name)
		}
		for form, in := range map[string]string{
			"sentence":    "the token " + other + " is invalid",
			"www-auth":    `WWW-Authenticate: Bearer error="invalid_token", error_description="token ` + other + ` expired"`,
			"echo header": "X-Echo-Token: " + other,
			"JSON body":   `{"error":{"code":"InvalidAuthenticationToken","token":"` + other + `"}}`,
			"both":        registered + " and " + other,
			"glued":       registered + other,
		} {
			out := r.String(in)
			noPiece(t, name+", "+form, out, other)
			noPiece(t, name+", "+form, out, registered)
			hidden := string(r.Hide([]byte(in)))
			noPiece(t, name+", "+form+", Hide", hidden, other)
			if len(hidden) != len(in) {
				t.Errorf("%s, %s: Hide changed the length", name, form)
			}
		}
	}
	// The example of the report: the shared header was masked first and the rest went out.
	other := overlapping()["header and eyJ"]
	if got := New(registered).String(other); got != Mask {
		t.Errorf("String(%q) = %q, want %q", other, got, Mask)
	}
}

// TestHiddenTokenStaysHidden: text a stream mask already hid in place (a run of '*' where a
// registered token's run was) still has its unregistered rest masked.
func TestHiddenTokenStaysHidden(t *testing.T) {
	t.Parallel()
	r := New(registered)
	for name, other := range overlapping() {
		hidden := hideKnown(r.Index(), other)
		if !strings.Contains(hidden, "********") {
			t.Fatalf("%s: the registered token's run was not hidden: %q", name, hidden)
		}
		in := "X-Echo-Token: " + hidden
		out := r.String(in)
		noPiece(t, name, out, other)
		if !strings.HasPrefix(out, "X-Echo-Token: ") {
			t.Errorf("%s: %q lost its header name", name, out)
		}
	}
	// A hole with nothing glued to it is left as it is (exchange shows it as Mask).
	for _, in := range []string{"a password: ********", "x ********** y", `{"t":"********"}`} {
		if out := New().String(in); out != in {
			t.Errorf("String(%q) = %q", in, out)
		}
	}
}

// hideKnown hides the runs of known secrets in s with '*', as a stream mask does (exchange's
// maskConn), and nothing else.
func hideKnown(x *Index, s string) string {
	b := []byte(s)
	x.Runs([]byte(s), func(start, end int) {
		for i := start; i < end; i++ {
			b[i] = '*'
		}
	})
	return string(b)
}

// TestTextAroundAnOverlapStays: masking an overlap takes the credential, not what is around it.
func TestTextAroundAnOverlapStays(t *testing.T) {
	t.Parallel()
	r := New(registered)
	other := overlapping()["whole header"]
	for in, want := range map[string]string{
		"token=" + other + "&next=1":           "token=" + Mask + "&next=1",
		`{"token":"` + other + `"}`:            `{"token":"` + Mask + `"}`,
		"Authorization: Bearer " + other:       "Authorization: Bearer " + Mask,
		"X-Echo: " + registered + ", " + other: "X-Echo: " + Mask + ", " + Mask,
	} {
		if got := r.String(in); got != want {
			t.Errorf("String(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzJWTNeverSurvives: a JWT-shaped credential (three base64url parts, the first starting eyJ),
// in any text, leaves none of its MinSecret-byte pieces, whatever registered secrets overlap it:
// runs of it at any offsets, with anything before or after; and in the form a stream mask leaves
// (hidden in place, then redacted), unless the registered runs hid both its dots and left only
// what the edges of a masked secret look like (TestStreamEdgeOfAToken bounds that case).
func FuzzJWTNeverSurvives(f *testing.F) {
	f.Add([]byte(`{"alg":"RS256","typ":"JWT"}`), []byte(`{"sub":"reader"}`), []byte("sig"), uint16(0), uint16(40), "", ".eyJ", "say ", " now")
	f.Add([]byte(`{"alg":"RS256"}`), []byte(`{"sub":"x"}`), []byte("reader-signature"), uint16(25), uint16(9), "pre", "", "", "")
	f.Add([]byte(`{}`), []byte(`{"a":1}`), []byte(""), uint16(3), uint16(8), "", "Z", "Bearer ", "")
	f.Add([]byte(`{"alg":"RS256","typ":"JWT"}`), []byte(`{"sub":"reader"}`), []byte("sig"), uint16(0), uint16(37), "", ".eyJ",
		registered, "") // two tokens glued: the first one's signature runs into the second one's header
	f.Fuzz(func(t *testing.T, h, p, s []byte, from, n uint16, before, after, left, right string) {
		jwt := "eyJ" + b64(string(h)) + "." + b64(string(p)) + "." + b64(string(s))
		if !jwtLike.MatchString(jwt) || jwtLike.FindString(jwt) != jwt {
			return // not the shape the redactor takes for a JWT (parts too short)
		}
		a := int(from) % len(jwt)
		b := min(len(jwt), a+int(n)%len(jwt))
		known := []string{before + jwt[a:b] + after, jwt[:min(len(jwt), 36)] + ".eyJzdWIiOiJhZG1pbiJ9.c2ln"}
		for _, p := range jwtPieces(jwt, known...) {
			if strings.Contains(left+"\x00"+right, p) {
				return // the text around quotes the token apart from it: not this property
			}
		}
		r := New(known...)
		in := left + jwt + right
		noPiece(t, "String", r.String(in), jwt)
		noPiece(t, "Hide", string(r.Hide([]byte(in))), jwt)
		// Through a stream the token is masked whole unless what the stream left of it looks like a
		// masked secret's edge (no '.', short runs: holes): then at most those runs are left.
		hidden := hideKnown(r.Index(), in)
		if tokenAround(hidden[len(left) : len(left)+len(jwt)]) {
			noPiece(t, "hidden in place as a stream does, then String", r.String(hidden), jwt)
		}
	})
}

// TestStreamEdgeOfAToken: a registered token echoed with its end changed (or something glued to
// it), hidden in place by a stream, then redacted: the string path masks that token whole (its JWT
// shape, up to its whole signature), and so must String on what a stream left of it. No run of MinSecret or more characters
// of it survives, at an edge or between two holes; only an edge shorter than MinSecret, which
// reveals nothing, stays.
func TestStreamEdgeOfAToken(t *testing.T) {
	t.Parallel()
	r := New(registered)
	for _, k := range []int{1, MinSecret - 1, MinSecret, 12, 2*MinSecret - 1, 2 * MinSecret, len(b64("admin-signature"))} {
		for name, echoed := range map[string]string{
			"changed end": registered[:len(registered)-k] + strings.Repeat("x", k),
			"glued tail":  registered + strings.Repeat("x", k),
		} {
			tail := echoed[len(echoed)-k:]
			hidden := hideKnown(r.Index(), echoed)
			if !strings.HasSuffix(hidden, "*"+tail) || strings.ContainsAny(hidden[:len(hidden)-k], "x.") {
				t.Fatalf("the stream emulation hid %q", hidden)
			}
			out := r.String("X-Echo: " + hidden)
			if whole := r.String("X-Echo: " + echoed); whole != "X-Echo: "+Mask {
				t.Errorf("%s, %d: the string path gave %q", name, k, whole)
			}
			masked := !strings.Contains(out, tail)
			if want := k >= MinSecret; masked != want {
				t.Errorf("%s, %d characters: String gave %q, want the edge masked: %v", name, k, out, want)
			}
		}
	}
	if out := r.String("X-Echo: " + hideKnown(r.Index(), registered+"x.y")); out != "X-Echo: "+Mask {
		t.Errorf("a tail holding a dot: String gave %q", out)
	}
	between := hideKnown(r.Index(), registered[:40]+"yZWFkZXI"+registered[48:])
	if out := r.String(between); strings.Contains(out, "yZWFkZXI") {
		t.Errorf("%q between two holes left in %q", "yZWFkZXI", out)
	}
}
