package common

import (
	"strings"

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
	{Platform: store.PlatformMastodon, Name: "Mastodon", Short: "masto", Letter: "M"},
	{Platform: store.PlatformBluesky, Name: "Bluesky", Short: "bsky", Letter: "B"},
	{Platform: store.PlatformSandbox, Name: "sandbox", Short: "sbox", Letter: "S"},
}

// LabelOf is how platform is named, and whether crier knows it. A platform
// it does not know is named by itself (cleaned), its letter the first of
// it in capitals.
func LabelOf(platform string) (NetworkLabel, bool) {
	for _, l := range NetworkLabels {
		if l.Platform == platform {
			return l, true
		}
	}
	name := OneLine(Clean(platform)) // a source an import named: drawn in one cell of a row
	letter := ""
	if r := []rune(name); len(r) > 0 {
		letter = strings.ToUpper(string(r[0]))
	}
	return NetworkLabel{Platform: platform, Name: name, Short: name, Letter: letter}, false
}

// NetworkName is a platform's name as people write it ("Mastodon").
func NetworkName(platform string) string {
	l, _ := LabelOf(platform)
	return l.Name
}
