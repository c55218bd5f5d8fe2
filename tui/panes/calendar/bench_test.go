package calendar

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// benchFixture is a store holding n queued posts spread evenly over the two
// years around now, each for Mastodon and Bluesky, written in one
// transaction.
func benchFixture(b testing.TB, n int) *fixture {
	b.Helper()
	f := newFixture(b)
	ctx := context.Background()
	tx, err := f.st.DB().BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	start := now.AddDate(-1, 0, 0)
	step := 2 * 365 * 24 * time.Hour / time.Duration(n)
	for i := range n {
		at := start.Add(time.Duration(i) * step).UnixMilli()
		var id int64
		if err := tx.QueryRowContext(ctx, `
			INSERT INTO posts (body, state, scheduled_at, scheduled_zone, created_at, updated_at)
			VALUES (?, 'queued', ?, 'Europe/Berlin', ?, ?) RETURNING id`,
			fmt.Sprintf("Post %d: fresh bread, coffee and a word about the weekend market.", i), at, at, at).
			Scan(&id); err != nil {
			b.Fatal(err)
		}
		for _, a := range []int64{f.accMas, f.accBsk} {
			if _, err := tx.ExecContext(ctx, "INSERT INTO post_targets (post_id, account_id) VALUES (?, ?)", id, a); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return f
}

// BenchmarkLoadMonth measures one month-grid load (six weeks of posts from
// the store, bucketed by local day) from a store of 20,000 posts, about 40
// shown per week.
func BenchmarkLoadMonth(b *testing.B) {
	f := benchFixture(b, 20000)
	m := New(f.c)
	m.SetSize(120, 37)
	b.ResetTimer()
	for b.Loop() {
		msg := m.reload()()
		if lm := msg.(loadedMsg); lm.err != nil || len(lm.byDay) == 0 {
			b.Fatalf("load: %v, %d days", lm.err, len(lm.byDay))
		}
	}
}

// BenchmarkMonthView measures drawing the month grid at 120x37 with about
// 30 posts a week, the cost of every frame while the calendar is shown.
func BenchmarkMonthView(b *testing.B) {
	f := benchFixture(b, 3000)
	m := New(f.c)
	m.SetSize(120, 37)
	m.Update(m.reload()())
	b.ResetTimer()
	for b.Loop() {
		_ = m.View()
	}
}

// BenchmarkWeekView measures drawing the week view at 120x37 with posts
// wrapped into their columns.
func BenchmarkWeekView(b *testing.B) {
	f := benchFixture(b, 3000)
	m := New(f.c)
	m.SetSize(120, 37)
	m.mode = weekView
	m.Update(m.reload()())
	b.ResetTimer()
	for b.Loop() {
		_ = m.View()
	}
}
