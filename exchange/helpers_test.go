package exchange

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/graphconform/graphconform/redact"
)

// slack is what a bounded operation may take beyond its own bound on a loaded CI machine (-race).
const slack = 2 * time.Second

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

// timed runs f and fails the test if it takes longer than bound.
func timed(t *testing.T, bound time.Duration, f func()) time.Duration {
	t.Helper()
	start := time.Now()
	f()
	d := time.Since(start)
	if d > bound {
		t.Errorf("took %v, bound %v", d, bound)
	}
	t.Logf("took %v (bound %v)", d.Round(time.Millisecond), bound)
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
