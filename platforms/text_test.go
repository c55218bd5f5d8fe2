package platforms_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/crier-app/crier/platforms"
)

func TestGraphemes(t *testing.T) {
	tests := []struct {
		name string
		text string
		want int
	}{
		{"empty", "", 0},
		{"ascii", "hello", 5},
		{"crlf is one", "a\r\nb", 3},
		{"indic conjunct KA+VIRAMA+SSA", "क्ष", 1},
		{"conjunct in a word", "क्षमा", 2}, // क्ष + मा
		{"devanagari vowel sign", "नमस्ते", 3},
		{"emoji ZWJ family", "👨‍👩‍👧‍👦", 1},
		{"skin tone modifier", "👍🏽", 1},
		{"flags", "🇩🇪🇫🇷", 2},
		{"odd regional indicator", "🇩🇪🇫", 2},
		{"combining acute", "e\u0301", 1},
		{"stacked combining marks", "a\u0301\u0323\u0308", 1},
		{"precomposed", "é", 1},
		{"CJK", "日本語", 3},
		{"hangul jamo", "\u1100\u1161\u11a8", 1},
		{"keycap", "1\ufe0f\u20e3", 1},
		{"mixed", "Café ☕ 🇯🇵!", 9},
		{"invalid bytes count as U+FFFD each", "a\xe8b", 3},
		{"invalid byte then a mark", "\xff\u0301", 1},
	}
	for _, tt := range tests {
		if got := platforms.Graphemes(tt.text); got != tt.want {
			t.Errorf("%s: Graphemes(%q) = %d, want %d", tt.name, tt.text, got, tt.want)
		}
	}
}

func TestSanitize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "hello, world", "hello, world"},
		{"newlines and tabs kept", "a\n\tb\n", "a\n\tb\n"},
		{"emoji and CJK kept", "👨‍👩‍👧 日本 क्ष é", "👨‍👩‍👧 日本 क्ष é"},
		{"clipboard write OSC 52 BEL", "hi\x1b]52;c;ZXZpbA==\x07there", "hithere"},
		{"OSC 52 ended by ST", "\x1b]52;c;ZXZpbA==\x1b\\ok", "ok"},
		{"title set ended by ST", "\x1b]0;title\x1b\\after", "after"},
		{"title set ended by BEL", "\x1b]2;owned\x07after", "after"},
		{"hyperlink OSC 8", "\x1b]8;;https://evil.example\x07click\x1b]8;;\x07", "click"},
		{"unterminated OSC runs to the end", "text\x1b]0;never ends", "text"},
		{"clear screen", "\x1b[2J\x1b[Hx", "x"},
		{"colour", "\x1b[1;31mred\x1b[0m", "red"},
		{"private mode", "\x1b[?1049hX\x1b[?25l", "X"},
		{"raw 0x9B byte is invalid UTF-8, not CSI", "\x9b31mred", "\ufffd31mred"},
		{"8-bit CSI as U+009B", "\u009b31mred", "red"},
		{"8-bit OSC as U+009D ended by U+009C", "\u009d0;t\u009cok", "ok"},
		{"DCS", "\x1bPq#0;2;0;0;0\x1b\\after", "after"},
		{"APC", "\x1b_Gf=100;AAAA\x1b\\img", "img"},
		{"PM and SOS", "\x1b^secret\x1b\\a\x1bXsos\x1b\\b", "ab"},
		{"charset designation", "\x1b(0lqk\x1b(B", "lqk"},
		{"reset", "\x1bcok", "ok"},
		{"lone ESC at the end", "end\x1b", "end"},
		{"ESC before a non-ASCII rune", "\x1bé", "é"},
		{"broken CSI", "\x1b[31\x1b[0mok", "ok"},
		{"CAN aborts a string", "\x1b]0;x\x18ok", "ok"},
		{"C0 controls", "a\x00b\x07c\x08d\re\x0bf\x0cg", "abcdefg"},
		{"DEL", "a\x7fb", "ab"},
		{"C1 controls", "a\u0085b\u0080c\u0081d", "abcd"},
		{"8-bit APC runs to its terminator", "a\u009fhidden\u009cb", "ab"},
		{"bidi override", "abc\u202egnp.exe", "abcgnp.exe"},
		{"bidi isolates", "\u2066x\u2069\u2067y\u2068z", "xyz"},
		{"marks kept", "a\u200eb\u200fc\u200dd", "a\u200eb\u200fc\u200dd"},
		{"invalid UTF-8", "a\xffb\xc3", "a\ufffdb\ufffd"},
		{"truncated sequence", "\xe2\x82", "\ufffd\ufffd"},
		{"replacement char kept", "\ufffd", "\ufffd"},
	}
	for _, tt := range tests {
		if got := platforms.Sanitize(tt.in); got != tt.want {
			t.Errorf("%s: Sanitize(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestSanitizeReturnsCleanTextUncopied(t *testing.T) {
	in := "just text\nwith a tab\there"
	if got := platforms.Sanitize(in); got != in {
		t.Errorf("Sanitize(%q) = %q", in, got)
	}
	if n := testing.AllocsPerRun(100, func() { _ = platforms.Sanitize(in) }); n != 0 {
		t.Errorf("Sanitize of clean ASCII allocates %v times", n)
	}
}

// checkSanitized fails if out holds anything a terminal could act on.
func checkSanitized(t *testing.T, in, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Fatalf("Sanitize(%q) = %q: invalid UTF-8", in, out)
	}
	for _, r := range out {
		switch {
		case r == '\n' || r == '\t':
		case r < 0x20, r == 0x7f:
			t.Fatalf("Sanitize(%q) = %q: keeps C0/DEL %U", in, out, r)
		case r >= 0x80 && r <= 0x9f:
			t.Fatalf("Sanitize(%q) = %q: keeps C1 %U", in, out, r)
		case (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069):
			t.Fatalf("Sanitize(%q) = %q: keeps bidi control %U", in, out, r)
		}
	}
	if strings.ContainsRune(out, 0x1b) {
		t.Fatalf("Sanitize(%q) = %q: keeps ESC", in, out)
	}
}

func FuzzSanitize(f *testing.F) {
	for _, seed := range []string{
		"", "plain", "\x1b]52;c;ZXZpbA==\x07", "\x1b]0;title\x1b\\", "\x1b[2J", "\x9b31m",
		"\x1b\x1b[31m", "\x1bP\x1b\\", "\u202e", "\xff\xfe", "a\r\nb", "👨‍👩‍👧‍👦 क्ष",
		"\x1b[", "\x1b]", "\x1b(", "\xc2\x9b1m", "\x1b]0;\xc2\x9cx",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		once := platforms.Sanitize(in)
		checkSanitized(t, in, once)
		if twice := platforms.Sanitize(once); twice != once {
			t.Fatalf("Sanitize is not idempotent on %q: %q then %q", in, once, twice)
		}
	})
}
