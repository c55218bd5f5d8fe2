package bluesky

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLengthGraphemesAndBytes(t *testing.T) {
	tests := []struct {
		text            string
		graphemes, size int
	}{
		{"", 0, 0},
		{"hello", 5, 5},
		{"  padded  ", 10, 10}, // no trimming
		{"क्ष", 1, 9},          // KA+VIRAMA+SSA is one grapheme, three code points
		{"👨‍👩‍👧‍👦", 1, 25},
		{"🇩🇪🇫🇷", 2, 16},
		{"e\u0301", 1, 3},
		{"日本語", 3, 9},
		{"https://example.com/a/long/path", 31, 31}, // links count in full
	}
	for _, tt := range tests {
		g, b := Length(tt.text)
		if g != tt.graphemes || b != tt.size {
			t.Errorf("Length(%q) = %d graphemes, %d bytes; want %d, %d", tt.text, g, b, tt.graphemes, tt.size)
		}
	}
}

func TestLengthLimitsDisagree(t *testing.T) {
	// 300 family emoji are within the grapheme limit but far over the bytes.
	g, b := Length(strings.Repeat("👨‍👩‍👧‍👦", MaxGraphemes))
	if g != MaxGraphemes || b <= MaxBytes {
		t.Errorf("Length = %d graphemes, %d bytes; want %d and more than %d", g, b, MaxGraphemes, MaxBytes)
	}
	// 301 ASCII letters are over the grapheme limit and far under the bytes.
	if g, b := Length(strings.Repeat("a", MaxGraphemes+1)); g != MaxGraphemes+1 || b != MaxGraphemes+1 {
		t.Errorf("Length = %d, %d", g, b)
	}
}

func FuzzBlueskyLength(f *testing.F) {
	for _, seed := range []string{"", "hello", "क्ष", "👨‍👩‍👧‍👦", "🇩🇪🇫", "e\u0301", "a\xe8b", "\xff\u0301"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		g, b := Length(text)
		if b != len(text) {
			t.Fatalf("Length(%q) bytes = %d, want %d", text, b, len(text))
		}
		if runes := utf8.RuneCountInString(text); g > runes {
			t.Fatalf("Length(%q) = %d graphemes, more than its %d runes", text, g, runes)
		}
		if g < 0 || (g == 0) != (text == "") {
			t.Fatalf("Length(%q) = %d graphemes", text, g)
		}
	})
}
