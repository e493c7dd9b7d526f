package redact

import (
	"encoding/base64"
	"math/rand/v2"
	"strings"
	"testing"
)

// benchTokens are JWT-shaped tokens of a real Entra token's length (~1.5 KB), sharing one header
// like the tokens of one issuer do, and a client secret: what a run registers.
func benchSecrets(n int) []string {
	rng := rand.New(rand.NewPCG(1, 2))
	part := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
		return base64.RawURLEncoding.EncodeToString(b)
	}
	header := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"RS256","kid":"graphconform-fixture","typ":"JWT"}`))
	var out []string
	for range n {
		out = append(out, header+".eyJ"+part(900)+"."+part(256))
	}
	return append(out, "gc~client~"+part(30))
}

// benchBody is a 2 KB Graph error answer with no secret in it: the common case.
func benchBody() string {
	var b strings.Builder
	b.WriteString(`{"error":{"code":"Forbidden","message":"`)
	for b.Len() < 2000 {
		b.WriteString("the caller is not allowed to disconnect remote assistance partner 6f1c2d3e-0000-4000-8000-000000000000; ")
	}
	b.WriteString(`","innerError":{"request-id":"6f1c2d3e-0000-4000-8000-000000000000","date":"2026-11-23T05:03:45"}}}`)
	return b.String()
}

func BenchmarkString(b *testing.B) {
	r := New(benchSecrets(6)...)
	s := benchBody()
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		_ = r.String(s)
	}
}

// BenchmarkStringEcho: the same body quoting one token.
func BenchmarkStringEcho(b *testing.B) {
	secrets := benchSecrets(6)
	r := New(secrets...)
	body := benchBody()
	s := body[:1000] + secrets[2] + body[1000:]
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		_ = r.String(s)
	}
}

// BenchmarkNew: indexing the secrets of a run (done a few times per run, at Add).
func BenchmarkNew(b *testing.B) {
	secrets := benchSecrets(6)
	for b.Loop() {
		_ = New(secrets...)
	}
}

// BenchmarkStringEchoQuoted: the same body quoting one token between quotes, as a JSON echo does
// (the shape patterns skip the known token's span).
func BenchmarkStringEchoQuoted(b *testing.B) {
	secrets := benchSecrets(6)
	r := New(secrets...)
	body := benchBody()
	s := body[:1000] + `", "token":"` + secrets[2] + `", "` + body[1000:]
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		_ = r.String(s)
	}
}

// BenchmarkAddKnown: registering the secrets a redactor already knows (the suite registers its
// derived credentials again when a run starts): no index is rebuilt.
func BenchmarkAddKnown(b *testing.B) {
	secrets := benchSecrets(6)
	r := New(secrets...)
	for b.Loop() {
		r.Add(secrets...)
	}
}
