package mastodon_test

import (
	"testing"

	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/platforms/mastodon"
)

func TestHTMLToText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "hello", "hello"},
		{"paragraphs", "<p>one</p><p>two</p>", "one\n\ntwo"},
		{"line breaks", "<p>one<br>two<br/>three<br />four</p>", "one\ntwo\nthree\nfour"},
		{"entities", "<p>fish &amp; chips &lt;3 &quot;yum&quot; &#39;ok&#39; caf&eacute; &#x1F35E;</p>", "fish & chips <3 \"yum\" 'ok' café 🍞"},
		{"escaped tag stays text", "<p>&lt;b&gt;not bold&lt;/b&gt;</p>", "<b>not bold</b>"},
		{"mention h-card", `<p><span class="h-card" translate="no"><a href="https://ex.social/@bob" class="u-url mention">@<span>bob</span></a></span> hi</p>`, "@bob hi"},
		{"shortened link reads in full", `<p>see <a href="https://www.example.com/a/very/long/path/that/goes/on" rel="nofollow noopener"><span class="invisible">https://www.</span><span class="ellipsis">example.com/a/very/long/path/</span><span class="invisible">that/goes/on</span></a>.</p>`, "see https://www.example.com/a/very/long/path/that/goes/on."},
		{"hashtag", `<p><a href="https://ex.social/tags/bread" class="mention hashtag" rel="tag">#<span>bread</span></a></p>`, "#bread"},
		{"source whitespace collapses", "<p>a \n  b\t c</p>\n<p>d</p>", "a b c\n\nd"},
		{"no space invented between tags", "<p><b>bold</b><i>italic</i></p>", "bolditalic"},
		{"space kept across tags", "<p>a <b>b</b> c</p>", "a b c"},
		{"leading and trailing breaks dropped", "<br><p></p><p>x</p><br>", "x"},
		{"br then paragraph is one blank line", "<p>a<br></p><p>b</p>", "a\n\nb"},
		{"lists", "<p>Menu:</p><ul><li>rye</li><li>spelt</li></ul><p>end</p>", "Menu:\n\n- rye\n- spelt\n\nend"},
		{"blockquote", "<blockquote><p>quoted</p></blockquote><p>reply</p>", "quoted\n\nreply"},
		{"pre keeps whitespace", "<pre>a  b\n  c</pre>", "a  b\n  c"},
		{"script and style dropped", "<p>x<script>alert('<p>')</script>y<style>p{}</style>z</p>", "xyz"},
		{"comment dropped", "<p>a<!-- <p>hidden</p> -->b</p>", "ab"},
		{"attribute with >", `<p><a href="x" title="a>b">link</a></p>`, "link"},
		{"uppercase tags", "<P>one<BR>two</P>", "one\ntwo"},
		{"lone less-than", "<p>1 < 2 and 3 <4</p>", "1 < 2 and 3 <4"},
		{"unterminated tag", "<p>x <a href=", "x <a href="},
		{"nbsp kept", "<p>a&nbsp;b</p>", "a\u00a0b"},
		{"empty", "", ""},
		{"title and iframe dropped", "<title>t</title><p>a<iframe src=x><p>fallback</p></iframe>b</p>", "ab"},
		{"noscript read as markup", "<p>a</p><noscript><p>b &amp; c</p></noscript>", "a\n\nb & c"},
		{"textarea is its text", "<p>a <textarea><b>x</b> &amp;</textarea></p>", "a <b>x</b> &"},
		{"uppercase script", "<p>x<SCRIPT>y</SCRIPT>z</p>", "xz"},
		{"unclosed script drops the rest", "<p>x<script>alert(1)", "x"},
		{"escape sequences are left for the sanitiser", "<p>a\x1b[31mred&#27;</p>", "a\x1b[31mred\x1b"},
		{"NUL is left for the sanitiser", "<p>a\x00b</p>", "a\x00b"},
	}
	for _, tt := range tests {
		if got := mastodon.HTMLToText(tt.in); got != tt.want {
			t.Errorf("%s: HTMLToText(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

// TestHTMLToTextThenSanitize: what a server sends reaches the screen
// without a control character, however it hides one (raw, as a character
// reference, inside a tag's text).
func TestHTMLToTextThenSanitize(t *testing.T) {
	for _, in := range []string{
		"<p>a\x1b]8;;http://evil\x07link\x1b]8;;\x07</p>",
		"<p>&#27;[2J&#x9b;1m&#7;</p>",
		"<pre>\x1b[31m</pre><textarea>\x1bP</textarea>",
		"<p>x<span title=\"\x1b[0m\">y</span>\x00</p>",
	} {
		got := platforms.Sanitize(mastodon.HTMLToText(in))
		for _, r := range got {
			if (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r <= 0x9f) {
				t.Errorf("Sanitize(HTMLToText(%q)) = %q: control character %U", in, got, r)
			}
		}
	}
}

func TestComparableText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Thanks @alice@other.example!\n\nBye", "Thanks @alice! Bye"},
		{"mail bob@example.com", "mail bob@example.com"},
		{"@a.b@x.y hi", "@a.b hi"},
		{"  spaced   out ", "spaced out"},
	}
	for _, tt := range tests {
		if got := mastodon.ComparableText(tt.in); got != tt.want {
			t.Errorf("ComparableText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
