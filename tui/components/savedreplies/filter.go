package savedreplies

import (
	"slices"
	"strings"

	"github.com/sahilm/fuzzy"

	"github.com/crier-app/crier/store"
)

// shown is a template that passes the filter, with the bytes of its name
// that the filter matched (for highlighting).
type shown struct {
	reply store.SavedReply
	hits  []int
}

// filterReplies keeps the templates that match every word of query, each
// word fuzzily in the name or in one word of the text (across a whole text
// a few letters in order match almost anything). Those matching more words
// by name come first, then the better matches; ties keep the store's order
// (the most used first). An empty query keeps all, in the store's order.
func filterReplies(all []store.SavedReply, query string) []shown {
	words := strings.Fields(query)
	if len(words) == 0 {
		out := make([]shown, len(all))
		for i, r := range all {
			out[i] = shown{reply: r}
		}
		return out
	}
	names := make([]string, len(all))
	bodies := make([][]string, len(all))
	for i, r := range all {
		names[i], bodies[i] = r.Name, strings.Fields(r.Body)
	}
	type ranked struct {
		shown
		index, byName, score int
	}
	rs := make([]ranked, len(all))
	alive := make([]bool, len(all))
	for i, r := range all {
		rs[i] = ranked{shown: shown{reply: r}, index: i}
		alive[i] = true
	}
	for _, w := range words {
		inName := make([]*fuzzy.Match, len(all))
		nameMatches := fuzzy.FindNoSort(w, names)
		for j := range nameMatches {
			inName[nameMatches[j].Index] = &nameMatches[j]
		}
		for i := range rs {
			if !alive[i] {
				continue
			}
			if inName[i] != nil {
				rs[i].byName++
				rs[i].score += inName[i].Score
				rs[i].hits = append(rs[i].hits, inName[i].MatchedIndexes...)
				continue
			}
			inBody := fuzzy.Find(w, bodies[i]) // best first
			if len(inBody) == 0 {
				alive[i] = false
				continue
			}
			rs[i].score += inBody[0].Score
		}
	}
	var kept []ranked
	for i, r := range rs {
		if alive[i] {
			kept = append(kept, r)
		}
	}
	slices.SortFunc(kept, func(a, b ranked) int {
		if a.byName != b.byName {
			return b.byName - a.byName
		}
		if a.score != b.score {
			return b.score - a.score
		}
		return a.index - b.index
	})
	out := make([]shown, len(kept))
	for i, r := range kept {
		slices.Sort(r.hits)
		out[i] = shown{reply: r.reply, hits: slices.Compact(r.hits)}
	}
	return out
}
