package form

import (
	"strings"
	"testing"
	"time"

	"github.com/crier-app/crier/tui/tuitest"
)

func newForm(t *testing.T) *Model {
	c := tuitest.Common(t, nil, tuitest.NewClock(time.Date(2026, 4, 2, 10, 0, 0, 0, time.UTC)))
	return New(c, 7, "New thing",
		NewField(c, "name", "name", "", "(a name)", "what you call it"),
		NewField(c, "day", "first day", "2026-04-02", "YYYY-MM-DD", ""),
		NewField(c, "note", "note", "", "", ""))
}

func press(f *Model, keys ...string) (save, cancel bool) {
	for _, k := range keys {
		save, cancel, _ = f.Update(tuitest.Key(k))
	}
	return save, cancel
}

// Typing fills the field with the cursor; tab, the arrows and enter move
// between fields; enter on the last one and ctrl+s save; esc cancels.
func TestFormMovesTypesAndSaves(t *testing.T) {
	f := newForm(t)
	press(f, "Spring Sale")
	if s, _ := press(f, "enter"); s {
		t.Fatal("enter on the first field saved")
	}
	press(f, "ctrl+e", "ctrl+u", "2026-05-01", "down", "hello")
	if f.Value("name") != "Spring Sale" || f.Value("day") != "2026-05-01" || f.Value("note") != "hello" {
		t.Fatalf("values %q %q %q", f.Value("name"), f.Value("day"), f.Value("note"))
	}
	if s, _ := press(f, "enter"); !s {
		t.Error("enter on the last field did not save")
	}
	if s, _ := press(f, "up", "up", "ctrl+s"); !s {
		t.Error("ctrl+s did not save")
	}
	f.Saving()
	if s, _ := press(f, "ctrl+s"); s {
		t.Error("a second save while the first is under way")
	}
	if _, c := press(f, "esc"); !c {
		t.Error("esc did not cancel")
	}
	if f.Kind != 7 {
		t.Error("the kind is lost")
	}
}

// An error names the field and puts the cursor there; nothing typed is lost.
func TestFormFailKeepsEverything(t *testing.T) {
	f := newForm(t)
	press(f, "Spring Sale", "tab", "tab", "a note")
	f.Saving()
	f.Fail("day", "first day: \"x\" is not a date")
	v := f.View(80, 20)
	for _, want := range []string{"Spring Sale", "a note", "2026-04-02", "first day: \"x\" is not a date"} {
		if !strings.Contains(v, want) {
			t.Errorf("the form lacks %q:\n%s", want, v)
		}
	}
	if !strings.Contains(v, "▸ first day") {
		t.Errorf("the cursor is not on the field in error:\n%s", v)
	}
	if f.IsSaving() || f.Err() == "" || f.Label("day") != "first day" {
		t.Error("the failure did not end the save")
	}
	// A short pane keeps the field with the cursor in view.
	f.FocusOn(2)
	if v := f.View(80, 4); !strings.Contains(v, "note") {
		t.Errorf("at 4 lines the cursor's field is gone:\n%s", v)
	}
}
