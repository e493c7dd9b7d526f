// Package schedule runs a suite's cases ahead of the specs that report them: a bounded pool of
// workers executes jobs (case indexes) in the order they were submitted, a caller waiting for a
// job moves it to the front, and the number of jobs in flight follows an AIMD limit that throttling
// answers lower. It knows nothing of Ginkgo or HTTP: the suite layer (package conformance) submits
// the cases Ginkgo will run and makes each It wait for its own.
package schedule

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
)

// Lane says which jobs must not overlap: jobs of one key run one at a time when either is
// exclusive, together otherwise (a reader-writer lock per key). "" is no lane.
type Lane func(job int) (key string, exclusive bool)

// Options tune a Pool.
type Options struct {
	// Max bounds the jobs in flight (1 or more).
	Max int
	// Lane, when set, serialises the jobs that share something (an entity) and mutate it.
	Lane Lane
	// AIMD, when set, lowers the limit on throttling (Throttled) and raises it back; nil keeps Max.
	AIMD *AIMD
}

const (
	idle    uint8 = iota // not submitted, or taken and not resubmitted
	queued               // waiting for a worker
	running              // a worker runs it
	done                 // result ready for Wait
)

// Pool runs jobs 0..n-1 with run. The zero value is not usable; use New.
type Pool[T any] struct {
	run    func(ctx context.Context, job int) T
	opts   Options
	ctx    context.Context
	cancel context.CancelFunc

	mu       sync.Mutex
	wake     *sync.Cond // the queue, the limit, the jobs in flight or closed changed
	state    []uint8
	ready    []chan struct{} // closed when the job's result is ready
	results  []T
	panics   map[int]any
	order    []int // submitted jobs in order; next is the cursor
	next     int
	front    []int // jobs a caller waits for, most recent last
	inflight int
	peak     int
	closed   bool
	lanes    map[string]*sync.RWMutex
	wg       sync.WaitGroup
}

// New starts opts.Max workers for n jobs; they stop at Close or when ctx ends.
func New[T any](ctx context.Context, n int, opts Options, run func(ctx context.Context, job int) T) *Pool[T] {
	if opts.Max < 1 {
		opts.Max = 1
	}
	ctx, cancel := context.WithCancel(ctx)
	p := &Pool[T]{run: run, opts: opts, ctx: ctx, cancel: cancel, state: make([]uint8, n),
		ready: make([]chan struct{}, n), results: make([]T, n), lanes: map[string]*sync.RWMutex{}}
	p.wake = sync.NewCond(&p.mu)
	if opts.AIMD != nil {
		opts.AIMD.changed = p.wake.Broadcast
	}
	// A cancelled context stops the workers waiting for work too.
	go func() {
		<-ctx.Done()
		p.stop()
	}()
	p.wg.Add(opts.Max)
	for range opts.Max {
		go p.worker()
	}
	return p
}

// Submit queues jobs behind those already queued; a job already queued, running or done stays.
func (p *Pool[T]) Submit(jobs ...int) {
	p.mu.Lock()
	for _, j := range jobs {
		if p.state[j] == idle {
			p.queue(j)
			p.order = append(p.order, j)
		}
	}
	p.mu.Unlock()
	p.wake.Broadcast()
}

func (p *Pool[T]) queue(j int) {
	p.state[j] = queued
	p.ready[j] = make(chan struct{})
}

// Wait returns job's result, running it next if it has not started (or was taken before: a spec
// that Ginkgo runs again gets a new run). It returns ctx's error when ctx ends first, and the pool's
// when the pool was closed before the job ran. A job that panicked panics here, in the caller.
func (p *Pool[T]) Wait(ctx context.Context, job int) (T, error) {
	var zero T
	p.mu.Lock()
	switch p.state[job] {
	case idle:
		p.queue(job)
		p.front = append(p.front, job)
	case queued:
		p.front = append(p.front, job)
	}
	ready := p.ready[job]
	p.mu.Unlock()
	p.wake.Signal()
	select {
	case <-ready:
	case <-ctx.Done():
		return zero, ctx.Err()
	case <-p.ctx.Done():
		select {
		case <-ready: // finished as the pool closed
		default:
			return zero, fmt.Errorf("the run stopped before this case ran: %w", p.ctx.Err())
		}
	}
	p.mu.Lock()
	v, pv, panicked := p.results[job], p.panics[job], false
	if pv != nil {
		panicked = true
		delete(p.panics, job)
	}
	p.results[job], p.state[job] = zero, idle // the caller owns it now
	p.mu.Unlock()
	if panicked {
		panic(pv)
	}
	return v, nil
}

// Cancel stops the pool: running jobs see their context end, queued ones never start.
func (p *Pool[T]) Cancel() {
	p.cancel()
	p.stop()
}

// Close cancels the pool and waits for its workers to return.
func (p *Pool[T]) Close() {
	p.Cancel()
	p.wg.Wait()
}

// stop marks the pool closed at once, so that no worker picks another job (the goroutine that
// watches the context may run later).
func (p *Pool[T]) stop() {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	p.wake.Broadcast()
}

// Peak is the largest number of jobs that were in flight at once.
func (p *Pool[T]) Peak() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.peak
}

func (p *Pool[T]) limit() int {
	if p.opts.AIMD == nil {
		return p.opts.Max
	}
	return min(p.opts.AIMD.Limit(), p.opts.Max)
}

// pick takes the next job: one a caller waits for, else the next submitted one. -1 when none.
func (p *Pool[T]) pick() int {
	for len(p.front) > 0 {
		j := p.front[len(p.front)-1]
		p.front = p.front[:len(p.front)-1]
		if p.state[j] == queued {
			return j
		}
	}
	for p.next < len(p.order) {
		j := p.order[p.next]
		p.next++
		if p.state[j] == queued {
			return j
		}
	}
	return -1
}

func (p *Pool[T]) worker() {
	defer p.wg.Done()
	p.mu.Lock()
	for {
		for !p.closed && p.ctx.Err() == nil && (p.inflight >= p.limit() || !p.hasWork()) {
			p.wake.Wait()
		}
		if p.closed || p.ctx.Err() != nil {
			p.mu.Unlock()
			return
		}
		j := p.pick()
		p.state[j] = running
		p.inflight++
		p.peak = max(p.peak, p.inflight)
		p.mu.Unlock()

		v, pv := p.exec(j)

		p.mu.Lock()
		p.inflight--
		p.results[j], p.state[j] = v, done
		if pv != nil {
			if p.panics == nil {
				p.panics = map[int]any{}
			}
			p.panics[j] = pv
		}
		close(p.ready[j])
		p.wake.Signal() // one slot freed: one worker may take it
	}
}

// hasWork tells whether a queued job remains (the front may hold stale entries; pick skips them).
func (p *Pool[T]) hasWork() bool {
	for _, j := range p.front {
		if p.state[j] == queued {
			return true
		}
	}
	for i := p.next; i < len(p.order); i++ {
		if p.state[p.order[i]] == queued {
			return true
		}
		p.next = i + 1 // skip what can never be picked again
	}
	return false
}

// exec runs one job inside its lane, turning a panic into a value Wait re-panics with.
func (p *Pool[T]) exec(j int) (v T, pv any) {
	if p.opts.Lane != nil {
		if key, exclusive := p.opts.Lane(j); key != "" {
			l := p.lane(key)
			if exclusive {
				l.Lock()
				defer l.Unlock()
			} else {
				l.RLock()
				defer l.RUnlock()
			}
		}
	}
	defer func() {
		if r := recover(); r != nil {
			pv = fmt.Sprintf("%v\n%s", r, debug.Stack())
		}
	}()
	return p.run(p.ctx, j), nil
}

func (p *Pool[T]) lane(key string) *sync.RWMutex {
	p.mu.Lock()
	defer p.mu.Unlock()
	l := p.lanes[key]
	if l == nil {
		l = &sync.RWMutex{}
		p.lanes[key] = l
	}
	return l
}
