package exchange

import (
	"bytes"
	"encoding/json"
	"io"
	"log"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
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
	noHang(t, func() {
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

// tampered is secret with one character of its signature changed, as AUTH-001 sends it.
var tampered = secret[:len(secret)-20] + "A" + secret[len(secret)-19:]

// pieceOf returns a minMasked-byte piece of any of secrets that out holds.
func pieceOf(out string, secrets ...string) (string, bool) {
	for _, s := range secrets {
		for i := 0; i+minMasked <= len(s); i++ {
			if strings.Contains(out, s[i:i+minMasked]) {
				return s[i : i+minMasked], true
			}
		}
	}
	return "", false
}

// TestMaskTamperedTokenSplitOverAPause (issue 11, item 15): a target echoes the tampered token, the
// first half, a 200 ms pause, the rest; the stream hands out no piece of it, whether the redactor
// was told of the tampered token or knows only the real one.
func TestMaskTamperedTokenSplitOverAPause(t *testing.T) {
	t.Parallel()
	for name, red := range map[string]*redact.Redactor{"registered": redact.New(secret, tampered), "derived": redact.New(secret)} {
		half := len(tampered) / 2
		srv := faults.Raw(t, func(c net.Conn) {
			io.WriteString(c, `{"error":"token `+tampered[:half])
			time.Sleep(faults.EchoPause)
			io.WriteString(c, tampered[half:]+` is invalid"}`)
			c.Close()
		})
		conn, err := net.Dial("tcp", srv.Addr)
		if err != nil {
			t.Fatal(err)
		}
		out, err := io.ReadAll(newMaskConn(conn, red.SecretBytes))
		conn.Close()
		if err != nil {
			t.Fatal(err)
		}
		if p, ok := pieceOf(string(out), tampered, secret); ok {
			t.Errorf("%s: %q handed out in %q", name, p, out)
		}
		if !strings.HasPrefix(string(out), `{"error":"token `) || !strings.HasSuffix(string(out), ` is invalid"}`) {
			t.Errorf("%s: the text around the token changed: %q", name, out)
		}
	}
}

// TestMaskEveryFormAcrossReads: each encoded form of the token (faults.EchoForms), split at any of
// several points across two reads with or without a pause, or inside a chunked body, comes out with
// nothing the redactor would still recognise.
func TestMaskEveryFormAcrossReads(t *testing.T) {
	t.Parallel()
	red := redact.New(secret)
	forms := faults.EchoForms(tampered)
	forms["as is"] = tampered
	for name, f := range forms {
		for _, cut := range []int{1, 5, 13, len(f) / 2, len(f) - 3} {
			for _, pause := range []bool{false, true} {
				reads := [][]byte{[]byte("x " + f[:cut]), []byte(f[cut:] + " y")}
				if pause {
					reads = [][]byte{reads[0], nil, reads[1]}
				}
				out, err := io.ReadAll(newMaskConn(&scriptConn{reads: reads}, red.SecretBytes))
				if err != nil {
					t.Fatal(err)
				}
				if got := red.String(string(out)); got != string(out) {
					t.Errorf("%s, cut at %d, pause %v: the stream handed out %q, which still holds a secret (%q)", name, cut, pause, out, got)
				}
			}
		}
		chunked := "HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\n"
		for rest := f; rest != ""; {
			n := min(len(rest), 37)
			chunked += strconv.FormatInt(int64(n), 16) + "\r\n" + rest[:n] + "\r\n"
			rest = rest[n:]
		}
		out, _ := io.ReadAll(newMaskConn(&scriptConn{reads: [][]byte{[]byte(chunked), nil, []byte("0\r\n\r\n")}}, red.SecretBytes))
		if got := red.String(string(out)); got != string(out) {
			t.Errorf("%s in chunks: the stream handed out %q", name, out)
		}
	}
}

// TestMaskKeepsEscapesWhole: a secret in JSON \u escapes or HTML references, split at any byte,
// with or without a pause, is masked whole escapes at a time: the answer is still valid JSON (a
// half-masked "\u00**" would make ERR-001 fail on the suite's own masking) and holds nothing the
// redactor recognises.
func TestMaskKeepsEscapesWhole(t *testing.T) {
	t.Parallel()
	red := redact.New(secret)
	forms := faults.EchoForms(secret)
	for _, name := range []string{"JSON", "JSON-Upper", "HTML", "HTML-Hex", "Query"} {
		body := `{"message":"token ` + forms[name] + ` is invalid"}`
		for cut := 1; cut < len(body); cut++ {
			for _, pause := range []bool{false, true} {
				reads := [][]byte{[]byte(body[:cut]), []byte(body[cut:])}
				if pause {
					reads = [][]byte{reads[0], nil, reads[1]}
				}
				out, err := io.ReadAll(newMaskConn(&scriptConn{reads: reads}, red.SecretBytes))
				if err != nil {
					t.Fatal(err)
				}
				if !json.Valid(out) {
					t.Fatalf("%s, cut at %d, pause %v: not JSON any more: %s", name, cut, pause, out)
				}
				if got := red.String(string(out)); got != string(out) {
					t.Fatalf("%s, cut at %d, pause %v: %q still holds a secret", name, cut, pause, out)
				}
			}
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
		{early + "HTTP/1.1 204 No Content\r\nContent-Length: 48\r\n\r\n", true, 4},
		{"HTTP/1.1 204 No Content\r\n" + cookies(320) + "Content-Length: 48\r\n\r\n", true, 4},
		{"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n", false, 1},
		{early + "HTTP/1.1 204 No Content\r\n\r\n", false, 1},
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
				t.Fatalf("%.80q, exchange %d: %v %+v", tc.head, i, err, resp)
			}
		}
		if n := srv.Accepted(); n != tc.conns {
			t.Errorf("%.80q: 4 exchanges used %d connections, want %d", tc.head, n, tc.conns)
		}
	}
}

// cookies is a header block's worth of Set-Cookie lines, n of them, 64 bytes each.
func cookies(n int) string {
	line := "Set-Cookie: graphconform=" + strings.Repeat("c", 64-len("Set-Cookie: graphconform=\r\n")) + "\r\n"
	return strings.Repeat(line, n)
}

// keepAlive answers every request on a connection with the parts (strings to write, pauses), as a
// keep-alive server would; closed counts the connections it is done with (the client closed them).
func keepAlive(t *testing.T, parts ...any) (srv *faults.Server, closed *atomic.Int64) {
	closed = &atomic.Int64{}
	srv = faults.Raw(t, func(c net.Conn) {
		defer closed.Add(1)
		for len(faults.ReadHead(c)) > 0 && writeParts(c, parts) {
		}
	})
	return srv, closed
}

// TestBodylessAnswerLeavesNothingToLog: a 204 whose header block is longer than the sniff keeps
// (20 KiB, 900 KiB: under Go's 1 MiB limit), or comes after interim answers, or has body bytes
// after it, is read whole by Go's client, every time, and then its connection is retired: the
// bytes after the header block reach neither the next exchange nor net/http's idle-connection
// log. Not parallel: it swaps log's output.
func TestBodylessAnswerLeavesNothingToLog(t *testing.T) {
	const body = `{"stray":true}`
	for _, c := range []struct {
		name, raw string
		cookies   int
		late      string // sent 30 ms after raw
	}{
		{"20 KiB of headers", "HTTP/1.1 204 No Content\r\n" + cookies(320) + "\r\n", 320, ""},
		{"20 KiB of headers and a body", "HTTP/1.1 204 No Content\r\n" + cookies(320) + "\r\n" + body, 320, ""},
		{"900 KiB of headers", "HTTP/1.1 204 No Content\r\n" + cookies(14400) + "\r\n", 14400, ""},
		{"900 KiB of headers and a body", "HTTP/1.1 204 No Content\r\n" + cookies(14400) + "\r\n" + body, 14400, ""},
		{"one 900 KiB header and a body", "HTTP/1.1 204 No Content\r\nX-Big: " + strings.Repeat("b", 900<<10) + "\r\n\r\n" + body, 0, ""},
		{"a body", "HTTP/1.1 204 No Content\r\n\r\n" + body, 0, ""},
		{"103, then a 204 with a body", early + "HTTP/1.1 204 No Content\r\n\r\n" + body, 0, ""},
		{"100 and 103, then a 204 announcing a body", "HTTP/1.1 100 Continue\r\n\r\n" + early +
			"HTTP/1.1 204 No Content\r\nContent-Length: 14\r\n\r\n" + body, 0, ""},
		{"103 with 20 KiB of headers, then a 204 with a body", "HTTP/1.1 103 Early Hints\r\n" + cookies(320) + "\r\n" +
			"HTTP/1.1 204 No Content\r\n\r\n" + body, 0, ""},
		{"304 with a body", "HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n" + body, 0, ""},
		{"a clean 204, then a late body", "HTTP/1.1 204 No Content\r\n\r\n", 0, body},
	} {
		t.Run(c.name, func(t *testing.T) {
			logged := &syncBuffer{}
			prev := log.Writer()
			log.SetOutput(logged)
			defer log.SetOutput(prev)
			parts := []any{c.raw}
			if c.late != "" {
				parts = append(parts, 30*time.Millisecond, c.late)
			}
			srv, closed := keepAlive(t, parts...)
			cl := client(5*time.Second, nil)
			const exchanges = 3
			for i := 0; i < exchanges; i++ {
				resp, err := cl.Do(t.Context(), post(srv.URL))
				if err != nil {
					t.Fatalf("exchange %d: %v", i, err)
				}
				if want := 204 + 100*strings.Count(c.raw, " 304 "); resp.Status != want {
					t.Fatalf("exchange %d: status %d, want %d", i, resp.Status, want)
				}
				if n := len(resp.Header["Set-Cookie"]); n != c.cookies {
					t.Errorf("exchange %d: %d Set-Cookie headers, want %d", i, n, c.cookies)
				}
				// A late body that crosses the next request is read as its answer, whoever reads
				// it: the test sends the next one once the connection is gone.
				for deadline := time.Now().Add(hang); c.late != "" && closed.Load() <= int64(i) && time.Now().Before(deadline); {
					time.Sleep(5 * time.Millisecond)
				}
			}
			cl.HTTP.CloseIdleConnections()
			// The transport logs before it closes a connection: once the server saw every one
			// closed, whatever it would log is logged.
			for deadline := time.Now().Add(hang); closed.Load() < srv.Accepted() && time.Now().Before(deadline); {
				time.Sleep(5 * time.Millisecond)
			}
			if n := srv.Accepted(); n != exchanges {
				t.Errorf("%d exchanges used %d connections, want %d: each answer retires its connection", exchanges, n, exchanges)
			}
			if out := logged.String(); out != "" {
				t.Errorf("net/http logged: %.300q", out)
			}
		})
	}
}

// idleLog answers one exchange with a 403 and then writes the parts (strings, pauses) on the
// kept-alive connection, and returns what net/http logged of them once it logged. Its callers are
// not parallel: it swaps log's output.
func idleLog(t *testing.T, parts ...any) string {
	t.Helper()
	logged := &syncBuffer{}
	prev := log.Writer()
	log.SetOutput(logged)
	defer log.SetOutput(prev)
	srv := faults.Raw(t, func(c net.Conn) {
		faults.ReadHead(c)
		writeParts(c, parts)
		time.Sleep(time.Second)
	})
	c := client(3*time.Second, nil)
	if resp, err := c.Do(t.Context(), post(srv.URL)); err != nil || resp.Status != 403 {
		t.Fatalf("%v %+v", err, resp)
	}
	for deadline := time.Now().Add(hang); !strings.Contains(logged.String(), "Unsolicited") && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	out := logged.String()
	if !strings.Contains(out, "Unsolicited") {
		t.Fatalf("net/http logged nothing; the test no longer exercises the idle reader: %q", out)
	}
	t.Logf("logged: %s", strings.TrimSpace(out))
	return out
}

const forbidden = "HTTP/1.1 403 Forbidden\r\nContent-Length: 2\r\n\r\n{}"

// TestStrayTokenOnAnIdleConnection: a target that echoes the token after a complete answer, later
// and in pieces, reaches net/http's idle-connection logger masked. Not parallel: it swaps log's
// output.
func TestStrayTokenOnAnIdleConnection(t *testing.T) {
	stray := "Authorization: Bearer " + secret
	out := idleLog(t, forbidden, 30*time.Millisecond, stray[:40], 10*time.Millisecond, stray[40:])
	if strings.Contains(out, secret[:minMasked]) || bytes.Contains([]byte(out), []byte(secret[len(secret)-minMasked:])) {
		t.Errorf("net/http logged a piece of the token: %q", out)
	}
}

// unregistered is a JWT that shares no MinSecret-byte run with secret: only its shape gives it away.
const unregistered = "eyJraWQiOiJrMiIsImFsZyI6IkVTMzg0In0.eyJvaWQiOiJzb21lb25lLWVsc2UifQ.YW5vdGhlci1wZXJzb25hLXNpZw"

// noUnregistered fails when out holds a piece of unregistered or lost the text around it.
func noUnregistered(t *testing.T, out string) {
	t.Helper()
	if p, ok := pieceOf(unregistered, secret); ok {
		t.Fatalf("the token shares %q with the registered one", p)
	}
	if p, ok := pieceOf(out, unregistered); ok {
		t.Errorf("net/http logged %q of the unregistered token: %q", p, out)
	}
	if !strings.Contains(out, "token ") || !strings.Contains(out, " expired") {
		t.Errorf("the text around the token was lost: %q", out)
	}
}

// TestSniffAtAnySplit: whatever the reads an answer comes in, a connection is retired after a 204
// or 304 that could be followed by bytes, and ends right after its header block; every other
// answer passes whole and keeps its connection.
func TestSniffAtAnySplit(t *testing.T) {
	t.Parallel()
	const stray = `{"stray":true}`
	for _, c := range []struct {
		name, head, after string // the answer is head + after; a retired connection hands out head
		retired           bool
	}{
		{"clean 204", "HTTP/1.1 204 No Content\r\nRequest-Id: r\r\n\r\n", "", false},
		{"clean 304", "HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n", "", false},
		{"204 with a body", "HTTP/1.1 204 No Content\r\n\r\n", stray, true},
		{"204 announcing a body", "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n", "", true},
		{"204 chunked", "HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n", "5\r\nhello\r\n0\r\n\r\n", true},
		{"103, then a 204 with a body", early + "HTTP/1.1 204 No Content\r\n\r\n", stray, true},
		{"100 and 103, then a clean 204", "HTTP/1.1 100 Continue\r\n\r\n" + early + "HTTP/1.1 204 No Content\r\n\r\n", "", false},
		{"204 with bare line feeds and a body", "HTTP/1.1 204 No Content\nX: y\n\n", stray, true},
		{"204 hiding Content-Length behind a bare line feed", "HTTP/1.1 204 No Content\r\nX: y\nContent-Length: 5\r\n\r\n", "", true},
		{"103 with bare line feeds, then a 204 with a body", "HTTP/1.1 103 Early Hints\n\r\nHTTP/1.1 204 No Content\r\n\r\n", stray, true},
		{"204 with 20 KiB of headers", "HTTP/1.1 204 No Content\r\n" + cookies(320) + "\r\n", "", true},
		{"204 with a 20 KiB status line", "HTTP/1.1 204 " + strings.Repeat("n", 20<<10) + "\r\n\r\n", stray, true},
		{"200 with a body", "HTTP/1.1 200 OK\r\nContent-Length: 14\r\n\r\n" + stray, "", false},
		{"200 with 20 KiB of headers", "HTTP/1.1 200 OK\r\n" + cookies(320) + "Content-Length: 14\r\n\r\n" + stray, "", false},
		{"101 is final", "HTTP/1.1 101 Switching Protocols\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n" + stray, "", false},
		{"not HTTP", "SSH-2.0-OpenSSH_9.6\r\n\r\n" + stray, "", false},
	} {
		raw := c.head + c.after
		cuts := []int{1, 2, 13, len(c.head) - 4, len(c.head) - 3, len(c.head) - 2, len(c.head) - 1, len(c.head), len(c.head) + 1, len(raw) - 1}
		if len(raw) < 300 {
			cuts = cuts[:0]
			for i := 1; i < len(raw); i++ {
				cuts = append(cuts, i)
			}
		}
		for _, i := range cuts {
			for _, j := range []int{i + 1, i + 7, len(raw)} {
				if i <= 0 || i >= len(raw) || j <= i || j > len(raw) {
					continue
				}
				m := newMaskConn(&scriptConn{reads: [][]byte{[]byte(raw[:i]), []byte(raw[i:j]), []byte(raw[j:])}}, redact.New(secret).SecretBytes)
				if _, err := m.Write([]byte("POST / HTTP/1.1\r\n\r\n")); err != nil {
					t.Fatal(err)
				}
				out, err := io.ReadAll(m)
				if err != nil {
					t.Fatal(err)
				}
				want := raw
				if c.retired {
					want = c.head
				}
				_, err = m.Write([]byte("POST / HTTP/1.1\r\n\r\n"))
				if string(out) != want || (err != nil) != c.retired {
					t.Fatalf("%s, reads cut at %d and %d: handed out %.60q (%d of %d bytes), next write: %v", c.name, i, j, out, len(out), len(raw), err)
				}
			}
		}
	}
}

// sniffed is what a maskConn hands out of data, after a request, in the given reads, and whether
// it then refuses the next request.
func sniffed(t *testing.T, reads [][]byte) ([]byte, bool) {
	m := newMaskConn(&scriptConn{reads: reads}, redact.New(secret).SecretBytes)
	if _, err := m.Write([]byte("POST / HTTP/1.1\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(m)
	if err != nil {
		t.Fatal(err)
	}
	_, err = m.Write([]byte("POST / HTTP/1.1\r\n\r\n"))
	return out, err != nil
}

// FuzzSniff: whatever the answer, how the reads cut it does not change what the sniff decides: the
// bytes handed out (a prefix of the answer, all of it unless the connection is retired) and the
// retirement are those of the answer in one read.
func FuzzSniff(f *testing.F) {
	f.Add([]byte(early+"HTTP/1.1 204 No Content\r\n\r\n{}"), []byte{3, 60, 2})
	f.Add([]byte("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n"), []byte{26, 1, 1})
	f.Add([]byte("HTTP/1.1 304 Not Modified\n\r\nx"), []byte{25, 1, 1})
	f.Add([]byte("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"), []byte{12})
	f.Fuzz(func(t *testing.T, data, cuts []byte) {
		whole, retired := sniffed(t, [][]byte{data})
		if !bytes.HasPrefix(data, whole) || !retired && len(whole) != len(data) {
			t.Fatalf("one read: handed out %q of %q, retired %v", whole, data, retired)
		}
		var reads [][]byte
		rest := data
		for _, c := range cuts {
			n := min(int(c), len(rest))
			reads, rest = append(reads, rest[:n]), rest[n:]
		}
		out, r := sniffed(t, append(reads, rest))
		if !bytes.Equal(out, whole) || r != retired {
			t.Fatalf("reads %q: handed out %q, retired %v; in one read %q, retired %v", reads, out, r, whole, retired)
		}
	})
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

func (s *scriptConn) Write(p []byte) (int, error) { return len(p), nil }

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
		fuzzMask(t, data, cuts, other, false)
	})
}

// FuzzMaskAfterARequest is FuzzMask on a connection a request was written on: the answer's framing
// is followed (framer), and bytes after a Content-Length body are judged as stray.
func FuzzMaskAfterARequest(f *testing.F) {
	f.Add([]byte("HTTP/1.1 403 Forbidden\r\nContent-Length: 2\r\n\r\n{}token eyJraWQiOiJrMiJ9.eyJvaWQiOiJ4In0.c2ln "+secret), []byte{30, 0, 9}, "")
	f.Add([]byte("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"+secret), []byte{60, 0, 3}, "")
	f.Fuzz(func(t *testing.T, data, cuts []byte, other string) {
		fuzzMask(t, data, cuts, other, true)
	})
}

func fuzzMask(t *testing.T, data, cuts []byte, other string, request bool) {
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
	if request {
		m.Write([]byte("POST / HTTP/1.1\r\n\r\n"))
	}
	out, err := io.ReadAll(m)
	if err != nil {
		t.Fatal(err)
	}
	if request && m.retired.Load() {
		data = data[:len(out)] // a bodyless answer's connection ends with its header block
	}
	if len(out) != len(data) {
		t.Fatalf("%d bytes in, %d out", len(data), len(out))
	}
	for i := range out {
		if out[i] != data[i] && out[i] != maskByte {
			t.Fatalf("byte %d changed from %q to %q", i, data[i], out[i])
		}
	}
	for _, s := range []string{secret, other} {
		for i := 0; len(s) >= minMasked && i+minMasked <= len(s); i++ {
			if bytes.Contains(out, []byte(s[i:i+minMasked])) {
				t.Fatalf("a piece %q of secret %q left in %q", s[i:i+minMasked], s, out)
			}
		}
	}
}

// BenchmarkMaskConn reads a 2 KB answer, in 512-byte reads, through a maskConn that knows six
// 1.5 KB tokens and a client secret (what a run registers).
func BenchmarkMaskConn(b *testing.B) {
	var secrets []string
	for i := range 6 {
		secrets = append(secrets, "eyJhbGciOiJSUzI1NiIsImtpZCI6ImdyYXBoY29uZm9ybSJ9.eyJ"+strings.Repeat(string(rune('a'+i))+"Zm9v", 220)+".c2ln"+strings.Repeat("QUJD", 64))
	}
	red := redact.New(append(secrets, "gc~client~secret~value")...)
	body := `HTTP/1.1 403 Forbidden` + "\r\nContent-Type: application/json\r\n\r\n" +
		`{"error":{"code":"Forbidden","message":"` + strings.Repeat("the caller may not disconnect partner 6f1c2d3e-0000-4000-8000-000000000000; ", 26) + `"}}`
	b.SetBytes(int64(len(body)))
	buf := make([]byte, 4096)
	for b.Loop() {
		var reads [][]byte
		for rest := []byte(body); len(rest) > 0; {
			n := min(512, len(rest))
			reads, rest = append(reads, rest[:n]), rest[n:]
		}
		m := newMaskConn(&scriptConn{reads: reads}, red.SecretBytes)
		for {
			if _, err := m.Read(buf); err != nil {
				break
			}
		}
	}
}

// BenchmarkSniff reads an answer after a request, in 4 KiB reads, through a maskConn that knows
// secret: the sniff's cost on a 2 KB 403 (decided at the status line), a clean 204 with a short
// header block, and a 204 with 900 KiB of headers (read to the end of its header block).
func BenchmarkSniff(b *testing.B) {
	red := redact.New(secret)
	for _, c := range []struct{ name, raw string }{
		{"403", "HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: 2000\r\n\r\n" + strings.Repeat("x", 2000)},
		{"204", "HTTP/1.1 204 No Content\r\nRequest-Id: 6f1c2d3e-0000-4000-8000-000000000000\r\nClient-Request-Id: 1\r\n\r\n"},
		{"204 with 900 KiB of headers", "HTTP/1.1 204 No Content\r\n" + cookies(14400) + "\r\n"},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.raw)))
			buf := make([]byte, 4096)
			for b.Loop() {
				var reads [][]byte
				for rest := []byte(c.raw); len(rest) > 0; {
					n := min(4096, len(rest))
					reads, rest = append(reads, rest[:n]), rest[n:]
				}
				m := newMaskConn(&scriptConn{reads: reads}, red.SecretBytes)
				m.Write(nil)
				for {
					if _, err := m.Read(buf); err != nil {
						break
					}
				}
			}
		})
	}
}

// TestMaskTokenWithAChangedEnd: a target echoes the token with its last signature characters
// changed (as a forger or a buggy echo would), in one read, split in the changed part, or after a
// pause: the stream hides the changed end glued to the token's run too, so neither the stream nor
// the record keeps any MinSecret-byte piece of what was echoed; the text around stays.
func TestMaskTokenWithAChangedEnd(t *testing.T) {
	t.Parallel()
	red := redact.New(secret)
	for _, k := range []int{1, 7, 8, 12, 15, 16, 40} {
		echoed := secret[:len(secret)-k] + strings.Repeat("Q", k)
		text := `{"error":"token ` + echoed + ` is invalid"}`
		at := strings.Index(text, echoed)
		for _, cut := range []int{at + len(echoed) - k, at + len(echoed) - k/2, at + len(echoed)} {
			for _, pause := range []bool{false, true} {
				reads := [][]byte{[]byte(text[:cut]), []byte(text[cut:])}
				if pause {
					reads = [][]byte{reads[0], nil, reads[1]}
				}
				out, err := io.ReadAll(newMaskConn(&scriptConn{reads: reads}, red.SecretBytes))
				if err != nil {
					t.Fatal(err)
				}
				if p, ok := pieceOf(string(out), echoed); ok {
					t.Errorf("%d changed, cut at %d, pause %v: the stream handed out %q in %q", k, cut, pause, p, out)
				}
				if want := text[:at] + stars(len(echoed)) + text[at+len(echoed):]; string(out) != want {
					t.Errorf("%d changed, cut at %d, pause %v: got %q, want %q", k, cut, pause, out, want)
				}
			}
		}
	}
}

// TestRecordOfATokenWithAChangedEnd: what the record keeps of an answer that echoes the token with
// its last characters changed, in a header and in the body, holds no piece of it.
func TestRecordOfATokenWithAChangedEnd(t *testing.T) {
	t.Parallel()
	for _, k := range []int{8, 12, 15} {
		echoed := secret[:len(secret)-k] + strings.Repeat("Q", k)
		body := `{"error":{"message":"token ` + echoed + ` is invalid"}}`
		srv := answer(t, "HTTP/1.1 401 Unauthorized\r\nX-Echo-Token: "+echoed+"\r\n"+
			"Content-Length: "+strconv.Itoa(len(body))+"\r\nConnection: close\r\n\r\n"+body)
		for what, text := range recorded(t, srv) {
			if p, ok := pieceOf(strings.ReplaceAll(text, redact.Mask, " "), echoed); ok {
				t.Errorf("%d changed: the recorded %s keeps %q: %q", k, what, p, text)
			}
		}
	}
}

// TestGlueStopsAtTheNextAnswer: an answer whose body ends with the token does not hide the first
// bytes of the next answer on the connection (they would no longer be a status line).
func TestGlueStopsAtTheNextAnswer(t *testing.T) {
	t.Parallel()
	first := "HTTP/1.1 200 OK\r\nContent-Length: " + strconv.Itoa(len(secret)) + "\r\n\r\n" + secret
	next := "HTTP/1.1 403 Forbidden\r\nContent-Length: 2\r\n\r\n{}"
	m := newMaskConn(&scriptConn{reads: [][]byte{[]byte(first), []byte(next)}}, redact.New(secret).SecretBytes)
	m.Write([]byte("POST / HTTP/1.1\r\n\r\n"))
	got := make([]byte, len(first))
	if _, err := io.ReadFull(m, got); err != nil {
		t.Fatal(err)
	}
	if want := strings.TrimSuffix(first, secret) + stars(len(secret)); string(got) != want {
		t.Errorf("first answer: got %q, want %q", got, want)
	}
	m.Write([]byte("POST / HTTP/1.1\r\n\r\n"))
	if rest, err := io.ReadAll(m); err != nil || string(rest) != next {
		t.Errorf("next answer: got %q, %v; want %q", rest, err, next)
	}
}

// TestStrayJWTOnAnIdleConnection: bytes a target sends on a kept-alive connection after a complete
// answer, an unregistered JWT among them, arriving in pieces, reach net/http's idle-connection log
// through the redactor's string path as well as the stream mask: nothing of the token survives,
// the text around it does. Not parallel: it swaps log's output.
func TestStrayJWTOnAnIdleConnection(t *testing.T) {
	stray := "token " + unregistered + " expired"
	noUnregistered(t, idleLog(t, forbidden, 30*time.Millisecond, stray[:30], 10*time.Millisecond, stray[30:]))
}
