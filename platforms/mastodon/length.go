package mastodon

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/crier-app/crier/platforms"
)

const (
	// DefaultURLChars is what a URL counts for on a stock server
	// (configuration.statuses.characters_reserved_per_url).
	DefaultURLChars = 23
	// DefaultMaxChars is a stock server's limit
	// (configuration.statuses.max_characters); many servers raise it.
	DefaultMaxChars = 500

	// maxCountedURLChars caps nonsense urlChars so the arithmetic stays sane.
	maxCountedURLChars = 1 << 20
	// twitter-text drops URLs longer than this.
	maxURLRunes = 4096
	// twitter-text drops t.co links with a longer path.
	maxTcoSlug = 40
)

// Length counts a status the way Mastodon's StatusLengthValidator does, for
// comparison with the server's max_characters:
//
//   - text and spoiler are stripped of leading and trailing ASCII whitespace
//     (Status#prepare_contents); text that is then blank counts as nothing;
//   - in text, each URL the server would link counts as urlChars, whatever
//     its length, and a mention @user@domain counts as @user;
//   - the spoiler (content warning) counts too, without that rewriting;
//   - the result is the number of grapheme clusters of spoiler + text.
//
// urlChars <= 0 means DefaultURLChars.
//
// Where this differs from the server (all in unusual text):
//
//   - The server accepts a URL only if its host ends in a real top-level
//     domain from twitter-text's list. Here any final label of two or more
//     letters, or an xn-- label, counts as one: "https://printer.lan/" is a
//     23-character URL here but counted letter by letter on the server.
//   - The server's URL pattern also matches bare domains ("example.com/x")
//     and then discards them; a URL glued to one without a space
//     ("example.com/https://a.io") is swallowed there and counted here.
//   - The 4096-character URL limit is checked on the text as typed, not on
//     the punycode form of the host.
//   - Ruby's [[:word:]] (used around mentions) is taken as Unicode letters,
//     marks, decimal digits and connector punctuation.
//   - Graphemes follow current Unicode rules. A server on an older Ruby
//     (before Unicode 15.1) counts an Indic conjunct such as क्ष as two, so
//     such text can count a little higher there.
func Length(text, spoiler string, urlChars int) int {
	if urlChars <= 0 {
		urlChars = DefaultURLChars
	}
	urlChars = min(urlChars, maxCountedURLChars)

	// Each field reaches the server separately as JSON, with every invalid
	// byte already a U+FFFD; clean them apart so that the two halves of a
	// broken character cannot meet.
	spoiler = rubyStrip(validUTF8(spoiler))
	text = rubyStrip(validUTF8(text))
	if isBlank(text) {
		return platforms.Graphemes(spoiler)
	}
	countable, urls := countableText(text)
	return platforms.Graphemes(spoiler+countable) + urls*(urlChars-1)
}

// countableText rewrites text as the server does before counting: each URL
// becomes a placeholder and each mention loses its domain. The placeholder
// here is a single "x"; the caller adds the rest. A run of n letters x counts
// as exactly n graphemes whatever surrounds it (only its first letter can join
// what precedes and only its last what follows), so one x plus n-1 is exact.
func countableText(text string) (countable string, urls int) {
	rs := []rune(text)
	entities := statusEntities(rs)
	if len(entities) == 0 {
		return text, 0
	}
	var b strings.Builder
	last := 0
	for _, e := range entities {
		b.WriteString(string(rs[last:e.start]))
		if e.isURL {
			b.WriteByte('x')
			urls++
		} else {
			b.WriteByte('@')
			b.WriteString(string(rs[e.start+1 : e.usernameEnd]))
		}
		last = e.end
	}
	b.WriteString(string(rs[last:]))
	return b.String(), urls
}

// statusEntity is a URL or mention found in a status, in rune offsets.
type statusEntity struct {
	start, end  int
	isURL       bool
	usernameEnd int // for a mention: the end of "@user" before "@domain"
}

// statusEntities finds URLs and mentions and drops any that overlap an
// earlier one (Extractor.remove_overlapping_entities).
func statusEntities(rs []rune) []statusEntity {
	all := append(findURLs(rs), findMentions(rs)...)
	sort.SliceStable(all, func(i, j int) bool { return all[i].start < all[j].start })
	kept := all[:0]
	for _, e := range all {
		if len(kept) > 0 && e.start < kept[len(kept)-1].end {
			continue
		}
		kept = append(kept, e)
	}
	return kept
}

// urlSchemes are the protocols Mastodon's patched twitter-text valid_url
// accepts; a URL must have one (extract_url_without_protocol: false).
var urlSchemes = []string{"https://", "http://", "dat://", "dweb://", "ipfs://", "ipns://", "ssb://", "gopher://", "gemini://"}

// findURLs follows twitter-text's valid_url as patched in Mastodon's
// config/initializers/twitter_regex.rb: a permitted preceding character, a
// scheme, a host ending in a top-level domain, an optional port, path and
// query, with the trailing punctuation rules that keep "see https://a.io."
// from swallowing the full stop.
func findURLs(rs []rune) []statusEntity {
	var found []statusEntity
	resume := 0 // the regex scan continues after its previous match
	for p := 0; p < len(rs); p++ {
		// The pattern consumes the character before the URL, so it must
		// lie after the previous match.
		if p > 0 && (p-1 < resume || !urlMayFollow(rs[p-1])) {
			continue
		}
		scheme := schemeLen(rs, p)
		if scheme == 0 {
			continue
		}
		end, ok := urlEnd(rs, p+scheme)
		if !ok {
			continue
		}
		resume = end
		if slug := tcoSlugLen(rs[p+scheme : end]); slug > 0 && hasFoldedPrefix(rs[p:], "http") {
			if slug > maxTcoSlug {
				continue
			}
			end = p + scheme + len("t.co/") + slug
		}
		if end-p > maxURLRunes {
			continue
		}
		found = append(found, statusEntity{start: p, end: end, isURL: true})
		p = end - 1
	}
	return found
}

// urlMayFollow reports whether a URL may start right after r
// (valid_url_preceding_chars: not a letter, digit, @, $ or #).
func urlMayFollow(r rune) bool {
	switch {
	case r < 0x80 && (isASCIIAlnum(r) || r == '@' || r == '$' || r == '#'):
		return false
	case r == '＠' || r == '＃' || r == 0xfffe || r == 0xfeff || r == 0xffff:
		return false
	}
	return true
}

func schemeLen(rs []rune, p int) int {
	for _, scheme := range urlSchemes {
		if hasFoldedPrefix(rs[p:], scheme) {
			return len(scheme)
		}
	}
	return 0
}

// urlEnd reads host, port, path and query from q and returns the end of the
// URL, or false when there is no acceptable host.
func urlEnd(rs []rune, q int) (int, bool) {
	type label struct{ start, end int }
	var labels []label
	for i := q; ; i++ {
		start := i
		for i < len(rs) && (isHostChar(rs[i]) || rs[i] == '-' || rs[i] == '_') {
			i++
		}
		if i == start {
			break
		}
		labels = append(labels, label{start, i})
		if i >= len(rs) || rs[i] != '.' {
			break
		}
	}
	// Prefer the longest host, as the greedy pattern does.
	for k := len(labels); k >= 2; k-- {
		tldEnd, ok := topLevelDomainEnd(rs, labels[k-1].start, labels[k-1].end)
		if !ok {
			continue
		}
		valid := true
		for j := 0; j < k-1 && valid; j++ {
			valid = validHostLabel(rs[labels[j].start:labels[j].end], j < k-2)
		}
		if !valid {
			continue
		}
		return urlRest(rs, tldEnd), true
	}
	return 0, false
}

// topLevelDomainEnd accepts, at the start of a label, either an xn-- label or
// a run of two or more letters not followed by a letter-digit-@-+-hyphen
// (twitter-text's lookahead after a TLD). The real pattern instead lists the
// actual top-level domains; see Length.
func topLevelDomainEnd(rs []rune, start, end int) (int, bool) {
	if hasFoldedPrefix(rs[start:end], "xn--") {
		i := start + 4
		for i < end && isASCIIAlnum(rs[i]) {
			i++
		}
		return i, i > start+4
	}
	i := start
	for i < end && (unicode.IsLetter(rs[i]) || (i > start && unicode.IsMark(rs[i]))) {
		i++
	}
	if i-start < 2 {
		return 0, false
	}
	if i < len(rs) {
		if r := rs[i]; isASCIIAlnum(r) || r == '@' || r == '+' || r == '-' {
			return 0, false
		}
	}
	return i, true
}

// validHostLabel: host characters, with hyphens (and underscores in
// subdomains) allowed inside but not at either end.
func validHostLabel(l []rune, allowUnderscore bool) bool {
	if len(l) == 0 || !isHostChar(l[0]) || !isHostChar(l[len(l)-1]) {
		return false
	}
	for _, r := range l {
		if !isHostChar(r) && r != '-' && !(allowUnderscore && r == '_') {
			return false
		}
	}
	return true
}

// urlRest extends a URL past its host: ":port", "/path", "?query".
func urlRest(rs []rune, i int) int {
	if i+1 < len(rs) && rs[i] == ':' && isDigit(rs[i+1]) {
		i++
		for i < len(rs) && isDigit(rs[i]) {
			i++
		}
	}
	if i < len(rs) && rs[i] == '/' {
		i = pathEnd(rs, i+1)
	}
	if i < len(rs) && rs[i] == '?' {
		last := 0
		for j := i + 1; j < len(rs) && isQueryChar(rs[j]); j++ {
			if isQueryEndChar(rs[j]) {
				last = j + 1
			}
		}
		if last > 0 {
			i = last
		}
	}
	return i
}

// pathEnd reads path characters and balanced parentheses from i and returns
// the end of the last run that finishes on a character a path may end with.
func pathEnd(rs []rune, i int) int {
	last := i
	for i < len(rs) {
		r := rs[i]
		switch {
		case r == '(':
			n := balancedParens(rs, i)
			if n == 0 {
				return last
			}
			i += n
			last = i
		case isPathChar(r):
			i++
			if isPathEndChar(r) {
				last = i
			}
		default:
			return last
		}
	}
	return last
}

// balancedParens matches "(x)" or "(a(b)c)" at i (one level of nesting, as in
// Wikipedia links) and returns its length, or 0.
func balancedParens(rs []rune, i int) int {
	j := i + 1
	run := func() int {
		start := j
		for j < len(rs) && isPathChar(rs[j]) {
			j++
		}
		return j - start
	}
	inner := run()
	if j < len(rs) && rs[j] == ')' && inner > 0 {
		return j + 1 - i
	}
	if j >= len(rs) || rs[j] != '(' {
		return 0
	}
	j++
	if run() == 0 || j >= len(rs) || rs[j] != ')' {
		return 0
	}
	j++
	run()
	if j >= len(rs) || rs[j] != ')' {
		return 0
	}
	return j + 1 - i
}

// tcoSlugLen returns the length of the alphanumeric path of a t.co link
// (rest starts after the scheme), or 0 for anything else: twitter-text keeps
// only that slug of such links.
func tcoSlugLen(rest []rune) int {
	if !hasFoldedPrefix(rest, "t.co/") {
		return 0
	}
	n := len("t.co/")
	for n < len(rest) && isASCIIAlnum(rest[n]) {
		n++
	}
	return n - len("t.co/")
}

// findMentions follows Account::MENTION_RE and Extractor's end check:
// "@user" or "@user@domain", not preceded by a word character, = or /, and
// not followed by another @, a Latin accented letter or "://".
func findMentions(rs []rune) []statusEntity {
	var found []statusEntity
	for i := 0; i < len(rs); i++ {
		if rs[i] != '@' || (i > 0 && (rs[i-1] == '=' || rs[i-1] == '/' || isWordChar(rs[i-1]))) {
			continue
		}
		userEnd := dottedRun(rs, i+1, isUsernameChar)
		if userEnd == i+1 {
			continue
		}
		end := userEnd
		if end < len(rs) && rs[end] == '@' {
			if domainEnd := dottedRun(rs, end+1, isWordChar); domainEnd > end+1 {
				end = domainEnd
			}
		}
		if !mentionEndsCleanly(rs[end:]) {
			i = end - 1 // the scan resumes after the rejected match
			continue
		}
		found = append(found, statusEntity{start: i, end: end, usernameEnd: userEnd})
		i = end - 1
	}
	return found
}

// dottedRun matches ok+ ([.-]+ ok+)* at i, greedily, and returns its end
// (i when nothing matched).
func dottedRun(rs []rune, i int, ok func(rune) bool) int {
	j := i
	for j < len(rs) && ok(rs[j]) {
		j++
	}
	if j == i {
		return i
	}
	end := j
	for {
		k := end
		for k < len(rs) && (rs[k] == '.' || rs[k] == '-') {
			k++
		}
		if k == end {
			return end
		}
		m := k
		for m < len(rs) && ok(rs[m]) {
			m++
		}
		if m == k {
			return end
		}
		end = m
	}
}

// mentionEndsCleanly applies twitter-text's end_mention_match.
func mentionEndsCleanly(after []rune) bool {
	if len(after) == 0 {
		return true
	}
	if r := after[0]; r == '@' || r == '＠' || isLatinAccent(r) {
		return false
	}
	return !(len(after) >= 3 && string(after[:3]) == "://")
}

func isLatinAccent(r rune) bool {
	switch {
	case r >= 0xc0 && r <= 0xd6, r >= 0xd8 && r <= 0xf6, r >= 0xf8 && r <= 0x24f,
		r == 0x253, r == 0x254, r == 0x256, r == 0x257, r == 0x259, r == 0x25b,
		r == 0x263, r == 0x268, r == 0x26f, r == 0x272, r == 0x289, r == 0x28b,
		r == 0x2bb, r >= 0x300 && r <= 0x36f, r >= 0x1e00 && r <= 0x1eff:
		return true
	}
	return false
}

func isUsernameChar(r rune) bool { return isASCIIAlnum(r) || r == '_' }

// isWordChar approximates Ruby's [[:word:]].
func isWordChar(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.Is(unicode.Nd, r) || unicode.Is(unicode.Pc, r)
}

// isHostChar is twitter-text's DOMAIN_VALID_CHARS: anything but ASCII
// punctuation, spaces, controls, directional marks and non-characters.
func isHostChar(r rune) bool {
	switch {
	case r <= 0x20 || r == 0x7f:
		return false
	case r < 0x80:
		return isASCIIAlnum(r)
	case unicode.IsSpace(r), r == 0x180e: // U+180E was White_Space when the list was made
		return false
	case r == 0x061c, r == 0x200e, r == 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return false
	case r == 0xfffe, r == 0xfeff, r == 0xffff:
		return false
	}
	return true
}

// isPathChar is Mastodon's valid_general_url_path_chars.
func isPathChar(r rune) bool {
	return !unicode.IsSpace(r) && !strings.ContainsRune("<>()?", r)
}

// isPathEndChar is Mastodon's valid_url_path_ending_chars (without the
// parentheses, which pathEnd handles).
func isPathEndChar(r rune) bool {
	return isPathChar(r) && !strings.ContainsRune(`!*"'「」;:=,.$%[]~&|@`, r)
}

func isQueryChar(r rune) bool {
	return isASCIIAlnum(r) || strings.ContainsRune(`!?*'();:&=+$/%#[]-_.,~|@^`, r) || isQueryUnicode(r)
}

func isQueryEndChar(r rune) bool {
	return isASCIIAlnum(r) || strings.ContainsRune(`_&=#/-`, r) || isQueryUnicode(r)
}

// isQueryUnicode is the UCHARS range Mastodon allows in queries.
func isQueryUnicode(r rune) bool {
	switch {
	case r >= 0xa0 && r <= 0xd7ff, r >= 0xe000 && r <= 0xf8ff, r >= 0xf900 && r <= 0xfdcf, r >= 0xfdf0 && r <= 0xffef:
		return true
	case r >= 0x10000 && r <= 0x10ffff:
		return r&0xffff <= 0xfffd && !(r >= 0xe0000 && r < 0xe1000)
	}
	return false
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func isASCIIAlnum(r rune) bool {
	return isDigit(r) || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
}

// hasFoldedPrefix reports whether rs starts with the lower-case ASCII prefix,
// ignoring ASCII case.
func hasFoldedPrefix(rs []rune, prefix string) bool {
	if len(rs) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		r := rs[i]
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		if r != rune(prefix[i]) {
			return false
		}
	}
	return true
}

// validUTF8 replaces each invalid byte with U+FFFD, as encoding/json does.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return string([]rune(s))
}

// rubyStrip trims what Ruby's String#strip does: ASCII whitespace and NUL.
func rubyStrip(s string) string {
	return strings.Trim(s, " \t\n\v\f\r\x00")
}

// isBlank is ActiveSupport's String#blank?: empty or only whitespace.
func isBlank(s string) bool {
	return strings.TrimFunc(s, unicode.IsSpace) == ""
}
