package savedreplies

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/tuitest"
)

// now is the frozen clock of every test.
var now = time.Date(2025, 3, 4, 15, 0, 0, 0, time.UTC)

// picker is the picker driven on its own, as its owner (the reply
// composer) would: its own answers go back to it, what it says to its
// owner (a picked template, a status) is returned.
type picker struct {
	*Model
	run *tuitest.Runner
}

func newPicker(t testing.TB, st *store.Store) *picker {
	t.Helper()
	clock := tuitest.NewClock(now)
	c := tuitest.Common(t, st, clock)
	c.Zone = time.FixedZone("CET", 3600)
	m := New(c)
	p := &picker{Model: m, run: tuitest.NewRunner(t, clock, func(msg tea.Msg) tea.Cmd {
		_, cmd := m.Update(msg)
		return cmd
	})}
	p.run.Deliver = tuitest.OwnMessages(m)
	return p
}

// drive runs cmd and what follows; it returns what is for the owner.
func (p *picker) drive(cmd tea.Cmd) []tea.Msg { return p.run.Run(cmd) }

// press sends keys: a name in brackets ("<ctrl+n>") is one key
// (tuitest.Key), anything else is typed.
func (p *picker) press(keys ...string) []tea.Msg {
	var out []tea.Msg
	for _, k := range keys {
		if name, ok := strings.CutPrefix(k, "<"); ok && strings.HasSuffix(name, ">") {
			out = append(out, p.run.Press(strings.TrimSuffix(name, ">"))...)
		} else {
			out = append(out, p.run.Type(k)...)
		}
	}
	return out
}

// bakery are the templates most tests start with: name, body, uses.
var bakery = []struct {
	name, body string
	uses       int
}{
	{"Thanks", "Thank you so much, {first_name}! 🥐 See you at the counter.", 12},
	{"Opening hours", "Hi {first_name}! We're open Tue–Sat 7:00–18:00 and Sun 8:00–13:00.", 5},
	{"Allergens", "Good question, {first_name}. Every loaf is baked in a kitchen that handles wheat, nuts and sesame; ask us for the list.", 2},
	{"Sorry", "{name}, we're sorry that happened. Could you DM us your order number? — {me}", 0},
	{"Broken", "Hello {nmae}", 0}, // written before the placeholders were checked
}

// seed stores the bakery's templates and returns their ids by name.
func seed(t testing.TB, st *store.Store) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	ids := map[string]int64{}
	for _, b := range bakery {
		id, err := st.CreateSavedReply(ctx, b.name, b.body, now.Add(-48*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		for range b.uses {
			if err := st.MarkSavedReplyUsed(ctx, id, now.Add(-26*time.Hour)); err != nil {
				t.Fatal(err)
			}
		}
		ids[b.name] = id
	}
	return ids
}

// open returns a picker opened for Ana and loaded.
func open(t testing.TB, st *store.Store, w, h int) *picker {
	t.Helper()
	m := newPicker(t, st)
	m.SetSize(w, h)
	if out := m.drive(m.Open(ana)); len(out) != 0 {
		t.Fatalf("opening said %v", out)
	}
	if m.loading || m.loadErr != nil {
		t.Fatalf("not loaded: loading %v, err %v", m.loading, m.loadErr)
	}
	return m
}

func shownNames(m *picker) []string {
	var names []string
	for _, s := range m.shown {
		names = append(names, s.reply.Name)
	}
	return names
}

func savedReply(t *testing.T, st *store.Store, id int64) (store.SavedReply, bool) {
	t.Helper()
	all, err := st.SavedReplies(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range all {
		if r.ID == id {
			return r, true
		}
	}
	return store.SavedReply{}, false
}

func TestOpenShowsMostUsedFirst(t *testing.T) {
	st := tuitest.Store(t)
	seed(t, st)
	m := open(t, st, 80, 21)
	if !m.Active() {
		t.Fatal("not active after Open")
	}
	if got, want := shownNames(m), []string{"Thanks", "Opening hours", "Allergens", "Broken", "Sorry"}; !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
	if r, _ := m.current(); r.Name != "Thanks" {
		t.Errorf("cursor on %q, want the most used", r.Name)
	}
}

func TestFilter(t *testing.T) {
	st := tuitest.Store(t)
	seed(t, st)
	m := open(t, st, 80, 21)

	m.press("hours")
	if got := shownNames(m); len(got) == 0 || got[0] != "Opening hours" {
		t.Fatalf("hours: %v, want Opening hours first", got)
	}
	// Fuzzy: letters in order, not next to each other, any case.
	m.press("<backspace>", "<backspace>", "<backspace>", "<backspace>", "<backspace>", "OPHR")
	if got := shownNames(m); !slices.Equal(got, []string{"Opening hours"}) {
		t.Errorf("OPHR: %v, want only Opening hours", got)
	}
	// Words match the text as well as the name, each on its own.
	for range 4 {
		m.press("<backspace>")
	}
	m.press("sesame wheat")
	if got := shownNames(m); !slices.Equal(got, []string{"Allergens"}) {
		t.Errorf("sesame wheat: %v, want Allergens (by its text)", got)
	}
	for range len("sesame wheat") {
		m.press("<backspace>")
	}
	m.press("zzqx")
	if len(m.shown) != 0 {
		t.Errorf("zzqx: %v, want nothing", shownNames(m))
	}
	if out := m.press("<enter>"); len(out) != 0 || !m.Active() || m.problem != "nothing matches the filter" {
		t.Errorf("enter with nothing shown: %v, active %v, problem %q", out, m.Active(), m.problem)
	}
	if v := m.View(); !strings.Contains(v, `Nothing matches "zzqx"`) || !strings.Contains(v, "0 of 5") {
		t.Errorf("view with nothing shown:\n%s", v)
	}
}

func TestFilterRanksNamesFirst(t *testing.T) {
	all := []store.SavedReply{
		{ID: 1, Name: "Sorry", Body: "We will open a ticket about it."},
		{ID: 2, Name: "Opening hours", Body: "7 to 6"},
		{ID: 3, Name: "Pre-orders", Body: "Order by noon, open the app."},
	}
	var got []int64
	for _, s := range filterReplies(all, "open") {
		got = append(got, s.reply.ID)
	}
	if len(got) != 3 || got[0] != 2 {
		t.Errorf("open: %v, want all three, the one named so first", got)
	}
	s := filterReplies(all, "hrs")
	if len(s) != 1 || !slices.Equal(s[0].hits, []int{8, 11, 12}) {
		t.Errorf("hrs: %+v, want Opening hours with the h, r and s of hours", s)
	}
}

func TestPick(t *testing.T) {
	st := tuitest.Store(t)
	ids := seed(t, st)
	m := open(t, st, 80, 21)

	m.press("<down>", "<ctrl+k>", "<ctrl+j>")
	if r, _ := m.current(); r.Name != "Opening hours" {
		t.Fatalf("cursor on %q after down, up, down", r.Name)
	}
	out := m.press("<enter>")
	want := PickedMsg{ID: ids["Opening hours"], Text: "Hi Ana! We're open Tue–Sat 7:00–18:00 and Sun 8:00–13:00."}
	if len(out) != 1 || out[0] != want {
		t.Fatalf("enter said %#v, want %#v", out, want)
	}
	if m.Active() {
		t.Error("still active after a pick")
	}
	r, _ := savedReply(t, st, ids["Opening hours"])
	if r.Uses != 6 || !r.LastUsedAt.Equal(now) {
		t.Errorf("after the pick: uses %d, last used %v; want 6 at %v", r.Uses, r.LastUsedAt, now)
	}
	// Closed, it ignores keys.
	if out := m.press("<enter>"); len(out) != 0 {
		t.Errorf("a closed picker said %v", out)
	}
}

func TestPickRefusesWhatCannotBeFilled(t *testing.T) {
	st := tuitest.Store(t)
	ids := seed(t, st)
	m := open(t, st, 80, 21)

	m.press("broken")
	if out := m.press("<enter>"); len(out) != 0 || !m.Active() {
		t.Fatalf("picking a broken template: %v, active %v", out, m.Active())
	}
	if want := `"Broken" can't be used here: {nmae} at line 1, column 7 is not a placeholder`; !strings.Contains(m.problem, want) {
		t.Errorf("problem %q, want %q", m.problem, want)
	}
	if v := m.View(); !strings.Contains(v, `"Broken" can't be used here`) {
		t.Errorf("the problem is not shown:\n%s", v)
	}
	if r, _ := savedReply(t, st, ids["Broken"]); r.Uses != 0 {
		t.Errorf("a refused pick was counted: %d", r.Uses)
	}

	// {me} has no value when the composer doesn't know the account.
	m.Open(Vars{Name: "Ana", Handle: "ana"})
	m.drive(m.load())
	m.press("sorry", "<enter>")
	if !m.Active() || !strings.Contains(m.problem, "{me} at line 1, column 73 has no value for this reply") {
		t.Errorf("picking Sorry without {me}: active %v, problem %q", m.Active(), m.problem)
	}
}

func TestEscCloses(t *testing.T) {
	st := tuitest.Store(t)
	seed(t, st)
	m := open(t, st, 80, 21)
	m.press("tha")
	out := m.press("<esc>")
	if len(out) != 1 || out[0] != (ClosedMsg{}) || m.Active() {
		t.Fatalf("esc said %v, active %v", out, m.Active())
	}
	if m.View() != "" {
		t.Error("a closed picker draws something")
	}
	// Opening again starts with no filter.
	m.drive(m.Open(ana))
	if m.filter.Value() != "" || len(m.shown) != len(bakery) {
		t.Errorf("reopened with filter %q and %d shown", m.filter.Value(), len(m.shown))
	}
}

func TestLateLoadIsDropped(t *testing.T) {
	st := tuitest.Store(t)
	m := newPicker(t, st)
	m.SetSize(80, 21)
	first := m.Open(ana)
	stale := first() // read while the store is empty
	seed(t, st)
	m.drive(m.Open(ana))
	m.Update(stale)
	if len(m.all) != len(bakery) {
		t.Errorf("an answer to the first Open replaced the second's: %d templates", len(m.all))
	}
}

func TestCreate(t *testing.T) {
	st := tuitest.Store(t)
	seed(t, st)
	m := open(t, st, 80, 21)

	// What was typed to look for one names the new one.
	m.press("parking", "<ctrl+n>")
	if m.mode != modeForm || m.form.name.Value() != "parking" || !m.form.onBody {
		t.Fatalf("ctrl+n: mode %v, name %q, on body %v", m.mode, m.form.name.Value(), m.form.onBody)
	}
	m.press("Hi {fisrt_name}, park behind the shop.")
	if out := m.press("<ctrl+s>"); len(out) != 0 {
		t.Fatalf("saving a bad template said %v", out)
	}
	if want := "not saved: {fisrt_name} at line 1, column 4 is not a placeholder"; !strings.HasPrefix(m.form.problem, want) {
		t.Errorf("problem %q, want %q", m.form.problem, want)
	}
	if m.mode != modeForm || m.form.body.Value() != "Hi {fisrt_name}, park behind the shop." {
		t.Errorf("the text was lost: mode %v, body %q", m.mode, m.form.body.Value())
	}
	if v := m.View(); !strings.Contains(v, "not saved: {fisrt_name}") {
		t.Errorf("the refusal is not shown:\n%s", v)
	}
	if all, _ := st.SavedReplies(context.Background()); len(all) != len(bakery) {
		t.Errorf("a bad template reached the store: %d", len(all))
	}

	// Edit the name too: tab to it, back to the body.
	m.press("<tab>", " (bike)", "<tab>")
	for range len("fisrt_name}, park behind the shop.") {
		m.press("<backspace>")
	}
	m.press("first_name}, park behind the shop.")
	out := m.press("<ctrl+s>")
	if len(out) != 1 || out[0] != (common.StatusMsg{Text: `saved the reply "parking (bike)"`}) {
		t.Errorf("saving said %v", out)
	}
	if m.mode != modeList || m.filter.Value() != "" {
		t.Fatalf("after saving: mode %v, filter %q", m.mode, m.filter.Value())
	}
	r, ok := m.current()
	if !ok || r.Name != "parking (bike)" || r.Body != "Hi {first_name}, park behind the shop." || !r.CreatedAt.Equal(now) {
		t.Errorf("cursor on %+v, want the new template", r)
	}
	if len(m.shown) != len(bakery)+1 {
		t.Errorf("%d shown after a create", len(m.shown))
	}
}

func TestSaveRefusedByTheStoreKeepsText(t *testing.T) {
	st := tuitest.Store(t)
	seed(t, st)
	m := open(t, st, 80, 21)
	m.press("<ctrl+n>")
	if m.form.onBody {
		t.Fatal("a new template without a name should start on the name")
	}
	m.press("thanks", "<enter>", "Cheers {first_name}!", "<ctrl+s>")
	if want := `not saved: a saved reply named "Thanks" exists`; m.form.problem != want {
		t.Errorf("problem %q, want %q", m.form.problem, want)
	}
	if m.form.name.Value() != "thanks" || m.form.body.Value() != "Cheers {first_name}!" || m.form.saving {
		t.Errorf("after the refusal: name %q, body %q, saving %v", m.form.name.Value(), m.form.body.Value(), m.form.saving)
	}
	// Typing clears the problem; an empty text is the store's to refuse.
	m.press("<tab>", "s")
	if m.form.problem != "" {
		t.Errorf("problem %q kept after typing", m.form.problem)
	}
	m.press("<tab>")
	for range len("Cheers {first_name}!") {
		m.press("<backspace>")
	}
	m.press("<ctrl+s>")
	if want := `not saved: saved reply "thankss" has no text`; m.form.problem != want {
		t.Errorf("problem %q, want %q", m.form.problem, want)
	}
	// esc drops the form; the next one starts empty.
	m.press("<esc>")
	if m.mode != modeList || !m.Active() {
		t.Fatalf("esc in the form: mode %v, active %v", m.mode, m.Active())
	}
	m.press("<ctrl+n>")
	if m.form.name.Value() != "" || m.form.body.Value() != "" || m.form.problem != "" {
		t.Errorf("a new form kept %q %q %q", m.form.name.Value(), m.form.body.Value(), m.form.problem)
	}
}

func TestEdit(t *testing.T) {
	st := tuitest.Store(t)
	ids := seed(t, st)
	m := open(t, st, 80, 21)
	m.press("<down>", "<ctrl+e>")
	if m.mode != modeForm || m.form.id != ids["Opening hours"] || m.form.name.Value() != "Opening hours" {
		t.Fatalf("ctrl+e: mode %v, id %d, name %q", m.mode, m.form.id, m.form.name.Value())
	}
	if !strings.Contains(m.View(), `Edit "Opening hours"`) {
		t.Errorf("no edit title:\n%s", m.View())
	}
	m.press(" Closed Mondays.", "<ctrl+s>")
	r, _ := savedReply(t, st, ids["Opening hours"])
	if want := bakery[1].body + " Closed Mondays."; r.Body != want || r.Uses != 5 || !r.UpdatedAt.Equal(now) {
		t.Errorf("stored %+v, want body %q, uses kept", r, want)
	}
	if cur, _ := m.current(); cur.ID != r.ID || cur.Body != r.Body {
		t.Errorf("cursor on %+v after the edit", cur)
	}

	// A template deleted behind the form's back is saved as a new one.
	m.press("<ctrl+e>")
	if err := st.DeleteSavedReply(context.Background(), r.ID); err != nil {
		t.Fatal(err)
	}
	m.press("<ctrl+s>")
	if !strings.Contains(m.form.problem, "deleted meanwhile") || m.form.id != 0 {
		t.Fatalf("problem %q, id %d", m.form.problem, m.form.id)
	}
	m.press("<ctrl+s>")
	if cur, _ := m.current(); m.mode != modeList || cur.Name != "Opening hours" || cur.ID == r.ID {
		t.Errorf("saved again as new: mode %v, cursor on %+v", m.mode, cur)
	}
}

func TestDelete(t *testing.T) {
	st := tuitest.Store(t)
	ids := seed(t, st)
	m := open(t, st, 80, 21)
	m.press("<down>", "<ctrl+d>")
	if m.mode != modeConfirm || !strings.Contains(m.View(), `Delete "Opening hours"? y deletes it`) {
		t.Fatalf("ctrl+d: mode %v\n%s", m.mode, m.View())
	}
	m.press("n")
	if m.mode != modeList || len(m.shown) != len(bakery) {
		t.Fatalf("n: mode %v, %d shown", m.mode, len(m.shown))
	}
	if m.filter.Value() != "" {
		t.Errorf("the answer to the question was typed into the filter: %q", m.filter.Value())
	}
	m.press("<ctrl+d>")
	out := m.press("y")
	if len(out) != 1 || out[0] != (common.StatusMsg{Text: `deleted the saved reply "Opening hours"`}) {
		t.Errorf("y said %v", out)
	}
	if _, ok := savedReply(t, st, ids["Opening hours"]); ok {
		t.Error("still stored")
	}
	if got, want := shownNames(m), []string{"Thanks", "Allergens", "Broken", "Sorry"}; !slices.Equal(got, want) {
		t.Errorf("shown %v, want %v", got, want)
	}
	if r, _ := m.current(); r.Name != "Allergens" {
		t.Errorf("cursor on %q, want the next one", r.Name)
	}
}

func TestPaging(t *testing.T) {
	st := tuitest.Store(t)
	for i := range 40 {
		if _, err := st.CreateSavedReply(context.Background(), fmt.Sprintf("Reply %02d", i), "Hi {name}", now); err != nil {
			t.Fatal(err)
		}
	}
	m := open(t, st, 80, 21)
	rows := m.listLayout().rows
	m.press("<pgdown>", "<pgdown>")
	if m.cursor != 2*rows {
		t.Errorf("cursor %d after two pages of %d", m.cursor, rows)
	}
	v := m.View()
	if !strings.Contains(v, fmt.Sprintf("› Reply %02d", 2*rows)) || strings.Contains(v, "Reply 00") {
		t.Errorf("the cursor's row is not on screen:\n%s", v)
	}
	checkSize(t, v, 80, 21)
}

func TestNetworkTextIsCleaned(t *testing.T) {
	st := tuitest.Store(t)
	seed(t, st)
	m := newPicker(t, st)
	m.SetSize(120, 37)
	evil := Vars{Name: "Mallory\x1b]0;pwned\x07\x1b]52;c;ZXZpbA==\x07", Handle: "mal\x1b[2Jlory", Me: "Rye & Shine", Network: "Mastodon"}
	m.drive(m.Open(evil))
	v := m.View()
	if strings.ContainsRune(v, '\x1b') || strings.ContainsRune(v, '\x07') {
		t.Errorf("escape sequences reached the view: %q", v)
	}
	if !strings.Contains(v, "Thank you so much, Mallory!") {
		t.Errorf("the preview should show the cleaned name:\n%s", v)
	}
	out := m.press("<enter>")
	if len(out) != 1 || out[0].(PickedMsg).Text != "Thank you so much, Mallory! 🥐 See you at the counter." {
		t.Errorf("picked %#v", out)
	}
}

// checkSize fails unless view is exactly w x h.
func checkSize(t *testing.T, view string, w, h int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) != h {
		t.Errorf("view is %d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if lipgloss.Width(l) != w {
			t.Errorf("line %d is %d wide, want %d: %q", i, lipgloss.Width(l), w, l)
		}
	}
}

func TestGolden(t *testing.T) {
	sizes := [][2]int{{80, 21}, {120, 37}}
	states := []struct {
		name  string
		setup func(t *testing.T, st *store.Store) *picker
	}{
		{"list", func(t *testing.T, st *store.Store) *picker {
			seed(t, st)
			m := open(t, st, 80, 21)
			m.press("<down>")
			return m
		}},
		{"filtered", func(t *testing.T, st *store.Store) *picker {
			seed(t, st)
			m := open(t, st, 80, 21)
			m.press("open")
			return m
		}},
		{"empty", func(t *testing.T, st *store.Store) *picker {
			return open(t, st, 80, 21)
		}},
		{"confirm_delete", func(t *testing.T, st *store.Store) *picker {
			seed(t, st)
			m := open(t, st, 80, 21)
			m.press("<down>", "<down>", "<ctrl+d>")
			return m
		}},
		{"form_refused", func(t *testing.T, st *store.Store) *picker {
			seed(t, st)
			m := open(t, st, 80, 21)
			m.press("<ctrl+n>", "Parking", "<tab>", "Hi {first_name}! There's parking behind the shop,\nenter from {street}.", "<ctrl+s>")
			return m
		}},
		{"form_edit", func(t *testing.T, st *store.Store) *picker {
			seed(t, st)
			m := open(t, st, 80, 21)
			m.press("<down>", "<down>", "<down>", "<down>", "<ctrl+e>")
			return m
		}},
	}
	for _, s := range states {
		for _, size := range sizes {
			t.Run(fmt.Sprintf("%s_%dx%d", s.name, size[0], size[1]), func(t *testing.T) {
				m := s.setup(t, tuitest.Store(t))
				m.SetSize(size[0], size[1])
				v := m.View()
				checkSize(t, v, size[0], size[1])
				golden.RequireEqual(t, []byte(v))
			})
		}
	}
}

// BenchmarkFilter measures one keystroke's refilter over 500 templates
// (far more than anyone keeps) with a two-word query.
func BenchmarkFilter(b *testing.B) {
	all := make([]store.SavedReply, 500)
	for i := range all {
		b := bakery[i%len(bakery)]
		all[i] = store.SavedReply{ID: int64(i + 1), Name: fmt.Sprintf("%s %d", b.name, i), Body: b.body}
	}
	b.ReportAllocs()
	for b.Loop() {
		if len(filterReplies(all, "open hrs")) == 0 {
			b.Fatal("nothing matched")
		}
	}
}
