package common

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Display rewrites the emoji sequences that terminals draw at different
// widths into ones they all draw at the width Width measures, so a row with
// "❤️" in it ends where the next row does, in tmux as in the terminal. What is
// stored and sent keeps the original text; only what is drawn changes.
//
//   - The emoji presentation selector (U+FE0F) is dropped. "❤️" is U+2764, a
//     one-cell symbol, asking to be drawn as a two-cell picture: tmux and
//     wcwidth-based terminals (xterm, VTE, Alacritty) give it one cell,
//     others two, and grapheme-aware measures two. Without the selector every
//     one of them draws ❤ in one cell.
//   - A skin tone modifier after another character is dropped: tmux and most
//     terminals draw "👍🏽" as two pictures (four cells), grapheme-aware
//     measures count one (two cells). "👍" is two cells everywhere.
//   - A zero-width joiner between two pictures is dropped, so "👩‍🍳" is shown
//     as 👩🍳, four cells everywhere, rather than as one picture in some
//     terminals and two in others. The joiner inside words (Indic and Arabic
//     scripts) is kept.
//   - A regional indicator that is not half of a flag is shown as its letter:
//     alone it is one cell in terminals and two in grapheme-aware measures.
//     Pairs (flags) are two cells everywhere and stay.
//
// Scripts whose vowel signs and conjuncts terminals draw in more cells than
// the grapheme they belong to (Devanagari, Bengali, Telugu...) are left as
// they are: no rewriting keeps them legible and aligned, and lipgloss, which
// pads and joins every block, measures by grapheme.
func Display(s string) string { return display(s, true) }

// DisplayField is Display for what a text field (the composer, a reply) drew
// of its own text, after it measured and wrapped it: only the rewrites that
// never widen a line, so no typed text is pushed past the field's edge. A
// joined sequence ("👩‍🍳") stays joined there: the field counted it as one
// picture, as tmux draws it.
func DisplayField(s string) string { return display(s, false) }

func display(s string, splitJoins bool) string {
	if !needsDisplay(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	var prev rune // the last rune written, 0 at the start
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == vs16:
			continue
		case isSkinTone(r) && prev != 0 && !unicode.IsSpace(prev):
			continue
		case r == zwj && splitJoins && isPicture(prev) && isPicture(nextRune(s[i:])):
			continue
		case isRegional(r):
			// Count this run of regional indicators: they pair up from its
			// start, so an odd one out is the last.
			n := 1
			for j := i; j < len(s); {
				q, qs := utf8.DecodeRuneInString(s[j:])
				if !isRegional(q) {
					break
				}
				n++
				j += qs
			}
			for k := 0; k < n; k++ {
				if k > 0 {
					r, size = utf8.DecodeRuneInString(s[i:])
					i += size
				}
				if k == n-1 && n%2 == 1 {
					b.WriteRune('A' + (r - regionalA))
				} else {
					b.WriteRune(r)
				}
			}
			prev = r
			continue
		}
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

const (
	vs16      = '\uFE0F'
	zwj       = '\u200D'
	regionalA = '\U0001F1E6'
	regionalZ = '\U0001F1FF'
)

func isSkinTone(r rune) bool { return r >= 0x1F3FB && r <= 0x1F3FF }
func isRegional(r rune) bool { return r >= regionalA && r <= regionalZ }

// isPicture is true for emoji and the symbols emoji sequences join.
func isPicture(r rune) bool {
	return r >= 0x1F000 || (r >= 0x2000 && unicode.Is(unicode.So, r))
}

func nextRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// needsDisplay is false for text Display leaves as it is: the common case,
// returned without copying.
func needsDisplay(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < utf8.RuneSelf {
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == vs16 || r == zwj || isSkinTone(r) || isRegional(r) {
			return true
		}
		i += size - 1
	}
	return false
}
