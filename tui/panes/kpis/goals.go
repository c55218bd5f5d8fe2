package kpis

import (
	"context"
	"errors"
	"fmt"
	"math"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/analytics"
	"github.com/crier-app/crier/report"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/components/form"
	"github.com/crier-app/crier/tui/components/reportfile"
)

// maxGoals is how many active goals the compact section at the top lists;
// the Campaigns pane has them all.
const maxGoals = 4

// goalLines are the compact goals section: a line a goal, with where it
// stands and where its trend takes it.
func (m *Model) goalLines() []string {
	if len(m.goals) == 0 {
		return nil
	}
	s := m.c.Styles
	out := []string{s.Title.Render("Goals") + s.Muted.Render(" · the active ones; 5 Campaigns has them all")}
	for i, g := range m.goals {
		if i >= maxGoals {
			out = append(out, s.Muted.Render(fmt.Sprintf("  … and %d more", len(m.goals)-maxGoals)))
			break
		}
		val := func(v analytics.Value) string { return analytics.FormatValue(g.Goal.Metric, v) }
		state := m.goalState(g)
		what := analytics.Describe(g.Goal)
		var nums string
		if m.width >= 100 {
			nums = "now " + val(g.Current) + " of " + analytics.FormatTarget(g.Goal.Metric, g.Target) + " "
		}
		if g.State != analytics.GoalNoData {
			nums += fmt.Sprintf("(%d%%) ", int(math.Round(g.Progress*100)))
		}
		right := nums + state
		w := m.width - 2
		left := common.Truncate(what, max(w-common.Width(right)-2, 10), "…")
		out = append(out, "  "+common.Spread(s.Text.Render(left), right, w))
	}
	return out
}

func (m *Model) goalState(g analytics.GoalStatus) string {
	s := m.c.Styles
	out := string(g.State)
	switch g.State {
	case analytics.GoalOnTrack, analytics.GoalBehind:
		if g.ReachOn != 0 {
			out += ", reaches it " + g.ReachOn.Date().Format("2 Jan")
		}
	case analytics.GoalReached:
		if g.ReachOn != 0 {
			out += " " + g.ReachOn.Date().Format("2 Jan")
		}
	}
	switch g.State {
	case analytics.GoalReached, analytics.GoalOnTrack:
		return s.Ok.Render(out)
	case analytics.GoalBehind:
		return s.Warn.Render(out)
	case analytics.GoalMissed:
		return s.Danger.Render(out)
	}
	return s.Muted.Render(out)
}

// openExport asks where to write a report of the 30 days the pane shows,
// with what was typed into it before crier last closed with it open.
func (m *Model) openExport() tea.Cmd {
	today := store.DayOf(m.c.Now().In(m.c.Zone))
	f := form.New(m.c, 0, "Export a report of the last 30 days",
		reportfile.Fields(m.c, "last-30-days", today, true, today.Add(-29), today)...)
	m.form = f
	return common.TakeKept(m.c.Store, exportKept, func(typed map[string]string, err error) tea.Msg {
		return keptExportMsg{form: f, typed: typed, err: err}
	})
}

// exportKept names the export form for store.KeepForm: what was typed
// into it is kept when crier closes with it open (a dropped SSH
// connection, ctrl+c).
const exportKept = "kpis/export"

// keptExportMsg brings back what was typed into the export form.
type keptExportMsg struct {
	form  *form.Model
	typed map[string]string
	err   error
}

type exportedMsg struct {
	seq  int
	path string
	err  error
}

func (m *Model) formKey(msg tea.Msg) tea.Cmd {
	save, cancel, cmd := m.form.Update(msg)
	switch {
	case cancel:
		m.form = nil
		return nil
	case !save:
		return cmd
	}
	today := store.DayOf(m.c.Now().In(m.c.Zone))
	r, err := reportfile.Read(m.form, "last-30-days", today, true)
	if err != nil {
		var fe *reportfile.FieldError
		if errors.As(err, &fe) {
			m.form.Fail(fe.Field, fe.Msg)
		}
		return nil
	}
	st := m.c.Store
	if st == nil {
		m.form.Fail("", "no database open")
		return nil
	}
	m.exportSeq++
	seq := m.exportSeq
	o := report.Options{From: r.From, To: r.To, Zone: m.c.Zone, Now: m.c.Now()}
	m.form.Saving()
	return common.Query(queryTimeout, func(ctx context.Context) tea.Msg {
		path, err := reportfile.Write(ctx, st, o, r)
		return exportedMsg{seq: seq, path: path, err: err}
	})
}

func (m *Model) exported(msg exportedMsg) tea.Cmd {
	if msg.seq != m.exportSeq || m.form == nil {
		return nil
	}
	if msg.err != nil {
		var fe *reportfile.FieldError
		if errors.As(msg.err, &fe) {
			m.form.Fail(fe.Field, fe.Msg)
		} else {
			m.form.Fail("", msg.err.Error())
		}
		return nil
	}
	m.form = nil
	return common.Status("wrote the report to "+msg.path, false)
}
