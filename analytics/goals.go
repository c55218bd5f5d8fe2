package analytics

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/crier-app/crier/money"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/timeparse"
)

// GoalState is where a goal stands.
type GoalState string

const (
	GoalNotStarted GoalState = "not started" // its first day is still to come
	GoalNoData     GoalState = "no data"     // nothing reported yet to measure it by
	GoalReached    GoalState = "reached"
	GoalOnTrack    GoalState = "on track" // the trend reaches the target by the deadline
	GoalBehind     GoalState = "behind"   // the trend reaches it later, or never
	GoalMissed     GoalState = "missed"   // the deadline passed short of the target
)

// TrendDays is how many of the latest days the projection takes its rate
// from.
const TrendDays = 28

// Value is a metric's value in its natural unit: a count, conversions,
// major units of Currency, or a fraction (0.015 is 1.5%; a ROAS of 3.2 is
// 3.2).
type Value struct {
	V        float64
	OK       bool
	Currency string
}

// GoalStatus is a goal evaluated on a day.
type GoalStatus struct {
	Goal  store.Goal
	Today store.Day
	// Current is the value so far: the sum since the goal started (link
	// clicks, conversions, revenue), the ratio of those sums, or the latest
	// level (followers).
	Current Value
	// Baseline is a relative goal's baseline period's value (for sums,
	// scaled to the goal's length); for followers, the count at the start.
	Baseline Value
	Target   Value   // what Current must reach (a relative goal's: baseline × (1 + change))
	Progress float64 // how far along: 0 at the start (or baseline), 1 at the target
	// Projected is the value the trend gives at the deadline: each sum
	// grows at its rate over the latest TrendDays days (followers: the
	// least-squares line through them).
	Projected Value
	State     GoalState
	// ReachOn is the day the trend reaches the target (the day it did, for
	// a reached sum); 0 when it never does.
	ReachOn store.Day
	Why     string // what is missing or left out (another currency's amounts)
	// Rows is the filter of the marketing rows the figures add up (for
	// followers, engagement and replies: not set).
	Rows    store.MarketingFilter
	HasRows bool
}

// kind is how a metric accumulates.
type kind int

const (
	additive kind = iota // a sum over the goal's days
	ratio                // a sum over a sum
	level                // a reading at a time (followers)
)

func kindOf(m store.GoalMetric) kind {
	switch m {
	case store.GoalLinkClicks, store.GoalConversions, store.GoalRevenue:
		return additive
	case store.GoalFollowers:
		return level
	}
	return ratio
}

// series is a metric's numerator and denominator per day (the
// denominator is 1 a day for sums; levels keep the reading in num).
type series struct {
	first store.Day
	num   []float64
	den   []float64
	known []bool // a source reported something that day
}

func (s series) sum(from, to int) (num, den float64, known bool) {
	for i := max(from, 0); i <= to && i < len(s.num); i++ {
		num += s.num[i]
		den += s.den[i]
		known = known || s.known[i]
	}
	return num, den, known
}

// unitValue converts a stored target (store.Unit) to a Value.
func unitValue(g store.Goal, v int64) float64 {
	switch g.Metric.Unit() {
	case store.UnitMilli:
		return float64(v) / 1000
	case store.UnitMinor:
		f := float64(v)
		for range money.Decimals(g.Currency) {
			f /= 10
		}
		return f
	case store.UnitBasisPoints:
		return float64(v) / 10000
	}
	return float64(v)
}

// Evaluate measures a goal on today, with days as calendar days in loc.
func Evaluate(ctx context.Context, st *store.Store, g store.Goal, today store.Day, loc *time.Location) (GoalStatus, error) {
	out, err := EvaluateAll(ctx, st, []store.Goal{g}, today, loc)
	if err != nil {
		return GoalStatus{Goal: g, Today: today}, err
	}
	return out[0], nil
}

// evaluate fills in a status from the goal's series: the days from its
// start to today (or its deadline) and, for relative goals and levels, the
// baseline period.
func evaluate(s *GoalStatus, cur, base series) {
	g := s.Goal
	k := kindOf(g.Metric)
	lower := g.Metric.LowerIsBetter()
	if s.State == GoalNotStarted {
		s.Target = absoluteTarget(g, Value{})
		if g.Relative {
			s.Target = Value{}
		}
		return
	}
	end := min(s.Today, g.Deadline)
	n := int(end-g.StartsOn) + 1
	// Current
	switch k {
	case additive:
		num, _, known := cur.sum(0, n-1)
		s.Current = Value{V: num, OK: known, Currency: g.Currency}
	case ratio:
		num, den, known := cur.sum(0, n-1)
		s.Current = ratioValue(num, den, known, g.Currency)
	case level:
		for i := n - 1; i >= 0; i-- {
			if cur.known[i] {
				s.Current = Value{V: cur.num[i], OK: true}
				break
			}
		}
	}
	// Baseline and target
	if g.Relative || k == level {
		switch k {
		case additive:
			num, _, known := base.sum(0, len(base.num)-1)
			days := float64(g.Deadline-g.StartsOn+1) / float64(len(base.num))
			s.Baseline = Value{V: num * days, OK: known, Currency: g.Currency}
		case ratio:
			num, den, known := base.sum(0, len(base.num)-1)
			s.Baseline = ratioValue(num, den, known, g.Currency)
		case level:
			for i := len(base.num) - 1; i >= 0; i-- {
				if base.known[i] {
					s.Baseline = Value{V: base.num[i], OK: true}
					break
				}
			}
		}
	}
	s.Target = absoluteTarget(g, s.Baseline)
	if g.Relative && s.Baseline.OK && s.Baseline.V <= 0 && s.Why == "" {
		s.Why = "the baseline, " + metricWords(g.Metric) + " from " + g.BaselineFrom.String() + " to " + g.BaselineTo.String() +
			", is " + FormatValue(g.Metric, s.Baseline) + ": a change in percent of it says nothing (+15% of 0 is 0, of a loss a " +
			"bigger loss); give the goal a value to reach instead"
	}
	if !s.Current.OK {
		s.State = GoalNoData
		if s.Why == "" {
			s.Why = "nothing reported yet for " + metricWords(g.Metric)
		}
		return
	}
	if !s.Target.OK {
		s.State = GoalNoData
		if s.Why == "" {
			s.Why = "no baseline: nothing reported for " + metricWords(g.Metric) + " from " + g.BaselineFrom.String() +
				" to " + g.BaselineTo.String()
		}
		return
	}
	meets := func(v float64) bool {
		if lower {
			return v <= s.Target.V
		}
		return v >= s.Target.V
	}
	// Progress
	switch {
	case k == additive:
		s.Progress = safeDiv(s.Current.V, s.Target.V)
	case k == level || g.Relative:
		start := s.Baseline.V
		if !s.Baseline.OK {
			start = 0
		}
		s.Progress = safeDiv(s.Current.V-start, s.Target.V-start)
	case lower:
		s.Progress = safeDiv(s.Target.V, s.Current.V)
	default:
		s.Progress = safeDiv(s.Current.V, s.Target.V)
	}
	s.Progress = max(s.Progress, 0)

	// Projection from the latest TrendDays days.
	remaining := float64(g.Deadline - end)
	w0 := max(0, n-TrendDays)
	wdays := float64(n - w0)
	switch k {
	case additive:
		num, _, _ := cur.sum(w0, n-1)
		rate := num / wdays
		s.Projected = Value{V: s.Current.V + rate*remaining, OK: true, Currency: g.Currency}
		if meets(s.Current.V) {
			cum := 0.0
			for i := 0; i < n; i++ {
				if cum += cur.num[i]; meets(cum) {
					s.ReachOn = g.StartsOn.Add(i)
					break
				}
			}
		} else if rate > 0 {
			s.ReachOn = end.Add(int(math.Ceil((s.Target.V - s.Current.V) / rate)))
		}
	case level:
		slope, ok := trend(cur, w0, n-1)
		if ok {
			s.Projected = Value{V: s.Current.V + slope*remaining, OK: true}
			if meets(s.Current.V) {
				s.ReachOn = end
			} else if gap := s.Target.V - s.Current.V; slope != 0 && gap/slope > 0 {
				s.ReachOn = end.Add(int(math.Ceil(gap / slope)))
			}
		} else {
			s.Projected = s.Current
		}
	case ratio:
		N, D, _ := cur.sum(0, n-1)
		a, b, _ := cur.sum(w0, n-1)
		a, b = a/wdays, b/wdays
		if D+b*remaining > 0 {
			s.Projected = Value{V: (N + a*remaining) / (D + b*remaining), OK: true, Currency: g.Currency}
		}
		// Where (N + a t) / (D + b t) meets T: (N - T D) + (a - T b) t
		// crosses 0.
		T := s.Target.V
		c0, c1 := N-T*D, a-T*b
		switch {
		case meets(s.Current.V):
			s.ReachOn = end
		case !lower && c1 > 0, lower && c1 < 0:
			s.ReachOn = end.Add(int(math.Ceil(-c0 / c1)))
		}
	}
	// State
	switch {
	case s.Today > g.Deadline && meets(s.Current.V):
		s.State = GoalReached
	case s.Today > g.Deadline:
		s.State = GoalMissed
	case meets(s.Current.V):
		s.State = GoalReached
	case s.Projected.OK && meets(s.Projected.V):
		s.State = GoalOnTrack
	default:
		s.State = GoalBehind
	}
}

func safeDiv(a, b float64) float64 {
	if b == 0 {
		if a >= 0 {
			return 1
		}
		return 0
	}
	return a / b
}

func ratioValue(num, den float64, known bool, cur string) Value {
	if !known || den == 0 {
		return Value{Currency: cur}
	}
	return Value{V: num / den, OK: true, Currency: cur}
}

// absoluteTarget is what the goal's value must reach: its target, or for a
// relative goal the baseline changed by the target.
func absoluteTarget(g store.Goal, baseline Value) Value {
	if !g.Relative {
		return Value{V: unitValue(g, g.Target), OK: true, Currency: g.Currency}
	}
	if !baseline.OK || baseline.V <= 0 { // a change in percent of 0, or of a loss, is no target
		return Value{Currency: g.Currency}
	}
	return Value{V: baseline.V * (1 + float64(g.Target)/10000), OK: true, Currency: g.Currency}
}

// trend is the least-squares slope per day of a level series' known
// readings from i0 to i1.
func trend(s series, i0, i1 int) (float64, bool) {
	var n, sx, sy, sxx, sxy float64
	for i := i0; i <= i1 && i < len(s.num); i++ {
		if !s.known[i] {
			continue
		}
		x, y := float64(i), s.num[i]
		n++
		sx += x
		sy += y
		sxx += x * x
		sxy += x * y
	}
	if n < 2 || n*sxx-sx*sx == 0 {
		return 0, false
	}
	return (n*sxy - sx*sy) / (n*sxx - sx*sx), true
}

func metricWords(m store.GoalMetric) string {
	switch m {
	case store.GoalEngagementPerPost:
		return "engagement per post"
	case store.GoalRepliesWithin:
		return "replies"
	case store.GoalLinkClicks:
		return "link clicks"
	case store.GoalConversionRate:
		return "the conversion rate"
	case store.GoalCTR:
		return "CTR (impressions)"
	case store.GoalCPA:
		return "cost per acquisition"
	case store.GoalROAS:
		return "ROAS"
	case store.GoalROI:
		return "ROI"
	}
	return string(m)
}

// seriesRequest asks for a goal's metric per day from first to last, into
// dst. status, when set, is told the rows it adds up and the money left out
// for being in another currency.
type seriesRequest struct {
	g           store.Goal
	first, last store.Day
	dst         *series
	status      *GoalStatus
}

func newSeries(first, last store.Day) series {
	n := int(last-first) + 1
	return series{first: first, num: make([]float64, n), den: make([]float64, n), known: make([]bool, n)}
}

// loadSeries reads what the requests ask for, each metric's days for every
// request in one read: one FollowersAt for every instant asked, one
// MarketingByDays for every span of marketing rows; engagement and replies
// a read per goal (each has its campaign or its time to answer in).
func loadSeries(ctx context.Context, st *store.Store, reqs []seriesRequest, loc *time.Location) error {
	var followers, marketing []seriesRequest
	for _, r := range reqs {
		*r.dst = newSeries(r.first, r.last)
		switch r.g.Metric {
		case store.GoalFollowers:
			followers = append(followers, r)
		case store.GoalEngagementPerPost:
			days, err := st.PublishedByDay(ctx, r.g.CampaignID, r.first, r.last, loc)
			if err != nil {
				return fmt.Errorf("goal %d (%s): %w", r.g.ID, r.g.Metric, err)
			}
			for i, d := range days {
				r.dst.num[i], r.dst.den[i], r.dst.known[i] = float64(d.Engagement), float64(d.Posts), d.Posts > 0
			}
		case store.GoalRepliesWithin:
			days, err := st.RepliesByDay(ctx, time.Duration(r.g.WithinMinutes)*time.Minute, r.first, r.last, loc)
			if err != nil {
				return fmt.Errorf("goal %d (%s): %w", r.g.ID, r.g.Metric, err)
			}
			// Of the items answered, the share answered in time (items that
			// need no answer, praise and the like, do not count against it).
			for i, d := range days {
				r.dst.num[i], r.dst.den[i], r.dst.known[i] = float64(d.InTime), float64(d.Answered), d.Answered > 0
			}
		default:
			marketing = append(marketing, r)
		}
	}
	if len(followers) > 0 {
		var at []time.Time
		for _, r := range followers {
			for i := range r.dst.num {
				at = append(at, r.first.Add(i+1).Midnight(loc).Add(-time.Millisecond))
			}
		}
		fs, err := st.FollowersAt(ctx, "", at)
		if err != nil {
			return fmt.Errorf("goals of followers: %w", err)
		}
		for _, r := range followers {
			for i := range r.dst.num {
				r.dst.num[i], r.dst.den[i], r.dst.known[i] = float64(fs[0].V), 1, fs[0].OK
				fs = fs[1:]
			}
		}
	}
	if len(marketing) > 0 {
		qs := make([]store.DaysQuery, len(marketing))
		for i, r := range marketing {
			qs[i] = store.DaysQuery{MarketingFilter: marketingFilter(r.g, r.first, r.last), Fields: metricFields(r.g.Metric)}
		}
		days, err := st.MarketingByDays(ctx, qs)
		if err != nil {
			return fmt.Errorf("goals of marketing figures: %w", err)
		}
		for i, r := range marketing {
			marketingSeries(r, qs[i].MarketingFilter, days[i])
		}
	}
	return nil
}

// marketingFilter selects the rows a marketing goal adds up. An absolute
// goal of a campaign counts the campaign's rows. A relative goal compares
// the whole business before and during it (a campaign has no rows of its
// own before it starts): did conversions rise 15% while it ran?
func marketingFilter(g store.Goal, first, last store.Day) store.MarketingFilter {
	f := store.MarketingFilter{Campaign: g.CampaignID, From: first, To: last}
	if g.CampaignID == 0 || g.Relative {
		f.Campaign = store.AllCampaigns
	}
	return f
}

// metricFields are the sums marketingSeries reads for a metric.
func metricFields(m store.GoalMetric) store.Fields {
	switch m {
	case store.GoalLinkClicks:
		return store.FieldClicks
	case store.GoalConversions:
		return store.FieldConversions
	case store.GoalConversionRate:
		return store.FieldSessions | store.FieldConversionsWithSessions | store.FieldConversionsWithClicks |
			store.FieldClicks | store.FieldConversions
	case store.GoalCTR:
		return store.FieldClicksWithImpressions | store.FieldImpressions
	case store.GoalCPA:
		return store.FieldMoney | store.FieldConversions
	case store.GoalRevenue, store.GoalROAS, store.GoalROI:
		return store.FieldMoney
	}
	return store.AllFields
}

// marketingSeries fills in a marketing goal's series from the days of its
// rows.
func marketingSeries(r seriesRequest, f store.MarketingFilter, days []store.DayTotals) {
	g, s, out := r.g, r.status, r.dst
	n := len(out.num)
	if s != nil {
		s.Rows, s.HasRows = f, true
	}
	// A goal counted in money takes its own currency's amounts; ROAS and
	// ROI goals without one take the only currency there is.
	cur := g.Currency
	if cur == "" && (g.Metric == store.GoalROAS || g.Metric == store.GoalROI) {
		var all money.Sums
		for _, d := range days {
			all = all.AddAll(d.Revenue).AddAll(d.Spend)
		}
		switch len(all) {
		case 1:
			cur = all[0].Currency
		case 0:
		default:
			if s != nil {
				s.Why = "revenue and spend are in " + strings.Join(all.Currencies(), " and ") +
					": give the goal a currency (crier does not convert)"
			}
			return
		}
	}
	var leftOut money.Sums
	amount := func(sums money.Sums) float64 {
		for _, a := range sums {
			if a.Currency != cur {
				leftOut = leftOut.Add(a)
			}
		}
		return sums.In(cur).Float()
	}
	for _, d := range days {
		i := int(d.Day - r.first)
		if i < 0 || i >= n {
			continue
		}
		t := d.MarketingTotals
		var num, den float64
		var known bool
		switch g.Metric {
		case store.GoalLinkClicks:
			num, den, known = float64(t.Clicks.V), 1, t.Clicks.OK
		case store.GoalConversions:
			num, den, known = float64(t.Conversions.V)/1000, 1, t.Conversions.OK
		case store.GoalRevenue:
			num, den, known = amount(t.Revenue), 1, len(t.Revenue) > 0
		case store.GoalConversionRate:
			// Sessions where known; a day with only an ad platform's
			// clicks divides by those.
			if t.Sessions.OK && t.Sessions.V > 0 {
				num, den = float64(t.ConversionsWithSessions.V)/1000, float64(t.Sessions.V)
			} else {
				num, den = float64(t.ConversionsWithClicks.V)/1000, float64(t.Clicks.V)
			}
			known = t.Conversions.OK && den > 0
		case store.GoalCTR:
			num, den, known = float64(t.ClicksWithImpressions.V), float64(t.Impressions.V), t.Impressions.OK
		case store.GoalCPA:
			num, den, known = amount(t.Spend), float64(t.Conversions.V)/1000, len(t.Spend) > 0 || t.Conversions.OK
		case store.GoalROAS:
			num, den, known = amount(t.Revenue), amount(t.Spend), len(t.Spend) > 0
		case store.GoalROI:
			rev, spend := amount(t.Revenue), amount(t.Spend)
			num, den, known = rev-spend, spend, len(t.Spend) > 0
		}
		out.num[i], out.den[i], out.known[i] = num, den, known
	}
	if s != nil && len(leftOut) > 0 {
		s.Why = fmt.Sprintf("leaves out %s: the goal is counted in %s", leftOut, cur)
	}
	if s != nil && cur != "" {
		s.Goal.Currency = cur
	}
}

// EvaluateRunning measures the goals running on today (started, deadline
// not passed), soonest deadline first: the ones the KPIs show.
func EvaluateRunning(ctx context.Context, st *store.Store, today store.Day, loc *time.Location) ([]GoalStatus, error) {
	goals, err := st.Goals(ctx, today)
	if err != nil {
		return nil, err
	}
	var running []store.Goal
	for _, g := range goals {
		if g.StartsOn <= today && g.Deadline >= today {
			running = append(running, g)
		}
	}
	return EvaluateAll(ctx, st, running, today, loc)
}

// EvaluateAll measures goals on today, with days as calendar days in loc,
// reading every goal's days at once (loadSeries).
func EvaluateAll(ctx context.Context, st *store.Store, goals []store.Goal, today store.Day, loc *time.Location) ([]GoalStatus, error) {
	out := make([]GoalStatus, len(goals))
	cur := make([]series, len(goals))
	base := make([]series, len(goals))
	var reqs []seriesRequest
	for i, g := range goals {
		out[i] = GoalStatus{Goal: g, Today: today}
		if today < g.StartsOn {
			out[i].State = GoalNotStarted
		}
		end := min(today, g.Deadline) // the last day measured
		reqs = append(reqs, seriesRequest{g: g, first: g.StartsOn, last: max(end, g.StartsOn), dst: &cur[i], status: &out[i]})
		if g.Relative || kindOf(g.Metric) == level {
			from, to := g.BaselineFrom, g.BaselineTo
			if !g.Relative { // a level's start: the day before the goal
				from, to = g.StartsOn.Add(-1), g.StartsOn.Add(-1)
			}
			reqs = append(reqs, seriesRequest{g: g, first: from, last: to, dst: &base[i]})
		}
	}
	if err := loadSeries(ctx, st, reqs, loc); err != nil {
		return nil, err
	}
	for i := range out {
		evaluate(&out[i], cur[i], base[i])
	}
	return out, nil
}

// Describe says a goal in words: "conversions +15% over 2026-02-01 –
// 2026-04-30 by 2026-07-31", "1,000 followers by 2026-06-30".
func Describe(g store.Goal) string {
	var what string
	if g.Relative {
		what = fmt.Sprintf("%s %+.1f%% over %s – %s", metricWords(g.Metric), float64(g.Target)/100,
			g.BaselineFrom, g.BaselineTo)
		what = strings.Replace(what, ".0%", "%", 1)
	} else {
		target := FormatValue(g.Metric, Value{V: unitValue(g, g.Target), OK: true, Currency: g.Currency})
		switch {
		case g.Metric == store.GoalRepliesWithin:
			what = strings.Replace(target, ".0%", "%", 1) + " of replies"
		case g.Metric.LowerIsBetter():
			what = metricWords(g.Metric) + " at most " + target
		case kindOf(g.Metric) == ratio:
			what = metricWords(g.Metric) + " of " + target
		default:
			what = target + " " + metricWords(g.Metric)
		}
	}
	if g.Metric == store.GoalRepliesWithin {
		what += " answered within " + timeparse.ShortDuration(time.Duration(g.WithinMinutes)*time.Minute)
	}
	return what + " by " + g.Deadline.String()
}

// FormatValue writes a metric's value for people, as precise as it is
// worth reading: whole counts ("1,234"), conversions and engagement to a
// tenth ("17.2", "17"), money in its currency ("€45.00"), rates to a tenth
// of a percent ("2.5%"), multiples to a hundredth ("3.20×"); "n/a" when
// not known. A baseline, target or projection computed from the days is
// written the same way.
func FormatValue(m store.GoalMetric, v Value) string {
	if !v.OK {
		return "n/a"
	}
	switch m {
	case store.GoalFollowers, store.GoalLinkClicks:
		return Count(store.Known(int64(math.Round(v.V))))
	case store.GoalConversions, store.GoalEngagementPerPost:
		// Ad platforms report parts of a conversion; a tenth is enough.
		return MilliString(int64(math.Round(v.V*10)) * 100)
	case store.GoalRevenue, store.GoalCPA:
		return Ratio{Value: v.V, OK: true, Currency: v.Currency}.Money()
	case store.GoalROAS:
		return Ratio{Value: v.V, OK: true}.Times()
	}
	return Ratio{Value: v.V, OK: true}.Percent()
}

// FormatTarget writes a goal's target as FormatValue does, but rounded
// toward the harder side where FormatValue drops digits (a target of 7.015
// conversions reads 7.1, never 7, which the goal would not reach).
func FormatTarget(m store.GoalMetric, v Value) string {
	var step float64
	switch m {
	case store.GoalFollowers, store.GoalLinkClicks:
		step = 1
	case store.GoalConversions, store.GoalEngagementPerPost:
		step = 0.1
	default:
		return FormatValue(m, v)
	}
	const slack = 1e-9 // what float arithmetic leaves on an exact target
	v.V = math.Ceil(v.V/step-slack) * step
	return FormatValue(m, v)
}
