// Package timeparse turns what a person types as a schedule time ("tomorrow
// 9am", "fri 17:30", "+2h", "2026-12-01 09:00") into an instant, and describes
// an instant back in a short human form for the composer to echo.
//
// Wall-clock times are read in the configured zone and resolved explicitly
// rather than left to time.Date, whose choice inside a daylight-saving gap or
// overlap is unspecified (and in practice differs between zones):
//
//   - a wall-clock time that does not exist (the spring-forward gap) is an
//     error that says so;
//   - a wall-clock time that happens twice (the fall-back overlap) means the
//     first occurrence.
//
// Rules for the forms that need one:
//
//   - A date without a time means 09:00; "tonight" means 20:00. "today" needs
//     a time.
//   - A bare time ("9am", "17:30") is today if that moment is still ahead of
//     now, otherwise tomorrow.
//   - A weekday ("mon 9am") is the first such day, starting today, whose time
//     is still ahead of now: on a Monday at 08:00 "mon 9am" is today, at 10:00
//     it is next week's Monday. "next mon" never means today: it is the first
//     Monday after today (1 to 7 days ahead).
//   - A date without a year ("12-01", "Dec 1", "1 Dec") is this year, or next
//     year if that moment has already passed. A date with one more than ten
//     years ahead of now or ago is an error, as a relative offset of more
//     than ten years is.
//   - Relative hours and minutes ("+90m", "in 2h") are exact durations.
//     Relative days and weeks ("+1d", "in 3 days") keep the wall-clock time;
//     if that wall-clock time falls in a gap it moves forward by the gap.
//     Days and weeks are applied before hours and minutes.
//
// Times in the past are not an error here: the caller decides what to do with
// them.
package timeparse

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

const (
	defaultHour = 9  // a date without a time
	tonightHour = 20 // "tonight"

	// maxAhead bounds relative offsets so that arithmetic cannot overflow and
	// a slip of the keyboard ("+9999999h") reads as a mistake.
	maxAheadDays = 3660
)

// Parse reads input as a schedule time. Wall-clock times are interpreted in
// loc (now's location if loc is nil); relative forms count from now.
func Parse(input string, now time.Time, loc *time.Location) (time.Time, error) {
	if loc == nil {
		loc = now.Location()
	}
	p := parser{input: strings.TrimSpace(input), now: now, nowL: now.In(loc), loc: loc}
	return p.parse()
}

type parser struct {
	input string
	now   time.Time
	nowL  time.Time // now in loc
	loc   *time.Location
}

// clock is a time of day the user typed.
type clock struct{ hour, min int }

func (p *parser) parse() (time.Time, error) {
	tokens := tokenize(p.input)
	if len(tokens) == 0 {
		return time.Time{}, &inputError{msg: "no time given: try " + p.examples()}
	}
	if len(tokens) == 1 && tokens[0] == "now" {
		return p.now, nil
	}
	if tokens[0] == "in" || strings.HasPrefix(tokens[0], "+") {
		return p.parseRelative(tokens)
	}

	// The time of day is the last token, or the first ("9am tomorrow").
	var tod *clock
	if c, ok := parseClock(tokens[len(tokens)-1]); ok {
		tod, tokens = &c, tokens[:len(tokens)-1]
	} else if c, ok := parseClock(tokens[0]); ok && len(tokens) > 1 {
		tod, tokens = &c, tokens[1:]
	}
	return p.parseDay(tokens, tod)
}

// parseDay resolves the date words in tokens, combined with tod (nil when no
// time of day was typed).
func (p *parser) parseDay(tokens []string, tod *clock) (time.Time, error) {
	at := func(hour int) clock {
		if tod != nil {
			return *tod
		}
		return clock{hour, 0}
	}
	y, m, d := p.nowL.Date()

	switch {
	case len(tokens) == 0:
		if tod == nil {
			return time.Time{}, p.notUnderstood()
		}
		return p.firstAhead(y, m, d, *tod, func(offset int) bool { return offset <= 1 })

	case len(tokens) == 1 && tokens[0] == "today":
		if tod == nil {
			return time.Time{}, p.invalid("add a time, e.g. today 17:30")
		}
		return p.wall(y, m, d, *tod)

	case len(tokens) == 1 && tokens[0] == "tonight":
		return p.wall(y, m, d, at(tonightHour))

	case len(tokens) == 1 && tokens[0] == "tomorrow":
		return p.wall(y, m, d+1, at(defaultHour))

	case len(tokens) == 2 && tokens[0] == "next":
		wd, ok := weekdays[tokens[1]]
		if !ok {
			return time.Time{}, p.notUnderstood()
		}
		ahead := (int(wd) - int(p.nowL.Weekday()) + 7) % 7
		if ahead == 0 {
			ahead = 7
		}
		return p.wall(y, m, d+ahead, at(defaultHour))

	case len(tokens) == 1 && isWeekday(tokens[0]):
		wd := weekdays[tokens[0]]
		return p.firstAhead(y, m, d, at(defaultHour), func(offset int) bool {
			return time.Weekday((int(p.nowL.Weekday())+offset)%7) == wd
		})
	}
	return p.parseDate(tokens, at(defaultHour))
}

// firstAhead returns the first of the next eight days, starting today, that
// matches and whose wall-clock time c is still ahead of now.
func (p *parser) firstAhead(y int, m time.Month, d int, c clock, match func(offset int) bool) (time.Time, error) {
	for offset := 0; offset <= 7; offset++ {
		yy, mm, dd := normalizeDate(y, m, d+offset)
		if match(offset) && p.ahead(yy, mm, dd, c) {
			return p.wall(yy, mm, dd, c)
		}
	}
	return time.Time{}, p.notUnderstood() // unreachable: a week ahead is always ahead
}

// parseDate reads explicit dates: 2026-12-01, 12-01, Dec 1, 1 Dec, Dec 1 2026,
// 1 Dec 2026, each optionally preceded by a weekday that must agree.
func (p *parser) parseDate(tokens []string, c clock) (time.Time, error) {
	var (
		wantWeekday = -1
		year        int
		month       time.Month
		day         int
		ok          bool
	)
	if len(tokens) > 1 && isWeekday(tokens[0]) {
		wantWeekday = int(weekdays[tokens[0]])
		tokens = tokens[1:]
	}
	switch len(tokens) {
	case 1:
		year, month, day, ok = parseNumericDate(tokens[0])
	case 2, 3:
		month, day, ok = parseMonthDay(tokens[0], tokens[1])
		if ok && len(tokens) == 3 {
			year, ok = parseYear(tokens[2])
		}
	}
	if !ok {
		return time.Time{}, p.notUnderstood()
	}

	if year != 0 {
		if !dateExists(year, month, day) {
			return time.Time{}, p.invalid("there is no %d %s %d", day, month.String()[:3], year)
		}
	} else {
		year = p.nowL.Year()
		if !dateExists(year, month, day) || !p.ahead(year, month, day, c) {
			year++
		}
		if !dateExists(year, month, day) {
			return time.Time{}, p.invalid("there is no %d %s %d", day, month.String()[:3], year)
		}
	}
	t, err := p.wall(year, month, day, c)
	if err != nil {
		return time.Time{}, err
	}
	// A year typed far from now is a slip, as a relative offset past
	// maxAheadDays is; and year 1 would be Go's zero time, which callers
	// read as no time at all.
	if t.After(p.now.AddDate(0, 0, maxAheadDays)) {
		return time.Time{}, p.invalid("that is more than ten years ahead")
	}
	if t.Before(p.now.AddDate(0, 0, -maxAheadDays)) {
		return time.Time{}, p.invalid("that is more than ten years ago")
	}
	if wantWeekday >= 0 && int(t.Weekday()) != wantWeekday {
		return time.Time{}, p.invalid("%s is a %s, not a %s", t.Format("2 Jan 2006"), t.Weekday(), time.Weekday(wantWeekday))
	}
	return t, nil
}

// wall resolves a wall-clock time in the parser's zone. The day may overflow
// the month (d+1 on the 31st); it is normalised first.
func (p *parser) wall(y int, m time.Month, d int, c clock) (time.Time, error) {
	y, m, d = normalizeDate(y, m, d)
	t, gap := resolveWall(y, m, d, c.hour, c.min, 0, 0, p.loc)
	if gap != nil {
		return time.Time{}, gap
	}
	return t, nil
}

// ahead reports whether the wall-clock time y-m-d c is later than now. A
// time that falls in a gap counts as ahead when its wall clock is.
func (p *parser) ahead(y int, m time.Month, d int, c clock) bool {
	t, gap := resolveWall(y, m, d, c.hour, c.min, 0, 0, p.loc)
	if gap != nil {
		return time.Date(y, m, d, c.hour, c.min, 0, 0, time.UTC).After(wallOf(p.nowL))
	}
	return t.After(p.now)
}

// normalizeDate folds an overflowing day (the 32nd of a month) into a real
// date.
func normalizeDate(y int, m time.Month, d int) (int, time.Month, int) {
	return time.Date(y, m, d, 12, 0, 0, 0, time.UTC).Date()
}

func (p *parser) parseRelative(tokens []string) (time.Time, error) {
	var text string
	if tokens[0] == "in" {
		text = strings.Join(tokens[1:], " ")
	} else {
		text = strings.TrimPrefix(strings.Join(tokens, " "), "+")
	}
	days, dur, ok := parseOffset(text)
	if !ok {
		return time.Time{}, p.notUnderstood()
	}
	if days > maxAheadDays || dur > maxAheadDays*24*time.Hour {
		return time.Time{}, p.invalid("that is more than ten years ahead")
	}
	t := p.now
	if days > 0 {
		y, m, d := p.nowL.Date()
		y, m, d = normalizeDate(y, m, d+days)
		var gap *gapError
		t, gap = resolveWall(y, m, d, p.nowL.Hour(), p.nowL.Minute(), p.nowL.Second(), p.nowL.Nanosecond(), p.loc)
		if gap != nil {
			t = gap.forward
		}
	}
	return t.Add(dur), nil
}

// parseOffset reads "2h", "1h30m", "3 days", "1w 2d", "2 hours 15 minutes".
// It stops adding once past the ten-year limit, so the sums cannot overflow;
// the caller reports the limit.
func parseOffset(s string) (days int, dur time.Duration, ok bool) {
	const maxMinutes = maxAheadDays * 24 * 60
	minutes := 0
	for i := 0; i < len(s); {
		if s[i] == ' ' {
			i++
			continue
		}
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == start || i-start > 7 {
			return 0, 0, false
		}
		n, _ := strconv.Atoi(s[start:i])
		for i < len(s) && s[i] == ' ' {
			i++
		}
		start = i
		for i < len(s) && s[i] >= 'a' && s[i] <= 'z' {
			i++
		}
		switch s[start:i] {
		case "m", "min", "mins", "minute", "minutes":
			minutes += n
		case "h", "hr", "hrs", "hour", "hours":
			minutes += 60 * n
		case "d", "day", "days":
			days += n
		case "w", "wk", "wks", "week", "weeks":
			days += 7 * n
		default:
			return 0, 0, false
		}
		ok = true
		if days > maxAheadDays || minutes > maxMinutes {
			break
		}
	}
	if minutes > maxMinutes {
		minutes = maxMinutes + 1 // still over the limit, but safely convertible
	}
	return days, time.Duration(minutes) * time.Minute, ok
}

// gapError reports a wall-clock time that does not exist because the clocks
// jump forward over it.
type gapError struct {
	hour, min int
	day       time.Time // the requested date, for display
	from, to  time.Time // wall clock just before and at the transition
	zone      string
	forward   time.Time // the requested wall clock moved forward by the gap
}

func (e *gapError) Error() string {
	from, to := e.from.Format("15:04"), e.to.Format("15:04")
	if e.from.YearDay() != e.to.YearDay() {
		from, to = e.from.Format("Mon 2 Jan 15:04"), e.to.Format("Mon 2 Jan 15:04")
	}
	return fmt.Sprintf("%02d:%02d does not exist on %s in %s: clocks jump from %s to %s",
		e.hour, e.min, e.day.Format("Mon 2 Jan 2006"), e.zone, from, to)
}

func (e *gapError) Unwrap() error { return ErrNoSuchTime }

// resolveWall finds the instant whose wall clock in loc is the given one: the
// first occurrence when it happens twice, a gap error when it never happens.
func resolveWall(y int, mo time.Month, d, h, mi, s, ns int, loc *time.Location) (time.Time, *gapError) {
	want := time.Date(y, mo, d, h, mi, s, ns, time.UTC)
	t := time.Date(y, mo, d, h, mi, s, ns, loc)
	got := wallOf(t)

	if !got.Equal(want) {
		// In a gap. time.Date lands on one side of the transition or the
		// other; the zone period it landed in has the transition as a bound.
		start, end := t.ZoneBounds()
		transition := end
		if got.After(want) {
			transition = start
		}
		_, before := transition.Add(-time.Nanosecond).Zone()
		oldZone := time.FixedZone("", before)
		return time.Time{}, &gapError{
			hour: h, min: mi,
			day:     time.Date(y, mo, d, 0, 0, 0, 0, time.UTC),
			from:    transition.In(oldZone),
			to:      transition.In(loc),
			zone:    loc.String(),
			forward: want.Add(-time.Duration(before) * time.Second).In(loc),
		}
	}

	// The same wall clock may also exist in the previous zone period (a
	// fall-back overlap); prefer that earlier instant.
	if start, _ := t.ZoneBounds(); !start.IsZero() {
		_, before := start.Add(-time.Nanosecond).Zone()
		earlier := want.Add(-time.Duration(before) * time.Second).In(loc)
		if earlier.Before(start) && wallOf(earlier).Equal(want) {
			return earlier, nil
		}
	}
	return t, nil
}

// wallOf returns t's wall clock as a UTC time, for comparing wall clocks.
func wallOf(t time.Time) time.Time {
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	return time.Date(y, mo, d, h, mi, s, t.Nanosecond(), time.UTC)
}

func dateExists(y int, m time.Month, d int) bool {
	if m < time.January || m > time.December || d < 1 || d > 31 {
		return false
	}
	_, gm, gd := time.Date(y, m, d, 12, 0, 0, 0, time.UTC).Date()
	return gm == m && gd == d
}

// tokenize lower-cases input and splits it into words, splitting an ISO
// "2026-12-01t09:00", joining "9 am", and dropping "at" and commas.
func tokenize(input string) []string {
	fields := strings.Fields(strings.ReplaceAll(strings.ToLower(input), ",", " "))
	var out []string
	for _, f := range fields {
		if i := strings.IndexByte(f, 't'); i > 0 && i < len(f)-1 {
			if _, _, _, ok := parseNumericDate(f[:i]); ok {
				out = append(out, f[:i], f[i+1:])
				continue
			}
		}
		switch {
		case f == "at":
			continue
		case (f == "am" || f == "pm") && len(out) > 0:
			out[len(out)-1] += f
			continue
		}
		out = append(out, f)
	}
	return out
}

// parseClock reads 9am, 9:30pm, 09:00, 17:30, 17.30, noon and midnight.
func parseClock(s string) (clock, bool) {
	switch s {
	case "noon", "midday":
		return clock{12, 0}, true
	case "midnight":
		return clock{0, 0}, true
	}
	meridiem := ""
	if strings.HasSuffix(s, "am") || strings.HasSuffix(s, "pm") {
		meridiem, s = s[len(s)-2:], s[:len(s)-2]
	}
	hourText, minText, hasMin := strings.Cut(s, ":")
	if !hasMin {
		hourText, minText, hasMin = strings.Cut(s, ".")
	}
	if !hasMin && meridiem == "" {
		return clock{}, false // "17" alone is too ambiguous to guess
	}
	hour, ok := smallNumber(hourText, 1, 2)
	if !ok {
		return clock{}, false
	}
	min := 0
	if hasMin {
		if min, ok = smallNumber(minText, 2, 2); !ok || min > 59 {
			return clock{}, false
		}
	}
	switch meridiem {
	case "":
		if hour > 23 {
			return clock{}, false
		}
	default:
		if hour < 1 || hour > 12 {
			return clock{}, false
		}
		hour %= 12
		if meridiem == "pm" {
			hour += 12
		}
	}
	return clock{hour, min}, true
}

// outOfRange says what is wrong with a token shaped like a time of day
// or a numeric date whose numbers no clock or calendar has ("25:00",
// "9:75", "13pm", "2026-13-01", "12-32"); "" for any other token.
func outOfRange(tok string) string {
	s, meridiem := tok, ""
	if strings.HasSuffix(s, "am") || strings.HasSuffix(s, "pm") {
		meridiem, s = s[len(s)-2:], s[:len(s)-2]
	}
	hourText, minText, hasMin := strings.Cut(s, ":")
	if !hasMin {
		hourText, minText, hasMin = strings.Cut(s, ".")
	}
	if hasMin || meridiem != "" {
		hour, ok := smallNumber(hourText, 1, 2)
		if !ok {
			return ""
		}
		if hasMin {
			min, ok := smallNumber(minText, 2, 2)
			if !ok {
				return ""
			}
			if min > 59 {
				return fmt.Sprintf("there is no minute %d (an hour has 00 to 59)", min)
			}
		}
		switch {
		case meridiem != "" && (hour < 1 || hour > 12):
			return fmt.Sprintf("with %s the hour is 1 to 12, not %d", meridiem, hour)
		case meridiem == "" && hour > 23:
			return fmt.Sprintf("there is no hour %d (a day runs from 00:00 to 23:59)", hour)
		}
		return ""
	}
	parts := strings.Split(tok, "-")
	if len(parts) == 3 {
		if _, ok := smallNumber(parts[0], 4, 4); !ok {
			return ""
		}
		parts = parts[1:]
	}
	if len(parts) != 2 {
		return ""
	}
	m, ok1 := smallNumber(parts[0], 1, 2)
	d, ok2 := smallNumber(parts[1], 1, 2)
	switch {
	case !ok1 || !ok2:
		return ""
	case m < 1 || m > 12:
		return fmt.Sprintf("there is no month %d (write the date year-month-day, like 2026-12-03)", m)
	case d < 1 || d > 31:
		return fmt.Sprintf("there is no day %d in a month", d)
	}
	return ""
}

// parseNumericDate reads 2026-12-01 (year given) or 12-01 (year 0).
func parseNumericDate(s string) (year int, month time.Month, day int, ok bool) {
	parts := strings.Split(s, "-")
	switch len(parts) {
	case 3:
		if year, ok = smallNumber(parts[0], 4, 4); !ok || year == 0 {
			return 0, 0, 0, false
		}
		parts = parts[1:]
	case 2:
	default:
		return 0, 0, 0, false
	}
	m, ok1 := smallNumber(parts[0], 1, 2)
	d, ok2 := smallNumber(parts[1], 1, 2)
	if !ok1 || !ok2 || m < 1 || m > 12 || d < 1 || d > 31 {
		return 0, 0, 0, false
	}
	return year, time.Month(m), d, true
}

// parseMonthDay reads "dec 1" or "1 dec" (also "1st", "december").
func parseMonthDay(a, b string) (time.Month, int, bool) {
	if m, ok := months[a]; ok {
		if d, ok := parseDayOfMonth(b); ok {
			return m, d, true
		}
	}
	if m, ok := months[b]; ok {
		if d, ok := parseDayOfMonth(a); ok {
			return m, d, true
		}
	}
	return 0, 0, false
}

func parseDayOfMonth(s string) (int, bool) {
	for _, suffix := range []string{"st", "nd", "rd", "th"} {
		s = strings.TrimSuffix(s, suffix)
	}
	d, ok := smallNumber(s, 1, 2)
	return d, ok && d >= 1 && d <= 31
}

func parseYear(s string) (int, bool) {
	y, ok := smallNumber(s, 4, 4)
	return y, ok && y > 0
}

// smallNumber parses s as a decimal of minDigits to maxDigits ASCII digits.
func smallNumber(s string, minDigits, maxDigits int) (int, bool) {
	if len(s) < minDigits || len(s) > maxDigits {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

func isWeekday(s string) bool {
	_, ok := weekdays[s]
	return ok
}

var weekdays = map[string]time.Weekday{
	"sun": time.Sunday, "sunday": time.Sunday,
	"mon": time.Monday, "monday": time.Monday,
	"tue": time.Tuesday, "tues": time.Tuesday, "tuesday": time.Tuesday,
	"wed": time.Wednesday, "weds": time.Wednesday, "wednesday": time.Wednesday,
	"thu": time.Thursday, "thur": time.Thursday, "thurs": time.Thursday, "thursday": time.Thursday,
	"fri": time.Friday, "friday": time.Friday,
	"sat": time.Saturday, "saturday": time.Saturday,
}

var months = map[string]time.Month{
	"jan": time.January, "january": time.January,
	"feb": time.February, "february": time.February,
	"mar": time.March, "march": time.March,
	"apr": time.April, "april": time.April,
	"may": time.May,
	"jun": time.June, "june": time.June,
	"jul": time.July, "july": time.July,
	"aug": time.August, "august": time.August,
	"sep": time.September, "sept": time.September, "september": time.September,
	"oct": time.October, "october": time.October,
	"nov": time.November, "november": time.November,
	"dec": time.December, "december": time.December,
}

var (
	// ErrNotUnderstood is wrapped by every error about input that is not a
	// time this package can read (including dates that do not exist).
	ErrNotUnderstood = errors.New("timeparse: not understood")
	// ErrNoSuchTime is wrapped by the error for a wall-clock time skipped by
	// a daylight-saving change.
	ErrNoSuchTime = errors.New("timeparse: wall-clock time does not exist")
)

// inputError carries a message written for the person who typed the input.
type inputError struct{ msg string }

func (e *inputError) Error() string { return e.msg }
func (e *inputError) Unwrap() error { return ErrNotUnderstood }

func (p *parser) notUnderstood() error {
	for _, tok := range tokenize(p.input) {
		if tok == "yesterday" || tok == "last" {
			return p.invalid("that is in the past: crier reads times ahead; try %s", p.examples())
		}
		if why := outOfRange(tok); why != "" {
			return p.invalid("%s", why)
		}
	}
	return &inputError{fmt.Sprintf("can't read %q as a time: try %s", p.input, p.examples())}
}

// invalid reports input that has a recognisable shape but says something
// impossible.
func (p *parser) invalid(format string, args ...any) error {
	return &inputError{fmt.Sprintf("can't read %q as a time: ", p.input) + fmt.Sprintf(format, args...)}
}

// examples suggests forms to type, with a date a week from now so the example
// is always a plausible future date.
func (p *parser) examples() string {
	return p.nowL.AddDate(0, 0, 7).Format("2006-01-02") + " 09:00, tomorrow 9am or +2h"
}

// Describe gives a short human form of t for echoing back a parsed time:
// "now", "in 2h 5m", "25m ago" (within four hours), "today 17:30",
// "tomorrow 09:00", "yesterday 09:00", "Mon 1 Dec 09:00", or with the year
// when it is not the current one. When the wall clock happens twice that day
// (a fall-back overlap) the zone abbreviation is added: "today 02:30 CEST".
func Describe(t time.Time, now time.Time, loc *time.Location) string {
	if loc == nil {
		loc = now.Location()
	}
	t, nowL := t.In(loc), now.In(loc)

	d := t.Sub(now).Round(time.Minute)
	switch {
	case d == 0:
		return "now"
	case d > 0 && d < 4*time.Hour:
		return "in " + ShortDuration(d)
	case d < 0 && d > -4*time.Hour:
		return ShortDuration(-d) + " ago"
	}

	clockText := t.Format("15:04")
	if wallRepeats(t) {
		zone, _ := t.Zone()
		clockText += " " + zone
	}
	switch calendarDays(nowL, t) {
	case 0:
		return "today " + clockText
	case 1:
		return "tomorrow " + clockText
	case -1:
		return "yesterday " + clockText
	}
	if t.Year() == nowL.Year() {
		return t.Format("Mon 2 Jan ") + clockText
	}
	return t.Format("Mon 2 Jan 2006 ") + clockText
}

// ShortDuration writes d as a person would: 45m, 4h, 1h 30m.
func ShortDuration(d time.Duration) string {
	h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case h == 0:
		return fmt.Sprintf("%dm", m)
	case m == 0:
		return fmt.Sprintf("%dh", h)
	}
	return fmt.Sprintf("%dh %dm", h, m)
}

// calendarDays counts the days from a's date to b's date, ignoring the clock.
func calendarDays(a, b time.Time) int {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	diff := time.Date(by, bm, bd, 0, 0, 0, 0, time.UTC).Sub(time.Date(ay, am, ad, 0, 0, 0, 0, time.UTC))
	return int(diff / (24 * time.Hour))
}

// wallRepeats reports whether t's wall clock also names another instant,
// because t lies within a fall-back overlap.
func wallRepeats(t time.Time) bool {
	start, end := t.ZoneBounds()
	_, off := t.Zone()
	wall := t.Unix() + int64(off)
	for _, bound := range []time.Time{start, end} {
		if bound.IsZero() {
			continue
		}
		_, before := bound.Add(-time.Nanosecond).Zone()
		_, after := bound.Zone()
		if before <= after {
			continue // clocks went forward, or only the name changed
		}
		// Wall clocks in [bound+after, bound+before) are shown twice.
		if wall >= bound.Unix()+int64(after) && wall < bound.Unix()+int64(before) {
			return true
		}
	}
	return false
}
