// Package waitfor is for tests that must wait for something only polling
// can tell: a real server (GoToSocial, the Bluesky reference network)
// showing what another client did, another process's database, a process
// table. Where the thing waited for can announce itself (a channel, a hook,
// a line on a pipe), wait on that instead; Buffer is such a pipe's end.
//
// One place for it, so every such wait fails the same way: after its
// patience, saying what it waited for and what it last saw.
package waitfor

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// The first look again comes after firstGap; each gap doubles up to maxGap,
// so an in-process change is seen at once and a server is not hammered.
const (
	firstGap = time.Millisecond
	maxGap   = 200 * time.Millisecond
)

// Check is what is waited for: done when it holds, else seen says what
// was last seen instead (it goes into the failure).
type Check func() (done bool, seen string)

// Until waits until check holds, and fails t at once when patience has
// passed first, saying what was waited for and what check last saw.
func Until(t testing.TB, patience time.Duration, what string, check Check) {
	t.Helper()
	if err := Wait(context.Background(), patience, what, check); err != nil {
		t.Fatal(err)
	}
}

// Holds is Until for a check that has nothing to say about what it saw.
func Holds(t testing.TB, patience time.Duration, what string, ok func() bool) {
	t.Helper()
	Until(t, patience, what, func() (bool, string) { return ok(), "" })
}

// Wait waits until check holds and returns nil; or returns an error that
// says what was waited for and what check last saw, when patience passes
// or ctx ends first.
func Wait(ctx context.Context, patience time.Duration, what string, check Check) error {
	began := time.Now()
	expired := time.NewTimer(patience)
	defer expired.Stop()
	gap := firstGap
	for {
		done, seen := check()
		if done {
			return nil
		}
		next := time.NewTimer(gap)
		select {
		case <-next.C:
		case <-expired.C:
			next.Stop()
			if done, seen = check(); done {
				return nil
			}
			return failure(what, time.Since(began), seen)
		case <-ctx.Done():
			next.Stop()
			return fmt.Errorf("%s: given up after %s (%v); last seen: %s", what, time.Since(began).Round(time.Millisecond), ctx.Err(), orNothing(seen))
		}
		if gap *= 2; gap > maxGap {
			gap = maxGap
		}
	}
}

func failure(what string, after time.Duration, seen string) error {
	return fmt.Errorf("%s: still not so after %s; last seen: %s", what, after.Round(time.Millisecond), orNothing(seen))
}

func orNothing(seen string) string {
	if seen == "" {
		return "(nothing to say)"
	}
	return seen
}
