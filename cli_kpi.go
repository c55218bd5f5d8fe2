package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/spf13/cobra"

	"github.com/crier-app/crier/analytics"
	"github.com/crier-app/crier/analytics/periods"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
)

// glanceWidth is the width of crier kpi's screen: one 80-column terminal,
// a phone's SSH client in landscape, a status bar's popup.
const glanceWidth = 80

// glanceGoals and glanceNext are how many goals and coming posts the
// screen lists (the JSON has every running goal).
const (
	glanceGoals = 4
	glanceNext  = 4
	// glanceUpcomingRead is how many posts on their way the glance reads
	// to find the next queued ones past the failed and missed.
	glanceUpcomingRead = 200
)

func newKPICmd(env *cliEnv) *cobra.Command {
	var period string
	var asJSON bool
	c := &cobra.Command{
		Use:   "kpi",
		Short: "is it working? followers, engagement, the inbox, goals and the next posts on one screen",
		Long: `crier kpi prints one 80-column screen: followers and their change, posts,
engagement and engagement per post, per account and in total, against the
period before; the open inbox and the median time to a first reply; the
goals still running with their progress; and the next posts to go out.
--json prints the same figures with the fields the README documents.`,
		Example: "  crier kpi\n  crier kpi --period 7d\n  crier kpi --json | jq .total.current.followers",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			days, err := parsePeriod(period)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			now, cfg, st, _, err := env.readAt(ctx)
			if err != nil {
				return err
			}
			defer env.release(st)
			g, err := readGlance(ctx, st, now, days, cfg.Timezone)
			if err != nil {
				return dbErr(st, err)
			}
			if asJSON {
				return writeJSON(env.stdout, g.JSON())
			}
			g.writeText(env.stdout)
			return nil
		},
	}
	c.Flags().StringVar(&period, "period", "30d", "the period the figures cover: 7d, 30d or 90d")
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON (fields documented in the README)")
	c.RegisterFlagCompletionFunc("period", cobra.FixedCompletions([]string{"7d", "30d", "90d"}, cobra.ShellCompDirectiveNoFileComp))
	return c
}

func parsePeriod(s string) (int, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "7d", "7":
		return 7, nil
	case "30d", "30":
		return 30, nil
	case "90d", "90":
		return 90, nil
	}
	return 0, usageErr("--period %q: choose 7d, 30d or 90d", s)
}

// glance is what crier kpi says: read once, printed as text or JSON.
type glance struct {
	Now    time.Time
	Zone   *time.Location
	Days   int
	Period periods.Report
	Inbox  store.InboxKPIs
	Goals  []analytics.GoalStatus
	Next   []store.PostSummary
	// Failed and Missed count the posts waiting for a decision (among the
	// first glanceUpcomingRead on their way); Held those a paused queue
	// holds on every network (they go out when it runs again, not at
	// their time).
	Failed, Missed, Held int
}

// readGlance reads the figures: the period against the one before, the
// inbox, the goals running today and the next posts.
func readGlance(ctx context.Context, st *store.Store, now time.Time, days int, loc *time.Location) (*glance, error) {
	g := &glance{Now: now, Zone: loc, Days: days}
	var err error
	if g.Period, err = periods.ComparePeriods(ctx, st, now, days, loc); err != nil {
		return nil, err
	}
	if g.Inbox, err = st.InboxKPIs(ctx, now, loc); err != nil {
		return nil, err
	}
	today := store.DayOf(now.In(loc))
	if g.Goals, err = analytics.EvaluateRunning(ctx, st, today, loc); err != nil {
		return nil, err
	}
	// The posts going out next: failed and missed ones sort before them
	// (their times passed) and are counted apart, for a decision in the app.
	upcoming, err := st.Upcoming(ctx, glanceUpcomingRead)
	if err != nil {
		return nil, err
	}
	for _, p := range upcoming {
		switch {
		case p.State == store.PostFailed:
			g.Failed++
		case p.State == store.PostMissed:
			g.Missed++
		case allHeld(p.Copies):
			g.Held++
		case len(g.Next) < glanceNext:
			g.Next = append(g.Next, p)
		}
	}
	return g, nil
}

func (g *glance) writeText(w io.Writer) {
	var b strings.Builder
	line := func(s string) { b.WriteString(strings.TrimRight(common.Truncate(s, glanceWidth, "…"), " ") + "\n") }
	local := g.Now.In(g.Zone)
	line(fmt.Sprintf("crier · the last %d days to %s · %s", g.Days, local.Format("Mon 2 Jan 15:04"), g.Zone))
	line("")
	cols := []int{22, 10, 8, 8, 12, 10, 8}
	row := func(cells ...string) {
		var r strings.Builder
		for i, c := range cells {
			if i == 0 {
				r.WriteString(common.Fit(c, cols[0]))
				continue
			}
			r.WriteString(common.PadLeft(c, cols[i]))
		}
		line(r.String())
	}
	row("", "followers", "new", "posts", "engagement", "per post", "inbox")
	figures := func(name string, p periods.Period) {
		c := p.Current
		row(name, known(c.HasFollowers, humanize.Comma(int64(c.Followers))), signed(c.HasGained, c.FollowersGained),
			humanize.Comma(int64(c.Posts)), humanize.Comma(c.Engagement), known(c.Posts > 0, fmt.Sprintf("%.1f", c.EngagementPerPost())),
			humanize.Comma(int64(c.InboxItems)))
	}
	figures("All accounts", g.Period.Total)
	t, pr := g.Period.Total.Current, g.Period.Total.Prev
	row(fmt.Sprintf("  vs %d days before", g.Days),
		changeIf(t.HasFollowers && pr.HasFollowers, float64(t.Followers), float64(pr.Followers)),
		changeIf(t.HasGained && pr.HasGained, float64(t.FollowersGained), float64(pr.FollowersGained)),
		changeIf(true, float64(t.Posts), float64(pr.Posts)),
		changeIf(true, float64(t.Engagement), float64(pr.Engagement)),
		changeIf(t.Posts > 0 && pr.Posts > 0, t.EngagementPerPost(), pr.EngagementPerPost()),
		changeIf(true, float64(t.InboxItems), float64(pr.InboxItems)))
	for _, a := range g.Period.Accounts {
		figures(accountLabel(a.Account), a)
	}
	if len(g.Period.Accounts) > 1 {
		// The total adds the accounts' copies: say so, or a post on two
		// networks reads as two posts with half the engagement each.
		line("posts count each network's copy: a post sent to two is 2 in All accounts")
	}
	line("")
	in := g.Inbox
	line(fmt.Sprintf("Inbox      %s open · answered %d in 7 days, %d in 30 days",
		humanize.Comma(int64(in.Open)), in.Week.Answered, in.Month.Answered))
	line(fmt.Sprintf("           first reply (median) %s over 7 days, %s over 30 days",
		replyTime(in.Week), replyTime(in.Month)))
	if in.Week.WaitingLonger+in.Month.WaitingLonger > 0 {
		// The median of the answered leaves out what still waits.
		line(fmt.Sprintf("           unanswered, waiting longer: %d of 7 days, %d of 30 days",
			in.Week.WaitingLonger, in.Month.WaitingLonger))
	}
	line("")
	if len(g.Goals) == 0 {
		line("Goals      none running")
	} else {
		line(fmt.Sprintf("Goals      %d running", len(g.Goals)))
		for i, s := range g.Goals {
			if i == glanceGoals {
				line(fmt.Sprintf("           and %d more (crier kpi --json lists them)", len(g.Goals)-glanceGoals))
				break
			}
			right := fmt.Sprintf("%4s  %-8s", progress(s), s.State)
			left := "  " + common.OneLine(analytics.Describe(s.Goal))
			line(common.Fit(left, glanceWidth-common.Width(right)-1) + " " + right)
		}
	}
	line("")
	waiting := ""
	if g.Failed+g.Missed > 0 {
		var parts []string
		if g.Failed > 0 {
			parts = append(parts, fmt.Sprintf("%d failed", g.Failed))
		}
		if g.Missed > 0 {
			parts = append(parts, fmt.Sprintf("%d missed", g.Missed))
		}
		waiting = " · " + strings.Join(parts, ", ") + ": decide in the app or crier queue"
	}

	if len(g.Next) == 0 {
		line("Next posts none queued" + waiting)
	} else {
		line("Next posts" + waiting)
		anyHeld := false
		for _, p := range g.Next {
			when := p.ScheduledAt.In(g.Zone).Format("Mon 2 Jan 15:04")
			names, held := goingOut(p)
			anyHeld = anyHeld || held
			left := fmt.Sprintf("  %-16s  %s ", when, common.Fit(common.Truncate(strings.Join(names, " "), 17, "…"), 17))
			line(left + common.OneLine(common.Clean(p.Body)))
		}
		if anyHeld {
			line("  " + heldMark + " a paused queue holds that network's copy")
		}
	}
	if g.Held > 0 {
		line(fmt.Sprintf("  and %d held by a paused queue on every network: out when it runs again", g.Held))
	}
	fmt.Fprint(w, b.String())
}

// allHeld reports whether a paused queue holds every copy of a post.
func allHeld(copies []store.Copy) bool {
	for _, c := range copies {
		if !c.Held || c.State != store.DeliveryQueued {
			return false
		}
	}
	return len(copies) > 0
}

// goingOut lists the networks a post goes to at its time, then those whose
// copy a paused queue holds, marked with heldMark.
func goingOut(p store.PostSummary) (names []string, held bool) {
	var out, later []string
	for _, c := range p.Copies {
		switch {
		case c.Held && c.State == store.DeliveryQueued:
			if name := c.Platform + heldMark; !slices.Contains(later, name) {
				later = append(later, name)
			}
		case !slices.Contains(out, c.Platform):
			out = append(out, c.Platform)
		}
	}
	if len(out)+len(later) == 0 {
		return p.Platforms, false
	}
	slices.Sort(out)
	slices.Sort(later)
	return append(out, later...), len(later) > 0
}

// heldMark marks a network whose copy a paused queue holds (the app's
// pause sign, narrow).
const heldMark = "ǁ"

func accountLabel(a store.Account) string {
	return a.Platform + " " + strings.TrimPrefix(a.Handle, "@")
}

func known(ok bool, s string) string {
	if !ok {
		return "–"
	}
	return s
}

func signed(ok bool, n int) string {
	if !ok {
		return "–"
	}
	if n > 0 {
		return "+" + humanize.Comma(int64(n))
	}
	return humanize.Comma(int64(n))
}

// changeIf writes a figure against the period before as a percentage
// ("▲ 11%", "▼ 3%", "="), "new" where there was none before, "–" where
// either is unknown.
func changeIf(ok bool, now, before float64) string {
	c := periods.Compare(now, before)
	switch {
	case !ok:
		return "–"
	case c.Diff == 0:
		return "="
	case !c.HasPercent:
		return "new"
	}
	return fmt.Sprintf("%s %.0f%%", c.Arrow(), math.Abs(c.Percent))
}

func progress(s analytics.GoalStatus) string {
	if !s.Current.OK || !s.Target.OK {
		return "–"
	}
	return fmt.Sprintf("%.0f%%", math.Max(0, s.Progress*100))
}

// replyTime writes a median wait: "4h 43m", "12m", "2d 3h"; "–" when none
// was answered.
func replyTime(r store.ResponseFigures) string {
	if r.Answered == 0 {
		return "–"
	}
	return shortWait(r.MedianFirstResponse)
}

func shortWait(d time.Duration) string {
	m := int(d.Round(time.Minute) / time.Minute)
	switch {
	case m < 1:
		return fmt.Sprintf("%ds", int(d.Round(time.Second)/time.Second))
	case m < 60:
		return fmt.Sprintf("%dm", m)
	case m < 24*60:
		return fmt.Sprintf("%dh %02dm", m/60, m%60)
	}
	return fmt.Sprintf("%dd %dh", m/(24*60), m%(24*60)/60)
}

// The JSON of crier kpi. Field names are stable; the README lists them.
type (
	glanceJSON struct {
		GeneratedAt string              `json:"generated_at"`
		TimeZone    string              `json:"time_zone"`
		PeriodDays  int                 `json:"period_days"`
		From        string              `json:"from"`
		To          string              `json:"to"`
		Total       glancePeriodJSON    `json:"total"`
		Accounts    []glanceAccountJSON `json:"accounts"`
		Inbox       glanceInboxJSON     `json:"inbox"`
		Goals       []glanceGoalJSON    `json:"goals"`
		NextPosts   []postJSON          `json:"next_posts"`
		FailedPosts int                 `json:"failed_posts"`
		MissedPosts int                 `json:"missed_posts"`
		HeldPosts   int                 `json:"held_posts"`
	}
	glancePeriodJSON struct {
		Current  glanceFiguresJSON `json:"current"`
		Previous glanceFiguresJSON `json:"previous"`
	}
	glanceAccountJSON struct {
		Account accountJSON `json:"account"`
		glancePeriodJSON
	}
	glanceFiguresJSON struct {
		Followers         *int     `json:"followers"`
		FollowersGained   *int     `json:"followers_gained"`
		Posts             int      `json:"posts"`
		Engagement        int64    `json:"engagement"`
		EngagementPerPost *float64 `json:"engagement_per_post"`
		EngagementRate    *float64 `json:"engagement_rate"`
		InboxReceived     int      `json:"inbox_received"`
	}
	glanceInboxJSON struct {
		Open                      int  `json:"open"`
		Answered7d                int  `json:"answered_7d"`
		Answered30d               int  `json:"answered_30d"`
		MedianFirstReply7dSeconds *int `json:"median_first_reply_7d_seconds"`
		MedianFirstReply30dSecs   *int `json:"median_first_reply_30d_seconds"`
		WaitingLonger7d           int  `json:"waiting_longer_7d"`
		WaitingLonger30d          int  `json:"waiting_longer_30d"`
	}
	glanceGoalJSON struct {
		ID          int64    `json:"id"`
		CampaignID  *int64   `json:"campaign_id"`
		Metric      string   `json:"metric"`
		Description string   `json:"description"`
		State       string   `json:"state"`
		Current     *float64 `json:"current"`
		Target      *float64 `json:"target"`
		Currency    string   `json:"currency,omitempty"`
		Progress    *float64 `json:"progress"`
		Deadline    string   `json:"deadline"`
	}
)

func (g *glance) JSON() glanceJSON {
	out := glanceJSON{
		GeneratedAt: g.Now.UTC().Format(time.RFC3339),
		TimeZone:    g.Zone.String(),
		PeriodDays:  g.Days,
		From:        g.Period.From.UTC().Format(time.RFC3339),
		To:          g.Now.UTC().Format(time.RFC3339),
		Total:       periodJSON(g.Period.Total),
		Accounts:    []glanceAccountJSON{},
		Goals:       []glanceGoalJSON{},
		NextPosts:   []postJSON{},
		FailedPosts: g.Failed,
		MissedPosts: g.Missed,
		HeldPosts:   g.Held,
	}
	for _, a := range g.Period.Accounts {
		out.Accounts = append(out.Accounts, glanceAccountJSON{Account: toAccountJSON(a.Account), glancePeriodJSON: periodJSON(a)})
	}
	in := g.Inbox
	out.Inbox = glanceInboxJSON{Open: in.Open, Answered7d: in.Week.Answered, Answered30d: in.Month.Answered,
		WaitingLonger7d: in.Week.WaitingLonger, WaitingLonger30d: in.Month.WaitingLonger}
	if in.Week.Answered > 0 {
		s := int(in.Week.MedianFirstResponse / time.Second)
		out.Inbox.MedianFirstReply7dSeconds = &s
	}
	if in.Month.Answered > 0 {
		s := int(in.Month.MedianFirstResponse / time.Second)
		out.Inbox.MedianFirstReply30dSecs = &s
	}
	for _, s := range g.Goals {
		j := glanceGoalJSON{ID: s.Goal.ID, Metric: string(s.Goal.Metric), Description: analytics.Describe(s.Goal),
			State: string(s.State), Currency: s.Target.Currency, Deadline: s.Goal.Deadline.String()}
		if s.Goal.CampaignID != 0 {
			j.CampaignID = &s.Goal.CampaignID
		}
		if s.Current.OK {
			j.Current = decimals(s.Current.V)
		}
		if s.Target.OK {
			j.Target = decimals(s.Target.V)
		}
		if s.Current.OK && s.Target.OK {
			j.Progress = decimals(s.Progress)
		}
		out.Goals = append(out.Goals, j)
	}
	for _, p := range g.Next {
		out.NextPosts = append(out.NextPosts, toPostJSON(p))
	}
	return out
}

// decimals is v to six decimals, for JSON: a target of 7 conversions +15%
// is 8.05, not the 8.049999999999999 its arithmetic leaves.
func decimals(v float64) *float64 {
	r := math.Round(v*1e6) / 1e6
	return &r
}

func periodJSON(p periods.Period) glancePeriodJSON {
	return glancePeriodJSON{Current: figuresJSON(p.Current), Previous: figuresJSON(p.Prev)}
}

func figuresJSON(f periods.Figures) glanceFiguresJSON {
	j := glanceFiguresJSON{Posts: f.Posts, Engagement: f.Engagement, InboxReceived: f.InboxItems}
	if v, ok := f.PerPost(); ok {
		j.EngagementPerPost = &v
	}
	if f.HasFollowers {
		n := f.Followers
		j.Followers = &n
	}
	if f.HasGained {
		n := f.FollowersGained
		j.FollowersGained = &n
	}
	if f.RatedPosts > 0 {
		r := f.EngagementRate
		j.EngagementRate = &r
	}
	return j
}
