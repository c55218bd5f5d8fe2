//go:build unix

// Package e2e runs the real crier binary, built from the module's main
// package, against test networks: the crash suites (SIGKILL while sending,
// against Mastodon, Bluesky and GoToSocial) and the on-time tests. They are
// a package of their own so that go test runs them beside the main
// package's tests instead of after them: they spend their minutes waiting
// on servers and on crier, not on this machine's cores.
package e2e

import (
	"flag"
	"os"
	"testing"

	"github.com/crier-app/crier/platforms/bluesky/testnet"
	"github.com/crier-app/crier/platforms/mastodon/gtstest"
)

// TestMain says in one line when the tests against the real Bluesky network
// or GoToSocial skipped, and removes the binary the tests shared.
func TestMain(m *testing.M) {
	flag.Parse()
	// Let more of the tests overlap than there are cores, unless
	// -parallel says.
	explicit := false
	flag.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "test.parallel" })
	if !explicit {
		flag.Set("test.parallel", "8")
	}
	code := testnet.Main(m)
	gtstest.Report()
	removeCrierBinary()
	os.Exit(code)
}
