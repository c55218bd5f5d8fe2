package sentiment

import (
	"sync"
	"testing"
)

func TestScoreReadsTheTone(t *testing.T) {
	for _, c := range []struct {
		text string
		want Tone
	}{
		{"Waited 40 minutes and the croissants were stale. Really disappointed.", Negative},
		{"The worst service I've had in years, never again", Negative},
		{"Best sourdough in town, thank you so much!", Positive},
		{"love love love the new cinnamon buns", Positive},
		{"Do you open at 8 on Sundays?", Neutral},
		{"", Neutral},
		// Emoji are read through VADER's emoji table, as their names: 😠 is
		// "angry face"; 😡 is "pouting face", which VADER does not weigh.
		{"😠😠", Negative},
		{"😡", Neutral},
		{"😍", Positive},
		// Slang and emphasis from VADER's lexicon and rules.
		{"this cake is the bomb", Positive},
		{"meh. the coffee sucks", Negative},
		{"not good", Negative},
		// 🔥 is praise, not a fire.
		{"Finally a proper bakery around here 🔥", Neutral},
		{"new rye is 🔥🔥 love it", Positive},
		// French pastry is not pain; real pain still is.
		{"still thinking about that pain au chocolat", Neutral},
		{"Two pains aux raisins and a PAIN DE CAMPAGNE for Saturday", Neutral},
		{"the queue was a real pain", Negative},
		// Words on separate lines are still words.
		{"great\nthanks", Positive},
	} {
		got := Score(c.text)
		if got < -1 || got > 1 {
			t.Errorf("Score(%q) = %v, outside -1..1", c.text, got)
		}
		if ToneOf(got) != c.want {
			t.Errorf("Score(%q) = %.3f (%s), want %s", c.text, got, ToneOf(got), c.want)
		}
	}
}

func TestScoreGrades(t *testing.T) {
	mild, strong := Score("the bread was a bit dry"), Score("the bread was AWFUL!!! Terrible, disgusting")
	if !(strong < mild) {
		t.Errorf("strong complaint %.3f should score below a mild one %.3f", strong, mild)
	}
	if Score("good") >= Score("GOOD!!!") {
		t.Errorf("capitals and exclamation marks should strengthen: %.3f vs %.3f", Score("good"), Score("GOOD!!!"))
	}
}

func TestScoreIsSafeForConcurrentUse(t *testing.T) {
	want := Score("Really disappointed, the cake was stale 😞")
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				if got := Score("Really disappointed, the cake was stale 😞"); got != want {
					t.Errorf("concurrent score %v, want %v", got, want)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestToneOfUsesVADERsCutOffs(t *testing.T) {
	for score, want := range map[float64]Tone{
		-1: Negative, -0.05: Negative, -0.049: Neutral, 0: Neutral, 0.049: Neutral, 0.05: Positive, 1: Positive,
	} {
		if got := ToneOf(score); got != want {
			t.Errorf("ToneOf(%v) = %s, want %s", score, got, want)
		}
	}
}

func TestIsQuestion(t *testing.T) {
	for text, want := range map[string]bool{
		"Do you have gluten-free options?":                  true,
		"open tomorrow??":                                   true,
		"wait what?! the shop is closed":                    true,
		"¿Abren el domingo":                                 true,
		"日曜日は営業していますか？":                                     true,
		"Loved it, thanks!":                                 false,
		"see https://example.com/menu?day=sun for the menu": false,
		"(https://example.com/?a=1) so good":                false,
		"www.example.com/?q=bread":                          false,
		"":                                                  false,
		"menu at https://x.y/?a=b — is it current?":         true,
	} {
		if got := IsQuestion(text); got != want {
			t.Errorf("IsQuestion(%q) = %v, want %v", text, got, want)
		}
	}
}

// BenchmarkScore measures scoring one typical inbox item (a two-sentence
// reply with a mention and an emoji), the cost tone.Read adds per row.
func BenchmarkScore(b *testing.B) {
	const text = "@bakery ordered the birthday cake for Saturday but nobody called back about the pickup time. " +
		"Honestly a bit annoyed 😕 can someone get back to me?"
	Score(text) // build the analyzer outside the timing
	b.ReportAllocs()
	for b.Loop() {
		Score(text)
	}
}
