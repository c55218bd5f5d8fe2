package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// QueueSlot is one weekly posting time of an account: a weekday and a
// wall-clock time in the queue's zone. 08:00 stays 08:00 across a
// daylight-saving change; on the night the clocks jump forward, a time that
// does not exist that day (02:30) is the same instant as the one an hour
// later (03:30), and on the night they fall back, a time that happens twice
// is the first of the two.
type QueueSlot struct {
	Weekday time.Weekday
	Minute  int // after local midnight, 0..1439
}

// String names the slot as people write it: "Sat 07:30".
func (s QueueSlot) String() string {
	return fmt.Sprintf("%s %02d:%02d", s.Weekday.String()[:3], s.Minute/60, s.Minute%60)
}

// On returns the slot's instant on the local date of day in loc.
func (s QueueSlot) On(day time.Time, loc *time.Location) time.Time {
	y, m, d := day.In(loc).Date()
	return WallClock(y, m, d, s.Minute/60, s.Minute%60, loc)
}

// WallClock is the instant a clock in loc shows h:mi on the date; time.Date
// leaves two cases open, and this settles them. A time the clocks skip
// (02:30 the night they jump from 02:00 to 03:00) is read on the clock as
// it was before the jump, so it comes out as long after the jump (03:30).
// A time that happens twice (the night they fall back) is the first of the
// two.
func WallClock(y int, m time.Month, d, h, mi int, loc *time.Location) time.Time {
	t := time.Date(y, m, d, h, mi, 0, 0, loc)
	_, before := t.Add(-12 * time.Hour).Zone()
	alt := time.Date(y, m, d, h, mi, 0, 0, time.UTC).Add(-time.Duration(before) * time.Second).In(loc)
	switch {
	case t.Hour() != h || t.Minute() != mi: // skipped
		return alt
	case alt.Hour() == h && alt.Minute() == mi && alt.Before(t): // twice
		return alt
	}
	return t
}

// DayStart is the first instant of the date in loc: its midnight, or, where
// the clocks jump forward at midnight (America/Santiago, America/Havana),
// the instant of the jump. time.Date reads that missing midnight as 23:00
// of the day before, so a loop of days that asks it for the next midnight
// would be given the same day again, for ever.
func DayStart(y int, m time.Month, d int, loc *time.Location) time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, loc)
	want := time.Date(y, m, d, 12, 0, 0, 0, time.UTC) // the date, normalised
	if t.Day() != want.Day() {
		if _, end := t.ZoneBounds(); !end.IsZero() {
			t = end
		}
	}
	return t
}

// QueueSchedule is an account's weekly posting schedule.
type QueueSchedule struct {
	AccountID int64
	Zone      string      // IANA zone of the slots' times
	Slots     []QueueSlot // by weekday (Sunday first), then time
	// PausedAt is when the queue was paused; zero while it runs. A paused
	// queue's posts are held, not sent, until it runs again.
	PausedAt time.Time
	loc      *time.Location
}

// Paused reports whether the queue is paused.
func (q QueueSchedule) Paused() bool { return !q.PausedAt.IsZero() }

// Location is the zone the slots are read in.
func (q QueueSchedule) Location() *time.Location {
	if q.loc != nil {
		return q.loc
	}
	return time.UTC
}

// SlotsBetween lists the instants of the schedule's slots in [from, to),
// in time order.
func (q QueueSchedule) SlotsBetween(from, to time.Time) []time.Time {
	if len(q.Slots) == 0 || !from.Before(to) {
		return nil
	}
	loc := q.Location()
	var out []time.Time
	day := from.In(loc)
	day = DayStart(day.Year(), day.Month(), day.Day(), loc)
	for ; day.Before(to); day = DayStart(day.Year(), day.Month(), day.Day()+1, loc) {
		wd := day.Weekday()
		for _, s := range q.Slots {
			if s.Weekday != wd {
				continue
			}
			at := s.On(day, loc)
			// A time the clocks skipped lands on the next day's
			// instant only past midnight, which no slot reaches:
			// keep what is in range and not already listed.
			if !at.Before(from) && at.Before(to) && (len(out) == 0 || at.After(out[len(out)-1])) {
				out = append(out, at)
			}
		}
	}
	return out
}

// Has reports whether at is one of the schedule's weekly slots.
func (q QueueSchedule) Has(at time.Time) bool {
	loc := q.Location()
	l := at.In(loc)
	for _, sl := range q.Slots {
		// A slot the clocks skipped falls on the instant after the jump:
		// look at the day's slots, not at the clock's reading alone.
		if sl.Weekday == l.Weekday() && sl.On(l, loc).Equal(at) {
			return true
		}
	}
	return false
}

// ErrNoSlots is returned when an account has no queue slots to fill.
var ErrNoSlots = errors.New("has no queue slots")

// ErrNoFreeSlot is returned when every slot of an account's queue is taken
// as far ahead as crier looks (QueueHorizon).
var ErrNoFreeSlot = errors.New("has no free queue slot")

// QueueHorizon is how far ahead the queue looks for a free slot.
const QueueHorizon = 3 * 366 * 24 * time.Hour

// heldMS is the next_attempt_at of the copies of a paused queue: they wait
// until the queue runs again (ResumeQueue), which sets it back. The
// scheduler reads it like any retry time, so nothing else holds them.
const heldMS = 253402300799999 // 9999-12-31T23:59:59.999Z

// slotTaken is how close to a slot's instant another copy of the account
// must be to take it: the same minute.
const slotTaken = time.Minute

const (
	queueScheduleSQL = `SELECT zone, paused_at FROM queue_settings WHERE account_id = ?`
	queueSlotsSQL    = `SELECT weekday, minute FROM queue_slots WHERE account_id = ? ORDER BY weekday, minute`

	// The first instant of a JSON array (in time order) that no copy of
	// the account takes. json_each reads the array in order and the probe
	// is a seek in deliveries_account_due, so the work stops at the first
	// free slot.
	firstFreeSlotSQL = `
		SELECT j.value FROM json_each(?2) j
		WHERE NOT EXISTS (SELECT 1 FROM deliveries d INDEXED BY deliveries_account_due
		                  WHERE d.account_id = ?1 AND d.due_at >= j.value AND d.due_at < j.value + 60000
		                    AND d.state <> 'dropped')
		LIMIT 1`

	// An account's queue from an instant on: the copies "add to queue" put
	// in, in time order, read along deliveries_account_due.
	queueEntriesSQL = `
		SELECT d.id, d.post_id, d.due_at, d.state, d.next_attempt_at, coalesce(t.body_override, p.body)
		FROM deliveries d INDEXED BY deliveries_account_due
		JOIN queue_entries e ON e.delivery_id = d.id
		JOIN posts p ON p.id = d.post_id
		LEFT JOIN post_targets t ON t.post_id = d.post_id AND t.account_id = d.account_id
		WHERE d.account_id = ? AND d.due_at >= ? AND d.state IN ('queued', 'missed')
		ORDER BY d.due_at LIMIT ?`

	// Pages of an account's queue for a list that scrolls: from an offset
	// (where the cursor was), after or before a row's key, the last rows,
	// and how many there are. Rows are in (due_at, id) order.
	queueColumns = `SELECT d.id, d.post_id, d.due_at, d.state, d.next_attempt_at, coalesce(t.body_override, p.body)
		FROM deliveries d INDEXED BY deliveries_account_due
		JOIN queue_entries e ON e.delivery_id = d.id
		JOIN posts p ON p.id = d.post_id
		LEFT JOIN post_targets t ON t.post_id = d.post_id AND t.account_id = d.account_id
		WHERE d.account_id = ?1 AND d.due_at >= ?2 AND d.state IN ('queued', 'missed')`
	queueOffsetSQL = queueColumns + ` ORDER BY d.due_at, d.id LIMIT ?3 OFFSET ?4`
	queueAfterSQL  = queueColumns + ` AND (d.due_at > ?3 OR d.due_at = ?3 AND d.id > ?4) ORDER BY d.due_at, d.id LIMIT ?5`
	queueBeforeSQL = queueColumns + ` AND (d.due_at < ?3 OR d.due_at = ?3 AND d.id < ?4) ORDER BY d.due_at DESC, d.id DESC LIMIT ?5`
	queueLastSQL   = queueColumns + ` ORDER BY d.due_at DESC, d.id DESC LIMIT ?3`
	queueCountSQL  = `SELECT count(*) FROM deliveries d INDEXED BY deliveries_account_due
		JOIN queue_entries e ON e.delivery_id = d.id
		WHERE d.account_id = ?1 AND d.due_at >= ?2 AND d.state IN ('queued', 'missed')`
)

// queueQueries are the queue's statements, for the query plan test.
var queueQueries = map[string]string{
	"schedule":        queueScheduleSQL,
	"slots":           queueSlotsSQL,
	"first free slot": firstFreeSlotSQL,
	"queue entries":   queueEntriesSQL,
	"queue offset":    queueOffsetSQL,
	"queue after":     queueAfterSQL,
	"queue before":    queueBeforeSQL,
	"queue last":      queueLastSQL,
	"queue count":     queueCountSQL,
}

// QueueSchedule reads an account's schedule. An account without one has no
// slots, and its zone is "".
func (s *Store) QueueSchedule(ctx context.Context, accountID int64) (QueueSchedule, error) {
	return queueSchedule(ctx, s.db, accountID)
}

func queueSchedule(ctx context.Context, q queryer, accountID int64) (QueueSchedule, error) {
	sch := QueueSchedule{AccountID: accountID}
	var paused sql.NullInt64
	err := q.QueryRowContext(ctx, queueScheduleSQL, accountID).Scan(&sch.Zone, &paused)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return sch, err
	}
	sch.PausedAt = fromNullMS(paused)
	if sch.Zone != "" {
		loc, err := time.LoadLocation(sch.Zone)
		if err != nil {
			return sch, fmt.Errorf("the queue of account %d is in zone %q, which this system does not know: %w", accountID, sch.Zone, err)
		}
		sch.loc = loc
	}
	err = eachRow(ctx, q, queueSlotsSQL, []any{accountID}, func(rows rowScanner) error {
		var sl QueueSlot
		if err := rows.Scan(&sl.Weekday, &sl.Minute); err != nil {
			return err
		}
		sch.Slots = append(sch.Slots, sl)
		return nil
	})
	if err != nil {
		return sch, err
	}
	return sch, nil
}

// SetQueueSchedule replaces an account's weekly slots and the zone they are
// read in. Posts already queued keep their times.
func (s *Store) SetQueueSchedule(ctx context.Context, accountID int64, zone string, slots []QueueSlot) error {
	if _, err := time.LoadLocation(zone); err != nil || zone == "" || zone == "Local" {
		return fmt.Errorf("queue zone %q: name an IANA time zone such as Europe/Berlin", zone)
	}
	for _, sl := range slots {
		if sl.Weekday < time.Sunday || sl.Weekday > time.Saturday || sl.Minute < 0 || sl.Minute > 1439 {
			return fmt.Errorf("queue slot %d:%d on weekday %d: a slot is a weekday and a time of day", sl.Minute/60, sl.Minute%60, sl.Weekday)
		}
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO queue_settings (account_id, zone) VALUES (?, ?)
			ON CONFLICT (account_id) DO UPDATE SET zone = excluded.zone`, accountID, zone); err != nil {
			return fmt.Errorf("account %d: %w", accountID, err)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM queue_slots WHERE account_id = ?", accountID); err != nil {
			return err
		}
		for _, sl := range slots {
			if _, err := tx.ExecContext(ctx,
				"INSERT OR IGNORE INTO queue_slots (account_id, weekday, minute) VALUES (?, ?, ?)",
				accountID, int(sl.Weekday), sl.Minute); err != nil {
				return err
			}
		}
		return nil
	})
}

// NextFreeSlot is the first slot of an account's queue after `after` that no
// copy of the account takes (none is due within the same minute).
func (s *Store) NextFreeSlot(ctx context.Context, accountID int64, after time.Time) (time.Time, error) {
	sch, err := queueSchedule(ctx, s.db, accountID)
	if err != nil {
		return time.Time{}, err
	}
	return nextFreeSlot(ctx, s.db, sch, after, nil)
}

// nextFreeSlot looks through the schedule's slots after `after` in windows
// that grow (a week, then four, then longer), skipping the instants in
// skip (taken by the caller in the same transaction).
func nextFreeSlot(ctx context.Context, q queryer, sch QueueSchedule, after time.Time, skip []time.Time) (time.Time, error) {
	if len(sch.Slots) == 0 {
		return time.Time{}, fmt.Errorf("account %d %w: give it a weekly schedule first", sch.AccountID, ErrNoSlots)
	}
	from := after.Add(time.Millisecond)
	span := 7 * 24 * time.Hour
	for from.Before(after.Add(QueueHorizon)) {
		to := from.Add(span)
		instants := sch.SlotsBetween(from, to)
		list := make([]int64, 0, len(instants))
		for _, at := range instants {
			if !slices.ContainsFunc(skip, func(t time.Time) bool { return !at.Before(t) && at.Before(t.Add(slotTaken)) }) {
				list = append(list, ms(at))
			}
		}
		if len(list) > 0 {
			arr, err := json.Marshal(list)
			if err != nil {
				return time.Time{}, err
			}
			var free int64
			err = q.QueryRowContext(ctx, firstFreeSlotSQL, sch.AccountID, string(arr)).Scan(&free)
			if err == nil {
				return fromMS(free), nil
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return time.Time{}, err
			}
		}
		from, span = to, min(span*4, 52*7*24*time.Hour)
	}
	return time.Time{}, fmt.Errorf("account %d %w in the next %d days", sch.AccountID, ErrNoFreeSlot, int(QueueHorizon.Hours()/24))
}

// AddToQueue queues a draft into the next free slot of each of its
// accounts, after now (and far enough after it to be edited: dueGuard),
// and returns the time each account's copy goes out. Each account has its
// own schedule, so the copies may go out at different times; the post's own
// time is the earliest. A copy on a paused queue is held until the queue
// runs again. Every account needs a schedule with slots.
func (s *Store) AddToQueue(ctx context.Context, postID int64, now time.Time) (map[int64]time.Time, error) {
	out := map[int64]time.Time{}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		p, err := postTx(ctx, tx, postID)
		if err != nil {
			return err
		}
		if p.State != PostDraft {
			return fmt.Errorf("post %d: %w", postID, ErrNotDraft)
		}
		if len(p.Targets) == 0 {
			return fmt.Errorf("post %d has no account to go to: choose one first", postID)
		}
		earliest, zone := time.Time{}, ""
		for _, t := range p.Targets {
			sch, err := queueSchedule(ctx, tx, t.AccountID)
			if err != nil {
				return err
			}
			if len(sch.Slots) == 0 {
				return fmt.Errorf("%s %w: give it a weekly schedule first", accountLabel(ctx, tx, t.AccountID), ErrNoSlots)
			}
			at, err := nextFreeSlot(ctx, tx, sch, now.Add(dueGuard), nil)
			if err != nil {
				return fmt.Errorf("%s: %w", accountLabel(ctx, tx, t.AccountID), err)
			}
			out[t.AccountID] = at
			if earliest.IsZero() || at.Before(earliest) {
				earliest, zone = at, sch.Zone
			}
			var next any
			if sch.Paused() {
				next = int64(heldMS)
			}
			var id int64
			if err := tx.QueryRowContext(ctx, `
				INSERT INTO deliveries (post_id, account_id, state, due_at, next_attempt_at, idempotency_key)
				VALUES (?, ?, 'queued', ?, ?, ?) RETURNING id`,
				postID, t.AccountID, ms(at), next, NewIdempotencyKey()).Scan(&id); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx,
				"INSERT INTO queue_entries (delivery_id, account_id, added_at) VALUES (?, ?, ?)",
				id, t.AccountID, ms(now)); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `
			UPDATE posts SET state = 'queued', scheduled_at = ?, scheduled_zone = ?, updated_at = ? WHERE id = ?`,
			ms(earliest), zone, ms(now), postID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// QueueEntry is one copy in an account's queue.
type QueueEntry struct {
	DeliveryID int64
	PostID     int64
	DueAt      time.Time
	State      DeliveryState // queued, or missed when it came due while crier was closed
	Held       bool          // the queue is paused: it waits
	Text       string        // what goes to this account
}

// Queue lists an account's queue from `from` on, in time order, at most
// limit copies.
func (s *Store) Queue(ctx context.Context, accountID int64, from time.Time, limit int) ([]QueueEntry, error) {
	return queueEntries(ctx, s.db, accountID, from, limit)
}

func queueEntries(ctx context.Context, q queryer, accountID int64, from time.Time, limit int) ([]QueueEntry, error) {
	return queryAll(ctx, q, scanQueueEntry, queueEntriesSQL, accountID, ms(from), limit)
}

func scanQueueEntry(rows rowScanner) (QueueEntry, error) {
	var e QueueEntry
	var due int64
	var next sql.NullInt64
	if err := rows.Scan(&e.DeliveryID, &e.PostID, &due, &e.State, &next, &e.Text); err != nil {
		return e, err
	}
	e.DueAt, e.Held = fromMS(due), next.Valid && next.Int64 == heldMS
	return e, nil
}

// QueueKey places a copy in its account's queue: by time, then by id.
type QueueKey struct {
	DueAt      time.Time
	DeliveryID int64
}

// Key is the entry's place in the queue's order.
func (e QueueEntry) Key() QueueKey { return QueueKey{DueAt: e.DueAt, DeliveryID: e.DeliveryID} }

// QueueCount is how many copies an account's queue holds from `from` on.
func (s *Store) QueueCount(ctx context.Context, accountID int64, from time.Time) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, queueCountSQL, accountID, ms(from)).Scan(&n)
	return n, err
}

// QueueAt lists up to limit copies of an account's queue from `from` on,
// starting at place offset (0 first).
func (s *Store) QueueAt(ctx context.Context, accountID int64, from time.Time, offset, limit int) ([]QueueEntry, error) {
	return queryAll(ctx, s.db, scanQueueEntry, queueOffsetSQL, accountID, ms(from), limit, max(offset, 0))
}

// QueuePage lists up to limit copies of an account's queue from `from` on,
// in queue order: those right after the key `after`, or right before the
// key `before` (one of them set).
func (s *Store) QueuePage(ctx context.Context, accountID int64, from time.Time, after, before *QueueKey, limit int) ([]QueueEntry, error) {
	if after != nil {
		return queryAll(ctx, s.db, scanQueueEntry, queueAfterSQL, accountID, ms(from), ms(after.DueAt), after.DeliveryID, limit)
	}
	if before == nil {
		return nil, errors.New("a queue page starts after or before a copy")
	}
	es, err := queryAll(ctx, s.db, scanQueueEntry, queueBeforeSQL, accountID, ms(from), ms(before.DueAt), before.DeliveryID, limit)
	slices.Reverse(es)
	return es, err
}

// QueueLast lists the last limit copies of an account's queue, in order.
func (s *Store) QueueLast(ctx context.Context, accountID int64, from time.Time, limit int) ([]QueueEntry, error) {
	es, err := queryAll(ctx, s.db, scanQueueEntry, queueLastSQL, accountID, ms(from), limit)
	slices.Reverse(es)
	return es, err
}

// MoveInQueueBy moves one copy by places (negative: earlier) among the
// copies of its account's queue that can still move, as MoveInQueue does.
func (s *Store) MoveInQueueBy(ctx context.Context, accountID, deliveryID int64, by int, now time.Time) error {
	return s.moveInQueue(ctx, accountID, deliveryID, now, func(from, n int) (int, error) {
		switch {
		case from+by < 0:
			return 0, errors.New("it is first in the queue already")
		case from+by >= n:
			return 0, errors.New("it is last in the queue already")
		}
		return from + by, nil
	})
}

// moveInQueue moves one copy of the part of the queue that can still move
// to the place `to` says (from its place and the count), the slots keeping
// their times.
func (s *Store) moveInQueue(ctx context.Context, accountID, deliveryID int64, now time.Time, to func(from, n int) (int, error)) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		es, err := movableQueue(ctx, tx, accountID, now)
		if err != nil {
			return err
		}
		from := slices.IndexFunc(es, func(e QueueEntry) bool { return e.DeliveryID == deliveryID })
		if from < 0 {
			return fmt.Errorf("delivery %d is not in the queue of account %d, or is due too soon to move", deliveryID, accountID)
		}
		place, err := to(from, len(es))
		if err != nil {
			return err
		}
		times := make([]time.Time, len(es))
		for i, e := range es {
			times[i] = e.DueAt
		}
		moved := es[from]
		es = slices.Delete(es, from, from+1)
		es = slices.Insert(es, place, moved)
		return retime(ctx, tx, es, times, now)
	})
}

// movableQueue is the part of an account's queue whose order can still
// change: queued copies due after now plus dueGuard.
func movableQueue(ctx context.Context, tx *sql.Tx, accountID int64, now time.Time) ([]QueueEntry, error) {
	es, err := queueEntries(ctx, tx, accountID, now.Add(dueGuard).Add(time.Millisecond), 1<<30)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(es, func(e QueueEntry) bool { return e.State != DeliveryQueued }), nil
}

// retime gives each entry the time at the same place in times, and its
// post the earliest time of its copies still to go.
func retime(ctx context.Context, tx *sql.Tx, es []QueueEntry, times []time.Time, now time.Time) error {
	posts := map[int64]bool{}
	for i, e := range es {
		if e.DueAt.Equal(times[i]) {
			continue
		}
		if _, err := tx.ExecContext(ctx, "UPDATE deliveries SET due_at = ? WHERE id = ?", ms(times[i]), e.DeliveryID); err != nil {
			return err
		}
		posts[e.PostID] = true
	}
	for id := range posts {
		if _, err := tx.ExecContext(ctx, `
			UPDATE posts SET updated_at = ?, scheduled_at = coalesce(
				(SELECT min(due_at) FROM deliveries WHERE post_id = ?1 AND state IN ('queued', 'missed', 'failed', 'unknown', 'sending')),
				scheduled_at)
			WHERE id = ?1`, id, ms(now)); err != nil {
			return err
		}
	}
	return nil
}

// MoveInQueue moves one copy (by delivery id) to place `to` (0 first) of
// its account's queue; the others keep their order and the slots keep their
// times, so the copies between swap slots. Copies due within dueGuard, or
// late, stay where they are and are not counted.
func (s *Store) MoveInQueue(ctx context.Context, accountID, deliveryID int64, to int, now time.Time) error {
	return s.moveInQueue(ctx, accountID, deliveryID, now, func(_, n int) (int, error) { return max(0, min(to, n-1)), nil })
}

// ShuffleQueue puts an account's queue (the part that can still move) in a
// random order drawn from r, keeping its slots' times.
func (s *Store) ShuffleQueue(ctx context.Context, accountID int64, r *rand.Rand, now time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		es, err := movableQueue(ctx, tx, accountID, now)
		if err != nil {
			return err
		}
		times := make([]time.Time, len(es))
		for i, e := range es {
			times[i] = e.DueAt
		}
		r.Shuffle(len(es), func(i, j int) { es[i], es[j] = es[j], es[i] })
		return retime(ctx, tx, es, times, now)
	})
}

// PauseQueue pauses an account's queue: its queued copies are held (not
// sent) from now until ResumeQueue, and copies added meanwhile wait too.
// Pausing a paused queue changes nothing. It returns how many copies of
// the queue are being sent at this moment (the scheduler claims a copy up to
// ClaimAhead before its time): those go out all the same, and the person
// must be told so.
func (s *Store) PauseQueue(ctx context.Context, accountID int64, now time.Time) (sendingNow int, err error) {
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx,
			"UPDATE queue_settings SET paused_at = ? WHERE account_id = ? AND paused_at IS NULL", ms(now), accountID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var exists int
			if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM queue_settings WHERE account_id = ?", accountID).Scan(&exists); err != nil {
				return err
			}
			if exists == 0 {
				return fmt.Errorf("%s has no queue to pause: give it a weekly schedule first", accountLabel(ctx, tx, accountID))
			}
			return nil
		}
		if _, err = tx.ExecContext(ctx, `
			UPDATE deliveries SET next_attempt_at = ?
			WHERE id IN (SELECT delivery_id FROM queue_entries WHERE account_id = ?) AND state = 'queued'`,
			int64(heldMS), accountID); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `
			SELECT count(*) FROM deliveries
			WHERE id IN (SELECT delivery_id FROM queue_entries WHERE account_id = ?) AND state = 'sending'`,
			accountID).Scan(&sendingNow)
	})
	return sendingNow, err
}

// ResumeQueue lets a paused queue run again. Its held copies whose time is
// still ahead go out at it; those whose time passed meanwhile (or that were
// marked missed while crier was closed, never tried) move, in their order,
// to the next free slots: nothing held goes out late in a burst. It returns
// how many moved.
func (s *Store) ResumeQueue(ctx context.Context, accountID int64, now time.Time) (int, error) {
	moved := 0
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		sch, err := queueSchedule(ctx, tx, accountID)
		if err != nil {
			return err
		}
		if !sch.Paused() {
			return nil
		}
		if _, err := tx.ExecContext(ctx, "UPDATE queue_settings SET paused_at = NULL WHERE account_id = ?", accountID); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `
			SELECT d.id, d.post_id, d.due_at, d.state FROM queue_entries e JOIN deliveries d ON d.id = e.delivery_id
			WHERE e.account_id = ? AND ((d.state = 'queued' AND d.next_attempt_at = ?)
			                         OR (d.state = 'missed' AND d.attempts = 0))
			ORDER BY d.due_at, d.id`, accountID, int64(heldMS))
		if err != nil {
			return err
		}
		var late []QueueEntry
		var ontime []int64
		for rows.Next() {
			var e QueueEntry
			var due int64
			if err := rows.Scan(&e.DeliveryID, &e.PostID, &due, &e.State); err != nil {
				rows.Close()
				return err
			}
			e.DueAt = fromMS(due)
			// A held copy whose time has not come goes out at it, however
			// soon: only one whose time passed moves. (Letting it go
			// changes no text, so the scheduler's claim needs no margin.)
			if e.State == DeliveryQueued && !e.DueAt.Before(now) {
				ontime = append(ontime, e.DeliveryID)
			} else {
				late = append(late, e)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, id := range ontime {
			if _, err := tx.ExecContext(ctx, "UPDATE deliveries SET next_attempt_at = NULL WHERE id = ?", id); err != nil {
				return err
			}
		}
		var taken []time.Time
		times := make([]time.Time, len(late))
		after := now.Add(dueGuard)
		for i := range late {
			at, err := nextFreeSlot(ctx, tx, sch, after, taken)
			if err != nil {
				return err
			}
			times[i], taken, after = at, append(taken, at), at
		}
		for _, e := range late {
			if _, err := tx.ExecContext(ctx,
				"UPDATE deliveries SET state = 'queued', next_attempt_at = NULL WHERE id = ?", e.DeliveryID); err != nil {
				return err
			}
		}
		if err := retime(ctx, tx, late, times, now); err != nil {
			return err
		}
		posts := map[int64]bool{}
		for _, e := range late {
			posts[e.PostID] = true
		}
		for id := range posts {
			if err := rollUpPost(ctx, tx, id); err != nil {
				return err
			}
		}
		moved = len(late)
		return nil
	})
	return moved, err
}

// ParseQueueSlots reads a schedule as people write it: "Mon-Fri 08:00
// 12:30, Sat 07:30" (days as Mon..Sun, ranges with '-', several times per
// group, groups separated by ',' or ';').
func ParseQueueSlots(text string) ([]QueueSlot, error) {
	var out []QueueSlot
	for _, group := range strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
		fields := strings.Fields(group)
		if len(fields) == 0 {
			continue
		}
		days, err := parseDays(fields[0])
		if err != nil {
			return nil, fmt.Errorf("queue slots %q: %w", strings.TrimSpace(group), err)
		}
		if len(fields) == 1 {
			return nil, fmt.Errorf("queue slots %q: give a time after the days, such as 08:00", strings.TrimSpace(group))
		}
		for _, f := range fields[1:] {
			t, err := time.Parse("15:04", f)
			if err != nil {
				return nil, fmt.Errorf("queue slots %q: %q is not a time of day such as 08:00", strings.TrimSpace(group), f)
			}
			for _, d := range days {
				out = append(out, QueueSlot{Weekday: d, Minute: t.Hour()*60 + t.Minute()})
			}
		}
	}
	slices.SortFunc(out, func(a, b QueueSlot) int {
		if a.Weekday != b.Weekday {
			return int(a.Weekday) - int(b.Weekday)
		}
		return a.Minute - b.Minute
	})
	return slices.Compact(out), nil
}

var dayNames = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
}

func parseDays(s string) ([]time.Weekday, error) {
	day := func(s string) (time.Weekday, error) {
		k := strings.ToLower(s)
		if len(k) >= 3 {
			if d, ok := dayNames[k[:3]]; ok {
				return d, nil
			}
		}
		return 0, fmt.Errorf("%q is not a day such as Mon", s)
	}
	if a, b, ok := strings.Cut(s, "-"); ok {
		from, err := day(a)
		if err != nil {
			return nil, err
		}
		to, err := day(b)
		if err != nil {
			return nil, err
		}
		// Monday-based ranges, so Fri-Mon wraps over the weekend.
		var out []time.Weekday
		for d := from; ; d = (d + 1) % 7 {
			out = append(out, d)
			if d == to {
				return out, nil
			}
		}
	}
	d, err := day(s)
	return []time.Weekday{d}, err
}
