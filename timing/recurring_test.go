package timing

import (
	"context"
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

func zone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Skipf("no tz database: %v", err)
	}
	return loc
}

func account(t testing.TB, st *store.Store, platform, handle string) int64 {
	t.Helper()
	id, err := st.UpsertAccount(context.Background(), store.Account{Platform: platform, Handle: handle})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func clocks(loc *time.Location, ts []time.Time) string {
	var out []string
	for _, t := range ts {
		out = append(out, t.In(loc).Format("Mon 02 Jan 15:04 MST"))
	}
	return strings.Join(out, ", ")
}

// TestRuleKeepsWallClockAcrossDST: a weekly Saturday 07:30 rule stays at
// 07:30 local on both sides of both changes, in Berlin and New York; a
// daily 02:30 rule goes out once, at 03:30, on the night the clocks skip
// 02:30; and a daily rule at a time the autumn night shows twice goes out
// once, at the first.
func TestRuleKeepsWallClockAcrossDST(t *testing.T) {
	for _, c := range []struct {
		zone           string
		spring, autumn time.Time // the change days
		twice          string    // a time the clocks show twice in autumn
		summer         string    // the summer time's abbreviation
	}{
		{"Europe/Berlin", time.Date(2026, 3, 29, 0, 0, 0, 0, time.UTC), time.Date(2026, 10, 25, 0, 0, 0, 0, time.UTC), "02:30", "CEST"},
		{"America/New_York", time.Date(2026, 3, 8, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), "01:30", "EDT"},
	} {
		loc := zone(t, c.zone)
		start := time.Date(2026, 1, 3, 7, 30, 0, 0, loc) // a Saturday
		r, err := ParseRule("RRULE:FREQ=WEEKLY;BYDAY=SA;UNTIL=20270101T000000Z", start, loc)
		if err != nil {
			t.Fatal(err)
		}
		all := r.Between(start.Add(-time.Second), start.AddDate(2, 0, 0), 1000)
		if len(all) != 52 {
			t.Errorf("%s: %d Saturdays in 2026, want 52", c.zone, len(all))
		}
		for _, at := range all {
			l := at.In(loc)
			if l.Weekday() != time.Saturday || l.Hour() != 7 || l.Minute() != 30 {
				t.Errorf("%s: occurrence at %s", c.zone, l.Format(time.RFC1123))
			}
		}

		for _, day := range []time.Time{c.spring, c.autumn} {
			from := time.Date(day.Year(), day.Month(), day.Day()-2, 12, 0, 0, 0, loc)
			hm := "02:30" // skipped in spring in both zones
			if day == c.autumn {
				hm = c.twice
			}
			h, m := int(hm[1]-'0'), int(hm[3]-'0')*10
			daily, err := ParseRule("FREQ=DAILY", time.Date(2026, 1, 1, h, m, 0, 0, loc), loc)
			if err != nil {
				t.Fatal(err)
			}
			got := daily.Between(from, from.AddDate(0, 0, 4), 10)
			if len(got) != 4 {
				t.Fatalf("%s: %d occurrences in 4 days around %s: %s", c.zone, len(got), day.Format(time.DateOnly), clocks(loc, got))
			}
			for i, at := range got {
				l := at.In(loc)
				want := hm
				if day == c.spring && l.Day() == day.Day() {
					want = "03:30" // the clocks skip 02:30: an hour later
				}
				if l.Format("15:04") != want {
					t.Errorf("%s: occurrence %d at %s, want %s", c.zone, i, l.Format(time.RFC1123), want)
				}
			}
			if day == c.autumn {
				// The time happens twice that night: it goes out once, at the first.
				l := got[1].In(loc)
				if l.Day() != day.Day() || l.Format("MST") != c.summer {
					t.Errorf("%s: the doubled %s went out at %s", c.zone, hm, l.Format(time.RFC1123))
				}
			}
		}
	}
}

func TestParseRuleErrors(t *testing.T) {
	loc := zone(t, "Europe/Berlin")
	start := time.Date(2026, 1, 3, 7, 30, 0, 0, loc)
	for rule, want := range map[string]string{
		"":                                     "empty",
		"FREQ=FORTNIGHTLY":                     "FORTNIGHTLY",
		"BYDAY=SA":                             "FREQ",
		"FREQ=HOURLY":                          "at most daily",
		"FREQ=DAILY;BYHOUR=9":                  "BYHOUR",
		"FREQ=WEEKLY;BYDAY=XX":                 "XX",
		"FREQ=WEEKLY;COLOUR=red":               "COLOUR",
		"DTSTART:20260101T000000Z\nFREQ=DAILY": "start",
	} {
		_, err := ParseRule(rule, start, loc)
		if err == nil {
			t.Errorf("%q: no error", rule)
			continue
		}
		if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "recurring post") {
			t.Errorf("%q: error %q does not say %q", rule, err, want)
		}
	}
}

func seriesFixture(t *testing.T) (*store.Store, int64, *time.Location, time.Time) {
	t.Helper()
	st := openStore(t)
	a := account(t, st, store.PlatformMastodon, "@bakery@example.social")
	loc := zone(t, "America/New_York")
	return st, a, loc, time.Date(2026, 2, 25, 9, 0, 0, 0, loc) // a Wednesday
}

func TestSeriesMaterializesAheadOnce(t *testing.T) {
	st, a, loc, now := seriesFixture(t)
	ctx := context.Background()
	id, err := NewSeries(ctx, st, Series{
		Rule: "FREQ=WEEKLY;BYDAY=SA;UNTIL=20260425T000000Z", Start: time.Date(2026, 2, 28, 7, 30, 0, 0, loc),
		Zone: "America/New_York", WindowDays: 21,
		Template: store.Post{Body: "Saturday special: cardamom buns 🥐", Targets: []store.Target{{AccountID: a}}, Labels: []string{"special"}},
	}, now)
	if err != nil {
		t.Fatal(err)
	}
	occ, err := st.Occurrences(ctx, id, now, 100)
	if err != nil {
		t.Fatal(err)
	}
	var at []time.Time
	for _, o := range occ {
		at = append(at, o.OccursAt)
	}
	// Three weeks ahead: 28 Feb, 7 and 14 March (after the change on the 8th, still 07:30).
	if s := clocks(loc, at); s != "Sat 28 Feb 07:30 EST, Sat 07 Mar 07:30 EST, Sat 14 Mar 07:30 EDT" {
		t.Errorf("made %s", s)
	}
	keys := map[string]bool{}
	for _, o := range occ {
		p, err := st.Post(ctx, o.PostID)
		if err != nil || p.State != store.PostQueued || !p.ScheduledAt.Equal(o.OccursAt) || p.Body != "Saturday special: cardamom buns 🥐" ||
			len(p.Labels) != 1 || p.ScheduledZone != "America/New_York" {
			t.Errorf("occurrence post %+v, %v", p, err)
		}
		ds, _ := st.PostDeliveries(ctx, o.PostID)
		for _, d := range ds {
			if keys[d.IdempotencyKey] {
				t.Errorf("idempotency key %s used twice", d.IdempotencyKey)
			}
			keys[d.IdempotencyKey] = true
		}
	}
	if len(keys) != 3 {
		t.Errorf("%d idempotency keys for 3 posts", len(keys))
	}

	// Again at the same time, and an hour later: nothing new.
	for _, when := range []time.Time{now, now.Add(time.Hour)} {
		if n, err := Materialize(ctx, st, when); err != nil || n != 0 {
			t.Errorf("materialize again at %s: made %d, %v", when, n, err)
		}
	}
	// A week later, one more; the person deleted the 14 March one meanwhile:
	// it stays deleted.
	if err := st.UnqueuePost(ctx, occ[2].PostID, now); err != nil {
		t.Fatal(err)
	}
	if err := st.DeletePost(ctx, occ[2].PostID); err != nil {
		t.Fatal(err)
	}
	n, err := Materialize(ctx, st, now.AddDate(0, 0, 7))
	if err != nil || n != 1 {
		t.Errorf("a week later: made %d, %v", n, err)
	}
	// Past UNTIL: the series makes nothing more, however late. Of the four
	// that came due while closed, the latest is made (missed) and the three
	// before it are skipped.
	if n, err := Materialize(ctx, st, now.AddDate(0, 3, 0)); err != nil || n != 1 {
		t.Errorf("three months later: made %d, want 1 (18 Apr; 28 Mar, 4 and 11 Apr skipped), %v", n, err)
	}
	occ, _ = st.Occurrences(ctx, id, now, 100)
	at = at[:0]
	deleted := 0
	for _, o := range occ {
		at = append(at, o.OccursAt)
		if o.PostID == 0 {
			deleted++
		}
	}
	if len(occ) != 8 || deleted != 4 {
		t.Errorf("occurrences %s (%d deleted or skipped, want 1 and 3)", clocks(loc, at), deleted)
	}
}

func TestSeriesMissedWhileClosed(t *testing.T) {
	st, a, loc, now := seriesFixture(t)
	ctx := context.Background()
	id, err := NewSeries(ctx, st, Series{
		Rule: "FREQ=DAILY", Start: time.Date(2026, 2, 25, 12, 0, 0, 0, loc), Zone: "America/New_York", WindowDays: 2,
		Template: store.Post{Body: "daily", Targets: []store.Target{{AccountID: a}}},
	}, now)
	if err != nil {
		t.Fatal(err)
	}
	// Two days were made (25 and 26 February, noon). Crier was then closed
	// until 2 March, 09:00: of the occurrences that came and went
	// meanwhile, the latest is made as missed, for the person to decide,
	// and the earlier ones are skipped (no post); the next two days' are
	// queued.
	later := now.AddDate(0, 0, 5)
	if _, err := Materialize(ctx, st, later); err != nil {
		t.Fatal(err)
	}
	occ, _ := st.Occurrences(ctx, id, now, 100)
	var states []string
	var missed int64
	for _, o := range occ {
		state := string(o.State)
		if o.PostID == 0 {
			state = "skipped"
		}
		if o.State == store.PostMissed {
			missed = o.PostID
		}
		states = append(states, o.OccursAt.In(loc).Format("02")+" "+state)
	}
	want := "25 queued, 26 queued, 27 skipped, 28 skipped, 01 missed, 02 queued, 03 queued"
	if strings.Join(states, ", ") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(states, ", "), want)
	}
	// The missed post says, once, what became of the two before it.
	copies, err := st.PostCopies(ctx, missed)
	if err != nil || len(copies) != 1 {
		t.Fatalf("copies of the missed post: %+v %v", copies, err)
	}
	if note := copies[0].LastError; !strings.Contains(note, "2 earlier posts from Fri 27 Feb 2026 to Sat 28 Feb 2026") || !strings.Contains(note, "skipped") {
		t.Errorf("the missed post's note: %q", note)
	}
	// Made again, nothing changes: the skipped days stay skipped.
	if n, err := Materialize(ctx, st, later.Add(time.Minute)); err != nil || n != 0 {
		t.Errorf("made again: %d, %v", n, err)
	}
}

// A daily series while crier was closed for three months leaves one missed
// post, not ninety: the missed list holds what a person can decide about.
func TestSeriesClosedForMonthsLeavesOneMissedPost(t *testing.T) {
	st, a, loc, now := seriesFixture(t)
	ctx := context.Background()
	id, err := NewSeries(ctx, st, Series{
		Rule: "FREQ=DAILY", Start: time.Date(2026, 2, 25, 12, 0, 0, 0, loc), Zone: "America/New_York", WindowDays: 2,
		Template: store.Post{Body: "daily", Targets: []store.Target{{AccountID: a}}},
	}, now)
	if err != nil {
		t.Fatal(err)
	}
	later := now.AddDate(0, 3, 0)
	if _, err := Materialize(ctx, st, later); err != nil {
		t.Fatal(err)
	}
	n, err := st.CountMissed(ctx)
	if err != nil || n != 1 {
		t.Fatalf("missed posts after three months closed: %d, %v", n, err)
	}
	occ, _ := st.Occurrences(ctx, id, later.AddDate(0, 0, -1), 10)
	if len(occ) == 0 || occ[0].State != store.PostMissed {
		t.Fatalf("the latest occurrence before now is not the missed one: %+v", occ)
	}
}

func TestSeriesEditedAloneOrAsASeries(t *testing.T) {
	st, a, loc, now := seriesFixture(t)
	b := account(t, st, store.PlatformBluesky, "bakery.example.com")
	ctx := context.Background()
	id, err := NewSeries(ctx, st, Series{
		Rule: "FREQ=WEEKLY;BYDAY=SA", Start: time.Date(2026, 2, 28, 7, 30, 0, 0, loc), Zone: "America/New_York", WindowDays: 28,
		Template: store.Post{Body: "old text", Targets: []store.Target{{AccountID: a}}},
	}, now)
	if err != nil {
		t.Fatal(err)
	}
	occ, _ := st.Occurrences(ctx, id, now, 100)
	if len(occ) != 4 {
		t.Fatalf("%d occurrences", len(occ))
	}
	// The second one is edited alone, in the composer.
	p, _ := st.Post(ctx, occ[1].PostID)
	p.Body = "this week only: two for one"
	if err := st.SaveUnsent(ctx, p, now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if o, ok, err := st.OccurrenceOf(ctx, occ[1].PostID); err != nil || !ok || !o.EditedAlone || o.RecurrenceID != id {
		t.Errorf("edited occurrence reads %+v %v %v", o, ok, err)
	}
	// Then the series: new text, and Bluesky too.
	n, err := st.UpdateRecurrence(ctx, id, store.Post{Body: "new text", Targets: []store.Target{{AccountID: a}, {AccountID: b}}}, now.Add(2*time.Minute))
	if err != nil || n != 3 {
		t.Fatalf("series edit rewrote %d, %v", n, err)
	}
	occ, _ = st.Occurrences(ctx, id, now, 100)
	var got []string
	for _, o := range occ {
		p, _ := st.Post(ctx, o.PostID)
		got = append(got, p.Body+"/"+itoa(len(p.Targets)))
		ds, _ := st.PostDeliveries(ctx, o.PostID)
		if len(ds) != len(p.Targets) {
			t.Errorf("%s: %d copies for %d accounts", p.Body, len(ds), len(p.Targets))
		}
	}
	if s := strings.Join(got, " "); s != "new text/2 this week only: two for one/1 new text/2 new text/2" {
		t.Errorf("after the series edit: %s", s)
	}
	// Materialising later uses the new text.
	if _, err := Materialize(ctx, st, now.AddDate(0, 0, 7)); err != nil {
		t.Fatal(err)
	}
	occ, _ = st.Occurrences(ctx, id, now, 100)
	if p, _ := st.Post(ctx, occ[len(occ)-1].PostID); p.Body != "new text" || len(occ) != 5 {
		t.Errorf("next occurrence %q (%d in all)", p.Body, len(occ))
	}

	// A new rule: Sundays instead. The edited one stays; the rest move.
	if _, err := st.RescheduleRecurrence(ctx, id, "FREQ=WEEKLY;BYDAY=SU", time.Date(2026, 3, 1, 9, 0, 0, 0, loc), "America/New_York", now.Add(3*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, err := MaterializeSeries(ctx, st, id, now.Add(3*time.Minute)); err != nil {
		t.Fatal(err)
	}
	occ, _ = st.Occurrences(ctx, id, now, 100)
	var at []time.Time
	for _, o := range occ {
		if o.PostID != 0 {
			at = append(at, o.OccursAt)
		}
	}
	if s := clocks(loc, at); s != "Sun 01 Mar 09:00 EST, Sat 07 Mar 07:30 EST, Sun 08 Mar 09:00 EDT, Sun 15 Mar 09:00 EDT, Sun 22 Mar 09:00 EDT" {
		t.Errorf("after the new rule: %s", s)
	}

	// Stopped: the untouched coming ones go, the edited one stays.
	removed, err := st.EndRecurrence(ctx, id, now.Add(4*time.Minute))
	if err != nil || removed != 4 {
		t.Errorf("stopping removed %d, %v", removed, err)
	}
	if n, err := Materialize(ctx, st, now.AddDate(0, 1, 0)); err != nil || n != 0 {
		t.Errorf("a stopped series made %d, %v", n, err)
	}
	if p, err := st.Post(ctx, occ[1].PostID); err != nil || p.State != store.PostQueued {
		t.Errorf("the occurrence edited alone: %+v, %v", p, err)
	}
}

func itoa(n int) string { return string(rune('0' + n)) }

// BenchmarkMaterializeYearDaily measures making a year of a daily post (365
// queued posts, with their copies on two accounts, labels and a photo) in one
// call on a fresh series.
func BenchmarkMaterializeYearDaily(b *testing.B) {
	st := openStore(b)
	ctx := context.Background()
	a := account(b, st, store.PlatformMastodon, "@bakery@example.social")
	c := account(b, st, store.PlatformBluesky, "bakery.example.com")
	loc := zone(b, "Europe/Berlin")
	now := time.Date(2026, 1, 1, 6, 0, 0, 0, loc)
	tmpl := store.Post{Body: "Good morning! Today's bread: sourdough 🍞", Labels: []string{"daily"},
		Targets: []store.Target{{AccountID: a}, {AccountID: c, BodyOverride: "Morning! Sourdough today 🍞", HasOverride: true}},
		Media:   []store.Media{{Path: "/tmp/bread.jpg", Mime: "image/jpeg", AltText: "A loaf"}}}
	made := 0
	for b.Loop() {
		b.StopTimer()
		id, err := st.CreateRecurrence(ctx, store.Recurrence{Rule: "FREQ=DAILY", Zone: "Europe/Berlin",
			StartsAt: time.Date(2026, 1, 1, 7, 0, 0, 0, loc), Template: tmpl, WindowDays: 365}, now)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if made, err = MaterializeSeries(ctx, st, id, now); err != nil {
			b.Fatal(err)
		}
	}
	if made != 365 {
		b.Fatalf("made %d posts, want 365", made)
	}
	b.ReportMetric(float64(made), "posts")
}

// TestSeriesStoppedThenResumed: a stopped series stays listed; resumed a
// week later it makes its posts from then on, none for the days it was
// stopped, and not a second copy of the one edited alone; deleted, the
// posts it made stay.
func TestSeriesStoppedThenResumed(t *testing.T) {
	st, a, loc, now := seriesFixture(t)
	ctx := context.Background()
	id, err := NewSeries(ctx, st, Series{Rule: "FREQ=DAILY", Start: time.Date(2026, 2, 26, 8, 0, 0, 0, loc), Zone: "America/New_York",
		WindowDays: 14, Template: store.Post{Body: "daily bread", Targets: []store.Target{{AccountID: a}}}}, now)
	if err != nil {
		t.Fatal(err)
	}
	occ, _ := st.Occurrences(ctx, id, now, 100)
	edited := occ[10] // Mon 9 Mar, edited alone
	p, _ := st.Post(ctx, edited.PostID)
	p.Body = "bread and soup"
	if err := st.SaveUnsent(ctx, p, now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, err := st.EndRecurrence(ctx, id, now.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := st.DeleteRecurrence(ctx, 9999); err == nil {
		t.Error("deleted a series that is not there")
	}
	all, _ := st.Recurrences(ctx, false)
	if len(all) != 1 || all[0].EndedAt.IsZero() {
		t.Fatalf("stopped series listed as %+v", all)
	}
	later := now.AddDate(0, 0, 7) // Wed 4 Mar
	if err := st.ResumeRecurrence(ctx, id, later); err != nil {
		t.Fatal(err)
	}
	if err := st.ResumeRecurrence(ctx, id, later); err == nil {
		t.Error("resumed a running series")
	}
	if err := st.DeleteRecurrence(ctx, id); err == nil {
		t.Error("deleted a running series")
	}
	if _, err := MaterializeSeries(ctx, st, id, later); err != nil {
		t.Fatal(err)
	}
	occ, _ = st.Occurrences(ctx, id, now, 100)
	var at []time.Time
	texts := map[string]int{}
	for _, o := range occ {
		if o.PostID == 0 {
			continue
		}
		at = append(at, o.OccursAt)
		p, _ := st.Post(ctx, o.PostID)
		texts[p.Body]++
		if o.OccursAt.Before(later) || p.State == store.PostMissed {
			t.Errorf("made for the stopped days: %s (%s)", o.OccursAt.In(loc), p.State)
		}
	}
	if len(at) != 14 || !at[0].Equal(time.Date(2026, 3, 5, 8, 0, 0, 0, loc)) || texts["bread and soup"] != 1 || texts["daily bread"] != 13 {
		t.Errorf("after resuming: %s, %v", clocks(loc, at), texts)
	}
	if _, err := st.EndRecurrence(ctx, id, later); err != nil {
		t.Fatal(err)
	}
	if err := st.DeleteRecurrence(ctx, id); err != nil {
		t.Fatal(err)
	}
	if p, err := st.Post(ctx, edited.PostID); err != nil || p.Body != "bread and soup" {
		t.Errorf("the post edited alone after deleting the series: %+v, %v", p, err)
	}
	if all, _ := st.Recurrences(ctx, false); len(all) != 0 {
		t.Errorf("still listed: %+v", all)
	}
}
