package memstore

import (
	"context"
	"sync"
)

// rwLock is a readers-writer lock whose waits end when the caller's context
// is done, so that a call that can never get the lock — a read or a nested
// Update made from inside an Update's fn, which holds the lock until fn
// returns — fails with ctx.Err() instead of deadlocking. A waiting writer
// keeps new readers out, so a stream of reads cannot starve Updates.
type rwLock struct {
	mu      sync.Mutex
	readers int
	writer  bool
	waiting int           // writers waiting
	wake    chan struct{} // closed on the next release; nil when nobody waits
}

// wait releases l.mu until the lock is next released or ctx is done, and
// takes l.mu again in the first case.
func (l *rwLock) wait(ctx context.Context) error {
	if l.wake == nil {
		l.wake = make(chan struct{})
	}
	ch := l.wake
	l.mu.Unlock()
	select {
	case <-ch:
		l.mu.Lock()
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// released wakes every waiter; l.mu is held.
func (l *rwLock) released() {
	if l.wake != nil {
		close(l.wake)
		l.wake = nil
	}
}

func (l *rwLock) rlock(ctx context.Context) error {
	l.mu.Lock()
	for l.writer || l.waiting > 0 {
		if err := l.wait(ctx); err != nil {
			return err
		}
	}
	l.readers++
	l.mu.Unlock()
	return nil
}

func (l *rwLock) runlock() {
	l.mu.Lock()
	l.readers--
	if l.readers == 0 {
		l.released()
	}
	l.mu.Unlock()
}

func (l *rwLock) lock(ctx context.Context) error {
	l.mu.Lock()
	l.waiting++
	for l.writer || l.readers > 0 {
		if err := l.wait(ctx); err != nil {
			l.mu.Lock()
			l.waiting--
			l.released() // readers held back by this writer may go on
			l.mu.Unlock()
			return err
		}
	}
	l.waiting--
	l.writer = true
	l.mu.Unlock()
	return nil
}

func (l *rwLock) unlock() {
	l.mu.Lock()
	l.writer = false
	l.released()
	l.mu.Unlock()
}
