package exchange

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/graphconform/graphconform/reliability/faults"
)

// TestRedirectsAreNeverFollowed: every redirect status is returned as the answer; the other host
// named in Location (a different name and port on loopback) never receives a request, so never
// the Authorization header.
func TestRedirectsAreNeverFollowed(t *testing.T) {
	t.Parallel()
	other := &faults.Log{}
	otherSrv, _ := faults.Serve(t, other.Wrap(http.HandlerFunc(noContent)))
	elsewhere := strings.Replace(otherSrv.URL, "127.0.0.1", "localhost", 1) + "/steal?access_token=" + secret
	// The client masks the secret it sent, at equal length, wherever an answer carries it.
	maskedLocation := strings.Replace(elsewhere, secret, stars(len(secret)), 1)
	c := client(3*time.Second, nil)
	for _, status := range []int{301, 302, 303, 307, 308} {
		_, base := faults.Serve(t, faults.Redirect(status, func(*http.Request) string { return elsewhere }))
		for _, r := range []Request{post(base), {Method: "GET", URL: base, Header: post(base).Header},
			{Method: "POST", URL: base, Header: post(base).Header, Body: []byte("{}")}} {
			resp, err := c.Do(t.Context(), r)
			if err != nil || resp.Status != status || resp.Header.Get("Location") != maskedLocation {
				t.Errorf("%d %s: %v %+v", status, r.Method, err, resp)
				continue
			}
			rec := c.Record(r, resp, err)
			if all := rec.Curl + rec.Header + rec.Body + rec.Error; strings.Contains(all, secret) {
				t.Errorf("%d: the recorded exchange leaks the token from Location: %s", status, all)
			}
		}
		w, err := c.DoWire(t.Context(), post(base))
		if err != nil || w.Status != status {
			t.Errorf("%d wire: %v %+v", status, err, w)
		}
	}
	if n := other.Requests(); n != 0 {
		t.Fatalf("the other host received %d request(s), with Authorization %q", n, other.Authorizations())
	}
}
