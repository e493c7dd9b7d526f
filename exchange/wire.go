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

	"github.com/graphconform/graphconform/verdict"
)

// Wire is a response as it came on the wire, before any client library interpreted it. Go's HTTP
// client drops the body of a 204 and hides framing headers, so "no content" can only be judged here.
type Wire struct {
	StatusLine string
	Status     int
	// HeaderLines are the header lines exactly as received.
	HeaderLines []string
	Header      http.Header
	// Trailing are the bytes received after the header block (at most the read limit).
	Trailing []byte
}

// wireLimit bounds a raw read; a conforming 204 is a few hundred bytes.
const wireLimit = 64 << 10

// settle is how long to wait for stray bytes after the header block of a response whose server keeps
// the connection open although we asked it to close.
const settle = 300 * time.Millisecond

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
	ctx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	conn, err := c.dial(ctx, u)
	if err != nil {
		return nil, c.describe(r, err)
	}
	defer conn.Close()
	deadline, _ := ctx.Deadline()
	_ = conn.SetDeadline(deadline)
	if _, err := conn.Write(rawRequest(u, r)); err != nil {
		return nil, c.describe(r, err)
	}
	raw, err := readWire(conn, deadline)
	if err != nil {
		return nil, c.describe(r, err)
	}
	w, err := parseWire(raw)
	if err != nil {
		return nil, fmt.Errorf("%s %s: the answer is not an HTTP/1.1 response: %v", r.Method, c.Redactor.String(r.URL), err)
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

// readWire reads until the server closes, the limit is reached, the deadline passes, or (once the
// header block is in) no byte has come for the settle time. The settle window never extends past
// the deadline: a server trickling a byte at a time would otherwise keep it open for hours.
func readWire(conn net.Conn, deadline time.Time) ([]byte, error) {
	var buf []byte
	chunk := make([]byte, 4096)
	headerDone := false
	for len(buf) < wireLimit {
		if headerDone {
			d := time.Now().Add(settle)
			if !deadline.IsZero() && deadline.Before(d) {
				d = deadline
			}
			_ = conn.SetReadDeadline(d)
		}
		n, err := conn.Read(chunk)
		buf = append(buf, chunk[:n]...)
		if !headerDone && bytes.Contains(buf, []byte("\r\n\r\n")) {
			headerDone = true
		}
		if err != nil {
			if errors.Is(err, io.EOF) || (headerDone && isTimeout(err)) {
				return buf, nil
			}
			if headerDone && len(buf) > 0 { // reset after a complete header block: judge what came
				return buf, nil
			}
			return buf, err
		}
	}
	return buf, nil
}

func parseWire(raw []byte) (*Wire, error) {
	head, rest, ok := bytes.Cut(raw, []byte("\r\n\r\n"))
	if !ok {
		return nil, fmt.Errorf("no complete header block in %d bytes", len(raw))
	}
	lines := strings.Split(string(head), "\r\n")
	w := &Wire{StatusLine: lines[0], Header: http.Header{}, Trailing: rest}
	proto, code, ok := strings.Cut(lines[0], " ")
	if !ok || !strings.HasPrefix(proto, "HTTP/1.") {
		return nil, fmt.Errorf("bad status line %q", Excerpt(lines[0], 80))
	}
	code, _, _ = strings.Cut(code, " ")
	if w.Status, _ = strconv.Atoi(code); w.Status < 100 || w.Status > 999 {
		return nil, fmt.Errorf("bad status code in %q", Excerpt(lines[0], 80))
	}
	for _, l := range lines[1:] {
		k, v, ok := strings.Cut(l, ":")
		if !ok {
			return nil, fmt.Errorf("bad header line %q", Excerpt(l, 80))
		}
		w.HeaderLines = append(w.HeaderLines, l)
		w.Header.Add(textproto.CanonicalMIMEHeaderKey(strings.TrimSpace(k)), strings.TrimSpace(v))
	}
	return w, nil
}

// ContentProblems lists what makes an answer carry content: a Transfer-Encoding, a Content-Length
// other than 0, bytes after the header block. A 204 must have none (check.NoContent judges it;
// maskConn retires the connection of a 204 or 304 that has any).
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
		problems = append(problems, fmt.Sprintf("%d body byte(s) after the header block (%q)", n, Excerpt(string(w.Trailing), 60)))
	}
	return problems
}

// RecordWire turns a raw exchange into its redacted report form.
func (c *Client) RecordWire(r Request, w *Wire, err error) verdict.Exchange {
	ex := verdict.Exchange{Curl: Curl(r, c.Redactor)}
	if err != nil {
		ex.Error = c.Redactor.String(err.Error())
	}
	if w != nil {
		ex.Status = w.Status
		ex.Header = c.Redactor.String(w.StatusLine + "\n" + strings.Join(w.HeaderLines, "\n"))
		ex.BodyBytes = len(w.Trailing)
		ex.Body = Excerpt(c.Redactor.Bytes(w.Trailing), 2048)
	}
	return ex
}
