package timing

import (
	"strings"
	"testing"
	"time"
)

func TestParsePlainRule(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		text, rule string
		h, m       int
	}{
		{"weekly on Saturday at 07:30 until 2027-03-01", "FREQ=WEEKLY;BYDAY=SA;UNTIL=20270301T225959Z", 7, 30},
		{"every Sat at 7:30", "FREQ=WEEKLY;BYDAY=SA", 7, 30},
		{"every Mon, Wed and Fri at 08:00 for 6 times", "FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=6", 8, 0},
		{"every 2 weeks on Saturday at 10:15", "FREQ=WEEKLY;INTERVAL=2;BYDAY=SA", 10, 15},
		{"daily at 12:00", "FREQ=DAILY", 12, 0},
		{"every day at 12:00", "FREQ=DAILY", 12, 0},
		{"monthly on the 1st at 09:00", "FREQ=MONTHLY;BYMONTHDAY=1", 9, 0},
		{"monthly on day 15 at 09:00", "FREQ=MONTHLY;BYMONTHDAY=15", 9, 0},
		{"FREQ=WEEKLY;BYDAY=SA at 07:30", "FREQ=WEEKLY;BYDAY=SA", 7, 30},
		{"RRULE:FREQ=MONTHLY;BYMONTHDAY=1", "FREQ=MONTHLY;BYMONTHDAY=1", 9, 0},
	} {
		got, err := ParsePlainRule(c.text, berlin)
		if err != nil {
			t.Errorf("%q: %v", c.text, err)
			continue
		}
		if got.RRule != c.rule || got.Hour != c.h || got.Minute != c.m {
			t.Errorf("%q: %+v, want %s at %02d:%02d", c.text, got, c.rule, c.h, c.m)
		}
	}
	for text, want := range map[string]string{
		"":                                  "write one such as",
		"weekly on Saturday":                "at what time",
		"on Saturday at 25:00":              "not a time of day",
		"weekly on Saturday at 07:30 soon":  `"soon" is not understood`,
		"every Sat at 07:30 until tomorrow": "not a date",
		"every Sat at 07:30 until 2027-01-01 for 3 times": "not both",
		"at 07:30": "how often",
	} {
		if _, err := ParsePlainRule(text, berlin); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want an error saying %q", text, err, want)
		}
	}
}

// TestFirstAfterKeepsWallClock anchors a weekly rule on the first Saturday
// after now, across the spring change in Berlin, at 07:30 local time.
func TestFirstAfterKeepsWallClock(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	now := time.Date(2027, 3, 24, 12, 0, 0, 0, berlin) // a Wednesday; clocks go forward on Sunday 28 March
	p, err := ParsePlainRule("weekly on Saturday at 07:30", berlin)
	if err != nil {
		t.Fatal(err)
	}
	first, ok, err := p.FirstAfter(now, berlin)
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	if want := time.Date(2027, 3, 27, 7, 30, 0, 0, berlin); !first.Equal(want) {
		t.Errorf("first = %v, want %v", first, want)
	}
	rule, err := ParseRule(p.RRule, first, berlin)
	if err != nil {
		t.Fatal(err)
	}
	for _, at := range rule.Between(first.Add(-time.Second), first.AddDate(0, 0, 15), 5) {
		if l := at.In(berlin); l.Hour() != 7 || l.Minute() != 30 || l.Weekday() != time.Saturday {
			t.Errorf("occurrence %v is not Saturday 07:30 in Berlin", l)
		}
	}
	// An until date before any occurrence leaves none.
	p, _ = ParsePlainRule("weekly on Saturday at 07:30 until 2027-03-25", berlin)
	if _, ok, err := p.FirstAfter(now, berlin); ok || err != nil {
		t.Errorf("a rule that ended has a first occurrence: %v %v", ok, err)
	}
}

func TestDescribeRule(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	start := time.Date(2027, 3, 27, 7, 30, 0, 0, berlin)
	for rule, want := range map[string]string{
		"FREQ=WEEKLY;BYDAY=SA;UNTIL=20270301T225959Z": "every Saturday at 07:30 until Mon 1 Mar 2027",
		"FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=6":          "every Monday, Wednesday and Friday at 07:30, 6 times",
		"FREQ=WEEKLY;INTERVAL=2;BYDAY=SU":             "every 2 weeks on Sunday at 07:30",
		"FREQ=DAILY":                                  "every day at 07:30",
		"FREQ=MONTHLY;BYMONTHDAY=1":                   "every month on day 1 at 07:30",
		"FREQ=YEARLY;BYMONTH=12":                      "every year at 07:30 (BYMONTH=12)",
		"FREQ=MONTHLY;BYDAY=1SA":                      "every month at 07:30 (BYDAY=1SA)",
		// An end date alone, or on the zone's clock, is read too.
		"FREQ=WEEKLY;BYDAY=SA;UNTIL=20270403":        "every Saturday at 07:30 until Sat 3 Apr 2027",
		"FREQ=WEEKLY;BYDAY=SA;UNTIL=20270403T073000": "every Saturday at 07:30 until Sat 3 Apr 2027",
		// A day some months (years) lack is skipped there, and it says so.
		"FREQ=MONTHLY;BYMONTHDAY=31":         "every month on day 31 at 07:30; months without a day 31 are skipped",
		"FREQ=MONTHLY;BYMONTHDAY=30;COUNT=4": "every month on day 30 at 07:30, 4 times; months without a day 30 are skipped",
		"FREQ=MONTHLY":                       "every month on day 27 at 07:30",
	} {
		if got := DescribeRule(rule, start, berlin); got != want {
			t.Errorf("%s: %q, want %q", rule, got, want)
		}
	}
	for rule, c := range map[string]struct {
		start time.Time
		want  string
	}{
		"FREQ=MONTHLY": {time.Date(2027, 1, 31, 9, 0, 0, 0, berlin), "every month on day 31 at 09:00; months without a day 31 are skipped"},
		"FREQ=YEARLY":  {time.Date(2028, 2, 29, 9, 0, 0, 0, berlin), "every year on 29 February at 09:00; leap years only"},
	} {
		if got := DescribeRule(rule, c.start, berlin); got != c.want {
			t.Errorf("%s from %v: %q, want %q", rule, c.start, got, c.want)
		}
	}
}

// TestUntilADateIncludesThatDay: an RRULE's UNTIL given as a date alone
// ends the series at the end of that day in its zone, as the rule in words
// does ("until 2027-04-03"): the post on that day is made, not left out.
func TestUntilADateIncludesThatDay(t *testing.T) {
	for _, zone := range []string{"Europe/Berlin", "America/New_York"} {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Skip(err)
		}
		start := time.Date(2027, 3, 6, 7, 30, 0, 0, loc)
		r, err := ParseRule("FREQ=WEEKLY;BYDAY=SA;UNTIL=20270403", start, loc)
		if err != nil {
			t.Fatal(err)
		}
		got := r.Between(start.Add(-time.Second), start.AddDate(1, 0, 0), 100)
		if len(got) != 5 || !got[4].Equal(time.Date(2027, 4, 3, 7, 30, 0, 0, loc)) {
			t.Errorf("%s: %v, want 5 Saturdays through 3 Apr 07:30", zone, got)
		}
	}
}
