package drafts

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/timeparse"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/components/photos"
	"github.com/crier-app/crier/tui/components/postcopy"
)

// chromeHeight is every line the composer draws besides the text itself:
// the title, the copies' states, the versions, the box's two borders,
// counters, the issue line, the account toggles, the photos, the time input
// and its echo.
func (m *composer) chromeHeight() int {
	return 1 + len(m.copyLines()) + len(m.versionLines()) + 2 + 1 + 1 +
		len(m.accountLines()) + len(m.photoLines()) + 2 + len(m.campaignLines())
}

func (m *composer) view() string {
	s := m.c.Styles
	w := m.width
	lines := make([]string, 0, m.height)
	lines = append(lines, common.Spread(s.Title.Render(m.title()), m.saveState(), w))
	lines = append(lines, m.copyLines()...)
	lines = append(lines, m.versionLines()...)

	box := s.Box
	if m.focus == fieldText && m.prompt == nil {
		box = s.BoxFocused
	}
	inner := strings.Split(m.text.View(), "\n")
	for i, l := range inner {
		inner[i] = common.Truncate(common.DisplayField(l), max(w-2, 0), "")
	}
	lines = append(lines, strings.Split(box.Width(max(w-2, 0)).Render(strings.Join(inner, "\n")), "\n")...)

	lines = append(lines, m.countersLine(), m.issueLine())
	lines = append(lines, m.accountLines()...)
	lines = append(lines, m.whenLines()...)
	lines = append(lines, m.photoLines()...)
	lines = append(lines, m.campaignLines()...)
	return common.Block(strings.Join(lines, "\n"), w, m.height)
}

// title names the post and where it is.
func (m *composer) title() string {
	switch {
	case m.base.ID == 0:
		return "New post"
	case !m.unsent():
		return "Draft"
	}
	return capitalize(string(m.base.State)) + " post"
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// copyLines say, for a post on its way, where each copy is: one line when
// they all wait together, else one per copy, with a failed copy's reason.
func (m *composer) copyLines() []string {
	if !m.unsent() || len(m.copies) == 0 {
		return nil
	}
	s := m.c.Styles
	var copies []store.Copy
	same := true
	for _, a := range m.c.Accounts {
		if c, ok := m.copies[a.ID]; ok {
			if len(copies) > 0 && (c.State != copies[0].State || c.LastError != "") {
				same = false
			}
			copies = append(copies, c)
		}
	}
	if len(copies) == 0 {
		return nil
	}
	if same && copies[0].State == store.DeliveryQueued && copies[0].LastError == "" {
		var names []string
		for _, c := range copies {
			names = append(names, m.accountName(c.AccountID))
		}
		line := postcopy.GlyphQueued + " goes out " + m.dueText(m.base.ScheduledAt) + " on " + joinAnd(names) +
			" · your changes go with it; u in the list takes it back to drafts"
		return []string{s.StateScheduled.Render(common.Truncate(line, m.width, "…"))}
	}
	var out []string
	for _, c := range copies {
		text := postcopy.Status(c, m.base.ScheduledAt, m.accountName(c.AccountID), m.c.Zone)
		lines := 1
		if c.State == store.DeliveryFailed {
			lines = 2 // the server's reason, in view
		}
		for _, l := range common.WrapAtMost(text, m.width, lines) {
			out = append(out, postcopy.Style(s, c.State).Render(l))
		}
	}
	return out
}

func (m *composer) dueText(t time.Time) string {
	text := t.In(m.c.Zone).Format("Mon 2 Jan 15:04")
	// Describe's words for a near time ("in 2h", "tomorrow 09:00") say
	// more than the date; for a far one they would only repeat it.
	if d := timeparse.Describe(t, m.c.Now(), m.c.Zone); strings.HasPrefix(d, "in ") ||
		strings.HasPrefix(d, "today") || strings.HasPrefix(d, "tomorrow") {
		text += " (" + d + ")"
	}
	return text
}

func joinAnd(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// versionLines name the text the box holds and the others ctrl+o reaches,
// when there is more than one.
func (m *composer) versionLines() []string {
	vs := m.versions()
	if len(vs) <= 2 && len(m.own) == 0 {
		return nil
	}
	s := m.c.Styles
	var parts []string
	for _, v := range vs {
		name := "All networks"
		if v != allNetworks {
			name = m.accountName(v)
			var notes []string
			switch _, own := m.own[v]; {
			case v == m.version && m.text.Value() != m.main && strings.TrimSpace(m.text.Value()) != "":
				notes = append(notes, "own text")
			case v != m.version && own:
				notes = append(notes, "own text")
			}
			if _, gone := m.gone(v); gone {
				notes = append(notes, "sent")
			}
			if len(notes) > 0 {
				name += " (" + strings.Join(notes, ", ") + ")"
			}
		}
		if v == m.version {
			parts = append(parts, s.Accent.Render("▸")+s.Bold.Render(name))
		} else {
			parts = append(parts, s.Muted.Render(" "+name))
		}
	}
	line := s.InputLabel.Render("Text for ") + strings.Join(parts, s.Muted.Render(" ·")) +
		s.Muted.Render("   ctrl+o next")
	if common.Width(line) > m.width {
		line = common.Truncate(line, m.width, "…")
	}
	return []string{line}
}

func (m *composer) saveState() string {
	s := m.c.Styles
	switch {
	case m.queueing:
		return s.Muted.Render("queueing…")
	case m.saving:
		return s.Muted.Render("saving…")
	case m.saveFailed:
		return s.Danger.Render("unsaved: the last save failed")
	case m.held != "" && m.dirty:
		return s.Warn.Render("unsaved: it can't go out like this")
	case m.dirty:
		return s.Warn.Render("unsaved")
	case !m.savedAt.IsZero():
		return s.Muted.Render("saved " + m.savedAt.In(m.c.Zone).Format("15:04:05"))
	case m.base.ID != 0:
		return s.Muted.Render("no changes")
	}
	return ""
}

func (m *composer) countersLine() string {
	s := m.c.Styles
	if len(m.counts) == 0 {
		return s.Muted.Render("no account chosen")
	}
	parts := make([]string, len(m.counts))
	for i, n := range m.counts {
		txt := n.platform + " "
		if n.approx {
			txt += "~" // crier does not know how this server counts
		}
		if n.max > 0 {
			txt += fmt.Sprintf("%d/%d", n.used, n.max)
		} else {
			txt += fmt.Sprintf("%d %s", n.used, n.unitFor(n.used))
		}
		if n.maxBytes > 0 && n.bytes*10 >= n.maxBytes*9 {
			txt += fmt.Sprintf(" (%d/%d bytes)", n.bytes, n.maxBytes)
		}
		if n.ownText {
			txt += " (own text)"
		}
		switch {
		case n.overBy() != "":
			parts[i] = s.Danger.Render(txt + " ✗")
		case n.nearLimit():
			parts[i] = s.Warn.Render(txt)
		default:
			parts[i] = s.Muted.Render(txt)
		}
	}
	return strings.Join(parts, s.Muted.Render(" · "))
}

// issueLine says why the post can't be queued: the last ctrl+s's reason,
// or live, a text that is over a network's limit or a photo a network won't
// take; else a warning worth fixing (a photo without alt text).
func (m *composer) issueLine() string {
	s := m.c.Styles
	if m.problem != "" {
		return s.Danger.Render(m.problem)
	}
	if m.lockedTried {
		return s.Warn.Render(m.versionLocked(m.version))
	}
	if over := m.overLimit(); over != "" {
		return s.Danger.Render("too long: " + over)
	}
	var warn string
	for _, p := range m.problems {
		if p.Blocks {
			return s.Danger.Render(p.Text)
		}
		if warn == "" {
			warn = p.Text
		}
	}
	if warn != "" {
		return s.Warn.Render(warn)
	}
	return ""
}

// accountLines lays the account toggles out left to right, wrapping under
// the label.
func (m *composer) accountLines() []string {
	s := m.c.Styles
	first := m.label("To", fieldAccounts)
	indent := strings.Repeat(" ", labelWidth)
	if len(m.c.Accounts) == 0 {
		lines := common.Wrap(m.c.NoAccounts(), max(m.width-labelWidth, 10))
		for i, l := range lines {
			lines[i] = indent + s.Muted.Render(l)
		}
		lines[0] = first + strings.TrimPrefix(lines[0], indent)
		return lines
	}
	const sep = "   "
	var lines []string
	cur, curItems := first, 0
	for i, a := range m.c.Accounts {
		box := "[ ]"
		if m.selected[i] {
			box = "[x]"
		}
		toggle := fmt.Sprintf("%s %s @%s", box, a.Platform, strings.TrimPrefix(common.Clean(a.Handle), "@"))
		var item string
		switch {
		case m.focus == fieldAccounts && i == m.accCursor:
			// The marker stands in for the number so the cursor shows
			// even without colour.
			item = s.Accent.Render("▸") + " " + s.Selected.Render(toggle)
		case m.selected[i]:
			item = s.Muted.Render(fmt.Sprint(i+1)) + " " + s.Text.Render(toggle)
		default:
			item = s.Muted.Render(fmt.Sprint(i+1)) + " " + s.Muted.Render(toggle)
		}
		if a.NeedsReauth {
			item += s.Warn.Render(" (sign in again)")
		}
		if curItems > 0 && common.Width(cur)+common.Width(sep)+common.Width(item) > m.width {
			lines = append(lines, cur)
			cur, curItems = indent+item, 1
			continue
		}
		if curItems > 0 {
			cur += sep
		}
		cur += item
		curItems++
	}
	return append(lines, cur)
}

// photoLines are the Photos field: each photo with its size, dimensions and
// alt text, or the prompt that attaches one or writes its alt text.
func (m *composer) photoLines() []string {
	s := m.c.Styles
	w := m.width
	indent := strings.Repeat(" ", labelWidth)
	if p := m.prompt; p != nil {
		name := "Attach"
		if p.kind == promptAlt {
			name = fmt.Sprintf("Alt %d", p.photo+1)
		}
		lines := []string{common.Truncate(s.Accent.Render(common.Pad("▸ "+name, labelWidth))+p.input.View(), w, "")}
		if p.kind == promptAttach && len(p.candidates) > 0 {
			var names []string
			for _, c := range p.candidates {
				n := c[len(dirPart(strings.TrimSuffix(c, "/"))):]
				names = append(names, common.Clean(n))
			}
			lines = append(lines, indent+s.Info.Render(common.Truncate(strings.Join(names, "  "), max(w-labelWidth, 0), "…")))
		}
		var hint string
		style := s.Muted
		switch {
		case p.err != "":
			hint, style = p.err, s.InputError
		case p.busy:
			hint = "reading the file…"
		case p.kind == promptAttach:
			hint = "tab completes · enter attaches · esc cancels"
		default:
			hint = m.altCounts(p.input.Value()) + " · enter keeps it · esc cancels"
		}
		return append(lines, indent+style.Render(common.Truncate(common.Clean(hint), max(w-labelWidth, 0), "…")))
	}

	label := m.label("Photos", fieldPhotos)
	focused := m.focus == fieldPhotos
	if len(m.photos) == 0 {
		hint := "none"
		if focused {
			hint = "none · a attaches one (JPEG, PNG, GIF, WebP…)"
		}
		return []string{label + s.Muted.Render(hint)}
	}
	var lines []string
	for i, ph := range m.photos {
		lead := indent
		if i == 0 {
			lead = label
		}
		item := fmt.Sprintf("%d %s", i+1, photoText(ph))
		style := s.Text
		if m.photoProblem(i+1, true) {
			style = s.Danger
		} else if m.photoProblem(i+1, false) {
			style = s.Warn
		}
		if focused && i == m.photoCursor {
			lines = append(lines, lead+s.Accent.Render("▸")+s.Selected.Render(common.Truncate(item, max(w-labelWidth-1, 0), "…")))
			continue
		}
		lines = append(lines, lead+" "+style.Render(common.Truncate(item, max(w-labelWidth-1, 0), "…")))
	}
	if focused {
		hint := "a attach · enter alt text · x remove"
		if why := m.mediaLocked(); why != "" {
			hint = why
		}
		lines = append(lines, indent+s.Muted.Render(common.Truncate(hint, max(w-labelWidth, 0), "…")))
	}
	return lines
}

// photoProblem reports whether photo n has a problem (one that blocks, or
// only a warning).
func (m *composer) photoProblem(n int, blocks bool) bool {
	for _, p := range m.problems {
		if p.Image == n && p.Blocks == blocks {
			return true
		}
	}
	return false
}

// photoText is a photo on one line: name, size, dimensions and alt text.
func photoText(ph photos.Photo) string {
	if ph.Err != nil {
		return common.Clean(filepath.Base(ph.Path)) + " · can't be read"
	}
	alt := "no alt text"
	if a := strings.TrimSpace(ph.AltText); a != "" {
		alt = "alt “" + common.OneLine(common.Clean(a)) + "”"
	}
	return common.Clean(ph.Info.Summary()) + " · " + alt
}

// altCounts is the alt text's length against each chosen network's limit.
func (m *composer) altCounts(alt string) string {
	var parts []string
	seen := map[string]bool{}
	for _, t := range m.photoTargets() {
		if seen[t.Name] {
			continue
		}
		seen[t.Name] = true
		n := t.Limits.AltLength(alt)
		if t.Limits.MaxAltText > 0 {
			parts = append(parts, fmt.Sprintf("%s %d/%d", t.Name, n, t.Limits.MaxAltText))
		} else {
			parts = append(parts, fmt.Sprintf("%s %d", t.Name, n))
		}
	}
	if len(parts) == 0 {
		return fmt.Sprintf("%d characters", platforms.Graphemes(alt))
	}
	return strings.Join(parts, " · ")
}

func (m *composer) whenLines() []string {
	s := m.c.Styles
	indent := strings.Repeat(" ", labelWidth)
	input := m.label("When", fieldTime) + m.when.View()
	var echo string
	now := m.c.Now()
	switch {
	case strings.TrimSpace(m.when.Value()) == "":
		echo = s.Muted.Render("no time yet: it stays a draft until it has one")
	case strings.TrimSpace(m.when.Value()) == "now" && m.atErr == nil:
		echo = s.Info.Render("now") + s.Muted.Render(" · as soon as you press ctrl+s")
	case m.atErr != nil:
		echo = s.InputError.Render(m.atErr.Error())
	case m.at.Before(now) && m.unsent():
		echo = s.Warn.Render("was due " + m.at.In(m.c.Zone).Format("Mon 2 Jan 15:04") +
			": type when to send what did not go out (now, +1h, fri 9am), then ctrl+s")
	case m.at.Before(now):
		echo = s.Danger.Render("in the past: " + m.at.In(m.c.Zone).Format("Mon 2 Jan 2006 15:04 MST"))
	default:
		echo = s.Info.Render(timeparse.Describe(m.at, now, m.c.Zone)) +
			s.Muted.Render(" · "+m.at.In(m.c.Zone).Format("Mon 2 Jan 2006 15:04 MST"))
	}
	return []string{input, indent + common.Truncate(echo, max(m.width-labelWidth, 0), "…")}
}

// label is a field's name in the left column, marked while it has focus.
func (m *composer) label(name string, f field) string {
	s := m.c.Styles
	if m.focus == f && m.prompt == nil {
		return s.Accent.Render(common.Pad("▸ "+name, labelWidth))
	}
	return s.InputLabel.Render(common.Pad("  "+name, labelWidth))
}
