package store

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"
)

// queueBench builds a store with 10k queued posts and returns it with the
// account whose next free slot is asked for and the clock.
//
// spread: 10k queued copies over the next year on four accounts, a third of
// them in slots (the queue) and the rest at times of their own: the account
// asked about has the first two weeks of its slots full, then gaps.
// full: all 10k in one account's slots, back to back, so the free slot is
// the one after the last of them (about 11 years ahead, past QueueHorizon:
// the search ends there).
func queueBench(b *testing.B, full bool) (*Store, int64, time.Time) {
	b.Helper()
	st := openTest(b)
	ctx := context.Background()
	loc := mustZone(b, "Europe/Berlin")
	now := time.Date(2026, 3, 26, 10, 0, 0, 0, loc)
	var accounts []int64
	for _, h := range []string{"a", "b", "c", "d"} {
		id := mustAccount(b, st, PlatformMastodon, h)
		if err := st.SetQueueSchedule(ctx, id, "Europe/Berlin", mustSlots(b, "Mon-Fri 08:00 12:30 17:00, Sat-Sun 09:00")); err != nil {
			b.Fatal(err)
		}
		accounts = append(accounts, id)
	}
	sch, err := st.QueueSchedule(ctx, accounts[0])
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	tx, err := st.db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	add := func(acct int64, at time.Time, queued bool) {
		var pid, did int64
		if err := tx.QueryRow(`INSERT INTO posts (body, state, scheduled_at, scheduled_zone, created_at, updated_at)
			VALUES ('queued', 'queued', ?, 'Europe/Berlin', 0, 0) RETURNING id`, ms(at)).Scan(&pid); err != nil {
			b.Fatal(err)
		}
		if _, err := tx.Exec("INSERT INTO post_targets (post_id, account_id) VALUES (?, ?)", pid, acct); err != nil {
			b.Fatal(err)
		}
		if err := tx.QueryRow(`INSERT INTO deliveries (post_id, account_id, state, due_at, idempotency_key)
			VALUES (?, ?, 'queued', ?, ?) RETURNING id`, pid, acct, ms(at), NewIdempotencyKey()).Scan(&did); err != nil {
			b.Fatal(err)
		}
		if queued {
			if _, err := tx.Exec("INSERT INTO queue_entries (delivery_id, account_id, added_at) VALUES (?, ?, 0)", did, acct); err != nil {
				b.Fatal(err)
			}
		}
	}
	slots := sch.SlotsBetween(now, now.AddDate(12, 0, 0))
	if full {
		for _, at := range slots[:10_000] {
			add(accounts[0], at, true)
		}
	} else {
		year := sch.SlotsBetween(now, now.AddDate(1, 0, 0))
		for i := range 10_000 {
			acct := accounts[i%4]
			switch {
			case i < 4*34: // two weeks of slots, full
				add(acct, year[i/4], true)
			case i%3 == 0:
				add(acct, year[34+r.IntN(len(year)-34)], true)
			default:
				add(acct, now.Add(time.Duration(r.Int64N(int64(365*24*time.Hour)))).Truncate(time.Minute), false)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return st, accounts[0], now
}

// BenchmarkNextFreeSlot measures finding an account's next free queue slot
// with 10k queued posts in the database: the first two weeks of its slots
// taken, the rest of the year's queue with gaps.
func BenchmarkNextFreeSlot(b *testing.B) {
	st, acct, now := queueBench(b, false)
	ctx := context.Background()
	var at time.Time
	var err error
	for b.Loop() {
		if at, err = st.NextFreeSlot(ctx, acct, now); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(at.Sub(now).Hours()/24, "days-ahead")
}

// BenchmarkNextFreeSlotFullQueue is the worst case: 10k posts back to back in
// one account's slots, every one of them looked at before the answer (no
// free slot within QueueHorizon).
func BenchmarkNextFreeSlotFullQueue(b *testing.B) {
	st, acct, now := queueBench(b, true)
	ctx := context.Background()
	for b.Loop() {
		if _, err := st.NextFreeSlot(ctx, acct, now); err == nil {
			b.Fatal("found a free slot in a full queue")
		}
	}
}
