package drafts

import (
	"fmt"

	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
)

// netCount is one network's live counter in the composer, in that network's
// own units (Mastodon: characters with each URL as 23; Bluesky: graphemes, and
// UTF-8 bytes against a separate cap).
type netCount struct {
	platform string
	unit     string
	used     int
	max      int // 0 when no limit is known
	bytes    int
	maxBytes int  // 0 when the network sets no byte cap
	ownText  bool // an account of it has its own text, not the composer's
	approx   bool // a server's counting rules are unknown: used is a guess
}

// overBy says how far past a limit the text is, in words naming the network,
// or "" when it fits.
func (n netCount) overBy() string {
	if n.max > 0 && n.used > n.max {
		about := ""
		if n.approx {
			about = "about "
		}
		return fmt.Sprintf("%s is %s%d %s over its %d limit", n.platform, about, n.used-n.max, n.unitFor(n.used-n.max), n.max)
	}
	if n.maxBytes > 0 && n.bytes > n.maxBytes {
		over, unit := n.bytes-n.maxBytes, "bytes"
		if over == 1 {
			unit = "byte"
		}
		return fmt.Sprintf("%s is %d %s over its %d-byte limit", n.platform, over, unit, n.maxBytes)
	}
	return ""
}

func (n netCount) unitFor(k int) string {
	u := n.unit
	if u == "" {
		u = "chars"
	}
	if k == 1 && len(u) > 1 && u[len(u)-1] == 's' {
		return u[:len(u)-1]
	}
	return u
}

// nearLimit is true from 90% of a limit, to warn before it is crossed.
func (n netCount) nearLimit() bool {
	return (n.max > 0 && n.used*10 >= n.max*9) || (n.maxBytes > 0 && n.bytes*10 >= n.maxBytes*9)
}

// measure counts the text of each selected account, once per platform (the
// limits are per platform); where accounts of one platform carry different
// texts, the longest counts. Platforms come in the order of accounts.
// An account whose server reported its own limits (limits, by account id) is
// held to those; where two accounts of one platform differ, the stricter wins.
func measure(nets map[string]common.NetworkSpec, limits map[int64]platforms.Limits, accounts []store.Account, selected []bool, body string, overrides map[int64]store.Target) []netCount {
	return measureFinal(nets, limits, accounts, selected, body, overrides, nil)
}

// finalFunc is the text an account's copy goes out with, from the text
// written for it (own: the account's own text): its campaign's links
// tagged (analytics.FinalText). Nil sends the text as written.
type finalFunc func(a store.Account, text string, own bool) string

// measureFinal is measure of the texts as they go out: each account's
// text made final by final.
func measureFinal(nets map[string]common.NetworkSpec, limits map[int64]platforms.Limits, accounts []store.Account, selected []bool, body string, overrides map[int64]store.Target, final finalFunc) []netCount {
	var out []netCount
	index := map[string]int{}
	for i, a := range accounts {
		if i >= len(selected) || !selected[i] {
			continue
		}
		text := body
		t, own := overrides[a.ID]
		if own = own && t.HasOverride; own {
			text = t.BodyOverride
		}
		if final != nil {
			text = final(a, text, own)
		}
		n := count(nets, limits, a, text)
		n.ownText = own
		if j, ok := index[a.Platform]; ok {
			out[j].ownText = out[j].ownText || own
			out[j].approx = out[j].approx || n.approx
			out[j].max = stricter(out[j].max, n.max)
			out[j].maxBytes = stricter(out[j].maxBytes, n.maxBytes)
			if n.used > out[j].used {
				out[j].used = n.used
			}
			if n.bytes > out[j].bytes {
				out[j].bytes = n.bytes
			}
			continue
		}
		index[a.Platform] = len(out)
		out = append(out, n)
	}
	return out
}

// stricter is the smaller of two limits, where 0 means none.
func stricter(a, b int) int {
	switch {
	case a == 0:
		return b
	case b == 0 || a < b:
		return a
	}
	return b
}

// count measures text for account a: by its network's spec, completed by
// what its server said (limits, by account id), its counting included.
func count(nets map[string]common.NetworkSpec, limits map[int64]platforms.Limits, a store.Account, text string) netCount {
	spec, ok := nets[a.Platform]
	if !ok {
		// A network the composer has no rules for: count graphemes, no
		// limit, unless its server said one.
		spec = common.NetworkSpec{Platform: a.Platform, Unit: "graphemes"}
	}
	l := spec.Limits
	if srv, ok := limits[a.ID]; ok {
		l = spec.With(srv)
	}
	n := netCount{
		platform: a.Platform,
		unit:     spec.Unit,
		used:     l.Count(text),
		max:      l.MaxChars,
		maxBytes: l.MaxBytes,
		approx:   l.Approximate,
	}
	if n.maxBytes > 0 {
		n.bytes = l.ByteCount(text) // as the network counts them against its cap
	}
	return n
}
