package exchange

import (
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/graphconform/graphconform/reliability/faults"
)

// answer serves each connection the parts in order, pausing before each part that follows a
// pause entry, then closes the connection.
func answer(t *testing.T, parts ...any) *faults.Server {
	return faults.Raw(t, func(c net.Conn) {
		faults.ReadHead(c)
		writeParts(c, parts)
	})
}

// writeParts writes the parts (strings to write, pauses) to c; false when c fails.
func writeParts(c net.Conn, parts []any) bool {
	for _, p := range parts {
		switch p := p.(type) {
		case string:
			if _, err := io.WriteString(c, p); err != nil {
				return false
			}
		case time.Duration:
			time.Sleep(p)
		}
	}
	return true
}

const early = "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"

// TestInterimAnswersAreSkipped: 1xx answers are interim (RFC 9110 §15.2): the raw reader judges the
// final answer after them, and so does Go's client; 101 Switching Protocols, which nobody asked
// for, is final.
func TestInterimAnswersAreSkipped(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name     string
		parts    []any
		status   int
		interim  int
		trailing string
		err      string
	}{
		{name: "103, then a 204 with a body", parts: []any{early + "HTTP/1.1 204 No Content\r\n\r\n{\"ok\":true}"},
			status: 204, interim: 1, trailing: `{"ok":true}`},
		{name: "103 in its own read, then a 204 with a body", parts: []any{early, 50 * time.Millisecond, "HTTP/1.1 204 No Content\r\n\r\nxy"},
			status: 204, interim: 1, trailing: "xy"},
		{name: "100 Continue, then a clean 204", parts: []any{"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\nRequest-Id: r\r\n\r\n"},
			status: 204, interim: 1},
		{name: "five 1xx", parts: []any{strings.Repeat(early, 5) + "HTTP/1.1 204 No Content\r\n\r\n"}, status: 204, interim: 5},
		{name: "six 1xx", parts: []any{strings.Repeat(early, 6) + "HTTP/1.1 204 No Content\r\n\r\n"}, err: "more than 5 interim (1xx) answers"},
		{name: "only a 103", parts: []any{early}, err: "the connection closed after 1 interim (1xx) answer(s), before a final one"},
		{name: "an unrequested 101 is final", parts: []any{"HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n"},
			status: 101, trailing: "HTTP/1.1 204 No Content\r\n\r\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			srv := answer(t, c.parts...)
			cl := client(2*time.Second, nil)
			w, err := cl.DoWire(t.Context(), post(srv.URL))
			if c.err != "" {
				wantErr(t, err, c.err, "not an HTTP/1.1 response")
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if w.Status != c.status || len(w.Interim) != c.interim || string(w.Trailing) != c.trailing || w.StillOpen != 0 {
				t.Errorf("wire: %d, %d interim, trailing %q, still open %v", w.Status, len(w.Interim), w.Trailing, w.StillOpen)
			}
			if problems := w.ContentProblems(); (len(problems) > 0) != (c.trailing != "") {
				t.Errorf("content problems %q", problems)
			}
			rec := cl.RecordWire(post(srv.URL), w, nil)
			if c.interim > 0 && !strings.HasPrefix(rec.Header, "HTTP/1.1 1") {
				t.Errorf("the recorded header block does not show the interim answer first:\n%s", rec.Header)
			}
			if c.status == 204 {
				// Go's client skips 1xx answers too: DISC-001 judges the final status.
				resp, err := cl.Do(t.Context(), post(srv.URL))
				if err != nil || resp.Status != 204 {
					t.Errorf("Do: %v %+v", err, resp)
				}
			}
		})
	}
}

// TestLateBodyIsSeen: body bytes that follow a 204's header block after a pause (600 ms; the reader
// stopped after 300 ms of silence before) are read, because the reader waits for the close.
func TestLateBodyIsSeen(t *testing.T) {
	t.Parallel()
	srv := answer(t, "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n", 600*time.Millisecond, `{"late":true}`)
	w, err := client(2*time.Second, nil).DoWire(t.Context(), post(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	if string(w.Trailing) != `{"late":true}` || w.StillOpen != 0 {
		t.Errorf("trailing %q, still open %v", w.Trailing, w.StillOpen)
	}
}

// TestConnectionKeptOpen: a target that keeps the connection open after a 204, against the
// request's "Connection: close", leaves content undecidable: the read ends after the window and
// says so, and the answer does not count as "no content".
func TestConnectionKeptOpen(t *testing.T) {
	t.Parallel()
	srv := faults.Answer(t, "HTTP/1.1 204 No Content\r\n\r\n")
	c := client(300*time.Millisecond, nil)
	w, err := c.DoWire(t.Context(), post(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	if w.StillOpen < 300*time.Millisecond || len(w.Trailing) != 0 {
		t.Errorf("still open %v, trailing %q", w.StillOpen, w.Trailing)
	}
	problems := strings.Join(w.ContentProblems(), "; ")
	if !strings.Contains(problems, "still open") || !strings.Contains(problems, "RFC 9112 §9.6") {
		t.Errorf("content problems %q", problems)
	}
	if rec := c.RecordWire(post(srv.URL), w, nil); !strings.Contains(rec.Header, "(connection still open") {
		t.Errorf("recorded header block:\n%s", rec.Header)
	}
	t.Logf("%s", problems)
}

// TestDeclaredLengthEndsTheRead: an answer that may have content and declares its length ends the
// read once that many bytes came, though the target keeps the connection open: no window to wait.
func TestDeclaredLengthEndsTheRead(t *testing.T) {
	t.Parallel()
	srv := faults.Answer(t, "HTTP/1.1 429 Too Many Requests\r\nContent-Length: 5\r\n\r\nhello")
	w, err := client(5*time.Second, &RetryPolicy{}).DoWire(t.Context(), post(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	if w.Status != 429 || string(w.Trailing) != "hello" || w.StillOpen != 0 {
		t.Errorf("wire %d, trailing %q, still open %v", w.Status, w.Trailing, w.StillOpen)
	}
}

// TestWireBodyIsBounded: an endless body after a 204 is read up to wireLimit and reported as more.
func TestWireBodyIsBounded(t *testing.T) {
	t.Parallel()
	srv := answer(t, "HTTP/1.1 204 No Content\r\n\r\n"+strings.Repeat("z", 3*wireLimit))
	w, err := client(2*time.Second, nil).DoWire(t.Context(), post(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	if len(w.Trailing) != wireLimit || !w.TrailingCut {
		t.Errorf("kept %d bytes, cut %v", len(w.Trailing), w.TrailingCut)
	}
	if p := strings.Join(w.ContentProblems(), "; "); !strings.Contains(p, "at least 65536 body byte(s)") {
		t.Errorf("content problems %q", p)
	}
}
