package exchange

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/graphconform/graphconform/reliability/faults"
)

// TestUnregisteredTokenThroughTheStream: a target echoes a token the suite never registered that
// shares its opening with the registered one (tokens of one issuer share the header and "eyJ" of
// the payload), split across two reads a pause apart, in a header and in the body. The stream
// mask hides the shared opening in place; what the record keeps holds no piece of the rest.
func TestUnregisteredTokenThroughTheStream(t *testing.T) {
	t.Parallel()
	shared := strings.Index(secret, ".") + len(".eyJ")
	for name, other := range map[string]string{
		"header and eyJ": secret[:shared] + "vdGhlciI6InJlYWRlciJ9.cmVhZGVyLXNpZ25hdHVyZS1vZi1hbm90aGVyLXBlcnNvbmE",
		"8 bytes":        secret[:8] + "Q" + secret[9:shared] + "vdGhlciI6InJlYWRlciJ9.cmVhZGVyLXNpZ25hdHVyZQ",
		"30 bytes":       secret[:30] + "vdGhlciI6InJlYWRlciJ9.cmVhZGVyLXNpZ25hdHVyZQ",
	} {
		for _, cut := range []int{4, shared - 2, shared + 5, len(other) - 12} {
			body := `{"error":{"message":"token ` + other + ` is invalid"}}`
			at := strings.Index(body, other) + cut
			srv := answer(t, "HTTP/1.1 401 Unauthorized\r\nX-Echo-Token: "+other[:cut], faults.EchoPause,
				other[cut:]+"\r\n"+fmt.Sprintf("Content-Length: %d\r\nConnection: close\r\n\r\n", len(body))+body[:at],
				faults.EchoPause, body[at:])
			for what, text := range recorded(t, srv) {
				if p, ok := pieceOf(strings.ReplaceAll(text, "<redacted>", " "), other); ok {
					t.Errorf("%s, cut at %d: the recorded %s keeps %q: %q", name, cut, what, p, text)
				}
				if !strings.Contains(text, "<redacted>") {
					t.Errorf("%s, cut at %d: the recorded %s masks nothing: %q", name, cut, what, text)
				}
			}
		}
	}
}

// recorded is what the record of one exchange with srv keeps: its header and body excerpts.
func recorded(t *testing.T, srv *faults.Server) map[string]string {
	t.Helper()
	c := client(5*time.Second, nil)
	resp, err := c.Do(t.Context(), post(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	rec := c.Record(post(srv.URL), resp, nil)
	return map[string]string{"header": rec.Header, "body": rec.Body}
}
