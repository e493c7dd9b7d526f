package exchange

import (
	"testing"
	"time"

	"github.com/graphconform/graphconform/reliability/faults"
)

// Each misbehaving target gives an error naming the target and the fault (the timeout that ended
// it, where one did), through both the library client (Do) and the raw-wire path (DoWire). The
// tests assert no speed: noHang only turns a hang into a failure; a wait the client must make
// (a timeout, Retry-After) is checked from below, which load cannot break.

func TestRefused(t *testing.T) {
	t.Parallel()
	c, url := client(2*time.Second, nil), faults.Refused(t)
	noHang(t, func() {
		_, err := c.Do(t.Context(), post(url))
		wantErr(t, err, "cannot connect", "refused", "127.0.0.1")
		_, err = c.DoWire(t.Context(), post(url))
		wantErr(t, err, "cannot connect", "refused")
	})
}

func TestUnresolvable(t *testing.T) {
	t.Parallel()
	const timeout = 3 * time.Second
	c := client(timeout, nil)
	noHang(t, func() {
		_, err := c.Do(t.Context(), post(faults.Unresolvable))
		wantErr(t, err, "cannot resolve host", "graphconform-target.invalid")
		_, err = c.DoWire(t.Context(), post(faults.Unresolvable))
		wantErr(t, err, "cannot resolve host")
	})
}

func TestHangIsBoundedByTimeout(t *testing.T) {
	t.Parallel()
	const timeout = 400 * time.Millisecond
	srv := faults.Hang(t)
	c := client(timeout, nil)
	d := noHang(t, func() {
		_, err := c.Do(t.Context(), post(srv.URL))
		wantErr(t, err, "no complete answer within 400ms (timeout)")
	})
	if d < timeout {
		t.Errorf("gave up after %v, before the %v timeout", d, timeout)
	}
	noHang(t, func() {
		_, err := c.DoWire(t.Context(), post(srv.URL))
		wantErr(t, err, "(timeout)")
	})
}

func TestStalledBody(t *testing.T) {
	t.Parallel()
	const timeout = 400 * time.Millisecond
	srv := faults.StallBody(t)
	c := client(timeout, nil)
	noHang(t, func() {
		resp, err := c.Do(t.Context(), post(srv.URL))
		wantErr(t, err, "(timeout)")
		if resp != nil && resp.Status == 500 && resp.BodyBytes >= 1000 {
			t.Errorf("a stalled body was read whole: %+v", resp)
		}
	})
	// The raw path judges what came: the header block, then 10 of the promised 1000 bytes.
	noHang(t, func() {
		w, err := c.DoWire(t.Context(), post(srv.URL))
		if err != nil {
			t.Fatal(err)
		}
		if w.Status != 500 || len(w.Trailing) != 10 {
			t.Errorf("wire %d with %d trailing bytes", w.Status, len(w.Trailing))
		}
	})
}

// TestWireTrickleIsBounded: a server that sends its header block, then a byte every 100 ms, keeps
// the raw reader's "settle" window open forever; the per-request timeout must still end it.
func TestWireTrickleIsBounded(t *testing.T) {
	t.Parallel()
	const timeout = time.Second
	srv := faults.Trickle(t, "HTTP/1.1 204 No Content\r\n\r\n", 100*time.Millisecond)
	c := client(timeout, nil)
	noHang(t, func() {
		w, err := c.DoWire(t.Context(), post(srv.URL))
		if err != nil {
			wantErr(t, err, "(timeout)")
			return
		}
		if len(w.Trailing) == 0 {
			t.Errorf("a 204 followed by trickled bytes was read as empty")
		}
	})
}

func TestResetMidResponse(t *testing.T) {
	t.Parallel()
	srv := faults.Reset(t)
	c := client(5*time.Second, nil)
	noHang(t, func() {
		_, err := c.Do(t.Context(), post(srv.URL))
		wantErr(t, err, "reading the body of a 200 answer", "reset")
	})
	at := faults.ResetAtOnce(t)
	noHang(t, func() {
		_, err := c.Do(t.Context(), post(at.URL))
		wantErr(t, err, "POST http://"+at.Addr)
		_, err = c.DoWire(t.Context(), post(at.URL))
		wantErr(t, err, "POST http://"+at.Addr)
	})
}

func TestGarbage(t *testing.T) {
	t.Parallel()
	srv := faults.Garbage(t)
	c := client(5*time.Second, nil)
	noHang(t, func() {
		_, err := c.Do(t.Context(), post(srv.URL))
		wantErr(t, err, "malformed HTTP", "SSH-2.0")
		_, err = c.DoWire(t.Context(), post(srv.URL))
		wantErr(t, err, "not an HTTP/1.1 response")
	})
}

// TestNoContentWithBodyOnTheWire: Go's client drops a 204's body, so only DoWire can see it.
func TestNoContentWithBodyOnTheWire(t *testing.T) {
	t.Parallel()
	for name, raw := range map[string]string{
		"body after Content-Length 0": "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n{\"surprise\":true}",
		"chunked":                     "HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
	} {
		srv := faults.Answer(t, raw) // and keeps the connection open
		c := client(time.Second, nil)
		resp, err := c.Do(t.Context(), post(srv.URL))
		if err == nil && (resp.Status != 204 || len(resp.Body) != 0) {
			t.Errorf("%s: Do %d %q; the library client is expected to hide the body", name, resp.Status, resp.Body)
		}
		noHang(t, func() {
			w, err := c.DoWire(t.Context(), post(srv.URL))
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if w.Status != 204 || (len(w.Trailing) == 0 && w.Header.Get("Transfer-Encoding") == "") {
				t.Errorf("%s: the wire shows nothing wrong: %+v", name, w)
			}
			if w.StillOpen == 0 {
				t.Errorf("%s: the connection the target kept open is not recorded", name)
			}
		})
	}
}
