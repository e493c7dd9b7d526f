package exchange

import (
	"bytes"
	"io"
	"log"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/graphconform/graphconform/redact"
	"github.com/graphconform/graphconform/reliability/faults"
)

// masked reads everything a peer sends in pieces (with the pauses between them) through a maskConn
// that knows secret.
func masked(t *testing.T, pieces []string, pause time.Duration) string {
	t.Helper()
	srv := faults.Raw(t, func(c net.Conn) {
		for i, p := range pieces {
			if i > 0 {
				time.Sleep(pause)
			}
			io.WriteString(c, p)
		}
		c.Close()
	})
	conn, err := net.Dial("tcp", srv.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	m := newMaskConn(conn, redact.New(secret).SecretBytes)
	out, err := io.ReadAll(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func stars(n int) string { return strings.Repeat("*", n) }

// TestMaskSplitSecret: a secret split at any byte across two reads is masked whole, at equal
// length, and nothing else changes.
func TestMaskSplitSecret(t *testing.T) {
	t.Parallel()
	text := `{"echo":"Bearer ` + secret + `"}`
	want := `{"echo":"Bearer ` + stars(len(secret)) + `"}`
	for _, cut := range []int{1, 16, 17, 18, 30, len(text) - 3, len(text) - 1} {
		if got := masked(t, []string{text[:cut], text[cut:]}, 5*time.Millisecond); got != want {
			t.Errorf("cut at %d: got %q", cut, got)
		}
	}
}

// TestMaskReleasesAnOrdinaryEnding: an answer ending in "e" (the first byte of every JWT) is held
// back only for flushAfter, then handed out unchanged.
func TestMaskReleasesAnOrdinaryEnding(t *testing.T) {
	t.Parallel()
	srv := faults.Raw(t, func(c net.Conn) { io.WriteString(c, `{"ok":true`); io.Copy(io.Discard, c) })
	conn, err := net.Dial("tcp", srv.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	m := newMaskConn(conn, redact.New(secret).SecretBytes)
	buf := make([]byte, 64)
	got := ""
	timed(t, flushAfter+slack, func() {
		for len(got) < len(`{"ok":true`) {
			n, err := m.Read(buf)
			if err != nil {
				t.Fatal(err)
			}
			got += string(buf[:n])
		}
	})
	if got != `{"ok":true` {
		t.Errorf("got %q", got)
	}
}

// TestMaskAcrossAPause: a secret whose pieces come apart by more than flushAfter is still masked:
// a long prefix on its own, the rest as the continuation of what was handed out.
func TestMaskAcrossAPause(t *testing.T) {
	t.Parallel()
	pause := 3 * flushAfter
	for _, cut := range []int{3, 12, len(secret) - 1} {
		got := masked(t, []string{"x " + secret[:cut], secret[cut:] + " y"}, pause)
		want := "x " + stars(len(secret)) + " y"
		if cut < minMasked {
			want = "x " + secret[:cut] + stars(len(secret)-cut) + " y" // a short prefix reveals nothing
		}
		if got != want {
			t.Errorf("cut at %d: got %q, want %q", cut, got, want)
		}
	}
}

// TestKeepAlive: successive exchanges share one connection.
func TestKeepAlive(t *testing.T) {
	t.Parallel()
	srv := faults.Raw(t, func(c net.Conn) {
		for len(faults.ReadHead(c)) > 0 {
			if _, err := io.WriteString(c, "HTTP/1.1 403 Forbidden\r\nContent-Length: 2\r\n\r\n{}"); err != nil {
				return
			}
		}
	})
	c := client(3*time.Second, nil)
	for i := 0; i < 5; i++ {
		if resp, err := c.Do(t.Context(), post(srv.URL)); err != nil || resp.Status != 403 {
			t.Fatalf("%v %+v", err, resp)
		}
	}
	if n := srv.Accepted(); n != 1 {
		t.Errorf("5 exchanges opened %d connections, want 1", n)
	}
}

// TestBodylessAnswerRetiresTheConnection: a 204 that announces a body retires its connection, so a
// body arriving late is not read as the next exchange's answer; a clean 204 keeps its connection.
func TestBodylessAnswerRetiresTheConnection(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		head  string
		late  bool // the announced body follows once the next request is in
		conns int64
	}{
		{"HTTP/1.1 204 No Content\r\nContent-Length: 48\r\n\r\n", true, 4},
		{"HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n", true, 4},
		{"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n", false, 1},
		{"HTTP/1.1 204 No Content\r\n\r\n", false, 1},
	} {
		srv := faults.Raw(t, func(c net.Conn) {
			for head := faults.ReadHead(c); len(head) > 0; {
				io.WriteString(c, tc.head)
				head = faults.ReadHead(c) // the next request, if the client reused the connection
				if !tc.late {
					continue
				}
				// the announced body, late: on a reused connection it would be the next answer
				if _, err := io.WriteString(c, "HTTP/1.1 418 I'm a teapot\r\nContent-Length: 0\r\n\r\n"); err != nil {
					return
				}
			}
		})
		c := client(3*time.Second, nil)
		for i := 0; i < 4; i++ {
			resp, err := c.Do(t.Context(), post(srv.URL))
			if err != nil || resp.Status != 204 {
				t.Fatalf("%q, exchange %d: %v %+v", tc.head, i, err, resp)
			}
		}
		if n := srv.Accepted(); n != tc.conns {
			t.Errorf("%q: 4 exchanges used %d connections, want %d", tc.head, n, tc.conns)
		}
	}
}

// TestStrayTokenOnAnIdleConnection: a target that echoes the token after a complete answer, later
// and in pieces, reaches net/http's idle-connection logger masked. Not parallel: it swaps log's
// output.
func TestStrayTokenOnAnIdleConnection(t *testing.T) {
	logged := &syncBuffer{}
	prev := log.Writer()
	log.SetOutput(logged)
	defer log.SetOutput(prev)
	stray := "Authorization: Bearer " + secret
	srv := faults.Raw(t, func(c net.Conn) {
		faults.ReadHead(c)
		io.WriteString(c, "HTTP/1.1 403 Forbidden\r\nContent-Length: 2\r\n\r\n{}")
		time.Sleep(30 * time.Millisecond)
		io.WriteString(c, stray[:40])
		time.Sleep(10 * time.Millisecond)
		io.WriteString(c, stray[40:])
		time.Sleep(time.Second)
	})
	c := client(3*time.Second, nil)
	if resp, err := c.Do(t.Context(), post(srv.URL)); err != nil || resp.Status != 403 {
		t.Fatalf("%v %+v", err, resp)
	}
	deadline := time.Now().Add(slack)
	for !strings.Contains(logged.String(), "Unsolicited") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	out := logged.String()
	if !strings.Contains(out, "Unsolicited") {
		t.Fatalf("net/http logged nothing; the test no longer exercises the idle reader: %q", out)
	}
	if strings.Contains(out, secret[:minMasked]) || bytes.Contains([]byte(out), []byte(secret[len(secret)-minMasked:])) {
		t.Errorf("net/http logged a piece of the token: %q", out)
	}
	t.Logf("logged: %s", strings.TrimSpace(out))
}

// scriptConn is a connection that returns scripted reads; a read with a deadline set and nothing
// scripted times out at once, as a silent peer would.
type scriptConn struct {
	net.Conn
	reads    [][]byte
	deadline bool
}

func (s *scriptConn) Read(p []byte) (int, error) {
	if len(s.reads) == 0 {
		return 0, io.EOF
	}
	r := s.reads[0]
	if r == nil { // a pause
		s.reads = s.reads[1:]
		if s.deadline {
			return 0, timeoutError{}
		}
		return s.Read(p)
	}
	n := copy(p, r)
	if s.reads[0] = r[n:]; len(s.reads[0]) == 0 {
		s.reads = s.reads[1:]
	}
	return n, nil
}

func (s *scriptConn) SetReadDeadline(t time.Time) error { s.deadline = !t.IsZero(); return nil }

type timeoutError struct{}

func (timeoutError) Error() string   { return "i/o timeout" }
func (timeoutError) Timeout() bool   { return true }
func (timeoutError) Temporary() bool { return true }

// FuzzMask: whatever the stream, its pieces and its pauses, maskConn hands out exactly as many
// bytes as came, changes only bytes it masks, and leaves no secret and no long piece of one.
func FuzzMask(f *testing.F) {
	f.Add([]byte(`{"echo":"Bearer `+secret+`"}`), []byte{3, 40, 0, 7}, "")
	f.Add([]byte("x "+secret+secret[:20]), []byte{10, 0, 0, 90}, "s3cr3t-value")
	f.Add([]byte("e"), []byte{0, 1}, "ee-ee-ee-ee")
	f.Fuzz(func(t *testing.T, data, cuts []byte, other string) {
		red := redact.New(secret, other)
		var reads [][]byte
		rest := data
		for _, c := range cuts {
			if c == 0 {
				reads = append(reads, nil)
				continue
			}
			n := min(int(c), len(rest))
			reads, rest = append(reads, rest[:n]), rest[n:]
		}
		reads = append(reads, rest)
		m := newMaskConn(&scriptConn{reads: reads}, red.SecretBytes)
		out, err := io.ReadAll(m)
		if err != nil {
			t.Fatal(err)
		}
		if len(out) != len(data) {
			t.Fatalf("%d bytes in, %d out", len(data), len(out))
		}
		for i := range out {
			if out[i] != data[i] && out[i] != maskByte {
				t.Fatalf("byte %d changed from %q to %q", i, data[i], out[i])
			}
		}
		for _, s := range red.SecretBytes() {
			if bytes.Contains(out, s) {
				t.Fatalf("secret %q left in %q", s, out)
			}
		}
	})
}
