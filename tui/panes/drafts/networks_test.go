package drafts

import (
	"github.com/crier-app/crier/platforms/bluesky"
	"github.com/crier-app/crier/platforms/mastodon"
	"github.com/crier-app/crier/tui/common"
)

// testNetworks are the networks main wires, as their packages say them.
func testNetworks() map[string]common.NetworkSpec {
	return common.Specs(mastodon.Spec(), bluesky.Spec())
}
