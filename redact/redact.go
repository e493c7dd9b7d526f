// Package redact removes secrets from everything graphconform prints or writes.
//
// Two nets: the exact secrets it was given (persona tokens, client secrets) and anything shaped like a
// bearer credential (a JWT, an Authorization header value), so a target that echoes a token we never
// registered still cannot leak it into a report.
package redact

import (
	"regexp"
	"sort"
	"strings"
	"sync"
)

// Mask replaces a secret.
const Mask = "<redacted>"

var (
	jwtLike    = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*`)
	authHeader = regexp.MustCompile(`(?i)(authorization\s*[:=]\s*"?\s*)(bearer|basic)\s+[^\s"',;]+`)
	bearerWord = regexp.MustCompile(`(?i)\b(bearer)\s+[A-Za-z0-9\-._~+/]{16,}=*`)
)

// Redactor scrubs strings. The zero value scrubs only credential-shaped text.
type Redactor struct {
	mu      sync.RWMutex
	secrets []string // longest first, so a secret containing another is masked whole
	// raw holds the same secrets as bytes for stream masking (exchange); replaced, never mutated,
	// so a caller may keep the slice it got.
	raw [][]byte
}

// New returns a redactor that knows the given secrets.
func New(secrets ...string) *Redactor {
	r := &Redactor{}
	r.Add(secrets...)
	return r
}

// Add registers more secrets. Empty strings and very short strings (which would mask ordinary text)
// are ignored; tokens and client secrets are far longer.
func (r *Redactor) Add(secrets ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	all := append([]string(nil), r.secrets...)
	for _, s := range secrets {
		if len(s) >= MinSecret {
			all = append(all, s)
		}
	}
	sort.Slice(all, func(i, j int) bool { return len(all[i]) > len(all[j]) })
	raw := make([][]byte, len(all))
	for i, s := range all {
		raw[i] = []byte(s)
	}
	r.secrets, r.raw = all, raw
}

// MinSecret is the length below which a string is not taken as a secret.
const MinSecret = 8

// SecretBytes returns the known secrets, longest first. The slice is never modified afterwards.
func (r *Redactor) SecretBytes() [][]byte {
	if r == nil {
		return nil
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.raw
}

// String returns s with every known secret and every credential-shaped substring masked.
func (r *Redactor) String(s string) string {
	if r != nil {
		r.mu.RLock()
		for _, secret := range r.secrets {
			if strings.Contains(s, secret) {
				s = strings.ReplaceAll(s, secret, Mask)
			}
		}
		r.mu.RUnlock()
	}
	return scrubShapes(s, false)
}

// scrubShapes masks credential-shaped text. Each pattern runs only where its literal prefix occurs
// (skipping the regexps for strings without one was ~10 % of a large run's CPU; gating each one
// precisely, about 4 % more: a 401's WWW-Authenticate names both words). all runs every pattern:
// the reference the fuzz test compares with.
func scrubShapes(s string, all bool) string {
	if all || authPrefix(s) {
		s = authHeader.ReplaceAllString(s, "${1}${2} "+Mask)
	}
	if all || bearerPrefix(s) {
		s = bearerWord.ReplaceAllString(s, "${1} "+Mask)
	}
	if all || strings.Contains(s, "eyJ") {
		s = jwtLike.ReplaceAllString(s, Mask)
	}
	return s
}

// authPrefix: authHeader needs "authorization", optional white space, then ':' or '='.
func authPrefix(s string) bool {
	return foldFollowed(s, "authorization", func(rest string) bool {
		rest = strings.TrimLeft(rest, regexpSpace)
		return rest != "" && (rest[0] == ':' || rest[0] == '=')
	})
}

// bearerPrefix: bearerWord needs "bearer" followed by white space.
func bearerPrefix(s string) bool {
	return foldFollowed(s, "bearer", func(rest string) bool {
		return rest != "" && strings.IndexByte(regexpSpace, rest[0]) >= 0
	})
}

// regexpSpace is the \s class of Go's regexp syntax.
const regexpSpace = "\t\n\f\r "

// foldFollowed reports whether some occurrence of the lower-case ASCII word w in s, ignoring ASCII
// case, is followed by text ok accepts.
func foldFollowed(s, w string, ok func(rest string) bool) bool {
	for i := 0; i+len(w) <= len(s); i++ {
		if s[i]|0x20 == w[0] && foldPrefix(s[i:], w) && ok(s[i+len(w):]) {
			return true
		}
	}
	return false
}

func foldPrefix(s, w string) bool {
	for j := 0; j < len(w); j++ {
		if s[j]|0x20 != w[j] {
			return false
		}
	}
	return true
}

// Bytes is String for byte slices.
func (r *Redactor) Bytes(b []byte) string { return r.String(string(b)) }
