package savedreplies

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
)

// Vars are what a template's placeholders stand for, for one reply. Author
// fields come from the network: Fill cleans them.
type Vars struct {
	Name      string // the author's display name
	FirstName string // "" takes the first word of Name
	Handle    string // the author's handle, with or without the @
	Me        string // how we sign: our account's name or handle
	Network   string // "Mastodon", "Bluesky"
}

// placeholders are the names a template may use, in braces.
var placeholders = []string{"name", "first_name", "handle", "me", "network"}

// VarsFor are the values for answering item from account me.
func VarsFor(item store.InboxItem, me store.Account) Vars {
	v := Vars{Name: item.AuthorName, Handle: item.AuthorHandle, Network: common.NetworkName(item.Platform), Me: me.DisplayName}
	if strings.TrimSpace(v.Me) == "" && me.Handle != "" {
		v.Me = "@" + strings.TrimPrefix(me.Handle, "@")
	}
	return v
}

// PlaceholderError says what is wrong with a template, and where.
type PlaceholderError struct {
	Placeholder string // as written: "{nme}", or a lone "{" or "}"
	Line        int    // from 1
	Column      int    // from 1, in characters
	Problem     string // what is wrong, after the position
}

func (e *PlaceholderError) Error() string {
	what := e.Placeholder
	if what == "{" || what == "}" {
		what = fmt.Sprintf("%q", what)
	}
	return fmt.Sprintf("%s at line %d, column %d %s", what, e.Line, e.Column, e.Problem)
}

// segment is a piece of a parsed template: literal text, or a placeholder.
type segment struct {
	text        string
	placeholder string // "" for literal text
	line, col   int
}

// maxShownPlaceholder bounds how much of an unknown placeholder an error
// quotes: a forgotten "}" can swallow a sentence.
const maxShownPlaceholder = 24

// parse splits body into literal text and placeholders.
func parse(body string) ([]segment, error) {
	var segs []segment
	var lit strings.Builder
	line, col := 1, 1
	flush := func() {
		if lit.Len() > 0 {
			segs = append(segs, segment{text: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(body); {
		r, size := utf8.DecodeRuneInString(body[i:])
		switch {
		case r == '{' && strings.HasPrefix(body[i+1:], "{"), r == '}' && strings.HasPrefix(body[i+1:], "}"):
			lit.WriteRune(r)
			i += 2
			col += 2
			continue
		case r == '}':
			return nil, &PlaceholderError{Placeholder: "}", Line: line, Column: col,
				Problem: "closes nothing: write }} for a brace"}
		case r == '{':
			end := strings.IndexAny(body[i+1:], "{}\n")
			if end < 0 || body[i+1+end] != '}' {
				return nil, &PlaceholderError{Placeholder: "{", Line: line, Column: col,
					Problem: "is never closed: write {{ for a brace"}
			}
			name := body[i+1 : i+1+end]
			if !slices.Contains(placeholders, name) {
				shown := name
				if utf8.RuneCountInString(shown) > maxShownPlaceholder {
					shown = string([]rune(shown)[:maxShownPlaceholder-1]) + "…"
				}
				return nil, &PlaceholderError{Placeholder: "{" + shown + "}", Line: line, Column: col,
					Problem: "is not a placeholder" + suggest(name)}
			}
			flush()
			segs = append(segs, segment{placeholder: name, line: line, col: col})
			col += utf8.RuneCountInString(body[i : i+2+end])
			i += 2 + end
			continue
		case r == '\n':
			line, col = line+1, 0
		}
		lit.WriteRune(r)
		i += size
		col++
	}
	flush()
	return segs, nil
}

// suggest names the placeholder the user probably meant, if one is close.
func suggest(name string) string {
	n := strings.ToLower(strings.TrimSpace(name))
	n = strings.NewReplacer(" ", "_", "-", "_").Replace(n)
	n = strings.TrimPrefix(n, "@")
	switch n {
	case "firstname", "first":
		n = "first_name"
	case "author", "display_name":
		n = "name"
	case "user", "username":
		n = "handle"
	}
	if slices.Contains(placeholders, n) {
		return "; did you mean {" + n + "}?"
	}
	return ""
}

// Check reports the first problem with a template's placeholders, or nil:
// what is refused when a template is saved.
func Check(body string) error {
	_, err := parse(body)
	return err
}

// Fill writes body for v: each placeholder replaced by its value, {{ and }}
// by single braces. It fails on a placeholder it does not know, or one that
// has no value here (no name and no handle).
func Fill(body string, v Vars) (string, error) {
	segs, err := parse(body)
	if err != nil {
		return "", err
	}
	values := v.values()
	var b strings.Builder
	for _, s := range segs {
		if s.placeholder == "" {
			b.WriteString(s.text)
			continue
		}
		val := values[s.placeholder]
		if val == "" {
			return "", &PlaceholderError{Placeholder: "{" + s.placeholder + "}", Line: s.line, Column: s.col,
				Problem: "has no value for this reply"}
		}
		b.WriteString(val)
	}
	return b.String(), nil
}

// values are the placeholders' texts: the author's strings cleaned and on
// one line, a missing name stood in for by the handle.
func (v Vars) values() map[string]string {
	handle := strings.TrimLeft(oneLine(v.Handle), "@")
	if handle != "" {
		handle = "@" + handle
	}
	name := oneLine(v.Name)
	first := oneLine(v.FirstName)
	if first == "" {
		first = firstWord(name)
	}
	if name == "" {
		name = handle
	}
	if first == "" {
		first = name
	}
	return map[string]string{
		"name":       name,
		"first_name": first,
		"handle":     handle,
		"me":         oneLine(v.Me),
		"network":    oneLine(v.Network),
	}
}

// oneLine makes s safe to put in a reply and draw: no control characters,
// no line breaks, no space around it. The emoji stay as written (Sanitize,
// not Clean, whose rewriting is for drawing only): the reply is sent.
func oneLine(s string) string { return common.OneLine(platforms.Sanitize(s)) }

// firstWord is the first word of a name that has a letter in it ("🥐 Ana
// López" gives "Ana"), or its first word when none has.
func firstWord(name string) string {
	words := strings.Fields(name)
	for _, w := range words {
		if strings.ContainsFunc(w, unicode.IsLetter) {
			return w
		}
	}
	if len(words) > 0 {
		return words[0]
	}
	return ""
}
