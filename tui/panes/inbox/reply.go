package inbox

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textarea"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/components/extedit"
	"github.com/crier-app/crier/tui/components/savedreplies"
)

// The reply composer takes the whole pane: the conversation above (what the
// item answers, the item itself, our replies so far), the text box, the
// target network's live counter and why the reply can't go (yet).

// replyDraftMsg brings the text a reply starts with: its saved draft or the
// text of a reply that failed.
type replyDraftMsg struct {
	gen  int
	text string
	err  error
}

// repliedMsg answers a send: the reply is queued (and the item done), or why not.
type repliedMsg struct {
	gen    int
	itemID int64
	before store.InboxItem // the item as it was, for undo
	err    error
}

// draftKeptMsg answers the save of an unsent reply's text.
type draftKeptMsg struct {
	err error
}

type reply struct {
	c    *common.Common
	keys KeyMap
	gen  int
	item store.InboxItem
	text textarea.Model
	// start is the text the composer opened with; closing with it
	// unchanged keeps no draft.
	start   string
	loading bool         // the draft is on its way; keys wait for it
	held    []tea.KeyMsg // keys typed meanwhile
	sending bool
	problem string
	// picker chooses a saved reply (ctrl+t); it sits over the
	// conversation while open.
	picker *savedreplies.Model

	width, height int
}

func newReply(c *common.Common, km KeyMap, gen int, it store.InboxItem) (*reply, tea.Cmd) {
	ta := c.TextArea("Write your reply…")
	ta.Cursor.SetMode(cursor.CursorStatic) // see New
	ta.Focus()
	r := &reply{c: c, keys: km, gen: gen, item: it, text: ta, loading: true, picker: savedreplies.New(c)}
	st := c.Store
	return r, common.Query(queryTimeout, func(ctx context.Context) tea.Msg {
		text, err := st.ReplyDraft(ctx, it.ID)
		return replyDraftMsg{gen: gen, text: text, err: err}
	})
}

// spec is how the item's network counts a reply and what it allows: the
// account's own server's limits where it has said them.
func (r *reply) spec() (common.NetworkSpec, platforms.Limits) {
	spec := r.c.Networks[r.item.Platform]
	direct := r.item.Kind == store.KindDM
	if l, ok := r.c.Limits[r.item.AccountID]; ok {
		return spec, spec.For(direct, spec.With(l))
	}
	return spec, spec.For(direct, spec.Limits)
}

// prefix is what a new reply starts with on the item's network.
func (r *reply) prefix() string {
	spec, _ := r.spec()
	if spec.ReplyPrefix == nil {
		return ""
	}
	return spec.ReplyPrefix(platforms.Author{Handle: r.item.AuthorHandle, Name: r.item.AuthorName})
}

func (r *reply) onDraft(msg replyDraftMsg) tea.Cmd {
	r.loading = false
	var cmds []tea.Cmd
	text := msg.text
	if msg.err != nil {
		cmds = append(cmds, common.Status("couldn't read the saved reply: "+msg.err.Error(), true))
	}
	if text == "" {
		text = r.prefix()
	}
	r.start = text
	r.text.SetValue(text)
	r.text.CursorEnd()
	held := r.held
	r.held = nil
	for _, k := range held {
		cmds = append(cmds, r.handleKey(k))
	}
	return tea.Batch(cmds...)
}

func (r *reply) setSize(w, h int) {
	r.width, r.height = w, h
	r.text.SetWidth(max(w-2, 10))
	r.text.SetHeight(r.boxHeight())
	r.picker.SetSize(w, r.pickerHeight())
}

// pickerHeight is the room above the box, title line aside.
func (r *reply) pickerHeight() int {
	return max(r.height-1-(r.boxHeight()+2)-2, 3)
}

// openPicker shows the saved replies, filled for this item's author.
func (r *reply) openPicker() tea.Cmd {
	me, _ := r.c.Account(r.item.AccountID)
	cmd := r.picker.Open(savedreplies.VarsFor(r.item, me))
	r.setSize(r.width, r.height)
	return cmd
}

// onPicked puts a chosen saved reply where the cursor is.
func (r *reply) onPicked(msg savedreplies.PickedMsg) {
	r.text.InsertString(msg.Text)
	r.problem = ""
	r.setSize(r.width, r.height)
}

// boxHeight is the text box's height: a third of the pane, 3 to 8 lines,
// and 2 while the saved replies are open above it, which need the room.
func (r *reply) boxHeight() int {
	if r.picker != nil && r.picker.Active() {
		return 2
	}
	return min(max(r.height/3, 3), 8)
}

// handleKey is the composer's keys; it reports what to do with the pane.
func (r *reply) handleKey(msg tea.KeyMsg) tea.Cmd {
	if r.loading || r.sending {
		// Keys wait for the draft to arrive, or for the send to settle:
		// then they go to the list (sent) or back to the text (not).
		if len(r.held) < maxHeldKeys {
			r.held = append(r.held, msg)
		}
		return nil
	}
	if r.picker.Active() {
		var cmd tea.Cmd
		r.picker, cmd = r.picker.Update(msg)
		if !r.picker.Active() {
			r.setSize(r.width, r.height) // the box gets its room back
		}
		return cmd
	}
	switch {
	case key.Matches(msg, r.keys.Templates):
		return r.openPicker()
	case key.Matches(msg, r.keys.Send):
		return r.send()
	case key.Matches(msg, r.keys.Editor):
		if strings.TrimSpace(r.c.Editor) == "" {
			return common.Status(extedit.NoEditor, true)
		}
		return extedit.Edit(r.c.Editor, r.tag(), "crier-reply-*.txt", r.text.Value())
	}
	var cmd tea.Cmd
	r.text, cmd = r.text.Update(msg)
	r.problem = ""
	return cmd
}

// editorTag marks the editor messages of one composer.
type editorTag struct{ gen int }

func (r *reply) tag() editorTag { return editorTag{gen: r.gen} }

func (r *reply) onEditorText(msg extedit.TextMsg) tea.Cmd {
	if msg.Err != nil {
		return common.Status("the editor failed ("+msg.Err.Error()+"); your reply is unchanged", true)
	}
	r.text.SetValue(msg.Text)
	r.text.CursorEnd()
	r.problem = ""
	return nil
}

// over says how a reply breaks the network's limits, or "".
func (r *reply) over() string {
	spec, limits := r.spec()
	text := r.text.Value()
	if limits.Length != nil && limits.MaxChars > 0 {
		if n := limits.Length(text); n > limits.MaxChars {
			return fmt.Sprintf("%d %s over %s's limit of %d", n-limits.MaxChars, spec.Unit, common.NetworkName(r.item.Platform), limits.MaxChars)
		}
	}
	if limits.MaxBytes > 0 && len(text) > limits.MaxBytes {
		return fmt.Sprintf("%d bytes over %s's limit of %d", len(text)-limits.MaxBytes, common.NetworkName(r.item.Platform), limits.MaxBytes)
	}
	return ""
}

func (r *reply) send() tea.Cmd {
	text := r.text.Value()
	switch {
	case !r.item.DeletedAt.IsZero():
		r.problem = deletedProblem(r.item)
		return nil
	case strings.TrimSpace(text) == "" || strings.TrimSpace(text) == strings.TrimSpace(r.prefix()):
		r.problem = "the reply is empty"
		return nil
	case r.over() != "":
		r.problem = "too long: " + r.over()
		return nil
	}
	r.sending = true
	st, gen, it, now := r.c.Store, r.gen, r.item, r.c.Now()
	return common.Query(queryTimeout, func(ctx context.Context) tea.Msg {
		before := it
		if got, err := st.InboxItems(ctx, []int64{it.ID}); err == nil && len(got) == 1 {
			before = got[0]
		}
		_, err := st.QueueReply(ctx, it.ID, text, now)
		return repliedMsg{gen: gen, itemID: it.ID, before: before, err: err}
	})
}

// onReplied settles a send; it reports whether the composer is done, and
// hands back the keys typed while it was on its way.
func (r *reply) onReplied(msg repliedMsg) (done bool, held []tea.KeyMsg) {
	r.sending = false
	held, r.held = r.held, nil
	switch {
	case errors.Is(msg.err, store.ErrDeletedByAuthor):
		// A sync found it gone while the reply was being written.
		r.item.DeletedAt = r.c.Now()
		r.problem = deletedProblem(r.item)
		return false, held
	case msg.err != nil:
		r.problem = "not sent: " + msg.err.Error()
		return false, held
	}
	return true, held
}

// keepDraft saves the text when it is worth keeping (the user typed
// something) and returns the command, or nil.
func (r *reply) keepDraft() tea.Cmd {
	if r.loading || r.sending {
		return nil
	}
	text := r.text.Value()
	if text == r.start {
		return nil
	}
	if strings.TrimSpace(text) == strings.TrimSpace(r.prefix()) {
		text = "" // only the mention: nothing written
	}
	st, id, now := r.c.Store, r.item.ID, r.c.Now()
	return common.Query(queryTimeout, func(ctx context.Context) tea.Msg {
		return draftKeptMsg{err: st.SaveReplyDraft(ctx, id, text, now)}
	})
}

// ---- drawing ----

// view draws the composer in w x h: the conversation takes what the box,
// counter and help leave.
func (r *reply) view(thread []store.ThreadEntry, threadFor int64, draw func(store.ThreadEntry, int) []string) string {
	s := r.c.Styles
	w := r.width
	it := r.item
	title := s.Title.Render("Reply") + s.Muted.Render(" to "+at(common.Clean(it.AuthorHandle))+" on "+common.NetworkName(common.Clean(it.Platform)))
	var from, private string
	if a, ok := r.c.Account(it.AccountID); ok {
		from = s.Muted.Render(" · from " + at(common.Clean(a.Handle)))
	}
	if it.Kind == store.KindDM {
		private = s.Warn.Render(" · private (direct message)")
	}
	if private != "" && common.Width(title+from+private) > w {
		// That it is private matters more than which account answers.
		from = ""
	}
	top := []string{common.Truncate(title+from+private, w, "…")}

	// The conversation, newest at the bottom, right above the box.
	var convo []string
	if threadFor == it.ID {
		for _, e := range thread {
			convo = append(convo, draw(e, w)...)
		}
	}
	convo = append(convo, draw(store.ThreadEntry{
		ItemID: it.ID, AuthorHandle: it.AuthorHandle, AuthorName: it.AuthorName, Body: it.Body, At: it.ReceivedAt,
	}, w)...)

	box := s.BoxFocused
	if r.sending {
		box = s.Box
	}
	inner := strings.Split(r.text.View(), "\n")
	for i, l := range inner {
		inner[i] = common.Truncate(common.DisplayField(l), max(w-2, 0), "")
	}
	boxed := strings.Split(box.Width(max(w-2, 0)).Render(strings.Join(inner, "\n")), "\n")
	bottom := append(boxed, r.counterLine(), r.issueLine())

	// The conversation sits right above the box, its latest message
	// nearest; what does not fit scrolls off the top.
	room := max(r.height-len(top)-len(bottom), 0)
	if r.picker.Active() {
		convo = strings.Split(r.picker.View(), "\n")
	}
	if room < len(convo) {
		convo = convo[len(convo)-room:]
	}
	lines := top
	for len(lines)+len(convo) < r.height-len(bottom) {
		lines = append(lines, "")
	}
	lines = append(append(lines, convo...), bottom...)
	return strings.Join(common.Box(strings.Join(lines, "\n"), w, r.height), "\n")
}

func (r *reply) counterLine() string {
	s := r.c.Styles
	spec, limits := r.spec()
	if limits.Length == nil {
		return s.Muted.Render(common.NetworkName(r.item.Platform))
	}
	text := r.text.Value()
	n := limits.Length(text)
	txt := common.NetworkName(r.item.Platform) + " " + fmt.Sprintf("%d", n)
	if limits.Approximate {
		txt = common.NetworkName(r.item.Platform) + " ~" + fmt.Sprintf("%d", n)
	}
	if limits.MaxChars > 0 {
		txt += fmt.Sprintf("/%d", limits.MaxChars)
	}
	txt += " " + spec.Unit
	if limits.MaxBytes > 0 && len(text)*10 >= limits.MaxBytes*9 {
		txt += fmt.Sprintf(" (%d/%d bytes)", len(text), limits.MaxBytes)
	}
	switch {
	case r.over() != "":
		return s.Danger.Render(txt + " ✗")
	case limits.MaxChars > 0 && n*10 >= limits.MaxChars*9:
		return s.Warn.Render(txt)
	}
	return s.Muted.Render(txt)
}

func (r *reply) issueLine() string {
	s := r.c.Styles
	switch {
	case r.loading:
		return s.Muted.Render("loading…")
	case r.sending:
		return s.Muted.Render("queueing…")
	case r.problem != "":
		return s.Danger.Render(common.Truncate(common.Clean(r.problem), r.width, "…"))
	case !r.item.DeletedAt.IsZero():
		// Said before anything is typed: the reply can't go.
		return s.Danger.Render(common.Truncate(deletedProblem(r.item), r.width, "…"))
	}
	return ""
}

// deletedProblem is why a reply to an item its author deleted can't go:
// short enough for 80 columns.
func deletedProblem(store.InboxItem) string {
	return "can't send: its author deleted it; nothing to reply to (esc keeps the text)"
}

// openReply opens the reply composer on the cursor item.
func (m *Model) openReply() tea.Cmd {
	it, ok := m.list.Selected()
	if !ok {
		return nil
	}
	m.replyGen++
	r, cmd := newReply(m.c, m.keys, m.replyGen, it)
	m.reply = r
	r.setSize(m.width, max(m.height-1, 0))
	// The conversation shown above the box is the preview's; make sure
	// it is this item's.
	if m.threadFor != it.ID || m.threadStale {
		return tea.Batch(cmd, m.loadThread(it))
	}
	return cmd
}

func (m *Model) replyKey(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.CloseReply) && !m.reply.sending && !m.reply.picker.Active():
		cmd := m.reply.keepDraft()
		m.reply = nil
		if cmd != nil {
			return tea.Batch(cmd, common.Status("reply not sent: its text is kept (r to go on)", false))
		}
		return nil
	case m.reply.picker.Active():
		// Its own esc closes it, not the composer.
	}
	return m.reply.handleKey(msg)
}

// onReplied closes the composer when the reply is queued (the item is now
// done and the list moves on) and keeps it open with the reason when not.
func (m *Model) onReplied(msg repliedMsg) tea.Cmd {
	if m.reply == nil || m.reply.gen != msg.gen {
		if msg.err != nil {
			return common.Status("a reply was not sent: "+msg.err.Error(), true)
		}
		return nil
	}
	done, held := m.reply.onReplied(msg)
	if !done {
		cmds := make([]tea.Cmd, 0, len(held))
		for _, k := range held {
			cmds = append(cmds, m.reply.handleKey(k))
		}
		return tea.Batch(cmds...)
	}
	m.reply = nil
	m.c.Wake()
	m.pushUndo(&undoRecord{before: []store.InboxItem{msg.before}, note: "reply's done mark"})
	k := msg.before.Key()
	load := m.load(loadSpec{at: &k, holdKeys: true})
	// Keys typed after ctrl+s were meant for the list the reload brings.
	m.held = append(m.held, held...)
	note := "reply queued: it goes out now; the item is done (z reopens it)"
	if m.c.Waker == nil {
		note = "reply queued: the scheduler is off here, so it goes out when one runs (crier run); the item is done"
	}
	return tea.Batch(
		common.Status(note, false),
		load,
		func() tea.Msg { return common.DataChangedMsg{What: "reply"} },
	)
}
