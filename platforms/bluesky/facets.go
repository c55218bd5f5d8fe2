package bluesky

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/crier-app/crier/platforms"
)

// FacetKind is what a stretch of post text is.
type FacetKind string

const (
	FacetLink    FacetKind = "link"
	FacetMention FacetKind = "mention"
	FacetTag     FacetKind = "tag"
)

// MaxTagGraphemes is the longest hashtag made into a tag facet
// (app.bsky.richtext.facet#tag, tag.maxGraphemes).
const MaxTagGraphemes = 64

// Facet is a link, mention or hashtag found in post text. Start and End are
// UTF-8 byte offsets, start inclusive and end exclusive, as the lexicon
// counts them; text[Start:End] is the whole match ("@alice.test",
// "#crier", the URL).
type Facet struct {
	Start, End int
	Kind       FacetKind
	// Value is the link's URI, the mentioned handle (without "@") or the
	// tag (without "#").
	Value string
}

// DetectFacets finds the links (http and https), mentions (@handle.tld) and
// hashtags in text, in order. Mentions are not resolved here: see
// Client.Publish. Text must be valid UTF-8 for the offsets to mean what the
// server will see (Publish makes it so).
func DetectFacets(text string) []Facet {
	var out []Facet
	prev := ' ' // the start of text counts as whitespace
	for i := 0; i < len(text); {
		atStart := unicode.IsSpace(prev) || prev == '('
		if atStart {
			if f, ok := detectLink(text, i); ok {
				out = append(out, f)
				i, prev = f.End, lastRune(text[:f.End])
				continue
			}
			if f, ok := detectMention(text, i); ok {
				out = append(out, f)
				i, prev = f.End, lastRune(text[:f.End])
				continue
			}
		}
		if unicode.IsSpace(prev) {
			if f, ok := detectTag(text, i); ok {
				out = append(out, f)
				i, prev = f.End, lastRune(text[:f.End])
				continue
			}
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		prev = r
		i += size
	}
	return out
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// tokenEnd returns where the run of non-space text starting at i ends.
func tokenEnd(text string, i int) int {
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if unicode.IsSpace(r) {
			break
		}
		i += size
	}
	return i
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// detectLink matches an http(s) URL at i, without the punctuation that
// usually ends the sentence around it.
func detectLink(text string, i int) (Facet, bool) {
	rest := text[i:]
	if !hasPrefixFold(rest, "https://") && !hasPrefixFold(rest, "http://") {
		return Facet{}, false
	}
	end := tokenEnd(text, i)
	// A closing bracket ends the URL only when the URL has no opening one
	// to match it, as in "(see https://example.com/x)".
	opens := strings.Count(text[i:end], "(") - strings.Count(text[i:end], ")")
	squares := strings.Count(text[i:end], "[") - strings.Count(text[i:end], "]")
trim:
	for end > i {
		switch c := text[end-1]; {
		case strings.IndexByte(".,;:!?\"'", c) >= 0:
		case c == ')' && opens < 0:
			opens++
		case c == ']' && squares < 0:
			squares++
		default:
			break trim
		}
		end--
	}
	uri := text[i:end]
	u, err := url.Parse(uri)
	if err != nil || u.Host == "" || u.Hostname() == "" {
		return Facet{}, false
	}
	return Facet{Start: i, End: end, Kind: FacetLink, Value: uri}, true
}

func isHandleByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-'
}

// detectMention matches "@handle.tld" at i.
func detectMention(text string, i int) (Facet, bool) {
	if text[i] != '@' {
		return Facet{}, false
	}
	end := i + 1
	for end < len(text) && isHandleByte(text[end]) {
		end++
	}
	// A trailing dot or hyphen belongs to the sentence, not the handle.
	for end > i+1 && (text[end-1] == '.' || text[end-1] == '-') {
		end--
	}
	// The handle must end at a word boundary ("@a.test_x" is not a mention).
	if end < len(text) {
		r, _ := utf8.DecodeRuneInString(text[end:])
		if r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || r == '@' {
			return Facet{}, false
		}
	}
	handle := text[i+1 : end]
	if !validHandle(handle) {
		return Facet{}, false
	}
	return Facet{Start: i, End: end, Kind: FacetMention, Value: handle}, true
}

// validHandle checks handle syntax: at least two labels of letters, digits
// and inner hyphens, each at most 63 long, the last not starting with a
// digit, 253 characters in all.
func validHandle(h string) bool {
	if len(h) > 253 {
		return false
	}
	labels := strings.Split(h, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for j := 0; j < len(l); j++ {
			if !isHandleByte(l[j]) || l[j] == '.' {
				return false
			}
		}
	}
	tld := labels[len(labels)-1]
	return !(tld[0] >= '0' && tld[0] <= '9')
}

// isTagBreak reports the invisible characters that end a hashtag.
func isTagBreak(r rune) bool {
	switch r {
	case 0x00ad, 0x2060, 0x200a, 0x200b, 0x200c, 0x200d, 0x20e2:
		return true
	}
	return unicode.IsSpace(r)
}

// detectTag matches "#tag" (or the full-width "＃tag") at i: not only
// digits, without trailing punctuation, at most MaxTagGraphemes long.
func detectTag(text string, i int) (Facet, bool) {
	r, size := utf8.DecodeRuneInString(text[i:])
	if r != '#' && r != '＃' {
		return Facet{}, false
	}
	start := i + size
	if next, _ := utf8.DecodeRuneInString(text[start:]); next == 0xfe0f { // the #️⃣ keycap emoji
		return Facet{}, false
	}
	end := start
	for end < len(text) {
		r, size := utf8.DecodeRuneInString(text[end:])
		if isTagBreak(r) || r == utf8.RuneError && size == 1 {
			break
		}
		end += size
	}
	for end > start {
		r, size := utf8.DecodeLastRuneInString(text[start:end])
		if !unicode.IsPunct(r) {
			break
		}
		end -= size
	}
	tag := text[start:end]
	if tag == "" || platforms.Graphemes(tag) > MaxTagGraphemes || len(tag) > 640 {
		return Facet{}, false
	}
	word := false
	for _, r := range tag {
		if !unicode.IsDigit(r) && !unicode.IsPunct(r) {
			word = true
			break
		}
	}
	if !word {
		return Facet{}, false
	}
	return Facet{Start: i, End: end, Kind: FacetTag, Value: tag}, true
}

// facetJSON is app.bsky.richtext.facet.
type facetJSON struct {
	Index    byteSlice      `json:"index"`
	Features []facetFeature `json:"features"`
}

type byteSlice struct {
	ByteStart int `json:"byteStart"`
	ByteEnd   int `json:"byteEnd"`
}

type facetFeature struct {
	Type string `json:"$type"`
	DID  string `json:"did,omitempty"`
	URI  string `json:"uri,omitempty"`
	Tag  string `json:"tag,omitempty"`
}

// richFacets makes the record's facets of those found in a post (Display's)
// and resolves its mentions to DIDs. A handle that does not resolve stays
// plain text; a failure to ask is an error, since the post must not be
// frozen without a mention it should have.
func (c *Client) richFacets(ctx context.Context, facets []Facet) ([]facetJSON, error) {
	var out []facetJSON
	dids := map[string]string{}
	for _, f := range facets {
		fj := facetJSON{Index: byteSlice{f.Start, f.End}}
		switch f.Kind {
		case FacetLink:
			fj.Features = []facetFeature{{Type: "app.bsky.richtext.facet#link", URI: f.Value}}
		case FacetTag:
			fj.Features = []facetFeature{{Type: "app.bsky.richtext.facet#tag", Tag: f.Value}}
		case FacetMention:
			handle := strings.ToLower(f.Value)
			did, seen := dids[handle]
			if !seen {
				var err error
				did, err = c.resolveHandle(ctx, handle)
				if err != nil {
					return nil, err
				}
				dids[handle] = did
			}
			if did == "" {
				continue
			}
			fj.Features = []facetFeature{{Type: "app.bsky.richtext.facet#mention", DID: did}}
		}
		out = append(out, fj)
	}
	return out, nil
}

// resolveHandle returns the DID of handle, or "" when no account has it.
func (c *Client) resolveHandle(ctx context.Context, handle string) (string, error) {
	var out struct {
		DID string `json:"did"`
	}
	err := c.call(ctx, xrpcCall{
		nsid:  "com.atproto.identity.resolveHandle",
		query: url.Values{"handle": {handle}},
		auth:  authAccess,
		out:   &out,
	})
	var pe *platforms.Error
	if errors.As(err, &pe) && pe.Class == platforms.Permanent && !pe.Reauth {
		return "", nil // 400: unable to resolve handle
	}
	if err != nil {
		return "", err
	}
	if !strings.HasPrefix(out.DID, "did:") {
		return "", nil
	}
	return out.DID, nil
}
