package tui

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
)

// fakeEditor writes a shell script that stands in for $EDITOR: it replaces
// the file it is given with text, as a person saving in vi would.
func fakeEditor(t *testing.T, text string) string {
	t.Helper()
	dir := t.TempDir()
	content := filepath.Join(dir, "content")
	if err := os.WriteFile(content, []byte(text+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(dir, "editor")
	body := "#!/bin/sh\ncat '" + content + "' > \"$1\"\n"
	if err := os.WriteFile(script, []byte(body), 0o700); err != nil {
		t.Fatal(err)
	}
	return script
}

// TestReplyEditorRoundTrip runs the whole program with a real editor
// process: ctrl+e in the reply composer hands the reply to $EDITOR and takes
// back what it wrote. Only the reply composer may react to it: the drafts
// pane must not read (and remove) the file too, and no failure may be
// reported for a round trip that worked.
func TestReplyEditorRoundTrip(t *testing.T) {
	const edited = "Thanks Kenji! Card and cash both work."
	c := testCommon(t, seededStore(t), func() time.Time { return frozen })
	c.Editor = fakeEditor(t, edited)
	m := New(c, nil)
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 40))

	out := tm.Output()
	var seen []byte
	waitFor := func(what string) {
		t.Helper()
		buf := make([]byte, 64<<10)
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
			n, _ := out.Read(buf)
			seen = append(seen, buf[:n]...)
			if bytes.Contains(seen, []byte(what)) {
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
		tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
		final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Model)
		t.Fatalf("waited 10s for %q; the screen is:\n%s", what, final.View())
	}

	waitFor("◷ scheduled")
	tm.Send(press("3"))
	waitFor("Open · all kinds")
	tm.Send(press("r"))
	waitFor("ctrl+s")
	seen = seen[:0]
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlE})
	waitFor("Card and cash both work")
	// Every message the round trip produced has been handled once the
	// program answers a key typed after it.
	tm.Type("!")
	waitFor("both work.!")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Model)
	if final.statusErr || strings.Contains(final.statusText, "editor") {
		t.Errorf("status after a round trip that worked: %q (error %v)", final.statusText, final.statusErr)
	}
	if matches, _ := filepath.Glob(filepath.Join(os.TempDir(), "crier-reply-*.txt")); len(matches) > 0 {
		t.Logf("note: reply files in the temp folder (may be other runs'): %v", matches)
	}
}
