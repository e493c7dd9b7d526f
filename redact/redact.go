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
	authHeader = regexp.MustCompile(`(?i)(authorization\s*[:=]\s*"?\s*)(bearer|basic)\s+([^\s"',;]+)`)
	bearerWord = regexp.MustCompile(`(?i)\b(bearer)\s+([A-Za-z0-9\-._~+/]{16,}=*)`)
)

// Redactor scrubs strings. The zero value scrubs only credential-shaped text.
type Redactor struct {
	mu      sync.Mutex // serialises Add
	secrets []string
	known   map[string]bool // the secrets, for Add to skip them
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

// Add registers more secrets. Strings shorter than MinSecret are ignored. An Add of nothing new
// (the suite registers the credentials it derives more than once) costs a lookup per string: the
// index is rebuilt only for a new secret.
func (r *Redactor) Add(secrets ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := len(r.secrets)
	for _, s := range secrets {
		if len(s) >= MinSecret && !r.known[s] {
			if r.known == nil {
				r.known = map[string]bool{}
			}
			r.known[s] = true
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
	spans, known := spansOf(r.Index(), s)
	out := replace(s, spans)
	if known {
		// A secret masked inside an Authorization value lets its pattern take the rest of the
		// value, past a space or quote the secret held (as masking the secret first always did).
		out = scrubShapes(out, false)
	}
	return out
}

// Bytes is String for byte slices.
func (r *Redactor) Bytes(b []byte) string { return r.String(string(b)) }

// Hide returns a copy of b with every byte String would mask replaced by '*': the length (and
// every count derived from it) stays true.
func (r *Redactor) Hide(b []byte) []byte {
	out := slices.Clone(b)
	spans, _ := spansOf(r.Index(), string(b))
	for _, sp := range spans {
		for i := sp[0]; i < sp[1]; i++ {
			out[i] = '*'
		}
	}
	return out
}

// spansOf returns the ranges of s to mask, sorted, overlapping and adjacent ones merged; known
// tells whether a secret's run or a hole is among them.
//
// Every range is found in s as given, not in s with some ranges masked already: tokens of one
// issuer share their opening (the header, "eyJ" of the payload), and a JWT we never registered
// whose shared opening had been masked first would no longer look like a JWT, and its payload and
// signature would go out. Text in which a secret was hidden in place before has lost that shape
// for good: see holes.
func spansOf(x *Index, s string) (spans [][2]int, known bool) {
	scan(x, s, func(start, end int) { spans = append(spans, [2]int{start, end}) })
	spans = holes(s, spans)
	known = len(spans) > 0
	return merge(shapeSpans(s, false, spans)), known
}

// holes appends the tokens of s that hold a hole: MinSecret or more '*', what Hide and a stream
// mask (exchange) leave in place of a secret's run. A token (a run of JWT characters and holes)
// is taken whole when it still shows a credential around its hole: it holds a '.' (the parts of a
// JWT), or MinSecret characters after a hole (between two holes: runs of two secrets in one word;
// at the end: a token whose changed end the secret's run did not cover, which the string path
// masks whole by its JWT shape and a stream hides as glued to the run), or 2*MinSecret before its
// first hole. A token that shows less is what a stream leaves of a secret it masked (a tampered
// byte between two runs, a few characters after a run; before it, up to 10 base64 or 15 hex
// characters, under MinSecret bytes, that a stream released before the re-encoded secret's run
// was recognised, or a JWT's opening it held back) and stays as it is; exchange shows its holes
// as Mask.
func holes(s string, spans [][2]int) [][2]int {
	for i := strings.Index(s, hole); i >= 0; {
		a, b := i, i
		for a > 0 && (credential[s[a-1]] || s[a-1] == '*') {
			a--
		}
		for b < len(s) && (credential[s[b]] || s[b] == '*') {
			b++
		}
		if tokenAround(s[a:b]) {
			spans = append(spans, [2]int{a, b})
		}
		k := strings.Index(s[b:], hole)
		if k < 0 {
			break
		}
		i = b + k
	}
	return spans
}

// tokenAround: the token t, which holds a hole, shows more of a credential than a masked secret's
// edges (see holes).
func tokenAround(t string) bool {
	if strings.IndexByte(t, '.') >= 0 {
		return true
	}
	parts := strings.Split(t, "*") // visible runs, with "" between the stars
	for i, v := range parts {
		if i > 0 && len(v) >= MinSecret || len(v) >= 2*MinSecret {
			return true
		}
	}
	return false
}

// merge sorts spans and merges the overlapping and adjacent ones (one Mask for both).
func merge(spans [][2]int) [][2]int {
	if len(spans) < 2 {
		return spans
	}
	slices.SortFunc(spans, func(a, b [2]int) int { return a[0] - b[0] })
	merged := spans[:1]
	for _, sp := range spans[1:] {
		if last := &merged[len(merged)-1]; sp[0] <= last[1] {
			last[1] = max(last[1], sp[1])
		} else {
			merged = append(merged, sp)
		}
	}
	return merged
}

// hole is the shortest run of '*' taken for a secret hidden in place (holes).
var hole = strings.Repeat("*", MinSecret)

// credential are the bytes of a JWT (base64url and '.').
var credential = func() (t [256]bool) {
	for _, c := range []byte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.") {
		t[c] = true
	}
	return t
}()

// Credential reports whether c can be part of a JWT (base64url or '.'): what a stream mask hides
// when it follows a secret's run (exchange's maskConn), as the string path masks a JWT whole.
func Credential(c byte) bool { return credential[c] }

// replace returns s with each of the (sorted, disjoint) spans replaced by one Mask.
func replace(s string, spans [][2]int) string {
	if len(spans) == 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	last := 0
	for _, sp := range spans {
		b.WriteString(s[last:sp[0]])
		b.WriteString(Mask)
		last = sp[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

// shapeSpans appends the credential-shaped ranges of s to spans: an Authorization or Bearer
// credential (not its scheme), a JWT. Each pattern runs only where its literal prefix occurs
// (skipping the regexps for strings without one was ~10 % of a large run's CPU; gating each one
// precisely, about 4 % more: a 401's WWW-Authenticate names both words). all runs every pattern:
// the reference the fuzz test compares with.
func shapeSpans(s string, all bool, spans [][2]int) [][2]int {
	if all || authPrefix(s) {
		for _, m := range authHeader.FindAllStringSubmatchIndex(s, -1) {
			spans = append(spans, [2]int{m[6], m[7]})
		}
	}
	if all || bearerPrefix(s) {
		for _, m := range bearerWord.FindAllStringSubmatchIndex(s, -1) {
			spans = append(spans, [2]int{m[4], m[5]})
		}
	}
	if all || strings.Contains(s, "eyJ") {
		known := merge(slices.Clone(spans))
		for p := 0; p < len(s); {
			if !all {
				// A JWT that starts inside a known secret's span and cannot go on past its end (the
				// byte after it is no JWT byte) is masked already: skip the span rather than run the
				// pattern over it (an echoed 1.5 KB token cost the pattern ~50 µs). One that can go
				// on past it (an unregistered token sharing a registered one's opening) is matched
				// as usual, whole.
				a := strings.Index(s[p:], "eyJ")
				if a < 0 {
					break
				}
				a += p
				if e, in := spanEnd(known, a); in && (e == len(s) || !credential[s[e]]) {
					p = e
					continue
				}
				p = a
			}
			var a, b int
			if all {
				m := jwtLike.FindStringIndex(s[p:])
				if m == nil {
					break
				}
				a, b = p+m[0], p+m[1]
			} else if b = jwtAt(s, p); b < 0 {
				p = -b // no JWT starts before -b
				continue
			} else {
				a = p
			}
			spans = append(spans, [2]int{a, b})
			// The next JWT may begin inside this one's second or third part: two tokens glued
			// together, the first one's signature running into the second one's header.
			p = a + strings.IndexByte(s[a:], '.') + 1
		}
	}
	return spans
}

// jwtAt matches jwtLike at a, where s holds "eyJ", without the regexp engine (its backtracker cost
// ~40 ns a byte of a token): the end of the match, or, when there is none, minus the first
// position a JWT could start at after a. The parts hold no '.', so the match is the unique one
// and every start before the failing part's end fails the same way.
func jwtAt(s string, a int) int {
	part := func(i int) int {
		for i < len(s) && b64url[s[i]] {
			i++
		}
		return i
	}
	i := part(a + 3)
	if i-(a+3) < 4 || i == len(s) || s[i] != '.' {
		return -max(i, a+1)
	}
	j := part(i + 1)
	if j-(i+1) < 4 || j == len(s) || s[j] != '.' {
		return -j
	}
	return part(j + 1)
}

// b64url are the bytes of a JWT's parts.
var b64url = func() (t [256]bool) {
	t = credential
	t['.'] = false
	return t
}()

// spanEnd returns the end of the span of sorted, disjoint spans that holds i, if one does.
func spanEnd(spans [][2]int, i int) (int, bool) {
	k, _ := slices.BinarySearchFunc(spans, i, func(sp [2]int, i int) int {
		switch {
		case sp[1] <= i:
			return -1
		case sp[0] > i:
			return 1
		}
		return 0
	})
	if k < len(spans) && spans[k][0] <= i && i < spans[k][1] {
		return spans[k][1], true
	}
	return 0, false
}

// scrubShapes masks the credential-shaped text of s.
func scrubShapes(s string, all bool) string {
	return replace(s, merge(shapeSpans(s, all, nil)))
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
