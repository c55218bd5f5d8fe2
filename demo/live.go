package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/crier-app/crier/store"
)

// LiveDelay is how soon after the demo starts its live post comes due.
const LiveDelay = 90 * time.Second

// QueueLive queues one post to every account, due LiveDelay after now, so a
// person who just started the demo sees the scheduler send it to the sandbox
// and the calendar mark it sent, without doing anything. It returns the
// post's id.
func QueueLive(ctx context.Context, st *store.Store, now time.Time, zone *time.Location) (int64, error) {
	accounts, err := st.Accounts(ctx)
	if err != nil {
		return 0, err
	}
	if len(accounts) == 0 {
		return 0, fmt.Errorf("the demo has no accounts to post to")
	}
	p := store.Post{
		Body: "Fresh out of the oven right now: a second batch of cinnamon buns. 🥐 " +
			"(This is the demo's live post: watch the calendar mark it sent.)",
	}
	for _, a := range accounts {
		p.Targets = append(p.Targets, store.Target{AccountID: a.ID})
	}
	id, err := st.SaveDraft(ctx, p, now)
	if err != nil {
		return 0, err
	}
	if err := st.QueuePost(ctx, id, now.Add(LiveDelay), zone.String(), now); err != nil {
		return 0, err
	}
	return id, nil
}
