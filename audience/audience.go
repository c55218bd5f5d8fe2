// Package audience is about who is out there: the competitors the business
// watches (their followers over time, how often and when they post, how
// their posts do, side by side with the business's own accounts), the fans
// who write most, and the followers gained. It computes over stored rows;
// reading a public account from its network is a Reader's job, which the
// platform packages provide.
package audience

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/timing"
)

// Reader reads public accounts of one network (a Bluesky profile and
// author feed, a Mastodon account and its statuses); the platform
// packages implement it.
type Reader = platforms.PublicReader

// SyncOptions bound a read of the competitors.
type SyncOptions struct {
	// Since is how far back posts are read (0 means 30 days): their
	// counters still change; older ones were read before.
	Since time.Duration
	// MaxPosts caps the posts read per competitor per sync (0 means 200).
	MaxPosts int
}

// SyncResult is what a sync read of one competitor.
type SyncResult struct {
	Competitor store.Competitor
	Posts      int
	Err        error // also recorded on the competitor
}

// Sync reads every competitor through the Reader of its platform: its
// counts now, and its posts of the last Since with their counters. A
// competitor that can't be read is recorded as such; the others go on.
// The error is only for the store failing.
func Sync(ctx context.Context, st *store.Store, readers map[string]Reader, o SyncOptions, now time.Time) ([]SyncResult, error) {
	if o.Since <= 0 {
		o.Since = 30 * 24 * time.Hour
	}
	if o.MaxPosts <= 0 {
		o.MaxPosts = 200
	}
	cs, err := st.Competitors(ctx)
	if err != nil {
		return nil, err
	}
	var out []SyncResult
	for _, c := range cs {
		if ctx.Err() != nil {
			return out, ctx.Err()
		}
		r := SyncResult{Competitor: c}
		reader := readers[c.Platform]
		if reader == nil {
			r.Err = fmt.Errorf("competitor %s on %s: crier has no reader for %s accounts", c.Handle, c.Platform, c.Platform)
		} else {
			r.Posts, r.Err = syncOne(ctx, st, reader, c, o, now)
		}
		if r.Err != nil {
			if err := st.RecordCompetitorRead(ctx, c.ID, "", store.CompetitorSnapshot{}, nil, r.Err, now); err != nil {
				return out, err
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// errStore marks a failure of the store inside syncOne.
type errStore struct{ error }

func syncOne(ctx context.Context, st *store.Store, rd Reader, c store.Competitor, o SyncOptions, now time.Time) (int, error) {
	p, err := rd.PublicProfile(ctx, c.Handle)
	if err != nil {
		return 0, fmt.Errorf("competitor %s on %s: %w", c.Handle, c.Platform, err)
	}
	var posts []store.CompetitorPost
	cursor := ""
	since := now.Add(-o.Since)
pages:
	for len(posts) < o.MaxPosts {
		page, next, err := rd.AuthorFeed(ctx, c.Handle, cursor, min(100, o.MaxPosts-len(posts)))
		if err != nil {
			return 0, fmt.Errorf("competitor %s on %s: posts: %w", c.Handle, c.Platform, err)
		}
		for _, pp := range page {
			if pp.CreatedAt.Before(since) {
				break pages
			}
			posts = append(posts, store.CompetitorPost{CompetitorID: c.ID, RemoteID: pp.Ref.ID, URL: pp.URL,
				Text: pp.Text, PostedAt: pp.CreatedAt, Metrics: store.Metrics(pp.Counts)})
		}
		if next == "" || len(page) == 0 || next == cursor {
			break
		}
		cursor = next
	}
	snap := store.CompetitorSnapshot{At: now, Followers: p.Followers, Following: p.Following, Posts: p.Posts}
	if err := st.RecordCompetitorRead(ctx, c.ID, p.DisplayName, snap, posts, nil, now); err != nil {
		return 0, errStore{err}
	}
	return len(posts), nil
}

// IsStoreError reports whether a sync error came from the store rather
// than the network.
func IsStoreError(err error) bool {
	var e errStore
	return errors.As(err, &e)
}

// CompareOptions say what to compare.
type CompareOptions struct {
	Now   time.Time
	Loc   *time.Location // days and hours are read in it
	Weeks int            // the window, 0 means 12
	Top   int            // best posts per side, 0 means 3
}

// Side is one account, the business's or a competitor's, over the window.
type Side struct {
	Own         bool
	ID          int64 // account id (Own) or competitor id
	Platform    string
	Handle      string
	DisplayName string
	// Followers is the count at the end of each of the comparison's Days
	// (-1 before the first known count); Gained the change over the
	// window, or, for an account first counted within it (a competitor
	// watched since), the change since the first day with a count:
	// GainedFrom is that day (zero when no count is known).
	Followers  []int
	Gained     int
	GainedFrom time.Time
	// PostsPerWeek and EngagementPerPost over the window; PerFollower is
	// EngagementPerPost over the followers at the end (0 unknown).
	Posts             int
	PostsPerWeek      float64
	EngagementPerPost float64
	PerFollower       float64
	// Weekly are the posts and engagement of each week of the window,
	// oldest first.
	Weekly []store.WindowStats
	// Best are the most engaging posts of the window.
	Best []SidePost
	// Hours counts the posts of the window's last HabitWeeks weeks by
	// weekday and hour (when they post lately); Busiest names the two-hour
	// window they post in most ("Tue 12:00-14:00").
	Hours   [7][24]int
	Busiest string
	// LastError says why a competitor's latest read failed; SyncedAt is
	// when it last worked.
	LastError string
	SyncedAt  time.Time
}

// SidePost is one post in a comparison.
type SidePost struct {
	Text    string
	URL     string
	At      time.Time
	Metrics store.Metrics
}

// HabitWeeks is how many recent weeks say when an account posts.
const HabitWeeks = 4

// Comparison puts the business's accounts and the competitors side by
// side over the same weeks.
type Comparison struct {
	From, To time.Time
	Days     []time.Time // local midnights, one per day of the window
	Weeks    []time.Time // the starts of its weeks
	Sides    []Side      // own accounts first, then competitors
}

// Compare reads the comparison.
func Compare(ctx context.Context, st *store.Store, o CompareOptions) (Comparison, error) {
	if o.Loc == nil {
		return Comparison{}, errors.New("comparison: no time zone given")
	}
	if o.Weeks <= 0 {
		o.Weeks = 12
	}
	if o.Top <= 0 {
		o.Top = 3
	}
	local := o.Now.In(o.Loc)
	today := store.DayStart(local.Year(), local.Month(), local.Day(), o.Loc)
	c := Comparison{To: o.Now, From: store.DayStart(today.Year(), today.Month(), today.Day()-7*o.Weeks+1, o.Loc)}
	var ends []time.Time // the instant each day's count is read at
	for d := c.From; !d.After(today); d = store.DayStart(d.Year(), d.Month(), d.Day()+1, o.Loc) {
		c.Days = append(c.Days, d)
		end := store.DayStart(d.Year(), d.Month(), d.Day()+1, o.Loc).Add(-time.Millisecond)
		if end.After(o.Now) {
			end = o.Now
		}
		ends = append(ends, end)
	}
	var weeks [][2]time.Time
	for w := 0; w < o.Weeks; w++ {
		from := c.From.AddDate(0, 0, 7*w)
		to := from.AddDate(0, 0, 7)
		if to.After(o.Now) {
			to = o.Now.Add(time.Millisecond)
		}
		c.Weeks = append(c.Weeks, from)
		weeks = append(weeks, [2]time.Time{from, to})
	}

	accounts, err := st.Accounts(ctx)
	if err != nil {
		return c, err
	}
	competitors, err := st.Competitors(ctx)
	if err != nil {
		return c, err
	}
	for _, a := range accounts {
		if a.Platform == store.PlatformSandbox {
			continue
		}
		c.Sides = append(c.Sides, Side{Own: true, ID: a.ID, Platform: a.Platform, Handle: a.Handle, DisplayName: a.DisplayName})
	}
	for _, k := range competitors {
		c.Sides = append(c.Sides, Side{ID: k.ID, Platform: k.Platform, Handle: k.Handle, DisplayName: k.DisplayName,
			LastError: k.LastError, SyncedAt: k.SyncedAt})
	}
	for _, comp := range []bool{false, true} {
		followers, err := st.FollowersByAccountAt(ctx, comp, ends)
		if err != nil {
			return c, err
		}
		windows, err := st.PostsInWindows(ctx, comp, weeks)
		if err != nil {
			return c, err
		}
		var ids []int64
		for i := range c.Sides {
			if c.Sides[i].Own == comp {
				continue
			}
			s := &c.Sides[i]
			ids = append(ids, s.ID)
			s.Followers = followers[s.ID]
			if s.Followers == nil {
				s.Followers = make([]int, len(ends))
				for j := range s.Followers {
					s.Followers[j] = -1
				}
			}
			last := s.Followers[len(s.Followers)-1]
			if known := slices.IndexFunc(s.Followers, func(f int) bool { return f >= 0 }); known >= 0 && last >= 0 {
				s.Gained, s.GainedFrom = last-s.Followers[known], c.Days[known]
			}
			s.Weekly = windows[s.ID]
			if s.Weekly == nil {
				s.Weekly = make([]store.WindowStats, len(weeks))
			}
			var eng int64
			for _, w := range s.Weekly {
				s.Posts += w.Posts
				eng += w.Engagement
			}
			days := o.Now.Sub(c.From).Hours() / 24
			s.PostsPerWeek = float64(s.Posts) / days * 7
			if s.Posts > 0 {
				s.EngagementPerPost = float64(eng) / float64(s.Posts)
				if last > 0 {
					s.PerFollower = s.EngagementPerPost / float64(last)
				}
			}
			if comp {
				top, err := st.TopCompetitorPosts(ctx, s.ID, c.From, o.Now.Add(time.Millisecond), o.Top)
				if err != nil {
					return c, err
				}
				for _, p := range top {
					s.Best = append(s.Best, SidePost{Text: p.Text, URL: p.URL, At: p.PostedAt, Metrics: p.Metrics})
				}
			} else {
				top, err := st.TopOwnPosts(ctx, s.ID, c.From, o.Now.Add(time.Millisecond), o.Top)
				if err != nil {
					return c, err
				}
				for _, p := range top {
					s.Best = append(s.Best, SidePost{Text: p.Text, URL: p.URL, At: p.SentAt, Metrics: p.Metrics})
				}
			}
		}
		if len(ids) == 0 {
			continue
		}
		habits := c.From
		if h := today.AddDate(0, 0, -7*HabitWeeks+1); h.After(habits) {
			habits = h
		}
		ranges := timing.ZoneRanges(ids, habits, o.Now.Add(time.Millisecond), o.Loc)
		var hours []store.HourOfWeek
		if comp {
			hours, err = st.CompetitorPostsByHourOfWeek(ctx, ranges)
		} else {
			hours, err = st.PostingHours(ctx, ranges)
		}
		if err != nil {
			return c, err
		}
		byID := map[int64]*Side{}
		for i := range c.Sides {
			if c.Sides[i].Own != comp {
				byID[c.Sides[i].ID] = &c.Sides[i]
			}
		}
		for _, h := range hours {
			if s := byID[h.AccountID]; s != nil {
				s.Hours[time.Weekday((h.Hour/24+1)%7)][h.Hour%24] = h.Posts
			}
		}
		for _, s := range byID {
			s.Busiest = busiest(s.Hours)
		}
	}
	return c, nil
}

// busiest names the two-hour window with the most posts ("" without
// posts); of equal ones, the first in the week whose first hour has posts.
func busiest(h [7][24]int) string {
	best, bestN := "", 0
	for wd := time.Sunday; wd <= time.Saturday; wd++ {
		for hr := 0; hr < 23; hr++ {
			if n := h[wd][hr] + h[wd][hr+1]; h[wd][hr] > 0 && n > bestN {
				best, bestN = timing.Window{Weekday: wd, Start: hr, End: hr + 2}.String(), n
			}
		}
	}
	return best
}

// TopFans lists who wrote to the business most over the last days before
// now: replies, mentions, quotes and direct messages. Who liked or reposted
// is not kept (the networks give counts in the post's counters), so they
// are not in it.
func TopFans(ctx context.Context, st *store.Store, now time.Time, days, limit int) ([]store.Fan, error) {
	if days <= 0 {
		days = 90
	}
	return st.TopFans(ctx, now.AddDate(0, 0, -days), now.Add(time.Millisecond), limit)
}

// DayGain is an account's net follower change over one local day.
type DayGain struct {
	Day    time.Time // local midnight
	Gained int       // followers at the day's end minus at its start
	Known  bool      // both counts were known
}

// NewFollowers is each account's net gain of followers per local day over
// the last days before now, by account id. The networks give counts, not
// who followed, so gains are net of those who left.
func NewFollowers(ctx context.Context, st *store.Store, now time.Time, loc *time.Location, days int) (map[int64][]DayGain, error) {
	if loc == nil {
		return nil, errors.New("new followers: no time zone given")
	}
	local := now.In(loc)
	first := store.DayStart(local.Year(), local.Month(), local.Day()-days+1, loc)
	var at []time.Time // the start of the first day, then each day's end
	var starts []time.Time
	at = append(at, first.Add(-time.Millisecond))
	for d := first; !d.After(local); d = store.DayStart(d.Year(), d.Month(), d.Day()+1, loc) {
		starts = append(starts, d)
		end := store.DayStart(d.Year(), d.Month(), d.Day()+1, loc).Add(-time.Millisecond)
		if end.After(now) {
			end = now
		}
		at = append(at, end)
	}
	counts, err := st.FollowersByAccountAt(ctx, false, at)
	if err != nil {
		return nil, err
	}
	out := map[int64][]DayGain{}
	ids := make([]int64, 0, len(counts))
	for id := range counts {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		vs := counts[id]
		gains := make([]DayGain, len(starts))
		for i := range starts {
			gains[i].Day = starts[i]
			if vs[i] >= 0 && vs[i+1] >= 0 {
				gains[i].Gained, gains[i].Known = vs[i+1]-vs[i], true
			}
		}
		out[id] = gains
	}
	return out, nil
}
