package exchange

import (
	"strings"
	"testing"
)

// TestFramerAtAnySplit: wherever the reads cut an answer, the framer finds where the bytes after a
// Content-Length body (or a bodyless answer) begin, and finds none in an answer it cannot frame.
func TestFramerAtAnySplit(t *testing.T) {
	t.Parallel()
	const extra = "token expired"
	for _, c := range []struct {
		name, answer string
		head         bool
		stray        bool // extra is stray after answer
	}{
		{"Content-Length", "HTTP/1.1 403 Forbidden\r\nContent-Length: 2\r\n\r\n{}", false, true},
		{"Content-Length, lower case, bare line feeds", "HTTP/1.1 200 OK\ncontent-length:  3\n\nabc", false, true},
		{"interim answers first", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx", false, true},
		{"HEAD", "HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n", true, true},
		{"Content-Length 0", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", false, true},
		{"chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n", false, false},
		{"to the close", "HTTP/1.1 200 OK\r\n\r\n{}", false, false},
		{"two lengths", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}", false, false},
		{"a long header line", "HTTP/1.1 200 OK\r\nX-Big: " + strings.Repeat("b", 4000) + "\r\nContent-Length: 2\r\n\r\n{}", false, true},
		{"not HTTP", "SSH-2.0-OpenSSH_9.6\r\n\r\n", false, false},
	} {
		raw := c.answer + extra
		want := -1
		if c.stray {
			want = len(c.answer)
		}
		for i := 0; i <= len(raw); i++ {
			for _, j := range []int{i, i + 1, i + 7, len(raw)} {
				if j < i || j > len(raw) {
					continue
				}
				var f framer
				f.reset(c.head)
				got, base := -1, 0
				for _, r := range []string{raw[:i], raw[i:j], raw[j:]} {
					if at := f.feed([]byte(r)); at >= 0 && got < 0 {
						got = base + at
					}
					base += len(r)
				}
				if got != want {
					t.Fatalf("%s, reads cut at %d and %d: stray bytes from %d, want %d", c.name, i, j, got, want)
				}
			}
		}
	}
}

// TestStrayJWTAfterAShortContentLength: a target whose Content-Length is shorter than what it sends
// (the body and an unregistered JWT in one write) has the bytes after the body judged as stray:
// net/http's idle-connection log holds no piece of the token. Not parallel: it swaps log's output.
func TestStrayJWTAfterAShortContentLength(t *testing.T) {
	noUnregistered(t, idleLog(t, forbidden+"token "+unregistered+" expired"))
}
