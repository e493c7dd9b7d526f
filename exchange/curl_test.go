package exchange

import (
	"net/http"
	"strings"
	"testing"

	"github.com/graphconform/graphconform/redact"
)

// TestCurlCutsAfterRedacting (issue 11, item 14): a request body is cut to 512 bytes for the curl
// command; wherever the cut falls in a secret the body carries, no piece of it is left.
func TestCurlCutsAfterRedacting(t *testing.T) {
	t.Parallel()
	red := redact.New(secret)
	for pad := 400; pad <= 512; pad++ {
		body := `{"note":"` + strings.Repeat("x", pad) + secret + `"}`
		c := Curl(Request{Method: http.MethodPost, URL: "http://127.0.0.1/v1.0/a", Header: http.Header{"Authorization": {"Bearer " + secret}}, Body: []byte(body)}, red)
		if p, ok := pieceOf(c, secret); ok {
			t.Fatalf("padding %d: %q left in %s", pad, p, c[len(c)-80:])
		}
		if !strings.Contains(c, "'Authorization: Bearer "+redact.Mask+"'") {
			t.Fatalf("the Authorization header is not redacted: %s", c)
		}
	}
}
