package store

import (
	"context"
	"time"
)

// How ClearOfSends judges the queue.
const (
	// clearMargin is added to a write's expected hold: estimates are
	// rough and a sender needs a moment to claim after the write ends.
	clearMargin = 2 * time.Second
	// clearGrace: a post still queued this long after its time is no
	// sender's claim of the moment (no sender runs, or the account's is
	// waiting out its server), so a write does not wait for it.
	clearGrace = 3 * time.Second
	// clearMost bounds the whole wait: a queue dense enough to keep a
	// write waiting longer has the write go ahead.
	clearMost = time.Minute
	// clearPoll is how often the queue is read while waiting.
	clearPoll = 100 * time.Millisecond
)

// ClearOfSends waits, before a write that will hold the database's write
// lock for about hold (a large import, one transaction so that it lands
// whole or not at all), until no queued post falls due in that time. A
// sender records its claim on a post before it sends it; a write holding
// the lock at the post's time would make it late by the rest of the
// write. A post is waited for until it leaves the queue (claimed and
// being sent, sent, moved, withdrawn) or clearGrace after its time; the
// whole wait lasts at most clearMost. waiting, when not nil, is told each due time
// waited for. now is the clock the posts' times are read against.
func (s *Store) ClearOfSends(ctx context.Context, hold time.Duration, now func() time.Time, waiting func(due time.Time)) error {
	start := now()
	var told int64
	for {
		at, id, _, ok, err := s.NextDue(ctx)
		if err != nil {
			return err
		}
		t := now()
		if !ok || t.After(at.Add(clearGrace)) || at.After(t.Add(hold+clearMargin)) || t.Sub(start) >= clearMost {
			return nil
		}
		if waiting != nil && told != id {
			waiting(at)
			told = id
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(clearPoll):
		}
	}
}
