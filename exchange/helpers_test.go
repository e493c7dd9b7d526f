package exchange

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/graphconform/graphconform/redact"
)

// hang is how long a test waits for what it expects before it calls the wait a hang: a deadline
// that only turns a hang into a failure, never a claim about speed (a loaded machine, -race, can
// be many times slower; speed is for benchmarks).
const hang = 60 * time.Second

// secret is a distinctive credential the tests send and then look for in everything recorded.
const secret = "eyJhbGciOiJSUzI1NiJ9.eyJncmFwaGNvbmZvcm0iOiJzZWNyZXQifQ.c2VjcmV0LXNpZ25hdHVyZS1ncmFwaGNvbmZvcm0"

// client is a client with the given per-request timeout and a redactor that knows secret.
func client(timeout time.Duration, retry *RetryPolicy) *Client {
	return New(Options{Timeout: timeout, Redactor: redact.New(secret), Retry: retry})
}

// post is the action request with the secret as bearer token.
func post(url string) Request {
	return Request{Method: http.MethodPost, URL: url + "/deviceManagement/remoteAssistancePartners/p1/disconnect",
		Header: http.Header{"Authorization": {"Bearer " + secret}, "Accept": {"application/json"}}}
}

// noHang runs f and returns how long it took; if f has not returned after hang, the test binary
// stops with the test's name (f may call t.Fatal, so it runs on the test's goroutine, and a
// watchdog is what ends a hang).
func noHang(t *testing.T, f func()) time.Duration {
	t.Helper()
	name := t.Name()
	watchdog := time.AfterFunc(hang, func() { panic(fmt.Sprintf("%s: still waiting after %v: a hang", name, hang)) })
	defer watchdog.Stop()
	start := time.Now()
	f()
	d := time.Since(start)
	t.Logf("took %v", d.Round(time.Millisecond))
	return d
}

// wantErr checks an error is one line, names the target, carries every part and leaks no secret.
func wantErr(t *testing.T, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one containing %q", parts)
	}
	msg := err.Error()
	if strings.ContainsAny(msg, "\r\n") {
		t.Errorf("error is not one line: %q", msg)
	}
	if strings.Contains(msg, secret) {
		t.Errorf("error leaks the token: %q", msg)
	}
	for _, p := range parts {
		if !strings.Contains(msg, p) {
			t.Errorf("error %q does not contain %q", msg, p)
		}
	}
	t.Logf("error: %s", msg)
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
