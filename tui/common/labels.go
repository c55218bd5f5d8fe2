package common

import (
	"strings"

	"github.com/crier-app/crier/analytics"
	"github.com/crier-app/crier/store"
)

// NetworkLabel is how a platform is named on screen.
type NetworkLabel struct {
	Platform string
	Name     string // as people write it: "Mastodon"
	Short    string // in a narrow column: "masto"
	Letter   string // in a calendar cell: "M"
}

// NetworkLabels are the platforms crier knows, in the order lists give
// them.
var NetworkLabels = []NetworkLabel{
	{Platform: store.PlatformMastodon, Name: analytics.NetworkName(store.PlatformMastodon), Short: "masto", Letter: "M"},
	{Platform: store.PlatformBluesky, Name: analytics.NetworkName(store.PlatformBluesky), Short: "bsky", Letter: "B"},
	{Platform: store.PlatformSandbox, Name: analytics.NetworkName(store.PlatformSandbox), Short: "sbox", Letter: "S"},
}

// LabelOf is how platform is named, and whether crier knows it. A platform
// it does not know (a source an import named) is named as the reports name
// it (analytics.NetworkName: "Instagram", "(no source)"), cleaned; its
// letter is the first of it in capitals.
func LabelOf(platform string) (NetworkLabel, bool) {
	for _, l := range NetworkLabels {
		if l.Platform == platform {
			return l, true
		}
	}
	name := OneLine(Clean(analytics.NetworkName(platform))) // drawn in one cell of a row
	letter := ""
	if r := []rune(OneLine(Clean(platform))); len(r) > 0 {
		letter = strings.ToUpper(string(r[0]))
	}
	return NetworkLabel{Platform: platform, Name: name, Short: name, Letter: letter}, false
}

// NetworkName is a platform's name as people write it ("Mastodon").
func NetworkName(platform string) string {
	l, _ := LabelOf(platform)
	return l.Name
}
