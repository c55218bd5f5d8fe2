package calendar

import (
	"testing"
	"time"
)

// Where the clocks jump forward at midnight (Chile on 6 Sep 2026), the day
// starts at the jump, 01:00 of that day, not at 23:00 of the day before
// (time.Date's reading of the missing midnight), and it is 23 hours long.
func TestADayWhoseMidnightIsSkippedStartsThatDay(t *testing.T) {
	loc, err := time.LoadLocation("America/Santiago")
	if err != nil {
		t.Skip(err)
	}
	day := time.Date(2026, 9, 6, 0, 0, 0, 0, time.UTC)
	start := startOf(day, loc)
	if y, m, d := start.Date(); y != 2026 || m != 9 || d != 6 || start.Hour() != 1 {
		t.Fatalf("6 Sep 2026 starts at %v in Santiago, want 01:00 that day", start)
	}
	if got := startOf(addDays(day, 1), loc).Sub(start); got != 23*time.Hour {
		t.Fatalf("the day is %v long, want 23h", got)
	}
	if got := dayOf(start, loc); !got.Equal(day) {
		t.Fatalf("its start falls on %v, want %v", got, day)
	}
}
