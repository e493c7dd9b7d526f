package faults

import (
	"bufio"
	"bytes"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"
)

// Hostile targets: each wraps a working target (the reference mock) and attacks the suite's
// evidence rather than failing to answer. They are what a vendor who wants a green report, or a
// compromised service, would send: answers that look right to a lenient reader, text that rewrites
// the console, answers built to exhaust memory.

// EarlyHintsBody answers every successful (204) POST to the action with "103 Early Hints" first,
// then a 204 followed by body bytes: a reader that judges the first status line sees a 103 and
// never the body (RFC 9110 §15.2: 1xx answers are interim, the final one is judged).
func EarlyHintsBody(next http.Handler) http.Handler {
	return on204(next, func(c net.Conn, buf *bufio.ReadWriter, h http.Header) {
		buf.WriteString("HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload; as=style\r\n\r\n")
		write204(buf, h, `{"ok":true}`)
		buf.Flush()
	})
}

// LateBody answers every successful POST to the action with a clean-looking 204 head, waits
// delay, then sends body bytes and closes: a reader that stops listening soon after the head
// misses them.
func LateBody(next http.Handler, delay time.Duration) http.Handler {
	return on204(next, func(c net.Conn, buf *bufio.ReadWriter, h http.Header) {
		write204(buf, h, "")
		buf.Flush()
		time.Sleep(delay)
		buf.WriteString(`{"late":true}`)
		buf.Flush()
	})
}

// KeepOpen answers every successful POST to the action with a 204 head and then holds the
// connection open, ignoring the request's "Connection: close" (RFC 9112 §9.6), until the client
// or the test's cleanup closes it: whether content follows cannot be known.
func KeepOpen(next http.Handler) http.Handler {
	return on204(next, func(c net.Conn, buf *bufio.ReadWriter, h http.Header) {
		write204(buf, h, "")
		buf.Flush()
		block(c)
	})
}

// FakePass is what Inject writes: it clears the screen, sets the window title, prints a green
// gate line, and hides text behind a right-to-left override, a NUL, a C1 CSI and bytes that are
// not UTF-8.
const FakePass = "\x1b[2J\x1b[H\x1b]0;graphconform\x07\x1b[1;32mgraphconform gate: PASS\x1b[0m\r\n" +
	"\u202eSSAP\u202c\x00\u009b2J\xff\xfe"

// Inject wraps next so that every error answer is text/plain with FakePass as its body (so
// ERR-001 fails and its failure message quotes the body on the console), and every successful
// POST to the action is a 204 carrying FakePass as a header value and as body bytes (so DISC-002
// fails and quotes both). Go's client refuses control bytes in a header value; the raw-wire
// reader DISC-002 uses must take them and print them escaped.
func Inject(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		switch res := rec.Result(); {
		case res.StatusCode >= 400:
			copyHeader(w.Header(), res.Header)
			w.Header().Set("Content-Type", "text/plain")
			w.Header().Del("Content-Length")
			w.WriteHeader(res.StatusCode)
			w.Write([]byte(FakePass))
		case res.StatusCode == http.StatusNoContent && r.Method == http.MethodPost && isAction(r):
			conn, buf, err := http.NewResponseController(w).Hijack()
			if err != nil {
				w.WriteHeader(http.StatusInternalServerError)
				return
			}
			defer conn.Close()
			h := res.Header.Clone()
			h.Set("X-Banner", "") // written by hand below: http.Header.Write would clean it
			var b bytes.Buffer
			h.Write(&b)
			head := strings.Replace(b.String(), "X-Banner: \r\n", "X-Banner: "+strings.NewReplacer("\r", "", "\n", "").Replace(FakePass)+"\r\n", 1)
			buf.WriteString("HTTP/1.1 204 No Content\r\n" + head + "Connection: close\r\n\r\n" + FakePass)
			buf.Flush()
		default:
			copyHeader(w.Header(), res.Header)
			w.WriteHeader(res.StatusCode)
			w.Write(rec.Body.Bytes())
		}
	})
}

// HugeHeaders wraps next so that every answer carries n Set-Cookie headers of size bytes each
// (15,000 of 64 bytes: about 950 KB, under the 1 MiB header limit of Go's client).
func HugeHeaders(next http.Handler, n, size int) http.Handler {
	cookie := "graphconform=" + strings.Repeat("c", max(size-len("graphconform=")-len("Set-Cookie: \r\n"), 1))
	cookies := make([]string, n)
	for i := range cookies {
		cookies[i] = cookie
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Set-Cookie"] = cookies
		next.ServeHTTP(w, r)
	})
}

// on204 hands every successful POST to the action (204 from next) to raw, on the hijacked
// connection, with next's headers; every other request is next's answer.
func on204(next http.Handler, raw func(net.Conn, *bufio.ReadWriter, http.Header)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		res := rec.Result()
		if r.Method != http.MethodPost || !isAction(r) || res.StatusCode != http.StatusNoContent {
			copyHeader(w.Header(), res.Header)
			w.WriteHeader(res.StatusCode)
			w.Write(rec.Body.Bytes())
			return
		}
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		defer conn.Close()
		raw(conn, buf, res.Header)
	})
}

// isAction: the request is a call of the action (any case, qualified or not).
func isAction(r *http.Request) bool {
	return strings.HasSuffix(strings.ToLower(strings.TrimSuffix(r.URL.Path, "/")), "disconnect")
}

// write204 writes a 204 head with h (framing headers dropped, "Connection: close") and body.
func write204(buf *bufio.ReadWriter, h http.Header, body string) {
	h = h.Clone()
	h.Del("Content-Length")
	h.Del("Transfer-Encoding")
	h.Set("Connection", "close")
	var b bytes.Buffer
	h.Write(&b)
	buf.WriteString("HTTP/1.1 204 No Content\r\n" + b.String() + "\r\n" + body)
}

func copyHeader(dst, src http.Header) {
	for k, v := range src {
		dst[k] = v
	}
}
