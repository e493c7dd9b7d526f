package conformance

import (
	"bytes"
	"io"
	"os"
	"sync"
	"time"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/formatter"
	"github.com/onsi/ginkgo/v2/types"
)

// RunTree runs the registered tree: ginkgo.RunSpecs with the console output batched (see
// progressWriter). graphconform run, the go test entry point (Run) and the benchmarks all run the
// suite through it.
func RunTree(t ginkgo.GinkgoTestingT, description string, args ...any) bool {
	out := newProgressWriter(formatter.ColorableStdOut, progressDelay)
	formatter.ColorableStdOut = out // Ginkgo's default reporter is built on it inside RunSpecs
	_, rc := ginkgo.GinkgoConfiguration()
	for _, a := range args {
		if c, ok := a.(types.ReporterConfig); ok {
			rc = c
		}
	}
	var st *status
	if !rc.Verbose && !rc.VeryVerbose {
		st = newStatus(out, terminal(os.Stdout))
	}
	live.Store(st) // ReportBeforeSuite begins it with the run's total (see Register)
	defer func() {
		st.end()
		live.Store(nil)
		_ = out.Flush()
		formatter.ColorableStdOut = out.w
	}()
	return ginkgo.RunSpecs(t, description, args...)
}

// progressDelay bounds how long a progress mark waits before a person sees it.
const progressDelay = 100 * time.Millisecond

// progressWriter batches the one-character progress marks Ginkgo writes per spec. Each was a write
// system call; to a pipe (every CI log) it also woke the reader: 20 % of a 1,000-spec run against a
// local target. Anything with a line break, which is every failure, summary and progress report,
// is written at once together with what waited before it; marks wait at most delay, or until 4 KiB
// have gathered.
type progressWriter struct {
	mu    sync.Mutex
	w     io.Writer
	buf   []byte
	delay time.Duration
	timer *time.Timer // pending flush, nil when buf is empty
	// status, when set, is the live line at a terminal: marks are dropped, and anything else
	// takes the line off first (the next redraw puts it back under it).
	status *status
}

func newProgressWriter(w io.Writer, delay time.Duration) *progressWriter {
	return &progressWriter{w: w, delay: delay}
}

func (p *progressWriter) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if st := p.status; st != nil {
		if bytes.IndexByte(b, '\n') < 0 && isMark(b) {
			return len(b), nil
		}
		if st.drawn {
			p.buf = append(p.buf, "\r\x1b[K"...)
			st.drawn = false
		}
	}
	p.buf = append(p.buf, b...)
	if bytes.IndexByte(b, '\n') >= 0 || len(p.buf) >= 4<<10 {
		return len(b), p.flushLocked()
	}
	if p.timer == nil {
		p.timer = time.AfterFunc(p.delay, func() { _ = p.Flush() })
	}
	return len(b), nil
}

// Flush writes what waits.
func (p *progressWriter) Flush() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.flushLocked()
}

func (p *progressWriter) flushLocked() error {
	if p.timer != nil {
		p.timer.Stop()
		p.timer = nil
	}
	if len(p.buf) == 0 {
		return nil
	}
	_, err := p.w.Write(p.buf)
	p.buf = p.buf[:0]
	return err
}
