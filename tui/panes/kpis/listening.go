package kpis

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/components/sparkline"
)

// Layout of the inbox and listening blocks, in cells.
const (
	minListeningWidth = 40 // narrower, and listening goes below the inbox block
	maxTermWidth      = 22
	// A term's share of negative posts at or above this shows as a warning.
	negativeAlarm = 0.25
	// A mean tone this far from 0 reads as positive or negative (VADER's
	// neutral band).
	toneBand = 0.05
)

// inboxAndListening draws the inbox figures in a column as wide as an
// account's, and the listening table beside it, or below it when the pane
// is too narrow for both.
func (m *Model) inboxAndListening() []string {
	perRow, colW := m.grid(1 + len(m.report.Accounts))
	inbox := m.inboxBlock(colW)
	rest := m.width - colW - columnGap
	if perRow == 1 || rest < minListeningWidth {
		return append(append(inbox, ""), m.listeningBlock(m.width)...)
	}
	listening := m.listeningBlock(rest)
	out := make([]string, max(len(inbox), len(listening)))
	gap := strings.Repeat(" ", columnGap)
	for i := range out {
		left, right := "", ""
		if i < len(inbox) {
			left = common.Truncate(inbox[i], colW, "…")
		}
		if i < len(listening) {
			right = listening[i]
		}
		out[i] = strings.TrimRight(left+strings.Repeat(" ", max(colW-common.Width(left), 0))+gap+right, " ")
	}
	return out
}

// inboxBlock draws how much waits in the inbox and how fast it was
// answered, in w cells.
func (m *Model) inboxBlock(w int) []string {
	s := m.c.Styles
	k := m.inbox
	row := func(label, value string) string { return common.Spread(s.Muted.Render(label), value, w) }
	num := func(n int) string { return s.Text.Render(thousands(n)) }
	median := func(f store.ResponseFigures) string {
		if f.Answered == 0 {
			return s.Muted.Render("—")
		}
		return s.Text.Render(formatWait(f.MedianFirstResponse))
	}
	// The medians count only the answered: what still waits longer than
	// them is said beside them.
	longer := num(k.Week.WaitingLonger) + s.Muted.Render(" / ") + num(k.Month.WaitingLonger)
	out := []string{s.Title.Render("Inbox"), row("Open items", num(k.Open))}
	if m.roomy() {
		return append(out,
			row("Answered (7 days)", num(k.Week.Answered)),
			row("Answered (30 days)", num(k.Month.Answered)),
			row("Median first reply (7 days)", median(k.Week)),
			row("Median first reply (30 days)", median(k.Month)),
			row("Still waiting longer 7d/30d", longer),
		)
	}
	return append(out,
		row("Answered 7d/30d", num(k.Week.Answered)+s.Muted.Render(" / ")+num(k.Month.Answered)),
		row("Median reply 7d", median(k.Week)),
		row("Median reply 30d", median(k.Month)),
		row("Waiting longer", longer),
	)
}

// listeningBlock draws, per term, the posts listening found each day of the
// window as a sparkline, their number, their mean tone and the share of
// them that were negative, in w cells.
func (m *Model) listeningBlock(w int) []string {
	s := m.c.Styles
	tr := m.listening
	title := s.Title.Render("Listening") + s.Muted.Render(" · posts found, last 30 days")
	if !m.roomy() {
		title = s.Title.Render("Listening") + s.Muted.Render(" · 30 days")
	}
	out := []string{common.Truncate(title, w, "…")}
	if len(tr.Terms) == 0 {
		return append(out,
			s.Muted.Render(common.Truncate("Nothing found in the last 30 days.", w, "…")),
			s.Muted.Render(common.Truncate("Terms are set per account, as listen: in the config.", w, "…")))
	}

	postsW, toneW, negW := 5, 5, 4
	toneHead, negHead := "tone", "neg"
	if m.roomy() {
		toneW, negW = 9, 8
		toneHead, negHead = "mean tone", "negative"
	}
	termW := 4
	for _, t := range tr.Terms {
		termW = max(termW, common.Width(common.Clean(t.Term)))
	}
	termW = min(termW, maxTermWidth, max(w/3, 4))
	fixed := termW + postsW + toneW + negW + 4 // a space before each column after the first
	sparkW := min(w-fixed-1, len(tr.Days))
	if sparkW < sparkline.MinBars {
		sparkW = 0 // no room for a useful sparkline: the figures alone
	}
	cell := func(text string, width int, right bool) string {
		text = common.Truncate(text, width, "…")
		pad := strings.Repeat(" ", max(width-common.Width(text), 0))
		if right {
			return pad + text
		}
		return text + pad
	}
	line := func(term, spark, posts, tone, neg string) string {
		var b strings.Builder
		b.WriteString(term)
		if sparkW > 0 {
			b.WriteString(" " + spark)
		}
		b.WriteString(" " + posts + " " + tone + " " + neg)
		return b.String()
	}
	out = append(out, s.Muted.Render(line(cell("", termW, false), cell("by day", sparkW, false),
		cell("posts", postsW, true), cell(toneHead, toneW, true), cell(negHead, negW, true))))
	for _, t := range tr.Terms {
		counts := make([]float64, len(t.Days))
		for i, d := range t.Days {
			counts[i] = float64(d.Count)
		}
		spark := ""
		if sparkW > 0 {
			spark = s.Info.Render(sparkline.Render(counts, sparkline.Options{Width: sparkW, FromZero: true}))
		}
		tone := s.Muted
		switch mean := t.Total.MeanSentiment(); {
		case t.Total.Scored == 0:
		case mean >= toneBand:
			tone = s.Ok
		case mean <= -toneBand:
			tone = s.Danger
		}
		toneText := "—"
		if t.Total.Scored > 0 {
			toneText = strconv.FormatFloat(t.Total.MeanSentiment(), 'f', 2, 64)
			if !strings.HasPrefix(toneText, "-") {
				toneText = "+" + toneText
			}
		}
		neg := s.Text
		if t.Total.NegativeShare() >= negativeAlarm {
			neg = s.Danger
		}
		out = append(out, line(
			s.Text.Render(cell(common.Clean(t.Term), termW, false)),
			spark,
			s.Bold.Render(cell(thousands(t.Total.Count), postsW, true)),
			tone.Render(cell(toneText, toneW, true)),
			neg.Render(cell(fmt.Sprintf("%.0f%%", 100*t.Total.NegativeShare()), negW, true)),
		))
	}
	return out
}

// formatWait writes a waiting time to the minute: "<1m", "45m", "3h 05m",
// "2d 4h".
func formatWait(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "<1m"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + "m"
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh %02dm", int(d/time.Hour), int(d%time.Hour/time.Minute))
	}
	return fmt.Sprintf("%dd %dh", int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour))
}
