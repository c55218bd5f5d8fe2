package inbox

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"sort"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/timeparse"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/keys"
)

// Triage actions beyond a state change: reactions, labels, the bulk
// selection, undo and opening a link. Each action is saved in the command
// that reloads the list, and keys wait for it (loadSpec.holdKeys), so an
// action is on disk before the next key is handled. A reaction's network
// call comes after, without holding keys: the item is marked at once, and
// unmarked again, with the reason, if the network refuses.

// maxUndo is how many actions z can take back, newest first.
const maxUndo = 20

// action is a triage change to save before the next load.
type action struct {
	ids []int64
	// apply saves the change and says what it did.
	apply func(ctx context.Context, st *store.Store) (note string, err error)
	// undoable snapshots the items before apply, for z.
	undoable bool
	// react is the network part of a like or repost, run after the save.
	react *reactJob
	// undoOf names the action this one takes back, for the status line.
	undoOf string
	// labels: the action may change which labels are in use.
	labels bool
	// label is the label a label toggle put on or took off.
	label string
}

// reactJob is a reaction to send to the networks: one per item.
type reactJob struct {
	items []store.InboxItem
	r     store.Reaction
	on    bool
	// undoSeq is the undo record of the action, if it has one: what the
	// network refused did not happen, so there is nothing to take back.
	undoSeq int
}

// undoRecord is what z puts back: the items as they were before an action,
// and for a reaction, which one it was.
type undoRecord struct {
	seq      int
	before   []store.InboxItem
	note     string
	reaction store.Reaction // "" unless the action was a like or repost
	labels   bool           // the action changed labels
	label    string         // the label a label toggle changed, or ""
}

// reactedMsg answers a reactJob: how many the networks took, and the first
// refusal.
type reactedMsg struct {
	job     reactJob
	failed  int
	refused []int64
	err     error
}

// openedMsg answers an attempt to open a link.
type openedMsg struct {
	url   string
	shown bool // there is no browser here: the link is shown instead
	err   error
}

// targets are the items an action applies to: the selection when there is
// one, else the cursor item.
func (m *Model) targets() []store.InboxItem {
	if len(m.marked) > 0 {
		out := make([]store.InboxItem, 0, len(m.marked))
		for _, it := range m.marked {
			out = append(out, it)
		}
		sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
		return out
	}
	if it, ok := m.list.Selected(); ok {
		return []store.InboxItem{it}
	}
	return nil
}

func ids(items []store.InboxItem) []int64 {
	out := make([]int64, len(items))
	for i, it := range items {
		out[i] = it.ID
	}
	return out
}

// howMany is "3 items" for a bulk action, "" for one item.
func howMany(n int) string {
	if n == 1 {
		return ""
	}
	return fmt.Sprintf(" (%d items)", n)
}

// run saves a, then reloads around the cursor item (the list may lose it:
// the cursor then lands on the item that followed). The selection is spent.
func (m *Model) run(a *action) tea.Cmd {
	spec := loadSpec{act: a, holdKeys: true}
	if it, ok := m.list.Selected(); ok {
		k := it.Key()
		spec.at = &k
	}
	clear(m.marked)
	return m.load(spec)
}

// stateAction moves the targets to state (snoozed until until).
func (m *Model) stateAction(items []store.InboxItem, state store.InboxState, until time.Time) tea.Cmd {
	if len(items) == 0 {
		return nil
	}
	if len(items) == 1 && items[0].State == state && state != store.InboxSnoozed {
		return common.Status(fmt.Sprintf("already %s", state), false)
	}
	note := ""
	switch state {
	case store.InboxDone:
		note = "done"
	case store.InboxOpen:
		note = "reopened"
	case store.InboxSnoozed:
		note = "snoozed until " + m.formatTime(until)
	}
	note += howMany(len(items))
	list := ids(items)
	return m.run(&action{ids: list, undoable: true,
		apply: func(ctx context.Context, st *store.Store) (string, error) {
			return note, st.SetInboxState(ctx, list, state, until)
		}})
}

// react likes or reposts the targets, or, when every one already is, takes
// it back.
func (m *Model) react(r store.Reaction) tea.Cmd {
	items := m.targets()
	if len(items) == 0 {
		return nil
	}
	if m.c.Reactor == nil {
		return common.Status("likes and reposts go out through the scheduler, which is off (scheduler.enabled)", true)
	}
	all := len(items)
	items = slices.DeleteFunc(slices.Clone(items), func(it store.InboxItem) bool { return it.Kind == store.KindDM })
	if len(items) == 0 {
		return common.Status("a direct message can't be liked or reposted", true)
	}
	items = slices.DeleteFunc(items, func(it store.InboxItem) bool { return !it.DeletedAt.IsZero() })
	if len(items) == 0 {
		what := "its author deleted it: there is nothing to like or repost"
		if all > 1 {
			what = "their authors deleted them: there is nothing to like or repost"
		}
		return common.Status(what, true)
	}
	has := func(it store.InboxItem) bool {
		if r == store.ReactLike {
			return it.Liked
		}
		return it.Reposted
	}
	on := slices.ContainsFunc(items, func(it store.InboxItem) bool { return !has(it) })
	change := slices.DeleteFunc(items, func(it store.InboxItem) bool { return has(it) == on })
	verb := map[store.Reaction][2]string{
		store.ReactLike:   {"liked", "like taken back"},
		store.ReactRepost: {"reposted", "repost taken back"},
	}[r]
	note := verb[0]
	if !on {
		note = verb[1]
	}
	note += howMany(len(change))
	list := ids(change)
	return m.run(&action{ids: list, undoable: true, react: &reactJob{items: change, r: r, on: on},
		apply: func(ctx context.Context, st *store.Store) (string, error) {
			return note, st.SetInboxReaction(ctx, list, r, on)
		}})
}

// sendReactions is the network part of a reaction, after it was saved.
// What a network refuses is unmarked again.
func (m *Model) sendReactions(job reactJob) tea.Cmd {
	rx, st := m.c.Reactor, m.c.Store
	return func() tea.Msg {
		msg := reactedMsg{job: job}
		var refused []int64
		for _, it := range job.items {
			ctx, cancel := context.WithTimeout(context.Background(), reactTimeout)
			err := rx.React(ctx, it.AccountID, platforms.Ref{ID: it.RemoteID, CID: it.RemoteCID}, job.r, job.on)
			cancel()
			if err != nil {
				refused = append(refused, it.ID)
				if msg.err == nil {
					msg.err = err
				}
			}
		}
		msg.failed, msg.refused = len(refused), refused
		if len(refused) > 0 {
			ctx, cancel := context.WithTimeout(context.Background(), queryTimeout)
			defer cancel()
			if err := st.SetInboxReaction(ctx, refused, job.r, !job.on); err != nil {
				msg.err = errors.Join(msg.err, fmt.Errorf("and it could not be unmarked: %w", err))
			}
		}
		return msg
	}
}

// reactTimeout bounds one like or repost on the network.
const reactTimeout = 30 * time.Second

func (m *Model) onReacted(msg reactedMsg) tea.Cmd {
	if msg.failed == 0 {
		return nil
	}
	m.forgetUndo(msg.job.undoSeq, msg.refused)
	what := "like"
	if msg.job.r == store.ReactRepost {
		what = "repost"
	}
	if !msg.job.on {
		what = "taking back the " + what
	}
	text := fmt.Sprintf("%s failed", what)
	if len(msg.job.items) > 1 {
		text = fmt.Sprintf("%s failed for %d of %d items", what, msg.failed, len(msg.job.items))
	}
	return tea.Batch(common.Status(text+": "+msg.err.Error(), true), m.load(m.keepPlace(false)))
}

// label toggles a label on the targets.
func (m *Model) label(name string) tea.Cmd {
	items := m.targets()
	if len(items) == 0 {
		return nil
	}
	label, err := store.NormalizeLabel(name)
	if err != nil {
		return common.Status(err.Error(), true)
	}
	list := ids(items)
	n := howMany(len(items))
	return m.run(&action{ids: list, undoable: true, labels: true, label: label,
		apply: func(ctx context.Context, st *store.Store) (string, error) {
			added, err := st.ToggleInboxLabel(ctx, list, label)
			if added {
				return "labelled " + label + n, err
			}
			return "label " + label + " taken off" + n, err
		}})
}

// undo takes the last action back.
func (m *Model) undo() tea.Cmd {
	if len(m.undos) == 0 {
		return common.Status("nothing to undo", false)
	}
	rec := m.undos[len(m.undos)-1]
	m.undos = m.undos[:len(m.undos)-1]
	a := &action{ids: ids(rec.before), undoOf: rec.note, labels: rec.labels}
	if rec.reaction != "" {
		// The reaction goes back on the network too: items whose mark
		// changed get the opposite reaction.
		var on, off []store.InboxItem
		for _, it := range rec.before {
			was := it.Liked
			if rec.reaction == store.ReactRepost {
				was = it.Reposted
			}
			if was {
				on = append(on, it)
			} else {
				off = append(off, it)
			}
		}
		// A reaction changes all its items the same way, so one of the
		// two is empty.
		job := &reactJob{items: off, r: rec.reaction, on: false}
		if len(on) > 0 {
			job = &reactJob{items: on, r: rec.reaction, on: true}
		}
		a.react = job
		a.apply = func(ctx context.Context, st *store.Store) (string, error) {
			return "undone: " + rec.note, st.SetInboxReaction(ctx, ids(job.items), job.r, job.on)
		}
	} else if rec.label != "" {
		// Only that label goes back: others put on since stay, and the
		// items' state is not what the toggle changed.
		a.apply = func(ctx context.Context, st *store.Store) (string, error) {
			return "undone: " + rec.note, st.RestoreInboxLabel(ctx, rec.before, rec.label)
		}
	} else {
		a.apply = func(ctx context.Context, st *store.Store) (string, error) {
			return "undone: " + rec.note, st.RestoreInboxTriage(ctx, rec.before)
		}
	}
	spec := loadSpec{act: a, holdKeys: true}
	if it, ok := m.list.Selected(); ok {
		k := it.Key()
		spec.at = &k
	}
	if len(rec.before) == 1 {
		// Back to the item the action was about.
		k := rec.before[0].Key()
		spec.at = &k
	}
	return m.load(spec)
}

// pushUndo records an action that was saved, and returns its seq.
func (m *Model) pushUndo(rec *undoRecord) int {
	if rec == nil || len(rec.before) == 0 {
		return 0
	}
	m.undoSeq++
	rec.seq = m.undoSeq
	m.undos = append(m.undos, *rec)
	if len(m.undos) > maxUndo {
		m.undos = slices.Delete(m.undos, 0, len(m.undos)-maxUndo)
	}
	return rec.seq
}

// forgetUndo takes items the network refused out of the undo record seq
// (and drops the record when none is left): what did not happen can't be
// taken back.
func (m *Model) forgetUndo(seq int, refused []int64) {
	if seq == 0 {
		return
	}
	for i := range m.undos {
		if m.undos[i].seq != seq {
			continue
		}
		m.undos[i].before = slices.DeleteFunc(m.undos[i].before, func(it store.InboxItem) bool {
			return slices.Contains(refused, it.ID)
		})
		if len(m.undos[i].before) == 0 {
			m.undos = slices.Delete(m.undos, i, i+1)
		}
		return
	}
}

// toggleMark adds the cursor item to the selection, or takes it out, and
// moves down so space, space, space marks a run.
func (m *Model) toggleMark() tea.Cmd {
	it, ok := m.list.Selected()
	if !ok {
		return nil
	}
	if _, in := m.marked[it.ID]; in {
		delete(m.marked, it.ID)
	} else {
		if len(m.marked) == 0 {
			m.markedIn = m.filter
		}
		m.marked[it.ID] = it
	}
	_, reqs := m.list.HandleKey(m.c.Nav, tea.KeyMsg{Type: tea.KeyDown})
	return m.fetch(reqs)
}

// openLink opens the cursor item's link in the browser, or, where there is
// none to open it in (over SSH, no display), shows it.
func (m *Model) openLink() tea.Cmd {
	it, ok := m.list.Selected()
	if !ok {
		return nil
	}
	url := common.Clean(it.URL)
	if url == "" {
		return common.Status("this item has no link", false)
	}
	remote := m.c.Remote
	return func() tea.Msg {
		opener := browserOpener()
		if opener == "" || remote {
			return openedMsg{url: url, shown: true}
		}
		cmd := exec.Command(opener, url)
		if err := cmd.Start(); err != nil {
			return openedMsg{url: url, err: err}
		}
		go cmd.Wait() // reap it; the browser lives on its own
		return openedMsg{url: url}
	}
}

// browserOpener is the program that opens a link on this machine, or ""
// when crier runs where no browser can be shown (an SSH session, a Linux
// console without a display).
func browserOpener() string {
	if os.Getenv("SSH_CONNECTION") != "" || os.Getenv("SSH_TTY") != "" {
		return ""
	}
	name := "xdg-open"
	switch runtime.GOOS {
	case "darwin":
		name = "open"
	case "windows":
		return ""
	default:
		if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
			return ""
		}
	}
	if _, err := exec.LookPath(name); err != nil {
		return ""
	}
	return name
}

func (m *Model) chooseSnooze(msg tea.KeyMsg) tea.Cmd {
	if m.typingTime {
		switch {
		case key.Matches(msg, m.keys.Cancel):
			m.typingTime, m.timeErr = false, ""
			m.timeInput.Blur()
			return nil
		case key.Matches(msg, m.keys.Confirm):
			now := m.c.Now()
			until, err := timeparse.Parse(m.timeInput.Value(), now, m.c.Zone)
			switch {
			case err != nil:
				m.timeErr = err.Error()
				return nil
			case !until.After(now):
				m.timeErr = "that time has passed: " + m.formatTime(until)
				return nil
			}
			return m.snooze(until)
		}
		var cmd tea.Cmd
		m.timeInput, cmd = m.timeInput.Update(msg)
		m.timeErr = ""
		return cmd
	}
	switch {
	case key.Matches(msg, m.keys.Cancel):
		m.snoozing = false
	case key.Matches(msg, m.keys.TypeTime):
		m.typingTime, m.timeErr = true, ""
		m.timeInput.SetValue("")
		return m.timeInput.Focus()
	case key.Matches(msg, m.keys.Preset):
		i, ok := keys.NumberOf("", msg.String())
		presets := m.presets()
		if !ok || i >= len(presets) {
			return nil
		}
		return m.snooze(m.c.Now().Add(presets[i]))
	}
	return nil
}

// snooze closes the chooser and snoozes what it was opened for.
func (m *Model) snooze(until time.Time) tea.Cmd {
	m.snoozing, m.typingTime, m.timeErr = false, false, ""
	m.timeInput.Blur()
	items := m.targets()
	if !slices.Equal(ids(items), m.snoozeIDs) {
		// A reload while the chooser was open took the item away.
		m.snoozeIDs = nil
		return common.Status("the items changed meanwhile: not snoozed", true)
	}
	m.snoozeIDs = nil
	return m.stateAction(items, store.InboxSnoozed, until)
}

func (m *Model) labelKey(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Cancel):
		m.labeling = false
		m.labelInput.Blur()
		return nil
	case key.Matches(msg, m.keys.Confirm):
		m.labeling = false
		m.labelInput.Blur()
		if !slices.Equal(ids(m.targets()), m.labelIDs) {
			// A reload while the prompt was open took the item away:
			// the cursor is on another one now.
			m.labelIDs = nil
			return common.Status("the items changed meanwhile: not labelled", true)
		}
		m.labelIDs = nil
		return m.label(m.labelInput.Value())
	}
	var cmd tea.Cmd
	m.labelInput, cmd = m.labelInput.Update(msg)
	return cmd
}
