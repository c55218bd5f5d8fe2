package common

import (
	"github.com/charmbracelet/bubbles/textarea"
	"github.com/charmbracelet/bubbles/textinput"
)

// TextInput is a one-line text field in the program's styles and on its
// renderer, so NO_COLOR and each terminal's colours hold inside it too:
// no prompt, the text in Text, the placeholder in Muted, the cursor in
// reverse video, blinking as CursorMode says.
func (c *Common) TextInput(placeholder string) textinput.Model {
	s := c.Styles
	in := textinput.New()
	in.Prompt = ""
	in.Placeholder = placeholder
	in.PromptStyle, in.TextStyle = s.Text, s.Text
	in.PlaceholderStyle, in.CompletionStyle = s.Muted, s.Muted
	in.Cursor.Style, in.Cursor.TextStyle = s.App, s.App
	in.Cursor.SetMode(c.CursorMode)
	return in
}

// TextArea is a text area in the program's styles and on its renderer, as
// TextInput: no prompt, no line numbers, no limit on the characters.
func (c *Common) TextArea(placeholder string) textarea.Model {
	s := c.Styles
	ta := textarea.New()
	ta.Prompt = ""
	ta.ShowLineNumbers = false
	ta.CharLimit = 0
	ta.Placeholder = placeholder
	look := textarea.Style{
		Base: s.Text, CursorLine: s.Text, CursorLineNumber: s.Muted, EndOfBuffer: s.Muted,
		LineNumber: s.Muted, Placeholder: s.Muted, Prompt: s.Muted, Text: s.Text,
	}
	ta.FocusedStyle, ta.BlurredStyle = look, look
	ta.Cursor.Style, ta.Cursor.TextStyle = s.App, s.App
	ta.Cursor.SetMode(c.CursorMode)
	ta.Blur() // the area draws with the style Focus and Blur point it at
	return ta
}
