// Package utm tags the links in a post that lead to the business's own
// site with the campaign they belong to: utm_source (the network),
// utm_medium ("social"), utm_campaign (the campaign's slug) and
// utm_content (the post, or its variant). Links to anywhere else are never
// changed, and a parameter a link already carries is kept as written.
//
// Analytics tools match UTM values case-sensitively, so everything crier
// writes is lower case. The package is plain Go and a leaf: the composer
// shows the final link with it and the scheduler sends it.
package utm

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// MediumSocial is the utm_medium of a post's link.
const MediumSocial = "social"

// Tags are the parameters a link gets. Empty ones are not added.
type Tags struct {
	Source   string // utm_source: the network, "mastodon", "bluesky"
	Medium   string // utm_medium: MediumSocial
	Campaign string // utm_campaign: the campaign's slug
	Content  string // utm_content: the post or its variant (store.PostContent)
}

// params are the tags in the order they are written.
func (t Tags) params() [][2]string {
	return [][2]string{
		{"utm_source", strings.ToLower(t.Source)},
		{"utm_medium", strings.ToLower(t.Medium)},
		{"utm_campaign", strings.ToLower(t.Campaign)},
		{"utm_content", strings.ToLower(t.Content)},
	}
}

// Tagger tags links to a set of domains: each domain and its subdomains
// (ryeandshine.bakery covers www.ryeandshine.bakery and
// shop.ryeandshine.bakery).
type Tagger struct {
	domains []string
}

// NewTagger makes a Tagger for the business's own domains, as the config
// lists them (marketing.domains): "ryeandshine.bakery", or written as a
// link, "https://ryeandshine.bakery/". A domain that is not one is an
// error naming it.
func NewTagger(domains []string) (*Tagger, error) {
	t := &Tagger{}
	for _, d := range domains {
		host, err := domainOf(d)
		if err != nil {
			return nil, err
		}
		t.domains = append(t.domains, host)
	}
	return t, nil
}

func domainOf(d string) (string, error) {
	s := strings.TrimSpace(d)
	if strings.Contains(s, "://") {
		u, err := url.Parse(s)
		if err != nil || u.Host == "" {
			return "", fmt.Errorf("%q is not a domain such as example.com", d)
		}
		s = u.Host
	}
	s = strings.TrimSuffix(strings.ToLower(s), "/")
	if h, _, err := net.SplitHostPort(s); err == nil {
		s = h
	}
	s = strings.TrimPrefix(s, "www.")
	if s == "" || !strings.Contains(s, ".") || strings.ContainsAny(s, "/?#@ ") || strings.HasPrefix(s, ".") ||
		strings.HasSuffix(s, ".") {
		return "", fmt.Errorf("%q is not a domain such as example.com", d)
	}
	return ascii(s), nil
}

// ascii writes a host as DNS does: an internationalised name (bäckerei.de)
// as its punycode (xn--bckerei-5wa.de), so that a domain given either way
// matches a link written either way. A host that is not a valid name is
// kept as it is.
func ascii(host string) string {
	if a, err := idna.Lookup.ToASCII(host); err == nil {
		return a
	}
	return host
}

// Domains lists the domains the Tagger tags, as it reads them (an
// internationalised one in punycode).
func (t *Tagger) Domains() []string { return append([]string(nil), t.domains...) }

// Owns reports whether a host (a URL's, with or without a port) is one of
// the business's.
func (t *Tagger) Owns(host string) bool {
	if t == nil {
		return false
	}
	host = strings.ToLower(host)
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = ascii(strings.TrimSuffix(host, "."))
	for _, d := range t.domains {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}

// ErrNotALink is returned by Tag for text that is not an http(s) link.
var ErrNotALink = errors.New("not an http or https link")

// Tag returns the link with the tags added, and whether it changed: a link
// to another site comes back unchanged, and so does one that has every
// parameter already. The rest of the link (its other parameters, their
// order and escaping, the fragment) is kept exactly as written.
func (t *Tagger) Tag(link string, tags Tags) (string, bool, error) {
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return link, false, ErrNotALink
	}
	if !t.Owns(u.Hostname()) {
		return link, false, nil
	}
	// Work on the text: url.URL.String would re-escape what the user wrote.
	base, frag, hasFrag := strings.Cut(link, "#")
	path, query, hasQuery := strings.Cut(base, "?")
	have := map[string]bool{}
	for _, kv := range strings.Split(query, "&") {
		k, _, _ := strings.Cut(kv, "=")
		if k, err := url.QueryUnescape(k); err == nil {
			have[strings.ToLower(k)] = true
		}
	}
	var add []string
	for _, p := range tags.params() {
		if p[1] == "" || have[p[0]] {
			continue
		}
		add = append(add, p[0]+"="+url.QueryEscape(p[1]))
	}
	if len(add) == 0 {
		return link, false, nil
	}
	var b strings.Builder
	b.WriteString(path)
	b.WriteByte('?')
	if hasQuery && query != "" {
		b.WriteString(query)
		if !strings.HasSuffix(query, "&") {
			b.WriteByte('&')
		}
	}
	b.WriteString(strings.Join(add, "&"))
	if hasFrag {
		b.WriteByte('#')
		b.WriteString(frag)
	}
	return b.String(), true, nil
}

// Link is a link found in a post's text.
type Link struct {
	Original string // as written
	Final    string // as it goes out (Original where nothing was added)
	Tagged   bool
	// Start and End are byte offsets of Final in the text TagText returns
	// (start inclusive, end exclusive): where a network's link facet goes.
	Start, End int
}

// TagText tags every link to the business's domains in a post's text and
// returns the text as it goes out with each link found in it. A link is
// what Mastodon and Bluesky make one of: http:// or https:// up to a
// space, without the punctuation that ends a sentence after it (and a
// closing bracket that has no opening one in the link).
func (t *Tagger) TagText(text string, tags Tags) (string, []Link) {
	return t.TagTextKeeping(text, tags, nil)
}

// TagTextKeeping is TagText for a copy that may have been tried before: a
// link in earlier (as written → as it went out) goes out as it did then,
// whatever the tags or the domains say now, so a retry sends the very text
// of the first attempt. A link not in earlier is tagged as TagText does.
func (t *Tagger) TagTextKeeping(text string, tags Tags, earlier map[string]string) (string, []Link) {
	var b strings.Builder
	var links []Link
	rest := text
	for {
		i := indexLink(rest)
		if i < 0 {
			b.WriteString(rest)
			break
		}
		b.WriteString(rest[:i])
		n := linkLen(rest[i:])
		orig := rest[i : i+n]
		final, changed, err := t.Tag(orig, tags)
		if err != nil {
			final, changed = orig, false
		}
		if was, ok := earlier[orig]; ok {
			final, changed = was, was != orig
		}
		start := b.Len()
		b.WriteString(final)
		links = append(links, Link{Original: orig, Final: final, Tagged: changed, Start: start, End: b.Len()})
		rest = rest[i+n:]
	}
	return b.String(), links
}

// indexLink finds the next "http://" or "https://" that starts a word.
func indexLink(s string) int {
	off := 0
	for {
		i := strings.Index(strings.ToLower(s[off:]), "http")
		if i < 0 {
			return -1
		}
		i += off
		low := strings.ToLower(s[i:min(len(s), i+8)])
		if strings.HasPrefix(low, "https://") || strings.HasPrefix(low, "http://") {
			if i == 0 {
				return i
			}
			r, _ := utf8.DecodeLastRuneInString(s[:i])
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '/' && r != '@' {
				return i
			}
		}
		off = i + 4
	}
}

// linkLen is the length of the link at the start of s.
func linkLen(s string) int {
	end := len(s)
	for i, r := range s {
		if unicode.IsSpace(r) || r == '<' || r == '>' || r == '"' || r == '`' {
			end = i
			break
		}
	}
	link := s[:end]
	for {
		trimmed := strings.TrimRight(link, ".,;:!?'*")
		if strings.HasSuffix(trimmed, ")") && strings.Count(trimmed, "(") < strings.Count(trimmed, ")") {
			trimmed = trimmed[:len(trimmed)-1]
		}
		if strings.HasSuffix(trimmed, "]") && strings.Count(trimmed, "[") < strings.Count(trimmed, "]") {
			trimmed = trimmed[:len(trimmed)-1]
		}
		if trimmed == link {
			break
		}
		link = trimmed
	}
	return len(link)
}
