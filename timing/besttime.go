package timing

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/crier-app/crier/store"
)

// BestTimeOptions say whose history to read and how far back.
type BestTimeOptions struct {
	Accounts []int64 // nil: every account
	Now      time.Time
	Loc      *time.Location // the person's zone: weekdays and hours are read in it
	// Weeks of posts to read; 0 means as many as hold about TargetPosts
	// posts at the pace of the last four weeks, between 4 and 52: the most
	// recent habits that are enough to say something. AudienceWeeks of
	// inbox items likewise: 0 means about TargetItems items, between 1 and
	// 8 weeks.
	Weeks, AudienceWeeks int
	// MinPosts is how many posts a cell needs before it says anything
	// (0 means 3); fewer, and it is marked as too few.
	MinPosts int
}

// Cell is one hour of one weekday.
type Cell struct {
	Posts      int
	Engagement int64
	// Rate is the mean engagement per follower of the cell's posts (each
	// post's likes, reposts, replies and quotes over its account's
	// followers when it went out); where no follower count is known, the
	// mean engagement per post (see Heatmap.PerFollower).
	Rate float64
	// Enough is false when the cell has fewer than MinPosts posts: its
	// Rate says nothing yet.
	Enough bool
	// Audience is how many inbox items arrived in this hour (within
	// AudienceWeeks).
	Audience int
}

// Window is a run of hours on one weekday, named in words.
type Window struct {
	Weekday    time.Weekday
	Start, End int // hours, End exclusive
	Posts      int
	Rate       float64 // the posts' mean rate, pulled towards the overall rate while posts are few
	Lift       float64 // Rate over the overall rate, minus 1
}

// String names the window: "Sat 07:00-09:00".
func (w Window) String() string {
	return fmt.Sprintf("%s %02d:00-%02d:00", w.Weekday.String()[:3], w.Start, w.End)
}

// Heatmap is an account's (or all accounts') engagement by weekday and
// hour in the person's zone.
type Heatmap struct {
	Zone     string
	From, To time.Time // the posts read: [From, To)
	Cells    [7][24]Cell
	MinPosts int
	// PerFollower is true when every post had a follower count to divide
	// by; otherwise Rates are engagement per post.
	PerFollower bool
	Posts       int
	Overall     float64 // the mean rate of every post read
	Audience    int     // inbox items read
	// Top are the best two-hour windows with enough posts, best first,
	// at most three and none overlapping.
	Top []Window
	// Accounts, when the heatmap reads several accounts, are each one's
	// own best windows over the same weeks (what works on one network
	// need not on another), in the order of the accounts read; an account
	// without posts in them is left out.
	Accounts []AccountBest
}

// AccountBest is one account's best windows within a heatmap of several.
type AccountBest struct {
	AccountID int64
	Posts     int
	Top       []Window
}

// Suggestion is a weekly slot proposed from the heatmap, with why.
type Suggestion struct {
	Slot store.QueueSlot
	Why  string
}

// BestTimes reads the heatmap.
func BestTimes(ctx context.Context, st *store.Store, o BestTimeOptions) (Heatmap, error) {
	if o.Loc == nil {
		return Heatmap{}, errors.New("best times: no time zone given")
	}
	if o.MinPosts <= 0 {
		o.MinPosts = 3
	}
	accounts := o.Accounts
	if accounts == nil {
		as, err := st.Accounts(ctx)
		if err != nil {
			return Heatmap{}, err
		}
		for _, a := range as {
			accounts = append(accounts, a.ID)
		}
	}
	if o.Weeks <= 0 || o.AudienceWeeks <= 0 {
		weeks, audience, err := windowFor(ctx, st, accounts, o.Now)
		if err != nil {
			return Heatmap{}, fmt.Errorf("best times: %w", err)
		}
		if o.Weeks <= 0 {
			o.Weeks = weeks
		}
		if o.AudienceWeeks <= 0 {
			o.AudienceWeeks = audience
		}
	}
	h := Heatmap{Zone: o.Loc.String(), To: o.Now, MinPosts: o.MinPosts}
	h.From = o.Now.In(o.Loc).AddDate(0, 0, -7*o.Weeks)
	perAccount, err := st.PublishedByHourOfWeek(ctx, DayRanges(accounts, h.From, o.Now, o.Loc))
	if err != nil {
		return h, fmt.Errorf("best times: %w", err)
	}
	inbox, err := st.InboxByHourOfWeek(ctx, DayRanges(accounts, o.Now.In(o.Loc).AddDate(0, 0, -7*o.AudienceWeeks), o.Now, o.Loc))
	if err != nil {
		return h, fmt.Errorf("best times: audience: %w", err)
	}
	h.fill(sumByHour(perAccount))
	for _, it := range sumByHour(inbox) {
		wd, hour := weekdayHour(it.Hour)
		h.Cells[wd][hour].Audience = it.Items
		h.Audience += it.Items
	}
	h.Top = h.bestWindows(2, 3)
	if len(accounts) > 1 {
		byAccount := map[int64][]store.HourOfWeek{}
		for _, p := range perAccount {
			byAccount[p.AccountID] = append(byAccount[p.AccountID], p)
		}
		for _, a := range accounts {
			if len(byAccount[a]) == 0 {
				continue
			}
			one := Heatmap{MinPosts: o.MinPosts}
			one.fill(byAccount[a])
			h.Accounts = append(h.Accounts, AccountBest{AccountID: a, Posts: one.Posts, Top: one.bestWindows(2, 3)})
		}
	}
	return h, nil
}

// fill puts posts (one row an hour of the week) in the cells, with the
// rates, the too-few marks and the overall rate.
func (h *Heatmap) fill(posts []store.HourOfWeek) {
	var sumRate, sumEng float64
	withFollowers := 0
	for _, p := range posts {
		h.Posts += p.Posts
		withFollowers += p.WithFollowers
	}
	h.PerFollower = h.Posts > 0 && withFollowers == h.Posts
	for _, p := range posts {
		wd, hour := weekdayHour(p.Hour)
		c := &h.Cells[wd][hour]
		c.Posts, c.Engagement = p.Posts, p.Engagement
		if h.PerFollower {
			c.Rate = p.PerFollower / float64(p.Posts)
		} else {
			c.Rate = float64(p.Engagement) / float64(p.Posts)
		}
		c.Enough = p.Posts >= h.MinPosts
		sumRate += p.PerFollower
		sumEng += float64(p.Engagement)
	}
	if h.Posts > 0 {
		h.Overall = sumRate / float64(h.Posts)
		if !h.PerFollower {
			h.Overall = sumEng / float64(h.Posts)
		}
	}
}

// How much history the heatmap aims to read (see BestTimeOptions.Weeks).
const (
	TargetPosts = 1000
	TargetItems = 3000
)

// windowFor picks the weeks of posts and of inbox items to read from the
// pace of the last four weeks' posts and the last week's items.
func windowFor(ctx context.Context, st *store.Store, accounts []int64, now time.Time) (posts, items int, err error) {
	mine := map[int64]bool{}
	for _, a := range accounts {
		mine[a] = true
	}
	ps, err := st.PostsInWindows(ctx, false, [][2]time.Time{{now.AddDate(0, 0, -28), now}})
	if err != nil {
		return 0, 0, err
	}
	is, err := st.InboxInWindows(ctx, [][2]time.Time{{now.AddDate(0, 0, -7), now}})
	if err != nil {
		return 0, 0, err
	}
	var perWeek, itemsWeek float64
	for id, w := range ps {
		if mine[id] {
			perWeek += float64(w[0].Posts) / 4
		}
	}
	for id, n := range is {
		if mine[id] {
			itemsWeek += float64(n[0])
		}
	}
	weeks := func(target, pace float64, lo, hi int) int {
		if pace <= 0 {
			return hi
		}
		return max(lo, min(hi, int(math.Ceil(target/pace))))
	}
	return weeks(TargetPosts, perWeek, 4, 52), weeks(TargetItems, itemsWeek, 1, 8), nil
}

// sumByHour adds up the accounts' hours.
func sumByHour(hs []store.HourOfWeek) []store.HourOfWeek {
	var by [168]store.HourOfWeek
	for _, h := range hs {
		b := &by[h.Hour]
		b.Hour = h.Hour
		b.Posts += h.Posts
		b.Engagement += h.Engagement
		b.PerFollower += h.PerFollower
		b.WithFollowers += h.WithFollowers
		b.Items += h.Items
	}
	var out []store.HourOfWeek
	for _, b := range by {
		if b.Posts > 0 || b.Items > 0 {
			out = append(out, b)
		}
	}
	return out
}

// weekdayHour turns an hour of the week (Monday 00:00 = 0) into Go's
// weekday and the hour.
func weekdayHour(how int) (time.Weekday, int) {
	return time.Weekday((how/24 + 1) % 7), how % 24
}

// bestWindows ranks the runs of span hours by their posts' mean rate,
// pulled towards the overall rate by MinPosts posts' worth (so three great
// posts do not beat thirty good ones), keeping those with enough posts.
func (h Heatmap) bestWindows(span, n int) []Window {
	if h.Posts == 0 {
		return nil
	}
	var ws []Window
	for wd := time.Sunday; wd <= time.Saturday; wd++ {
		for start := 0; start+span <= 24; start++ {
			w := Window{Weekday: wd, Start: start, End: start + span}
			var sum float64
			for hr := start; hr < start+span; hr++ {
				c := h.Cells[wd][hr]
				w.Posts += c.Posts
				sum += c.Rate * float64(c.Posts)
			}
			if w.Posts < h.MinPosts {
				continue
			}
			m := float64(h.MinPosts)
			w.Rate = (sum + m*h.Overall) / (float64(w.Posts) + m)
			if h.Overall > 0 {
				w.Lift = w.Rate/h.Overall - 1
			}
			ws = append(ws, w)
		}
	}
	// Equal windows (the same posts seen through overlapping windows): the
	// one that starts with posts names them best.
	sort.SliceStable(ws, func(i, j int) bool {
		if ws[i].Rate != ws[j].Rate {
			return ws[i].Rate > ws[j].Rate
		}
		return h.Cells[ws[i].Weekday][ws[i].Start].Posts > h.Cells[ws[j].Weekday][ws[j].Start].Posts
	})
	var out []Window
	for _, w := range ws {
		if len(out) == n {
			break
		}
		overlaps := false
		for _, o := range out {
			overlaps = overlaps || o.Weekday == w.Weekday && w.Start < o.End && o.Start < w.End
		}
		if !overlaps && w.Lift > 0 {
			out = append(out, w)
		}
	}
	return out
}

// Suggest proposes up to n weekly slots: the starts of the best windows
// (the first hour of each that has posts, on the half hour where that
// hour is weaker than the next), then the hours the audience writes most
// in.
func (h Heatmap) Suggest(n int) []Suggestion {
	var out []Suggestion
	taken := map[store.QueueSlot]bool{}
	add := func(s store.QueueSlot, why string) {
		if len(out) < n && !taken[s] {
			taken[s] = true
			out = append(out, Suggestion{Slot: s, Why: why})
		}
	}
	for _, w := range h.Top {
		first := w.Start
		for first < w.End-1 && h.Cells[w.Weekday][first].Posts == 0 {
			first++
		}
		minute := first * 60
		if first+1 < w.End && h.Cells[w.Weekday][first+1].Posts > 0 && h.Cells[w.Weekday][first].Rate < h.Cells[w.Weekday][first+1].Rate {
			minute += 30
		}
		add(store.QueueSlot{Weekday: w.Weekday, Minute: minute},
			fmt.Sprintf("%s: %+.0f%% engagement, %d posts", w, 100*w.Lift, w.Posts))
	}
	type hour struct {
		wd    time.Weekday
		hr, n int
	}
	var busy []hour
	for wd := time.Sunday; wd <= time.Saturday; wd++ {
		for hr := range 24 {
			if c := h.Cells[wd][hr]; c.Audience > 0 {
				busy = append(busy, hour{wd, hr, c.Audience})
			}
		}
	}
	sort.SliceStable(busy, func(i, j int) bool { return busy[i].n > busy[j].n })
	for _, b := range busy {
		add(store.QueueSlot{Weekday: b.wd, Minute: b.hr * 60},
			fmt.Sprintf("%s %02d:00: your audience writes most then (%d messages)", b.wd.String()[:3], b.hr, b.n))
	}
	return out
}

// DayRanges splits [from, to) into one range per account and local day in
// loc, split again where the clocks change, each with its UTC offset: the
// ranges the hour-of-week queries read.
func DayRanges(accounts []int64, from, to time.Time, loc *time.Location) []store.HourRange {
	var days []store.HourRange
	l := from.In(loc)
	day := store.DayStart(l.Year(), l.Month(), l.Day(), loc)
	for start := from; start.Before(to); {
		day = store.DayStart(day.Year(), day.Month(), day.Day()+1, loc)
		end := day
		if end.After(to) {
			end = to
		}
		// A change of offset within the day: split there.
		_, off := start.In(loc).Zone()
		_, offEnd := end.Add(-time.Millisecond).In(loc).Zone()
		if off != offEnd {
			cut := changeBetween(start.In(loc), end.In(loc))
			days = append(days, store.HourRange{From: start, To: cut, Offset: time.Duration(off) * time.Second})
			start = cut
			_, off = start.In(loc).Zone()
		}
		days = append(days, store.HourRange{From: start, To: end, Offset: time.Duration(off) * time.Second})
		start = end
	}
	return perAccount(accounts, days)
}

// ZoneRanges splits [from, to) into one range per account and stretch of
// one UTC offset in loc: fewer than DayRanges, for sums that need no
// per-day figure.
func ZoneRanges(accounts []int64, from, to time.Time, loc *time.Location) []store.HourRange {
	var parts []store.HourRange
	for start := from; start.Before(to); {
		_, off := start.In(loc).Zone()
		end := to
		// The next change within [start, to), found by days then bisected.
		for d := start; d.Before(to); d = d.Add(24 * time.Hour) {
			next := d.Add(24 * time.Hour)
			if next.After(to) {
				next = to
			}
			if _, o := next.Add(-time.Millisecond).In(loc).Zone(); o != off {
				end = changeBetween(d.In(loc), next.In(loc))
				break
			}
		}
		parts = append(parts, store.HourRange{From: start, To: end, Offset: time.Duration(off) * time.Second})
		start = end
	}
	return perAccount(accounts, parts)
}

// perAccount is each range once for every account, the accounts outermost.
func perAccount(accounts []int64, ranges []store.HourRange) []store.HourRange {
	out := make([]store.HourRange, 0, len(ranges)*len(accounts))
	for _, a := range accounts {
		for _, r := range ranges {
			r.AccountID = a
			out = append(out, r)
		}
	}
	return out
}

// changeBetween finds the instant in (a, b] at which the zone's offset
// changes, to the second.
func changeBetween(a, b time.Time) time.Time {
	_, off := a.Zone()
	for b.Sub(a) > time.Second {
		mid := a.Add(b.Sub(a) / 2)
		if _, o := mid.Zone(); o == off { // mid is in a's zone
			a = mid
		} else {
			b = mid
		}
	}
	return b.Truncate(time.Second)
}
