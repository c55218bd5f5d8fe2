package mastodon_test

import (
	"os"
	"testing"

	"github.com/crier-app/crier/platforms/mastodon/gtstest"
)

// TestMain shares one GoToSocial server among the live tests (each makes
// accounts of its own on it), and says in one line when they skipped.
func TestMain(m *testing.M) {
	code := m.Run()
	gtstest.StopShared()
	gtstest.Report()
	os.Exit(code)
}
