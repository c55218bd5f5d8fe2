package savedreplies

import (
	"context"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/tuitest"
)

// pressOwning presses keys and, as the picker's owner does, hands a
// KeptMsg back to the picker; it returns what else was said to the owner.
func (p *picker) pressOwning(keys ...string) []tea.Msg {
	var out []tea.Msg
	for _, msg := range p.press(keys...) {
		if k, ok := msg.(KeptMsg); ok {
			_, cmd := p.Update(k)
			out = append(out, p.drive(cmd)...)
			continue
		}
		out = append(out, msg)
	}
	return out
}

// A saved reply being written or changed when crier closes (ctrl+c, a
// dropped SSH connection) is kept and comes back when the same form opens
// again: a new one in ctrl+n, a template's changes in its ctrl+e only.
func TestFormOutlivesQuitting(t *testing.T) {
	st := tuitest.Store(t)
	ids := seed(t, st)

	m := open(t, st, 80, 21)
	m.press("<ctrl+n>", "Parking", "<enter>", "Hi {first_name}, park behind")
	m.drive(m.KeepOnQuit())

	m = open(t, st, 80, 21)
	out := m.pressOwning("<ctrl+n>")
	if m.form.name.Value() != "Parking" || m.form.body.Value() != "Hi {first_name}, park behind" {
		t.Fatalf("new form after reopening: %q / %q", m.form.name.Value(), m.form.body.Value())
	}
	if len(out) != 1 || out[0] != common.Status(common.BroughtBack, false)() {
		t.Fatalf("reopening said %v", out)
	}
	m.press(" the shop.")
	m.press("<ctrl+s>")
	if r, ok := m.current(); !ok || r.Name != "Parking" || r.Body != "Hi {first_name}, park behind the shop." {
		t.Fatalf("saved %+v", r)
	}

	// A change to "Thanks" comes back to "Thanks" only.
	m = open(t, st, 80, 21)
	for i, s := range m.shown {
		if s.reply.ID == ids["Thanks"] {
			m.cursor = i
		}
	}
	m.press("<ctrl+e>", " Have a lovely day!")
	m.drive(m.KeepOnQuit())
	m = open(t, st, 80, 21)
	m.pressOwning("<ctrl+n>")
	if m.form.body.Value() != "" {
		t.Fatalf("a new form holds %q", m.form.body.Value())
	}
	m.press("<esc>")
	for i, s := range m.shown {
		if s.reply.ID == ids["Thanks"] {
			m.cursor = i
		}
	}
	m.pressOwning("<ctrl+e>")
	if want := bakery[0].body + " Have a lovely day!"; m.form.body.Value() != want {
		t.Fatalf("Thanks after reopening: %q, want %q", m.form.body.Value(), want)
	}

	// Nothing typed keeps nothing.
	m = open(t, st, 80, 21)
	m.press("<ctrl+n>")
	m.drive(m.KeepOnQuit())
	if typed, err := st.TakeKeptForm(context.Background(), keptKey(0)); err != nil || typed != nil {
		t.Fatalf("kept %v, %v for an untouched form", typed, err)
	}
}
