package store

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

// inboxRow inserts an inbox item straight into the table, with the fields
// these tests care about; sentiment nil stores NULL.
type inboxRow struct {
	acct      int64
	kind      InboxKind
	state     InboxState
	term      string
	received  time.Time
	replied   time.Time
	sentiment any
}

func addInboxRows(t *testing.T, st *Store, rows []inboxRow) {
	t.Helper()
	for i, r := range rows {
		if r.kind == "" {
			r.kind = KindMention
		}
		if r.state == "" {
			r.state = InboxOpen
		}
		if _, err := st.db.Exec(`INSERT INTO inbox_items
			(account_id, platform, remote_id, kind, term, author_handle, body, received_at, state, replied_at, sentiment)
			VALUES (?, 'x', ?, ?, ?, 'someone', 'hello', ?, ?, ?, ?)`,
			r.acct, fmt.Sprintf("row-%d", i), r.kind, r.term, ms(r.received), r.state, nullMS(r.replied), r.sentiment); err != nil {
			t.Fatal(err)
		}
	}
}

func TestInboxKPIs(t *testing.T) {
	st := openTest(t)
	a := mustAccount(t, st, PlatformMastodon, "@bakery@example.social")
	b := mustAccount(t, st, PlatformBluesky, "bakery.example.com")
	now := time.Date(2025, 3, 20, 15, 0, 0, 0, time.UTC)
	ago := func(d time.Duration) time.Time { return now.Add(-d) }
	const h, day = time.Hour, 24 * time.Hour

	addInboxRows(t, st, []inboxRow{
		// Open, whenever they came, on either account; listening's are not waiting.
		{acct: a, received: ago(2 * h)},
		{acct: a, received: ago(400 * day), kind: KindDM},
		{acct: b, received: ago(time.Minute), kind: KindReply},
		{acct: a, received: ago(3 * h), kind: KindListening, term: "#rye"},
		{acct: a, received: ago(3 * h), state: InboxSnoozed},
		{acct: a, received: ago(3 * h), state: InboxDone},
		// Unanswered for 5 days: waiting longer than either median.
		{acct: b, received: ago(5 * day)},

		// Answered in the last 7 days (waits 1h, 2h, 4h, 10h: median 3h).
		{acct: a, received: ago(2 * h), replied: ago(1 * h), state: InboxDone},
		{acct: b, received: ago(3 * day), replied: ago(3*day - 2*h), state: InboxDone},
		{acct: a, received: ago(7*day - time.Millisecond + 3*h), replied: ago(7*day - time.Millisecond), state: InboxDone, kind: KindDM},
		{acct: a, received: ago(6*day + 10*h), replied: ago(6 * day), state: InboxOpen}, // answered, then reopened
		// On the 7-day edge: exactly 7 days ago is outside the week, inside the month.
		{acct: b, received: ago(7*day + 5*h), replied: ago(7 * day), state: InboxDone},
		// Answered in the month before that: waits 30m, 20h and 50h.
		{acct: a, received: ago(20*day + 30*time.Minute), replied: ago(20 * day), state: InboxDone},
		{acct: a, received: ago(15*day + 20*h), replied: ago(15 * day), state: InboxDone},
		{acct: b, received: ago(29*day + 50*h), replied: ago(29 * day), state: InboxDone},
		// Out of both windows, and after now.
		{acct: a, received: ago(40 * day), replied: ago(30 * day), state: InboxDone},
		{acct: a, received: ago(2 * h), replied: now.Add(time.Minute), state: InboxDone},
		// A network clock ahead of ours: the reply "came first"; it counts as no wait.
		{acct: b, received: ago(10*day - time.Minute), replied: ago(10 * day), state: InboxDone},
	})

	k, err := st.InboxKPIs(context.Background(), now, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := InboxKPIs{
		Now:  now,
		Open: 5, // a's mention, a's DM, b's reply, b's 5-day wait and the answered-then-reopened one
		// 1h, 2h, 3h, 10h: an even count, the mean of the middle two.
		// Unanswered past 150m: the snoozed one (3h) and b's 5-day wait.
		Week: ResponseFigures{Answered: 4, MedianFirstResponse: 150 * time.Minute, WaitingLonger: 2},
		// Those and 0, 30m, 5h, 20h, 50h: an odd count, the middle one.
		// Past 3h: b's 5-day wait (the snoozed one has waited exactly 3h).
		Month: ResponseFigures{Answered: 9, MedianFirstResponse: 3 * h, WaitingLonger: 1},
	}
	if !reflect.DeepEqual(k, want) {
		t.Errorf("InboxKPIs =\n %+v\nwant\n %+v", k, want)
	}
}

// TestInboxKPIsMedian checks the median on its own: none, one, an odd and
// an even number of waits, whatever order they were written in.
func TestInboxKPIsMedian(t *testing.T) {
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		waits []time.Duration
		want  time.Duration
	}{
		{nil, 0},
		{[]time.Duration{42 * time.Minute}, 42 * time.Minute},
		{[]time.Duration{9 * time.Hour, time.Minute, 3 * time.Hour}, 3 * time.Hour},
		{[]time.Duration{9 * time.Hour, time.Minute, 3 * time.Hour, 2 * time.Hour}, 150 * time.Minute},
		{[]time.Duration{time.Second, 2 * time.Second}, 1500 * time.Millisecond},
	} {
		t.Run(fmt.Sprint(tt.waits), func(t *testing.T) {
			st := openTest(t)
			a := mustAccount(t, st, PlatformSandbox, "sandbox")
			var rows []inboxRow
			for i, w := range tt.waits {
				replied := now.Add(-time.Duration(i+1) * time.Hour)
				rows = append(rows, inboxRow{acct: a, received: replied.Add(-w), replied: replied, state: InboxDone})
			}
			addInboxRows(t, st, rows)
			k, err := st.InboxKPIs(context.Background(), now, nil)
			if err != nil {
				t.Fatal(err)
			}
			if k.Week.Answered != len(tt.waits) || k.Week.MedianFirstResponse != tt.want || k.Month != k.Week {
				t.Errorf("week %+v, month %+v; want %d answered, median %v", k.Week, k.Month, len(tt.waits), tt.want)
			}
		})
	}
}

// TestInboxKPIsCountARealReply follows a reply from the composer to the
// figures: queued, sent, and the item's first response is the send time.
func TestInboxKPIsCountARealReply(t *testing.T) {
	ctx := context.Background()
	st := openTest(t)
	a := mustAccount(t, st, PlatformMastodon, "@bakery@example.social")
	received := time.Date(2025, 3, 20, 9, 0, 0, 0, time.UTC)
	if _, err := addRead(ctx, st, []InboxItem{{AccountID: a, Platform: PlatformMastodon, RemoteID: "1",
		Kind: KindMention, AuthorHandle: "fan", Body: "Open on Sunday?", ReceivedAt: received, AuthorFollowers: -1}}); err != nil {
		t.Fatal(err)
	}
	items, err := st.InboxPage(ctx, InboxFilter{}, nil, nil, 1)
	if err != nil || len(items) != 1 {
		t.Fatalf("items %v, %v", items, err)
	}
	post, err := st.QueueReply(ctx, items[0].ID, "Yes, 8 to 1!", received.Add(40*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	now := received.Add(2 * time.Hour)
	k, err := st.InboxKPIs(ctx, now, nil)
	if err != nil {
		t.Fatal(err)
	}
	if k.Open != 0 || k.Week.Answered != 0 {
		t.Errorf("a queued reply: %+v, want the item done but not yet answered", k)
	}
	ds, err := st.PostDeliveries(ctx, post)
	if err != nil || len(ds) != 1 {
		t.Fatalf("deliveries %v, %v", ds, err)
	}
	if err := st.MarkSent(ctx, ds[0].ID, RemoteRef{ID: "r1"}, "", received.Add(41*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if k, err = st.InboxKPIs(ctx, now, nil); err != nil {
		t.Fatal(err)
	}
	if k.Week.Answered != 1 || k.Week.MedianFirstResponse != 41*time.Minute {
		t.Errorf("after the reply went out: %+v, want 1 answered in 41m", k.Week)
	}
}

func TestListeningTrend(t *testing.T) {
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skipf("no tz database: %v", err)
	}
	st := openTest(t)
	a := mustAccount(t, st, PlatformMastodon, "@bakery@example.social")
	b := mustAccount(t, st, PlatformBluesky, "bakery.example.com")
	at := func(d, h, m int) time.Time { return time.Date(2025, 3, d, h, m, 0, 0, loc) }
	// From 8 March 12:00 to 10 March 18:00, New York: the clocks jump
	// forward on 9 March, so that day is 23 hours long.
	from, to := at(8, 12, 0), at(10, 18, 0)
	heard := func(acct int64, term string, t time.Time, score any) inboxRow {
		return inboxRow{acct: acct, kind: KindListening, term: term, received: t, sentiment: score}
	}
	addInboxRows(t, st, []inboxRow{
		heard(a, "#sourdough", at(8, 11, 59), 0.9), // before from
		heard(a, "#sourdough", at(8, 12, 0), 0.5),  // exactly from: in
		heard(b, "#sourdough", at(8, 23, 59), -0.05),
		heard(a, "#sourdough", at(9, 0, 0), -0.6),  // midnight starts 9 March
		heard(a, "#sourdough", at(9, 23, 30), nil), // EDT, late on the short day; not scored
		heard(b, "#sourdough", at(10, 18, 0), 0.1), // exactly to: in
		heard(b, "#sourdough", at(10, 18, 1), 0.1), // after to
		heard(a, "rye and shine", at(10, 9, 0), -0.04),
		heard(a, "rye and shine", at(10, 9, 30), 0.3),
		heard(a, "rye and shine", at(10, 10, 0), 0.2),
		heard(a, "#gone", at(1, 10, 0), 0.4), // a term with nothing in the range
		// Not listening: a mention with a term (never written, but even so).
		{acct: a, kind: KindMention, term: "#sourdough", received: at(9, 12, 0), sentiment: -0.9},
	})

	tr, err := st.ListeningTrend(context.Background(), from, to, loc)
	if err != nil {
		t.Fatal(err)
	}
	wantDays := []time.Time{at(8, 0, 0), at(9, 0, 0), at(10, 0, 0)}
	if !reflect.DeepEqual(tr.Days, wantDays) {
		t.Fatalf("days = %v, want %v", tr.Days, wantDays)
	}
	if got := tr.Days[2].Sub(tr.Days[1]); got != 23*time.Hour {
		t.Errorf("9 March lasts %v, want 23h", got)
	}
	if !tr.From.Equal(from) || !tr.To.Equal(to) {
		t.Errorf("range %v to %v", tr.From, tr.To)
	}
	day := func(count, negative, scored int, sum float64) ListeningDay {
		return ListeningDay{Count: count, Negative: negative, Scored: scored, SentimentSum: sum}
	}
	want := []TermTrend{
		{Term: "#sourdough", Days: []ListeningDay{
			day(2, 1, 2, 0.5-0.05),
			day(2, 1, 1, -0.6),
			day(1, 0, 1, 0.1),
		}, Total: day(5, 2, 4, 0.5-0.05-0.6+0.1)},
		{Term: "rye and shine", Days: []ListeningDay{{}, {}, day(3, 0, 3, -0.04+0.3+0.2)},
			Total: day(3, 0, 3, -0.04+0.3+0.2)},
	}
	if len(tr.Terms) != len(want) {
		t.Fatalf("terms = %+v, want %+v", tr.Terms, want)
	}
	for i, w := range want {
		g := tr.Terms[i]
		if g.Term != w.Term || !sameDays(g.Days, w.Days) || !sameDays([]ListeningDay{g.Total}, []ListeningDay{w.Total}) {
			t.Errorf("term %d =\n %+v\nwant\n %+v", i, g, w)
		}
	}
	sd := tr.Terms[0].Total
	if got := sd.MeanSentiment(); math.Abs(got-(-0.05/4)) > 1e-9 {
		t.Errorf("mean sentiment = %v, want the mean of the 4 scored", got)
	}
	if got := sd.NegativeShare(); got != 0.4 {
		t.Errorf("negative share = %v, want 2 of 5", got)
	}
	if (ListeningDay{}).MeanSentiment() != 0 || (ListeningDay{}).NegativeShare() != 0 {
		t.Error("an empty day has a mean or a share")
	}
}

// sameDays compares counts exactly and sums of scores to rounding.
func sameDays(a, b []ListeningDay) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.Count != y.Count || x.Negative != y.Negative || x.Scored != y.Scored || math.Abs(x.SentimentSum-y.SentimentSum) > 1e-9 {
			return false
		}
	}
	return true
}

func TestListeningTrendEmptyAndBadRanges(t *testing.T) {
	st := openTest(t)
	ctx := context.Background()
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	tr, err := st.ListeningTrend(ctx, now.AddDate(0, 0, -29), now, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Days) != 30 || len(tr.Terms) != 0 {
		t.Errorf("empty store: %d days, terms %+v", len(tr.Days), tr.Terms)
	}
	if _, err := st.ListeningTrend(ctx, now, now.Add(-time.Second), nil); err == nil {
		t.Error("a range that ends before it starts was accepted")
	}
	if _, err := st.ListeningTrend(ctx, now.AddDate(-5, 0, 0), now, nil); err == nil {
		t.Error("five years of days were accepted")
	}
}

// TestListeningTrendOrder: the busiest term first, ties by name.
func TestListeningTrendOrder(t *testing.T) {
	st := openTest(t)
	a := mustAccount(t, st, PlatformSandbox, "sandbox")
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	var rows []inboxRow
	for term, n := range map[string]int{"b": 2, "a": 2, "c": 5, "d": 1} {
		for i := range n {
			rows = append(rows, inboxRow{acct: a, kind: KindListening, term: term,
				received: now.Add(-time.Duration(i+1) * time.Hour), sentiment: 0.0})
		}
	}
	addInboxRows(t, st, rows)
	tr, err := st.ListeningTrend(context.Background(), now.Add(-48*time.Hour), now, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, term := range tr.Terms {
		got = append(got, fmt.Sprintf("%s:%d", term.Term, term.Total.Count))
	}
	if strings.Join(got, " ") != "c:5 a:2 b:2 d:1" {
		t.Errorf("order = %v", got)
	}
}

// TestListeningQueriesUseIndexes checks that the inbox KPIs and the
// listening trend read only the partial indexes meant for them, never the
// table.
func TestListeningQueriesUseIndexes(t *testing.T) {
	st := openTest(t)
	want := map[string][]string{
		"open items": {"SEARCH inbox_items USING INDEX inbox_state (state=? AND heard=?)"},
		"response": {
			"SEARCH inbox_items USING COVERING INDEX inbox_replied (replied_at>? AND replied_at<?)",
		},
		"waiting": {"SEARCH inbox_items USING INDEX inbox_state (state=? AND heard=? AND received_at>? AND received_at<?)"},
		"listening term": {
			"SEARCH inbox_items USING COVERING INDEX inbox_listening",
			"SEARCH i USING COVERING INDEX inbox_listening (term>?)",
		},
		"listening days": {
			"SEARCH i USING COVERING INDEX inbox_listening (term=? AND received_at>? AND received_at<?)",
		},
	}
	args := map[string][]any{
		"response":       {1, 2},
		"waiting":        {1, 2},
		"listening days": {`["#rye"]`, "[[1, 2]]"},
	}
	if len(want) != len(listeningQueries) {
		t.Fatalf("%d queries, %d checked", len(listeningQueries), len(want))
	}
	// The only scans allowed: the JSON arrays the query is given and the
	// small results the queries build for themselves.
	allowed := []string{"SCAN t VIRTUAL TABLE", "SCAN r VIRTUAL TABLE", "SCAN terms", "SCAN n", "SCAN (subquery-", "SCAN CONSTANT ROW"}
	for name, q := range listeningQueries {
		plan := explain(t, st, q, args[name]...)
		for _, w := range want[name] {
			if !strings.Contains(plan, w) {
				t.Errorf("%s: plan lacks %q:\n%s", name, w, plan)
			}
		}
		for _, line := range strings.Split(strings.TrimSpace(plan), "\n") {
			if !strings.HasPrefix(line, "SCAN") {
				continue
			}
			ok := false
			for _, s := range allowed {
				ok = ok || strings.HasPrefix(line, s)
			}
			if !ok {
				t.Errorf("%s scans a table: %q\n%s", name, line, plan)
			}
		}
		// open items and waiting read deleted_at and replied_at from the
		// open items' rows.
		if name != "waiting" && name != "open items" && (strings.Contains(plan, "inbox_items USING INDEX") || strings.Contains(plan, "i USING INDEX")) {
			t.Errorf("%s reads table rows beside the index:\n%s", name, plan)
		}
	}
}

// TestListeningNegativeCutOff keeps the literal in the SQL and the
// exported constant in step.
func TestListeningNegativeCutOff(t *testing.T) {
	if !strings.Contains(listeningDaysSQL, fmt.Sprintf("<= %v", NegativeSentiment)) {
		t.Errorf("listeningDaysSQL does not count negatives at <= %v", NegativeSentiment)
	}
}

// An open item its author deleted has left the needs-attention view and
// cannot be answered: it is not open inbox, in the inbox figures or the
// KPIs, nor waiting for a reply.
func TestInboxKPIsLeaveDeletedItemsOut(t *testing.T) {
	st := openTest(t)
	ctx := context.Background()
	a := mustAccount(t, st, PlatformMastodon, "@bakery@example.social")
	now := time.Date(2025, 3, 20, 15, 0, 0, 0, time.UTC)
	addInboxRows(t, st, []inboxRow{
		{acct: a, received: now.Add(-2 * 24 * time.Hour)},
		{acct: a, received: now.Add(-3 * 24 * time.Hour)},
	})
	items, err := st.InboxToRecheck(ctx, a, 10)
	if err != nil || len(items) != 2 {
		t.Fatalf("%d items to recheck, %v", len(items), err)
	}
	if _, err := st.MarkInboxChecked(ctx, []int64{items[0].ID, items[1].ID}, []int64{items[0].ID}, now.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	k, err := st.InboxKPIs(ctx, now, nil)
	if err != nil {
		t.Fatal(err)
	}
	if k.Open != 1 || k.Week.WaitingLonger != 1 || k.Month.WaitingLonger != 1 {
		t.Errorf("open %d, waiting %d / %d; want 1, 1 / 1 (the deleted one left out)", k.Open, k.Week.WaitingLonger, k.Month.WaitingLonger)
	}
	r, err := st.KPIs(ctx, now, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if r.Total.OpenInbox != 1 || r.Accounts[0].OpenInbox != 1 {
		t.Errorf("KPIs open inbox %d (account %d), want 1", r.Total.OpenInbox, r.Accounts[0].OpenInbox)
	}
}

// The inbox's 7 and 30 days are calendar days in the zone, as the KPIs'
// periods are: across the start of daylight saving a week is 167 hours.
func TestInboxKPIsCalendarDaysAcrossDST(t *testing.T) {
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip(err)
	}
	st := openTest(t)
	a := mustAccount(t, st, PlatformMastodon, "@bakery@example.social")
	now := time.Date(2025, 3, 12, 12, 0, 0, 0, loc) // clocks went forward on 9 March
	// Answered at 11:30 on 5 March: before the 7 days from 12:00 on the
	// 5th, though inside the last 168 hours (from 11:00).
	replied := time.Date(2025, 3, 5, 11, 30, 0, 0, loc)
	addInboxRows(t, st, []inboxRow{{acct: a, received: replied.Add(-time.Hour), replied: replied, state: InboxDone}})
	k, err := st.InboxKPIs(context.Background(), now, loc)
	if err != nil {
		t.Fatal(err)
	}
	if k.Week.Answered != 0 || k.Month.Answered != 1 || k.Month.MedianFirstResponse != time.Hour {
		t.Errorf("week %+v, month %+v; want none in the week, 1 in the month in 1h (calendar days in %s)", k.Week, k.Month, loc)
	}
}
