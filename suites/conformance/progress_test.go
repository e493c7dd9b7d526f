package conformance

import (
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer records each Write the progress writer makes.
type syncBuffer struct {
	mu     sync.Mutex
	writes []string
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.writes = append(b.writes, string(p))
	return len(p), nil
}

func (b *syncBuffer) get() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.writes...)
}

func TestProgressWriterBatchesMarks(t *testing.T) {
	out := &syncBuffer{}
	p := newProgressWriter(out, time.Hour) // only a line break, size or Flush releases marks here
	for range 100 {
		p.Write([]byte("•"))
	}
	if w := out.get(); len(w) != 0 {
		t.Fatalf("marks were written one by one: %q", w)
	}
	p.Write([]byte("\nFAIL [1.0 seconds]\n"))
	if w := out.get(); len(w) != 1 || w[0] != strings.Repeat("•", 100)+"\nFAIL [1.0 seconds]\n" {
		t.Fatalf("a line must go out at once, with the marks before it, in one write: %q", w)
	}
	p.Write([]byte(strings.Repeat("•", 2000))) // 6,000 bytes: over the 4 KiB bound
	if w := out.get(); len(w) != 2 {
		t.Fatalf("4 KiB of marks must be written without waiting: %d writes", len(w))
	}
	p.Write([]byte("S"))
	if err := p.Flush(); err != nil {
		t.Fatal(err)
	}
	if w := out.get(); len(w) != 3 || w[2] != "S" {
		t.Fatalf("Flush must write what waits: %q", w)
	}
}

// A mark is not held longer than the delay: a person watching sees progress.
func TestProgressWriterReleasesMarksAfterTheDelay(t *testing.T) {
	out := &syncBuffer{}
	p := newProgressWriter(out, 10*time.Millisecond)
	p.Write([]byte("••"))
	deadline := time.Now().Add(10 * time.Second)
	for len(out.get()) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("marks were never written")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if w := out.get(); strings.Join(w, "") != "••" {
		t.Fatalf("released %q", w)
	}
	p.Write([]byte("•")) // a new wait starts after a timed flush
	for strings.Join(out.get(), "") != "•••" {
		if time.Now().After(deadline) {
			t.Fatalf("the second mark was never written: %q", out.get())
		}
		time.Sleep(5 * time.Millisecond)
	}
}
