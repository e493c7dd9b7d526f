package exchange

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// DryRunID is the id a dry run's synthetic "create" answers with; it shows up in the recorded URLs.
const DryRunID = "dry-run-partner"

// Recorder answers every request synthetically and records it: a client in dry-run mode (see
// Client.DryRun) sends nothing over any network, so a user can see what a run against a real
// endpoint would send before allowing it to change state.
//
// Answers: a POST to one of Collections is 201 {"id":"dry-run-partner"} (so cases that create
// their own entity go on to the action), anything else is 204 with no body. A request whose path
// still holds a template placeholder ("{user-id}") is recorded but fails: a real run would send it
// unfilled, and the dry run must say so rather than answer it as if it were right.
type Recorder struct {
	// Collections are the URLs (base URL + collection path) where a POST creates an entity.
	Collections []string
	// Who names the caller of a request from its headers, e.g. the persona whose token it carries.
	// It must not return the credential itself. nil records "".
	Who func(http.Header) string

	mu  sync.Mutex
	log []Recorded
}

// Recorded is one request a dry run would have sent.
type Recorded struct {
	Method string
	URL    string
	Who    string
	// Raw is true for requests sent over a raw connection (DoWire) in a real run.
	Raw bool
	// Unfilled is the first template placeholder left in the path (e.g. "{user-id}"), "" if none.
	Unfilled string
}

// DryRun switches the client to recording: Do and DoWire answer from rec and never dial.
func (c *Client) DryRun(rec *Recorder) {
	c.HTTP = &http.Client{Transport: rec, Timeout: c.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	c.dryRun = rec
}

// Requests returns what was recorded so far, in order.
func (r *Recorder) Requests() []Recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Recorded(nil), r.log...)
}

// record logs a request and returns an error when its path still holds a placeholder.
func (r *Recorder) record(method string, u *url.URL, h http.Header, raw bool) error {
	who := ""
	if r.Who != nil {
		who = r.Who(h)
	}
	ph := unfilled(u)
	r.mu.Lock()
	r.log = append(r.log, Recorded{Method: method, URL: u.String(), Who: who, Raw: raw, Unfilled: ph})
	r.mu.Unlock()
	if ph != "" {
		return fmt.Errorf("dry run: the path still holds the template placeholder %s, which a real run would send as is", ph)
	}
	return nil
}

// unfilled is the first literal {placeholder} in the URL's path. Only the unescaped form counts: a
// key is escaped into its segment (contract.Operation.Expand), so a key that happens to read "{x}"
// arrives as %7Bx%7D, and a URL keeps literal braces in RawPath only.
func unfilled(u *url.URL) string {
	return placeholder.FindString(u.RawPath)
}

var placeholder = regexp.MustCompile(`\{[^{}/]+\}`)

func (r *Recorder) answer(method, url string) (int, []byte) {
	if method == http.MethodPost {
		for _, c := range r.Collections {
			if strings.TrimRight(url, "/") == strings.TrimRight(c, "/") {
				return http.StatusCreated, []byte(`{"id":"` + DryRunID + `"}`)
			}
		}
	}
	return http.StatusNoContent, nil
}

// RoundTrip implements http.RoundTripper for Client.Do.
func (r *Recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
	}
	if err := r.record(req.Method, req.URL, req.Header, false); err != nil {
		return nil, err
	}
	status, body := r.answer(req.Method, req.URL.String())
	h := http.Header{}
	if body != nil {
		h.Set("Content-Type", "application/json")
	}
	return &http.Response{Status: strconv.Itoa(status) + " " + http.StatusText(status), StatusCode: status,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Header: h, ContentLength: int64(len(body)),
		Body: io.NopCloser(bytes.NewReader(body)), Request: req}, nil
}

// wire is DoWire's dry-run answer.
func (r *Recorder) wire(req Request) (*Wire, error) {
	u, err := url.Parse(req.URL)
	if err != nil { // DoWire checked it already
		return nil, err
	}
	if err := r.record(req.Method, u, req.Header, true); err != nil {
		return nil, err
	}
	status, body := r.answer(req.Method, req.URL)
	w := &Wire{StatusLine: "HTTP/1.1 " + strconv.Itoa(status) + " " + http.StatusText(status), Status: status,
		Header: http.Header{}, Trailing: body}
	if body != nil {
		w.HeaderLines = []string{"Content-Type: application/json", "Content-Length: " + strconv.Itoa(len(body))}
		w.Header.Set("Content-Type", "application/json")
		w.Header.Set("Content-Length", strconv.Itoa(len(body)))
	}
	return w, nil
}
