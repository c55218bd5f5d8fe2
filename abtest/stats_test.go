package abtest

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/dustin/go-humanize"
	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat/distuv"
)

func near(got, want, tol float64) bool { return math.Abs(got-want) <= tol }

// TestProbBestKnownValues checks the integration against values worked out
// by hand: with uniform priors, one success in one trial against none in
// none is Beta(2,1) against Beta(1,1): P = ∫ 2x·x dx = 2/3; against none
// in one, Beta(1,2): P = ∫ 2x(1-(1-x)²) dx = 5/6; equal arms share evenly.
func TestProbBestKnownValues(t *testing.T) {
	for _, c := range []struct {
		arms []Arm
		want []float64
	}{
		{[]Arm{{Trials: 0}, {Trials: 1, Successes: 1}}, []float64{1.0 / 3, 2.0 / 3}},
		{[]Arm{{Trials: 1}, {Trials: 1, Successes: 1}}, []float64{1.0 / 6, 5.0 / 6}},
		{[]Arm{{Trials: 50, Successes: 5}, {Trials: 50, Successes: 5}, {Trials: 50, Successes: 5}}, []float64{1.0 / 3, 1.0 / 3, 1.0 / 3}},
		{[]Arm{{Trials: 0}, {Trials: 0}}, []float64{0.5, 0.5}},
	} {
		got := ProbBest(c.arms)
		for i := range got {
			if !near(got[i], c.want[i], 1e-9) {
				t.Errorf("%+v: P(best) %v, want %v", c.arms, got, c.want)
				break
			}
		}
	}
}

// evanMiller is the closed form of P(p_B > p_A) for Beta posteriors with
// integer alpha_B (Evan Miller, "Formulas for Bayesian A/B testing"): a
// second, independent computation.
func evanMiller(a, b Arm) float64 {
	aA, bA := 1+float64(a.Successes), 1+float64(a.Trials-a.Successes)
	aB, bB := 1+float64(b.Successes), 1+float64(b.Trials-b.Successes)
	var total float64
	for i := 0.0; i < aB; i++ {
		total += math.Exp(mathext.Lbeta(aA+i, bA+bB) - math.Log(bB+i) - mathext.Lbeta(1+i, bB) - mathext.Lbeta(aA, bA))
	}
	return total
}

func TestProbBestMatchesClosedForm(t *testing.T) {
	for _, c := range [][2]Arm{
		{{Trials: 10000, Successes: 200}, {Trials: 10000, Successes: 240}},
		{{Trials: 120, Successes: 12}, {Trials: 100, Successes: 14}},
		{{Trials: 3, Successes: 1}, {Trials: 4, Successes: 0}},
		{{Trials: 50000, Successes: 1000}, {Trials: 900, Successes: 30}},
		{{Trials: 400, Successes: 399}, {Trials: 400, Successes: 395}},
	} {
		got := ProbBest(c[:])
		want := evanMiller(c[0], c[1])
		if !near(got[1], want, 1e-6) {
			t.Errorf("%+v: P(B best) %.8f, closed form %.8f", c, got[1], want)
		}
	}
}

// TestProbBestMatchesSampling: for three arms there is no short closed form;
// a seeded Monte Carlo of a million draws agrees to within its noise.
func TestProbBestMatchesSampling(t *testing.T) {
	arms := []Arm{{Trials: 800, Successes: 40}, {Trials: 800, Successes: 52}, {Trials: 750, Successes: 47}}
	got := ProbBest(arms)
	src := rand.NewPCG(7, 11)
	post := make([]distuv.Beta, len(arms))
	for i, a := range arms {
		post[i] = distuv.Beta{Alpha: 1 + float64(a.Successes), Beta: 1 + float64(a.Trials-a.Successes), Src: src}
	}
	const draws = 1_000_000
	wins := make([]float64, len(arms))
	for range draws {
		best, bestV := 0, -1.0
		for i := range post {
			if v := post[i].Rand(); v > bestV {
				best, bestV = i, v
			}
		}
		wins[best]++
	}
	for i := range wins {
		if mc := wins[i] / draws; !near(got[i], mc, 0.003) {
			t.Errorf("arm %d: integrated %.4f, sampled %.4f", i, got[i], mc)
		}
	}
}

// TestIntervalsKnownValues checks Wilson and Newcombe against the worked
// examples of Newcombe (1998), "Interval estimation for the difference
// between independent proportions" (Table II, method 10) and "Two-sided
// confidence intervals for the single proportion" (Table I, method 3).
func TestIntervalsKnownValues(t *testing.T) {
	for _, c := range []struct {
		a, n   int64
		lo, hi float64
	}{
		{81, 263, 0.2553, 0.3662},
		{15, 148, 0.0624, 0.1605},
		{0, 20, 0, 0.1611},
		{1, 29, 0.0061, 0.1718},
	} {
		lo, hi := Wilson(c.a, c.n)
		if !near(lo, c.lo, 5e-5) || !near(hi, c.hi, 5e-5) {
			t.Errorf("Wilson %d/%d: %.4f to %.4f, want %.4f to %.4f", c.a, c.n, lo, hi, c.lo, c.hi)
		}
	}
	for _, c := range []struct {
		a1, n1, a2, n2 int64
		lo, hi         float64
	}{
		{56, 70, 48, 80, 0.0524, 0.3339},
		{9, 10, 3, 10, 0.1705, 0.8090},
		{5, 56, 0, 29, -0.0381, 0.1926},
		{0, 10, 0, 20, -0.1611, 0.2775},
		{0, 10, 0, 10, -0.2775, 0.2775},
		{10, 10, 0, 20, 0.6791, 1.0000},
		{10, 10, 0, 10, 0.6075, 1.0000},
	} {
		lo, hi := Newcombe(c.a1, c.n1, c.a2, c.n2)
		if !near(lo, c.lo, 5e-5) || !near(hi, c.hi, 5e-5) {
			t.Errorf("Newcombe %d/%d − %d/%d: %.4f to %.4f, want %.4f to %.4f", c.a1, c.n1, c.a2, c.n2, lo, hi, c.lo, c.hi)
		}
	}
}

// TestSampleSizeKnownValues: the usual two-proportion sizes (Fleiss, without
// continuity correction): 10% against 15% needs 686 per group, 5% against
// 10% 435, at 5% two-sided and 80% power.
func TestSampleSizeKnownValues(t *testing.T) {
	for _, c := range []struct {
		p1, p2 float64
		n      float64
	}{{0.10, 0.15, 686}, {0.05, 0.10, 435}, {0.5, 0.6, 388}} {
		if got := math.Ceil(SampleSize(c.p1, c.p2, 0.05, 0.8)); got != c.n {
			t.Errorf("%v vs %v: %v per group, want %v", c.p1, c.p2, got, c.n)
		}
	}
	// 56/70 against 48/80: z = 2.65, p = 0.008.
	if p := TwoProportionP(56, 70, 48, 80); !near(p, 0.0080, 0.0005) {
		t.Errorf("p-value %.4f", p)
	}
}

func TestVerdicts(t *testing.T) {
	clicks := Options{TrialUnit: "views", SuccessUnit: "clicks"}
	conversions := Options{TrialUnit: "clicks", SuccessUnit: "conversions"}
	for name, c := range map[string]struct {
		arms        []Arm
		o           Options
		winner      bool
		thin        bool
		leader      string
		summary     string
		moreBetween [2]int64
	}{
		"nothing yet": {
			arms: []Arm{{Label: "A"}, {Label: "B"}}, o: clicks, thin: true,
			summary: "not enough data yet: about", moreBetween: [2]int64{100, 100000},
		},
		"a lucky streak": { // 4 clicks to 0: B looks far better, but it is four clicks
			arms: []Arm{{Label: "A", Trials: 60, Successes: 0}, {Label: "B", Trials: 60, Successes: 4}}, o: clicks, thin: true, leader: "B",
			summary: "not enough data yet: about", moreBetween: [2]int64{10, 100000},
		},
		"close": {
			arms: []Arm{{Label: "A", Trials: 10000, Successes: 205}, {Label: "B", Trials: 10000, Successes: 200}}, o: clicks, leader: "A",
			summary: "no winner yet: about", moreBetween: [2]int64{2500, 3500},
		},
		"clear": {
			arms: []Arm{{Label: "A", Trials: 10000, Successes: 200}, {Label: "B", Trials: 10000, Successes: 300}}, o: clicks, winner: true, leader: "B",
			summary: "B is best (>99.9% probable): +1.0% per view more than A (+0.6% to +1.4%)",
		},
		"conversions out of clicks": {
			arms: []Arm{{Label: "A", Trials: 90, Successes: 9}, {Label: "B", Trials: 110, Successes: 12}}, o: conversions, leader: "B",
			summary: "no winner yet: about", moreBetween: [2]int64{1000, 100000},
		},
		"three variants": {
			arms: []Arm{{Label: "A", Trials: 5000, Successes: 100}, {Label: "B", Trials: 5000, Successes: 160}, {Label: "C", Trials: 5000, Successes: 110}},
			o:    clicks, winner: true, leader: "B", summary: "B is best",
		},
	} {
		v, err := Compare(c.arms, c.o)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if v.Winner != c.winner || v.Thin != c.thin {
			t.Errorf("%s: winner %v thin %v, want %v %v (%s)", name, v.Winner, v.Thin, c.winner, c.thin, v.Summary)
		}
		if c.leader != "" && v.Arms[v.Leader].Label != c.leader {
			t.Errorf("%s: leader %s, want %s", name, v.Arms[v.Leader].Label, c.leader)
		}
		if !strings.HasPrefix(v.Summary, c.summary) {
			t.Errorf("%s: %q, want it to start %q", name, v.Summary, c.summary)
		}
		more := v.MoreSuccesses
		if c.o.TrialUnit == "clicks" {
			more = v.MoreTrials
		}
		if c.winner && (v.MoreTrials != 0 || v.MoreSuccesses != 0) {
			t.Errorf("%s: a winner, yet %d more needed", name, more)
		}
		if !c.winner && (more < c.moreBetween[0] || more > c.moreBetween[1]) {
			t.Errorf("%s: %d more needed, want %d to %d (%s)", name, more, c.moreBetween[0], c.moreBetween[1], v.Summary)
		}
		if !c.winner && !strings.Contains(v.Summary, humanize.Comma(int64(more))+" more "+map[bool]string{true: "clicks", false: c.o.SuccessUnit}[c.o.TrialUnit == "clicks"]) {
			t.Errorf("%s: summary %q does not say %d more", name, v.Summary, more)
		}
		var sum float64
		for _, a := range v.Arms {
			sum += a.ProbBest
		}
		if !near(sum, 1, 1e-9) {
			t.Errorf("%s: probabilities add up to %v", name, sum)
		}
	}
	if _, err := Compare([]Arm{{Label: "A", Trials: 3, Successes: 5}, {Label: "B"}}, clicks); err == nil || !strings.Contains(err.Error(), "variant A") {
		t.Errorf("more clicks than views: %v", err)
	}
	if _, err := Compare([]Arm{{Label: "A"}}, clicks); err == nil {
		t.Error("one arm compared")
	}
}

// TestPercentNeverReadsAsCertain checks that a probability just short of
// one (or just above zero) is not rounded to 100% (or 0%).
func TestPercentNeverReadsAsCertain(t *testing.T) {
	for p, want := range map[float64]string{0.9995: ">99.9%", 0.9991: ">99.9%", 0.999: "99.9%", 0.996: "99.6%",
		0.97: "97%", 0.5: "50%", 0.004: "0.4%", 0.0004: "<0.1%"} {
		if got := Percent(p); got != want {
			t.Errorf("Percent(%v) = %q, want %q", p, got, want)
		}
	}
}

// The verdict's words hold at the edges: every variant at a 100% rate, a
// variant with no failures yet, and a tie on enough data. The "more
// needed" figure is a count above 0 whenever more is needed, and a test
// that has enough data without a winner says the variants do alike,
// never "0 more needed".
func TestVerdictsAtTheEdges(t *testing.T) {
	views := Options{TrialUnit: "views", SuccessUnit: "clicks"}
	for name, c := range map[string]struct {
		arms    []Arm
		o       Options
		summary string
	}{
		"all clicked, both":       {[]Arm{{"A", 100, 100}, {"B", 100, 100}}, views, "not enough data yet: about "},
		"all clicked, one":        {[]Arm{{"A", 100, 100}, {"B", 100, 50}}, views, "not enough data yet: about "},
		"every click converts":    {[]Arm{{"A", 40, 40}, {"B", 40, 39}}, Options{TrialUnit: "clicks", SuccessUnit: "conversions"}, "not enough data yet: about "},
		"1 vs 1":                  {[]Arm{{"A", 1, 1}, {"B", 1, 0}}, views, "not enough data yet: about "},
		"nothing yet":             {[]Arm{{"A", 0, 0}, {"B", 0, 0}}, views, "not enough data yet: about "},
		"a tie on plenty":         {[]Arm{{"A", 1_000_000, 100_000}, {"B", 1_000_000, 100_000}}, views, "no winner: A and B do about as well"},
		"a tie on plenty, 3 arms": {[]Arm{{"A", 1_000_000, 100_000}, {"B", 1_000_000, 100_000}, {"C", 1_000_000, 100_000}}, views, "no winner: A, B and C do about as well"},
		"a tie short of enough":   {[]Arm{{"A", 1000, 100}, {"B", 1000, 100}}, views, "no winner yet: about "},
		"huge counts":             {[]Arm{{"A", 5_000_000_000, 2_000_000_000}, {"B", 5_000_000_000, 2_001_000_000}}, views, "B is best"},
	} {
		v, err := Compare(c.arms, c.o)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !strings.HasPrefix(v.Summary, c.summary) {
			t.Errorf("%s: %q, want it to start %q", name, v.Summary, c.summary)
		}
		if strings.HasPrefix(c.summary, "not enough") || strings.HasPrefix(c.summary, "no winner yet") {
			if v.MoreTrials <= 0 || v.MoreSuccesses <= 0 {
				t.Errorf("%s: %d more trials, %d more successes needed (%s)", name, v.MoreTrials, v.MoreSuccesses, v.Summary)
			}
		}
		if strings.Contains(v.Summary, "about 0 more") || strings.Contains(v.Summary, "about -") {
			t.Errorf("%s: %q", name, v.Summary)
		}
		if strings.HasPrefix(c.summary, "no winner:") && (v.MoreTrials != 0 || !strings.Contains(v.Summary, "%")) {
			t.Errorf("%s: %q, %d more trials; want the difference and its interval, nothing more needed", name, v.Summary, v.MoreTrials)
		}
	}
}

// TestVerdictWordsSayOnlyWhatIsKnown: variants with the same chances are
// level (none "leads" at 50%), and a winner's difference shows its digits,
// never "+0.00%" for a difference that decided the test.
func TestVerdictWordsSayOnlyWhatIsKnown(t *testing.T) {
	views := Options{TrialUnit: "views", SuccessUnit: "clicks"}
	for name, c := range map[string]struct {
		arms          []Arm
		want, notWant string
	}{
		"a tie short of enough": {[]Arm{{"A", 1000, 100}, {"B", 1000, 100}}, "(A and B level, 50% probable each)", "leads"},
		"two of three level": {[]Arm{{"A", 1000, 100}, {"B", 1000, 100}, {"C", 1000, 60}},
			"(A and B level, ", "leads"},
		"one ahead": {[]Arm{{"A", 1000, 100}, {"B", 1000, 110}}, "(B leads, ", "level"},
		"a tiny difference on huge counts": {[]Arm{{"A", 2_000_000_000, 1000}, {"B", 2_000_000_000, 1400}},
			"+0.000020% per view more than A (+0.000015% to +0.000025%)", "+0.00% "},
		"a small one": {[]Arm{{"A", 1_000_000, 10_000}, {"B", 1_000_000, 10_400}},
			"+0.040% per view more than A (+0.012% to +0.068%)", "+0.00% "},
	} {
		v, err := Compare(c.arms, views)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !strings.Contains(v.Summary, c.want) || strings.Contains(v.Summary, c.notWant) {
			t.Errorf("%s: %q, want %q and no %q", name, v.Summary, c.want, c.notWant)
		}
	}
}

// TestVerdictNamesAVariantNobodySaw: a variant that has not gone out (or
// failed) is named in the verdict, not left to read as one still counting.
func TestVerdictNamesAVariantNobodySaw(t *testing.T) {
	v, err := Compare([]Arm{{"A", 4000, 90}, {"B", 0, 0}}, Options{TrialUnit: "follower-views", SuccessUnit: "engagements"})
	if err != nil {
		t.Fatal(err)
	}
	if v.Winner || !strings.HasSuffix(v.Summary, "(B has no follower-views yet)") {
		t.Errorf("%q", v.Summary)
	}
	v, _ = Compare([]Arm{{"A", 4000, 90}, {"B", 0, 0}, {"C", 0, 0}}, Options{})
	if !strings.HasSuffix(v.Summary, "(B and C have no views yet)") {
		t.Errorf("%q", v.Summary)
	}
}
