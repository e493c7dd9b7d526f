package redact

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// The decoded view of a text undoes the escapes a secret can hide behind: percent-encoding (%XX),
// JSON escapes (\uXXXX, surrogate pairs, \" \\ \/ \b \f \n \r \t), HTML numeric character
// references (&#NN; &#xHH;, the semicolon optional) and the named references of ASCII characters
// (&amp; &period; &lowbar; ...). Each decoded byte remembers the source bytes it came from, so a
// secret found in the view is masked in the text.

// hasEscape tells whether s can hold an escape at all: the common case skips the view.
func hasEscape[T string | []byte](s T) bool {
	switch s := any(s).(type) {
	case string:
		return strings.IndexByte(s, '%') >= 0 || strings.IndexByte(s, '\\') >= 0 || strings.IndexByte(s, '&') >= 0
	case []byte:
		return bytes.IndexByte(s, '%') >= 0 || bytes.IndexByte(s, '\\') >= 0 || bytes.IndexByte(s, '&') >= 0
	}
	return true
}

// view is a decoded text: dec[i] came from src[from[i]:to[i]].
type view struct {
	dec      []byte
	from, to []int32
}

// decodeView decodes s. It is only called when hasEscape(s).
func decodeView[T string | []byte](s T) view {
	v := view{dec: make([]byte, 0, len(s)), from: make([]int32, 0, len(s)), to: make([]int32, 0, len(s))}
	var rb [utf8.UTFMax]byte
	for i := 0; i < len(s); {
		r, n := unescape(s, i)
		if n == 0 {
			v.dec, v.from, v.to = append(v.dec, s[i]), append(v.from, int32(i)), append(v.to, int32(i+1))
			i++
			continue
		}
		for _, c := range rb[:utf8.EncodeRune(rb[:], r)] {
			v.dec, v.from, v.to = append(v.dec, c), append(v.from, int32(i)), append(v.to, int32(i+n))
		}
		i += n
	}
	return v
}

// decodeString is the decoded view of s as a string (for secrets that hold an escape themselves).
func decodeString(s string) string {
	if !hasEscape(s) {
		return s
	}
	return string(decodeView(s).dec)
}

// unescape decodes the escape at s[i], if one starts there: the rune and the escape's length
// (0: none).
func unescape[T string | []byte](s T, i int) (rune, int) {
	switch s[i] {
	case '%':
		if i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			return rune(unhex(s[i+1])<<4 | unhex(s[i+2])), 3
		}
	case '\\':
		if i+1 >= len(s) {
			return 0, 0
		}
		if c, ok := jsonSimple[s[i+1]]; ok {
			return rune(c), 2
		}
		if s[i+1] != 'u' {
			return 0, 0
		}
		r, ok := hex4(s, i+2)
		if !ok {
			return 0, 0
		}
		if r >= 0xD800 && r < 0xDC00 && i+11 < len(s) && s[i+6] == '\\' && s[i+7] == 'u' {
			if lo, ok := hex4(s, i+8); ok && lo >= 0xDC00 && lo < 0xE000 {
				return (r-0xD800)<<10 | (lo - 0xDC00) + 0x10000, 12
			}
		}
		return r, 6
	case '&':
		return entity(s, i)
	}
	return 0, 0
}

var jsonSimple = map[byte]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

func hex4[T string | []byte](s T, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	var r rune
	for j := i; j < i+4; j++ {
		if !isHex(s[j]) {
			return 0, false
		}
		r = r<<4 | rune(unhex(s[j]))
	}
	return r, true
}

// entity decodes an HTML character reference at s[i] ('&').
func entity[T string | []byte](s T, i int) (rune, int) {
	j := i + 1
	if j < len(s) && s[j] == '#' {
		j++
		base := 10
		if j < len(s) && (s[j] == 'x' || s[j] == 'X') {
			base, j = 16, j+1
		}
		start := j
		var r rune
		for j < len(s) && j-start < 8 && (base == 16 && isHex(s[j]) || base == 10 && s[j] >= '0' && s[j] <= '9') {
			r = r*rune(base) + rune(unhex(s[j]))
			j++
		}
		if j == start || r > utf8.MaxRune {
			return 0, 0
		}
		if j < len(s) && s[j] == ';' {
			j++
		}
		return r, j - i
	}
	var name [maxEntity]byte
	n := 0
	for ; j < len(s) && n < maxEntity && isAlpha(s[j]); j, n = j+1, n+1 {
		name[n] = s[j] | 0x20
	}
	if j >= len(s) || s[j] != ';' {
		return 0, 0
	}
	if c, ok := asciiEntities[string(name[:n])]; ok {
		return rune(c), j + 1 - i
	}
	return 0, 0
}

// asciiEntities are the HTML named character references of ASCII characters (lower-cased: a hostile
// writer's case does not matter). Secrets are ASCII in practice; a reference to anything else
// cannot stand for a byte of one.
var asciiEntities = map[string]byte{
	"amp": '&', "lt": '<', "gt": '>', "quot": '"', "apos": '\'', "tab": '\t', "newline": '\n',
	"excl": '!', "num": '#', "dollar": '$', "percnt": '%', "lpar": '(', "rpar": ')', "ast": '*',
	"midast": '*', "plus": '+', "comma": ',', "period": '.', "sol": '/', "colon": ':', "semi": ';',
	"equals": '=', "quest": '?', "commat": '@', "lsqb": '[', "lbrack": '[', "bsol": '\\',
	"rsqb": ']', "rbrack": ']', "hat": '^', "lowbar": '_', "underbar": '_', "grave": '`',
	"lcub": '{', "lbrace": '{', "verbar": '|', "vert": '|', "rcub": '}', "rbrace": '}',
}

// maxEntity bounds the length of a named reference.
const maxEntity = 8

func isHex(c byte) bool   { return c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'f' }
func isAlpha(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

func unhex(c byte) byte {
	if c <= '9' {
		return c - '0'
	}
	return c | 0x20 - 'a' + 10
}

// PartialEscape returns where an escape that b ends in the middle of starts (len(b) if none): a
// stream holds it back, so that a secret masked in place is masked whole escapes at a time ("\u00**"
// would no longer be JSON).
func PartialEscape(b []byte) int {
	for i := max(0, len(b)-maxEscape); i < len(b); i++ {
		if c := b[i]; (c == '%' || c == '\\' || c == '&') && unfinished(b[i:]) {
			return i
		}
	}
	return len(b)
}

// maxEscape is the longest escape decodeView reads ("\uD83D\uDE00", "&#x0010FFFF;").
const maxEscape = 12

// unfinished tells whether t, which starts with an escape character, could still become an escape
// with more bytes.
func unfinished(t []byte) bool {
	switch t[0] {
	case '%':
		return len(t) == 1 || len(t) == 2 && isHex(t[1])
	case '\\':
		if len(t) == 1 {
			return true
		}
		if t[1] != 'u' {
			return false
		}
		for _, c := range t[2:min(6, len(t))] {
			if !isHex(c) {
				return false
			}
		}
		return len(t) < 6 || len(t) < 12 && unfinishedPair(t)
	case '&':
		rest := t[1:]
		if len(rest) > 0 && rest[0] == '#' {
			rest = rest[1:]
			if len(rest) > 0 && rest[0]|0x20 == 'x' {
				rest = rest[1:]
			}
			for _, c := range rest {
				if !isHex(c) {
					return false
				}
			}
			return true // digits only so far: a ";" or more digits may follow
		}
		for _, c := range rest {
			if !isAlpha(c) {
				return false
			}
		}
		return len(rest) <= maxEntity
	}
	return false
}

// unfinishedPair: t is a high surrogate escape followed by the start of its low half.
func unfinishedPair(t []byte) bool {
	r, _ := hex4(t, 2)
	if r < 0xD800 || r >= 0xDC00 {
		return false
	}
	rest := t[6:]
	if len(rest) >= 1 && rest[0] != '\\' || len(rest) >= 2 && rest[1] != 'u' {
		return false
	}
	for _, c := range rest[min(2, len(rest)):] {
		if !isHex(c) {
			return false
		}
	}
	return true
}
