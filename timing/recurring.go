// Package timing answers "when": the best times to post from an account's
// own history, and recurring posts (RFC 5545 rules read with
// github.com/teambition/rrule-go) made into queued posts a window ahead.
// Queue slots live in the store (store.QueueSchedule), which checks a slot
// is free in the same transaction that takes it. It is plain Go over the
// store: no terminal, no network.
package timing

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/crier-app/crier/store"
	"github.com/teambition/rrule-go"
)

// maxOccurrences bounds how many occurrences one call makes for a series,
// so a rule such as FREQ=MINUTELY cannot flood the queue.
const maxOccurrences = 2000

// Rule is a parsed recurrence: an RRULE anchored at its first wall-clock
// time in a zone.
type Rule struct {
	text  string
	start time.Time // in the rule's zone
	r     *rrule.RRule
}

// ParseRule reads an RFC 5545 RRULE ("FREQ=WEEKLY;BYDAY=SA;UNTIL=20270101T000000Z",
// with or without the "RRULE:" prefix) that starts at start (DTSTART; its
// wall-clock time in loc is kept for every occurrence, across
// daylight-saving changes). Errors say what is wrong with the rule.
func ParseRule(text string, start time.Time, loc *time.Location) (Rule, error) {
	if loc == nil {
		return Rule{}, errors.New("recurring post: no time zone given")
	}
	clean := strings.TrimPrefix(strings.TrimSpace(text), "RRULE:")
	if clean == "" {
		return Rule{}, errors.New("recurring post: the rule is empty; write one such as FREQ=WEEKLY;BYDAY=SA")
	}
	if strings.Contains(clean, "\n") || strings.Contains(strings.ToUpper(clean), "DTSTART") {
		return Rule{}, fmt.Errorf("recurring post rule %q: give the rule alone; its start is set apart", clean)
	}
	opt, err := rrule.StrToROptionInLocation(untilWholeDay(clean, loc), loc)
	if err != nil {
		return Rule{}, fmt.Errorf("recurring post rule %q: %v (RFC 5545 RRULE, such as FREQ=WEEKLY;BYDAY=SA;UNTIL=20270101T000000Z)", clean, err)
	}
	// A post repeats at its start's time of day: a rule of hours, minutes
	// or seconds would flood the queue, and one that sets its own hours
	// could not be kept on the wall clock across a daylight-saving change.
	switch {
	case opt.Freq == rrule.HOURLY || opt.Freq == rrule.MINUTELY || opt.Freq == rrule.SECONDLY:
		return Rule{}, fmt.Errorf("recurring post rule %q: a post repeats at most daily (FREQ=DAILY, WEEKLY, MONTHLY or YEARLY)", clean)
	case len(opt.Byhour) > 0 || len(opt.Byminute) > 0 || len(opt.Bysecond) > 0:
		return Rule{}, fmt.Errorf("recurring post rule %q: the time of day is the start's; leave out BYHOUR, BYMINUTE and BYSECOND", clean)
	}
	start = start.In(loc).Truncate(time.Second)
	opt.Dtstart = start
	r, err := rrule.NewRRule(*opt)
	if err != nil {
		return Rule{}, fmt.Errorf("recurring post rule %q: %v", clean, err)
	}
	return Rule{text: clean, start: start, r: r}, nil
}

// untilWholeDay reads an UNTIL given as a date alone (UNTIL=20270403) as
// the end of that day in loc: "until 3 April" posts on 3 April too, as the
// rule in words reads its end date. The rule library would read it as the
// midnight that starts the day and leave that day's occurrence out. (RFC
// 5545 wants a date and time there when the start has a time; the date
// alone is what people write.)
func untilWholeDay(rule string, loc *time.Location) string {
	parts := strings.Split(rule, ";")
	for i, p := range parts {
		k, v, ok := strings.Cut(p, "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "UNTIL") {
			continue
		}
		if d, err := time.ParseInLocation("20060102", strings.TrimSpace(v), loc); err == nil {
			end := time.Date(d.Year(), d.Month(), d.Day(), 23, 59, 59, 0, loc)
			parts[i] = "UNTIL=" + end.UTC().Format("20060102T150405Z")
		}
	}
	return strings.Join(parts, ";")
}

// String is the rule's text, without the "RRULE:" prefix.
func (r Rule) String() string { return r.text }

// Between lists the occurrences in (after, before], in time order, at most
// limit of them.
func (r Rule) Between(after, before time.Time, limit int) []time.Time {
	var out []time.Time
	next := r.r.Iterator()
	for len(out) < limit {
		t, ok := next()
		if !ok || t.After(before) {
			break
		}
		if t.After(after) {
			out = append(out, onWallClock(t, r.start))
		}
	}
	return out
}

// onWallClock puts an occurrence at the start's time of day on its date as
// store.WallClock reads it: time.Date, inside the rule library, leaves open
// (and Go settles differently by zone) where a time the clocks skip, or
// show twice, falls. Every occurrence is at the start's time of day
// (ParseRule sees to it); one in a skipped hour may show another time, or
// even the day before, hence the two dates tried.
func onWallClock(t, start time.Time) time.Time {
	for _, day := range []time.Time{t, t.Add(3 * time.Hour)} {
		y, m, d := day.Date()
		w := store.WallClock(y, m, d, start.Hour(), start.Minute(), t.Location()).Add(time.Duration(start.Second()) * time.Second)
		if diff := w.Sub(t); diff > -3*time.Hour && diff < 3*time.Hour {
			return w
		}
	}
	return t
}

// Series is what a new recurring post needs.
type Series struct {
	Rule       string    // RRULE
	Start      time.Time // the first occurrence's date and wall-clock time
	Zone       string    // IANA zone of Start
	Template   store.Post
	WindowDays int // how far ahead posts are made; 0 means 14
}

// NewSeries checks the rule, stores the series and makes its posts for the
// window ahead of now. It returns the series' id.
func NewSeries(ctx context.Context, st *store.Store, s Series, now time.Time) (int64, error) {
	loc, err := time.LoadLocation(s.Zone)
	if err != nil || s.Zone == "" {
		return 0, fmt.Errorf("recurring post zone %q: name an IANA time zone such as Europe/Berlin", s.Zone)
	}
	start := s.Start.In(loc)
	if _, err := ParseRule(s.Rule, start, loc); err != nil {
		return 0, err
	}
	id, err := st.CreateRecurrence(ctx, store.Recurrence{
		Rule: strings.TrimPrefix(strings.TrimSpace(s.Rule), "RRULE:"), Zone: s.Zone, StartsAt: start,
		Template: s.Template, WindowDays: s.WindowDays,
	}, now.Add(-time.Millisecond)) // an occurrence at exactly now belongs to it
	if err != nil {
		return 0, err
	}
	_, err = MaterializeSeries(ctx, st, id, now)
	return id, err
}

// Materialize makes the posts of every running series' occurrences up to
// its window ahead of now, and returns how many it made. It is idempotent:
// the scheduler's sync calls it on each pass. A series whose rule no
// longer reads is skipped and named in the error; the others are made.
func Materialize(ctx context.Context, st *store.Store, now time.Time) (int, error) {
	rs, err := st.Recurrences(ctx, true)
	if err != nil {
		return 0, err
	}
	made := 0
	var errs []error
	for _, r := range rs {
		n, err := materialize(ctx, st, r, now)
		made += n
		if err != nil {
			errs = append(errs, err)
		}
	}
	return made, errors.Join(errs...)
}

// MaterializeSeries is Materialize for one series.
func MaterializeSeries(ctx context.Context, st *store.Store, id int64, now time.Time) (int, error) {
	r, err := st.Recurrence(ctx, id)
	if err != nil {
		return 0, err
	}
	return materialize(ctx, st, r, now)
}

func materialize(ctx context.Context, st *store.Store, r store.Recurrence, now time.Time) (int, error) {
	if !r.EndedAt.IsZero() {
		return 0, nil
	}
	through := now.AddDate(0, 0, r.WindowDays)
	if !r.MaterializedUntil.Before(through) {
		return 0, nil
	}
	loc, err := time.LoadLocation(r.Zone)
	if err != nil {
		return 0, fmt.Errorf("recurring post %d: zone %q: %w", r.ID, r.Zone, err)
	}
	rule, err := ParseRule(r.Rule, r.StartsAt, loc)
	if err != nil {
		return 0, fmt.Errorf("recurring post %d: %w", r.ID, err)
	}
	// Occurrences from just before how far the series was made: AddOccurrences
	// skips the ones that exist.
	at := rule.Between(r.MaterializedUntil.Add(-time.Millisecond), through, maxOccurrences)
	if len(at) == maxOccurrences {
		through = at[len(at)-1]
	}
	return st.AddOccurrences(ctx, r.ID, at, through, now)
}
