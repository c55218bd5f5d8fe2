// Package abtest runs A/B tests of posts: it plans matched slots for the
// variants (alternating days or weeks), and reads their results with an
// honest verdict: the probability that each variant is best (Beta-Binomial,
// by numerical integration with gonum), the size of the difference with a
// 95% interval (Newcombe's hybrid score interval), and, while the data are
// thin, about how many more clicks (or views) it takes to tell.
package abtest

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/dustin/go-humanize"
	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/stat/distuv"
)

// Arm is one variant's count: Successes out of Trials (clicks out of
// views, conversions out of clicks, engagements out of follower-views).
type Arm struct {
	Label     string
	Trials    int64
	Successes int64
}

// Rate is Successes / Trials (0 without trials).
func (a Arm) Rate() float64 {
	if a.Trials == 0 {
		return 0
	}
	return float64(a.Successes) / float64(a.Trials)
}

// Options say what is counted and how sure a verdict must be.
type Options struct {
	// TrialUnit and SuccessUnit name what is counted, in the plural
	// ("views" and "clicks", "clicks" and "conversions"), for the words of
	// the verdict. The "more needed" figure is told in clicks where clicks
	// are counted: in TrialUnit when it is "clicks", else in SuccessUnit.
	TrialUnit, SuccessUnit string
	// Threshold is how probable being best must be to call a winner
	// (0 means 0.95).
	Threshold float64
	// MinSuccesses and MinFailures every variant needs before a winner can
	// be called at all (0 means 5 each): below them the normal
	// approximations behind the interval and the sample size are no good,
	// and a lucky streak looks like a winner.
	MinSuccesses, MinFailures int64
	// MinLift is the smallest relative difference worth finding (0 means
	// 0.1, a tenth): the "more needed" figure uses it while the observed
	// difference is smaller.
	MinLift float64
}

func (o Options) withDefaults() Options {
	if o.Threshold == 0 {
		o.Threshold = 0.95
	}
	if o.MinSuccesses == 0 {
		o.MinSuccesses = 5
	}
	if o.MinFailures == 0 {
		o.MinFailures = 5
	}
	if o.MinLift == 0 {
		o.MinLift = 0.1
	}
	if o.TrialUnit == "" {
		o.TrialUnit = "views"
	}
	if o.SuccessUnit == "" {
		o.SuccessUnit = "clicks"
	}
	return o
}

// ArmResult is one variant in a verdict.
type ArmResult struct {
	Arm
	// ProbBest is the probability that this variant's true rate is the
	// highest, under independent uniform priors (Beta(1, 1)).
	ProbBest float64
	// Low and High bound its rate, 95% (Wilson score interval).
	Low, High float64
}

// Verdict compares the variants.
type Verdict struct {
	Arms   []ArmResult // in the order given
	Leader int         // the index of the most probably best
	Second int         // the runner-up, by probability of being best
	// Diff is the leader's rate minus the runner-up's, with its 95%
	// interval [DiffLow, DiffHigh] (Newcombe's hybrid score method); Lift
	// is Diff relative to the runner-up's rate (0 when that is 0).
	Diff, DiffLow, DiffHigh, Lift float64
	// PValue is the two-sided p-value of the two-proportion z-test of the
	// leader against the runner-up (1 when it can't be computed).
	PValue float64
	// Winner is true when the leader is best with at least the threshold's
	// probability and every variant has enough data.
	Winner bool
	// Thin is true when some variant has too few successes or failures to
	// call anything yet.
	Thin bool
	// MoreTrials is about how many more trials (in all, shared evenly)
	// would tell the leader from the runner-up at the usual 5% level with
	// 80% power, for the observed difference or MinLift, whichever is
	// larger; MoreSuccesses the successes those bring at the pooled rate.
	// Both 0 once there are enough.
	MoreTrials, MoreSuccesses int64
	// Summary says it in words: "B is best (97% probable): +1.2 points
	// (0.3 to 2.1)" or "no winner yet: about 340 more clicks needed".
	Summary string
	Units   Options
}

// ErrNoArms is returned for fewer than two variants.
var ErrNoArms = errors.New("a comparison needs at least two variants")

// Compare reads a test's counts. It is exact for what it claims: the
// probabilities come from integrating the Beta posteriors (not sampling),
// the interval from Wilson scores.
func Compare(arms []Arm, o Options) (Verdict, error) {
	o = o.withDefaults()
	if len(arms) < 2 {
		return Verdict{}, ErrNoArms
	}
	for _, a := range arms {
		if a.Trials < 0 || a.Successes < 0 || a.Successes > a.Trials {
			return Verdict{}, fmt.Errorf("variant %s: %d %s out of %d %s does not add up", a.Label, a.Successes, o.SuccessUnit, a.Trials, o.TrialUnit)
		}
	}
	v := Verdict{Units: o, Arms: make([]ArmResult, len(arms)), PValue: 1}
	probs := ProbBest(arms)
	for i, a := range arms {
		lo, hi := Wilson(a.Successes, a.Trials)
		v.Arms[i] = ArmResult{Arm: a, ProbBest: probs[i], Low: lo, High: hi}
	}
	order := make([]int, len(arms))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(x, y int) bool {
		if probs[order[x]] != probs[order[y]] {
			return probs[order[x]] > probs[order[y]]
		}
		return arms[order[x]].Rate() > arms[order[y]].Rate()
	})
	v.Leader, v.Second = order[0], order[1]
	lead, second := arms[v.Leader], arms[v.Second]
	v.Diff = lead.Rate() - second.Rate()
	v.DiffLow, v.DiffHigh = Newcombe(lead.Successes, lead.Trials, second.Successes, second.Trials)
	if second.Rate() > 0 {
		v.Lift = v.Diff / second.Rate()
	}
	v.PValue = TwoProportionP(lead.Successes, lead.Trials, second.Successes, second.Trials)

	for _, a := range arms {
		if a.Successes < o.MinSuccesses || a.Trials-a.Successes < o.MinFailures {
			v.Thin = true
		}
	}
	v.Winner = !v.Thin && probs[v.Leader] >= o.Threshold

	if !v.Winner {
		v.MoreTrials, v.MoreSuccesses = moreNeeded(lead, second, len(arms), o)
	}
	v.Summary = v.words()
	return v, nil
}

// moreNeeded sizes the rest of the test: per variant, the sample of a
// two-proportion test (two-sided 5%, power 80%) for the observed rates (or
// a MinLift difference when they are closer, or the pooled rate when
// nothing was seen yet), less what each already has.
func moreNeeded(a, b Arm, k int, o Options) (trials, successes int64) {
	pooledT := a.Trials + b.Trials
	pooled := 0.0
	if pooledT > 0 {
		pooled = float64(a.Successes+b.Successes) / float64(pooledT)
	}
	p1, p2 := a.Rate(), b.Rate()
	if pooled == 0 {
		// Nothing yet: assume the usual first guess, a 1% rate.
		pooled, p1, p2 = 0.01, 0.01, 0.01
	}
	base := math.Min(p1, p2)
	if base == 0 {
		base = pooled
	}
	if math.Abs(p1-p2) < o.MinLift*base {
		p1, p2 = base*(1+o.MinLift), base
		if p1 > 0.999 {
			// Near a rate of 1 the difference worth finding is below it.
			p1, p2 = base, base/(1+o.MinLift)
		}
	}
	p1, p2 = math.Min(p1, 0.999), math.Min(p2, 0.999)
	var need float64
	if n := SampleSize(p1, p2, 0.05, 0.8); !math.IsInf(n, 0) && !math.IsNaN(n) {
		for _, have := range []int64{a.Trials, b.Trials} {
			need += math.Max(0, n-float64(have))
		}
	}
	// Every variant is run alike: the others need as much as these two.
	need *= float64(k) / 2
	trials = int64(math.Ceil(need))
	successes = int64(math.Ceil(need * pooled))
	// The minimum counts of Options, whatever the sizes say: successes
	// come at the pooled rate, failures at the rest of it.
	for _, x := range []Arm{a, b} {
		if short := o.MinSuccesses - x.Successes; short > 0 {
			successes = max(successes, short*int64(k))
			if pooled > 0 {
				trials = max(trials, int64(math.Ceil(float64(short*int64(k))/pooled)))
			}
		}
		if short := o.MinFailures - (x.Trials - x.Successes); short > 0 {
			miss := math.Max(1-pooled, 0.01) // every trial a success so far: a rare failure
			trials = max(trials, int64(math.Ceil(float64(short*int64(k))/miss)))
			successes = max(successes, int64(math.Ceil(float64(trials)*pooled)))
		}
	}
	return trials, successes
}

// words writes the verdict for people.
func (v Verdict) words() string {
	lead := v.Arms[v.Leader]
	second := v.Arms[v.Second]
	if v.Winner {
		f := pointsFormat(v.Diff, v.DiffLow, v.DiffHigh)
		return fmt.Sprintf("%s is best (%s probable): "+f+" per %s more than %s ("+f+" to "+f+")",
			lead.Label, Percent(lead.ProbBest), 100*v.Diff, singular(v.Units.TrialUnit), second.Label,
			100*v.DiffLow, 100*v.DiffHigh)
	}
	more, unit := v.MoreSuccesses, v.Units.SuccessUnit
	if v.Units.TrialUnit == "clicks" {
		more, unit = v.MoreTrials, v.Units.TrialUnit
	}
	if v.Thin {
		// A variant nobody saw yet (not sent, or failed) is named: its
		// chance of being best is the prior's, not something learnt.
		var none []string
		for _, a := range v.Arms {
			if a.Trials == 0 {
				none = append(none, a.Label)
			}
		}
		if len(none) > 0 && len(none) < len(v.Arms) {
			return fmt.Sprintf("not enough data yet: about %s more %s needed (%s %s no %s yet)", humanize.Comma(int64(more)), unit,
				andList(none), map[bool]string{true: "has", false: "have"}[len(none) == 1], v.Units.TrialUnit)
		}
		return fmt.Sprintf("not enough data yet: about %s more %s needed", humanize.Comma(int64(more)), unit)
	}
	if v.MoreTrials == 0 {
		// Enough data to find a difference worth finding, and none found.
		labels := make([]string, len(v.Arms))
		for i, a := range v.Arms {
			labels[i] = a.Label
		}
		f := pointsFormat(v.Diff, v.DiffLow, v.DiffHigh)
		return fmt.Sprintf("no winner: %s do about as well (%s "+f+" per %s against %s, "+f+" to "+f+")",
			andList(labels), lead.Label, 100*v.Diff, singular(v.Units.TrialUnit), second.Label, 100*v.DiffLow, 100*v.DiffHigh)
	}
	// Variants whose chances read alike are level: none of them leads.
	var level []string
	for _, a := range v.Arms {
		if Percent(a.ProbBest) == Percent(lead.ProbBest) {
			level = append(level, a.Label)
		}
	}
	if len(level) > 1 {
		return fmt.Sprintf("no winner yet: about %s more %s needed (%s level, %s probable each)", humanize.Comma(int64(more)), unit,
			andList(level), Percent(lead.ProbBest))
	}
	return fmt.Sprintf("no winner yet: about %s more %s needed (%s leads, %s probable)", humanize.Comma(int64(more)), unit, lead.Label, Percent(lead.ProbBest))
}

// andList writes "A and B", "A, B and C".
func andList(s []string) string {
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

// Percent writes a probability as a percentage, never a flat 0 or 100.
func Percent(p float64) string {
	switch {
	case p > 0.999:
		return ">99.9%"
	case p < 0.001:
		return "<0.1%"
	case p > 0.99 || p < 0.01:
		// Rounded to whole percent these would read as certain: 100%, 0%.
		return fmt.Sprintf("%.1f%%", 100*p)
	}
	return fmt.Sprintf("%.0f%%", 100*p)
}

// pointsFormat is the format of differences of rates, in percentage
// points: one decimal, or as many more as the largest of them needs to show
// two digits (+0.50%, +0.020%), so a real difference never reads +0.00%.
func pointsFormat(ds ...float64) string {
	largest := 0.0
	for _, d := range ds {
		largest = math.Max(largest, math.Abs(100*d))
	}
	decimals := 1
	if largest > 0 && largest < 1 {
		decimals = min(6, 1+int(math.Ceil(-math.Log10(largest))))
	}
	return "%+." + strconv.Itoa(decimals) + "f%%"
}

func singular(unit string) string {
	if len(unit) > 1 && unit[len(unit)-1] == 's' {
		return unit[:len(unit)-1]
	}
	return unit
}

// ProbBest returns, for each arm, the probability that its true rate is
// the highest, under independent Beta(1+successes, 1+failures) posteriors:
// P(i best) = ∫ f_i(x) ∏_{j≠i} F_j(x) dx, by composite Gauss-Legendre
// quadrature over where the posteriors have their mass.
func ProbBest(arms []Arm) []float64 {
	k := len(arms)
	post := make([]distuv.Beta, k)
	lo, hi := 1.0, 0.0
	for i, a := range arms {
		post[i] = distuv.Beta{Alpha: 1 + float64(a.Successes), Beta: 1 + float64(a.Trials-a.Successes)}
		lo = math.Min(lo, post[i].Quantile(1e-12))
		hi = math.Max(hi, post[i].Quantile(1-1e-12))
	}
	const pieces, nodes = 256, 24
	x := make([]float64, nodes)
	w := make([]float64, nodes)
	pdf := make([]float64, k)
	cdf := make([]float64, k)
	out := make([]float64, k)
	step := (hi - lo) / pieces
	for p := range pieces {
		quad.Legendre{}.FixedLocations(x, w, lo+float64(p)*step, lo+float64(p+1)*step)
		for n := range nodes {
			for j := range post {
				pdf[j], cdf[j] = post[j].Prob(x[n]), post[j].CDF(x[n])
			}
			for i := range post {
				v := w[n] * pdf[i]
				for j := range post {
					if j != i {
						v *= cdf[j]
					}
				}
				out[i] += v
			}
		}
	}
	var sum float64
	for _, v := range out {
		sum += v
	}
	for i := range out {
		out[i] /= sum
	}
	return out
}

// Wilson is the 95% Wilson score interval of a proportion.
func Wilson(successes, trials int64) (lo, hi float64) {
	if trials == 0 {
		return 0, 1
	}
	z := zCritical
	n := float64(trials)
	p := float64(successes) / n
	den := 1 + z*z/n
	centre := (p + z*z/(2*n)) / den
	half := z * math.Sqrt(p*(1-p)/n+z*z/(4*n*n)) / den
	return math.Max(0, centre-half), math.Min(1, centre+half)
}

// Newcombe is the 95% interval of the difference of two proportions
// (a1/n1 − a2/n2) by Newcombe's hybrid score method (his method 10, 1998),
// built from the two Wilson intervals.
func Newcombe(a1, n1, a2, n2 int64) (lo, hi float64) {
	if n1 == 0 || n2 == 0 {
		return -1, 1
	}
	p1, p2 := float64(a1)/float64(n1), float64(a2)/float64(n2)
	l1, u1 := Wilson(a1, n1)
	l2, u2 := Wilson(a2, n2)
	d := p1 - p2
	return d - math.Sqrt((p1-l1)*(p1-l1)+(u2-p2)*(u2-p2)), d + math.Sqrt((u1-p1)*(u1-p1)+(p2-l2)*(p2-l2))
}

// TwoProportionP is the two-sided p-value of the pooled two-proportion z
// test of a1/n1 against a2/n2 (1 when it can't be computed).
func TwoProportionP(a1, n1, a2, n2 int64) float64 {
	if n1 == 0 || n2 == 0 {
		return 1
	}
	p := float64(a1+a2) / float64(n1+n2)
	se := math.Sqrt(p * (1 - p) * (1/float64(n1) + 1/float64(n2)))
	if se == 0 {
		return 1
	}
	z := (float64(a1)/float64(n1) - float64(a2)/float64(n2)) / se
	return 2 * distuv.UnitNormal.Survival(math.Abs(z))
}

// zCritical is the two-sided 95% normal quantile.
var zCritical = distuv.UnitNormal.Quantile(0.975)

// SampleSize is the trials per group a two-sided two-proportion z-test at
// level alpha needs for the given power to tell rates p1 and p2 apart.
func SampleSize(p1, p2, alpha, power float64) float64 {
	if p1 == p2 {
		return math.Inf(1)
	}
	za := distuv.UnitNormal.Quantile(1 - alpha/2)
	zb := distuv.UnitNormal.Quantile(power)
	pbar := (p1 + p2) / 2
	num := za*math.Sqrt(2*pbar*(1-pbar)) + zb*math.Sqrt(p1*(1-p1)+p2*(1-p2))
	return num * num / ((p1 - p2) * (p1 - p2))
}
