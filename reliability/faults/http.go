package faults

import (
	"bytes"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Serve serves h over HTTP on 127.0.0.1 until the test ends and returns the server and its
// Graph-like base URL (server URL + /v1.0).
func Serve(t testing.TB, h http.Handler) (*httptest.Server, string) {
	t.Helper()
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s, s.URL + "/v1.0"
}

// ServeTLS is Serve over TLS with the given certificate (see CA.Issue).
func ServeTLS(t testing.TB, h http.Handler, cert tls.Certificate) (*httptest.Server, string) {
	t.Helper()
	s := httptest.NewUnstartedServer(h)
	s.Config.ErrorLog = log.New(io.Discard, "", 0) // handshake failures are what the tests provoke
	s.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	s.StartTLS()
	t.Cleanup(s.Close)
	return s, s.URL + "/v1.0"
}

// Log records what a handler received. Safe for concurrent use.
type Log struct {
	n    atomic.Int64
	mu   sync.Mutex
	auth []string
}

// Wrap counts every request to h and records its Authorization header, if any.
func (l *Log) Wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.n.Add(1)
		if a := r.Header.Values("Authorization"); len(a) > 0 {
			l.mu.Lock()
			l.auth = append(l.auth, a...)
			l.mu.Unlock()
		}
		h.ServeHTTP(w, r)
	})
}

// Requests counts the requests received.
func (l *Log) Requests() int { return int(l.n.Load()) }

// Authorizations are the Authorization values received, in order.
func (l *Log) Authorizations() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.auth...)
}

// GraphError writes Graph's error envelope.
func GraphError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"error":{"code":%q,"message":%q}}`, code, msg)
}

// Storm answers every request with status and a Graph error envelope (no Retry-After).
func Storm(status int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		GraphError(w, status, "ServiceUnavailable", "storm")
	})
}

// Throttle answers the first n requests (every request when n < 0) with status and Retry-After,
// and passes the others to next.
func Throttle(n, status int, retryAfter string, next http.Handler) http.Handler {
	var seen atomic.Int64
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if k := seen.Add(1); n < 0 || k <= int64(n) {
			w.Header().Set("Retry-After", retryAfter)
			GraphError(w, status, "TooManyRequests", "throttled")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// Redirect answers every request with status and the Location location(r) gives.
func Redirect(status int, location func(*http.Request) string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", location(r))
		w.WriteHeader(status)
	})
}

// Leaky wraps next (a working target) so that it leaks the credentials it receives back to the
// client every way a careless implementation could: every error message quotes the Authorization
// header, a response header echoes it, GET requests are redirected to a URL carrying the token, and
// a 204 is followed on the wire by stray bytes quoting it.
func Leaky(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		tok := strings.TrimSpace(strings.TrimPrefix(auth, "Bearer"))
		if auth != "" {
			w.Header().Set("X-Echo-Authorization", auth)
		}
		if r.Method == http.MethodGet && tok != "" {
			w.Header().Set("Location", "https://callback.invalid/cb?access_token="+tok+"#token="+tok)
			w.WriteHeader(http.StatusFound)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		res := rec.Result()
		for k, v := range res.Header {
			w.Header()[k] = v
		}
		if res.StatusCode == http.StatusNoContent && auth != "" {
			strayAfter204(w, res.Header, `{"echo":"`+auth+`"}`)
			return
		}
		body := rec.Body.Bytes()
		if res.StatusCode >= 400 && auth != "" {
			body = echoInto(body, auth)
			w.Header().Del("Content-Length")
		}
		w.WriteHeader(res.StatusCode)
		w.Write(body)
	})
}

// strayAfter204 writes a 204 and then, on the same connection, stray bytes: text.
func strayAfter204(w http.ResponseWriter, h http.Header, text string) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	defer conn.Close()
	buf.WriteString("HTTP/1.1 204 No Content\r\n")
	for k, vs := range h {
		for _, v := range vs {
			buf.WriteString(k + ": " + v + "\r\n")
		}
	}
	buf.WriteString("\r\n" + text)
	buf.Flush()
	time.Sleep(50 * time.Millisecond) // let a keep-alive client's idle reader see the bytes
}

// echoInto appends the credential to error.message of a Graph envelope (or the whole body).
func echoInto(body []byte, auth string) []byte {
	var env map[string]map[string]any
	if err := json.Unmarshal(body, &env); err != nil || env["error"] == nil {
		return append(body, []byte(" you sent Authorization: "+auth)...)
	}
	env["error"]["message"] = fmt.Sprintf("%v (you sent Authorization: %s; token=%s)", env["error"]["message"], auth,
		strings.TrimPrefix(auth, "Bearer "))
	out, _ := json.Marshal(env)
	return bytes.TrimSpace(out)
}

// OnAction sends POST …/disconnect requests (any case, qualified or not) to fault and every other
// request to next: a target whose setup calls work and whose action misbehaves.
func OnAction(next, fault http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasSuffix(strings.ToLower(r.URL.Path), "disconnect") {
			fault.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// Stall never answers: it holds the request until the client gives up (or 30 s pass).
func Stall() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(30 * time.Second):
		}
	})
}

// BigErrors wraps next so that every error answer (4xx, 5xx) carries a body of size bytes.
func BigErrors(next http.Handler, size int) http.Handler {
	chunk := bytes.Repeat([]byte("0123456789abcdef"), 4096)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		if rec.Code < 400 {
			w.WriteHeader(rec.Code)
			w.Write(rec.Body.Bytes())
			return
		}
		w.Header().Set("Content-Length", strconv.Itoa(size))
		w.WriteHeader(rec.Code)
		for left := size; left > 0; left -= len(chunk) {
			if _, err := w.Write(chunk[:min(left, len(chunk))]); err != nil {
				return
			}
		}
	})
}
