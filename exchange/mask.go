package exchange

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
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
// pause, and a secret split by chunked framing, are recognised and masked too. The credential bytes
// glued to a secret's run are hidden with it (glue). Stray bytes on an idle connection also get the
// redactor's shape patterns (an unregistered JWT), judged whole once they stop coming (watchIdle).
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
	// sniffed follows the start of an answer (sniffing: a request was written).
	sniffed  sniffer
	sniffing atomic.Bool
	retired  atomic.Bool
	// bodyless: the last answer was a bodyless one that kept its connection (see sniff).
	bodyless bool
	// answerAt is where in window the latest answer begins (the first bytes read after a request,
	// answering: a request was written): its first byte is not glued to what the previous answer
	// ended with (see glue).
	answerAt  int
	answering atomic.Bool
	// idle: the transport put the connection back in its pool after an answer (watchIdle); what
	// comes before the next request is stray, and strayFrom is where in window it began (-1: none).
	idle      atomic.Bool
	strayFrom int
	// frame follows the answer being read, to tell where one framed by Content-Length ends.
	frame   framer
	headReq atomic.Bool // the request being answered is a HEAD
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
	return &maskConn{Conn: c, secrets: secrets, scratch: make([]byte, 4096), strayFrom: -1, frame: framer{state: frameUnknown}}
}

// watchIdle returns ctx with a trace that tells the request's maskConn when the transport puts it
// back in its pool (the answer read to its end): bytes after that, before the next request, are
// stray, the ones net/http logs ("Unsolicited response received on idle HTTP channel").
func watchIdle(ctx context.Context) context.Context {
	var conn atomic.Pointer[maskConn]
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		GotConn: func(i httptrace.GotConnInfo) {
			if m, ok := i.Conn.(*maskConn); ok {
				conn.Store(m)
			}
		},
		PutIdleConn: func(err error) {
			if m := conn.Load(); m != nil && err == nil {
				m.idle.Store(true)
			}
		},
	})
}

// shapes is the redactor's string path for what no secret explains: credential-shaped text (a
// JWT, an Authorization or Bearer value), which stray bytes get on top of the stream mask.
var shapes = &redact.Redactor{}

// strayHold bounds the stray bytes held back to be judged whole: net/http logs at most its read
// buffer (4 KiB) of them.
const strayHold = 4 << 10

// errRetired refuses a request on a connection whose last answer was bodyless. The transport
// counts it as "nothing written" and retries the request on a new connection.
var errRetired = errors.New("connection retired after a bodyless answer")

// Write marks the start of an exchange: the next bytes read begin its answer.
func (m *maskConn) Write(p []byte) (int, error) {
	if m.retired.Load() {
		return 0, errRetired
	}
	if !m.answering.Load() { // the request's first bytes
		m.headReq.Store(bytes.HasPrefix(p, []byte("HEAD ")))
	}
	m.idle.Store(false)
	m.sniffing.Store(true)
	m.answering.Store(true)
	return m.Conn.Write(p)
}

// sniff follows the answer to the request just written up to its final header block, and retires
// the connection after a 204 or 304 (bodyless by definition) that could be followed by bytes: one
// that announces a body (Content-Length other than 0, Transfer-Encoding), has bytes after its
// header block or a malformed one, or whose header block is longer than headLimit (what it keeps
// to judge; retiring costs one new connection, and the bound holds however long the block). A
// retired connection ends right after that header block: net/http reads the whole answer, and the
// bytes after it (the classic "204 with a body") reach neither the next exchange, which would read
// a late part of them as its answer, nor net/http's idle-connection log. Retiring before the
// transport sees the answer leaves no window in which another request could take the connection.
// Interim (1xx) answers before the final one are skipped, as net/http skips them. A bodyless answer
// that announces nothing keeps its connection; bytes that come after it in a later read, before the
// next request is written, end the connection in place of reaching the log (fill). Bytes a target
// sends after any other answer arrive on an idle connection, which the transport logs and closes:
// they are held until they stop coming and then masked whole, known secrets and credential shapes
// alike (watchIdle, hideShapes).
//
// It returns how many bytes of b the stream keeps: all of them, or those up to the end of a
// retired connection's last header block.
func (m *maskConn) sniff(b []byte) int {
	s := &m.sniffed
	for i := 0; i < len(b); {
		n, ended := s.scan(b[i:])
		s.head = append(s.head, b[i:i+min(n, headLimit-len(s.head))]...)
		s.size += n
		i += n
		if s.status == 0 {
			if !ended && len(s.head) < headLimit && bytes.IndexByte(s.head, '\n') < 0 {
				return len(b) // the status line is still coming
			}
			line, _, _ := bytes.Cut(s.head, []byte("\n"))
			code, err := statusCode(bytes.TrimSuffix(line, []byte("\r")))
			if err != nil || !interimStatus(code) && code != http.StatusNoContent && code != http.StatusNotModified {
				m.stopSniffing() // an answer net/http reads to its end, or refuses
				return len(b)
			}
			s.status = code
		}
		switch {
		case !ended && s.size > MaxHeaderBytes:
			m.stopSniffing() // net/http refuses the answer and closes the connection
			return len(b)
		case !ended:
			return len(b) // the header block is still coming
		case interimStatus(s.status):
			if s.interim++; s.interim > max1xx {
				m.stopSniffing() // net/http refuses the answer
				return len(b)
			}
			s.head, s.size, s.status = s.head[:0], 0, 0
			continue
		}
		retire := i < len(b) || s.size > headLimit || !cleanHead(s.head)
		m.stopSniffing()
		if retire {
			m.retired.Store(true)
			return i
		}
		m.bodyless = true
		return len(b)
	}
	return len(b)
}

// cleanHead: a bodyless answer's whole header block announces no content and is well-formed, its
// lines ended as parseWire reads them (a bare line feed would end a line for net/http only).
func cleanHead(head []byte) bool {
	w, err := parseWire(head)
	return err == nil && len(w.ContentProblems()) == 0 && bytes.Count(head, []byte("\n")) == bytes.Count(head, []byte("\r\n"))
}

// sniffer is what sniff knows of the answer being read; only Read touches it.
type sniffer struct {
	head    []byte // the current header block's first bytes, at most headLimit of them
	size    int    // the current header block's length so far
	eol     int    // where the block's bytes so far end: 0 in a line, 1 after "\n", 2 after "\n\r"
	status  int    // the current block's status code, once known
	interim int    // interim answers so far
}

// scan reads b as the continuation of the current header block: how many of its bytes belong to
// the block, and whether the block ended there. It ends as net/http reads it: at an empty line, a
// line ending in "\n" or "\r\n".
func (s *sniffer) scan(b []byte) (int, bool) {
	for i := 0; ; {
		j := bytes.IndexByte(b[i:], '\n')
		if j < 0 {
			switch rest := b[i:]; {
			case len(rest) == 1 && rest[0] == '\r' && s.eol == 1:
				s.eol = 2
			case len(rest) > 0:
				s.eol = 0
			}
			return len(b), false
		}
		line := b[i : i+j]
		empty := s.eol == 1 && (len(line) == 0 || len(line) == 1 && line[0] == '\r') || s.eol == 2 && len(line) == 0
		i += j + 1
		if empty {
			s.eol = 0
			return i, true
		}
		s.eol = 1
	}
}

// headLimit bounds what sniff keeps of a header block; a bodyless answer's longer one retires its
// connection.
const headLimit = 16 << 10

func (m *maskConn) stopSniffing() {
	m.sniffed = sniffer{head: m.sniffed.head[:0]}
	m.sniffing.Store(false)
}

func (m *maskConn) Read(p []byte) (int, error) {
	for m.ready == m.released {
		if m.err != nil {
			return 0, m.err
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
	if m.released == len(m.window) && errors.Is(m.err, io.EOF) {
		// The end comes with the last bytes: the transport then knows the connection is over
		// before it pools it (it does not pool a connection that saw EOF while reading an
		// answer), so no request can take a retired or closed connection and fail with "server
		// closed idle connection".
		return n, m.err
	}
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
	if n > 0 && m.answering.Swap(false) {
		m.answerAt, m.strayFrom = len(m.window), -1
		m.frame.reset(m.headReq.Load())
	} else if n > 0 && m.strayFrom < 0 && m.idle.Load() {
		m.strayFrom = len(m.window)
	}
	switch {
	case n > 0 && m.sniffing.Load():
		m.bodyless = false
		if n = m.sniff(m.scratch[:n]); m.retired.Load() {
			err = io.EOF // the connection ends with the bodyless answer's header block
		}
	case n > 0 && m.bodyless:
		// Bytes after a bodyless answer, before the next request: stray, whatever the reads
		// that brought them. Not for net/http's idle-connection log: the connection ends.
		n, err = 0, io.EOF
		m.retired.Store(true)
	}
	if at := m.frame.feed(m.scratch[:n]); at >= 0 && m.strayFrom < 0 {
		m.strayFrom = len(m.window) + at // after the end of a Content-Length body
	}
	m.window = append(m.window, m.scratch[:n]...)
	old := len(m.hide)
	m.hide = slices.Grow(m.hide, n)[:old+n]
	clear(m.hide[old:])
	held := m.secrets().Scan(m.window, m.released, func(start, end int) {
		setAll(m.hide[start:end])
		m.glue(end)
	})
	if old > 0 && m.hide[old-1] {
		m.glue(old) // a run hidden in an earlier read goes on into this one
	}
	stray := m.strayFrom >= 0
	switch {
	case stray && (err != nil || waited && n == 0 || len(m.window)-m.strayFrom >= strayHold):
		// The stray bytes are judged whole, once they stop coming or fill the log's buffer: a
		// token that came in pieces is still a token.
		m.hideShapes(m.strayFrom)
		m.ready, m.err = len(m.window), err
	case stray:
		m.ready = max(m.released, min(held, m.strayFrom)) // the stray bytes wait until they stop coming
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

// glue hides the credential bytes (redact.Credential) from i, the end of a hidden run, up to the
// first other byte: a secret's run ends where the echo stops matching, and a token with its last
// characters changed goes on past it. The string path masks such a token whole (it is still
// JWT-shaped); a stream that hid only the run would hand out up to the whole changed end, in
// net/http's idle-connection log and in the record. A new answer's first byte is not glued to the
// previous answer's last one.
func (m *maskConn) glue(i int) {
	for ; i < len(m.window) && i != m.answerAt && redact.Credential(m.window[i]); i++ {
		m.hide[i] = true
	}
}

// hideShapes hides the credential-shaped text of window[from:] (shapes).
func (m *maskConn) hideShapes(from int) {
	for i, c := range shapes.Hide(m.window[from:]) {
		if c != m.window[from+i] {
			m.hide[from+i] = true
		}
	}
}

// trim drops context beyond what a secret spanning it could still need.
func (m *maskConn) trim() {
	if drop := m.released - keep; drop > 0 {
		m.window = append(m.window[:0], m.window[drop:]...)
		m.hide = append(m.hide[:0], m.hide[drop:]...)
		m.released -= drop
		m.ready -= drop
		m.answerAt -= drop
		if m.strayFrom >= 0 {
			m.strayFrom = max(0, m.strayFrom-drop)
		}
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
