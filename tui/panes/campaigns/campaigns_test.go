package campaigns

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/crier-app/crier/analytics"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/tuitest"
)

func TestNewDoesNoIO(t *testing.T) {
	c := tuitest.Common(t, nil, tuitest.NewClock(now))
	m := New(c) // any store call would panic
	m.SetSize(80, 21)
	if got := m.View(); !strings.Contains(got, "Loading") {
		t.Errorf("before the first load: %q", got)
	}
}

func TestListShowsStatesBudgetsAndGoals(t *testing.T) {
	h := newHarness(t, 120, 37)
	h.requireInView("Spring Sale", "running", "Winter Bakes", "ended", "Summer Fest", "planned",
		"1 Mar – 30 Apr", "€56.00 / €500.00", "goal: 1,600 followers by 2026-06-30", "no goal")
	// The list's order: the latest to start first; then the goals of the
	// business.
	v := h.view()
	if !(strings.Index(v, "Summer Fest") < strings.Index(v, "Spring Sale") && strings.Index(v, "Spring Sale") < strings.Index(v, "Winter Bakes")) {
		t.Errorf("campaigns not the latest first:\n%s", v)
	}
	// The chosen campaign's figures under the list: Spring Sale's, by hand
	// (see newHarness).
	h.press("j")
	h.requireInView("CTR 2.5%", "conv rate 10.5% of sessions", "CPC €0.40", "CPA €14.00", "ROAS 2.05×", "ROI 105.4%",
		"budget 11.2%", "link clicks 48", "sessions 38", "conversions 4", "revenue €115.00", "spend €56.00", "impressions 1,600")
}

func TestDetailShowsGoalsFiguresAndTheirRows(t *testing.T) {
	h := newHarness(t, 120, 37)
	h.press("j", "enter")
	h.requireInView("Spring Sale", "Goals", "conversions +15% over 2025-12-31 – 2026-02-28 by 2026-04-30",
		"CTR: 40 link clicks where impressions are known ÷ 1,600 impressions", "Audience: Neighbours")
	d := h.m.detail
	if d == nil || len(d.Goals) != 1 {
		t.Fatalf("detail goals: %+v", d)
	}
	h.requireInView("now 4 · baseline 6.1 · target 7.1", "projected 8 by 2026-04-30", "on track: reaches it 2026-04-24")
	// Per network: instagram's CTR is its own 40 / 1,600; Mastodon's n/a.
	all := strings.Join(h.m.lines, "\n")
	for _, want := range []string{"Per network", "Instagram", "Mastodon", "Day by day · 2026-03-01 – 2026-04-02", "link clicks", "spend",
		"Posts · 2 posts"} {
		if !strings.Contains(all, want) {
			t.Errorf("the detail lacks %q:\n%s", want, all)
		}
	}
	for _, l := range h.m.lines {
		if strings.HasPrefix(l, "  Mastodon ") && !strings.Contains(l, "n/a") {
			t.Errorf("Mastodon's CTR must be n/a (no impressions): %q", l)
		}
	}
	// t lists the rows the figures add up; s goes network by network.
	h.press("t")
	h.requireInView("Rows behind the figures of Spring Sale", "every network · 6 rows", "typed in", "✓spend €40.00",
		"·clicks 20", "✓sessions 20", "ga4.csv:5")
	h.press("s")
	h.requireInView("flyer · 1 row", "Spring flyers")
	if strings.Contains(h.view(), "ga4.csv") {
		t.Errorf("the flyer's rows list another network's:\n%s", h.view())
	}
	h.press("s")
	h.requireInView("Instagram · 4 rows", "meta.csv:2", "ga4.csv:5")
	h.press("esc")
	if h.m.top() != modeDetail {
		t.Fatalf("esc from the rows: mode %v", h.m.top())
	}
	// p pages through the posts, a line per account.
	h.press("p")
	h.requireInView("Posts of Spring Sale", "Spring loaves are here", "Last week of the sale", "M B")
	if got := strings.Count(h.view(), "Spring loaves are here"); got != 1 {
		t.Errorf("a line per post: %d lines of the post", got)
	}
	// Its copies' numbers added up: Mastodon's link brought 8 clicks.
	h.requireInView("8 clicks · 1 conv")
	h.press("esc", "esc")
	if h.m.top() != modeList {
		t.Fatalf("esc twice: mode %v", h.m.top())
	}
}

func TestCampaignFormKeepsInputOnBadValues(t *testing.T) {
	h := newHarness(t, 80, 21)
	h.press("n")
	h.requireInView("New campaign")
	h.typeText("Easter Bakes")
	h.focusField("first day")
	h.typeText("2026-04-10")
	h.focusField("last day")
	h.typeText("2026-04-01")
	h.focusField("budget")
	h.typeText("12,5x")
	h.focusField("audience")
	h.typeText("Families planning Easter brunch")
	h.press("ctrl+s")
	h.requireInView("budget: \"12,5x\" is not a number", "Easter Bakes", "Families planning Easter brunch")
	for _, c := range []struct{ typed, want string }{
		{"-250", "budget: \"-250\" is below 0"},
		{"99999999999999999", "budget: \"99999999999999999\" is too large"},
	} {
		h.clearField()
		h.typeText(c.typed)
		h.press("ctrl+s")
		h.requireInView(c.want, "Easter Bakes")
	}
	h.clearField()
	h.typeText("250")
	h.press("ctrl+s")
	// The store says what is wrong with the dates: the cursor is there, and
	// nothing typed is gone.
	h.requireInView("last day: it ends (2026-04-01) before it starts (2026-04-10)", "Easter Bakes", "250")
	if h.m.form.Err() == "" || h.m.top() != modeForm {
		t.Fatal("the form closed on an error")
	}
	h.clearField()
	h.typeText("2026-04-20")
	h.press("ctrl+s")
	if h.m.top() != modeDetail {
		t.Fatalf("after saving: mode %v, view:\n%s", h.m.top(), h.view())
	}
	c, err := h.st.CampaignBySlug(context.Background(), "easter-bakes")
	if err != nil {
		t.Fatal(err)
	}
	if c.StartsOn != "2026-04-10" || c.EndsOn != "2026-04-20" || c.BudgetCents != 25000 || c.Currency != "EUR" ||
		c.Audience != "Families planning Easter brunch" {
		t.Errorf("saved %+v", c)
	}
	if s := h.lastStatus(); !strings.Contains(s.Text, "created the campaign Easter Bakes") {
		t.Errorf("status %+v", s)
	}
	// A slug another campaign has is refused, with its name.
	h.press("e")
	h.focusField("slug")
	h.clearField()
	h.typeText("spring-sale")
	h.press("ctrl+s")
	h.requireInView("slug: \"spring-sale\" is \"Spring Sale\"'s slug already")
	h.press("esc")
	if h.m.top() != modeDetail {
		t.Fatalf("esc leaves the form: mode %v", h.m.top())
	}
}

func TestGoalFormRelativeAndAbsolute(t *testing.T) {
	h := newHarness(t, 120, 37)
	ctx := context.Background()
	h.press("j", "enter", "a")
	h.requireInView("New goal for Spring Sale")
	// The defaults: conversions +15% over as many days before the campaign.
	h.press("ctrl+s")
	gs, err := h.st.CampaignGoals(ctx, h.spring)
	if err != nil || len(gs) != 2 {
		t.Fatalf("goals %v %+v", err, gs)
	}
	g := gs[len(gs)-1]
	if g.Metric != store.GoalConversions || !g.Relative || g.Target != 1500 || g.BaselineFrom != day("2025-12-30") ||
		g.BaselineTo != day("2026-02-28") || g.Deadline != day("2026-04-30") {
		t.Errorf("the default goal: %+v", g)
	}
	// A money goal needs its currency; a bad metric names the choices.
	h.press("a")
	h.clearField()
	h.typeText("profit")
	h.press("ctrl+s")
	h.requireInView("\"profit\" is not a metric crier knows: one of link clicks, conversions")
	h.clearField()
	h.typeText("cpa")
	h.focusField("target")
	h.clearField()
	h.typeText("12.50")
	h.focusField("currency")
	h.clearField()
	h.press("ctrl+s")
	h.requireInView("target: cpa is counted in money: give the currency first")
	h.typeText("EUR")
	h.press("ctrl+s")
	gs, _ = h.st.CampaignGoals(ctx, h.spring)
	if len(gs) != 3 {
		t.Fatalf("the CPA goal was not saved:\n%s", h.view())
	}
	var cpa store.Goal
	for _, g := range gs {
		if g.Metric == store.GoalCPA {
			cpa = g
		}
	}
	if cpa.Relative || cpa.Target != 1250 || cpa.Currency != "EUR" {
		t.Errorf("CPA goal %+v", cpa)
	}
	h.requireInView("cost per acquisition at most €12.50 by 2026-04-30")
}

func TestParseTarget(t *testing.T) {
	for _, c := range []struct {
		in     string
		metric store.GoalMetric
		cur    string
		want   int64
		rel    bool
		errHas string
	}{
		{"+15%", store.GoalConversions, "", 1500, true, ""},
		{"-10%", store.GoalCPA, "EUR", -1000, true, ""},
		{"1,000", store.GoalFollowers, "", 1000, false, ""},
		{"32.5", store.GoalConversions, "", 32500, false, ""},
		{"450.00", store.GoalRevenue, "EUR", 45000, false, ""},
		{"€450", store.GoalRevenue, "EUR", 45000, false, ""},
		{"2.5%", store.GoalCTR, "", 250, false, ""},
		{"3.2", store.GoalROAS, "", 32000, false, ""},
		{"3.2×", store.GoalROAS, "", 32000, false, ""},
		{"150%", store.GoalROI, "", 15000, false, ""},
		{"+20%", store.GoalROI, "", 2000, false, ""}, // ROI is a percentage itself
		{"2.5", store.GoalCTR, "", 0, false, "as a percentage"},
		{"12.3456", store.GoalRevenue, "EUR", 0, false, "more decimals"},
		// As a person types money where a comma is the decimal mark; a
		// number that reads two ways is refused, not guessed.
		{"450,50", store.GoalRevenue, "EUR", 45050, false, ""},
		{"1.234,56 €", store.GoalRevenue, "EUR", 123456, false, ""},
		{"1 234,5", store.GoalRevenue, "EUR", 123450, false, ""},
		{"12.345", store.GoalRevenue, "EUR", 0, false, "reads two ways (12345 or 12.345)"},
		{"12,345", store.GoalRevenue, "EUR", 0, false, "reads two ways (12345 or 12.345)"},
		{"2,5%", store.GoalCTR, "", 250, false, ""},
		{"+2,5%", store.GoalConversions, "", 250, true, ""},
		{"3,5×", store.GoalROAS, "", 35000, false, ""},
		{"1.000", store.GoalFollowers, "", 1000, false, ""},
		{"1,000", store.GoalFollowers, "", 1000, false, ""},
		{"lots", store.GoalLinkClicks, "", 0, false, "not a whole number"},
		{"", store.GoalLinkClicks, "", 0, false, "give a target"},
		// Numbers no goal can reach, or that are none: refused, never a
		// wrapped-round or NaN target.
		{"1e30", store.GoalConversions, "", 0, false, "too large"},
		{"NaN", store.GoalConversions, "", 0, false, "not a number"},
		{"+Inf%", store.GoalConversions, "", 0, false, "not a change"},
		{"+1e20%", store.GoalConversions, "", 0, false, "too large"},
		{"9223372036854775807", store.GoalFollowers, "", 0, false, "too large"},
		{"-5", store.GoalFollowers, "", 0, false, "below 0"},
		{"99999999999999999", store.GoalRevenue, "EUR", 0, false, "too large"},
		{"1e20%", store.GoalCTR, "", 0, false, "too large"},
		{"1e20", store.GoalROAS, "", 0, false, "too large"},
	} {
		got, rel, err := parseTarget(c.in, c.metric, c.cur)
		switch {
		case c.errHas != "":
			if err == nil || !strings.Contains(err.Error(), c.errHas) {
				t.Errorf("%q %s: err %v, want %q", c.in, c.metric, err, c.errHas)
			}
		case err != nil || got != c.want || rel != c.rel:
			t.Errorf("%q %s = %d %v %v, want %d %v", c.in, c.metric, got, rel, err, c.want, c.rel)
		}
	}
}

func TestTypedInEntry(t *testing.T) {
	h := newHarness(t, 120, 37)
	h.press("j", "m")
	h.requireInView("Type in a figure", "spring-sale")
	h.press("ctrl+s")
	h.requireInView("say what it was")
	h.focusField("where")
	h.typeText("market")
	h.focusField("what")
	h.typeText("Stall at the market")
	h.focusField("spend")
	h.typeText("30")
	h.focusField("revenue")
	h.typeText("80.5")
	// A slug no campaign has is refused, naming it.
	h.focusField("campaign")
	h.clearField()
	h.typeText("no-such")
	h.press("ctrl+s")
	h.requireInView(`no campaign has the slug "no-such" (empty: none)`)
	h.focusField("campaign")
	h.clearField()
	h.typeText("spring-sale")
	h.press("ctrl+s")
	if h.m.top() != modeList {
		t.Fatalf("not saved:\n%s", h.view())
	}
	tot, err := h.st.MarketingTotals(context.Background(), store.MarketingFilter{Campaign: h.spring}.EveryDay())
	if err != nil {
		t.Fatal(err)
	}
	if got := tot.Spend.In("EUR").Minor; got != 5600+3000 {
		t.Errorf("spend %d", got)
	}
	if got := tot.Revenue.In("EUR").Minor; got != 11500+8050 {
		t.Errorf("revenue %d", got)
	}
	h.requireInView("spend €86.00")
}

func TestImportPreviewThenConfirm(t *testing.T) {
	h := newHarness(t, 120, 37)
	dir := t.TempDir()
	path := filepath.Join(dir, "sales.csv")
	must(t, os.WriteFile(path, []byte("date,campaign,source,content,clicks,conversions,revenue,spend,currency\r\n"+
		"2026-03-20,spring-sale,mastodon,post-1,10,2,50.00,0,EUR\r\n"+
		"2026-03-21,spring-sale,bluesky,post-1-a2,5,1,20.00,0,EUR\r\n"), 0o644))
	h.press("i")
	h.typeText(path)
	h.press("ctrl+s")
	h.requireInView("Import sales.csv?", "2 lines as plain (your sheet)", "link clicks 15", "conversions 3", "revenue €70.00",
		"spring-sale → Spring Sale (2)", "nothing is saved until you say so")
	before, _ := h.st.MarketingTotals(context.Background(), store.MarketingFilter{Campaign: h.spring}.EveryDay())
	h.press("n")
	after, _ := h.st.MarketingTotals(context.Background(), store.MarketingFilter{Campaign: h.spring}.EveryDay())
	if before.Conversions != after.Conversions || h.m.top() != modeList {
		t.Fatalf("n imported something: %v -> %v", before.Conversions, after.Conversions)
	}
	h.press("i", "ctrl+s", "y")
	if s := h.lastStatus(); !strings.Contains(s.Text, "imported sales.csv: 2 lines written") {
		t.Errorf("status %+v", s)
	}
	after, _ = h.st.MarketingTotals(context.Background(), store.MarketingFilter{Campaign: h.spring}.EveryDay())
	if after.Conversions.V != before.Conversions.V+3000 {
		t.Errorf("conversions %v -> %v", before.Conversions, after.Conversions)
	}
	// The same file again replaces its rows: nothing counts twice.
	h.press("i", "ctrl+s")
	h.requireInView("this very file was imported before")
	h.press("y")
	again, _ := h.st.MarketingTotals(context.Background(), store.MarketingFilter{Campaign: h.spring}.EveryDay())
	if again.Conversions != after.Conversions {
		t.Errorf("imported twice: %v -> %v", after.Conversions, again.Conversions)
	}
}

func TestImportBadLineNamesItAndSavesNothing(t *testing.T) {
	h := newHarness(t, 120, 37)
	path := filepath.Join(t.TempDir(), "bad.csv")
	must(t, os.WriteFile(path, []byte("date,campaign,source,content,clicks,conversions,revenue,spend,currency\n"+
		"2026-03-20,spring-sale,mastodon,post-1,10,2,50.00,0,EUR\n"+
		"2026-03-21,spring-sale,bluesky,post-1-a2,five,1,20.00,0,EUR\n"), 0o644))
	h.press("i")
	h.typeText(path)
	h.press("ctrl+s")
	h.requireInView("bad.csv, line 3", "clicks", path)
	if h.m.top() != modeForm {
		t.Fatalf("the form closed on a bad file: %v", h.m.top())
	}
}

func TestImportMappingIsRemembered(t *testing.T) {
	h := newHarness(t, 120, 37)
	path := filepath.Join(t.TempDir(), "till.csv")
	must(t, os.WriteFile(path, []byte("Tag;Aktion;Quelle;Klicks;Verkäufe;Umsatz\n"+
		"20.03.2026;spring-sale;market;12;2;40,00\n21.03.2026;spring-sale;market;8;1;20,00\n"), 0o644))
	h.press("i")
	h.typeText(path)
	h.focusField("currency")
	h.typeText("EUR")
	h.press("ctrl+s")
	h.requireInView("Map the columns of till.csv", "Tag", "Aktion")
	// Set each column by what it holds.
	want := map[string]string{"Tag": "date", "Aktion": "campaign", "Quelle": "source", "Klicks": "clicks",
		"Verkäufe": "conversions", "Umsatz": "revenue"}
	for i, col := range h.m.imp.header {
		for n := 0; string(h.m.imp.fields[i]) != want[col] && n < 20; n++ {
			h.press("right")
		}
		h.press("down")
	}
	h.press("enter")
	h.requireInView("Import till.csv?", "your mapping “till”", "conversions 3", "revenue €60.00")
	h.press("y")
	// The next file with the same header goes straight to its preview.
	h.press("i", "ctrl+s")
	h.requireInView("Import till.csv?", "your mapping “till”")
}

func TestExportWritesTheReport(t *testing.T) {
	h := newHarness(t, 120, 37)
	dir := t.TempDir()
	h.press("j", "x")
	h.requireInView("Export the report of Spring Sale", "crier-report-spring-sale-2026-04-02.html")
	h.focusField("file")
	h.clearField()
	h.typeText(filepath.Join(dir, "nowhere", "r.html"))
	h.press("ctrl+s")
	h.requireInView("there is no folder " + filepath.Join(dir, "nowhere"))
	h.clearField()
	h.typeText(filepath.Join(dir, "spring.md"))
	h.focusField("format")
	h.clearField()
	h.typeText("md")
	h.press("ctrl+s")
	if s := h.lastStatus(); s.Text != "wrote the report to "+filepath.Join(dir, "spring.md") {
		t.Fatalf("status %+v\n%s", s, h.view())
	}
	b, err := os.ReadFile(filepath.Join(dir, "spring.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "Spring Sale") {
		t.Errorf("the report:\n%s", b)
	}
}

func TestStaleAnswersAreDropped(t *testing.T) {
	h := newHarness(t, 120, 37)
	old := h.m.seq
	cmd := h.m.load() // a newer load is asked for: the old seq's answer is stale
	h.m.Update(listMsg{seq: old, rows: []analytics.CampaignRow{{Campaign: store.Campaign{Name: "Stale"}}}})
	if strings.Contains(h.view(), "Stale") {
		t.Error("a stale answer was shown")
	}
	h.settle(cmd)
	h.requireInView("Spring Sale")
}

// The posts page from the store a post at a time, however many there are:
// the end is the oldest, the start the newest, every post once.
func TestPostsPageThroughMany(t *testing.T) {
	h := newHarness(t, 120, 37)
	ctx := context.Background()
	for i := 0; i < 250; i++ {
		if _, err := h.st.SaveDraft(ctx, store.Post{Body: fmt.Sprintf("Summer post %03d", i), CampaignID: h.summer,
			Targets: []store.Target{{AccountID: h.mastodon}, {AccountID: h.bluesky}}}, now.Add(time.Duration(i)*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	h.press("r", "g", "enter", "p") // Summer Fest is first: the latest to start
	h.requireInView("Posts of Summer Fest", "Summer post 249")
	if got := h.m.posts.Total(); got != 250 {
		t.Fatalf("%d posts in the list, want 250", got)
	}
	h.press("G")
	h.requireInView("Summer post 000")
	seen := map[int]bool{}
	h.press("g")
	for i := 0; i < 260; i++ {
		r, ok := h.m.posts.Selected()
		if !ok {
			t.Fatalf("row %d not loaded", h.m.posts.Cursor())
		}
		var n int
		fmt.Sscanf(r.copies[0].Text, "Summer post %d", &n)
		if seen[n] || len(r.copies) != 2 {
			t.Fatalf("post %d seen twice, or with %d copies", n, len(r.copies))
		}
		seen[n] = true
		if h.m.posts.Cursor() == h.m.posts.Total()-1 {
			break
		}
		h.press("j")
	}
	if len(seen) != 250 {
		t.Errorf("walked %d posts, want 250", len(seen))
	}
}

// o edits the goal chosen with ←/→; enter on a goal of the business (in
// no campaign) in the list edits it too.
func TestEditGoals(t *testing.T) {
	h := newHarness(t, 120, 37)
	ctx := context.Background()
	h.press("j", "enter", "o")
	h.requireInView("Edit goal: conversions +15% over 2025-12-31 – 2026-02-28 by 2026-04-30", "2025-12-31 – 2026-02-28")
	h.focusField("target")
	h.clearField()
	h.typeText("+20%")
	h.press("ctrl+s")
	gs, err := h.st.CampaignGoals(ctx, h.spring)
	if err != nil || len(gs) != 1 {
		t.Fatalf("%v %+v", err, gs)
	}
	if g := gs[0]; g.Target != 2000 || !g.Relative || g.BaselineFrom != day("2025-12-31") || g.BaselineTo != day("2026-02-28") {
		t.Errorf("edited goal %+v", g)
	}
	h.requireInView("conversions +20% over")

	h.press("esc", "G")
	h.requireInView("A goal of the business (no campaign)")
	h.press("enter")
	h.requireInView("Edit goal: 1,600 followers by 2026-06-30")
	h.focusField("deadline")
	h.clearField()
	h.typeText("2026-02-01")
	h.press("ctrl+s")
	h.requireInView("deadline: 2026-02-01 is before the goal starts (2026-03-01)")
	h.clearField()
	h.typeText("2026-07-31")
	h.press("ctrl+s")
	h.requireInView("goal: 1,600 followers by 2026-07-31")
}

// Editing a campaign keeps what the form does not show, and a baseline
// typed with hyphens reads as well as with a dash.
func TestEditKeepsWhatTheFormDoesNotShow(t *testing.T) {
	h := newHarness(t, 120, 37)
	ctx := context.Background()
	c, _ := h.st.Campaign(ctx, h.winter)
	c.Goal = "old notes: 40 loaves a week"
	must(t, h.st.UpdateCampaign(ctx, c, now))
	// Open Spring Sale's detail first, so the detail holds another one.
	h.press("j", "enter", "esc", "j", "e")
	h.requireInView("Edit Winter Bakes")
	h.focusField("audience")
	h.typeText("Office lunches")
	h.press("ctrl+s")
	c, _ = h.st.Campaign(ctx, h.winter)
	if c.Goal != "old notes: 40 loaves a week" || c.Audience != "Office lunches" || c.BudgetCents != 20000 {
		t.Errorf("edited %+v", c)
	}
	h.press("esc", "a")
	h.focusField("baseline")
	h.typeText("2025-12-01 - 2025-12-31")
	h.press("ctrl+s")
	gs, _ := h.st.CampaignGoals(ctx, h.winter)
	if len(gs) != 1 || gs[0].BaselineFrom != day("2025-12-01") || gs[0].BaselineTo != day("2025-12-31") {
		t.Fatalf("goals %+v\n%s", gs, h.view())
	}
	// An absolute target with a baseline says which to change.
	h.press("a")
	h.focusField("target")
	h.clearField()
	h.typeText("40")
	h.focusField("baseline")
	h.typeText("2026-01-01 – 2026-01-31")
	h.press("ctrl+s")
	h.requireInView("only a change (+15%) is measured against a baseline", "2026-01-01 – 2026-01-31")
}

// d asks before it deletes a goal; n keeps it.
func TestDeleteGoalAsks(t *testing.T) {
	h := newHarness(t, 120, 37)
	ctx := context.Background()
	h.press("j", "enter", "d")
	h.requireInView("Delete this goal?", "conversions +15% over")
	h.press("n")
	if gs, _ := h.st.CampaignGoals(ctx, h.spring); len(gs) != 1 {
		t.Fatalf("n deleted it: %+v", gs)
	}
	h.press("d", "y")
	if gs, _ := h.st.CampaignGoals(ctx, h.spring); len(gs) != 0 {
		t.Fatalf("y did not delete it: %+v", gs)
	}
	h.requireInView("none yet: press a")
	if s := h.lastStatus(); !strings.Contains(s.Text, "deleted the goal: conversions +15%") {
		t.Errorf("status %+v", s)
	}
	// A goal of the business, from the list.
	h.press("esc", "G", "d", "y")
	if gs, _ := h.st.Goals(ctx, day("2026-04-02")); len(gs) != 0 {
		t.Errorf("goals left %+v", gs)
	}
}

// D asks before it deletes a campaign, saying what stays (its posts, just
// out of the campaign; its rows and links) and what goes (its goals); n
// keeps it; y from its detail deletes it and goes back to the list, and
// nothing it held is lost.
func TestDeleteCampaignAsksAndKeepsItsPosts(t *testing.T) {
	h := newHarness(t, 120, 37)
	ctx := context.Background()
	f, err := h.st.CampaignFootprint(ctx, h.spring)
	if err != nil {
		t.Fatal(err)
	}
	if f.Posts != 2 || f.Goals != 1 || f.Rows == 0 {
		t.Fatalf("the fixture's Spring Sale holds %+v", f)
	}
	before, err := h.st.MarketingTotals(ctx, store.MarketingFilter{Campaign: store.AllCampaigns}.EveryDay())
	if err != nil {
		t.Fatal(err)
	}
	h.press("j", "D")
	h.requireInView("Delete the campaign Spring Sale (spring-sale)?", "Its 2 posts stay: nothing in them changes, they just",
		"leave the campaign", fmt.Sprintf("Its %d imported rows stay, counted in no campaign", f.Rows),
		"Deleted with it: its 1 goal.", "y deletes it")
	h.press("n")
	if _, err := h.st.Campaign(ctx, h.spring); err != nil {
		t.Fatalf("n deleted it: %v", err)
	}
	h.requireInView("Spring Sale")
	h.press("enter", "D", "y")
	if _, err := h.st.Campaign(ctx, h.spring); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("y did not delete it: %v", err)
	}
	if s := h.lastStatus(); !strings.Contains(s.Text, "deleted the campaign Spring Sale; its 2 posts stay, in no campaign") {
		t.Errorf("status %+v", s)
	}
	if h.m.top() != modeList || strings.Contains(h.view(), "Spring Sale") {
		t.Errorf("after the delete the pane shows:\n%s", h.view())
	}
	var kept int
	if err := h.st.DB().QueryRowContext(ctx, `SELECT count(*) FROM posts WHERE campaign_id IS NULL
		AND body IN ('Spring loaves are here: https://rosebakery.example/spring', 'Last week of the sale 🥖 https://rosebakery.example/sale')`).
		Scan(&kept); err != nil {
		t.Fatal(err)
	}
	if kept != 2 {
		t.Errorf("the campaign's posts after the delete: %d of 2 kept, as written, in no campaign", kept)
	}
	after, err := h.st.MarketingTotals(ctx, store.MarketingFilter{Campaign: store.AllCampaigns}.EveryDay())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(before, after) {
		t.Errorf("the figures of every row changed: %+v, before %+v", after, before)
	}
}

// Names a source gave (a network, an ad's content) that carry a line break
// or an escape sequence (rows stored before imports kept them on one line)
// are drawn on one line: each table row stays one row, at 120 and 80
// columns, in the detail and in the rows behind the figures.
func TestImportedNamesDrawOnOneLine(t *testing.T) {
	for _, w := range []int{120, 80} {
		t.Run(fmt.Sprint(w), func(t *testing.T) {
			h := newHarness(t, w, 37)
			ctx := context.Background()
			m, err := h.st.BeginImport(ctx, store.ImportBatch{Feed: "plain", Class: store.ClassSheet, Preset: "plain",
				Origin: "sheet\n.csv", ExportedAt: now}, now)
			must(t, err)
			must(t, m.Add(store.MarketingRow{Day: day("2026-03-13"), Campaign: "spring-sale", Source: "insta\ngram",
				Content: "Re\x1b[31mel\nsecond line", Clicks: store.Known(300), Line: 2}))
			_, err = m.Commit()
			must(t, err)
			h.press("r", "j", "enter")
			h.requireInView("Spring Sale")
			check := func(where string, lines []string) {
				t.Helper()
				for _, l := range lines {
					if strings.ContainsAny(l, "\n\r\x1b") {
						t.Errorf("%s: a line breaks or carries an escape: %q", where, l)
					}
				}
			}
			check("detail", h.m.lines)
			all := strings.Join(h.m.lines, "\n")
			if !strings.Contains(all, "insta gram") || !strings.Contains(all, "Reel second") {
				t.Errorf("the detail lacks the names on one line:\n%s", all)
			}
			h.press("t")
			check("rows", strings.Split(h.view(), "\n"))
			if v := h.view(); len(strings.Split(v, "\n")) > 37 {
				t.Errorf("the rows view is taller than the pane:\n%s", v)
			}
		})
	}
}

// A form closed before it was saved or cancelled (the SSH connection
// dropped, ctrl+c) keeps what was typed: the next session that opens the
// same form (here a new campaign, and a goal of Spring Sale) finds it
// there, and it is gone once saved or left with esc.
func TestFormClosedByQuitKeepsWhatWasTyped(t *testing.T) {
	h := newHarness(t, 80, 21)
	h.press("n")
	h.typeText("Easter Bakes")
	h.focusField("audience")
	h.typeText("Families planning Easter brunch")
	h.settle(h.send(common.BeforeQuitMsg{}))

	// Another session on the same database.
	reopen := func() {
		h.m = New(h.c)
		h.m.SetSize(80, 21)
		h.settle(h.m.Init())
	}
	reopen()
	h.press("n")
	h.requireInView("New campaign", "Easter Bakes", "Families planning Easter brunch")
	if s := h.lastStatus(); !strings.Contains(s.Text, "what you typed") {
		t.Errorf("status %+v: want it to say the typing came back", s)
	}
	// esc drops it: the form opens empty next time.
	h.press("esc")
	h.press("n")
	if strings.Contains(h.view(), "Easter Bakes") {
		t.Errorf("kept after esc:\n%s", h.view())
	}
	h.press("esc")

	// A goal's form, for one campaign, comes back for that campaign only.
	h.press("j", "enter", "a")
	h.requireInView("New goal for Spring Sale")
	h.focusField("target")
	h.clearField()
	h.typeText("+25%")
	h.settle(h.send(common.BeforeQuitMsg{}))
	reopen()
	h.press("k", "enter", "a") // Summer Fest: not this goal's campaign
	h.requireInView("New goal for Summer Fest")
	if strings.Contains(h.view(), "+25%") {
		t.Errorf("another campaign's goal form got it:\n%s", h.view())
	}
	h.press("esc", "esc", "j", "enter", "a")
	h.requireInView("New goal for Spring Sale", "+25%")
	h.press("ctrl+s")
	if h.m.top() == modeForm {
		t.Fatalf("the goal was not saved:\n%s", h.view())
	}
	h.press("a")
	if strings.Contains(h.view(), "+25%") {
		t.Errorf("kept after saving:\n%s", h.view())
	}
}

// A typed-in figure is read as an import's line is: a count or an amount
// too large for a day (which would stop every figure being read once
// added up), a negative spend, or conversions that are not a number are
// refused in their field, and nothing typed is lost.
func TestTypedInEntryRefusesWhatNoDayHas(t *testing.T) {
	h := newHarness(t, 120, 37)
	h.press("j", "m")
	h.focusField("where")
	h.typeText("market")
	h.focusField("what")
	h.typeText("Stall at the market")
	for _, c := range []struct{ field, value, want string }{
		{"clicks", "9223372036854775807", "clicks: \"9223372036854775807\" is too large"},
		{"conversions", "NaN", "conversions: \"NaN\" is not a number"},
		{"conversions", "1e300", "conversions: \"1e300\" is too large"},
		{"spend", "99999999999999999", "spend: \"99999999999999999\" is too large"},
		{"spend", "-30", "spend: \"-30\" is negative"},
		{"revenue", "99999999999999999", "revenue: \"99999999999999999\" is too large"},
	} {
		h.focusField(c.field)
		h.clearField()
		h.typeText(c.value)
		h.press("ctrl+s")
		h.requireInView(c.want, "Stall at the market")
		if h.m.top() != modeForm {
			t.Fatalf("%s %s was saved", c.field, c.value)
		}
		h.focusField(c.field)
		h.clearField()
	}
	var n int
	if err := h.st.DB().QueryRow("SELECT count(*) FROM marketing_rows WHERE content = 'Stall at the market'").Scan(&n); err != nil || n != 0 {
		t.Errorf("%d rows saved (%v)", n, err)
	}
}

// Figures typed as they are written where a comma is the decimal mark
// (Germany, Spain, France) are read as meant, as an import reads them:
// "45,50" is 45.50, not 4550, and never refused as not a number.
func TestTypedInEntryReadsADecimalComma(t *testing.T) {
	h := newHarness(t, 120, 37)
	h.press("j", "m")
	for field, value := range map[string]string{"where": "market", "what": "Stall at the market",
		"spend": "45,50", "revenue": "1.234,56 €", "clicks": "1.234", "conversions": "2,5"} {
		h.focusField(field)
		h.clearField()
		h.typeText(value)
	}
	h.press("ctrl+s")
	if h.m.top() == modeForm {
		t.Fatalf("the entry was not saved:\n%s", h.view())
	}
	var spend, revenue, clicks, conv int64
	if err := h.st.DB().QueryRow(`SELECT spend, revenue, clicks, conversions FROM marketing_rows
		WHERE content = 'Stall at the market'`).Scan(&spend, &revenue, &clicks, &conv); err != nil {
		t.Fatal(err)
	}
	if spend != 4550 || revenue != 123456 || clicks != 1234 || conv != 2500 {
		t.Errorf("saved spend %d, revenue %d, clicks %d, conversions %d (thousandths); want 4550, 123456, 1234, 2500", spend, revenue, clicks, conv)
	}
}

// Spend in another currency than the budget's is named in the list, never
// hidden behind "€0.00 / €200.00": crier does not convert it.
func TestListNamesSpendInAnotherCurrency(t *testing.T) {
	h := newHarness(t, 120, 37)
	m, err := h.st.BeginImport(context.Background(), store.ImportBatch{Feed: "meta_ads", Class: store.ClassAds, Preset: "meta_ads",
		Origin: "meta-usd.csv", ExportedAt: now}, now)
	must(t, err)
	must(t, m.Add(store.MarketingRow{Day: day("2026-01-20"), Campaign: "winter-bakes", Source: "facebook", Content: "ad",
		Currency: "USD", Spend: store.Known(2500), Clicks: store.Known(10), Line: 2}))
	_, err = m.Commit()
	must(t, err)
	h.press("r")
	for _, l := range strings.Split(h.view(), "\n") {
		if strings.HasPrefix(l, "Winter Bakes") && !strings.Contains(l, "$25.00") {
			t.Errorf("the USD spend is not named: %q", l)
		}
	}
}

// A link's count no source reported reads "—", not 0: a tagged link no
// export has named yet, an ad whose platform gave no conversions.
func TestLinkLineSaysWhatNoSourceReported(t *testing.T) {
	tagged := analytics.LinkFigures{ContentTotals: store.ContentTotals{Source: "mastodon", Content: "post-45"},
		Links: []store.TaggedLink{{Tagged: "https://bakery.example/shop?utm_source=mastodon"}}}
	tagged.CTR, tagged.ConversionRate = analytics.Ratio{}, analytics.Ratio{}
	ad := analytics.LinkFigures{ContentTotals: store.ContentTotals{Source: "instagram", Content: "Reel", Clicks: 113,
		Impressions: 9000, Reported: store.Reported{Impressions: true, Clicks: true}}}
	for _, c := range []struct {
		l         analytics.LinkFigures
		want, not string
	}{{tagged, "— clicks       — conv", "0 clicks"}, {ad, "113 clicks       — conv", "0 conv"}} {
		got := linkLine(c.l, 118)
		if !strings.Contains(got, c.want) || strings.Contains(got, c.not) {
			t.Errorf("linkLine = %q, want %q and no %q", got, c.want, c.not)
		}
	}
}

// The per-link list marks which numbers the figures count, as the rows
// view does: Instagram's ad platform counts its clicks (40, the network's
// figure) and web analytics its conversions, so the visits' 30 clicks and
// the ad's 1 result are marked as another source's.
func TestLinksMarkWhatTheFiguresCount(t *testing.T) {
	h := newHarness(t, 120, 37)
	h.press("j", "enter")
	h.requireInView("Spring Sale")
	all := strings.Join(h.m.lines, "\n")
	for _, want := range []string{"Per link · 3 with the most clicks of 3\n  " + analytics.CountingLegend,
		"Reel                          ✓40 clicks      ·1 conv", "reel                          ·30 clicks      ✓3 conv",
		"post-1                         ✓8 clicks      ✓1 conv"} {
		if !strings.Contains(all, want) {
			t.Errorf("the detail lacks %q:\n%s", want, all)
		}
	}
	// The counted clicks add up to each network's.
	counted := map[string]int64{}
	for _, l := range h.m.detail.Links {
		if l.Counted.Clicks == analytics.CountedAll {
			counted[l.Source] += l.Clicks
		}
	}
	for _, n := range h.m.detail.Networks {
		if n.Figures.LinkClicks.OK && counted[n.Source] != n.Figures.LinkClicks.V {
			t.Errorf("%s: counted links' clicks %d, the network's %d", n.Source, counted[n.Source], n.Figures.LinkClicks.V)
		}
	}
}
