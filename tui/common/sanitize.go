package common

import "github.com/crier-app/crier/platforms"

// Clean makes text from a network safe to draw: no control characters or
// escape sequences reach the terminal.
func Clean(s string) string { return platforms.Sanitize(s) }
