package tui

// The queue and an A/B test, used as a person would at a 120x40 terminal
// over the demo: three posts go into the queue (two from the drafts list,
// one written in the composer), an A/B test is made from a draft, its plan
// is read before it starts, it starts, results come in (the networks'
// counters and imported clicks, written to the store as a sync and an
// import do) and the verdict is read.

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/tuitest"
)

func TestQueueAndABTestFlow(t *testing.T) {
	ctx := context.Background()
	clock := tuitest.NewClock(frozen)
	st := seededStore(t)
	c := testCommon(t, st, clock)
	app := tuitest.Start(t, clock, New(c, nil), 120, 40)
	app.WaitView("◷ scheduled")

	queuedBefore := countQueued(t, st, c.Accounts)

	// Two drafts from the list, each into the next free slots.
	app.Press("2")
	app.WaitView("Drafts & queue")
	for range 2 {
		app.Press("g", "a")
		app.WaitView("added to the queue:")
	}
	// One written in the composer and added with its key.
	app.Press("n")
	app.WaitView("New post")
	app.Type("Rye crackers are back on the shelf")
	app.Press("ctrl+q")
	app.WaitView("queued for")
	if got := countQueued(t, st, c.Accounts); got < queuedBefore+3 {
		t.Fatalf("queued copies: %d before, %d after adding three posts", queuedBefore, got)
	}
	// The queue view shows them in their slots.
	app.Press("Q")
	view := screenWith(app, "Weekly slots")
	if !strings.Contains(view, "Rye crackers are back") && !strings.Contains(view, "Next free:") {
		t.Errorf("the queue view:\n%s", view)
	}
	app.Press("esc")
	app.WaitView("Drafts & queue")

	// An A/B test from the first draft: the plan shows before it starts.
	app.Press("g", "b")
	app.WaitView("New A/B test")
	app.Type("Two words on the same post, B")
	app.Press("enter")
	view = screenWith(app, "A/B test planned")
	for _, want := range []string{"round 1: A ", "round 2: B ", "round 3: A ", "utm_content=ab"} {
		if !strings.Contains(view, want) {
			t.Errorf("the plan lacks %q:\n%s", want, view)
		}
	}
	tests, err := st.ABTests(ctx)
	if err != nil || len(tests) == 0 {
		t.Fatal(tests, err)
	}
	test := tests[0]
	if test.State != store.ABPlanned {
		t.Fatalf("before s the test is %s", test.State)
	}
	app.Press("s")
	app.WaitView("started A/B test")
	app.WaitView("not enough data yet: about")
	// Three rounds of two variants for each account, in its own slots (the
	// demo's accounts post at different times).
	plan, err := st.ABPlan(ctx, test.ID)
	perAccount := map[int64]int{}
	for _, p := range plan {
		for _, a := range p.Accounts {
			perAccount[a]++
		}
	}
	if err != nil || len(perAccount) != len(test.Accounts) {
		t.Fatalf("plan: %v %v", plan, err)
	}
	for a, n := range perAccount {
		if n != 6 {
			t.Errorf("account %d gets %d posts of the test, not 6: %v", a, n, plan)
		}
	}
	for _, p := range plan {
		if p.PostID == 0 {
			t.Fatalf("round %d %s was not queued", p.Round+1, p.Label)
		}
	}

	// Results: every planned copy goes out and its counters are read (B's
	// draw more), and the link clicks of each variant are imported.
	engaged := map[string]store.Metrics{"A": {Likes: 20, Reposts: 2}, "B": {Likes: 60, Reposts: 9, Replies: 4}}
	for _, p := range plan {
		ds, err := st.PostDeliveries(ctx, p.PostID)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			if err := st.MarkSent(ctx, d.ID, store.RemoteRef{ID: fmt.Sprint("ab-", d.ID)}, "", p.At); err != nil {
				t.Fatal(err)
			}
			if err := st.RecordMetrics(ctx, p.At.Add(24*60*60*1e9), map[int64]store.Metrics{d.ID: engaged[p.Label]}); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, v := range test.Variants {
		clicks := map[string]int64{"A": 40, "B": 110}[v.Label]
		if err := st.RecordABResults(ctx, v.ID, 6000, clicks, clicks/10, 0, clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
	app.Send(common.DataChangedMsg{What: "results"})
	view = screenWith(app, "Clicks: B is best")
	for _, want := range []string{"Clicks: B is best", "probable", "best, on clicks", ">99.9%"} {
		if !strings.Contains(view, want) {
			t.Errorf("the verdict lacks %q:\n%s", want, view)
		}
	}
	app.Quit()
}

// screenWith waits for what and returns the screen that shows it.
func screenWith(app *tuitest.App, what string) string {
	var screen string
	app.WaitFor(what, func(view string) bool {
		screen = view
		return strings.Contains(view, what)
	})
	return screen
}

// countQueued counts the queued copies of every account's queue.
func countQueued(t *testing.T, st *store.Store, accounts []store.Account) int {
	t.Helper()
	n := 0
	for _, a := range accounts {
		es, err := st.Queue(context.Background(), a.ID, frozen, 10000)
		if err != nil {
			t.Fatal(err)
		}
		n += len(es)
	}
	return n
}

// With an account's queue paused, what is added to the queue waits: the
// drafts list and the composer say the copy is held, rather than only the
// slot it would have gone out at; the list's row says it too.
func TestAddingToAPausedQueueSaysItIsHeld(t *testing.T) {
	ctx := context.Background()
	clock := tuitest.NewClock(frozen)
	st := seededStore(t)
	c := testCommon(t, st, clock)
	for _, a := range c.Accounts {
		if a.Platform == store.PlatformMastodon {
			if _, err := st.PauseQueue(ctx, a.ID, frozen); err != nil {
				t.Fatal(err)
			}
		}
	}
	app := tuitest.Start(t, clock, New(c, nil), 120, 40)
	app.WaitView("◷ scheduled")
	app.Press("2")
	app.WaitView("Drafts & queue")
	app.Press("g", "a")
	app.WaitView("added to the queue (the Mastodon copy is held: its queue is paused)")
	app.WaitView("Mastodon held: its queue is paused")

	app.Press("n")
	app.WaitView("New post")
	app.Type("Rye crackers are back on the shelf")
	app.Press("ctrl+q")
	app.WaitView("queued (the Mastodon copy is held: its queue is paused) for")
}

// A post a paused queue holds on every network reads "held" in the drafts
// list's state, not "queued": it will not go out at its time.
func TestAPostHeldWholeReadsHeldInTheList(t *testing.T) {
	ctx := context.Background()
	clock := tuitest.NewClock(frozen)
	st := seededStore(t)
	c := testCommon(t, st, clock)
	for _, a := range c.Accounts {
		if _, err := st.PauseQueue(ctx, a.ID, frozen); err != nil {
			t.Fatal(err)
		}
	}
	app := tuitest.Start(t, clock, New(c, nil), 120, 40)
	app.Press("2")
	app.WaitView("Drafts & queue")
	app.Press("g", "a")
	app.WaitView("added to the queue")
	app.WaitView("▸ held ")
}
