package tuitest

import (
	"context"
	"io"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Berlin wherever the tests run

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/store/storetest"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/keys"
	"github.com/crier-app/crier/tui/styles"
)

// Berlin is Europe/Berlin, the zone the tests draw in.
var Berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		panic(err)
	}
	return loc
}()

// Store opens an empty store in the test's temporary folder, closed when
// the test ends: a copy of a template migrated once per test binary
// (storetest), not a database migrated afresh for each test.
func Store(t testing.TB) *store.Store {
	t.Helper()
	return storetest.Open(t)
}

// Styles are the default theme on a renderer of their own with the ASCII
// profile: no colour and no attributes, so what a test sees and a golden
// file holds is the text alone, whatever terminal runs the tests.
func Styles() *styles.Styles { return StylesFor(termenv.Ascii) }

// StylesFor is the default theme on a renderer of its own with profile p
// and a dark background, asking no terminal anything.
func StylesFor(p termenv.Profile) *styles.Styles {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(p)
	r.SetHasDarkBackground(true)
	return styles.New(r, styles.DefaultTheme())
}

// Common is what the program hands its panes, for tests: the styles above,
// the default keys, the store (nil for none) with the accounts it holds,
// the clock's time and waits, its zone for the display zone, weeks from
// Monday, and still cursors (a blink is a wait outside the clock). Tests
// change what they need.
func Common(t testing.TB, st *store.Store, clock *Clock) *common.Common {
	t.Helper()
	c := &common.Common{
		Styles:     Styles(),
		Nav:        keys.DefaultNav(),
		Store:      st,
		Now:        clock.Now,
		Tick:       clock.Tick,
		Zone:       clock.Now().Location(),
		Settings:   common.Settings{WeekStart: time.Monday},
		CursorMode: cursor.CursorStatic,
	}
	if st != nil {
		accounts, err := st.Accounts(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		c.Accounts = accounts
	}
	return c
}
