package timeparse

import (
	"errors"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the tests must not depend on the machine's zoneinfo
)

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err) // time/tzdata is linked in, so this is a typo in the test
	}
	return loc
}

// Each "now" is the Saturday before a daylight-saving change, so "tomorrow"
// and "+1d" cross it.
var (
	berlin  = mustLoad("Europe/Berlin")
	newYork = mustLoad("America/New_York")

	berlinSpring  = time.Date(2026, 3, 28, 15, 0, 0, 0, berlin)   // Sat, CET; CEST from Sun 02:00
	berlinAutumn  = time.Date(2026, 10, 24, 15, 0, 0, 0, berlin)  // Sat, CEST; CET from Sun 03:00
	newYorkSpring = time.Date(2026, 3, 7, 12, 0, 0, 0, newYork)   // Sat, EST; EDT from Sun 02:00
	newYorkAutumn = time.Date(2026, 10, 31, 12, 0, 0, 0, newYork) // Sat, EDT; EST from Sun 02:00
	berlinMonday  = time.Date(2026, 3, 30, 8, 0, 0, 0, berlin)    // Mon 08:00 CEST
)

const wallLayout = "2006-01-02 15:04 MST"

func TestParse(t *testing.T) {
	tests := []struct {
		now   time.Time
		input string
		utc   string // the instant, RFC 3339 in UTC
		wall  string // the same instant on the configured zone's clock
	}{
		// The day before spring-forward in Berlin.
		{berlinSpring, "tomorrow 9am", "2026-03-29T07:00:00Z", "2026-03-29 09:00 CEST"},
		{berlinSpring, "tomorrow", "2026-03-29T07:00:00Z", "2026-03-29 09:00 CEST"},
		{berlinSpring, "tomorrow at 9 am", "2026-03-29T07:00:00Z", "2026-03-29 09:00 CEST"},
		{berlinSpring, "9am tomorrow", "2026-03-29T07:00:00Z", "2026-03-29 09:00 CEST"},
		{berlinSpring, "tomorrow noon", "2026-03-29T10:00:00Z", "2026-03-29 12:00 CEST"},
		{berlinSpring, "+24h", "2026-03-29T14:00:00Z", "2026-03-29 16:00 CEST"},
		{berlinSpring, "+1d", "2026-03-29T13:00:00Z", "2026-03-29 15:00 CEST"},
		{berlinSpring, "in 2h", "2026-03-28T16:00:00Z", "2026-03-28 17:00 CET"},
		{berlinSpring, "+90m", "2026-03-28T15:30:00Z", "2026-03-28 16:30 CET"},
		{berlinSpring, "+1h30m", "2026-03-28T15:30:00Z", "2026-03-28 16:30 CET"},
		{berlinSpring, "in 1 hour 30 minutes", "2026-03-28T15:30:00Z", "2026-03-28 16:30 CET"},
		{berlinSpring, "in 3 days", "2026-03-31T13:00:00Z", "2026-03-31 15:00 CEST"},
		{berlinSpring, "+1w", "2026-04-04T13:00:00Z", "2026-04-04 15:00 CEST"},
		{berlinSpring, "+1d 2h", "2026-03-29T15:00:00Z", "2026-03-29 17:00 CEST"},
		{berlinSpring, "now", "2026-03-28T14:00:00Z", "2026-03-28 15:00 CET"},
		{berlinSpring, "NOW", "2026-03-28T14:00:00Z", "2026-03-28 15:00 CET"},
		{berlinSpring, "today 17:30", "2026-03-28T16:30:00Z", "2026-03-28 17:30 CET"},
		{berlinSpring, "today 9am", "2026-03-28T08:00:00Z", "2026-03-28 09:00 CET"}, // past, still returned
		{berlinSpring, "tonight", "2026-03-28T19:00:00Z", "2026-03-28 20:00 CET"},
		{berlinSpring, "tonight 9:30pm", "2026-03-28T20:30:00Z", "2026-03-28 21:30 CET"},
		{berlinSpring, "9am", "2026-03-29T07:00:00Z", "2026-03-29 09:00 CEST"}, // gone today
		{berlinSpring, "17:30", "2026-03-28T16:30:00Z", "2026-03-28 17:30 CET"},
		{berlinSpring, "17.30", "2026-03-28T16:30:00Z", "2026-03-28 17:30 CET"},
		{berlinSpring, "2026-12-01 09:00", "2026-12-01T08:00:00Z", "2026-12-01 09:00 CET"},
		{berlinSpring, "2026-12-01 9am", "2026-12-01T08:00:00Z", "2026-12-01 09:00 CET"},
		{berlinSpring, "2026-12-01 9:30pm", "2026-12-01T20:30:00Z", "2026-12-01 21:30 CET"},
		{berlinSpring, "2026-12-01T09:00", "2026-12-01T08:00:00Z", "2026-12-01 09:00 CET"},
		{berlinSpring, "2026-12-01", "2026-12-01T08:00:00Z", "2026-12-01 09:00 CET"},
		{berlinSpring, "12-01 09:00", "2026-12-01T08:00:00Z", "2026-12-01 09:00 CET"},
		{berlinSpring, "Dec 1 09:00", "2026-12-01T08:00:00Z", "2026-12-01 09:00 CET"},
		{berlinSpring, "1 Dec 9am", "2026-12-01T08:00:00Z", "2026-12-01 09:00 CET"},
		{berlinSpring, "  DEC 1ST, 9AM  ", "2026-12-01T08:00:00Z", "2026-12-01 09:00 CET"},
		{berlinSpring, "december 1 2027 12am", "2027-11-30T23:00:00Z", "2027-12-01 00:00 CET"},
		{berlinSpring, "Tue 1 Dec 09:00", "2026-12-01T08:00:00Z", "2026-12-01 09:00 CET"},
		{berlinSpring, "Jan 5 10:00", "2027-01-05T09:00:00Z", "2027-01-05 10:00 CET"},     // passed this year
		{berlinSpring, "03-28 14:00", "2027-03-28T12:00:00Z", "2027-03-28 14:00 CEST"},    // an hour ago: next year
		{berlinSpring, "03-28 16:00", "2026-03-28T15:00:00Z", "2026-03-28 16:00 CET"},     // still ahead today
		{berlinSpring, "mar 28", "2027-03-28T07:00:00Z", "2027-03-28 09:00 CEST"},         // 09:00 today has passed
		{berlinSpring, "sat 17:00", "2026-03-28T16:00:00Z", "2026-03-28 17:00 CET"},       // today, still ahead
		{berlinSpring, "sat 9am", "2026-04-04T07:00:00Z", "2026-04-04 09:00 CEST"},        // gone today: next week
		{berlinSpring, "saturday", "2026-04-04T07:00:00Z", "2026-04-04 09:00 CEST"},       // 09:00 has gone
		{berlinSpring, "next sat 17:00", "2026-04-04T15:00:00Z", "2026-04-04 17:00 CEST"}, // never today
		{berlinSpring, "sun", "2026-03-29T07:00:00Z", "2026-03-29 09:00 CEST"},
		{berlinSpring, "mon 9am", "2026-03-30T07:00:00Z", "2026-03-30 09:00 CEST"},
		{berlinSpring, "monday 09:00", "2026-03-30T07:00:00Z", "2026-03-30 09:00 CEST"},
		{berlinSpring, "next monday 9am", "2026-03-30T07:00:00Z", "2026-03-30 09:00 CEST"},
		{berlinSpring, "thurs 8pm", "2026-04-02T18:00:00Z", "2026-04-02 20:00 CEST"},

		// Weekday rule when today is that weekday.
		{berlinMonday, "mon 9am", "2026-03-30T07:00:00Z", "2026-03-30 09:00 CEST"},
		{berlinMonday, "mon", "2026-03-30T07:00:00Z", "2026-03-30 09:00 CEST"},
		{berlinMonday, "mon 7am", "2026-04-06T05:00:00Z", "2026-04-06 07:00 CEST"},
		{berlinMonday, "next mon 9am", "2026-04-06T07:00:00Z", "2026-04-06 09:00 CEST"},

		// The day before fall-back in Berlin.
		{berlinAutumn, "tomorrow 9am", "2026-10-25T08:00:00Z", "2026-10-25 09:00 CET"},
		{berlinAutumn, "+24h", "2026-10-25T13:00:00Z", "2026-10-25 14:00 CET"},
		{berlinAutumn, "+1d", "2026-10-25T14:00:00Z", "2026-10-25 15:00 CET"},
		{berlinAutumn, "2026-10-25 02:30", "2026-10-25T00:30:00Z", "2026-10-25 02:30 CEST"}, // first of two
		{berlinAutumn, "tomorrow 2:30am", "2026-10-25T00:30:00Z", "2026-10-25 02:30 CEST"},
		{berlinAutumn, "2026-10-25 03:00", "2026-10-25T02:00:00Z", "2026-10-25 03:00 CET"},

		// New York, both changes.
		{newYorkSpring, "tomorrow 9am", "2026-03-08T13:00:00Z", "2026-03-08 09:00 EDT"},
		{newYorkSpring, "+24h", "2026-03-08T17:00:00Z", "2026-03-08 13:00 EDT"},
		{newYorkSpring, "+1d", "2026-03-08T16:00:00Z", "2026-03-08 12:00 EDT"},
		{newYorkSpring, "2026-03-08 03:00", "2026-03-08T07:00:00Z", "2026-03-08 03:00 EDT"},
		{newYorkAutumn, "tomorrow 9am", "2026-11-01T14:00:00Z", "2026-11-01 09:00 EST"},
		{newYorkAutumn, "+24h", "2026-11-01T16:00:00Z", "2026-11-01 11:00 EST"},
		{newYorkAutumn, "+1d", "2026-11-01T17:00:00Z", "2026-11-01 12:00 EST"},
		{newYorkAutumn, "2026-11-01 1:30am", "2026-11-01T05:30:00Z", "2026-11-01 01:30 EDT"}, // first of two
		{newYorkAutumn, "sun 1:30am", "2026-11-01T05:30:00Z", "2026-11-01 01:30 EDT"},

		// "+1d" from inside tomorrow's gap moves forward by the gap.
		{time.Date(2026, 3, 28, 2, 30, 0, 0, berlin), "+1d", "2026-03-29T01:30:00Z", "2026-03-29 03:30 CEST"},
	}
	for _, tt := range tests {
		t.Run(tt.now.Format("Jan02_")+tt.now.Location().String()+"/"+tt.input, func(t *testing.T) {
			got, err := Parse(tt.input, tt.now, tt.now.Location())
			if err != nil {
				t.Fatalf("Parse(%q) error: %v", tt.input, err)
			}
			if utc := got.UTC().Format(time.RFC3339); utc != tt.utc {
				t.Errorf("Parse(%q) = %s, want %s", tt.input, utc, tt.utc)
			}
			if wall := got.In(tt.now.Location()).Format(wallLayout); wall != tt.wall {
				t.Errorf("Parse(%q) wall clock = %s, want %s", tt.input, wall, tt.wall)
			}
		})
	}
}

func TestParseDayVersusHoursAcrossDST(t *testing.T) {
	for _, now := range []time.Time{berlinSpring, berlinAutumn, newYorkSpring, newYorkAutumn} {
		hours, err1 := Parse("+24h", now, now.Location())
		day, err2 := Parse("+1d", now, now.Location())
		if err1 != nil || err2 != nil {
			t.Fatalf("%v: %v %v", now, err1, err2)
		}
		if diff := hours.Sub(day); diff != time.Hour && diff != -time.Hour {
			t.Errorf("%v: +24h and +1d differ by %v, want an hour", now, diff)
		}
		if hours.Sub(now) != 24*time.Hour {
			t.Errorf("%v: +24h is %v after now", now, hours.Sub(now))
		}
		if h, m, _ := day.In(now.Location()).Clock(); h != now.Hour() || m != now.Minute() {
			t.Errorf("%v: +1d wall clock %02d:%02d, want %s", now, h, m, now.Format("15:04"))
		}
	}
}

func TestParseGap(t *testing.T) {
	tests := []struct {
		now   time.Time
		input string
		want  string
	}{
		{berlinSpring, "2027-03-28 02:30", "02:30 does not exist on Sun 28 Mar 2027 in Europe/Berlin: clocks jump from 02:00 to 03:00"},
		{berlinSpring, "2026-03-29 02:30", "02:30 does not exist on Sun 29 Mar 2026 in Europe/Berlin: clocks jump from 02:00 to 03:00"},
		{berlinSpring, "tomorrow 2:30am", "02:30 does not exist on Sun 29 Mar 2026 in Europe/Berlin: clocks jump from 02:00 to 03:00"},
		{berlinSpring, "sun 02:00", "02:00 does not exist on Sun 29 Mar 2026 in Europe/Berlin: clocks jump from 02:00 to 03:00"},
		{berlinSpring, "2:59", "02:59 does not exist on Sun 29 Mar 2026 in Europe/Berlin: clocks jump from 02:00 to 03:00"}, // gone today, so tomorrow
		{newYorkSpring, "2026-03-08 02:30", "02:30 does not exist on Sun 8 Mar 2026 in America/New_York: clocks jump from 02:00 to 03:00"},
		{newYorkSpring, "tomorrow 2:15am", "02:15 does not exist on Sun 8 Mar 2026 in America/New_York: clocks jump from 02:00 to 03:00"},
	}
	for _, tt := range tests {
		got, err := Parse(tt.input, tt.now, tt.now.Location())
		if err == nil {
			t.Errorf("Parse(%q) = %v, want an error", tt.input, got)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("Parse(%q) error\n got %q\nwant %q", tt.input, err, tt.want)
		}
		if !errors.Is(err, ErrNoSuchTime) {
			t.Errorf("Parse(%q) error %v does not wrap ErrNoSuchTime", tt.input, err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	want := `can't read "tomorow 9am" as a time: try 2026-04-04 09:00, tomorrow 9am or +2h`
	if _, err := Parse("tomorow 9am", berlinSpring, berlin); err == nil || err.Error() != want {
		t.Errorf("Parse(tomorow 9am) error\n got %v\nwant %s", err, want)
	}

	for _, input := range []string{
		"", "   ", "tomorow 9am", "25:00", "12:60", "13pm", "0am", "9", "17",
		"+", "+2", "+2x", "+h", "in", "in soon", "in 2", "+99999999h", "+-2h",
		"next", "next week", "next 9am", "yesterday", "tomorrow tomorrow",
		"2026-13-01", "2026-00-10", "0000-12-01", "2026-12-32", "12-01-2026", "2026/12/01",
		"dec", "dec 32", "dec 1 26", "1 2 3 4", "today 9am please", "9am 10am",
		"t", "2026-12-01t", "tonightt", "\x00", "🕘",
	} {
		got, err := Parse(input, berlinSpring, berlin)
		if err == nil {
			t.Errorf("Parse(%q) = %v, want an error", input, got)
			continue
		}
		if !errors.Is(err, ErrNotUnderstood) {
			t.Errorf("Parse(%q) error %v does not wrap ErrNotUnderstood", input, err)
		}
		if !strings.Contains(err.Error(), "try ") && !strings.Contains(err.Error(), "can't read") {
			t.Errorf("Parse(%q) error %q gives no help", input, err)
		}
	}

	for input, want := range map[string]string{
		"2026-02-30 09:00": `can't read "2026-02-30 09:00" as a time: there is no 30 Feb 2026`,
		"feb 29":           `can't read "feb 29" as a time: there is no 29 Feb 2027`,
		"mon 1 dec":        `can't read "mon 1 dec" as a time: 1 Dec 2026 is a Tuesday, not a Monday`,
		"today":            `can't read "today" as a time: add a time, e.g. today 17:30`,
		"+9999999h":        `can't read "+9999999h" as a time: that is more than ten years ahead`,
		"in 600 weeks":     `can't read "in 600 weeks" as a time: that is more than ten years ahead`,
		"2099-01-01 09:00": `can't read "2099-01-01 09:00" as a time: that is more than ten years ahead`,
		"0001-01-01T00.00": `can't read "0001-01-01T00.00" as a time: that is more than ten years ago`,
		"1 jan 1999":       `can't read "1 jan 1999" as a time: that is more than ten years ago`,
		"tomorrow 25:00":   `can't read "tomorrow 25:00" as a time: there is no hour 25 (a day runs from 00:00 to 23:59)`,
		"24:00":            `can't read "24:00" as a time: there is no hour 24 (a day runs from 00:00 to 23:59)`,
		"fri 9:75":         `can't read "fri 9:75" as a time: there is no minute 75 (an hour has 00 to 59)`,
		"13pm tomorrow":    `can't read "13pm tomorrow" as a time: with pm the hour is 1 to 12, not 13`,
		"dec 3 0 am":       `can't read "dec 3 0 am" as a time: with am the hour is 1 to 12, not 0`,
		"2026-13-01 09:00": `can't read "2026-13-01 09:00" as a time: there is no month 13 (write the date year-month-day, like 2026-12-03)`,
		"12-32 9am":        `can't read "12-32 9am" as a time: there is no day 32 in a month`,
		"yesterday 9am":    `can't read "yesterday 9am" as a time: that is in the past: crier reads times ahead; try 2026-04-04 09:00, tomorrow 9am or +2h`,
		"last friday":      `can't read "last friday" as a time: that is in the past: crier reads times ahead; try 2026-04-04 09:00, tomorrow 9am or +2h`,
	} {
		_, err := Parse(input, berlinSpring, berlin)
		if err == nil || err.Error() != want {
			t.Errorf("Parse(%q) error\n got %v\nwant %s", input, err, want)
		}
		if !errors.Is(err, ErrNotUnderstood) {
			t.Errorf("Parse(%q) error %v does not wrap ErrNotUnderstood", input, err)
		}
	}
}

func TestParseNilLocationUsesNowsZone(t *testing.T) {
	got, err := Parse("tomorrow 9am", newYorkSpring, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := "2026-03-08T13:00:00Z"; got.UTC().Format(time.RFC3339) != want {
		t.Errorf("got %s, want %s", got.UTC().Format(time.RFC3339), want)
	}
}

func TestDescribe(t *testing.T) {
	at := func(now time.Time, s string) time.Time {
		got, err := time.ParseInLocation("2006-01-02 15:04", s, now.Location())
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	tests := []struct {
		now  time.Time
		t    time.Time
		want string
	}{
		{berlinSpring, berlinSpring, "now"},
		{berlinSpring, berlinSpring.Add(20 * time.Second), "now"},
		{berlinSpring, berlinSpring.Add(2*time.Hour + 5*time.Minute), "in 2h 5m"},
		{berlinSpring, berlinSpring.Add(45 * time.Minute), "in 45m"},
		{berlinSpring, berlinSpring.Add(3 * time.Hour), "in 3h"},
		{berlinSpring, berlinSpring.Add(-25 * time.Minute), "25m ago"},
		{berlinSpring, at(berlinSpring, "2026-03-28 20:00"), "today 20:00"},
		{berlinSpring, at(berlinSpring, "2026-03-28 08:00"), "today 08:00"},
		{berlinSpring, at(berlinSpring, "2026-03-29 09:00"), "tomorrow 09:00"},
		{berlinSpring, at(berlinSpring, "2026-03-27 09:00"), "yesterday 09:00"},
		{berlinSpring, at(berlinSpring, "2026-12-01 09:00"), "Tue 1 Dec 09:00"},
		{berlinSpring, at(berlinSpring, "2027-01-05 09:00"), "Tue 5 Jan 2027 09:00"},
		// The repeated hour names its zone so the two can be told apart.
		{berlinAutumn, time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC), "tomorrow 02:30 CEST"},
		{berlinAutumn, time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC), "tomorrow 02:30 CET"},
		{berlinAutumn, time.Date(2026, 10, 25, 2, 30, 0, 0, time.UTC), "tomorrow 03:30"},
		{newYorkAutumn, time.Date(2026, 11, 1, 5, 30, 0, 0, time.UTC), "tomorrow 01:30 EDT"},
		// A time in another zone is shown on the configured clock.
		{berlinSpring, time.Date(2026, 3, 29, 7, 0, 0, 0, time.UTC), "tomorrow 09:00"},
	}
	for _, tt := range tests {
		if got := Describe(tt.t, tt.now, tt.now.Location()); got != tt.want {
			t.Errorf("Describe(%v, now %v) = %q, want %q", tt.t, tt.now, got, tt.want)
		}
	}
}

// What Describe prints for a day-and-time reads back as the same instant.
func TestDescribeReadsBack(t *testing.T) {
	for _, input := range []string{"2026-12-01 09:00", "tomorrow 9am", "today 20:00", "2027-01-05 18:45"} {
		want, err := Parse(input, berlinSpring, berlin)
		if err != nil {
			t.Fatal(err)
		}
		text := Describe(want, berlinSpring, berlin)
		got, err := Parse(text, berlinSpring, berlin)
		if err != nil {
			t.Fatalf("Parse(Describe(%q) = %q): %v", input, text, err)
		}
		if !got.Equal(want) {
			t.Errorf("Parse(%q) = %v, want %v", text, got, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"2026-12-01 09:00", "2026-12-01 9am", "2026-12-01T09:00", "2026-12-01", "12-01 09:00",
		"Dec 1 09:00", "1 Dec 9am", "today 17:30", "tomorrow 9am", "tomorrow", "tonight",
		"mon 9am", "monday 09:00", "next monday 9am", "9am", "17:30", "+2h", "+90m", "+1h30m",
		"in 2h", "in 3 days", "+1d", "+1w", "now", "2027-03-28 02:30", "tomorow 9am", "",
		"+9999999h9999999h9999999h", "feb 29", "Tue 1 Dec 09:00",
	} {
		f.Add(seed)
	}
	zones := []*time.Location{berlin, newYork, time.UTC, mustLoad("Australia/Lord_Howe"), mustLoad("Pacific/Apia")}
	nows := []time.Time{berlinSpring, berlinAutumn, newYorkSpring, newYorkAutumn}
	f.Fuzz(func(t *testing.T, input string) {
		for _, loc := range zones {
			for _, now := range nows {
				got, err := Parse(input, now, loc)
				if err != nil {
					if err.Error() == "" {
						t.Fatalf("Parse(%q) returned an empty error", input)
					}
					continue
				}
				if got.IsZero() {
					t.Fatalf("Parse(%q) succeeded with the zero time", input)
				}
				_ = Describe(got, now, loc)
			}
		}
	})
}
