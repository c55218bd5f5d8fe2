package scheduler

import (
	"context"
	"fmt"

	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/store"
)

// React likes or reposts someone's post from an account (on), or takes the
// like or repost back, at once. The networks make every reaction
// idempotent, so a retry after any failure is safe. It needs no lease:
// a like is not a post, and two crier processes liking the same post leave
// one like.
func (s *Scheduler) React(ctx context.Context, accountID int64, ref platforms.Ref, r store.Reaction, on bool) error {
	net, why, err := s.network(ctx, accountID)
	switch {
	case err != nil:
		return err
	case net == nil:
		return fmt.Errorf("no network is set up for account %d: %s", accountID, why)
	}
	rx, ok := net.(platforms.Reactor)
	if !ok {
		return fmt.Errorf("%s has no likes or reposts crier can send", net.Platform())
	}
	var fn func(context.Context, platforms.Ref) error
	switch {
	case r == store.ReactLike && on:
		fn = rx.Like
	case r == store.ReactLike:
		fn = rx.Unlike
	case r == store.ReactRepost && on:
		fn = rx.Repost
	case r == store.ReactRepost:
		fn = rx.Unrepost
	default:
		return fmt.Errorf("unknown reaction %q", r)
	}
	return s.call(ctx, string(r), func(ctx context.Context) error { return fn(ctx, ref) })
}
