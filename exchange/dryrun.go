package exchange

import (
	"bytes"
	"io"
	"net/http"
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
// their own entity go on to the action), anything else is 204 with no body.
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

func (r *Recorder) record(method, url string, h http.Header, raw bool) {
	who := ""
	if r.Who != nil {
		who = r.Who(h)
	}
	r.mu.Lock()
	r.log = append(r.log, Recorded{Method: method, URL: url, Who: who, Raw: raw})
	r.mu.Unlock()
}

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
	r.record(req.Method, req.URL.String(), req.Header, false)
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
func (r *Recorder) wire(req Request) *Wire {
	r.record(req.Method, req.URL, req.Header, true)
	status, body := r.answer(req.Method, req.URL)
	w := &Wire{StatusLine: "HTTP/1.1 " + strconv.Itoa(status) + " " + http.StatusText(status), Status: status,
		Header: http.Header{}, Trailing: body}
	if body != nil {
		w.HeaderLines = []string{"Content-Type: application/json", "Content-Length: " + strconv.Itoa(len(body))}
		w.Header.Set("Content-Type", "application/json")
		w.Header.Set("Content-Length", strconv.Itoa(len(body)))
	}
	return w
}
