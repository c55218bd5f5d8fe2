package report

import (
	"fmt"
	"html"
	"html/template"
	"io"
	"math"
	"strings"

	"github.com/crier-app/crier/analytics"
	"github.com/crier-app/crier/money"
	"github.com/crier-app/crier/store"
)

// The HTML report is one file: its style sheet and charts (SVG) are in it,
// it has no script and loads nothing, so it opens offline, can be mailed,
// and prints on A4 or Letter (the charts scale, rows do not split across
// pages).

const css = `
:root { --ink: #1d1d1f; --muted: #6b6b70; --line: #d9d9de; --accent: #b5542b; --accent2: #2f6f8f; --ok: #2e7d4f; --bad: #b3261e; }
* { box-sizing: border-box; }
body { font: 15px/1.45 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink);
       max-width: 60rem; margin: 2rem auto; padding: 0 1.25rem; }
h1 { font-size: 1.7rem; margin: 0 0 .2rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 .6rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
.sub { color: var(--muted); margin: 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(9.5rem, 1fr)); gap: .6rem; margin-top: 1.2rem; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: .55rem .7rem; }
.card .k { color: var(--muted); font-size: .78rem; }
.card .v { font-size: 1.2rem; font-weight: 600; }
.card .n { color: var(--muted); font-size: .72rem; }
table { border-collapse: collapse; width: 100%; font-size: .88rem; }
th, td { text-align: left; padding: .3rem .45rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--muted); font-size: .78rem; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.na { color: var(--muted); }
.bar { display: inline-block; width: 6rem; height: .55rem; background: var(--line); border-radius: 3px; vertical-align: middle; }
.bar > span { display: block; height: 100%; background: var(--accent2); border-radius: 3px; }
.state-reached, .state-on-track { color: var(--ok); font-weight: 600; }
.state-behind, .state-missed { color: var(--bad); font-weight: 600; }
svg { max-width: 100%; height: auto; display: block; }
svg text { font: 11px sans-serif; fill: var(--muted); }
dl { font-size: .85rem; } dt { font-weight: 600; } dd { margin: 0 0 .4rem 1rem; color: var(--muted); }
footer { margin-top: 2.5rem; color: var(--muted); font-size: .75rem; }
@page { margin: 14mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5pt; }
  h2 { break-after: avoid; }
  tr, .card, svg, figure { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
`

var page = template.Must(template.New("report").Funcs(template.FuncMap{
	"lower":      strings.ToLower,
	"stateClass": func(s string) string { return "state-" + strings.ReplaceAll(s, " ", "-") },
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="crier">
<title>{{.Title}}</title>
<style>{{.CSS}}</style>
</head>
<body>
<header>
<h1>{{.Title}}</h1>
<p class="sub">{{.Sub}}</p>
{{if .Audience}}<p class="sub">For: {{.Audience}}</p>{{end}}
</header>
<section class="cards" aria-label="Key figures">
{{range .Cards}}<div class="card"><div class="k">{{.Label}}</div><div class="v{{if .NA}} na{{end}}">{{.Value}}</div>{{if .Note}}<div class="n">{{.Note}}</div>{{end}}</div>
{{end}}</section>
{{if .Goals}}<section>
<h2>Goals</h2>
<table>
<thead><tr><th>Goal</th><th>State</th><th class="num">Now</th><th class="num">Target</th><th>Progress</th><th>At this pace</th></tr></thead>
<tbody>
{{range .Goals}}<tr><td>{{.What}}{{if .Note}}<br><small class="na">{{.Note}}</small>{{end}}</td><td class="{{stateClass .State}}">{{.State}}</td><td class="num">{{.Now}}</td><td class="num">{{.Target}}</td><td><span class="bar" role="img" aria-label="{{.Percent}}"><span style="width: {{.Width}}%"></span></span> {{.Percent}}</td><td>{{.Pace}}</td></tr>
{{end}}</tbody>
</table>
</section>{{end}}
{{if .DayChart}}<section>
<h2>Per day</h2>
<figure>{{.DayChart}}</figure>
{{if .MoneyChart}}<figure>{{.MoneyChart}}</figure>{{end}}
</section>{{end}}
{{template "table" .Networks}}
{{template "table" .Links}}
{{if .Posts}}<section>
<h2>Top posts</h2>
<table>
<thead><tr><th>Sent</th><th>Network</th><th>Post</th><th class="num">Engagement</th><th class="num">Link clicks</th><th class="num">Conversions</th></tr></thead>
<tbody>
{{range .Posts}}<tr><td class="num">{{.Sent}}</td><td>{{.Network}}</td><td>{{if .URL}}<a href="{{.URL}}">{{.Text}}</a>{{else}}{{.Text}}{{end}}</td><td class="num">{{.Engagement}}</td><td class="num">{{.Clicks}}</td><td class="num">{{.Conversions}}</td></tr>
{{end}}</tbody>
</table>
</section>{{end}}
<section>
<h2>How the figures are defined</h2>
<dl>
<dt>CTR</dt><dd>Link clicks ÷ impressions, counting only clicks where impressions are known. Organic Mastodon and Bluesky posts report no impressions: n/a there, never 0.</dd>
<dt>Clicks per follower</dt><dd>Link clicks from Mastodon and Bluesky ÷ the followers of those accounts at the end of the period.</dd>
<dt>Conversion rate</dt><dd>Conversions ÷ sessions where web analytics reports sessions; otherwise conversions ÷ link clicks (an ad platform's results per click).</dd>
<dt>CPC, cost per acquisition</dt><dd>Spend ÷ link clicks (where both are known); spend ÷ conversions.</dd>
<dt>ROAS, ROI</dt><dd>Revenue ÷ spend; (revenue − spend) ÷ spend. Only within one currency: crier never adds or converts currencies.</dd>
<dt>Where sources overlap</dt><dd>For one campaign, day and network, the ad platform's link clicks count over web analytics' visits, and your own sheet's (then web analytics') conversions and revenue over an ad platform's results. Figures typed in are always added.</dd>
</dl>
</section>
<footer>Made by crier on {{.Made}} ({{.Zone}}).</footer>
</body>
</html>
{{define "table"}}{{if .Rows}}<section>
<h2>{{.Title}}</h2>
{{if .Chart}}{{.Chart}}
{{end}}<table>
<thead><tr>{{range $i, $h := .Heads}}<th{{if ge $i $.Num}} class="num"{{end}}>{{$h}}</th>{{end}}</tr></thead>
<tbody>
{{range .Rows}}<tr>{{range $i, $c := .}}<td{{if ge $i $.Num}} class="num"{{end}}>{{$c}}</td>{{end}}</tr>
{{end}}</tbody>
</table>
{{if .Note}}<p class="na">{{.Note}}</p>
{{end}}</section>{{end}}{{end}}`))

type htmlCard struct {
	Label, Value, Note string
	NA                 bool
}

type htmlGoal struct {
	What, State, Now, Target, Percent, Pace, Note string
	Width                                         float64
}

// htmlTable is a section with a table of text cells (and a chart above
// it): the columns from Num on are numbers.
type htmlTable struct {
	Title string
	Chart template.HTML
	Heads []string
	Num   int
	Rows  [][]string
	Note  string // under the table
}

type htmlPost struct {
	Sent, Network, Text, URL, Conversions string
	Engagement                            int
	Clicks                                int64
}

func card(label string, r analytics.Ratio, value string) htmlCard {
	if !r.OK {
		return htmlCard{Label: label, Value: "n/a", Note: r.Why, NA: true}
	}
	return htmlCard{Label: label, Value: value}
}

// WriteHTML writes the report as one self-contained HTML file.
func (r *Report) WriteHTML(w io.Writer) error {
	f := r.Figures
	sub := r.Period()
	audience := ""
	if c := r.Campaign; c != nil {
		sub = fmt.Sprintf("Campaign %s · %s · %s", c.Slug, r.State, r.campaignPeriod())
		if c.BudgetCents > 0 {
			sub += fmt.Sprintf(" · budget %s, %s spent", c.Budget(), r.Budget.Percent())
			if r.Narrowed {
				sub += " over the whole campaign"
			}
			if r.Budget.Why != "" {
				sub += " (" + r.Budget.Why + ")"
			}
		}
		audience = c.Audience
	}
	convLabel := "Conversion rate"
	if f.ConversionBasis != "" {
		convLabel += " (per " + strings.TrimSuffix(f.ConversionBasis, "s") + ")"
	}
	cards := []htmlCard{
		{Label: "Link clicks", Value: analytics.Count(f.LinkClicks)},
		{Label: "Impressions", Value: analytics.Count(f.Impressions)},
		card("CTR", f.CTR, f.CTR.Percent()),
		{Label: "Conversions", Value: analytics.Milli(f.Conversions)},
		card(convLabel, f.ConversionRate, f.ConversionRate.Percent()),
		{Label: "Revenue", Value: moneyText(f.Revenue)},
		{Label: "Spend", Value: moneyText(f.Spend)},
		card("CPC", f.CPC, f.CPC.Money()),
		card("Cost per acquisition", f.CPA, f.CPA.Money()),
		card("ROAS", f.ROAS, f.ROAS.Times()),
		card("ROI", f.ROI, f.ROI.Percent()),
		card("Clicks per follower", f.ClicksPerFollower, f.ClicksPerFollower.Plain(3)),
		{Label: "Posts sent", Value: fmt.Sprint(len(r.Posts)), Note: fmt.Sprintf("%d engagements", r.Engagement)},
		{Label: "Followers", Value: analytics.Count(r.FollowersEnd), Note: followersChange(r.FollowersStart, r.FollowersEnd)},
	}
	var goals []htmlGoal
	for _, g := range r.Goals {
		hg := htmlGoal{What: analytics.Describe(g.Goal), State: string(g.State), Now: analytics.FormatValue(g.Goal.Metric, g.Current),
			Target: analytics.FormatTarget(g.Goal.Metric, g.Target), Percent: fmt.Sprintf("%.0f%%", g.Progress*100),
			Width: math.Min(100, math.Round(g.Progress*1000)/10), Note: g.Why}
		switch {
		case g.State == analytics.GoalReached && g.ReachOn != 0:
			hg.Pace = "reached " + g.ReachOn.String()
		case g.ReachOn != 0:
			hg.Pace = "reached " + g.ReachOn.String()
			if g.Projected.OK {
				hg.Pace += "; " + analytics.FormatValue(g.Goal.Metric, g.Projected) + " by the deadline"
			}
		case g.Projected.OK:
			hg.Pace = analytics.FormatValue(g.Goal.Metric, g.Projected) + " by the deadline; not reached"
		}
		goals = append(goals, hg)
	}
	networks := htmlTable{Title: "Per network", Num: 1, Heads: []string{"Network", "Link clicks", "Impressions", "CTR",
		"Sessions", "Conversions", "Conv. rate", "Revenue", "Spend", "ROAS"}}
	for _, n := range r.Networks {
		nf := n.Figures
		networks.Rows = append(networks.Rows, []string{analytics.NetworkName(n.Source), analytics.Count(nf.LinkClicks), analytics.Count(nf.Impressions),
			nf.CTR.Percent(), analytics.Count(nf.Sessions), analytics.Milli(nf.Conversions), nf.ConversionRate.Percent(),
			moneyText(nf.Revenue), moneyText(nf.Spend), nf.ROAS.Times()})
	}
	if len(r.Networks) > 0 {
		networks.Chart = template.HTML(networkChart(r.Networks))
	}
	links := htmlTable{Title: "Per link", Num: 3, Heads: []string{"Network", "Content", "Link", "Clicks", "Sessions",
		"Conversions", "Revenue", "Spend"}, Note: countingNote}
	for _, l := range r.Links {
		url := ""
		if len(l.Links) > 0 {
			url = l.Links[0].Tagged
		}
		links.Rows = append(links.Rows, []string{analytics.NetworkName(l.Source), l.Content, url, marked(analytics.Count(l.ClicksNum()), l.Counted.Clicks),
			marked(analytics.Count(l.SessionsNum()), l.Counted.Sessions), marked(analytics.Milli(l.ConversionsNum()), l.Counted.Conversions),
			marked(moneyText(l.Revenue), l.Counted.Revenue), marked(moneyText(l.Spend), l.Counted.Spend)})
	}
	var posts []htmlPost
	for _, p := range r.TopPosts() {
		posts = append(posts, htmlPost{Sent: p.SentAt.In(r.Zone).Format("2006-01-02 15:04"), Network: analytics.NetworkName(p.Platform),
			Text: firstLine(p.Text, 120), URL: safeURL(p.URL), Engagement: p.Metrics.Engagement(), Clicks: p.Links.Clicks,
			Conversions: analytics.MilliString(p.Links.Conversions)})
	}
	data := map[string]any{
		"Title": r.Title, "Sub": sub, "Audience": audience, "CSS": template.CSS(css), "Cards": cards, "Goals": goals,
		"Networks": networks, "Links": links, "Posts": posts,
		"Made": r.Generated.In(r.Zone).Format("2006-01-02 15:04"), "Zone": r.Zone.String(),
	}
	if len(r.Days) > 0 {
		data["DayChart"] = template.HTML(dayChart(r.Days))
		if mc := moneyChart(r.Days, r.mainCurrency()); mc != "" {
			data["MoneyChart"] = template.HTML(mc)
		}
	}
	return page.Execute(w, data)
}

// safeURL keeps http(s) links to posts and drops anything else.
func safeURL(u string) string {
	if strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://") {
		return u
	}
	return ""
}

func followersChange(start, end store.Num) string {
	if !start.OK || !end.OK {
		return ""
	}
	return fmt.Sprintf("%+d over the period", end.V-start.V)
}

// niceMax rounds a chart's top up to 1, 2 or 5 times a power of ten.
func niceMax(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

const (
	chartW, chartH     = 720.0, 220.0
	padL, padR         = 48.0, 48.0
	padT, padB         = 14.0, 28.0
	plotW, plotH       = chartW - padL - padR, chartH - padT - padB
	accent, accent2    = "#b5542b", "#2f6f8f"
	gridColor, inkSoft = "#d9d9de", "#6b6b70"
)

func svgOpen(b *strings.Builder, title string, h float64) {
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %g %g" width="%g" height="%g" role="img" aria-label="%s"><title>%s</title>`,
		chartW, h, chartW, h, html.EscapeString(title), html.EscapeString(title))
}

// axis draws horizontal grid lines with labels at 0, half and the top.
func axis(b *strings.Builder, top float64, left bool, format func(float64) string) {
	for _, f := range []float64{0, 0.5, 1} {
		y := padT + plotH*(1-f)
		if left {
			fmt.Fprintf(b, `<line x1="%g" y1="%.1f" x2="%g" y2="%.1f" stroke="%s" stroke-width="1"/>`, padL, y, padL+plotW, y, gridColor)
			fmt.Fprintf(b, `<text x="%g" y="%.1f" text-anchor="end">%s</text>`, padL-6, y+4, html.EscapeString(format(top*f)))
		} else {
			fmt.Fprintf(b, `<text x="%g" y="%.1f" text-anchor="start">%s</text>`, padL+plotW+6, y+4, html.EscapeString(format(top*f)))
		}
	}
}

// dateLabels writes a few day labels under a chart.
func dateLabels(b *strings.Builder, days []analytics.DayFigures, x func(int) float64) {
	n := len(days)
	step := max(1, n/6)
	for i := 0; i < n; i += step {
		fmt.Fprintf(b, `<text x="%.1f" y="%g" text-anchor="middle">%s</text>`, x(i), chartH-8, days[i].Day.Date().Format("2 Jan"))
	}
}

func countLabel(v float64) string { return analytics.Count(store.Known(int64(math.Round(v)))) }

// dayChart draws link clicks per day as bars and conversions as a line
// (its scale on the right).
func dayChart(days []analytics.DayFigures) string {
	var b strings.Builder
	svgOpen(&b, "Link clicks (bars) and conversions (line) per day", chartH)
	var maxClicks, maxConv float64
	for _, d := range days {
		maxClicks = math.Max(maxClicks, float64(d.Clicks))
		maxConv = math.Max(maxConv, float64(d.Conversions)/1000)
	}
	topC, topV := niceMax(maxClicks), niceMax(maxConv)
	axis(&b, topC, true, countLabel)
	axis(&b, topV, false, func(v float64) string { return analytics.MilliString(int64(math.Round(v * 1000))) })
	n := len(days)
	slot := plotW / float64(n)
	x := func(i int) float64 { return padL + slot*(float64(i)+0.5) }
	for i, d := range days {
		h := plotH * float64(d.Clicks) / topC
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s: %d link clicks</title></rect>`,
			x(i)-slot*0.4, padT+plotH-h, math.Max(slot*0.8, 0.5), h, accent2, d.Day, d.Clicks)
	}
	var pts []string
	for i, d := range days {
		pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(i), padT+plotH*(1-float64(d.Conversions)/1000/topV)))
	}
	fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>`, strings.Join(pts, " "), accent)
	dateLabels(&b, days, x)
	b.WriteString(`</svg>`)
	return b.String()
}

// moneyChart draws spend per day as bars and revenue as a line, in one
// currency (other currencies are left out, and the title says so).
func moneyChart(days []analytics.DayFigures, cur string) string {
	if cur == "" {
		return ""
	}
	var maxV float64
	var any, other bool
	for _, d := range days {
		s, r := d.Spend.In(cur), d.Revenue.In(cur)
		maxV = math.Max(maxV, math.Max(s.Float(), r.Float()))
		any = any || s.Minor != 0 || r.Minor != 0
		other = other || len(d.Spend) > 1 || len(d.Revenue) > 1 || (len(d.Spend) == 1 && d.Spend[0].Currency != cur) ||
			(len(d.Revenue) == 1 && d.Revenue[0].Currency != cur)
	}
	if !any {
		return ""
	}
	title := "Spend (bars) and revenue (line) per day in " + cur
	if other {
		title += "; amounts in other currencies are not drawn"
	}
	var b strings.Builder
	svgOpen(&b, title, chartH)
	top := niceMax(maxV)
	axis(&b, top, true, func(v float64) string {
		return money.Amount{Currency: cur, Minor: int64(math.Round(v * math.Pow(10, float64(money.Decimals(cur)))))}.String()
	})
	n := len(days)
	slot := plotW / float64(n)
	x := func(i int) float64 { return padL + slot*(float64(i)+0.5) }
	for i, d := range days {
		s := d.Spend.In(cur)
		h := plotH * s.Float() / top
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s" opacity="0.55"><title>%s: %s spent</title></rect>`,
			x(i)-slot*0.4, padT+plotH-h, math.Max(slot*0.8, 0.5), h, accent, d.Day, html.EscapeString(s.String()))
	}
	var pts []string
	for i, d := range days {
		pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(i), padT+plotH*(1-d.Revenue.In(cur).Float()/top)))
	}
	fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>`, strings.Join(pts, " "), "#2e7d4f")
	dateLabels(&b, days, x)
	b.WriteString(`</svg>`)
	return b.String()
}

// networkChart draws each network's link clicks as a horizontal bar.
func networkChart(nets []analytics.NetworkFigures) string {
	row := 22.0
	h := padT + row*float64(len(nets)) + 8
	var b strings.Builder
	svgOpen(&b, "Link clicks per network", h)
	var maxC float64
	for _, n := range nets {
		maxC = math.Max(maxC, float64(n.Figures.LinkClicks.V))
	}
	top := niceMax(maxC)
	left := 150.0
	width := chartW - left - 70
	for i, n := range nets {
		y := padT + row*float64(i)
		w := width * float64(n.Figures.LinkClicks.V) / top
		fmt.Fprintf(&b, `<text x="%g" y="%.1f" text-anchor="end">%s</text>`, left-8, y+13, html.EscapeString(analytics.NetworkName(n.Source)))
		fmt.Fprintf(&b, `<rect x="%g" y="%.1f" width="%.1f" height="14" fill="%s"/>`, left, y+2, w, accent2)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f">%s</text>`, left+w+6, y+13, html.EscapeString(analytics.Count(n.Figures.LinkClicks)))
	}
	b.WriteString(`</svg>`)
	return b.String()
}
