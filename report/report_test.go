package report

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/store/storetest"
)

var (
	berlin, _ = time.LoadLocation("Europe/Berlin")
	rnow      = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
)

// fixture is a campaign with two sent posts (one per network, one with
// an "=" first, as a spreadsheet formula would), web analytics and ad
// platform rows, a goal and followers.
func fixture(t *testing.T) (*store.Store, int64) {
	t.Helper()
	ctx := context.Background()
	st := storetest.Open(t)
	m, _ := st.UpsertAccount(ctx, store.Account{Platform: store.PlatformMastodon, Handle: "@bakery@example.social"})
	b, _ := st.UpsertAccount(ctx, store.Account{Platform: store.PlatformBluesky, Handle: "bakery.example.com"})
	camp, err := st.CreateCampaign(ctx, store.Campaign{Name: "Spring <Sale> & \"Friends\"", Slug: "spring-sale", StartsOn: "2026-03-01",
		EndsOn: "2026-03-31", BudgetCents: 20000, Currency: "EUR", Audience: "neighbours who <b>love</b> rye"}, rnow)
	if err != nil {
		t.Fatal(err)
	}
	send := func(body string, acct int64, at time.Time, metrics store.Metrics) int64 {
		id, err := st.SaveDraft(ctx, store.Post{Body: body, CampaignID: camp, Targets: []store.Target{{AccountID: acct}}}, at.Add(-time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if err := st.QueuePost(ctx, id, at, "Europe/Berlin", at.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
		ds, err := st.PostDeliveries(ctx, id)
		if err != nil || len(ds) != 1 {
			t.Fatal(err)
		}
		if ok, err := st.ClaimDelivery(ctx, ds[0].ID, at); !ok || err != nil {
			t.Fatal(ok, err)
		}
		if err := st.MarkSent(ctx, ds[0].ID, store.RemoteRef{ID: "r" + body[:3]}, "https://example.social/@bakery/1", at); err != nil {
			t.Fatal(err)
		}
		if err := st.RecordMetrics(ctx, at.Add(time.Hour), map[int64]store.Metrics{ds[0].ID: metrics}); err != nil {
			t.Fatal(err)
		}
		return id
	}
	p1 := send("Rye loaves are back <script>alert(1)</script> https://bakery.example/rye", m,
		time.Date(2026, 3, 2, 8, 0, 0, 0, berlin), store.Metrics{Likes: 10, Reposts: 2, Replies: 1})
	p2 := send("=HYPERLINK(\"x\") spring pre-orders", b, time.Date(2026, 3, 3, 9, 0, 0, 0, berlin), store.Metrics{Likes: 30})
	for _, f := range []struct {
		acct int64
		at   time.Time
		n    int
	}{{m, time.Date(2026, 2, 28, 12, 0, 0, 0, time.UTC), 400}, {b, time.Date(2026, 2, 28, 12, 0, 0, 0, time.UTC), 600},
		{m, time.Date(2026, 3, 9, 12, 0, 0, 0, time.UTC), 420}, {b, time.Date(2026, 3, 9, 12, 0, 0, 0, time.UTC), 630}} {
		if err := st.RecordFollowers(ctx, f.acct, f.at, f.n); err != nil {
			t.Fatal(err)
		}
	}
	imp, err := st.BeginImport(ctx, store.ImportBatch{Feed: "plausible", Class: store.ClassAnalytics, Preset: "plausible", Origin: "api", ExportedAt: rnow}, rnow)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []store.MarketingRow{
		{Day: store.DateDay(2026, 3, 2), Campaign: "spring-sale", Source: "mastodon", Content: store.PostContent(p1, m, false),
			Sessions: store.Known(40), Clicks: store.Known(40), Conversions: store.Known(2000), Revenue: store.Known(9000), Currency: "EUR"},
		{Day: store.DateDay(2026, 3, 3), Campaign: "spring-sale", Source: "bluesky", Content: store.PostContent(p2, b, false),
			Sessions: store.Known(60), Clicks: store.Known(60), Conversions: store.Known(1000), Revenue: store.Known(4500), Currency: "EUR"},
	} {
		imp.Add(r)
	}
	if _, err := imp.Commit(); err != nil {
		t.Fatal(err)
	}
	imp, _ = st.BeginImport(ctx, store.ImportBatch{Feed: "meta_ads", Class: store.ClassAds, Preset: "meta_ads", Origin: "ads.csv", ExportedAt: rnow}, rnow)
	imp.Add(store.MarketingRow{Day: store.DateDay(2026, 3, 4), Campaign: "spring-sale", Source: "instagram", Content: "Reel",
		Impressions: store.Known(5000), Clicks: store.Known(100), Conversions: store.Known(2000), Spend: store.Known(5000), Currency: "EUR"})
	if _, err := imp.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddGoal(ctx, store.Goal{CampaignID: camp, Metric: store.GoalConversions, Target: 10000,
		StartsOn: store.DateDay(2026, 3, 1), Deadline: store.DateDay(2026, 3, 31)}, rnow); err != nil {
		t.Fatal(err)
	}
	return st, camp
}

func build(t *testing.T, st *store.Store, o Options) *Report {
	t.Helper()
	o.Zone, o.Now = berlin, rnow
	r, err := Build(context.Background(), st, o)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestCampaignReportFigures(t *testing.T) {
	st, camp := fixture(t)
	r := build(t, st, Options{Campaign: camp})
	// Running on 10 March: the report runs from its first day to today.
	if r.From != store.DateDay(2026, 3, 1) || r.To != store.DateDay(2026, 3, 10) || len(r.Days) != 10 || len(r.Posts) != 2 ||
		r.Engagement != 43 {
		t.Fatalf("report %+v", r)
	}
	f := r.Figures
	// 200 clicks; CTR only over the ad's 100 of 5,000 impressions; ROAS
	// €135 / €50.
	if f.LinkClicks.V != 200 || !f.CTR.OK || f.CTR.Value != 0.02 || f.ROAS.Value != 2.7 || len(r.Goals) != 1 {
		t.Errorf("figures %+v", f)
	}
	if r.FollowersStart.V != 1000 || r.FollowersEnd.V != 1050 {
		t.Errorf("followers %v %v", r.FollowersStart, r.FollowersEnd)
	}
}

// A campaign's rows on days outside its own (a sale from its link after
// it ended, an ad that started early) count in its figures: the whole
// campaign's report runs over those days too, so its days add up to its
// figures, and the span it names is the one they cover.
func TestCampaignReportDaysAddUpToItsFigures(t *testing.T) {
	st, camp := fixture(t)
	imp, err := st.BeginImport(context.Background(), store.ImportBatch{Feed: "sheet", Class: store.ClassSheet, Preset: "plain",
		Origin: "early.csv", ExportedAt: rnow}, rnow)
	if err != nil {
		t.Fatal(err)
	}
	imp.Add(store.MarketingRow{Day: store.DateDay(2026, 2, 25), Campaign: "spring-sale", Source: "flyer", Content: "a",
		Clicks: store.Known(7), Conversions: store.Known(1000), Revenue: store.Known(1500), Spend: store.Known(2000), Currency: "EUR"})
	if _, err := imp.Commit(); err != nil {
		t.Fatal(err)
	}
	r := build(t, st, Options{Campaign: camp})
	var clicks, conversions int64
	for _, d := range r.Days {
		clicks += d.Clicks
		conversions += d.Conversions
	}
	if r.From != store.DateDay(2026, 2, 25) || r.To != store.DateDay(2026, 3, 10) {
		t.Errorf("report from %s to %s, want 2026-02-25 (its first row) to today", r.From, r.To)
	}
	if clicks != r.Figures.LinkClicks.V || conversions != r.Figures.Conversions.V || r.Figures.LinkClicks.V != 207 {
		t.Errorf("the days add up to %d clicks and %d conversions; the figures say %v and %v (want 207 clicks)",
			clicks, conversions, r.Figures.LinkClicks, r.Figures.Conversions)
	}
	var md bytes.Buffer
	if err := r.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	if want := "25 Feb 2026 – 10 Mar 2026 (the campaign's days are 1 Mar 2026 – 31 Mar 2026; its rows on other days count too)"; !strings.Contains(md.String(), want) {
		t.Errorf("markdown lacks %q:\n%.400s", want, md.String())
	}
}

func TestCSV(t *testing.T) {
	st, camp := fixture(t)
	r := build(t, st, Options{Campaign: camp})
	var buf bytes.Buffer
	if err := r.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || strings.Join(rows[0], ",") != strings.Join(CSVHeader, ",") {
		t.Fatalf("rows %q", rows)
	}
	first := map[string]string{}
	for i, h := range CSVHeader {
		first[h] = rows[1][i]
	}
	want := map[string]string{"Date": "2026-03-02", "Time": "08:00", "Network": "Mastodon", "Campaign": "spring-sale",
		"Likes": "10", "Engagement": "13", "Link clicks": "40", "Sessions": "40", "Conversions": "2", "Revenue": "90.00", "Currency": "EUR"}
	for k, v := range want {
		if first[k] != v {
			t.Errorf("%s = %q, want %q", k, first[k], v)
		}
	}
	if post := rows[2][4]; !strings.HasPrefix(post, "'=HYPERLINK") {
		t.Errorf("a formula-like post is not kept as text: %q", post)
	}
}

func TestJSON(t *testing.T) {
	st, camp := fixture(t)
	r := build(t, st, Options{Campaign: camp})
	var buf bytes.Buffer
	if err := r.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	// Every key is snake_case.
	var walk func(v any, path string)
	walk = func(v any, path string) {
		switch x := v.(type) {
		case map[string]any:
			for k, c := range x {
				if k != strings.ToLower(k) || strings.ContainsAny(k, " -") {
					t.Errorf("%s.%s is not snake_case", path, k)
				}
				walk(c, path+"."+k)
			}
		case []any:
			for _, c := range x {
				walk(c, path+"[]")
			}
		}
	}
	walk(doc, "")
	var rep JSONReport
	if err := json.Unmarshal(buf.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Campaign == nil || rep.Campaign.Slug != "spring-sale" || rep.Figures.CTR == nil || *rep.Figures.CTR != 0.02 ||
		len(rep.Posts) != 2 || rep.Posts[0].Conversions != 2 || len(rep.Days) != 10 || rep.Days[3].Spend[0].Amount != "50.00" {
		t.Errorf("report %+v", rep)
	}
	// A figure that cannot be computed is null, with the reason.
	byNet := map[string]JSONFigures{}
	for _, n := range rep.Networks {
		byNet[n.Source] = n.Figures
	}
	if byNet["mastodon"].CTR != nil || !strings.Contains(byNet["mastodon"].NotAvailable["ctr"], "organic") {
		t.Errorf("mastodon CTR %+v", byNet["mastodon"])
	}
}

func TestHTMLIsSelfContained(t *testing.T) {
	st, camp := fixture(t)
	r := build(t, st, Options{Campaign: camp})
	var buf bytes.Buffer
	if err := r.WriteHTML(&buf); err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	var text strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			counts[n.Data]++
			for _, a := range n.Attr {
				switch {
				case a.Key == "src" || a.Key == "srcset" || a.Key == "xlink:href":
					t.Errorf("<%s %s=%q>: the file must load nothing", n.Data, a.Key, a.Val)
				case a.Key == "href" && n.Data != "a":
					t.Errorf("<%s href=%q>: the file must load nothing", n.Data, a.Val)
				case strings.HasPrefix(a.Key, "on"):
					t.Errorf("<%s %s>: no scripts", n.Data, a.Key)
				case a.Key == "href" && !strings.HasPrefix(a.Val, "https://"):
					t.Errorf("link %q", a.Val)
				}
			}
			if n.Data == "style" && n.FirstChild != nil {
				css := n.FirstChild.Data
				if strings.Contains(css, "url(") || strings.Contains(css, "@import") {
					t.Error("the style sheet fetches something")
				}
				if !strings.Contains(css, "@media print") {
					t.Error("no print styles")
				}
			}
		}
		if n.Type == html.TextNode {
			text.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	for _, banned := range []string{"script", "iframe", "img", "link", "object", "embed", "base"} {
		if counts[banned] > 0 {
			t.Errorf("%d <%s> elements", counts[banned], banned)
		}
	}
	if counts["svg"] < 3 || counts["table"] < 4 || counts["title"] < 4 {
		t.Errorf("charts and tables: %v", counts)
	}
	// What people wrote is text, never markup.
	body := text.String()
	for _, want := range []string{"Spring <Sale> & \"Friends\"", "neighbours who <b>love</b> rye", "<script>alert(1)</script>",
		"conversions", "Reel", "n/a"} {
		if !strings.Contains(body, want) {
			t.Errorf("the page does not read %q", want)
		}
	}
	if bytes.Contains(buf.Bytes(), []byte("<script>alert")) {
		t.Error("a post's text got into the page as markup")
	}
}

func TestMarkdownAndSpanReport(t *testing.T) {
	st, _ := fixture(t)
	r := build(t, st, Options{From: store.DateDay(2026, 3, 1), To: store.DateDay(2026, 3, 7)})
	if r.Campaign != nil || len(r.Days) != 7 || len(r.Posts) != 2 || len(r.Goals) != 1 || r.Figures.LinkClicks.V != 200 {
		t.Fatalf("span report %+v", r)
	}
	var buf bytes.Buffer
	if err := r.WriteMarkdown(&buf); err != nil {
		t.Fatal(err)
	}
	md := buf.String()
	for _, want := range []string{"# Social media 2026-03-01 to 2026-03-07", "| Link clicks | 200 |", "| CTR | 2.0% |",
		"| ROAS | 2.70× |", "## Goals", "## Per network", "## Top posts", `Rye loaves are back &lt;script&gt;`} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	if _, err := Build(context.Background(), st, Options{Zone: berlin, Now: rnow}); err == nil {
		t.Error("a span report without days")
	}
	for _, f := range []string{"md", "markdown", "CSV", ".html", "json"} {
		if _, err := ParseFormat(f); err != nil {
			t.Errorf("format %q: %v", f, err)
		}
	}
	if _, err := ParseFormat("pdf"); err == nil {
		t.Error("pdf")
	}
}

// What a report shows that came from outside (an imported sheet's names,
// written before imports kept them on one line; a post's text; the
// campaign's audience notes) carries no control character or escape
// sequence into the Markdown: printed to a terminal (crier report with no
// -o) they would act on it, and a line break ends a Markdown table row.
func TestReportsCarryNoControlCharacters(t *testing.T) {
	st, camp := fixture(t)
	ctx := context.Background()
	imp, err := st.BeginImport(ctx, store.ImportBatch{Feed: "plain", Class: store.ClassSheet, Preset: "plain", Origin: "sheet.csv", ExportedAt: rnow}, rnow)
	if err != nil {
		t.Fatal(err)
	}
	imp.Add(store.MarketingRow{Day: store.DateDay(2026, 3, 5), Campaign: "spring-sale", Source: "insta\ngram",
		Content: "Re\x1b[31mel\nsecond\x07 line", Clicks: store.Known(500), Conversions: store.Known(1000)})
	if _, err := imp.Commit(); err != nil {
		t.Fatal(err)
	}
	c, err := st.Campaign(ctx, camp)
	if err != nil {
		t.Fatal(err)
	}
	c.Audience = "neighbours\x1b]0;pwned\x07 who\r\nlove rye"
	if err := st.UpdateCampaign(ctx, c, rnow); err != nil {
		t.Fatal(err)
	}
	r := build(t, st, Options{Campaign: camp})
	var md bytes.Buffer
	if err := r.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(md.String(), "\n") {
		if strings.IndexFunc(l, func(r rune) bool { return r < 0x20 && r != '\t' }) >= 0 {
			t.Errorf("markdown line %d has a control character: %q", i+1, l)
		}
	}
	for _, want := range []string{"| Reel second line |", "For: neighbours who love rye"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("markdown lacks %q:\n%s", want, md.String())
		}
	}
}

// A campaign's report narrowed to some of its days (--from, --to) gives
// those days' figures everywhere: per network too, and clicks per follower
// from those days' clicks and the followers at their end; per link
// figures, kept for the whole campaign only, are left out and it says so.
func TestNarrowedCampaignReport(t *testing.T) {
	st, camp := fixture(t)
	r := build(t, st, Options{Campaign: camp, From: store.DateDay(2026, 3, 3), To: store.DateDay(2026, 3, 4)})
	if r.Figures.LinkClicks.V != 160 { // Bluesky's 60 on the 3rd, Instagram's 100 on the 4th
		t.Errorf("link clicks %v, want 160", r.Figures.LinkClicks)
	}
	var sources []string
	var clicks int64
	for _, n := range r.Networks {
		sources = append(sources, n.Source)
		clicks += n.Figures.LinkClicks.V
	}
	if strings.Join(sources, ",") != "bluesky,instagram" || clicks != 160 {
		t.Errorf("networks %v adding up to %d clicks, want bluesky and instagram, 160", sources, clicks)
	}
	// Bluesky's 60 clicks over the 1,000 followers at the end of the 4th.
	if cpf := r.Figures.ClicksPerFollower; !cpf.OK || cpf.Value != 0.06 {
		t.Errorf("clicks per follower %+v, want 0.06", cpf)
	}
	if len(r.Links) != 0 {
		t.Errorf("per link figures of the whole campaign in a part of it: %+v", r.Links)
	}
	var md bytes.Buffer
	if err := r.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"spent over the whole campaign", "Per link figures are kept for the whole campaign"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("markdown lacks %q:\n%s", want, md.String())
		}
	}
}

// A span longer than ten years is refused before anything is read: every
// day is a row of the chart and the JSON, and 0001-01-01 to 9999-12-31
// made a file of 470 MB in 4 GB of memory.
func TestSpanOfAtMostTenYears(t *testing.T) {
	st, _ := fixture(t)
	_, err := Build(context.Background(), st, Options{From: store.DateDay(1, 1, 1), To: store.DateDay(9999, 12, 31), Zone: berlin, Now: rnow})
	var se *SpanError
	if !errors.As(err, &se) || !strings.Contains(err.Error(), "at most ten years") {
		t.Fatalf("err %v, want a SpanError", err)
	}
	r := build(t, st, Options{From: store.DateDay(2016, 3, 10), To: store.DateDay(2026, 3, 10)}) // 3,653 days: the longest
	if len(r.Days) != MaxDays {
		t.Errorf("%d days, want %d", len(r.Days), MaxDays)
	}
}

// An always-on campaign's report runs to today, not to its last imported
// row (its posts since would be left out), and a budget whose use is n/a
// says why.
func TestAlwaysOnCampaignReport(t *testing.T) {
	st, _ := fixture(t)
	ctx := context.Background()
	camp, err := st.CreateCampaign(ctx, store.Campaign{Name: "Always on", Slug: "always-on", StartsOn: "2026-03-01",
		BudgetCents: 10000, Currency: "EUR"}, rnow)
	if err != nil {
		t.Fatal(err)
	}
	imp, err := st.BeginImport(ctx, store.ImportBatch{Feed: "meta_ads", Class: store.ClassAds, Preset: "meta_ads", Origin: "usd.csv", ExportedAt: rnow}, rnow)
	if err != nil {
		t.Fatal(err)
	}
	imp.Add(store.MarketingRow{Day: store.DateDay(2026, 3, 2), Campaign: "always-on", Source: "facebook", Content: "ad",
		Clicks: store.Known(10), Spend: store.Known(2500), Currency: "USD"})
	if _, err := imp.Commit(); err != nil {
		t.Fatal(err)
	}
	r := build(t, st, Options{Campaign: camp})
	if r.From != store.DateDay(2026, 3, 1) || r.To != store.DateDay(2026, 3, 10) {
		t.Errorf("report from %s to %s, want 2026-03-01 to today, 2026-03-10", r.From, r.To)
	}
	var md bytes.Buffer
	if err := r.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "spend is in USD, the budget in EUR") {
		t.Errorf("the budget's n/a says nothing:\n%s", md.String())
	}
}

// A link's count no source reported reads as unknown, not 0: the ad
// platform gives no sessions for its ad, so the per-link table says "—"
// and the JSON null, where the visits' row has its sessions.
func TestLinkCountsNoSourceReportedAreUnknown(t *testing.T) {
	st, camp := fixture(t)
	r := build(t, st, Options{Campaign: camp})
	var md bytes.Buffer
	if err := r.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	if want := "| Instagram | Reel | ✓100 | — | ✓2 | — |"; !strings.Contains(md.String(), want) {
		t.Errorf("markdown has no %q:\n%s", want, md.String())
	}
	if want := "| ✓40 | ✓40 | ✓2 | ✓€90.00 |"; !strings.Contains(md.String(), want) {
		t.Errorf("markdown has no %q:\n%s", want, md.String())
	}
	var js bytes.Buffer
	if err := r.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Links []struct {
			Content     string
			Impressions *int64
			LinkClicks  *int64 `json:"link_clicks"`
			Sessions    *int64
		}
	}
	if err := json.Unmarshal(js.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	for _, l := range got.Links {
		ad := l.Content == "Reel"
		if ad != (l.Sessions == nil) || ad != (l.Impressions != nil) || l.LinkClicks == nil {
			t.Errorf("link %s: impressions %v, sessions %v, clicks %v", l.Content, l.Impressions, l.Sessions, l.LinkClicks)
		}
	}
	var h bytes.Buffer
	if err := r.WriteHTML(&h); err != nil {
		t.Fatal(err)
	}
	if want := `<td>Reel</td><td></td><td class="num">✓100</td><td class="num">—</td>`; !strings.Contains(h.String(), want) {
		t.Errorf("the HTML has no %s", want)
	}
}

// Where web analytics and the ad platform both report Instagram's clicks
// and conversions, the per-link table marks which count: the ad's clicks
// (the network's figure) and the visits' conversions; the others are
// marked as another source's, and the note says so. The JSON says it in
// words.
func TestLinksSayWhichNumbersCount(t *testing.T) {
	st, camp := fixture(t)
	ctx := context.Background()
	imp, err := st.BeginImport(ctx, store.ImportBatch{Feed: "plausible", Class: store.ClassAnalytics, Preset: "plausible",
		Origin: "api", ExportedAt: rnow.Add(time.Minute)}, rnow)
	if err != nil {
		t.Fatal(err)
	}
	if err := imp.Add(store.MarketingRow{Day: store.DateDay(2026, 3, 4), Campaign: "spring-sale", Source: "instagram",
		Content: "reel", Sessions: store.Known(70), Clicks: store.Known(70), Conversions: store.Known(3000)}); err != nil {
		t.Fatal(err)
	}
	if _, err := imp.Commit(); err != nil {
		t.Fatal(err)
	}
	r := build(t, st, Options{Campaign: camp})
	var md bytes.Buffer
	if err := r.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| Instagram | 100 | 5,000 | 2.0% | 70 | 3 |", "| Instagram | Reel | ✓100 | — | ·2 | — |",
		"| Instagram | reel | ·70 | ✓70 | ✓3 | — |", "· another source's number counts instead"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("markdown has no %q:\n%s", want, md.String())
		}
	}
	var js bytes.Buffer
	if err := r.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Links []struct {
			Content string
			Counted map[string]string
		}
	}
	if err := json.Unmarshal(js.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]string{
		"Reel": {"impressions": "counted", "link_clicks": "counted", "conversions": "another source counts instead", "spend": "counted"},
		"reel": {"link_clicks": "another source counts instead", "sessions": "counted", "conversions": "counted"},
	}
	for _, l := range got.Links {
		if w, ok := want[l.Content]; ok && !reflect.DeepEqual(l.Counted, w) {
			t.Errorf("link %s counted %v, want %v", l.Content, l.Counted, w)
		}
	}
}
