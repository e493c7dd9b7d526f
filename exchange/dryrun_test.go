package exchange

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

// A dry run answers a request whose path still holds a {placeholder} with an error naming it, so
// the case that built it says why it cannot send; it is recorded all the same, marked. A key that
// merely looks like a placeholder arrives escaped and is answered as usual.
func TestDryRunRefusesUnfilledPlaceholders(t *testing.T) {
	const base = "https://graph.example.invalid/v1.0"
	rec := &Recorder{Collections: []string{base + "/things"}}
	c := client(5*time.Second, nil)
	c.DryRun(rec)
	ctx := context.Background()

	for _, tc := range []struct {
		name, url, unfilled string
		wire                bool
	}{
		{"filled", base + "/things/t1/poke", "", false},
		{"escaped braces are a key", base + "/things/%7Bthing-id%7D/poke", "", false},
		{"placeholder", base + "/users/{user-id}/things", "{user-id}", false},
		{"placeholder, raw connection", base + "/users/{user-id}/things/t1/poke", "{user-id}", true},
		{"placeholder in a function's parameters", base + "/reports/get(period='{period}')", "{period}", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(rec.Requests())
			req := Request{Method: http.MethodPost, URL: tc.url, Header: http.Header{}}
			var err error
			if tc.wire {
				_, err = c.DoWire(ctx, req)
			} else {
				_, err = c.Do(ctx, req)
			}
			got := rec.Requests()[before:]
			if len(got) != 1 || got[0].Unfilled != tc.unfilled {
				t.Fatalf("recorded %+v, want one request with Unfilled %q", got, tc.unfilled)
			}
			switch {
			case tc.unfilled == "" && err != nil:
				t.Errorf("error %v for a filled path", err)
			case tc.unfilled != "" && (err == nil || !strings.Contains(err.Error(), "template placeholder "+tc.unfilled)):
				t.Errorf("error %v, want one naming %s", err, tc.unfilled)
			}
		})
	}
}
