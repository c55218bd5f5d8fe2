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
	"sync"
	"sync/atomic"
	"time"

	"github.com/crier-app/crier/analytics/utm"
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
	DefaultLeaseTTL    = 10 * time.Second
	DefaultSyncEvery   = time.Minute
	DefaultWatchEvery  = 100 * time.Millisecond
)

const (
	// batchSize is how many due deliveries of one account are read at a
	// time.
	batchSize = 16
	// callTimeout bounds one call to a network other than a post write.
	callTimeout = 2 * time.Minute
	// publishTimeout bounds writing one post: ample for a post on a slow
	// link, short enough that a server holding its answer is asked again
	// (through reconcile) within a minute. Each image adds imageTimeout
	// for its upload. reconcileTimeout bounds asking whether a post landed.
	publishTimeout   = 30 * time.Second
	imageTimeout     = 30 * time.Second
	reconcileTimeout = 30 * time.Second
	// waitingAfter is how long a post write may take before its account
	// shows as waiting on its server.
	waitingAfter = 5 * time.Second
	// sendMargin: a sender whose lease expires within this (its heartbeat
	// could not run: the process was stopped, the computer suspended) sends
	// nothing more until it has renewed it.
	sendMargin = 2 * time.Second
	// sweepEvery is how often the sender looks for deliveries left in
	// sending that nobody is sending, to reconcile them.
	sweepEvery = 5 * time.Second
	// holderCheckEvery is how often a waiting crier checks that a lease
	// holder on this machine is still alive.
	holderCheckEvery = 250 * time.Millisecond
	// writeTimeout bounds one try at writing an outcome; a failed write is
	// tried again until it lands or crier stops, and the last try goes on
	// after Run's context has ended so a finished publish is not forgotten.
	writeTimeout = 10 * time.Second
	// maxWriteRetry caps the wait between tries at writing an outcome.
	maxWriteRetry = 2 * time.Second
)

// Options configure a Scheduler. Store is required; the rest have defaults.
type Options struct {
	Store *store.Store
	// Networks are the accounts' networks, by account id. A delivery to an
	// account missing here is set up with Resolve, or fails with a message
	// saying why.
	Networks map[int64]platforms.Network
	// Resolve, when set, sets up the network of an account missing from
	// Networks (one added to the config since crier started) the first
	// time one of its posts is due: a nil network and error when the
	// config does not have it, an error saying what is wrong when it has
	// it but cannot be used (no token). An error of class
	// platforms.Transient (the config or the database could not be read
	// just now: a file caught half saved) is tried again later, as a
	// network's would be; any other fails the delivery.
	Resolve func(ctx context.Context, accountID int64) (platforms.Network, error)
	// RecordAdded, when set, runs before each sync round: it records in
	// the store the accounts added to the config since crier started, so
	// that the round finds them and sets them up with Resolve. Its error
	// is logged; the round goes on with the accounts the store has.
	RecordAdded func(ctx context.Context) error
	// Now is the clock (time.Now by default).
	Now func() time.Time
	// Timer starts a one-shot timer: c receives once the clock (Now) reads
	// at or later, stop releases it. Tests pass a fake clock's; by default
	// it reads Now at least every second on the way (wallTimer), so a
	// suspend or a clock set forward does not make it late.
	Timer func(at time.Time) (c <-chan time.Time, stop func() bool)
	// Events receives what happens. It may be nil. The scheduler never
	// blocks on it: when the reader falls behind, the oldest events are
	// dropped, never the newest, so the reader always ends on the latest
	// Status.
	Events chan<- Event
	Log    *log.Logger // quiet when nil
	// MissedPolicy is one of PolicyGrace (the default), PolicySend, PolicySkip.
	MissedPolicy string
	MissedGrace  time.Duration
	// MaxSleep is the longest the loops sleep before looking at the queue
	// and the clock again (DefaultMaxSleep), whatever Timer does.
	MaxSleep time.Duration
	// MinBackoff is the wait before the first retry; each further retry
	// waits about twice as long, up to MaxBackoff, with random jitter.
	MinBackoff time.Duration
	MaxBackoff time.Duration

	// LeaseTTL is how long the sender lease lasts without a heartbeat
	// (DefaultLeaseTTL). The holder renews it every third of that. The
	// others take it as soon as it expires, at once when the holder
	// releases it, and within holderCheckEvery when the holder was a
	// process on this machine that no longer exists.
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
	// Tagger tags the links to the business's own domains in a campaign's
	// posts as they are sent (analytics.FinalText); nil tags none.
	Tagger *utm.Tagger
	// Plausible, when set, is read on the sync every Plausible.Interval
	// (marketing_sync.go).
	Plausible *PlausibleSync
	// WatchEvery is how often the database is checked for commits by
	// other processes (a post queued by the app while crier run sends, a
	// lease released), which wake the scheduler (DefaultWatchEvery; a
	// negative value turns it off). A check costs no disk read when
	// nothing changed.
	WatchEvery time.Duration
	// Planning is what the sender makes ahead (recurring posts, evergreen
	// shares) and reads besides the inboxes (feeds, competitors).
	Planning Planning
	// Debug logs, besides what is always logged, when the scheduler goes
	// to sleep having done all it could: an account's worker with nothing
	// more due as of the clock's time (at its start, after each send, and
	// when its next due time moves), and a process that does not send,
	// once for each holder of the lease it sees. Someone reading the log
	// (crier --debug, a test) knows by it that everything due by then was
	// seen.
	Debug bool
}

// Scheduler publishes due posts. Create it with New and start it with Run.
type Scheduler struct {
	o        Options
	st       *store.Store
	log      *log.Logger
	wake     chan struct{}
	syncNow  chan struct{}
	syncKick chan struct{}
	planKick chan struct{}
	running  atomic.Bool
	out      outbox
	hold     store.LeaseHold
	// runCtx is Run's context: outcome writes are tried again for as long
	// as it lasts, whatever happens to the lease meanwhile.
	runCtx context.Context

	// flight holds the deliveries this process has claimed (or is about to)
	// and not yet settled; waits the accounts whose server keeps a write
	// waiting.
	flight flight
	// ahead holds the deliveries claimed ahead of their time and not yet
	// sent (awaitTime).
	ahead ahead
	// resolved are the networks Resolve set up, by account id.
	resolved struct {
		mu   sync.Mutex
		nets map[int64]platforms.Network
	}
	waits waits

	// acquiredAt is when the lease was last taken afresh: a lease taken
	// again with the same acquired_at was never anyone else's meanwhile,
	// so there is nothing to recover.
	acquiredAt time.Time
	// abandon makes Run end like a killed process, leaving the lease to
	// expire (tests of a takeover).
	abandon bool
	// nextLook is when, by its clock, this process will look at the lease
	// again while another sends (Unix nanoseconds), set before each of its
	// sleeps: a test knows by it that the process has looked as of a time.
	nextLook atomic.Int64

	mu     sync.Mutex
	status Status
	nextMu sync.Mutex // serialises refreshNext
}

// New returns a scheduler; nothing runs until Run.
func New(o Options) *Scheduler {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Timer == nil {
		o.Timer = wallTimer(o.Now)
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
	if o.WatchEvery == 0 {
		o.WatchEvery = DefaultWatchEvery
	}
	s := &Scheduler{
		o:        o,
		st:       o.Store,
		log:      o.Log,
		wake:     make(chan struct{}, 1),
		syncNow:  make(chan struct{}, 1),
		syncKick: make(chan struct{}, 1),
		planKick: make(chan struct{}, 1),
		out:      outbox{ready: make(chan struct{}, 1)},
		hold:     store.LeaseHold{Name: store.SenderLease, HolderID: o.Holder.ID},
		flight:   flight{ids: map[int64]bool{}},
		ahead:    ahead{posts: map[int64]aheadPost{}},
		waits:    waits{since: map[string]time.Time{}},
	}
	s.resolved.nets = map[int64]platforms.Network{}
	return s
}

// Wake tells the scheduler the queue changed (a post was queued, moved or
// withdrawn), so it looks again for the next due time. It never blocks.
// Changes committed by other processes wake it by themselves.
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
// While it holds the lease, each account's posts go out from a goroutine
// of their own, in order, so a slow server delays only its own account.
// Each time it takes the lease from no one or from a holder that died, it
// first settles the deliveries left unfinished, then applies the missed
// policy, account by account. An outcome being written when ctx ends is still written, and the
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
	s.runCtx = ctx

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
	planned := make(chan struct{})
	go func() {
		defer close(planned)
		s.planLoop(ctx)
	}()
	defer func() { <-planned }()
	if s.o.WatchEvery > 0 {
		watched := make(chan struct{})
		go func() {
			defer close(watched)
			s.watch(ctx)
		}()
		defer func() { <-watched }()
	}

	for ctx.Err() == nil {
		t := s.acquire(ctx)
		if t == nil {
			break
		}
		s.publish(t)
		s.endTenure(ctx, t)
	}
	return nil
}

// refreshNext looks up the next due time and publishes it in Status.
// Workers call it as they go, so it is serialised: a slow answer must not
// overwrite a newer one.
func (s *Scheduler) refreshNext(ctx context.Context) {
	s.nextMu.Lock()
	defer s.nextMu.Unlock()
	at, _, post, ok, err := s.st.NextDue(ctx)
	if err != nil {
		if ctx.Err() == nil {
			s.storeError("reading the next due time", err)
		}
		return
	}
	// A post claimed ahead of its time is no longer pending, but still next.
	if aAt, aPost, found := s.ahead.first(); found && (!ok || aAt.Before(at)) {
		at, post = aAt, aPost
	}
	s.setStatus(func(st *Status) { st.NextDueAt, st.NextPost = at, post })
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
