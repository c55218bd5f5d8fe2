package mastodon_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/crier-app/crier/platforms/mastodon"
	"github.com/crier-app/crier/platforms/mastodon/mastotest"
)

func TestCountingFor(t *testing.T) {
	for _, tc := range []struct {
		version, source string
		rules           string
		exact           bool
	}{
		{"0.17.3", "https://github.com/superseriousbusiness/gotosocial", mastodon.RulesGoToSocial, true},
		{"3.5.3+0.17.3", "https://github.com/superseriousbusiness/gotosocial", mastodon.RulesGoToSocial, true},
		{"0.19.0", "https://codeberg.org/superseriousbusiness/gotosocial", mastodon.RulesGoToSocial, true},
		{"4.3.2", "https://github.com/mastodon/mastodon", mastodon.RulesMastodon, true},
		{"4.2.0+glitch", "https://github.com/glitch-soc/mastodon", mastodon.RulesMastodon, true},
		{"4.4.0-beta.1", "https://github.com/mastodon/mastodon/", mastodon.RulesMastodon, true},
		{"3.5.3", "", mastodon.RulesMastodon, true}, // v1 instance, before 4.0
		{"2.7.2 (compatible; Pleroma 2.6.0)", "", mastodon.RulesMastodon, false},
		{"2.7.2 (compatible; Akkoma 3.13.0)", "https://akkoma.dev/AkkomaGang/akkoma", mastodon.RulesMastodon, false},
		{"4.0.2+hometown-1.1.1", "https://github.com/hometown-fork/hometown", mastodon.RulesMastodon, false},
		{"", "", mastodon.RulesMastodon, false},
	} {
		k := mastodon.CountingFor(tc.version, tc.source, 23)
		if k.Rules != tc.rules || k.Exact != tc.exact {
			t.Errorf("%q, %q: %+v, want rules %s, exact %v", tc.version, tc.source, k, tc.rules, tc.exact)
		}
	}
}

func TestCountingLength(t *testing.T) {
	text := "Menu: https://shop.example/a/very/long/path/to/the/menu?lang=en 👩‍👩‍👧 @alice@other.example"
	masto := mastodon.Counting{Rules: mastodon.RulesMastodon, URLChars: 23}
	// 6 + 23 + 1 + 1 (one grapheme) + 1 + "@alice" (6)
	if got := masto.Length(text); got != 38 {
		t.Errorf("Mastodon counts %d, want 38", got)
	}
	gts := mastodon.Counting{Rules: mastodon.RulesGoToSocial, URLChars: 25}
	// Every code point as written: the family emoji is five.
	if got, want := gts.Length(text), len([]rune(text)); got != want {
		t.Errorf("GoToSocial counts %d, want %d", got, want)
	}
}

// TestCounterAgreesWithTheServer builds texts at the limit by the counter
// the composer gets (Limits.Length) with links, mentions and emoji, and
// checks the server's verdict: at the limit accepted, one over refused.
// On a GoToSocial-like server links count as written; on a Mastodon one
// as the server's own characters per URL (30 here, not the stock 23).
// The real GoToSocial is asked the same in TestLiveCounterAgreesWithGoToSocial.
func TestCounterAgreesWithTheServer(t *testing.T) {
	gts := mastotest.GoToSocial
	gts.MaxChars = 300
	for name, cfg := range map[string]mastotest.Config{
		"mastodon":   {MaxChars: 300, URLChars: 30},
		"gotosocial": gts,
	} {
		t.Run(name, func(t *testing.T) {
			srv, c := newPair(t, cfg)
			l, err := c.Limits(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if l.Approximate {
				t.Errorf("%s counted as approximate", name)
			}
			for _, base := range []string{
				"See https://shop.example/" + strings.Repeat("long-path/", 8) + " now",
				"👩‍👩‍👧 family day, @alice@other.example! https://a.example ",
				"plain",
			} {
				atLimit := padTo(t, l.Length, base, l.MaxChars)
				if status := postRaw(t, srv, atLimit); status != http.StatusOK {
					t.Errorf("the server refused (HTTP %d) a text the counter puts at %d/%d: %q", status, l.Length(atLimit), l.MaxChars, atLimit)
				}
				over := atLimit + "x"
				if status := postRaw(t, srv, over); status == http.StatusOK {
					t.Errorf("the server took a text the counter puts at %d/%d", l.Length(over), l.MaxChars)
				}
			}
		})
	}
}

// padTo appends x to base until count says max. (Trailing whitespace counts
// on Mastodon only once something follows it, so one x can add two.)
func padTo(t *testing.T, count func(string) int, base string, max int) string {
	t.Helper()
	s := base
	for count(s) < max {
		s += "x"
	}
	if got := count(s); got != max {
		t.Fatalf("%q counts %d, cannot be padded to %d", base, got, max)
	}
	return s
}

// postRaw posts text straight to the server, without crier's own check.
func postRaw(t *testing.T, srv *mastotest.Server, text string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/statuses",
		strings.NewReader(url.Values{"status": {text}}.Encode()))
	req.Header.Set("Authorization", "Bearer "+srv.Token())
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
