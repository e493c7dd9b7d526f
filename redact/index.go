package redact

import (
	"cmp"
	"math/bits"
	"slices"
	"sort"
)

// Index is what a Redactor knows at one moment, ready to search: every form of every secret
// (forms.go), by its MinSecret-byte pieces. It is immutable, so streams and reports share it
// without locks; Add builds a new one.
//
// A search reads each byte of the text once (and of its decoded view, when it holds escapes): a
// rolling key of the last MinSecret folded bytes is tested against a bit filter of the indexed
// pieces, and only a key that passes is looked up and extended both ways into the longest run of
// one form. The cost is a few nanoseconds a byte, and grows little with the number and length of
// the secrets (one lookup per filter hit, not one search per secret).
type Index struct {
	forms   []form
	entries []entry // by key
	filter  []uint64
	shift   uint
	// starts are the folded beginnings of the holdable forms, each shorter than its form's min:
	// too short to be recognised, long enough to be a secret's first bytes (Scan's held tail).
	starts  map[string]struct{}
	first   [256]bool // first bytes of starts
	maxHold int
}

type entry struct {
	key  uint64
	form int32
	off  int32
}

// hashMul spreads keys over the filter (Fibonacci hashing).
const hashMul = 0x9E3779B97F4A7C15

var emptyIndex = &Index{}

// build indexes secrets (each at least MinSecret bytes).
func build(secrets []string) *Index {
	x := &Index{starts: map[string]struct{}{}}
	n := 0
	for _, s := range secrets {
		n += 4 * len(s) // about the pieces of its forms: itself, 2 of base64, 1/4 of hex
	}
	x.entries = make([]entry, 0, n)
	for _, s := range secrets {
		for _, f := range formsOf(s) {
			fi := int32(len(x.forms))
			x.forms = append(x.forms, f)
			for off := 0; off+MinSecret <= len(f.text); off += f.stride {
				x.entries = append(x.entries, entry{key: key(f.text[off : off+MinSecret]), form: fi, off: int32(off)})
			}
			if !f.hold {
				continue
			}
			for n := 1; n < f.min && n < len(f.text); n++ {
				x.starts[f.text[:n]] = struct{}{}
			}
			x.first[f.text[0]] = true
			x.maxHold = max(x.maxHold, min(f.min, len(f.text))-1)
		}
	}
	slices.SortFunc(x.entries, func(a, b entry) int { return cmp.Compare(a.key, b.key) })
	// About 16 filter bits per piece: one text position in ~16 goes on to a lookup.
	size := 1 << 12
	for size < 16*len(x.entries) && size < 1<<26 {
		size <<= 1
	}
	x.filter = make([]uint64, size/64)
	x.shift = uint(64 - bits.TrailingZeros(uint(size)))
	for _, e := range x.entries {
		h := e.key * hashMul >> x.shift
		x.filter[h>>6] |= 1 << (h & 63)
	}
	return x
}

// key packs MinSecret folded bytes the way the rolling key of a search does.
func key(s string) uint64 {
	var k uint64
	for i := 0; i < len(s); i++ {
		k = k<<8 | uint64(s[i])
	}
	return k
}

func (x *Index) empty() bool { return len(x.entries) == 0 }

// Runs calls emit with every run of a secret's form in s, as byte offsets [start, end) of s, in no
// particular order; runs may overlap.
func (x *Index) Runs(s []byte, emit func(start, end int)) { scan(x, s, emit) }

// Scan is for a stream's window b, of which b[:from] was handed out already: it calls emit with
// every range of b[from:] that belongs to a run of a secret's form (a run that began before from
// included), and returns where the longest tail of b that could be the first bytes of a secret, too
// few to be recognised yet, or an unfinished escape, starts (len(b) when there is none). A stream
// holds that tail back until more bytes decide (exchange's maskConn), so what it masks in place is
// masked whole escapes at a time; a range never starts inside an escape.
func (x *Index) Scan(b []byte, from int, emit func(start, end int)) (held int) {
	if x.empty() {
		return len(b)
	}
	runs(x, b, func(start, end int) {
		if end > from {
			emit(max(start, from), end)
		}
	})
	// What is held: an unfinished escape at the end, and the first bytes of a secret before it
	// (or at the end), as written or decoded.
	pe := len(b)
	if hasEscape(b) {
		pe = PartialEscape(b)
	}
	held = heldFrom(x, b[:pe])
	if hasEscape(b) {
		v := decodeView(b)
		runs(x, v.dec, func(a, e int) {
			for a < e && int(v.from[a]) < from {
				a++ // an escape handed out in part stays as it is: masking the rest would break it
			}
			if a < e {
				emit(int(v.from[a]), int(v.to[e-1]))
			}
		})
		n := sort.Search(len(v.from), func(i int) bool { return int(v.from[i]) >= pe })
		if q := heldFrom(x, v.dec[:n]); q < n {
			held = min(held, int(v.from[q]))
		}
	}
	return held
}

// scan finds the runs in text as written and, when it holds escapes, in its decoded view (an
// escape can hide a secret, and a secret can hold what looks like an escape).
func scan[T string | []byte](x *Index, s T, emit func(start, end int)) {
	if x.empty() || len(s) < MinSecret {
		return
	}
	runs(x, s, emit)
	if hasEscape(s) {
		v := decodeView(s)
		runs(x, v.dec, func(a, e int) { emit(int(v.from[a]), int(v.to[e-1])) })
	}
}

// runs is the search of one text (already decoded).
func runs[T string | []byte](x *Index, s T, emit func(start, end int)) {
	var k uint64
	covered := 0 // s[:covered] is in a run already found
	for i := 0; i < len(s); i++ {
		k = k<<8 | uint64(fold[s[i]])
		if i < MinSecret-1 || i < covered {
			continue
		}
		if h := k * hashMul >> x.shift; x.filter[h>>6]&(1<<(h&63)) == 0 {
			continue
		}
		t := i + 1 - MinSecret
		start, end := 0, 0
		for _, e := range x.lookup(k) {
			f := &x.forms[e.form]
			a, b := extend(s, t, f.text, int(e.off))
			if b-a >= f.min && (b > end || b == end && a < start) {
				start, end = a, b
			}
		}
		if end > 0 {
			emit(start, end)
			covered = end
		}
	}
}

func (x *Index) lookup(k uint64) []entry {
	i, hi := 0, len(x.entries)
	for i < hi {
		m := int(uint(i+hi) >> 1)
		if x.entries[m].key < k {
			i = m + 1
		} else {
			hi = m
		}
	}
	j := i
	for j < len(x.entries) && x.entries[j].key == k {
		j++
	}
	return x.entries[i:j]
}

// extend grows the match of s[t:t+MinSecret] with f[off:] both ways. One changed byte does not end
// a run when the form goes on for MinSecret bytes after it: a secret with a character replaced
// (AUTH-001's tampered token, or any other) is still the secret.
func extend[T string | []byte](s T, t int, f string, off int) (start, end int) {
	i, j := t+MinSecret, off+MinSecret
	for i < len(s) && j < len(f) {
		if fold[s[i]] == f[j] {
			i, j = i+1, j+1
		} else if i+1+MinSecret <= len(s) && j+1+MinSecret <= len(f) && equalFold(s[i+1:i+1+MinSecret], f[j+1:j+1+MinSecret]) {
			i, j = i+1+MinSecret, j+1+MinSecret
		} else {
			break
		}
	}
	end = i
	i, j = t, off
	for i > 0 && j > 0 {
		if fold[s[i-1]] == f[j-1] {
			i, j = i-1, j-1
		} else if i-1-MinSecret >= 0 && j-1-MinSecret >= 0 && equalFold(s[i-1-MinSecret:i-1], f[j-1-MinSecret:j-1]) {
			i, j = i-1-MinSecret, j-1-MinSecret
		} else {
			break
		}
	}
	return i, end
}

func equalFold[T string | []byte](s T, f string) bool {
	for i := 0; i < len(f); i++ {
		if fold[s[i]] != f[i] {
			return false
		}
	}
	return true
}

// heldFrom returns where the longest tail of s that begins a holdable form starts, or len(s).
func heldFrom[T string | []byte](x *Index, s T) int {
	var buf [64]byte
	for q := max(0, len(s)-x.maxHold); q < len(s); q++ {
		if !x.first[fold[s[q]]] {
			continue
		}
		n := 0
		for k := q; k < len(s); k++ {
			buf[n] = fold[s[k]]
			n++
		}
		if _, ok := x.starts[string(buf[:n])]; ok {
			return q
		}
	}
	return len(s)
}
