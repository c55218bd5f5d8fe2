package calendar

import (
	"fmt"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
	"github.com/crier-app/crier/tui/tuitest"
)

// The pane areas of an 80x24 and a 120x40 terminal.
var goldenSizes = [][2]int{{80, 21}, {120, 37}}

// goldenView seeds the standard posts, applies keys and compares the view at
// both sizes with testdata/<test>/<size>.golden.
func goldenView(t *testing.T, keys ...string) { goldenViewWith(t, nil, keys...) }

// goldenViewWith is goldenView with more posts added by extra.
func goldenViewWith(t *testing.T, extra func(t *testing.T, f *fixture), keys ...string) {
	for _, size := range goldenSizes {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			f := newFixture(t)
			f.seed(t)
			if extra != nil {
				extra(t, f)
			}
			m := newModel(t, f, size[0], size[1])
			for _, k := range keys {
				if k == "m" {
					typeText(m, tuitest.Key(k)) // the field's blink command waits on a timer
					continue
				}
				m.press(k)
			}
			golden.RequireEqual(t, []byte(m.View()))
		})
	}
}

func TestGoldenMonth(t *testing.T) { goldenView(t) }

// The cursor on the busy Tuesday, where posts overflow at 80x21.
func TestGoldenMonthBusyDay(t *testing.T) { goldenView(t, "j", "h", "h") }

func TestGoldenWeek(t *testing.T) { goldenView(t, "v") }

func TestGoldenNextWeek(t *testing.T) { goldenView(t, "v", "pgdown") }

// The agenda of Tuesday 20th: a failed post with its error.
func TestGoldenAgendaFailed(t *testing.T) { goldenView(t, "h", "h", "enter") }

// The agenda of Friday 23rd: a draft with a time, whose text carried escape
// sequences and a bell.
func TestGoldenAgendaDraft(t *testing.T) { goldenView(t, "l", "enter") }

// The busy Tuesday, scrolled to its last post.
func TestGoldenAgendaScrolled(t *testing.T) { goldenView(t, "j", "h", "h", "enter", "G") }

// The move field open on Saturday's post, with a typed time that reads.
func TestGoldenAgendaMove(t *testing.T) {
	goldenView(t, "l", "l", "enter", "m")
}

// The move field after enter on text that reads as no time: the text stays
// and the reason shows under it.
func TestGoldenAgendaMoveError(t *testing.T) {
	for _, size := range goldenSizes {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			f := newFixture(t)
			f.seed(t)
			m := newModel(t, f, size[0], size[1])
			m.press("l", "l", "enter")
			typeText(m, tuitest.Key("m"), tuitest.Key("ctrl+u"), tuitest.Key("next blursday"))
			m.press("enter")
			golden.RequireEqual(t, []byte(m.View()))
		})
	}
}

// The month with a half-sent post on Tuesday 20th: out on Mastodon, refused
// on Bluesky, each with its own mark.
func TestGoldenHalfSentMonth(t *testing.T) {
	goldenViewWith(t, func(t *testing.T, f *fixture) { f.halfSent(t) })
}

// Tuesday 20th's agenda on the half-sent post: the Mastodon copy sent 7
// minutes late with its counters and link, the Bluesky copy's own text and
// the server's reason, its photo.
func TestGoldenHalfSentAgenda(t *testing.T) {
	goldenViewWith(t, func(t *testing.T, f *fixture) { f.halfSent(t) }, "h", "h", "enter")
}

// Monday 19th's agenda: a sent post with its counters, one copy late.
func TestGoldenSentAgenda(t *testing.T) { goldenView(t, "h", "h", "h", "enter") }

// The month with posts a paused queue holds: Friday 23rd's post for
// Mastodon and Bluesky (its Mastodon copy held), Saturday 24th's for
// Mastodon alone (held whole).
func TestGoldenHeldMonth(t *testing.T) {
	goldenViewWith(t, func(t *testing.T, f *fixture) { f.heldPosts(t) })
}

// Saturday 24th's agenda on the held post: its heading says held, and
// the hint says how the queue runs again.
func TestGoldenHeldAgenda(t *testing.T) {
	goldenViewWith(t, func(t *testing.T, f *fixture) { f.heldPosts(t) }, "l", "l", "enter", "j")
}
