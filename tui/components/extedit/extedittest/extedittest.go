// Package extedittest runs an editor round trip from tests that drive a
// pane's Update by hand: the command extedit.Edit returns only works inside
// a running program, so Run starts a small headless one for it.
package extedittest

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/tui/components/extedit"
)

// Editor writes a script that stands in for $EDITOR and returns its path.
// The script saves a copy of the file it was given to seen (so the test can
// check what the editor was handed) and then replaces the file with text,
// as a person saving in vi would. With fail set it exits 1 instead, having
// written nothing.
func Editor(t testing.TB, text string, fail bool) (editor, seen string) {
	t.Helper()
	dir := t.TempDir()
	content := filepath.Join(dir, "content")
	if err := os.WriteFile(content, []byte(text+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	seen = filepath.Join(dir, "seen")
	script := "#!/bin/sh\ncp \"$1\" '" + seen + "'\n"
	if fail {
		script += "exit 1\n"
	} else {
		script += "cat '" + content + "' > \"$1\"\n"
	}
	editor = filepath.Join(dir, "editor")
	if err := os.WriteFile(editor, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	return editor, seen
}

// Seen returns what the editor was handed.
func Seen(t testing.TB, seen string) string {
	t.Helper()
	b, err := os.ReadFile(seen)
	if err != nil {
		t.Fatalf("the editor was not run: %v", err)
	}
	return string(b)
}

// Run runs cmd (an extedit.Edit command) in a headless program and returns
// the message it ends with.
func Run(t testing.TB, cmd tea.Cmd) extedit.TextMsg {
	t.Helper()
	r := &runner{cmd: cmd}
	p := tea.NewProgram(r, tea.WithInput(strings.NewReader("")), tea.WithOutput(&bytes.Buffer{}), tea.WithoutRenderer(),
		tea.WithoutSignalHandler())
	done := make(chan error, 1)
	go func() { _, err := p.Run(); done <- err }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		p.Kill()
		t.Fatal("the editor round trip did not finish in 10s")
	}
	if r.got == nil {
		t.Fatal("the round trip ended without a TextMsg")
	}
	return *r.got
}

type runner struct {
	cmd tea.Cmd
	got *extedit.TextMsg
}

func (r *runner) Init() tea.Cmd { return r.cmd }

func (r *runner) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if m, ok := msg.(extedit.TextMsg); ok {
		r.got = &m
		return r, tea.Quit
	}
	return r, nil
}

func (r *runner) View() string { return "" }
