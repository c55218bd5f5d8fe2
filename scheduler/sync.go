package scheduler

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/sentiment/tone"
	"github.com/crier-app/crier/store"
)

const (
	// maxSyncBackoff caps the wait after an account's sync failed again
	// and again.
	maxSyncBackoff = 30 * time.Minute
	// followersGrain is how far apart the follower history keeps its
	// counts. The count itself is read on every sync, so the figure a
	// person looks at is never older than one (store.RecordFollowersNow).
	followersGrain = 6 * time.Hour
	// metricsBatch bounds the posts whose counters one sync reads per
	// account; the youngest go first and the rest wait for the next sync.
	metricsBatch = 200
)

// accountSync is what the sync loop remembers about one account.
type accountSync struct {
	failures   int
	retryAt    time.Time            // no interval sync before this, after errors
	parts      map[string]*partSync // the parts that failed on their own
	noMessages bool                 // the network refused direct messages for good
	noMetrics  bool                 // the network cannot give post counters
	listen     *listenState         // social listening's terms (listen.go)
}

// partSync is one part of an account's sync (notifications, post
// metrics, ...) after it failed by itself: it backs off on its own while
// the account's other parts keep their interval.
type partSync struct {
	failures int
	retryAt  time.Time
}

func (as *accountSync) part(name string) *partSync {
	if as.parts == nil {
		as.parts = map[string]*partSync{}
	}
	ps := as.parts[name]
	if ps == nil {
		ps = &partSync{}
		as.parts[name] = ps
	}
	return ps
}

// SyncNow asks for a sync of every account at once, whether or not this
// process holds the sender lease and whatever backoff an account is in. It
// never blocks; a request made while one is pending is merged with it.
func (s *Scheduler) SyncNow() {
	select {
	case s.syncNow <- struct{}{}:
	default:
	}
}

// syncable reports whether any network can be synced at all.
func (s *Scheduler) syncable() bool {
	for _, n := range s.o.Networks {
		if canSync(n) {
			return true
		}
	}
	return false
}

func canSync(n platforms.Network) bool {
	_, notifier := n.(platforms.Notifier)
	_, messenger := n.(platforms.DirectMessenger)
	_, metrics := n.(platforms.MetricsReader)
	return notifier || messenger || metrics
}

// kickSync starts an interval sync now (when this process has just become
// the sender). It never blocks.
func (s *Scheduler) kickSync() {
	select {
	case s.syncKick <- struct{}{}:
	default:
	}
}

// syncLoop syncs every SyncInterval while this process holds the sender
// lease (so several open criers don't each pull the same data), as soon as
// it takes the lease, and at once on SyncNow. It runs beside the publishing
// loop and never holds it up.
func (s *Scheduler) syncLoop(ctx context.Context) {
	state := map[int64]*accountSync{}
	marketing := &marketingSync{}
	// With Resolve, an account added to the config later may have
	// something to sync, though none has now.
	periodic := s.syncable() || s.o.Plausible != nil || s.o.Resolve != nil
	next := s.o.Now().Add(s.o.SyncInterval)
	for {
		tm := never
		if periodic {
			tm = s.until(next)
		}
		fire, stop := tm.c, tm.stop
		onDemand := false
		select {
		case <-ctx.Done():
			stop()
			return
		case <-s.syncNow:
			stop()
			onDemand = true
		case <-s.syncKick:
			stop()
			if !periodic {
				continue
			}
		case <-fire:
			if s.o.Now().Before(next) {
				continue // woke early to check the clock
			}
		}
		// The next round is an interval after this one began, not after it
		// ended: a slow round (or a clock that moved meanwhile) must not push
		// every later round back.
		began := s.o.Now()
		if onDemand || s.Status().Sender {
			s.syncRound(ctx, state, onDemand, began)
			s.syncMarketing(ctx, marketing, onDemand)
		}
		next = began.Add(s.o.SyncInterval)
	}
}

// syncRound syncs each account that has something to sync, isn't waiting
// for a sign-in and (unless asked on demand) isn't backing off. What it
// brings is as of began, when the round began: Status.LastSync says so.
func (s *Scheduler) syncRound(ctx context.Context, state map[int64]*accountSync, onDemand bool, began time.Time) {
	if s.o.RecordAdded != nil {
		if err := s.o.RecordAdded(ctx); err != nil && ctx.Err() == nil {
			s.log.Printf("scheduler: looking for accounts added to the config: %v", err)
		}
	}
	accounts, err := s.st.Accounts(ctx)
	if err != nil {
		if ctx.Err() == nil {
			s.syncError(0, fmt.Sprintf("database: reading accounts: %v", err), time.Time{})
		}
		return
	}
	added, synced := 0, 0
	for _, a := range accounts {
		if a.NeedsReauth {
			continue
		}
		// An account added to the config since crier started is synced
		// too, once Resolve can set it up; until then it is passed over
		// quietly (its posts say why they cannot go out).
		net, _, _ := s.network(ctx, a.ID)
		if net == nil || !canSync(net) {
			continue
		}
		as := state[a.ID]
		if as == nil {
			as = &accountSync{}
			state[a.ID] = as
		}
		if !onDemand && s.o.Now().Before(as.retryAt) {
			continue
		}
		n, partFailed, err := s.syncAccount(ctx, a, net, as, onDemand)
		if ctx.Err() != nil {
			return
		}
		added += n // what was stored before an error stays stored
		if err != nil {
			s.syncFailed(ctx, a, as, err)
			continue
		}
		as.failures, as.retryAt = 0, time.Time{}
		if !partFailed {
			synced++
		}
	}
	if synced == 0 {
		return
	}
	s.setStatus(func(st *Status) { st.LastSync = began })
	s.emit(Event{Kind: EventSynced, Count: added})
}

// syncFailed backs an account off after a failed sync: exponentially from
// SyncInterval up to maxSyncBackoff, or until a rate limit lifts. An account
// whose credentials were refused is flagged and left alone until the user
// signs in again.
func (s *Scheduler) syncFailed(ctx context.Context, a store.Account, as *accountSync, err error) {
	as.failures++
	wait := s.syncBackoff(as.failures)
	var pe *platforms.Error
	errors.As(err, &pe)
	if pe != nil && pe.Class == platforms.RateLimited && pe.RetryAt.Sub(s.o.Now()) > wait {
		wait = pe.RetryAt.Sub(s.o.Now())
	}
	as.retryAt = s.o.Now().Add(wait)
	msg := fmt.Sprintf("%s: %v", a.Handle, err)
	if pe != nil && pe.Class == platforms.Permanent && pe.Reauth {
		wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), writeTimeout)
		defer cancel()
		if ferr := s.st.SetNeedsReauth(wctx, a.ID, true); ferr != nil {
			msg += fmt.Sprintf(" (and the account could not be flagged: %v)", ferr)
		}
		msg += "; sign in again"
		s.log.Printf("scheduler: sync %s", msg)
		s.emit(Event{Kind: EventNeedsReauth, AccountID: a.ID, Err: msg})
		return
	}
	s.log.Printf("scheduler: sync %s; next try at %s", msg, as.retryAt.Format(time.RFC3339))
	s.syncError(a.ID, msg, as.retryAt)
}

// syncBackoff is the wait after failures failed syncs in a row: from
// SyncInterval, doubling, up to maxSyncBackoff.
func (s *Scheduler) syncBackoff(failures int) time.Duration {
	wait := s.o.SyncInterval
	for i := 1; i < failures && wait < maxSyncBackoff; i++ {
		wait *= 2
	}
	return min(wait, maxSyncBackoff)
}

// partFailed backs off one part of an account's sync after it failed by
// itself; the other parts go on at their interval.
func (s *Scheduler) partFailed(a store.Account, ps *partSync, err error) {
	ps.failures++
	ps.retryAt = s.o.Now().Add(s.syncBackoff(ps.failures))
	msg := fmt.Sprintf("%s: %v", a.Handle, err)
	s.log.Printf("scheduler: sync %s; this part next at %s (the rest of the account's sync goes on)", msg, ps.retryAt.Format(time.RFC3339))
	s.syncError(a.ID, msg, ps.retryAt)
}

// accountWide reports whether a sync error concerns the whole account
// rather than the part that met it: credentials refused, a rate limit (the
// budget is the account's), the database.
func accountWide(err error) bool {
	var pe *platforms.Error
	if errors.As(err, &pe) {
		return pe.Class == platforms.RateLimited || (pe.Class == platforms.Permanent && pe.Reauth)
	}
	var se *storeError
	return errors.As(err, &se)
}

func (s *Scheduler) syncError(account int64, msg string, retryAt time.Time) {
	s.emit(Event{Kind: EventSyncError, AccountID: account, Err: msg, RetryAt: retryAt})
}

// syncAccount pulls what is new for one account and returns how many new
// inbox items it stored. Each part (direct messages, notifications,
// listening, post metrics, followers) runs unless it is backing off after a
// failure of its own (onDemand runs them all). A part's failure backs off
// that part alone, and partFailed reports that one did; an error that
// concerns the whole account (see accountWide) ends the sync and is
// returned, for the caller to back the account off.
func (s *Scheduler) syncAccount(ctx context.Context, a store.Account, net platforms.Network, as *accountSync, onDemand bool) (added int, partFailed bool, err error) {
	part := func(name string, fn func() (int, error)) error {
		ps := as.part(name)
		if !onDemand && s.o.Now().Before(ps.retryAt) {
			return nil
		}
		n, err := fn()
		added += n
		if err == nil {
			ps.failures, ps.retryAt = 0, time.Time{}
			return nil
		}
		err = fmt.Errorf("%s: %w", name, err)
		if ctx.Err() != nil || accountWide(err) {
			return err
		}
		partFailed = true
		s.partFailed(a, ps, err)
		return nil
	}
	// Direct messages first: a direct message that mentions the account
	// comes as a notification too, and the first kind stored stays.
	if m, ok := net.(platforms.DirectMessenger); ok && !as.noMessages {
		if err := part("direct messages", func() (int, error) {
			got, err := s.syncMessages(ctx, a, m)
			if err != nil && platforms.ClassOf(err) == platforms.Permanent {
				// The network or the account has no direct messages for us
				// (a missing scope, DMs switched off): say so once, in the
				// log, and stop asking until crier restarts.
				as.noMessages = true
				s.log.Printf("scheduler: sync %s: direct messages are not available for this account, not asking again: %v",
					a.Handle, err)
				return got, nil
			}
			return got, err
		}); err != nil {
			return added, partFailed, err
		}
	}
	if n, ok := net.(platforms.Notifier); ok {
		if err := part("notifications", func() (int, error) { return s.syncNotifications(ctx, a, n) }); err != nil {
			return added, partFailed, err
		}
	}
	if err := part("listening", func() (int, error) { return s.syncListening(ctx, a, net, as) }); err != nil {
		return added, partFailed, err
	}
	if r, ok := net.(platforms.MetricsReader); ok {
		if !as.noMetrics {
			if err := part("post metrics", func() (int, error) {
				err := s.syncMetrics(ctx, a, r)
				var pe *platforms.Error
				if errors.As(err, &pe) && pe.Class == platforms.Permanent && !pe.Reauth {
					// The server cannot give post counters (it refuses the
					// calls for them): say so once and stop asking until
					// crier restarts; the rest of the sync is unaffected.
					as.noMetrics = true
					msg := fmt.Sprintf("%s: post metrics are not available from this server, not asking again: %v", a.Handle, err)
					s.log.Printf("scheduler: sync %s", msg)
					s.syncError(a.ID, msg, time.Time{})
					return 0, nil
				}
				return 0, err
			}); err != nil {
				return added, partFailed, err
			}
		}
		if err := part("followers", func() (int, error) { return 0, s.syncFollowers(ctx, a, r) }); err != nil {
			return added, partFailed, err
		}
	}
	if c, ok := net.(platforms.PostChecker); ok {
		if err := part("checking open items", func() (int, error) { return 0, s.recheckInbox(ctx, a, c) }); err != nil {
			return added, partFailed, err
		}
	}
	return added, partFailed, nil
}

func (s *Scheduler) syncNotifications(ctx context.Context, a store.Account, n platforms.Notifier) (int, error) {
	ns, cursor, next, err := pullPage(s, ctx, a, store.StreamNotifications, "reading notifications", n.Notifications)
	if err != nil {
		return 0, err
	}
	var items []store.InboxItem
	for _, x := range ns {
		if it, ok := inboxItem(a, x); ok {
			items = append(items, it)
		}
	}
	return s.storePull(ctx, a.ID, store.StreamNotifications, items, cursor, next)
}

func (s *Scheduler) syncMessages(ctx context.Context, a store.Account, m platforms.DirectMessenger) (int, error) {
	ms, cursor, next, err := pullPage(s, ctx, a, store.StreamMessages, "reading direct messages", m.Messages)
	if err != nil {
		return 0, err
	}
	var items []store.InboxItem
	for _, msg := range ms {
		if msg.FromMe {
			continue
		}
		items = append(items, store.InboxItem{
			AccountID:       a.ID,
			Platform:        a.Platform,
			RemoteID:        msg.ID,
			Kind:            store.KindDM,
			AuthorHandle:    msg.Author.Handle,
			AuthorName:      msg.Author.Name,
			AuthorFollowers: msg.Author.Followers,
			Body:            msg.Text,
			ThreadRoot:      msg.ConversationID,
			ReceivedAt:      msg.At,
		})
	}
	return s.storePull(ctx, a.ID, store.StreamMessages, items, cursor, next)
}

// pullPage reads the page of a's stream that follows its saved cursor, as
// what (a network call that may be retried); storePull then stores it and
// moves the cursor on.
func pullPage[T any](s *Scheduler, ctx context.Context, a store.Account, stream, what string,
	read func(context.Context, string) ([]T, string, error)) (page []T, cursor, next string, err error) {
	if cursor, err = s.st.SyncCursor(ctx, a.ID, stream); err != nil {
		return nil, "", "", dbError(err)
	}
	err = s.call(ctx, what, func(ctx context.Context) (err error) {
		page, next, err = read(ctx, cursor)
		return err
	})
	return page, cursor, next, err
}

// storePull reads the tone of what a pull brought (tone.Read), stores it,
// then moves the cursor past it.
func (s *Scheduler) storePull(ctx context.Context, account int64, stream string, items []store.InboxItem, cursor, next string) (int, error) {
	added := 0
	if len(items) > 0 {
		tone.Read(items)
		var err error
		if added, err = s.st.AddInboxItems(ctx, items); err != nil {
			return 0, dbError(err)
		}
	}
	if next != cursor {
		if err := s.st.SetSyncCursor(ctx, account, stream, next, s.o.Now()); err != nil {
			return added, dbError(err)
		}
	}
	return added, nil
}

// inboxItem turns a notification someone wrote (a mention, a reply, a
// quote) into an inbox item; likes, reposts and follows are not.
func inboxItem(a store.Account, n platforms.Notification) (store.InboxItem, bool) {
	var kind store.InboxKind
	switch n.Kind {
	case platforms.NotifyMention:
		kind = store.KindMention
	case platforms.NotifyReply:
		kind = store.KindReply
	case platforms.NotifyQuote:
		kind = store.KindQuote
	default:
		return store.InboxItem{}, false
	}
	p := n.Post
	if p == nil || p.Ref.ID == "" {
		return store.InboxItem{}, false
	}
	author := p.Author
	if author.Handle == "" {
		author = n.Author
	}
	it := store.InboxItem{
		AccountID:       a.ID,
		Platform:        a.Platform,
		RemoteID:        p.Ref.ID,
		RemoteCID:       p.Ref.CID,
		Kind:            kind,
		AuthorHandle:    author.Handle,
		AuthorName:      author.Name,
		AuthorFollowers: author.Followers,
		Body:            p.Text,
		URL:             p.URL,
		ReceivedAt:      p.CreatedAt,
	}
	if it.ReceivedAt.IsZero() {
		it.ReceivedAt = n.At
	}
	if p.ReplyTo != nil {
		it.InReplyTo = p.ReplyTo.ID
	}
	switch {
	case p.Root != nil && p.Root.ID != "":
		it.ThreadRoot, it.RootCID = p.Root.ID, p.Root.CID
	default:
		// Mastodon names only the parent: the conversation is keyed by it.
		it.ThreadRoot = it.InReplyTo
	}
	// A quote answers our post without replying to it: the conversation
	// shows our post above it, but the quote starts a thread of its own,
	// which is where an answer to it goes.
	if kind == store.KindQuote && it.InReplyTo == "" && n.Subject != nil {
		it.InReplyTo = n.Subject.ID
	}
	return it, true
}

// syncMetrics reads the counters of the account's posts that are due a
// reading and stores them.
func (s *Scheduler) syncMetrics(ctx context.Context, a store.Account, r platforms.MetricsReader) error {
	now := s.o.Now()
	targets, err := s.st.DeliveriesForMetrics(ctx, a.ID, now, metricsBatch)
	if err != nil {
		return dbError(err)
	}
	if len(targets) == 0 {
		return nil
	}
	refs := make([]platforms.Ref, len(targets))
	for i, t := range targets {
		refs[i] = platforms.Ref{ID: t.Remote.ID, CID: t.Remote.CID}
	}
	counts, err := read(ctx, s, "reading post metrics", func(ctx context.Context) (map[string]platforms.Counts, error) {
		return r.PostCounts(ctx, refs)
	})
	if err != nil {
		return err
	}
	byDelivery := make(map[int64]store.Metrics, len(counts))
	for _, t := range targets {
		if c, ok := counts[t.Remote.ID]; ok {
			byDelivery[t.DeliveryID] = store.Metrics{Likes: c.Likes, Reposts: c.Reposts, Replies: c.Replies, Quotes: c.Quotes}
		}
	}
	if err := s.st.RecordMetrics(ctx, now, byDelivery); err != nil {
		return dbError(err)
	}
	return nil
}

// syncFollowers reads the follower count on every sync (one small call)
// and records it as the current figure, keeping the history at
// followersGrain.
func (s *Scheduler) syncFollowers(ctx context.Context, a store.Account, r platforms.MetricsReader) error {
	n, err := read(ctx, s, "reading the follower count", r.Followers)
	if err != nil {
		return err
	}
	if err := s.st.RecordFollowersNow(ctx, a.ID, s.o.Now(), n, followersGrain); err != nil {
		return dbError(err)
	}
	return nil
}

// recheckInbox asks the network whether the account's open items still
// exist, as many as it answers cheaply per sync (the longest unasked
// first, so every open item comes round), and marks those whose authors
// deleted them.
func (s *Scheduler) recheckInbox(ctx context.Context, a store.Account, c platforms.PostChecker) error {
	items, err := s.st.InboxToRecheck(ctx, a.ID, c.ChecksPerSync())
	if err != nil {
		return dbError(err)
	}
	if len(items) == 0 {
		return nil
	}
	refs := make([]platforms.Ref, len(items))
	for i, it := range items {
		refs[i] = platforms.Ref{ID: it.RemoteID, CID: it.RemoteCID}
	}
	gone, err := read(ctx, s, "checking open items", func(ctx context.Context) ([]string, error) {
		return c.Gone(ctx, refs)
	})
	if err != nil {
		return err
	}
	byRemote := make(map[string]int64, len(items))
	checked := make([]int64, len(items))
	for i, it := range items {
		byRemote[it.RemoteID], checked[i] = it.ID, it.ID
	}
	var goneIDs []int64
	for _, id := range gone {
		if itemID, ok := byRemote[id]; ok {
			goneIDs = append(goneIDs, itemID)
		}
	}
	n, err := s.st.MarkInboxChecked(ctx, checked, goneIDs, s.o.Now())
	if err != nil {
		return dbError(err)
	}
	if n > 0 {
		s.log.Printf("scheduler: sync %s: %d open item(s) deleted by their authors", a.Handle, n)
	}
	return nil
}

// storeError is a sync's failure to read or write the database: the
// account's whole sync waits, not one part.
type storeError struct{ err error }

func (e *storeError) Error() string { return "database: " + e.err.Error() }
func (e *storeError) Unwrap() error { return e.err }

func dbError(err error) error { return &storeError{err} }
