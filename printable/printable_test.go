package printable

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestString(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"plain ASCII {\"a\": 1}", "plain ASCII {\"a\": 1}"},
		{"two\nlines\tand a tab", "two\nlines\tand a tab"},
		{"\x1b[2J\x1b[Hgraphconform gate: \x1b[32mPASS\x1b[0m", `\x1b[2J\x1b[Hgraphconform gate: \x1b[32mPASS\x1b[0m`},
		{"\x1b]0;pwned\x07", `\x1b]0;pwned\x07`}, // OSC: set the window title, ended by BEL
		{"nul\x00del\x7f cr\r", `nul\x00del\x7f cr\r`},
		{"C1 CSI \u009b31m", `C1 CSI \u009b31m`},
		{"lone byte \x9b and \xff\xfe", `lone byte \x9b and \xff\xfe`},
		{"bidi \u202eSSAP\u202c \u2066x\u2069 \u200f", `bidi \u202eSSAP\u202c \u2066x\u2069 \u200f`},
		{"zero\u200bwidth \ufeff sep\u2028", `zero\u200bwidth \ufeff sep\u2028`},
		{"tag \U000e0041", `tag \U000e0041`},
		{"accents é ü 日本 ✓", "accents é ü 日本 ✓"},
		{`already \x1b escaped`, `already \x1b escaped`},
	} {
		if got := String(c.in); got != c.want {
			t.Errorf("String(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestLine(t *testing.T) {
	if got := Line("a\nfake line\r\n\tx\x1b"); got != `a\nfake line\r\n\tx\x1b` {
		t.Errorf("Line = %q", got)
	}
}

// TestNothingActiveSurvives: whatever bytes come in, the output is valid UTF-8 without a control
// or formatting character (other than \n and \t), and escaping again changes nothing.
func TestNothingActiveSurvives(t *testing.T) {
	var all strings.Builder
	for b := 0; b < 256; b++ {
		all.WriteByte(byte(b))
	}
	for r := rune(0x80); r < 0x3000; r++ {
		all.WriteRune(r)
	}
	all.WriteString("\U000e0001\U0001d173")
	for _, f := range []func(string) string{String, Line} {
		out := f(all.String())
		if !utf8.ValidString(out) {
			t.Fatal("output is not valid UTF-8")
		}
		for _, r := range out {
			if hidden(r) && r != '\n' && r != '\t' {
				t.Errorf("%U survives", r)
			}
		}
		if f(out) != out {
			t.Error("escaping twice changes the text")
		}
	}
	if strings.ContainsAny(Line(all.String()), "\n\t") {
		t.Error("Line keeps a line break or tab")
	}
}

func TestPlainIsNotCopied(t *testing.T) {
	s := strings.Repeat("x", 1000)
	if n := testing.AllocsPerRun(10, func() { _ = String(s) }); n != 0 {
		t.Errorf("%v allocations for plain text", n)
	}
}

func FuzzString(f *testing.F) {
	f.Add("\x1b[31m\u202e\xff")
	f.Fuzz(func(t *testing.T, s string) {
		out := String(s)
		if !utf8.ValidString(out) || String(out) != out {
			t.Fatalf("String(%q) = %q", s, out)
		}
		for _, r := range out {
			if hidden(r) && r != '\n' && r != '\t' {
				t.Fatalf("String(%q) keeps %U", s, r)
			}
		}
	})
}
