package tui

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/crier-app/crier/demo"
	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/platforms/sandbox"
	"github.com/crier-app/crier/scheduler"
	"github.com/crier-app/crier/store"
)

// TestDemoEndToEnd drives the whole program as a person would: start the
// demo with its scheduler and sandbox network, visit every pane, compose and
// queue a post, see it in the calendar, and see the sandbox receive it.
func TestDemoEndToEnd(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "crier.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	zone := berlin()
	if err := demo.Seed(ctx, st, demo.Options{Seed: 3, Now: time.Now(), Zone: zone}); err != nil {
		t.Fatal(err)
	}
	c := testCommon(t, st, time.Now)
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
	m := New(c, sched)
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 40))
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case e := <-events:
				tm.Send(SchedulerMsg{Event: e})
			}
		}
	}()
	go sched.Run(ctx)

	out := tm.Output()
	var seen []byte
	// forget drops what was drawn so far, so the next wait only sees what
	// comes after it.
	forget := func() { seen = seen[:0] }
	var waitForAny func(what ...string)
	waitFor := func(what string) { waitForAny(what) }
	waitForAny = func(what ...string) {
		t.Helper()
		buf := make([]byte, 64<<10)
		for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); {
			n, _ := out.Read(buf)
			seen = append(seen, buf[:n]...)
			for _, w := range what {
				if bytes.Contains(seen, []byte(w)) {
					return
				}
			}
			time.Sleep(20 * time.Millisecond)
		}
		tm.Send(press("ctrl+c"))
		final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Model)
		t.Fatalf("waited 15s for %q; the screen is:\n%s", what, final.View())
	}
	send := func(keys ...string) {
		for _, k := range keys {
			tm.Send(press(k))
			time.Sleep(30 * time.Millisecond)
		}
	}

	// Every pane, through its number and through tab.
	waitFor("◷ scheduled")
	forget()
	send("2")
	waitFor("Drafts & queue")
	forget()
	send("3")
	waitFor("Open · all kinds")
	forget()
	send("4")
	waitFor("Top posts")
	forget()
	send("tab")
	waitFor("Monday")

	// Compose and queue.
	const text = "Pretzels at noon today, still warm"
	forget()
	send("2", "n")
	waitFor("New post")
	tm.Type(text)
	send("tab", "tab")
	tm.Type("+1m")
	waitFor("in 1m")
	forget()
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlS})
	// The drafts pane says it is queued and the scheduler says it sent it;
	// the two can land in one frame, where the later one wins, so wait for
	// either and check the sending itself in the sandbox below.
	waitForAny(": “Pretzels at noon", "queued for")
	// One delivery per account; the second may land a moment after the first.
	got := 0
	for deadline := time.Now().Add(10 * time.Second); got < len(c.Accounts) && time.Now().Before(deadline); {
		got = sandboxCopies(t, st, c.Accounts, text)
		time.Sleep(20 * time.Millisecond)
	}
	if got != len(c.Accounts) {
		t.Fatalf("the sandbox received the post %d times, want once per account (%d)", got, len(c.Accounts))
	}
	// And no more, ever: wait a little and count again.
	time.Sleep(300 * time.Millisecond)
	if got := sandboxCopies(t, st, c.Accounts, text); got != len(c.Accounts) {
		t.Fatalf("the sandbox now has %d copies, want %d", got, len(c.Accounts))
	}

	// It is in today's agenda, sent.
	forget()
	send("1", "t", "enter")
	waitFor(text[:20])

	send("q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
	final := tm.FinalModel(t).(*Model)
	if v := final.View(); !strings.Contains(v, "Pretzels") {
		t.Errorf("final screen lacks the post:\n%s", v)
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
