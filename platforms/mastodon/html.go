package mastodon

import (
	"strings"

	"golang.org/x/net/html"
)

// htmlToText turns the HTML of a status (Mastodon's sanitised subset: p,
// br, a, span, and on remote posts a few more such as blockquote, pre and
// lists) into plain text:
//
//   - paragraphs are separated by a blank line, <br> is a newline;
//   - list items start a line with "- ";
//   - the text of every element is kept, including the "invisible" spans
//     Mastodon uses to shorten links, so a link reads in full;
//   - script, style, title, iframe and comments are dropped with their
//     content; textarea, xmp and plaintext read as the text they hold;
//   - runs of whitespace collapse to one space, except inside <pre>;
//   - character references are decoded.
//
// The result is untrusted text: callers sanitise it before display.
func htmlToText(s string) string {
	var b textBuilder
	pre := 0
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			// The end, or a tag cut off by it: a browser drops such a tag,
			// but a status that ends in "<a href=" meant it as text.
			b.text(string(z.Raw()), pre > 0)
			return b.String()
		case html.TextToken:
			b.text(string(z.Text()), pre > 0)
			continue
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
		default: // comments and doctypes
			continue
		}
		name, _ := z.TagName()
		closing := tt == html.EndTagToken
		switch string(name) {
		case "br":
			b.newline()
		case "p", "div", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol":
			b.paragraph()
		case "pre":
			b.paragraph()
			if closing {
				pre = max(pre-1, 0)
			} else if tt == html.StartTagToken {
				pre++
			}
		case "li":
			if !closing {
				b.newline()
				b.raw("- ")
			}
		case "script", "style", "title", "iframe", "noembed", "noframes":
			// Never shown as text: drop them with their content, which the
			// tokenizer hands over raw.
			if tt == html.StartTagToken {
				skipRaw(z)
			}
		case "noscript":
			// Shown where scripts do not run, as here: read it as markup.
			if tt == html.StartTagToken {
				z.NextIsNotRawText()
			}
		}
	}
}

// skipRaw reads past the raw text of the element just opened, up to and
// including its end tag.
func skipRaw(z *html.Tokenizer) {
	for {
		switch z.Next() {
		case html.ErrorToken, html.EndTagToken:
			return
		}
	}
}

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
