package runner

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/graphconform/graphconform/fixtures/mock"
)

// envInterruptChild makes TestInterruptChild run: it is the child of TestInterruptCancelsRequests.
const envInterruptChild = "GRAPHCONFORM_RUNNER_INTERRUPT_CHILD"

// openHolder is a target that, after the first 12 requests, holds every request but the clean-up
// DELETEs until the request's own context ends (nothing else ends it: target.timeout is 10
// minutes), and counts the requests it holds and those still open.
type openHolder struct {
	next    http.Handler
	mu      sync.Mutex
	n       int
	held    int
	open    int
	reached chan struct{}
}

func (h *openHolder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	h.n++
	hold := h.n > 12 && r.Method != http.MethodDelete
	if hold {
		h.held++
		h.open++
		if h.held == 1 {
			close(h.reached)
		}
	}
	h.mu.Unlock()
	if !hold {
		h.next.ServeHTTP(w, r)
		return
	}
	// The server notices a closed connection (and ends the request's context) only once it has
	// read the request's body.
	_, _ = io.Copy(io.Discard, r.Body)
	<-r.Context().Done() // the client cancelled the request (or closed its connection)
	h.mu.Lock()
	h.open--
	h.mu.Unlock()
}

func (h *openHolder) counts() (held, open int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.held, h.open
}

// An interrupt cancels the requests in flight. The run is in this process (a child: Ginkgo runs
// one suite per process), so the target in the same process sees each held request end while the
// run's process is still alive: only the run's own cancellation can end them, not the kernel
// closing its sockets at exit. Every held request ends, the run returns 3 (INCOMPLETE) with
// reports saying so, and no request is open when it has returned.
func TestInterruptCancelsRequests(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, concurrency string }{{"default concurrency", ""}, {"one case at a time", "1"}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute) // a hang fails, never blocks
			defer cancel()
			cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestInterruptChild$", "-test.v")
			cmd.Env = append(childEnv(), envInterruptChild+"="+tc.concurrency)
			cmd.Env = withoutChildMarker(cmd.Env)
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Run(); err != nil || !bytes.Contains(out.Bytes(), []byte("--- PASS: TestInterruptChild")) {
				t.Fatalf("child: %v\n%s", err, out.String())
			}
		})
	}
}

// withoutChildMarker drops envChild: the child here is the test binary running one test, not the
// graphconform command.
func withoutChildMarker(env []string) []string {
	out := env[:0:0]
	for _, kv := range env {
		if kv != envChild+"=1" {
			out = append(out, kv)
		}
	}
	return out
}

// TestInterruptChild is the child side of TestInterruptCancelsRequests; it does nothing unless
// started by it.
func TestInterruptChild(t *testing.T) {
	concurrency, ok := os.LookupEnv(envInterruptChild)
	if !ok {
		t.Skip("the child of TestInterruptCancelsRequests")
	}
	m, err := mock.New(mock.Options{})
	if err != nil {
		t.Fatal(err)
	}
	h := &openHolder{next: m, reached: make(chan struct{})}
	srv, err := mock.Start(h)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	dir := filepath.Join(t.TempDir(), "reports")
	args := []string{"run", "--config", targetConfig(t, srv.URL, "  timeout: 10m\n"), "--report-dir", dir}
	if concurrency != "" {
		args = append(args, "--concurrency", concurrency)
	}
	go func() {
		select {
		case <-h.reached:
			// Let more cases reach the target: at the default concurrency several are held at once.
			time.Sleep(500 * time.Millisecond)
			_ = syscall.Kill(os.Getpid(), syscall.SIGINT)
		case <-time.After(2 * time.Minute):
			_ = syscall.Kill(os.Getpid(), syscall.SIGINT) // the run never held a request: fails below
		}
	}()
	r := inProcess(args...)
	held, open := h.counts()
	if held == 0 {
		t.Fatalf("the run never reached a held request:\n%s", r)
	}
	// The target sees a cancelled request when its connection closes, a moment after the client
	// gave up: wait for that, within a deadline that only a hang reaches.
	for deadline := time.Now().Add(30 * time.Second); open > 0 && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
		held, open = h.counts()
	}
	if open > 0 {
		t.Errorf("%d of %d held requests still open 30 s after the run returned", open, held)
	}
	if concurrency == "" && held < 2 {
		t.Errorf("at the default concurrency only %d request was in flight when interrupted", held)
	}
	t.Logf("%d held requests, all cancelled; the run returned %d", held, r.code)
	assertIncomplete(t, r, dir, "interrupted (SIGINT or SIGTERM)")
}
