package exchange

import (
	"crypto/tls"
	"net/http"
	"testing"
	"time"

	"github.com/graphconform/graphconform/redact"
	"github.com/graphconform/graphconform/reliability/faults"
)

func noContent(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }

// TestTLSUnknownCA: a certificate from a CA nobody trusts is a clear error naming the fix
// (target.caFile), on both paths; with the CA as root the same target works.
func TestTLSUnknownCA(t *testing.T) {
	t.Parallel()
	ca := faults.NewCA(t)
	_, base := faults.ServeTLS(t, http.HandlerFunc(noContent), ca.Issue(t, "127.0.0.1"))
	c := client(5*time.Second, nil)
	noHang(t, func() {
		_, err := c.Do(t.Context(), post(base))
		wantErr(t, err, "TLS certificate not trusted", "unknown authority", "target.caFile")
		_, err = c.DoWire(t.Context(), post(base))
		wantErr(t, err, "TLS certificate not trusted", "target.caFile")
	})

	trusted := New(Options{Timeout: 5 * time.Second, TLS: &tls.Config{RootCAs: ca.Pool(), MinVersion: tls.VersionTLS12}})
	resp, err := trusted.Do(t.Context(), post(base))
	if err != nil || resp.Status != http.StatusNoContent {
		t.Fatalf("with the CA: %v %+v", err, resp)
	}
	w, err := trusted.DoWire(t.Context(), post(base))
	if err != nil || w.Status != http.StatusNoContent || len(w.Trailing) != 0 {
		t.Fatalf("wire with the CA: %v %+v", err, w)
	}
}

// TestTLSWrongHost: a trusted certificate for another name must not send the user to caFile.
func TestTLSWrongHost(t *testing.T) {
	t.Parallel()
	ca := faults.NewCA(t)
	_, base := faults.ServeTLS(t, http.HandlerFunc(noContent), ca.Issue(t, "graph.example.com"))
	c := New(Options{Timeout: 5 * time.Second, Redactor: redact.New(secret),
		TLS: &tls.Config{RootCAs: ca.Pool(), MinVersion: tls.VersionTLS12}})
	for _, do := range []func() error{
		func() error { _, err := c.Do(t.Context(), post(base)); return err },
		func() error { _, err := c.DoWire(t.Context(), post(base)); return err },
	} {
		err := do()
		wantErr(t, err, "graph.example.com", "127.0.0.1")
		if err != nil && contains(err.Error(), "set target.caFile") {
			t.Errorf("a host-name mismatch points at caFile, which cannot fix it: %v", err)
		}
	}
}

// TestTLSExpired: an expired certificate from a trusted CA must not send the user to caFile either.
func TestTLSExpired(t *testing.T) {
	t.Parallel()
	ca := faults.NewCA(t)
	_, base := faults.ServeTLS(t, http.HandlerFunc(noContent), ca.IssueExpired(t, "127.0.0.1"))
	c := New(Options{Timeout: 5 * time.Second, TLS: &tls.Config{RootCAs: ca.Pool(), MinVersion: tls.VersionTLS12}})
	_, err := c.Do(t.Context(), post(base))
	wantErr(t, err, "expired", "caFile cannot fix this")
}

// TestTLSToPlainHTTP: https:// against a plain-HTTP server is an error, not a hang.
func TestTLSToPlainHTTP(t *testing.T) {
	t.Parallel()
	_, base := faults.Serve(t, http.HandlerFunc(noContent))
	c := client(2*time.Second, nil)
	noHang(t, func() {
		_, err := c.Do(t.Context(), post("https"+base[len("http"):]))
		wantErr(t, err, "POST https://127.0.0.1")
	})
}
