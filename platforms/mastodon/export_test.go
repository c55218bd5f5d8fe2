package mastodon

// Internals under test from package mastodon_test.
var (
	HTMLToText     = htmlToText
	ParseLinks     = parseLinks
	ComparableText = comparableText
)
