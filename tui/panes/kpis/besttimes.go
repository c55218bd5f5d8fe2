package kpis

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/timing"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/keys"
)

// heatChoice is whose best times the heatmap shows and how its cells read.
type heatChoice struct {
	// pick is 0 for every account together, i for the i-th of
	// Common.Accounts (1-based).
	pick int
	// counts draws each cell's number of posts instead of its shade.
	counts bool
}

// heatKeys are the heatmap's own keys.
type heatKeys struct {
	Account, Counts key.Binding
}

func defaultHeatKeys() heatKeys {
	return heatKeys{
		Account: keys.New("a", "best times: next account"),
		Counts:  keys.New("#", "best times: posts per cell"),
	}
}

// accountID is the account picked, 0 for all.
func (h heatChoice) accountID(c *common.Common) int64 {
	if h.pick < 1 || h.pick > len(c.Accounts) {
		return 0
	}
	return c.Accounts[h.pick-1].ID
}

// heatKey handles the heatmap's keys: a picks the next account (and reads
// its history), # switches shades and post counts.
func (m *Model) heatKey(msg tea.KeyMsg) (tea.Cmd, bool) {
	switch {
	case key.Matches(msg, m.heatKeys.Account):
		m.heat.pick = (m.heat.pick + 1) % (len(m.c.Accounts) + 1)
		return m.load(), true
	case key.Matches(msg, m.heatKeys.Counts):
		m.heat.counts = !m.heat.counts
		m.layout()
		return nil, true
	}
	return nil, false
}

// accountTop is one account's best windows, for the all-accounts view.
type accountTop struct {
	account store.Account
	posts   int
	top     []timing.Window
}

// loadBestTimes reads the heatmap of one account (0: of all) and, for all,
// each account's own best windows over the same weeks: what works on one
// network need not on another.
func loadBestTimes(ctx context.Context, st *store.Store, now time.Time, zone *time.Location, account int64) (timing.Heatmap, []accountTop, error) {
	o := timing.BestTimeOptions{Now: now, Loc: zone}
	if account != 0 {
		o.Accounts = []int64{account}
	}
	heat, err := timing.BestTimes(ctx, st, o)
	if err != nil || len(heat.Accounts) == 0 {
		return heat, nil, err
	}
	accounts, err := st.Accounts(ctx)
	if err != nil {
		return heat, nil, err
	}
	var tops []accountTop
	for _, b := range heat.Accounts {
		for _, a := range accounts {
			if a.ID == b.AccountID {
				tops = append(tops, accountTop{account: a, posts: b.Posts, top: b.Top})
			}
		}
	}
	return heat, tops, nil
}

// heatWho names whose history the heatmap reads.
func (m *Model) heatWho() string {
	if id := m.heat.accountID(m.c); id != 0 && id == m.more.heatAccount {
		for _, a := range m.c.Accounts {
			if a.ID == id {
				return a.Platform + " " + common.Clean(a.Handle)
			}
		}
	}
	return "all accounts"
}

// cellCount writes a cell's number of posts in w characters: the too-few
// mark before it where there is room, "+" when it does not fit.
func cellCount(c timing.Cell, w, minPosts int) string {
	if c.Posts == 0 {
		return strings.Repeat(noneMark, w)
	}
	n := strconv.Itoa(c.Posts)
	if len(n) > w {
		return strings.Repeat("+", w)
	}
	if c.Posts < minPosts && len(n) < w {
		n = fewMark + n
	}
	return common.Pad("", w-lipgloss.Width(n)) + n
}

// bestWords names the best windows: "Sat 07:00-09:00 (+40%, 6 posts)".
func bestWords(ws []timing.Window) []string {
	var out []string
	for _, w := range ws {
		out = append(out, fmt.Sprintf("%s (%+.0f%%, %d posts)", w, 100*w.Lift, w.Posts))
	}
	return out
}

// wrapPieces lays pieces out after head, " · " between them, in lines of
// at most w cells, never breaking a piece (a window's "07:00-09:00" stays
// whole); later lines start with indent.
func wrapPieces(head, indent string, pieces []string, w int) []string {
	var out []string
	line := head
	for i, p := range pieces {
		sep := ""
		if i > 0 {
			sep = " · "
		}
		if i > 0 && lipgloss.Width(line+sep+p) > w {
			out = append(out, line)
			line, sep = indent, ""
		}
		line += sep + p
	}
	return append(out, common.Truncate(line, w, "…"))
}

// topLines name the best windows of the heatmap and, over all accounts,
// of each account.
func (m *Model) topLines() []string {
	s := m.c.Styles
	h := m.more.heat
	var out []string
	if len(h.Top) == 0 {
		out = append(out, s.Muted.Render("No slot stands out yet: post at a few more times to compare them."))
	} else {
		for _, l := range wrapPieces("Best: ", "      ", bestWords(h.Top), m.width) {
			out = append(out, s.Text.Render(l))
		}
	}
	for _, t := range m.more.tops {
		who := "  " + t.account.Platform + " " + common.Clean(t.account.Handle) + ": "
		words := bestWords(t.top)
		if len(t.top) == 0 {
			words = []string{fmt.Sprintf("none stands out yet (%s)", common.Count(t.posts, "post", "posts"))}
		}
		for _, l := range wrapPieces(who, "    ", words, m.width) {
			out = append(out, s.Text.Render(l))
		}
	}
	return out
}
