package exchange

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/graphconform/graphconform/printable"
	"github.com/graphconform/graphconform/redact"
	"github.com/graphconform/graphconform/verdict"
)

// Wire is a response as it came on the wire, before any client library interpreted it. Go's HTTP
// client drops the body of a 204 and hides framing headers, so "no content" can only be judged here.
// It is the final answer: 1xx answers before it are interim (RFC 9110 §15.2) and listed in Interim.
type Wire struct {
	StatusLine string
	Status     int
	// HeaderLines are the header lines exactly as received.
	HeaderLines []string
	Header      http.Header
	// Interim are the 1xx answers that came first (101 Switching Protocols excepted: it is final).
	Interim []Head
	// Trailing are the bytes received after the final header block, at most wireLimit of them.
	Trailing []byte
	// TrailingCut: the read stopped at wireLimit bytes; more may have followed.
	TrailingCut bool
	// StillOpen is how long the connection stayed open after the final header block, when the
	// target had not closed it by the end of the read window (see readWire); 0 when it closed.
	StillOpen time.Duration
}

// Head is the status line and header lines of an interim (1xx) answer.
type Head struct {
	StatusLine  string
	Status      int
	HeaderLines []string
}

// MaxHeaderBytes bounds the header block of an answer on both paths: Go's transport
// (http.Transport.MaxResponseHeaderBytes) and the raw-wire reader (interim answers included).
// A larger one is an error; what a report keeps of a smaller one is bounded by headerExcerpt.
const MaxHeaderBytes = 1 << 20

// wireLimit bounds what a raw read keeps after the final header block; a conforming 204 has none.
const wireLimit = 64 << 10

// max1xx bounds the interim answers before the final one, as net/http does.
const max1xx = 5

// DoWire sends the request over a fresh HTTP/1.1 connection with "Connection: close" and returns the
// raw response. The URL's scheme picks plain TCP or TLS (ALPN http/1.1).
func (c *Client) DoWire(ctx context.Context, r Request) (*Wire, error) {
	var w *Wire
	_, err := c.retrying(ctx, r, func() (int, http.Header, error) {
		var err error
		if w, err = c.wireOnce(ctx, r); err != nil {
			return 0, nil, err
		}
		return w.Status, w.Header, nil
	})
	if err != nil {
		return nil, err
	}
	return w, nil
}

func (c *Client) wireOnce(ctx context.Context, r Request) (*Wire, error) {
	u, err := url.Parse(r.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("cannot send %s %s: not an http(s) URL", r.Method, c.Redactor.String(r.URL))
	}
	if c.dryRun != nil {
		return c.dryRun.wire(r)
	}
	dialCtx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	conn, err := c.dial(dialCtx, u)
	if err != nil {
		return nil, c.describe(r, err)
	}
	defer conn.Close()
	// The run's own end (an interrupt) ends the read at once, whatever the deadlines.
	defer context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Now()) })()
	deadline, _ := dialCtx.Deadline()
	_ = conn.SetDeadline(deadline)
	if _, err := conn.Write(rawRequest(u, r)); err != nil {
		return nil, c.describe(r, err)
	}
	w, err := readWire(ctx, conn, c.Timeout)
	if ctx.Err() != nil {
		return nil, c.describe(r, ctx.Err())
	}
	var bad notHTTP
	if errors.As(err, &bad) {
		msg := bad.Error()
		var line badLine
		if errors.As(bad.error, &line) {
			msg = line.Redacted(c.Redactor) // redact, then cut
		}
		return nil, fmt.Errorf("%s %s: the answer is not an HTTP/1.1 response: %s", r.Method, c.Redactor.String(r.URL),
			printable.Line(c.Redactor.String(msg)))
	}
	if err != nil {
		return nil, c.describe(r, err)
	}
	return w, nil
}

func (c *Client) dial(ctx context.Context, u *url.URL) (net.Conn, error) {
	host := u.Host
	if u.Port() == "" {
		if u.Scheme == "https" {
			host = net.JoinHostPort(u.Hostname(), "443")
		} else {
			host = net.JoinHostPort(u.Hostname(), "80")
		}
	}
	d := &net.Dialer{}
	if u.Scheme == "http" {
		return d.DialContext(ctx, "tcp", host)
	}
	return c.dialTLS(ctx, d, host)
}

// dialTLS opens a TLS connection speaking HTTP/1.1 (the suite judges HTTP/1.1 framing).
func (c *Client) dialTLS(ctx context.Context, d *net.Dialer, addr string) (net.Conn, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	cfg := &tls.Config{}
	if c.TLS != nil {
		cfg = c.TLS.Clone()
	}
	cfg.ServerName = host
	cfg.NextProtos = []string{"http/1.1"}
	td := &tls.Dialer{NetDialer: d, Config: cfg}
	return td.DialContext(ctx, "tcp", addr)
}

func rawRequest(u *url.URL, r Request) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: %s\r\n", r.Method, u.RequestURI(), u.Host)
	for k, vs := range r.Header {
		for _, v := range vs {
			fmt.Fprintf(&b, "%s: %s\r\n", k, v)
		}
	}
	fmt.Fprintf(&b, "User-Agent: graphconform\r\nContent-Length: %d\r\nConnection: close\r\n\r\n", len(r.Body))
	b.Write(r.Body)
	return b.Bytes()
}

// notHTTP is an answer that does not parse as HTTP/1.1.
type notHTTP struct{ error }

var crlf2 = []byte("\r\n\r\n")

// readWire reads one answer: its header blocks until the final one (1xx answers are interim;
// at most max1xx of them, at most MaxHeaderBytes in all) by the deadline already set on conn, then
// what follows the final header block until the target closes the connection, which the request
// asked it to do ("Connection: close"; RFC 9112 §9.6).
//
// Bytes after the header block of a 204 are the defect DISC-002 looks for, and a target may send
// them late. So the read does not stop when the target pauses: it ends when the connection is
// closed, when wireLimit bytes came, when an answer that declares its Content-Length has sent
// that many, or when window has passed since the final header block. A target that keeps the
// connection open past the window is recorded as StillOpen: whatever it sends later cannot be
// seen, so it cannot count as "no content" (Wire.ContentProblems). Each read therefore ends
// within the request timeout plus window, and keeps at most MaxHeaderBytes + wireLimit bytes.
func readWire(ctx context.Context, conn net.Conn, window time.Duration) (*Wire, error) {
	var buf []byte
	chunk := make([]byte, 32<<10)
	var w *Wire
	end, want := 0, -1 // end of the final header block; content its Content-Length declares
	start, scan, interim := 0, 0, 0
	var opened time.Time
	for {
		for w == nil {
			i := bytes.Index(buf[scan:], crlf2)
			if i < 0 {
				scan = max(start, len(buf)-3)
				break
			}
			e := scan + i + 4
			if code, err := statusCode(buf[start:e]); err == nil && interimStatus(code) {
				if interim++; interim > max1xx {
					return nil, notHTTP{fmt.Errorf("more than %d interim (1xx) answers before a final one", max1xx)}
				}
				start, scan = e, e
				continue
			}
			parsed, err := parseWire(buf[:e])
			if err != nil {
				return nil, notHTTP{err}
			}
			w, end, want = parsed, e, declared(parsed)
			if ctx.Err() != nil {
				return nil, ctx.Err() // the deadline below would undo the interrupt's
			}
			opened = time.Now()
			_ = conn.SetReadDeadline(opened.Add(window))
		}
		if w == nil && len(buf) > MaxHeaderBytes {
			return nil, notHTTP{fmt.Errorf("no end of the header block within %d MiB, the limit for response headers", MaxHeaderBytes>>20)}
		}
		if w != nil {
			n := len(buf) - end
			if n >= wireLimit || (want >= 0 && n >= want) {
				w.Trailing, w.TrailingCut = bytes.Clone(buf[end:min(len(buf), end+wireLimit)]), n >= wireLimit
				return w, nil
			}
		}
		n, err := conn.Read(chunk)
		buf = append(buf, chunk[:n]...)
		if err == nil {
			continue
		}
		switch {
		case w != nil && isTimeout(err):
			w.StillOpen = time.Since(opened).Round(time.Millisecond)
			fallthrough
		case w != nil: // closed, or reset after a complete answer: judge what came
			w.Trailing = bytes.Clone(buf[end:]) // not the header block's buffer: it may be 1 MiB
			return w, nil
		case errors.Is(err, io.EOF) && interim > 0 && start == len(buf):
			return nil, notHTTP{fmt.Errorf("the connection closed after %d interim (1xx) answer(s), before a final one", interim)}
		case errors.Is(err, io.EOF):
			return nil, notHTTP{fmt.Errorf("no complete header block in %d bytes", len(buf)-start)}
		}
		return nil, err
	}
}

// interimStatus: an answer with this status is interim, and the final one follows (RFC 9110 §15.2);
// 101 Switching Protocols is final: HTTP/1.1 ends on the connection.
func interimStatus(code int) bool {
	return code >= 100 && code <= 199 && code != http.StatusSwitchingProtocols
}

// statusCode is the status code of a header block's status line.
func statusCode(head []byte) (int, error) {
	line, _, _ := bytes.Cut(head, []byte("\r\n"))
	return parseStatus(string(line))
}

// parseStatus parses "HTTP/1.x NNN reason".
func parseStatus(line string) (int, error) {
	proto, code, ok := strings.Cut(line, " ")
	if !ok || !strings.HasPrefix(proto, "HTTP/1.") {
		return 0, badLine{"bad status line", line}
	}
	code, _, _ = strings.Cut(code, " ")
	if n, _ := strconv.Atoi(code); n >= 100 && n <= 999 {
		return n, nil
	}
	return 0, badLine{"bad status code in", line}
}

// badLine is a line of an answer that does not parse. It keeps the line whole (a header block is
// at most MaxHeaderBytes) so that what prints it redacts the line first and cuts it after (issue
// 11, item 14): cut first, a secret straddling the cut loses the part a redactor knows it by.
type badLine struct{ what, line string }

// Error is the message with credential-shaped text masked; Redacted masks known secrets too.
func (e badLine) Error() string { return e.Redacted(nil) }

// Redacted is the message with the line redacted by red (nil: credential shapes only), then cut.
func (e badLine) Redacted(red *redact.Redactor) string {
	return fmt.Sprintf("%s %q", e.what, Excerpt(red.String(e.line), 80))
}

// declared is the content length an answer that may have content declares, or -1: a bodyless
// answer (204, 304) has none to wait for, and any byte after it is the defect.
func declared(w *Wire) int {
	cl := w.Header.Values("Content-Length")
	if w.Status == http.StatusNoContent || w.Status == http.StatusNotModified || len(cl) != 1 || len(w.Header.Values("Transfer-Encoding")) > 0 {
		return -1
	}
	n, err := strconv.Atoi(strings.TrimSpace(cl[0]))
	if err != nil || n < 0 {
		return -1
	}
	return n
}

// parseWire parses an answer: interim (1xx) header blocks, the final one, the bytes after it.
func parseWire(raw []byte) (*Wire, error) {
	var interim []Head
	for {
		head, rest, ok := bytes.Cut(raw, crlf2)
		if !ok {
			return nil, fmt.Errorf("no complete header block in %d bytes", len(raw))
		}
		h, hdr, err := parseHead(head)
		if err != nil {
			return nil, err
		}
		if interimStatus(h.Status) {
			if len(interim) == max1xx {
				return nil, fmt.Errorf("more than %d interim (1xx) answers before a final one", max1xx)
			}
			interim, raw = append(interim, h), rest
			continue
		}
		return &Wire{StatusLine: h.StatusLine, Status: h.Status, HeaderLines: h.HeaderLines, Header: hdr,
			Interim: interim, Trailing: rest}, nil
	}
}

// parseHead parses one header block (without its blank line).
func parseHead(head []byte) (Head, http.Header, error) {
	lines := strings.Split(string(head), "\r\n")
	h := Head{StatusLine: lines[0]}
	var err error
	if h.Status, err = parseStatus(lines[0]); err != nil {
		return Head{}, nil, err
	}
	hdr := http.Header{}
	for _, l := range lines[1:] {
		k, v, ok := strings.Cut(l, ":")
		if !ok {
			return Head{}, nil, badLine{"bad header line", l}
		}
		h.HeaderLines = append(h.HeaderLines, l)
		hdr.Add(textproto.CanonicalMIMEHeaderKey(strings.TrimSpace(k)), strings.TrimSpace(v))
	}
	return h, hdr, nil
}

// ContentProblems lists what makes an answer carry content, or keeps it from being ruled out: a
// Transfer-Encoding, a Content-Length other than 0, bytes after the header block, a connection the
// target kept open past the read window although the request said "Connection: close". A 204 must
// have none (check.NoContent judges it; maskConn retires the connection of a 204 or 304 that has
// any).
func (w *Wire) ContentProblems() []string {
	var problems []string
	if te := w.Header.Values("Transfer-Encoding"); len(te) > 0 {
		problems = append(problems, fmt.Sprintf("a Transfer-Encoding header (%q)", strings.Join(te, ", ")))
	}
	for _, cl := range w.Header.Values("Content-Length") {
		if strings.TrimSpace(cl) != "0" {
			problems = append(problems, fmt.Sprintf("Content-Length: %s", cl))
		}
	}
	if n := len(w.Trailing); n > 0 {
		more := ""
		if w.TrailingCut {
			more = "at least "
		}
		problems = append(problems, fmt.Sprintf("%s%d body byte(s) after the header block (%q)", more, n, Excerpt(string(w.Trailing), 60)))
	}
	if w.StillOpen > 0 {
		problems = append(problems, fmt.Sprintf("an open end: the connection was still open %s after the header block although the "+
			"request said Connection: close (RFC 9112 §9.6), so content sent later cannot be ruled out", w.StillOpen))
	}
	return problems
}

// RecordWire turns a raw exchange into its redacted report form, bounded like Record: the interim
// answers' and the final answer's header blocks share one header excerpt.
func (c *Client) RecordWire(r Request, w *Wire, err error) verdict.Exchange {
	ex := verdict.Exchange{Curl: Curl(r, c.Redactor)}
	if err != nil {
		ex.Error = printable.Line(c.Redactor.String(err.Error()))
	}
	if w == nil {
		return ex
	}
	ex.Status = w.Status
	h := c.headerExcerpt(func(s string) string { return s })
	for _, i := range w.Interim {
		h.line(i.StatusLine)
		for _, l := range i.HeaderLines {
			h.add(headerName(l), l)
		}
	}
	h.line(w.StatusLine)
	for _, l := range w.HeaderLines {
		h.add(headerName(l), l)
	}
	ex.Header = h.String()
	if w.StillOpen > 0 {
		ex.Header += fmt.Sprintf("\n(connection still open %s after the header block; the read stopped there)", w.StillOpen)
	}
	ex.BodyBytes = len(w.Trailing)
	ex.Body = bodyExcerpt(c.Redactor.Bytes(w.Trailing))
	if w.TrailingCut {
		ex.Body += fmt.Sprintf("\n… (at least %d bytes; the raw read stops there)", len(w.Trailing))
	}
	return ex
}

func headerName(line string) string {
	k, _, _ := strings.Cut(line, ":")
	return strings.TrimSpace(k)
}
