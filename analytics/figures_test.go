package analytics

import (
	"math"
	"strings"
	"testing"

	"github.com/crier-app/crier/money"
	"github.com/crier-app/crier/store"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func eur(minor int64) money.Sums { return money.Sums{{Currency: "EUR", Minor: minor}} }

// springTotals are store/marketing_test.go's spring campaign: Mastodon
// visits (10, 2 conversions, €45) and Facebook (the ad platform's 1,000
// impressions, 40 clicks, €25 spend; web analytics' 35 visits, 1
// conversion, €30).
var springTotals = store.MarketingTotals{
	Impressions: store.Known(1000), Clicks: store.Known(50), Sessions: store.Known(45), Conversions: store.Known(3000),
	ClicksWithImpressions: store.Known(40), ConversionsWithSessions: store.Known(3000),
	ConversionsWithClicks: store.Known(3000), PaidClicks: store.Known(40),
	Revenue: eur(7500), Spend: eur(2500), SpendOnClicks: eur(2500), Groups: 2,
}

func TestFiguresByHand(t *testing.T) {
	f := Compute(springTotals, store.Known(10), store.Known(500))
	for _, c := range []struct {
		name string
		r    Ratio
		want float64
		text string
	}{
		{"CTR", f.CTR, 40.0 / 1000, "4.0%"},                        // clicks where impressions are known / impressions
		{"clicks per follower", f.ClicksPerFollower, 0.02, "2.0%"}, // 10 Mastodon clicks / 500 followers
		{"conversion rate", f.ConversionRate, 3.0 / 45, "6.7%"},    // 3 conversions / 45 sessions
		{"CPC", f.CPC, 25.0 / 40, "€0.63"},                         // €25 / 40 clicks = €0.625
		{"CPA", f.CPA, 25.0 / 3, "€8.33"},                          // €25 / 3 conversions
		{"ROAS", f.ROAS, 75.0 / 25, "3.00×"},                       // €75 / €25
		{"ROI", f.ROI, (75.0 - 25) / 25, "200.0%"},                 // (€75 - €25) / €25
	} {
		if !c.r.OK || !near(c.r.Value, c.want) {
			t.Errorf("%s = %v (%s), want %v", c.name, c.r.Value, c.r.Why, c.want)
		}
		var text string
		switch c.name {
		case "CPC", "CPA":
			text = c.r.Money()
		case "ROAS":
			text = c.r.Times()
		default:
			text = c.r.Percent()
		}
		if text != c.text {
			t.Errorf("%s reads %q, want %q", c.name, text, c.text)
		}
		if len(c.r.Parts) == 0 {
			t.Errorf("%s says nothing of what it divides", c.name)
		}
	}
	if f.ConversionBasis != "sessions" {
		t.Errorf("basis %q", f.ConversionBasis)
	}
	if f.CTR.Parts[0].Value != "40" || f.CTR.Parts[1].Value != "1,000" {
		t.Errorf("CTR parts %+v", f.CTR.Parts)
	}
}

func TestFiguresNotAvailable(t *testing.T) {
	// Organic posts only: visits, no impressions, no spend.
	organic := store.MarketingTotals{Clicks: store.Known(120), Sessions: store.Known(120),
		Conversions: store.Known(0), ConversionsWithSessions: store.Known(0), ConversionsWithClicks: store.Known(0)}
	f := Compute(organic, store.Known(120), store.Num{})
	if f.CTR.OK || !strings.Contains(f.CTR.Why, "organic Mastodon and Bluesky report none") || f.CTR.Percent() != "n/a" {
		t.Errorf("organic CTR %+v %s", f.CTR, f.CTR.Percent())
	}
	if f.ClicksPerFollower.OK || f.CPC.OK || f.CPA.OK || f.ROAS.OK || f.ROI.OK {
		t.Errorf("n/a figures read as known: %+v", f)
	}
	if !f.ConversionRate.OK || f.ConversionRate.Value != 0 {
		t.Errorf("0 conversions of 120 sessions is 0%%: %+v", f.ConversionRate)
	}
	// Nothing at all.
	f = Compute(store.MarketingTotals{}, store.Num{}, store.Num{})
	for name, r := range map[string]Ratio{"CTR": f.CTR, "conversion rate": f.ConversionRate, "CPC": f.CPC, "CPA": f.CPA,
		"ROAS": f.ROAS, "ROI": f.ROI, "clicks per follower": f.ClicksPerFollower} {
		if r.OK || r.Why == "" {
			t.Errorf("%s of nothing: %+v", name, r)
		}
	}
	// Impressions reported as 0: n/a, not 0 and not a division by zero.
	f = Compute(store.MarketingTotals{Impressions: store.Known(0), Clicks: store.Known(0), ClicksWithImpressions: store.Known(0)},
		store.Num{}, store.Num{})
	if f.CTR.OK {
		t.Errorf("CTR over 0 impressions %+v", f.CTR)
	}
	// Only an ad platform: its results per click, and fractional conversions.
	ads := store.MarketingTotals{Impressions: store.Known(4000), Clicks: store.Known(100), ClicksWithImpressions: store.Known(100),
		Conversions: store.Known(2500), ConversionsWithClicks: store.Known(2500), PaidClicks: store.Known(100),
		Spend: eur(5000), SpendOnClicks: eur(5000)}
	f = Compute(ads, store.Num{}, store.Num{})
	if f.ConversionBasis != "clicks" || !near(f.ConversionRate.Value, 0.025) {
		t.Errorf("ads-only conversion rate %+v basis %s", f.ConversionRate, f.ConversionBasis)
	}
	if !near(f.CPA.Value, 20) || f.CPA.Money() != "€20.00" {
		t.Errorf("CPA €50 / 2.5 %+v", f.CPA)
	}
	if f.ROAS.OK || f.ROAS.Why != "no revenue reported" {
		t.Errorf("ROAS without revenue %+v", f.ROAS)
	}
	// Spend 0 (a free listing): ROAS and ROI n/a.
	zero := store.MarketingTotals{Revenue: eur(100), Spend: eur(0)}
	f = Compute(zero, store.Num{}, store.Num{})
	if f.ROAS.OK || f.ROI.OK {
		t.Errorf("returns on no spend %+v %+v", f.ROAS, f.ROI)
	}
}

func TestFiguresNeverMixCurrencies(t *testing.T) {
	mixed := springTotals
	mixed.Spend = money.Sums{{Currency: "EUR", Minor: 2500}, {Currency: "USD", Minor: 1000}}
	mixed.SpendOnClicks = mixed.Spend
	f := Compute(mixed, store.Num{}, store.Num{})
	for name, r := range map[string]Ratio{"CPC": f.CPC, "CPA": f.CPA, "ROAS": f.ROAS, "ROI": f.ROI} {
		if r.OK || !strings.Contains(r.Why, "EUR and USD") {
			t.Errorf("%s over EUR and USD spend: %+v", name, r)
		}
	}
	// Revenue in one currency, spend in another.
	other := springTotals
	other.Revenue = money.Sums{{Currency: "USD", Minor: 7500}}
	f = Compute(other, store.Num{}, store.Num{})
	if f.ROAS.OK || !strings.Contains(f.ROAS.Why, "revenue is in USD and spend in EUR") {
		t.Errorf("ROAS across currencies %+v", f.ROAS)
	}
	if !f.CPA.OK { // spend and conversions alone are fine
		t.Errorf("CPA %+v", f.CPA)
	}
	// Budget use counts the budget's currency and says what it leaves out.
	b := BudgetUse(money.Sums{{Currency: "EUR", Minor: 25000}, {Currency: "USD", Minor: 1000}}, money.Amount{Currency: "EUR", Minor: 50000})
	if !b.OK || !near(b.Value, 0.5) || !strings.Contains(b.Why, "$10.00") {
		t.Errorf("budget use %+v", b)
	}
	if b := BudgetUse(money.Sums{{Currency: "USD", Minor: 1000}}, money.Amount{Currency: "EUR", Minor: 50000}); b.OK {
		t.Errorf("USD spend against a EUR budget %+v", b)
	}
	if b := BudgetUse(eur(100), money.Amount{Currency: "EUR"}); b.OK {
		t.Errorf("no budget %+v", b)
	}
}

func TestFormatting(t *testing.T) {
	for v, want := range map[int64]string{0: "0", 2500: "2.5", 12000: "12", 1234567: "1,234.567", -500: "-0.5", -1500: "-1.5"} {
		if got := MilliString(v); got != want {
			t.Errorf("MilliString(%d) = %q, want %q", v, got, want)
		}
	}
	if Count(store.Num{}) != "—" || Count(store.Known(12345)) != "12,345" || Sums(nil) != "—" {
		t.Error("Count/Sums")
	}
}

// Nothing in a currency is nothing in any: a source that reports revenue
// 0 in USD (a GA4 property in dollars, a sheet's zero line) beside euros
// does not make the money figures n/a, nor does it show as "$0.00" beside
// them. Money in two currencies still never adds.
func TestZeroInAnotherCurrencyIsNothing(t *testing.T) {
	z := springTotals
	z.Revenue = money.Sums{{Currency: "EUR", Minor: 7500}, {Currency: "USD", Minor: 0}}
	z.Spend = money.Sums{{Currency: "EUR", Minor: 2500}, {Currency: "GBP", Minor: 0}}
	z.SpendOnClicks = z.Spend
	f := Compute(z, store.Num{}, store.Num{})
	for name, r := range map[string]Ratio{"CPC": f.CPC, "CPA": f.CPA, "ROAS": f.ROAS, "ROI": f.ROI} {
		if !r.OK {
			t.Errorf("%s with a zero in another currency: %+v", name, r)
		}
	}
	if !near(f.ROAS.Value, 3) || !near(f.ROI.Value, 2) || f.Revenue.String() != "€75.00" || f.Spend.String() != "€25.00" {
		t.Errorf("ROAS %v ROI %v revenue %s spend %s", f.ROAS.Value, f.ROI.Value, f.Revenue, f.Spend)
	}
	// Only zeros, in two currencies: spend 0, said once.
	z.Spend = money.Sums{{Currency: "EUR", Minor: 0}, {Currency: "USD", Minor: 0}}
	z.SpendOnClicks = z.Spend
	f = Compute(z, store.Num{}, store.Num{})
	if f.ROAS.OK || f.ROAS.Why != "spend is 0" || len(f.Spend) != 1 {
		t.Errorf("zero spend in two currencies: ROAS %+v, spend %v", f.ROAS, f.Spend)
	}
	if b := BudgetUse(money.Sums{{Currency: "EUR", Minor: 25000}, {Currency: "USD", Minor: 0}}, money.Amount{Currency: "EUR", Minor: 50000}); !b.OK || strings.Contains(b.Why, "$") {
		t.Errorf("budget use with $0.00 beside: %+v", b)
	}
}

func TestNoSpendInAnotherCurrencyIsNoneOfTheBudget(t *testing.T) {
	if b := BudgetUse(money.Sums{{Currency: "USD", Minor: 0}}, money.Amount{Currency: "EUR", Minor: 50000}); !b.OK || b.Value != 0 {
		t.Errorf("$0.00 of a €500 budget: %+v", b)
	}
}
