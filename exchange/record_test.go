package exchange

import (
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/graphconform/graphconform/reliability/faults"
)

// manyCookies is an answer with 15,000 Set-Cookie lines (about 950 KB) around a few ordinary headers.
func manyCookies(status string) string {
	var b strings.Builder
	b.WriteString("HTTP/1.1 " + status + "\r\nContent-Type: application/json\r\nRequest-Id: r-1\r\n")
	for i := 0; i < 15000; i++ {
		fmt.Fprintf(&b, "Set-Cookie: graphconform=%036d\r\n", i)
	}
	b.WriteString("Www-Authenticate: Bearer realm=\"x\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
	return b.String()
}

// TestHeaderExcerpt: what an exchange keeps of 15,000 headers is bounded (both paths), keeps every
// distinct header name, says what was cut, while the checks still see every header. (Not a 204:
// maskConn retires a 204's connection when its header block passes 16 KiB, which ends Go's read.)
func TestHeaderExcerpt(t *testing.T) {
	t.Parallel()
	c := client(5*time.Second, nil)
	excerpt := func(what, h string) {
		t.Helper()
		if len(h) > keptHeaderBytes+keptHeaderLineSize+200 {
			t.Errorf("%s: %d bytes of headers kept", what, len(h))
		}
		if n := strings.Count(h, "Set-Cookie: "); n != keptSameName {
			t.Errorf("%s: %d Set-Cookie lines kept", what, n)
		}
		for _, want := range []string{"Request-Id: r-1", "Www-Authenticate: Bearer", "\n(headers truncated: 1500", " lines, 9", " KiB; kept "} {
			if !strings.Contains(h, want) {
				t.Errorf("%s: the excerpt lacks %q:\n%s", what, want, h)
			}
		}
	}
	wire := func(status string) {
		srv := answer(t, manyCookies(status))
		w, err := c.DoWire(t.Context(), post(srv.URL))
		if err != nil {
			t.Fatal(err)
		}
		excerpt(status+" DoWire", c.RecordWire(post(srv.URL), w, nil).Header)
	}
	for _, status := range []string{"401 Unauthorized", "200 OK"} {
		srv := answer(t, manyCookies(status))
		resp, err := c.Do(t.Context(), post(srv.URL))
		if err != nil {
			t.Fatal(err)
		}
		if n := len(resp.Header.Values("Set-Cookie")); n != 15000 {
			t.Errorf("the checks see %d Set-Cookie headers", n)
		}
		excerpt(status+" Do", c.Record(post(srv.URL), resp, nil).Header)
		wire(status)
	}
	wire("204 No Content")
}

// TestLongHeaderLineRedactedBeforeCut: a header line longer than a kept line, with a secret where
// the cut falls, keeps no piece of the secret: the line is redacted whole, then cut.
func TestLongHeaderLineRedactedBeforeCut(t *testing.T) {
	t.Parallel()
	// Spaces around the secret: letters glued to a JWT are its signature going on, and masked with
	// it (redact), which would leave a line too short to cut.
	line := "X-Echo: " + strings.Repeat("a", keptHeaderLineSize-len("X-Echo: ")-20) + " " + secret + " " + strings.Repeat("b", 200)
	srv := answer(t, "HTTP/1.1 400 Bad Request\r\n"+line+"\r\nContent-Length: 0\r\n\r\n")
	c := client(5*time.Second, nil)
	resp, err := c.Do(t.Context(), post(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	w, err := c.DoWire(t.Context(), post(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	for path, h := range map[string]string{"Do": c.Record(post(srv.URL), resp, nil).Header, "DoWire": c.RecordWire(post(srv.URL), w, nil).Header} {
		for i := 0; i+8 <= len(secret); i++ {
			if strings.Contains(h, secret[i:i+8]) {
				t.Fatalf("%s: the excerpt keeps %q of the secret:\n%s", path, secret[i:i+8], h)
			}
		}
		if !strings.Contains(h, "(headers truncated") {
			t.Errorf("%s: a cut line is not reported:\n%s", path, h)
		}
	}
}

// TestRecordIsPrintable: control characters, invalid UTF-8 and bidi overrides a target sends in a
// body or (raw path) a header arrive in the record escaped.
func TestRecordIsPrintable(t *testing.T) {
	t.Parallel()
	const evil = "\x1b[2J\x1b]0;t\x07\u202eX\x00\xff"
	const shown = `\x1b[2J\x1b]0;t\x07\u202eX\x00\xff`
	srv := faults.Raw(t, func(c net.Conn) {
		faults.ReadHead(c)
		io.WriteString(c, "HTTP/1.1 204 No Content\r\nX-Evil: "+evil+"\r\nConnection: close\r\n\r\n"+evil)
	})
	body := faults.Raw(t, func(c net.Conn) {
		faults.ReadHead(c)
		io.WriteString(c, fmt.Sprintf("HTTP/1.1 400 Bad Request\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", len(evil), evil))
	})
	c := client(5*time.Second, nil)
	w, err := c.DoWire(t.Context(), post(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	rec := c.RecordWire(post(srv.URL), w, nil)
	if !strings.Contains(rec.Header, "X-Evil: "+shown) || rec.Body != shown {
		t.Errorf("raw record: header %q, body %q", rec.Header, rec.Body)
	}
	resp, err := c.Do(t.Context(), post(body.URL))
	if err != nil {
		t.Fatal(err)
	}
	if rec := c.Record(post(body.URL), resp, nil); rec.Body != shown {
		t.Errorf("record: body %q", rec.Body)
	}
	if got := c.Text("got " + evil + " " + secret); got != "got "+shown+" <redacted>" {
		t.Errorf("Text = %q", got)
	}
	if got := c.Text(strings.Repeat("x", 3*maxMessage)); len(got) > maxMessage+len(" …") {
		t.Errorf("Text keeps %d bytes", len(got))
	}
}
