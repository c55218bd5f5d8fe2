package kpis

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crier-app/crier/analytics"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
)

// The running goals come first, a line each; those ended or yet to start
// are left to the Campaigns pane.
func TestActiveGoalsFirst(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	d := func(s string) store.Day {
		day, err := store.ParseDay(s)
		if err != nil {
			t.Fatal(err)
		}
		return day
	}
	for _, g := range []store.Goal{
		{Metric: store.GoalFollowers, Target: 1700, StartsOn: d("2026-03-20"), Deadline: d("2026-04-30")},
		{Metric: store.GoalLinkClicks, Target: 500, StartsOn: d("2026-01-01"), Deadline: d("2026-03-31")},    // ended
		{Metric: store.GoalConversions, Target: 10000, StartsOn: d("2026-05-01"), Deadline: d("2026-05-31")}, // not started
	} {
		if _, err := f.st.AddGoal(ctx, g, now); err != nil {
			t.Fatal(err)
		}
	}
	m := newModel(t, f, 120, 37)
	v := m.View()
	goals, all := strings.Index(v, "Goals · the active ones"), strings.Index(v, "All accounts")
	if goals < 0 || all < 0 || goals > all {
		t.Fatalf("the goals are not first:\n%s", v)
	}
	if !strings.Contains(v, "1,700 followers by 2026-04-30") || !strings.Contains(v, "now ") {
		t.Errorf("the followers goal is missing:\n%s", v)
	}
	if strings.Contains(v, "link clicks by 2026-03-31") || strings.Contains(v, "conversions by 2026-05-31") {
		t.Errorf("a goal that is not running is listed:\n%s", v)
	}
}

// x writes a report of a span of days to a file and says where; a bad
// day keeps the form open with what was typed.
func TestExportFromKPIs(t *testing.T) {
	f := newFixture(t)
	m := newModel(t, f, 120, 37)
	dir := t.TempDir()
	press(m, "x")
	if !m.Capturing() || !strings.Contains(m.View(), "Export a report of the last 30 days") {
		t.Fatalf("x did not open the export form:\n%s", m.View())
	}
	press(m, "tab")
	retype(m, filepath.Join(dir, "month.json"))
	press(m, "tab")
	retype(m, "2026-13-01")
	press(m, "ctrl+s")
	if v := m.View(); !strings.Contains(v, "from: \"2026-13-01\" is not a date") || !strings.Contains(v, "month.json") {
		t.Fatalf("a bad day:\n%s", v)
	}
	// A span of more than ten years is refused at its first day.
	retype(m, "0001-01-01")
	press(m, "ctrl+s")
	if v := m.View(); !strings.Contains(v, "a report covers at most ten years") || !strings.Contains(v, "month.json") {
		t.Fatalf("a span of 8,000 years:\n%s", v)
	}
	retype(m, "2026-03-04")
	// The form's first three fields: format (html), file, from.
	press(m, "shift+tab")
	press(m, "shift+tab")
	retype(m, "json")
	cmd := press(m, "ctrl+s")
	if cmd == nil {
		t.Fatalf("nothing written:\n%s", m.View())
	}
	_, status := m.Update(cmd())
	if m.form != nil {
		t.Fatalf("the form stayed open:\n%s", m.View())
	}
	if msg, ok := status().(common.StatusMsg); !ok || msg.Err || msg.Text != "wrote the report to "+filepath.Join(dir, "month.json") {
		t.Errorf("status %+v", msg)
	}
	b, err := os.ReadFile(filepath.Join(dir, "month.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"from": "2026-03-04"`) {
		t.Errorf("the report:\n%.400s", b)
	}
}

// A goal's target reads as the Campaigns pane and the reports write it:
// rounded toward the side the goal must reach, so 8 conversions of a
// target of 8.05 never reads "now 8 of 8" (and not reached).
func TestGoalTargetRoundsTowardReachingIt(t *testing.T) {
	f := newFixture(t)
	m := newModel(t, f, 120, 37)
	baseline := 7.0 // 8.05 as the goal's arithmetic leaves it: 8.049999999999999
	m.goals = []analytics.GoalStatus{{
		Goal:    store.Goal{Metric: store.GoalConversions, Relative: true, Target: 1500, Deadline: store.DateDay(2026, 4, 30)},
		Current: analytics.Value{V: 8, OK: true}, Target: analytics.Value{V: baseline * (1 + 1500.0/10000), OK: true}, Progress: 8 / 8.05,
		State: analytics.GoalOnTrack,
	}}
	lines := strings.Join(m.goalLines(), "\n")
	if !strings.Contains(lines, "now 8 of 8.1 ") {
		t.Errorf("want the target of 8.05 as 8.1:\n%s", lines)
	}
}

// The export form closed before it was written or cancelled (the SSH
// connection dropped, ctrl+c) keeps what was typed: the next session that
// opens it finds it there, and esc drops it.
func TestExportFormClosedByQuitKeepsWhatWasTyped(t *testing.T) {
	f := newFixture(t)
	m := newModel(t, f, 120, 37)
	path := filepath.Join(t.TempDir(), "for-the-accountant.csv")
	press(m, "x")
	press(m, "tab")
	retype(m, path)
	_, keep := m.Update(common.BeforeQuitMsg{})
	if keep == nil {
		t.Fatal("nothing kept as crier closed with the form open")
	}
	if msg := keep(); msg != nil {
		t.Fatalf("keeping it said %+v", msg)
	}

	// Another session on the same database opens the form: it is there.
	m = newModel(t, f, 120, 37)
	status := feed(t, m, press(m, "x"))
	if v := m.View(); !strings.Contains(v, "for-the-accountant.csv") {
		t.Fatalf("the form opened without what was typed:\n%s", v)
	}
	if msg, ok := status().(common.StatusMsg); !ok || !strings.Contains(msg.Text, "what you typed") {
		t.Errorf("status %+v: want it to say the typing came back", msg)
	}
	// esc drops it: the form opens as new next time.
	press(m, "esc")
	if cmd := feed(t, m, press(m, "x")); cmd != nil {
		t.Errorf("something came back after esc: %+v", cmd())
	}
	if v := m.View(); strings.Contains(v, "for-the-accountant.csv") {
		t.Errorf("kept after esc:\n%s", v)
	}
}

// retype replaces the text of the form's field with the cursor, a key at
// a time.
func retype(m *Model, text string) {
	press(m, "ctrl+e")
	press(m, "ctrl+u")
	for _, r := range text {
		press(m, string(r))
	}
}
