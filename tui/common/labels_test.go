package common

import (
	"testing"

	"github.com/crier-app/crier/analytics"
)

// The Campaigns pane names a source as the reports do (one helper,
// analytics.NetworkName): "Instagram", not "instagram"; "(no source)" for a
// row that named none, not a blank.
func TestNetworkNameIsTheReports(t *testing.T) {
	for src, want := range map[string]string{"": "(no source)", "facebook": "Facebook", "instagram": "Instagram",
		"mastodon": "Mastodon", "bluesky": "Bluesky", "google": "Google", "newsletter": "newsletter", "flyer": "flyer"} {
		if got := NetworkName(src); got != want || got != analytics.NetworkName(src) {
			t.Errorf("NetworkName(%q) = %q, want %q (the reports: %q)", src, got, want, analytics.NetworkName(src))
		}
	}
	if l, _ := LabelOf("instagram"); l.Letter != "I" {
		t.Errorf("instagram's letter %q", l.Letter)
	}
}
