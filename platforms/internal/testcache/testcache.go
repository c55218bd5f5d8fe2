// Package testcache is the folder where scripts/bsky-testnet and
// scripts/gotosocial keep what they install (Node, the reference Bluesky
// servers, the GoToSocial binary), as the test harnesses find it.
package testcache

import (
	"os"
	"path/filepath"
)

// Dir is $CRIER_CACHE_DIR, else $XDG_CACHE_HOME/crier, else ~/.cache/crier,
// the scripts' rule; "" when none is known.
func Dir() string {
	if d := os.Getenv("CRIER_CACHE_DIR"); d != "" {
		return d
	}
	if d := os.Getenv("XDG_CACHE_HOME"); d != "" {
		return filepath.Join(d, "crier")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".cache", "crier")
	}
	return ""
}
