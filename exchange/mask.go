package exchange

import (
	"bytes"
	"errors"
	"io"
	"net"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/graphconform/graphconform/redact"
)

// maskConn masks every known secret in what a target sends, at equal length, before net/http reads
// it. It is what makes keep-alive connections safe: on an idle connection Go's transport logs any
// bytes a target sends ("Unsolicited response received on idle HTTP channel starting with ...") to
// the process's standard logger, out of reach of our redaction. A target that echoes our token
// after an answer would otherwise print it into the CI log. Equal length keeps Content-Length true.
//
// A secret may arrive split across reads, so a tail that could begin one is held back until the
// next read completes it or rules it out. If nothing more comes within flushAfter the tail is
// released (an answer may legitimately end in "e", the first byte of every JWT), masked if it
// already holds minMasked bytes of a secret; the released bytes stay as context, so the rest of a
// secret arriving later is masked too.
type maskConn struct {
	net.Conn
	secrets func() [][]byte
	// window is the context (released bytes, at most maxLen-1 of them) followed by pending bytes,
	// as received: a secret's continuation is recognised against the original bytes.
	window []byte
	// hide marks the bytes of window that are handed out as maskByte.
	hide     []bool
	released int // window[:released] is context, already handed out
	ready    int // window[released:ready] may be handed out; window[ready:] is held back
	err      error
	scratch  []byte
	// keep is how much released context a secret spanning reads can need (longest secret - 1).
	keep int
	// head collects the start of an answer (sniffing: a request was written).
	head     []byte
	sniffing atomic.Bool
	retired  atomic.Bool
}

// flushAfter is how long a possible secret prefix is held back waiting for the rest of it.
const flushAfter = 50 * time.Millisecond

// minMasked is the shortest secret prefix masked on its own: shorter ones ("e", "eyJ") occur in
// ordinary answers and reveal nothing.
const minMasked = redact.MinSecret

// maskByte replaces secret bytes.
const maskByte = '*'

func newMaskConn(c net.Conn, secrets func() [][]byte) *maskConn {
	return &maskConn{Conn: c, secrets: secrets, scratch: make([]byte, 4096)}
}

// errRetired refuses a request on a connection whose last answer was bodyless. The transport
// counts it as "nothing written" and retries the request on a new connection.
var errRetired = errors.New("connection retired after a bodyless answer")

// Write marks the start of an exchange: the next bytes read begin its answer.
func (m *maskConn) Write(p []byte) (int, error) {
	if m.retired.Load() {
		return 0, errRetired
	}
	m.sniffing.Store(true)
	return m.Conn.Write(p)
}

// sniff retires the connection after a 204 or 304 (bodyless by definition) that announces a body
// (Content-Length other than 0, Transfer-Encoding) or has bytes after its header block: the classic
// "204 with a body". The transport would read a late part of that body as the next exchange's
// answer. Retiring before the transport sees the answer leaves no window in which another request
// could take the connection. A bodyless answer that announces nothing keeps its connection: bytes a
// target sends later, unannounced, arrive on an idle connection, which the transport then closes.
func (m *maskConn) sniff(b []byte) {
	m.head = append(m.head, b[:min(len(b), headLimit-len(m.head))]...)
	const statusLen = len("HTTP/1.1 204")
	if len(m.head) < statusLen {
		return
	}
	if !bodyless(m.head[:statusLen]) {
		m.stopSniffing()
		return
	}
	if !bytes.Contains(m.head, []byte("\r\n\r\n")) && len(m.head) < headLimit {
		return // the header block is still coming
	}
	if w, err := parseWire(m.head); err != nil || len(w.ContentProblems()) > 0 {
		m.retired.Store(true) // an over-long or malformed head is not worth the risk either
	}
	m.stopSniffing()
}

// headLimit bounds what sniff keeps of an answer's head; a longer one retires its connection.
const headLimit = 16 << 10

func (m *maskConn) stopSniffing() {
	m.head = m.head[:0]
	m.sniffing.Store(false)
}

func bodyless(status []byte) bool {
	return bytes.HasPrefix(status, []byte("HTTP/1.")) && status[8] == ' ' &&
		(bytes.HasSuffix(status, []byte(" 204")) || bytes.HasSuffix(status, []byte(" 304")))
}

func (m *maskConn) Read(p []byte) (int, error) {
	for m.ready == m.released {
		if m.err != nil {
			return 0, m.err
		}
		if m.retired.Load() {
			return 0, io.EOF
		}
		m.fill()
	}
	n := copy(p, m.window[m.released:m.ready])
	for i, h := range m.hide[m.released : m.released+n] {
		if h {
			p[i] = maskByte
		}
	}
	m.released += n
	m.trim()
	return n, nil
}

// fill reads once from the connection and decides what may be handed out.
func (m *maskConn) fill() {
	holding := len(m.window) > m.ready
	if holding {
		_ = m.Conn.SetReadDeadline(time.Now().Add(flushAfter))
	}
	n, err := m.Conn.Read(m.scratch)
	waited := false
	if holding {
		_ = m.Conn.SetReadDeadline(time.Time{})
		if isTimeout(err) { // our own deadline, not the target's failure
			waited, err = true, nil
		}
	}
	if n > 0 && m.sniffing.Load() {
		m.sniff(m.scratch[:n])
	}
	m.window = append(m.window, m.scratch[:n]...)
	old := len(m.hide)
	m.hide = slices.Grow(m.hide, n)[:old+n]
	clear(m.hide[old:])
	secrets := m.secrets()
	c := common(secrets) // derived once per read, not per search
	m.keep = maxLen(secrets) - 1
	mask(m.window, m.hide, m.released, secrets, c, m.keep+1)
	start, held := heldFrom(m.window, secrets, c)
	switch {
	case err != nil:
		m.ready, m.err = len(m.window), err
	case waited && n == 0:
		// Nothing more came: the held tail ends an answer. Release it, masked if it is a
		// recognisable piece of a secret.
		if held && len(m.window)-start >= minMasked {
			setAll(m.hide[max(start, m.released):])
		}
		m.ready = len(m.window)
	case held:
		m.ready = max(start, m.released)
	default:
		m.ready = len(m.window)
	}
}

// trim drops context beyond what a secret spanning it could still need.
func (m *maskConn) trim() {
	if drop := m.released - max(m.keep, 0); drop > 0 {
		m.window = append(m.window[:0], m.window[drop:]...)
		m.hide = append(m.hide[:0], m.hide[drop:]...)
		m.released -= drop
		m.ready -= drop
	}
}

// mask marks every occurrence of a secret in w, except bytes before from (already handed out).
// c is common(secrets), longest maxLen(secrets).
func mask(w []byte, hide []bool, from int, secrets [][]byte, c []byte, longest int) {
	lo := max(from-longest+1, 0)
	if len(c) >= minMasked && index(w[lo:], c) < 0 {
		return // tokens share their JWT header: one search rules them all out
	}
	for _, s := range secrets {
		for off := max(from-len(s)+1, 0); off < len(w); {
			i := index(w[off:], s)
			if i < 0 {
				break
			}
			start := off + i
			setAll(hide[max(start, from) : start+len(s)])
			off = start + len(s)
		}
	}
}

// index is bytes.Index for long needles: it finds candidates by the first bytes of s, which the
// vectorised search handles, instead of by its first byte alone ("e" for every JWT), then checks
// the whole of s.
func index(w, s []byte) int {
	head := s[:min(len(s), 32)]
	for off := 0; ; {
		i := bytes.Index(w[off:], head)
		if i < 0 {
			return -1
		}
		if bytes.HasPrefix(w[off+i:], s) {
			return off + i
		}
		off += i + 1
	}
}

// heldFrom returns where the longest tail of w that is a proper prefix of a secret starts.
// c is common(secrets).
func heldFrom(w []byte, secrets [][]byte, c []byte) (int, bool) {
	if len(c) > 0 {
		return heldFromGroup(w, secrets, c)
	}
	best, found := len(w), false
	for _, s := range secrets { // no shared prefix (a client secret beside tokens): one by one
		if i, ok := heldFromGroup(w[:best], [][]byte{s}, s); ok {
			best, found = i, true
		}
	}
	return best, found
}

// heldFromGroup is heldFrom for secrets that all start with c (not empty).
func heldFromGroup(w []byte, secrets [][]byte, c []byte) (int, bool) {
	for i := max(len(w)-maxLen(secrets)+1, 0); i < len(w); i++ {
		j := bytes.IndexByte(w[i:], c[0])
		if j < 0 {
			break
		}
		i += j
		if n := min(len(c), len(w)-i); !bytes.Equal(w[i:i+n], c[:n]) {
			continue // not even the part every secret of the group starts with
		}
		for _, s := range secrets {
			if len(w)-i < len(s) && bytes.HasPrefix(s, w[i:]) {
				return i, true
			}
		}
	}
	return len(w), false
}

// common returns the longest prefix all secrets share (persona tokens share their JWT header).
func common(secrets [][]byte) []byte {
	if len(secrets) == 0 {
		return nil
	}
	c := secrets[0]
	for _, s := range secrets[1:] {
		n := 0
		for n < len(c) && n < len(s) && c[n] == s[n] {
			n++
		}
		c = c[:n]
	}
	return c
}

func setAll(b []bool) {
	for i := range b {
		b[i] = true
	}
}

func maxLen(secrets [][]byte) int {
	n := 0
	for _, s := range secrets {
		n = max(n, len(s))
	}
	return n
}

// maskRun is the shortest run of maskByte that maskConn can have written.
var maskRun = strings.Repeat(string(maskByte), minMasked)

// unmask shows what maskConn hid the way every other report line shows a secret: as redact.Mask.
// A run of asterisks a target really sent is shown so too; in a report that costs nothing.
func unmask(s string) string {
	i := strings.Index(s, maskRun)
	if i < 0 {
		return s
	}
	var b strings.Builder
	for i >= 0 {
		b.WriteString(s[:i])
		b.WriteString(redact.Mask)
		s = strings.TrimLeft(s[i:], string(maskByte))
		i = strings.Index(s, maskRun)
	}
	b.WriteString(s)
	return b.String()
}
