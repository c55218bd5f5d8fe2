// Package vlist is a virtual list: it knows how many rows there are and where
// the cursor is, holds only a window of them, fetched a page at a time by its
// owner, and draws only the rows on screen. Its cost per keypress does not
// grow with the length of the list.
//
// The list never does I/O. Methods that move the cursor (or change the size)
// return the Requests the owner should run, usually as tea.Cmds; the owner
// hands each answer back with Receive. Requests carry a sequence number, so an
// answer to a request the list no longer wants is dropped.
package vlist

import (
	"context"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/keys"
)

// Dir says which rows a Request asks for.
type Dir int

const (
	// First asks for the first Limit rows of the list.
	First Dir = iota
	// After asks for up to Limit rows following the row keyed Anchor.
	After
	// Before asks for up to Limit rows preceding the row keyed Anchor, in
	// list order.
	Before
	// Last asks for the last Limit rows of the list, in list order.
	Last
)

func (d Dir) String() string {
	switch d {
	case First:
		return "first"
	case After:
		return "after"
	case Before:
		return "before"
	case Last:
		return "last"
	}
	return "dir?"
}

// Request asks the owner for a page of rows.
type Request[K comparable] struct {
	Seq    int
	Dir    Dir
	Anchor K // for After and Before: the key of the row at the window's edge
	Limit  int
}

// Run turns requests into commands, one each, that answer them with ask
// under timeout: how an owner runs what the list asks for.
func Run[K comparable](reqs []Request[K], timeout time.Duration, ask func(ctx context.Context, req Request[K]) tea.Msg) tea.Cmd {
	if len(reqs) == 0 {
		return nil
	}
	cmds := make([]tea.Cmd, 0, len(reqs))
	for _, req := range reqs {
		cmds = append(cmds, common.Query(timeout, func(ctx context.Context) tea.Msg { return ask(ctx, req) }))
	}
	return tea.Batch(cmds...)
}

// Options tune a list. Zero values pick the defaults.
type Options struct {
	// PageSize is how many rows one request asks for (default 100). It should
	// be well above the screen height.
	PageSize int
	// MaxRows is how many rows the window holds at most (default 4 pages;
	// never less than 2).
	MaxRows int
	// Prefetch is how close (in rows) the screen may come to the window's
	// edge before the next page is asked for (default half a page).
	Prefetch int
}

// Model is a virtual list of rows of type T, identified by keys of type K.
type Model[T any, K comparable] struct {
	key         func(T) K
	render      func(row T, selected bool, width int) string
	placeholder func(selected bool, width int) string
	opts        Options

	width, height int
	total         int
	cursor        int // absolute index
	offset        int // absolute index of the top screen row

	start int // absolute index of rows[0]
	rows  []T

	seq     int
	pending [4]int // per Dir: the Seq of the request in flight, 0 for none

	// A full page that reached where the list was thought to end (or begin)
	// leaves open whether more rows came meanwhile: the list asks once more
	// when the screen gets there.
	moreBelow, moreAbove bool
}

// New makes an empty list. key identifies a row (the list asks for pages
// relative to it); render draws one row in at most width cells.
func New[T any, K comparable](key func(T) K, render func(row T, selected bool, width int) string, opts Options) *Model[T, K] {
	if opts.PageSize <= 0 {
		opts.PageSize = 100
	}
	if opts.MaxRows < 2*opts.PageSize {
		opts.MaxRows = 4 * opts.PageSize
	}
	if opts.Prefetch <= 0 {
		opts.Prefetch = opts.PageSize / 2
	}
	return &Model[T, K]{
		key:    key,
		render: render,
		placeholder: func(bool, int) string {
			return "…"
		},
		opts: opts,
	}
}

// SetPlaceholder sets how a row that has not arrived yet is drawn.
func (m *Model[T, K]) SetPlaceholder(f func(selected bool, width int) string) { m.placeholder = f }

// Total is the number of rows in the whole list.
func (m *Model[T, K]) Total() int { return m.total }

// Cursor is the absolute index of the cursor row.
func (m *Model[T, K]) Cursor() int { return m.cursor }

// Offset is the absolute index of the top row on screen.
func (m *Model[T, K]) Offset() int { return m.offset }

// Window returns the absolute index of the first held row and the held rows.
// The slice is the list's own: do not change it.
func (m *Model[T, K]) Window() (start int, rows []T) { return m.start, m.rows }

// Row returns the row at absolute index i, if it is held.
func (m *Model[T, K]) Row(i int) (T, bool) {
	if i < m.start || i >= m.start+len(m.rows) {
		var zero T
		return zero, false
	}
	return m.rows[i-m.start], true
}

// Selected returns the cursor row, if it has arrived.
func (m *Model[T, K]) Selected() (T, bool) { return m.Row(m.cursor) }

// Replace swaps in a new version of a held row with the same key, reporting
// whether it was held.
func (m *Model[T, K]) Replace(row T) bool {
	k := m.key(row)
	for i := range m.rows {
		if m.key(m.rows[i]) == k {
			m.rows[i] = row
			return true
		}
	}
	return false
}

// SetSize sets the width of a row and the number of rows on screen.
func (m *Model[T, K]) SetSize(width, height int) []Request[K] {
	m.width, m.height = max(width, 0), max(height, 0)
	m.clamp()
	return m.ensure()
}

// SetWindow replaces everything the list knows: total rows, the held rows
// (rows[0] at absolute index start) and the cursor. Requests in flight are
// forgotten, so their answers will be dropped.
func (m *Model[T, K]) SetWindow(total, start int, rows []T, cursor int) []Request[K] {
	m.pending = [4]int{}
	m.moreBelow, m.moreAbove = false, false
	m.total = max(total, 0)
	m.start = max(start, 0)
	m.rows = rows
	m.cursor = cursor
	m.clamp()
	m.scrollToCursor()
	return m.ensure()
}

// MoveTo puts the cursor on absolute index i (clamped to the list).
func (m *Model[T, K]) MoveTo(i int) []Request[K] {
	m.cursor = i
	m.clamp()
	m.scrollToCursor()
	return m.ensure()
}

// Up moves the cursor one row up.
func (m *Model[T, K]) Up() []Request[K] { return m.MoveTo(m.cursor - 1) }

// Down moves the cursor one row down.
func (m *Model[T, K]) Down() []Request[K] { return m.MoveTo(m.cursor + 1) }

// PageDown moves the cursor and the screen a screenful down.
func (m *Model[T, K]) PageDown() []Request[K] {
	step := max(m.height, 1)
	m.offset += step
	return m.MoveTo(m.cursor + step)
}

// PageUp moves the cursor and the screen a screenful up.
func (m *Model[T, K]) PageUp() []Request[K] {
	step := max(m.height, 1)
	m.offset -= step
	return m.MoveTo(m.cursor - step)
}

// Home moves the cursor to the first row.
func (m *Model[T, K]) Home() []Request[K] { return m.MoveTo(0) }

// End moves the cursor to the last row.
func (m *Model[T, K]) End() []Request[K] { return m.MoveTo(m.total - 1) }

// HandleKey moves the cursor for the shared navigation keys, reporting
// whether the key was one of them.
func (m *Model[T, K]) HandleKey(nav keys.Nav, msg tea.KeyMsg) (bool, []Request[K]) {
	switch {
	case key.Matches(msg, nav.Up):
		return true, m.Up()
	case key.Matches(msg, nav.Down):
		return true, m.Down()
	case key.Matches(msg, nav.PageUp):
		return true, m.PageUp()
	case key.Matches(msg, nav.PageDown):
		return true, m.PageDown()
	case key.Matches(msg, nav.Home):
		return true, m.Home()
	case key.Matches(msg, nav.End):
		return true, m.End()
	}
	return false, nil
}

// Receive takes the answer to a request: rows in list order. An answer the
// list no longer waits for is dropped. A short answer tells the list where
// the list ends (or begins), so the total follows rows that came or went
// meanwhile; a full one that reaches past where the list thought it ended
// means there may be more, and the list will ask. It returns any further
// requests.
func (m *Model[T, K]) Receive(req Request[K], rows []T) []Request[K] {
	if req.Seq == 0 || m.pending[req.Dir] != req.Seq {
		return nil
	}
	m.pending[req.Dir] = 0
	short := len(rows) < req.Limit
	switch req.Dir {
	case First:
		m.start, m.rows = 0, rows
		if short {
			m.total = len(rows)
		} else {
			m.total = max(m.total, len(rows))
		}
		m.moreAbove, m.moreBelow = false, !short && len(rows) >= m.total
		m.pending[Before], m.pending[After] = 0, 0
	case Last:
		m.rows = rows
		if short {
			m.shift(-(m.total - len(rows))) // the list is exactly these rows
			m.start = 0
		} else {
			m.start = max(m.total-len(rows), 0)
		}
		m.moreBelow, m.moreAbove = false, !short && m.start == 0
		m.pending[Before], m.pending[After] = 0, 0
	case After:
		if len(m.rows) == 0 || m.key(m.rows[len(m.rows)-1]) != req.Anchor {
			return m.ensure()
		}
		m.rows = append(m.rows, rows...)
		end := m.start + len(m.rows)
		if short {
			m.total = end
		} else {
			m.total = max(m.total, end)
		}
		m.moreBelow = !short && end >= m.total
		if over := len(m.rows) - m.opts.MaxRows; over > 0 {
			// Drop from the top, but never what is on screen.
			over = min(over, min(m.offset, m.cursor)-m.start)
			if over > 0 {
				m.rows = m.rows[over:]
				m.start += over
				m.pending[Before] = 0
			}
		}
	case Before:
		if len(m.rows) == 0 || m.key(m.rows[0]) != req.Anchor {
			return m.ensure()
		}
		m.rows = append(rows[:len(rows):len(rows)], m.rows...)
		m.start -= len(rows)
		if short || m.start < 0 {
			// Exactly len(rows) rows preceded the window (or at least that
			// many, more than the list thought): everything moves so the
			// window starts at index 0.
			m.shift(-m.start)
		}
		m.moreAbove = !short && m.start == 0
		if over := len(m.rows) - m.opts.MaxRows; over > 0 {
			// Drop from the bottom, but never what is on screen.
			keep := max(m.cursor, m.offset+m.height-1) - m.start + 1
			if cut := min(over, len(m.rows)-keep); cut > 0 {
				m.rows = m.rows[:len(m.rows)-cut]
				m.pending[After] = 0
			}
		}
	}
	m.clamp()
	m.scrollToCursor()
	return m.ensure()
}

// Fail tells the list a request failed, so it may be asked again.
func (m *Model[T, K]) Fail(req Request[K]) {
	if m.pending[req.Dir] == req.Seq {
		m.pending[req.Dir] = 0
	}
}

// shift moves every absolute index by d (rows appeared or vanished above the
// window).
func (m *Model[T, K]) shift(d int) {
	m.start += d
	m.cursor += d
	m.offset += d
	m.total += d
}

func (m *Model[T, K]) clamp() {
	m.total = max(m.total, 0)
	m.cursor = max(min(m.cursor, m.total-1), 0)
	m.offset = max(min(m.offset, m.total-m.height), 0)
}

func (m *Model[T, K]) scrollToCursor() {
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if m.height > 0 && m.cursor >= m.offset+m.height {
		m.offset = m.cursor - m.height + 1
	}
	m.offset = max(min(m.offset, m.total-m.height), 0)
}

// ensure asks for whatever the screen is about to need.
func (m *Model[T, K]) ensure() []Request[K] {
	if m.total == 0 {
		return nil
	}
	page := m.opts.PageSize
	end := m.start + len(m.rows)
	inWindow := len(m.rows) > 0 && m.cursor >= m.start && m.cursor < end
	if inWindow {
		// Back among held rows: a jump asked for earlier is not wanted now.
		m.pending[First], m.pending[Last] = 0, 0
	}
	if m.pending[First] != 0 || m.pending[Last] != 0 {
		return nil
	}
	switch {
	case len(m.rows) == 0:
		return []Request[K]{m.jump(m.cursor < m.total-m.cursor)}
	case m.cursor >= end+page && m.cursor >= m.total-page:
		// Far below what is held and near the end (End): read the end
		// rather than every page in between.
		return []Request[K]{m.jump(false)}
	case m.cursor < m.start-page && m.cursor < page:
		return []Request[K]{m.jump(true)}
	}
	// Otherwise grow the window from its edges. There is no other way to
	// reach a row in the middle of the list: finding it by index would mean
	// counting through everything above it.
	var reqs []Request[K]
	bottom := max(m.offset+m.height, m.cursor+1)
	if (end < m.total || m.moreBelow) && bottom+m.opts.Prefetch > end && m.pending[After] == 0 {
		n := min(max(page, bottom+m.opts.Prefetch-end), m.opts.MaxRows)
		reqs = append(reqs, m.request(After, m.key(m.rows[len(m.rows)-1]), n))
	}
	top := min(m.offset, m.cursor)
	if (m.start > 0 || m.moreAbove) && top-m.opts.Prefetch < m.start && m.pending[Before] == 0 {
		n := min(max(page, m.start-(top-m.opts.Prefetch)), m.opts.MaxRows)
		reqs = append(reqs, m.request(Before, m.key(m.rows[0]), n))
	}
	return reqs
}

// jump asks for the first or the last rows, sized to reach the screen.
func (m *Model[T, K]) jump(first bool) Request[K] {
	var zero K
	if first {
		return m.request(First, zero, max(m.opts.PageSize, m.cursor+m.height+m.opts.Prefetch))
	}
	return m.request(Last, zero, max(m.opts.PageSize, m.total-min(m.offset, m.cursor)+m.opts.Prefetch))
}

func (m *Model[T, K]) request(d Dir, anchor K, limit int) Request[K] {
	m.seq++
	m.pending[d] = m.seq
	return Request[K]{Seq: m.seq, Dir: d, Anchor: anchor, Limit: limit}
}

// View draws the rows on screen, exactly height lines, each at most width
// cells wide. Rows that have not arrived are drawn as placeholders.
func (m *Model[T, K]) View() string {
	if m.height <= 0 {
		return ""
	}
	var b strings.Builder
	for line := 0; line < m.height; line++ {
		if line > 0 {
			b.WriteByte('\n')
		}
		i := m.offset + line
		if i >= m.total {
			continue
		}
		var s string
		if row, ok := m.Row(i); ok {
			s = m.render(row, i == m.cursor, m.width)
		} else {
			s = m.placeholder(i == m.cursor, m.width)
		}
		if strings.IndexByte(s, '\n') >= 0 {
			s, _, _ = strings.Cut(s, "\n")
		}
		b.WriteString(common.Truncate(s, m.width, ""))
	}
	return b.String()
}
