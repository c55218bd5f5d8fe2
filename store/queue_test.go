package store

import (
	"context"
	"errors"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Skipf("no tz database: %v", err)
	}
	return loc
}

func mustSlots(t testing.TB, text string) []QueueSlot {
	t.Helper()
	s, err := ParseQueueSlots(text)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestParseQueueSlots(t *testing.T) {
	got := mustSlots(t, "Mon-Fri 08:00 12:30, sat 07:30; Fri-Mon 20:00")
	var names []string
	for _, s := range got {
		names = append(names, s.String())
	}
	want := "Sun 20:00 Mon 08:00 Mon 12:30 Mon 20:00 Tue 08:00 Tue 12:30 Wed 08:00 Wed 12:30 Thu 08:00 Thu 12:30 " +
		"Fri 08:00 Fri 12:30 Fri 20:00 Sat 07:30 Sat 20:00"
	if strings.Join(names, " ") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(names, " "), want)
	}
	for _, bad := range []string{"Mon", "Funday 08:00", "Mon 25:00", "Mon 8am"} {
		if _, err := ParseQueueSlots(bad); err == nil {
			t.Errorf("%q: no error", bad)
		} else if !strings.Contains(err.Error(), "queue slots") {
			t.Errorf("%q: error does not say where: %v", bad, err)
		}
	}
}

// TestSlotsAcrossDST checks that slots keep their wall-clock time on both
// sides of each daylight-saving change, in Berlin and New York, and that a
// slot in the hour the clocks skip goes out once, an hour later, and one in
// the hour that happens twice goes out once.
func TestSlotsAcrossDST(t *testing.T) {
	for _, c := range []struct {
		zone           string
		spring, autumn time.Time // a day before each change, local midnight
	}{
		{"Europe/Berlin", time.Date(2026, 3, 28, 0, 0, 0, 0, time.UTC), time.Date(2026, 10, 24, 0, 0, 0, 0, time.UTC)},
		{"America/New_York", time.Date(2026, 3, 7, 0, 0, 0, 0, time.UTC), time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC)},
	} {
		loc := mustZone(t, c.zone)
		sch := QueueSchedule{Zone: c.zone, loc: loc, Slots: mustSlots(t, "Mon-Sun 02:30 08:00")}
		for _, day := range []time.Time{c.spring, c.autumn} {
			from := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, loc)
			got := sch.SlotsBetween(from, from.AddDate(0, 0, 3))
			var local []string
			for _, at := range got {
				local = append(local, at.In(loc).Format("Mon 15:04 MST"))
			}
			if len(got) != 6 {
				t.Fatalf("%s from %s: %d slots in 3 days, want 6: %v", c.zone, day.Format(time.DateOnly), len(got), local)
			}
			for i, at := range got {
				l := at.In(loc)
				want := []int{2*60 + 30, 8 * 60}[i%2]
				if m := l.Hour()*60 + l.Minute(); m != want {
					// Only the skipped 02:30 may move, to 03:30.
					if !(want == 150 && m == 210 && i/2 == 1 && day == c.spring) {
						t.Errorf("%s: slot %d at %s, want %02d:%02d", c.zone, i, l.Format(time.DateTime+" MST"), want/60, want%60)
					}
				}
			}
			// 08:00 is 24h apart except across the change, where it is 23h or 25h.
			gaps := []time.Duration{got[3].Sub(got[1]), got[5].Sub(got[3])}
			wantGap := 23 * time.Hour
			if day == c.autumn {
				wantGap = 25 * time.Hour
			}
			if gaps[0] != wantGap || gaps[1] != 24*time.Hour {
				t.Errorf("%s from %s: 08:00 to 08:00 %v then %v, want %v then 24h: %v", c.zone, day.Format(time.DateOnly), gaps[0], gaps[1], wantGap, local)
			}
		}
	}
}

func queueFixture(t *testing.T) (*Store, int64, int64, *time.Location, time.Time) {
	t.Helper()
	st := openTest(t)
	loc := mustZone(t, "Europe/Berlin")
	a := mustAccount(t, st, PlatformMastodon, "@bakery@example.social")
	b := mustAccount(t, st, PlatformBluesky, "bakery.example.com")
	ctx := context.Background()
	if err := st.SetQueueSchedule(ctx, a, "Europe/Berlin", mustSlots(t, "Mon-Fri 08:00 12:30, Sat 07:30")); err != nil {
		t.Fatal(err)
	}
	if err := st.SetQueueSchedule(ctx, b, "Europe/Berlin", mustSlots(t, "Mon-Sat 09:00")); err != nil {
		t.Fatal(err)
	}
	// Thursday 26 March 2026, 10:00 CET; the clocks go forward on Sunday.
	return st, a, b, loc, time.Date(2026, 3, 26, 10, 0, 0, 0, loc)
}

func draft(t *testing.T, st *Store, body string, now time.Time, accounts ...int64) int64 {
	t.Helper()
	p := Post{Body: body}
	for _, a := range accounts {
		p.Targets = append(p.Targets, Target{AccountID: a})
	}
	id, err := st.SaveDraft(context.Background(), p, now)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func localTimes(loc *time.Location, ts ...time.Time) string {
	var out []string
	for _, t := range ts {
		out = append(out, t.In(loc).Format("Mon 02 15:04"))
	}
	return strings.Join(out, ", ")
}

func TestAddToQueueFillsFreeSlots(t *testing.T) {
	st, a, b, loc, now := queueFixture(t)
	ctx := context.Background()
	schA, err := st.QueueSchedule(ctx, a)
	if err != nil || schA.Zone != "Europe/Berlin" || len(schA.Slots) != 11 || schA.Paused() {
		t.Fatalf("schedule %+v, %v", schA, err)
	}

	// A post queued by hand at Thursday 12:30 takes that slot.
	manual := draft(t, st, "by hand", now, a)
	if err := st.QueuePost(ctx, manual, time.Date(2026, 3, 26, 12, 30, 0, 0, loc), "Europe/Berlin", now); err != nil {
		t.Fatal(err)
	}
	var got []time.Time
	for i := range 4 {
		id := draft(t, st, "queued "+itoa(i), now, a, b)
		at, err := st.AddToQueue(ctx, id, now)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, at[a], at[b])
		p, err := st.Post(ctx, id)
		if err != nil || p.State != PostQueued || !p.ScheduledAt.Equal(earlier(at[a], at[b])) {
			t.Errorf("post %d: %s at %v (%v); copies at %v", id, p.State, p.ScheduledAt, err, at)
		}
	}
	// Mastodon: Fri 08:00, Fri 12:30, Sat 07:30, Mon 08:00 (CEST from Sunday);
	// Bluesky: Fri 09:00, Sat 09:00, Mon 09:00, Tue 09:00.
	want := "Fri 27 08:00, Fri 27 09:00, Fri 27 12:30, Sat 28 09:00, Sat 28 07:30, Mon 30 09:00, Mon 30 08:00, Tue 31 09:00"
	if s := localTimes(loc, got...); s != want {
		t.Errorf("slots\n got %s\nwant %s", s, want)
	}
	q, err := st.Queue(ctx, a, now, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(q) != 4 || q[0].Text != "queued 0" || q[3].Text != "queued 3" {
		t.Errorf("queue of a: %+v", q)
	}

	// A freed slot is filled first.
	if err := st.UnqueuePost(ctx, q[1].PostID, now); err != nil {
		t.Fatal(err)
	}
	next, err := st.NextFreeSlot(ctx, a, now)
	if err != nil || localTimes(loc, next) != "Fri 27 12:30" {
		t.Errorf("next free after unqueueing: %s, %v", localTimes(loc, next), err)
	}

	// No schedule, no queue.
	c := mustAccount(t, st, PlatformSandbox, "sandbox")
	id := draft(t, st, "nowhere", now, a, c)
	if _, err := st.AddToQueue(ctx, id, now); !errors.Is(err, ErrNoSlots) {
		t.Errorf("account without slots: %v", err)
	}
	if p, _ := st.Post(ctx, id); p.State != PostDraft {
		t.Errorf("a refused post became %s", p.State)
	}
	if ds, _ := st.PostDeliveries(ctx, id); len(ds) != 0 {
		t.Errorf("a refused post has %d copies", len(ds))
	}
}

func TestNextFreeSlotSkipsTakenWeeks(t *testing.T) {
	st, a, _, loc, now := queueFixture(t)
	ctx := context.Background()
	// Take every slot of the next five weeks by hand.
	sch, _ := st.QueueSchedule(ctx, a)
	slots := sch.SlotsBetween(now.Add(dueGuard), now.AddDate(0, 0, 35))
	for i, at := range slots {
		id := draft(t, st, "taken "+itoa(i), now, a)
		if err := st.QueuePost(ctx, id, at.Add(20*time.Second), "Europe/Berlin", now); err != nil {
			t.Fatal(err)
		}
	}
	next, err := st.NextFreeSlot(ctx, a, now)
	if err != nil {
		t.Fatal(err)
	}
	want := sch.SlotsBetween(slots[len(slots)-1].Add(time.Second), now.AddDate(0, 0, 60))[0]
	if !next.Equal(want) {
		t.Errorf("next free %s, want %s", localTimes(loc, next), localTimes(loc, want))
	}
	if err := st.SetQueueSchedule(ctx, a, "Europe/Berlin", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := st.NextFreeSlot(ctx, a, now); !errors.Is(err, ErrNoSlots) {
		t.Errorf("no slots: %v", err)
	}
	if err := st.SetQueueSchedule(ctx, a, "Mars/Olympus", nil); err == nil || !strings.Contains(err.Error(), "Mars/Olympus") {
		t.Errorf("unknown zone: %v", err)
	}
}

func TestReorderAndShuffleQueue(t *testing.T) {
	st, a, _, loc, now := queueFixture(t)
	ctx := context.Background()
	var ids []int64
	for i := range 5 {
		id := draft(t, st, "post "+itoa(i), now, a)
		if _, err := st.AddToQueue(ctx, id, now); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	order := func() (texts []string, times []time.Time) {
		q, err := st.Queue(ctx, a, now, 10)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range q {
			texts, times = append(texts, e.Text), append(times, e.DueAt)
		}
		return texts, times
	}
	before, slots := order()
	q, _ := st.Queue(ctx, a, now, 10)
	if err := st.MoveInQueue(ctx, a, q[3].DeliveryID, 0, now); err != nil {
		t.Fatal(err)
	}
	after, times := order()
	if want := []string{"post 3", "post 0", "post 1", "post 2", "post 4"}; !reflect.DeepEqual(after, want) {
		t.Errorf("after moving the 4th first: %v (was %v)", after, before)
	}
	if !reflect.DeepEqual(times, slots) {
		t.Errorf("the slots changed: %s, were %s", localTimes(loc, times...), localTimes(loc, slots...))
	}
	p, _ := st.Post(ctx, ids[3])
	if !p.ScheduledAt.Equal(slots[0]) {
		t.Errorf("moved post's own time %s, want %s", localTimes(loc, p.ScheduledAt), localTimes(loc, slots[0]))
	}

	if err := st.ShuffleQueue(ctx, a, rand.New(rand.NewPCG(1, 2)), now); err != nil {
		t.Fatal(err)
	}
	shuffled, times := order()
	if !reflect.DeepEqual(times, slots) {
		t.Errorf("shuffling changed the slots: %s", localTimes(loc, times...))
	}
	if reflect.DeepEqual(shuffled, after) {
		t.Errorf("shuffle kept the order %v", shuffled)
	}
	seen := map[string]bool{}
	for _, s := range shuffled {
		seen[s] = true
	}
	if len(seen) != 5 {
		t.Errorf("shuffle lost or doubled posts: %v", shuffled)
	}

	// A copy due within the guard can't move, and is not counted.
	soon := slots[0].Add(-10 * time.Second)
	if err := st.MoveInQueue(ctx, a, q[0].DeliveryID, 4, soon); err == nil {
		t.Error("moved a copy that was about to go out")
	}
}

// pausedWithThree adds three drafts to account a's queue and pauses it,
// and returns the posts.
func pausedWithThree(t *testing.T, st *Store, a int64, now time.Time) []int64 {
	t.Helper()
	ctx := context.Background()
	var ids []int64
	for i := range 3 {
		id := draft(t, st, "post "+itoa(i), now, a)
		if _, err := st.AddToQueue(ctx, id, now); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if _, err := st.PauseQueue(ctx, a, now); err != nil {
		t.Fatal(err)
	}
	return ids
}

func TestPauseAndResumeQueue(t *testing.T) {
	st, a, b, loc, now := queueFixture(t)
	ctx := context.Background()
	ids := pausedWithThree(t, st, a, now)
	// Added while paused: held too.
	late := draft(t, st, "added while paused", now, a, b)
	if _, err := st.AddToQueue(ctx, late, now); err != nil {
		t.Fatal(err)
	}
	// Nothing of a's is due, even a week later; b's copy is.
	weekLater := now.AddDate(0, 0, 7)
	due, err := st.DueDeliveries(ctx, weekLater, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(due) != 1 || due[0].AccountID != b {
		t.Errorf("due while a is paused: %+v", due)
	}
	q, _ := st.Queue(ctx, a, now, 10)
	if len(q) != 4 || !q[0].Held || !q[3].Held {
		t.Errorf("queue while paused: %+v", q)
	}

	// The queue was Thu 12:30, Fri 08:00, Fri 12:30 and (added while
	// paused) Sat 07:30. Crier was closed until Friday noon: the first two
	// were marked missed when it started.
	friday := time.Date(2026, 3, 27, 12, 0, 0, 0, loc)
	if _, err := st.MarkMissedBefore(ctx, friday); err != nil {
		t.Fatal(err)
	}
	for _, id := range ids[:2] {
		if p, _ := st.Post(ctx, id); p.State != PostMissed {
			t.Fatalf("post %d is %s, want missed", id, p.State)
		}
	}
	moved, err := st.ResumeQueue(ctx, a, friday)
	if err != nil {
		t.Fatal(err)
	}
	q, _ = st.Queue(ctx, a, friday, 10)
	var texts []string
	var times []time.Time
	for _, e := range q {
		texts, times = append(texts, e.Text), append(times, e.DueAt)
		if e.Held || e.State != DeliveryQueued {
			t.Errorf("after resuming: %+v", e)
		}
	}
	// The two whose time passed move, in their order, to the next free
	// slots (Mon 08:00 and 12:30, CEST by then); the others keep theirs.
	if moved != 2 {
		t.Errorf("moved %d, want 2", moved)
	}
	if s := localTimes(loc, times...); s != "Fri 27 12:30, Sat 28 07:30, Mon 30 08:00, Mon 30 12:30" {
		t.Errorf("times after resuming: %s", s)
	}
	if want := []string{"post 2", "added while paused", "post 0", "post 1"}; !reflect.DeepEqual(texts, want) {
		t.Errorf("order after resuming: %v, want %v", texts, want)
	}
	for _, id := range ids[:2] {
		if p, _ := st.Post(ctx, id); p.State != PostQueued {
			t.Errorf("missed post %d is %s after resuming, want queued", id, p.State)
		}
	}
	// Resumed: a's copies go out at their times.
	due, err = st.DueDeliveries(ctx, time.Date(2026, 3, 27, 12, 30, 0, 0, loc), 100)
	if err != nil || len(due) != 1 || due[0].PostID != ids[2] {
		t.Errorf("due at Fri 12:30 after resuming: %+v, %v", due, err)
	}
}

// TestQueueQueriesUseIndexes checks the queue's statements against their
// plans.
func TestQueueQueriesUseIndexes(t *testing.T) {
	st := openTest(t)
	want := map[string]string{
		"schedule":        "SEARCH queue_settings USING INTEGER PRIMARY KEY (rowid=?)",
		"slots":           "SEARCH queue_slots USING PRIMARY KEY (account_id=?)",
		"first free slot": "SEARCH d USING COVERING INDEX deliveries_account_due (account_id=? AND due_at>? AND due_at<?)",
		"queue entries":   "SEARCH d USING INDEX deliveries_account_due (account_id=? AND due_at>?)",
		"queue offset":    "SEARCH d USING INDEX deliveries_account_due (account_id=? AND due_at>?)",
		"queue after":     "SEARCH d USING INDEX deliveries_account_due (account_id=? AND due_at>?)",
		"queue before":    "SEARCH d USING INDEX deliveries_account_due (account_id=? AND due_at>? AND due_at<?)",
		"queue last":      "SEARCH d USING INDEX deliveries_account_due (account_id=? AND due_at>?)",
		"queue count":     "SEARCH d USING COVERING INDEX deliveries_account_due (account_id=? AND due_at>?)",
	}
	args := map[string][]any{
		"schedule":        {1},
		"slots":           {1},
		"first free slot": {1, "[1, 2]"},
		"queue entries":   {1, 0, 10},
		"queue offset":    {1, 0, 10, 5},
		"queue after":     {1, 0, 7, 3, 10},
		"queue before":    {1, 0, 7, 3, 10},
		"queue last":      {1, 0, 10},
		"queue count":     {1, 0},
	}
	if len(want) != len(queueQueries) {
		t.Fatalf("%d queue queries, %d checked", len(queueQueries), len(want))
	}
	for name, q := range queueQueries {
		plan := explain(t, st, q, args[name]...)
		if !strings.Contains(plan, want[name]) {
			t.Errorf("%s: plan lacks %q:\n%s", name, want[name], plan)
		}
		// Ties of due_at may be put in id order (the last term), never
		// the whole queue.
		if strings.HasPrefix(name, "queue") && strings.Contains(plan, "TEMP B-TREE FOR ORDER BY") {
			t.Errorf("%s sorts:\n%s", name, plan)
		}
	}
}

func earlier(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// TestQueuePages: a queue read a page at a time by key, from an offset and
// from its end, is the whole queue in order, each copy once; moving by one
// place swaps two slots' posts.
func TestQueuePages(t *testing.T) {
	st, a, _, _, now := queueFixture(t)
	ctx := context.Background()
	for i := range 23 {
		id := draft(t, st, "post "+itoa(i), now, a)
		if _, err := st.AddToQueue(ctx, id, now); err != nil {
			t.Fatal(err)
		}
	}
	all, err := st.Queue(ctx, a, now, 100)
	if err != nil || len(all) != 23 {
		t.Fatalf("queue: %d, %v", len(all), err)
	}
	if n, err := st.QueueCount(ctx, a, now); n != 23 || err != nil {
		t.Errorf("count %d, %v", n, err)
	}
	texts := func(es []QueueEntry) []string {
		var out []string
		for _, e := range es {
			out = append(out, e.Text)
		}
		return out
	}
	var paged []QueueEntry
	page, _ := st.QueueAt(ctx, a, now, 0, 5)
	for len(page) > 0 {
		paged = append(paged, page...)
		k := page[len(page)-1].Key()
		page, err = st.QueuePage(ctx, a, now, &k, nil, 5)
		if err != nil {
			t.Fatal(err)
		}
	}
	if !reflect.DeepEqual(texts(paged), texts(all)) {
		t.Errorf("forward pages %v\nwant %v", texts(paged), texts(all))
	}
	var back []QueueEntry
	page, _ = st.QueueLast(ctx, a, now, 5)
	for len(page) > 0 {
		back = append(page, back...)
		k := page[0].Key()
		page, _ = st.QueuePage(ctx, a, now, nil, &k, 5)
	}
	if !reflect.DeepEqual(texts(back), texts(all)) {
		t.Errorf("backward pages %v\nwant %v", texts(back), texts(all))
	}
	mid, _ := st.QueueAt(ctx, a, now, 20, 5)
	if !reflect.DeepEqual(texts(mid), texts(all[20:])) {
		t.Errorf("from place 20: %v", texts(mid))
	}

	if err := st.MoveInQueueBy(ctx, a, all[10].DeliveryID, 1, now); err != nil {
		t.Fatal(err)
	}
	moved, _ := st.Queue(ctx, a, now, 100)
	if moved[11].Text != all[10].Text || moved[10].Text != all[11].Text || !moved[11].DueAt.Equal(all[11].DueAt) {
		t.Errorf("after moving place 10 down: %v", texts(moved[9:13]))
	}
	if err := st.MoveInQueueBy(ctx, a, moved[0].DeliveryID, -1, now); err == nil || !strings.Contains(err.Error(), "first") {
		t.Errorf("moving the first earlier: %v", err)
	}
	if err := st.MoveInQueueBy(ctx, a, moved[22].DeliveryID, 1, now); err == nil || !strings.Contains(err.Error(), "last") {
		t.Errorf("moving the last later: %v", err)
	}
}

// A post can't go back to drafts or be deleted once a copy is on its way,
// and the refusal says which: being sent (the scheduler claims a post a
// moment before its time) or gone out.
func TestUnqueueAndDeleteSayWhyTheyCannot(t *testing.T) {
	ctx := context.Background()
	st := openTest(t)
	m := mustAccount(t, st, PlatformMastodon, "@shop@example.social")
	b := mustAccount(t, st, PlatformBluesky, "shop.bsky.social")
	id, ds := queueTestPost(t, st, Post{Body: "pretzels", Targets: targets(m, b)}, schedT0.Add(ClaimAhead))
	// refused checks that both refuse, saying why.
	refused := func(when, why string) {
		t.Helper()
		for name, try := range map[string]func() error{
			"unqueue": func() error { return st.UnqueuePost(ctx, id, schedT0) },
			"delete":  func() error { return st.DeletePost(ctx, id) },
		} {
			if err := try(); err == nil || !strings.Contains(err.Error(), why) {
				t.Errorf("%s %s = %v, want it refused: %q", name, when, err, why)
			}
		}
	}
	mustClaim(t, st, ds[0].ID, schedT0.Add(ClaimAhead))
	refused("while a copy is being sent", "is being sent right now")
	if err := st.MarkSent(ctx, ds[0].ID, RemoteRef{ID: "1"}, "https://example.social/1", schedT0.Add(ClaimAhead)); err != nil {
		t.Fatal(err)
	}
	mustClaim(t, st, ds[1].ID, schedT0.Add(ClaimAhead))
	refused("once a copy went out", "has gone out to some accounts (or may have)")
}

// A post whose copy is being sent (claimed a moment before its time) or
// whose outcome is being checked can't be moved: that copy goes out at the
// time it has, so the post must not read as moved to another. A copy of
// another account that went out does not stop a failed one from moving.
func TestMoveRefusedWhileACopyIsOnItsWay(t *testing.T) {
	ctx := context.Background()
	st := openTest(t)
	m := mustAccount(t, st, PlatformMastodon, "@shop@example.social")
	b := mustAccount(t, st, PlatformBluesky, "shop.bsky.social")
	due := schedT0.Add(ClaimAhead)
	id, ds := queueTestPost(t, st, Post{Body: "pretzels", Targets: targets(m, b)}, due)
	tomorrow := schedT0.Add(24 * time.Hour)
	stays := func(when string) {
		t.Helper()
		if err := st.ReschedulePost(ctx, id, tomorrow, "UTC", schedT0); !errors.Is(err, ErrSendingNow) {
			t.Errorf("move %s = %v, want ErrSendingNow", when, err)
		}
		p, err := st.Post(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !p.ScheduledAt.Equal(due) {
			t.Errorf("after the move %s the post reads as due %v, want %v (when its copy goes out)", when, p.ScheduledAt, due)
		}
		for _, d := range ds {
			got, _ := st.Delivery(ctx, d.ID)
			if !got.DueAt.Equal(due) {
				t.Errorf("after the move %s delivery %d is due %v, want %v", when, d.ID, got.DueAt, due)
			}
		}
	}
	mustClaim(t, st, ds[0].ID, due)
	stays("while a copy is being sent")
	if err := st.MarkUnknown(ctx, ds[0].ID, "the answer was lost", due.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	stays("while a copy's outcome is unknown")

	if err := st.MarkSent(ctx, ds[0].ID, RemoteRef{ID: "1"}, "https://example.social/1", due); err != nil {
		t.Fatal(err)
	}
	mustClaim(t, st, ds[1].ID, due)
	if err := st.MarkFailed(ctx, ds[1].ID, "refused"); err != nil {
		t.Fatal(err)
	}
	if err := st.ReschedulePost(ctx, id, tomorrow, "UTC", schedT0); err != nil {
		t.Fatalf("moving the failed copy of a half-sent post: %v", err)
	}
	if got, _ := st.Delivery(ctx, ds[1].ID); got.State != DeliveryQueued || !got.DueAt.Equal(tomorrow) {
		t.Errorf("the failed copy after the move: %s due %v", got.State, got.DueAt)
	}
}

// A post of a paused queue that is moved, in the calendar or the composer,
// or whose missed copy gets a new time, stays held with the rest of the
// queue: it goes out at its new time only once the queue runs again. A
// copy of the same post outside the queue goes out at its time as always.
func TestMovingAPostOfAPausedQueueKeepsItHeld(t *testing.T) {
	st, a, b, loc, now := queueFixture(t)
	ctx := context.Background()
	ids := pausedWithThree(t, st, a, now)
	// Thu 12:30 and Fri 08:00 came due while crier was closed; Fri 12:30
	// is still queued.
	if _, err := st.MarkMissedBefore(ctx, time.Date(2026, 3, 27, 9, 0, 0, 0, loc)); err != nil {
		t.Fatal(err)
	}
	// Edited in the composer with a new time and another account, whose
	// copy is in no queue.
	p, err := st.Post(ctx, ids[1])
	if err != nil {
		t.Fatal(err)
	}
	p.Body, p.Targets, p.ScheduledAt = "post 1, edited", targets(a, b), now.Add(50*time.Hour)
	if err := st.SaveUnsent(ctx, p, now); err != nil {
		t.Fatal(err)
	}
	// Moved in the calendar: a missed one and a queued one.
	if err := st.ReschedulePost(ctx, ids[0], now.Add(48*time.Hour), "Europe/Berlin", now); err != nil {
		t.Fatal(err)
	}
	if err := st.ReschedulePost(ctx, ids[2], now.Add(52*time.Hour), "Europe/Berlin", now); err != nil {
		t.Fatal(err)
	}
	due, err := st.DueDeliveries(ctx, now.AddDate(0, 0, 7), 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range due {
		if d.AccountID == a {
			t.Errorf("post %d (%q) is due to go out while its queue is paused", d.PostID, d.Text)
		}
	}
	if len(due) != 1 || due[0].AccountID != b || due[0].PostID != ids[1] {
		t.Errorf("due while a's queue is paused: %d copies, want b's copy of the edited post alone", len(due))
	}
	q, err := st.Queue(ctx, a, now, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(q) != 3 {
		t.Errorf("a's queue has %d posts, want 3", len(q))
	}
	for _, e := range q {
		if !e.Held || e.State != DeliveryQueued {
			t.Errorf("queue entry of post %d (%q) is %s, held %v, while the queue is paused", e.PostID, e.Text, e.State, e.Held)
		}
	}
	// Every list that shows the copies says which are held.
	heldCopies := func(when string, want map[int64]bool) {
		t.Helper()
		for _, id := range ids {
			cs, err := st.PostCopies(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range cs {
				if c.Held != want[c.AccountID] {
					t.Errorf("%s: post %d's copy to account %d reads held %v", when, id, c.AccountID, c.Held)
				}
			}
		}
	}
	heldCopies("while paused", map[int64]bool{a: true, b: false})
	// Run again, each goes out at the time it was moved to.
	if _, err := st.ResumeQueue(ctx, a, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	heldCopies("once the queue runs again", nil)
	for i, at := range []time.Duration{48 * time.Hour, 50 * time.Hour, 52 * time.Hour} {
		ds, _ := st.PostDeliveries(ctx, ids[i])
		for _, d := range ds {
			if !d.DueAt.Equal(now.Add(at)) || !d.NextAttemptAt.IsZero() || d.State != DeliveryQueued {
				t.Errorf("post %d after resuming: %s due %v, next %v; want queued at %v", ids[i], d.State, d.DueAt, d.NextAttemptAt, now.Add(at))
			}
		}
	}
}

// A copy held by a paused queue is not the next post to go out: with
// only held copies pending, nothing is due (the status bar must not name a
// post "next" for the year 9999), and a copy outside the queue comes first.
func TestHeldCopiesAreNotNextDue(t *testing.T) {
	st, a, b, _, now := queueFixture(t)
	ctx := context.Background()
	id := draft(t, st, "post", now, a)
	if _, err := st.AddToQueue(ctx, id, now); err != nil {
		t.Fatal(err)
	}
	if _, err := st.PauseQueue(ctx, a, now); err != nil {
		t.Fatal(err)
	}
	for name, next := range map[string]func() (time.Time, int64, int64, bool, error){
		"NextDue":    func() (time.Time, int64, int64, bool, error) { return st.NextDue(ctx) },
		"NextDueFor": func() (time.Time, int64, int64, bool, error) { return st.NextDueFor(ctx, a) },
	} {
		if at, _, post, ok, err := next(); ok || err != nil {
			t.Errorf("%s with only a held copy = post %d at %v, %v, %v; want nothing due", name, post, at, ok, err)
		}
	}
	later := draft(t, st, "outside the queue", now, b)
	if err := st.QueuePost(ctx, later, now.Add(72*time.Hour), "UTC", now); err != nil {
		t.Fatal(err)
	}
	if _, _, post, ok, err := st.NextDue(ctx); !ok || err != nil || post != later {
		t.Errorf("NextDue = post %d, %v, %v; want post %d", post, ok, err, later)
	}
}

func TestHeldLiteral(t *testing.T) {
	if want := nextAt + " < " + strconv.FormatInt(heldMS, 10); notHeld != want {
		t.Errorf("notHeld = %q, want %q", notHeld, want)
	}
}

// Resumed moments before a held copy's time, the queue sends it at that
// time: only copies whose time passed move to later slots.
func TestResumeJustBeforeASlotKeepsItsTime(t *testing.T) {
	st, a, _, _, now := queueFixture(t)
	ctx := context.Background()
	id := draft(t, st, "post", now, a)
	at, err := st.AddToQueue(ctx, id, now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.PauseQueue(ctx, a, now); err != nil {
		t.Fatal(err)
	}
	moved, err := st.ResumeQueue(ctx, a, at[a].Add(-20*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	ds, _ := st.PostDeliveries(ctx, id)
	if moved != 0 || len(ds) != 1 || !ds[0].DueAt.Equal(at[a]) || !ds[0].NextAttemptAt.IsZero() {
		t.Errorf("resumed 20 s before its slot: moved %d, %+v; want it to go out at %v", moved, ds, at[a])
	}
}

// TestSlotsWhereMidnightIsSkipped: in a zone whose clocks jump forward at
// midnight (Chile, Cuba), the day of the jump starts at 01:00; the slots of
// that day and the next are listed once each, and the search ends (it
// looped for ever, time.Date reading the missing midnight as 23:00 of the
// day before).
func TestSlotsWhereMidnightIsSkipped(t *testing.T) {
	for _, c := range []struct {
		zone string
		day  time.Time // the date of the jump, in UTC for the date only
	}{{"America/Santiago", time.Date(2026, 9, 6, 0, 0, 0, 0, time.UTC)}, {"America/Havana", time.Date(2026, 3, 8, 0, 0, 0, 0, time.UTC)}} {
		loc := mustZone(t, c.zone)
		if got := DayStart(c.day.Year(), c.day.Month(), c.day.Day(), loc); got.In(loc).Format("2006-01-02 15:04") != c.day.Format("2006-01-02")+" 01:00" {
			t.Errorf("%s: the day of the jump starts %v", c.zone, got.In(loc))
		}
		q := QueueSchedule{Zone: c.zone, loc: loc}
		for wd := time.Sunday; wd <= time.Saturday; wd++ {
			q.Slots = append(q.Slots, QueueSlot{Weekday: wd, Minute: 30}, QueueSlot{Weekday: wd, Minute: 12 * 60})
		}
		from := c.day.AddDate(0, 0, -3)
		done := make(chan []time.Time, 1)
		go func() { done <- q.SlotsBetween(from, from.AddDate(0, 0, 7)) }()
		select {
		case got := <-done:
			perDay := map[string]int{}
			for _, at := range got {
				perDay[at.In(loc).Format("Mon 02")]++
			}
			for d, n := range perDay {
				if n != 2 && d != from.In(loc).Format("Mon 02") {
					t.Errorf("%s: %d slots on %s: %v", c.zone, n, d, got)
				}
			}
			if len(got) < 13 {
				t.Errorf("%s: %d slots in a week: %v", c.zone, len(got), got)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: listing a week of slots does not end", c.zone)
		}
	}
}
