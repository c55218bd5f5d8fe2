package bluesky

import (
	"strings"
	"unicode/utf16"
)

// How the Bluesky app writes a link into a post (bluesky-social/social-app,
// toShortUrl and shortenLinks): the post's text shows the link's host and
// the start of its path, and a link facet over that shorter text carries
// the whole URL. The 300 graphemes count the text as shown, so a long link
// (a campaign's tagged one) costs little of them.
const (
	// shortPathMax is the longest path (with query and fragment), in
	// UTF-16 units as the app measures it, that is shown whole.
	shortPathMax = 15
	// shortPathKeep is how much of a longer path is shown, before
	// shortEllipsis.
	shortPathKeep = 13
	// shortEllipsis ends a shortened path: one character, U+2026, so the
	// cut costs one grapheme (the app writes three full stops; crier's
	// posts show the one character).
	shortEllipsis = "…"
)

// ShortLink is how the Bluesky app shows an http(s) link in a post: the
// host in lower case (without a default port or user info), then the path,
// query and fragment as written, cut after 13 characters with "…" when
// they are longer than 15. A path of just "/" is not shown. Characters
// outside ASCII in the path are shown percent-encoded, as a browser's URL
// parser gives them. Anything that is not an http(s) link comes back as it
// is.
func ShortLink(uri string) string {
	lower := strings.ToLower(uri)
	var rest string
	switch {
	case strings.HasPrefix(lower, "https://"):
		rest = uri[len("https://"):]
	case strings.HasPrefix(lower, "http://"):
		rest = uri[len("http://"):]
	default:
		return uri
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	host, tail := rest[:end], rest[end:]
	if i := strings.LastIndexByte(host, '@'); i >= 0 {
		host = host[i+1:]
	}
	host = strings.ToLower(host)
	if strings.HasPrefix(lower, "https://") {
		host = strings.TrimSuffix(host, ":443")
	} else {
		host = strings.TrimSuffix(host, ":80")
	}
	if host == "" {
		return uri
	}
	path, query, fragment := tail, "", ""
	if i := strings.IndexByte(path, '#'); i >= 0 {
		path, fragment = path[:i], path[i:]
	}
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path, query = path[:i], path[i:]
	}
	if path == "/" {
		path = ""
	}
	if query == "?" {
		query = ""
	}
	if fragment == "#" {
		fragment = ""
	}
	shown := percentEncodeNonASCII(path + query + fragment)
	units := utf16.Encode([]rune(shown))
	if len(units) > shortPathMax {
		shown = string(utf16.Decode(units[:shortPathKeep])) + shortEllipsis
	}
	return host + shown
}

// percentEncodeNonASCII writes each byte outside ASCII as %XX.
func percentEncodeNonASCII(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x80 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// Display is text as a post shows it: each link (as DetectFacets finds
// them) shortened with ShortLink, and the facets found in text moved to
// where they are in the shown text. A link facet covers the shortened link
// and keeps the whole URL as its Value, which is what the post's link
// facet carries. Text without links comes back as it is.
func Display(text string) (string, []Facet) {
	facets := DetectFacets(text)
	var b strings.Builder
	last, shift := 0, 0
	for i := range facets {
		f := &facets[i]
		if f.Kind != FacetLink {
			f.Start, f.End = f.Start+shift, f.End+shift
			continue
		}
		short := ShortLink(f.Value)
		if b.Cap() == 0 {
			b.Grow(len(text))
		}
		b.WriteString(text[last:f.Start])
		b.WriteString(short)
		last = f.End
		start := f.Start + shift
		shift += len(short) - (f.End - f.Start)
		f.Start, f.End = start, start+len(short)
	}
	if b.Cap() == 0 {
		return text, facets
	}
	b.WriteString(text[last:])
	return b.String(), facets
}

// PostLength counts a post's text as Bluesky does against MaxGraphemes and
// MaxBytes: the text as shown, its links shortened (Display). A direct
// message is sent as written and counted with Length.
func PostLength(text string) (graphemes, bytes int) {
	shown, _ := Display(text)
	return Length(shown)
}
