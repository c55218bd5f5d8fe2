// Package periods answers "is it working?" for posting: every figure of a period
// against the period before it, engagement rate per post, and each sent
// post's numbers over time. It computes over the store; the KPIs pane
// draws it.
package periods

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/timing"
)

// Figures are one account's (or all accounts') numbers over one period.
type Figures struct {
	Posts      int   // published (replies to the inbox left out)
	Engagement int64 // likes + reposts + replies + quotes on them, as counted now
	// EngagementRate is the mean, over the posts whose account had a
	// follower count by then (RatedPosts of them), of engagement over
	// followers at the time.
	EngagementRate float64
	RatedPosts     int
	// Followers at the period's end, and the change over it; Has... false
	// where a count is missing.
	Followers       int
	HasFollowers    bool
	FollowersGained int
	HasGained       bool
	InboxItems      int // received in the period (what listening found left out)
}

// EngagementPerPost is Engagement over Posts (0 without posts).
func (f Figures) EngagementPerPost() float64 {
	return store.Ratio(f.Engagement, f.Posts)
}

// PerPost is Engagement over Posts, and false without posts: unknown,
// not 0.
func (f Figures) PerPost() (float64, bool) { return f.EngagementPerPost(), f.Posts > 0 }

// Change is a figure against the one before: the difference, and the
// relative change where the one before was not zero.
type Change struct {
	Now, Before float64
	Diff        float64
	Percent     float64 // (Now-Before)/|Before|*100
	HasPercent  bool
}

// Arrow is ▲, ▼ or = (no change), for the pane; readable without colour.
func (c Change) Arrow() string {
	switch {
	case c.Diff > 0:
		return "▲"
	case c.Diff < 0:
		return "▼"
	}
	return "="
}

// String writes the change as the pane shows it: "▲ 12%", "▼ 3", "= 0%".
func (c Change) String() string {
	if c.HasPercent {
		return fmt.Sprintf("%s %.0f%%", c.Arrow(), math.Abs(c.Percent))
	}
	if c.Diff == 0 {
		return "="
	}
	return fmt.Sprintf("%s %g", c.Arrow(), math.Abs(c.Diff))
}

// Compare makes a Change.
func Compare(now, before float64) Change {
	c := Change{Now: now, Before: before, Diff: now - before}
	if before != 0 {
		c.Percent, c.HasPercent = (now-before)/math.Abs(before)*100, true
	}
	return c
}

// Period is one account's figures now and in the period before.
type Period struct {
	Account       store.Account // zero for the total
	Current, Prev Figures
}

// Changes lists each figure against the period before, by name, in the
// order the pane shows them.
func (p Period) Changes() []NamedChange {
	c, b := p.Current, p.Prev
	known := func(name string, c Change) NamedChange {
		return NamedChange{Name: name, Change: c, Known: true, NowKnown: true}
	}
	// A figure of a period without posts is unknown: its change too.
	ratio := func(name string, now float64, nowOK bool, before float64, beforeOK bool) NamedChange {
		return NamedChange{Name: name, Change: Compare(now, before), Known: nowOK && beforeOK, NowKnown: nowOK}
	}
	cpp, cOK := c.PerPost()
	bpp, bOK := b.PerPost()
	out := []NamedChange{
		known("posts", Compare(float64(c.Posts), float64(b.Posts))),
		known("engagement", Compare(float64(c.Engagement), float64(b.Engagement))),
		ratio("engagement per post", cpp, cOK, bpp, bOK),
		ratio("engagement rate", c.EngagementRate, c.RatedPosts > 0, b.EngagementRate, b.RatedPosts > 0),
		known("inbox", Compare(float64(c.InboxItems), float64(b.InboxItems))),
	}
	if c.HasFollowers && b.HasFollowers {
		out = append(out, known("followers", Compare(float64(c.Followers), float64(b.Followers))))
	}
	if c.HasGained && b.HasGained {
		out = append(out, known("new followers", Compare(float64(c.FollowersGained), float64(b.FollowersGained))))
	}
	return out
}

// NamedChange is a figure's change with its name. Known is false where the
// figure is unknown in either period (engagement per post without posts):
// then there is no change to tell, and NowKnown says whether the current
// figure itself is.
type NamedChange struct {
	Name string
	Change
	Known, NowKnown bool
}

// Report is the periods side by side.
type Report struct {
	From, To time.Time // the current period: [From, To)
	PrevFrom time.Time // the one before: [PrevFrom, From)
	Accounts []Period
	Total    Period
}

// ComparePeriods reads the last `days` local days up to now against the
// same number of days before them, per account and in total. Days are
// calendar days in loc, so a daylight-saving change does not shift them.
func ComparePeriods(ctx context.Context, st *store.Store, now time.Time, days int, loc *time.Location) (Report, error) {
	if loc == nil {
		return Report{}, errors.New("periods: no time zone given")
	}
	if days <= 0 {
		days = 30
	}
	local := now.In(loc)
	r := Report{To: now.Add(time.Millisecond)}
	r.From = local.AddDate(0, 0, -days)
	r.PrevFrom = local.AddDate(0, 0, -2*days)
	windows := [][2]time.Time{{r.From, r.To}, {r.PrevFrom, r.From}}

	accounts, err := st.Accounts(ctx)
	if err != nil {
		return r, err
	}
	posts, err := st.PostsInWindows(ctx, false, windows)
	if err != nil {
		return r, err
	}
	inbox, err := st.InboxInWindows(ctx, windows)
	if err != nil {
		return r, err
	}
	followers, err := st.FollowersByAccountAt(ctx, false, []time.Time{now, r.From, r.PrevFrom})
	if err != nil {
		return r, err
	}
	var ids []int64
	for _, a := range accounts {
		ids = append(ids, a.ID)
	}
	rates := map[int64]*[2][2]float64{} // per account and window: sum of rates, rated posts
	for w, win := range windows {
		hs, err := st.PublishedByHourOfWeek(ctx, timing.DayRanges(ids, win[0], win[1], loc))
		if err != nil {
			return r, err
		}
		for _, h := range hs {
			if rates[h.AccountID] == nil {
				rates[h.AccountID] = &[2][2]float64{}
			}
			rates[h.AccountID][w][0] += h.PerFollower
			rates[h.AccountID][w][1] += float64(h.WithFollowers)
		}
	}
	var totalRate [2][2]float64
	r.Total = Period{}
	for _, a := range accounts {
		p := Period{Account: a}
		for w, f := range []*Figures{&p.Current, &p.Prev} {
			if ws := posts[a.ID]; ws != nil {
				f.Posts, f.Engagement = ws[w].Posts, ws[w].Engagement
			}
			if n := inbox[a.ID]; n != nil {
				f.InboxItems = n[w]
			}
			if rt := rates[a.ID]; rt != nil && rt[w][1] > 0 {
				f.EngagementRate, f.RatedPosts = rt[w][0]/rt[w][1], int(rt[w][1])
				totalRate[w][0] += rt[w][0]
				totalRate[w][1] += rt[w][1]
			}
			fs := followers[a.ID]
			if fs == nil {
				continue
			}
			end, start := fs[w], fs[w+1] // now/From for the current; From/PrevFrom for the one before
			if end >= 0 {
				f.Followers, f.HasFollowers = end, true
			}
			if end >= 0 && start >= 0 {
				f.FollowersGained, f.HasGained = end-start, true
			}
		}
		r.Accounts = append(r.Accounts, p)
		for w, f := range []*Figures{&r.Total.Current, &r.Total.Prev} {
			src := []Figures{p.Current, p.Prev}[w]
			f.Posts += src.Posts
			f.Engagement += src.Engagement
			f.InboxItems += src.InboxItems
			if src.HasFollowers {
				f.Followers += src.Followers
				f.HasFollowers = true
			}
			if src.HasGained {
				f.FollowersGained += src.FollowersGained
				f.HasGained = true
			}
		}
	}
	// The total's followers (and followers gained) before are a sum over
	// the same accounts as now, or unknown: an account whose first count
	// came within the period (one added then) would read its whole audience
	// as growth against a sum without it.
	for _, p := range r.Accounts {
		if p.Current.HasFollowers != p.Prev.HasFollowers {
			r.Total.Prev.Followers, r.Total.Prev.HasFollowers = 0, false
		}
		if p.Current.HasGained != p.Prev.HasGained {
			r.Total.Prev.FollowersGained, r.Total.Prev.HasGained = 0, false
		}
	}
	for w, f := range []*Figures{&r.Total.Current, &r.Total.Prev} {
		if totalRate[w][1] > 0 {
			f.EngagementRate, f.RatedPosts = totalRate[w][0]/totalRate[w][1], int(totalRate[w][1])
		}
	}
	return r, nil
}

// PostTimeline is a sent post's numbers over time.
type PostTimeline struct {
	Readings []store.MetricsSnapshot // oldest first
	// Hours are the readings' times after the post went out.
	Hours []float64
}

// PostNumbers reads a copy's counters over time, with each reading's age.
func PostNumbers(ctx context.Context, st *store.Store, deliveryID int64) (PostTimeline, error) {
	d, err := st.Delivery(ctx, deliveryID)
	if err != nil {
		return PostTimeline{}, err
	}
	rs, err := st.MetricsHistory(ctx, deliveryID)
	if err != nil {
		return PostTimeline{}, err
	}
	t := PostTimeline{Readings: rs}
	for _, m := range rs {
		t.Hours = append(t.Hours, m.At.Sub(d.SentAt).Hours())
	}
	return t, nil
}
