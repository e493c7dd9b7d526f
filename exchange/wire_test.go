package exchange

import (
	"strings"
	"testing"
	"time"
)

func TestParseWire(t *testing.T) {
	for _, c := range []struct {
		raw, err string
		status   int
		trailing string
	}{
		{raw: "HTTP/1.1 204 No Content\r\nrequest-id: x\r\n\r\n", status: 204},
		{raw: "HTTP/1.1 204\r\n\r\n", status: 204},
		{raw: "HTTP/1.0 204 No Content\r\nContent-Length: 0\r\n\r\nstray", status: 204, trailing: "stray"},
		{raw: "HTTP/1.1 204 No Content\r\nX-Empty:\r\n\r\n", status: 204},
		{raw: "HTTP/1.1 204 No Content\n\n", err: "no complete header block"},
		{raw: "", err: "no complete header block in 0 bytes"},
		{raw: "HTTP/2 204\r\n\r\n", err: "bad status line"},
		{raw: "HTTP/1.1\r\n\r\n", err: "bad status line"},
		{raw: "HTTP/1.1 abc OK\r\n\r\n", err: "bad status code"},
		{raw: "HTTP/1.1 99 Low\r\n\r\n", err: "bad status code"},
		{raw: "HTTP/1.1 1000 High\r\n\r\n", err: "bad status code"},
		{raw: "HTTP/1.1 204 No Content\r\nno colon here\r\n\r\n", err: "bad header line"},
		{raw: "SSH-2.0-OpenSSH_9.6\r\n\r\n", err: "bad status line"},
		{raw: "HTTP/1.1 204 " + strings.Repeat("x", 500) + "\r\n\r\n", status: 204},
		{raw: "HTTP/1.1 204 No Content\r\n" + strings.Repeat("y", 500) + "\r\n\r\n", err: "bad header line"},
		// 1xx answers are interim (RFC 9110 §15.2): the final answer after them is the one judged.
		{raw: "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n{}", status: 204, trailing: "{}"},
		{raw: "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\n\r\nHTTP/1.1 200 OK\r\n\r\n", status: 200},
		{raw: "HTTP/1.1 103 Early Hints\r\n\r\n", err: "no complete header block"},
		{raw: strings.Repeat("HTTP/1.1 103 Early Hints\r\n\r\n", 6) + "HTTP/1.1 204 No Content\r\n\r\n", err: "more than 5 interim"},
		{raw: "HTTP/1.1 103 Early Hints\r\nbroken\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n", err: "bad header line"},
		// 101 ends HTTP/1.1 on the connection: it is final, whatever follows.
		{raw: "HTTP/1.1 101 Switching Protocols\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n", status: 101, trailing: "HTTP/1.1 204 No Content\r\n\r\n"},
	} {
		w, err := parseWire([]byte(c.raw))
		switch {
		case c.err != "":
			if err == nil || !strings.Contains(err.Error(), c.err) || w != nil {
				t.Errorf("parseWire(%.40q) = %+v, %v; want error %q", c.raw, w, err, c.err)
			} else if len(err.Error()) > 200 {
				t.Errorf("parseWire(%.40q): error of %d bytes", c.raw, len(err.Error()))
			}
		case err != nil:
			t.Errorf("parseWire(%.40q): %v", c.raw, err)
		case w.Status != c.status || string(w.Trailing) != c.trailing:
			t.Errorf("parseWire(%.40q) = %d %q", c.raw, w.Status, w.Trailing)
		}
	}
}

// TestBadLineIsRedactedThenCut (issue 11, item 14): a status or header line that does not parse is
// quoted in the error cut to 80 bytes, and redacted before the cut. A credential straddling the cut
// leaves no 8-byte piece of itself: neither a known secret nor a JWT the redactor never heard of,
// which it knows only by its whole shape (cut first, that shape is gone). The unknown one shares no
// 8-byte run with the known one: the redactor would mask that run first and break the shape too.
func TestBadLineIsRedactedThenCut(t *testing.T) {
	t.Parallel()
	const unknown = "eyJ0eXAiOiJKV1QifQ.eyJ1bmtub3duIjoidW5yZWdpc3RlcmVkIn0.dW5rbm93bi1zaWduYXR1cmUtYWx0b2dldGhlcg"
	for _, cred := range []string{secret, unknown} {
		for start := 80 - len(cred)/2; start < 80; start += 3 {
			for _, head := range []string{
				"HTTP/1.1 2x4 " + strings.Repeat("s", start-len("HTTP/1.1 2x4 ")) + cred + "\r\n\r\n",
				"HTTP/1.1 204 No Content\r\nX-Echo " + strings.Repeat("h", start-len("X-Echo ")) + cred + "\r\n\r\n",
			} {
				srv := answer(t, head)
				_, err := client(2*time.Second, nil).DoWire(t.Context(), post(srv.URL))
				if err == nil || !strings.Contains(err.Error(), "not an HTTP/1.1 response: bad ") {
					t.Fatalf("%.40q: %v", head, err)
				}
				if p, ok := pieceOf(err.Error(), cred); ok {
					t.Errorf("a credential from byte %d of a bad line: %q survives in %q", start, p, err)
				}
			}
		}
	}
}
