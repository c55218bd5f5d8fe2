package inbox

import (
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/tui/common"
)

// Search and the label filter. "/" opens a line above the list where what
// is typed searches the text and authors of the items in the list's other
// filters, the list following as one types (after a short pause); enter
// keeps the search and goes back to the list, esc drops it. "v"/"V" cycle
// through the labels in use. Both read the store's search index, newest
// first: the needs-attention order gives way to them.

// searchDelay is how long typing must pause before the list follows: a
// search per key held down would queue loads the next key makes stale.
const searchDelay = 120 * time.Millisecond

// searchTypedMsg fires when typing paused; seq tells whether more came.
type searchTypedMsg struct{ seq int }

// openSearch shows the search line with the current search in it.
func (m *Model) openSearch() tea.Cmd {
	m.searching = true
	m.searchInput.SetValue(m.filter.Search)
	m.searchInput.CursorEnd()
	m.searchOpened = m.filter.Search
	m.fitSearchInput()
	return tea.Batch(m.searchInput.Focus(), m.takeKept(keptSearch, nil))
}

// fitSearchInput makes the line as wide as what is typed (up to a third
// of the pane), so the filters and the count after it stay in view.
func (m *Model) fitSearchInput() {
	w := common.Width(m.searchInput.Value()) + 1
	if m.searchInput.Value() == "" {
		w = common.Width(m.searchInput.Placeholder) + 1
	}
	m.searchInput.Width = max(min(w, m.width/3), 1)
	// The line scrolled while it was narrower (the key that widened it
	// was typed at the old width): show it from the start again where
	// it now fits.
	m.searchInput.SetCursor(m.searchInput.Position())
}

func (m *Model) searchKey(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Cancel):
		// Out of the line, and the search with it.
		m.searching = false
		m.searchInput.Blur()
		m.searchSeq++
		if m.filter.Search == "" {
			return nil
		}
		m.filter.Search = ""
		return m.load(loadSpec{holdKeys: true})
	case key.Matches(msg, m.keys.Confirm):
		m.searching = false
		m.searchInput.Blur()
		m.searchSeq++
		return m.applySearch(m.searchInput.Value())
	}
	before := m.searchInput.Value()
	var cmd tea.Cmd
	m.searchInput, cmd = m.searchInput.Update(msg)
	m.fitSearchInput()
	if m.searchInput.Value() == before {
		return cmd
	}
	m.searchSeq++
	return tea.Batch(cmd, m.c.After(searchDelay, searchTypedMsg{seq: m.searchSeq}))
}

// applySearch makes text the search, when it is not already.
func (m *Model) applySearch(text string) tea.Cmd {
	text = strings.TrimSpace(text)
	if text == m.filter.Search {
		return nil
	}
	m.filter.Search = text
	if text != "" {
		m.filter.Attention = false
	}
	return m.load(loadSpec{holdKeys: !m.searching})
}

func (m *Model) onSearchTyped(msg searchTypedMsg) tea.Cmd {
	if msg.seq != m.searchSeq || !m.searching {
		return nil
	}
	return m.applySearch(m.searchInput.Value())
}

// cycleLabel moves the label filter to the next (dir 1) or previous label
// in use, through "every label".
func (m *Model) cycleLabel(dir int) tea.Cmd {
	values := append([]string{""}, m.labels...)
	if m.filter.Label != "" && !slices.Contains(values, m.filter.Label) {
		values = append(values, m.filter.Label)
	}
	if len(values) == 1 {
		return common.Status("no item has a label yet: # puts one on", false)
	}
	m.filter.Label = cycle(values, m.filter.Label, dir)
	if m.filter.Label != "" {
		m.filter.Attention = false
	}
	return m.load(loadSpec{holdKeys: true})
}

// clearSearch drops the search and the label filter, when there are any.
func (m *Model) clearSearch() tea.Cmd {
	if m.filter.Search == "" && m.filter.Label == "" {
		return nil
	}
	m.filter.Search, m.filter.Label = "", ""
	return m.load(loadSpec{holdKeys: true})
}
