// Package printable makes text a target sent safe to print: control characters, invalid UTF-8 and
// the invisible formatting characters (bidi overrides, zero-width marks) are written as visible
// escapes, so a response cannot move the cursor, clear the screen, retitle the terminal or reorder
// a line, and the reader sees what was sent (\x1b, \u202e) instead of its effect.
//
// Backslashes are kept as they are: JSON bodies stay readable, and escaping twice changes nothing
// (String(String(s)) == String(s)), so it can be applied wherever target text enters a message
// and again where the message is printed.
package printable

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// String escapes s for printing, keeping line breaks and tabs (bodies and header blocks are
// multi-line). Use Line for text that must stay on one line.
func String(s string) string { return escape(s, false) }

// Line is String that also escapes line breaks and tabs: the result is one line.
func Line(s string) string { return escape(s, true) }

func escape(s string, oneLine bool) string {
	i := 0
	for i < len(s) && plain(s[i], oneLine) {
		i++
	}
	if i == len(s) {
		return s // the common case: printable ASCII, no allocation
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	for i < len(s) {
		c := s[i]
		if plain(c, oneLine) {
			b.WriteByte(c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&b, `\x%02x`, c) // not UTF-8 (a lone 0x9b is CSI to some terminals)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r) // ESC, BEL, NUL, DEL and the other C0 controls
		case hidden(r):
			if r > 0xFFFF {
				fmt.Fprintf(&b, `\U%08x`, r)
			} else {
				fmt.Fprintf(&b, `\u%04x`, r)
			}
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// plain is a byte printed as itself: printable ASCII, and line breaks and tabs unless oneLine.
func plain(c byte, oneLine bool) bool {
	return (c >= 0x20 && c < 0x7f) || (!oneLine && (c == '\n' || c == '\t'))
}

// hidden is a rune a terminal acts on or shows as nothing: C1 controls (U+0080–U+009F, e.g. CSI
// U+009B), format characters (bidi embeddings, overrides and isolates U+202A–U+202E and
// U+2066–U+2069, marks U+200E/U+200F/U+061C, zero-width characters, U+FEFF), and the line and
// paragraph separators U+2028/U+2029.
func hidden(r rune) bool {
	return unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Zl, r) || unicode.Is(unicode.Zp, r)
}
