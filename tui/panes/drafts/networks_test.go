package drafts

import (
	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/platforms/bluesky"
	"github.com/crier-app/crier/platforms/mastodon"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
)

// testNetworks counts the way main wires the real networks.
func testNetworks() map[string]common.NetworkSpec {
	return map[string]common.NetworkSpec{
		store.PlatformMastodon: {
			Platform: store.PlatformMastodon,
			Limits:   platforms.Limits{MaxChars: mastodon.DefaultMaxChars, CharsPerURL: mastodon.DefaultURLChars},
			Length:   func(t string) int { return mastodon.Length(t, "", mastodon.DefaultURLChars) },
			Unit:     "chars",
		},
		store.PlatformBluesky: {
			Platform: store.PlatformBluesky,
			Limits:   platforms.Limits{MaxChars: bluesky.MaxGraphemes, MaxBytes: bluesky.MaxBytes},
			Length:   func(t string) int { g, _ := bluesky.Length(t); return g },
			Unit:     "graphemes",
		},
	}
}
