package vlist

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/crier-app/crier/tui/keys"
)

// source is a keyset-paged backend over ascending ints: a row's value is its
// key, and "after k" means "greater than k", as in SQL keyset paging, so it
// keeps answering sensibly when rows are deleted under the list.
type source struct {
	rows  []int
	calls int
}

func newSource(n int) *source {
	s := &source{}
	for i := 0; i < n; i++ {
		s.rows = append(s.rows, i*10)
	}
	return s
}

func (s *source) serve(req Request[int]) []int {
	s.calls++
	var out []int
	switch req.Dir {
	case First:
		out = s.rows[:min(req.Limit, len(s.rows))]
	case Last:
		out = s.rows[max(0, len(s.rows)-req.Limit):]
	case After:
		i, _ := slices.BinarySearch(s.rows, req.Anchor+1)
		out = s.rows[i:min(i+req.Limit, len(s.rows))]
	case Before:
		i, _ := slices.BinarySearch(s.rows, req.Anchor)
		out = s.rows[max(0, i-req.Limit):i]
	}
	return slices.Clone(out)
}

func (s *source) delete(v int) {
	if i, ok := slices.BinarySearch(s.rows, v); ok {
		s.rows = slices.Delete(s.rows, i, i+1)
	}
}

func render(row int, selected bool, width int) string {
	s := fmt.Sprintf("row %d", row)
	if selected {
		s = "> " + s
	}
	return s
}

func newList(t *testing.T, src *source, page, height int) *Model[int, int] {
	t.Helper()
	l := New(func(v int) int { return v }, render, Options{PageSize: page})
	l.SetPlaceholder(func(selected bool, width int) string {
		if selected {
			return "> loading"
		}
		return "loading"
	})
	l.SetSize(40, height)
	first := src.serve(Request[int]{Dir: First, Limit: page})
	settle(t, l, src, l.SetWindow(len(src.rows), 0, first, 0))
	return l
}

// settle answers every request, and the ones that follow, at once.
func settle(t *testing.T, l *Model[int, int], src *source, reqs []Request[int]) {
	t.Helper()
	for n := 0; len(reqs) > 0; n++ {
		if n > 1000 {
			t.Fatal("requests never settle")
		}
		req := reqs[0]
		reqs = append(reqs[1:], l.Receive(req, src.serve(req))...)
	}
}

// checkWindow fails unless every held row is the source's row at its index.
func checkWindow(t *testing.T, l *Model[int, int], src *source) {
	t.Helper()
	start, rows := l.Window()
	for i, v := range rows {
		if start+i >= len(src.rows) || src.rows[start+i] != v {
			t.Fatalf("held row %d (index %d) = %d, source has %v", i, start+i, v, src.rows[start+i:min(start+i+1, len(src.rows))])
		}
	}
}

func TestMovingInsideTheWindowAsksForNothing(t *testing.T) {
	src := newSource(1000)
	l := newList(t, src, 50, 10)
	src.calls = 0
	for i := 0; i < 15; i++ {
		if reqs := l.Down(); len(reqs) != 0 {
			t.Fatalf("down %d asked for %v", i, reqs)
		}
	}
	if got, _ := l.Selected(); got != 150 || l.Cursor() != 15 {
		t.Fatalf("selected %d at %d, want 150 at 15", got, l.Cursor())
	}
	if l.Offset() != 6 {
		t.Fatalf("offset = %d, want 6 (cursor on the bottom line)", l.Offset())
	}
}

func TestPrefetchesBeforeTheEdgeOnce(t *testing.T) {
	src := newSource(1000)
	l := newList(t, src, 50, 10)
	var asked []Request[int]
	for i := 0; i < 40; i++ {
		asked = append(asked, l.Down()...)
		if _, ok := l.Selected(); !ok {
			t.Fatalf("cursor %d reached a row that is not held", l.Cursor())
		}
	}
	if len(asked) != 1 || asked[0].Dir != After || asked[0].Anchor != 490 {
		t.Fatalf("asked %+v, want one request after row 490", asked)
	}
	settle(t, l, src, asked)
	checkWindow(t, l, src)
	if _, rows := l.Window(); len(rows) != 100 {
		t.Fatalf("holds %d rows, want 100", len(rows))
	}
}

func TestWalkingTheWholeListKeepsTheWindowSmall(t *testing.T) {
	src := newSource(1000)
	l := newList(t, src, 20, 5)
	for i := 1; i < 1000; i++ {
		settle(t, l, src, l.Down())
		if got, ok := l.Selected(); !ok || got != i*10 {
			t.Fatalf("down to %d: selected %d (%v)", i, got, ok)
		}
		if _, rows := l.Window(); len(rows) > 80+20 {
			t.Fatalf("window grew to %d rows", len(rows))
		}
	}
	checkWindow(t, l, src)
	for i := 998; i >= 0; i-- {
		settle(t, l, src, l.Up())
		if got, ok := l.Selected(); !ok || got != i*10 {
			t.Fatalf("up to %d: selected %d (%v)", i, got, ok)
		}
	}
	checkWindow(t, l, src)
}

func TestEndShowsPlaceholdersUntilTheLastPageArrives(t *testing.T) {
	src := newSource(100000)
	l := newList(t, src, 50, 4)
	reqs := l.End()
	if l.Cursor() != 99999 || len(reqs) != 1 || reqs[0].Dir != Last {
		t.Fatalf("end: cursor %d, asked %+v; want 99999 and one Last request", l.Cursor(), reqs)
	}
	if _, ok := l.Selected(); ok {
		t.Fatal("the last row is held before it was fetched")
	}
	if want := "loading\nloading\nloading\n> loading"; l.View() != want {
		t.Fatalf("view while waiting:\n%s\nwant\n%s", l.View(), want)
	}
	// More keys while waiting ask for nothing more.
	if more := l.Up(); len(more) != 0 {
		t.Fatalf("up while waiting asked for %+v", more)
	}
	l.Down()
	settle(t, l, src, reqs)
	if got, ok := l.Selected(); !ok || got != 999990 {
		t.Fatalf("after the last page: selected %d (%v)", got, ok)
	}
	if want := "row 999960\nrow 999970\nrow 999980\n> row 999990"; l.View() != want {
		t.Fatalf("view:\n%s\nwant\n%s", l.View(), want)
	}
	checkWindow(t, l, src)
	// And back up from the end, a page at a time.
	for i := 0; i < 60; i++ {
		settle(t, l, src, l.PageUp())
	}
	if got, ok := l.Selected(); !ok || got != (99999-240)*10 {
		t.Fatalf("after paging up: selected %d (%v) at %d", got, ok, l.Cursor())
	}
	checkWindow(t, l, src)
}

func TestHomeAfterEndDropsTheLateLastPage(t *testing.T) {
	src := newSource(10000)
	l := newList(t, src, 50, 4)
	last := l.End()
	if home := l.Home(); len(home) != 0 {
		t.Fatalf("home asked for %+v: the first rows are held", home)
	}
	if more := l.Receive(last[0], src.serve(last[0])); more != nil {
		t.Fatalf("late reply asked for %+v", more)
	}
	if start, rows := l.Window(); start != 0 || rows[0] != 0 {
		t.Fatalf("a late Last page replaced the window: start %d", start)
	}
	if got, _ := l.Selected(); got != 0 {
		t.Fatalf("selected %d, want 0", got)
	}
}

func TestRepliesFromBeforeAResetAreDropped(t *testing.T) {
	src := newSource(1000)
	l := newList(t, src, 20, 5)
	var reqs []Request[int]
	for len(reqs) == 0 {
		reqs = l.Down()
	}
	// The owner reloads (a filter changed) before the page arrives.
	other := []int{7, 8, 9}
	l.SetWindow(3, 0, other, 0)
	l.Receive(reqs[0], src.serve(reqs[0]))
	if _, rows := l.Window(); !slices.Equal(rows, other) || l.Total() != 3 {
		t.Fatalf("stale page changed the window: %v total %d", rows, l.Total())
	}
	// A failed request can be asked again.
	l2 := newList(t, src, 20, 5)
	for reqs = nil; len(reqs) == 0; {
		reqs = l2.Down()
	}
	if again := l2.Down(); len(again) != 0 {
		t.Fatalf("asked again while waiting: %+v", again)
	}
	l2.Fail(reqs[0])
	if again := l2.Down(); len(again) != 1 || again[0].Dir != After {
		t.Fatalf("after a failure: asked %+v, want After", again)
	}
}

func TestShortPagesCorrectTheTotal(t *testing.T) {
	src := newSource(100)
	l := newList(t, src, 20, 5)
	// Rows vanish below the window: the next page comes back short.
	for v := 500; v < 1000; v += 10 {
		src.delete(v)
	}
	for l.Cursor() < 49 {
		settle(t, l, src, l.Down())
	}
	if l.Total() != 50 {
		t.Fatalf("total = %d after rows below vanished, want 50", l.Total())
	}
	checkWindow(t, l, src)

	// Rows vanish above the window: a short Before page shifts every index.
	src = newSource(1000)
	l = newList(t, src, 20, 5)
	settle(t, l, src, l.End())
	for v := 0; v < 5000; v += 10 {
		src.delete(v)
	}
	// Until the list reaches the top its indexes are stale, but the rows it
	// holds stay a run of the source's rows.
	for i := 0; i < 600 && l.Cursor() > 0; i++ {
		settle(t, l, src, l.Up())
		_, rows := l.Window()
		first, _ := slices.BinarySearch(src.rows, rows[0])
		if _, ok := l.Selected(); !ok || !slices.Equal(rows, src.rows[first:first+len(rows)]) {
			t.Fatalf("at %d: selection held %v, window %v", l.Cursor(), ok, rows)
		}
	}
	checkWindow(t, l, src)
	if l.Total() != 500 || l.Cursor() != 0 {
		t.Fatalf("total %d cursor %d, want 500 and 0", l.Total(), l.Cursor())
	}
}

func TestPagingKeysAndView(t *testing.T) {
	src := newSource(30)
	l := newList(t, src, 100, 4)
	nav := keys.DefaultNav()
	press := func(k tea.KeyMsg) {
		t.Helper()
		ok, reqs := l.HandleKey(nav, k)
		if !ok {
			t.Fatalf("%v not handled", k)
		}
		settle(t, l, src, reqs)
	}
	press(tea.KeyMsg{Type: tea.KeyPgDown})
	if l.Cursor() != 4 || l.Offset() != 4 {
		t.Fatalf("page down: cursor %d offset %d, want 4 and 4", l.Cursor(), l.Offset())
	}
	press(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("j")})
	press(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("G")})
	if l.Cursor() != 29 || l.Offset() != 26 {
		t.Fatalf("G: cursor %d offset %d, want 29 and 26", l.Cursor(), l.Offset())
	}
	if want := "row 260\nrow 270\nrow 280\n> row 290"; l.View() != want {
		t.Fatalf("view at end:\n%s", l.View())
	}
	press(tea.KeyMsg{Type: tea.KeyPgUp})
	if l.Cursor() != 25 || l.Offset() != 22 {
		t.Fatalf("page up: cursor %d offset %d, want 25 and 22", l.Cursor(), l.Offset())
	}
	press(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("g")})
	press(tea.KeyMsg{Type: tea.KeyUp})
	if l.Cursor() != 0 || l.Offset() != 0 {
		t.Fatalf("g, up: cursor %d offset %d", l.Cursor(), l.Offset())
	}
	if ok, _ := l.HandleKey(nav, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("x")}); ok {
		t.Fatal("x handled as a movement key")
	}

	// Short lists are padded to the height; long rows are cut to the width.
	short := New(func(s string) string { return s }, func(s string, sel bool, w int) string { return s }, Options{})
	short.SetSize(6, 4)
	short.SetWindow(2, 0, []string{"a very long row", "b"}, 0)
	if got := short.View(); got != "a very\nb\n\n" {
		t.Fatalf("short view = %q", got)
	}
	for _, line := range strings.Split(short.View(), "\n") {
		if ansi.StringWidth(line) > 6 {
			t.Fatalf("line %q is wider than 6", line)
		}
	}
}

func TestReplaceAndEmpty(t *testing.T) {
	type row struct {
		id   int
		read bool
	}
	l := New(func(r row) int { return r.id }, func(r row, sel bool, w int) string { return fmt.Sprint(r) }, Options{})
	l.SetSize(20, 3)
	if reqs := l.SetWindow(0, 0, nil, 0); reqs != nil || l.View() != "\n\n" {
		t.Fatalf("empty list: %v %q", reqs, l.View())
	}
	if _, ok := l.Selected(); ok {
		t.Fatal("an empty list has a selection")
	}
	l.SetWindow(2, 0, []row{{1, false}, {2, false}}, 1)
	if !l.Replace(row{2, true}) || l.Replace(row{3, true}) {
		t.Fatal("Replace found the wrong rows")
	}
	if got, _ := l.Selected(); !got.read {
		t.Fatalf("selected %+v, want the replaced row", got)
	}
}

func TestRowsAddedOutsideTheKnownListAreReached(t *testing.T) {
	// Below: the list was told 100 rows; the source has grown to 300.
	src := newSource(300)
	l := New(func(v int) int { return v }, render, Options{PageSize: 20})
	l.SetSize(40, 5)
	settle(t, l, src, l.SetWindow(100, 0, src.serve(Request[int]{Dir: First, Limit: 20}), 0))
	for i := 0; i < 400; i++ {
		settle(t, l, src, l.Down())
	}
	if got, ok := l.Selected(); !ok || got != 2990 || l.Total() != 300 {
		t.Fatalf("at the bottom: selected %d (%v), total %d; want 2990 of 300", got, ok, l.Total())
	}
	checkWindow(t, l, src)

	// Above: the list holds rows 100.. believing they are the first.
	l = New(func(v int) int { return v }, render, Options{PageSize: 20})
	l.SetSize(40, 5)
	middle := src.rows[100:140]
	settle(t, l, src, l.SetWindow(140, 0, slices.Clone(middle), 0))
	settle(t, l, src, l.SetWindow(200, 10, slices.Clone(middle), 10))
	for i := 0; i < 400; i++ {
		settle(t, l, src, l.Up())
	}
	if got, ok := l.Selected(); !ok || got != 0 || l.Cursor() != 0 {
		t.Fatalf("at the top: selected %d (%v) at %d; want 0 at 0", got, ok, l.Cursor())
	}
	checkWindow(t, l, src)
}

// Run answers every request, each in its own command, with what ask made of
// it under a deadline.
func TestRun(t *testing.T) {
	if Run[int](nil, time.Second, nil) != nil {
		t.Error("Run of no requests made a command")
	}
	reqs := []Request[int]{{Seq: 1, Dir: First, Limit: 3}, {Seq: 2, Dir: After, Anchor: 7, Limit: 3}}
	cmd := Run(reqs, time.Second, func(ctx context.Context, req Request[int]) tea.Msg {
		if _, ok := ctx.Deadline(); !ok {
			t.Error("ask ran without a deadline")
		}
		return req
	})
	batch, ok := cmd().(tea.BatchMsg)
	if !ok || len(batch) != len(reqs) {
		t.Fatalf("Run made %T of %d commands, want a batch of %d", cmd(), len(batch), len(reqs))
	}
	for i, c := range batch {
		if got := c(); got != reqs[i] {
			t.Errorf("command %d answered %v, want %v", i, got, reqs[i])
		}
	}
}
