package planner

import (
	"context"
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
)

// entriesShown is how many of a feed's newest entries the Feeds view lists.
const entriesShown = 5

// feedsTab lists the feeds of the config with how their last reads went
// (a feed that fails is reported here, on the feed) and their newest
// entries, each with the draft it became.
type feedsTab struct {
	tabList[feedItem]
}

type feedItem struct {
	feed    store.Feed
	entries []store.FeedEntry
}

type feedsLoadedMsg = loadedMsg[feedItem]

func (t *feedsTab) load(m *Model) tea.Cmd {
	st := m.c.Store
	return t.tabList.load(func(ctx context.Context) ([]feedItem, error) {
		fs, err := st.Feeds(ctx)
		if err != nil {
			return nil, err
		}
		var items []feedItem
		for _, f := range fs {
			es, err := st.FeedEntries(ctx, f.ID, entriesShown)
			if err != nil {
				return nil, fmt.Errorf("feed %q: %w", f.Name, err)
			}
			items = append(items, feedItem{feed: f, entries: es})
		}
		return items, nil
	})
}

func (t *feedsTab) key(m *Model, k tea.KeyMsg) tea.Cmd {
	t.step(m.c.Nav, k)
	return nil
}

func (t *feedsTab) view(m *Model) []string {
	s := m.c.Styles
	if lines, ok := t.placeholder(s, "the feeds", "No feeds. Name RSS or Atom feeds under feeds: in the config; new entries become drafts."); ok {
		return lines
	}
	out := []string{""}
	for i, it := range t.items {
		f := it.feed
		state := s.Ok.Render("read " + m.when(f.OKAt))
		switch {
		case f.FetchedAt.IsZero():
			state = s.Muted.Render("not read yet")
		case f.LastError != "":
			state = s.Danger.Render(fmt.Sprintf("FAILING (%s in a row)", common.Count(f.Failures, "time", "times")))
		}
		name := common.Clean(f.Name)
		if f.Title != "" && f.Title != f.Name {
			name += " · " + common.Clean(f.Title)
		}
		line := common.Spread(common.Truncate(name, m.width/2, "…"), state, m.width-2)
		if i == t.cursor {
			out = append(out, s.Selected.Render(common.Pad("▸ "+line, m.width)))
		} else {
			out = append(out, "  "+line)
		}
	}
	f := t.items[t.cursor]
	out = append(out, "", s.Bold.Render(common.Clean(f.feed.Name))+s.Muted.Render(" "+common.Clean(f.feed.URL)))
	goes := "entries become drafts for " + m.accountNames(f.feed.Accounts) + "; nothing goes out unless you queue it"
	if f.feed.FillQueue {
		goes = "entries are queued into the next free slots of " + m.accountNames(f.feed.Accounts) + " (fill_queue)"
	}
	for _, l := range common.Wrap(goes, m.width-2) {
		out = append(out, s.Muted.Render("  "+l))
	}
	if f.feed.LastError != "" {
		for _, l := range common.Wrap("last read "+m.when(f.feed.FetchedAt)+" failed: "+common.OneLine(common.Clean(f.feed.LastError)), m.width-2) {
			out = append(out, s.Danger.Render("  "+l))
		}
		if !f.feed.OKAt.IsZero() {
			out = append(out, s.Muted.Render("  last read that worked: "+m.when(f.feed.OKAt)))
		}
	}
	out = append(out, "", s.Muted.Render(fmt.Sprintf("Newest entries (%d at most):", entriesShown)))
	if len(f.entries) == 0 {
		out = append(out, s.Muted.Render("  none yet"))
	}
	for _, e := range f.entries {
		became := "draft made"
		if e.PostID == 0 {
			became = "no draft (deleted, or before the first read)"
		}
		out = append(out, "  "+s.Text.Render(common.Pad(m.when(e.SeenAt), 17)+" "+common.OneLine(common.Clean(e.Title)))+s.Muted.Render(" · "+became))
	}
	return out
}
