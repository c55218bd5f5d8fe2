package drafts

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/components/photos"
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
		seq  int
		open opened
		err  error
	}
	// actedMsg reports a list action on a post (back to drafts, send its
	// failed copies now, drop them).
	actedMsg struct {
		id   int64
		text string
		err  error
	}
	deletedMsg struct {
		id  int64
		err error
	}
	autosaveMsg struct{ gen, seq int }
	savedMsg    struct {
		gen      int
		id       int64
		at       time.Time
		forked   bool // the post went out, or stopped being a draft: the text went to a new one
		nowDraft bool // the post went back to drafts elsewhere and was saved as one
		copied   bool // edits that can't go out were kept as a new draft
		// now is the post on its way as the save left it (its state and
		// copies: a new time queues failed and missed copies again); nil
		// for a draft.
		now *postNow
		err error
	}
	queuedMsg struct {
		gen int
		id  int64
		err error
		// held are the accounts whose copy a paused queue holds: they do
		// not go out at the time the post was given.
		held []int64
	}
)

func dataChanged() tea.Msg { return common.DataChangedMsg{What: "posts"} }

func loadCmd(st *store.Store, seq int) tea.Cmd {
	return func() tea.Msg {
		items, err := st.Unsent(context.Background(), listLimit)
		return loadedMsg{seq: seq, items: items, err: err}
	}
}

// openCmd loads a post for editing, with its copies and photos. Opening
// changes nothing: a queued post stays queued while it is edited, and one
// that went out everywhere can't be edited.
func openCmd(c *common.Common, seq int, id int64) tea.Cmd {
	st := c.Store
	return func() tea.Msg {
		ctx := context.Background()
		p, err := st.Post(ctx, id)
		if err != nil {
			return openedMsg{seq: seq, err: err}
		}
		if p.State == store.PostSent {
			return openedMsg{seq: seq, err: fmt.Errorf("%s went out: it can't be edited", postName(p.Body))}
		}
		o := opened{post: p, photos: inspectAll(p.Media)}
		if p.State != store.PostDraft {
			if o.copies, err = st.PostCopies(ctx, id); err != nil {
				return openedMsg{seq: seq, err: err}
			}
		}
		return openedMsg{seq: seq, open: o}
	}
}

// inspectAll reads each image's file.
func inspectAll(media []store.Media) []photos.Photo {
	out := make([]photos.Photo, len(media))
	for i, m := range media {
		out[i].Media = m
		out[i].Info, out[i].Err = photos.Inspect(m.Path)
	}
	return out
}

// unqueueCmd takes a queued, failed or missed post back to the drafts: its
// copies are withdrawn, so it won't go out until it is queued again.
func unqueueCmd(c *common.Common, id int64, name string, now time.Time) tea.Cmd {
	st := c.Store
	return func() tea.Msg {
		err := st.UnqueuePost(context.Background(), id, now)
		if err == nil {
			c.Wake()
		}
		return actedMsg{id: id, err: err,
			text: name + " is back in drafts: it won't go out until you queue it again"}
	}
}

// retryCmd sends a post's failed and missed copies now.
func retryCmd(c *common.Common, id int64, name, which string, now time.Time) tea.Cmd {
	st := c.Store
	return func() tea.Msg {
		err := st.RetryUnsent(context.Background(), id, now)
		if err == nil {
			c.Wake()
		}
		return actedMsg{id: id, err: err, text: fmt.Sprintf("%s: sending %s now", name, which)}
	}
}

// dropCmd drops a post's failed and missed copies.
func dropCmd(c *common.Common, id int64, name, which string, now time.Time) tea.Cmd {
	st := c.Store
	return func() tea.Msg {
		err := st.DropUnsent(context.Background(), id, now)
		return actedMsg{id: id, err: err, text: fmt.Sprintf("%s: %s won't go out", name, which)}
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
//
// A draft is saved as a draft. A queued, failed or missed post (unsent) is
// saved where it is; if it went out, or back to drafts, elsewhere, the
// text is kept all the same.
type draftSaver struct {
	mu     sync.Mutex
	id     int64
	unsent bool
}

func (s *draftSaver) isUnsent() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.unsent
}

// saveResult says where a save put the text.
type saveResult struct {
	id       int64
	forked   bool
	nowDraft bool
	now      *postNow
}

// postNow is a post on its way as a save left it.
type postNow struct {
	state  store.PostState
	copies []store.Copy
}

func (s *draftSaver) saveLocked(ctx context.Context, st *store.Store, p store.Post, now time.Time) (saveResult, error) {
	p.ID = s.id
	if s.unsent {
		err := st.SaveUnsent(ctx, p, now)
		if err == nil {
			r := saveResult{id: s.id}
			// Only what the composer shows: a failed read leaves it as it was.
			if saved, err := st.Post(ctx, s.id); err == nil {
				if copies, err := st.PostCopies(ctx, s.id); err == nil {
					r.now = &postNow{state: saved.State, copies: copies}
				}
			}
			return r, nil
		}
		if !errors.Is(err, store.ErrNotUnsent) {
			return saveResult{id: s.id}, err
		}
		// It went out, or back to drafts, behind the composer's back.
		s.unsent = false
		r, err := s.saveDraftLocked(ctx, st, p, now)
		r.nowDraft = !r.forked
		return r, err
	}
	return s.saveDraftLocked(ctx, st, p, now)
}

func (s *draftSaver) saveDraftLocked(ctx context.Context, st *store.Store, p store.Post, now time.Time) (saveResult, error) {
	p.ID = s.id
	id, err := st.SaveDraft(ctx, p, now)
	forked := false
	if p.ID != 0 && errors.Is(err, store.ErrNotDraft) {
		// It was queued, sent or deleted behind the composer's back: keep
		// the text as a new draft rather than lose it.
		p.ID = 0
		id, err = st.SaveDraft(ctx, p, now)
		forked = err == nil
	}
	if err == nil {
		s.id = id
	}
	return saveResult{id: s.id, forked: forked}, err
}

func (s *draftSaver) save(ctx context.Context, st *store.Store, p store.Post, now time.Time) (saveResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.saveLocked(ctx, st, p, now)
}

// queue saves the post and sends it on its way at at: a draft is queued; a
// post on its way is moved to at, its failed and missed copies queued
// again with the others.
func (s *draftSaver) queue(ctx context.Context, st *store.Store, p store.Post, at time.Time, zone string, now time.Time) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	wasUnsent := s.unsent
	r, err := s.saveLocked(ctx, st, p, now)
	if err != nil {
		return s.id, err
	}
	if wasUnsent && s.unsent {
		return r.id, st.ReschedulePost(ctx, r.id, at, zone, now)
	}
	return r.id, st.QueuePost(ctx, r.id, at, zone, now)
}

func saveCmd(st *store.Store, sv *draftSaver, gen int, p store.Post, now time.Time) tea.Cmd {
	return func() tea.Msg {
		r, err := sv.save(context.Background(), st, p, now)
		return savedMsg{gen: gen, id: r.id, at: now, forked: r.forked, nowDraft: r.nowDraft, now: r.now, err: err}
	}
}

// heldCopies lists the accounts whose copy of post id a paused queue
// holds, for the message that says when the post goes out. It is only a
// note: a failed read leaves it out.
func heldCopies(ctx context.Context, st *store.Store, id int64) []int64 {
	copies, err := st.PostCopies(ctx, id)
	if err != nil {
		return nil
	}
	var held []int64
	for _, c := range copies {
		if c.Held {
			held = append(held, c.AccountID)
		}
	}
	return held
}

// heldNote says which copies a paused queue holds (" (the Mastodon copy
// is held: its queue is paused)"), "" for none. Messages put it before the
// times, which a narrow status bar may cut.
func heldNote(c *common.Common, held []int64) string {
	if len(held) == 0 {
		return ""
	}
	var names []string
	for _, id := range held {
		name := fmt.Sprint("account ", id)
		if a, ok := c.Account(id); ok {
			name = common.NetworkName(a.Platform)
		}
		names = append(names, name)
	}
	if len(names) == 1 {
		return " (the " + names[0] + " copy is held: its queue is paused)"
	}
	return " (the " + strings.Join(names, " and ") + " copies are held: their queues are paused)"
}

// quitSaveCmd is saveCmd for the last save before crier quits. No one is
// left to try again, so edits that a post on its way can't take at this
// moment (it is due, or being sent: it goes out as it stands) are kept as
// a new draft rather than lost with the program.
func quitSaveCmd(st *store.Store, sv *draftSaver, gen int, p store.Post, now time.Time) tea.Cmd {
	return func() tea.Msg {
		ctx := context.Background()
		r, err := sv.save(ctx, st, p, now)
		if !errors.Is(err, store.ErrDueNow) && !errors.Is(err, store.ErrSendingNow) {
			return savedMsg{gen: gen, id: r.id, at: now, forked: r.forked, nowDraft: r.nowDraft, now: r.now, err: err}
		}
		p.ID, p.State = 0, store.PostDraft
		id, err := st.SaveDraft(ctx, p, now)
		return savedMsg{gen: gen, id: id, at: now, copied: true, err: err}
	}
}

func queueCmd(c *common.Common, sv *draftSaver, gen int, p store.Post, at time.Time, now time.Time) tea.Cmd {
	st, zone := c.Store, c.Zone.String()
	return func() tea.Msg {
		id, err := sv.queue(context.Background(), st, p, at, zone, now)
		var held []int64
		if err == nil {
			c.Wake()
			held = heldCopies(context.Background(), st, id)
		}
		return queuedMsg{gen: gen, id: id, err: err, held: held}
	}
}
