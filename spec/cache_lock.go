package spec

// One parse for N processes: `ginkgo --procs N` starts N processes at once, all missing the cache.
// The first to create the entry's lock file (O_EXCL) parses and writes the entry; the others poll
// for it instead of parsing too. A lock file can outlive its holder (a crash, a kill -9), so the
// holder refreshes its modification time while it works and a lock left untouched for lockStale is
// taken over; a waiter never waits longer than lockWait, and a holder that gives up without an
// entry (a broken description) releases the others to parse for themselves, so that they report
// the error at once instead of queueing behind each other's failures.

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/graphconform/graphconform/input"
)

// Variables so that tests can shorten them.
var (
	lockPoll  = 50 * time.Millisecond // how often a waiter looks
	lockBeat  = 5 * time.Second       // how often a holder refreshes its lock
	lockStale = 30 * time.Second      // a lock not refreshed for this long belongs to a dead process
	lockWait  = 2 * time.Minute       // the longest a waiter waits before parsing itself
)

// cached returns the entry for key, or computes and stores it, parsing once among concurrent callers.
func cached(ctx context.Context, dir, key string, compute func() (Built, error)) (Built, error) {
	entry, lock := filepath.Join(dir, key+".contracts"), filepath.Join(dir, key+".lock")
	if b, ok := readEntry(entry, key); ok {
		return *b, nil
	}
	store := func() (Built, error) {
		b, err := compute()
		if err == nil {
			writeEntry(entry, key, b)
		}
		return b, err
	}
	deadline := time.Now().Add(lockWait)
	for {
		unlock, err := tryLock(lock)
		if err == nil {
			defer unlock()
			if b, ok := readEntry(entry, key); ok { // written while we were getting the lock
				return *b, nil
			}
			return store()
		}
		if !errors.Is(err, fs.ErrExist) { // no lock possible (say, a read-only cache): just parse
			return store()
		}
		b, stale := waitForEntry(ctx, entry, key, lock, deadline)
		switch {
		case b != nil:
			return *b, nil
		case !stale:
			return store() // the holder failed or is too slow: do not wait any longer
		}
		// The holder died between lock and write: take the lock over (when it cannot be removed,
		// parse rather than loop).
		if err := os.Remove(lock); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return store()
		}
	}
}

// waitForEntry polls while another process holds the lock. It returns the entry once the lock is
// released with one, stale=true when the lock is stale, and neither when the lock is released
// without an entry, the deadline passes or ctx ends.
func waitForEntry(ctx context.Context, entry, key, lock string, deadline time.Time) (b *Built, stale bool) {
	tick := time.NewTicker(lockPoll)
	defer tick.Stop()
	for {
		fi, err := os.Stat(lock)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			// The holder renames the entry into place before it removes the lock.
			b, _ := readEntry(entry, key)
			return b, false
		case err == nil && time.Since(fi.ModTime()) > lockStale:
			return nil, true
		case err != nil || time.Now().After(deadline):
			return nil, false
		}
		select {
		case <-ctx.Done():
			return nil, false
		case <-tick.C:
		}
	}
}

var lockSeq atomic.Int64

// tryLock creates the lock file or fails (fs.ErrExist when somebody holds it). While held, the
// lock's modification time is refreshed every lockBeat. unlock removes the lock only if it is still
// this holder's (its token), not one that took it over.
func tryLock(lock string) (unlock func(), err error) {
	f, err := os.OpenFile(lock, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, err
	}
	token := fmt.Sprintf("pid %d, lock %d, %s\n", os.Getpid(), lockSeq.Add(1), time.Now().Format(time.RFC3339Nano))
	_, err = f.WriteString(token)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(lock)
		return nil, err
	}
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		beat := time.NewTicker(lockBeat)
		defer beat.Stop()
		for {
			select {
			case <-stop:
				return
			case <-beat.C:
				// Now, not the tick's time: a tick received late would date the lock back.
				now := time.Now()
				_ = os.Chtimes(lock, now, now)
			}
		}
	}()
	return func() {
		close(stop)
		<-done
		if b, err := input.ReadFile(lock, 1<<10, "cache lock files"); err == nil && string(b) == token {
			_ = os.Remove(lock)
		}
	}, nil
}
