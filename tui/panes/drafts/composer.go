package drafts

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textarea"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/timeparse"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/components/extedit"
	"github.com/crier-app/crier/tui/components/photos"
	"github.com/crier-app/crier/tui/components/prefilled"
	"github.com/crier-app/crier/tui/keys"
)

// autosaveDelay is the longest typed text waits before it is saved: a crash
// or a kill loses at most this much typing.
const autosaveDelay = 2 * time.Second

// inputLayout is the wall-clock form the time input is prefilled with; the
// time parser reads it back.
const inputLayout = "2006-01-02 15:04"

// field is which part of the composer has the keyboard.
type field int

const (
	fieldText field = iota
	fieldAccounts
	fieldTime
	fieldPhotos
	fieldCampaign // shown once there are campaigns (campaign.go)
	fieldCount
)

// outcome is how a composer ended, for the pane to act on.
type outcome int

const (
	stillOpen outcome = iota
	closedSaved
	closedDiscarded
	closedQueued
)

// labelWidth is the column the account toggles, the photos and the time
// input start at: a focus marker and the field's name.
const labelWidth = 9

// composer writes one post: its text (and any account's own text), the
// accounts it goes to, its photos and its time. It saves itself (one save
// in flight at a time) and queues on ctrl+s.
//
// A post that is queued, failed or missed is edited where it is: it stays
// queued (the new text goes out at its time), and a copy that went out
// stays as it went: its account, its text and the photos can't change.
type composer struct {
	c    *common.Common
	keys KeyMap
	gen  int

	base store.Post // the post as loaded; keeps labels and campaign
	// openedAs is the post's state when the composer opened (base.State
	// follows the saves: a missed post given a new time is queued).
	openedAs store.PostState
	copies   map[int64]store.Copy // by account, for a post that is not a draft
	saver    *draftSaver

	text        textarea.Model
	when        prefilled.Input
	whenPrefill string // the time input as opened; unchanged means keep the stored instant
	// whenTyped is when the time input was last changed: a time typed
	// ("tomorrow 9am", "+2h") is read as of then, so the time shown as it
	// was typed is the time it goes out, however long before ctrl+s (and
	// midnight may pass meanwhile). Zero until it is changed.
	whenTyped time.Time
	selected  []bool // parallel to c.Accounts
	focus     field
	accCursor int

	// The versions of the text: the box holds one (version), the others
	// are kept here.
	version     int64
	main        string           // the text for all networks, while the box holds an account's
	own         map[int64]string // accounts with a text of their own
	lockedTried bool             // a key tried to change a version that can't change

	// Photos, in order, and the one the cursor is on.
	photos      []photos.Photo
	photoCursor int
	prompt      *prompt // attaching a photo or writing its alt text

	// The campaign the post is in and how its links are tagged.
	camp campaignState

	// Derived from the fields on every edit.
	counts   []netCount
	problems []photos.Problem
	at       time.Time
	atErr    error

	// Saving. dirty means edits not yet handed to a save; while a save is in
	// flight new edits set it again and the next save starts when it lands.
	dirty       bool
	saving      bool
	tickPending bool
	tickSeq     int
	savedAt     time.Time
	saveFailed  bool
	savedAny    bool
	closing     bool
	queueing    bool
	queueAt     time.Time
	heldAt      []int64 // accounts whose queued copy a paused queue holds
	problem     string  // why the last ctrl+s did not queue
	held        string  // why the edits of a post on its way are not saved into it
	copied      bool    // they were kept as a new draft instead
	done        outcome

	width, height int
}

// opened is a post as the composer opens it: the post, its copies (for one
// that is not a draft) and its photos as read from disk.
type opened struct {
	post   store.Post
	copies []store.Copy
	photos []photos.Photo
}

func newComposer(c *common.Common, km KeyMap, gen int, o opened, when, whenPrefill string) (*composer, tea.Cmd) {
	s := c.Styles
	p := o.post
	ta := c.TextArea("Write your post…")
	ta.MaxHeight = 0
	// ctrl+e opens $EDITOR here; end still goes to the end of the line.
	ta.KeyMap.LineEnd = key.NewBinding(key.WithKeys("end"))
	ta.SetValue(p.Body)

	ti := c.TextInput("e.g. tomorrow 9am, fri 14:30, 2026-12-03 09:00")
	ti.KeyMap.LineEnd = key.NewBinding(key.WithKeys("end"))
	ti.SetValue(when)
	ti.CursorEnd()

	m := &composer{
		c: c, keys: km, gen: gen,
		base:        p,
		openedAs:    p.State,
		copies:      map[int64]store.Copy{},
		saver:       &draftSaver{id: p.ID, unsent: p.ID != 0 && p.State != store.PostDraft},
		text:        ta,
		when:        prefilled.New(ti, s.Selected),
		whenPrefill: whenPrefill,
		selected:    make([]bool, len(c.Accounts)),
		main:        p.Body,
		own:         map[int64]string{},
		photos:      o.photos,
		camp:        newCampaignState(c.Settings.MarketingDomains),
	}
	targeted := map[int64]bool{}
	for _, t := range p.Targets {
		targeted[t.AccountID] = true
		if t.HasOverride {
			m.own[t.AccountID] = t.BodyOverride
		}
	}
	for _, cp := range o.copies {
		m.copies[cp.AccountID] = cp
	}
	for i, a := range c.Accounts {
		m.selected[i] = p.ID == 0 || targeted[a.ID] // a new post goes everywhere
	}
	m.refresh()
	// A post whose text for all went out somewhere opens on the first copy
	// that can still change, so the fix can start at once.
	if m.versionLocked(allNetworks) != "" {
		for _, v := range m.versions()[1:] {
			if m.versionLocked(v) == "" {
				m.showVersion(v)
				break
			}
		}
	}
	return m, tea.Batch(m.setFocus(fieldText), loadCampaigns(c.Store, gen, p.ID))
}

// unsent reports whether the post is queued, failed or missed rather than a
// draft: it is saved where it is.
func (m *composer) unsent() bool { return m.saver.isUnsent() }

// refresh recomputes the counters, the photo problems and the parsed time.
func (m *composer) refresh() {
	overrides := map[int64]store.Target{}
	for id, t := range m.own {
		overrides[id] = store.Target{AccountID: id, BodyOverride: t, HasOverride: true}
	}
	if v := m.text.Value(); m.version != allNetworks {
		// As keepVersion will keep it: the same text, or none, is no text
		// of the account's own.
		delete(overrides, m.version)
		if v != m.main && strings.TrimSpace(v) != "" {
			overrides[m.version] = store.Target{AccountID: m.version, BodyOverride: v, HasOverride: true}
		}
	}
	m.counts = measureFinal(m.c.Networks, m.c.Limits, m.c.Accounts, m.selected, m.mainText(), overrides, m.finalText)
	m.problems = photos.Check(m.photos, m.photoTargets())
	m.parseWhen()
}

// limitsFor is what an account's network takes: what its server said, where
// it said it, else the platform's own.
func (m *composer) limitsFor(a store.Account) platforms.Limits {
	spec := m.c.Networks[a.Platform]
	if srv, ok := m.c.Limits[a.ID]; ok {
		return spec.With(srv)
	}
	return spec.Limits
}

// photoTargets are the chosen accounts the photos have yet to go to, as
// the photo checks name them.
func (m *composer) photoTargets() []photos.Target {
	var out []photos.Target
	for i, a := range m.c.Accounts {
		if _, gone := m.gone(a.ID); m.selected[i] && !gone {
			out = append(out, photos.Target{Platform: a.Platform, Name: m.accountName(a.ID), Limits: m.limitsFor(a)})
		}
	}
	return out
}

func (m *composer) parseWhen() {
	in := strings.TrimSpace(m.when.Value())
	if in == "" {
		m.at, m.atErr = time.Time{}, nil
		return
	}
	from := m.whenTyped
	if from.IsZero() {
		from = m.c.Now()
	}
	m.at, m.atErr = timeparse.Parse(in, from, m.c.Zone)
}

// timeEdited notes that the time input changed, now.
func (m *composer) timeEdited() tea.Cmd {
	m.whenTyped = m.c.Now()
	return m.edited()
}

// nextField is the field step away from the focused one, past the
// Campaign field while it is not shown.
func (m *composer) nextField(step int) field {
	f := m.focus
	for {
		f = (f + field(step) + fieldCount) % fieldCount
		if f != fieldCampaign || m.showsCampaign() {
			return f
		}
	}
}

func (m *composer) setFocus(f field) tea.Cmd {
	m.focus = f
	m.text.Blur()
	m.when.Blur()
	switch f {
	case fieldText:
		return m.text.Focus()
	case fieldTime:
		// Coming to the time selects it, so a typed "+2h" replaces a
		// suggested time rather than being added to its end.
		m.when.Select()
		return m.when.Focus()
	}
	return nil
}

func (m *composer) setSize(w, h int) {
	m.width, m.height = w, h
	inner := max(w-2, 1)
	m.text.SetWidth(inner)
	m.when.Width = max(w-labelWidth-1, 1)
	if m.prompt != nil {
		m.prompt.input.Width = max(w-labelWidth-1, 1)
	}
	m.text.SetHeight(max(h-m.chromeHeight(), 1))
}

// snapshot is the post as it should be saved now. Its time becomes the one
// later snapshots keep while the time input can't be read.
func (m *composer) snapshot() store.Post {
	m.keepVersion()
	p := m.base
	p.Body = m.main
	p.Targets = nil
	for i, a := range m.c.Accounts {
		if !m.selected[i] {
			continue
		}
		t := store.Target{AccountID: a.ID}
		if own, ok := m.own[a.ID]; ok {
			t.BodyOverride, t.HasOverride = own, true
		}
		p.Targets = append(p.Targets, t)
	}
	p.Media = nil
	for _, ph := range m.photos {
		p.Media = append(p.Media, ph.Media)
	}
	if m.when.Value() != m.whenPrefill {
		blank := strings.TrimSpace(m.when.Value()) == ""
		switch {
		case m.unsent():
			// A post on its way keeps its time until a new one reads as a
			// time still ahead: it can't be left without one, nor sent at
			// once by a slip of the keyboard.
			if !blank && m.atErr == nil && m.at.After(m.c.Now()) {
				p.ScheduledAt, p.ScheduledZone = m.at.UTC(), m.c.Zone.String()
			}
		case blank:
			p.ScheduledAt, p.ScheduledZone = time.Time{}, ""
		case m.atErr == nil:
			p.ScheduledAt, p.ScheduledZone = m.at.UTC(), m.c.Zone.String()
		}
		// A time that can't be read yet keeps the last one saved.
	}
	m.base.ScheduledAt, m.base.ScheduledZone = p.ScheduledAt, p.ScheduledZone
	return p
}

func (m *composer) handleKey(msg tea.KeyMsg) tea.Cmd {
	if m.queueing || m.closing {
		return nil // the composer closes as soon as the write in flight lands
	}
	if m.prompt != nil {
		return m.promptKey(msg)
	}
	k := m.keys
	switch {
	case key.Matches(msg, k.Queue):
		return m.queue()
	case key.Matches(msg, k.QueueNext):
		return m.addToQueue()
	case key.Matches(msg, k.Close):
		return m.close()
	case key.Matches(msg, k.Editor):
		return m.openEditor()
	case key.Matches(msg, k.Version):
		m.nextVersion()
		m.refresh()
		return m.setFocus(fieldText)
	case key.Matches(msg, k.NextField):
		return m.setFocus(m.nextField(1))
	case key.Matches(msg, k.PrevField):
		return m.setFocus(m.nextField(-1))
	case key.Matches(msg, k.ToggleAccount):
		if i, ok := keys.NumberOf("alt+", msg.String()); ok {
			return m.toggle(i)
		}
		return nil
	}
	switch m.focus {
	case fieldAccounts:
		nav := m.c.Nav
		switch {
		case key.Matches(msg, k.Toggle):
			return m.toggle(m.accCursor)
		case key.Matches(msg, nav.Left, nav.Up):
			m.accCursor = max(m.accCursor-1, 0)
		case key.Matches(msg, nav.Right, nav.Down):
			m.accCursor = min(m.accCursor+1, max(len(m.c.Accounts)-1, 0))
		case key.Matches(msg, nav.Home):
			m.accCursor = 0
		case key.Matches(msg, nav.End):
			m.accCursor = max(len(m.c.Accounts)-1, 0)
		}
		return nil
	case fieldPhotos:
		return m.photosKey(msg)
	case fieldCampaign:
		return m.campaignKey(msg)
	case fieldTime:
		before := m.when.Value()
		cmd := m.when.Update(msg)
		if m.when.Value() != before {
			return tea.Batch(cmd, m.timeEdited())
		}
		return cmd
	}
	return m.forwardToText(msg)
}

// forward passes everything that is not a key (cursor blinks, pastes) to the
// inputs.
func (m *composer) forward(msg tea.Msg) tea.Cmd {
	if m.prompt != nil {
		var cmd tea.Cmd
		m.prompt.input, cmd = m.prompt.input.Update(msg)
		return cmd
	}
	before := m.when.Value()
	cmd := m.when.Update(msg)
	if m.when.Value() != before {
		cmd = tea.Batch(cmd, m.timeEdited())
	}
	return tea.Batch(cmd, m.forwardToText(msg))
}

func (m *composer) forwardToText(msg tea.Msg) tea.Cmd {
	before := m.text.Value()
	var cmd tea.Cmd
	m.text, cmd = m.text.Update(msg)
	if m.text.Value() == before {
		return cmd
	}
	if m.versionLocked(m.version) != "" {
		// The box still moves and scrolls; it does not change.
		m.text.SetValue(before)
		m.lockedTried = true
		return cmd
	}
	return tea.Batch(cmd, m.edited())
}

func (m *composer) toggle(i int) tea.Cmd {
	if i < 0 || i >= len(m.selected) {
		return nil
	}
	m.accCursor = i
	a := m.c.Accounts[i]
	if _, ok := m.gone(a.ID); ok && m.selected[i] {
		m.problem = m.accountName(a.ID) + " has this post already: it stays one of its accounts"
		return nil
	}
	m.keepVersion()
	m.selected[i] = !m.selected[i]
	if !m.selected[i] && m.version == a.ID {
		m.showVersion(allNetworks)
	}
	return m.edited()
}

// edited notes a change and makes sure a save follows within the autosave
// delay. The first edit after a save arms one timer; edits before it fires
// ride along, so steady typing still saves every couple of seconds.
func (m *composer) edited() tea.Cmd {
	m.problem = ""
	m.lockedTried = false
	m.dirty = true
	m.refresh()
	return m.armAutosave()
}

func (m *composer) armAutosave() tea.Cmd {
	if m.tickPending || m.saving {
		return nil // a timer is armed, or the save in flight is followed by another
	}
	m.tickPending = true
	m.tickSeq++
	return m.c.After(autosaveDelay, autosaveMsg{gen: m.gen, seq: m.tickSeq})
}

func (m *composer) onAutosave(msg autosaveMsg) tea.Cmd {
	if msg.seq != m.tickSeq {
		return nil
	}
	m.tickPending = false
	if !m.dirty || m.saving || m.queueing {
		return nil
	}
	return m.startSave()
}

func (m *composer) startSave() tea.Cmd {
	if why := m.heldBack(); why != "" {
		m.held = why
		if m.closing {
			return m.saveAsCopy()
		}
		return nil // kept, unsaved, until it can go out
	}
	m.held = ""
	p := m.snapshot()
	m.dirty = false
	m.saving = true
	return saveCmd(m.c.Store, m.saver, m.gen, p, m.c.Now())
}

// heldBack says why the edits of a post on its way are not saved into it:
// it would go out as it can't (too long, a photo a network won't take, no
// text). It keeps going out as it was last saved; "" when the edits can go.
func (m *composer) heldBack() string {
	if !m.unsent() {
		return ""
	}
	m.keepVersion()
	if over := m.overLimit(); over != "" {
		return "too long: " + over
	}
	for _, p := range m.problems {
		if p.Blocks {
			return p.Text
		}
	}
	chosen := false
	for i, a := range m.c.Accounts {
		if !m.selected[i] {
			continue
		}
		chosen = true
		if strings.TrimSpace(m.textOf(a.ID)) == "" {
			return m.accountName(a.ID) + " would get an empty post"
		}
	}
	if !chosen {
		return "no account is chosen"
	}
	return ""
}

// saveAsCopy keeps edits that can't go out (see heldBack) as a new draft
// when the composer closes, and leaves the post on its way as it was.
func (m *composer) saveAsCopy() tea.Cmd {
	p := m.snapshot()
	p.ID, p.State = 0, store.PostDraft
	m.dirty = false
	m.saving = true
	st, gen, now := m.c.Store, m.gen, m.c.Now()
	return func() tea.Msg {
		id, err := st.SaveDraft(context.Background(), p, now)
		return savedMsg{gen: gen, id: id, at: now, copied: true, err: err}
	}
}

func (m *composer) onSaved(msg savedMsg) tea.Cmd {
	m.saving = false
	if msg.err != nil && m.closing && !msg.copied &&
		(errors.Is(msg.err, store.ErrDueNow) || errors.Is(msg.err, store.ErrSendingNow)) {
		// The post is due (or overdue while no crier sends it), or a copy
		// is on its way: it goes out as it stood. Closing must not wait on
		// it, nor lose the edits.
		m.held = "the post is due now and goes out as it stood"
		if errors.Is(msg.err, store.ErrSendingNow) {
			m.held = "a copy is being sent right now, as it stood"
		}
		return m.saveAsCopy()
	}
	if msg.err != nil {
		m.dirty, m.saveFailed = true, true
		m.closing, m.queueing = false, false
		return common.Status("couldn't save "+m.what()+": "+msg.err.Error()+"; your text is still here", true)
	}
	if msg.copied {
		m.done, m.copied = closedSaved, true
		return common.Status(fmt.Sprintf("the post goes on as it was; your changes can't go out as they are (%s), so they are a new draft",
			m.held), true)
	}
	newID := m.base.ID != msg.id
	m.base.ID, m.savedAt, m.saveFailed, m.savedAny = msg.id, msg.at, false, true
	if newID {
		m.refresh() // a campaign's links name the post
	}
	var status tea.Cmd
	switch {
	case msg.now != nil:
		m.base.State, m.copies = msg.now.state, map[int64]store.Copy{}
		for _, cp := range msg.now.copies {
			m.copies[cp.AccountID] = cp
		}
	case msg.forked:
		m.base.State, m.copies = store.PostDraft, map[int64]store.Copy{}
		status = common.Status("the post changed elsewhere (it went out, or stopped being a draft): your text is now a new draft", true)
	case msg.nowDraft:
		m.base.State, m.copies = store.PostDraft, map[int64]store.Copy{}
		status = common.Status("the post went back to drafts elsewhere: your changes are saved in it", true)
	}
	switch {
	case m.queueing:
		return tea.Batch(status, m.startQueue())
	case m.dirty:
		return tea.Batch(status, m.startSave())
	case m.closing:
		m.done = closedSaved
	}
	return status
}

// what names the post in messages.
func (m *composer) what() string {
	if m.unsent() {
		return postName(m.mainText())
	}
	return "the draft"
}

// queue checks the post can go out, then saves and queues it: a draft is
// queued; a queued post is saved with its new time; a failed or missed
// post's copies that did not go out are queued again at the time.
func (m *composer) queue() tea.Cmd {
	now := m.c.Now()
	m.refresh() // the servers' limits may have come in since the last edit
	if strings.TrimSpace(m.when.Value()) == "now" && m.atErr == nil {
		m.at = now // "now" stays now however long the key took
	}
	if problem := m.validate(now); problem != "" {
		m.problem = problem
		return nil
	}
	m.problem = ""
	m.queueing, m.queueAt = true, m.at
	if m.saving {
		return nil // starts when the save in flight lands
	}
	return m.startQueue()
}

func (m *composer) validate(now time.Time) string {
	if p := m.contentProblem(); p != "" {
		return p
	}
	switch {
	case strings.TrimSpace(m.when.Value()) == "":
		return "can't queue without a time: type one after When, e.g. tomorrow 9am"
	case m.atErr != nil:
		return "can't queue: " + m.atErr.Error()
	case m.at.Before(now):
		return "can't queue: " + m.at.In(m.c.Zone).Format("Mon 2 Jan 15:04 MST") + " is in the past"
	}
	return ""
}

// overLimit names every network the text is too long for, and by how much.
func (m *composer) overLimit() string {
	var over []string
	for _, n := range m.counts {
		if o := n.overBy(); o != "" {
			over = append(over, o)
		}
	}
	return strings.Join(over, "; ")
}

func (m *composer) startQueue() tea.Cmd {
	p := m.snapshot()
	if m.unsent() {
		p.ScheduledAt, p.ScheduledZone = m.queueAt.UTC(), m.c.Zone.String()
	}
	m.dirty = false
	m.saving = true
	return queueCmd(m.c, m.saver, m.gen, p, m.queueAt, m.c.Now())
}

func (m *composer) onQueued(msg queuedMsg) tea.Cmd {
	m.saving, m.queueing = false, false
	if msg.id != 0 {
		m.base.ID = msg.id
	}
	if msg.err != nil {
		m.problem = "couldn't queue: " + common.WithoutIDs(msg.err.Error())
		m.dirty = true
		return tea.Batch(common.Status(m.problem, true), m.armAutosave())
	}
	m.savedAny = true
	m.done = closedQueued
	m.heldAt = msg.held
	return nil
}

// close saves what is unsaved and ends the composer once that save lands. A
// new post that was never given any text is dropped.
func (m *composer) close() tea.Cmd {
	if m.base.ID == 0 && !m.saving && strings.TrimSpace(m.mainText()) == "" && len(m.photos) == 0 {
		m.done = closedDiscarded
		return nil
	}
	if !m.dirty && !m.saving {
		m.done = closedSaved
		return nil
	}
	m.closing = true
	if m.saving {
		return nil
	}
	return m.startSave()
}

// editorTag marks the editor round trips of one composer.
type editorTag struct{ gen int }

func (m *composer) openEditor() tea.Cmd {
	if strings.TrimSpace(m.c.Editor) == "" {
		return common.Status(extedit.NoEditor, true)
	}
	return extedit.Edit(m.c.Editor, editorTag{gen: m.gen}, "crier-post-*.txt", m.editorFile())
}

func (m *composer) onEditorText(msg extedit.TextMsg) tea.Cmd {
	if msg.Err != nil {
		return common.Status("the editor failed ("+msg.Err.Error()+"); your text is unchanged", true)
	}
	focus := m.setFocus(fieldText)
	m.keepVersion()
	r := parseEditorFile(msg.Text, m.c.Accounts)
	if len(r.unknown) > 0 {
		// Keep everything the editor wrote, where it can be seen, rather
		// than guess which account a block was for.
		m.showVersion(allNetworks)
		m.text.SetValue(msg.Text)
		m.edited()
		return tea.Batch(focus, m.saveNow(), common.Status(fmt.Sprintf(
			"the editor's file names %s, which is not one of your accounts: everything it held is in the text for all networks",
			strings.Join(r.unknown, ", ")), true))
	}
	var refused []string
	changed := false
	if r.main != m.main {
		if why := m.versionLocked(allNetworks); why != "" {
			refused = append(refused, "the text for all networks")
		} else {
			m.main, changed = r.main, true
		}
	}
	for i, a := range m.c.Accounts {
		if !m.selected[i] || !r.seen[a.ID] {
			continue
		}
		old, hadOwn := m.own[a.ID]
		now, hasOwn := r.own[a.ID]
		if hasOwn && now == m.main {
			hasOwn = false
		}
		if old == now && hadOwn == hasOwn {
			continue
		}
		if _, gone := m.gone(a.ID); gone {
			refused = append(refused, m.accountName(a.ID)+"'s text")
			continue
		}
		if hasOwn {
			m.own[a.ID] = now
		} else {
			delete(m.own, a.ID)
		}
		changed = true
	}
	v := m.version
	m.version = allNetworks // the box is reloaded from what is kept
	m.text.SetValue(m.main)
	m.showVersion(v)
	var status tea.Cmd
	if len(refused) > 0 {
		status = common.Status("not kept from the editor, as it went out: "+strings.Join(refused, ", "), true)
	}
	if !changed {
		return tea.Batch(focus, status)
	}
	m.problem = ""
	m.dirty = true
	m.refresh()
	return tea.Batch(focus, status, m.saveNow())
}

// saveNow saves at once, or after the save in flight.
func (m *composer) saveNow() tea.Cmd {
	if m.saving {
		return nil // saved again when the save in flight lands
	}
	return m.startSave()
}

// quitSave is the command run before crier quits: it writes whatever the
// composer holds that is not yet saved. The saver's lock orders it after any
// save in flight, so it updates rather than inserting a second copy.
func (m *composer) quitSave() tea.Cmd {
	// Alt text being written goes with the photo: crier closing (ctrl+c, a
	// dropped SSH connection) is not the person's esc.
	if p := m.prompt; p != nil && p.kind == promptAlt && p.photo < len(m.photos) && m.mediaLocked() == "" {
		if alt := strings.TrimSpace(p.input.Value()); alt != m.photos[p.photo].AltText {
			m.photos[p.photo].AltText = alt
			m.dirty = true
		}
	}
	if m.queueing {
		// Saving now could land after the queue and find the post no
		// longer a draft; let the queue in flight finish instead.
		sv := m.saver
		return func() tea.Msg {
			sv.mu.Lock()
			defer sv.mu.Unlock()
			return nil
		}
	}
	if !m.dirty && !m.saving {
		return nil
	}
	if m.base.ID == 0 && !m.saving && strings.TrimSpace(m.mainText()) == "" && len(m.photos) == 0 {
		return nil
	}
	if m.heldBack() != "" {
		return m.saveAsCopy()
	}
	return quitSaveCmd(m.c.Store, m.saver, m.gen, m.snapshot(), m.c.Now())
}
