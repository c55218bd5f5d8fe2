package mastodon

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Counting is how one server counts a status against its max_characters.
// Servers of the Mastodon API do not agree: Mastodon counts every link as
// characters_reserved_per_url and a mention without its @domain, in
// grapheme clusters; GoToSocial reports characters_reserved_per_url (25)
// but counts the text as written, in code points, links and all (its
// refusals say so: "status too long, 5035 characters provided").
type Counting struct {
	// Rules names the rules: RulesMastodon or RulesGoToSocial.
	Rules string
	// URLChars is what a link counts for under RulesMastodon.
	URLChars int
	// Exact is false when crier does not know the server's software and
	// counts by Mastodon's rules as a guess.
	Exact bool
}

// The counting rules crier knows.
const (
	RulesMastodon   = "mastodon"
	RulesGoToSocial = "gotosocial"
)

// MastodonCounting is a stock Mastodon server's counting, the default
// before a server has said what it runs.
var MastodonCounting = Counting{Rules: RulesMastodon, URLChars: DefaultURLChars, Exact: true}

// Length counts text (a status without a content warning) as the server
// does.
func (k Counting) Length(text string) int {
	if k.Rules == RulesGoToSocial {
		// validateStatusCreateForm: len([]rune(status)) + len([]rune(spoiler)),
		// on the text as sent, without trimming. Invalid UTF-8 reaches it as
		// U+FFFD, one code point per bad byte as Go decodes it.
		return utf8.RuneCountInString(text)
	}
	return Length(text, "", k.URLChars)
}

// mastodonVersion is how Mastodon and its forks write their version:
// "4.3.2", "4.2.0+glitch", "4.4.0-beta.1"; other software that speaks the
// API says "(compatible; Pleroma 2.6.0)" after it.
var mastodonVersion = regexp.MustCompile(`^\d+\.\d+\.\d+([-+][0-9A-Za-z.+-]*)?$`)

// CountingFor tells from what a server says of itself in its instance
// answer (version, source_url, characters_reserved_per_url) how it counts.
// GoToSocial names its source (github.com/superseriousbusiness/gotosocial,
// later codeberg.org); Mastodon names a repository called mastodon (its
// own or a fork's) from 4.0 on and before that only a bare version. Any
// other server is counted by Mastodon's rules, not Exact.
func CountingFor(version, sourceURL string, urlChars int) Counting {
	if urlChars <= 0 {
		urlChars = DefaultURLChars
	}
	src := strings.ToLower(strings.TrimRight(sourceURL, "/"))
	switch {
	case strings.Contains(src, "gotosocial"):
		return Counting{Rules: RulesGoToSocial, URLChars: urlChars, Exact: true}
	case src != "" && src[strings.LastIndexByte(src, '/')+1:] == "mastodon" && mastodonVersion.MatchString(version):
		return Counting{Rules: RulesMastodon, URLChars: urlChars, Exact: true}
	case src == "" && mastodonVersion.MatchString(version):
		// The v1 instance of Mastodon before 4.0 has no source_url.
		return Counting{Rules: RulesMastodon, URLChars: urlChars, Exact: true}
	}
	return Counting{Rules: RulesMastodon, URLChars: urlChars, Exact: false}
}
