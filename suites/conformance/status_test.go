package conformance

import (
	"strings"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"
)

// At a terminal the marks give way to one live line; Ginkgo's own lines take it off first.
func TestStatusAtTerminal(t *testing.T) {
	out := &syncBuffer{}
	w := newProgressWriter(out, time.Hour)
	s := newStatus(w, true)
	s.every = time.Millisecond
	s.begin(3, types.SuiteConfig{})
	s.spec(false)
	w.Write([]byte("\x1b[38;5;10m•\x1b[0m"))
	s.spec(true)
	for !strings.Contains(strings.Join(out.get(), ""), "graphconform: 2/3 specs, 1 failed") {
		time.Sleep(time.Millisecond)
	}
	w.Write([]byte("FAIL [1.0 seconds]\n"))
	s.end()
	all := strings.Join(out.get(), "")
	if strings.Contains(all, "•") {
		t.Errorf("a mark reached the terminal: %q", all)
	}
	if !strings.Contains(all, "\r\x1b[KFAIL [1.0 seconds]\n") {
		t.Errorf("Ginkgo's line did not take the live line off first: %q", all)
	}
	if !strings.HasSuffix(all, "\r\x1b[K") && !strings.HasSuffix(all, "FAIL [1.0 seconds]\n") {
		t.Errorf("the live line stayed after the run: %q", all)
	}
	if !strings.Contains(all, "left") {
		t.Errorf("no estimate of the time left: %q", all)
	}
}

// In CI the status is a whole line now and then, after the marks that waited; marks stay batched.
func TestStatusInCI(t *testing.T) {
	out := &syncBuffer{}
	w := newProgressWriter(out, time.Hour)
	s := newStatus(w, false)
	s.every = time.Millisecond
	s.begin(2, types.SuiteConfig{})
	w.Write([]byte("••"))
	s.spec(false)
	for !strings.Contains(strings.Join(out.get(), ""), "graphconform: 1/2 specs, 0 failed") {
		time.Sleep(time.Millisecond)
	}
	s.end()
	for _, wr := range out.get() {
		if !strings.HasPrefix(wr, "••\ngraphconform: ") && !strings.HasPrefix(wr, "\ngraphconform: ") || !strings.HasSuffix(wr, "\n") || strings.Contains(wr, "\r") {
			t.Errorf("CI write %q: want whole lines after the waiting marks, no carriage return", wr)
		}
	}
}

// Off where it would mislead or repeat: a dry run, parallel processes, a run of nothing.
func TestStatusOff(t *testing.T) {
	for _, sc := range []types.SuiteConfig{{DryRun: true}, {ParallelTotal: 2}} {
		out := &syncBuffer{}
		s := newStatus(newProgressWriter(out, time.Hour), true)
		s.begin(5, sc)
		s.spec(false)
		s.end()
		if len(out.get()) != 0 {
			t.Errorf("%+v: status printed %q", sc, out.get())
		}
	}
	var none *status
	none.begin(1, types.SuiteConfig{})
	none.spec(true)
	none.end()
}
