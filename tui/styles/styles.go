// Package styles turns a semantic theme into the lipgloss styles every pane
// uses. Styles are built once per program, on the renderer of the terminal
// it draws to (each SSH session has its own); panes never make styles while
// drawing.
package styles

import (
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// Theme names colours by what they mean, not what they look like.
type Theme struct {
	// Colours are lipgloss.AdaptiveColor in the default theme and
	// lipgloss.NoColor{} in the NO_COLOR one.
	Text    lipgloss.TerminalColor
	Muted   lipgloss.TerminalColor
	Subtle  lipgloss.TerminalColor
	Accent  lipgloss.TerminalColor
	Ok      lipgloss.TerminalColor
	Warn    lipgloss.TerminalColor
	Danger  lipgloss.TerminalColor
	Info    lipgloss.TerminalColor
	Border  lipgloss.TerminalColor
	Surface lipgloss.TerminalColor
}

// DefaultTheme works on light and dark terminals.
func DefaultTheme() Theme {
	return Theme{
		Text:    lipgloss.AdaptiveColor{Light: "#1f2328", Dark: "#e6edf3"},
		Muted:   lipgloss.AdaptiveColor{Light: "#656d76", Dark: "#8b949e"},
		Subtle:  lipgloss.AdaptiveColor{Light: "#d0d7de", Dark: "#30363d"},
		Accent:  lipgloss.AdaptiveColor{Light: "#8250df", Dark: "#bc8cff"},
		Ok:      lipgloss.AdaptiveColor{Light: "#1a7f37", Dark: "#3fb950"},
		Warn:    lipgloss.AdaptiveColor{Light: "#9a6700", Dark: "#d29922"},
		Danger:  lipgloss.AdaptiveColor{Light: "#cf222e", Dark: "#f85149"},
		Info:    lipgloss.AdaptiveColor{Light: "#0969da", Dark: "#58a6ff"},
		Border:  lipgloss.AdaptiveColor{Light: "#d0d7de", Dark: "#3d444d"},
		Surface: lipgloss.AdaptiveColor{Light: "#f6f8fa", Dark: "#161b22"},
	}
}

// NoColorTheme is the theme for NO_COLOR: no colour at all, while bold,
// underline and reverse video still mark the tab, the cursor and errors.
func NoColorTheme() Theme {
	none := lipgloss.NoColor{}
	return Theme{Text: none, Muted: none, Subtle: none, Accent: none, Ok: none, Warn: none,
		Danger: none, Info: none, Border: none, Surface: none}
}

// Styles are the finished styles, shared by every pane through Common.
type Styles struct {
	Theme Theme
	// Renderer is the program's: its terminal's colour profile and
	// background. Every style here is made on it; whatever else draws
	// (lipgloss.Place, a text field's cursor) draws through it too.
	Renderer *lipgloss.Renderer

	App         lipgloss.Style
	TabActive   lipgloss.Style
	TabInactive lipgloss.Style
	TabBar      lipgloss.Style
	Title       lipgloss.Style
	Text        lipgloss.Style
	Muted       lipgloss.Style
	Accent      lipgloss.Style
	Ok          lipgloss.Style
	Warn        lipgloss.Style
	Danger      lipgloss.Style
	Info        lipgloss.Style
	Bold        lipgloss.Style
	Selected    lipgloss.Style // the cursor row or cell: reverse video, so it shows without colour
	Box         lipgloss.Style // a bordered panel
	BoxFocused  lipgloss.Style
	StatusBar   lipgloss.Style
	StatusKey   lipgloss.Style
	StatusError lipgloss.Style
	StatusOk    lipgloss.Style
	HelpKey     lipgloss.Style
	HelpDesc    lipgloss.Style
	HelpSep     lipgloss.Style
	DemoBadge   lipgloss.Style
	InputLabel  lipgloss.Style
	InputError  lipgloss.Style

	// Post and delivery states, used by the calendar and drafts.
	StateScheduled lipgloss.Style
	StateSent      lipgloss.Style
	StateFailed    lipgloss.Style
	StateMissed    lipgloss.Style
	StateDraft     lipgloss.Style
}

// For builds the styles of a program that draws through r: the default
// theme, or with noColor (the NO_COLOR convention) no colour at all, while
// bold, underline and reverse video still mark the tab, the cursor and
// errors. For that, r is set to plain ANSI: its own detection would take
// the attributes away with the colours.
func For(r *lipgloss.Renderer, noColor bool) *Styles {
	if !noColor {
		return New(r, DefaultTheme())
	}
	r.SetColorProfile(termenv.ANSI)
	return New(r, NoColorTheme())
}

// New builds the styles from a theme, on the renderer r.
func New(r *lipgloss.Renderer, t Theme) *Styles {
	s := &Styles{Theme: t, Renderer: r}
	base := r.NewStyle()
	s.App = base
	s.TabActive = base.Bold(true).Foreground(t.Accent).Underline(true).Padding(0, 1)
	s.TabInactive = base.Foreground(t.Muted).Padding(0, 1)
	s.TabBar = base
	s.Title = base.Bold(true).Foreground(t.Accent)
	s.Text = base.Foreground(t.Text)
	s.Muted = base.Foreground(t.Muted)
	s.Accent = base.Foreground(t.Accent)
	s.Ok = base.Foreground(t.Ok)
	s.Warn = base.Foreground(t.Warn)
	s.Danger = base.Foreground(t.Danger)
	s.Info = base.Foreground(t.Info)
	s.Bold = base.Bold(true)
	s.Selected = base.Reverse(true)
	s.Box = base.Border(lipgloss.RoundedBorder()).BorderForeground(t.Border)
	s.BoxFocused = base.Border(lipgloss.RoundedBorder()).BorderForeground(t.Accent)
	s.StatusBar = base.Foreground(t.Muted)
	s.StatusKey = base.Foreground(t.Text).Bold(true)
	s.StatusError = base.Foreground(t.Danger).Bold(true)
	s.StatusOk = base.Foreground(t.Ok)
	s.HelpKey = base.Foreground(t.Accent).Bold(true)
	s.HelpDesc = base.Foreground(t.Muted)
	s.HelpSep = base.Foreground(t.Subtle)
	s.DemoBadge = base.Bold(true).Reverse(true).Foreground(t.Warn).Padding(0, 1)
	s.InputLabel = base.Foreground(t.Muted)
	s.InputError = base.Foreground(t.Danger)
	s.StateScheduled = base.Foreground(t.Info)
	s.StateSent = base.Foreground(t.Ok)
	s.StateFailed = base.Foreground(t.Danger).Bold(true)
	s.StateMissed = base.Foreground(t.Warn).Bold(true)
	s.StateDraft = base.Foreground(t.Muted)
	return s
}
