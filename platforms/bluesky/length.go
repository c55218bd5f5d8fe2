package bluesky

import "github.com/crier-app/crier/platforms"

const (
	// MaxGraphemes is the post text limit in grapheme clusters
	// (app.bsky.feed.post, text.maxGraphemes).
	MaxGraphemes = 300
	// MaxBytes is the post text limit in UTF-8 bytes
	// (app.bsky.feed.post, text.maxLength; lexicon lengths are bytes).
	MaxBytes = 3000
)

// Length counts post text as the Bluesky lexicon does: grapheme clusters under
// current Unicode rules (what the reference PDS measures with Intl.Segmenter)
// and UTF-8 bytes. A post must stay within both MaxGraphemes and MaxBytes.
// The text is counted as it is, with no trimming; bytes is len(text), which
// for invalid UTF-8 is less than what is sent (each bad byte goes as the three
// bytes of U+FFFD).
func Length(text string) (graphemes, bytes int) {
	return platforms.Graphemes(text), len(text)
}
