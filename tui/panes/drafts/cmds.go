package drafts

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
)

// listLimit caps how many unsent posts the list loads. Unsent posts are the
// working set (drafts and the queue), not history, so this is generous.
const listLimit = 500

// Messages. Each names who asked (a load sequence or a composer generation)
// so a reply that arrives after the user moved on is dropped.
type (
	loadedMsg struct {
		seq   int
		items []store.PostSummary
		err   error
	}
	openedMsg struct {
		seq      int
		post     store.Post
		unqueued bool
		err      error
	}
	deletedMsg struct {
		id  int64
		err error
	}
	autosaveMsg struct{ gen, seq int }
	savedMsg    struct {
		gen    int
		id     int64
		at     time.Time
		forked bool // the post had stopped being a draft; the text went to a new one
		err    error
	}
	queuedMsg struct {
		gen int
		id  int64
		err error
	}
)

func dataChanged() tea.Msg { return common.DataChangedMsg{What: "posts"} }

func loadCmd(st *store.Store, seq int) tea.Cmd {
	return func() tea.Msg {
		items, err := st.Unsent(context.Background(), listLimit)
		return loadedMsg{seq: seq, items: items, err: err}
	}
}

// openCmd loads a post for editing. A queued, failed or missed post is first
// turned back into a draft, so the scheduler can't send it while it changes;
// one that went out (even to some accounts only) can't be edited.
func openCmd(c *common.Common, seq int, id int64, now time.Time) tea.Cmd {
	st := c.Store
	return func() tea.Msg {
		ctx := context.Background()
		p, err := st.Post(ctx, id)
		if err != nil {
			return openedMsg{seq: seq, err: err}
		}
		switch p.State {
		case store.PostDraft:
			return openedMsg{seq: seq, post: p}
		case store.PostSent:
			return openedMsg{seq: seq, err: fmt.Errorf("post #%d was sent: it can't be edited", id)}
		}
		if err := st.UnqueuePost(ctx, id, now); err != nil {
			return openedMsg{seq: seq, err: err}
		}
		c.Wake() // its deliveries are gone: the scheduler's next due time may have changed
		p, err = st.Post(ctx, id)
		return openedMsg{seq: seq, post: p, unqueued: true, err: err}
	}
}

func deleteCmd(c *common.Common, id int64) tea.Cmd {
	st := c.Store
	return func() tea.Msg {
		err := st.DeletePost(context.Background(), id)
		if err == nil {
			c.Wake()
		}
		return deletedMsg{id: id, err: err}
	}
}

// draftSaver serialises one composer's writes and remembers the id the first
// insert got. The composer keeps a single save in flight; the saver makes
// that hold even for the save run on quit, which may overlap one: two saves
// of a new post can never both insert it.
type draftSaver struct {
	mu sync.Mutex
	id int64
}

func (s *draftSaver) saveLocked(ctx context.Context, st *store.Store, p store.Post, now time.Time) (id int64, forked bool, err error) {
	p.ID = s.id
	id, err = st.SaveDraft(ctx, p, now)
	if p.ID != 0 && errors.Is(err, store.ErrNotDraft) {
		// It was queued or deleted behind the composer's back: keep the
		// text as a new draft rather than lose it.
		p.ID = 0
		id, err = st.SaveDraft(ctx, p, now)
		forked = err == nil
	}
	if err == nil {
		s.id = id
	}
	return id, forked, err
}

func (s *draftSaver) save(ctx context.Context, st *store.Store, p store.Post, now time.Time) (int64, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.saveLocked(ctx, st, p, now)
}

func (s *draftSaver) queue(ctx context.Context, st *store.Store, p store.Post, at time.Time, zone string, now time.Time) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, _, err := s.saveLocked(ctx, st, p, now)
	if err != nil {
		return s.id, err
	}
	return id, st.QueuePost(ctx, id, at, zone, now)
}

func saveCmd(st *store.Store, sv *draftSaver, gen int, p store.Post, now time.Time) tea.Cmd {
	return func() tea.Msg {
		id, forked, err := sv.save(context.Background(), st, p, now)
		return savedMsg{gen: gen, id: id, at: now, forked: forked, err: err}
	}
}

func queueCmd(c *common.Common, sv *draftSaver, gen int, p store.Post, at time.Time, now time.Time) tea.Cmd {
	st, zone := c.Store, c.Zone.String()
	return func() tea.Msg {
		id, err := sv.queue(context.Background(), st, p, at, zone, now)
		if err == nil {
			c.Wake()
		}
		return queuedMsg{gen: gen, id: id, err: err}
	}
}

func autosaveAfter(d time.Duration, gen, seq int) tea.Cmd {
	return tea.Tick(d, func(time.Time) tea.Msg { return autosaveMsg{gen: gen, seq: seq} })
}
