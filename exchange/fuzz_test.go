package exchange

import (
	"bytes"
	"net/http"
	"net/textproto"
	"strings"
	"testing"
	"time"
)

// FuzzParseWire: no input makes the raw-response parser panic; an error is one bounded line (it
// quotes at most 80 bytes, at most 4× as long quoted); an accepted response is exactly the bytes
// it came from (interim answers, status line, header lines, the rest), and it is final (not 1xx,
// or 101).
// Seeds: the cases below and testdata/fuzz/FuzzParseWire.
func FuzzParseWire(f *testing.F) {
	for _, s := range []string{
		"HTTP/1.1 204 No Content\r\nrequest-id: 1\r\nclient-request-id: 2\r\nDate: Fri, 02 Jan 2026 03:04:05 GMT\r\n\r\n",
		"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n{}",
		"HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
		"HTTP/1.0 500\r\n\r\n",
		"HTTP/1.1 204 No Content\n\n",
		"\r\n\r\n",
		"SSH-2.0-OpenSSH_9.6\r\n",
		"HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n{}",
		"HTTP/1.1 101 Switching Protocols\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		w, err := parseWire(raw)
		if err != nil {
			if w != nil {
				t.Fatalf("a response along with error %v", err)
			}
			if msg := err.Error(); strings.ContainsAny(msg, "\r\n") || len(msg) > 512 {
				t.Fatalf("error is not one line of at most 512 bytes: %q", msg)
			}
			return
		}
		if w.Status < 100 || w.Status > 999 || !strings.HasPrefix(w.StatusLine, "HTTP/1.") {
			t.Fatalf("accepted status line %q (status %d)", w.StatusLine, w.Status)
		}
		if w.Status < 200 && w.Status != http.StatusSwitchingProtocols {
			t.Fatalf("an interim %d judged as the final answer", w.Status)
		}
		var again bytes.Buffer
		for _, h := range w.Interim {
			if h.Status < 100 || h.Status > 199 || h.Status == http.StatusSwitchingProtocols {
				t.Fatalf("interim answer %q", h.StatusLine)
			}
			again.WriteString(h.StatusLine + "\r\n")
			for _, l := range h.HeaderLines {
				again.WriteString(l + "\r\n")
			}
			again.WriteString("\r\n")
		}
		again.WriteString(w.StatusLine + "\r\n")
		for _, l := range w.HeaderLines {
			if strings.Contains(l, "\r\n") {
				t.Fatalf("header line %q spans lines", l)
			}
			again.WriteString(l + "\r\n")
		}
		again.WriteString("\r\n")
		again.Write(w.Trailing)
		if !bytes.Equal(again.Bytes(), raw) {
			t.Fatalf("parsed response does not put back together:\n%q\n%q", again.Bytes(), raw)
		}
		for k := range w.Header {
			if k != textproto.CanonicalMIMEHeaderKey(k) {
				t.Fatalf("header key %q is not canonical", k)
			}
		}
	})
}

// FuzzParseRetryAfter: no value makes the parser panic or return a negative delay, a number of
// seconds is never more than a day, and the retry policy never waits longer than MaxWait.
// Seeds: the cases below and testdata/fuzz/FuzzParseRetryAfter.
func FuzzParseRetryAfter(f *testing.F) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, s := range []string{"1", "2.128", "0", "-1", "NaN", "Inf", "1e999", "86400", "86401", " 3 ", "",
		now.Add(time.Minute).Format(http.TimeFormat), "Mon, 01 Jan 0001 00:00:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT",
		"Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"} {
		f.Add(s)
	}
	policy := RetryPolicy{Max: 3, MaxWait: 10 * time.Second}
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := ParseRetryAfter(v, now)
		if !ok {
			if d != 0 {
				t.Fatalf("refused %q with a delay %v", v, d)
			}
		} else if d < 0 {
			t.Fatalf("%q: negative delay %v", v, d)
		}
		if _, err := http.ParseTime(strings.TrimSpace(v)); err != nil && ok && d > 24*time.Hour {
			t.Fatalf("%q: %v is more than a day of seconds", v, d)
		}
		resp := &Response{Status: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {v}}}
		if wait, retry := policy.next(resp.Status, resp.Header, 0); retry && (wait < 0 || wait > policy.MaxWait) {
			t.Fatalf("%q: the policy waits %v (MaxWait %v)", v, wait, policy.MaxWait)
		}
	})
}
