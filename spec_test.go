package main

import (
	"context"
	"reflect"
	"testing"

	"github.com/crier-app/crier/config"
	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/platforms/sandbox"
	"github.com/crier-app/crier/store"
)

// TestEveryNetworkHasItsSpec: each network crier builds a client for (and
// the sandbox the demo publishes to) has its package's spec in the table
// the composer gets, under the name the client gives itself; where a
// client's limits need no server (Bluesky's lexicon, the sandbox), they
// are the spec's, counting and all.
func TestEveryNetworkHasItsSpec(t *testing.T) {
	specs := networkSpecs()
	clients := map[string]platforms.Network{store.PlatformSandbox: sandbox.New("shop", nil)}
	for _, ca := range []config.Account{
		{Platform: config.PlatformMastodon, Handle: "@shop@toot.example", Server: "https://toot.example", Credential: "token"},
		{Platform: config.PlatformBluesky, Handle: "shop.bsky.social", Server: "https://bsky.social", Credential: "app-password"},
	} {
		n, err := network(ca, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		clients[ca.Platform] = n
	}
	if len(specs) != len(clients) {
		t.Errorf("%d specs for %d networks", len(specs), len(clients))
	}
	for platform, n := range clients {
		spec, ok := specs[n.Platform()]
		if !ok || spec.Platform != platform || spec.Limits.Length == nil || spec.Unit == "" {
			t.Errorf("%s: spec %+v", platform, spec)
			continue
		}
		if platform == store.PlatformMastodon {
			continue // its limits are its server's
		}
		l, err := n.Limits(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, text := range []string{"", "Fresh rye 👩‍👩‍👧 क्ष", "https://shop.example/menu"} {
			if l.Count(text) != spec.Limits.Count(text) || l.AltLength(text) != spec.Limits.AltLength(text) ||
				l.ByteCount(text) != spec.Limits.ByteCount(text) {
				t.Errorf("%s counts %q as %d (alt %d), its spec as %d (alt %d)", platform, text,
					l.Count(text), l.AltLength(text), spec.Limits.Count(text), spec.Limits.AltLength(text))
			}
		}
		l.Length, l.AltTextLength, l.Bytes = nil, nil, nil
		want := spec.Limits
		want.Length, want.AltTextLength, want.Bytes = nil, nil, nil
		if !reflect.DeepEqual(l, want) {
			t.Errorf("%s: the client's limits %+v, its spec's %+v", platform, l, want)
		}
	}
}
