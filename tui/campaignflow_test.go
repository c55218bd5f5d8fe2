package tui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/tuitest"
)

// TestCampaignFlow is the marketing half as a person uses it, in the
// whole program (teatest): create a campaign, give it a +15% conversions
// goal, write a post in it whose link to the bakery's site the composer
// shows tagged, import a web analytics export (GA4) and an ads export
// (Meta Ads Manager), read CTR, conversion rate, ROI and the goal's
// projection, and export the HTML report.
//
// By hand: the business had 5 + 3 = 8 conversions in March (the goal's
// baseline, as long as its 30 days of April): the target is 9.2. In April,
// to the 20th, GA4 reports 3 + 2 + 2 = 7 conversions from 50 + 30 + 20 =
// 100 sessions (conversion rate 7.0%) and €150 + €100 + €45 = €295
// revenue; Meta reports 2,000 + 1,000 impressions, 45 + 30 link clicks
// and €30 + €20 spend on Instagram. CTR: 75 / 3,000 = 2.5%; ROI: (295 -
// 50) / 50 = 490.0%; budget €200: 25.0% spent. The goal's trend: 7 in 20
// days, 0.35 a day, gives 7 + 3.5 = 10.5 by 30 April: on track, reaching
// 9.2 after ceil(2.2 / 0.35) = 7 more days, on 27 April.
func TestCampaignFlow(t *testing.T) {
	ctx := context.Background()
	st := tuitest.Store(t)
	for _, a := range []store.Account{
		{Platform: store.PlatformMastodon, Handle: "rosebakery", Server: "mastodon.social"},
		{Platform: store.PlatformBluesky, Handle: "rosebakery.bsky.social"},
	} {
		if _, err := st.UpsertAccount(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Date(2026, 4, 20, 10, 0, 0, 0, tuitest.Berlin)
	clock := tuitest.NewClock(now)
	dir := t.TempDir()
	ga4 := filepath.Join(dir, "Free form 1.csv")
	write(t, ga4, "# ----------------------------------------\r\n# Free form 1\r\n# Property: rosebakery.example\r\n\r\n"+
		"Session campaign,Session source,Session manual ad content,Date,Sessions,Key events,Total revenue\r\n"+
		",,,,1100,15,535.00\r\n"+
		"winter-promo,mastodon,post-3,20260310,600,5,100.00\r\n"+
		"winter-promo,bluesky,post-3-a2,20260320,400,3,40.00\r\n"+
		"spring-sale,instagram,spring-reel,20260405,50,3,150.00\r\n"+
		"spring-sale,instagram,spring-reel,20260412,30,2,100.00\r\n"+
		"spring-sale,mastodon,post-7,20260415,20,2,45.00\r\n")
	meta := filepath.Join(dir, "Rose-Bakery-Campaigns-Apr-1-2026-Apr-20-2026.csv")
	write(t, meta, "\ufeffCampaign name,Day,Platform,Ad name,Amount spent (EUR),Impressions,Reach,Link clicks,Results,Result indicator\n"+
		"Spring Sale,2026-04-05,instagram,spring-reel,30.00,2000,1500,45,2,actions:offsite_conversion.fb_pixel_purchase\n"+
		"Spring Sale,2026-04-12,instagram,spring-reel,20.00,1000,800,30,1,actions:offsite_conversion.fb_pixel_purchase\n")

	c := testCommon(t, st, clock)
	c.Settings.MarketingDomains = []string{"rosebakery.example"}
	app := tuitest.Start(t, clock, New(c, nil), 120, 40)
	app.Press("5")
	waitAll(app, "No campaigns yet")

	// A campaign: a name, its days, a budget.
	app.Press("n")
	waitAll(app, "New campaign")
	app.Type("Spring Sale")
	app.Press("tab", "tab")
	app.Type("2026-04-01")
	app.Press("tab")
	app.Type("2026-04-30")
	app.Press("tab")
	app.Type("200")
	app.Press("tab")
	app.Type("EUR")
	app.Press("tab")
	app.Type("Neighbours who buy bread on Saturdays")
	app.Press("ctrl+s")
	waitAll(app, "Spring Sale · spring-sale · running", "budget €200.00")

	// Its goal: conversions +15% over the 30 days before it (the form's
	// defaults for a campaign).
	app.Press("a")
	waitAll(app, "New goal for Spring Sale", "+15%", "2026-04-01", "2026-04-30", "spring-sale")
	app.Press("ctrl+s")
	waitAll(app, "conversions +15% over 2026-03-02 – 2026-03-31 by 2026-04-30", "no data")

	// A post in the campaign: its link to the bakery's site goes out
	// tagged, and the composer shows the link each network gets.
	app.Press("2", "n")
	waitAll(app, "Campaign none")
	app.Type("Spring loaves, order ahead: https://rosebakery.example/spring")
	app.Press("shift+tab", "right")
	waitAll(app, "Campaign Spring Sale · spring-sale",
		"mastodon: https://rosebakery.example/spring?utm_source=mastodon&utm_medium=social&utm_campaign=spring-sale&utm_",
		"content=post-1", // the line wraps there
		"bluesky: the same with utm_source=bluesky")
	app.Press("esc")
	waitAll(app, "Spring loaves, order ahead")
	app.Press("5")
	waitAll(app, "Posts · 1 post", "Spring loaves, order ahead")

	// The GA4 export names no currency: the preview asks, nothing is lost.
	app.Press("i")
	waitAll(app, "Import a CSV file")
	app.Type(ga4)
	app.Press("ctrl+s")
	waitAll(app, "has no currency")
	app.Type("EUR")
	app.Press("ctrl+s")
	waitAll(app, "Import Free form 1.csv?", "5 lines as ga4 (web analytics)", "sessions 1,100", "conversions 15",
		"spring-sale → Spring Sale (3)", "a totals line")
	app.Press("y")
	waitAll(app, "imported Free form 1.csv: 5 lines written")

	// The Meta export: its spend, impressions and link clicks.
	app.Press("i")
	waitAll(app, "Import a CSV file")
	app.Press("ctrl+e", "ctrl+u")
	app.Type(meta)
	app.Press("ctrl+s")
	waitAll(app, "2 lines as meta_ads (ad platform)", "spend €50.00", "Spring Sale → Spring Sale (2)")
	app.Press("enter")
	waitAll(app, "2 lines written")

	// The figures, and the goal's projection.
	waitAll(app, "CTR 2.5%", "conv rate 7.0% of sessions", "ROI 490.0%", "ROAS 5.90×", "budget 25.0%",
		"now 7 · baseline 8 · target 9.2", "projected 10.5 by 2026-04-30", "on track: reaches it 2026-04-27",
		"CTR: 75 link clicks where impressions are known ÷ 3,000 impressions")

	// The HTML report, written where asked and said so.
	out := filepath.Join(dir, "spring.html")
	app.Press("x")
	waitAll(app, "Export the report of Spring Sale", "format  html")
	app.Press("tab", "ctrl+e", "ctrl+u")
	app.Type(out)
	app.Press("ctrl+s")
	waitAll(app, "wrote the report to "+out)
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := html.Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	var title, text strings.Builder
	var svgs, scripts, remote int
	var walk func(n *html.Node, inTitle bool)
	walk = func(n *html.Node, inTitle bool) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "svg":
				svgs++
			case "script":
				scripts++
			case "title":
				inTitle = true
			}
			for _, a := range n.Attr {
				if (a.Key == "src" || a.Key == "href") && strings.Contains(a.Val, "://") {
					remote++
				}
			}
		}
		if n.Type == html.TextNode {
			text.WriteString(n.Data + " ")
			if inTitle {
				title.WriteString(n.Data)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inTitle)
		}
	}
	walk(doc, false)
	if !strings.Contains(title.String(), "Spring Sale") {
		t.Errorf("the report's title: %q", title.String())
	}
	if svgs == 0 || scripts != 0 || remote != 0 {
		t.Errorf("the report has %d charts, %d scripts, %d remote links: want charts, no scripts, nothing loaded", svgs, scripts, remote)
	}
	for _, want := range []string{"2.5%", "7.0%", "490.0%", "9.2"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	app.Quit()
}

// waitAll waits until the screen shows every one of what.
func waitAll(app *tuitest.App, what ...string) {
	app.WaitFor(strings.Join(what, " and "), func(view string) bool {
		for _, w := range what {
			if !strings.Contains(view, w) {
				return false
			}
		}
		return true
	})
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}
