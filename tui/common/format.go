package common

import (
	"strings"
	"unicode"

	"github.com/charmbracelet/x/ansi"
)

// Width is the number of terminal cells s takes. It is the one measure crier
// uses: lipgloss pads, joins and places with the same one, and text reaches it
// through Clean, which rewrites the emoji sequences terminals disagree about
// (see Display), so what is measured is what tmux and the terminal draw.
// Escape sequences (styles) take no cells; a block of several lines is as
// wide as its widest line.
func Width(s string) int {
	if !strings.Contains(s, "\n") {
		return ansi.StringWidth(s)
	}
	w := 0
	for _, l := range strings.Split(s, "\n") {
		w = max(w, ansi.StringWidth(l))
	}
	return w
}

// Truncate cuts s to at most w cells, ending with tail when it had to cut;
// styles are kept and grapheme clusters never split.
func Truncate(s string, w int, tail string) string { return ansi.Truncate(s, w, tail) }

// Pad adds spaces on the right of s up to w cells.
func Pad(s string, w int) string {
	if gap := w - Width(s); gap > 0 {
		return s + strings.Repeat(" ", gap)
	}
	return s
}

// Shorten fits plain text into w cells: whole if it fits, else cut after the
// last word that fits and ended with "…". A single word longer than w
// is cut inside it, as it must be.
func Shorten(s string, w int) string {
	if Width(s) <= w {
		return s
	}
	if w <= 1 {
		return Truncate(s, w, "")
	}
	cut := Truncate(s, w-1, "")
	// cut ends inside a word unless the next character of s is a space.
	if rest := s[len(cut):]; rest != "" && !startsWithSpace(rest) {
		if i := strings.LastIndexFunc(cut, unicode.IsSpace); i > 0 {
			cut = cut[:i]
		}
	}
	cut = strings.TrimRightFunc(cut, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",;:-–—·(", r)
	})
	if cut == "" {
		cut = Truncate(s, w-1, "")
	}
	return cut + "…"
}

func startsWithSpace(s string) bool {
	for _, r := range s {
		return unicode.IsSpace(r)
	}
	return false
}

// Wrap breaks plain text into lines of at most w cells, at spaces where it
// can.
func Wrap(s string, w int) []string {
	if w <= 0 {
		return nil
	}
	return strings.Split(ansi.Wrap(s, w, ""), "\n")
}
