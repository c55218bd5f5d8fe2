package scheduler

import (
	"context"
	"fmt"
	"time"

	"github.com/crier-app/crier/audience"
	"github.com/crier-app/crier/feeds"
	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/timing"
)

// Planning defaults: what the sender does besides sending and syncing.
const (
	// DefaultPlanEvery is how often recurring series are made into posts
	// and evergreen posts fill free queue slots.
	DefaultPlanEvery = time.Minute
	// DefaultEvergreenAhead is how far ahead free slots are filled.
	DefaultEvergreenAhead = 7 * 24 * time.Hour
	// DefaultFeedEvery is how often the feeds are read.
	DefaultFeedEvery = 30 * time.Minute
	// DefaultCompetitorEvery is how often the competitors are read.
	DefaultCompetitorEvery = 6 * time.Hour
)

// Planning configures what the sender makes ahead of time and reads
// besides the accounts' own inboxes. The zero value uses the defaults.
type Planning struct {
	Every          time.Duration // DefaultPlanEvery
	EvergreenAhead time.Duration // DefaultEvergreenAhead
	FeedEvery      time.Duration // DefaultFeedEvery; negative: never
	Feeds          feeds.Options
	// CompetitorEvery is DefaultCompetitorEvery; negative: never. The
	// competitors are read through the first account of their platform
	// whose network is a platforms.PublicReader.
	CompetitorEvery time.Duration
}

func (p Planning) withDefaults() Planning {
	if p.Every <= 0 {
		p.Every = DefaultPlanEvery
	}
	if p.EvergreenAhead <= 0 {
		p.EvergreenAhead = DefaultEvergreenAhead
	}
	if p.FeedEvery == 0 {
		p.FeedEvery = DefaultFeedEvery
	}
	if p.CompetitorEvery == 0 {
		p.CompetitorEvery = DefaultCompetitorEvery
	}
	return p
}

// planLoop runs while this process sends: every Planning.Every it makes
// the recurring series' posts of the window ahead and fills free queue
// slots from the evergreen pool, waking the publisher when it queued
// anything; the feeds and the competitors are read at their own intervals
// (each also at once when the lease is taken). A failure is told as a
// sync error and tried again at the next round; publishing never waits on
// any of it.
func (s *Scheduler) planLoop(ctx context.Context) {
	p := s.o.Planning.withDefaults()
	var feedsAt, competitorsAt time.Time // when each is next due; zero: at once
	next := s.o.Now()
	for {
		tm := s.until(next)
		select {
		case <-ctx.Done():
			tm.stop()
			return
		case <-s.planKick:
			tm.stop()
			feedsAt, competitorsAt = time.Time{}, time.Time{}
		case <-tm.c:
			if s.o.Now().Before(next) {
				continue
			}
		}
		began := s.o.Now()
		next = began.Add(p.Every)
		if !s.Status().Sender {
			continue
		}
		s.planRound(ctx, began, p.EvergreenAhead)
		if p.FeedEvery > 0 && !began.Before(feedsAt) {
			feedsAt = began.Add(p.FeedEvery)
			s.readFeeds(ctx, began, p.Feeds)
		}
		if p.CompetitorEvery > 0 && !began.Before(competitorsAt) {
			competitorsAt = began.Add(p.CompetitorEvery)
			s.readCompetitors(ctx, began)
		}
	}
}

// kickPlan runs a planning round now (this process just became the
// sender). It never blocks.
func (s *Scheduler) kickPlan() {
	select {
	case s.planKick <- struct{}{}:
	default:
	}
}

// planRound makes the recurring posts and evergreen shares now due to be
// made.
func (s *Scheduler) planRound(ctx context.Context, now time.Time, ahead time.Duration) {
	made, err := timing.Materialize(ctx, s.st, now)
	if err != nil && ctx.Err() == nil {
		s.planFailed("recurring posts", err)
	}
	shares, err := s.st.FillEvergreen(ctx, now, ahead)
	if err != nil && ctx.Err() == nil {
		s.planFailed("evergreen posts", err)
	}
	if made > 0 || len(shares) > 0 {
		s.log.Printf("planning: %d recurring posts made, %d evergreen posts shared into free slots", made, len(shares))
		s.Wake()
		s.emit(Event{Kind: EventSynced})
	}
}

// readFeeds reads every feed; a feed that fails is recorded on the feed
// (the feeds package does that) and logged.
func (s *Scheduler) readFeeds(ctx context.Context, now time.Time, o feeds.Options) {
	res, err := feeds.Sync(ctx, s.st, o, now)
	if err != nil {
		if ctx.Err() == nil {
			s.planFailed("feeds", err)
		}
		return
	}
	drafts, queued := 0, 0
	for _, r := range res {
		drafts += len(r.Drafts)
		queued += len(r.Queued)
		if r.Err != nil {
			s.log.Printf("feed %s: %v", r.Feed, r.Err)
		}
	}
	if drafts > 0 {
		s.log.Printf("feeds: %d new drafts, %d of them queued", drafts, queued)
		if queued > 0 {
			s.Wake()
		}
		s.emit(Event{Kind: EventSynced})
	}
}

// readCompetitors reads the watched accounts through the accounts'
// networks.
func (s *Scheduler) readCompetitors(ctx context.Context, now time.Time) {
	readers := map[string]audience.Reader{}
	accounts, err := s.st.Accounts(ctx)
	if err != nil {
		if ctx.Err() == nil {
			s.planFailed("competitors", err)
		}
		return
	}
	for _, a := range accounts {
		if r, ok := s.o.Networks[a.ID].(platforms.PublicReader); ok && readers[a.Platform] == nil && !a.NeedsReauth {
			readers[a.Platform] = r
		}
	}
	res, err := audience.Sync(ctx, s.st, readers, audience.SyncOptions{}, now)
	if err != nil {
		if ctx.Err() == nil {
			s.planFailed("competitors", err)
		}
		return
	}
	for _, r := range res {
		if r.Err != nil {
			s.log.Printf("%v", r.Err)
		}
	}
	if len(res) > 0 {
		s.emit(Event{Kind: EventSynced})
	}
}

func (s *Scheduler) planFailed(what string, err error) {
	s.log.Printf("planning: %s: %v", what, err)
	s.emit(Event{Kind: EventSyncError, Err: fmt.Sprintf("%s: %v", what, err)})
}
