// Package exchange sends the suite's HTTP requests and records what came back, redacted, as data the
// checks and reports read. It never follows redirects (a redirect is an answer to judge, and following
// one to another host would carry the Authorization header there) and bounds every read.
package exchange

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/graphconform/graphconform/printable"
	"github.com/graphconform/graphconform/redact"
	"github.com/graphconform/graphconform/verdict"
)

// Request is what a spec sends.
type Request struct {
	Method string
	URL    string
	Header http.Header
	Body   []byte
}

// Response is what came back. Body holds at most Client.MaxBody bytes; BodyBytes counts them all.
type Response struct {
	Status    int
	Proto     string
	Header    http.Header
	Body      []byte
	BodyBytes int
	Truncated bool
	// Retries counts 429/503 answers that were waited out before this one.
	Retries int
}

// Client sends requests. The zero value is not usable; use New.
type Client struct {
	HTTP     *http.Client
	TLS      *tls.Config
	Redactor *redact.Redactor
	// MaxBody bounds how much of a body is kept in memory; the rest is counted and discarded.
	MaxBody int
	// Timeout bounds one request, connection to last byte.
	Timeout time.Duration
	Retry   RetryPolicy
	// dryRun, when set (Client.DryRun), answers DoWire instead of the network.
	dryRun *Recorder
	// Observe, when set, hears after every answer whether it was a throttling one (429, 503): the
	// scheduler lowers its concurrency on it. Set it before the first request.
	Observe func(throttled bool)
	// throttle is the shared Retry-After pause, budget and rate cap (throttle.go).
	throttle throttle
}

// Options configure New.
type Options struct {
	Timeout  time.Duration
	TLS      *tls.Config
	Redactor *redact.Redactor
	MaxBody  int
	Retry    *RetryPolicy
}

// New returns a client with bounded timeouts and no redirect following.
func New(o Options) *Client {
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.MaxBody <= 0 {
		o.MaxBody = 64 << 10
	}
	if o.Redactor == nil {
		o.Redactor = redact.New()
	}
	retry := DefaultRetry
	if o.Retry != nil {
		retry = *o.Retry
	}
	c := &Client{TLS: o.TLS, Redactor: o.Redactor, MaxBody: o.MaxBody, Timeout: o.Timeout, Retry: retry}
	dialer := &net.Dialer{Timeout: o.Timeout, KeepAlive: 30 * time.Second}
	tr := &http.Transport{
		Proxy: http.ProxyFromEnvironment,
		// Connections are kept alive, so every byte a target sends passes maskConn first (see there).
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			conn, err := dialer.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return newMaskConn(conn, c.Redactor.SecretBytes), nil
		},
		DialTLSContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			conn, err := c.dialTLS(ctx, dialer, addr)
			if err != nil {
				return nil, err
			}
			return newMaskConn(conn, c.Redactor.SecretBytes), nil
		},
		TLSHandshakeTimeout:    o.Timeout,
		ResponseHeaderTimeout:  o.Timeout,
		MaxIdleConnsPerHost:    16,
		IdleConnTimeout:        30 * time.Second,
		MaxResponseHeaderBytes: MaxHeaderBytes,
	}
	c.HTTP = &http.Client{Transport: tr, Timeout: o.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return c
}

// Do sends the request, waiting out 429/503 answers that carry Retry-After within the retry policy.
func (c *Client) Do(ctx context.Context, r Request) (*Response, error) {
	var resp *Response
	retries, err := c.retrying(ctx, r, func() (int, http.Header, error) {
		var err error
		if resp, err = c.once(ctx, r); err != nil {
			return 0, nil, err
		}
		return resp.Status, resp.Header, nil
	})
	if err != nil {
		return nil, err
	}
	resp.Retries = retries
	return resp, nil
}

func (c *Client) once(ctx context.Context, r Request) (*Response, error) {
	var body io.Reader
	if r.Body != nil {
		body = bytes.NewReader(r.Body)
	}
	req, err := http.NewRequestWithContext(watchIdle(ctx), r.Method, r.URL, body)
	if err != nil {
		return nil, fmt.Errorf("cannot build %s %s: %v", r.Method, c.Redactor.String(r.URL), err)
	}
	for k, vs := range r.Header {
		req.Header[k] = append([]string(nil), vs...)
	}
	if r.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", "graphconform")
	}
	if c.viaTunnel(req) {
		// Through a CONNECT proxy the transport wraps TLS around our connection itself, so
		// maskConn would see only ciphertext: one connection per exchange instead.
		req.Close = true
	}
	hr, err := c.HTTP.Do(req)
	if err != nil {
		return nil, c.describe(r, err)
	}
	defer hr.Body.Close()
	out := &Response{Status: hr.StatusCode, Proto: hr.Proto, Header: hr.Header}
	out.Body, out.BodyBytes, err = readBounded(hr.Body, c.MaxBody)
	out.Truncated = out.BodyBytes > len(out.Body)
	if err != nil {
		return out, c.describe(r, fmt.Errorf("reading the body of a %d answer: %w", hr.StatusCode, err))
	}
	return out, nil
}

// viaTunnel reports whether req goes to an https target through a proxy.
func (c *Client) viaTunnel(req *http.Request) bool {
	if req.URL.Scheme != "https" {
		return false
	}
	tr, ok := c.HTTP.Transport.(*http.Transport)
	if !ok || tr.Proxy == nil {
		return false // a dry run's recorder, or no proxy configured
	}
	proxy, err := tr.Proxy(req)
	return err != nil || proxy != nil
}

// readBounded keeps the first max bytes and counts the rest.
func readBounded(r io.Reader, max int) ([]byte, int, error) {
	var buf bytes.Buffer
	n, err := io.CopyN(&buf, r, int64(max))
	if err != nil && !errors.Is(err, io.EOF) {
		return buf.Bytes(), int(n), err
	}
	rest, err := io.Copy(io.Discard, r)
	return buf.Bytes(), int(n + rest), err
}

// describe turns transport errors into one sentence a CI reader can act on. Its text may quote the
// target (a malformed header line, a certificate's names): it is made printable and one line.
func (c *Client) describe(r Request, err error) error {
	return errors.New(printable.Line(c.sentence(r, err)))
}

func (c *Client) sentence(r Request, err error) string {
	target := c.Redactor.String(r.URL)
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		err = urlErr.Err // its text repeats the method and URL this sentence starts with
	}
	var dnsErr *net.DNSError
	var opErr *net.OpError
	var certErr *tls.CertificateVerificationError
	switch {
	case errors.As(err, &dnsErr):
		return fmt.Sprintf("%s %s: cannot resolve host %q: %v", r.Method, target, dnsErr.Name, dnsErr.Err)
	case errors.As(err, &certErr):
		return fmt.Sprintf("%s %s: %s", r.Method, target, certProblem(certErr))
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		return fmt.Sprintf("%s %s: no complete answer within %s (timeout)", r.Method, target, c.Timeout)
	case errors.As(err, &opErr) && opErr.Op == "dial":
		return fmt.Sprintf("%s %s: cannot connect: %v", r.Method, target, opErr.Err)
	}
	return fmt.Sprintf("%s %s: %s", r.Method, target, c.Redactor.String(err.Error()))
}

// certProblem names the fix for a rejected server certificate: caFile only helps when the issuer is
// unknown; a certificate for another name or out of its validity period needs another remedy.
func certProblem(e *tls.CertificateVerificationError) string {
	var unknown x509.UnknownAuthorityError
	var host x509.HostnameError
	var invalid x509.CertificateInvalidError
	switch {
	case errors.As(e.Err, &unknown):
		return fmt.Sprintf("TLS certificate not trusted (%v); set target.caFile to the CA that signed it", e.Err)
	case errors.As(e.Err, &host) && host.Certificate != nil:
		names := append([]string(nil), host.Certificate.DNSNames...)
		for _, ip := range host.Certificate.IPAddresses {
			names = append(names, ip.String())
		}
		return fmt.Sprintf("TLS certificate is for %s, not %s; put a name the certificate holds in target.baseURL (caFile cannot fix this)",
			strings.Join(names, ", "), host.Host)
	case errors.As(e.Err, &invalid):
		return fmt.Sprintf("TLS certificate rejected (%v); the target needs a valid certificate (caFile cannot fix this)", e.Err)
	}
	return fmt.Sprintf("TLS certificate rejected (%v)", e.Err)
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// Record turns an exchange into its redacted report form, bounded: a body excerpt of 2 KiB, a
// header excerpt (headerExcerpt), every text the target chose made printable.
func (c *Client) Record(r Request, resp *Response, err error) verdict.Exchange {
	ex := verdict.Exchange{Curl: Curl(r, c.Redactor)}
	if err != nil {
		ex.Error = printable.Line(c.Redactor.String(err.Error()))
	}
	if resp != nil {
		ex.Status = resp.Status
		h := c.headerExcerpt(unmask)
		keys := make([]string, 0, len(resp.Header))
		for k := range resp.Header {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			for _, v := range resp.Header[k] {
				h.add(k, k+": "+v)
			}
		}
		ex.Header = h.String()
		ex.BodyBytes = resp.BodyBytes
		ex.Body = bodyExcerpt(unmask(c.Redactor.Bytes(resp.Body)))
		if resp.Truncated {
			ex.Body += fmt.Sprintf("\n… (%d bytes in all)", resp.BodyBytes)
		}
	}
	return ex
}

// Text is target text (a check's message quoting an answer) as a verdict keeps it: redacted,
// made printable, then cut to maxMessage bytes.
func (c *Client) Text(s string) string {
	return printableExcerpt(c.Redactor.String(s), maxMessage)
}

// maxMessage bounds a verdict's message (a check may quote every value of a repeated header).
const maxMessage = 8 << 10

// bodyExcerpt is the part of a (redacted) body a report keeps.
func bodyExcerpt(body string) string { return printableExcerpt(body, 2048) }

// printableExcerpt is s made printable (package printable), then cut to n bytes. Escaping only
// lengthens text, so only the first n bytes of s need it.
func printableExcerpt(s string, n int) string {
	return Excerpt(printable.String(Excerpt(s, n)), n)
}

// What a recorded header block keeps of an answer's headers. A target may send up to
// MaxHeaderBytes of them (15,000 Set-Cookie lines) with every answer, and every recorded exchange
// lives to the end of the run and is written to every report (1 GB of memory and a 139 MB
// ginkgo-report.json for 41 specs before this bound). The rest is counted, and the excerpt says so.
const (
	keptHeaderLines    = 64      // lines of one answer
	keptHeaderBytes    = 8 << 10 // bytes of one answer
	keptHeaderLineSize = 1 << 10 // bytes of one line
	keptSameName       = 8       // lines of one header name
)

// headerExcerpt collects a bounded, redacted, printable header block; see keptHeaderLines.
type headerExcerpt struct {
	red          func(string) string
	b            strings.Builder
	kept, lines  int // header lines kept, header lines seen
	bytes        int // bytes seen
	perName      map[string]int
	cut, started bool
}

// headerExcerpt starts an excerpt; after is applied to each line once it is redacted.
func (c *Client) headerExcerpt(after func(string) string) *headerExcerpt {
	return &headerExcerpt{red: func(s string) string { return after(c.Redactor.String(s)) }, perName: map[string]int{}}
}

// add counts one header line and keeps it if the bounds allow. The whole line is redacted before
// it is cut: a cut secret would no longer match the redactor.
func (h *headerExcerpt) add(name, line string) {
	h.lines++
	h.bytes += len(line) + 1
	name = strings.ToLower(name)
	if h.kept >= keptHeaderLines || h.b.Len() >= keptHeaderBytes || h.perName[name] >= keptSameName {
		h.cut = true
		return
	}
	h.perName[name]++
	h.kept++
	h.write(h.red(line))
}

// line writes a line that is not a header (a status line), within the same bounds.
func (h *headerExcerpt) line(s string) {
	if h.b.Len() < keptHeaderBytes {
		h.write(h.red(s))
	}
}

// write adds a line, cut to keptHeaderLineSize once printable (and one line).
func (h *headerExcerpt) write(s string) {
	if h.started {
		h.b.WriteByte('\n')
	}
	h.started = true
	e := printable.Line(Excerpt(s, keptHeaderLineSize))
	if len(s) > keptHeaderLineSize || len(e) > keptHeaderLineSize {
		e = Excerpt(e, keptHeaderLineSize)
		h.cut = true
	}
	h.b.WriteString(e)
}

// String is the excerpt, with a last line saying what was cut, if anything.
func (h *headerExcerpt) String() string {
	if !h.cut {
		return h.b.String()
	}
	return h.b.String() + fmt.Sprintf("\n(headers truncated: %d lines, %s; kept %d lines, %s)", h.lines, size(h.bytes), h.kept, size(h.b.Len()))
}

// size is a byte count for people.
func size(n int) string {
	if n < 10<<10 {
		return fmt.Sprintf("%d bytes", n)
	}
	return fmt.Sprintf("%d KiB", n>>10)
}

// Excerpt cuts s to at most n bytes on a rune boundary.
func Excerpt(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && (s[n]&0xC0) == 0x80 {
		n--
	}
	return s[:n] + " …"
}
