package scheduler

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/store"
)

// worker sends one account's posts, one at a time and in order (a thread's
// posts must go out parent first), so that a server that keeps a write
// waiting holds up only its own account.
type worker struct {
	account store.Account
	wake    chan struct{}
}

func (w *worker) poke() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// publish sends due posts for as long as tenure t lasts: it settles what
// was left in flight, starts a worker per account, and wakes them when the
// queue changes. It returns once every worker has stopped.
func (s *Scheduler) publish(t *tenure) {
	ctx := t.ctx
	start := s.o.Now()
	for failures := 1; ; failures++ {
		err := s.recover(t)
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			return
		}
		if !s.leaseError(t, err) {
			s.storeError("settling deliveries left in flight", err)
		}
		if !sleep(ctx, s.wake, s.after(s.backoff(failures))) {
			return
		}
	}
	var cutoff time.Time // PolicySend: nothing is held back
	switch s.o.MissedPolicy {
	case PolicySkip:
		cutoff = start
	case PolicyGrace:
		cutoff = start.Add(-s.o.MissedGrace)
	}

	workers := map[int64]*worker{}
	var wg sync.WaitGroup
	defer wg.Wait()
	sweepAt := start.Add(sweepEvery)
	for ctx.Err() == nil {
		accounts, err := s.st.Accounts(ctx)
		if err != nil && ctx.Err() == nil {
			s.storeError("reading accounts", err)
		}
		for _, a := range accounts {
			if workers[a.ID] != nil {
				continue
			}
			w := &worker{account: a, wake: make(chan struct{}, 1)}
			workers[a.ID] = w
			wg.Add(1)
			go func() {
				defer wg.Done()
				s.work(t, w, t.fresh, cutoff)
			}()
		}
		s.refreshNext(ctx)
		if now := s.o.Now(); !now.Before(sweepAt) {
			if n, err := s.sweep(t); err != nil {
				if ctx.Err() == nil && !s.leaseError(t, err) {
					s.storeError("looking for deliveries left in flight", err)
				}
			} else if n > 0 {
				s.log.Printf("scheduler: %d deliveries were left in sending with nobody sending them; asking the networks", n)
				for _, w := range workers {
					w.poke() // now, not at the next wake-up
				}
			}
			sweepAt = now.Add(sweepEvery)
		}
		if !sleep(ctx, s.wake, s.until(sweepAt)) {
			break
		}
		for _, w := range workers {
			w.poke()
		}
	}
}

// recover makes what a previous holder left in sending unknown (when the
// lease was taken afresh) or what this process left there without sending
// it, so it is reconciled before anything else goes out.
func (s *Scheduler) recover(t *tenure) error {
	if !t.fresh {
		n, err := s.sweep(t)
		if err == nil && n > 0 {
			s.log.Printf("scheduler: %d deliveries were left in sending; asking the networks", n)
		}
		return err
	}
	var n int
	err := s.underLease(t, func(now time.Time) (err error) {
		n, err = s.st.ResetInFlight(t.ctx, s.hold, now)
		return err
	})
	if err == nil && n > 0 {
		s.log.Printf("scheduler: %d deliveries were being sent when the last sender stopped; asking the networks", n)
	}
	return err
}

// sweep resets deliveries in sending that this process is not sending.
// flight stays locked while it runs, so a delivery being claimed meanwhile
// is either listed as in flight or not yet claimed.
func (s *Scheduler) sweep(t *tenure) (int, error) {
	s.flight.mu.Lock()
	defer s.flight.mu.Unlock()
	ids := make([]int64, 0, len(s.flight.ids))
	for id := range s.flight.ids {
		ids = append(ids, id)
	}
	var n int
	err := s.underLease(t, func(now time.Time) (err error) {
		n, err = s.st.ResetOrphans(t.ctx, s.hold, now, ids)
		return err
	})
	return n, err
}

// work runs an account's worker until the tenure ends: at a fresh start it
// first settles the account's unknown deliveries and applies the missed
// policy to it, then it sends what comes due, sleeping in between until the
// next due time or a wake-up.
func (s *Scheduler) work(t *tenure, w *worker, startup bool, cutoff time.Time) {
	ctx := t.ctx
	for failures := 1; startup && !s.startupAccount(t, w.account, cutoff); failures++ {
		if !sleep(ctx, w.wake, s.after(s.backoff(failures))) {
			return
		}
	}
	failures := 0
	said := "" // the Debug line's last "asleep until", said again only when it changes
	for ctx.Err() == nil {
		asOf := s.o.Now()
		// What falls due within ClaimAhead is claimed now and sent at its
		// time (deliver waits for it).
		due, err := s.st.DueDeliveriesFor(ctx, w.account.ID, asOf.Add(store.ClaimAhead), batchSize)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			failures++
			s.storeError("reading the queue of "+w.account.Handle, err)
			sleep(ctx, w.wake, s.after(s.backoff(failures)))
			continue
		}
		claimed := 0
		for _, d := range due {
			if ctx.Err() != nil {
				return
			}
			took, gaveBack := s.deliver(t, d, w.wake)
			if took {
				claimed++
			}
			if gaveBack {
				break // something came due before it: read the queue again
			}
		}
		if len(due) == batchSize && claimed > 0 {
			continue
		}
		if claimed > 0 {
			s.refreshNext(ctx)
		}
		wait := never // until woken
		next, _, _, ok, err := s.st.NextDueFor(ctx, w.account.ID)
		switch {
		case err != nil:
			if ctx.Err() != nil {
				return
			}
			failures++
			s.storeError("reading the queue of "+w.account.Handle, err)
			wait = s.after(s.backoff(failures))
		case len(due) > 0 && claimed == 0:
			// Due but not claimable (changed under us): look again soon
			// rather than spin on it.
			wait = s.after(time.Second)
		case ok:
			failures = 0
			wait = s.until(next.Add(-store.ClaimAhead))
		default:
			failures = 0
		}
		if s.o.Debug && err == nil && (len(due) == 0 || claimed > 0) {
			until := "until woken"
			if ok {
				until = "until " + next.Format(debugTime)
			}
			// After a send, or when the next due time moved: a worker woken
			// for a change that was not its own stays quiet.
			if claimed > 0 || until != said {
				s.log.Printf("scheduler: debug: %s: nothing more due as of %s; asleep %s", w.account.Handle, asOf.Format(debugTime), until)
				said = until
			}
		}
		sleep(ctx, w.wake, wait)
	}
}

// debugTime is how Debug lines write times: with the day, since the next
// due time may be days away.
const debugTime = "2006-01-02 15:04:05.000 MST"

// startupAccount settles an account's deliveries whose outcome is unknown,
// then holds back, per the missed policy, those that came due too long
// before (cutoff; zero for none). It reports false when the store failed,
// and is then run again: nothing of the account's is sent before.
func (s *Scheduler) startupAccount(t *tenure, a store.Account, cutoff time.Time) bool {
	ctx := t.ctx
	unknown, err := s.st.UnknownDeliveriesFor(ctx, a.ID)
	if err != nil {
		if ctx.Err() == nil {
			s.storeError("reading deliveries to reconcile", err)
		}
		return false
	}
	for _, d := range unknown {
		if ctx.Err() != nil {
			return false
		}
		s.deliver(t, d, nil)
	}
	if cutoff.IsZero() {
		return true
	}
	missed, err := s.st.MarkMissedBeforeFor(ctx, a.ID, cutoff)
	if err != nil {
		if ctx.Err() == nil {
			s.storeError("marking missed posts", err)
		}
		return false
	}
	if len(missed) > 0 {
		s.log.Printf("scheduler: %d deliveries to %s came due before %s while crier was not running: held back as missed",
			len(missed), a.Handle, cutoff.Format(time.RFC3339))
		s.emit(Event{Kind: EventMissed, AccountID: a.ID, Count: len(missed)})
	}
	return true
}

// deliver claims one delivery and settles it: reconciles it if an earlier
// attempt may have landed, else publishes it, and writes the outcome. A
// delivery not yet due (by up to ClaimAhead) is claimed and then sent at
// its time; wake tells, meanwhile, of changes to the account's queue. At
// startup (wake is nil) a delivery the network does not know goes back to
// the queue at its due time, for the missed policy to judge. It reports
// whether it claimed the delivery, and whether it gave the claim back,
// unsent, before its time: crier stopped, or a post of the account's came
// due before it.
func (s *Scheduler) deliver(t *tenure, d store.DueDelivery, wake <-chan struct{}) (claimed, gaveBack bool) {
	ctx := t.ctx
	atStartup := wake == nil
	// In flight from before the claim until the outcome is written, so a
	// sweep never takes it for abandoned.
	s.flight.add(d.ID)
	defer s.flight.remove(d.ID)
	claimAt := s.o.Now().Truncate(time.Millisecond)
	upTo := claimAt
	if !atStartup {
		upTo = claimAt.Add(store.ClaimAhead)
	}
	claimed, err := s.claim(t, d.ID, claimAt, upTo)
	if err != nil {
		if ctx.Err() == nil && !s.leaseError(t, err) {
			s.storeError(fmt.Sprintf("claiming delivery %d", d.ID), err)
		}
		return false, false
	}
	if !claimed {
		return false, false // another crier has it, or it was moved or withdrawn meanwhile
	}
	if d.FirstAttemptAt.IsZero() {
		d.FirstAttemptAt = claimAt // as the claim stored it
	}
	// Between the claim and the time: what the post needs (its network,
	// its final text) and, on a first attempt, the slow part of sending
	// it, so that at its time only the write is left.
	net, why, netErr := s.network(ctx, d.AccountID)
	var text string
	var textErr error
	if net != nil {
		text, textErr = s.finalText(ctx, d)
	}
	var post platforms.Post
	if net != nil && textErr == nil {
		d.Text = text
		post = platformPost(d)
		post.Claimed = func(ctx context.Context, id string) (bool, error) {
			return s.st.RemoteIDTaken(ctx, d.AccountID, id, d.ID)
		}
		if !atStartup && d.Attempts == 0 && d.State != store.DeliveryUnknown {
			post = s.prepare(ctx, d, net, post)
		}
	}
	if !atStartup && !s.awaitTime(t, wake, d) {
		return true, true
	}
	if netErr != nil {
		// The config could not be read just now: try again later.
		s.settleError(d, d.Attempts+1, fmt.Errorf("setting up account %s (%s), added since crier started: %w", d.Handle, d.Platform, netErr),
			d.State == store.DeliveryUnknown)
		return true, false
	}
	if net == nil {
		reason := fmt.Sprintf("no network is set up for account %s (%s) in the crier that sends (%s): %s; "+
			"add the account to the config that crier reads, or take the account off the post", d.Handle, d.Platform, s.o.Holder, why)
		if d.State == store.DeliveryUnknown {
			reason += "; it may have gone out before crier stopped"
		}
		s.fail(d, reason)
		return true, false
	}
	attempt := d.Attempts + 1
	if textErr != nil {
		s.settleError(d, attempt, &platforms.Error{Class: platforms.Transient,
			Reason: "database: reading the post's campaign and tagged links: " + describeStoreError(textErr), Err: textErr},
			d.State == store.DeliveryUnknown)
		return true, false
	}

	// An earlier attempt may have landed: an unknown outcome for sure, and
	// a transient error classified too hopefully, or sent by another crier
	// whose answer was lost. Ask before sending again.
	if d.State == store.DeliveryUnknown || d.Attempts > 0 {
		var pub platforms.Published
		var found bool
		err := s.callFor(ctx, d.Handle, "reconciling", reconcileTimeout, func(ctx context.Context) (err error) {
			pub, found, err = net.Reconcile(ctx, post)
			return err
		})
		switch {
		case err != nil:
			s.settleError(d, attempt, err, d.State == store.DeliveryUnknown)
			return true, false
		case found:
			s.sent(d, pub, true)
			return true, false
		case atStartup:
			s.write(d, "queueing again", func(ctx context.Context) error {
				return s.st.MarkRetry(ctx, d.ID, d.LastError, time.Time{})
			})
			return true, false
		}
	}

	// The last look before anything goes out: a process stopped long
	// enough (SIGSTOP, a suspended laptop) for its lease to lapse may have
	// been replaced, and its replacement may be sending this very post.
	if !t.expiresAt().After(s.o.Now().Add(sendMargin)) {
		s.log.Printf("scheduler: delivery %d of post %d: the sender lease is about to lapse; not sending until it is renewed",
			d.ID, d.PostID)
		s.write(d, "putting it back in the queue", func(ctx context.Context) error {
			return s.st.MarkRetry(ctx, d.ID, d.LastError, time.Time{})
		})
		return true, false
	}

	var pub platforms.Published
	err = s.callFor(ctx, d.Handle, "publishing", publishTimeout+time.Duration(len(post.Images))*imageTimeout,
		func(ctx context.Context) (err error) {
			pub, err = net.Publish(ctx, post)
			return err
		})
	if err != nil {
		s.settleError(d, attempt, err, false)
		return true, false
	}
	s.sent(d, pub, false)
	return true, false
}

// prepare has a network that can (platforms.Preparer) do the slow part of
// post ahead of its time. It returns the post as prepared, or as it was
// when the network cannot or did not: Publish then does the whole, and
// meets and reports what failed here.
func (s *Scheduler) prepare(ctx context.Context, d store.DueDelivery, net platforms.Network, post platforms.Post) platforms.Post {
	pr, ok := net.(platforms.Preparer)
	if !ok {
		return post
	}
	var prepared platforms.Post
	err := s.callTimeout(ctx, "preparing a post", publishTimeout+time.Duration(len(post.Images))*imageTimeout,
		func(ctx context.Context) (err error) {
			prepared, err = pr.Prepare(ctx, post)
			return err
		})
	if err != nil {
		if s.o.Debug {
			s.log.Printf("scheduler: debug: delivery %d of post %d: preparing it ahead of its time: %v (it is sent whole at its time)", d.ID, d.PostID, err)
		}
		return post
	}
	return prepared
}

// call runs one network call with a time limit. A panic in the network's
// code becomes an error of unknown outcome instead of taking crier down.
func (s *Scheduler) call(ctx context.Context, what string, fn func(context.Context) error) error {
	return s.callTimeout(ctx, what, callTimeout, fn)
}

// read is call for a network read that answers one value.
func read[T any](ctx context.Context, s *Scheduler, what string, fn func(context.Context) (T, error)) (T, error) {
	var v T
	err := s.call(ctx, what, func(ctx context.Context) (err error) {
		v, err = fn(ctx)
		return err
	})
	return v, err
}

func (s *Scheduler) callTimeout(ctx context.Context, what string, limit time.Duration, fn func(context.Context) error) (err error) {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	defer func() {
		if r := recover(); r != nil {
			s.log.Printf("scheduler: panic while %s: %v\n%s", what, r, debug.Stack())
			err = fmt.Errorf("crier's network code crashed while %s: %v", what, r)
		}
	}()
	return fn(ctx)
}

// callFor is call for a post write of account handle: a call that takes
// longer than waitingAfter shows the account as waiting on its server
// until it returns.
func (s *Scheduler) callFor(ctx context.Context, handle, what string, limit time.Duration, fn func(context.Context) error) error {
	began := s.o.Now()
	done := make(chan struct{})
	watched := make(chan struct{})
	slow := s.after(waitingAfter)
	go func() {
		defer close(watched)
		defer slow.stop()
		select {
		case <-done:
			return
		case <-slow.c:
		}
		s.setWaiting(handle, began, true)
		<-done
		s.setWaiting(handle, began, false)
	}()
	defer func() {
		close(done)
		<-watched
	}()
	return s.callTimeout(ctx, what, limit, fn)
}

// setWaiting marks or unmarks an account as waiting on its server since
// began, and publishes the set in Status.
func (s *Scheduler) setWaiting(handle string, began time.Time, on bool) {
	s.waits.mu.Lock()
	if on {
		s.waits.since[handle] = began
	} else {
		delete(s.waits.since, handle)
	}
	names := make([]string, 0, len(s.waits.since))
	var since time.Time
	for h, at := range s.waits.since {
		names = append(names, h)
		if since.IsZero() || at.Before(since) {
			since = at
		}
	}
	s.waits.mu.Unlock()
	sort.Strings(names)
	s.setStatus(func(st *Status) { st.WaitingOn, st.WaitingSince = strings.Join(names, ", "), since })
}

// waits are the accounts whose server keeps a write waiting, by handle.
type waits struct {
	mu    sync.Mutex
	since map[string]time.Time
}

// ahead is the set of deliveries claimed ahead of their time, waiting for
// it, by id.
type ahead struct {
	mu    sync.Mutex
	posts map[int64]aheadPost
}

type aheadPost struct {
	at   time.Time
	post int64
}

func (a *ahead) add(id int64, p aheadPost) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.posts[id] = p
}

func (a *ahead) remove(id int64) {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.posts, id)
}

// first is the earliest of them: its time and post.
func (a *ahead) first() (at time.Time, post int64, ok bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, p := range a.posts {
		if !ok || p.at.Before(at) {
			at, post, ok = p.at, p.post, true
		}
	}
	return at, post, ok
}

// flight is the set of deliveries this process has claimed, or is about to
// claim, and not yet settled.
type flight struct {
	mu  sync.Mutex
	ids map[int64]bool
}

func (f *flight) add(id int64) {
	f.mu.Lock()
	f.ids[id] = true
	f.mu.Unlock()
}

func (f *flight) remove(id int64) {
	f.mu.Lock()
	delete(f.ids, id)
	f.mu.Unlock()
}

// platformPost is what the network is asked to publish for d.
func platformPost(d store.DueDelivery) platforms.Post {
	p := platforms.Post{
		Text:           d.Text,
		IdempotencyKey: d.IdempotencyKey,
		// The time of the first attempt, the same on every retry, so a
		// retried post is the same post, and a late one is dated when it
		// went out rather than when it was due.
		CreatedAt: d.FirstAttemptAt,
	}
	if p.CreatedAt.IsZero() {
		p.CreatedAt = d.DueAt
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
func (s *Scheduler) settleError(d store.DueDelivery, attempt int, err error, stillUnknown bool) {
	reason := err.Error()
	var pe *platforms.Error
	errors.As(err, &pe)
	switch platforms.ClassOf(err) {
	case platforms.Permanent:
		if pe != nil && pe.Reauth {
			s.waitForReauth(d, reason, stillUnknown)
			return
		}
		s.fail(d, reason)
		return
	case platforms.UnknownOutcome:
		stillUnknown = true
	}
	retryAt := s.retryAt(attempt)
	rateLimited := pe != nil && pe.Class == platforms.RateLimited && pe.RetryAt.After(s.o.Now())
	if rateLimited {
		retryAt = roundUpMS(pe.RetryAt)
	}
	if stillUnknown {
		reason += "; it may have gone out: crier will check with the network before trying again"
	} else {
		reason += "; crier will try again"
	}
	ok := s.write(d, "scheduling a retry", func(ctx context.Context) error {
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
		if s.write(d, "pacing the account's queue", func(ctx context.Context) (err error) {
			n, err = s.st.PaceAccount(ctx, d.AccountID, retryAt)
			return err
		}) && n > 0 {
			s.log.Printf("scheduler: %s is rate-limited: %d more deliveries wait until %s",
				d.Handle, n, retryAt.Format(time.RFC3339))
		}
	}
	s.log.Printf("scheduler: delivery %d of post %d to %s: attempt %d: %s; next try at %s (%s)",
		d.ID, d.PostID, d.Handle, attempt, reason, retryAt.Format(time.RFC3339), platforms.Detail(err))
	s.setStatus(func(st *Status) { st.LastError = reason })
	s.emit(Event{Kind: EventRetrying, PostID: d.PostID, DeliveryID: d.ID, AccountID: d.AccountID, ReplyItem: d.ReplyItem,
		Err: reason, RetryAt: retryAt, Text: d.Text})
}

// waitForReauth handles a refusal of the account's credentials: the account
// is flagged, and the delivery goes back to the queue (at its due time, or
// still unknown when it was), where it and the rest of the account's queue
// wait until the user signs in again and the flag is cleared.
func (s *Scheduler) waitForReauth(d store.DueDelivery, reason string, stillUnknown bool) {
	reason = fmt.Sprintf("sign in to %s again: %s", d.Handle, reason)
	if !s.write(d, "flagging the account for signing in again", func(ctx context.Context) error {
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
	s.emit(Event{Kind: EventNeedsReauth, PostID: d.PostID, DeliveryID: d.ID, AccountID: d.AccountID, ReplyItem: d.ReplyItem, Err: reason, Text: d.Text})
}

func (s *Scheduler) fail(d store.DueDelivery, reason string) {
	if !s.write(d, "recording a failure", func(ctx context.Context) error {
		return s.st.MarkFailed(ctx, d.ID, reason)
	}) {
		return
	}
	s.log.Printf("scheduler: delivery %d of post %d to %s failed: %s", d.ID, d.PostID, d.Handle, reason)
	s.setStatus(func(st *Status) { st.LastError = reason })
	s.emit(Event{Kind: EventFailed, PostID: d.PostID, DeliveryID: d.ID, AccountID: d.AccountID, ReplyItem: d.ReplyItem, Err: reason, Text: d.Text})
}

// sent records that d went out. A publish went out when its answer came;
// a post found by reconcile went out when the network says it was made.
func (s *Scheduler) sent(d store.DueDelivery, pub platforms.Published, found bool) {
	at := s.o.Now()
	if found && !pub.At.IsZero() && pub.At.Before(at) {
		at = pub.At
	}
	at = at.Truncate(time.Millisecond)
	if !s.write(d, "recording a sent post", func(ctx context.Context) error {
		return s.st.MarkSent(ctx, d.ID, store.RemoteRef{ID: pub.Ref.ID, CID: pub.Ref.CID}, pub.URL, at)
	}) {
		return
	}
	late := ""
	if l := at.Sub(d.DueAt); l >= time.Second {
		late = fmt.Sprintf(", %s after its time", l.Round(100*time.Millisecond))
	}
	s.log.Printf("scheduler: delivery %d of post %d sent to %s: %s%s", d.ID, d.PostID, d.Handle, pub.URL, late)
	s.setStatus(func(st *Status) { st.LastError = "" })
	s.emit(Event{Kind: EventSent, PostID: d.PostID, DeliveryID: d.ID, AccountID: d.AccountID, ReplyItem: d.ReplyItem,
		DueAt: d.DueAt, SentAt: at, Text: d.Text})
}

// write writes an outcome, trying again until it lands: what the network
// did must be recorded, and a database locked by another program for a
// while must not leave the delivery in sending. It gives up when the
// delivery is no longer this process's to settle, and after one last try
// once Run's context has ended (the next start reconciles what is left).
func (s *Scheduler) write(d store.DueDelivery, what string, fn func(context.Context) error) bool {
	ctx := s.runCtx
	wait := 50 * time.Millisecond
	for tries := 1; ; tries++ {
		wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), writeTimeout)
		err := fn(wctx)
		cancel()
		switch {
		case err == nil:
			if tries > 1 {
				s.log.Printf("scheduler: %s for delivery %d of post %d: written after %d tries", what, d.ID, d.PostID, tries)
			}
			return true
		case errors.Is(err, store.ErrNotSending):
			// Settled meanwhile by another crier (it took over and
			// reconciled it): nothing left to write.
			s.log.Printf("scheduler: %s for delivery %d of post %d: it was settled meanwhile: %v", what, d.ID, d.PostID, err)
			return false
		}
		if tries == 1 || tries%20 == 0 {
			s.storeError(fmt.Sprintf("%s for delivery %d of post %d (trying again)", what, d.ID, d.PostID), err)
		}
		if ctx.Err() != nil {
			return false
		}
		if !sleep(ctx, nil, wallAfter(wait)) {
			// One last try, on the way out.
			wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), writeTimeout)
			defer cancel()
			return fn(wctx) == nil
		}
		wait = min(2*wait, maxWriteRetry)
	}
}

func (s *Scheduler) storeError(what string, err error) {
	msg := databaseError + what + ": " + describeStoreError(err)
	s.log.Printf("scheduler: database: %s: %v", what, err)
	s.setStatus(func(st *Status) { st.LastError = msg })
}

// describeStoreError says what a database error means for a person.
func describeStoreError(err error) string {
	if store.IsBusy(err) {
		return "another program is holding the database's write lock; crier keeps trying"
	}
	return err.Error()
}

// underLease runs a write that needs the sender lease. The lease may read
// as expired though nobody took it (the computer was suspended, the
// heartbeat is late): then it is renewed and the write tried once more.
func (s *Scheduler) underLease(t *tenure, fn func(now time.Time) error) error {
	err := fn(s.o.Now())
	if !errors.Is(err, store.ErrLeaseLost) {
		return err
	}
	if rerr := s.renew(t, s.o.Now()); rerr != nil {
		return err
	}
	return fn(s.o.Now())
}

// claim claims a delivery sendable by upTo under the lease, at now.
func (s *Scheduler) claim(t *tenure, id int64, now, upTo time.Time) (bool, error) {
	var claimed bool
	err := s.underLease(t, func(time.Time) (err error) {
		claimed, err = s.st.ClaimDeliveryLeased(t.ctx, id, now, upTo, s.hold)
		return err
	})
	return claimed, err
}

// network is the network of an account: from Options.Networks, else, for
// an account added since crier started, from Options.Resolve (once found,
// kept). Without one it says why, or returns Resolve's transient error,
// to be tried again later.
func (s *Scheduler) network(ctx context.Context, accountID int64) (platforms.Network, string, error) {
	if n := s.o.Networks[accountID]; n != nil {
		return n, "", nil
	}
	s.resolved.mu.Lock()
	defer s.resolved.mu.Unlock()
	if n := s.resolved.nets[accountID]; n != nil {
		return n, "", nil
	}
	if s.o.Resolve == nil {
		return nil, "it has none for it", nil
	}
	n, err := s.o.Resolve(ctx, accountID)
	switch {
	case err != nil && platforms.ClassOf(err) == platforms.Transient:
		return nil, "", err
	case err != nil:
		return nil, err.Error(), nil
	case n == nil:
		return nil, "its config does not have the account", nil
	}
	s.resolved.nets[accountID] = n
	s.log.Printf("scheduler: account %d: set up from the config, read again (it was added since crier started)", accountID)
	return n, "", nil
}

// awaitTime waits, after a claim made ahead of the delivery's time, until
// that time. It gives the claim back and reports false when the tenure
// ends meanwhile (crier stops, the lease is lost), or when, woken by a
// change to the account's queue, a post is now due before this one: that
// one goes first.
func (s *Scheduler) awaitTime(t *tenure, wake <-chan struct{}, d store.DueDelivery) bool {
	at := d.DueAt
	if !d.NextAttemptAt.IsZero() {
		at = d.NextAttemptAt
	}
	if !s.o.Now().Before(at) {
		return true
	}
	s.ahead.add(d.ID, aheadPost{at: at, post: d.PostID})
	defer s.ahead.remove(d.ID)
	s.refreshNext(t.ctx) // it is still the next post, though claimed
	for s.o.Now().Before(at) {
		if sleep(t.ctx, wake, s.at(at)) {
			if !s.o.Now().Before(at) {
				return true
			}
			next, _, _, ok, err := s.st.NextDueFor(t.ctx, d.AccountID)
			if err != nil || !ok || !next.Before(at) {
				continue // a change that does not go before it
			}
		}
		s.write(d, "giving back the claim on it, unsent", func(ctx context.Context) error {
			return s.st.ReleaseClaim(ctx, d.ID)
		})
		return false
	}
	return true
}
