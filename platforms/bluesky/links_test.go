package bluesky

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/crier-app/crier/platforms"
)

// The cases follow the Bluesky app's toShortUrl: host, then the path with
// query and fragment, cut to 13 characters and "…" (one character) past 15.
func TestShortLink(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://example.com", "example.com"},
		{"https://example.com/", "example.com"},
		{"https://example.com/a", "example.com/a"},
		{"https://Example.COM:443/path/to/something/long", "example.com/path/to/some…"},
		{"http://example.com:80/x", "example.com/x"},
		{"http://example.com:8080/x", "example.com:8080/x"},
		{"https://user:pw@example.com/x", "example.com/x"},
		{"https://example.com/?q=1", "example.com?q=1"},
		{"https://example.com/#top", "example.com#top"},
		{"https://example.com/abcdefghijklmn", "example.com/abcdefghijklmn"}, // 15: whole
		{"https://example.com/abcdefghijklmno", "example.com/abcdefghijkl…"}, // 16: cut
		{"https://example.com/shop?", "example.com/shop"},                    // an empty query is not shown
		{"https://example.com/café", "example.com/caf%C3%A9"},                // as a browser encodes it
		{"https://example.com/éééééééé", "example.com/%C3%A9%C3%A9…"},        // cut in the encoded form
		{"HTTPS://EXAMPLE.com/Shop", "example.com/Shop"},
		{"https://ryeandshine.bakery/spring?utm_source=bluesky&utm_medium=social", "ryeandshine.bakery/spring?utm_s…"},
		{"ftp://example.com/file", "ftp://example.com/file"},
		{"example.com/x", "example.com/x"},
	}
	for _, tt := range tests {
		if got := ShortLink(tt.in); got != tt.want {
			t.Errorf("ShortLink(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDisplayMovesFacets(t *testing.T) {
	long := "https://ryeandshine.bakery/workshops/sourdough?utm_source=bluesky&utm_medium=social&utm_campaign=sourdough-school&utm_content=post-12"
	text := "🍞 Book now: " + long + " with @baker.test #sourdough, or https://x.org/a."
	shown, facets := Display(text)
	want := "🍞 Book now: ryeandshine.bakery/workshops/so… with @baker.test #sourdough, or x.org/a."
	if shown != want {
		t.Fatalf("Display = %q\nwant      %q", shown, want)
	}
	var got []string
	for _, f := range facets {
		got = append(got, string(f.Kind)+" "+shown[f.Start:f.End]+" "+f.Value)
	}
	wantFacets := []string{
		"link ryeandshine.bakery/workshops/so… " + long,
		"mention @baker.test baker.test",
		"tag #sourdough sourdough",
		"link x.org/a https://x.org/a",
	}
	if strings.Join(got, "\n") != strings.Join(wantFacets, "\n") {
		t.Errorf("facets:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantFacets, "\n"))
	}

	// Without links the text and the offsets stay.
	plain := "hi @baker.test #rye"
	if s, f := Display(plain); s != plain || len(f) != 2 || f[0].Start != 3 || f[1].Start != 15 {
		t.Errorf("Display(%q) = %q, %+v", plain, s, f)
	}
}

// A tagged link costs the graphemes of its short form, not of its tags.
func TestPostLengthCountsTheShortForm(t *testing.T) {
	link := "https://ryeandshine.bakery/spring?utm_source=bluesky&utm_medium=social&utm_campaign=spring-sale&utm_content=post-12"
	text := strings.Repeat("a", 260) + " " + link
	g, b := PostLength(text)
	short := ShortLink(link)
	if g != 261+utf8.RuneCountInString(short) || b != 261+len(short) {
		t.Errorf("PostLength = %d graphemes, %d bytes; want %d", g, b, 261+len(short))
	}
	if raw, _ := Length(text); raw <= MaxGraphemes || g > MaxGraphemes {
		t.Errorf("the text is %d graphemes as written and %d shown: want over and under %d", raw, g, MaxGraphemes)
	}
	if got := Spec().Limits.Count(text); got != g {
		t.Errorf("Spec counts %d, want %d", got, g)
	}
	if got := Spec().Limits.ByteCount(text); got != b {
		t.Errorf("Spec counts %d bytes, want %d", got, b)
	}
	if got := Spec().With(platforms.Limits{}).ByteCount(text); got != b {
		t.Errorf("Spec.With counts %d bytes, want %d", got, b)
	}
	if got := (&Client{}).Length(text); got != g {
		t.Errorf("Client.Length = %d, want %d", got, g)
	}
}

func FuzzDisplay(f *testing.F) {
	f.Add("see https://example.com/a/very/long/path?with=query#and-fragment @a.test #tag")
	f.Add("https://é.example/ü")
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			return
		}
		shown, facets := Display(text)
		prev := 0
		for _, fc := range facets {
			if fc.Start < prev || fc.End < fc.Start || fc.End > len(shown) {
				t.Fatalf("facet %+v out of order or outside %q", fc, shown)
			}
			if fc.Kind == FacetLink && shown[fc.Start:fc.End] != ShortLink(fc.Value) {
				t.Fatalf("link facet covers %q, want %q", shown[fc.Start:fc.End], ShortLink(fc.Value))
			}
			prev = fc.End
		}
	})
}
