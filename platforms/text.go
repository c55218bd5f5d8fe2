package platforms

import (
	"strings"
	"unicode/utf8"

	"github.com/clipperhouse/uax29/v2/graphemes"
)

// Graphemes counts the extended grapheme clusters in s under current Unicode
// rules (UAX #29), which is how the networks count "characters": an emoji
// family joined by ZWJs, a flag, a letter with combining accents and an Indic
// conjunct such as क्ष each count once.
//
// Invalid UTF-8 is counted as the network will receive it: encoding/json
// sends each invalid byte as U+FFFD.
func Graphemes(s string) int {
	if !utf8.ValidString(s) {
		s = string([]rune(s)) // one U+FFFD per invalid byte, as encoding/json does
	}
	n := 0
	for it := graphemes.FromString(s); it.Next(); {
		n++
	}
	return n
}

// Sanitize makes text from a network safe to draw in a terminal. It removes
//
//   - escape sequences: CSI (ESC [ and 8-bit CSI), the control strings OSC,
//     DCS, SOS, PM and APC up to their terminator (BEL or ST) or the end of
//     the text, other ESC sequences, and a lone ESC;
//   - C0 controls except newline and tab, DEL, and C1 controls (U+0080 to
//     U+009F);
//   - the bidi embedding, override and isolate controls (U+202A to U+202E,
//     U+2066 to U+2069), which can make text display in a misleading order.
//
// Invalid UTF-8 becomes U+FFFD. (So a raw byte 0x9B becomes U+FFFD and what
// follows stays as text: a UTF-8 terminal never reads that byte as CSI. The
// encoded U+009B is a C1 control and goes with its sequence.) Ordinary text,
// emoji, newlines and tabs are kept. Sanitize is idempotent.
func Sanitize(s string) string {
	if sanitizeNeedsNothing(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == 0x1b:
			i = escapeSequenceEnd(s, i+size)
		case r == 0x9b:
			i = csiEnd(s, i+size)
		case r == 0x90 || r == 0x98 || r == 0x9d || r == 0x9e || r == 0x9f: // DCS SOS OSC PM APC
			i = controlStringEnd(s, i+size)
		case r == '\n' || r == '\t':
			b.WriteRune(r)
			i += size
		case r < 0x20 || (r >= 0x7f && r <= 0x9f) || isBidiControl(r):
			i += size
		default:
			b.WriteRune(r) // includes U+FFFD for invalid bytes
			i += size
		}
	}
	return b.String()
}

// sanitizeNeedsNothing reports whether s is printable ASCII, newlines and
// tabs only: the common case, returned without copying.
func sanitizeNeedsNothing(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 0x20 && c != '\n' && c != '\t') || c >= 0x7f {
			return false
		}
	}
	return true
}

// escapeSequenceEnd returns the index just past the escape sequence whose ESC
// ended at i (ECMA-48 section 5.3, plus the control strings of 5.6).
func escapeSequenceEnd(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch c := s[i]; {
	case c == '[':
		return csiEnd(s, i+1)
	case c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_': // OSC DCS SOS PM APC
		return controlStringEnd(s, i+1)
	case c >= 0x20 && c <= 0x2f: // intermediates, then one final byte (ESC ( B)
		for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
			i++
		}
		if i < len(s) && s[i] >= 0x30 && s[i] <= 0x7e {
			i++
		}
		return i
	case c >= 0x30 && c <= 0x7e: // two-byte sequences such as ESC 7 or ESC c
		return i + 1
	}
	return i // a lone ESC: only it goes
}

// csiEnd returns the index just past a control sequence whose introducer
// ended at i: parameter bytes, intermediate bytes, one final byte. A sequence
// broken by any other byte ends before that byte, which is then read afresh.
func csiEnd(s string, i int) int {
	for i < len(s) && s[i] >= 0x30 && s[i] <= 0x3f {
		i++
	}
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
		i++
	}
	if i < len(s) && s[i] >= 0x40 && s[i] <= 0x7e {
		i++
	}
	return i
}

// controlStringEnd returns the index just past a control string (OSC, DCS,
// SOS, PM, APC) whose introducer ended at i. It ends at BEL, ST (ESC \ or
// U+009C), CAN or SUB; an ESC that does not start ST ends it and is read afresh;
// unterminated, it runs to the end of the text, as a terminal would take it.
func controlStringEnd(s string, i int) int {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch r {
		case 0x07, 0x9c, 0x18, 0x1a:
			return i + size
		case 0x1b:
			if i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			return i
		}
		i += size
	}
	return i
}

func isBidiControl(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}
