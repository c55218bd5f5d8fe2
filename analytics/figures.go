// Package analytics turns what the store holds about campaigns into the
// figures marketing is judged by, defined once here (the README and the
// app's help repeat these definitions):
//
//   - CTR: link clicks / impressions, counting only the clicks of the
//     campaign, day and network groups that report impressions. Organic
//     Mastodon and Bluesky report none, so CTR there is n/a, never 0.
//   - Clicks per follower: link clicks from the networks crier posts to /
//     the followers of those accounts at the end of the period.
//   - Conversion rate: conversions / sessions where web analytics reports
//     sessions (the groups that have both); where no source reports
//     sessions, conversions / link clicks (an ad platform's results per
//     click). The figure says which (Basis).
//   - CPC: spend / link clicks, over the groups that report both.
//   - Cost per acquisition (CPA): spend / conversions.
//   - ROAS: revenue / spend.
//   - ROI: (revenue - spend) / spend.
//
// Money figures need one currency: where the sums hold two, the figure is
// n/a and says which currencies, rather than adding them. Every figure
// keeps the sums it divides (Parts) and the filter of the rows it adds up
// (store.MarketingRows lists them).
package analytics

import (
	"fmt"
	"strings"

	"github.com/dustin/go-humanize"

	"github.com/crier-app/crier/money"
	"github.com/crier-app/crier/store"
)

// Part is one of the sums a figure is made of, in words: "40 link clicks".
type Part struct {
	Label string
	Value string
}

// Ratio is a figure that is a quotient, or n/a with the reason.
type Ratio struct {
	Value float64 // a fraction (0.025 is 2.5%), a multiple (ROAS 3.2), or major units of Currency (CPC, CPA)
	OK    bool
	Why   string // why it is n/a
	// Currency is set for money figures (CPC, CPA).
	Currency string
	Parts    []Part
}

func na(why string, parts ...Part) Ratio { return Ratio{Why: why, Parts: parts} }

// Percent writes a fraction as a percentage with one decimal ("2.5%"),
// or "n/a".
func (r Ratio) Percent() string {
	if !r.OK {
		return "n/a"
	}
	return fmt.Sprintf("%.1f%%", r.Value*100)
}

// Times writes a multiple ("3.20×"), or "n/a".
func (r Ratio) Times() string {
	if !r.OK {
		return "n/a"
	}
	return fmt.Sprintf("%.2f×", r.Value)
}

// Money writes a cost per unit in its currency ("€0.63"), or "n/a".
func (r Ratio) Money() string {
	if !r.OK {
		return "n/a"
	}
	d := money.Decimals(r.Currency)
	minor := r.Value
	for range d {
		minor *= 10
	}
	return money.Amount{Currency: r.Currency, Minor: int64(roundHalfAway(minor))}.String()
}

// Plain writes the value with n decimals, or "n/a".
func (r Ratio) Plain(n int) string {
	if !r.OK {
		return "n/a"
	}
	return fmt.Sprintf("%.*f", n, r.Value)
}

func roundHalfAway(f float64) float64 {
	if f < 0 {
		return -roundHalfAway(-f)
	}
	return float64(int64(f + 0.5))
}

// Figures are the numbers of a campaign, a network, a day or any set of
// rows, with the ratios derived from them.
type Figures struct {
	Impressions store.Num
	LinkClicks  store.Num
	Sessions    store.Num
	Conversions store.Num // thousandths
	Revenue     money.Sums
	Spend       money.Sums
	// Followers are the followers of the accounts on the networks the
	// clicks came from, at the end of the period (not OK when unknown).
	Followers store.Num
	// SocialClicks are the link clicks from the networks crier posts to
	// (those Followers counts), for clicks per follower.
	SocialClicks store.Num

	CTR               Ratio
	ClicksPerFollower Ratio
	ConversionRate    Ratio
	ConversionBasis   string // "sessions" or "clicks": what the conversion rate divides by
	CPC               Ratio
	CPA               Ratio
	ROAS              Ratio
	ROI               Ratio

	// Totals are the sums the figures came from.
	Totals store.MarketingTotals
}

// Count writes a count ("1,234") or "—" when no source reported it.
func Count(n store.Num) string {
	if !n.OK {
		return "—"
	}
	return humanize.Comma(n.V)
}

// Milli writes thousandths as a number with up to three decimals ("12",
// "2.5"), or "—" when not reported.
func Milli(n store.Num) string {
	if !n.OK {
		return "—"
	}
	return MilliString(n.V)
}

// MilliString writes thousandths as a number with up to three decimals.
func MilliString(v int64) string {
	whole := humanize.Comma(v / 1000)
	frac := v % 1000
	if frac < 0 {
		frac = -frac
		if v > -1000 {
			whole = "-" + whole
		}
	}
	if frac == 0 {
		return whole
	}
	return strings.TrimRight(fmt.Sprintf("%s.%03d", whole, frac), "0")
}

// Sums writes money sums ("€12.00 + $3.50") or "—" for none.
func Sums(s money.Sums) string {
	if len(s) == 0 {
		return "—"
	}
	return s.String()
}

// SocialNetworks are the sources whose clicks count for clicks per
// follower: the networks crier posts to and counts followers on.
var SocialNetworks = []string{store.PlatformMastodon, store.PlatformBluesky, store.PlatformSandbox}

// Compute derives the figures of a set of rows. socialClicks are the link
// clicks from SocialNetworks and followers those networks' followers (pass
// not-OK values when unknown).
func Compute(t store.MarketingTotals, socialClicks, followers store.Num) Figures {
	// A currency that holds nothing beside one that holds something is
	// nothing to convert: it neither shows nor makes a figure n/a.
	t.Revenue, t.Spend, t.SpendOnClicks = t.Revenue.Reduced(), t.Spend.Reduced(), t.SpendOnClicks.Reduced()
	f := Figures{
		Impressions: t.Impressions, LinkClicks: t.Clicks, Sessions: t.Sessions, Conversions: t.Conversions,
		Revenue: t.Revenue, Spend: t.Spend, Followers: followers, SocialClicks: socialClicks, Totals: t,
	}
	// CTR
	clicksPart := Part{"link clicks where impressions are known", Count(t.ClicksWithImpressions)}
	imprPart := Part{"impressions", Count(t.Impressions)}
	switch {
	case !t.Impressions.OK:
		f.CTR = na("no source reported impressions (organic Mastodon and Bluesky report none)", imprPart)
	case t.Impressions.V == 0:
		f.CTR = na("0 impressions", clicksPart, imprPart)
	default:
		f.CTR = Ratio{Value: float64(t.ClicksWithImpressions.V) / float64(t.Impressions.V), OK: true,
			Parts: []Part{clicksPart, imprPart}}
	}
	// Clicks per follower
	sc := Part{"link clicks from Mastodon and Bluesky", Count(socialClicks)}
	fp := Part{"followers", Count(followers)}
	switch {
	case !followers.OK || followers.V == 0:
		f.ClicksPerFollower = na("no follower count for these networks", fp)
	case !socialClicks.OK:
		f.ClicksPerFollower = na("no link clicks reported from Mastodon or Bluesky", sc, fp)
	default:
		f.ClicksPerFollower = Ratio{Value: float64(socialClicks.V) / float64(followers.V), OK: true, Parts: []Part{sc, fp}}
	}
	// Conversion rate, as the source defines it
	switch {
	case !t.Conversions.OK:
		f.ConversionRate = na("no source reported conversions")
	case t.Sessions.OK && t.Sessions.V > 0:
		f.ConversionBasis = "sessions"
		f.ConversionRate = Ratio{Value: float64(t.ConversionsWithSessions.V) / 1000 / float64(t.Sessions.V), OK: true,
			Parts: []Part{{"conversions where sessions are known", Milli(t.ConversionsWithSessions)}, {"sessions", Count(t.Sessions)}}}
	case t.Clicks.OK && t.Clicks.V > 0:
		f.ConversionBasis = "clicks"
		f.ConversionRate = Ratio{Value: float64(t.ConversionsWithClicks.V) / 1000 / float64(t.Clicks.V), OK: true,
			Parts: []Part{{"conversions where clicks are known", Milli(t.ConversionsWithClicks)}, {"link clicks", Count(t.Clicks)}}}
	default:
		f.ConversionRate = na("no sessions or link clicks to divide by", Part{"conversions", Milli(t.Conversions)})
	}
	// CPC
	f.CPC = perUnit(t.SpendOnClicks, float64(t.PaidClicks.V), t.PaidClicks.OK,
		Part{"spend where clicks are known", Sums(t.SpendOnClicks)}, Part{"link clicks where spend is known", Count(t.PaidClicks)},
		"no spend with link clicks", "no link clicks where spend is known")
	// CPA
	f.CPA = perUnit(t.Spend, float64(t.Conversions.V)/1000, t.Conversions.OK,
		Part{"spend", Sums(t.Spend)}, Part{"conversions", Milli(t.Conversions)}, "no spend reported", "no conversions")
	// ROAS and ROI
	f.ROAS, f.ROI = returns(t.Revenue, t.Spend)
	return f
}

// perUnit is money divided by a count: one currency, a count above 0.
func perUnit(m money.Sums, units float64, unitsKnown bool, mp, up Part, noMoney, noUnits string) Ratio {
	a, one := m.Single()
	switch {
	case len(m) == 0:
		return na(noMoney, mp, up)
	case !one:
		return na("spend is in "+strings.Join(m.Currencies(), " and ")+": crier does not add currencies", mp, up)
	case !unitsKnown || units == 0:
		return na(noUnits, mp, up)
	}
	return Ratio{Value: a.Float() / units, OK: true, Currency: a.Currency, Parts: []Part{mp, up}}
}

func returns(revenue, spend money.Sums) (roas, roi Ratio) {
	rp, sp := Part{"revenue", Sums(revenue)}, Part{"spend", Sums(spend)}
	s, oneS := spend.Single()
	switch {
	case len(spend) == 0:
		return na("no spend reported", rp, sp), na("no spend reported", rp, sp)
	case !oneS:
		why := "spend is in " + strings.Join(spend.Currencies(), " and ") + ": crier does not add currencies"
		return na(why, rp, sp), na(why, rp, sp)
	case s.Minor == 0:
		return na("spend is 0", rp, sp), na("spend is 0", rp, sp)
	case len(revenue) == 0:
		return na("no revenue reported", rp, sp), na("no revenue reported", rp, sp)
	}
	r, oneR := revenue.Single()
	if !oneR || r.Currency != s.Currency {
		why := fmt.Sprintf("revenue is in %s and spend in %s: crier does not convert currencies",
			strings.Join(revenue.Currencies(), " and "), s.Currency)
		return na(why, rp, sp), na(why, rp, sp)
	}
	roas = Ratio{Value: float64(r.Minor) / float64(s.Minor), OK: true, Parts: []Part{rp, sp}}
	roi = Ratio{Value: float64(r.Minor-s.Minor) / float64(s.Minor), OK: true,
		Parts: []Part{{"revenue - spend", money.Amount{Currency: s.Currency, Minor: r.Minor - s.Minor}.String()}, sp}}
	return roas, roi
}

// BudgetUse is spend against a budget: the share of the budget spent in
// the budget's currency, n/a without a budget or with spend in another
// currency only.
func BudgetUse(spend money.Sums, budget money.Amount) Ratio {
	spend = spend.Reduced()
	bp := Part{"budget", budget.String()}
	sp := Part{"spend", Sums(spend)}
	if budget.Minor <= 0 {
		return na("no budget set", bp, sp)
	}
	in := spend.In(budget.Currency)
	if len(spend) == 1 && in.Minor == 0 && spend[0].Minor != 0 {
		return na("spend is in "+spend[0].Currency+", the budget in "+budget.Currency, bp, sp)
	}
	r := Ratio{Value: float64(in.Minor) / float64(budget.Minor), OK: true, Parts: []Part{{"spend in " + budget.Currency, in.String()}, bp}}
	if len(spend) > 1 {
		others := []string{}
		for _, a := range spend {
			if a.Currency != budget.Currency {
				others = append(others, a.String())
			}
		}
		r.Why = "leaves out " + strings.Join(others, " + ") + " (another currency)"
	}
	return r
}
