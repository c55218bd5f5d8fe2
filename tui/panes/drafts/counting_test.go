package drafts

import (
	"strings"
	"testing"

	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/platforms/mastodon"
	"github.com/crier-app/crier/store"
)

// The composer counts an account's text by its server's own rules when the
// server has said them: a link as the server's characters per URL on
// Mastodon, as written on GoToSocial; and says "about" where crier cannot
// know how a server counts.
func TestMeasureCountsByTheServersRules(t *testing.T) {
	accounts := []store.Account{{ID: 1, Platform: store.PlatformMastodon, Handle: "@a@gts.example"}}
	link := "https://shop.example/" + strings.Repeat("p", 80) // 101 characters as written
	body := "menu: " + link
	gts := mastodon.CountingFor("0.17.3", "https://github.com/superseriousbusiness/gotosocial", 25)
	masto := mastodon.CountingFor("4.3.2", "https://github.com/mastodon/mastodon", 30)
	unknown := mastodon.CountingFor("2.7.2 (compatible; Pleroma 2.6.0)", "", 23)

	for _, tc := range []struct {
		name   string
		limits platforms.Limits
		used   int
		approx bool
	}{
		{"before the server answers", platforms.Limits{}, 6 + mastodon.DefaultURLChars, false},
		{"mastodon", platforms.Limits{MaxChars: 500, Length: masto.Length}, 6 + 30, false},
		{"gotosocial", platforms.Limits{MaxChars: 5000, Length: gts.Length, Approximate: !gts.Exact}, 6 + 101, false},
		{"unknown", platforms.Limits{MaxChars: 500, Length: unknown.Length, Approximate: !unknown.Exact}, 6 + 23, true},
	} {
		limits := map[int64]platforms.Limits{}
		if tc.limits.MaxChars > 0 {
			limits[1] = tc.limits
		}
		got := measure(testNetworks(), limits, accounts, []bool{true}, body, nil)
		if len(got) != 1 || got[0].used != tc.used || got[0].approx != tc.approx {
			t.Errorf("%s: %+v, want %d used, approximate %v", tc.name, got, tc.used, tc.approx)
		}
	}

	over := measure(testNetworks(), map[int64]platforms.Limits{1: {MaxChars: 20, Length: unknown.Length, Approximate: true}},
		accounts, []bool{true}, body, nil)
	if msg := over[0].overBy(); !strings.Contains(msg, "about 9 chars over") {
		t.Errorf("over an approximate limit: %q, want it to say about", msg)
	}
}
