package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/crier-app/crier/demo"
	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/platforms/sandbox"
	"github.com/crier-app/crier/scheduler"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/tuitest"
)

// TestDemoEndToEnd drives the whole program as a person would: start the
// demo with its scheduler and sandbox network, visit every pane, compose and
// queue a post, see it in the calendar, and see the sandbox receive it.
func TestDemoEndToEnd(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st := tuitest.Store(t)
	if err := demo.Seed(ctx, st, demo.Options{Seed: 3, Now: time.Now(), Zone: tuitest.Berlin}); err != nil {
		t.Fatal(err)
	}
	clock := tuitest.NewClock(time.Now().In(tuitest.Berlin))
	c := testCommon(t, st, clock)
	c.Now = time.Now // the scheduler sends on the wall clock: so does the app
	nets := map[int64]platforms.Network{}
	for _, a := range c.Accounts {
		nets[a.ID] = sandbox.New(a.Handle, st)
	}
	events := make(chan scheduler.Event, 64)
	// The post is queued for "+1m"; the scheduler's clock runs two minutes
	// ahead so the test need not wait a minute for it to come due.
	sched := scheduler.New(scheduler.Options{
		Store: st, Networks: nets, Events: events,
		Now:          func() time.Time { return time.Now().Add(2 * time.Minute) },
		MissedPolicy: scheduler.PolicyGrace, MissedGrace: 15 * time.Minute,
	})
	c.Waker = sched
	app := tuitest.Start(t, clock, New(c, sched), 120, 40)
	// The scheduler's events reach the program as main forwards them, and
	// the test counts the sends.
	sent := make(chan scheduler.Event, 64)
	forwarded := make(chan struct{})
	go func() {
		defer close(forwarded)
		for {
			select {
			case <-ctx.Done():
				return
			case e := <-events:
				app.Send(SchedulerMsg{Event: e})
				if e.Kind == scheduler.EventSent {
					sent <- e
				}
			}
		}
	}()
	ran := make(chan struct{})
	go func() {
		defer close(ran)
		sched.Run(ctx)
	}()

	// Every pane, through its number and through tab.
	app.WaitView("◷ scheduled")
	for _, step := range []struct{ key, want string }{
		{"2", "Drafts & queue"}, {"3", "Open · all kinds"}, {"4", "Top posts"}, {"5", "campaigns · as of"}, {"tab", "Monday"},
	} {
		app.Press(step.key)
		app.WaitView(step.want)
	}

	// Compose and queue.
	const text = "Pretzels at noon today, still warm"
	app.Press("2", "n")
	app.WaitView("New post")
	app.Type(text)
	app.Press("tab", "tab")
	app.Type("+1m")
	app.WaitView("in 1m")
	app.Press("ctrl+s")
	// The drafts pane says it is queued and the scheduler says it sent it;
	// the later one wins the status bar.
	app.WaitView(": “Pretzels at noon", "queued for")
	// One send per account, as the scheduler reports them.
	post := int64(0)
	for range c.Accounts {
		select {
		case e := <-sent:
			if post != 0 && e.PostID != post {
				t.Fatalf("the scheduler sent post %d and post %d; only one was queued", post, e.PostID)
			}
			post = e.PostID
		case <-time.After(tuitest.Patience):
			t.Fatalf("the scheduler did not send the post to every account within %v", tuitest.Patience)
		}
	}

	// It is in today's agenda, sent.
	app.Press("1", "t", "enter")
	app.WaitView(text[:20])

	app.Press("q")
	if v := app.Final().(*Model).View(); !strings.Contains(v, "Pretzels") {
		t.Errorf("final screen lacks the post:\n%s", v)
	}
	// And never again: with the scheduler stopped, the sandbox holds one
	// copy per account.
	cancel()
	<-ran
	<-forwarded
	if got := sandboxCopies(t, st, c.Accounts, text); got != len(c.Accounts) {
		t.Fatalf("the sandbox received the post %d times, want once per account (%d)", got, len(c.Accounts))
	}
}

func sandboxCopies(t *testing.T, st *store.Store, accounts []store.Account, text string) int {
	t.Helper()
	got := 0
	for _, a := range accounts {
		recs, err := st.SandboxPosts(context.Background(), a.Handle)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			if r.Body == text {
				got++
			}
		}
	}
	return got
}
