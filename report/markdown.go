package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/crier-app/crier/analytics"
	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/store"
)

// count writes a count as every other number of the report is written,
// with thousands marks ("11,376").
func count(n int64) string { return analytics.Count(store.Known(n)) }

// mdCell makes text safe in a Markdown table cell: on one line, without
// control characters or escape sequences (a report printed to a terminal
// must not act on it), Markdown's marks taken as text.
func mdCell(s string) string {
	s = strings.Join(strings.Fields(platforms.Sanitize(s)), " ")
	return strings.NewReplacer("|", `\|`, "*", `\*`, "_", `\_`, "`", "\\`", "<", "&lt;", ">", "&gt;").Replace(s)
}

// WriteMarkdown writes the report as Markdown, for pasting into a chat, a
// wiki or an e-mail.
func (r *Report) WriteMarkdown(w io.Writer) error {
	b := bufio.NewWriter(w)
	p := func(format string, a ...any) { fmt.Fprintf(b, format, a...) }
	p("# %s\n\n", mdCell(r.Title))
	if c := r.Campaign; c != nil {
		p("Campaign `%s`, %s, %s.", c.Slug, r.State, r.campaignPeriod())
		if c.BudgetCents > 0 {
			p(" Budget %s, %s spent", c.Budget(), r.Budget.Percent())
			if r.Narrowed {
				p(" over the whole campaign")
			}
			if r.Budget.Why != "" {
				p(" (%s)", mdCell(r.Budget.Why))
			}
			p(".")
		}
		p("\n\n")
		if c.Audience != "" {
			p("For: %s\n\n", mdCell(c.Audience))
		}
	} else {
		p("%s.\n\n", r.Period())
	}
	f := r.Figures
	p("## Figures\n\n")
	p("| | |\n|---|---:|\n")
	rows := [][2]string{
		{"Link clicks", analytics.Count(f.LinkClicks)},
		{"Impressions", analytics.Count(f.Impressions)},
		{"CTR", ratioText(f.CTR, f.CTR.Percent())},
		{"Sessions", analytics.Count(f.Sessions)},
		{"Conversions", analytics.Milli(f.Conversions)},
		{"Conversion rate" + basisNote(f.ConversionBasis), ratioText(f.ConversionRate, f.ConversionRate.Percent())},
		{"Revenue", moneyText(f.Revenue)},
		{"Spend", moneyText(f.Spend)},
		{"CPC", ratioText(f.CPC, f.CPC.Money())},
		{"Cost per acquisition", ratioText(f.CPA, f.CPA.Money())},
		{"ROAS", ratioText(f.ROAS, f.ROAS.Times())},
		{"ROI", ratioText(f.ROI, f.ROI.Percent())},
		{"Clicks per follower", ratioText(f.ClicksPerFollower, f.ClicksPerFollower.Plain(3))},
		{"Posts sent", count(int64(len(r.Posts)))},
		{"Engagement (likes, reposts, replies, quotes)", count(int64(r.Engagement))},
		{"Followers", followersText(r.FollowersStart, r.FollowersEnd)},
	}
	for _, row := range rows {
		p("| %s | %s |\n", row[0], mdCell(row[1]))
	}
	p("\n")
	if len(r.Goals) > 0 {
		p("## Goals\n\n")
		for _, g := range r.Goals {
			p("- **%s**: %s", mdCell(analytics.Describe(g.Goal)), g.State)
			p(" — now %s", analytics.FormatValue(g.Goal.Metric, g.Current))
			if g.Target.OK {
				p(" of %s (%.0f%%)", analytics.FormatTarget(g.Goal.Metric, g.Target), g.Progress*100)
			}
			if g.Goal.Relative && g.Baseline.OK {
				p(", baseline %s", analytics.FormatValue(g.Goal.Metric, g.Baseline))
			}
			if g.ReachOn != 0 && g.State != analytics.GoalReached {
				p(", reached on %s at this pace", g.ReachOn)
			}
			if g.Why != "" {
				p(" (%s)", mdCell(g.Why))
			}
			p("\n")
		}
		p("\n")
	}
	if len(r.Networks) > 0 {
		p("## Per network\n\n")
		p("| Network | Clicks | Impressions | CTR | Sessions | Conversions | Revenue | Spend | ROAS |\n")
		p("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
		for _, n := range r.Networks {
			nf := n.Figures
			p("| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", mdCell(analytics.NetworkName(n.Source)), analytics.Count(nf.LinkClicks),
				analytics.Count(nf.Impressions), nf.CTR.Percent(), analytics.Count(nf.Sessions), analytics.Milli(nf.Conversions),
				mdCell(moneyText(nf.Revenue)), mdCell(moneyText(nf.Spend)), nf.ROAS.Times())
		}
		p("\n")
	}
	if r.Narrowed {
		p("Per link figures are kept for the whole campaign, not day by day: its report without --from and --to has them.\n\n")
	}
	if len(r.Links) > 0 {
		p("## Per link\n\n| Network | Content | Clicks | Sessions | Conversions | Revenue |\n|---|---|---:|---:|---:|---:|\n")
		for _, l := range r.Links {
			p("| %s | %s | %s | %s | %s | %s |\n", mdCell(analytics.NetworkName(l.Source)), mdCell(l.Content),
				marked(analytics.Count(l.ClicksNum()), l.Counted.Clicks), marked(analytics.Count(l.SessionsNum()), l.Counted.Sessions),
				marked(analytics.Milli(l.ConversionsNum()), l.Counted.Conversions), mdCell(marked(moneyText(l.Revenue), l.Counted.Revenue)))
		}
		p("\n%s\n\n", mdCell(countingNote))
	}
	if top := r.TopPosts(); len(top) > 0 {
		p("## Top posts\n\n| Sent | Network | Post | Engagement | Link clicks | Conversions |\n|---|---|---|---:|---:|---:|\n")
		for _, t := range top {
			p("| %s | %s | %s | %s | %s | %s |\n", t.SentAt.In(r.Zone).Format("2006-01-02 15:04"), analytics.NetworkName(t.Platform),
				mdCell(firstLine(t.Text, 70)), count(int64(t.Metrics.Engagement())), count(t.Links.Clicks), analytics.MilliString(t.Links.Conversions))
		}
		p("\n")
	}
	p("Made by crier on %s (%s). CTR counts only clicks where impressions are known; "+
		"organic Mastodon and Bluesky report none, so it reads n/a there.\n", r.Generated.In(r.Zone).Format("2006-01-02 15:04"), r.Zone)
	return b.Flush()
}

func ratioText(r analytics.Ratio, s string) string {
	if !r.OK {
		return "n/a (" + r.Why + ")"
	}
	return s
}

func basisNote(basis string) string {
	if basis == "" {
		return ""
	}
	return " (per " + strings.TrimSuffix(basis, "s") + ")"
}

func followersText(start, end store.Num) string {
	switch {
	case !end.OK:
		return "—"
	case !start.OK:
		return analytics.Count(end)
	}
	return fmt.Sprintf("%s → %s (%+d)", analytics.Count(start), analytics.Count(end), end.V-start.V)
}
