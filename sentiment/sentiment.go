// Package sentiment reads the tone of a short message from a stranger: how
// negative or positive it is (VADER, a lexicon and rules made for social
// media text, emoji and slang included) and whether it asks something. The
// inbox uses both to put complaints and questions in front.
package sentiment

import (
	"regexp"
	"strings"
	"sync"
	"unicode"

	"github.com/jonreiter/govader"
)

// VADER's own cut-offs on the compound score: at or below NegativeAt a text
// reads as negative, at or above PositiveAt as positive, neutral between.
const (
	NegativeAt = -0.05
	PositiveAt = 0.05
)

// analyzer is built once, on first use: it parses a 7,500-word lexicon and
// an emoji table. PolarityScores only reads them, so one analyzer serves
// every goroutine.
var analyzer = sync.OnceValue(govader.NewSentimentIntensityAnalyzer)

// Score is VADER's compound score of text, from -1 (most negative) to 1
// (most positive); 0 for text with no sentiment in it.
//
// VADER reads English. Before it sees the text, French bakery words that
// are English sentiment words lose them ("pain au chocolat" is no pain), and
// so does 🔥, which VADER reads as the word "fire" (negative) where social
// media means praise.
func Score(text string) float64 {
	text = strings.ReplaceAll(text, "🔥", " ")
	text = pastry.ReplaceAllString(flatten(text), "$1")
	if text == "" {
		return 0
	}
	return analyzer().PolarityScores(text).Compound
}

// pastry finds "pain" (French for bread) in the names of breads and
// pastries: pain au chocolat, pains aux raisins, pain de campagne, pain
// d'épices.
var pastry = regexp.MustCompile(`(?i)\bpains?\s+(aux?|de|d['’])`)

// flatten makes every run of white space one space: VADER splits words on
// spaces only, so "great\nthanks" would otherwise be one unknown word.
func flatten(text string) string {
	return strings.Join(strings.FieldsFunc(text, unicode.IsSpace), " ")
}

// Tone is which side of VADER's cut-offs a score falls on.
type Tone int

const (
	Neutral Tone = iota
	Negative
	Positive
)

// ToneOf classifies a compound score.
func ToneOf(score float64) Tone {
	switch {
	case score <= NegativeAt:
		return Negative
	case score >= PositiveAt:
		return Positive
	}
	return Neutral
}

func (t Tone) String() string {
	switch t {
	case Negative:
		return "negative"
	case Positive:
		return "positive"
	}
	return "neutral"
}

// IsQuestion reports whether text asks something: it has a question mark
// (Latin, Spanish opening, full-width or Arabic) outside its links, whose
// query strings are full of them. It does not try to hear a question in
// words alone ("let me know if you open on Sunday"): a person would, but a
// guess there would rank chatter as questions.
func IsQuestion(text string) bool {
	for _, word := range strings.FieldsFunc(text, unicode.IsSpace) {
		if isLink(word) {
			continue
		}
		if strings.ContainsAny(word, "?¿？؟") {
			return true
		}
	}
	return false
}

// isLink reports whether a word is a web address ("(https://x.y/?a=b)" too).
func isLink(word string) bool {
	word = strings.TrimLeft(word, "(<[\"'")
	lower := strings.ToLower(word)
	return strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://") ||
		strings.HasPrefix(lower, "www.")
}
