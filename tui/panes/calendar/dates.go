package calendar

import (
	"time"

	"github.com/crier-app/crier/store"
)

// The calendar reasons in calendar days. A day is held as midnight UTC of
// that date, so stepping by days never meets a DST change; it becomes an
// instant only through startOf, in the display zone.

// dayOf is the calendar day an instant falls on in loc.
func dayOf(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// startOf is the instant day begins in loc: its midnight, or where the
// clocks jump forward at midnight, the instant of the jump (store.DayStart).
func startOf(day time.Time, loc *time.Location) time.Time {
	return store.DayStart(day.Year(), day.Month(), day.Day(), loc)
}

// at is the wall-clock time hour:min on day in loc.
func at(day time.Time, hour, min int, loc *time.Location) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), hour, min, 0, 0, loc)
}

func addDays(day time.Time, n int) time.Time { return day.AddDate(0, 0, n) }

// weekStartOf is the first day of the week holding day.
func weekStartOf(day time.Time, ws time.Weekday) time.Time {
	back := (int(day.Weekday()) - int(ws) + 7) % 7
	return addDays(day, -back)
}

func firstOfMonth(day time.Time) time.Time {
	return time.Date(day.Year(), day.Month(), 1, 0, 0, 0, 0, time.UTC)
}

func daysIn(year int, month time.Month) int {
	return time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// addMonths moves day by n months, keeping the day of the month where the
// target month has it and otherwise taking its last day (31 Jan -> 28 Feb).
func addMonths(day time.Time, n int) time.Time {
	first := time.Date(day.Year(), day.Month()+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	d := min(day.Day(), daysIn(first.Year(), first.Month()))
	return time.Date(first.Year(), first.Month(), d, 0, 0, 0, 0, time.UTC)
}

// monthGrid is the first day shown and the number of week rows needed to
// show the whole month holding day.
func monthGrid(day time.Time, ws time.Weekday) (first time.Time, weeks int) {
	start := firstOfMonth(day)
	first = weekStartOf(start, ws)
	lead := int(start.Sub(first).Hours() / 24)
	n := daysIn(start.Year(), start.Month())
	return first, (lead + n + 6) / 7
}
