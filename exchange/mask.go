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
// What is masked is what the redactor masks in text (package redact): every run of minMasked or
// more bytes of any form of any secret it knows, the credentials the suite derives from a token
// included, and one read at a time. A secret may arrive split across reads: a run already long
// enough is masked at once, and a tail too short to be recognised that could begin a secret is
// held back until the next read decides. If nothing more comes within flushAfter the tail is
// released (an answer may legitimately end in "e", the first byte of every JWT): it reveals
// nothing. The released bytes stay as context, so the rest of a secret arriving later, after any
// pause, and a secret split by chunked framing, are recognised and masked too.
type maskConn struct {
	net.Conn
	secrets func() *redact.Index
	// window is the context (released bytes, at most keep of them) followed by pending bytes, as
	// received: a secret's continuation is recognised against the original bytes.
	window []byte
	// hide marks the bytes of window that are handed out as maskByte.
	hide     []bool
	released int // window[:released] is context, already handed out
	ready    int // window[released:ready] may be handed out; window[ready:] is held back
	err      error
	scratch  []byte
	// head collects the start of an answer (sniffing: a request was written).
	head     []byte
	sniffing atomic.Bool
	retired  atomic.Bool
}

// flushAfter is how long a possible secret prefix is held back waiting for the rest of it.
const flushAfter = 50 * time.Millisecond

// minMasked is the shortest run of a secret that is masked on its own: shorter ones ("e", "eyJ")
// occur in ordinary answers and reveal nothing.
const minMasked = redact.MinSecret

// maskByte replaces secret bytes.
const maskByte = '*'

// keep is how much released context is kept: enough for a secret's run that began in it to be
// recognised when it goes on (16 bytes of hex, in escapes of up to 16 bytes each).
const keep = 256

func newMaskConn(c net.Conn, secrets func() *redact.Index) *maskConn {
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
	held := m.secrets().Scan(m.window, m.released, func(start, end int) { setAll(m.hide[start:end]) })
	switch {
	case err != nil:
		m.ready, m.err = len(m.window), err
	case waited && n == 0:
		// Nothing more came: the held tail ends an answer, and is too short to reveal anything.
		// Unless it is a secret's first bytes and then an unfinished escape: the rest of that
		// escape, when it comes, is not masked (it would no longer be an escape), and would be
		// one byte too many.
		if tail := m.window[m.ready:]; redact.PartialEscape(tail) > 0 && redact.PartialEscape(tail) < len(tail) {
			setAll(m.hide[m.ready:])
		}
		m.ready = len(m.window)
	default:
		m.ready = max(held, m.released)
	}
}

// trim drops context beyond what a secret spanning it could still need.
func (m *maskConn) trim() {
	if drop := m.released - keep; drop > 0 {
		m.window = append(m.window[:0], m.window[drop:]...)
		m.hide = append(m.hide[:0], m.hide[drop:]...)
		m.released -= drop
		m.ready -= drop
	}
}

func setAll(b []bool) {
	for i := range b {
		b[i] = true
	}
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
