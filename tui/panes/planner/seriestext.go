package planner

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/keys"
)

// seriesTextForm edits what a series posts on every network, as the
// composer does: the main text, and each account's own text (a series
// made from a post with a Bluesky text of its own keeps posting that text
// on Bluesky, whatever the main text says). An account's field left empty
// posts the main text.
type seriesTextForm struct {
	r      store.Recurrence
	main   textinput.Model
	own    []textinput.Model // one per target of the template, in its order
	names  []string          // each target's name ("Bluesky", "Mastodon @shop")
	opened []string          // what each field held when the form opened: main, then own
	focus  int
	err    string
}

// newSeriesTextForm opens the form on a series, focused on the main text.
func newSeriesTextForm(m *Model, r store.Recurrence) *seriesTextForm {
	f := &seriesTextForm{r: r, main: m.c.TextInput("what the series posts")}
	f.main.SetValue(r.Template.Body)
	f.opened = append(f.opened, r.Template.Body)
	platforms := map[string]int{}
	accts := make([]store.Account, len(r.Template.Targets))
	for i, tg := range r.Template.Targets {
		if a, ok := m.accountByID(tg.AccountID); ok {
			accts[i] = a
			platforms[a.Platform]++
		}
	}
	for i, tg := range r.Template.Targets {
		name := "account " + strconv.FormatInt(tg.AccountID, 10)
		if a := accts[i]; a.ID != 0 {
			name = common.NetworkName(a.Platform)
			if platforms[a.Platform] > 1 {
				name += " @" + strings.TrimPrefix(common.Clean(a.Handle), "@")
			}
		}
		in := m.c.TextInput("empty: " + name + " posts the main text")
		if tg.HasOverride {
			in.SetValue(tg.BodyOverride)
		}
		f.own = append(f.own, in)
		f.names = append(f.names, name)
		f.opened = append(f.opened, in.Value())
	}
	f.focusField(m.width)
	return f
}

func (f *seriesTextForm) fields() []*textinput.Model {
	out := []*textinput.Model{&f.main}
	for i := range f.own {
		out = append(out, &f.own[i])
	}
	return out
}

func (f *seriesTextForm) focusField(width int) {
	for i, in := range f.fields() {
		in.Width = max(width-4, 10)
		if i == f.focus {
			in.Focus()
			in.CursorEnd()
		} else {
			in.Blur()
		}
	}
}

func (f *seriesTextForm) typing() bool { return true }

func (f *seriesTextForm) keptKey() string { return seriesKeptKey("text", f.r.ID) }

// typed is what the form holds ("main", "own-<account id>"), nil while
// every field still holds what it opened with.
func (f *seriesTextForm) typed() map[string]string {
	changed := false
	for i, in := range f.fields() {
		changed = changed || in.Value() != f.opened[i]
	}
	if !changed {
		return nil
	}
	out := map[string]string{"main": f.main.Value()}
	for i, tg := range f.r.Template.Targets {
		out["own-"+strconv.FormatInt(tg.AccountID, 10)] = f.own[i].Value()
	}
	return out
}

func (f *seriesTextForm) restore(_ *common.Common, typed map[string]string) {
	if v, ok := typed["main"]; ok {
		f.main.SetValue(v)
	} else if v, ok := typed["line"]; ok { // kept by the one-line form before
		f.main.SetValue(v)
	}
	for i, tg := range f.r.Template.Targets {
		if v, ok := typed["own-"+strconv.FormatInt(tg.AccountID, 10)]; ok {
			f.own[i].SetValue(v)
		}
	}
	for _, in := range f.fields() {
		in.CursorEnd()
	}
}

func (f *seriesTextForm) help(k KeyMap) []key.Binding {
	return []key.Binding{keys.New("enter", "save"), k.NextField, k.PrevField, k.Cancel}
}

// template is the series' template with the texts typed: an account's
// empty field posts the main text, unless its own text was empty already.
func (f *seriesTextForm) template() (store.Post, error) {
	tpl := f.r.Template
	tpl.Targets = append([]store.Target(nil), tpl.Targets...)
	tpl.Body = f.main.Value()
	usesMain := false
	for i := range tpl.Targets {
		own := f.own[i].Value()
		keepEmpty := own == "" && tpl.Targets[i].HasOverride && tpl.Targets[i].BodyOverride == ""
		tpl.Targets[i].HasOverride = own != "" || keepEmpty
		tpl.Targets[i].BodyOverride = own
		usesMain = usesMain || !tpl.Targets[i].HasOverride
	}
	if strings.TrimSpace(tpl.Body) == "" && usesMain {
		return tpl, errors.New("the text is empty: write what the series posts (esc keeps it as it is)")
	}
	return tpl, nil
}

// said is what the status says the series posts now.
func (f *seriesTextForm) said(tpl store.Post) string {
	var parts []string
	if !ownTextEverywhere(tpl) {
		parts = append(parts, common.PostName(tpl.Body, 24, "no text"))
	}
	for i, tg := range tpl.Targets {
		if tg.HasOverride {
			parts = append(parts, "on "+f.names[i]+" "+common.PostName(tg.BodyOverride, 24, "no text"))
		}
	}
	return strings.Join(parts, "; ")
}

func (f *seriesTextForm) update(m *Model, msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyMsg)
	if ok {
		switch {
		case key.Matches(k, m.keys.Cancel):
			m.pop()
			return nil
		case k.Type == tea.KeyEnter:
			tpl, err := f.template()
			if err != nil {
				f.err = err.Error() // the typed texts stay
				return nil
			}
			m.pop()
			st, now, id, said := m.c.Store, m.c.Now(), f.r.ID, f.said(tpl)
			return keepOnFailure(st, f.keptKey(), f.typed(), func() tea.Msg {
				n, err := st.UpdateRecurrence(context.Background(), id, tpl, now)
				return acted(fmt.Sprintf("the series now posts %s; %s rewritten", said,
					common.Count(n, "coming post", "coming posts")), err)
			})
		case key.Matches(k, m.keys.NextField):
			f.focus = (f.focus + 1) % len(f.fields())
			f.focusField(m.width)
			return nil
		case key.Matches(k, m.keys.PrevField):
			f.focus = (f.focus + len(f.fields()) - 1) % len(f.fields())
			f.focusField(m.width)
			return nil
		}
		f.err = ""
	}
	in := f.fields()[f.focus]
	var cmd tea.Cmd
	*in, cmd = in.Update(msg)
	return cmd
}

func (f *seriesTextForm) view(m *Model) []string {
	s := m.c.Styles
	out := []string{s.Title.Render("Texts of every coming post of the series"),
		s.Muted.Render(common.Truncate("posts edited alone keep their own text · tab next field · enter saves", m.width, "…")), ""}
	var usesMain []string
	for i, tg := range f.r.Template.Targets {
		if f.own[i].Value() == "" && !(tg.HasOverride && tg.BodyOverride == "") {
			usesMain = append(usesMain, f.names[i])
		}
	}
	label := "Main text"
	switch {
	case len(usesMain) == 0:
		label += " (every account has its own text below: none posts it)"
	case len(usesMain) < len(f.own):
		label += " (posted on " + strings.Join(usesMain, ", ") + ")"
	}
	out = append(out, s.Bold.Render(common.Truncate(label, m.width, "…")), "> "+f.main.View())
	for i := range f.own {
		out = append(out, "", s.Bold.Render(common.Truncate(f.names[i]+"'s own text", m.width, "…")), "> "+f.own[i].View())
	}
	if f.err != "" {
		out = append(out, "", s.Danger.Render(common.Clean(f.err)))
	}
	return out
}

// ownTexts are the lines under a series in the list that say which
// accounts post a text of their own, and what.
func (m *Model) ownTexts(r store.Recurrence) []string {
	var out []string
	for _, tg := range r.Template.Targets {
		if !tg.HasOverride {
			continue
		}
		name := "account " + strconv.FormatInt(tg.AccountID, 10)
		if a, ok := m.accountByID(tg.AccountID); ok {
			name = common.NetworkName(a.Platform)
		}
		out = append(out, m.c.Styles.Muted.Render(common.Truncate("    "+name+"'s own text: "+
			common.OneLine(common.Clean(tg.BodyOverride)), m.width, "…")))
	}
	return out
}
