package scheduler

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/crier-app/crier/store"
)

// tenure is one stretch of holding the sender lease. Its context ends when
// Run's does or the lease is (or may be) lost, which stops sending at once:
// calls in flight are cancelled and nothing more is claimed.
type tenure struct {
	ctx    context.Context
	cancel context.CancelFunc
	// fresh: the lease was taken from no one or from another holder, so
	// what was left in flight must be settled before sending.
	fresh bool
	beat  chan struct{} // closed when the heartbeat has stopped

	mu      sync.Mutex
	expires time.Time // as last written by this process
	reason  string    // why the tenure ended, when it was lost
}

func (t *tenure) setExpires(at time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.expires = at
}

func (t *tenure) expiresAt() time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.expires
}

// lose ends the tenure because the lease is gone, or may be.
func (t *tenure) lose(reason string) {
	t.mu.Lock()
	if t.reason == "" {
		t.reason = reason
	}
	t.mu.Unlock()
	t.cancel()
}

func (t *tenure) lostReason() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.reason
}

// acquire takes the sender lease and starts the heartbeat. While another
// process holds it, it waits: until the lease expires, until a data change
// says the holder may have released it, and, when the holder runs on this
// machine, checking every holderCheckEvery that its process still exists.
// It returns nil when ctx ends first.
func (s *Scheduler) acquire(ctx context.Context) *tenure {
	ttl := s.o.LeaseTTL
	said := "" // the holder the last Debug line named
	for ctx.Err() == nil {
		now := s.o.Now()
		info, held, err := s.st.Lease(ctx, store.SenderLease)
		if err == nil && held && info.ID != s.o.Holder.ID && info.ExpiresAt.After(now) && s.holderGone(info) {
			// Its process died on this machine (killed, crashed): no
			// need to wait for its lease to run out.
			s.log.Printf("scheduler: %s is gone; taking over its lease", info.LeaseHolder)
			_, info, err = s.st.TakeOverLease(ctx, store.SenderLease, s.o.Holder, info.ID, now, ttl)
		}
		if err == nil && (!held || info.ID == s.o.Holder.ID || !info.ExpiresAt.After(now)) {
			var got bool
			got, info, err = s.st.AcquireLease(ctx, store.SenderLease, s.o.Holder, now, ttl)
			if err == nil && got {
				return s.startTenure(info)
			}
		}
		wake := now.Add(ttl / 2)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			msg := databaseError + "taking the sender lease: " + describeStoreError(err)
			s.log.Printf("scheduler: database: taking the sender lease: %v", err)
			s.setStatus(func(st *Status) { st.Sender, st.LastError = false, msg })
		} else {
			holder := info.String()
			s.setStatus(func(st *Status) { st.Sender, st.Holder = false, holder })
			// What is next is still worth showing, though someone else sends it.
			s.refreshNext(ctx)
			if expired := info.ExpiresAt.Add(time.Millisecond); expired.Before(wake) {
				wake = expired
			}
			if check := now.Add(holderCheckEvery); info.Host == s.o.Holder.Host && check.Before(wake) {
				wake = check
			}
			// It looks again as often as every quarter second: said once
			// for each holder it sees.
			if s.o.Debug && holder != said {
				s.log.Printf("scheduler: debug: %s sends as of %s; looking again at %s", holder, now.Format(debugTime), wake.Format(debugTime))
				said = holder
			}
		}
		s.nextLook.Store(wake.UnixNano())
		sleep(ctx, s.wake, s.at(wake))
	}
	return nil
}

// startTenure begins a tenure under the lease described by info.
func (s *Scheduler) startTenure(info store.LeaseInfo) *tenure {
	t := &tenure{fresh: !info.AcquiredAt.Equal(s.acquiredAt), beat: make(chan struct{}), expires: info.ExpiresAt}
	t.ctx, t.cancel = context.WithCancel(s.runCtx)
	s.acquiredAt = info.AcquiredAt
	go func() {
		defer close(t.beat)
		s.heartbeat(t)
	}()
	if t.fresh {
		s.log.Printf("scheduler: this crier (%s) sends", s.o.Holder)
	}
	s.setStatus(func(st *Status) {
		st.Sender, st.Holder = true, ""
		clearDatabaseError(st)
	})
	s.kickSync()
	s.kickPlan()
	return t
}

// endTenure stops the heartbeat after a tenure's context ended. When Run is
// ending, the lease is released so another crier can take over at once;
// when the lease was lost, the status says so.
func (s *Scheduler) endTenure(ctx context.Context, t *tenure) {
	t.cancel()
	<-t.beat
	if ctx.Err() != nil {
		if s.abandon {
			return
		}
		wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), writeTimeout)
		defer cancel()
		if err := s.st.ReleaseLease(wctx, s.hold); err != nil {
			s.log.Printf("scheduler: database: releasing the sender lease (it expires by itself): %v", err)
		}
		return
	}
	reason := t.lostReason()
	s.log.Printf("scheduler: stopped sending: %s", reason)
	s.setStatus(func(st *Status) { st.Sender, st.LastError = false, stoppedSending+reason })
}

// What a database error or a lost lease puts before the status's
// LastError. Either says crier keeps trying; once the database answers
// and the lease is crier's again, it has no more to try.
const (
	databaseError  = "database: "
	stoppedSending = "stopped sending: "
)

// clearDatabaseError clears the status's error when it is one of the
// database's or a lost lease's: the lease was written, so neither holds
// any more. A network's error stays until its account sends again.
func clearDatabaseError(st *Status) {
	if strings.HasPrefix(st.LastError, databaseError) || strings.HasPrefix(st.LastError, stoppedSending) {
		st.LastError = ""
	}
}

// heartbeat renews the lease every third of LeaseTTL until the tenure ends.
// When renewing fails it tries more often, and gives the tenure up before
// the lease could expire: past that, another crier may take over.
func (s *Scheduler) heartbeat(t *tenure) {
	ttl := s.o.LeaseTTL
	// The first beat is timed from when the lease was written, not from
	// when this goroutine got to run, and each next beat from the one
	// before, not from when its write returned: a slow start or a slow
	// database doesn't stretch the gaps.
	next := t.expiresAt().Add(-ttl).Add(ttl / 3)
	for sleep(t.ctx, nil, s.at(next)) {
		now := s.o.Now()
		err := s.renew(t, now)
		next = now.Add(ttl / 3)
		switch {
		case err == nil:
			s.setStatus(clearDatabaseError)
		case t.ctx.Err() != nil:
			return
		case errors.Is(err, store.ErrLeaseLost):
			t.lose(s.holderNow(t.ctx) + " took over the lease")
			return
		default:
			s.log.Printf("scheduler: database: renewing the sender lease: %v", err)
			// Judged after the failed write, which may have waited out the
			// busy timeout: a lease that may lapse before the next try is
			// given up while it is still ours.
			if after := s.o.Now(); !after.Add(ttl / 6).Before(t.expiresAt()) {
				t.lose("could not renew the sender lease: " + describeStoreError(err))
				return
			}
			next = now.Add(ttl / 10)
		}
	}
}

// renew renews the lease at now. A lease that ran out while this process
// held it means the process did not run meanwhile: the computer slept, or
// the process was stopped (no heartbeat could run, and a failing one gives
// the tenure up before the lease runs out). What came due in that time came
// due while crier was not running, and the missed policy judges it as at a
// start, in the same write that renews the lease, so none of it is claimed
// first.
func (s *Scheduler) renew(t *tenure, now time.Time) error {
	ttl := s.o.LeaseTTL
	expires := t.expiresAt()
	var cutoff time.Time
	if !expires.After(now) {
		switch s.o.MissedPolicy {
		case PolicySkip:
			cutoff = now
		case PolicyGrace:
			cutoff = now.Add(-s.o.MissedGrace)
		}
	}
	if cutoff.IsZero() {
		info, err := s.st.RenewLease(t.ctx, s.hold, now, ttl)
		if err == nil {
			t.setExpires(info.ExpiresAt)
		}
		return err
	}
	asleep := expires.Add(-ttl) // the last renewal: it ran then
	info, missed, err := s.st.RenewLeaseHoldingBack(t.ctx, s.hold, now, ttl, asleep, cutoff)
	if err != nil {
		return err
	}
	t.setExpires(info.ExpiresAt)
	if len(missed) > 0 {
		s.log.Printf("scheduler: %d deliveries came due between %s and %s, while crier was not running (the computer slept or the process was stopped): held back as missed",
			len(missed), asleep.Format(time.RFC3339), now.Format(time.RFC3339))
		s.emit(Event{Kind: EventMissed, Count: len(missed)})
	}
	return nil
}

// holderGone reports whether the lease's holder ran on this machine and
// its process no longer exists. A pid reused since by another process reads
// as alive, which only means waiting for the lease to expire.
func (s *Scheduler) holderGone(info store.LeaseInfo) bool {
	return info.Host == s.o.Holder.Host && info.PID > 0 && info.PID != s.o.Holder.PID && !processAlive(info.PID)
}

// holderNow names whoever holds the lease now, for messages.
func (s *Scheduler) holderNow(ctx context.Context) string {
	info, ok, err := s.st.Lease(context.WithoutCancel(ctx), store.SenderLease)
	if err != nil || !ok {
		return "another crier"
	}
	return info.String()
}

// leaseError ends the tenure when err says the lease is lost, and reports
// whether it did.
func (s *Scheduler) leaseError(t *tenure, err error) bool {
	if !errors.Is(err, store.ErrLeaseLost) {
		return false
	}
	t.lose(s.holderNow(t.ctx) + " took over the lease")
	return true
}
