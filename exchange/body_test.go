package exchange

import (
	"bytes"
	"io"
	"log"
	"net"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/graphconform/graphconform/reliability/faults"
)

// allocated runs f and returns the bytes allocated meanwhile (by every goroutine: the server's
// side writes from one reused buffer, so this is the client's cost).
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestHugeErrorBody: a 32 MiB error body is counted, kept to MaxBody, truncated in the record, and
// costs the client a bounded amount of memory. Not parallel: the heap figure must be ours alone.
func TestHugeErrorBody(t *testing.T) {
	const size = 32 << 20
	srv := faults.Flood(t, "500 Internal Server Error", size)
	c := client(hang, nil) // the timeout only turns a hang into a failure: -race reads slowly
	var resp *Response
	var err error
	alloc := allocated(func() { resp, err = c.Do(t.Context(), post(srv.URL)) })
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != 500 || resp.BodyBytes != size || len(resp.Body) != c.MaxBody || !resp.Truncated {
		t.Fatalf("%v: status %d, %d bytes counted, %d kept, truncated %v", err, resp.Status, resp.BodyBytes, len(resp.Body), resp.Truncated)
	}
	if alloc > 4<<20 {
		t.Errorf("reading a %d MiB body allocated %.1f MiB", size>>20, float64(alloc)/(1<<20))
	}
	t.Logf("%d MiB error body: %.2f MiB allocated, %d bytes kept (MaxBody)", size>>20, float64(alloc)/(1<<20), len(resp.Body))
	rec := c.Record(post(srv.URL), resp, err)
	if len(rec.Body) > 2200 || !strings.HasSuffix(rec.Body, "(33554432 bytes in all)") {
		t.Errorf("recorded body: %d bytes, ends %q", len(rec.Body), rec.Body[max(0, len(rec.Body)-40):])
	}
	var w *Wire
	alloc = allocated(func() { w, err = c.DoWire(t.Context(), post(srv.URL)) })
	if err != nil || w.Status != 500 || len(w.Trailing) > wireLimit {
		t.Fatalf("wire: %v %+v", err, w)
	}
	if alloc > 4<<20 {
		t.Errorf("raw read of a %d MiB body allocated %.1f MiB", size>>20, float64(alloc)/(1<<20))
	}
	t.Logf("raw path: %.2f MiB allocated, %d bytes kept", float64(alloc)/(1<<20), len(w.Trailing))
}

// TestEndlessBody: a body that never ends is cut by the timeout, in bounded memory.
func TestEndlessBody(t *testing.T) {
	const timeout = 500 * time.Millisecond
	srv := faults.Flood(t, "200 OK", 1<<40)
	c := client(timeout, nil)
	var err error
	alloc := allocated(func() {
		noHang(t, func() { _, err = c.Do(t.Context(), post(srv.URL)) })
	})
	wantErr(t, err, "(timeout)")
	if alloc > 4<<20 {
		t.Errorf("an endless body allocated %.1f MiB", float64(alloc)/(1<<20))
	}
	t.Logf("endless body: %.2f MiB allocated", float64(alloc)/(1<<20))
}

// TestHugeHeaders: a 2 MiB header block is refused on both paths, with the limit named.
func TestHugeHeaders(t *testing.T) {
	t.Parallel()
	big := "HTTP/1.1 200 OK\r\nX-Big: " + strings.Repeat("a", 2<<20) + "\r\n\r\n"
	srv := faults.Raw(t, func(c net.Conn) { faults.ReadHead(c); io.WriteString(c, big) })
	c := client(5*time.Second, nil)
	noHang(t, func() {
		_, err := c.Do(t.Context(), post(srv.URL))
		wantErr(t, err, "headers exceeded")
		_, err = c.DoWire(t.Context(), post(srv.URL))
		wantErr(t, err, "not an HTTP/1.1 response", "no end of the header block within 1 MiB")
	})
}

// TestStrayBytesAreNotLogged: bytes a target sends after a 204 must not reach net/http's logger
// (which writes them, unredacted, to the process's stderr). Not parallel: it swaps log's output.
func TestStrayBytesAreNotLogged(t *testing.T) {
	logged := &syncBuffer{}
	prev := log.Writer()
	log.SetOutput(logged)
	defer log.SetOutput(prev)
	srv := faults.Answer(t, "HTTP/1.1 204 No Content\r\n\r\n{\"echo\":\"Bearer "+secret+"\"}")
	c := client(3*time.Second, nil)
	for i := 0; i < 3; i++ {
		if resp, err := c.Do(t.Context(), post(srv.URL)); err != nil || resp.Status != 204 {
			t.Fatalf("%v %+v", err, resp)
		}
	}
	time.Sleep(100 * time.Millisecond) // the transport's read loop logs asynchronously
	c.HTTP.CloseIdleConnections()
	if strings.Contains(logged.String(), secret) {
		t.Errorf("net/http logged the token a target echoed after a 204: %q", logged.String())
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
