package waitfor

import (
	"bytes"
	"sync"
	"time"
)

// Buffer collects what a child process, a logger or a terminal writes,
// for a test to read while it is written and to wait on: each write wakes
// whoever waits, so nothing is polled. The zero Buffer is ready to use.
type Buffer struct {
	mu     sync.Mutex
	b      bytes.Buffer
	writes int
	grown  chan struct{} // closed and replaced at each write
	wrote  chan struct{} // see Notify
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.grown != nil {
		close(b.grown)
		b.grown = nil
	}
	if b.wrote != nil {
		select {
		case b.wrote <- struct{}{}:
		default:
		}
	}
	b.writes++
	return b.b.Write(p)
}

func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// Len is how many bytes were written so far: a mark for Since and Await.
func (b *Buffer) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Len()
}

// Since is what was written after the first n bytes.
func (b *Buffer) Since(n int) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.b.Bytes()[n:])
}

// Writes is how many writes were made so far.
func (b *Buffer) Writes() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.writes
}

// Notify returns a channel that hears of every write from now on, without
// holding a write up (one waiting word at the most): for a benchmark that
// times the first write after something.
func (b *Buffer) Notify() <-chan struct{} {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.wrote == nil {
		b.wrote = make(chan struct{}, 1)
	}
	return b.wrote
}

// Await waits until ok holds for what was written after the first from
// bytes, asking again at each write. It returns what was written after
// from then, and false if patience passed first.
func (b *Buffer) Await(from int, patience time.Duration, ok func(written string) bool) (string, bool) {
	return b.AwaitOr(nil, from, patience, ok)
}

// AwaitOr is Await that also gives up when stop is closed (a child process
// that exited), after one last look at all it wrote.
func (b *Buffer) AwaitOr(stop <-chan struct{}, from int, patience time.Duration, ok func(written string) bool) (string, bool) {
	var written string
	held := b.until(stop, patience, func() bool {
		written = string(b.b.Bytes()[from:])
		return ok(written)
	})
	return written, held
}

// AwaitWrites waits until n writes in all have been made, and reports
// false if patience passes first.
func (b *Buffer) AwaitWrites(n int, patience time.Duration) bool {
	return b.until(nil, patience, func() bool { return b.writes >= n })
}

// until waits until cond, asked with mu held, holds: again at each write,
// and once more when patience passes or stop is closed.
func (b *Buffer) until(stop <-chan struct{}, patience time.Duration, cond func() bool) bool {
	timeout := time.NewTimer(patience)
	defer timeout.Stop()
	for {
		b.mu.Lock()
		held := cond()
		if b.grown == nil {
			b.grown = make(chan struct{})
		}
		grown := b.grown
		b.mu.Unlock()
		if held {
			return true
		}
		select {
		case <-grown:
		case <-timeout.C:
			return b.last(cond)
		case <-stop:
			return b.last(cond)
		}
	}
}

func (b *Buffer) last(cond func() bool) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return cond()
}
