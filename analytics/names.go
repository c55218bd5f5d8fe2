package analytics

import "github.com/crier-app/crier/store"

// NetworkName writes a source (a network, as store.NormalizeSource keeps
// it) the way people say it: "Mastodon", "Instagram"; "(no source)" for a
// row that named none; a source crier does not know as it was given. The
// Campaigns pane and the reports both name sources with it.
func NetworkName(source string) string {
	switch source {
	case "":
		return "(no source)"
	case store.PlatformMastodon:
		return "Mastodon"
	case store.PlatformBluesky:
		return "Bluesky"
	case store.PlatformSandbox:
		return "sandbox"
	case "facebook":
		return "Facebook"
	case "instagram":
		return "Instagram"
	case "google":
		return "Google"
	case "x":
		return "X"
	case "linkedin":
		return "LinkedIn"
	case "threads":
		return "Threads"
	case "meta":
		return "Meta (Facebook, Instagram)"
	}
	return source
}
