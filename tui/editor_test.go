package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crier-app/crier/tui/tuitest"
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
	clock := tuitest.NewClock(frozen)
	c := testCommon(t, seededStore(t), clock)
	c.Editor = fakeEditor(t, edited)
	app := tuitest.Start(t, clock, New(c, nil), 120, 40)

	app.WaitView("◷ scheduled")
	app.Press("3")
	app.WaitView("Open · all kinds")
	app.Press("r")
	app.WaitView("ctrl+s")
	// The program runs the editor itself and hands what it wrote back in.
	app.Press("ctrl+e")
	app.WaitView("Card and cash both work")
	// Every message the round trip produced has been handled once the
	// program answers a key typed after it.
	app.Type("!")
	app.WaitView("both work.!")
	app.Send(press("ctrl+c"))
	final := app.Final().(*Model)
	if final.statusErr || strings.Contains(final.statusText, "editor") {
		t.Errorf("status after a round trip that worked: %q (error %v)", final.statusText, final.statusErr)
	}
	if matches, _ := filepath.Glob(filepath.Join(os.TempDir(), "crier-reply-*.txt")); len(matches) > 0 {
		t.Logf("note: reply files in the temp folder (may be other runs'): %v", matches)
	}
}
