// Package common carries what every pane needs (size, styles, keys, clock,
// store, zone) and the interface every pane satisfies.
package common

import (
	"context"
	"log"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/keys"
	"github.com/crier-app/crier/tui/styles"
)

// NetworkSpec is how the composer measures a post for one platform: the
// network's own platforms.Spec (mastodon.Spec, bluesky.Spec, ...), which
// an account's server's limits complete with Spec.With.
type NetworkSpec = platforms.Spec

// Specs are the composer's NetworkSpecs: each spec by its platform.
func Specs(specs ...platforms.Spec) map[string]NetworkSpec {
	out := make(map[string]NetworkSpec, len(specs))
	for _, s := range specs {
		out[s.Platform] = s
	}
	return out
}

// Waker is the part of the scheduler the panes use: after queueing or moving a
// post, wake it so its timer is reset to the new next-due time.
type Waker interface{ Wake() }

// Reactor likes and reposts (or takes back) someone's post from one of the
// accounts, on the network, at once. The scheduler is one.
type Reactor interface {
	React(ctx context.Context, accountID int64, ref platforms.Ref, r store.Reaction, on bool) error
}

// Settings are the plain config values panes need.
type Settings struct {
	WeekStart     time.Weekday
	SnoozePresets []time.Duration
	// MarketingDomains are the business's own domains (config
	// marketing.domains), as written: links to them in a campaign's posts
	// are tagged (analytics/utm.NewTagger reads them). Nil for none.
	MarketingDomains []string
}

// Common is shared by the root model and every pane. Panes read it; only the
// root changes Width and Height.
type Common struct {
	Width, Height int

	Styles   *styles.Styles
	Nav      keys.Nav
	Store    *store.Store
	Now      func() time.Time // the clock: never call time.Now in a pane
	Zone     *time.Location   // display zone; wall-clock input is read in it
	Accounts []store.Account
	Networks map[string]NetworkSpec // by platform name
	// Limits are what each account's server said it accepts (by account id),
	// filled in as the servers answer; the composer holds an account to its
	// server's limits rather than the platform's defaults. Only the root
	// writes it, in Update.
	Limits   map[int64]platforms.Limits
	Settings Settings
	// Campaigns are the campaigns' names by id, for the mark a post in one
	// carries in the calendar and the drafts. Only the root writes it, in
	// Update, when it (re)loads them.
	Campaigns map[int64]string
	Waker     Waker   // may be nil (scheduler disabled)
	Reactor   Reactor // may be nil (scheduler disabled)
	Log       *log.Logger
	Demo      bool
	// ReadOnly is set for a glance session (crier serve, a key with the
	// glance role): nothing is posted, replied to, liked or edited, and
	// reading marks nothing read. The root asks the focused pane's
	// WriteGuard about each key before the pane sees it.
	ReadOnly bool
	// Remote is set when the program draws for someone elsewhere (a crier
	// serve session): nothing is opened on this machine (a link is shown
	// instead).
	Remote bool
	Editor string // $VISUAL or $EDITOR, "" when unset
	// ConfigFile is the config file crier read, or where it looks for one
	// (and crier init writes it), as a person would type it (~/...);
	// ConfigMissing is true when there is no such file yet.
	ConfigFile    string
	ConfigMissing bool

	// Tick is the clock's timer (tea.Tick when nil): a pane waits through
	// After, never through tea.Tick, so a test's clock decides when a wait
	// is over.
	Tick func(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd
	// CursorMode is how the cursors of the fields that blink (the
	// composer's, the calendar's move prompt) are drawn: cursor.CursorBlink,
	// the zero value, in the program. A blink is a timer of the text field's
	// own, outside the clock: tests keep cursors still.
	CursorMode cursor.Mode
}

// NoAccounts says, when there are no accounts, how to add one: the command
// and the file.
func (c *Common) NoAccounts() string {
	file := c.ConfigFile
	if file == "" {
		file = "the config file"
	}
	if c.ConfigMissing {
		return "No accounts yet: run crier init to write " + file + " with them (config.example.yaml shows every key)."
	}
	return "No accounts yet: add them to " + file + " (config.example.yaml shows how; crier login mastodon SERVER signs in to Mastodon)."
}

// CampaignMark is the mark of a post in campaign id, its name cut to w
// cells after a "◆" ("◆ Spring Sale"); "" for no campaign, or one not
// loaded yet.
func (c *Common) CampaignMark(id int64, w int) string {
	name, ok := c.Campaigns[id]
	if id == 0 || !ok || w < 4 {
		return ""
	}
	return Truncate("◆ "+Clean(name), w, "…")
}

// Account returns the account with id, and whether it is known.
func (c *Common) Account(id int64) (store.Account, bool) {
	for _, a := range c.Accounts {
		if a.ID == id {
			return a, true
		}
	}
	return store.Account{}, false
}

// After is a command that answers msg once d has passed on the clock.
func (c *Common) After(d time.Duration, msg tea.Msg) tea.Cmd {
	tick := c.Tick
	if tick == nil {
		tick = tea.Tick
	}
	return tick(d, func(time.Time) tea.Msg { return msg })
}

// Wake wakes the scheduler if there is one.
func (c *Common) Wake() {
	if c.Waker != nil {
		c.Waker.Wake()
	}
}

// Pane is what the root model needs from each tab.
type Pane interface {
	help.KeyMap
	Init() tea.Cmd
	Update(msg tea.Msg) (Pane, tea.Cmd)
	View() string
	// SetSize gives the pane the space below the tab bar and above the
	// status bar, and returns what the new size needs done (the rows a
	// taller list now shows, fetched), or nil.
	SetSize(width, height int) tea.Cmd
	// Capturing is true while the pane takes typed text (a composer, a
	// filter), so the root must not treat letters and digits as global keys.
	Capturing() bool
}

// TextFocus is implemented by a pane that can say when a text field (not a
// list or a picker inside it) has the keyboard. Runes that arrive together
// then go to the field in one message, as typed; otherwise the root hands
// them to the pane one at a time, as keys.
type TextFocus interface {
	TypingText() bool
}

// HelpSection is one heading of the ? screen: where some keys apply ("In
// the list", "While replying") and those keys, so a key that means different
// things in different places is listed under each place once.
type HelpSection struct {
	Title string
	Keys  []key.Binding
}

// Mark is a symbol a pane draws and what it means, for the ? screen.
type Mark struct {
	Symbol  string
	Meaning string
}

// HelpPage is implemented by a pane whose ? screen groups its keys by mode
// and explains the marks it draws. A pane without it is shown by its
// FullHelp columns.
type HelpPage interface {
	HelpSections() []HelpSection
	Marks() []Mark
}

// WriteGuard is implemented by a pane whose keys can post, reply, like or
// edit: in a read-only session the root asks it about each key before
// forwarding it, and refuses the keys that would write.
type WriteGuard interface {
	// Writes says whether msg, in the pane's present mode, would change
	// something, and what ("reply", "like"), for the refusal.
	Writes(msg tea.KeyMsg) (what string, writes bool)
}

// WritesWith reports whether msg matches one of bindings, and its help
// text: the usual body of a WriteGuard.
func WritesWith(msg tea.KeyMsg, bindings ...key.Binding) (string, bool) {
	for _, b := range bindings {
		if key.Matches(msg, b) {
			return b.Help().Desc, true
		}
	}
	return "", false
}

// ReadOnlyRefusal is what the status bar says when a key that writes is
// pressed in a read-only session.
func ReadOnlyRefusal(what string) string {
	return "read-only (glance key): " + what + " needs a full key"
}

// StatusMsg asks the root to show a transient message in the status bar.
type StatusMsg struct {
	Text string
	Err  bool
}

// Status returns a command that shows a transient status message.
func Status(text string, isErr bool) tea.Cmd {
	return func() tea.Msg { return StatusMsg{Text: text, Err: isErr} }
}

// DataChangedMsg is broadcast to every pane when posts, deliveries or inbox
// items changed behind its back (the scheduler sent something, another pane
// saved): panes reload what they show.
type DataChangedMsg struct{ What string }

// ComposeMsg asks the root to open the drafts composer, for a new post on Day
// (zero for no day) or for editing PostID.
type ComposeMsg struct {
	Day    time.Time
	PostID int64
}

// FocusMsg tells a pane it became the visible tab.
type FocusMsg struct{}

// BeforeQuitMsg is sent to every pane just before crier quits; a pane holding
// unsaved text returns a command that saves it, and the root quits after it.
type BeforeQuitMsg struct{}

// Query is a command that asks something of the store (or another slow
// source) off the UI loop, the context cancelled after timeout.
func Query(timeout time.Duration, ask func(ctx context.Context) tea.Msg) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		return ask(ctx)
	}
}

// StoreQuery counts *seq on, so that answers to earlier asks can be told
// apart and dropped, and asks the store as Query does, with that number; nil
// where there is no store.
func (c *Common) StoreQuery(seq *int, timeout time.Duration, ask func(ctx context.Context, st *store.Store, seq int) tea.Msg) tea.Cmd {
	*seq++
	n, st := *seq, c.Store
	if st == nil {
		return nil
	}
	return Query(timeout, func(ctx context.Context) tea.Msg { return ask(ctx, st, n) })
}
