// Package postcopy draws a post's copies, one per account, the same way
// everywhere a post appears (the drafts list and its preview, the composer,
// the calendar's agenda and grid): each copy's state, when it went out and
// how late, why it was not sent, its counters and its link.
package postcopy

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/styles"
)

// Glyphs of a copy's state. Each reads without colour, and each is narrow
// in every locale.
const (
	GlyphQueued  = "◷"
	GlyphSent    = "✓"
	GlyphFailed  = "✗"
	GlyphMissed  = "!"
	GlyphDraft   = "◦"
	GlyphDropped = "-"
	GlyphSending = "↑"
	// GlyphHeld marks a queued copy that a paused queue holds: it waits
	// for the queue to run again, not for its time (a pause sign, ǁ
	// U+01C1, narrow where ‖ is ambiguous).
	GlyphHeld = "ǁ"
)

func held(c store.Copy) bool { return c.Held && c.State == store.DeliveryQueued }

// CopyGlyph is a copy's mark: its state's, or GlyphHeld for a queued copy
// a paused queue holds.
func CopyGlyph(c store.Copy) string {
	if held(c) {
		return GlyphHeld
	}
	return Glyph(c.State)
}

// CopyStyle is how a copy is coloured: held copies as a warning, since
// they will not go out until their queue runs again.
func CopyStyle(st *styles.Styles, c store.Copy) lipgloss.Style {
	if held(c) {
		return st.Warn
	}
	return Style(st, c.State)
}

// AllHeld reports whether a post has copies and a paused queue holds
// every one of them: it will not go out at its time.
func AllHeld(copies []store.Copy) bool {
	for _, c := range copies {
		if !held(c) {
			return false
		}
	}
	return len(copies) > 0
}

// Glyph is a copy state's mark; "" (no copy yet) is a draft's.
func Glyph(s store.DeliveryState) string {
	switch s {
	case store.DeliveryQueued:
		return GlyphQueued
	case store.DeliverySending, store.DeliveryUnknown:
		return GlyphSending
	case store.DeliverySent:
		return GlyphSent
	case store.DeliveryFailed:
		return GlyphFailed
	case store.DeliveryMissed:
		return GlyphMissed
	case store.DeliveryDropped:
		return GlyphDropped
	}
	return GlyphDraft
}

// Style is how a copy state is coloured.
func Style(st *styles.Styles, s store.DeliveryState) lipgloss.Style {
	switch s {
	case store.DeliveryQueued, store.DeliverySending, store.DeliveryUnknown:
		return st.StateScheduled
	case store.DeliverySent:
		return st.StateSent
	case store.DeliveryFailed:
		return st.StateFailed
	case store.DeliveryMissed:
		return st.StateMissed
	}
	return st.StateDraft
}

// PostGlyph and PostStyle draw a post's state as its copies' are: a post
// is in the state its copies share; a draft has none.
func PostGlyph(s store.PostState) string { return Glyph(copiesIn(s)) }

// PostStyle is how a post state is coloured (see PostGlyph).
func PostStyle(st *styles.Styles, s store.PostState) lipgloss.Style { return Style(st, copiesIn(s)) }

func copiesIn(s store.PostState) store.DeliveryState {
	if s == store.PostDraft {
		return ""
	}
	return store.DeliveryState(s)
}

// LateAfter is how late a copy must go out before it is called late: the
// scheduler sends within a second of the time and a network may take a
// few more to answer.
const LateAfter = 10 * time.Second

// Lateness says how late d is ("7 min late"), or "" within LateAfter.
func Lateness(d time.Duration) string {
	if d <= LateAfter {
		return ""
	}
	d = d.Round(time.Second)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%d s late", d/time.Second)
	case d < time.Hour:
		return fmt.Sprintf("%d min late", d/time.Minute)
	case d < 24*time.Hour:
		h, m := d/time.Hour, (d%time.Hour)/time.Minute
		if m == 0 {
			return fmt.Sprintf("%d h late", h)
		}
		return fmt.Sprintf("%d h %d min late", h, m)
	}
	days := d / (24 * time.Hour)
	if days == 1 {
		return "1 day late"
	}
	return fmt.Sprintf("%d days late", days)
}

// SentAt is when a copy went out, and how late: "sent 09:07, 7 min late".
// The date is given when it is not the day the post was meant for.
func SentAt(c store.Copy, scheduled time.Time, zone *time.Location) string {
	at := c.SentAt.In(zone)
	layout := "15:04"
	if scheduled.IsZero() || !sameDay(at, scheduled.In(zone)) {
		layout = "Mon 2 Jan 15:04"
	}
	text := "sent " + at.Format(layout)
	if late := Lateness(c.Late(scheduled)); late != "" {
		text += ", " + late
	}
	return text
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

// Counters are a sent copy's public counters in words.
func Counters(m store.Metrics) string {
	parts := []string{common.Count(m.Likes, "like", "likes"), common.Count(m.Reposts, "repost", "reposts"), common.Count(m.Replies, "reply", "replies")}
	if m.Quotes > 0 {
		parts = append(parts, common.Count(m.Quotes, "quote", "quotes"))
	}
	return strings.Join(parts, " · ")
}

// Status is one copy in a line: its mark, its account's name and where it
// is ("✓ Bluesky sent 09:07, 7 min late", "✗ Mastodon not sent: …").
func Status(c store.Copy, scheduled time.Time, name string, zone *time.Location) string {
	return CopyGlyph(c) + " " + name + " " + Where(c, scheduled, zone)
}

// Line is a status line for one or more copies that are in the same place.
type Line struct {
	State store.DeliveryState
	Held  bool // queued copies a paused queue holds
	Names []string
	Where string
}

// Style is how the line is coloured (CopyStyle).
func (l Line) Style(st *styles.Styles) lipgloss.Style {
	return CopyStyle(st, store.Copy{State: l.State, Held: l.Held})
}

// Text is the line in words: "✗ Mastodon and Bluesky not sent: …".
func (l Line) Text() string {
	names := l.Names[0]
	if n := len(l.Names); n > 1 {
		names = strings.Join(l.Names[:n-1], ", ") + " and " + l.Names[n-1]
	}
	return CopyGlyph(store.Copy{State: l.State, Held: l.Held}) + " " + names + " " + l.Where
}

// Lines gives each copy that keep selects a status line, copies in the
// same place sharing one.
func Lines(copies []store.Copy, scheduled time.Time, zone *time.Location, keep func(store.Copy) bool) []Line {
	var out []Line
	for _, c := range copies {
		if !keep(c) {
			continue
		}
		where, name := Where(c, scheduled, zone), Name(c, copies)
		merged := false
		for i := range out {
			if out[i].State == c.State && out[i].Held == c.Held && out[i].Where == where {
				out[i].Names = append(out[i].Names, name)
				merged = true
			}
		}
		if !merged {
			out = append(out, Line{State: c.State, Held: c.Held, Names: []string{name}, Where: where})
		}
	}
	return out
}

// Where says where a copy is, after its name: "sent 09:07, 7 min late",
// "not sent: …". A failed copy is not always the network's refusal (crier
// may have no client for its account, or could not tell whether an earlier
// try landed): the reason says which.
func Where(c store.Copy, scheduled time.Time, zone *time.Location) string {
	reason := common.Clean(common.OneLine(c.LastError))
	switch c.State {
	case store.DeliverySent:
		return SentAt(c, scheduled, zone)
	case store.DeliveryFailed:
		if reason == "" {
			reason = "no reason was recorded"
		}
		return "not sent: " + reason
	case store.DeliveryMissed:
		if reason != "" { // what became of a series' earlier occurrences
			return "missed: it came due while crier was not running; " + reason
		}
		return "missed: it came due while crier was not running"
	case store.DeliveryDropped:
		return "dropped: it won't go out"
	case store.DeliverySending:
		return "being sent now"
	case store.DeliveryUnknown:
		return "may have gone out: crier checks with the network before anything else"
	case store.DeliveryQueued:
		due := c.DueAt
		if due.IsZero() {
			due = scheduled
		}
		text := "due " + due.In(zone).Format("Mon 2 Jan 15:04")
		if c.Held {
			// Its time is not when it goes out: the queue waits for p.
			text = "held: its queue is paused (its slot " + due.In(zone).Format("Mon 2 Jan 15:04") + ")"
		}
		if reason != "" {
			text += " · will retry: " + reason
		}
		return text
	}
	return "draft"
}

// Mixed reports whether a post's copies are not all in one state (a copy
// a paused queue holds is not in the state of one that goes out at its
// time), so each needs its own mark.
func Mixed(copies []store.Copy) bool {
	for _, c := range copies[min(1, len(copies)):] {
		if c.State != copies[0].State || held(c) != held(copies[0]) {
			return true
		}
	}
	return false
}

// Fixable lists the names of the copies that failed or were missed (they
// can be sent now, moved or dropped), and says which they are in words: "the
// Mastodon copy", "2 copies".
func Fixable(copies []store.Copy, name func(store.Copy) string) (n int, which string) {
	var names []string
	for _, c := range copies {
		if c.Fixable() {
			names = append(names, name(c))
		}
	}
	switch len(names) {
	case 0:
		return 0, ""
	case 1:
		return 1, "the " + names[0] + " copy"
	}
	return len(names), fmt.Sprintf("the %s copies", strings.Join(names, " and "))
}

// Name is an account as lists name a copy: its network, and its handle
// where another of accounts is on the same network.
func Name(c store.Copy, copies []store.Copy) string {
	name := common.NetworkName(c.Platform)
	for _, o := range copies {
		if o.AccountID != c.AccountID && o.Platform == c.Platform {
			return name + " @" + strings.TrimPrefix(common.Clean(c.Handle), "@")
		}
	}
	return name
}
