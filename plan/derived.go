package plan

import "strings"

// Derived lists the credentials the cases build from a token: every forged Authorization value
// that changes with the token (AUTH-001's tampered token, the token under another scheme),
// without its scheme (the scheme is no secret, and masking it would hide what AUTH-001 sent). Each is as secret as the token it is made of; conformance.Prepare
// registers them with the redactor before anything is sent. Reading forgedCredentials itself
// keeps the list in step with the probes.
func Derived(token string) []string {
	// A decoy of the same length that differs at every byte: a value computed from the token
	// that comes out the same for the decoy does not depend on the token.
	decoy := strings.Map(func(r rune) rune {
		if r == 'x' {
			return 'y'
		}
		return 'x'
	}, token)
	var out []string
	for _, f := range forgedCredentials {
		v := f.value(token)
		if v == "" || v == f.value(decoy) {
			continue
		}
		if _, cred, ok := strings.Cut(v, " "); ok {
			v = strings.TrimSpace(cred)
		}
		out = append(out, v)
	}
	return out
}
