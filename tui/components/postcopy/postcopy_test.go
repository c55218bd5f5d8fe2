package postcopy

import (
	"strings"
	"testing"
	"time"

	"github.com/crier-app/crier/store"
)

// TestAFailedCopyIsNotCalledRefused: a copy fails for reasons of crier's
// own too (no client for its account, an earlier try it cannot check), so
// its line says it was not sent and why, never that the network refused it.
func TestAFailedCopyIsNotCalledRefused(t *testing.T) {
	for _, reason := range []string{
		"no network is set up for account @shop@example.social (mastodon): add it to the config, or take the account off the post",
		"HTTP 422: Validation failed: Text character limit of 500 exceeded",
		"",
	} {
		got := Where(store.Copy{State: store.DeliveryFailed, LastError: reason}, time.Time{}, time.UTC)
		if !strings.HasPrefix(got, "not sent: ") || strings.Contains(got, "refused") {
			t.Errorf("Where(failed, %q) = %q; want \"not sent: \" and the reason", reason, got)
		}
	}
}
