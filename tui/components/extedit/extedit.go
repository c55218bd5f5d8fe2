// Package extedit writes a text in the user's own editor ($VISUAL or
// $EDITOR): the text goes to a private temp file, the editor runs on it with
// the terminal handed over, and what it leaves comes back.
//
// The whole round trip is one command that ends in one TextMsg, carrying the
// tag of whoever started it. Nothing in between is a message, so no other
// pane can see it, read the file or remove it: the root broadcasts messages
// it does not know to every pane, and a round trip in parts was answered by
// every pane that knew the parts.
package extedit

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"

	tea "github.com/charmbracelet/bubbletea"
)

// TextMsg carries what the editor left, or why there is nothing. Tag is the
// value given to Edit; an owner takes only the messages with its own tag and
// keeps its text unchanged when Err is set.
type TextMsg struct {
	Tag  any
	Text string
	Err  error
}

// NoEditor is the status shown when neither variable is set.
const NoEditor = "no editor set: set $EDITOR (or $VISUAL) to write in your editor"

// ErrNoEditor is TextMsg.Err when the editor command line is empty.
var ErrNoEditor = errors.New(NoEditor)

// Edit writes text to a private temp file named after pattern (so the
// editor can tell what it holds: "crier-reply-*.txt"), hands the terminal
// to editor (a command line: "code -w") on it, and answers with one TextMsg
// for tag holding what the editor left. The file is removed whatever
// happens.
func Edit(editor string, tag any, pattern, text string) tea.Cmd {
	return func() tea.Msg {
		args := strings.Fields(editor)
		if len(args) == 0 {
			return TextMsg{Tag: tag, Err: ErrNoEditor}
		}
		path, err := writeTemp(pattern, text)
		if err != nil {
			return TextMsg{Tag: tag, Err: err}
		}
		s := &session{cmd: exec.Command(args[0], append(args[1:], path)...), path: path}
		// The program runs s with the terminal released and then calls
		// back; the message the callback returns is the only one.
		return tea.Exec(s, func(err error) tea.Msg {
			text, rerr := s.finish(err)
			return TextMsg{Tag: tag, Text: text, Err: rerr}
		})()
	}
}

func writeTemp(pattern, text string) (string, error) {
	f, err := os.CreateTemp("", pattern)
	if err != nil {
		return "", err
	}
	_, err = f.WriteString(text)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// session is one editor run. Run reads the file back as soon as the editor
// exits, while the program still waits for it, so the file is gone before
// any message is sent.
type session struct {
	cmd  *exec.Cmd
	path string

	once sync.Once
	text string
	err  error
}

func (s *session) Run() error {
	err := s.cmd.Run()
	s.finish(err)
	return err
}

func (s *session) SetStdin(r io.Reader)  { s.cmd.Stdin = r }
func (s *session) SetStdout(w io.Writer) { s.cmd.Stdout = w }
func (s *session) SetStderr(w io.Writer) { s.cmd.Stderr = w }

// finish reads what the editor left (unless it failed, when the owner
// keeps the text it had) and removes the file, once. The program calls back
// without running the session when it could not release the terminal: the
// file is removed then too.
func (s *session) finish(runErr error) (string, error) {
	s.once.Do(func() {
		defer os.Remove(s.path)
		if runErr != nil {
			s.err = runErr
			return
		}
		b, err := os.ReadFile(s.path)
		if err != nil {
			s.err = err
			return
		}
		// Editors end files with a newline the text never had.
		s.text = strings.TrimRight(string(b), "\r\n")
	})
	return s.text, s.err
}
