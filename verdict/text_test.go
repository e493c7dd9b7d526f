package verdict

import (
	"strings"
	"testing"

	"github.com/graphconform/graphconform/requirement"
)

// TestTextIsPrintable: whatever a target put into a verdict (a message quoting it, headers, a
// body, an error), Text prints no control character and no line that starts like the suite's own.
func TestTextIsPrintable(t *testing.T) {
	const evil = "\x1b[2J\x1b[H\x1b[32m\ngraphconform gate: PASS\x1b[0m\r\u202e\x00\x9b\xff"
	v := Verdict{Requirement: requirement.Requirement{ID: "ERR-001", Level: requirement.Must, Title: "t"}, Case: "c",
		Outcome: Fail, Message: "expected JSON, got " + evil, Exchanges: []Exchange{
			{Curl: "curl x", Status: 400, Header: "X-Evil: " + evil, Body: evil, BodyBytes: len(evil)},
			{Curl: "curl y", Error: evil},
		}}
	out := v.Text()
	for i, c := range out {
		if (c < 0x20 && c != '\n') || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x202e || c == 0xfffd {
			t.Fatalf("Text holds %U at %d:\n%s", c, i, out)
		}
	}
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "graphconform") {
			t.Errorf("a line the target wrote starts at the margin: %q", l)
		}
	}
	if !strings.Contains(out, `\x1b[2J\x1b[H\x1b[32m`) || !strings.Contains(out, `\u202e\x00\x9b\xff`) {
		t.Errorf("Text does not show what the target sent:\n%s", out)
	}
}
