package planner

import (
	"context"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/keys"
	"github.com/crier-app/crier/tui/styles"
)

// tabList is what a tab that lists things read at once holds: the answer
// to its latest load and the cursor. The A/B tests, the series and the
// feeds are such tabs.
type tabList[T any] struct {
	seq    int
	loaded bool
	err    error
	items  []T
	cursor int
}

// loadedMsg answers a tabList's load: the items, or why there are none.
type loadedMsg[T any] struct {
	seq   int
	items []T
	err   error
}

// load reads the items with read; answers to earlier loads will be
// dropped.
func (l *tabList[T]) load(read func(ctx context.Context) ([]T, error)) tea.Cmd {
	l.seq++
	seq := l.seq
	return common.Query(queryTimeout, func(ctx context.Context) tea.Msg {
		items, err := read(ctx)
		if err != nil {
			items = nil
		}
		return loadedMsg[T]{seq: seq, items: items, err: err}
	})
}

// receive takes msg when it answers the latest load, keeping the cursor on
// an item, and says whether it did. After an error the items stay as they
// were.
func (l *tabList[T]) receive(msg loadedMsg[T]) bool {
	if msg.seq != l.seq {
		return false
	}
	l.loaded, l.err = true, msg.err
	if msg.err == nil {
		l.items = msg.items
	}
	l.clampCursor()
	return true
}

// step moves the cursor one item up or down on nav's Up and Down keys, and
// says whether k was one of them.
func (l *tabList[T]) step(nav keys.Nav, k tea.KeyMsg) bool {
	switch {
	case key.Matches(k, nav.Up):
		l.cursor = max(l.cursor-1, 0)
	case key.Matches(k, nav.Down):
		l.cursor = max(0, min(l.cursor+1, len(l.items)-1))
	default:
		return false
	}
	return true
}

// clampCursor keeps the cursor on an item (on 0 when there is none).
func (l *tabList[T]) clampCursor() { l.cursor = max(0, min(l.cursor, len(l.items)-1)) }

// placeholder is what the tab shows instead of its items while the first
// load runs, after a failed one ("Cannot read " and what), and when there
// are none (none); ok is false when there are items to show.
func (l *tabList[T]) placeholder(s *styles.Styles, what, none string) (lines []string, ok bool) {
	switch {
	case !l.loaded && l.err == nil:
		return []string{"", s.Muted.Render("loading…")}, true
	case l.err != nil:
		return []string{"", s.Danger.Render("Cannot read " + what + ": " + common.Clean(l.err.Error()))}, true
	case len(l.items) == 0:
		return []string{"", s.Muted.Render(none)}, true
	}
	return nil, false
}
