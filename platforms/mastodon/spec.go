package mastodon

import (
	"unicode/utf8"

	"github.com/crier-app/crier/platforms"
)

// A stock Mastodon server's values, which a server may change and says in
// its instance answer (Client.Limits).
const (
	// defaultMaxMedia is max_media_attachments.
	defaultMaxMedia = 4
	// defaultDescriptionLimit is the alt-text limit servers before 4.4
	// apply without saying so (MediaAttachment::MAX_DESCRIPTION_LENGTH).
	defaultDescriptionLimit = 1500
	// defaultImageBytes is MediaAttachment::IMAGE_LIMIT.
	defaultImageBytes = 16 << 20
	// defaultImagePixels is Attachmentable::MAX_MATRIX_LIMIT.
	defaultImagePixels = 7680 * 4320
	// defaultImageTypes are MediaAttachment::IMAGE_MIME_TYPES.
	defaultImageTypes = "image/jpeg,image/png,image/gif,image/heic,image/heif,image/webp,image/avif"
)

// Spec is Mastodon's as a stock server has it, counted by Mastodon's rules
// (MastodonCounting), until an account's server says its own (Client.Limits:
// its max_characters, characters per URL and counting, its media limits).
// Alt text is counted in code points, as Mastodon and GoToSocial do; a
// reply begins with the mention of its author (ReplyPrefix).
func Spec() platforms.Spec {
	return platforms.Spec{
		Platform: Platform,
		Unit:     "chars",
		Limits: platforms.Limits{
			MaxChars:       DefaultMaxChars,
			CharsPerURL:    DefaultURLChars,
			MaxImages:      defaultMaxMedia,
			MaxAltText:     defaultDescriptionLimit,
			MaxImageBytes:  defaultImageBytes,
			MaxImagePixels: defaultImagePixels,
			ImageTypes:     defaultImageTypes,
			SupportsDMs:    true,
			Length:         MastodonCounting.Length,
			AltTextLength:  utf8.RuneCountInString,
		},
		ReplyPrefix: ReplyPrefix,
	}
}
