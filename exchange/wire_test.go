package exchange

import (
	"strings"
	"testing"
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
