package redact

import (
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// A secret is recognised in each form a target can hand it back in and a reader can turn back into
// the secret. Three kinds of form:
//   - escapes (percent-encoding, JSON \u and backslash escapes, HTML character references) are
//     undone before matching (decode.go), so a secret escaped in part or in whole, in any case of
//     hex digit, is the secret;
//   - case does not count (fold): upper-, lower- and mixed-cased copies are the secret, and so are
//     upper- and lower-case hex; a space may be a "+" (form encoding);
//   - base64 (both alphabets, padded or not, at each of the three offsets a secret can start at
//     inside a longer encoded value) and hex are re-encodings, indexed as forms of their own.
//
// Every run of MinSecret or more bytes of a form is masked, not only the whole form: a cut that
// kept part of a secret (an excerpt, a target that echoes half a token, a split across chunks)
// keeps no recognisable part of it.

// form is one searchable form of a secret, folded.
type form struct {
	text string
	// stride is the distance between indexed MinSecret-byte pieces: every one for the secret itself,
	// fewer for the longer re-encodings, which keeps the index small and still finds every run of
	// min bytes.
	stride int
	// min is the run length that is always found: MinSecret bytes of the secret, or as many
	// characters of a re-encoding as encode about MinSecret bytes.
	min int
	// hold is how long a tail that begins this form may be held back by a stream (see Scan): up to
	// min-1 bytes, which are too short to be found on their own.
	hold bool
}

// fold is the byte map matching compares through: ASCII letters ignore case. Nothing else is
// conflated: a hyphenated secret must not match words between spaces.
var fold = func() (t [256]byte) {
	for i := range t {
		t[i] = byte(i)
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = byte(c + 'a' - 'A')
	}
	return t
}()

func folded(s string) string {
	b := []byte(s)
	for i, c := range b {
		b[i] = fold[c]
	}
	return string(b)
}

// formsOf lists the forms of one secret.
func formsOf(secret string) []form {
	var out []form
	seen := map[string]bool{}
	add := func(f form) {
		if f.text = folded(f.text); !seen[f.text] && len(f.text) >= MinSecret {
			seen[f.text] = true
			out = append(out, f)
		}
	}
	for _, p := range []string{
		secret,
		decodeString(secret),                 // a secret holding "%41" is also matched in decoded text, as "A"
		strings.ReplaceAll(secret, " ", "+"), // form encoding
	} {
		add(form{text: p, stride: 1, min: MinSecret, hold: true})
	}
	b := []byte(secret)
	for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
		// The whole encoding (a secret encoded alone), and the characters that depend on the
		// secret alone when one or two bytes precede it (a Basic credential, "Bearer " + token).
		add(form{text: enc.EncodeToString(b), stride: 4, min: b64Min, hold: true})
		for k := 1; k <= 2; k++ {
			e := enc.EncodeToString(append(make([]byte, k), b...))
			first, last := (8*k+5)/6, 8*(k+len(b))/6
			add(form{text: e[first:last], stride: 4, min: b64Min})
		}
	}
	add(form{text: hex.EncodeToString(b), stride: 8, min: 2 * MinSecret, hold: true})
	return out
}

// b64Min is the run of base64 characters always found: 11 characters encode MinSecret bytes. With
// pieces indexed every 4 characters, any 11-character run holds one whole indexed piece.
const b64Min = (8*MinSecret + 5) / 6
