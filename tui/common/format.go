package common

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/charmbracelet/lipgloss"
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
// can. A tab is drawn as four spaces: a terminal would jump to its next
// tab stop, past the edge of a column.
func Wrap(s string, w int) []string {
	if w <= 0 {
		return nil
	}
	s = strings.ReplaceAll(s, "\t", "    ")
	return strings.Split(ansi.Wrap(s, w, ""), "\n")
}

// PadLeft adds spaces on the left of s up to w cells.
func PadLeft(s string, w int) string {
	if gap := w - Width(s); gap > 0 {
		return strings.Repeat(" ", gap) + s
	}
	return s
}

// Fit is s in exactly w cells: cut with "…" when it is wider, padded with
// spaces when it is narrower.
func Fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	return Pad(Truncate(s, w, "…"), w)
}

// Spread lays left and right out on one line of exactly w cells: left at
// the start, right at the end, at least a space between them. Left gives
// way: it is cut (with "…") so right stays whole; right is cut only when
// it does not fit by itself.
func Spread(left, right string, w int) string {
	if right == "" {
		return Fit(left, w)
	}
	rw := Width(right)
	if rw >= w {
		return Truncate(right, max(w, 0), "…")
	}
	left = Truncate(left, w-rw-1, "…")
	return left + strings.Repeat(" ", w-Width(left)-rw) + right
}

// Lines is s as exactly h lines of at most w cells: lines past h are
// dropped, longer lines cut (without a mark: it is a block's edge), and
// missing lines are empty.
func Lines(s string, w, h int) []string {
	h = max(h, 0)
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		if Width(l) > w {
			lines[i] = Truncate(l, max(w, 0), "")
		}
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return lines
}

// Block is s as exactly h lines of at most w cells (Lines), joined: what
// a pane draws can then never push what is below it off the screen.
func Block(s string, w, h int) string { return strings.Join(Lines(s, w, h), "\n") }

// Box is s covering exactly w x h cells: Lines, each padded to w.
func Box(s string, w, h int) []string {
	lines := Lines(s, w, h)
	for i, l := range lines {
		lines[i] = Pad(l, w)
	}
	return lines
}

// OneLine is s on one line: each run of white space (line breaks, tabs)
// one space, none at the ends.
func OneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// OneLineIn is OneLine cut to w cells with "…", reading no more of s than
// w cells can show: for a list row of a text that may be very long.
func OneLineIn(s string, w int) string {
	if w <= 0 {
		return ""
	}
	var b strings.Builder
	limit := 2*w + 8 // runes; enough to fill w cells even with zero-width marks
	n := 0
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
			n++
		}
		b.WriteRune(r)
		if n++; n >= limit {
			break
		}
	}
	return Truncate(b.String(), w, "…")
}

// WrapAtMost is Wrap in at most n lines, each without space at its ends;
// what does not fit goes on the last line, cut with "…".
func WrapAtMost(s string, w, n int) []string {
	if w <= 0 || n <= 0 || s == "" {
		return nil
	}
	lines := Wrap(s, w)
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	if len(lines) > n {
		rest := strings.Join(lines[n-1:], " ")
		lines = lines[:n]
		lines[n-1] = Truncate(rest, w, "…")
	}
	return lines
}

// MoreHint says where there is more of total lines than the shown ones
// from top on: "↑↓ more", "↑ more", "↓ more", or "" when all are shown.
func MoreHint(top, shown, total int) string {
	switch above, below := top > 0, top+shown < total; {
	case above && below:
		return "↑↓ more"
	case above:
		return "↑ more"
	case below:
		return "↓ more"
	}
	return ""
}

// Plural is one when n is 1, else many: the word alone.
func Plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Count is n and the word for it: "1 post", "3 posts".
func Count(n int, one, many string) string {
	return strconv.Itoa(n) + " " + Plural(n, one, many)
}

// PostName names a post by its first words, in quotes and cut at a word
// to w cells ("“Bread of the day…”"), as the person knows it: what crier
// says never names a post by its number. A post with no text is none.
func PostName(body string, w int, none string) string {
	s := OneLine(Clean(body))
	if s == "" {
		return none
	}
	return "“" + Shorten(s, w) + "”"
}

// Panel is lines in box (a bordered style) at most w cells wide, border
// included: each line cut to fit inside, all as wide as the widest.
func Panel(box lipgloss.Style, lines []string, w int) string {
	inside := max(w-box.GetHorizontalFrameSize(), 1)
	inner := 0
	cut := make([]string, len(lines))
	for i, l := range lines {
		cut[i] = Truncate(l, inside, "…")
		inner = max(inner, Width(cut[i]))
	}
	for i, l := range cut {
		cut[i] = Pad(l, inner)
	}
	return box.Render(strings.Join(cut, "\n"))
}
