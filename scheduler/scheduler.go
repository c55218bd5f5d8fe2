// Package scheduler is crier's background work: it publishes queued posts
// when they come due, and syncs the inbox, post metrics and follower counts.
// It is plain Go, driven by a store and a set of networks, and talks to
// whoever watches it (the TUI) only through Events and Status.
//
// Any number of crier processes may open one database; only the one holding
// the sender lease (a row in the database it keeps renewing) publishes and
// syncs on its own. The others wait, say who sends, and take over when the
// holder stops renewing.
//
// A delivery goes out in three steps: it is claimed in the database (so no
// other crier sends it), published, and its outcome written. When the outcome
// is unclear, or before any retry, the network is asked whether the post
// already landed, so a post is never knowingly sent twice.
package scheduler

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/store"
)

// What to do at startup with posts that came due while crier was not running.
const (
	PolicyGrace = "grace" // send those at most MissedGrace late, hold back the rest as missed
	PolicySend  = "send"  // send them all, however late
	PolicySkip  = "skip"  // hold them all back as missed
)

// Defaults for the zero values in Options.
const (
	DefaultMissedGrace = 15 * time.Minute
	DefaultMinBackoff  = 30 * time.Second
	DefaultMaxBackoff  = 30 * time.Minute
	DefaultMaxSleep    = time.Minute
	DefaultLeaseTTL    = 30 * time.Second
	DefaultSyncEvery   = time.Minute
)

const (
	// batchSize is how many due deliveries are read at a time.
	batchSize = 16
	// callTimeout bounds one call to a network.
	callTimeout = 2 * time.Minute
	// writeTimeout bounds writing an outcome, which goes on after Run's
	// context has ended so a finished publish is never forgotten.
	writeTimeout = 10 * time.Second
)

// Options configure a Scheduler. Store is required; the rest have defaults.
type Options struct {
	Store *store.Store
	// Networks are the accounts' networks, by account id. A delivery to an
	// account missing here fails with a message saying so.
	Networks map[int64]platforms.Network
	// Now is the clock (time.Now by default).
	Now func() time.Time
	// NewTimer starts a one-shot timer: c receives once d has passed, stop
	// releases it. Tests pass a fake clock's; time.NewTimer by default.
	NewTimer func(d time.Duration) (c <-chan time.Time, stop func() bool)
	// Events receives what happens. It may be nil. The scheduler never
	// blocks on it: when the reader falls behind, the oldest events are
	// dropped, never the newest, so the reader always ends on the latest
	// Status.
	Events chan<- Event
	Log    *log.Logger // quiet when nil
	// MissedPolicy is one of PolicyGrace (the default), PolicySend, PolicySkip.
	MissedPolicy string
	MissedGrace  time.Duration
	// MaxSleep is the longest the loop sleeps before looking at the clock
	// again (DefaultMaxSleep). Go's timers stop while the computer is
	// suspended, so a timer set for hours ahead would fire late by the
	// time spent asleep.
	MaxSleep time.Duration
	// MinBackoff is the wait before the first retry; each further retry
	// waits about twice as long, up to MaxBackoff, with random jitter.
	MinBackoff time.Duration
	MaxBackoff time.Duration

	// LeaseTTL is how long the sender lease lasts without a heartbeat
	// (DefaultLeaseTTL). The holder renews it every third of that; the
	// others try to take it every half; when the holder dies, another
	// crier takes over within LeaseTTL and a half.
	LeaseTTL time.Duration
	// Holder identifies this process in the lease (store.NewLeaseHolder()
	// by default).
	Holder store.LeaseHolder
	// SyncInterval is how often the inbox, metrics and follower counts are
	// pulled while this process sends (DefaultSyncEvery). SyncNow pulls at
	// once.
	SyncInterval time.Duration
	// Listen are the keywords and hashtags social listening searches for
	// on every sync, by account id. They are ignored for an account whose
	// network cannot search (is not a platforms.Searcher).
	Listen map[int64][]string
}

// Scheduler publishes due posts. Create it with New and start it with Run.
type Scheduler struct {
	o        Options
	st       *store.Store
	log      *log.Logger
	wake     chan struct{}
	syncNow  chan struct{}
	syncKick chan struct{}
	running  atomic.Bool
	out      outbox
	hold     store.LeaseHold

	// tenure is the current time holding the sender lease, nil while
	// another process sends. Only the publishing goroutine sets it.
	tenure *tenure
	// acquiredAt is when the lease was last taken afresh: a lease taken
	// again with the same acquired_at was never anyone else's meanwhile,
	// so there is nothing to recover.
	acquiredAt time.Time
	// abandon makes Run end like a killed process, leaving the lease to
	// expire (tests of a takeover).
	abandon bool

	mu     sync.Mutex
	status Status

	// storeFailures counts store errors in a row, to back off from a
	// database that keeps failing instead of spinning on it.
	storeFailures int
}

// New returns a scheduler; nothing runs until Run.
func New(o Options) *Scheduler {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.NewTimer == nil {
		o.NewTimer = func(d time.Duration) (<-chan time.Time, func() bool) {
			t := time.NewTimer(d)
			return t.C, t.Stop
		}
	}
	if o.Log == nil {
		o.Log = log.New(io.Discard, "", 0)
	}
	if o.MissedPolicy == "" {
		o.MissedPolicy = PolicyGrace
	}
	if o.MissedGrace <= 0 {
		o.MissedGrace = DefaultMissedGrace
	}
	if o.MaxSleep <= 0 {
		o.MaxSleep = DefaultMaxSleep
	}
	if o.MinBackoff <= 0 {
		o.MinBackoff = DefaultMinBackoff
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = DefaultMaxBackoff
	}
	o.MaxBackoff = max(o.MaxBackoff, o.MinBackoff)
	if o.LeaseTTL <= 0 {
		o.LeaseTTL = DefaultLeaseTTL
	}
	if o.Holder.ID == "" {
		o.Holder = store.NewLeaseHolder()
	}
	if o.SyncInterval <= 0 {
		o.SyncInterval = DefaultSyncEvery
	}
	return &Scheduler{
		o:        o,
		st:       o.Store,
		log:      o.Log,
		wake:     make(chan struct{}, 1),
		syncNow:  make(chan struct{}, 1),
		syncKick: make(chan struct{}, 1),
		out:      outbox{ready: make(chan struct{}, 1)},
		hold:     store.LeaseHold{Name: store.SenderLease, HolderID: o.Holder.ID},
	}
}

// Wake tells the scheduler the queue changed (a post was queued, moved or
// withdrawn), so it looks again for the next due time. It never blocks.
func (s *Scheduler) Wake() {
	select {
	case s.wake <- struct{}{}:
	default: // a wake-up is already pending
	}
}

// Status reports the scheduler's state. It is safe to call from any goroutine.
func (s *Scheduler) Status() Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.status
}

// Run publishes due posts and syncs until ctx ends, while it holds the
// sender lease; until it does, it tries to take it every half LeaseTTL.
// Each time it takes the lease from no one or from a holder that died, it
// first settles the deliveries left unfinished, then applies the missed
// policy. An outcome being written when ctx ends is still written, and the
// lease is released. Run returns nil when ctx ends, and an error only when
// it cannot start.
func (s *Scheduler) Run(ctx context.Context) error {
	if s.st == nil {
		return errors.New("scheduler: no store")
	}
	switch s.o.MissedPolicy {
	case PolicyGrace, PolicySend, PolicySkip:
	default:
		return fmt.Errorf("scheduler: missed policy %q is not one of %s, %s, %s",
			s.o.MissedPolicy, PolicyGrace, PolicySend, PolicySkip)
	}
	if !s.running.CompareAndSwap(false, true) {
		return errors.New("scheduler: already running")
	}
	defer s.running.Store(false)

	stopForward := make(chan struct{})
	forwarded := make(chan struct{})
	go func() {
		defer close(forwarded)
		s.forward(stopForward)
	}()
	defer func() {
		s.setStatus(func(st *Status) { st.Running, st.Sender = false, false })
		close(stopForward)
		<-forwarded
	}()

	s.setStatus(func(st *Status) { st.Running = true })
	synced := make(chan struct{})
	go func() {
		defer close(synced)
		s.syncLoop(ctx)
	}()
	defer func() { <-synced }()

	for ctx.Err() == nil {
		t := s.acquire(ctx)
		if t == nil {
			break
		}
		s.publish(t)
		s.endTenure(ctx)
	}
	return nil
}

// publish sends due posts for as long as tenure t lasts.
func (s *Scheduler) publish(t *tenure) {
	ctx := t.ctx
	if t.fresh {
		for !s.startup(ctx) {
			if !s.sleep(ctx, s.backoff(s.storeFailures)) {
				return
			}
		}
	}
	for ctx.Err() == nil {
		failures := s.storeFailures
		s.sendDue(ctx)
		if ctx.Err() != nil {
			break
		}
		next, due := s.refreshNext(ctx)
		wait := time.Duration(-1) // until woken
		switch {
		case s.storeFailures > failures:
			wait = s.backoff(s.storeFailures)
		case due:
			s.storeFailures = 0
			wait = min(max(0, next.Sub(s.o.Now())), s.o.MaxSleep)
		default:
			s.storeFailures = 0
		}
		s.sleep(ctx, wait)
	}
}

// sleep waits for d (forever when d < 0), a Wake or the end of ctx, and
// reports whether ctx is still live.
func (s *Scheduler) sleep(ctx context.Context, d time.Duration) bool {
	var fire <-chan time.Time
	if d >= 0 {
		var stop func() bool
		fire, stop = s.o.NewTimer(d)
		defer stop()
	}
	select {
	case <-ctx.Done():
		return false
	case <-s.wake:
	case <-fire:
	}
	return true
}

// startup settles what a previous run left behind, then applies the missed
// policy. It reports false when the store failed, and is then run again:
// nothing is sent before the missed policy has been applied.
func (s *Scheduler) startup(ctx context.Context) bool {
	start := s.o.Now()
	n, err := s.st.ResetInFlight(ctx, s.hold, start)
	if err != nil {
		if !s.leaseError(ctx, err) {
			s.storeError("resetting deliveries left in flight", err)
		}
		return false
	}
	if n > 0 {
		s.log.Printf("scheduler: %d deliveries were being sent when crier stopped; asking the networks", n)
	}
	unknown, err := s.st.UnknownDeliveries(ctx)
	if err != nil {
		s.storeError("reading deliveries to reconcile", err)
		return false
	}
	for _, d := range unknown {
		if ctx.Err() != nil {
			return false
		}
		s.deliver(ctx, d, true)
	}

	var cutoff time.Time
	switch s.o.MissedPolicy {
	case PolicySend:
		return true
	case PolicySkip:
		cutoff = start
	default:
		cutoff = start.Add(-s.o.MissedGrace)
	}
	missed, err := s.st.MarkMissedBefore(ctx, cutoff)
	if err != nil {
		s.storeError("marking missed posts", err)
		return false
	}
	if len(missed) > 0 {
		s.log.Printf("scheduler: %d deliveries came due before %s while crier was not running: held back as missed",
			len(missed), cutoff.Format(time.RFC3339))
		s.emit(Event{Kind: EventMissed, Count: len(missed)})
	}
	return true
}

// sendDue publishes everything due now, a batch at a time, until a batch
// comes back short or nothing in it could be claimed.
func (s *Scheduler) sendDue(ctx context.Context) {
	for ctx.Err() == nil {
		due, err := s.st.DueDeliveries(ctx, s.o.Now(), batchSize)
		if err != nil {
			s.storeError("reading the queue", err)
			return
		}
		claimed := 0
		for _, d := range due {
			if ctx.Err() != nil {
				return
			}
			if s.deliver(ctx, d, false) {
				claimed++
			}
		}
		if len(due) < batchSize || claimed == 0 {
			return
		}
	}
}

// refreshNext looks up the next due time and publishes it in Status.
func (s *Scheduler) refreshNext(ctx context.Context) (time.Time, bool) {
	at, _, post, ok, err := s.st.NextDue(ctx)
	if err != nil {
		s.storeError("reading the next due time", err)
		return time.Time{}, false
	}
	s.setStatus(func(st *Status) { st.NextDueAt, st.NextPost = at, post })
	return at, ok
}

// deliver claims one delivery and settles it: reconciles it if an earlier
// attempt may have landed, else publishes it, and writes the outcome. At
// startup a delivery the network does not know goes back to the queue at its
// due time, for the missed policy to judge. It reports whether it claimed
// the delivery.
func (s *Scheduler) deliver(ctx context.Context, d store.DueDelivery, atStartup bool) bool {
	claimed, err := s.claim(ctx, d.ID)
	if err != nil {
		if ctx.Err() == nil && !s.leaseError(ctx, err) {
			s.storeError(fmt.Sprintf("claiming delivery %d", d.ID), err)
		}
		return false
	}
	if !claimed {
		return false // another crier has it, or it was moved or withdrawn meanwhile
	}
	attempt := d.Attempts + 1
	net := s.o.Networks[d.AccountID]
	if net == nil {
		reason := fmt.Sprintf("no network is set up for account %s (%s): add it to the config, or take the account off the post",
			d.Handle, d.Platform)
		if d.State == store.DeliveryUnknown {
			reason += "; it may have gone out before crier stopped"
		}
		s.fail(ctx, d, reason)
		return true
	}
	post := platformPost(d)

	// An earlier attempt may have landed: an unknown outcome for sure, and
	// a transient error classified too hopefully, or sent by another crier
	// whose answer was lost. Ask before sending again.
	if d.State == store.DeliveryUnknown || d.Attempts > 0 {
		var pub platforms.Published
		var found bool
		err := s.call(ctx, "reconciling", func(ctx context.Context) (err error) {
			pub, found, err = net.Reconcile(ctx, post)
			return err
		})
		switch {
		case err != nil:
			s.settleError(ctx, d, attempt, err, d.State == store.DeliveryUnknown)
			return true
		case found:
			s.sent(ctx, d, pub)
			return true
		case atStartup:
			s.write(ctx, d, "queueing again", func(ctx context.Context) error {
				return s.st.MarkRetry(ctx, d.ID, d.LastError, time.Time{})
			})
			return true
		}
	}

	var pub platforms.Published
	err = s.call(ctx, "publishing", func(ctx context.Context) (err error) {
		pub, err = net.Publish(ctx, post)
		return err
	})
	if err != nil {
		s.settleError(ctx, d, attempt, err, false)
		return true
	}
	s.sent(ctx, d, pub)
	return true
}

// call runs one network call with a time limit. A panic in the network's
// code becomes an error of unknown outcome instead of taking crier down.
func (s *Scheduler) call(ctx context.Context, what string, fn func(context.Context) error) (err error) {
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	defer func() {
		if r := recover(); r != nil {
			s.log.Printf("scheduler: panic while %s: %v\n%s", what, r, debug.Stack())
			err = fmt.Errorf("crier's network code crashed while %s: %v", what, r)
		}
	}()
	return fn(ctx)
}

// platformPost is what the network is asked to publish for d.
func platformPost(d store.DueDelivery) platforms.Post {
	p := platforms.Post{
		Text:           d.Text,
		IdempotencyKey: d.IdempotencyKey,
		// The due time is fixed before the first attempt and the same on
		// every retry, so a retried post is the same post.
		CreatedAt: d.DueAt,
	}
	for _, m := range d.Media {
		p.Images = append(p.Images, platforms.Image{Path: m.Path, Mime: m.Mime, AltText: m.AltText})
	}
	if d.ReplyTo.ID != "" {
		p.ReplyTo = &platforms.Ref{ID: d.ReplyTo.ID, CID: d.ReplyTo.CID}
		p.ThreadRoot = &platforms.Ref{ID: d.ThreadRoot.ID, CID: d.ThreadRoot.CID}
	}
	p.Conversation = d.Conversation
	return p
}

// settleError writes the outcome of a failed call. stillUnknown keeps a
// delivery whose outcome was already unknown in that state.
func (s *Scheduler) settleError(ctx context.Context, d store.DueDelivery, attempt int, err error, stillUnknown bool) {
	reason := err.Error()
	var pe *platforms.Error
	errors.As(err, &pe)
	switch platforms.ClassOf(err) {
	case platforms.Permanent:
		if pe != nil && pe.Reauth {
			s.waitForReauth(ctx, d, reason, stillUnknown)
			return
		}
		s.fail(ctx, d, reason)
		return
	case platforms.UnknownOutcome:
		reason = "may have gone out, will check: " + reason
		stillUnknown = true
	}
	retryAt := s.retryAt(attempt)
	rateLimited := pe != nil && pe.Class == platforms.RateLimited && pe.RetryAt.After(s.o.Now())
	if rateLimited {
		retryAt = roundUpMS(pe.RetryAt)
	}
	ok := s.write(ctx, d, "scheduling a retry", func(ctx context.Context) error {
		if stillUnknown {
			return s.st.MarkUnknown(ctx, d.ID, reason, retryAt)
		}
		return s.st.MarkRetry(ctx, d.ID, reason, retryAt)
	})
	if !ok {
		return
	}
	if rateLimited {
		// The limit is the account's, not the post's: the rest of its queue
		// waits too instead of hitting the same wall one post at a time.
		var n int
		if s.write(ctx, d, "pacing the account's queue", func(ctx context.Context) (err error) {
			n, err = s.st.PaceAccount(ctx, d.AccountID, retryAt)
			return err
		}) && n > 0 {
			s.log.Printf("scheduler: %s is rate-limited: %d more deliveries wait until %s",
				d.Handle, n, retryAt.Format(time.RFC3339))
		}
	}
	s.log.Printf("scheduler: delivery %d of post %d to %s: attempt %d: %s; next try at %s",
		d.ID, d.PostID, d.Handle, attempt, reason, retryAt.Format(time.RFC3339))
	s.setStatus(func(st *Status) { st.LastError = reason })
	s.emit(Event{Kind: EventRetrying, PostID: d.PostID, DeliveryID: d.ID, AccountID: d.AccountID, ReplyItem: d.ReplyItem,
		Err: reason, RetryAt: retryAt})
}

// waitForReauth handles a refusal of the account's credentials: the account
// is flagged, and the delivery goes back to the queue (at its due time, or
// still unknown when it was), where it and the rest of the account's queue
// wait until the user signs in again and the flag is cleared.
func (s *Scheduler) waitForReauth(ctx context.Context, d store.DueDelivery, reason string, stillUnknown bool) {
	reason = fmt.Sprintf("sign in to %s again: %s", d.Handle, reason)
	if !s.write(ctx, d, "flagging the account for signing in again", func(ctx context.Context) error {
		if err := s.st.SetNeedsReauth(ctx, d.AccountID, true); err != nil {
			return err
		}
		if stillUnknown {
			return s.st.MarkUnknown(ctx, d.ID, reason, time.Time{})
		}
		return s.st.MarkRetry(ctx, d.ID, reason, time.Time{})
	}) {
		return
	}
	s.log.Printf("scheduler: %s refused its credentials; its posts wait until it is signed in again: %s", d.Handle, reason)
	s.setStatus(func(st *Status) { st.LastError = reason })
	s.emit(Event{Kind: EventNeedsReauth, PostID: d.PostID, DeliveryID: d.ID, AccountID: d.AccountID, ReplyItem: d.ReplyItem, Err: reason})
}

func (s *Scheduler) fail(ctx context.Context, d store.DueDelivery, reason string) {
	if !s.write(ctx, d, "recording a failure", func(ctx context.Context) error {
		return s.st.MarkFailed(ctx, d.ID, reason)
	}) {
		return
	}
	s.log.Printf("scheduler: delivery %d of post %d to %s failed: %s", d.ID, d.PostID, d.Handle, reason)
	s.setStatus(func(st *Status) { st.LastError = reason })
	s.emit(Event{Kind: EventFailed, PostID: d.PostID, DeliveryID: d.ID, AccountID: d.AccountID, ReplyItem: d.ReplyItem, Err: reason})
}

func (s *Scheduler) sent(ctx context.Context, d store.DueDelivery, pub platforms.Published) {
	at := pub.At
	if at.IsZero() {
		at = s.o.Now()
	}
	if !s.write(ctx, d, "recording a sent post", func(ctx context.Context) error {
		return s.st.MarkSent(ctx, d.ID, store.RemoteRef{ID: pub.Ref.ID, CID: pub.Ref.CID}, pub.URL, at)
	}) {
		return
	}
	s.log.Printf("scheduler: delivery %d of post %d sent to %s: %s", d.ID, d.PostID, d.Handle, pub.URL)
	s.setStatus(func(st *Status) { st.LastError = "" })
	s.emit(Event{Kind: EventSent, PostID: d.PostID, DeliveryID: d.ID, AccountID: d.AccountID, ReplyItem: d.ReplyItem})
}

// write runs an outcome write on a context that outlives ctx by up to
// writeTimeout: what the network did must be recorded even when crier is
// quitting. A failed write leaves the delivery in sending, which the next
// start reconciles.
func (s *Scheduler) write(ctx context.Context, d store.DueDelivery, what string, fn func(context.Context) error) bool {
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), writeTimeout)
	defer cancel()
	if err := fn(wctx); err != nil {
		s.storeError(fmt.Sprintf("%s for delivery %d of post %d", what, d.ID, d.PostID), err)
		return false
	}
	return true
}

func (s *Scheduler) storeError(what string, err error) {
	s.storeFailures++
	msg := fmt.Sprintf("database: %s: %v", what, err)
	s.log.Printf("scheduler: %s", msg)
	s.setStatus(func(st *Status) { st.LastError = msg })
}

// backoff is the wait before retry number attempt (1 for the first): it
// doubles from MinBackoff up to MaxBackoff, and is then spread at random over
// its upper half so retries from many deliveries don't arrive together.
func (s *Scheduler) backoff(attempt int) time.Duration {
	d := s.o.MinBackoff
	for i := 1; i < attempt && d < s.o.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, s.o.MaxBackoff)
	return d/2 + rand.N(d/2+1)
}

// retryAt is when retry number attempt is due, at the store's millisecond
// precision so the time announced is the time kept.
func (s *Scheduler) retryAt(attempt int) time.Time {
	return roundUpMS(s.o.Now().Add(s.backoff(attempt)))
}

func roundUpMS(t time.Time) time.Time {
	return t.Add(time.Millisecond - 1).Truncate(time.Millisecond)
}

// setStatus changes the status and, when it changed, tells the watcher.
func (s *Scheduler) setStatus(change func(*Status)) {
	s.mu.Lock()
	before := s.status
	change(&s.status)
	after := s.status
	s.mu.Unlock()
	if after != before {
		s.emit(Event{Kind: EventState})
	}
}

// emit stamps e with the time and the current status and queues it for the
// watcher.
func (s *Scheduler) emit(e Event) {
	if s.o.Events == nil {
		return
	}
	e.At = s.o.Now()
	e.Status = s.Status()
	s.out.push(e)
}

// maxQueued bounds the events waiting for a slow reader.
const maxQueued = 64

// outbox holds events until the reader takes them, dropping the oldest when
// the reader falls behind.
type outbox struct {
	mu    sync.Mutex
	queue []Event
	ready chan struct{}
}

func (o *outbox) push(e Event) {
	o.mu.Lock()
	if len(o.queue) == maxQueued {
		o.queue = append(o.queue[:0], o.queue[1:]...)
	}
	o.queue = append(o.queue, e)
	o.mu.Unlock()
	select {
	case o.ready <- struct{}{}:
	default:
	}
}

// take removes and returns the oldest event; newest removes them all and
// returns the last.
func (o *outbox) take(newest bool) (Event, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.queue) == 0 {
		return Event{}, false
	}
	if newest {
		e := o.queue[len(o.queue)-1]
		o.queue = o.queue[:0]
		return e, true
	}
	e := o.queue[0]
	o.queue = o.queue[1:]
	return e, true
}

// forward hands queued events to the reader until stop is closed, then
// offers the newest one last, so the reader ends on the final status.
func (s *Scheduler) forward(stop <-chan struct{}) {
	for {
		e, ok := s.out.take(false)
		if !ok {
			select {
			case <-s.out.ready:
				continue
			case <-stop:
				e, ok = s.out.take(true)
				if !ok {
					return
				}
			}
		}
		select {
		case s.o.Events <- e:
			continue
		case <-stop:
		}
		if last, ok := s.out.take(true); ok {
			e = last
		}
		select {
		case s.o.Events <- e:
		default: // the reader is gone or full; Status still has it
		}
		return
	}
}
