package drafts

import (
	"strings"
	"testing"

	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/store"
)

func TestMeasure(t *testing.T) {
	accounts := []store.Account{
		{ID: 1, Platform: store.PlatformMastodon},
		{ID: 2, Platform: store.PlatformBluesky},
		{ID: 3, Platform: store.PlatformMastodon},
		{ID: 4, Platform: "pigeon"},
	}
	overrides := map[int64]store.Target{
		2: {AccountID: 2, BodyOverride: "short", HasOverride: true},
		3: {AccountID: 3, BodyOverride: "a much longer text for the second mastodon account", HasOverride: true},
	}
	got := measure(testNetworks(), nil, accounts, []bool{true, true, true, true}, "body", overrides)
	want := []netCount{
		// The longer of the two mastodon texts counts; one has its own text.
		{platform: "mastodon", unit: "chars", used: 50, max: 500, ownText: true},
		{platform: "bluesky", unit: "graphemes", used: 5, max: 300, bytes: 5, maxBytes: 3000, ownText: true},
		// A platform without rules is counted in graphemes, with no limit.
		{platform: "pigeon", unit: "graphemes", used: 4},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("counter %d = %+v, want %+v", i, got[i], want[i])
		}
	}

	// Unselected accounts are not counted.
	if got := measure(testNetworks(), nil, accounts, []bool{false, true, false, false}, "body", nil); len(got) != 1 || got[0].used != 4 {
		t.Errorf("bluesky only: %+v", got)
	}
}

func TestOverByWording(t *testing.T) {
	for _, c := range []struct {
		n    netCount
		want string
	}{
		{netCount{platform: "bluesky", unit: "graphemes", used: 300, max: 300}, ""},
		{netCount{platform: "bluesky", unit: "graphemes", used: 301, max: 300}, "bluesky is 1 grapheme over its 300 limit"},
		{netCount{platform: "mastodon", unit: "chars", used: 512, max: 500}, "mastodon is 12 chars over its 500 limit"},
		{netCount{platform: "bluesky", unit: "graphemes", used: 10, max: 300, bytes: 3001, maxBytes: 3000}, "bluesky is 1 byte over its 3000-byte limit"},
	} {
		if got := c.n.overBy(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.n, got, c.want)
		}
	}
}

// An account's server limit replaces the platform's default; the stricter of
// two accounts on one platform wins.
func TestMeasureUsesServerLimits(t *testing.T) {
	accounts := []store.Account{
		{ID: 1, Platform: store.PlatformMastodon, Handle: "@a@big.example"},
		{ID: 2, Platform: store.PlatformMastodon, Handle: "@b@huge.example"},
	}
	body := strings.Repeat("x", 600)
	limits := map[int64]platforms.Limits{1: {MaxChars: 1000}, 2: {MaxChars: 5000}}
	got := measure(testNetworks(), limits, accounts, []bool{true, false}, body, nil)
	if len(got) != 1 || got[0].max != 1000 || got[0].overBy() != "" {
		t.Fatalf("one account on a 1000-char server: %+v", got)
	}
	got = measure(testNetworks(), limits, accounts, []bool{true, true}, strings.Repeat("x", 1200), nil)
	if len(got) != 1 || got[0].max != 1000 || got[0].overBy() == "" {
		t.Fatalf("two servers, 1000 and 5000: %+v", got)
	}
	if got := measure(testNetworks(), nil, accounts, []bool{true, false}, body, nil); got[0].overBy() == "" {
		t.Fatalf("without the server's word, 600 chars must be over the default 500: %+v", got)
	}
}
