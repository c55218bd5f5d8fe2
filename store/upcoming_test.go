package store

import (
	"context"
	"strings"
	"testing"
	"time"
)

// Upcoming lists the posts on their way soonest first, failed and missed
// among them, without drafts, sent posts or replies, through the state
// index.
func TestUpcoming(t *testing.T) {
	st := openTest(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	acc, err := st.UpsertAccount(ctx, Account{Platform: PlatformSandbox, Handle: "shop"})
	if err != nil {
		t.Fatal(err)
	}
	save := func(body string) int64 {
		id, err := st.SaveDraft(ctx, Post{Body: body, Targets: []Target{{AccountID: acc}}}, now)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	save("a draft")
	later := save("later")
	sooner := save("sooner")
	for id, at := range map[int64]time.Time{later: now.Add(2 * time.Hour), sooner: now.Add(time.Hour)} {
		if err := st.QueuePost(ctx, id, at, "UTC", now); err != nil {
			t.Fatal(err)
		}
	}
	got, err := st.Upcoming(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != sooner || got[1].ID != later || len(got[0].Copies) != 1 {
		t.Fatalf("upcoming %+v", got)
	}
	if got, _ := st.Upcoming(ctx, 1); len(got) != 1 || got[0].ID != sooner {
		t.Errorf("limit 1: %+v", got)
	}
	s, err := st.Summary(ctx, later)
	if err != nil || s.Body != "later" || s.State != PostQueued || len(s.Copies) != 1 {
		t.Errorf("summary %+v, %v", s, err)
	}
	if _, err := st.Summary(ctx, 9999); err == nil {
		t.Error("a post that isn't there has a summary")
	}
	if plan := explain(t, st, upcomingSQL, 10); !strings.Contains(plan, "posts_state_updated") {
		t.Errorf("Upcoming does not read posts by state:\n%s", plan)
	}
}
