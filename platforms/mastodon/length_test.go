package mastodon

import (
	"strings"
	"testing"

	"github.com/crier-app/crier/platforms"
)

func TestLengthCountsAsTheServerDoes(t *testing.T) {
	tests := []struct {
		name          string
		text, spoiler string
		want          int
	}{
		{"empty", "", "", 0},
		{"plain", "hello", "", 5},
		{"surrounding whitespace is stripped", "  hello \n", "", 5},
		{"inner newlines count", "a\n\nb", "", 4},
		{"blank text counts nothing", " \n ", "CW", 2},
		{"spoiler counts, stripped", "hello", " Spoilers! ", 14},

		{"long URL counts 23", "Read https://example.com/a/very/long/path/that/goes/on?with=query&and=more", "", 5 + 23},
		{"full stop after a URL is text", "https://example.com.", "", 24},
		{"exclamation after a path is text", "https://example.com/foo!", "", 24},
		{"query ends before punctuation", "https://example.com/?q=1.", "", 24},
		{"balanced parentheses stay in the URL", "(https://en.wikipedia.org/wiki/Primer_(film))", "", 25},
		{"closing parenthesis ends the path", "see (https://example.com/path).", "", 4 + 1 + 23 + 2},
		{"two URLs", "two links https://a.io and http://b.co/x", "", 10 + 23 + 5 + 23},
		{"scheme is case-insensitive", "HTTPS://EXAMPLE.COM/X", "", 23},
		{"port", "https://example.com:8080/x", "", 23},
		{"unicode host and path", "https://münchen.de/straße", "", 23},
		{"other schemes Mastodon links", "gemini://example.org/ dat://example.com", "", 23 + 1 + 23},
		{"ftp is not linked", "ftp://example.com", "", 17},
		{"bare domain is not linked", "example.com/page", "", 16},
		{"scheme glued to a word is not linked", "xhttps://example.com", "", 20},
		{"no TLD is not linked", "https://localhost/", "", 18},
		{"IP address is not linked", "https://192.168.1.1/", "", 20},
		{"t.co keeps only its slug", "https://t.co/abc123/more", "", 23 + 5},
		{"URL path may hold a mention", "https://mastodon.social/@Gargron@example.com", "", 23},

		{"remote mention counts without domain", "Hi @alice@mastodon.social!", "", 3 + 6 + 1},
		{"mention at end of sentence", "thanks @alice@example.com.", "", 7 + 6 + 1},
		{"local mention unchanged", "@bob hi", "", 7},
		{"mention then URL", "@alice@example.com https://x.io", "", 6 + 1 + 23},
		{"email address is not a mention", "email bob@example.com", "", 21},
		{"= or / before @ is not a mention", "a=@user@example.com", "", 19},
		{"double domain is not a mention", "@user@domain@other", "", 18},
		{"accented letter after is not a mention", "@josé@example.com", "", 17},
		{"dotted username", "@first.last@example.com", "", 11},

		{"graphemes, not code points", "क्ष 👨‍👩‍👧‍👦 🇩🇪 e\u0301", "", 7},
		{"spoiler and text join as one string", "\u0301", "e", 1},
	}
	for _, tt := range tests {
		if got := Length(tt.text, tt.spoiler, DefaultURLChars); got != tt.want {
			t.Errorf("%s: Length(%q, %q) = %d, want %d", tt.name, tt.text, tt.spoiler, got, tt.want)
		}
	}
}

func TestLengthURLChars(t *testing.T) {
	const url = "https://example.com/a/long/path"
	for urlChars, want := range map[int]int{23: 23, 40: 40, 1: 1, 0: DefaultURLChars, -5: DefaultURLChars} {
		if got := Length(url, "", urlChars); got != want {
			t.Errorf("Length(url, urlChars=%d) = %d, want %d", urlChars, got, want)
		}
	}
	// The placeholder is counted exactly even where what follows joins its
	// last character: the skin-tone modifier ends the host, so it is not part
	// of the URL, and it attaches to the placeholder as it did to the "m".
	if got, want := Length("https://example.com\U0001F3FD", "", 30), 30; got != want {
		t.Errorf("Length with a modifier after the URL = %d, want %d", got, want)
	}
}

func TestLengthAtTheDefaultLimit(t *testing.T) {
	// A post that is 500 on the server only because its URL counts 23.
	url := "https://example.com/" + strings.Repeat("p", 200)
	text := strings.Repeat("a", DefaultMaxChars-DefaultURLChars-1) + " " + url
	if got := Length(text, "", DefaultURLChars); got != DefaultMaxChars {
		t.Errorf("Length = %d, want %d", got, DefaultMaxChars)
	}
	if got := Length(text+"!", "", DefaultURLChars); got != DefaultMaxChars+1 {
		t.Errorf("Length with one more = %d, want %d", got, DefaultMaxChars+1)
	}
}

func FuzzMastodonLength(f *testing.F) {
	f.Add("Hi @alice@mastodon.social see https://example.com/x?y=1.", "cw", 23)
	f.Add("(https://en.wikipedia.org/wiki/Primer_(film))", "", 0)
	f.Add("@a@b@c https://t.co/abc https://xn--mnchen-3ya.de", " ", -1)
	f.Add("क्ष 👨‍👩‍👧‍👦 \u0301", "e", 999)
	f.Add("https://a.io\xff\u0301", "\x00", 5)
	f.Add("0", "0\xe80", 0) // invalid UTF-8 must count as the U+FFFDs sent
	f.Fuzz(func(t *testing.T, text, spoiler string, urlChars int) {
		urlChars %= 1000
		n := Length(text, spoiler, urlChars)
		if n < 0 {
			t.Fatalf("Length(%q, %q, %d) = %d", text, spoiler, urlChars, n)
		}
		if again := Length(text, spoiler, urlChars); again != n {
			t.Fatalf("Length(%q, %q, %d) gave %d then %d", text, spoiler, urlChars, n, again)
		}
		effective := urlChars
		if effective <= 0 {
			effective = DefaultURLChars
		}
		_, urls := countableText(text)
		bound := platforms.Graphemes(text) + platforms.Graphemes(spoiler) + urls*effective
		if n > bound {
			t.Fatalf("Length(%q, %q, %d) = %d, more than %d graphemes + %d URLs", text, spoiler, urlChars, n, bound, urls)
		}
	})
}
