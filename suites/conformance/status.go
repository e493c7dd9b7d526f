package conformance

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/onsi/ginkgo/v2/types"
)

// status is the run's progress for a person: specs done of the total, failures so far and an
// estimate of the time left. At a terminal it is one line redrawn in place, and Ginkgo's mark per
// spec is dropped (the line says more); in CI (not a terminal, or CI=true) it is a line every
// ciEvery, between Ginkgo's batched marks. Nothing is printed per spec. Off with -v (a line per
// spec is what was asked for), in a dry run and on parallel processes (each knows its share only).
type status struct {
	w     *progressWriter
	tty   bool
	every time.Duration

	total, done, failed atomic.Int64
	start               time.Time
	stop                chan struct{}
	ended               sync.Once
	wg                  sync.WaitGroup
	drawn               bool // guarded by w.mu: the live line is on the terminal now
}

// Redraw and report intervals.
const (
	ttyEvery = 250 * time.Millisecond
	ciEvery  = 5 * time.Second
)

// live is the status of the run in this process (one RunSpecs per process); nil when off.
var live atomic.Pointer[status]

func newStatus(w *progressWriter, tty bool) *status {
	every := ciEvery
	if tty {
		every = ttyEvery
	}
	return &status{w: w, tty: tty, every: every, stop: make(chan struct{})}
}

// terminal tells whether f is a person's terminal: a character device, and not in CI.
func terminal(f *os.File) bool {
	if strings.EqualFold(os.Getenv("CI"), "true") {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// begin starts the status for a run of total specs (ReportBeforeSuite).
func (s *status) begin(total int, sc types.SuiteConfig) {
	if s == nil || sc.DryRun || sc.ParallelTotal > 1 || total == 0 {
		return
	}
	s.total.Store(int64(total))
	s.start = time.Now()
	if s.tty {
		s.w.mu.Lock()
		s.w.status = s
		s.w.mu.Unlock()
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		t := time.NewTicker(s.every)
		defer t.Stop()
		for {
			select {
			case <-s.stop:
				return
			case <-t.C:
				s.show()
			}
		}
	}()
}

// spec counts one spec's verdict.
func (s *status) spec(failed bool) {
	if s == nil {
		return
	}
	s.done.Add(1)
	if failed {
		s.failed.Add(1)
	}
}

// end stops the status and takes the live line off the terminal.
func (s *status) end() {
	if s == nil {
		return
	}
	s.ended.Do(func() { close(s.stop) })
	s.wg.Wait()
	s.w.mu.Lock()
	defer s.w.mu.Unlock()
	s.w.status = nil
	if s.drawn {
		_, _ = s.w.w.Write([]byte("\r\x1b[K"))
		s.drawn = false
	}
}

func (s *status) show() {
	line := s.line(time.Now())
	s.w.mu.Lock()
	defer s.w.mu.Unlock()
	if s.tty {
		_ = s.w.flushLocked()
		_, _ = s.w.w.Write([]byte("\r\x1b[K" + line))
		s.drawn = true
		return
	}
	s.w.buf = append(s.w.buf, "\n"+line+"\n"...) // after the marks that wait, in the same write
	_ = s.w.flushLocked()
}

// line is "graphconform: 120/1794 specs, 2 failed, 12s elapsed, about 40s left".
func (s *status) line(now time.Time) string {
	done, total, failed := s.done.Load(), s.total.Load(), s.failed.Load()
	elapsed := now.Sub(s.start)
	l := fmt.Sprintf("graphconform: %d/%d specs, %d failed, %s elapsed", done, total, failed, elapsed.Round(time.Second))
	if done > 0 && done < total {
		left := time.Duration(float64(elapsed) / float64(done) * float64(total-done))
		l += ", about " + left.Round(time.Second).String() + " left"
	}
	return l
}

var ansiCodes = regexp.MustCompile("\x1b\\[[0-9;]*m")

// isMark tells whether b is only Ginkgo's progress marks (a passed, skipped or pending spec), which
// the live line replaces at a terminal.
func isMark(b []byte) bool {
	t := ansiCodes.ReplaceAllString(string(b), "")
	return t != "" && strings.Trim(t, "•SP") == ""
}
