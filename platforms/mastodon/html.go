package mastodon

import (
	"html"
	"strings"
)

// htmlToText turns the HTML of a status (Mastodon's sanitised subset: p,
// br, a, span, and on remote posts a few more such as blockquote, pre and
// lists) into plain text:
//
//   - paragraphs are separated by a blank line, <br> is a newline;
//   - list items start a line with "- ";
//   - the text of every element is kept, including the "invisible" spans
//     Mastodon uses to shorten links, so a link reads in full;
//   - script, style and comments are dropped with their content;
//   - runs of whitespace collapse to one space, except inside <pre>;
//   - character references are decoded.
//
// The result is untrusted text: callers sanitise it before display.
func htmlToText(s string) string {
	var b textBuilder
	pre := 0
	for i := 0; i < len(s); {
		if s[i] != '<' {
			j := strings.IndexByte(s[i:], '<')
			if j < 0 {
				j = len(s) - i
			}
			b.text(html.UnescapeString(s[i:i+j]), pre > 0)
			i += j
			continue
		}
		if strings.HasPrefix(s[i:], "<!--") {
			end := strings.Index(s[i+4:], "-->")
			if end < 0 {
				break
			}
			i += 4 + end + 3
			continue
		}
		name, closing, end, ok := readTag(s, i)
		if !ok {
			// A "<" that starts no tag is text, as a browser reads it.
			b.text("<", pre > 0)
			i++
			continue
		}
		i = end
		switch name {
		case "br":
			b.newline()
		case "p", "div", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol":
			b.paragraph()
		case "pre":
			b.paragraph()
			if closing {
				pre = max(pre-1, 0)
			} else {
				pre++
			}
		case "li":
			if !closing {
				b.newline()
				b.raw("- ")
			}
		case "script", "style":
			if !closing {
				i = skipRawText(s, i, name)
			}
		}
	}
	return b.String()
}

// readTag reads the tag that starts at s[i] == '<' and returns its lower-case
// name, whether it is a closing tag, and the index just past its '>'. It
// reports false when what follows '<' is not a tag.
func readTag(s string, i int) (name string, closing bool, end int, ok bool) {
	j := i + 1
	if j < len(s) && s[j] == '/' {
		closing = true
		j++
	}
	if j < len(s) && s[j] == '!' { // <!DOCTYPE ...> and the like
		k := strings.IndexByte(s[j:], '>')
		if k < 0 {
			return "", false, 0, false
		}
		return "!", closing, j + k + 1, true
	}
	start := j
	for j < len(s) && isTagNameByte(s[j]) {
		j++
	}
	if j == start || !isASCIILetter(s[start]) {
		return "", false, 0, false
	}
	name = strings.ToLower(s[start:j])
	// Attributes: skip to the '>' that is not inside a quoted value.
	var quote byte
	for ; j < len(s); j++ {
		c := s[j]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return name, closing, j + 1, true
		}
	}
	return "", false, 0, false
}

// skipRawText returns the index just past </name>, or the end of s.
func skipRawText(s string, i int, name string) int {
	lower := strings.ToLower(s[i:])
	k := strings.Index(lower, "</"+name)
	if k < 0 {
		return len(s)
	}
	if gt := strings.IndexByte(s[i+k:], '>'); gt >= 0 {
		return i + k + gt + 1
	}
	return len(s)
}

func isTagNameByte(c byte) bool {
	return isASCIILetter(c) || (c >= '0' && c <= '9') || c == '-'
}

func isASCIILetter(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }

// textBuilder collects text, collapsing whitespace and keeping track of
// pending line breaks so that block boundaries never pile up blank lines.
type textBuilder struct {
	b        strings.Builder
	breaks   int  // line breaks owed before the next text (0, 1 or 2)
	space    bool // a collapsed space is owed before the next text
	anything bool // some text was written
}

func (t *textBuilder) text(s string, pre bool) {
	if pre {
		if s != "" {
			t.flush()
			t.b.WriteString(s)
			t.anything = true
		}
		return
	}
	for i := 0; i < len(s); {
		if isHTMLSpace(rune(s[i])) {
			t.space = true
			i++
			continue
		}
		j := i
		for j < len(s) && !isHTMLSpace(rune(s[j])) {
			j++
		}
		if t.space && t.anything && t.breaks == 0 {
			t.b.WriteByte(' ')
		}
		t.space = false
		t.flush()
		t.b.WriteString(s[i:j])
		t.anything = true
		i = j
	}
}

// raw writes s at the start of the next line, as for a list marker.
func (t *textBuilder) raw(s string) {
	t.flush()
	t.b.WriteString(s)
	t.anything = true
	t.space = false
}

// flush writes owed line breaks (none at the very start).
func (t *textBuilder) flush() {
	if t.anything {
		for ; t.breaks > 0; t.breaks-- {
			t.b.WriteByte('\n')
		}
	}
	t.breaks = 0
}

func (t *textBuilder) newline() {
	t.space = false
	if !t.anything {
		return
	}
	t.breaks++
	if t.breaks > 2 {
		t.breaks = 2
	}
}

func (t *textBuilder) paragraph() {
	t.space = false
	if t.anything {
		t.breaks = 2
	}
}

func (t *textBuilder) String() string { return t.b.String() }

// isHTMLSpace is HTML's ASCII whitespace.
func isHTMLSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f'
}
