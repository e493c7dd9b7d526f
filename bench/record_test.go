package bench

import (
	"bytes"
	"context"
	"encoding/gob"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/graphconform/graphconform/exchange"
	"github.com/graphconform/graphconform/fixtures/mock"
	"github.com/graphconform/graphconform/fixtures/token"
	"github.com/graphconform/graphconform/graphgen"
	"github.com/graphconform/graphconform/persona"
	"github.com/graphconform/graphconform/plan"
)

// recorded is one request as the server received it, and the id it created, if it created one.
type recorded struct {
	Method, URI string
	Header      http.Header
	Body        []byte
	Created     string
}

// recorder wraps the mock and logs every request it serves, raw-wire ones (DoWire) included.
type recorder struct {
	next http.Handler
	mu   sync.Mutex
	log  []recorded
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(req.Body, mock.MaxBodyBytes))
	req.Body = io.NopCloser(bytes.NewReader(body))
	cw := &captureWriter{ResponseWriter: w}
	r.next.ServeHTTP(cw, req)
	rec := recorded{Method: req.Method, URI: req.URL.RequestURI(), Header: req.Header.Clone(), Body: body}
	if cw.status == http.StatusCreated {
		var e struct{ ID string }
		_ = json.Unmarshal(cw.body.Bytes(), &e)
		rec.Created = e.ID
	}
	r.mu.Lock()
	r.log = append(r.log, rec)
	r.mu.Unlock()
}

type captureWriter struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (c *captureWriter) WriteHeader(s int) { c.status = s; c.ResponseWriter.WriteHeader(s) }

func (c *captureWriter) Write(p []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	if c.body.Len() < 4096 {
		c.body.Write(p)
	}
	return c.ResponseWriter.Write(p)
}

// record runs every case of a generated description with n actions once, without Ginkgo, against a
// recording mock, and writes the requests it received to a file: what the floor replays.
func record(tb testing.TB, n int) (path string, requests int) {
	tb.Helper()
	ops, g, err := graphgen.Operations(n)
	if err != nil {
		tb.Fatal(err)
	}
	m, err := mock.New(mock.Options{EntitySets: g.MockSets()})
	if err != nil {
		tb.Fatal(err)
	}
	rec := &recorder{next: m}
	srv, err := mock.Start(rec)
	if err != nil {
		tb.Fatal(err)
	}
	defer srv.Close()
	personas, err := token.MintSet(persona.Fixture(), 2*time.Hour)
	if err != nil {
		tb.Fatal(err)
	}
	env := &plan.Env{BaseURL: srv.URL, Personas: personas, Client: exchange.New(exchange.Options{})}
	for _, c := range plan.Build(ops, personas) {
		c.Execute(context.Background(), env)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	path = tb.TempDir() + "/requests.gob"
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	if err := gob.NewEncoder(f).Encode(rec.log); err != nil {
		tb.Fatal(err)
	}
	return path, len(rec.log)
}

func readLog(path string) ([]recorded, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var log []recorded
	return log, gob.NewDecoder(f).Decode(&log)
}

// replay sends the recorded requests in order with a plain net/http client, mapping the ids the
// recording created to the ones this mock creates. closeEach opens a connection per request, as
// exchange.Client does (so that stray bytes after an answer cannot leak into the next one).
func replay(base string, log []recorded, closeEach bool) error {
	root := strings.TrimSuffix(base, "/v1.0")
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	defer client.CloseIdleConnections()
	ids := map[string]string{}
	for _, r := range log {
		segs := strings.Split(r.URI, "/")
		for i, s := range segs {
			if id, ok := ids[s]; ok {
				segs[i] = id
			}
		}
		req, err := http.NewRequest(r.Method, root+strings.Join(segs, "/"), bytes.NewReader(r.Body))
		if err != nil {
			return err
		}
		for k, v := range r.Header {
			if k != "Connection" && k != "Content-Length" && k != "Accept-Encoding" {
				req.Header[k] = v
			}
		}
		if len(r.Body) == 0 {
			req.Body, req.ContentLength = nil, 0
		}
		req.Close = closeEach
		resp, err := client.Do(req)
		if err != nil {
			return fmt.Errorf("%s %s: %w", r.Method, r.URI, err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		if r.Created != "" {
			var e struct{ ID string }
			if json.Unmarshal(body, &e); e.ID == "" {
				return fmt.Errorf("replayed create %s answered %d without an id", r.URI, resp.StatusCode)
			}
			ids[r.Created] = e.ID
		}
	}
	return nil
}
