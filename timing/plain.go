package timing

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// PlainRule is a repeat rule as a person typed it, read into an RRULE and
// the wall-clock time of day its posts go out at.
type PlainRule struct {
	RRule        string // without the "RRULE:" prefix
	Hour, Minute int
}

// plainDays are the weekday names a plain rule accepts, by their first
// three letters, with their RRULE codes.
var plainDays = map[string]string{
	"mon": "MO", "tue": "TU", "wed": "WE", "thu": "TH", "fri": "FR", "sat": "SA", "sun": "SU",
}

// ParsePlainRule reads a rule written in words, such as
//
//	weekly on Saturday at 07:30 until 2027-03-01
//	every Mon, Wed and Fri at 08:00
//	every 2 weeks on Sat at 7:30 for 6 times
//	daily at 12:00
//	monthly on the 1st at 09:00
//
// or a raw RFC 5545 RRULE ("FREQ=WEEKLY;BYDAY=SA", with an optional
// "at 07:30" after it; 09:00 without). An "until" date is the last day an
// occurrence can fall on, in loc. Errors say which word was not understood.
func ParsePlainRule(text string, loc *time.Location) (PlainRule, error) {
	if loc == nil {
		return PlainRule{}, fmt.Errorf("repeat rule: no time zone given")
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return PlainRule{}, fmt.Errorf(`repeat rule: write one such as "weekly on Saturday at 07:30 until 2027-03-01"`)
	}
	if strings.Contains(strings.ToUpper(text), "FREQ=") {
		return rawRule(text)
	}
	words := strings.Fields(strings.ToLower(strings.NewReplacer(",", " ", ";", " ").Replace(text)))
	var (
		freq, interval = "", 1
		days           []string
		monthDay       int
		hour, minute   = -1, 0
		until          string
		count          int
	)
	for i := 0; i < len(words); i++ {
		w := words[i]
		next := func(what string) (string, error) {
			if i+1 >= len(words) {
				return "", fmt.Errorf("repeat rule %q: %q needs %s after it", text, w, what)
			}
			i++
			return words[i], nil
		}
		switch {
		case w == "day" && i+1 < len(words) && dayNumber(words[i+1]) > 0:
			i++
			monthDay = dayNumber(words[i])
		case w == "day":
			if freq == "" {
				freq = "DAILY"
			}
		case w == "and" || w == "on" || w == "the" || w == "of" || w == "month":
		case w == "daily" || w == "days":
			freq = "DAILY"
		case w == "weekly" || w == "weeks" || w == "week":
			freq = "WEEKLY"
		case w == "monthly" || w == "months":
			freq = "MONTHLY"
		case w == "every":
			if i+1 < len(words) {
				if n, err := strconv.Atoi(words[i+1]); err == nil && n > 0 {
					interval = n
					i++
				}
			}
		case w == "at":
			s, err := next("a time such as 07:30")
			if err != nil {
				return PlainRule{}, err
			}
			t, err := time.Parse("15:04", s)
			if err != nil {
				if t, err = time.Parse("3:04", s); err != nil {
					return PlainRule{}, fmt.Errorf("repeat rule %q: %q is not a time of day such as 07:30", text, s)
				}
			}
			hour, minute = t.Hour(), t.Minute()
		case w == "until":
			s, err := next("a date such as 2027-03-01")
			if err != nil {
				return PlainRule{}, err
			}
			d, err := time.ParseInLocation("2006-01-02", s, loc)
			if err != nil {
				return PlainRule{}, fmt.Errorf("repeat rule %q: %q is not a date such as 2027-03-01", text, s)
			}
			last := time.Date(d.Year(), d.Month(), d.Day(), 23, 59, 59, 0, loc).UTC()
			until = last.Format("20060102T150405Z")
		case w == "for":
		case w == "times" || w == "time":
		case isCount(words, i):
			count, _ = strconv.Atoi(w)
		case len(w) >= 3 && plainDays[w[:3]] != "" && strings.HasPrefix(dayFull(w[:3]), w):
			days = append(days, plainDays[w[:3]])
			if freq == "" {
				freq = "WEEKLY"
			}
		case monthDayOf(w) > 0:
			monthDay = monthDayOf(w)
		default:
			return PlainRule{}, fmt.Errorf(`repeat rule %q: %q is not understood; write it like "weekly on Saturday at 07:30 until 2027-03-01" or give an RRULE such as FREQ=WEEKLY;BYDAY=SA`, text, w)
		}
	}
	switch {
	case freq == "":
		return PlainRule{}, fmt.Errorf("repeat rule %q: say how often: daily, weekly, monthly or every Saturday", text)
	case hour < 0:
		return PlainRule{}, fmt.Errorf("repeat rule %q: say at what time, such as \"at 07:30\"", text)
	case until != "" && count > 0:
		return PlainRule{}, fmt.Errorf("repeat rule %q: give an end date or a number of times, not both", text)
	case monthDay > 0 && freq != "MONTHLY":
		return PlainRule{}, fmt.Errorf("repeat rule %q: a day of the month goes with monthly", text)
	}
	parts := []string{"FREQ=" + freq}
	if interval > 1 {
		parts = append(parts, "INTERVAL="+strconv.Itoa(interval))
	}
	if len(days) > 0 {
		parts = append(parts, "BYDAY="+strings.Join(days, ","))
	}
	if monthDay > 0 {
		parts = append(parts, "BYMONTHDAY="+strconv.Itoa(monthDay))
	}
	if until != "" {
		parts = append(parts, "UNTIL="+until)
	}
	if count > 0 {
		parts = append(parts, "COUNT="+strconv.Itoa(count))
	}
	return PlainRule{RRule: strings.Join(parts, ";"), Hour: hour, Minute: minute}, nil
}

// isCount is true for a number followed by "times".
func isCount(words []string, i int) bool {
	n, err := strconv.Atoi(words[i])
	return err == nil && n > 0 && i+1 < len(words) && (words[i+1] == "times" || words[i+1] == "time")
}

func dayFull(abbr string) string {
	return map[string]string{"mon": "monday", "tue": "tuesday", "wed": "wednesday", "thu": "thursday",
		"fri": "friday", "sat": "saturday", "sun": "sunday"}[abbr] + "s"
}

// monthDayOf reads "1st", "15th", "22nd" (0 when w is not one).
func monthDayOf(w string) int {
	for _, suffix := range []string{"st", "nd", "rd", "th"} {
		if n, err := strconv.Atoi(strings.TrimSuffix(w, suffix)); err == nil && strings.HasSuffix(w, suffix) && n >= 1 && n <= 31 {
			return n
		}
	}
	return 0
}

// dayNumber reads a day of the month, 1 to 31 (0 when w is not one).
func dayNumber(w string) int {
	if n, err := strconv.Atoi(w); err == nil && n >= 1 && n <= 31 {
		return n
	}
	return 0
}

// rawRule reads an RRULE with an optional "at HH:MM" after it.
func rawRule(text string) (PlainRule, error) {
	rule, at, _ := strings.Cut(text, " at ")
	r := PlainRule{RRule: strings.TrimPrefix(strings.TrimSpace(rule), "RRULE:"), Hour: 9}
	if at = strings.TrimSpace(at); at != "" {
		t, err := time.Parse("15:04", at)
		if err != nil {
			return PlainRule{}, fmt.Errorf("repeat rule %q: %q is not a time of day such as 07:30", text, at)
		}
		r.Hour, r.Minute = t.Hour(), t.Minute()
	}
	return r, nil
}

// FirstAfter is the rule's first occurrence after now, in loc: the start a
// new series is anchored at. ok is false when the rule has none in the
// next 400 days.
func (p PlainRule) FirstAfter(now time.Time, loc *time.Location) (time.Time, bool, error) {
	local := now.In(loc)
	anchor := time.Date(local.Year(), local.Month(), local.Day(), p.Hour, p.Minute, 0, 0, loc)
	rule, err := ParseRule(p.RRule, anchor, loc)
	if err != nil {
		return time.Time{}, false, err
	}
	// The anchor itself may be an occurrence; the rule counts from it.
	at := rule.Between(anchor.Add(-time.Second), now.AddDate(0, 0, 400), 64)
	for _, t := range at {
		if t.After(now) {
			return t, true, nil
		}
	}
	return time.Time{}, false, nil
}

// DescribeRule says an RRULE in words, at the time of day of start in
// loc: "every Saturday at 07:30 until Mon 1 Mar 2027". Parts it does not
// know are left in RRULE form after the words.
func DescribeRule(rule string, start time.Time, loc *time.Location) string {
	parts := map[string]string{}
	var rest []string
	for _, p := range strings.Split(strings.TrimPrefix(strings.TrimSpace(rule), "RRULE:"), ";") {
		k, v, ok := strings.Cut(p, "=")
		switch k = strings.ToUpper(k); {
		case !ok:
		case k == "FREQ" || k == "INTERVAL" || k == "BYDAY" || k == "BYMONTHDAY" || k == "UNTIL" || k == "COUNT":
			parts[k] = v
		default:
			rest = append(rest, p)
		}
	}
	names := map[string]string{"MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday",
		"FR": "Friday", "SA": "Saturday", "SU": "Sunday"}
	unit := map[string]string{"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}[strings.ToUpper(parts["FREQ"])]
	if unit == "" {
		return rule
	}
	every := "every " + unit
	if n, err := strconv.Atoi(parts["INTERVAL"]); err == nil && n > 1 {
		every = fmt.Sprintf("every %d %ss", n, unit)
	}
	var days []string
	for _, d := range strings.Split(parts["BYDAY"], ",") {
		if name := names[strings.ToUpper(d)]; name != "" {
			days = append(days, name)
		} else if d != "" {
			rest = append(rest, "BYDAY="+parts["BYDAY"])
			days = nil
			break
		}
	}
	words := every
	switch {
	case len(days) > 0 && every == "every week":
		words = "every " + joinAnd(days)
	case len(days) > 0:
		words += " on " + joinAnd(days)
	}
	md := parts["BYMONTHDAY"]
	if md == "" && unit == "month" && parts["BYDAY"] == "" {
		// A monthly rule repeats on its start's day of the month.
		md = strconv.Itoa(start.In(loc).Day())
	}
	// The rule skips the months (years) that have no such day (RFC 5545):
	// say so, or "monthly on the 31st" quietly posts 7 times a year.
	skipped := ""
	if md != "" {
		words += " on day " + md
		if n, err := strconv.Atoi(md); err == nil && n >= 29 {
			skipped = "; months without a day " + md + " are skipped"
		}
	}
	if s := start.In(loc); unit == "year" && s.Month() == time.February && s.Day() == 29 && len(rest) == 0 && len(days) == 0 {
		words += " on 29 February"
		skipped = "; leap years only"
	}
	words += " at " + start.In(loc).Format("15:04")
	if u := parts["UNTIL"]; u != "" {
		// In UTC (Z), on the zone's clock, or a date alone: that whole day.
		t, err := time.Parse("20060102T150405Z", u)
		if err != nil {
			t, err = time.ParseInLocation("20060102T150405", u, loc)
		}
		if err != nil {
			t, err = time.ParseInLocation("20060102", u, loc)
		}
		if err == nil {
			words += " until " + t.In(loc).Format("Mon 2 Jan 2006")
		} else {
			rest = append(rest, "UNTIL="+u)
		}
	}
	if c := parts["COUNT"]; c != "" {
		words += ", " + c + " times"
	}
	words += skipped
	if len(rest) > 0 {
		words += " (" + strings.Join(rest, ";") + ")"
	}
	return words
}

func joinAnd(xs []string) string {
	if len(xs) < 2 {
		return strings.Join(xs, "")
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}
