package common

import "regexp"

// internalIDs are the database ids the store's errors name things by
// ("post 280 was already sent", "recurring post 1, account 2: …"): right
// for the log and the CLI, where ids are shown, but nothing the app shows a
// person.
var internalIDs = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`\b(?:[Tt]he )?recurring post \d+(?:, account \d+)?`), "the recurring post"},
	{regexp.MustCompile(`\b(?:[Tt]he )?post \d+`), "the post"},
	{regexp.MustCompile(`\b(?:[Tt]he )?delivery \d+`), "the copy"},
	{regexp.MustCompile(`\b(?:[Tt]he )?account \d+`), "the account"},
	{regexp.MustCompile(`\b(?:[Tt]he )?campaign \d+`), "the campaign"},
	{regexp.MustCompile(`\b(?:[Tt]he )?goal \d+`), "the goal"},
	{regexp.MustCompile(`\b(?:[Tt]he )?item \d+`), "the item"},
}

// WithoutIDs says an error's text without the internal ids in it: "post 280
// was already sent" reads "the post was already sent". The status bar shows
// every error through it.
func WithoutIDs(s string) string {
	for _, r := range internalIDs {
		s = r.re.ReplaceAllString(s, r.with)
	}
	return s
}
