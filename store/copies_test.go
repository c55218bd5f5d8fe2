package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// halfSent is a post queued for Mastodon and Bluesky at at, whose Bluesky
// copy (with its own text) went out 7 minutes late and whose Mastodon copy
// the server refused.
type halfSentFixture struct {
	st       *Store
	id       int64
	m, b     int64
	at, now  time.Time
	sentAt   time.Time
	bskyText string
}

func halfSent(t *testing.T) halfSentFixture {
	t.Helper()
	ctx := context.Background()
	st := openTest(t)
	f := halfSentFixture{st: st,
		m:        mustAccount(t, st, PlatformMastodon, "@shop@example.social"),
		b:        mustAccount(t, st, PlatformBluesky, "shop.bsky.social"),
		at:       time.Date(2026, 11, 25, 10, 30, 0, 0, time.UTC),
		now:      time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC),
		bskyText: "Five years! Thank you all."}
	f.sentAt = f.at.Add(7 * time.Minute)
	var err error
	f.id, err = st.SaveDraft(ctx, Post{Body: "Five years of Rye & Shine, a long thank-you…",
		Targets: []Target{{AccountID: f.m}, {AccountID: f.b, BodyOverride: f.bskyText, HasOverride: true}},
		Media:   []Media{{Path: "/pics/cake.jpg", Mime: "image/jpeg", AltText: "a cake"}}}, f.at.Add(-48*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.QueuePost(ctx, f.id, f.at, "Europe/Berlin", f.at.Add(-24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	mustExec(t, st, "UPDATE deliveries SET state = 'sent', sent_at = ?, remote_url = 'https://bsky.app/x', likes = 4, attempts = 1 WHERE post_id = ? AND account_id = ?",
		f.sentAt.UnixMilli(), f.id, f.b)
	mustExec(t, st, "UPDATE deliveries SET state = 'failed', attempts = 1, first_attempt_at = ?, last_error = 'Validation failed: Text character limit of 500 exceeded (HTTP 422)' WHERE post_id = ? AND account_id = ?",
		f.at.UnixMilli(), f.id, f.m)
	mustExec(t, st, "UPDATE posts SET state = 'failed' WHERE id = ?", f.id)
	return f
}

func mustExec(t *testing.T, st *Store, q string, args ...any) {
	t.Helper()
	if _, err := st.db.Exec(q, args...); err != nil {
		t.Fatal(err)
	}
}

func (f halfSentFixture) delivery(t *testing.T, account int64) Delivery {
	t.Helper()
	ds, err := f.st.PostDeliveries(context.Background(), f.id)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if d.AccountID == account {
			return d
		}
	}
	t.Fatalf("post %d has no delivery for account %d", f.id, account)
	return Delivery{}
}

func TestSummariesCarryEachCopy(t *testing.T) {
	f := halfSent(t)
	ctx := context.Background()
	between, err := f.st.PostsBetween(ctx, f.at.Add(-time.Hour), f.at.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	unsent, err := f.st.Unsent(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	for name, list := range map[string][]PostSummary{"PostsBetween": between, "Unsent": unsent} {
		if len(list) != 1 || len(list[0].Copies) != 2 {
			t.Fatalf("%s: %+v", name, list)
		}
		p := list[0]
		m, b := p.Copies[0], p.Copies[1]
		if m.Platform != PlatformMastodon || m.State != DeliveryFailed || m.LastError == "" || m.OwnText {
			t.Errorf("%s: Mastodon copy %+v", name, m)
		}
		if b.Platform != PlatformBluesky || b.State != DeliverySent || !b.SentAt.Equal(f.sentAt) || !b.OwnText ||
			b.Text != f.bskyText || b.RemoteURL != "https://bsky.app/x" || b.Metrics.Likes != 4 {
			t.Errorf("%s: Bluesky copy %+v", name, b)
		}
		if got := b.Late(p.ScheduledAt); got != 7*time.Minute {
			t.Errorf("%s: Bluesky copy %s late, want 7m", name, got)
		}
		if m.Late(p.ScheduledAt) != 0 {
			t.Errorf("%s: a failed copy is late", name)
		}
		if len(p.Media) != 1 || p.Media[0].AltText != "a cake" {
			t.Errorf("%s: media %+v", name, p.Media)
		}
		if p.LastError != m.LastError || len(p.Platforms) != 2 {
			t.Errorf("%s: platforms %v, error %q", name, p.Platforms, p.LastError)
		}
	}
}

func TestLateCountsFromTheChosenTime(t *testing.T) {
	chosen := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
	// A missed copy sent "now" has its due time moved to then; it is late
	// from the time the person chose.
	c := Copy{State: DeliverySent, DueAt: chosen.Add(3 * time.Hour), SentAt: chosen.Add(3*time.Hour + 4*time.Second)}
	if got := c.Late(chosen); got != 3*time.Hour+4*time.Second {
		t.Fatalf("late %s", got)
	}
	// A half-sent post moved later: its sent copy is late from its own due time.
	c = Copy{State: DeliverySent, DueAt: chosen, SentAt: chosen.Add(2 * time.Second)}
	if got := c.Late(chosen.Add(24 * time.Hour)); got != 2*time.Second {
		t.Fatalf("late %s", got)
	}
	if got := (Copy{State: DeliverySent, DueAt: chosen, SentAt: chosen.Add(-time.Second)}).Late(chosen); got != 0 {
		t.Fatalf("early counts as late: %s", got)
	}
}

func TestSaveUnsentKeepsAQueuedPostQueued(t *testing.T) {
	ctx := context.Background()
	st := openTest(t)
	m := mustAccount(t, st, PlatformMastodon, "@shop@example.social")
	b := mustAccount(t, st, PlatformBluesky, "shop.bsky.social")
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	at := now.Add(24 * time.Hour)
	id, err := st.SaveDraft(ctx, Post{Body: "Rye", Targets: []Target{{AccountID: m}, {AccountID: b}}}, now)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.QueuePost(ctx, id, at, "Europe/Berlin", now); err != nil {
		t.Fatal(err)
	}
	before, _ := st.PostDeliveries(ctx, id)

	// Bluesky gets a text of its own; both copies stay queued, as they were.
	p, _ := st.Post(ctx, id)
	p.Targets[1] = Target{AccountID: b, BodyOverride: "Rye!", HasOverride: true}
	if err := st.SaveUnsent(ctx, p, now); err != nil {
		t.Fatal(err)
	}
	after, _ := st.PostDeliveries(ctx, id)
	if got, _ := st.Post(ctx, id); got.State != PostQueued || !got.ScheduledAt.Equal(at) || !got.Targets[1].HasOverride {
		t.Fatalf("after the edit: %+v", got)
	}
	if len(after) != 2 || after[0] != before[0] || after[1] != before[1] {
		t.Fatalf("deliveries before %+v\nafter %+v", before, after)
	}
	due, err := st.DueDeliveries(ctx, at, 10)
	if err != nil || len(due) != 2 || due[1].Text != "Rye!" || due[0].Text != "Rye" {
		t.Fatalf("due at its time: %+v %v", due, err)
	}

	// Once it is due (or nearly), a scheduler may have read it: no change.
	p.Body = "Rye, spelt"
	if err := st.SaveUnsent(ctx, p, at.Add(-10*time.Second)); !errors.Is(err, ErrDueNow) {
		t.Fatalf("saving a copy that is due = %v", err)
	}
	// Unless its account waits to sign in again: no scheduler takes it then.
	mustExec(t, st, "UPDATE accounts SET needs_reauth = 1")
	if err := st.SaveUnsent(ctx, p, at.Add(time.Hour)); err != nil {
		t.Fatalf("saving a copy that waits for its account = %v", err)
	}
	mustExec(t, st, "UPDATE accounts SET needs_reauth = 0")

	// A new time moves the queued copies; a new account gets a copy; a
	// dropped account loses its copy.
	later := at.Add(2 * time.Hour)
	p, _ = st.Post(ctx, id)
	p.ScheduledAt, p.Targets = later, p.Targets[1:]
	if err := st.SaveUnsent(ctx, p, now); err != nil {
		t.Fatal(err)
	}
	after, _ = st.PostDeliveries(ctx, id)
	if len(after) != 1 || after[0].AccountID != b || !after[0].DueAt.Equal(later) {
		t.Fatalf("after moving and taking Mastodon off: %+v", after)
	}

	// While a copy is being sent nothing changes.
	mustExec(t, st, "UPDATE deliveries SET state = 'sending' WHERE post_id = ?", id)
	p.Body = "Rye and spelt"
	if err := st.SaveUnsent(ctx, p, now); !errors.Is(err, ErrSendingNow) {
		t.Fatalf("saving while sending = %v", err)
	}
	// A draft is saved as a draft.
	d, _ := st.SaveDraft(ctx, Post{Body: "draft"}, now)
	if err := st.SaveUnsent(ctx, Post{ID: d, Body: "x", Targets: []Target{{AccountID: m}}}, now); !errors.Is(err, ErrNotUnsent) {
		t.Fatalf("SaveUnsent on a draft = %v", err)
	}
}

func TestSaveUnsentNeverTouchesTheCopyThatWentOut(t *testing.T) {
	f := halfSent(t)
	ctx := context.Background()
	orig, _ := f.st.Post(ctx, f.id)
	sentBefore := f.delivery(t, f.b)
	failedBefore := f.delivery(t, f.m)

	for name, change := range map[string]func(p *Post){
		"Bluesky's text":    func(p *Post) { p.Targets[1].BodyOverride = "edited after it went out" },
		"Bluesky's account": func(p *Post) { p.Targets = p.Targets[:1] },
		"the images":        func(p *Post) { p.Media = nil },
	} {
		p, _ := f.st.Post(ctx, f.id)
		change(&p)
		if err := f.st.SaveUnsent(ctx, p, f.now); !errors.Is(err, ErrWentOut) {
			t.Errorf("changing %s = %v, want ErrWentOut", name, err)
		}
	}
	// The failed Mastodon copy gets a text of its own (or a shorter body):
	// allowed, and it stays failed, with its reason, until it is sent again.
	p, _ := f.st.Post(ctx, f.id)
	p.Body = "Five years! Thank you, Linden Street."
	if err := f.st.SaveUnsent(ctx, p, f.now); err != nil {
		t.Fatal(err)
	}
	if got := f.delivery(t, f.b); got != sentBefore {
		t.Fatalf("the sent copy changed:\n%+v\n%+v", sentBefore, got)
	}
	if got := f.delivery(t, f.m); got.State != DeliveryFailed || got.LastError != failedBefore.LastError {
		t.Fatalf("the failed copy is now %+v", got)
	}
	if got, _ := f.st.Post(ctx, f.id); got.State != PostFailed || got.Targets[1].BodyOverride != orig.Targets[1].BodyOverride {
		t.Fatalf("post after the fix: %+v", got)
	}
}

// A new time given to a failed or missed post in the composer moves it, as
// the calendar's move does: its unsent copies are queued again at that time
// (each as a new post to its network), never left failed or missed at a
// time they were not given, and the copy that went out stays as it went.
func TestSaveUnsentWithANewTimeQueuesTheUnsentCopiesAgain(t *testing.T) {
	ctx := context.Background()
	for _, state := range []DeliveryState{DeliveryFailed, DeliveryMissed} {
		f := halfSent(t)
		mustExec(t, f.st, "UPDATE deliveries SET state = ? WHERE post_id = ? AND account_id = ?", state, f.id, f.m)
		mustExec(t, f.st, "UPDATE posts SET state = ? WHERE id = ?", state, f.id)
		sentBefore := f.delivery(t, f.b)
		unsentBefore := f.delivery(t, f.m)
		later := f.now.Add(24 * time.Hour)
		p, _ := f.st.Post(ctx, f.id)
		p.Body, p.ScheduledAt = "Five years! Thank you, Linden Street.", later
		if err := f.st.SaveUnsent(ctx, p, f.now); err != nil {
			t.Fatalf("%s: %v", state, err)
		}
		got := f.delivery(t, f.m)
		if got.State != DeliveryQueued || !got.DueAt.Equal(later) || got.Attempts != 0 || got.LastError != "" ||
			!got.FirstAttemptAt.IsZero() || got.IdempotencyKey == unsentBefore.IdempotencyKey {
			t.Errorf("%s copy given a new time = %+v, want queued again at %v as a new post", state, got, later)
		}
		if got := f.delivery(t, f.b); got != sentBefore {
			t.Errorf("%s: the sent copy changed:\n%+v\n%+v", state, sentBefore, got)
		}
		if post, _ := f.st.Post(ctx, f.id); post.State != PostQueued || !post.ScheduledAt.Equal(later) {
			t.Errorf("%s post given a new time = %s at %v, want queued at %v", state, post.State, post.ScheduledAt, later)
		}
		if due, _ := f.st.DueDeliveries(ctx, later, 10); len(due) != 1 || due[0].ID != got.ID || due[0].Text != p.Body {
			t.Errorf("%s: due at the new time: %+v", state, due)
		}
	}
}

func TestRetryUnsentSendsTheFailedCopyAlone(t *testing.T) {
	f := halfSent(t)
	ctx := context.Background()
	sentBefore := f.delivery(t, f.b)
	failedBefore := f.delivery(t, f.m)
	if err := f.st.RetryUnsent(ctx, f.id, f.now); err != nil {
		t.Fatal(err)
	}
	got := f.delivery(t, f.m)
	if got.State != DeliveryQueued || !got.DueAt.Equal(f.now) || got.Attempts != 0 || got.LastError != "" ||
		got.IdempotencyKey == failedBefore.IdempotencyKey {
		t.Fatalf("retried copy %+v", got)
	}
	var first any
	f.st.db.QueryRow("SELECT first_attempt_at FROM deliveries WHERE id = ?", got.ID).Scan(&first)
	if first != nil {
		t.Fatalf("first attempt kept: %v", first)
	}
	if f.delivery(t, f.b) != sentBefore {
		t.Fatal("the sent copy changed")
	}
	if p, _ := f.st.Post(ctx, f.id); p.State != PostQueued {
		t.Fatalf("post %s after the retry", p.State)
	}
	if err := f.st.RetryUnsent(ctx, f.id, f.now); err == nil {
		t.Fatal("retrying with nothing failed succeeded")
	}
	// It is the next thing due.
	if _, d, _, ok, _ := f.st.NextDue(ctx); !ok || d != got.ID {
		t.Fatalf("next due %d %v, want %d", d, ok, got.ID)
	}
}

func TestDropUnsentLeavesThePostSent(t *testing.T) {
	f := halfSent(t)
	ctx := context.Background()
	if err := f.st.DropUnsent(ctx, f.id, f.now); err != nil {
		t.Fatal(err)
	}
	if p, _ := f.st.Post(ctx, f.id); p.State != PostSent {
		t.Fatalf("post %s after dropping its failed copy", p.State)
	}
	if d := f.delivery(t, f.m); d.State != DeliveryDropped {
		t.Fatalf("failed copy is %s", d.State)
	}

	// A post whose only copy failed goes back to the drafts.
	st := f.st
	id, _ := st.SaveDraft(ctx, Post{Body: "alone", Targets: []Target{{AccountID: f.m}}}, f.now)
	st.QueuePost(ctx, id, f.at, "UTC", f.now)
	mustExec(t, st, "UPDATE deliveries SET state = 'failed' WHERE post_id = ?", id)
	mustExec(t, st, "UPDATE posts SET state = 'failed' WHERE id = ?", id)
	if err := st.DropUnsent(ctx, id, f.now); err != nil {
		t.Fatal(err)
	}
	if p, _ := st.Post(ctx, id); p.State != PostDraft {
		t.Fatalf("post %s after dropping its only copy", p.State)
	}
}

func TestRescheduleGivesAFailedCopyANewIdentity(t *testing.T) {
	f := halfSent(t)
	ctx := context.Background()
	sentBefore := f.delivery(t, f.b)
	failedBefore := f.delivery(t, f.m)
	later := f.now.Add(3 * time.Hour)
	if err := f.st.ReschedulePost(ctx, f.id, later, "Europe/Berlin", f.now); err != nil {
		t.Fatal(err)
	}
	got := f.delivery(t, f.m)
	if got.State != DeliveryQueued || !got.DueAt.Equal(later) || got.IdempotencyKey == failedBefore.IdempotencyKey || got.Attempts != 0 {
		t.Fatalf("moved copy %+v", got)
	}
	if f.delivery(t, f.b) != sentBefore {
		t.Fatal("the sent copy changed")
	}
}

// TestCopyQueriesUseIndexes: the copies and images of a calendar range and
// of the drafts list are read through indexes, never a scan of a table.
func TestCopyQueriesUseIndexes(t *testing.T) {
	st := openTest(t)
	for name, where := range map[string]string{
		"range": "p.scheduled_at >= 1 AND p.scheduled_at < 2",
		"ids":   "p.id IN (1, 2, 3)",
	} {
		for what, q := range map[string]string{
			"copies": "SELECT " + copyCols + copyJoins + " WHERE " + where + " ORDER BY t.post_id, t.account_id",
			"images": "SELECT m.post_id FROM posts p JOIN post_media m ON m.post_id = p.id WHERE " + where +
				" ORDER BY m.post_id, m.position",
		} {
			plan := explain(t, st, q)
			for _, line := range strings.Split(plan, "\n") {
				if strings.HasPrefix(strings.TrimSpace(line), "SCAN ") && !strings.Contains(line, "USING") {
					t.Errorf("%s %s scans a table:\n%s", name, what, plan)
				}
			}
		}
	}
}
