package campaigns

import (
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/analytics"
	"github.com/crier-app/crier/analytics/csvimport"
	"github.com/crier-app/crier/money"
	"github.com/crier-app/crier/report"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/components/form"
	"github.com/crier-app/crier/tui/components/reportfile"
)

// What each form saves (form.Model.Kind).
const (
	formCampaign = iota
	formGoal
	formEntry
	formImport
	formExport
)

func (m *Model) openForm(f *form.Model) tea.Cmd {
	m.form = f
	m.push(modeForm)
	return m.takeKept(f)
}

// keptFormMsg brings back what was typed into form before a session
// closed with it open (BeforeQuitMsg).
type keptFormMsg struct {
	form  *form.Model
	typed map[string]string
	err   error
}

// keptKey names a form for KeepForm: what it saves, what it edits and its
// title (which names the campaign a new goal is for).
func keptKey(f *form.Model) string {
	return fmt.Sprintf("campaigns/%d/%d/%s", f.Kind, f.ID, f.Title)
}

// takeKept asks for what was typed into this form when a session closed
// with it open.
func (m *Model) takeKept(f *form.Model) tea.Cmd {
	return common.TakeKept(m.c.Store, keptKey(f), func(typed map[string]string, err error) tea.Msg {
		return keptFormMsg{form: f, typed: typed, err: err}
	})
}

// keptForm puts what was kept back into the form that asked, if it is
// still open and nothing was typed meanwhile.
func (m *Model) keptForm(msg keptFormMsg) tea.Cmd {
	return common.PutBack(m.c.Store, keptKey(msg.form), msg.form, m.form == msg.form && m.top() == modeForm,
		msg.typed, msg.err, "Campaigns")
}

// keepForm keeps what was typed into the open form, for BeforeQuitMsg:
// a dropped connection or ctrl+c loses nothing.
func (m *Model) keepForm() tea.Cmd {
	if m.top() != modeForm || m.form == nil {
		return nil
	}
	return common.KeepOpen(m.c.Store, keptKey(m.form), m.form)
}

func (m *Model) field(name, label, value, placeholder, hint string) form.Field {
	return form.NewField(m.c, name, label, value, placeholder, hint)
}

// openCampaignForm edits c, or makes a new campaign (nil).
func (m *Model) openCampaignForm(c *store.Campaign) tea.Cmd {
	var v store.Campaign
	title := "New campaign"
	if c != nil {
		v, title = *c, "Edit "+common.Clean(c.Name)
	}
	budget := ""
	if v.BudgetCents > 0 {
		budget = v.Budget().Plain()
	}
	f := form.New(m.c, formCampaign, title,
		m.field("name", "name", v.Name, "(a name, such as Spring sale)", "what you call it"),
		m.field("slug", "slug", v.Slug, "(empty: made from the name)", "what links carry as utm_campaign: lower-case letters, digits and -; empty makes it from the name. Changing it keeps the old one counting."),
		m.field("starts_on", "first day", v.StartsOn, "YYYY-MM-DD", "empty: no first day"),
		m.field("ends_on", "last day", v.EndsOn, "YYYY-MM-DD", "empty: no last day (always on)"),
		m.field("budget", "budget", budget, "(empty: none)", "a plain amount (1500 or 1500.50); empty for none"),
		m.field("currency", "currency", v.Currency, "EUR", "the budget's currency code: EUR, USD, GBP…"),
		m.field("audience", "audience", v.Audience, "(who it is for, what they care about)", "who it is for and what they care about"),
	)
	if c != nil {
		f.ID = c.ID
	}
	m.editing = v
	return m.openForm(f)
}

func (m *Model) saveCampaign(f *form.Model) tea.Cmd {
	// What the form does not show (the old free-text goal) stays as it was.
	c := m.editing
	c.ID, c.Name, c.Slug, c.StartsOn, c.EndsOn = f.ID, f.Value("name"), f.Value("slug"), f.Value("starts_on"), f.Value("ends_on")
	c.Currency, c.Audience, c.BudgetCents = strings.ToUpper(f.Value("currency")), f.Value("audience"), 0
	if c.Currency == "" {
		c.Currency = "EUR"
	}
	if b := f.Value("budget"); b != "" {
		if !money.ValidCode(c.Currency) {
			f.Fail("currency", fmt.Sprintf("%q is not a currency code such as EUR or USD", c.Currency))
			return nil
		}
		v, err := csvimport.ParseAmount(b, c.Currency)
		switch {
		case errors.Is(err, money.ErrTooLarge):
			f.Fail("budget", fmt.Sprintf("budget: %q is too large for a budget", b))
			return nil
		case err != nil:
			f.Fail("budget", fmt.Sprintf("budget: %q %v (write it as 1500 or 1500.50)", b, err))
			return nil
		case v < 0:
			f.Fail("budget", fmt.Sprintf("budget: %q is below 0 (empty for none)", b))
			return nil
		}
		c.BudgetCents = v
	}
	return m.save(f, func(ctx context.Context, st *store.Store) (string, int64, error) {
		if c.ID == 0 {
			id, err := st.CreateCampaign(ctx, c, m.c.Now())
			return "created the campaign " + c.Name, id, err
		}
		return "saved " + c.Name, 0, st.UpdateCampaign(ctx, c, m.c.Now())
	})
}

// save runs a form's save in a command; the answer closes the form, or
// shows the error in it.
func (m *Model) save(f *form.Model, fn func(ctx context.Context, st *store.Store) (string, int64, error)) tea.Cmd {
	st := m.c.Store
	if st == nil {
		f.Fail("", "no database open: nothing can be saved")
		return nil
	}
	m.saveSeq++
	seq, kind := m.saveSeq, f.Kind
	f.Saving()
	return common.Query(queryTimeout, func(ctx context.Context) tea.Msg {
		what, id, err := fn(ctx, st)
		return savedMsg{seq: seq, what: what, id: id, kind: kind, err: err}
	})
}

func (m *Model) saved(msg savedMsg) tea.Cmd {
	if msg.seq != m.saveSeq || m.form == nil || m.top() != modeForm {
		return nil
	}
	if msg.err != nil {
		var ce *store.CampaignError
		var ge *store.GoalError
		var fe *reportfile.FieldError
		switch {
		case errors.As(msg.err, &ce):
			m.form.Fail(ce.Field, m.form.Label(ce.Field)+": "+ce.Msg)
		case errors.As(msg.err, &ge):
			m.form.Fail(ge.Field, m.form.Label(ge.Field)+": "+ge.Msg)
		case errors.As(msg.err, &fe):
			m.form.Fail(fe.Field, fe.Msg)
		default:
			m.form.Fail(entryField(msg.err), msg.err.Error())
		}
		return nil
	}
	m.pop()
	cmds := []tea.Cmd{common.Status(msg.what, false), func() tea.Msg { return common.DataChangedMsg{What: "marketing"} }}
	if msg.kind == formCampaign && msg.id != 0 {
		cmds = append(cmds, m.openDetail(msg.id))
	}
	return tea.Batch(cmds...)
}

// entryField is the field a typed-in entry's error is about.
func entryField(err error) string {
	s := err.Error()
	switch {
	case strings.Contains(s, "label"):
		return "label"
	case strings.Contains(s, "where it happened"):
		return "source"
	case strings.Contains(s, "currency"):
		return "currency"
	case strings.Contains(s, "at least one figure"):
		return "spend"
	}
	return ""
}

// dayPattern finds the days of a period typed FROM – TO.
var dayPattern = regexp.MustCompile(`\d{4}-\d{2}-\d{2}`)

// metricNames are the metrics as a person types them.
var metricNames = map[string]store.GoalMetric{
	"clicks": store.GoalLinkClicks, "link clicks": store.GoalLinkClicks, "conversion rate": store.GoalConversionRate,
	"conv rate": store.GoalConversionRate, "cost per acquisition": store.GoalCPA, "engagement": store.GoalEngagementPerPost,
	"engagement per post": store.GoalEngagementPerPost, "replies": store.GoalRepliesWithin, "replies within": store.GoalRepliesWithin,
	"replies answered within": store.GoalRepliesWithin,
}

func metricList() string {
	names := make([]string, len(store.GoalMetrics))
	for i, g := range store.GoalMetrics {
		names[i] = strings.ReplaceAll(string(g), "_", " ")
	}
	return strings.Join(names, ", ")
}

func parseMetric(s string) (store.GoalMetric, error) {
	t := strings.ToLower(strings.Join(strings.Fields(strings.ReplaceAll(s, "_", " ")), " "))
	if g, ok := metricNames[t]; ok {
		return g, nil
	}
	for _, g := range store.GoalMetrics {
		if strings.ReplaceAll(string(g), "_", " ") == t {
			return g, nil
		}
	}
	return "", fmt.Errorf("%q is not a metric crier knows: one of %s", s, metricList())
}

// targetText writes a goal's target as the form takes it.
func targetText(g store.Goal) string {
	if g.Relative {
		return strings.TrimSuffix(strings.TrimSuffix(fmt.Sprintf("%+.2f", float64(g.Target)/100), "0"), ".0") + "%"
	}
	switch g.Metric.Unit() {
	case store.UnitMilli:
		return analytics.MilliString(g.Target)
	case store.UnitMinor:
		return money.FormatMinor(g.Target, money.Decimals(g.Currency), false)
	case store.UnitBasisPoints:
		if g.Metric == store.GoalROAS {
			return strconv.FormatFloat(float64(g.Target)/10000, 'f', -1, 64)
		}
		return strconv.FormatFloat(float64(g.Target)/100, 'f', -1, 64) + "%"
	}
	return strconv.FormatInt(g.Target, 10)
}

// plainNumber is a number typed with a decimal comma or thousands marks
// written for strconv ("2,5" reads 2.5), or as it was when it is no
// number at all (strconv then says so).
func plainNumber(s string) string {
	if plain, err := csvimport.PlainNumber(strings.TrimSpace(s)); err == nil {
		return plain
	}
	return s
}

// parseTarget reads a target: "+15%" is relative to the baseline; else a
// count, an amount, a percentage or (ROAS) a multiple.
// maxTargetPercent bounds a target written as a percentage or a multiple
// (and a change): a million percent is past any goal.
const maxTargetPercent = 1e6

func parseTarget(s string, metric store.GoalMetric, currency string) (target int64, relative bool, err error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false, errors.New("give a target: +15% over the baseline, or a value such as 1000")
	}
	pct := strings.HasSuffix(s, "%")
	num := strings.TrimSpace(strings.TrimSuffix(s, "%"))
	// An amount is read whole below, with its sign and its marks; any
	// other number with a decimal comma ("2,5%") or thousands marks
	// ("1.000", "1,000") is written plain first.
	if metric.Unit() != store.UnitMinor || pct {
		core := strings.TrimRight(num, "x×") // a multiple: "3,5×"
		num = plainNumber(core) + num[len(core):]
	}
	// Numbers no goal can reach, and NaN or Inf, are refused: converted,
	// they would wrap round to another target.
	tooLarge := fmt.Errorf("%q is too large for a target", s)
	if (strings.HasPrefix(num, "+") || strings.HasPrefix(num, "-")) && pct && metric != store.GoalROI {
		f, err := strconv.ParseFloat(num, 64)
		switch {
		case err != nil && !errors.Is(err, strconv.ErrRange), math.IsNaN(f), math.IsInf(f, 0) && err == nil:
			return 0, false, fmt.Errorf("%q is not a change such as +15%%", s)
		case math.Abs(f) > maxTargetPercent:
			return 0, false, tooLarge
		}
		return int64(f*100 + sign(f)*0.5), true, nil
	}
	switch metric.Unit() {
	case store.UnitCount:
		v, err := strconv.ParseInt(num, 10, 64)
		switch {
		case errors.Is(err, strconv.ErrRange) || err == nil && v > csvimport.MaxCount:
			return 0, false, tooLarge
		case err != nil || pct:
			return 0, false, fmt.Errorf("%q is not a whole number (or +15%% for a change over the baseline)", s)
		case v < 0:
			return 0, false, fmt.Errorf("%q is below 0, which no count reaches", s)
		}
		return v, false, nil
	case store.UnitMilli:
		f, err := strconv.ParseFloat(num, 64)
		switch {
		case err == nil && math.Abs(f) > csvimport.MaxCount, errors.Is(err, strconv.ErrRange):
			return 0, false, tooLarge
		case err != nil || pct || math.IsNaN(f):
			return 0, false, fmt.Errorf("%q is not a number (or +15%% for a change over the baseline)", s)
		}
		return int64(f*1000 + sign(f)*0.5), false, nil
	case store.UnitMinor:
		if !money.ValidCode(currency) {
			return 0, false, fmt.Errorf("%s is counted in money: give the currency first", metric)
		}
		v, err := csvimport.ParseAmount(num, currency)
		switch {
		case errors.Is(err, money.ErrTooLarge), err == nil && v < -csvimport.MaxMinor:
			return 0, false, tooLarge
		case err != nil:
			return 0, false, fmt.Errorf("%q %v", s, err)
		}
		return v, false, nil
	}
	// Basis points.
	f, err := strconv.ParseFloat(strings.TrimRight(num, "x×"), 64)
	switch {
	case err == nil && math.Abs(f) > maxTargetPercent, errors.Is(err, strconv.ErrRange):
		return 0, false, tooLarge
	case err != nil || math.IsNaN(f):
		return 0, false, fmt.Errorf("%q is not a number", s)
	}
	switch {
	case metric == store.GoalROAS && !pct:
		return int64(f*10000 + sign(f)*0.5), false, nil
	case !pct:
		return 0, false, fmt.Errorf("write %s as a percentage, such as 2.5%%", strings.ReplaceAll(string(metric), "_", " "))
	}
	return int64(f*100 + sign(f)*0.5), false, nil
}

func sign(f float64) float64 {
	if f < 0 {
		return -1
	}
	return 1
}

// openGoalForm edits g, or makes a new goal (nil) for campaign c (nil: the
// business's own).
func (m *Model) openGoalForm(g *store.Goal, c *store.Campaign) tea.Cmd {
	today := m.today()
	v := store.Goal{Metric: store.GoalConversions, StartsOn: today, Deadline: today.Add(27)}
	title := "New goal"
	if c != nil {
		title += " for " + common.Clean(c.Name)
		if s, ok := c.Start(); ok {
			v.StartsOn = s
		}
		if e, ok := c.End(); ok {
			v.Deadline = e
		}
		v.Currency = c.Currency
	}
	target, baseline, slug := "+15%", "", ""
	if c != nil {
		slug = c.Slug
	}
	if g != nil {
		v, title = *g, "Edit goal: "+analytics.Describe(*g)
		target = targetText(v)
		if v.Relative {
			baseline = v.BaselineFrom.String() + " – " + v.BaselineTo.String()
		}
		slug = m.slugOf(v.CampaignID)
	}
	within := ""
	if v.WithinMinutes > 0 {
		within = strconv.Itoa(v.WithinMinutes)
	}
	f := form.New(m.c, formGoal, title,
		m.field("metric", "metric", strings.ReplaceAll(string(v.Metric), "_", " "), "conversions", "one of "+metricList()),
		m.field("target", "target", target, "(+15% or 1000)", "+15% (or -10%): a change over the baseline period; or a value to reach: 1000, 2.5%, 3.2 (ROAS), 450.00 (money)"),
		m.field("starts", "starts", v.StartsOn.String(), "YYYY-MM-DD", "the first day counted"),
		m.field("deadline", "deadline", v.Deadline.String(), "YYYY-MM-DD", "the day it should be reached by"),
		m.field("baseline", "baseline", baseline, "(empty: as long as the goal, just before it)", "for a change: the period compared with, FROM – TO (YYYY-MM-DD – YYYY-MM-DD); empty: as many days as the goal, just before it"),
		m.field("campaign", "campaign", slug, "(empty: the whole business)", "the campaign's slug; empty for a goal of the whole business"),
		m.field("currency", "currency", v.Currency, "(money metrics)", "for revenue, cost per acquisition, ROAS and ROI"),
		m.field("within", "within (min)", within, "(replies within only)", "for replies within: how soon an answer must go out, in minutes"),
		m.field("note", "note", v.Note, "", "anything to remember about it"),
	)
	if g != nil {
		f.ID = g.ID
	}
	return m.openForm(f)
}

func (m *Model) slugOf(id int64) string {
	for _, it := range m.items {
		if it.campaign != nil && it.campaign.Campaign.ID == id {
			return it.campaign.Campaign.Slug
		}
	}
	if m.detail != nil && m.detail.Campaign.ID == id {
		return m.detail.Campaign.Slug
	}
	return ""
}

func (m *Model) campaignBySlug(slug string) (store.Campaign, bool) {
	for _, it := range m.items {
		if it.campaign != nil && it.campaign.Campaign.Slug == slug {
			return it.campaign.Campaign, true
		}
	}
	if m.detail != nil && m.detail.Campaign.Slug == slug {
		return m.detail.Campaign, true
	}
	return store.Campaign{}, false
}

// campaignField is the id of the campaign whose slug f's campaign field
// holds, 0 when it is empty (empty says what that means, for the error);
// when no campaign has that slug, it marks the field and is not ok.
func (m *Model) campaignField(f *form.Model, empty string) (int64, bool) {
	slug := f.Value("campaign")
	if slug == "" {
		return 0, true
	}
	c, ok := m.campaignBySlug(slug)
	if !ok {
		f.Fail("campaign", fmt.Sprintf("no campaign has the slug %q (empty: %s)", slug, empty))
		return 0, false
	}
	return c.ID, true
}

func (m *Model) saveGoal(f *form.Model) tea.Cmd {
	g := store.Goal{ID: f.ID, Note: f.Value("note"), Currency: strings.ToUpper(f.Value("currency"))}
	var err error
	if g.Metric, err = parseMetric(f.Value("metric")); err != nil {
		f.Fail("metric", err.Error())
		return nil
	}
	if g.StartsOn, err = store.ParseDay(f.Value("starts")); err != nil {
		f.Fail("starts", "starts: "+err.Error())
		return nil
	}
	if g.Deadline, err = store.ParseDay(f.Value("deadline")); err != nil {
		f.Fail("deadline", "deadline: "+err.Error())
		return nil
	}
	if g.Target, g.Relative, err = parseTarget(f.Value("target"), g.Metric, g.Currency); err != nil {
		field := "target"
		if strings.Contains(err.Error(), "currency") {
			field = "currency"
		}
		f.Fail(field, "target: "+err.Error())
		return nil
	}
	switch b := f.Value("baseline"); {
	case !g.Relative && b != "":
		f.Fail("baseline", "baseline: only a change (+15%) is measured against a baseline: empty it, or give the target as a change")
		return nil
	case g.Relative && b == "":
		if g.Deadline >= g.StartsOn {
			g.BaselineFrom, g.BaselineTo = store.DefaultBaseline(g.StartsOn, g.Deadline)
		}
	case g.Relative:
		days := dayPattern.FindAllString(b, -1)
		if len(days) != 2 {
			f.Fail("baseline", fmt.Sprintf("baseline: %q is not a period written FROM – TO (2026-01-01 – 2026-03-31)", b))
			return nil
		}
		if g.BaselineFrom, err = store.ParseDay(days[0]); err == nil {
			g.BaselineTo, err = store.ParseDay(days[1])
		}
		if err != nil {
			f.Fail("baseline", "baseline: "+err.Error())
			return nil
		}
	}
	if w := f.Value("within"); w != "" {
		if g.WithinMinutes, err = strconv.Atoi(w); err != nil {
			f.Fail("within", fmt.Sprintf("within: %q is not a whole number of minutes", w))
			return nil
		}
	}
	var ok bool
	if g.CampaignID, ok = m.campaignField(f, "a goal of the whole business"); !ok {
		return nil
	}
	return m.save(f, func(ctx context.Context, st *store.Store) (string, int64, error) {
		if g.ID == 0 {
			_, err := st.AddGoal(ctx, g, m.c.Now())
			return "added the goal: " + analytics.Describe(g), 0, err
		}
		return "saved the goal: " + analytics.Describe(g), 0, st.UpdateGoal(ctx, g, m.c.Now())
	})
}

// openEntryForm asks for a typed-in figure, for campaign c (nil: none).
func (m *Model) openEntryForm(c *store.Campaign) tea.Cmd {
	slug, cur := "", "EUR"
	if c != nil {
		slug, cur = c.Slug, c.Currency
	}
	f := form.New(m.c, formEntry, "Type in a figure",
		m.field("day", "day", m.today().String(), "YYYY-MM-DD", "the day it happened"),
		m.field("campaign", "campaign", slug, "(empty: none)", "the campaign's slug; empty for none"),
		m.field("source", "where", "", "(such as flyer)", "where it happened: flyer, market, mastodon (a boosted post)…"),
		m.field("label", "what", "", "(such as Spring flyers, 500 copies)", "what it was; the same day, campaign, place and words replace an earlier entry"),
		m.field("currency", "currency", cur, "EUR", "the money's currency code"),
		m.field("spend", "spend", "", "(such as 45.00)", "what it cost"),
		m.field("clicks", "clicks", "", "", "link clicks it brought, if known"),
		m.field("conversions", "conversions", "", "", "conversions it brought (sales, sign-ups), if known"),
		m.field("revenue", "revenue", "", "", "revenue it brought, if known"),
	)
	return m.openForm(f)
}

func (m *Model) saveEntry(f *form.Model) tea.Cmd {
	e := store.ManualEntry{Source: f.Value("source"), Label: f.Value("label"), Currency: strings.ToUpper(f.Value("currency"))}
	var err error
	if e.Day, err = store.ParseDay(f.Value("day")); err != nil {
		f.Fail("day", "day: "+err.Error())
		return nil
	}
	var ok bool
	if e.CampaignID, ok = m.campaignField(f, "none"); !ok {
		return nil
	}
	moneyField := func(name string) (store.Num, bool) {
		v := f.Value(name)
		if v == "" {
			return store.Num{}, true
		}
		if !money.ValidCode(e.Currency) {
			f.Fail("currency", fmt.Sprintf("%q is not a currency code such as EUR", e.Currency))
			return store.Num{}, false
		}
		n, err := csvimport.ParseAmount(v, e.Currency)
		switch {
		case errors.Is(err, money.ErrTooLarge), err == nil && n < -csvimport.MaxMinor:
			f.Fail(name, fmt.Sprintf("%s: %q is too large: no day has more than %s", name, v,
				money.Amount{Currency: e.Currency, Minor: csvimport.MaxMinor}))
			return store.Num{}, false
		case err != nil:
			f.Fail(name, fmt.Sprintf("%s: %q %v", name, v, err))
			return store.Num{}, false
		case name == "spend" && n < 0:
			f.Fail(name, fmt.Sprintf("spend: %q is negative: a cost is what was paid", v))
			return store.Num{}, false
		}
		return store.Known(n), true
	}
	if e.Spend, ok = moneyField("spend"); !ok {
		return nil
	}
	if e.Revenue, ok = moneyField("revenue"); !ok {
		return nil
	}
	if v := f.Value("clicks"); v != "" {
		n, err := strconv.ParseInt(plainNumber(v), 10, 64)
		switch {
		case errors.Is(err, strconv.ErrRange) || err == nil && n > csvimport.MaxCount:
			f.Fail("clicks", fmt.Sprintf("clicks: %q is too large: no day has more than %d", v, csvimport.MaxCount))
			return nil
		case err != nil || n < 0:
			f.Fail("clicks", fmt.Sprintf("clicks: %q is not a whole number", v))
			return nil
		}
		e.Clicks = store.Known(n)
	}
	if v := f.Value("conversions"); v != "" {
		x, err := strconv.ParseFloat(plainNumber(v), 64)
		switch {
		case err == nil && x > csvimport.MaxCount, errors.Is(err, strconv.ErrRange):
			f.Fail("conversions", fmt.Sprintf("conversions: %q is too large: no day has more than %d", v, csvimport.MaxCount))
			return nil
		case err != nil || x < 0 || math.IsNaN(x):
			f.Fail("conversions", fmt.Sprintf("conversions: %q is not a number", v))
			return nil
		}
		e.Conversions = store.Known(int64(x*1000 + 0.5))
	}
	return m.save(f, func(ctx context.Context, st *store.Store) (string, int64, error) {
		_, err := st.AddManualEntry(ctx, e, m.c.Now())
		return "saved " + e.Label + " (" + e.Day.String() + ")", 0, err
	})
}

// openExportForm asks where to write campaign c's report (nil: the last
// 30 days of everything).
func (m *Model) openExportForm(c *store.Campaign) tea.Cmd {
	today := m.today()
	what, title, span := "last-30-days", "Export a report of the last 30 days", true
	if c != nil {
		what, title, span = c.Slug, "Export the report of "+common.Clean(c.Name), false
	}
	f := form.New(m.c, formExport, title, reportfile.Fields(m.c, what, today, span, today.Add(-29), today)...)
	if c != nil {
		f.ID = c.ID
	}
	return m.openForm(f)
}

func (m *Model) saveExport(f *form.Model) tea.Cmd {
	today := m.today()
	span := f.ID == 0
	what := "last-30-days"
	if !span {
		what = m.slugOf(f.ID)
	}
	r, err := reportfile.Read(f, what, today, span)
	if err != nil {
		var fe *reportfile.FieldError
		if errors.As(err, &fe) {
			f.Fail(fe.Field, fe.Msg)
		}
		return nil
	}
	o := report.Options{Campaign: f.ID, From: r.From, To: r.To, Zone: m.c.Zone, Now: m.c.Now()}
	return m.save(f, func(ctx context.Context, st *store.Store) (string, int64, error) {
		path, err := reportfile.Write(ctx, st, o, r)
		return "wrote the report to " + path, 0, err
	})
}

func (m *Model) formKey(msg tea.KeyMsg) tea.Cmd {
	f := m.form
	if f == nil {
		m.pop()
		return nil
	}
	save, cancel, cmd := f.Update(msg)
	switch {
	case cancel:
		m.pop()
		return nil
	case !save:
		return cmd
	}
	switch f.Kind {
	case formCampaign:
		return m.saveCampaign(f)
	case formGoal:
		return m.saveGoal(f)
	case formEntry:
		return m.saveEntry(f)
	case formImport:
		return m.startPreview(f)
	case formExport:
		return m.saveExport(f)
	}
	return nil
}
