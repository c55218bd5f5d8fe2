// Package feeds turns RSS 2.0 and Atom feeds (the shop's blog, a
// supplier's news) into drafts: it fetches each feed named in the config
// with limits (size, time, redirects), reads it with encoding/xml, and
// saves each entry it has not seen as a draft with the entry's title, link
// and image. Nothing of a feed goes out unless the feed is set to fill the
// queue. A feed that fails (malformed, missing, too large, too slow) is
// recorded on the feed; the others go on.
package feeds

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/encoding/charmap"
)

// Parsed is a feed as read.
type Parsed struct {
	Title   string
	Format  string // "rss" or "atom"
	Entries []Entry
}

// Entry is one item (RSS) or entry (Atom).
type Entry struct {
	ID        string // guid / id; the link when the feed gives none
	Title     string
	Link      string
	Image     string // an absolute URL, "" when the entry has none
	ImageAlt  string // the image's description where the feed gives one (<img alt>)
	Published time.Time
}

// ErrNotAFeed is wrapped by Parse's errors for a document that is XML but
// neither RSS nor Atom.
var ErrNotAFeed = errors.New("is not an RSS or Atom feed")

type rssDoc struct {
	XMLName xml.Name `xml:"rss"`
	Channel struct {
		Title string    `xml:"title"`
		Items []rssItem `xml:"item"`
	} `xml:"channel"`
}

type rssItem struct {
	Title       string     `xml:"title"`
	Links       []xmlText  `xml:"link"`
	GUID        string     `xml:"guid"`
	PubDate     string     `xml:"pubDate"`
	DCDate      string     `xml:"http://purl.org/dc/elements/1.1/ date"`
	Description string     `xml:"description"`
	Content     string     `xml:"http://purl.org/rss/1.0/modules/content/ encoded"`
	Enclosures  []mediaRef `xml:"enclosure"`
	mediaRSS
	Groups []mediaRSS `xml:"http://search.yahoo.com/mrss/ group"`
}

// mediaRSS are the Media RSS images of an RSS item, an Atom entry or a
// media:group.
type mediaRSS struct {
	Media      []mediaRef `xml:"http://search.yahoo.com/mrss/ content"`
	Thumbnails []mediaRef `xml:"http://search.yahoo.com/mrss/ thumbnail"`
}

// refs are the media and then the thumbnails.
func (m mediaRSS) refs() []mediaRef {
	return append(slices.Clip(m.Media), m.Thumbnails...)
}

// xmlText is an element's text, whatever its namespace: RSS's <link> and
// Atom's <atom:link href> (inside an RSS channel) share the local name.
type xmlText struct {
	XMLName xml.Name
	Href    string `xml:"href,attr"`
	Text    string `xml:",chardata"`
}

type mediaRef struct {
	URL    string `xml:"url,attr"`
	Type   string `xml:"type,attr"`
	Medium string `xml:"medium,attr"`
}

type atomDoc struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   atomText    `xml:"title"`
	Entries []atomEntry `xml:"entry"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
	// Inner XHTML (type="xhtml") is read as text too.
	Inner string `xml:",innerxml"`
}

type atomEntry struct {
	ID        string     `xml:"id"`
	Title     atomText   `xml:"title"`
	Links     []atomLink `xml:"link"`
	Published string     `xml:"published"`
	Updated   string     `xml:"updated"`
	Summary   atomText   `xml:"summary"`
	Content   atomText   `xml:"content"`
	mediaRSS
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Href string `xml:"href,attr"`
	Type string `xml:"type,attr"`
}

// Parse reads an RSS 2.0 or Atom 1.0 document. base resolves relative
// links and image URLs (the feed's own URL; nil leaves them as written).
// Entries without a title or a link are kept if they have either; an entry
// with neither is skipped.
func Parse(data []byte, base *url.URL) (Parsed, error) {
	root, err := rootElement(data)
	if err != nil {
		return Parsed{}, err
	}
	switch {
	case root.Local == "rss":
		return parseRSS(data, base)
	case root.Local == "feed" && root.Space == "http://www.w3.org/2005/Atom":
		return parseAtom(data, base)
	case root.Local == "feed":
		return Parsed{}, fmt.Errorf("%w: a <feed> outside the Atom namespace (xmlns=\"http://www.w3.org/2005/Atom\")", ErrNotAFeed)
	}
	return Parsed{}, fmt.Errorf("%w: its root element is <%s>", ErrNotAFeed, root.Local)
}

func newDecoder(data []byte) *xml.Decoder {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	// Feeds declare encodings other than UTF-8 now and then: the
	// single-byte ones of Western Europe are read, others refused by name.
	d.CharsetReader = func(charset string, input io.Reader) (io.Reader, error) {
		switch strings.ToLower(charset) {
		case "us-ascii", "ascii":
			return input, nil
		case "iso-8859-1", "latin1", "latin-1", "iso_8859-1":
			return charmap.ISO8859_1.NewDecoder().Reader(input), nil
		case "iso-8859-15", "latin-9":
			return charmap.ISO8859_15.NewDecoder().Reader(input), nil
		case "windows-1252", "cp1252":
			return charmap.Windows1252.NewDecoder().Reader(input), nil
		}
		return nil, fmt.Errorf("the feed is in %s, which crier does not read (UTF-8, ISO-8859-1 or -15, Windows-1252)", charset)
	}
	return d
}

// rootElement returns the document's first element, or says why the
// document is not XML, with the line.
func rootElement(data []byte) (xml.Name, error) {
	d := newDecoder(data)
	for {
		tok, err := d.Token()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return xml.Name{}, fmt.Errorf("%w: the document is empty", ErrNotAFeed)
			}
			return xml.Name{}, fmt.Errorf("malformed XML: %w", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name, nil
		}
	}
}

func decodeAll(data []byte, v any) error {
	if err := newDecoder(data).Decode(v); err != nil {
		return fmt.Errorf("malformed XML: %w", err)
	}
	return nil
}

func parseRSS(data []byte, base *url.URL) (Parsed, error) {
	var doc rssDoc
	if err := decodeAll(data, &doc); err != nil {
		return Parsed{}, err
	}
	p := Parsed{Title: cleanText(doc.Channel.Title), Format: "rss"}
	for _, it := range doc.Channel.Items {
		e := Entry{Title: cleanText(stripTags(it.Title))}
		for _, l := range it.Links {
			if l.XMLName.Space == "" && strings.TrimSpace(l.Text) != "" {
				e.Link = resolve(base, strings.TrimSpace(l.Text))
				break
			}
		}
		e.ID = strings.TrimSpace(it.GUID)
		e.Published = parseDate(it.PubDate)
		if e.Published.IsZero() {
			e.Published = parseDate(it.DCDate)
		}
		refs := it.refs()
		for _, g := range it.Groups {
			refs = append(refs, g.refs()...)
		}
		refs = append(refs, it.Enclosures...)
		e.Image, e.ImageAlt = firstImage(base, refs, it.Content+it.Description)
		if keep(&e) {
			p.Entries = append(p.Entries, e)
		}
	}
	return p, nil
}

func parseAtom(data []byte, base *url.URL) (Parsed, error) {
	var doc atomDoc
	if err := decodeAll(data, &doc); err != nil {
		return Parsed{}, err
	}
	p := Parsed{Title: atomString(doc.Title), Format: "atom"}
	for _, it := range doc.Entries {
		e := Entry{ID: strings.TrimSpace(it.ID), Title: atomString(it.Title)}
		var refs []mediaRef
		for _, l := range it.Links {
			switch l.Rel {
			case "", "alternate":
				if e.Link == "" {
					e.Link = resolve(base, strings.TrimSpace(l.Href))
				}
			case "enclosure":
				refs = append(refs, mediaRef{URL: l.Href, Type: l.Type})
			}
		}
		e.Published = parseDate(it.Published)
		if e.Published.IsZero() {
			e.Published = parseDate(it.Updated)
		}
		refs = append(it.refs(), refs...)
		e.Image, e.ImageAlt = firstImage(base, refs, html.UnescapeString(it.Content.Inner+it.Summary.Inner))
		if keep(&e) {
			p.Entries = append(p.Entries, e)
		}
	}
	return p, nil
}

// keep fills an entry's id from its link when the feed gave none, and says
// whether the entry has anything to post.
func keep(e *Entry) bool {
	if e.Title == "" && e.Link == "" {
		return false
	}
	if e.ID == "" {
		e.ID = e.Link
	}
	if e.ID == "" {
		e.ID = "title:" + e.Title + "@" + e.Published.UTC().Format(time.RFC3339)
	}
	return true
}

func atomString(t atomText) string {
	s := t.Text
	if t.Type == "xhtml" || t.Type == "html" {
		if t.Type == "xhtml" {
			s = t.Inner
		}
		s = stripTags(s)
	}
	return cleanText(s)
}

var (
	tagRE = regexp.MustCompile(`<[^>]*>`)
	imgRE = regexp.MustCompile(`(?i)<img\s[^>]*>`)
	srcRE = regexp.MustCompile(`(?i)\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)')`)
	altRE = regexp.MustCompile(`(?i)\salt\s*=\s*(?:"([^"]*)"|'([^']*)')`)
)

// stripTags removes HTML tags and reads entities (titles of type html).
func stripTags(s string) string {
	return html.UnescapeString(tagRE.ReplaceAllString(s, ""))
}

// cleanText keeps a title fit for a post: no control characters (a feed is
// a stranger's text), one space between words.
func cleanText(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// firstImage picks the entry's image: a media or enclosure of an image
// type, else the first <img> of its HTML (with its alt text).
func firstImage(base *url.URL, refs []mediaRef, htmlText string) (src, alt string) {
	for _, r := range refs {
		if r.URL == "" {
			continue
		}
		if strings.HasPrefix(r.Type, "image/") || r.Medium == "image" || r.Type == "" && r.Medium == "" && looksLikeImage(r.URL) {
			return resolve(base, r.URL), ""
		}
	}
	for _, tag := range imgRE.FindAllString(htmlText, 5) {
		if m := srcRE.FindStringSubmatch(tag); m != nil {
			if src := resolve(base, html.UnescapeString(m[1]+m[2])); src != "" {
				if a := altRE.FindStringSubmatch(tag); a != nil {
					alt = cleanText(html.UnescapeString(a[1] + a[2]))
				}
				return src, alt
			}
		}
	}
	return "", ""
}

func looksLikeImage(u string) bool {
	p := strings.ToLower(u)
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	for _, ext := range []string{".jpg", ".jpeg", ".png", ".gif", ".webp"} {
		if strings.HasSuffix(p, ext) {
			return true
		}
	}
	return false
}

// resolve makes ref absolute against base; only http(s) URLs are kept.
func resolve(base *url.URL, ref string) string {
	u, err := url.Parse(strings.TrimSpace(ref))
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return ""
	}
	return u.String()
}

var dateLayouts = []string{
	time.RFC1123Z, time.RFC1123, time.RFC3339, time.RFC3339Nano, time.RFC822Z, time.RFC822,
	"Mon, 2 Jan 2006 15:04:05 -0700", "Mon, 2 Jan 2006 15:04:05 MST", "2 Jan 2006 15:04:05 -0700",
	"Mon, 02 Jan 2006 15:04 -0700", "2006-01-02T15:04:05", "2006-01-02",
}

// parseDate reads the dates feeds write (RFC 822 in RSS, RFC 3339 in Atom,
// and their usual variants); zero when none fits.
func parseDate(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return rfc822Zone(t)
		}
	}
	return time.Time{}
}

// rfc822Offsets are the zones RFC 822 names by letters (hours from UTC).
// Go reads a zone's letters with the offset they have where crier runs, and
// any other as UTC: "09:00 EST" would be 09:00 UTC, five hours early.
var rfc822Offsets = map[string]int{"EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7}

func rfc822Zone(t time.Time) time.Time {
	name, off := t.Zone()
	h, ok := rfc822Offsets[name]
	if !ok || off == h*3600 {
		return t
	}
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.FixedZone(name, h*3600))
}
