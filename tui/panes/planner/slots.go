package planner

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/timing"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/keys"
)

// suggestedShown is how many slots "suggest" proposes.
const suggestedShown = 6

// slotEditor edits an account's weekly slots as text that
// store.ParseQueueSlots reads; suggestions from the best times, when asked
// for, fill it and say why.
type slotEditor struct {
	account store.Account
	zone    string
	input   textinput.Model
	start   string // the slots it opened with
	why     []string
	err     string
}

func newSlotEditor(m *Model, a store.Account, sched store.QueueSchedule, sugg []timing.Suggestion) *slotEditor {
	e := &slotEditor{account: a, zone: sched.Zone, input: m.c.TextInput("Mon-Fri 08:00 12:30, Sat 07:30")}
	if e.zone == "" {
		e.zone = m.c.Zone.String()
	}
	e.input.SetValue(FormatSlots(sched.Slots))
	if len(sugg) > 0 {
		// The suggestions join the slots there are; the person deletes
		// what they do not want before saving.
		slots := append([]store.QueueSlot(nil), sched.Slots...)
		for _, s := range sugg {
			slots = append(slots, s.Slot)
			e.why = append(e.why, s.Why)
		}
		e.input.SetValue(FormatSlots(sortSlots(slots)))
	}
	e.start = e.input.Value()
	e.input.Width = max(m.width-4, 10)
	e.input.CursorEnd()
	e.input.Focus()
	return e
}

func sortSlots(slots []store.QueueSlot) []store.QueueSlot {
	out, err := store.ParseQueueSlots(FormatSlotsUnsorted(slots))
	if err != nil {
		return slots
	}
	return out
}

// FormatSlotsUnsorted writes each slot as its own group ("Sat 07:30, Tue 12:00").
func FormatSlotsUnsorted(slots []store.QueueSlot) string {
	parts := make([]string, len(slots))
	for i, s := range slots {
		parts[i] = s.String()
	}
	return strings.Join(parts, ", ")
}

func (e *slotEditor) typing() bool { return true }

func (e *slotEditor) keptKey() string {
	return "planner/slots/" + strconv.FormatInt(e.account.ID, 10)
}
func (e *slotEditor) line() *textinput.Model { return &e.input }
func (e *slotEditor) opened() string         { return e.start }

func (e *slotEditor) help(k KeyMap) []key.Binding {
	return []key.Binding{keys.New("enter", "save the slots"), k.Cancel}
}

func (e *slotEditor) update(m *Model, msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		var cmd tea.Cmd
		e.input, cmd = e.input.Update(msg)
		return cmd
	}
	switch {
	case key.Matches(k, m.keys.Cancel):
		m.pop()
		return nil
	case k.Type == tea.KeyEnter:
		slots, err := store.ParseQueueSlots(e.input.Value())
		if err != nil {
			e.err = common.WithoutIDs(err.Error()) // the typed text stays
			return nil
		}
		m.pop()
		st, a, zone := m.c.Store, e.account, e.zone
		return keepOnFailure(st, e.keptKey(), lineKept{e}.typed(), func() tea.Msg {
			err := st.SetQueueSchedule(context.Background(), a.ID, zone, slots)
			text := fmt.Sprintf("%s posts at %s", accountName(a), FormatSlots(slots))
			if len(slots) == 0 {
				text = accountName(a) + " has no weekly slots now"
			}
			return acted(text, err)
		})
	}
	e.err = ""
	var cmd tea.Cmd
	e.input, cmd = e.input.Update(msg)
	return cmd
}

func (e *slotEditor) view(m *Model) []string {
	s := m.c.Styles
	out := []string{
		s.Title.Render("Weekly slots of "+accountName(e.account)) + s.Muted.Render(" · times in "+e.zone),
		"",
		s.Muted.Render("Days and times, groups apart with commas: Mon-Fri 08:00 12:30, Sat 07:30"),
		s.Muted.Render("Delete a time to remove its slot; times stay on the wall clock across daylight-saving changes."),
		"",
		"> " + e.input.View(),
	}
	if e.err != "" {
		out = append(out, "", s.Danger.Render(common.Clean(e.err)))
	}
	if len(e.why) > 0 {
		out = append(out, "", s.Bold.Render("Suggested from the best times, added above (delete what you do not want):"))
		for _, w := range e.why {
			out = append(out, s.Text.Render("  "+w))
		}
	}
	return out
}

// suggestedMsg brings slot suggestions for an account.
type suggestedMsg struct {
	account store.Account
	sched   store.QueueSchedule
	sugg    []timing.Suggestion
	err     error
}

// suggestCmd reads the account's best times and proposes slots from them.
func suggestCmd(m *Model, a store.Account) tea.Cmd {
	st, now, zone := m.c.Store, m.c.Now(), m.c.Zone
	return common.Query(queryTimeout, func(ctx context.Context) tea.Msg {
		msg := suggestedMsg{account: a}
		if msg.sched, msg.err = st.QueueSchedule(ctx, a.ID); msg.err != nil {
			return msg
		}
		// Slots are read in the queue's zone: the best times are read
		// there too, or a queue in another zone than crier's gets its
		// suggestions hours off.
		loc := zone
		if msg.sched.Zone != "" {
			loc = msg.sched.Location()
		}
		h, err := timing.BestTimes(ctx, st, timing.BestTimeOptions{Accounts: []int64{a.ID}, Now: now, Loc: loc})
		if err != nil {
			msg.err = err
			return msg
		}
		msg.sugg = h.Suggest(suggestedShown)
		return msg
	})
}

func (m *Model) onSuggested(msg suggestedMsg) tea.Cmd {
	if msg.err != nil {
		return common.Status("cannot suggest slots: "+msg.err.Error(), true)
	}
	if len(msg.sugg) == 0 {
		return common.Status(accountName(msg.account)+" has too little history to suggest slots from yet", true)
	}
	return m.pushKept(newSlotEditor(m, msg.account, msg.sched, msg.sugg))
}
