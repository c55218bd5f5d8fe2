package abtest

import (
	"context"

	"github.com/crier-app/crier/store"
)

// Report is a test as it stands: its plan, each variant's numbers, and a
// verdict on each measure that has data.
type Report struct {
	Test    store.ABTest
	Plan    []store.ABPlanSlot
	Results []store.ABVariantResult // in label order
	// Engagement compares likes, reposts, replies and quotes per follower
	// reached (each copy counts the account's followers when it went out).
	Engagement Verdict
	// Clicks compares clicks per view (the ads' impressions where known,
	// else the followers reached); nil until some click is recorded.
	Clicks *Verdict
	// Conversions compares conversions per click; nil until some
	// conversion is recorded.
	Conversions *Verdict
}

// Evaluate reads a test's plan and results and gives its verdicts.
func Evaluate(ctx context.Context, st *store.Store, testID int64) (Report, error) {
	t, err := st.ABTest(ctx, testID)
	if err != nil {
		return Report{}, err
	}
	r := Report{Test: t}
	if r.Plan, err = st.ABPlan(ctx, testID); err != nil {
		return r, err
	}
	if r.Results, err = st.ABResults(ctx, testID); err != nil {
		return r, err
	}
	var eng, clicks, conv []Arm
	var anyClicks, anyConv bool
	for _, v := range r.Results {
		// More engagements than followers (a post that travelled) still
		// counts as every follower reached.
		eng = append(eng, Arm{Label: v.Label, Trials: max(v.FollowerViews, v.Engagement), Successes: v.Engagement})
		// Clicks come by the variant's link tag, from every post of it
		// that went out: they are read against all of those posts' reach.
		views := v.Impressions
		if views == 0 {
			views = v.AllFollowerViews
		}
		clicks = append(clicks, Arm{Label: v.Label, Trials: max(views, v.Clicks), Successes: v.Clicks})
		conv = append(conv, Arm{Label: v.Label, Trials: max(v.Clicks, v.Conversions), Successes: v.Conversions})
		anyClicks = anyClicks || v.Clicks > 0
		anyConv = anyConv || v.Conversions > 0
	}
	if r.Engagement, err = Compare(eng, Options{TrialUnit: "follower-views", SuccessUnit: "engagements"}); err != nil {
		return r, err
	}
	if anyClicks {
		viewUnit := "follower-views"
		if t.Source == "ads" {
			viewUnit = "impressions"
		}
		v, err := Compare(clicks, Options{TrialUnit: viewUnit, SuccessUnit: "clicks"})
		if err != nil {
			return r, err
		}
		r.Clicks = &v
	}
	if anyConv {
		v, err := Compare(conv, Options{TrialUnit: "clicks", SuccessUnit: "conversions"})
		if err != nil {
			return r, err
		}
		r.Conversions = &v
	}
	return r, nil
}
