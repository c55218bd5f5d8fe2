package utm

import (
	"reflect"
	"strings"
	"testing"
)

var tags = Tags{Source: "Mastodon", Medium: MediumSocial, Campaign: "spring-sale", Content: "post-12"}

func tagger(t *testing.T) *Tagger {
	t.Helper()
	tg, err := NewTagger([]string{"ryeandshine.bakery", "https://Shop.Example.COM/", "www.other.org"})
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

func TestTag(t *testing.T) {
	tg := tagger(t)
	const all = "utm_source=mastodon&utm_medium=social&utm_campaign=spring-sale&utm_content=post-12"
	for _, c := range []struct{ in, want string }{
		{"https://ryeandshine.bakery/loyalty", "https://ryeandshine.bakery/loyalty?" + all},
		{"https://ryeandshine.bakery", "https://ryeandshine.bakery?" + all},
		{"http://www.ryeandshine.bakery/a?b=1", "http://www.ryeandshine.bakery/a?b=1&" + all},
		{"https://ryeandshine.bakery/a?b=1&", "https://ryeandshine.bakery/a?b=1&" + all},
		{"https://RyeAndShine.Bakery/Brot#mehr", "https://RyeAndShine.Bakery/Brot?" + all + "#mehr"},
		{"https://ryeandshine.bakery:8443/x?q=a%20b", "https://ryeandshine.bakery:8443/x?q=a%20b&" + all},
		{"https://shop.ryeandshine.bakery/cart", "https://shop.ryeandshine.bakery/cart?" + all},
		{"https://shop.example.com/x", "https://shop.example.com/x?" + all},
		{"https://other.org/", "https://other.org/?" + all},
		// A parameter the link has is kept as written; the others are added.
		{"https://ryeandshine.bakery/?utm_source=Newsletter", "https://ryeandshine.bakery/?utm_source=Newsletter&utm_medium=social&utm_campaign=spring-sale&utm_content=post-12"},
		{"https://ryeandshine.bakery/?UTM_CAMPAIGN=x&utm_medium=y", "https://ryeandshine.bakery/?UTM_CAMPAIGN=x&utm_medium=y&utm_source=mastodon&utm_content=post-12"},
		{"https://ryeandshine.bakery/?" + all, "https://ryeandshine.bakery/?" + all},
		// Other sites, and look-alikes, never change.
		{"https://example.com/ryeandshine.bakery", "https://example.com/ryeandshine.bakery"},
		{"https://ryeandshine.bakery.evil.net/", "https://ryeandshine.bakery.evil.net/"},
		{"https://notryeandshine.bakery/", "https://notryeandshine.bakery/"},
		{"https://example.com/", "https://example.com/"},
		{"https://user@evil.net/?x=ryeandshine.bakery", "https://user@evil.net/?x=ryeandshine.bakery"},
	} {
		got, changed, err := tg.Tag(c.in, tags)
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		if got != c.want || changed != (c.in != c.want) {
			t.Errorf("Tag(%s)\n got %s (changed %v)\nwant %s", c.in, got, changed, c.want)
		}
	}
	for _, bad := range []string{"ftp://ryeandshine.bakery/x", "ryeandshine.bakery/x", "mailto:a@ryeandshine.bakery", "https://"} {
		if got, changed, err := tg.Tag(bad, tags); err == nil || changed || got != bad {
			t.Errorf("Tag(%q) = %q %v %v", bad, got, changed, err)
		}
	}
	// Empty tags are not added.
	if got, _, _ := tg.Tag("https://ryeandshine.bakery/", Tags{Source: "bluesky", Medium: "social"}); got != "https://ryeandshine.bakery/?utm_source=bluesky&utm_medium=social" {
		t.Errorf("partial tags: %s", got)
	}
}

// A domain with letters beyond ASCII is the same domain written in
// Unicode or in punycode, in the config and in a post's links alike.
func TestAnInternationalDomainMatchesEitherWay(t *testing.T) {
	tags := Tags{Source: "mastodon", Medium: "social", Campaign: "stollen"}
	for _, configured := range []string{"bäckerei-müller.de", "xn--bckerei-mller-bfb28a.de", "https://Bäckerei-Müller.de/"} {
		tg, err := NewTagger([]string{configured})
		if err != nil {
			t.Fatalf("%q: %v", configured, err)
		}
		for _, link := range []string{"https://bäckerei-müller.de/stollen", "https://xn--bckerei-mller-bfb28a.de/stollen",
			"https://shop.BÄCKEREI-MÜLLER.de/stollen"} {
			got, changed, err := tg.Tag(link, tags)
			if err != nil || !changed || !strings.Contains(got, "utm_campaign=stollen") {
				t.Errorf("domain %q, link %q: %q, %v, %v; want it tagged", configured, link, got, changed, err)
			}
		}
		if got, changed, _ := tg.Tag("https://bäckerei-maier.de/", tags); changed {
			t.Errorf("domain %q tagged another site: %q", configured, got)
		}
	}
	a, _ := NewTagger([]string{"bäckerei-müller.de"})
	b, _ := NewTagger([]string{"xn--bckerei-mller-bfb28a.de"})
	if a.Domains()[0] != b.Domains()[0] {
		t.Errorf("the two spellings read as %q and %q", a.Domains()[0], b.Domains()[0])
	}
}

func TestNewTaggerRejectsWhatIsNotADomain(t *testing.T) {
	for _, d := range []string{"", "localhost", "https:///x", "example.com/path", ".com", "a b.com"} {
		if _, err := NewTagger([]string{d}); err == nil {
			t.Errorf("%q accepted", d)
		}
	}
	tg := tagger(t)
	if want := []string{"ryeandshine.bakery", "shop.example.com", "other.org"}; !reflect.DeepEqual(tg.Domains(), want) {
		t.Errorf("domains %v", tg.Domains())
	}
	var none *Tagger
	if none.Owns("ryeandshine.bakery") {
		t.Error("a nil tagger owns a domain")
	}
}

func TestTagText(t *testing.T) {
	tg := tagger(t)
	text := "Pre-order now (https://ryeandshine.bakery/preorder)! Or see https://example.com/x. " +
		"Café: https://ryeandshine.bakery/cafe?a=1, and xhttps://ryeandshine.bakery/no"
	got, links := tg.TagText(text, tags)
	const q = "utm_source=mastodon&utm_medium=social&utm_campaign=spring-sale&utm_content=post-12"
	want := "Pre-order now (https://ryeandshine.bakery/preorder?" + q + ")! Or see https://example.com/x. " +
		"Café: https://ryeandshine.bakery/cafe?a=1&" + q + ", and xhttps://ryeandshine.bakery/no"
	if got != want {
		t.Fatalf("TagText\n got %s\nwant %s", got, want)
	}
	if len(links) != 3 {
		t.Fatalf("links %+v", links)
	}
	for _, l := range links {
		if got[l.Start:l.End] != l.Final {
			t.Errorf("offsets of %+v point at %q", l, got[l.Start:l.End])
		}
	}
	if links[1].Tagged || links[1].Final != "https://example.com/x" || !links[0].Tagged || links[0].Original != "https://ryeandshine.bakery/preorder" {
		t.Errorf("links %+v", links)
	}
	// A link in brackets that are its own stays whole.
	got, _ = tg.TagText("See https://ryeandshine.bakery/wiki/Rye_(grain) today", tags)
	if got != "See https://ryeandshine.bakery/wiki/Rye_(grain)?"+q+" today" {
		t.Errorf("brackets: %s", got)
	}
	// Text without links comes back as it was.
	if got, links := tg.TagText("no links 🥐", tags); got != "no links 🥐" || links != nil {
		t.Errorf("%q %v", got, links)
	}
}
