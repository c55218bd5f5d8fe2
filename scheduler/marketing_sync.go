package scheduler

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/crier-app/crier/analytics/plausible"
	"github.com/crier-app/crier/store"
)

// Defaults of PlausibleSync.
const (
	DefaultPlausibleEvery = time.Hour
	DefaultPlausibleDays  = 7
	// maxPlausibleBackoff caps the wait after failed pulls.
	maxPlausibleBackoff = 6 * time.Hour
)

// PlausibleSync is the Plausible Analytics site the sync reads visits,
// goal completions and revenue from (plausible.Pull), every Every, while
// this process is the sender (or at once on SyncNow).
type PlausibleSync struct {
	Client *plausible.Client
	Site   plausible.Site
	// Every is how often it is read (DefaultPlausibleEvery).
	Every time.Duration
	// Days is how many days, today included, each pull reads
	// (DefaultPlausibleDays): a day read again replaces what was read of
	// it before.
	Days int
	// Zone is the time zone "today" is read in (UTC when nil).
	Zone *time.Location
}

// marketingSync is what the sync loop remembers of the Plausible pulls.
type marketingSync struct {
	next     time.Time // no interval pull before this
	limited  time.Time // no pull at all before this, on demand either: Plausible's rate limit
	failures int
}

// syncMarketing pulls Plausible when it is configured and due (at once on
// demand). A failure is reported on the status bar and the log, and backs
// the pulls off, doubling from their interval (or until a rate limit
// lifts); it never touches the accounts' sync, which has run already.
func (s *Scheduler) syncMarketing(ctx context.Context, ms *marketingSync, onDemand bool) {
	p := s.o.Plausible
	if p == nil || p.Client == nil || p.Site.ID == "" {
		return
	}
	now := s.o.Now()
	if !onDemand && now.Before(ms.next) || now.Before(ms.limited) {
		return
	}
	every := p.Every
	if every <= 0 {
		every = DefaultPlausibleEvery
	}
	days := p.Days
	if days <= 0 {
		days = DefaultPlausibleDays
	}
	zone := p.Zone
	if zone == nil {
		zone = time.UTC
	}
	today := store.DayOf(now.In(zone))
	res, err := s.pullPlausible(ctx, p, today.Add(1-days), today, now)
	if ctx.Err() != nil {
		return
	}
	if err != nil {
		ms.failures++
		wait := every
		for i := 1; i < ms.failures && wait < maxPlausibleBackoff; i++ {
			wait *= 2
		}
		wait = min(wait, maxPlausibleBackoff)
		var rl *plausible.RateLimitError
		if errors.As(err, &rl) {
			ms.limited = now.Add(rl.RetryAfter)
			wait = max(wait, rl.RetryAfter)
		}
		ms.next = now.Add(wait)
		msg := fmt.Sprintf("Plausible %s: %v", p.Site.ID, err)
		s.log.Printf("scheduler: sync %s; next try at %s", msg, ms.next.Format(time.RFC3339))
		s.syncError(0, msg, ms.next)
		return
	}
	ms.failures, ms.next = 0, now.Add(every)
	s.log.Printf("scheduler: Plausible %s: read %s to %s: %d rows written, %d left to newer imports",
		p.Site.ID, today.Add(1-days), today, res.Written, res.Kept)
	s.emit(Event{Kind: EventSynced})
}

// pullPlausible is one pull, with a panic in it made an error rather than
// the end of the sync loop.
func (s *Scheduler) pullPlausible(ctx context.Context, p *PlausibleSync, first, last store.Day, now time.Time) (res store.ImportResult, err error) {
	err = s.callTimeout(ctx, "reading Plausible", callTimeout, func(ctx context.Context) (err error) {
		res, err = plausible.Pull(ctx, s.st, p.Client, p.Site, first, last, now)
		return err
	})
	return res, err
}
