package platforms

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestSpecWith: a server's values win where it gave them, the network's
// usual ones stand where it did not; the server's counting comes with its
// characters per URL.
func TestSpecWith(t *testing.T) {
	usual := func(s string) int { return 1 }
	theirs := func(s string) int { return 2 }
	s := Spec{Platform: "net", Unit: "chars", Limits: Limits{MaxChars: 500, CharsPerURL: 23, MaxImages: 4, MinImages: 1,
		MaxAltText: 1500, MaxImageBytes: 16 << 20, MaxImagePixels: 100, ImageTypes: "image/png",
		Length: usual, AltTextRequired: true}}

	l := s.With(Limits{})
	if l.MaxChars != 500 || l.CharsPerURL != 23 || l.MaxImages != 4 || l.MinImages != 1 || l.MaxAltText != 1500 || l.MaxImageBytes != 16<<20 ||
		l.MaxImagePixels != 100 || l.ImageTypes != "image/png" || l.Count("x") != 1 || !l.AltTextRequired {
		t.Errorf("a server that said nothing: %+v", l)
	}
	l = s.With(Limits{MaxChars: 5000, CharsPerURL: 0, MaxImages: 6, MaxAltText: 2000, MaxImageBytes: 40 << 20,
		ImageTypes: "image/jpeg", Length: theirs, Approximate: true, SupportsDMs: true, AltTextLength: utf8.RuneCountInString})
	if l.MaxChars != 5000 || l.CharsPerURL != 0 || l.MaxImages != 6 || l.MaxAltText != 2000 || l.MaxImageBytes != 40<<20 ||
		l.MaxImagePixels != 100 || l.ImageTypes != "image/jpeg" || l.Count("x") != 2 || !l.Approximate || !l.SupportsDMs ||
		l.AltLength("👩‍👩‍👧") != 5 || !l.AltTextRequired {
		t.Errorf("a server that said its own: %+v", l)
	}
}

type countingNet struct{ Network }

func (countingNet) Platform() string    { return "net" }
func (countingNet) Length(s string) int { return utf8.RuneCountInString(s) }
func (countingNet) Limits(context.Context) (Limits, error) {
	return Limits{}, nil
}

// TestValidateCountsAsTheLimitsSay: text by Limits.Length (else the
// network's Length), alt text by Limits.AltLength (else graphemes), and
// an image without alt text where the network needs it.
func TestValidateCountsAsTheLimitsSay(t *testing.T) {
	family := "👩‍👩‍👧" // 1 grapheme, 5 code points
	n := countingNet{}
	post := func(text, alt string) Post { return Post{Text: text, Images: []Image{{AltText: alt}}} }
	tests := []struct {
		name string
		l    Limits
		p    Post
		want string // "" when it passes
	}{
		{"network's counting", Limits{MaxChars: 4, MaxImages: 4}, post(family, "a"), "5 characters, the limit is 4"},
		{"the limits' counting", Limits{MaxChars: 4, MaxImages: 4, Length: Graphemes}, post(family, "a"), ""},
		{"alt text in graphemes", Limits{MaxImages: 4, MaxAltText: 2}, post("x", family+family), ""},
		{"alt text in code points", Limits{MaxImages: 4, MaxAltText: 2, AltTextLength: utf8.RuneCountInString}, post("x", family), "alt text is 5 characters, the limit is 2"},
		{"alt text required", Limits{MaxImages: 4, AltTextRequired: true}, post("x", " \n"), "image 1 has no alt text"},
		{"alt text not required", Limits{MaxImages: 4}, post("x", ""), ""},
		{"bytes", Limits{MaxBytes: 10, MaxImages: 4}, post(family, "a"), "18 bytes, the limit is 10"},
		{"a post that must be a picture", Limits{MinImages: 1, MaxImages: 10}, Post{Text: "x"}, "0 images; this network needs at least 1"},
		{"a picture where one must be", Limits{MinImages: 1, MaxImages: 10}, post("x", "a"), ""},
	}
	for _, tt := range tests {
		err := Validate(n, tt.l, tt.p)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v, want it to pass", tt.name, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want) || ClassOf(err) != Permanent):
			t.Errorf("%s: %v, want a permanent %q", tt.name, err, tt.want)
		}
	}
}
