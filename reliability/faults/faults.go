// Package faults serves misbehaving targets on 127.0.0.1 for graphconform's reliability tests:
// servers that refuse, hang, stall, reset, speak garbage, throttle, redirect or echo credentials.
// Each one is closed by the test's cleanup, and closing unblocks every connection it holds, so a
// test using them ends even when the code under test does not.
//
// It is test support only: the exchange package's tests and the end-to-end tests in package
// reliability share it, so both levels inject the same faults.
package faults

import (
	"bytes"
	"io"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Server is a raw TCP server: every connection is given to a handler that writes whatever bytes the
// fault calls for.
type Server struct {
	// URL is a Graph-like base URL, http://127.0.0.1:PORT/v1.0.
	URL string
	// Addr is host:port.
	Addr string

	ln       net.Listener
	accepted atomic.Int64
	mu       sync.Mutex
	conns    map[net.Conn]struct{}
	closed   bool
	wg       sync.WaitGroup
}

// Accepted counts the connections accepted so far.
func (s *Server) Accepted() int64 { return s.accepted.Load() }

// Raw serves every connection with handle until the test ends. handle need not close the
// connection; a handler blocked on the connection returns once the cleanup closes it.
func Raw(t testing.TB, handle func(net.Conn)) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{URL: "http://" + ln.Addr().String() + "/v1.0", Addr: ln.Addr().String(), ln: ln, conns: map[net.Conn]struct{}{}}
	s.wg.Add(1)
	go s.serve(handle)
	t.Cleanup(s.Close)
	return s
}

func (s *Server) serve(handle func(net.Conn)) {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.accepted.Add(1)
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			c.Close()
			return
		}
		s.conns[c] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		go func() {
			defer s.wg.Done()
			handle(c)
			s.forget(c)
		}()
	}
}

func (s *Server) forget(c net.Conn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
	c.Close()
}

// Close stops accepting, closes every open connection and waits for the handlers.
func (s *Server) Close() {
	s.mu.Lock()
	s.closed = true
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.ln.Close()
	s.wg.Wait()
}

// ReadHead consumes a request's header block (at most 64 KiB, at most 5 s) and returns it.
func ReadHead(c net.Conn) []byte {
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	defer c.SetReadDeadline(time.Time{})
	var buf []byte
	chunk := make([]byte, 4096)
	for len(buf) < 64<<10 && !bytes.Contains(buf, []byte("\r\n\r\n")) {
		n, err := c.Read(chunk)
		buf = append(buf, chunk[:n]...)
		if err != nil {
			break
		}
	}
	return buf
}

// block waits until the peer or the cleanup closes the connection.
func block(c net.Conn) { _, _ = io.Copy(io.Discard, c) }

// Refused returns a base URL on 127.0.0.1 where nothing listens: a port that was just free.
func Refused(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr + "/v1.0"
}

// Unresolvable is a base URL whose host cannot resolve (RFC 2606 reserves .invalid).
const Unresolvable = "http://graphconform-target.invalid/v1.0"

// Hang accepts, reads the request and never answers.
func Hang(t testing.TB) *Server {
	return Raw(t, func(c net.Conn) { ReadHead(c); block(c) })
}

// StallBody answers a status line and headers promising 1000 body bytes, sends 10, then stalls.
func StallBody(t testing.TB) *Server {
	return Raw(t, func(c net.Conn) {
		ReadHead(c)
		io.WriteString(c, "HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"error\":{")
		block(c)
	})
}

// Reset answers headers and part of the body, then resets the connection (RST, not FIN).
func Reset(t testing.TB) *Server {
	return Raw(t, func(c net.Conn) {
		ReadHead(c)
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{\"value\":[")
		time.Sleep(20 * time.Millisecond) // let the client take the header block before the RST
		if tc, ok := c.(*net.TCPConn); ok {
			_ = tc.SetLinger(0)
		}
		c.Close()
	})
}

// ResetAtOnce reads the request and resets the connection without a byte of answer.
func ResetAtOnce(t testing.TB) *Server {
	return Raw(t, func(c net.Conn) {
		ReadHead(c)
		if tc, ok := c.(*net.TCPConn); ok {
			_ = tc.SetLinger(0)
		}
		c.Close()
	})
}

// GarbageBytes is what Garbage answers: an SSH banner followed by binary noise, then a close.
var GarbageBytes = append([]byte("SSH-2.0-OpenSSH_9.6\r\n\x00\xff\xfe"), bytes.Repeat([]byte{0x16, 0x03, 0x01, 0x00}, 64)...)

// Garbage answers bytes that are not HTTP and closes.
func Garbage(t testing.TB) *Server {
	return Raw(t, func(c net.Conn) { ReadHead(c); c.Write(GarbageBytes) })
}

// Answer reads the request and writes raw, then keeps the connection open (as a server that ignores
// "Connection: close" would) until the client or the cleanup closes it.
func Answer(t testing.TB, raw string) *Server {
	return Raw(t, func(c net.Conn) { ReadHead(c); io.WriteString(c, raw); block(c) })
}

// Trickle writes head, then one byte of body every interval, for as long as the client listens.
func Trickle(t testing.TB, head string, every time.Duration) *Server {
	return Raw(t, func(c net.Conn) {
		ReadHead(c)
		if _, err := io.WriteString(c, head); err != nil {
			return
		}
		for i := 0; i < 1<<20; i++ { // bounded: ~12 days at 1 s, far past any test
			time.Sleep(every)
			if _, err := c.Write([]byte{'x'}); err != nil {
				return
			}
		}
	})
}

// Flood answers status with a Content-Length body of size bytes, written from one reused buffer
// (so the server side allocates almost nothing and heap figures measure the client).
func Flood(t testing.TB, status string, size int) *Server {
	chunk := bytes.Repeat([]byte(`{"error":{"code":"x","message":"`), 1024)
	return Raw(t, func(c net.Conn) {
		ReadHead(c)
		if _, err := io.WriteString(c, "HTTP/1.1 "+status+"\r\nContent-Type: application/json\r\nContent-Length: "+strconv.Itoa(size)+"\r\nConnection: close\r\n\r\n"); err != nil {
			return
		}
		for left := size; left > 0; {
			n := min(left, len(chunk))
			if _, err := c.Write(chunk[:n]); err != nil {
				return
			}
			left -= n
		}
	})
}
