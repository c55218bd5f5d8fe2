package scheduler

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/store"
)

// Social listening: each sync searches the network for an account's terms
// (Options.Listen) and files what public posts it finds in the inbox as
// KindListening items. It runs after the notifications, so a post that
// both mentions the account and matches a term is filed as the mention
// (AddInboxItems keeps the first item stored under a remote id).
//
// One term's trouble stays with that term: it is reported as a sync error
// and the term backs off on its own, while the other terms and the rest of
// the sync go on.

// listenStreamPrefix names a term's sync cursor: "listen:" + the term.
const listenStreamPrefix = "listen:"

// listenState is what the sync loop remembers about an account's terms.
type listenState struct {
	terms map[string]*termSync
	// pausedUntil holds every term back after the network's rate limit,
	// which they all share.
	pausedUntil time.Time
}

type termSync struct {
	failures int
	retryAt  time.Time
	// refused is set when the network refused the search for good (a
	// missing scope, a query it cannot take): the term is not searched
	// again until crier restarts, and that was said once.
	refused bool
}

// syncListening searches for each of the account's terms that is not
// backing off and stores what is new. A network error is the term's own
// (reported, and the term backs off); only a database error is returned.
func (s *Scheduler) syncListening(ctx context.Context, a store.Account, net platforms.Network, as *accountSync) (int, error) {
	terms := s.o.Listen[a.ID]
	search, ok := net.(platforms.Searcher)
	if len(terms) == 0 || !ok {
		return 0, nil
	}
	if as.listen == nil {
		as.listen = &listenState{terms: map[string]*termSync{}}
	}
	ls := as.listen
	if s.o.Now().Before(ls.pausedUntil) {
		return 0, nil
	}
	added := 0
	for _, term := range terms {
		ts := ls.terms[term]
		if ts == nil {
			ts = &termSync{}
			ls.terms[term] = ts
		}
		if ts.refused || s.o.Now().Before(ts.retryAt) {
			continue
		}
		n, netErr, dbErr := s.listenFor(ctx, a, search, term)
		added += n
		switch {
		case ctx.Err() != nil:
			return added, nil
		case dbErr != nil:
			return added, dbErr
		case netErr != nil:
			if s.termFailed(a, ls, ts, term, netErr) {
				return added, nil // rate limited: the other terms would be too
			}
		default:
			ts.failures, ts.retryAt = 0, time.Time{}
		}
	}
	return added, nil
}

// listenFor runs one term's search from its cursor and files the results,
// returning how many were new and the network's or the database's error.
func (s *Scheduler) listenFor(ctx context.Context, a store.Account, search platforms.Searcher, term string) (n int, netErr, dbErr error) {
	stream := listenStreamPrefix + term
	cursor, err := s.st.SyncCursor(ctx, a.ID, stream)
	if err != nil {
		return 0, nil, dbError(err)
	}
	var posts []platforms.RemotePost
	var next string
	if err := s.call(ctx, "searching for "+term, func(ctx context.Context) (err error) {
		posts, next, err = search.Search(ctx, term, cursor)
		return err
	}); err != nil {
		return 0, err, nil
	}
	var items []store.InboxItem
	for _, p := range posts {
		if it, ok := listeningItem(a, term, p, s.o.Now()); ok {
			items = append(items, it)
		}
	}
	n, err = s.storePull(ctx, a.ID, stream, items, cursor, next)
	return n, nil, err
}

// termFailed reports a term's failed search and decides when to search for
// it again: after SyncInterval, doubling with each failure up to
// maxSyncBackoff, or when a rate limit lifts, which holds back all the
// account's terms (it reports true then). A search refused for good is
// not tried again until crier restarts.
func (s *Scheduler) termFailed(a store.Account, ls *listenState, ts *termSync, term string, err error) (rateLimited bool) {
	msg := fmt.Sprintf("%s: listening for %q: %v", a.Handle, term, err)
	var pe *platforms.Error
	errors.As(err, &pe)
	if pe != nil && pe.Class == platforms.Permanent {
		// A search refused for the credentials (Mastodon's read:search
		// scope, say) must not stop publishing: the account is not
		// flagged, the user is told.
		ts.refused = true
		if pe.Reauth {
			msg += "; sign in again to let crier search"
		}
		msg += "; not searching for it again until crier restarts"
		s.log.Printf("scheduler: sync %s", msg)
		s.syncError(a.ID, msg, time.Time{})
		return false
	}
	ts.failures++
	wait := s.o.SyncInterval
	for i := 1; i < ts.failures && wait < maxSyncBackoff; i++ {
		wait *= 2
	}
	wait = min(wait, maxSyncBackoff)
	limited := pe != nil && pe.Class == platforms.RateLimited
	if limited && pe.RetryAt.Sub(s.o.Now()) > wait {
		wait = pe.RetryAt.Sub(s.o.Now())
	}
	ts.retryAt = s.o.Now().Add(wait)
	if limited {
		ls.pausedUntil = ts.retryAt
	}
	s.log.Printf("scheduler: sync %s; next try at %s", msg, ts.retryAt.Format(time.RFC3339))
	s.syncError(a.ID, msg, ts.retryAt)
	return limited
}

// listeningItem turns a post a search found into an inbox item, unless the
// account wrote it itself. now stands in for a post without a time.
func listeningItem(a store.Account, term string, p platforms.RemotePost, now time.Time) (store.InboxItem, bool) {
	if p.Ref.ID == "" || ownHandle(a, p.Author.Handle) {
		return store.InboxItem{}, false
	}
	it := store.InboxItem{
		AccountID:       a.ID,
		Platform:        a.Platform,
		RemoteID:        p.Ref.ID,
		RemoteCID:       p.Ref.CID,
		Kind:            store.KindListening,
		Term:            term,
		AuthorHandle:    p.Author.Handle,
		AuthorName:      p.Author.Name,
		AuthorFollowers: p.Author.Followers,
		Body:            p.Text,
		URL:             p.URL,
		ReceivedAt:      p.CreatedAt,
	}
	if it.ReceivedAt.IsZero() {
		it.ReceivedAt = now
	}
	if p.ReplyTo != nil {
		it.InReplyTo = p.ReplyTo.ID
	}
	if p.Root != nil && p.Root.ID != "" {
		it.ThreadRoot, it.RootCID = p.Root.ID, p.Root.CID
	} else {
		it.ThreadRoot = it.InReplyTo
	}
	return it, true
}

// ownHandle reports whether a post's author handle is the account's own.
// Handles are compared without a leading @ and ignoring case. A Mastodon
// server names its own users without their domain ("shop" for
// @shop@example.social), so a bare name matches the account's user part.
func ownHandle(a store.Account, author string) bool {
	norm := func(h string) string { return strings.ToLower(strings.TrimPrefix(strings.TrimSpace(h), "@")) }
	ours, theirs := norm(a.Handle), norm(author)
	if theirs == "" {
		return false
	}
	if ours == theirs {
		return true
	}
	if a.Platform != store.PlatformMastodon || strings.Contains(theirs, "@") {
		return false
	}
	user, _, _ := strings.Cut(ours, "@")
	return user == theirs
}
