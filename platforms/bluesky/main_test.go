package bluesky

import (
	"os"
	"testing"

	"github.com/crier-app/crier/platforms/bluesky/testnet"
)

// TestMain shares one reference network among the live tests (it takes a
// few seconds and 400 MB to start).
func TestMain(m *testing.M) {
	os.Exit(testnet.Main(m))
}
