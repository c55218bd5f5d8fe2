package feeds

import (
	"errors"
	"net/url"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestParseRSS(t *testing.T) {
	data, err := os.ReadFile("testdata/bakery-blog.rss")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(data, mustURL(t, "https://ryeandshine.example/blog/feed.xml"))
	if err != nil {
		t.Fatal(err)
	}
	want := Parsed{Title: "Rye & Shine — the blog", Format: "rss", Entries: []Entry{
		{ID: "post-103", Title: "Why our rye takes three days", Link: "https://ryeandshine.example/blog/rye-three-days",
			Image: "https://ryeandshine.example/img/rye.jpg", Published: time.Date(2026, 11, 20, 7, 0, 0, 0, time.UTC)},
		{ID: "https://ryeandshine.example/blog/stollen", Title: "Christmas stollen pre-orders are open",
			Link: "https://ryeandshine.example/blog/stollen", Image: "https://ryeandshine.example/img/stollen.png",
			ImageAlt: "Three stollen dusted with sugar", Published: time.Date(2026, 11, 23, 6, 30, 0, 0, time.UTC)},
		{ID: "https://ryeandshine.example/blog/gerald", Title: "Meet Gerald, our starter", Link: "https://ryeandshine.example/blog/gerald",
			Image: "https://ryeandshine.example/img/gerald.webp", Published: time.Date(2026, 11, 3, 9, 0, 0, 0, time.UTC)},
	}}
	for i := range p.Entries {
		p.Entries[i].Published = p.Entries[i].Published.UTC()
	}
	if !reflect.DeepEqual(p, want) {
		t.Errorf("got  %+v\nwant %+v", p, want)
	}
}

func TestParseAtom(t *testing.T) {
	data, err := os.ReadFile("testdata/mill-news.atom")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(data, mustURL(t, "https://muehle.example/feed.atom"))
	if err != nil {
		t.Fatal(err)
	}
	if p.Title != "Kleine Mühle news" || p.Format != "atom" || len(p.Entries) != 2 {
		t.Fatalf("parsed %+v", p)
	}
	e := p.Entries[0]
	if e.ID != "tag:muehle.example,2026:news-17" || e.Title != "New harvest: heritage rye" ||
		e.Link != "https://muehle.example/news/heritage-rye" || e.Image != "https://muehle.example/img/rye-field.png" ||
		!e.Published.Equal(time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("first entry %+v", e)
	}
	e = p.Entries[1]
	if e.Title != "Mill closed on 1 December" || e.Link != "https://muehle.example/news/closed" ||
		e.Image != "https://muehle.example/img/closed.jpg" || e.ImageAlt != "The mill's door" ||
		!e.Published.Equal(time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("second entry %+v", e)
	}
}

func TestParseRefusesWhatIsNotAFeed(t *testing.T) {
	for name, c := range map[string]struct {
		doc, want string
		notFeed   bool
	}{
		"html":            {`<!DOCTYPE html><html><body>Not found</body></html>`, "<html>", true},
		"truncated":       {`<?xml version="1.0"?><rss version="2.0"><channel><title>Cut`, "malformed XML", false},
		"unclosed item":   {`<rss><channel><item><title>a</title></channel></rss>`, "malformed XML", false},
		"empty":           {``, "empty", true},
		"other xml":       {`<?xml version="1.0"?><sitemap/>`, "<sitemap>", true},
		"feed without ns": {`<feed><entry/></feed>`, "Atom namespace", true},
		"unknown charset": {`<?xml version="1.0" encoding="shift_jis"?><rss/>`, "shift_jis", false},
		"control chars":   {"<rss><channel><title>\x01</title></channel></rss>", "malformed XML", false},
	} {
		_, err := Parse([]byte(c.doc), nil)
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %q does not say %q", name, err, c.want)
		}
		if errors.Is(err, ErrNotAFeed) != c.notFeed {
			t.Errorf("%s: ErrNotAFeed is %v", name, !c.notFeed)
		}
	}
}

func TestParseLatin1AndOddTitles(t *testing.T) {
	doc := append([]byte(`<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>M`),
		0xfc) // ü in Latin-1
	doc = append(doc, []byte("hle</title></channel></rss>")...)
	p, err := Parse(doc, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.Title != "Mühle" {
		t.Errorf("title %q", p.Title)
	}
	p, err = Parse([]byte("<rss><channel><item><title>Line\u2028break and\ttab</title><link>javascript:alert(1)</link></item></channel></rss>"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Entries) != 1 || p.Entries[0].Title != "Line break and tab" || p.Entries[0].Link != "" {
		t.Errorf("entries %+v (a javascript: link must not be kept)", p.Entries)
	}
	if p.Entries[0].ID == "" {
		t.Error("an entry without guid or link has no id")
	}
}

// TestParseDateZoneLetters: the zones RFC 822 names by letters are read
// with their own offsets, wherever crier runs (Go reads unknown letters as
// UTC), so entries sort and show at the time they were written.
func TestParseDateZoneLetters(t *testing.T) {
	for in, want := range map[string]string{
		"Tue, 08 Dec 2026 09:00:00 EST":   "2026-12-08T14:00:00Z",
		"Tue, 08 Dec 2026 09:00:00 PDT":   "2026-12-08T16:00:00Z",
		"Tue, 8 Dec 2026 09:00:00 CST":    "2026-12-08T15:00:00Z",
		"Tue, 08 Dec 2026 09:00:00 GMT":   "2026-12-08T09:00:00Z",
		"Tue, 08 Dec 2026 09:00:00 UTC":   "2026-12-08T09:00:00Z",
		"08 Dec 26 09:00 MST":             "2026-12-08T16:00:00Z",
		"Tue, 08 Dec 2026 09:00:00 -0500": "2026-12-08T14:00:00Z",
	} {
		if got := parseDate(in).UTC().Format(time.RFC3339); got != want {
			t.Errorf("%q: %s, want %s", in, got, want)
		}
	}
}
