package abtest

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/store/storetest"
)

func openStore(t testing.TB) *store.Store {
	t.Helper()
	st := storetest.Open(t)
	return st
}

func berlin(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skipf("no tz database: %v", err)
	}
	return loc
}

func TestPlanAlternatesFairly(t *testing.T) {
	loc := berlin(t)
	vs := []store.ABVariant{{ID: 1, Label: "A"}, {ID: 2, Label: "B"}}
	from := time.Date(2026, 10, 19, 9, 0, 0, 0, loc) // Monday; the clocks go back on Sunday 25
	slots := []store.QueueSlot{{Weekday: time.Tuesday, Minute: 12*60 + 30}}
	tueWed, _ := store.ParseQueueSlots("Tue-Wed 12:30")

	plan, err := Plan(PlanSpec{Variants: vs, Pattern: "days", Slots: tueWed, From: from, Rounds: 3, Loc: loc})
	if err != nil {
		t.Fatal(err)
	}
	want := "round 1: A Tue 20 Oct 12:30, B Wed 21 Oct 12:30\n" +
		"round 2: B Tue 27 Oct 12:30, A Wed 28 Oct 12:30\n" +
		"round 3: A Tue 3 Nov 12:30, B Wed 4 Nov 12:30\n"
	if got := DescribePlan(plan, loc); got != want {
		t.Errorf("days:\n%s\nwant\n%s", got, want)
	}

	plan, err = Plan(PlanSpec{Variants: vs, Pattern: "weeks", Slots: slots, From: from, Rounds: 2, Loc: loc})
	if err != nil {
		t.Fatal(err)
	}
	want = "round 1: A Tue 20 Oct 12:30, B Tue 27 Oct 12:30\n" +
		"round 2: B Tue 3 Nov 12:30, A Tue 10 Nov 12:30\n"
	if got := DescribePlan(plan, loc); got != want {
		t.Errorf("weeks:\n%s\nwant\n%s", got, want)
	}

	// Three variants, two slots a week: each variant takes each position
	// of a round (first, second, third day) equally often over three rounds.
	vs3 := append(vs, store.ABVariant{ID: 3, Label: "C"})
	three, _ := store.ParseQueueSlots("Tue-Thu 12:30, Fri-Sun 08:00")
	plan, err = Plan(PlanSpec{Variants: vs3, Pattern: "days", Slots: three, From: from, Rounds: 3, Loc: loc})
	if err != nil {
		t.Fatal(err)
	}
	positions := map[string]map[int]int{}
	byRound := map[int][]store.ABPlanSlot{}
	for _, p := range plan {
		byRound[p.Round] = append(byRound[p.Round], p)
	}
	for r, ps := range byRound {
		if len(ps) != 3 {
			t.Fatalf("round %d has %d posts", r, len(ps))
		}
		for pos, p := range ps {
			if positions[p.Label] == nil {
				positions[p.Label] = map[int]int{}
			}
			positions[p.Label][pos]++
			l := p.At.In(loc)
			if first := ps[0].At.In(loc); l.Hour() != first.Hour() || l.Minute() != first.Minute() {
				t.Errorf("round %d is not matched: %s", r, DescribePlan(ps, loc))
			}
		}
	}
	for label, pos := range positions {
		if pos[0] != 1 || pos[1] != 1 || pos[2] != 1 {
			t.Errorf("variant %s's positions %v: not balanced\n%s", label, pos, DescribePlan(plan, loc))
		}
	}
	if _, err := Plan(PlanSpec{Variants: vs, Pattern: "months", Slots: slots, From: from, Rounds: 1, Loc: loc}); err == nil {
		t.Error("months accepted")
	}
	// Alternating days need the time as a slot on the days after: a
	// schedule of Tuesdays alone has no matched day for B.
	if plan, err := Plan(PlanSpec{Variants: vs, Pattern: "days", Slots: slots, From: from, Rounds: 1, Loc: loc}); err == nil {
		t.Errorf("days planned on Tuesdays alone:\n%s", DescribePlan(plan, loc))
	}
}

// TestPlanTestTakesFreeSlotsOfEachAccount: a test over two accounts posts
// only at times that are weekly slots of both and that no other post (or
// other planned test) takes on either; a slot taken after planning stops
// the start.
func TestPlanTestTakesFreeSlotsOfEachAccount(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	loc := berlin(t)
	now := time.Date(2026, 10, 19, 9, 0, 0, 0, loc) // Monday; the clocks go back on Sunday 25
	bsky, _ := st.UpsertAccount(ctx, store.Account{Platform: store.PlatformBluesky, Handle: "bakery.example"})
	masto, _ := st.UpsertAccount(ctx, store.Account{Platform: store.PlatformMastodon, Handle: "@bakery@example.social"})
	bskySlots, _ := store.ParseQueueSlots("Mon-Fri 08:00 12:30, Sat 07:30")
	mastoSlots, _ := store.ParseQueueSlots("Mon-Sat 12:30")
	if err := st.SetQueueSchedule(ctx, bsky, "Europe/Berlin", bskySlots); err != nil {
		t.Fatal(err)
	}
	// The Mastodon queue reads its times in New York: 12:30 there is
	// never 12:30 in Berlin, so the accounts share no slot, and each is
	// planned in its own.
	if err := st.SetQueueSchedule(ctx, masto, "America/New_York", mastoSlots); err != nil {
		t.Fatal(err)
	}
	newTest := func(name string, pattern string, accounts ...int64) int64 {
		t.Helper()
		id, err := st.CreateABTest(ctx, store.ABTest{Name: name, Pattern: pattern, Zone: "Europe/Berlin", Accounts: accounts,
			Variants: []store.ABVariant{{Body: name + " A"}, {Body: name + " B"}}}, now)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	apart := newTest("apart", "days", bsky, masto)
	plan, err := PlanTest(ctx, st, apart, now, 2)
	if err != nil {
		t.Fatal(err)
	}
	nyc, _ := time.LoadLocation("America/New_York")
	perAccount := map[int64]map[string]int{bsky: {}, masto: {}}
	for _, p := range plan {
		if len(p.Accounts) != 1 {
			t.Fatalf("%s %s goes to %v", p.Label, p.At, p.Accounts)
		}
		a := p.Accounts[0]
		perAccount[a][p.Label]++
		l := p.At.In(loc)
		if a == masto {
			l = p.At.In(nyc)
		}
		if l.Hour()*60+l.Minute() != 12*60+30 && (a == masto || l.Hour() != 8) {
			t.Errorf("account %d at %s: no slot of its", a, l)
		}
	}
	for a, n := range perAccount {
		if n["A"] != 2 || n["B"] != 2 {
			t.Errorf("account %d gets %v:\n%s", a, n, DescribePlan(plan, loc))
		}
	}
	if _, err := st.EndABTest(ctx, apart, now); err != nil {
		t.Fatal(err)
	}

	// In one zone the accounts share Mon-Fri 12:30, and every post goes
	// to both.
	both := newTest("both", "days", bsky, masto)
	if err := st.SetQueueSchedule(ctx, masto, "Europe/Berlin", mastoSlots); err != nil {
		t.Fatal(err)
	}
	// Take Bluesky's Tue 20 and Mastodon's Thu 22 12:30 with posts queued
	// by hand, and Bluesky's Mon 26 12:30 with another planned test.
	queueAt := func(acct int64, at time.Time) {
		t.Helper()
		id, err := st.SaveDraft(ctx, store.Post{Body: "taken " + at.String(), Targets: []store.Target{{AccountID: acct}}}, now)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.QueuePost(ctx, id, at.Add(20*time.Second), "Europe/Berlin", now); err != nil {
			t.Fatal(err)
		}
	}
	day := func(d, h, mi int) time.Time { return time.Date(2026, 10, d, h, mi, 0, 0, loc) }
	queueAt(bsky, day(20, 12, 30))
	queueAt(masto, day(22, 12, 30))
	other := newTest("other", "weeks", bsky)
	if _, err := PlanTest(ctx, st, other, day(26, 12, 0), 1); err != nil {
		t.Fatal(err)
	}
	otherPlan, _ := st.ABPlan(ctx, other)
	if len(otherPlan) != 2 || !otherPlan[0].At.Equal(day(26, 12, 30)) {
		t.Fatalf("the other test: %s", DescribePlan(otherPlan, loc))
	}

	plan, err = PlanTest(ctx, st, both, now, 3)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range plan {
		if len(p.Accounts) != 2 {
			t.Errorf("%s %s goes to %v, not both", p.Label, p.At.In(loc), p.Accounts)
		}
	}
	// Mon 19 is past; Tue 20 is Bluesky's, Thu 22 Mastodon's, so Wed 21 has
	// no matched day after it; Fri 23's next 12:30 on both is Mon 26, which
	// the other test holds (as it does Mon 2 Nov); Saturday 12:30 is no
	// slot of Bluesky's.
	want := "round 1: A Tue 27 Oct 12:30, B Wed 28 Oct 12:30\n" +
		"round 2: B Thu 29 Oct 12:30, A Fri 30 Oct 12:30\n" +
		"round 3: A Tue 3 Nov 12:30, B Wed 4 Nov 12:30\n"
	if got := DescribePlan(plan, loc); got != want {
		t.Errorf("plan over two accounts:\n%s\nwant\n%s", got, want)
	}

	// A post queued into a planned slot since: the start refuses and says
	// which; planned again, the test passes over it.
	queueAt(masto, day(27, 12, 30))
	if err := st.StartABTest(ctx, both, now); err == nil || !strings.Contains(err.Error(), "Tue 27 Oct 12:30") ||
		!strings.Contains(err.Error(), "plan it again") {
		t.Fatalf("start over a taken slot: %v", err)
	}
	if plan, err = PlanTest(ctx, st, both, now, 3); err != nil {
		t.Fatal(err)
	}
	for _, p := range plan {
		if p.At.Equal(day(27, 12, 30)) {
			t.Errorf("planned again into the taken slot:\n%s", DescribePlan(plan, loc))
		}
	}
	if err := st.StartABTest(ctx, both, now); err != nil {
		t.Fatal(err)
	}
	for _, acct := range []int64{bsky, masto} {
		q, _ := st.Queue(ctx, acct, now, 100)
		seen := map[int64]int{}
		for _, e := range q {
			seen[e.DueAt.UnixMilli()/60000]++
		}
		for minute, n := range seen {
			if n > 1 {
				t.Errorf("account %d has %d posts at %s", acct, n, time.UnixMilli(minute*60000).In(loc))
			}
		}
	}

	// An account without slots is named.
	bare, _ := st.UpsertAccount(ctx, store.Account{Platform: store.PlatformMastodon, Handle: "@cafe@example.social"})
	lone := newTest("lone", "days", bare)
	if _, err := PlanTest(ctx, st, lone, now, 1); err == nil || !strings.Contains(err.Error(), "@cafe@example.social") {
		t.Errorf("no slots: %v", err)
	}
}

// TestABTestFlow: plan, start, send, count, read the verdict.
func TestABTestFlow(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	loc := berlin(t)
	now := time.Date(2026, 10, 19, 9, 0, 0, 0, loc)
	acct, err := st.UpsertAccount(ctx, store.Account{Platform: store.PlatformMastodon, Handle: "@bakery@example.social"})
	if err != nil {
		t.Fatal(err)
	}
	id, err := st.CreateABTest(ctx, store.ABTest{Name: "Stollen wording", Pattern: "days", Zone: "Europe/Berlin", Accounts: []int64{acct},
		Variants: []store.ABVariant{
			{Body: "Stollen pre-orders open: https://ryeandshine.example/stollen"},
			{Body: "Only 40 stollen this year. Reserve yours: https://ryeandshine.example/stollen"},
		}}, now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateABTest(ctx, store.ABTest{Name: "Stollen wording", Pattern: "days", Zone: "Europe/Berlin", Accounts: []int64{acct},
		Variants: []store.ABVariant{{Body: "x"}, {Body: "y"}}}, now); err == nil || !strings.Contains(err.Error(), "exists already") {
		t.Errorf("same name twice: %v", err)
	}
	slots, _ := store.ParseQueueSlots("Tue-Wed 12:30, Fri-Sat 08:00")
	if err := st.SetQueueSchedule(ctx, acct, "Europe/Berlin", slots); err != nil {
		t.Fatal(err)
	}
	plan, err := PlanTest(ctx, st, id, now, 4)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan) != 8 {
		t.Fatalf("plan %s", DescribePlan(plan, loc))
	}
	test, _ := st.ABTest(ctx, id)
	if test.Variants[0].UTMContent != store.UTMContentFor(id, "A") || test.Variants[1].Label != "B" || test.State != store.ABPlanned {
		t.Errorf("test %+v", test)
	}

	// Before it runs, the verdict is honest about having nothing.
	r, err := Evaluate(ctx, st, id)
	if err != nil {
		t.Fatal(err)
	}
	if r.Engagement.Winner || !r.Engagement.Thin || r.Clicks != nil || !strings.HasPrefix(r.Engagement.Summary, "not enough data yet") {
		t.Errorf("before the start: %+v", r.Engagement)
	}

	if err := st.StartABTest(ctx, id, now); err != nil {
		t.Fatal(err)
	}
	if err := st.StartABTest(ctx, id, now); err == nil {
		t.Error("started twice")
	}
	plan, _ = st.ABPlan(ctx, id)
	keys := map[string]bool{}
	for _, p := range plan {
		post, err := st.Post(ctx, p.PostID)
		if err != nil || post.State != store.PostQueued || !post.ScheduledAt.Equal(p.At) {
			t.Fatalf("plan post %+v: %+v, %v", p, post, err)
		}
		v, ok, err := st.ABVariantOfPost(ctx, p.PostID)
		if err != nil || !ok || v.Label != p.Label || v.Body != post.Body {
			t.Errorf("variant of post %d: %+v %v %v", p.PostID, v, ok, err)
		}
		ds, _ := st.PostDeliveries(ctx, p.PostID)
		for _, d := range ds {
			keys[d.IdempotencyKey] = true
		}
	}
	if len(keys) != 8 {
		t.Errorf("%d keys for 8 posts", len(keys))
	}

	// 400 followers throughout; B's posts do better: 16 engagements against 8.
	if err := st.RecordFollowers(ctx, acct, now.Add(-time.Hour), 400); err != nil {
		t.Fatal(err)
	}
	for _, p := range plan {
		ds, _ := st.PostDeliveries(ctx, p.PostID)
		for _, d := range ds {
			if _, err := st.ClaimDelivery(ctx, d.ID, p.At); err != nil {
				t.Fatal(err)
			}
			if err := st.MarkSent(ctx, d.ID, store.RemoteRef{ID: "r" + strconv.FormatInt(d.ID, 10)}, "", p.At); err != nil {
				t.Fatal(err)
			}
			m := store.Metrics{Likes: 6, Reposts: 2}
			if p.Label == "B" {
				m = store.Metrics{Likes: 12, Reposts: 3, Replies: 1}
			}
			if err := st.RecordMetrics(ctx, p.At.Add(24*time.Hour), map[int64]store.Metrics{d.ID: m}); err != nil {
				t.Fatal(err)
			}
		}
	}
	test, _ = st.ABTest(ctx, id)
	if err := st.RecordABResults(ctx, test.Variants[0].ID, 0, 30, 3, 0, now.AddDate(0, 1, 0)); err != nil {
		t.Fatal(err)
	}
	if err := st.RecordABResults(ctx, test.Variants[1].ID, 0, 55, 9, 0, now.AddDate(0, 1, 0)); err != nil {
		t.Fatal(err)
	}
	r, err = Evaluate(ctx, st, id)
	if err != nil {
		t.Fatal(err)
	}
	a, b := r.Results[0], r.Results[1]
	if a.Planned != 4 || a.Sent != 4 || a.Engagement != 32 || a.FollowerViews != 1600 || b.Engagement != 64 || b.Clicks != 55 {
		t.Errorf("results %+v / %+v", a, b)
	}
	// 64 of 1600 against 32 of 1600: B wins on engagement.
	if !r.Engagement.Winner || r.Engagement.Arms[r.Engagement.Leader].Label != "B" || !strings.HasPrefix(r.Engagement.Summary, "B is best") {
		t.Errorf("engagement: %s", r.Engagement.Summary)
	}
	// Clicks: 55 against 30 of 1600 follower-views each.
	if r.Clicks == nil || r.Clicks.Arms[r.Clicks.Leader].Label != "B" {
		t.Errorf("clicks: %+v", r.Clicks)
	}
	// Conversions: 9 of 55 against 3 of 30 clicks: too few to say.
	if r.Conversions == nil || r.Conversions.Winner || !strings.Contains(r.Conversions.Summary, "more clicks needed") {
		t.Errorf("conversions: %+v", r.Conversions)
	}

	if _, err := st.EndABTest(ctx, id, now.AddDate(0, 2, 0)); err != nil {
		t.Fatal(err)
	}
	if test, _ := st.ABTest(ctx, id); test.State != store.ABEnded {
		t.Errorf("state %s after ending", test.State)
	}
}

// TestAdsTest: a paid test imported from an ads export (per ad set) gets
// the same verdict, on its impressions, clicks and conversions.
func TestAdsTest(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	id, err := st.CreateABTest(ctx, store.ABTest{Name: "Stollen ads", Pattern: "days", Zone: "Europe/Berlin", Source: "ads",
		Variants: []store.ABVariant{{Label: "A", Body: "ad set 1"}, {Label: "B", Body: "ad set 2"}}}, now)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.StartABTest(ctx, id, now); err == nil || !strings.Contains(err.Error(), "imported from ads") {
		t.Errorf("starting an ads test: %v", err)
	}
	test, _ := st.ABTest(ctx, id)
	st.RecordABResults(ctx, test.Variants[0].ID, 20000, 180, 12, 5000, now)
	st.RecordABResults(ctx, test.Variants[1].ID, 21000, 260, 15, 5200, now)
	if err := st.RecordABResults(ctx, test.Variants[1].ID, -1, 0, 0, 0, now); err == nil {
		t.Error("negative impressions taken")
	}
	r, err := Evaluate(ctx, st, id)
	if err != nil {
		t.Fatal(err)
	}
	if r.Clicks == nil || r.Clicks.Units.TrialUnit != "impressions" || r.Clicks.Arms[0].Trials != 20000 || !r.Clicks.Winner ||
		r.Clicks.Arms[r.Clicks.Leader].Label != "B" {
		t.Errorf("clicks: %+v", r.Clicks)
	}
	if r.Conversions == nil || r.Conversions.Winner || !strings.HasPrefix(r.Conversions.Summary, "no winner yet: about") {
		t.Errorf("conversions: %s", r.Conversions.Summary)
	}
	if !strings.HasPrefix(r.Engagement.Summary, "not enough data yet") {
		t.Errorf("engagement of an ads test: %s", r.Engagement.Summary)
	}
}
