// Package redact removes secrets from everything graphconform prints or writes.
//
// Two nets: the secrets it was given (persona tokens, client secrets, the credentials the suite
// derives from them), recognised in every reversible form and by any run of MinSecret bytes of
// one (forms.go), and anything shaped like a bearer credential (a JWT, an Authorization header
// value), so a target that echoes a token we never registered still cannot leak it into a report.
package redact

import (
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
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
	mu      sync.Mutex // serialises Add
	secrets []string
	index   atomic.Pointer[Index]
}

// New returns a redactor that knows the given secrets.
func New(secrets ...string) *Redactor {
	r := &Redactor{}
	r.Add(secrets...)
	return r
}

// MinSecret is the length below which a string is not taken as a secret, and the shortest run of
// a secret that is masked: shorter ones occur in ordinary text and reveal nothing. Configuration
// refuses tokens and client secrets shorter than this (config), so none goes unmasked.
const MinSecret = 8

// Add registers more secrets. Strings shorter than MinSecret are ignored.
func (r *Redactor) Add(secrets ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := len(r.secrets)
	for _, s := range secrets {
		if len(s) >= MinSecret && !slices.Contains(r.secrets, s) {
			r.secrets = append(r.secrets, s)
		}
	}
	if len(r.secrets) > n || r.index.Load() == nil {
		r.index.Store(build(r.secrets))
	}
}

// Index returns what the redactor knows now, for stream masking. Later Adds do not change it.
func (r *Redactor) Index() *Index {
	if r == nil {
		return emptyIndex
	}
	if x := r.index.Load(); x != nil {
		return x
	}
	return emptyIndex
}

// SecretBytes is Index under the name exchange's dialers ask for (newMaskConn).
func (r *Redactor) SecretBytes() *Index { return r.Index() }

// String returns s with every known secret (in any of its forms, and any run of MinSecret bytes of
// one) and every credential-shaped substring masked.
func (r *Redactor) String(s string) string {
	return scrubShapes(mask(r.Index(), s), false)
}

// Bytes is String for byte slices.
func (r *Redactor) Bytes(b []byte) string { return r.String(string(b)) }

// Hide returns a copy of b with every byte of a known secret's run replaced by '*': the length
// (and every count derived from it) stays true.
func (r *Redactor) Hide(b []byte) []byte {
	out := slices.Clone(b)
	scan(r.Index(), b, func(start, end int) {
		for i := start; i < end; i++ {
			out[i] = '*'
		}
	})
	return out
}

// mask replaces each run of a secret in s with one Mask (overlapping and adjacent runs with one).
func mask(x *Index, s string) string {
	var found [][2]int
	scan(x, s, func(start, end int) { found = append(found, [2]int{start, end}) })
	if len(found) == 0 {
		return s
	}
	slices.SortFunc(found, func(a, b [2]int) int { return a[0] - b[0] })
	var b strings.Builder
	b.Grow(len(s))
	last := 0 // s[:last] is written
	for i, run := range found {
		if i == 0 || run[0] > last {
			b.WriteString(s[last:run[0]])
			b.WriteString(Mask)
		}
		last = max(last, run[1])
	}
	b.WriteString(s[last:])
	return b.String()
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
