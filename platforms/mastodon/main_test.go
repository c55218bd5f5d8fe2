package mastodon_test

import (
	"os"
	"testing"

	"github.com/crier-app/crier/platforms/mastodon/gtstest"
)

// TestMain shares one GoToSocial server among the live tests; each makes
// accounts of its own on it.
func TestMain(m *testing.M) {
	code := m.Run()
	gtstest.StopShared()
	os.Exit(code)
}
