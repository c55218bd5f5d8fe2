// Package extedit writes a text in the user's own editor ($VISUAL or
// $EDITOR): the text goes to a private temp file, the editor runs on it with
// the terminal handed over, and what it leaves comes back. Each step is a
// command, and each message carries the owner's tag so a composer that has
// gone (or been replaced) can tell the answer is not its own.
//
// The owner calls Start; passes a FileMsg to Run; passes an ExitedMsg to
// ReadBack (always, so the file is removed even when the owner has gone);
// and takes the TextMsg: on an error its text is unchanged.
package extedit

import (
	"os"
	"os/exec"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
)

// FileMsg says the temp file is ready (or could not be made).
type FileMsg struct {
	Tag  any
	Path string
	Err  error
}

// ExitedMsg says the editor has exited.
type ExitedMsg struct {
	Tag  any
	Path string
	Err  error
}

// TextMsg carries what the editor left, or why there is nothing.
type TextMsg struct {
	Tag  any
	Text string
	Err  error
}

// NoEditor is the status shown when neither variable is set.
const NoEditor = "no editor set: set $EDITOR (or $VISUAL) to write in your editor"

// Start writes text to a private temp file for the editor; pattern names it
// ("crier-reply-*.txt") so the editor can tell what it holds.
func Start(tag any, pattern, text string) tea.Cmd {
	return func() tea.Msg {
		f, err := os.CreateTemp("", pattern)
		if err != nil {
			return FileMsg{Tag: tag, Err: err}
		}
		_, err = f.WriteString(text)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(f.Name())
			return FileMsg{Tag: tag, Err: err}
		}
		return FileMsg{Tag: tag, Path: f.Name()}
	}
}

// Run hands the terminal to editor (a command line: "code -w") on the file.
func Run(editor string, msg FileMsg) tea.Cmd {
	args := strings.Fields(editor)
	if len(args) == 0 {
		os.Remove(msg.Path)
		return func() tea.Msg { return TextMsg{Tag: msg.Tag, Err: errNoEditor{}} }
	}
	cmd := exec.Command(args[0], append(args[1:], msg.Path)...)
	tag, path := msg.Tag, msg.Path
	return tea.ExecProcess(cmd, func(err error) tea.Msg {
		return ExitedMsg{Tag: tag, Path: path, Err: err}
	})
}

type errNoEditor struct{}

func (errNoEditor) Error() string { return NoEditor }

// ReadBack reads what the editor left and removes the file. When the editor
// failed the file is not read: the owner keeps the text it had.
func ReadBack(msg ExitedMsg) tea.Cmd {
	return func() tea.Msg {
		defer os.Remove(msg.Path)
		if msg.Err != nil {
			return TextMsg{Tag: msg.Tag, Err: msg.Err}
		}
		b, err := os.ReadFile(msg.Path)
		if err != nil {
			return TextMsg{Tag: msg.Tag, Err: err}
		}
		// Editors end files with a newline the text never had.
		return TextMsg{Tag: msg.Tag, Text: strings.TrimRight(string(b), "\r\n")}
	}
}
